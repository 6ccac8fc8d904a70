# `cmake --install` lays out headers, the library and a package config for find_package(daftra CONFIG).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The SDK (daftra::daftra), and the sandbox for users' tests: its library (daftra::sandbox, headers under
# daftra/sandbox/) and its server (daftra::daftra-sandbox, in bin/).
set(daftra_installed_targets daftra)
if(TARGET daftra_redis)
  list(APPEND daftra_installed_targets daftra_redis)  # daftra::redis
endif()
set(daftra_installed_headers include/daftra)
if(DAFTRA_BUILD_SANDBOX)
  list(APPEND daftra_installed_targets daftra_sandbox daftra-sandbox)
  list(APPEND daftra_installed_headers sandbox/include/daftra)
endif()
install(TARGETS ${daftra_installed_targets} EXPORT daftraTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${daftra_installed_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT daftraTargets NAMESPACE daftra:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)

configure_package_config_file(cmake/daftraConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/daftraConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/daftraConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/daftraConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/daftraConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)
