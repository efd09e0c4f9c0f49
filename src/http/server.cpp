#include "http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <cctype>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/beast_request.hpp"
#include "http/problem.hpp"

namespace staffroom::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {
// The Date header (RFC 9110 section 6.6.1), formatted once a second per thread.
const std::string& http_date_now() {
  thread_local std::int64_t second = -1;
  thread_local std::string text;
  const EpochMs now = now_ms();
  if (now / 1000 != second) {
    second = now / 1000;
    text = format_http_date(now);
  }
  return text;
}
}  // namespace
using tcp = asio::ip::tcp;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng([] {
    std::uint64_t seed;
    auto bytes = crypto::random_bytes(sizeof seed);
    std::memcpy(&seed, bytes.data(), sizeof seed);
    return seed;
  }());
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<std::size_t>(i)] = digits[v & 0xF];
    v >>= 4;
  }
  return id;
}

// A client-supplied request id is kept when it is short and plain, so logs
// can be joined across services; anything else is replaced.
bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::atomic<bool> idle{true};  // waiting for the first byte of a request
};

struct Server::Impl {
  ServerConfig config;
  Dispatch dispatch;
  Metrics* metrics;
  asio::io_context ioc;
  // The acceptor, the signals and shutdown share one strand, so closing the
  // acceptor never races an accept in progress.
  asio::strand<asio::io_context::executor_type> control{asio::make_strand(ioc)};
  tcp::acceptor acceptor{control};
  asio::signal_set signals{control, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::set<std::shared_ptr<Connection>> connections;

  Impl(ServerConfig c, Dispatch d, Metrics* m) : config(std::move(c)), dispatch(std::move(d)), metrics(m) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  asio::awaitable<void> drain(Connection& conn);
  void begin_shutdown();
  asio::awaitable<void> watch_shutdown();
  void forget(const std::shared_ptr<Connection>& conn);
  Response protocol_error(const Error& e, std::string_view target, const std::string& request_id);
};

Response Server::Impl::protocol_error(const Error& e, std::string_view target, const std::string& request_id) {
  Response r = problem_response(e, target, request_id);
  if (metrics) metrics->record("-", "(protocol)", r.status, 0);
  log::warn("protocol error", {{"request_id", request_id}, {"status", r.status}, {"detail", e.detail}});
  return r;
}

void Server::Impl::forget(const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(mu);
  connections.erase(conn);
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  log::info("stopping", {{"reason", "signal"}});
  boost::system::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  std::vector<std::shared_ptr<Connection>> snapshot;
  {
    std::lock_guard lock(mu);
    snapshot.assign(connections.begin(), connections.end());
  }
  // Idle keep-alive connections are closed now; a connection that has begun
  // a request is left to finish it and closes after its response.
  for (auto& c : snapshot) {
    asio::post(c->stream.get_executor(), [c] {
      // The connection may have ended between the snapshot and now; its
      // socket is then closed and there is nothing to cancel.
      boost::system::error_code ignored;
      if (c->idle && c->stream.socket().is_open()) c->stream.socket().cancel(ignored);
    });
  }
  asio::co_spawn(ioc, watch_shutdown(), asio::detached);
}

// Polls until every connection has finished, or stops everything when the
// grace period is over. Polling (rather than a timer cancelled by the last
// connection) leaves no window in which the wake-up can be missed.
asio::awaitable<void> Server::Impl::watch_shutdown() {
  const auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
  asio::steady_timer tick(ioc);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (connections.empty()) co_return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      log::warn("shutdown grace period over; closing remaining connections");
      ioc.stop();
      co_return;
    }
    tick.expires_after(std::chrono::milliseconds(20));
    co_await tick.async_wait(use_nothrow);
  }
}

asio::awaitable<void> Server::Impl::accept_loop() {
  asio::steady_timer backoff(ioc);
  auto last_warning = std::chrono::steady_clock::time_point{};
  auto warn_now = [&] {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_warning < std::chrono::seconds(10)) return false;
    last_warning = now;
    return true;
  };
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), use_nothrow);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      if (warn_now()) log::warn("accept failed", {{"error", ec.message()}});
      // Out of descriptors or buffers: accepting again at once would spin.
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(use_nothrow);
      continue;
    }
    bool admitted = false;
    {
      std::lock_guard lock(mu);
      admitted = connections.size() < config.max_connections;
    }
    if (!admitted) {
      if (warn_now())
        log::warn("connection limit reached; closing new connections", {{"limit", config.max_connections}});
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mu);
      connections.insert(conn);
    }
    asio::co_spawn(conn->stream.get_executor(), serve(conn), asio::detached);
  }
}

// After answering a request we refused part-way (a body too large, bad
// headers), the client may still be sending. Closing at once would make the
// kernel reset the connection and the client could lose our answer; so stop
// sending, then read and discard for a short while, within bounds.
asio::awaitable<void> Server::Impl::drain(Connection& conn) {
  boost::system::error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> scratch;
  std::size_t total = 0;
  conn.stream.expires_after(std::chrono::seconds(2));
  while (total < std::size_t{8} * 1024 * 1024) {
    auto [rec, n] = co_await conn.stream.async_read_some(asio::buffer(scratch), use_nothrow);
    if (rec) break;
    total += n;
  }
}

