// The HTTP/1.1 server: Boost.Beast sessions as C++20 coroutines on an Asio
// thread pool. It owns connections, limits and shutdown; what a request means
// is the dispatch function's business. Beast stays inside server.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"

namespace staffroom::http {

struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int threads = 4;
  std::size_t body_limit = std::size_t{1024} * 1024;
  std::size_t header_limit = std::size_t{16} * 1024;
  std::chrono::milliseconds read_timeout{30000};  // a whole request must arrive within this
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive connection with no request
  int max_requests_per_connection = 10000;
  std::size_t max_connections = 4096;               // more are closed at once, before reading
  std::chrono::milliseconds shutdown_grace{30000};  // in-flight requests get this long on SIGTERM
};

class Server {
 public:
  using Dispatch = std::function<Response(Request&)>;
  Server(ServerConfig config, Dispatch dispatch, Metrics* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the port (useful with port 0).
  Result<std::uint16_t> listen();
  // Serves until SIGINT or SIGTERM (or stop()), then stops accepting, lets
  // requests in progress finish, and returns.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace staffroom::http
