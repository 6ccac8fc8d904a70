// Callbacks: the SDK from code that has no coroutines. Every call takes a completion token as its last
// argument; a plain callback receives exactly what `co_await` would return, a daftra::result<T>.
//
//   1. read the site info
//   2. create a client, then (in the callback) read it back, then rename it, then read it again
//   3. stream every client with all(): next() with a callback that asks for the next one
//   4. delete the client
//
// Each callback runs on the strand it is bound to (asio::bind_executor), never inside the call that
// started it. Nothing here blocks: main() runs the io_context until the last callback is done.
// Configuration: see examples/common/example.hpp (DAFTRA_BASE_URL is required).

#include "common/example.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/strand.hpp>

#include <iostream>
#include <memory>

namespace asio = boost::asio;
using example::check;
using example::require;

namespace {

// The program's state: the callbacks share it through a shared_ptr, so it lives as long as they do.
struct session : std::enable_shared_from_this<session> {
    session(asio::io_context& io, daftra::client& api) : strand(asio::make_strand(io)), api(api) {}

    asio::strand<asio::io_context::executor_type> strand;
    daftra::client& api;
    std::int64_t client_id = 0;
    std::int64_t streamed = 0;
    bool found_ours = false;
    std::optional<daftra::resources::pager<daftra::client_record>> pages;
    std::exception_ptr failure;  // the first failure; main() reports it
    bool finished = false;

    // Wraps a step: the handler runs on the strand, and an exception (a failed require or check)
    // ends the program's work instead of escaping into the io_context.
    template <class F>
    auto step(F f) {
        return asio::bind_executor(strand, [self = shared_from_this(), f = std::move(f)](auto r) mutable {
            try {
                check(self->strand.running_in_this_thread(), "the callback runs on its strand");
                f(std::move(r));
            } catch (...) {
                self->failure = std::current_exception();
            }
        });
    }

    void start() {
        api.site_info(step([this](daftra::result<daftra::site_info> r) {
            const auto& info = require(r, "site info");
            std::cout << "site: " << info.business_name.value_or("?") << "\n";
            create_client();
        }));
    }

    void create_client() {
        daftra::client_record c;
        c.business_name = "Callback Trading";
        c.first_name = "Omar";
        c.email = "omar@example.com";
        api.clients().create(c, step([this](daftra::result<daftra::created> id) {
            client_id = require(id, "create the client");
            std::cout << "created client " << client_id << "\n";
            api.clients().get(client_id, step([this](daftra::result<daftra::client_record> got) {
                const auto& c = require(got, "read the client back");
                check(c.business_name.value_or("") == "Callback Trading", "the client reads back as created");
                rename_client();
            }));
        }));
    }

    void rename_client() {
        daftra::client_record change;
        change.business_name = "Callback Trading (renamed)";
        api.clients().update(client_id, change, step([this](daftra::result<void> done) {
            require(done, "rename the client");
            api.clients().get(client_id, step([this](daftra::result<daftra::client_record> got) {
                const auto& c = require(got, "read the renamed client");
                check(c.business_name.value_or("") == "Callback Trading (renamed)", "the new name is stored");
                std::cout << "renamed to " << *c.business_name << "\n";
                pages.emplace(api.clients().all(daftra::query().with_limit(5)));
                stream_next();
            }));
        }));
    }

    // A pager's next() with a callback: each record's callback asks for the next one.
    void stream_next() {
        pages->next(step([this](std::optional<daftra::result<daftra::client_record>> r) {
            if (!r) {  // the end of the list
                std::cout << "streamed " << streamed << " clients over " << pages->page_count() << " page(s)\n";
                check(found_ours, "all() yields the client created above");
                check(streamed == pages->total_results(), "all() yields as many clients as the list holds");
                remove_client();
                return;
            }
            const auto& c = require(*r, "stream the clients");
            ++streamed;
            found_ours = found_ours || c.id.value_or(0) == client_id;
            stream_next();
        }));
    }

    void remove_client() {
        api.clients().remove(client_id, step([this](daftra::result<daftra::deleted> d) {
            require(d, "delete the client");
            api.clients().get(client_id, step([this](daftra::result<daftra::client_record> gone) {
                check(!gone && gone.error().kind == daftra::error_kind::not_found, "the deleted client is gone");
                std::cout << "deleted client " << client_id << "\n";
                finished = true;
            }));
        }));
    }
};

} // namespace

int main() {
    return example::exit_status_of([] {
        asio::io_context io;
        daftra::client api(io.get_executor(), example::credentials_from_env(), example::options_from_env());
        auto s = std::make_shared<session>(io, api);
        s->start();
        io.run();  // returns once no callback is pending
        // Close the idle connections while the io_context can still run their handlers.
        api.shutdown();
        io.restart();
        io.run();
        if (s->failure) std::rethrow_exception(s->failure);
        check(s->finished, "every step ran");
    });
}
