#pragma once
// The sender behind a scoped_client: the client's sender with call_options of its own.

#include "client_impl.hpp"

#include <memory>

namespace daftra::detail {

class scoped_sender final : public resources::sender, public std::enable_shared_from_this<scoped_sender> {
public:
    scoped_sender(std::shared_ptr<client_impl> client, call_options options)
        : client_(std::move(client)), options_(std::move(options)) {}

    boost::asio::awaitable<result<transport::response>> send(transport::request request) override {
        // This object owns options_ and the client: it stays alive until the call has finished.
        return client_->send_with(std::move(request), options_, shared_from_this());
    }
    boost::asio::any_io_executor executor() const override { return client_->executor(); }
    std::string base_url() const override { return client_->base_url(); }

    const std::shared_ptr<client_impl>& client() const noexcept { return client_; }
    const call_options& options() const noexcept { return options_; }

private:
    std::shared_ptr<client_impl> client_;
    call_options options_;
};

} // namespace daftra::detail
