# Warnings and sanitizers, applied to every target of this project (never to consumers).
add_library(daftra_build_flags INTERFACE)
target_compile_options(daftra_build_flags INTERFACE -Wall -Wextra -Wpedantic
  # Boost headers are noisy under -Wpedantic with g++ 12; they are system headers, so this only guards our code.
  $<$<BOOL:${DAFTRA_WERROR}>:-Werror>
  # g++ 12 at -O2 (not -O3) inlines Asio's coroutine frame allocation (aligned_alloc) and its operator
  # delete (which frees it correctly) into a coroutine's caller, then reports them as mismatched, at our
  # source line: a false positive in Boost's code that -isystem does not silence.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>
  # In a unity source (UNITY_BUILD, CMAKE_UNITY_BUILD) g++ flags a coroutine frame holding a type of one
  # file's anonymous namespace: harmless there, each file's helpers being its own.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:$<TARGET_PROPERTY:UNITY_BUILD>>>:-Wno-subobject-linkage>)

if(DAFTRA_SANITIZE STREQUAL "address")
  # -O0 keeps the heavy Beast units affordable on 2 cores (-O1 costs 3x the compile time). Four UBSan
  # checks are left out because, at -O0 on these coroutine-heavy units, they double the compile time
  # (the sandbox's server: 51 s with ASan alone, 53 s with UBSan less these four, 95 s with all of UBSan)
  # while ASan covers what they would find here: a null dereference faults; object-size needs the
  # optimizer's object sizes; out-of-bounds and use-after-free (the usual way to reach a wrong dynamic
  # type, vptr) are ASan's own reports; x86-64 tolerates misalignment. The libFuzzer build keeps all of
  # UBSan on the decoders and the answer reader.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr,null,alignment,object-size
                      -fno-sanitize-recover=all -fno-omit-frame-pointer -O0 -g1)
  add_link_options(-fsanitize=address,undefined)
elseif(DAFTRA_SANITIZE STREQUAL "thread")
  # -Wno-tsan: libstdc++ 12 uses atomic_thread_fence, which TSan cannot see; the warning is not ours.
  add_compile_options(-fsanitize=thread -O0 -g1 $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  add_link_options(-fsanitize=thread)
elseif(NOT DAFTRA_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DAFTRA_SANITIZE must be '', 'address' or 'thread'")
endif()
