// auth::redis_token_store against a real redis-server: several stores on one account stand for several
// processes (each has its own connections, as a process would); token_sources in front of them keep
// their own single flight. The token requests are a fake fetcher's, counted.
#include "daftra/auth/token_source.hpp"
#include "daftra/redis/token_store.hpp"
#include "redis/token_crypto.hpp"
#include "support/async_test.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace token_store_test {

using namespace daftra;
using namespace daftra::auth;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace redis = daftra::redis;
using daftra::test::redis_server;

// A token endpoint: counts requests and answers "tok-N" after `delay`.
struct fake_endpoint {
    std::atomic<int> requests{0};
    std::chrono::seconds lifetime{3600};
    std::chrono::milliseconds delay{0};

    token_fetcher fetcher() {
        return [this](const grant_request&) -> asio::awaitable<result<issued_token>> {
            const int n = ++requests;
            if (delay.count() > 0) co_await daftra::test::sleep_for(delay);
            issued_token t;
            t.access_token = secret("tok-" + std::to_string(n));
            t.expires_in = lifetime;
            co_return t;
        };
    }
};

redis_token_store_options store_options(const redis_server& server) {
    redis_token_store_options o;
    o.connection.where = redis::parse_url(server.unix_url()).value();
    o.account = "sandbox.example:client-1:owner@example.com";
    return o;
}

std::shared_ptr<redis_token_store> make_store(asio::io_context& io, redis_token_store_options o) {
    return std::make_shared<redis_token_store>(io.get_executor(), std::move(o));
}

const grant_request password_request{grant_request::kind::password, {}};

asio::awaitable<result<issued_token>> obtain(redis_token_store& store, const token_fetcher& fetch, std::string held) {
    const secret held_secret(std::move(held));
    co_return co_await store.obtain(password_request, fetch, held_secret);
}

std::string token_of(const result<issued_token>& r) { return r ? r->access_token.reveal() : "error: " + r.error().describe(); }

BOOST_AUTO_TEST_SUITE(redis_token_store_suite)

BOOST_AUTO_TEST_CASE(one_token_request_per_expiry_for_four_processes_of_250_callers) {
    redis_server server;
    asio::io_context io;
    fake_endpoint endpoint;
    endpoint.lifetime = 1s;
    endpoint.delay = 20ms;  // a request takes a while: the others must wait for it, not make their own
    const credentials creds{password_grant("client-1", secret("cs"), "owner@example.com", secret("pw"))};
    std::vector<std::shared_ptr<redis_token_store>> stores;
    std::vector<std::unique_ptr<token_source>> sources;
    for (int p = 0; p < 4; ++p) {
        stores.push_back(make_store(io, store_options(server)));
        auth_options ao;
        ao.shared_store = stores.back();
        sources.push_back(std::make_unique<token_source>(io.get_executor(), creds, ao, endpoint.fetcher()));
    }
    auto herd = [&]() -> asio::awaitable<std::set<std::string>> {
        auto seen = std::make_shared<std::set<std::string>>();
        auto done = std::make_shared<int>(0);
        for (auto& source : sources)
            for (int c = 0; c < 250; ++c)
                asio::co_spawn(io, [&source, seen, done]() -> asio::awaitable<void> {
                    auto h = co_await source->get();
                    seen->insert(h ? h->value.reveal() : "error: " + h.error().describe());
                    ++*done;
                }, asio::detached);
        while (*done < 1000) co_await daftra::test::sleep_for(2ms);
        co_return *seen;
    };
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto first = co_await herd();
        BOOST_TEST(endpoint.requests == 1);
        BOOST_TEST(first == std::set<std::string>{"Bearer tok-1"});
        co_await daftra::test::sleep_for(1300ms);  // past the expiry (Redis's copy expired with it)
        auto second = co_await herd();
        BOOST_TEST(endpoint.requests == 2);
        BOOST_TEST(second == std::set<std::string>{"Bearer tok-2"});
        redis_token_store_stats sum;
        for (auto& s : stores) {
            auto st = s->stats();
            sum.fetched += st.fetched;
            sum.adopted += st.adopted;
            sum.waits += st.waits;
            sum.woken += st.woken;
            sum.fallbacks += st.fallbacks;
        }
        BOOST_TEST(sum.fetched == 2u);
        BOOST_TEST(sum.adopted == 6u);
        BOOST_TEST(sum.fallbacks == 0u);
        // Every wait ended with the winner's publish, not with the lock's 30 s running out.
        BOOST_TEST(sum.waits == sum.woken);
        for (auto& src : sources) src->shutdown();
        sources.clear();
        stores.clear();
    }());
}

BOOST_AUTO_TEST_CASE(a_401_deletes_the_token_only_if_it_is_still_the_stored_one) {
    redis_server server;
    asio::io_context io;
    fake_endpoint endpoint;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto a = make_store(io, store_options(server));
        auto b = make_store(io, store_options(server));
        auto c = make_store(io, store_options(server));
        const auto fetch = endpoint.fetcher();
        BOOST_TEST(token_of(co_await obtain(*a, fetch, "")) == "tok-1");
        // b was sent a 401 with tok-1 and refreshed: tok-2 replaces it.
        BOOST_TEST(token_of(co_await obtain(*b, fetch, "tok-1")) == "tok-2");
        // a's 401 with tok-1 comes late: tok-2 stays.
        a->discard(secret("tok-1"));
        while (a->stats().discard_checks < 1) co_await daftra::test::sleep_for(2ms);
        BOOST_TEST(a->stats().discards == 0u);
        BOOST_TEST(token_of(co_await obtain(*c, fetch, "")) == "tok-2");
        BOOST_TEST(endpoint.requests == 2);
        // A 401 with tok-2 deletes it: the next refresh requests a new token.
        b->discard(secret("tok-2"));
        while (b->stats().discard_checks < 1) co_await daftra::test::sleep_for(2ms);
        BOOST_TEST(b->stats().discards == 1u);
        BOOST_TEST(token_of(co_await obtain(*c, fetch, "")) == "tok-3");
    }());
}