asio::awaitable<void> Server::Impl::serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  for (int served = 0; served < config.max_requests_per_connection; ++served) {
    // Wait for the first byte of the next request while marked idle, so a
    // shutdown can close this connection without cutting a request short.
    if (buffer.size() == 0) {
      if (stopping) break;
      conn->idle = true;
      conn->stream.expires_after(config.idle_timeout);
      auto [ec, n] = co_await conn->stream.async_read_some(buffer.prepare(4096), use_nothrow);
      if (ec) break;
      buffer.commit(n);
    }
    conn->idle = false;

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    parser.body_limit(config.body_limit);
    conn->stream.expires_after(config.read_timeout);
    auto [ec, n] = co_await bhttp::async_read(conn->stream, buffer, parser, use_nothrow);
    (void)n;

    std::string request_id = new_request_id();
    Response response;
    bool close_after = false;
    bool lingering = false;  // unread input may follow: drain before closing
    Request req;
    if (ec) {
      if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
        break;  // slow or vanished client: nothing useful to answer
      }
      Error e = Error::bad_request("the request is not valid HTTP/1.1 (" + ec.message() + ")");
      if (ec == bhttp::error::header_limit) {
        e = Error{ErrorCode::HeaderTooLarge,
                  "request headers are over " + std::to_string(config.header_limit / 1024) +
                      " KiB; send fewer or shorter headers",
                  {},
                  0,
                  {}};
      } else if (ec == bhttp::error::body_limit) {
        e = Error{ErrorCode::PayloadTooLarge,
                  "the request body is over " + std::to_string(config.body_limit / 1024) + " KiB; send less data",
                  {},
                  0,
                  {}};
      }
      response = protocol_error(e, "", request_id);
      close_after = true;
      lingering = true;
    } else {
      // Beast checks its header limit per parse step; count the whole header
      // here too so that many small fields cannot add up past the limit.
      std::size_t header_bytes = parser.get().method_string().size() + parser.get().target().size() + 12;
      for (const auto& f : parser.get()) header_bytes += f.name_string().size() + f.value().size() + 4;
      if (header_bytes > config.header_limit) {
        response = protocol_error(Error{ErrorCode::HeaderTooLarge,
                                        "request headers are over " + std::to_string(config.header_limit / 1024) +
                                            " KiB; send fewer or shorter headers",
                                        {},
                                        0,
                                        {}},
                                  "", request_id);
        close_after = true;
        lingering = true;
      } else {
        auto msg = parser.release();
        close_after = !msg.keep_alive();
        req.remote_address = remote;
        const bool target_ok = from_beast(std::move(msg), req);
        if (auto rid = req.header("x-request-id"); rid && acceptable_request_id(*rid)) request_id = std::string(*rid);
        req.request_id = request_id;
        if (!target_ok) {
          response = protocol_error(Error::bad_request("the request target is not a valid path"), "", request_id);
          close_after = true;
        } else {
          try {
            response = dispatch(req);
          } catch (const std::exception& ex) {
            log::error("unhandled exception", {{"request_id", request_id}, {"error", ex.what()}});
            response =
                problem_response(Error::internal("something went wrong on our side; the request id is " + request_id),
                                 req.path, request_id);
          }
        }
      }
    }
    if (stopping || served + 1 >= config.max_requests_per_connection) close_after = true;

    bhttp::response<bhttp::string_body> res;
    res.version(11);
    res.result(static_cast<unsigned>(response.status));
    res.set(bhttp::field::server, "staffroom");
    res.set(bhttp::field::date, http_date_now());
    res.set("x-request-id", request_id);
    for (auto& h : response.headers) res.insert(h.name, h.value);
    const std::size_t body_size = response.body.size();
    if (req.method == "HEAD") {
      res.content_length(body_size);
    } else {
      res.body() = std::move(response.body);
      if (response.status != 204 && response.status != 304) res.prepare_payload();
    }
    res.keep_alive(!close_after);
    conn->stream.expires_after(config.read_timeout);
    auto [wec, wn] = co_await bhttp::async_write(conn->stream, res, use_nothrow);
    (void)wn;
    if (wec) break;
    if (close_after) {
      if (lingering) co_await drain(*conn);
      break;
    }
  }
  boost::system::error_code ignored;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  conn->stream.close();
  forget(conn);
}

Server::Server(ServerConfig config, Dispatch dispatch, Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(dispatch), metrics)) {}

Server::~Server() = default;

Result<std::uint16_t> Server::listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->config.address, ec);
  if (ec) return Error::bad_request("'" + impl_->config.address + "' is not an IP address to listen on");
  tcp::endpoint ep{address, impl_->config.port};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::unavailable("cannot listen on " + impl_->config.address + ":" + std::to_string(impl_->config.port) +
                              " (" + ec.message() + ")");
  }
  return a.local_endpoint().port();
}

void Server::run() {
  auto& impl = *impl_;
  impl.signals.async_wait([&impl](boost::system::error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  asio::co_spawn(impl.control, impl.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  const int n = std::max(1, impl.config.threads);
  threads.reserve(static_cast<std::size_t>(n - 1));
  for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  asio::post(impl_->control, [this] { impl_->begin_shutdown(); });
}

}  // namespace staffroom::http
