// The translation unit that owns the test programs' precompiled header (test/CMakeLists.txt): CMake
// builds the header with this target's settings, which every test program shares.
