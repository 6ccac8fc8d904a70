# libdaftra's sources, one list per layer, bottom up (paths relative to src/). Included by
# src/CMakeLists.txt, which builds the library from all of them, and by test/fuzz/CMakeLists.txt, which
# compiles the coroutine-free ones again with libFuzzer's instrumentation: one list, not two.

set(DAFTRA_CORE_SOURCES
  core/error.cpp)
# The core's asynchronous part (the default sleep), which the coroutine-free fuzz build leaves out.
set(DAFTRA_CORE_ASYNC_SOURCES
  core/clock.cpp)

# The HTTP answer reader on its own (no sockets): what http_fuzz feeds hostile bytes to.
set(DAFTRA_HTTP_READER_SOURCES
  transport/response_reader.cpp
  transport/keep_alive.cpp)

set(DAFTRA_TRANSPORT_SOURCES
  ${DAFTRA_HTTP_READER_SOURCES}
  transport/http.cpp
  transport/body_cache.cpp
  transport/origin.cpp
  transport/gzip_decoder.cpp
  transport/content_coding.cpp
  transport/connection.cpp
  transport/pool_impl.cpp
  transport/pool.cpp)

set(DAFTRA_AUTH_SOURCES
  auth/errors.cpp
  auth/secret.cpp
  auth/redact.cpp
  auth/memory_token_store.cpp
  auth/file_token_store.cpp
  auth/token_endpoint.cpp
  auth/http_token_fetcher.cpp
  auth/token_state.cpp
  auth/token_source.cpp
  auth/authenticated_send.cpp
  auth/fleet_account.cpp)

# The models and the resources' requests and answer decoders (no I/O): what decode_fuzz and
# stream_fuzz exercise.
set(DAFTRA_DECODING_SOURCES
  model/lenient.cpp
  model/unknown_members.cpp
  model/instances_1.cpp
  model/instances_2.cpp
  model/instances_3.cpp
  model/instances_4.cpp
  resources/query.cpp
  resources/created.cpp
  resources/envelope.cpp
  resources/list_stream.cpp
  resources/json_text.cpp
  resources/error_decoding.cpp
  resources/steps_1.cpp
  resources/steps_2.cpp
  resources/steps_3.cpp
  resources/steps_4.cpp)

# The typed calls (coroutines over a sender) and the client.
set(DAFTRA_CALLS_SOURCES
  resources/specials.cpp
  resources/instances_1.cpp
  resources/instances_2.cpp
  resources/instances_3.cpp
  resources/instances_4.cpp
  client/retry.cpp
  client/retry_loop.cpp
  client/rate_limiter.cpp
  client/client_base.cpp
  client/download.cpp
  client/scoped_client.cpp
  client/client.cpp
  client/environment.cpp)

# The optional Redis component (daftra::redis), built when hiredis is found. The protocol part (hiredis's
# reader and formatter, no sockets) is what redis_fuzz feeds hostile replies to.
set(DAFTRA_REDIS_PROTOCOL_SOURCES
  redis/command.cpp
  redis/reply_reader.cpp)
set(DAFTRA_REDIS_SOURCES
  ${DAFTRA_REDIS_PROTOCOL_SOURCES}
  redis/endpoint.cpp
  redis/link.cpp
  redis/connection.cpp
  redis/lua_script.cpp
  redis/token_crypto.cpp
  redis/token_store.cpp
  redis/rate_budget.cpp
  redis/fleet.cpp)
