#include "core/log.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.hpp"

namespace staffroom::log {

namespace {

// Lines go into one buffer that a background thread writes to stdout in
// large chunks, at least every 100 ms; warnings and errors, and flush(), are
// written at once. Measured: a queue with a wake-up per line (spdlog's async
// logger) cost a quarter of the server's request rate on two cores.
class Writer {
 public:
  Writer() : thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
    flush();
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void append(std::string_view line, bool urgent) {
    {
      std::lock_guard lock(mu_);
      pending_.append(line);
      pending_.push_back('\n');
      if (!urgent && pending_.size() < kChunk) return;
    }
    if (urgent) {
      flush();
    } else {
      cv_.notify_one();
    }
  }

  void flush() {
    std::lock_guard order(write_mu_);
    std::string out;
    {
      std::lock_guard lock(mu_);
      out.swap(pending_);
    }
    write_all(out);
  }

 private:
  static constexpr std::size_t kChunk = 1u << 20;

  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stop_ || pending_.size() >= kChunk; });
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  static void write_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
      if (n <= 0) return;  // nowhere to write; logging must never stop the server
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::mutex mu_;
  std::mutex write_mu_;  // keeps chunks in order between the thread and flush()
  std::condition_variable cv_;
  std::string pending_;
  bool stop_ = false;
  std::thread thread_;
};

Writer* g_writer = nullptr;  // lives until exit; main flushes before returning
Level g_min = Level::Info;

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

void emit(Level level, std::string_view line) {
  if (g_writer) {
    g_writer->append(line, level >= Level::Warn);
  } else {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }
}

void append_json_string(fmt::memory_buffer& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

}  // namespace

void init(Level min_level) {
  g_min = min_level;
  if (!g_writer) g_writer = new Writer();
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
  emit(level, boost::json::serialize(line));
}

void request(const RequestLine& l) {
  if (!enabled(Level::Info)) return;
  fmt::memory_buffer out;
  out.append(std::string_view(R"({"ts":")"));
  const auto ts = format_rfc3339(now_ms());
  out.append(ts);
  out.append(std::string_view(R"(","level":"info","msg":"request","request_id":)"));
  append_json_string(out, l.request_id);
  out.append(std::string_view(R"(,"method":)"));
  append_json_string(out, l.method);
  out.append(std::string_view(R"(,"path":)"));
  append_json_string(out, l.path);
  out.append(std::string_view(R"(,"route":)"));
  append_json_string(out, l.route);
  fmt::format_to(std::back_inserter(out), R"(,"status":{},"duration_us":{},"bytes":{},"remote":)", l.status,
                 l.duration_us, l.bytes);
  append_json_string(out, l.remote);
  out.push_back('}');
  emit(Level::Info, std::string_view(out.data(), out.size()));
}

void flush() {
  if (g_writer) g_writer->flush();
}

}  // namespace staffroom::log
