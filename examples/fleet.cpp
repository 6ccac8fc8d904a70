// A fleet: P processes of one account share one token and one rate budget through Redis.
//
//   fleet --processes P --callers C --seconds S [--rate R]
//
// Starts P worker processes (this program again, with --worker); each makes one daftra::client whose
// options.fleet comes from DAFTRA_REDIS_URL (daftra::redis::fleet_from_environment) and runs C
// coroutines calling a read-only endpoint (site info) for S seconds. With --rate R the processes share a
// budget of R requests per second (burst R/10) between them. Prints one JSON line,
//   {"processes":P,"calls":N,"errors":E,"seconds":S}
// and exits 1 when E > 0. Credentials: the usual DAFTRA_* variables (examples/common/example.hpp);
// without DAFTRA_REDIS_URL every process runs alone.

#include "common/example.hpp"

#include <boost/asio/detached.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

extern char** environ;

namespace asio = boost::asio;

namespace {

struct settings {
    int processes = 2;
    int callers = 50;
    double seconds = 5;
    double rate = 0;
    bool worker = false;
    long long start_at_ms = 0;  // the workers' common start (ms since the epoch): their runs cover the same S seconds
};

int usage() {
    std::cerr << "usage: fleet --processes P --callers C --seconds S [--rate R]   (P, C > 0; S > 0; R > 0)\n";
    return 2;
}

bool parse(int argc, char** argv, settings& s) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--worker") { s.worker = true; continue; }
        if (i + 1 >= argc) return false;
        const char* v = argv[++i];
        if (a == "--start-at") s.start_at_ms = std::atoll(v);
        else if (a == "--processes") s.processes = std::atoi(v);
        else if (a == "--callers") s.callers = std::atoi(v);
        else if (a == "--seconds") s.seconds = std::atof(v);
        else if (a == "--rate") s.rate = std::atof(v);
        else return false;
    }
    return s.processes > 0 && s.callers > 0 && s.seconds > 0 && s.rate >= 0;
}

// One worker process: C callers for S seconds; prints "calls errors" on one line.
int work(const settings& s) {
    asio::io_context io;
    daftra::client_options options = example::options_from_env();  // options.fleet from DAFTRA_REDIS_URL
    if (s.rate > 0) {
        options.rate_limit.requests_per_second = s.rate;
        options.rate_limit.burst = static_cast<std::size_t>(std::max(1.0, s.rate / 10));
    }
    daftra::client api(io.get_executor(), example::credentials_from_env(), options);
    long calls = 0, errors = 0;
    int running = s.callers;
    // Every worker starts at the parent's chosen moment, so that together they run S seconds, not S plus
    // the time it took to start them all.
    const auto start_in = std::chrono::system_clock::time_point(std::chrono::milliseconds(s.start_at_ms)) -
                          std::chrono::system_clock::now();
    if (start_in > std::chrono::system_clock::duration::zero()) std::this_thread::sleep_for(start_in);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                             std::chrono::duration<double>(s.seconds));
    for (int c = 0; c < s.callers; ++c)
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            while (std::chrono::steady_clock::now() < end) {
                auto r = co_await api.site_info();
                ++calls;
                if (!r && errors++ < 3) std::cerr << "fleet worker " << getpid() << ": " << r.error().describe() << "\n";
            }
            if (--running == 0) api.shutdown();  // the token source and the connections let run() return
        }, asio::detached);
    io.run();
    std::printf("%ld %ld\n", calls, errors);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    settings s;
    if (!parse(argc, argv, s)) return usage();
    if (s.worker) {
        int status = 0;
        const int failed = example::exit_status_of([&] { status = work(s); });
        return failed ? failed : status;
    }

    // The parent: P copies of this program with --worker, each with its stdout on a pipe.
    struct child {
        pid_t pid = -1;
        FILE* out = nullptr;
    };
    std::vector<child> children;
    std::vector<std::string> args;
    for (int i = 0; i < argc; ++i) args.emplace_back(argv[i]);
    args.emplace_back("--worker");
    args.emplace_back("--start-at");
    const auto start_at = std::chrono::system_clock::now() + std::chrono::milliseconds(500 + 50 * s.processes);
    args.emplace_back(std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(start_at.time_since_epoch()).count()));
    std::vector<char*> child_argv;
    for (auto& a : args) child_argv.push_back(a.data());
    child_argv.push_back(nullptr);
    for (int p = 0; p < s.processes; ++p) {
        int fds[2];
        if (pipe(fds) != 0) return 1;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        child c;
        const int rc = posix_spawn(&c.pid, "/proc/self/exe", &actions, nullptr, child_argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        if (rc != 0) {
            std::cerr << "fleet: cannot start a worker\n";
            return 1;
        }
        c.out = fdopen(fds[0], "r");
        children.push_back(c);
    }
    long calls = 0, errors = 0;
    bool failed = false;
    for (auto& c : children) {
        long n = 0, e = 0;
        if (std::fscanf(c.out, "%ld %ld", &n, &e) != 2) failed = true;
        std::fclose(c.out);
        int status = 0;
        waitpid(c.pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = true;
        calls += n;
        errors += e;
    }
    std::cout << "{\"processes\":" << s.processes << ",\"calls\":" << calls << ",\"errors\":" << errors
              << ",\"seconds\":" << s.seconds << "}" << std::endl;
    return failed || errors > 0 ? 1 : 0;
}
