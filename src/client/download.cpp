// Downloads (daftra/client/download.hpp): a GET whose 2xx body goes to a sink as it arrives
// (transport::request::body_to), the file sink, and the rule that credentials only go to the
// client's own origin.

#include "daftra/client/client_base.hpp"

#include "daftra/detail/envelope.hpp"

#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/parse.hpp>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <unistd.h>

namespace daftra {
namespace {

error bad_argument(std::string message) { return make_error(error_kind::invalid_argument, {}, std::move(message)); }

std::uint16_t port_of(const boost::urls::url_view& u) {
    if (u.has_port()) return u.port_number();
    return u.scheme_id() == boost::urls::scheme::http ? 80 : 443;
}

// The origin-form target of `url`: `url` itself when it is one ("/…"), else the path and query of an
// absolute http(s) URL on the same scheme, host and port as `base_url`. Anything else is refused: the
// request carries the account's credentials.
result<std::string> target_on_origin(std::string_view base_url, std::string_view url) {
    if (url.starts_with('/') && !url.starts_with("//")) {
        if (!boost::urls::parse_origin_form(url)) return bad_argument("not a valid target: " + std::string(url));
        return std::string(url);
    }
    auto u = boost::urls::parse_uri(url);
    if (!u || (u->scheme_id() != boost::urls::scheme::https && u->scheme_id() != boost::urls::scheme::http))
        return bad_argument("not an http(s) URL or an origin-form target: " + std::string(url));
    auto base = boost::urls::parse_uri(base_url);
    const bool same = base && base->scheme_id() == u->scheme_id() && port_of(*base) == port_of(*u) &&
                      boost::urls::grammar::ci_is_equal(base->encoded_host(), u->encoded_host());
    if (!same)
        return bad_argument("refusing to download from " + std::string(u->encoded_origin()) +
                            ": the client sends its credentials to its own origin only");
    std::string target(u->encoded_path().empty() ? "/" : std::string_view(u->encoded_path()));
    if (u->has_query()) {
        target += '?';
        target += u->encoded_query();
    }
    return target;
}

// The caller's sink, counting what it is given and noting the content type; starting over resets both.
class counting_sink final : public transport::body_sink {
public:
    explicit counting_sink(std::shared_ptr<transport::body_sink> inner) : inner_(std::move(inner)) {}

