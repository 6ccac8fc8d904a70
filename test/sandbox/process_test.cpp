// The daftra-sandbox executable: flags, the ready line, TLS with --write-ca, --data, signals.
#define BOOST_TEST_MODULE sandbox_process
#include <boost/test/unit_test.hpp>

#include "http_client.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sandbox_test;

namespace {

struct process {
    pid_t pid = -1;
    int out = -1;
    std::string buffered;

    explicit process(std::vector<std::string> args) {
        args.insert(args.begin(), DAFTRA_SANDBOX_EXE);
        int fds[2];
        BOOST_REQUIRE(::pipe(fds) == 0);
        pid = ::fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            ::close(fds[1]);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        out = fds[0];
    }
    ~process() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (out >= 0) ::close(out);
    }

    // Everything written to stdout until `stop` is seen, EOF, or `timeout`: a hang guard, generous for
    // a sandbox making its certificate on a loaded machine under a sanitizer.
    std::string read_until(const std::string& stop, std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (buffered.find(stop) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0) break;
            pollfd p{out, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
            char buf[4096];
            auto n = ::read(out, buf, sizeof buf);
            if (n <= 0) break;
            buffered.append(buf, static_cast<std::size_t>(n));
        }
        return buffered;
    }

    int wait_exit() {
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    std::uint16_t ready_port(const std::string& scheme) {
        auto text = read_until("\n");
        const std::string prefix = "daftra-sandbox listening on " + scheme + "://127.0.0.1:";
        BOOST_REQUIRE_MESSAGE(text.starts_with(prefix), text);
        return static_cast<std::uint16_t>(std::stoi(text.substr(prefix.size())));
    }
};

std::string slurp(const std::string& file) {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string temp(const std::string& name) { return "/tmp/daftra-sandbox-" + std::to_string(::getpid()) + "-" + name; }

} // namespace

BOOST_AUTO_TEST_CASE(help_documents_the_flags_and_defaults) {
    process p({"--help"});
    auto text = p.read_until("SIGTERM");
    BOOST_TEST(p.wait_exit() == 0);
    for (const char* s : {"--port", "--plain", "--write-ca", "--cert", "--threads", "--client-id", "--client-secret", "--username",
                          "--password", "--api-key", "--token-ttl", "--data", "--numbers-as-strings", "--seed", "--error-rate",
                          "--close-after", "--stall-rate", "--reset-rate", "--truncate-rate", "--malformed-rate", "--retry-after-date",
                          "/__sandbox/faults", "sandbox-api-key", "sandbox-secret", "3600"})
        BOOST_TEST(text.find(s) != std::string::npos, s);
}

BOOST_AUTO_TEST_CASE(bad_flags_exit_2) {
    process p({"--no-such-flag"});
    BOOST_TEST(p.wait_exit() == 2);
    process q({"--error-rate", "7"});
    BOOST_TEST(q.wait_exit() == 2);
}

BOOST_AUTO_TEST_CASE(tls_with_the_written_ca_and_clean_sigterm) {
    auto ca_file = temp("ca.pem");
    process p({"--port", "0", "--write-ca", ca_file, "--threads", "2"});
    auto port = p.ready_port("https");
    auto ca = slurp(ca_file);
    BOOST_REQUIRE(ca.find("BEGIN CERTIFICATE") != std::string::npos);

    client c(port, true, ca);
    auto tok = c.post("/v2/oauth/token", R"({"client_id": "1", "client_secret": "sandbox-secret", "grant_type": "password", "username": "user@example.com", "password": "sandbox-password"})");
    BOOST_REQUIRE_MESSAGE(tok.status == 200, tok.error << tok.body);
    auto token = std::string(boost::json::parse(tok.body).at("access_token").as_string());
    c.default_headers = {{"Authorization", "Bearer " + token}};
    BOOST_TEST(c.get("/api2/site_info.json").status == 200);
    BOOST_TEST(c.post("/api2/clients.json", R"({"Client": {"business_name": "TLS"}})").status == 202);
    BOOST_TEST(c.get("/api2/clients.json").status == 200);
    BOOST_TEST(c.connects() == 1);  // keep-alive over TLS

    // A client that does not trust the CA fails the handshake.
    client untrusting(port, true, "");
    BOOST_TEST(untrusting.get("/api2/clients.json").status == 0);

    ::kill(p.pid, SIGTERM);
    BOOST_TEST(p.wait_exit() == 0);
    auto text = p.read_until("never");
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);  // exactly one line on stdout
    std::remove(ca_file.c_str());
}

BOOST_AUTO_TEST_CASE(data_file_and_fault_flags) {
    auto data = temp("data.json");
    std::remove(data.c_str());
    {
        process p({"--plain", "--port", "0", "--data", data, "--api-key", "k"});
        client c(p.ready_port("http"));
        c.default_headers = {{"apikey", "k"}};
        BOOST_TEST(c.post("/api2/products.json", R"({"Product": {"name": "Saved"}})").status == 202);
        ::kill(p.pid, SIGINT);
        BOOST_TEST(p.wait_exit() == 0);
    }
    BOOST_TEST(slurp(data).find("Saved") != std::string::npos);
    {
        process p({"--plain", "--port", "0", "--data", data, "--api-key", "k", "--error-rate", "1", "--error-status", "502",
                   "--fault-method", "POST", "--numbers-as-strings"});
        client c(p.ready_port("http"));
        c.default_headers = {{"apikey", "k"}};
        auto r = c.get("/api2/products/1.json");
        BOOST_REQUIRE_EQUAL(r.status, 200);
        auto v = boost::json::parse(r.body);
        BOOST_TEST(v.at("data").at("Product").at("name").as_string() == "Saved");
        BOOST_TEST(v.at("data").at("Product").at("id").as_string() == "1");
        BOOST_TEST(c.post("/api2/products.json", R"({"Product": {"name": "X"}})").status == 502);
        ::kill(p.pid, SIGTERM);
        BOOST_TEST(p.wait_exit() == 0);
    }
    std::remove(data.c_str());
}

// `daftra-sandbox -- COMMAND`: the command sees the sandbox's address, CA and credentials, its exit status
// is the sandbox's, and the scratch CA file is gone afterwards.
BOOST_AUTO_TEST_CASE(runs_a_command_against_itself) {
    auto seen = temp("seen.txt");
    process p({"--api-key", "run-key", "--", "/bin/sh", "-c",
               "echo \"$DAFTRA_BASE_URL|$DAFTRA_CA_FILE|$DAFTRA_API_KEY|$DAFTRA_USERNAME\" > " + seen +
                   "; test -s \"$DAFTRA_CA_FILE\" || exit 9; exit 7"});
    BOOST_TEST(p.wait_exit() == 7);
    auto text = slurp(seen);
    BOOST_TEST(text.starts_with("https://127.0.0.1:"), text);
    BOOST_TEST(text.find("|run-key|user@example.com") != std::string::npos, text);
    auto ca_file = text.substr(text.find('|') + 1);
    ca_file = ca_file.substr(0, ca_file.find('|'));
    BOOST_TEST(!ca_file.empty());
    BOOST_TEST(::access(ca_file.c_str(), F_OK) != 0, "the scratch CA file is removed: " << ca_file);
    std::remove(seen.c_str());

    process killed({"--", "/bin/sh", "-c", "kill -TERM $$"});
    BOOST_TEST(killed.wait_exit() == 128 + SIGTERM);
    process missing({"--", "/no/such/program"});
    BOOST_TEST(missing.wait_exit() == 127);
    process nothing({"--"});
    BOOST_TEST(nothing.wait_exit() == 2);
}
