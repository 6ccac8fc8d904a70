#pragma once
// The value of a successful delete (resource::remove).

#include <string>

namespace daftra {

/// A delete that succeeded: the record is not on the server any more.
struct deleted {
    /// False (the default): the server answered this call's DELETE with success.
    ///
    /// True: the call's last attempt was answered "not found" (404), but an earlier attempt of the same
    /// call may have reached the server without a definite answer: its answer was lost or cut short,
    /// it timed out, or a gateway answered 502 or 504 (transport::response::after_unknown_outcome).
    /// That earlier attempt most likely deleted the record, so the SDK reports success, not
    /// error_kind::not_found. It cannot prove it: if the record never existed, this is how that looks
    /// too. A 404 on the first attempt, or after attempts that were answered definitely (503, 429, 408)
    /// or provably never sent, stays error_kind::not_found.
    bool already_gone = false;
    /// The answer's `message`, when it carries one (invoice payments: "Payment has been deleted").
    /// Empty otherwise, and when already_gone.
    std::string message;
};

} // namespace daftra
