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
#include <optional>
#include <thread>
#include <unordered_map>

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

}  // namespace

// What a connection and its statements share: pipeline state and the statements prepared on the
// server (by name) so far.
struct PostgresSession {
  PGconn* conn = nullptr;
  bool pipeline = false;  // in pipeline mode: inside a begin_pipelined() transaction
  struct Pending {
    std::string sql;            // as written by the caller, for messages
    std::string prepared_key;   // a Parse: its name is forgotten should it fail
    PGresult** keep = nullptr;  // where a row-returning statement wants its result
  };
  std::vector<Pending> pending;  // sent (or queued), results not read yet
  std::optional<Error> failed;   // the first failure of this pipelined transaction
  std::unordered_map<std::string, std::string> prepared;  // text + blob mask → statement name
  uint64_t next_name = 0;

  // Sends everything queued with a Sync and reads every result: each query's results end with a
  // NULL, the Sync's with PGRES_PIPELINE_SYNC. After an error the server skips the rest up to the
  // Sync (PGRES_PIPELINE_ABORTED). The first error names its statement.
  Status sync() {
    if (pending.empty()) return failed ? Status(*failed) : Status();
    if (PQpipelineSync(conn) != 1) {
      pending.clear();
      if (!failed)
        failed = fail("postgres: cannot send the pipeline: " + trimmed(PQerrorMessage(conn)));
      return *failed;
    }
    size_t i = 0;
    int nulls = 0;  // consecutive: more than one past the last query means the connection broke
    while (true) {
      PGresult* r = PQgetResult(conn);
      if (!r) {
        if (i < pending.size()) {
          ++i;
          nulls = 0;
          continue;
        }
        if (++nulls > 1 || PQstatus(conn) == CONNECTION_BAD) {
          if (!failed)
            failed =
                fail("postgres: connection lost in a pipeline: " + trimmed(PQerrorMessage(conn)));
          break;
        }
        continue;
      }
      nulls = 0;
      ExecStatusType st = PQresultStatus(r);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(r);
        break;
      }
      Pending* p = i < pending.size() ? &pending[i] : nullptr;
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (p && p->keep) {
          *p->keep = r;
          r = nullptr;
        }
      } else {
        if (p && !p->prepared_key.empty()) prepared.erase(p->prepared_key);
        if (st != PGRES_PIPELINE_ABORTED && !failed) {
          failed = fail("postgres: " + sql_excerpt(p ? p->sql : "") + ": " + result_error(conn, r));
        }
      }
      if (r) PQclear(r);
    }
    pending.clear();
    return failed ? Status(*failed) : Status();
  }
};

namespace {

class PostgresStatementBackend final : public SqlStatementBackend {
 public:
  PostgresStatementBackend(PostgresSession* session, std::string sql, std::string original)
      : session_(session), sql_(std::move(sql)), original_(std::move(original)) {}
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
    if (failed_) return fail("postgres: " + sql_excerpt(original_) + ": statement failed");
    if (!res_) {
      if (session_->pipeline) {
        // The rows are wanted now: everything queued goes with this statement, one round trip.
        Status sent = send(&res_);
        if (sent) sent = session_->sync();
        if (!sent) {
          clear_result();
          failed_ = true;
          return sent.error();
        }
      } else {
        ICN_CHECK(execute());
      }
      rows_ = PQntuples(res_);
      row_ = -1;
    }
    if (row_ + 1 >= rows_) {
      row_ = rows_;
      return false;
    }
    ++row_;
    return true;
  }

