// The files a sales document links to (`invoice_pdf_url`, `invoice_html_url`): a small valid PDF and
// an HTML page per document, served from the sandbox's own origin. The PDF carries an unused binary
// stream of 160 KiB (the same bytes for the same document), so that a download spans several reads and
// carries every byte value.
#include "service.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>

namespace daftra::sandbox::detail {

namespace json = boost::json;

namespace {

constexpr std::string_view files_root = "/sandbox-files/";

std::string pdf_for(std::string_view title, std::int64_t id) {
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    auto object = [&](const std::string& body) {
        offsets.push_back(out.size());
        out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    object("<< /Type /Catalog /Pages 2 0 R >>");
    object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           "/Resources << /Font << /F1 5 0 R >> >> >>");
    const std::string text = "BT /F1 24 Tf 72 770 Td (" + std::string(title) + ") Tj ET";
    object("<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream");
    object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    std::string padding(160u << 10, '\0');
    std::uint64_t x = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(id);
    for (auto& c : padding) {  // xorshift64: the same bytes for the same document
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x >> 56);
    }
    object("<< /Length " + std::to_string(padding.size()) + " >>\nstream\n" + padding + "\nendstream");
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t at : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", at);
        out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

std::string html_for(std::string_view title) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + std::string(title) +
           "</title></head><body><h1>" + std::string(title) + "</h1></body></html>\n";
}

} // namespace

std::optional<std::pair<std::string, std::string>> service::file_urls(const resource_def& r, const json::object& row) const {
    if (origin_.empty() || !r.field("invoice_pdf_url")) return std::nullopt;
    const auto* id = row.if_contains("id");
    if (!id) return std::nullopt;
    const std::string base = origin_ + std::string(files_root) + std::string(r.id) + "/" + json::serialize(*id);
    return std::pair{base + ".pdf", base + ".html"};
}

response service::document_file(const request& req, const route& rt) {
    // /sandbox-files/{collection}/{id}.pdf|.html
    if (req.method != "GET") return method_not_allowed("GET");
    const auto& s = rt.seg;
    if (s.size() != 3) return error_response(404, "Invalid Endpoint");
    const auto* r = by_id(s[1]);
    std::string_view name = s[2];
    const bool pdf = name.ends_with(".pdf");
    if (!r || !r->field("invoice_pdf_url") || (!pdf && !name.ends_with(".html"))) return error_response(404, "Invalid Endpoint");
    auto id = parse_id(name.substr(0, name.size() - (pdf ? 4 : 5)));
    if (!id) return not_found();
    auto title = db_.read([&](const collections& data) -> std::optional<std::string> {
        auto c = data.find(r->id);
        if (c == data.end()) return std::nullopt;
        auto row = c->second.rows.find(*id);
        if (row == c->second.rows.end()) return std::nullopt;
        const auto* no = row->second.if_contains("no");
        std::string number = no && no->is_string() ? std::string(no->get_string()) : std::to_string(*id);
        return std::string(r->response_wrapper) + " " + number;
    });
    if (!title) return not_found();
    response res;
    res.status = 200;
    res.content_type = pdf ? "application/pdf" : "text/html; charset=utf-8";
    res.body = pdf ? pdf_for(*title, *id) : html_for(*title);
    res.headers.emplace_back("Content-Disposition", "inline; filename=\"" + std::string(r->id) + "-" +
                                                        std::to_string(*id) + (pdf ? ".pdf\"" : ".html\""));
    return res;
}

} // namespace daftra::sandbox::detail
