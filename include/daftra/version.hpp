#pragma once
// The SDK's version, the one source of it: CMakeLists.txt reads these three numbers for project() and
// the package config version file (find_package(daftra 0.1 CONFIG)), and `daftra --version` prints them.
// DAFTRA_VERSION is MAJOR * 10000 + MINOR * 100 + PATCH, for preprocessor comparisons.

#define DAFTRA_VERSION_MAJOR 0
#define DAFTRA_VERSION_MINOR 1
#define DAFTRA_VERSION_PATCH 0

#define DAFTRA_VERSION (DAFTRA_VERSION_MAJOR * 10000 + DAFTRA_VERSION_MINOR * 100 + DAFTRA_VERSION_PATCH)

#define DAFTRA_DETAIL_STRINGIFY2(x) #x
#define DAFTRA_DETAIL_STRINGIFY(x) DAFTRA_DETAIL_STRINGIFY2(x)
/// "MAJOR.MINOR.PATCH"
#define DAFTRA_VERSION_STRING                                                                            \
    DAFTRA_DETAIL_STRINGIFY(DAFTRA_VERSION_MAJOR)                                                        \
    "." DAFTRA_DETAIL_STRINGIFY(DAFTRA_VERSION_MINOR) "." DAFTRA_DETAIL_STRINGIFY(DAFTRA_VERSION_PATCH)
