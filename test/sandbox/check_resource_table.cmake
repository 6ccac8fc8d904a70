# Regenerates the sandbox's resource table from resources.json (see test/sandbox/CMakeLists.txt) and fails if it differs from the
# committed sandbox/src/resource_table.cpp.
execute_process(COMMAND ${PYTHON} ${GENERATOR} ${REFERENCE} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen_resource_table.py failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${TABLE} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "sandbox/src/resource_table.cpp is out of date: run sandbox/tools/gen_resource_table.py ${REFERENCE} > sandbox/src/resource_table.cpp")
endif()
message(STATUS "resource table matches ${REFERENCE}")
