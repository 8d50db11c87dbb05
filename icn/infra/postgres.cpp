// libpq under the database interface, and a throwaway PostgreSQL server for tests.
#include "icn/infra/postgres.hpp"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstring>
#include <thread>

#include "icn/infra/files.hpp"

namespace icn::infra {
namespace {

constexpr Oid kByteaOid = 17;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string sql_excerpt(std::string_view sql) {
  std::string s(sql.substr(0, 80));
  if (sql.size() > 80) s += "…";
  return "\"" + s + "\"";
}

// The server's message for a failed result ("ERROR:  relation \"x\" does not exist").
std::string result_error(PGconn* conn, PGresult* res) {
  const char* msg = res ? PQresultErrorMessage(res) : nullptr;
  std::string out = msg && *msg ? msg : PQerrorMessage(conn);
  out = trimmed(out);
  return out.empty() ? "unknown error" : out;
}

bool result_ok(PGresult* res) {
  auto st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

// Whole-word replacement of `from` by `to` (ASCII identifiers).
std::string replace_word(std::string s, std::string_view from, std::string_view to) {
  auto is_word = [](char c) { return std::isalnum(uint8_t(c)) || c == '_'; };
  size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    bool left = at == 0 || !is_word(s[at - 1]);
    bool right = at + from.size() == s.size() || !is_word(s[at + from.size()]);
    if (left && right) {
      s.replace(at, from.size(), to);
      at += to.size();
    } else {
      at += from.size();
    }
  }
  return s;
}

class PostgresStatementBackend final : public SqlStatementBackend {
 public:
  PostgresStatementBackend(PGconn* conn, std::string sql, std::string original)
      : conn_(conn), sql_(std::move(sql)), original_(std::move(original)) {}
  ~PostgresStatementBackend() override { clear_result(); }

  void bind_int64(int i, int64_t v) override { slot(i) = Param{std::to_string(v), false, true}; }
  void bind_text(int i, std::string_view t) override {
    slot(i) = Param{std::string(t), false, true};
  }
  void bind_blob(int i, ByteView b) override {
    slot(i) = Param{std::string(reinterpret_cast<const char*>(b.data()), b.size()), true, true};
  }
  void bind_null(int i) override { slot(i) = Param{}; }

  Result<bool> step() override {
    if (bad_index_) {
      return fail("postgres: bind parameter " + std::to_string(bad_index_) + " out of range");
    }
    if (!res_) {
      std::vector<const char*> values;
      std::vector<int> lengths, formats;
      std::vector<Oid> types;
      for (const Param& p : params_) {
        values.push_back(p.present ? p.value.data() : nullptr);
        lengths.push_back(int(p.value.size()));
        formats.push_back(p.binary ? 1 : 0);
        types.push_back(p.binary ? kByteaOid : 0);
      }
      res_ = PQexecParams(conn_, sql_.c_str(), int(params_.size()), types.data(), values.data(),
                          lengths.data(), formats.data(), 0);
      if (!result_ok(res_)) {
        std::string why = result_error(conn_, res_);
        clear_result();
        failed_ = true;
        return fail("postgres: " + sql_excerpt(original_) + ": " + why);
      }
      rows_ = PQntuples(res_);
      row_ = -1;
    }
    if (failed_) return fail("postgres: " + sql_excerpt(original_) + ": statement failed");
    if (row_ + 1 >= rows_) {
      row_ = rows_;
      return false;
    }
    ++row_;
    return true;
  }

  void reset() override {
    clear_result();
    params_.clear();
    bad_index_ = 0;
    failed_ = false;
  }

  bool is_null(int c) const override { return !valid(c) || PQgetisnull(res_, row_, c); }
  int64_t column_int64(int c) const override {
    if (is_null(c)) return 0;
    const char* p = PQgetvalue(res_, row_, c);
    size_t n = size_t(PQgetlength(res_, row_, c));
    if (n == 1 && (*p == 't' || *p == 'f')) return *p == 't';  // booleans
    int64_t v = 0;
    std::from_chars(p, p + n, v);
    return v;
  }
  std::string column_text(int c) const override {
    if (is_null(c)) return {};
    return std::string(PQgetvalue(res_, row_, c), size_t(PQgetlength(res_, row_, c)));
  }
  Bytes column_blob(int c) const override {
    if (is_null(c)) return {};
    size_t n = 0;
    unsigned char* raw =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(res_, row_, c)), &n);
    if (!raw) return {};
    Bytes out(raw, raw + n);
    PQfreemem(raw);
    return out;
  }

