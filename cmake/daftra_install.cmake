# `cmake --install` lays out headers, the library and a package config for find_package(daftra CONFIG).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS daftra EXPORT daftraTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/daftra DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT daftraTargets NAMESPACE daftra:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)

configure_package_config_file(cmake/daftraConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/daftraConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/daftraConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/daftraConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/daftraConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/daftra)
