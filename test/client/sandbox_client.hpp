#pragma once
// An in-process TLS sandbox and a daftra::client configured for it (CA written to a temp file).

#include "support/async_test.hpp"

#include "daftra/client.hpp"
#include "daftra/sandbox/server.hpp"

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace daftra::test {

/// A sales document (invoice, estimate, advance payment, …) of `client_id` with one line.
template <class Document>
Document one_line(std::int64_t client_id, std::string item, double unit_price, double quantity) {
    Document d;
    d.client_id = client_id;
    d.InvoiceItem.emplace_back();
    d.InvoiceItem[0].item = std::move(item);
    d.InvoiceItem[0].unit_price = unit_price;
    d.InvoiceItem[0].quantity = quantity;
    return d;
}

struct sandbox_client {
    explicit sandbox_client(bool numbers_as_strings = false, bool password = false) : srv(make_options(numbers_as_strings)) {
        srv.start();
        std::random_device rd;
        ca_path = std::filesystem::temp_directory_path() / ("daftra-client-ca-" + std::to_string(rd()) + ".pem");
        std::ofstream(ca_path) << srv.ca_pem();
        client_options o;
        o.base_url = srv.url();
        o.pool.tls.ca_file = ca_path.string();
        o.pool.on_request = [this](const transport::request_info& i) {
            std::lock_guard lock(targets_mutex);
            targets.emplace_back(i.target);
        };
        if (password) {
            daftra::sandbox::credentials c;
            api = std::make_unique<client>(io.get_executor(),
                                           auth::password_grant{c.client_id, auth::secret(c.client_secret), c.username,
                                                                auth::secret(c.password)},
                                           o);
        } else {
            api = std::make_unique<client>(io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")}, o);
        }
    }
    ~sandbox_client() {
        api.reset();
        io.restart();
        io.run();  // let cancelled calls finish
        std::error_code ec;
        std::filesystem::remove(ca_path, ec);
    }

    static daftra::sandbox::options make_options(bool numbers_as_strings) {
        daftra::sandbox::options o;
        o.threads = 2;
        o.numbers_as_strings = numbers_as_strings;
        return o;
    }

    /// Runs a coroutine on 2 threads of io until it finishes.
    template <class T>
    T run(boost::asio::awaitable<T> task) {
        return daftra::test::run(io, std::move(task), 2);
    }

    /// A client record named `name`, created through the SDK: its id (throws when the create fails).
    std::int64_t make_client(const std::string& name = "ACME") {
        client_record c;
        c.business_name = name;
        auto made = run(api->clients().create(c));
        if (!made) throw std::runtime_error("creating a client failed: " + made.error().describe());
        return made->id;
    }

    /// Every record `pages` yields, in order, or the first error.
    template <class Model>
    result<std::vector<Model>> collect(resources::pager<Model> pages) {
        std::vector<Model> out;
        for (;;) {
            auto next = run(pages.next());
            if (!next) return out;
            if (!*next) return next->error();
            out.push_back(std::move(**next));
        }
    }

    /// The targets (path and query) of the requests sent so far, in the order they finished.
    std::vector<std::string> sent_targets() {
        std::lock_guard lock(targets_mutex);
        return targets;
    }

    daftra::sandbox::server srv;
    std::filesystem::path ca_path;
    std::mutex targets_mutex;
    std::vector<std::string> targets;
    boost::asio::io_context io;
    std::unique_ptr<client> api;
};

} // namespace daftra::test
