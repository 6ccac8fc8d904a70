#pragma once
// A command line the tool cannot act on. main() prints it with a hint and exits with status 2;
// nothing has been sent when one is thrown.

#include <stdexcept>
#include <string>

namespace daftra::cli {

class usage_error : public std::runtime_error {
public:
    /// `help_command` is the help to point at, e.g. "daftra invoices list --help".
    explicit usage_error(const std::string& message, std::string help_command = "daftra --help")
        : std::runtime_error(message), help_command_(std::move(help_command)) {}

    const std::string& help_command() const noexcept { return help_command_; }

private:
    std::string help_command_;
};

} // namespace daftra::cli
