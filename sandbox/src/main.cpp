// daftra-sandbox: command-line front end of the sandbox server library.
#include "daftra/sandbox/server.hpp"

#include <boost/json/parse.hpp>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sb = daftra::sandbox;

namespace {

void usage(const sb::options& d) {
    const auto& c = d.creds;
    std::cout <<
        R"(Usage: daftra-sandbox [options]

A local server that behaves like the Daftra REST API (v1 /api2/..., v2 /v2/api/entity/...),
for tests, examples and benchmarks. When ready it prints one line on stdout:
  daftra-sandbox listening on https://127.0.0.1:PORT

Listening:
  --host ADDR              address to bind (default )" << d.host << R"()
  --port N                 port; 0 picks a free one (default 0)
  --plain                  plain HTTP instead of HTTPS
  --cert FILE --key FILE   serve this PEM certificate chain and key (default: generate one at start)
  --write-ca FILE          write the generated CA certificate (what clients must trust) to FILE
  --threads N              server threads (default )" << d.threads << R"()
  --idle-timeout SECONDS   close idle keep-alive connections (default )" << d.idle_timeout.count() << R"()
  --max-body-bytes N       larger request bodies get 413 (default )" << d.max_body_bytes << R"()
  --log                    one line per request on stderr (method, target, status, time)
  --no-gzip                never compress answers (default: answers of 1 KiB or more are sent with
                           Content-Encoding: gzip when the request's Accept-Encoding allows gzip)

Credentials (token endpoint POST /api2/oauth/token or /v2/oauth/token; JSON, form or multipart body):
  --client-id ID           (default )" << c.client_id << R"()
  --client-secret SECRET   (default )" << c.client_secret << R"()
  --username USER          (default )" << c.username << R"()
  --password PASS          (default )" << c.password << R"()
  --api-key KEY            accepted in an `apikey` header (default )" << c.api_key << R"()
  --token-ttl SECONDS      access token lifetime (default )" << d.token_ttl.count() << R"()
  --no-auth                accept every request without credentials

Data:
  --data FILE              load the store from FILE at start (if it exists), save it there at shutdown
  --numbers-as-strings     answer every number as a string, as CakePHP back ends do

Fault injection (also at run time: POST /__sandbox/faults with the same names in JSON):
  --seed N                 seed of every random draw; same seed + same requests = same faults (default )" << d.seed << R"()
  --latency-ms N           delay every answer by N ms
  --latency-max-ms N       random delay between --latency-ms and N ms
  --error-rate R           answer with --error-status at rate R (0..1)
  --error-status S         500, 502 or 503 (default 500)
  --rate-limit-rate R      answer 429 at rate R, with Retry-After
  --retry-after N          Retry-After seconds (default 1)
  --retry-after-date       send Retry-After as an HTTP-date instead of seconds
  --close-after K          close each connection after K answers (no Connection: close)
  --stall-rate R           read the request, never answer
  --reset-rate R           send headers and half the body, then reset the connection
  --truncate-rate R        send headers and half the body, then close
  --malformed-rate R       answer 200 with a body that is not valid JSON
  --fault-path PREFIX      only requests whose path starts with PREFIX
  --fault-method M         only requests with method M
  --fault-times N          stop after N faulted requests
  --faults JSON            all of the above as one JSON object

Admin endpoints (no credentials needed; not counted, never faulted):
  GET  /__sandbox/stats    requests, token_requests (token_bodies: by encoding), connections_accepted,
                           creates per resource, status counts
  POST /__sandbox/reset    empty the store, zero the statistics, clear faults (?tokens=1 also revokes tokens)
  GET|POST|PUT /__sandbox/faults   read, replace (POST) or merge (PUT) the fault configuration
  POST /__sandbox/revoke-tokens    forget every issued token (clients get 401 until they log in again)
  GET  /__sandbox/data     the whole store as JSON

Stop with SIGINT or SIGTERM.

Running a command against it:
  daftra-sandbox [options] -- COMMAND [ARGS...]
                           start the sandbox, run COMMAND with DAFTRA_BASE_URL, DAFTRA_CA_FILE and the
                           sandbox's credentials (DAFTRA_API_KEY, DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET,
                           DAFTRA_USERNAME, DAFTRA_PASSWORD) in its environment, stop the sandbox, and
                           exit with COMMAND's status (128 + N when a signal N ended it). For tests:
                           add_test(NAME t COMMAND daftra::daftra-sandbox -- $<TARGET_FILE:my_test>)
)";
}

[[noreturn]] void die(const std::string& msg) {
    std::cerr << "daftra-sandbox: " << msg << "\n";
    std::exit(2);
}

template <class T>
T number(std::string_view flag, std::string_view v) {
    T out{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{} || p != v.data() + v.size()) die("bad value for " + std::string(flag) + ": " + std::string(v));
    return out;
}

double rate(std::string_view flag, std::string_view v) {
    double d = number<double>(flag, v);
    if (!(d >= 0 && d <= 1)) die(std::string(flag) + " must be between 0 and 1");
    return d;
}

