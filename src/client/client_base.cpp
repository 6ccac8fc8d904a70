// daftra::client_base: the typed calls beyond the resources, on whichever sender the object holds.

#include "daftra/client/client_base.hpp"

#include "daftra/detail/envelope.hpp"
#include "daftra/resources/specials.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace daftra {
namespace detail {

namespace {

boost::asio::awaitable<result<boost::json::value>> raw_call(std::shared_ptr<resources::sender> s, transport::request req) {
    auto answer = co_await s->send(std::move(req));
    if (!answer) co_return answer.error();
    auto root = resources::parse_answer(*answer);
    if (!root) co_return root.error();
    transport::recycle(std::move(*answer));  // the tree holds its own copies of the strings
    // Out of the parse arena into default storage: the caller keeps this value.
    co_return boost::json::value(*root, boost::json::storage_ptr());
}

boost::asio::awaitable<result<boost::json::object>> listing_call(std::shared_ptr<resources::sender> s, transport::request req) {
    auto answer = co_await s->send(std::move(req));
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
boost::asio::awaitable<result<T>> send_and_decode(std::shared_ptr<resources::sender> s, transport::request req, Decode decode) {
    auto answer = co_await s->send(std::move(req));
    if (!answer) co_return answer.error();
    auto decoded = decode(*answer);
    transport::recycle(std::move(*answer));
    co_return decoded;
}

// The request is built by the caller, before the coroutine starts, so a call's arguments may go away
// once it has returned its awaitable.
boost::asio::awaitable<result<resources::v2_multi_answer>> multi_call(std::shared_ptr<resources::sender> s,
                                                                     result<transport::request> req,
                                                                     std::vector<resources::v2_multi_part> parts) {
    if (!req) co_return req.error();
    auto answer = co_await s->send(std::move(*req));
    if (!answer) co_return answer.error();
    auto decoded = resources::v2_multi_answer_of(*answer, parts);
    transport::recycle(std::move(*answer));
    co_return decoded;
}

result<void> expect_success(const transport::response& r) {
    auto root = resources::parse_answer(r);
    if (!root) return root.error();
    return {};
}

} // namespace
} // namespace detail

boost::asio::awaitable<result<daftra::site_info>> client_base::site_info() const {
    return resource<daftra::site_info>(sender_, resources::site).get(0);
}

boost::asio::awaitable<result<boost::json::object>> client_base::listing(std::string model) const {
    std::string target = "/api2/listing/" + boost::urls::encode(model, boost::urls::unreserved_chars) + ".json";
    return detail::listing_call(sender_, resources::make_request(transport::verb::get, std::move(target)));
}

boost::asio::awaitable<result<boost::json::value>> client_base::raw(transport::verb method, std::string target,
                                                               std::optional<boost::json::value> body) const {
    std::string text = body ? boost::json::serialize(*body) : std::string();
    return detail::raw_call(sender_, resources::make_request(method, std::move(target), std::move(text)));
}

boost::asio::awaitable<result<std::int64_t>> client_base::create_note(std::string owner_type, std::int64_t owner_id,
                                                                  const note& n) const {
    return detail::send_and_decode<std::int64_t>(sender_, resources::note_create_request(owner_type, owner_id, n),
                                                 [](const transport::response& r) {
                                                     return resources::operations(resources::notes).create_answer(r);
                                                 });
}

boost::asio::awaitable<result<page<follow_up_action>>> client_base::follow_up_actions_of(std::string type, const query& q) const {
    const std::int64_t requested = q.page.value_or(1);
    return detail::send_and_decode<page<follow_up_action>>(
        sender_, resources::follow_up_actions_request(type, q), [requested](const transport::response& r) {
            return resources::operations(resources::follow_up_actions).list_answer(r, requested);
        });
}

boost::asio::awaitable<result<std::vector<result<created>>>> client_base::create_invoices(std::span<const invoice> invoices,
                                                                                          const query& q) const {
    return detail::send_and_decode<std::vector<result<created>>>(sender_, resources::bulk_invoice_request(invoices, q),
                                                                      &resources::bulk_invoice_answer);
}

boost::asio::awaitable<result<void>> client_base::set_booking_status(std::int64_t booking_id, int status) const {
    return detail::send_and_decode<void>(sender_, resources::booking_status_request(booking_id, status), &detail::expect_success);
}

boost::asio::awaitable<result<boost::json::value>> client_base::convert_booking(std::int64_t booking_id) const {
    return detail::raw_call(sender_, resources::booking_convert_request(booking_id));
}

boost::asio::awaitable<result<boost::json::value>> client_base::app_is_active(std::int64_t app_id) const {
    return detail::raw_call(sender_, resources::make_request(transport::verb::get,
                                                             "/v2/api/app-manager/is_active/" + std::to_string(app_id)));
}

boost::asio::awaitable<result<page<boost::json::object>>> client_base::v2_list(std::string entity, int level, const query& q) const {
    const std::int64_t requested = q.page.value_or(1);
    return detail::send_and_decode<page<boost::json::object>>(
        sender_, resources::v2_list_request(entity, level, q),
        [requested](const transport::response& r) { return resources::v2_list_answer(r, requested); });
}

boost::asio::awaitable<result<boost::json::object>> client_base::v2_get(std::string entity, std::int64_t id, int level) const {
    return detail::send_and_decode<boost::json::object>(sender_, resources::v2_get_request(entity, id, level),
                                                        &resources::v2_get_answer);
}

boost::asio::awaitable<result<std::int64_t>> client_base::v2_create(std::string entity, boost::json::object body) const {
    return detail::send_and_decode<std::int64_t>(sender_, resources::v2_create_request(entity, body),
                                                 [](const transport::response& r) -> result<std::int64_t> {
                                                     auto root = resources::parse_answer(r);
                                                     if (!root) return root.error();
                                                     auto made = resources::created_answer(*root, resources::resource_info{});
                                                     if (!made) return made.error();
                                                     return made->id;
                                                 });
}

boost::asio::awaitable<result<boost::json::object>> client_base::v2_show(std::string entity, std::int64_t id) const {
    return detail::send_and_decode<boost::json::object>(sender_, resources::v2_show_request(entity, id),
                                                        &resources::v2_get_answer);
}

boost::asio::awaitable<result<resources::v2_multi_answer>> client_base::v2_multi(std::vector<resources::v2_multi_part> parts) const {
    auto req = resources::v2_multi_request(parts);
    return detail::multi_call(sender_, std::move(req), std::move(parts));
}

boost::asio::awaitable<result<void>> client_base::v2_update(std::string entity, std::int64_t id, boost::json::object body) const {
    return detail::send_and_decode<void>(sender_, resources::v2_update_request(entity, id, std::move(body)),
                                         &detail::expect_success);
}

} // namespace daftra
