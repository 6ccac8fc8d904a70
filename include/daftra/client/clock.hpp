#pragma once
// clock_hooks moved to daftra/core/clock.hpp (every layer takes it); this name stays for existing includes.

#include "daftra/core/clock.hpp"
