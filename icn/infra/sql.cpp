// The SQLite side of the database interface, opening by URL or path, and migrations written once
// for both backends.
#include "icn/infra/sql.hpp"

#include <ctime>

#include "icn/infra/postgres.hpp"

namespace icn::infra {
namespace {

class SqliteStatementBackend final : public SqlStatementBackend {
 public:
  explicit SqliteStatementBackend(Statement st) : st_(std::move(st)) {}
  void bind_int64(int i, int64_t v) override { st_.bind(i, v); }
  void bind_text(int i, std::string_view t) override { st_.bind(i, t); }
  void bind_blob(int i, ByteView b) override { st_.bind_blob(i, b); }
  void bind_null(int i) override { st_.bind_null(i); }
  Result<bool> step() override { return st_.step(); }
  void reset() override { st_.reset(); }
  bool is_null(int c) const override { return st_.is_null(c); }
  int64_t column_int64(int c) const override { return st_.column_int64(c); }
  std::string column_text(int c) const override { return st_.column_text(c); }
  Bytes column_blob(int c) const override { return st_.column_blob(c); }

 private:
  Statement st_;
};

// Length of the UTF-8 sequence starting at s[i] if it is well-formed (RFC 3629), else 0.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return uint8_t(s[i + k]); };
  uint8_t c = b(0);
  if (c < 0x80) return c == 0 ? 0 : 1;
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(k) & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && b(1) < 0xa0) return 0;  // overlong
  if (c == 0xed && b(1) > 0x9f) return 0;  // surrogates
  if (c == 0xf0 && b(1) < 0x90) return 0;  // overlong
  if (c == 0xf4 && b(1) > 0x8f) return 0;  // beyond U+10FFFF
  return n;
}

}  // namespace

Status SqlStatementBackend::run() {
  while (true) {
    ICN_TRY(bool row, step());
    if (!row) return {};
  }
}

SqlTransaction::~SqlTransaction() {
  if (db_) db_->rollback_transaction();
}

Status SqlTransaction::commit() {
  if (!db_) return fail("sql: transaction already finished");
  Status s = db_->commit_transaction();
  if (s) db_ = nullptr;  // on failure the destructor still rolls back
  return s;
}

Result<SqlStatement> SqliteSqlDatabase::prepare(std::string_view sql) {
  ICN_TRY(Statement st, db_->prepare(sql));
  return SqlStatement(std::make_unique<SqliteStatementBackend>(std::move(st)));
}

Result<SqlTransaction> SqliteSqlDatabase::begin() {
  ICN_CHECK(db_->exec("BEGIN IMMEDIATE"));
  return SqlTransaction(this);
}

bool is_postgres_url(std::string_view target) {
  return target.starts_with("postgres://") || target.starts_with("postgresql://");
}

Result<std::unique_ptr<SqlDatabase>> open_sql_database(std::string_view target) {
  if (is_postgres_url(target)) {
    ICN_TRY(std::unique_ptr<PostgresDatabase> db, PostgresDatabase::connect(target));
    return std::unique_ptr<SqlDatabase>(std::move(db));
  }
  ICN_TRY(Database db, Database::open(std::filesystem::path(target)));
  return std::unique_ptr<SqlDatabase>(
      std::make_unique<SqliteSqlDatabase>(std::move(db), std::string(target)));
}

Result<int> schema_version(SqlDatabase& db) {
  ICN_CHECK(
      db.exec(db.ddl("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                     "applied_at INTEGER NOT NULL)")));
  ICN_TRY(SqlStatement s, db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  ICN_TRY(bool row, s.step());
  return row ? int(s.column_int64(0)) : 0;
}

Status migrate(SqlDatabase& db, const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != int(i) + 1) {
      return fail("migrations: expected version " + std::to_string(i + 1) + " at position " +
                  std::to_string(i) + ", found " + std::to_string(migrations[i].version));
    }
  }
  ICN_TRY(int current, schema_version(db));
  int known = int(migrations.size());
  if (current > known) {
    return fail("database schema version " + std::to_string(current) +
                " is newer than this program knows (" + std::to_string(known) +
                "): use a newer icn");
  }
  for (int v = current + 1; v <= known; ++v) {
    const Migration& m = migrations[size_t(v - 1)];
    std::string what = "migration " + std::to_string(v);
    ICN_TRY_CTX(SqlTransaction tx, db.begin(), what);
    if (Status s = db.exec(db.ddl(m.sql)); !s) return std::move(s).error().context(what);
    ICN_TRY_CTX(SqlStatement record,
                db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
                what);
    record.bind(1, int64_t(v)).bind(2, int64_t(std::time(nullptr)));
    if (Status s = record.run(); !s) return std::move(s).error().context(what);
    if (Status s = tx.commit(); !s) return std::move(s).error().context(what);
  }
  return {};
}

std::string storable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_sequence(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace icn::infra