 private:
  struct Param {
    std::string value;
    bool binary = false;
    bool present = false;  // false: NULL
  };
  Param& slot(int index) {
    static Param sink;
    if (index < 1 || index > 65535) {
      if (!bad_index_) bad_index_ = index == 0 ? -1 : index;
      return sink;
    }
    if (params_.size() < size_t(index)) params_.resize(size_t(index));
    return params_[size_t(index - 1)];
  }
  bool valid(int c) const {
    return res_ && row_ >= 0 && row_ < rows_ && c >= 0 && c < PQnfields(res_);
  }
  void clear_result() {
    if (res_) PQclear(res_);
    res_ = nullptr;
    rows_ = row_ = 0;
  }

  PGconn* conn_;
  std::string sql_, original_;
  std::vector<Param> params_;
  int bad_index_ = 0;
  bool failed_ = false;
  PGresult* res_ = nullptr;
  int rows_ = 0, row_ = 0;
};

void ignore_notice(void*, const char*) {}

// The last lines of the server's log, for a start failure.
std::string log_tail(const std::filesystem::path& path) {
  auto text = read_file(path, 1 << 20);
  if (!text) return "";
  std::string s = trimmed(*text);
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

// A loopback port nobody listens on right now (the server binds it a moment later).
Result<uint16_t> free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fail("postgres: socket: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) return fail("postgres: cannot find a free loopback port");
  return uint16_t(ntohs(addr.sin_port));
}

// argv run as the `postgres` user when we are root (initdb and postgres refuse root).
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  std::vector<std::string> out = {"setpriv", "--reuid=postgres", "--regid=postgres",
                                  "--clear-groups", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace

// ---- PostgresDatabase ------------------------------------------------------------------------

std::string redact_url(std::string_view url) {
  std::string s(url);
  size_t scheme = s.find("://");
  if (scheme == std::string::npos) return s;
  size_t at = s.find('@', scheme + 3);
  size_t colon = s.find(':', scheme + 3);
  if (at != std::string::npos && colon != std::string::npos && colon < at) {
    s.replace(colon + 1, at - colon - 1, "***");
  }
  return s;
}

std::string postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && std::isdigit(uint8_t(sql[j]))) ++j;
    if (j > i + 1) {
      out += "$" + std::string(sql.substr(i + 1, j - i - 1));
      i = j - 1;
    } else {
      out += "$" + std::to_string(++next);
    }
  }
  return out;
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::connect(std::string_view url) {
  std::string text(url);
  PGconn* conn = PQconnectdb(text.c_str());
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(conn, redact_url(url)));
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? trimmed(PQerrorMessage(conn)) : "out of memory";
    return fail("postgres: cannot connect to " + redact_url(url) + ": " + why);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  ICN_CHECK(db->exec("SET client_encoding TO 'UTF8'"));
  return db;
}

PostgresDatabase::~PostgresDatabase() {
  if (conn_) PQfinish(conn_);
}

Status PostgresDatabase::ensure_connected() {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return fail("postgres: connection to " + url_ + " lost: " + trimmed(PQerrorMessage(conn_)));
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  return exec("SET client_encoding TO 'UTF8'");
}

Status PostgresDatabase::exec(std::string_view sql) {
  std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  bool ok = result_ok(res);
  std::string why = ok ? "" : result_error(conn_, res);
  if (res) PQclear(res);
  if (!ok) return fail("postgres: " + sql_excerpt(sql) + ": " + why);
  return {};
}

Result<SqlStatement> PostgresDatabase::prepare(std::string_view sql) {
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE || PQstatus(conn_) != CONNECTION_OK) {
    ICN_CHECK(ensure_connected());
  }
  return SqlStatement(std::make_unique<PostgresStatementBackend>(conn_, postgres_placeholders(sql),
                                                                 std::string(sql)));
}

Result<SqlTransaction> PostgresDatabase::begin() {
  ICN_CHECK(ensure_connected());
  ICN_CHECK(exec("BEGIN"));
  return SqlTransaction(this);
}

std::string PostgresDatabase::ddl(std::string_view sqlite_ddl) const {
  std::string s(sqlite_ddl);
  s = replace_word(s, "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY");
  s = replace_word(s, "INTEGER", "BIGINT");
  s = replace_word(s, "BLOB", "BYTEA");
  return s;
}

// ---- PostgresServer --------------------------------------------------------------------------

