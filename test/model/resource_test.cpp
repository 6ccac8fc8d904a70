// The coroutine calls of resource<Model> and the all() pager over a fake sender that answers from
// a generated list of N taxes, with a small delay so that pages overlap.

#include "support/async_test.hpp"

#include "daftra/resources/resource.hpp"
#include "daftra/resources/table.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <mutex>

namespace resource_test {

using namespace daftra;
namespace asio = boost::asio;

namespace {

class fake_sender final : public resources::sender {
public:
    fake_sender(asio::any_io_executor ex, int records, int limit_default = 20) : ex_(std::move(ex)), records_(records), default_limit_(limit_default) {}

    asio::awaitable<result<transport::response>> send(transport::request req) override {
        ++in_flight_;
        max_in_flight_ = std::max(max_in_flight_.load(), in_flight_.load());
        {
            std::lock_guard lock(mutex_);
            targets_.push_back(req.target);
        }
        auto wait = std::chrono::milliseconds(2);
        co_await test::sleep_for(wait);
        --in_flight_;
        if (fail_page_ > 0 && req.target.find("page=" + std::to_string(fail_page_)) != std::string::npos) {
            transport::response r;
            r.status = 500;
            r.body = R"({"result":"failed","code":500,"message":"Internal Server Error"})";
            co_return r;
        }
        co_return answer(req);
    }

    asio::any_io_executor executor() const override { return ex_; }

    int fail_page_ = 0;
    std::atomic<int> in_flight_{0}, max_in_flight_{0};
    std::mutex mutex_;
    std::vector<std::string> targets_;

private:
    transport::response answer(const transport::request& req) const {
        transport::response r;
        r.status = 200;
        auto url = boost::urls::parse_origin_form(req.target);
        std::int64_t page = 1, limit = default_limit_;
        for (auto p : url->params()) {
            if (p.key == "page") page = std::stoll(std::string(p.value));
            if (p.key == "limit") limit = std::stoll(std::string(p.value));
        }
        if (req.method == transport::verb::post) {
            r.status = 202;
            r.body = R"({"code":202,"result":"successful","id":"77"})";
            return r;
        }
        if (req.target.find("/api2/taxes/") == 0) {
            r.body = R"({"code":200,"result":"successful","data":{"Tax":{"id":"5","name":"VAT","value":"14"}}})";
            return r;
        }
        boost::json::array data;
        for (std::int64_t i = (page - 1) * limit; i < std::min<std::int64_t>(page * limit, records_); ++i)
            data.push_back(boost::json::object{{"Tax", boost::json::object{{"id", std::to_string(i + 1)}, {"name", "t"}}}});
        std::int64_t pages = (records_ + limit - 1) / limit;
        boost::json::object body{{"code", 200}, {"result", "successful"}, {"data", std::move(data)},
                                 {"pagination", boost::json::object{{"page", page}, {"page_count", pages}, {"total_results", records_}}}};
        r.body = boost::json::serialize(body);
        return r;
    }

