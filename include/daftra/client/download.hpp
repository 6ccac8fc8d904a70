#pragma once
// Files of the account: an invoice's PDF or HTML (`invoice_pdf_url`, `invoice_html_url`), an attachment
// by its URL, or any answer that is not JSON. They are read piece by piece into a sink (a file, memory,
// one's own transport::body_sink), so a file of any size costs a bounded buffer, never more than the
// limit it is given.
//
//   auto saved = co_await api.download_to_file(inv.invoice_pdf_url.value(), "invoice.pdf");
//   auto pdf = co_await api.download_invoice(7, daftra::invoice_document::pdf, "invoice-7.pdf");
//
// Daftra documents no upload endpoint: attachments (expenses', incomes') are sent as URLs in the record.

#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace daftra {

/// Settings of one download.
struct download_options {
    /// Most bytes the file may have. A larger one fails the call with error_kind::protocol as soon as the
    /// limit is passed (a file being written is removed). Default: 64 MiB.
    std::uint64_t max_bytes = 64u << 20;
};

/// What a download wrote.
struct downloaded {
    std::string content_type;  ///< the answer's Content-Type ("application/pdf"), "" when it has none
    std::uint64_t bytes = 0;   ///< bytes handed to the sink (written to the file)
};

/// A file read into memory (fetch_file).
struct file_bytes {
    std::string content_type;  ///< the answer's Content-Type, "" when it has none
    std::string bytes;         ///< the body as received (binary)
};

/// Which of an invoice's documents download_invoice reads.
enum class invoice_document {
    pdf,   ///< `invoice_pdf_url`
    html,  ///< `invoice_html_url`
};

/// A sink writing to `file` through `file` + ".part", renamed to `file` by commit() once the whole body
/// has arrived; an attempt that starts over truncates the part file, and a sink destroyed without
/// commit() removes it, so `file` is either the complete download or untouched. Errors opening or
/// writing it are error_kind::invalid_argument naming the file.
class file_sink final : public transport::body_sink {
public:
    explicit file_sink(std::filesystem::path file);
    ~file_sink() override;
    file_sink(const file_sink&) = delete;
    file_sink& operator=(const file_sink&) = delete;

    result<void> begin(const transport::response& head) override;
    result<void> write(std::string_view bytes) override;
    /// Closes the part file and renames it to the target.
    result<void> commit();

private:
    std::filesystem::path file_, part_;
    std::FILE* out_ = nullptr;
};

} // namespace daftra
