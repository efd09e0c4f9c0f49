#include "core/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/time.hpp"

namespace staffroom::log {

namespace {
std::shared_ptr<spdlog::logger> g_logger;
Level g_min = Level::Info;

spdlog::level::level_enum to_spd(Level l) {
  switch (l) {
    case Level::Debug:
      return spdlog::level::debug;
    case Level::Info:
      return spdlog::level::info;
    case Level::Warn:
      return spdlog::level::warn;
    case Level::Error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}
std::string_view name(Level l) {
  switch (l) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Warn:
      return "warn";
    case Level::Error:
      return "error";
  }
  return "info";
}
}  // namespace

void init(Level min_level) {
  g_min = min_level;
  if (g_logger) return;
  // Asynchronous so that a request never waits on stdout; the queue is
  // flushed on every line by the logging thread and at exit.
  spdlog::init_thread_pool(8192, 1);
  g_logger = spdlog::create_async_nb<spdlog::sinks::stdout_sink_mt>("staffroom");
  g_logger->set_pattern("%v");
  g_logger->set_level(spdlog::level::debug);
  g_logger->flush_on(spdlog::level::debug);
}

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug")
    out = Level::Debug;
  else if (text == "info")
    out = Level::Info;
  else if (text == "warn")
    out = Level::Warn;
  else if (text == "error")
    out = Level::Error;
  else
    return false;
  return true;
}

bool enabled(Level level) {
  return level >= g_min;
}

void write(Level level, std::string_view msg, boost::json::object fields) {
  if (!enabled(level)) return;
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = format_rfc3339(now_ms());
  line["level"] = name(level);
  line["msg"] = msg;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  const std::string text = boost::json::serialize(line);
  if (g_logger) {
    g_logger->log(to_spd(level), text);
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
}

void flush() {
  if (g_logger) g_logger->flush();
}

}  // namespace staffroom::log
