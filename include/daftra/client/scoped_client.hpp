#pragma once
// daftra::scoped_client: a client's resources and calls with call_options of their own, made by
// client::with(). Cheap to copy; it shares the client's connections, tokens and rate limits.

#include "daftra/client/call_options.hpp"
#include "daftra/client/client_base.hpp"

#include <memory>

namespace daftra {

namespace detail { class scoped_sender; }

class scoped_client : public client_base {
public:
    /// The options of the calls made through this handle.
    const call_options& options() const noexcept;

    /// A handle narrower still: the fields set in `more` replace these, except that of two deadlines
    /// the earlier one applies.
    scoped_client with(const call_options& more) const;

private:
    friend class client;
    explicit scoped_client(std::shared_ptr<detail::scoped_sender> s);

    std::shared_ptr<detail::scoped_sender> scope_;
};

} // namespace daftra
