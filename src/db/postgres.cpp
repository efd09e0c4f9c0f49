// PostgreSQL implementation of the storage interface over libpq: statements
// prepared once per connection and reused, COPY for bulk inserts, and a
// reconnect when the server went away between uses.
#include <libpq-fe.h>

#include <cstdio>
#include <unordered_map>

#include "db/database.hpp"

namespace staffroom::db {

namespace {

constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700, kBool = 16;

struct ResultGuard {
  PGresult* r;
  explicit ResultGuard(PGresult* res) : r(res) {}
  ~ResultGuard() { PQclear(r); }
  ResultGuard(const ResultGuard&) = delete;
  ResultGuard& operator=(const ResultGuard&) = delete;
};

void ignore_notice(void*, const char*) {}

std::string copy_escape(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "\\N";
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto d = std::get_if<double>(&v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  const auto& s = std::get<std::string>(v);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::Postgres; }

  Result<Rows> query(const Sql& sql, std::span<const Value> params) override {
    auto first = run(sql, params);
    // A pooled connection may have died while idle (a server restart); outside
    // a transaction it is safe to reconnect and try once more.
    if (!first.ok() && first.error().code == ErrorCode::Unavailable && !in_transaction() &&
        PQstatus(conn_) != CONNECTION_OK) {
      return run(sql, params);
    }
    return first;
  }

  bool in_transaction() override {
    const auto st = PQtransactionStatus(conn_);
    return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
  }

 private:
  // `text` with each $N replaced by the parameter as an SQL literal (outside
  // quoted strings): COPY takes no parameters.
  Result<std::string> inline_params(std::string_view text, std::span<const Value> params) {
    std::string out;
    out.reserve(text.size() + 16 * params.size());
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\'') quoted = !quoted;
      if (quoted || c != '$' || i + 1 >= text.size() || text[i + 1] < '0' || text[i + 1] > '9') {
        out += c;
        continue;
      }
      std::size_t n = 0, j = i + 1;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9')
        n = n * 10 + static_cast<std::size_t>(text[j++] - '0');
      if (n == 0 || n > params.size()) return Error::internal("a query names a parameter it was not given");
      const auto& v = params[n - 1];
      if (std::holds_alternative<std::monostate>(v)) {
        out += "NULL";
      } else if (auto p = std::get_if<std::int64_t>(&v)) {
        out += "(" + std::to_string(*p) + ")::bigint";
      } else if (auto d = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "(%.17g)::float8", *d);
        out += buf;
      } else {
        const auto& str = std::get<std::string>(v);
        if (str.find('\0') != std::string::npos) return Error::bad_request("text must not contain NUL characters");
        char* lit = PQescapeLiteral(conn_, str.data(), str.size());
        if (lit == nullptr) return error_from(nullptr);
        out += lit;
        PQfreemem(lit);
      }
      i = j - 1;
    }
    return out;
  }

  // A COPY ... TO STDOUT in text format, one row per message, converted as
  // it arrives: \N is NULL, backslash escapes are undone, values are text.
  Result<Rows> copy_out(const Sql& sql, std::span<const Value> params) {
    SR_ASSIGN(auto select, inline_params(sql.for_dialect(Dialect::Postgres), params));
    {
      ResultGuard res(PQexec(conn_, ("COPY (" + select + ") TO STDOUT").c_str()));
      if (PQresultStatus(res.r) != PGRES_COPY_OUT) return error_from(res.r);
    }
    Rows out;
    char* buf = nullptr;
    int n = 0;
    std::vector<Value> row;
    while ((n = PQgetCopyData(conn_, &buf, 0)) > 0) {
      std::string_view line(buf, static_cast<std::size_t>(n));
      if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
      row.clear();
      std::size_t start = 0;
      while (true) {
        const auto tab = line.find('\t', start);
        const std::string_view field =
            line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
        if (field == "\\N") {
          row.emplace_back(std::monostate{});
        } else if (field.find('\\') == std::string_view::npos) {
          row.emplace_back(std::string(field));
        } else {
          std::string v;
          for (std::size_t k = 0; k < field.size(); ++k) {
            if (field[k] != '\\' || k + 1 >= field.size()) {
              v += field[k];
              continue;
            }
            const char e = field[++k];
            switch (e) {
              case 'b':
                v += '\b';
                break;
              case 'f':
                v += '\f';
                break;
              case 'n':
                v += '\n';
                break;
              case 'r':
                v += '\r';
                break;
              case 't':
                v += '\t';
                break;
              case 'v':
                v += '\v';
                break;
              default:
                if (e >= '0' && e <= '7') {
                  int octal = e - '0';
                  for (int m = 0; m < 2 && k + 1 < field.size() && field[k + 1] >= '0' && field[k + 1] <= '7'; ++m)
                    octal = octal * 8 + (field[++k] - '0');
                  v += static_cast<char>(octal);
                } else {
                  v += e;
                }
            }
          }
          row.emplace_back(std::move(v));
        }
        if (tab == std::string_view::npos) break;
        start = tab + 1;
      }
      PQfreemem(buf);
      const auto width = row.size();
      out.rows.emplace_back(std::move(row));
      row = {};
      row.reserve(width);
    }
    if (n == -2) return error_from(nullptr);
    ResultGuard done(PQgetResult(conn_));
    if (PQresultStatus(done.r) != PGRES_COMMAND_OK) return error_from(done.r);
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    return out;
  }

  Result<Rows> run(const Sql& sql, std::span<const Value> params) {
    SR_TRY(ensure_connected());
    if (sql.bulk_read) return copy_out(sql, params);
    const std::string_view text = sql.for_dialect(Dialect::Postgres);
    const std::string* name = nullptr;
    if (!sql.plan_for_values) {
      SR_ASSIGN(name, prepare(text, static_cast<int>(params.size())));
    }
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        values[i] = nullptr;
        continue;
      }
      if (auto p = std::get_if<std::int64_t>(&v))
        storage[i] = std::to_string(*p);
      else if (auto d = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        storage[i] = buf;
      } else
        storage[i] = std::get<std::string>(v);
      // libpq passes text parameters as C strings: a NUL would silently cut
      // the value short, so such text is refused rather than altered.
      if (storage[i].find('\0') != std::string::npos) return Error::bad_request("text must not contain NUL characters");
      values[i] = storage[i].c_str();
    }
    // An unnamed statement is planned for the values it runs with.
    ResultGuard res(name != nullptr ? PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                                     values.data(), nullptr, nullptr, 0)
                                    : PQexecParams(conn_, std::string(text).c_str(), static_cast<int>(params.size()),
                                                   nullptr, values.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(res.r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return error_from(res.r);
    Rows out;
    const int nrows = PQntuples(res.r);
    const int ncols = PQnfields(res.r);
    out.rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> row;
      row.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.r, r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res.r, r, c);
        switch (PQftype(res.r, c)) {
          case kInt8:
          case kInt2:
          case kInt4:
          case kOid:
            row.emplace_back(static_cast<std::int64_t>(std::strtoll(v, nullptr, 10)));
            break;
          case kFloat4:
          case kFloat8:
          case kNumeric:
            row.emplace_back(std::strtod(v, nullptr));
            break;
          case kBool:
            row.emplace_back(static_cast<std::int64_t>(v[0] == 't' ? 1 : 0));
            break;
          default:
            row.emplace_back(std::string(v, static_cast<std::size_t>(PQgetlength(res.r, r, c))));
        }
      }
      out.rows.emplace_back(std::move(row));
    }
    const char* affected = PQcmdTuples(res.r);
    out.affected = affected && *affected ? std::strtoll(affected, nullptr, 10) : 0;
    return out;
  }

 public:
  Status execute_script(std::string_view sql) override {
    SR_TRY(ensure_connected());
    ResultGuard res(PQexec(conn_, std::string(sql).c_str()));
    const auto status = PQresultStatus(res.r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return error_from(res.r);
    return {};
  }

  Result<std::int64_t> bulk_insert(std::string_view table, std::span<const std::string_view> columns,
                                   const std::vector<std::vector<Value>>& rows) override {
    SR_TRY(ensure_connected());
    std::string sql = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + std::string(columns[i]);
    sql += ") FROM STDIN";
    {
      ResultGuard res(PQexec(conn_, sql.c_str()));
      if (PQresultStatus(res.r) != PGRES_COPY_IN) return error_from(res.r);
    }
    std::string chunk;
    chunk.reserve(1 << 16);
    bool failed = false;
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (c) chunk += '\t';
        chunk += copy_escape(row[c]);
      }
      chunk += '\n';
      if (chunk.size() >= (1 << 16)) {
        if (PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) failed = true;
        chunk.clear();
      }
    }
    if (!chunk.empty() && PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) failed = true;
    PQputCopyEnd(conn_, failed ? "client failed to send rows" : nullptr);
    Status result;
    while (PGresult* r = PQgetResult(conn_)) {
      ResultGuard res(r);
      if (PQresultStatus(r) != PGRES_COMMAND_OK && result.ok()) result = error_from(r);
    }
    if (!result.ok()) return std::move(result).error();
    return static_cast<std::int64_t>(rows.size());
  }

  Status begin(bool) override { return execute_script("BEGIN"); }
  Status commit() override { return execute_script("COMMIT"); }
  Status rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return {};
    return execute_script("ROLLBACK");
  }
  bool healthy() override { return execute_script("SELECT 1").ok(); }

 private:
  Status ensure_connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return {};
    PQreset(conn_);
    prepared_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Error::unavailable("the PostgreSQL server cannot be reached; try again in a moment");
    }
    return {};
  }

  Result<const std::string*> prepare(std::string_view text, int nparams) {
    auto it = prepared_.find(text);
    if (it != prepared_.end()) return &it->second;
    std::string name = "sr_" + std::to_string(prepared_.size() + 1);
    ResultGuard res(PQprepare(conn_, name.c_str(), std::string(text).c_str(), nparams, nullptr));
    if (PQresultStatus(res.r) != PGRES_COMMAND_OK) return error_from(res.r);
    auto [pos, inserted] = prepared_.emplace(std::string(text), std::move(name));
    return &pos->second;
  }

  Error error_from(PGresult* res) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Error::unavailable("the PostgreSQL server cannot be reached; try again in a moment");
    }
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    if (state && std::string_view(state) == "23505") {
      // The server's text names the values; stores give a message of their own.
      return Error::conflict("a record with the same unique value already exists");
    }
    if (state && (std::string_view(state) == "40001" || std::string_view(state) == "40P01")) {
      return Error::unavailable("the database was busy with a conflicting change; try again");
    }
    return Error::internal("PostgreSQL: " + msg);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> prepared_;
};

}  // namespace

Result<std::unique_ptr<Connection>> open_postgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Error::unavailable("cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  auto c = std::make_unique<PgConnection>(conn);
  SR_TRY(c->execute_script("SET client_min_messages TO warning; SET TIME ZONE 'UTC'"));
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace staffroom::db