  Status run() override {
    if (!session_->pipeline) return SqlStatementBackend::run();
    if (bad_index_) {
      return fail("postgres: bind parameter " + std::to_string(bad_index_) + " out of range");
    }
    ICN_CHECK(send(nullptr));
    // Bounded: libpq buffers every queued statement and its results until they are read.
    if (session_->pending.size() >= PostgresDatabase::kMaxPipelined) return session_->sync();
    return {};
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
  // libpq's arrays over params_ (valid while params_ is unchanged).
  struct Wire {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    std::vector<Oid> types;
    std::string key;  // the text and which parameters are blobs: one server-side statement each
  };
  Wire wire() const {
    Wire w;
    w.key = sql_;
    w.key += '\0';
    for (const Param& p : params_) {
      w.values.push_back(p.present ? p.value.data() : nullptr);
      w.lengths.push_back(int(p.value.size()));
      w.formats.push_back(p.binary ? 1 : 0);
      w.types.push_back(p.binary ? kByteaOid : 0);
      w.key += p.binary ? 'b' : 't';
    }
    return w;
  }

  // The server-side statement for `w`: its name, prepared now if new (in pipeline mode: queued,
  // and forgotten again should the Parse fail); "" when the connection holds as many as it may.
  Result<std::string> statement_name(const Wire& w) {
    auto it = session_->prepared.find(w.key);
    if (it != session_->prepared.end()) return it->second;
    if (session_->prepared.size() >= PostgresDatabase::kMaxPreparedStatements) return std::string();
    std::string name = "icn_" + std::to_string(session_->next_name++);
    PGconn* conn = session_->conn;
    if (session_->pipeline) {
      if (PQsendPrepare(conn, name.c_str(), sql_.c_str(), int(w.types.size()), w.types.data()) !=
          1) {
        return fail("postgres: " + sql_excerpt(original_) + ": " + trimmed(PQerrorMessage(conn)));
      }
      session_->pending.push_back({original_, w.key, nullptr});
    } else {
      PGresult* r =
          PQprepare(conn, name.c_str(), sql_.c_str(), int(w.types.size()), w.types.data());
      bool ok = result_ok(r);
      std::string why = ok ? "" : result_error(conn, r);
      if (r) PQclear(r);
      if (!ok) return fail("postgres: " + sql_excerpt(original_) + ": " + why);
    }
    session_->prepared.emplace(w.key, name);
    return name;
  }

  // Pipeline mode: queues the statement; its result goes to *keep (or is only checked).
  Status send(PGresult** keep) {
    if (session_->failed) return *session_->failed;
    Wire w = wire();
    ICN_TRY(std::string name, statement_name(w));
    PGconn* conn = session_->conn;
    int n = int(w.values.size());
    int ok = name.empty()
                 ? PQsendQueryParams(conn, sql_.c_str(), n, w.types.data(), w.values.data(),
                                     w.lengths.data(), w.formats.data(), 0)
                 : PQsendQueryPrepared(conn, name.c_str(), n, w.values.data(), w.lengths.data(),
                                       w.formats.data(), 0);
    if (ok != 1) {
      if (!session_->failed) {
        session_->failed =
            fail("postgres: " + sql_excerpt(original_) + ": " + trimmed(PQerrorMessage(conn)));
      }
      return *session_->failed;
    }
    session_->pending.push_back({original_, "", keep});
    return {};
  }

  // Outside pipeline mode: runs the statement now, its result in res_.
  Status execute() {
    Wire w = wire();
    Result<std::string> name = statement_name(w);
    if (!name) {
      failed_ = true;
      return name.error();
    }
    PGconn* conn = session_->conn;
    int n = int(w.values.size());
    res_ = name->empty() ? PQexecParams(conn, sql_.c_str(), n, w.types.data(), w.values.data(),
                                        w.lengths.data(), w.formats.data(), 0)
                         : PQexecPrepared(conn, name->c_str(), n, w.values.data(), w.lengths.data(),
                                          w.formats.data(), 0);
    if (!result_ok(res_)) {
      std::string why = result_error(conn, res_);
      clear_result();
      failed_ = true;
      return fail("postgres: " + sql_excerpt(original_) + ": " + why);
    }
    return {};
  }

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

  PostgresSession* session_;
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

PostgresDatabase::PostgresDatabase(pg_conn* conn, std::string url)
    : session_(std::make_unique<PostgresSession>()), conn_(conn), url_(std::move(url)) {
  session_->conn = conn;
}

PostgresDatabase::~PostgresDatabase() {
  if (conn_) PQfinish(conn_);
}

Status PostgresDatabase::ensure_connected() {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  PQreset(conn_);
  session_->prepared.clear();  // a new server session knows none of them
  session_->pending.clear();
  session_->pipeline = false;
  if (PQstatus(conn_) != CONNECTION_OK) {
    return fail("postgres: connection to " + url_ + " lost: " + trimmed(PQerrorMessage(conn_)));
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  return exec("SET client_encoding TO 'UTF8'");
}

Status PostgresDatabase::exec(std::string_view sql) {
  // PQexec (several statements, the simple protocol) is not allowed in pipeline mode: what is
  // queued goes first, then the statement runs outside the pipeline and the pipeline resumes.
  bool pipelined = session_->pipeline;
  if (pipelined) {
    ICN_CHECK(leave_pipeline());
  }
  std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  bool ok = result_ok(res);
  std::string why = ok ? "" : result_error(conn_, res);
  if (res) PQclear(res);
  if (pipelined && PQenterPipelineMode(conn_) == 1) session_->pipeline = true;
  if (!ok) {
    Error e = fail("postgres: " + sql_excerpt(sql) + ": " + why);
    if (pipelined && !session_->failed) session_->failed = e;
    return e;
  }
  return {};
}

Result<SqlStatement> PostgresDatabase::prepare(std::string_view sql) {
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE || PQstatus(conn_) != CONNECTION_OK) {
    ICN_CHECK(ensure_connected());
  }
  return SqlStatement(std::make_unique<PostgresStatementBackend>(
      session_.get(), postgres_placeholders(sql), std::string(sql)));
}

Result<SqlTransaction> PostgresDatabase::begin() {
  ICN_CHECK(ensure_connected());
  ICN_CHECK(exec("BEGIN"));
  return SqlTransaction(this);
}

Result<SqlTransaction> PostgresDatabase::begin_pipelined() {
  ICN_CHECK(ensure_connected());
  if (session_->pipeline) return fail("postgres: a pipelined transaction is already open");
  ICN_CHECK(exec("BEGIN"));
  SqlTransaction tx(this);  // rolls back should entering pipeline mode fail
  if (PQenterPipelineMode(conn_) != 1) {
    return fail("postgres: cannot enter pipeline mode: " + trimmed(PQerrorMessage(conn_)));
  }
  session_->pipeline = true;
  session_->failed.reset();
  return tx;
}

Status PostgresDatabase::leave_pipeline() {
  Status synced = session_->sync();
  session_->pipeline = false;
  if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF && PQexitPipelineMode(conn_) != 1) {
    return fail("postgres: cannot leave pipeline mode: " + trimmed(PQerrorMessage(conn_)));
  }
  return synced;
}

Status PostgresDatabase::commit_transaction() {
  if (!session_->pipeline) {
    if (session_->failed) return *session_->failed;
    // The server would answer COMMIT with ROLLBACK, not an error: never report that as committed.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      return fail("postgres: COMMIT refused: a statement of the transaction failed");
    }
    return exec("COMMIT");
  }
  // COMMIT goes with the last queued statements: one round trip. Should any of them have
  // failed, the server skips the COMMIT and the transaction stays open, aborted, for the
  // rollback; a failure already reported means no COMMIT is sent at all.
  if (!session_->failed) {
    if (PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1) {
      session_->pending.push_back({"COMMIT", "", nullptr});
    } else {
      session_->failed = fail("postgres: \"COMMIT\": " + trimmed(PQerrorMessage(conn_)));
    }
  }
  Status s = leave_pipeline();
  if (!s) return s;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    return fail("postgres: COMMIT left the transaction open");
  }
  session_->failed.reset();
  return {};
}

void PostgresDatabase::rollback_transaction() {
  if (session_->pipeline) (void)leave_pipeline();
  session_->failed.reset();
  (void)exec("ROLLBACK");
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
