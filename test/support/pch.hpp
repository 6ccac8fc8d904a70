#pragma once
// The test programs' precompiled header (test/CMakeLists.txt, DAFTRA_TEST_PCH): the headers nearly every
// test source includes. Only widely used, stable headers belong here; a test includes what it uses anyway.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "daftra/client.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"
#include "daftra/transport/pool.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
