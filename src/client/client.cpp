// daftra::client: ties the pool, the token source, the retry policy and the resource table together.

#include "client_impl.hpp"

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/resources/envelope.hpp"
#include "daftra/resources/specials.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <stdexcept>

namespace daftra {
namespace detail {

namespace {

const std::string& checked_origin(const std::string& base_url) {
    if (base_url.empty()) throw std::invalid_argument("daftra::client: client_options::base_url is required");
    return base_url;
}

} // namespace

client_impl::client_impl(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options)
    : executor_(executor), options_(std::move(options)),
      pool_(executor, checked_origin(options_.base_url), options_.pool),
      tokens_(executor, pool_, std::move(credentials), options_.auth), rng_(std::random_device{}()) {}

boost::asio::awaitable<result<transport::response>> client_impl::send(transport::request request) {
    return send_with_retries(shared_from_this(), std::move(request));
}

void client_impl::shutdown() {
    tokens_.shutdown();
    pool_.shutdown();
}

std::chrono::milliseconds client_impl::jitter(std::chrono::milliseconds ceiling) {
    if (ceiling.count() <= 0) return std::chrono::milliseconds(0);
    std::uniform_int_distribution<std::int64_t> pick(0, ceiling.count());
    std::lock_guard lock(rng_mutex_);
    return std::chrono::milliseconds(pick(rng_));
}

boost::asio::awaitable<result<transport::response>> client_impl::send_with_retries(std::shared_ptr<client_impl> self,
                                                                                  transport::request request) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + self->options_.pool.request_timeout;
    const retry_options& policy = self->options_.retry;
    const unsigned attempts = policy.max_attempts < 1 ? 1 : policy.max_attempts;
    for (unsigned attempt = 1;; ++attempt) {
        transport::send_options send_opts;
        send_opts.deadline = deadline;
        transport::request copy = request;  // each attempt sends its own copy; `request` stays for the next
        auto answer = co_await auth::authenticated_send(self->pool_, self->tokens_, std::move(copy), send_opts);

        std::optional<std::chrono::milliseconds> wait;
        if (answer) {
            if (attempt >= attempts || !retry::retry_answer(request, answer->status)) co_return answer;
            if (auto value = answer->header("Retry-After")) {
                wait = retry::parse_retry_after(*value, std::chrono::system_clock::now());
                if (wait && *wait > policy.max_retry_after) co_return answer;  // the server asks for too long
            }
        } else if (attempt >= attempts || !retry::retry_failure(request, answer.error())) {
            co_return answer;
        }
        if (!wait) wait = self->jitter(retry::backoff_ceiling(policy, attempt + 1));
        if (clock::now() + *wait >= deadline) co_return answer;  // no time left for another attempt

        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, *wait);
        auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        if (ec) {
            error e;
            e.kind = error_kind::cancelled;
            e.code = ec;
            e.message = "cancelled while waiting to retry";
            co_return e;
        }
    }
}

namespace {

boost::asio::awaitable<result<boost::json::value>> raw_call(std::shared_ptr<client_impl> impl, transport::request req) {
    auto answer = co_await impl->send(std::move(req));
    if (!answer) co_return answer.error();
    auto root = resources::parse_answer(*answer);
    if (!root) co_return root.error();
    // Out of the parse arena into default storage: the caller keeps this value.
    co_return boost::json::value(*root, boost::json::storage_ptr());
}

boost::asio::awaitable<result<boost::json::object>> listing_call(std::shared_ptr<client_impl> impl, transport::request req) {
    auto answer = co_await impl->send(std::move(req));
    if (!answer) co_return answer.error();
    auto root = resources::parse_answer(*answer);
    if (!root) co_return root.error();
    auto item = resources::single_item(*root);
    if (!item) co_return resources::decode_failure(item.error(), *answer, {});
    const auto* listing = (*item)->if_contains("Listing");
    if (!listing || !listing->is_object()) {
        error e;
        e.kind = error_kind::decode;
        e.message = "unexpected JSON at data: expected a `Listing` object";
        co_return resources::decode_failure(std::move(e), *answer, {});
    }
    co_return boost::json::object(listing->get_object(), boost::json::storage_ptr());
}

// Sends a prepared request and decodes its answer with `decode` (all arguments by value: the
// coroutine may outlive the caller's objects).
template <class T, class Decode>
boost::asio::awaitable<result<T>> send_and_decode(std::shared_ptr<client_impl> impl, transport::request req, Decode decode) {
    auto answer = co_await impl->send(std::move(req));
    if (!answer) co_return answer.error();
    co_return decode(*answer);
}

result<void> expect_success(const transport::response& r) {
    auto root = resources::parse_answer(r);
    if (!root) return root.error();
    return {};
}

} // namespace
} // namespace detail