// Runs `command` (argv style, PATH searched) with the sandbox's address and credentials added to the
// environment, and returns its exit status. The child gets default signal handling back: this process
// blocks SIGINT/SIGTERM and ignores SIGPIPE, and both would otherwise be inherited.
int run_command(char** command, const sb::server& srv, const sb::options& opt, const std::string& ca_file) {
    auto set = [](const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); };
    set("DAFTRA_BASE_URL", srv.url());
    if (!ca_file.empty()) set("DAFTRA_CA_FILE", ca_file);
    else ::unsetenv("DAFTRA_CA_FILE");
    set("DAFTRA_API_KEY", opt.creds.api_key);
    set("DAFTRA_CLIENT_ID", opt.creds.client_id);
    set("DAFTRA_CLIENT_SECRET", opt.creds.client_secret);
    set("DAFTRA_USERNAME", opt.creds.username);
    set("DAFTRA_PASSWORD", opt.creds.password);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, command[0], nullptr, &attr, command, environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        std::cerr << "daftra-sandbox: cannot run " << command[0] << ": " << std::strerror(rc) << "\n";
        return 127;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 127;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    sb::options opt;
    std::string write_ca;
    char** command = nullptr;  // after `--`: run it against the sandbox, then stop
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") {
            if (i + 1 >= argc) die("-- needs a command to run");
            command = argv + i + 1;
            break;
        }
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) die(std::string(a) + " needs a value");
            return argv[++i];
        };
        auto& f = opt.faults;
        if (a == "--help" || a == "-h") {
            usage(sb::options{});
            return 0;
        } else if (a == "--host") opt.host = value();
        else if (a == "--port") opt.port = number<std::uint16_t>(a, value());
        else if (a == "--plain") opt.tls = false;
        else if (a == "--cert") opt.cert_file = value();
        else if (a == "--key") opt.key_file = value();
        else if (a == "--write-ca") write_ca = value();
        else if (a == "--threads") opt.threads = number<unsigned>(a, value());
        else if (a == "--idle-timeout") opt.idle_timeout = std::chrono::seconds(number<unsigned>(a, value()));
        else if (a == "--max-body-bytes") opt.max_body_bytes = number<std::size_t>(a, value());
        else if (a == "--client-id") opt.creds.client_id = value();
        else if (a == "--client-secret") opt.creds.client_secret = value();
        else if (a == "--username") opt.creds.username = value();
        else if (a == "--password") opt.creds.password = value();
        else if (a == "--api-key") opt.creds.api_key = value();
        else if (a == "--token-ttl") opt.token_ttl = std::chrono::seconds(number<unsigned>(a, value()));
        else if (a == "--no-auth") opt.require_auth = false;
        else if (a == "--log") opt.log_requests = true;
        else if (a == "--no-gzip") opt.gzip = false;
        else if (a == "--data") opt.data_file = value();
        else if (a == "--numbers-as-strings") opt.numbers_as_strings = true;
        else if (a == "--seed") opt.seed = number<std::uint64_t>(a, value());
        else if (a == "--latency-ms") f.latency_ms = number<std::uint32_t>(a, value());
        else if (a == "--latency-max-ms") f.latency_max_ms = number<std::uint32_t>(a, value());
        else if (a == "--error-rate") f.error_rate = rate(a, value());
        else if (a == "--error-status") {
            f.error_status = number<unsigned>(a, value());
            if (f.error_status < 400 || f.error_status > 599) die("--error-status must be an HTTP error status (400-599)");
        }
        else if (a == "--rate-limit-rate") f.rate_limit_rate = rate(a, value());
        else if (a == "--retry-after") f.retry_after_seconds = number<std::uint32_t>(a, value());
        else if (a == "--retry-after-date") f.retry_after_http_date = true;
        else if (a == "--close-after") f.close_after = number<std::uint32_t>(a, value());
        else if (a == "--stall-rate") f.stall_rate = rate(a, value());
        else if (a == "--reset-rate") f.reset_rate = rate(a, value());
        else if (a == "--truncate-rate") f.truncate_rate = rate(a, value());
        else if (a == "--malformed-rate") f.malformed_rate = rate(a, value());
        else if (a == "--fault-path") f.path_prefix = value();
        else if (a == "--fault-method") f.method = value();
        else if (a == "--fault-times") f.times = number<std::uint64_t>(a, value());
        else if (a == "--faults") {
            boost::system::error_code ec;
            auto v = boost::json::parse(value(), ec);
            if (ec) die("--faults: " + ec.message());
            try {
                f = sb::fault_config_from_json(v, f);
            } catch (const std::exception& e) {
                die(e.what());
            }
        } else die("unknown option " + std::string(a) + " (see --help)");
    }
    if (opt.threads == 0) die("--threads must be at least 1");

    // Signals are taken by this thread only (sigwait below); server threads inherit the mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try {
        sb::server srv(opt);
        // A command run against the sandbox needs the CA; without --write-ca it goes to a scratch file.
        std::string scratch_ca;
        if (command && write_ca.empty() && !srv.ca_pem().empty()) {
            char name[] = "/tmp/daftra-sandbox-ca-XXXXXX";
            int fd = ::mkstemp(name);
            if (fd < 0) die("cannot create a scratch CA file in /tmp");
            ::close(fd);
            scratch_ca = write_ca = name;
        }
        if (!write_ca.empty()) {
            if (srv.ca_pem().empty()) die("--write-ca needs a generated certificate (not with --plain or --cert)");
            std::ofstream out(write_ca, std::ios::trunc);
            out << srv.ca_pem();
            if (!out) die("cannot write " + write_ca);
        }
        srv.start();
        if (command) {
            std::cerr << "daftra-sandbox listening on " << srv.url() << ", running " << command[0] << std::endl;
            int status = run_command(command, srv, opt, srv.ca_pem().empty() ? std::string{} : write_ca);
            srv.stop();
            if (!scratch_ca.empty()) std::remove(scratch_ca.c_str());
            return status;
        }
        std::cout << "daftra-sandbox listening on " << srv.url() << std::endl;
        int sig = 0;
        sigwait(&set, &sig);
        std::cerr << "daftra-sandbox: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping\n";
        srv.stop();
    } catch (const std::exception& e) {
        die(e.what());
    }
    return 0;
}
