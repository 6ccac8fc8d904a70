#pragma once
// Everything the tool writes: JSON on stdout (indented or on one line, see json_format), and on
// stderr the progress of `list --all` and the confirmations of update/delete, both only when stderr
// is a terminal (scripts see only JSON), and notes and --verbose lines, always.

#include "cli/arguments.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daftra::cli {

class output {
public:
    /// Decides from isatty(stderr) whether progress and confirmations are shown, and prints JSON in
    /// `format`, or when none is given, pretty when stdout is a terminal and compact otherwise.
    explicit output(std::optional<json_format> format = std::nullopt);
    output(const output&) = delete;
    output& operator=(const output&) = delete;

    /// One JSON value on stdout, in the chosen format, ended by a new line and flushed.
    void print(const boost::json::value& v);
    /// One NDJSON line, compact whatever the format; stdout is flushed by flush() (once per page, not
    /// per record).
    void print_line(const boost::json::value& v);
    void flush();

    /// "page 3/10, 60 records" on one self-overwriting stderr line.
    void progress(std::int64_t page, std::int64_t page_count, std::int64_t records);
    /// Ends the progress line, if one was shown.
    void end_progress();

    /// A short confirmation on stderr ("deleted invoices 12").
    void confirm(std::string_view text);
    /// "daftra: <text>" on stderr, terminal or not: what a script should see although the command
    /// succeeded (a delete that found the record already gone).
    void note(std::string_view text);
    /// One line of --verbose on stderr, terminal or not (the progress line is ended first).
    void trace(std::string_view text);

private:
    bool terminal_;         // stderr is a terminal
    bool stdout_terminal_;  // stdout too: records and the progress line share the screen
    json_format format_;
    bool progress_shown_ = false;
    std::string line_;  // reused for every record of a long listing
};

} // namespace daftra::cli
