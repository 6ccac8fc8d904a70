#include "cli/arguments.hpp"

#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"

#include <array>
#include <charconv>
#include <optional>

namespace daftra::cli {
namespace {

// A positive integer option value ("--page 3"); anything else is a usage error.
std::int64_t positive_number(std::string_view option, std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1)
        throw usage_error(std::string(option) + " needs a positive whole number, got '" + std::string(text) + "'");
    return value;
}

sort_direction direction_from(std::string_view text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "asc") return sort_direction::asc;
    if (lower == "desc") return sort_direction::desc;
    throw usage_error("--direction takes asc or desc, got '" + std::string(text) + "'");
}

std::pair<std::string, std::string> filter_from(std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw usage_error("--filter takes KEY=VALUE (e.g. --filter client_id=7), got '" + std::string(text) + "'");
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

// Every option, for "did you mean".
constexpr std::array<std::string_view, 14> known_options{
    "--base-url", "--ca", "--help", "--version", "--verbose", "--format",
    "--page", "--limit", "--sort", "--direction", "--filter", "--all", "--output", "--level",
};

int level_from(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value == -1 || (value >= 1 && value <= 4)))
        throw usage_error("--level takes -1 or 1 to 4, got '" + std::string(text) + "'");
    return value;
}

json_format format_from(std::string_view text) {
    if (text == "pretty") return json_format::pretty;
    if (text == "compact") return json_format::compact;
    throw usage_error("--format takes pretty or compact, got '" + std::string(text) + "'");
}

// "-5" and "-" are operands (a negative id is refused later with a clearer message), "-x" is an option.
bool is_option(std::string_view word) {
    return word.size() > 1 && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9');
}

class parser {
public:
    explicit parser(std::span<const std::string_view> args) : args_(args) {}

    invocation run() {
        std::vector<std::string> words;
        bool options_ended = false;
        while (next_ < args_.size()) {
            const std::string_view word = args_[next_++];
            if (options_ended) {
                words.emplace_back(word);
            } else if (word == "--") {
                options_ended = true;
            } else if (word == "-h" || word == "--help") {
                inv_.help = true;
            } else if (word == "--version") {
                inv_.version = true;
            } else if (is_option(word)) {
                guarded([&] { option(word); });
            } else {
                words.emplace_back(word);
            }
        }
        assign_words(std::move(words));
        if (first_error_ && !inv_.help && !inv_.version) {
            throw usage_error(*first_error_, help_command_for(inv_));
        }
        return std::move(inv_);
    }

private:
    // Keeps the first error and goes on, so that a later --help still finds its level.
    template <class F>
    void guarded(F&& f) {
        try {
            f();
        } catch (const usage_error& e) {
            if (!first_error_) first_error_ = e.what();
        }
    }

    void option(std::string_view word) {
        std::string_view name = word;
        std::optional<std::string_view> inline_value;
        if (auto eq = word.find('='); eq != std::string_view::npos) {
            name = word.substr(0, eq);
            inline_value = word.substr(eq + 1);
        }
        auto value = [&]() -> std::string_view {
            if (inline_value) return *inline_value;
            if (next_ >= args_.size()) throw usage_error(std::string(name) + " needs a value");
            return args_[next_++];
        };

        if (name == "--all") {
            if (inline_value) throw usage_error("--all takes no value");
            inv_.all = true;
            inv_.list_options.emplace_back(name);
            return;
        }
        if (name == "--verbose") {
            if (inline_value) throw usage_error("--verbose takes no value");
            inv_.verbose = true;
            return;
        }
        if (name == "--base-url") { inv_.base_url = std::string(value()); return; }
        if (name == "--ca") { inv_.ca_file = std::string(value()); return; }
        if (name == "--format") { inv_.format = format_from(value()); return; }
        if (name == "-o" || name == "--output") {
            inv_.output_file = std::string(value());
            if (inv_.output_file->empty()) throw usage_error(std::string(name) + " needs a file name");
            return;
        }
        if (name == "--level") { inv_.level = level_from(value()); return; }

        query& q = inv_.list_query;
        if (name == "--page") q.page = positive_number(name, value());
        else if (name == "--limit") q.limit = positive_number(name, value());
        else if (name == "--sort") {
            q.sort = std::string(value());
            if (q.sort.empty()) throw usage_error("--sort needs a field name");
        }
        else if (name == "--direction") q.direction = direction_from(value());
        else if (name == "--filter") q.filters.push_back(filter_from(value()));
        else throw usage_error("unknown option '" + std::string(name) + "'" + did_you_mean(name, known_options));
        inv_.list_options.emplace_back(name);
    }

    void assign_words(std::vector<std::string> words) {
        while (!words.empty() && words.front() == "help") {  // `daftra help WORDS…` is `daftra WORDS… --help`
            inv_.help = true;
            words.erase(words.begin());
        }
        if (words.empty()) return;
        auto rest = words.begin() + 1;
        if (words.front() == "site-info") {
            inv_.kind = command_kind::site_info;
        } else if (words.front() == "raw") {
            inv_.kind = command_kind::raw;
        } else if (words.front() == "listing") {
            inv_.kind = command_kind::listing;
        } else if (words.front() == "download") {
            inv_.kind = command_kind::download;
        } else if (words.front() == "v2") {
            inv_.kind = command_kind::v2;
            if (rest != words.end()) inv_.operation = *rest++;
        } else {
            inv_.kind = command_kind::resource;
            inv_.resource = words.front();
            if (rest != words.end()) inv_.operation = *rest++;
        }
        inv_.operands.assign(std::make_move_iterator(rest), std::make_move_iterator(words.end()));
    }

    std::span<const std::string_view> args_;
    std::size_t next_ = 0;
    invocation inv_;
    std::optional<std::string> first_error_;
};

} // namespace

invocation parse_arguments(std::span<const std::string_view> args) { return parser(args).run(); }

std::string help_command_for(const invocation& inv) {
    switch (inv.kind) {
    case command_kind::none: break;
    case command_kind::site_info: return "daftra site-info --help";
    case command_kind::raw: return "daftra raw --help";
    case command_kind::listing: return "daftra listing --help";
    case command_kind::download: return "daftra download --help";
    case command_kind::v2: return inv.operation.empty() ? "daftra v2 --help" : "daftra v2 " + inv.operation + " --help";
    case command_kind::resource:
        return inv.operation.empty() ? "daftra " + inv.resource + " --help"
                                     : "daftra " + inv.resource + " " + inv.operation + " --help";
    }
    return "daftra --help";
}

} // namespace daftra::cli
