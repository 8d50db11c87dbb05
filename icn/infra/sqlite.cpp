// RAII over the SQLite C API, with every error carrying SQLite's own message.
#include "icn/infra/sqlite.hpp"

#include <sqlite3.h>

#include "icn/infra/sql.hpp"

namespace icn::infra {
namespace {

Error sql_error(sqlite3* db, std::string_view what) {
  return fail("sqlite: " + std::string(what) + (what.empty() ? "" : ": ") + sqlite3_errmsg(db));
}

std::string quoted(std::string_view sql) {
  std::string s(sql.substr(0, 80));
  if (sql.size() > 80) s += "…";
  return "\"" + s + "\"";
}

}  // namespace

// ---- Statement -------------------------------------------------------------------------------

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(o.stmt_), bind_error_(std::move(o.bind_error_)) {
  o.stmt_ = nullptr;
}
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    bind_error_ = std::move(o.bind_error_);
    o.stmt_ = nullptr;
  }
  return *this;
}
Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_) {
    bind_error_ =
        fail("sqlite: bind parameter " + std::to_string(index) + ": " + sqlite3_errstr(rc));
  }
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  return check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}
Statement& Statement::bind(int index, std::string_view text) {
  return check_bind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}
Statement& Statement::bind_blob(int index, ByteView blob) {
  // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer.
  static const uint8_t kEmpty = 0;
  return check_bind(sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmpty : blob.data(),
                                        blob.size(), SQLITE_TRANSIENT),
                    index);
}
Statement& Statement::bind_null(int index) {
  return check_bind(sqlite3_bind_null(stmt_, index), index);
}
Statement& Statement::bind(int index, std::optional<int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_error_) return *bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sql_error(db_, "step " + quoted(sqlite3_sql(stmt_)));
}

Status Statement::run() {
  while (true) {
    ICN_TRY(bool row, step());
    if (!row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

bool Statement::is_null(int c) const {
  return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}
int64_t Statement::column_int64(int c) const {
  return sqlite3_column_int64(stmt_, c);
}
std::optional<int64_t> Statement::column_optional_int64(int c) const {
  if (is_null(c)) return std::nullopt;
  return column_int64(c);
}
std::string Statement::column_text(int c) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
  return p ? std::string(p, size_t(sqlite3_column_bytes(stmt_, c))) : std::string();
}
Bytes Statement::column_blob(int c) const {
  auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, c));
  return p ? Bytes(p, p + sqlite3_column_bytes(stmt_, c)) : Bytes();
}

// ---- Transaction -----------------------------------------------------------------------------

Transaction::Transaction(Transaction&& o) noexcept : db_(o.db_) {
  o.db_ = nullptr;
}
Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}
Status Transaction::commit() {
  if (!db_) return fail("sqlite: transaction already finished");
  Status s = db_->exec("COMMIT");
  if (s) db_ = nullptr;  // on failure the destructor still rolls back
  return s;
}

// ---- Database --------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& path, DatabaseOptions options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) {
    std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return fail("sqlite: cannot open " + path.string() + ": " + why);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, int(options.busy_timeout.count()));
  Status setup =
      db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  if (!setup) return std::move(setup).error().context("open " + path.string());
  return db;
}

Database::Database(Database&& o) noexcept : db_(o.db_) {
  o.db_ = nullptr;
}
Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}
Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return fail("sqlite: " + why);
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) return sql_error(db_, "prepare " + quoted(sql));
  if (!stmt) return fail("sqlite: prepare " + quoted(sql) + ": no statement");
  Statement s(db_, stmt);
  std::string_view rest(tail, size_t(sql.data() + sql.size() - tail));
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    return fail("sqlite: prepare " + quoted(sql) + ": more than one statement");
  }
  return s;
}

Result<Transaction> Database::begin() {
  ICN_CHECK(exec("BEGIN IMMEDIATE"));
  return Transaction(this);
}

int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

std::string Database::pragma_text(std::string_view name) {
  auto stmt = prepare("PRAGMA " + std::string(name));
  if (!stmt) return "";
  auto row = stmt->step();
  return row.ok() && *row ? stmt->column_text(0) : "";
}

// ---- Migrations ------------------------------------------------------------------------------

// One implementation of migrations for both backends (sql.cpp).
Result<int> schema_version(Database& db) {
  SqliteSqlDatabase view(db);
  return schema_version(static_cast<SqlDatabase&>(view));
}

Status migrate(Database& db, const std::vector<Migration>& migrations) {
  SqliteSqlDatabase view(db);
  return migrate(static_cast<SqlDatabase&>(view), migrations);
}

}  // namespace icn::infra
