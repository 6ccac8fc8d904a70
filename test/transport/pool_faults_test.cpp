// Servers that misbehave: closing kept-alive connections, oversized, truncated or garbage answers,
// stalls. Each must give a typed error (or a transparent replay for idempotent calls), never a hang.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

namespace pool_faults_test {

using namespace daftra;
using namespace daftra::transport;
using namespace std::chrono_literals;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

const std::string ok_body = R"({"code":200,"result":"successful"})";

pool_options opts_for(const scripted_server& s) {
    pool_options o;
    o.tls.ca_file = s.ca_file();
    return o;
}

request make(verb m, std::string target = "/api2/invoices.json") {
    request r;
    r.method = m;
    r.target = std::move(target);
    if (m == verb::post || m == verb::put) r.body = R"({"Invoice":{"client_id":1}})";
    return r;
}

std::string kind(const result<response>& r) { return r ? "ok" : std::string(to_string(r.error().kind)); }

} // namespace

BOOST_AUTO_TEST_SUITE(pool_faults)

BOOST_AUTO_TEST_CASE(server_closing_after_k_answers_is_transparent) {
    // Answers normally but closes every connection after its 3rd answer, without saying so.
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.close_after = r.nth == 2;
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    int ok = run(io, [&]() -> asio::awaitable<int> {
        int n = 0;
        for (int i = 0; i < 30; ++i) {
            if ((co_await p.send(make(verb::get))).has_value()) ++n;
            if (i % 3 == 2) co_await daftra::test::sleep_for(5ms);  // let the FIN arrive
        }
        co_return n;
    }());
    BOOST_TEST(ok == 30);
    BOOST_TEST(server.connections_accepted() == 10u);
}