    asio::any_io_executor ex_;
    int records_;
    int default_limit_;
};

asio::awaitable<std::vector<result<tax>>> drain(resources::pager<tax> it) {
    std::vector<result<tax>> out;
    while (auto r = co_await it.next()) out.push_back(std::move(*r));
    co_return out;
}

struct position {
    std::int64_t page, page_count, total;
};

// The pager's position as each record comes out.
asio::awaitable<std::vector<position>> positions(resources::pager<tax> it) {
    std::vector<position> out;
    while (auto r = co_await it.next()) out.push_back({it.current_page(), it.page_count(), it.total_results()});
    co_return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(typed_calls)

BOOST_AUTO_TEST_CASE(crud_calls) {
    asio::io_context io;
    auto shared = std::make_shared<fake_sender>(io.get_executor(), 3);
    fake_sender& s = *shared;
    resource<tax> taxes(shared, resources::taxes);
    auto got = test::run(io, [&]() -> asio::awaitable<result<tax>> { co_return co_await taxes.get(5); }());
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(*got->value == 14.0);
    tax t;
    t.name = "VAT";
    auto id = test::run(io, [&]() -> asio::awaitable<result<created>> { co_return co_await taxes.create(t); }());
    BOOST_TEST_REQUIRE(id.has_value());
    BOOST_TEST(id->id == 77);
    BOOST_TEST(id->number.empty());
    query q;
    q.limit = 2;
    auto page = test::run(io, [&]() -> asio::awaitable<result<daftra::page<tax>>> { co_return co_await taxes.list(q); }());
    BOOST_TEST_REQUIRE(page.has_value());
    BOOST_TEST(page->items.size() == 2u);
    BOOST_TEST(page->page_count == 2);
    auto first = test::run(io, [&]() -> asio::awaitable<result<daftra::page<tax>>> { co_return co_await taxes.list(); }());
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->items.size() == 3u);
    resource<staff_member> staff(shared, resources::staff);
    auto refused = test::run(io, [&]() -> asio::awaitable<result<deleted>> { co_return co_await staff.remove(1); }());
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST((refused.error().kind == error_kind::invalid_argument));
    BOOST_TEST(s.targets_.size() == 4u);  // the refused call sent nothing
}

BOOST_AUTO_TEST_CASE(all_pages_in_order) {
    for (int records : {0, 1, 20, 21, 95}) {
        for (unsigned parallel : {1u, 4u}) {
            asio::io_context io;
            auto shared = std::make_shared<fake_sender>(io.get_executor(), records);
            fake_sender& s = *shared;
            resource<tax> taxes(shared, resources::taxes);
            query q;
            q.limit = 10;
            const auto streamed_before = resources::streamed_answers();
            auto items = test::run(io, drain(taxes.all(q, {.parallel_pages = parallel})), 3);
            // every page went through the streaming decoder, as list() does
            const auto streamed = resources::streamed_answers() - streamed_before;
            BOOST_TEST_REQUIRE(items.size() == static_cast<std::size_t>(records), records << " records");
            for (int i = 0; i < records; ++i) {
                BOOST_TEST_REQUIRE(items[i].has_value());
                BOOST_TEST(*items[i]->id == i + 1);
            }
            int pages = std::max(1, (records + 9) / 10);
            BOOST_TEST(s.targets_.size() == static_cast<std::size_t>(pages), records << " records");
            BOOST_TEST(streamed == static_cast<std::uint64_t>(pages), records << " records");
            if (parallel == 1u) BOOST_TEST(s.max_in_flight_.load() <= 1);
            if (parallel == 4u && pages > 4) BOOST_TEST(s.max_in_flight_.load() > 1);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_range_reports_its_position) {
    asio::io_context io;
    auto shared = std::make_shared<fake_sender>(io.get_executor(), 25);
    resource<tax> taxes(shared, resources::taxes);
    query q;
    q.limit = 10;
    resources::all_options o;
    o.parallel_pages = 3;
    auto seen = test::run(io, positions(taxes.all(q, o)), 2);
    BOOST_TEST_REQUIRE(seen.size() == 25u);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        BOOST_TEST(seen[i].page == static_cast<std::int64_t>(i / 10 + 1), "record " << i);
        BOOST_TEST(seen[i].page_count == 3);
        BOOST_TEST(seen[i].total == 25);
    }
    auto empty_sender = std::make_shared<fake_sender>(io.get_executor(), 0);
    resource<tax> none(empty_sender, resources::taxes);
    auto it = none.all(q);
    BOOST_TEST(it.current_page() == 0);
    BOOST_TEST(test::run(io, positions(std::move(it))).empty());
}

BOOST_AUTO_TEST_CASE(an_error_ends_the_range) {
    asio::io_context io;
    auto shared = std::make_shared<fake_sender>(io.get_executor(), 50);
    shared->fail_page_ = 3;
    resource<tax> taxes(shared, resources::taxes);
    query q;
    q.limit = 10;
    auto items = test::run(io, drain(taxes.all(q, {.parallel_pages = 3})), 2);
    BOOST_TEST_REQUIRE(items.size() == 21u);
    for (int i = 0; i < 20; ++i) BOOST_TEST(items[i].has_value());
    BOOST_TEST_REQUIRE(!items[20].has_value());
    BOOST_TEST((items[20].error().kind == error_kind::server));
}

BOOST_AUTO_TEST_CASE(abandoning_a_range_cancels_cleanly) {
    asio::io_context io;
    auto shared = std::make_shared<fake_sender>(io.get_executor(), 500);
    resource<tax> taxes(shared, resources::taxes);
    auto first = test::run(io, [&]() -> asio::awaitable<int> {
        auto it = taxes.all({}, {.parallel_pages = 8});
        int seen = 0;
        while (auto r = co_await it.next()) {
            if (++seen == 25) break;  // leave with pages still on their way
        }
        co_return seen;
    }());
    BOOST_TEST(first == 25);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace resource_test