    result<void> begin(const transport::response& head) override {
        got_ = {};
        if (auto type = head.header("Content-Type")) got_.content_type = std::string(*type);
        return inner_->begin(head);
    }
    result<void> write(std::string_view bytes) override {
        got_.bytes += bytes.size();
        return inner_->write(bytes);
    }
    const downloaded& got() const noexcept { return got_; }

private:
    std::shared_ptr<transport::body_sink> inner_;
    downloaded got_;
};

// A body kept in memory (fetch_file); its size is bounded by the request's max_streamed_body.
class memory_sink final : public transport::body_sink {
public:
    result<void> begin(const transport::response&) override {
        bytes.clear();
        return {};
    }
    result<void> write(std::string_view piece) override {
        bytes.append(piece);
        return {};
    }
    std::string bytes;
};

// The request and the counter are made by the caller before the coroutine starts (arguments by value:
// the coroutine may outlive the caller's objects).
boost::asio::awaitable<result<downloaded>> download_call(std::shared_ptr<resources::sender> s, result<transport::request> req,
                                                         std::shared_ptr<counting_sink> counter) {
    if (!req) co_return req.error();
    auto answer = co_await s->send(std::move(*req));
    if (!answer) co_return answer.error();
    if (answer->status < 200 || answer->status > 299) {
        auto failed = resources::parse_answer(*answer);  // not streamed: the body is the error's
        if (!failed) co_return failed.error();
        co_return make_error(kind_for_status(answer->status), {}, "HTTP " + std::to_string(answer->status));
    }
    co_return counter->got();
}

result<transport::request> download_request(const resources::sender& s, std::string_view url,
                                            const std::shared_ptr<transport::body_sink>& sink, const download_options& o) {
    if (!sink) return bad_argument("download: no sink");
    auto target = target_on_origin(s.base_url(), url);
    if (!target) return target.error();
    transport::request r;
    r.method = transport::verb::get;
    r.target = std::move(*target);
    r.headers.push_back({"Accept", "*/*"});
    r.body_to = sink;
    r.max_streamed_body = o.max_bytes == 0 ? 1 : o.max_bytes;  // 0 would mean "the pool's limit"
    return r;
}

boost::asio::awaitable<result<downloaded>> to_file_call(std::shared_ptr<resources::sender> s, result<transport::request> req,
                                                        std::shared_ptr<counting_sink> counter, std::shared_ptr<file_sink> file) {
    auto got = co_await download_call(std::move(s), std::move(req), std::move(counter));
    if (!got) co_return got.error();
    if (auto done = file->commit(); !done) co_return done.error();
    co_return got;
}

boost::asio::awaitable<result<file_bytes>> fetch_call(std::shared_ptr<resources::sender> s, result<transport::request> req,
                                                      std::shared_ptr<counting_sink> counter, std::shared_ptr<memory_sink> memory) {
    auto got = co_await download_call(std::move(s), std::move(req), std::move(counter));
    if (!got) co_return got.error();
    file_bytes out;
    out.content_type = std::move(got->content_type);
    out.bytes = std::move(memory->bytes);
    co_return out;
}

boost::asio::awaitable<result<downloaded>> invoice_call(std::shared_ptr<resources::sender> s, std::int64_t id,
                                                        invoice_document which, std::filesystem::path file,
                                                        download_options options) {
    auto inv = co_await resource<invoice>(s, resources::invoices).get(id, query().with_recursive(recursion::header_only));
    if (!inv) co_return inv.error();
    const auto& url = which == invoice_document::pdf ? inv->invoice_pdf_url : inv->invoice_html_url;
    if (!url || url->empty()) {
        error e;
        e.kind = error_kind::decode;
        e.message = std::string("invoice ") + std::to_string(id) + " has no " +
                    (which == invoice_document::pdf ? "invoice_pdf_url" : "invoice_html_url");
        co_return e;
    }
    auto sink = std::make_shared<file_sink>(std::move(file));
    auto counter = std::make_shared<counting_sink>(sink);
    auto req = download_request(*s, *url, counter, options);
    co_return co_await to_file_call(std::move(s), std::move(req), std::move(counter), std::move(sink));
}

error file_error(const char* what, const std::filesystem::path& file, int err) {
    return bad_argument(std::string(what) + " " + file.string() + ": " + std::strerror(err));
}

} // namespace

file_sink::file_sink(std::filesystem::path file) : file_(std::move(file)), part_(file_.string() + ".part") {}

file_sink::~file_sink() {
    if (out_) {
        std::fclose(out_);
        std::error_code ignored;
        std::filesystem::remove(part_, ignored);  // never committed: leave the target as it was
    }
}

result<void> file_sink::begin(const transport::response&) {
    if (out_) {
        // An earlier attempt wrote some of the body: start the part file over.
        if (std::fflush(out_) != 0 || ::ftruncate(::fileno(out_), 0) != 0) return file_error("cannot truncate", part_, errno);
        std::rewind(out_);
        return {};
    }
    out_ = std::fopen(part_.c_str(), "wb");
    if (!out_) return file_error("cannot create", part_, errno);
    return {};
}

result<void> file_sink::write(std::string_view bytes) {
    if (!out_) return bad_argument("file_sink: write before begin");
    if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size()) return file_error("cannot write", part_, errno);
    return {};
}

result<void> file_sink::commit() {
    if (!out_) {
        out_ = std::fopen(part_.c_str(), "wb");  // an empty body: begin() may not have run (a 204)
        if (!out_) return file_error("cannot create", part_, errno);
    }
    const bool flushed = std::fclose(out_) == 0;
    out_ = nullptr;
    std::error_code ec;
    if (!flushed) {
        std::filesystem::remove(part_, ec);
        return file_error("cannot write", part_, EIO);
    }
    std::filesystem::rename(part_, file_, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(part_, ignored);
        return file_error("cannot rename to", file_, ec.value());
    }
    return {};
}

boost::asio::awaitable<result<downloaded>> client_base::download(std::string url, std::shared_ptr<transport::body_sink> sink,
                                                                 download_options options) const {
    auto counter = sink ? std::make_shared<counting_sink>(std::move(sink)) : nullptr;
    auto req = download_request(*sender_, url, counter, options);
    return download_call(sender_, std::move(req), std::move(counter));
}

boost::asio::awaitable<result<downloaded>> client_base::download_to_file(std::string url, std::filesystem::path file,
                                                                         download_options options) const {
    auto sink = std::make_shared<file_sink>(std::move(file));
    auto counter = std::make_shared<counting_sink>(sink);
    auto req = download_request(*sender_, url, counter, options);
    return to_file_call(sender_, std::move(req), std::move(counter), std::move(sink));
}

boost::asio::awaitable<result<file_bytes>> client_base::fetch_file(std::string url, download_options options) const {
    auto memory = std::make_shared<memory_sink>();
    auto counter = std::make_shared<counting_sink>(memory);
    auto req = download_request(*sender_, url, counter, options);
    return fetch_call(sender_, std::move(req), std::move(counter), std::move(memory));
}

boost::asio::awaitable<result<downloaded>> client_base::download_invoice(std::int64_t invoice_id, invoice_document which,
                                                                         std::filesystem::path file,
                                                                         download_options options) const {
    return invoice_call(sender_, invoice_id, which, std::move(file), options);
}

} // namespace daftra
