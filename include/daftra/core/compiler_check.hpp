#pragma once
// Refuses a compiler setting that miscompiles the SDK's coroutines; docs/compilers.md has the evidence.
//
// clang before 17 (LLVM issue 63022) may compute the address of a thread-local variable once, before a
// loop in a coroutine, and reuse it after the coroutine resumed on another thread. Boost.Asio keeps each
// thread's io_context call stack and its recycled memory in such variables (`__thread` on Linux x86),
// so on an io_context run by several threads a coroutine then uses another thread's state without a
// lock: heap corruption. With BOOST_ASIO_DISABLE_THREAD_KEYWORD_EXTENSION Asio reads that state through
// pthread_getspecific(), a call the optimizer does not move, and clang 16 runs the SDK correctly.
// The macro changes Asio's data layout, so every translation unit of a program that includes Boost.Asio
// must agree on it: CMake's daftra::daftra target defines it for its consumers under clang before 17.

#include <boost/asio/detail/config.hpp>

#if defined(__clang__) && (__clang_major__ < 17) && defined(BOOST_ASIO_HAS_THREAD_KEYWORD_EXTENSION)
#error "daftra: clang before 17 miscompiles Boost.Asio coroutines resumed on another thread (LLVM issue 63022). Define BOOST_ASIO_DISABLE_THREAD_KEYWORD_EXTENSION in every translation unit of the program (linking the daftra::daftra CMake target does that), or use clang >= 17 or g++. See docs/compilers.md."
#endif