BOOST_AUTO_TEST_CASE(a_dead_winners_lock_expires_and_another_takes_over) {
    redis_server server;
    asio::io_context io;
    fake_endpoint endpoint;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = store_options(server);
        o.lock_ttl = 400ms;
        auto store = make_store(io, o);
        // A process took the lock and was killed before it stored anything.
        redis::connection raw(io.get_executor(), store_options(server).connection);
        auto took = co_await raw.exec(redis::command("SET", store->lock_key(), "killed-process", "NX", "PX", "400"));
        BOOST_REQUIRE(took.has_value());
        auto t = co_await obtain(*store, endpoint.fetcher(), "");
        BOOST_TEST(token_of(t) == "tok-1");
        BOOST_TEST(endpoint.requests == 1);
        BOOST_TEST(store->stats().waits >= 1u);
        BOOST_TEST(store->stats().woken == 0u);  // nobody published: the lock ran out
        BOOST_TEST(store->stats().fetched == 1u);
    }());
}

BOOST_AUTO_TEST_CASE(encrypted_tokens_and_a_wrong_key) {
    redis_server server;
    asio::io_context io;
    fake_endpoint endpoint;
    std::vector<fleet_event> events;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = store_options(server);
        o.encryption_key = secret(std::string(64, 'a'));  // hex
        auto first = make_store(io, o);
        auto second = make_store(io, o);
        const auto fetch = endpoint.fetcher();
        BOOST_TEST(token_of(co_await obtain(*first, fetch, "")) == "tok-1");
        redis::connection raw(io.get_executor(), o.connection);
        auto stored = co_await raw.exec(redis::command("HGET", first->token_key(), "data"));
        BOOST_REQUIRE(stored.has_value());
        BOOST_TEST(stored->text.size() > 20u);
        BOOST_TEST(stored->text.find("tok-1") == std::string::npos);
        BOOST_TEST(token_of(co_await obtain(*second, fetch, "")) == "tok-1");  // same key: adopted
        BOOST_TEST(endpoint.requests == 1);

        auto wrong_options = o;
        wrong_options.encryption_key = secret(std::string(32, 'k'));  // 32 raw bytes, another key
        wrong_options.on_event = [&](const fleet_event& e) { events.push_back(e); };
        auto wrong = make_store(io, wrong_options);
        BOOST_TEST(token_of(co_await obtain(*wrong, fetch, "")) == "tok-2");  // could not read it: refetched
        BOOST_TEST(wrong->stats().undecryptable == 1u);
        BOOST_TEST(endpoint.requests == 2);
    }());
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST((events[0].what == fleet_event::kind::undecryptable_token));
    BOOST_TEST((events[0].cause.kind == error_kind::decode));
    BOOST_CHECK_THROW(redis_token_store(io.get_executor(), [&] {
                          auto o = store_options(server);
                          o.encryption_key = secret("too short");
                          return o;
                      }()),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(without_redis_each_process_requests_its_own_and_recovers) {
    redis_server server;
    asio::io_context io;
    fake_endpoint endpoint;
    std::vector<fleet_event::kind> events;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = store_options(server);
        o.connection.reconnect_min = 20ms;
        o.connection.reconnect_max = 100ms;
        o.on_event = [&](const fleet_event& e) { events.push_back(e.what); };
        auto store = make_store(io, o);
        const auto fetch = endpoint.fetcher();
        BOOST_TEST(token_of(co_await obtain(*store, fetch, "")) == "tok-1");
        server.kill();
        BOOST_TEST(token_of(co_await obtain(*store, fetch, "tok-1")) == "tok-2");  // served, without Redis
        BOOST_TEST(store->stats().fallbacks == 1u);
        server.start();
        // Once Redis answers again the store uses it (the empty new server has no token: this one fetches).
        result<issued_token> back = make_error(error_kind::transport, {}, "not tried");
        for (int i = 0; i < 200; ++i) {
            back = co_await obtain(*store, fetch, "tok-2");
            if (store->stats().fetched == 2u) break;
            co_await daftra::test::sleep_for(20ms);
        }
        BOOST_TEST(back.has_value());
        BOOST_TEST(store->stats().fetched == 2u);
    }());
    BOOST_REQUIRE(events.size() >= 2u);
    BOOST_TEST((events.front() == fleet_event::kind::redis_unavailable));
    BOOST_TEST((events.back() == fleet_event::kind::redis_recovered));
}

BOOST_AUTO_TEST_CASE(aes_gcm_round_trip_and_tampering) {
    const std::string key = redis::detail::aes_key_from(std::string(64, 'f'));
    BOOST_REQUIRE_EQUAL(key.size(), 32u);
    auto sealed = redis::detail::seal(key, "access\nrefresh", "{daftra:a}:token");
    BOOST_TEST(redis::detail::open(key, sealed, "{daftra:a}:token").value() == "access\nrefresh");
    BOOST_TEST(!redis::detail::open(key, sealed, "{daftra:b}:token"));  // another account's key
    sealed[14] ^= 1;
    BOOST_TEST(!redis::detail::open(key, sealed, "{daftra:a}:token"));
    BOOST_TEST(redis::detail::aes_key_from("not hex and not 32 bytes").empty());
    BOOST_TEST(fleet_account("https://acme.daftra.com/", credentials{password_grant("cid", secret("s"), "u@x", secret("p"))}) ==
               "acme.daftra.com:cid:u@x");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace token_store_test
