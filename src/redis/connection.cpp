#include "daftra/redis/connection.hpp"

#include "link.hpp"

namespace daftra::redis {

connection::connection(boost::asio::any_io_executor ex, connection_options options)
    : link_(std::make_shared<detail::link>(std::move(ex), std::move(options), nullptr)) {}

namespace detail {

link_owner::~link_owner() {
    if (link_) link_->close();
}

link_owner& link_owner::operator=(link_owner&& other) noexcept {
    if (this != &other) {
        if (link_) link_->close();
        link_ = std::move(other.link_);
    }
    return *this;
}

} // namespace detail

connection::~connection() = default;
connection::connection(connection&&) noexcept = default;
connection& connection::operator=(connection&&) noexcept = default;

boost::asio::awaitable<result<reply>> connection::exec(command cmd) {
    return detail::link::exec(link_.get(), std::move(cmd), link_->options().command_timeout);
}

boost::asio::awaitable<result<reply>> connection::exec(command cmd, milliseconds timeout) {
    return detail::link::exec(link_.get(), std::move(cmd), timeout);
}

void connection::close() { link_->close(); }
connection_stats connection::stats() const { return link_->stats(); }
const connection_options& connection::options() const noexcept { return link_->options(); }
const boost::asio::any_io_executor& connection::get_executor() const noexcept { return link_->get_executor(); }

subscriber::subscriber(boost::asio::any_io_executor ex, connection_options options, message_handler on_message)
    : link_(std::make_shared<detail::link>(std::move(ex), std::move(options),
                                           on_message ? std::move(on_message) : [](std::string_view, std::string_view) {})) {}

subscriber::~subscriber() = default;
subscriber::subscriber(subscriber&&) noexcept = default;
subscriber& subscriber::operator=(subscriber&&) noexcept = default;

namespace {
boost::asio::awaitable<result<void>> confirmed(boost::asio::awaitable<result<reply>> sent) {
    auto r = co_await std::move(sent);
    if (!r) co_return r.error();
    co_return result<void>{};
}
} // namespace

boost::asio::awaitable<result<void>> subscriber::subscribe(std::string channel) {
    return confirmed(detail::link::subscribe(link_.get(), std::move(channel)));
}

void subscriber::close() { link_->close(); }
connection_stats subscriber::stats() const { return link_->stats(); }
const boost::asio::any_io_executor& subscriber::get_executor() const noexcept { return link_->get_executor(); }

} // namespace daftra::redis
