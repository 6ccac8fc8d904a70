#pragma once
// The calls of resource<Model> (resource.hpp). The library compiles them, with the pager and the steps
// (operations_impl.hpp), for every model of the resource table (src/resources/instances_*.cpp and
// steps_*.cpp; macros below); include this only for a resource of one's own.

#include "daftra/resources/operations_impl.hpp"
#include "daftra/resources/pager_impl.hpp"
#include "daftra/resources/resource.hpp"
#include "daftra/resources/sender.hpp"

namespace daftra {

template <class Model>
boost::asio::awaitable<result<page<Model>>> resource<Model>::list(const query& q) const {
    return list_call(sender_, ops_, ops_.list_request(q), q.page.value_or(1));
}

template <class Model>
resources::pager<Model> resource<Model>::all(query q, resources::all_options options) const {
    return resources::pager<Model>(sender_, ops_.spec(), std::move(q), options);
}

template <class Model>
boost::asio::awaitable<result<Model>> resource<Model>::get(std::int64_t id) const {
    return decoded_call<Model>(sender_, ops_, ops_.get_request(id), &resources::operations<Model>::get_answer);
}

template <class Model>
boost::asio::awaitable<result<Model>> resource<Model>::get(std::int64_t id, const query& q) const {
    return decoded_call<Model>(sender_, ops_, ops_.get_request(id, q), &resources::operations<Model>::get_answer);
}

template <class Model>
boost::asio::awaitable<result<created>> resource<Model>::create(const Model& record) const {
    return decoded_call<created>(sender_, ops_, ops_.create_request(record), &resources::operations<Model>::create_answer);
}

template <class Model>
boost::asio::awaitable<result<created>> resource<Model>::create(const Model& record, const query& q) const {
    return decoded_call<created>(sender_, ops_, ops_.create_request(record, q), &resources::operations<Model>::create_answer);
}

template <class Model>
boost::asio::awaitable<result<void>> resource<Model>::update(std::int64_t id, const Model& record) const {
    return decoded_call<void>(sender_, ops_, ops_.update_request(id, record), &resources::operations<Model>::update_answer);
}

template <class Model>
boost::asio::awaitable<result<void>> resource<Model>::update(std::int64_t id, const Model& record, const query& q) const {
    return decoded_call<void>(sender_, ops_, ops_.update_request(id, record, q), &resources::operations<Model>::update_answer);
}

template <class Model>
boost::asio::awaitable<result<deleted>> resource<Model>::remove(std::int64_t id) const {
    return decoded_call<deleted>(sender_, ops_, ops_.remove_request(id), &resources::operations<Model>::remove_answer);
}

template <class Model>
boost::asio::awaitable<result<page<Model>>> resource<Model>::list_call(std::shared_ptr<resources::sender> s,
                                                                       resources::operations<Model> ops,
                                                                       request_result req, std::int64_t page_number) {
    if (!req) co_return req.error();
    auto response = co_await s->send(std::move(*req));
    if (!response) co_return response.error();
    auto decoded = ops.list_answer(*response, page_number);
    transport::recycle(std::move(*response));  // the body's memory, for the next answer (the models hold copies)
    co_return decoded;
}

template <class Model>
template <class T>
boost::asio::awaitable<result<T>> resource<Model>::decoded_call(std::shared_ptr<resources::sender> s,
                                                                resources::operations<Model> ops, request_result req,
                                                                decoder<T> decode) {
    if (!req) co_return req.error();
    auto response = co_await s->send(std::move(*req));
    if (!response) co_return response.error();
    auto decoded = (ops.*decode)(*response);
    transport::recycle(std::move(*response));
    co_return decoded;
}

} // namespace daftra

/// Compiles the calls and the pager of resource<M>, at namespace scope; with
/// DAFTRA_OPERATIONS_EXTERN(M) before it, the steps are left to a DAFTRA_OPERATIONS_INSTANTIATE(M)
/// elsewhere (the library does this for the models of the resource table).
#define DAFTRA_RESOURCE_CALLS_INSTANTIATE(M)             \
    template class daftra::resource<M>;                  \
    template class daftra::resources::pager<M>;

/// Compiles the steps, the calls and the pager of resource<M>, at namespace scope: what a resource of
/// one's own needs in one of its source files.
#define DAFTRA_RESOURCE_INSTANTIATE(M) \
    DAFTRA_OPERATIONS_INSTANTIATE(M)   \
    DAFTRA_RESOURCE_CALLS_INSTANTIATE(M)
