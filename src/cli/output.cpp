#include "cli/output.hpp"

#include "cli/json_text.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

namespace daftra::cli {

output::output(std::optional<json_format> format)
    : terminal_(::isatty(STDERR_FILENO) == 1),
      stdout_terminal_(::isatty(STDOUT_FILENO) == 1),
      format_(format.value_or(stdout_terminal_ ? json_format::pretty : json_format::compact)) {}

void output::print(const boost::json::value& v) {
    if (format_ == json_format::compact) {
        print_line(v);
    } else {
        end_progress();
        line_.clear();
        append_json_pretty(line_, v);
        line_ += '\n';
        std::cout << line_;
    }
    flush();
}

void output::print_line(const boost::json::value& v) {
    if (progress_shown_ && stdout_terminal_) {
        // Both on the same terminal: take the progress line away, the next progress() redraws it.
        std::cerr << "\r\x1b[K" << std::flush;
        progress_shown_ = false;
    }
    line_.clear();
    append_json(line_, v);
    line_ += '\n';
    std::cout << line_;
}

void output::flush() { std::cout.flush(); }

void output::progress(std::int64_t page, std::int64_t page_count, std::int64_t records) {
    if (!terminal_) return;
    // \r and "erase to end of line": the line is rewritten in place.
    std::cerr << "\r\x1b[Kpage " << page << '/' << page_count << ", " << records << " records" << std::flush;
    progress_shown_ = true;
}

void output::end_progress() {
    if (!progress_shown_) return;
    std::cerr << '\n' << std::flush;
    progress_shown_ = false;
}

void output::confirm(std::string_view text) {
    if (terminal_) std::cerr << text << '\n' << std::flush;
}

void output::note(std::string_view text) {
    end_progress();
    std::cerr << "daftra: " << text << '\n' << std::flush;
}

void output::trace(std::string_view text) {
    if (progress_shown_) {  // verbose lines come between pages: take the progress line away
        std::cerr << "\r\x1b[K";
        progress_shown_ = false;
    }
    std::cerr << text << '\n' << std::flush;
}

} // namespace daftra::cli
