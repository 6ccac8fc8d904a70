// The token stores, and the refresher's use of them (start from a saved token, save after a refresh,
// adopt a token another process saved).

#include "fakes.hpp"
#include "support/async_test.hpp"

#include "daftra/auth/token_store.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <random>

namespace token_store_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
    fs::path path;
    temp_dir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("daftra-auth-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

stored_token sample(std::string access, wall_clock::time_point expires) {
    return {secret(std::move(access)), secret("refresh-" + std::to_string(expires.time_since_epoch().count() % 1000)),
            expires - 3600s, expires};
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_stores)

BOOST_AUTO_TEST_CASE(memory_store_round_trip) {
    memory_token_store s;
    BOOST_TEST(!s.load().has_value());
    auto t = sample("A", wall_clock::now() + 1h);
    BOOST_TEST(!s.save(t));
    auto back = s.load();
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(back->access_token.reveal() == "A");
    BOOST_TEST((back->expires_at == t.expires_at));
}

BOOST_AUTO_TEST_CASE(file_store_is_private_atomic_and_round_trips) {
    temp_dir dir;
    file_token_store s(dir.path / "token.json");
    BOOST_TEST(!s.load().has_value());
    const auto expires = std::chrono::time_point_cast<std::chrono::milliseconds>(wall_clock::now() + 1h);
    BOOST_TEST(!s.save(sample("first", expires)));
    BOOST_TEST(!s.save(sample("second", expires)));  // replaces the file
    struct stat st {};
    BOOST_REQUIRE(::stat(s.path().c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    auto back = s.load();
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(back->access_token.reveal() == "second");
    BOOST_TEST(!back->refresh_token.empty());
    BOOST_TEST((back->expires_at == expires));
    // Nothing else is left in the directory (no temporary file).
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++files;
    BOOST_TEST(files == 1);
}

BOOST_AUTO_TEST_CASE(file_store_failures_are_reported_not_thrown) {
    temp_dir dir;
    file_token_store missing_dir(dir.path / "no" / "such" / "token.json");
    BOOST_TEST(missing_dir.save(sample("x", wall_clock::now())).failed());
    std::ofstream(dir.path / "garbage.json") << "{not json";
    BOOST_TEST(!file_token_store(dir.path / "garbage.json").load().has_value());
    std::ofstream(dir.path / "wrong.json") << R"({"access_token":5})";
    BOOST_TEST(!file_token_store(dir.path / "wrong.json").load().has_value());
}

BOOST_AUTO_TEST_CASE(refresher_starts_from_a_saved_token_and_saves_new_ones) {
    temp_dir dir;
    boost::asio::io_context io;
    test_options topt;
    fake_endpoint endpoint;
    auto store = std::make_shared<file_token_store>(dir.path / "token.json");
    BOOST_TEST(!store->save({secret("saved-access"), secret("saved-refresh"), topt.clock.now() - 10min,
                             topt.clock.now() + 50min}));
    auto o = topt.make();
    o.store = store;
    {
        token_source src(io.get_executor(), test_password_credentials(), o, endpoint.fetcher());
        auto h = src.try_get();  // no request: the saved token is still good
        BOOST_REQUIRE(h.has_value());
        BOOST_TEST(h->value.reveal() == "Bearer saved-access");
        BOOST_TEST(endpoint.calls == 0);
        topt.clock.advance(51min);
        auto r = daftra::test::run(io, src.get());
        BOOST_TEST(r->value.reveal() == "Bearer tok-1");
        BOOST_TEST(endpoint.refresh_tokens_seen.at(0) == "saved-refresh");  // the saved refresh token was used
    }
    auto saved = store->load();
    BOOST_REQUIRE(saved.has_value());
    BOOST_TEST(saved->access_token.reveal() == "tok-1");
    BOOST_TEST(saved->refresh_token.reveal() == "ref-1");

    // A new process with an expired access token but a saved refresh token refreshes with it.
    topt.clock.advance(2h);
    token_source again(io.get_executor(), test_password_credentials(), o, endpoint.fetcher());
    BOOST_TEST(!again.try_get().has_value());
    BOOST_TEST(daftra::test::run(io, again.get())->value.reveal() == "Bearer tok-2");
    BOOST_TEST(endpoint.refresh_tokens_seen.at(1) == "ref-1");
}

BOOST_AUTO_TEST_CASE(refresher_adopts_a_token_another_process_saved) {
    boost::asio::io_context io;
    test_options topt;
    fake_endpoint endpoint;
    auto store = std::make_shared<memory_token_store>();
    auto o = topt.make();
    o.store = store;
    token_source src(io.get_executor(), test_password_credentials(), o, endpoint.fetcher());
    BOOST_TEST(daftra::test::run(io, src.get())->value.reveal() == "Bearer tok-1");
    topt.clock.advance(3601s);
    // Meanwhile another process sharing the store refreshed.
    BOOST_TEST(!store->save({secret("other-process"), secret("other-refresh"), topt.clock.now(), topt.clock.now() + 1h}));
    BOOST_TEST(daftra::test::run(io, src.get())->value.reveal() == "Bearer other-process");
    BOOST_TEST(endpoint.calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace token_store_test
