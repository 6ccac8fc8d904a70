// daftra::credentials_from_environment and client_options_from_environment with a fake environment:
// which credential wins, what a missing variable says (names, never values), the options read.

#include "daftra/client.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

namespace environment_test {

using namespace daftra;

namespace {

environment_reader fake(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

std::string failure_of(const environment_reader& env) {
    try {
        (void)credentials_from_environment(env);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no failure)";
}

} // namespace

BOOST_AUTO_TEST_SUITE(environment)

BOOST_AUTO_TEST_CASE(an_api_key_wins_over_the_password_grant) {
    auto c = credentials_from_environment(fake({{"DAFTRA_API_KEY", "k-123"}, {"DAFTRA_CLIENT_ID", "1"}}));
    BOOST_TEST_REQUIRE(std::holds_alternative<auth::api_key>(c.value()));
    BOOST_TEST(std::get<auth::api_key>(c.value()).key.reveal() == "k-123");
}

BOOST_AUTO_TEST_CASE(the_four_variables_make_a_password_grant) {
    auto c = credentials_from_environment(fake({{"DAFTRA_CLIENT_ID", "7"},
                                                {"DAFTRA_CLIENT_SECRET", "s3cret"},
                                                {"DAFTRA_USERNAME", "u@example.com"},
                                                {"DAFTRA_PASSWORD", "pw-9"},
                                                {"DAFTRA_API_KEY", ""}}));  // empty is unset
    BOOST_TEST_REQUIRE(std::holds_alternative<auth::password_grant>(c.value()));
    const auto& g = std::get<auth::password_grant>(c.value());
    BOOST_TEST(g.client_id == "7");
    BOOST_TEST(g.username == "u@example.com");
    BOOST_TEST(g.client_secret.reveal() == "s3cret");
    BOOST_TEST(g.password.reveal() == "pw-9");
}

BOOST_AUTO_TEST_CASE(a_missing_variable_is_named_and_no_value_is_shown) {
    const auto partial = failure_of(fake({{"DAFTRA_CLIENT_ID", "7"}, {"DAFTRA_CLIENT_SECRET", "s3cret-value"}}));
    BOOST_TEST(partial.find("DAFTRA_USERNAME") != std::string::npos, partial);
    BOOST_TEST(partial.find("DAFTRA_PASSWORD") != std::string::npos, partial);
    BOOST_TEST(partial.find("DAFTRA_CLIENT_ID,") == std::string::npos, partial);  // set: not listed as missing
    BOOST_TEST(partial.find("s3cret-value") == std::string::npos, partial);

    const auto none = failure_of(fake({}));
    BOOST_TEST(none.find("no credentials") != std::string::npos, none);
    BOOST_TEST(none.find("DAFTRA_API_KEY") != std::string::npos, none);
}

BOOST_AUTO_TEST_CASE(a_bearer_token_and_a_refresh_token) {
    auto bearer = credentials_from_environment(fake({{"DAFTRA_BEARER_TOKEN", "tok-1"}, {"DAFTRA_CLIENT_ID", "7"}}));
    BOOST_TEST_REQUIRE(std::holds_alternative<auth::bearer_token>(bearer.value()));
    BOOST_TEST(std::get<auth::bearer_token>(bearer.value()).token.reveal() == "tok-1");

    auto refresh = credentials_from_environment(
        fake({{"DAFTRA_CLIENT_ID", "7"}, {"DAFTRA_CLIENT_SECRET", "s"}, {"DAFTRA_REFRESH_TOKEN", "r-9"}}));
    BOOST_TEST_REQUIRE(std::holds_alternative<auth::refresh_grant>(refresh.value()));
    BOOST_TEST(std::get<auth::refresh_grant>(refresh.value()).refresh_token.reveal() == "r-9");

    const auto partial = failure_of(fake({{"DAFTRA_REFRESH_TOKEN", "r-secret"}, {"DAFTRA_CLIENT_ID", "7"}}));
    BOOST_TEST(partial.find("refresh grant") != std::string::npos, partial);
    BOOST_TEST(partial.find("DAFTRA_CLIENT_SECRET") != std::string::npos, partial);
    BOOST_TEST(partial.find("r-secret") == std::string::npos, partial);
}

BOOST_AUTO_TEST_CASE(token_paths_from_the_environment) {
    auto o = client_options_from_environment(
        fake({{"DAFTRA_BASE_URL", "https://acme.daftra.com"}, {"DAFTRA_TOKEN_PATH", "/api2/oauth/token, /v2/oauth/token"}}));
    BOOST_TEST(o.auth.token_paths == (std::vector<std::string>{"/api2/oauth/token", "/v2/oauth/token"}));
    BOOST_CHECK_THROW((void)client_options_from_environment(
                          fake({{"DAFTRA_BASE_URL", "https://a.daftra.com"}, {"DAFTRA_TOKEN_PATH", "oauth/token"}})),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(options_take_the_url_and_the_ca_file) {
    auto o = client_options_from_environment(fake({{"DAFTRA_BASE_URL", "https://acme.daftra.com"}, {"DAFTRA_CA_FILE", "/tmp/ca.pem"}}));
    BOOST_TEST(o.base_url == "https://acme.daftra.com");
    BOOST_TEST(o.pool.tls.ca_file == "/tmp/ca.pem");
    const client_options defaults;
    BOOST_TEST(o.pool.max_connections == defaults.pool.max_connections);

    auto no_ca = client_options_from_environment(fake({{"DAFTRA_BASE_URL", "https://acme.daftra.com"}}));
    BOOST_TEST(no_ca.pool.tls.ca_file.empty());
    BOOST_CHECK_THROW((void)client_options_from_environment(fake({{"DAFTRA_CA_FILE", "/tmp/ca.pem"}})), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace environment_test
