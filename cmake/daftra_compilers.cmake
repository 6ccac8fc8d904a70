# Compiler workarounds that the SDK's consumers must share (docs/compilers.md has the evidence).
#
# clang before 17 miscompiles Boost.Asio coroutines that resume on another thread (LLVM issue 63022):
# it keeps the address of Asio's thread-local call stack across co_await. With
# BOOST_ASIO_DISABLE_THREAD_KEYWORD_EXTENSION, Asio reads that state through pthread_getspecific()
# instead, which clang 16 does not cache. The macro changes Asio's data layout, so it is a property of
# this build: daftra::daftra passes it on to every consumer (whatever compiler the consumer uses), and
# daftra/core/compiler_check.hpp refuses clang < 17 without it.
set(daftra_clang_before_17 OFF)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 17)
  set(daftra_clang_before_17 ON)
endif()
option(DAFTRA_ASIO_PTHREAD_TSS
  "Build the SDK and its consumers with BOOST_ASIO_DISABLE_THREAD_KEYWORD_EXTENSION (required with clang < 17; turn on for a g++ build whose consumers use clang < 17)"
  ${daftra_clang_before_17})
if(daftra_clang_before_17 AND NOT DAFTRA_ASIO_PTHREAD_TSS)
  message(FATAL_ERROR "clang ${CMAKE_CXX_COMPILER_VERSION} needs DAFTRA_ASIO_PTHREAD_TSS=ON (LLVM issue 63022; see docs/compilers.md)")
endif()
if(DAFTRA_ASIO_PTHREAD_TSS)
  # Everything built here (tests, fuzzers, tools); src/CMakeLists.txt adds it to daftra's interface.
  target_compile_definitions(daftra_build_flags INTERFACE BOOST_ASIO_DISABLE_THREAD_KEYWORD_EXTENSION)
endif()
