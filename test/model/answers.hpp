#pragma once
// Builds transport::response values for the decoding tests.

#include "daftra/transport/http.hpp"

#include <string>

namespace daftra::test {

inline transport::response answer(unsigned status, std::string body) {
    transport::response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

/// `{"code":200,"result":"successful","data":<data>}`
inline transport::response get_answer(const std::string& data) {
    return answer(200, R"({"code":200,"result":"successful","data":)" + data + "}");
}

} // namespace daftra::test
