# Run by ctest. Builds the README's first program with daftra-cpp as a subproject
# (examples/first_program/as_subproject: add_subdirectory of this source tree), checks that a subproject
# build turns the tests, the extras, the sandbox and the install rules off, and runs the program's
# usage check (no server needed: without DAFTRA_BASE_URL it must exit 2).
file(REMOVE_RECURSE ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/step.cmake)
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)  # builds use them all
# No build type: no optimisation or debug flags, the cheapest compile of the library (what this test
# spends its time on), and a check that the SDK as a subproject leaves the parent's build type alone
# (as the top-level project it defaults to Release). A unity build, as some parent projects set it:
# checked here, and a fifth less to compile.
step(${CMAKE_COMMAND} -S ${SUBPROJECT_DIR} -B ${WORK_DIR} -DDAFTRA_SOURCE_DIR=${SOURCE_DIR}
     -DCMAKE_CXX_COMPILER=${COMPILER} -DCMAKE_UNITY_BUILD=ON)
file(STRINGS ${WORK_DIR}/CMakeCache.txt cache REGEX "^DAFTRA_(BUILD_TESTS|BUILD_EXTRAS|BUILD_SANDBOX|INSTALL):")
foreach(line IN LISTS cache)
  if(NOT line MATCHES ":BOOL=OFF$")
    message(FATAL_ERROR "a subproject build should turn this off: ${line}")
  endif()
endforeach()
file(STRINGS ${WORK_DIR}/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type STREQUAL "CMAKE_BUILD_TYPE:STRING=")
  message(FATAL_ERROR "the subproject changed the parent's build type: ${build_type}")
endif()
list(LENGTH cache n)
if(NOT n EQUAL 4)
  message(FATAL_ERROR "expected the four DAFTRA_ switches in the cache, found: ${cache}")
endif()
step(${CMAKE_COMMAND} --build ${WORK_DIR} --target first_program --parallel ${cores})
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DAFTRA_BASE_URL --unset=DAFTRA_API_KEY ${WORK_DIR}/first_program
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "set DAFTRA_BASE_URL")
  message(FATAL_ERROR "first_program without configuration: exit ${rc}, stderr: ${err}")
endif()
