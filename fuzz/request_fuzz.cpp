// libFuzzer target for the request-to-handler path: raw bytes are parsed as
// HTTP/1.1 by Beast with the server's limits, converted, and dispatched
// through the application (router, access rules, JSON bodies, accounts) on a
// throwaway SQLite database. Any crash, sanitizer report or escaped exception
// is a bug; keep each crashing input under fuzz/regressions/.
#include <unistd.h>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "app/app.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "http/beast_request.hpp"

namespace {
staffroom::app::App* make_app() {
  staffroom::crypto::init();
  staffroom::crypto::set_password_cost({1, 8192});
  staffroom::log::init(staffroom::log::Level::Error);
  const auto dir = std::filesystem::temp_directory_path() / ("staffroom-fuzz-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  staffroom::app::AppConfig cfg;
  cfg.db_url = "sqlite:" + (dir / "fuzz.db").string();
  cfg.assets_dir = "";
  cfg.rate_limit_per_second = 0;
  cfg.db_pool_size = 1;
  auto app = staffroom::app::App::create(cfg);
  if (!app.ok()) __builtin_trap();
  return std::move(app).value().release();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static staffroom::app::App* app = make_app();
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  staffroom::http::Request req;
  req.remote_address = "127.0.0.1";
  req.request_id = "fuzz";
  if (!staffroom::http::from_beast(parser.release(), req)) return 0;
  auto res = app->handle(req);
  if (res.status < 200 || res.status > 599) __builtin_trap();
  return 0;
}
