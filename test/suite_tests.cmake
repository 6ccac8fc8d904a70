# Run by ctest when it starts (a TEST_INCLUDE_FILES script written by daftra_add_test_suites in
# test/CMakeLists.txt): one ctest entry per top-level suite of a Boost.Test program, named
# PROGRAM.SUITE, read from the program's --list_content (suites disabled by default are left out, as a
# plain run leaves them out). So `ctest -R client_tests.completion_tokens` runs one suite, and ctest -j
# spreads a program's suites over the cores.
#   In: daftra_suite_program (the executable), daftra_suite_name (PROGRAM), daftra_suite_timeout.
if(NOT EXISTS "${daftra_suite_program}")
  # A test that fails and names what is missing, rather than a silently empty test list.
  add_test(${daftra_suite_name}.NOT_BUILT "${daftra_suite_program}")
else()
  execute_process(COMMAND "${daftra_suite_program}" --list_content
                  OUTPUT_VARIABLE listed_out ERROR_VARIABLE listed RESULT_VARIABLE listed_rc)
  string(APPEND listed "\n${listed_out}")
  string(REPLACE "\n" ";" listed_lines "${listed}")
  set(found 0)
  foreach(line IN LISTS listed_lines)
    if(line MATCHES "^([A-Za-z0-9_]+)\\*$")  # top level (not indented) and enabled (*)
      set(test_name ${daftra_suite_name}.${CMAKE_MATCH_1})
      add_test(${test_name} "${daftra_suite_program}" --run_test=${CMAKE_MATCH_1} --log_level=test_suite)
      set_tests_properties(${test_name} PROPERTIES TIMEOUT ${daftra_suite_timeout})
      math(EXPR found "${found} + 1")
    endif()
  endforeach()
  if(NOT listed_rc EQUAL 0 OR found EQUAL 0)
    # The listing failed (a crash at start-up, a sanitizer report): run the program whole, so the
    # failure shows in ctest's output.
    add_test(${daftra_suite_name}.ALL "${daftra_suite_program}" --log_level=test_suite)
  endif()
endif()
