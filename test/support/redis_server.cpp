#include "redis_server.hpp"

#include "daftra/sandbox/certificates.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace daftra::test {
namespace {

std::uint16_t free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("redis_server: no free port");
    ::close(fd);
    return ntohs(a.sin_port);
}

bool socket_answers(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path.copy(a.sun_path, sizeof a.sun_path - 1);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace

redis_server::redis_server(redis_server_options options) : options_(std::move(options)) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "daftra-redis-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("redis_server: mkdtemp failed");
    dir_ = tmpl;
    socket_ = dir_ + "/redis.sock";
    port_ = free_port();
    if (options_.tls) {
        tls_port_ = free_port();
        auto id = daftra::sandbox::generate_identity({"localhost", "127.0.0.1"});
        ca_file_ = dir_ + "/ca.pem";
        cert_file_ = dir_ + "/cert.pem";
        key_file_ = dir_ + "/key.pem";
        write_file(ca_file_, id.ca_cert_pem);
        write_file(cert_file_, id.cert_pem);
        write_file(key_file_, id.key_pem);
    }
    start();
}

redis_server::~redis_server() {
    kill();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string redis_server::unix_url() const { return "unix://" + socket_; }
std::string redis_server::tcp_url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
std::string redis_server::tls_url() const { return "rediss://127.0.0.1:" + std::to_string(tls_port_); }

void redis_server::start() {
    if (pid_ > 0) return;
    std::vector<std::string> args{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                  "--unixsocket", socket_, "--dir", dir_, "--save", "", "--appendonly", "no",
                                  "--daemonize", "no", "--loglevel", "warning", "--logfile", dir_ + "/redis.log"};
    if (!options_.password.empty()) args.insert(args.end(), {"--requirepass", options_.password});
    if (options_.tls)
        args.insert(args.end(), {"--tls-port", std::to_string(tls_port_), "--tls-cert-file", cert_file_,
                                 "--tls-key-file", key_file_, "--tls-ca-cert-file", ca_file_, "--tls-auth-clients", "no"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawnp(&pid, "redis-server", nullptr, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("redis_server: cannot start redis-server (Debian: apt-get install redis-server)");
    pid_ = pid;
    // A restart may find the old socket file still there: wait for the new server to answer on it.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!socket_answers(socket_)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("redis_server: redis-server exited at start (see " + dir_ + "/redis.log)");
        }
        if (std::chrono::steady_clock::now() > until) throw std::runtime_error("redis_server: no answer within 20 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void redis_server::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    ::unlink(socket_.c_str());
}

} // namespace daftra::test
