// Which objects does a compiler destroy twice in a statement that contains co_await? Each case counts
// the constructions and destructions of T (a class with constructors) around one statement, directly or
// as a member of an aggregate. A mismatch is a double destruction: with a std::string or a secret inside,
// a double free. docs/compilers.md has the results and the rule drawn from them.
//   g++-12 -std=c++20 -O0 aggregate_probe.cpp -o probe && ./probe      (exit status 1: mismatches found)
//   clang++-14 -std=c++20 -O0 aggregate_probe.cpp -o probe && ./probe
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <string>
namespace asio = boost::asio;

static int live = 0, ctors = 0, dtors = 0, mismatches = 0;
struct T {
    int s = 1;
    int magic = 42;
    T() { ++live; ++ctors; }
    T(int) { ++live; ++ctors; }
    T(const T& o) : s(o.s) { ++live; ++ctors; }
    T(T&& o) : s(o.s) { ++live; ++ctors; }
    ~T() { if (magic != 42) std::printf("  !! destroying a dead T\n"); magic = 0; --live; ++dtors; }
};
struct Agg { int s = 2; T t; };  // aggregate with a non-trivial member

asio::awaitable<int> take(T t) { co_return t.magic; }
asio::awaitable<int> take_ref(const T& t) { co_return t.magic; }
asio::awaitable<int> take_agg(const Agg& a) { co_return a.t.magic; }
asio::awaitable<int> def(int x, T t = T{}) { co_return x + t.magic; }
asio::awaitable<int> zero() { co_return 0; }
int use(int a, const T& t) { return a + t.magic; }
int use_agg(int a, const Agg& g) { return a + g.t.magic; }
T make() { return T{}; }
Agg make_agg() { return Agg{}; }
struct Base { T t; };
struct Derived : Base { int k = 0; };          // C++17 aggregate with a base (like the generated models)
struct Outer { Agg inner; };                    // aggregate of an aggregate
struct NonAgg { Agg a; NonAgg() = default; NonAgg(Agg x) : a(x) {} };
asio::awaitable<int> def_agg(int x, Agg a = {}) { co_return x + a.t.magic; }
asio::awaitable<int> def_agg_ref(int x, const Agg& a = Agg{}) { co_return x + a.t.magic; }
asio::awaitable<int> take_derived(const Derived& d) { co_return d.t.magic; }
asio::awaitable<int> take_outer(const Outer& o) { co_return o.inner.t.magic; }
asio::awaitable<int> take_nonagg(const NonAgg& n) { co_return n.a.t.magic; }
asio::awaitable<int> take_agg_val(Agg a) { co_return a.t.magic; }
asio::awaitable<Agg> give_agg() { co_return Agg{}; }

#define CASE(name, ...) do { ctors = dtors = 0; __VA_ARGS__; std::printf("%-44s ctors=%d dtors=%d %s\n", name, ctors, dtors, ctors == dtors ? "" : "<-- MISMATCH"); mismatches += ctors != dtors; } while (0)

asio::awaitable<void> run() {
    CASE("co_await take(T{})", (void)co_await take(T{}));
    CASE("co_await take(T(1))", (void)co_await take(T(1)));
    CASE("co_await take_ref(T{})", (void)co_await take_ref(T{}));
    CASE("co_await take_ref(T(1))", (void)co_await take_ref(T(1)));
    CASE("co_await take_ref(make())", (void)co_await take_ref(make()));
    CASE("co_await take_agg({})", (void)co_await take_agg({}));
    CASE("co_await take_agg(Agg{})", (void)co_await take_agg(Agg{}));
    CASE("co_await take_agg(Agg{.s = 3})", (void)co_await take_agg(Agg{.s = 3}));
    CASE("co_await def(1)  [default arg]", (void)co_await def(1));
    CASE("use(co_await zero(), T{})", (void)use(co_await zero(), T{}));
    CASE("use(co_await zero(), T(1))", (void)use(co_await zero(), T(1)));
    CASE("use(co_await zero(), make())", (void)use(co_await zero(), make()));
    CASE("use_agg(co_await zero(), Agg{})", (void)use_agg(co_await zero(), Agg{}));
    CASE("use_agg(co_await zero(), {})", (void)use_agg(co_await zero(), {}));
    CASE("int x = use(0,T{}) + co_await zero()", int x = use(0, T{}) + co_await zero(); (void)x);
    CASE("T named{}; co_await take_ref(named)", { T named{}; (void)co_await take_ref(named); });
    CASE("Agg a{}; co_await take_agg(a)", { Agg a{}; (void)co_await take_agg(a); });
    CASE("co_await def_agg(1) [default Agg a = {}]", (void)co_await def_agg(1));
    CASE("co_await def_agg_ref(1) [default Agg{}]", (void)co_await def_agg_ref(1));
    CASE("co_await take_agg(make_agg())", (void)co_await take_agg(make_agg()));
    CASE("co_await take_agg_val(Agg{})", (void)co_await take_agg_val(Agg{}));
    CASE("co_await take_derived(Derived{})", (void)co_await take_derived(Derived{}));
    CASE("co_await take_outer(Outer{})", (void)co_await take_outer(Outer{}));
    CASE("co_await take_nonagg(NonAgg{})", (void)co_await take_nonagg(NonAgg{}));
    CASE("co_await take_nonagg(NonAgg(Agg{}))", (void)co_await take_nonagg(NonAgg(Agg{})));
    CASE("Agg r = co_await give_agg()", { Agg r = co_await give_agg(); (void)r; });
    CASE("auto a = Agg{}; (no co_await)", { auto a = Agg{}; (void)a; });
    CASE("Agg a = Agg{}; co_await zero() [2 stmts]", { Agg a = Agg{}; (void)co_await zero(); });
    CASE("Agg a{co_await zero(), T{}}", { Agg a{co_await zero(), T{}}; (void)a; });
    CASE("Agg a = {.s = co_await zero()}", { Agg a = {.s = co_await zero()}; (void)a; });
    CASE("NonAgg n(Agg{}) ; co_await (sep)", { NonAgg n(Agg{}); (void)co_await zero(); });
    CASE("NonAgg n(Agg{co_await zero()})", { NonAgg n(Agg{co_await zero()}); (void)n; });
    co_return;
}
int main() {
    asio::io_context io;
    asio::co_spawn(io, run(), asio::detached);
    io.run();
    std::printf("live at end: %d, statements with a mismatch: %d\n", live, mismatches);
    return mismatches == 0 ? 0 : 1;
}