client::client(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options)
    : impl_(std::make_shared<detail::client_impl>(std::move(executor), std::move(credentials), std::move(options))) {}

client::~client() { impl_->shutdown(); }

std::shared_ptr<resources::sender> client::sender() const noexcept { return impl_; }

transport::pool_stats client::pool_stats() const { return impl_->pool_stats(); }

void client::shutdown() { impl_->shutdown(); }

boost::asio::awaitable<result<daftra::site_info>> client::site_info() const {
    return resource<daftra::site_info>(impl_, resources::site).get(0);
}

boost::asio::awaitable<result<boost::json::object>> client::listing(std::string model) const {
    std::string target = "/api2/listing/" + boost::urls::encode(model, boost::urls::unreserved_chars) + ".json";
    return detail::listing_call(impl_, resources::make_request(transport::verb::get, std::move(target)));
}

boost::asio::awaitable<result<boost::json::value>> client::raw(transport::verb method, std::string target,
                                                               std::optional<boost::json::value> body) const {
    std::string text = body ? boost::json::serialize(*body) : std::string();
    return detail::raw_call(impl_, resources::make_request(method, std::move(target), std::move(text)));
}

boost::asio::awaitable<result<std::int64_t>> client::create_note(std::string owner_type, std::int64_t owner_id,
                                                                  const note& n) const {
    return detail::send_and_decode<std::int64_t>(impl_, resources::note_create_request(owner_type, owner_id, n),
                                                 [](const transport::response& r) {
                                                     return resources::operations(resources::notes).create_answer(r);
                                                 });
}

boost::asio::awaitable<result<page<follow_up_action>>> client::follow_up_actions_of(std::string type, const query& q) const {
    const std::int64_t requested = q.page.value_or(1);
    return detail::send_and_decode<page<follow_up_action>>(
        impl_, resources::follow_up_actions_request(type, q), [requested](const transport::response& r) {
            return resources::operations(resources::follow_up_actions).list_answer(r, requested);
        });
}

boost::asio::awaitable<result<std::vector<result<std::int64_t>>>> client::create_invoices(std::span<const invoice> invoices) const {
    return detail::send_and_decode<std::vector<result<std::int64_t>>>(impl_, resources::bulk_invoice_request(invoices),
                                                                      &resources::bulk_invoice_answer);
}

boost::asio::awaitable<result<void>> client::set_booking_status(std::int64_t booking_id, int status) const {
    return detail::send_and_decode<void>(impl_, resources::booking_status_request(booking_id, status), &detail::expect_success);
}

boost::asio::awaitable<result<boost::json::value>> client::convert_booking(std::int64_t booking_id) const {
    return detail::raw_call(impl_, resources::booking_convert_request(booking_id));
}

boost::asio::awaitable<result<page<boost::json::object>>> client::v2_list(std::string entity, int level, const query& q) const {
    const std::int64_t requested = q.page.value_or(1);
    return detail::send_and_decode<page<boost::json::object>>(
        impl_, resources::v2_list_request(entity, level, q),
        [requested](const transport::response& r) { return resources::v2_list_answer(r, requested); });
}

boost::asio::awaitable<result<boost::json::object>> client::v2_get(std::string entity, std::int64_t id, int level) const {
    return detail::send_and_decode<boost::json::object>(impl_, resources::v2_get_request(entity, id, level),
                                                        &resources::v2_get_answer);
}

boost::asio::awaitable<result<std::int64_t>> client::v2_create(std::string entity, boost::json::object body) const {
    return detail::send_and_decode<std::int64_t>(impl_, resources::v2_create_request(entity, body),
                                                 [](const transport::response& r) -> result<std::int64_t> {
                                                     auto root = resources::parse_answer(r);
                                                     if (!root) return root.error();
                                                     return resources::created_id(*root, resources::resource_info{});
                                                 });
}

boost::asio::awaitable<result<void>> client::v2_update(std::string entity, std::int64_t id, boost::json::object body) const {
    return detail::send_and_decode<void>(impl_, resources::v2_update_request(entity, id, std::move(body)),
                                         &detail::expect_success);
}

} // namespace daftra