Result<std::filesystem::path> find_postgres_bin_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int v = 0;
    std::string name = entry.path().filename().string();
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), v);
    if (err != std::errc() || end != name.data() + name.size()) continue;
    if (v > best_version && fs::exists(entry.path() / "bin/initdb", ec)) {
      best_version = v;
      best = entry.path() / "bin";
    }
  }
  if (best_version >= 0) return best;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest(path);
    while (!rest.empty()) {
      size_t colon = rest.find(':');
      fs::path dir(std::string(rest.substr(0, colon)));
      if (!dir.empty() && fs::exists(dir / "initdb", ec) && fs::exists(dir / "postgres", ec))
        return dir;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  return fail(
      "postgres: initdb not found under /usr/lib/postgresql/*/bin or on PATH (install "
      "postgresql: scripts/bootstrap)");
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::start(PostgresServerOptions options) {
  namespace fs = std::filesystem;
  if (options.bin_dir.empty()) {
    ICN_TRY(options.bin_dir, find_postgres_bin_dir());
  }
  if (options.dir.empty()) return fail("postgres: a directory for the server is required");
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) return fail("postgres: cannot create " + options.dir.string() + ": " + ec.message());
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw) return fail("postgres: running as root but there is no `postgres` user to run as");
    if (::chown(options.dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return fail("postgres: cannot hand " + options.dir.string() +
                  " to the postgres user: " + std::strerror(errno));
    }
  }
  fs::path data = options.dir / "data";
  Deadline deadline = deadline_in(options.start_timeout);

  SubprocessOptions init;
  init.argv = as_server_user({(options.bin_dir / "initdb").string(), "-D", data.string(), "-U",
                              "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"});
  init.stdout_to = OutputTarget::discard();
  init.stderr_to = OutputTarget::pipe();
  ICN_TRY(Subprocess initdb, Subprocess::spawn(init));
  initdb.drain_in_background(Stream::kStderr);
  auto done = initdb.wait_for_exit(deadline);
  if (!done || !done->success()) {
    return fail("postgres: initdb failed (" + (done ? done->describe() : "timed out") +
                "): " + trimmed(initdb.output_tail(Stream::kStderr)));
  }

  // The port is free when probed; should the server lose a race for it, try another.
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    ICN_TRY(uint16_t port, free_loopback_port());
    SubprocessOptions run;
    run.argv = as_server_user({(options.bin_dir / "postgres").string(), "-D", data.string(), "-p",
                               std::to_string(port), "-k", options.dir.string(), "-c",
                               "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
                               "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
                               "max_connections=100", "-c", "shared_buffers=16MB"});
    run.stdout_to = OutputTarget::discard();
    run.stderr_to = OutputTarget::to_file(options.dir / "server.log");
    run.destructor_grace = std::chrono::milliseconds(5000);
    ICN_TRY(Subprocess server, Subprocess::spawn(run));
    std::unique_ptr<PostgresServer> out(new PostgresServer(options, std::move(server), port));
    std::string url = out->url();
    while (SteadyClock::now() < deadline) {
      if (PQping(url.c_str()) == PQPING_OK) return out;
      if (!out->server_->running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string log = log_tail(options.dir / "server.log");
    last_error = log.empty() ? "not accepting connections" : log;
    out->server_->terminate(std::chrono::milliseconds(2000));
    out->server_.reset();
    out->options_.dir.clear();  // keep the cluster for the next attempt
    if (SteadyClock::now() >= deadline) break;
  }
  std::filesystem::remove_all(options.dir, ec);
  return fail("postgres: server did not start: " + last_error);
}

PostgresServer::~PostgresServer() {
  stop();
}

void PostgresServer::stop() {
  if (server_) {
    // SIGINT: "fast" shutdown (disconnect clients, no waiting for them).
    server_->signal_group(SIGINT);
    if (!server_->wait_for_exit(deadline_in(std::chrono::seconds(10)))) {
      server_->terminate(std::chrono::milliseconds(2000));
    }
    server_.reset();
  }
  if (!options_.dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(options_.dir, ec);
    options_.dir.clear();
  }
}

std::string PostgresServer::url(std::string_view database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

Status PostgresServer::create_database(std::string_view name) {
  if (name.empty() || name.size() > 63 || !std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(uint8_t(c)) || c == '_';
      })) {
    return fail("postgres: bad database name \"" + std::string(name) + "\"");
  }
  ICN_TRY(std::unique_ptr<PostgresDatabase> admin, PostgresDatabase::connect(url()));
  return admin->exec("CREATE DATABASE \"" + std::string(name) + "\"");
}

}  // namespace icn::infra
