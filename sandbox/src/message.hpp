#pragma once
// The small request/response pair between the networking layer (server.cpp, Beast) and the
// handlers (JSON only), so that handler translation units never include Beast or Asio.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daftra::sandbox::detail {

struct request {
    std::string_view method;         // "GET", "POST", ...
    std::string_view target;         // origin form: "/api2/invoices.json?page=2"
    std::string_view body;
    std::string_view content_type;
    std::string_view authorization;  // "Bearer …"
    std::string_view apikey;
};

struct response {
    unsigned status = 200;
    std::string body;
    std::string_view content_type = "application/json; charset=UTF-8";
    std::vector<std::pair<std::string, std::string>> headers;
    bool close = false;              // answer with Connection: close and close afterwards
};

} // namespace daftra::sandbox::detail
