// daftra::scoped_client: client::with()'s handle.

#include "daftra/client/scoped_client.hpp"

#include "scoped_sender.hpp"

namespace daftra {

scoped_client::scoped_client(std::shared_ptr<detail::scoped_sender> s) : client_base(s), scope_(std::move(s)) {}

const call_options& scoped_client::options() const noexcept { return scope_->options(); }

scoped_client scoped_client::with(const call_options& more) const {
    call_options merged = scope_->options();
    if (more.timeout) merged.timeout = more.timeout;
    if (more.deadline) merged.deadline = merged.deadline ? std::min(*merged.deadline, *more.deadline) : *more.deadline;
    if (more.retry) merged.retry = more.retry;
    return scoped_client(std::make_shared<detail::scoped_sender>(scope_->client(), std::move(merged)));
}

} // namespace daftra
