# Run by ctest. Installs this build into a scratch prefix, then, with each compiler of COMPILERS, builds
# two projects that only know the package through find_package(daftra): test/consumer/project (package
# and header versions agree; a pool refuses a bad request) and the README's first program
# (examples/first_program), whose own ctest runs it against the installed daftra-sandbox.
file(REMOVE_RECURSE ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/step.cmake)
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)  # builds use them all
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
foreach(compiler IN LISTS COMPILERS)
  get_filename_component(name ${compiler} NAME)
  foreach(project consumer first_program)
    if(project STREQUAL "consumer")
      set(source ${PROJECT_DIR})
    else()
      set(source ${FIRST_PROGRAM_DIR})
    endif()
    set(build ${WORK_DIR}/${name}/${project})
    message(STATUS "== ${project} with ${compiler}")
    step(${CMAKE_COMMAND} -S ${source} -B ${build} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
         -DCMAKE_CXX_COMPILER=${compiler} -DCMAKE_BUILD_TYPE=Release
         "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
    step(${CMAKE_COMMAND} --build ${build} --parallel ${cores})
  endforeach()
  step(${WORK_DIR}/${name}/consumer/consumer)
  step(${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/${name}/first_program --output-on-failure)
endforeach()