BOOST_AUTO_TEST_CASE(stale_connection_replays_idempotent_requests_only) {
    // The 3rd request on every connection is read and then the connection is dropped unanswered:
    // the race where a server closes a kept-alive connection just as a request goes out.
    auto script = [](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.close_without_answer = r.nth == 2;
        return a;
    };
    for (verb m : {verb::get, verb::put, verb::delete_}) {
        scripted_server server(script);
        asio::io_context io;
        std::vector<request_info> infos;
        auto o = opts_for(server);
        o.on_request = [&](const request_info& i) { infos.push_back(i); };
        pool p(io.get_executor(), server.origin(), o);
        int ok = run(io, [&]() -> asio::awaitable<int> {
            int n = 0;
            for (int i = 0; i < 3; ++i)
                if ((co_await p.send(make(m))).has_value()) ++n;
            co_return n;
        }());
        BOOST_TEST(ok == 3, "method " << boost::beast::http::to_string(m));
        BOOST_TEST(infos.back().replayed);
        BOOST_TEST(server.connections_accepted() == 2u);
    }

    scripted_server server(script);
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    auto last = run(io, [&]() -> asio::awaitable<result<response>> {
        for (int i = 0; i < 2; ++i) BOOST_TEST((co_await p.send(make(verb::post, "/api2/invoices.json?n=" + std::to_string(i)))).has_value());
        co_return co_await p.send(make(verb::post, "/api2/invoices.json?n=2"));
    }());
    BOOST_REQUIRE(last.has_error());
    BOOST_TEST(last.error().maybe_sent);
    BOOST_TEST(last.error().message.find("not sent again") != std::string::npos, last.error().message);
    // The server saw the third create exactly once.
    int seen_third = 0;
    for (const auto& r : server.requests()) seen_third += r.target == "/api2/invoices.json?n=2";
    BOOST_TEST(seen_third == 1);
    BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(a_replayed_answer_says_the_first_exchange_may_have_acted) {
    // The 2nd request on the first connection is read and dropped unanswered (the server may have acted
    // on it); its replay on a new connection is answered 404. A DELETE's 404 then means "already gone".
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = r.connection == 0 ? http_response(200, ok_body) : http_response(404, R"({"result":"failed","code":404})");
        a.close_without_answer = r.connection == 0 && r.nth == 1;
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    auto answers = run(io, [&]() -> asio::awaitable<std::vector<result<response>>> {
        std::vector<result<response>> out;
        for (int i = 0; i < 2; ++i) out.push_back(co_await p.send(make(verb::delete_)));
        co_return out;
    }());
    BOOST_TEST_REQUIRE(answers.size() == 2u);
    BOOST_TEST_REQUIRE(answers[0].has_value());
    BOOST_TEST(answers[0]->status == 200u);
    BOOST_TEST(!answers[0]->after_unknown_outcome);  // a first exchange
    BOOST_TEST_REQUIRE(answers[1].has_value(), kind(answers[1]));
    BOOST_TEST(answers[1]->status == 404u);
    BOOST_TEST(answers[1]->after_unknown_outcome);
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(body_over_the_limit) {
    const std::string big(4096, 'x');
    scripted_server server([&](const seen_request&) { return action{http_response(200, big)}; });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_response_body = 1024;
    pool p(io.get_executor(), server.origin(), o);
    auto r = run(io, p.send(make(verb::get)));
    BOOST_TEST(kind(r) == "protocol");
    BOOST_TEST(r.error().message.find("max_response_body") != std::string::npos);
    BOOST_TEST(p.stats().open == 0u);

    o.max_response_body = 8192;
    pool q(io.get_executor(), server.origin(), o);
    BOOST_TEST(kind(run(io, q.send(make(verb::get)))) == "ok");
}

BOOST_AUTO_TEST_CASE(truncated_body) {
    scripted_server server([](const seen_request&) {
        action a;
        a.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"data\":[1,2,3";
        a.close_after = true;
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    auto r = run(io, p.send(make(verb::get)));
    BOOST_TEST(kind(r) == "transport");  // the connection was lost mid-answer: retryable for idempotent calls
    BOOST_TEST(r.error().maybe_sent);
    BOOST_TEST(r.error().message.find("before the response was complete") != std::string::npos, r.error().message);
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(garbage_instead_of_http) {
    scripted_server server([](const seen_request&) {
        action a;
        a.bytes = "SSH-2.0-OpenSSH_9.2\r\nthis is not http at all\r\n\r\n";
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    auto r = run(io, p.send(make(verb::get)));
    BOOST_TEST(kind(r) == "protocol");
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(stalled_server_times_out_and_connection_is_discarded) {
    std::atomic<int> calls{0};
    scripted_server server([&](const seen_request&) {
        action a;
        a.stall = calls++ == 0;
        a.bytes = http_response(200, ok_body);
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.timeouts.response_header = 150ms;
    pool p(io.get_executor(), server.origin(), o);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = run(io, p.send(make(verb::get)));
    const auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST(kind(r) == "timeout");
    // The phase timeout ended it (not the call's 120 s deadline, nor the 60 s default), and not early.
    BOOST_TEST(r.error().message.find("timed out while waiting for the response header") != std::string::npos,
               r.error().message);
    BOOST_TEST((took >= 150ms));
    BOOST_TEST((took < 30s));  // a hang guard only: the server stalls for good
    BOOST_TEST(p.stats().open == 0u);
    // The next call gets a new connection and succeeds.
    BOOST_TEST(kind(run(io, p.send(make(verb::get)))) == "ok");
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(overall_deadline_bounds_the_call) {
    // The server never answers: only the deadline can end the call, whatever the machine's load.
    scripted_server server([](const seen_request&) {
        action a;
        a.stall = true;
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    send_options so;
    const auto t0 = std::chrono::steady_clock::now();
    so.deadline = t0 + 100ms;
    auto r = run(io, p.send(make(verb::get), so));
    const auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST(kind(r) == "timeout");
    BOOST_TEST(r.error().message.find("deadline") != std::string::npos, r.error().message);
    BOOST_TEST((took >= 100ms));
    BOOST_TEST((took < 30s));  // a hang guard, below the 60 s default phase timeouts
}

BOOST_AUTO_TEST_CASE(refused_connection) {
    // A port bound but not listening refuses connections, and stays ours while the socket is open (a
    // port freed by a server that has gone could be taken meanwhile by a parallel test).
    asio::io_context io;
    asio::ip::tcp::socket holder(io);
    holder.open(asio::ip::tcp::v4());
    holder.bind({asio::ip::make_address("127.0.0.1"), 0});
    const std::uint16_t port = holder.local_endpoint().port();
    pool p(io.get_executor(), "http://127.0.0.1:" + std::to_string(port));
    auto r = run(io, p.send(make(verb::get)));
    BOOST_TEST(kind(r) == "transport");
    BOOST_TEST(!r.error().maybe_sent);
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace pool_faults_test
