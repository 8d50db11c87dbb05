// One small database interface over SQLite and PostgreSQL, so a store (the indexer's) is written
// once: prepared statements with `?` placeholders and typed binds/columns, RAII transactions and
// numbered migrations. The dialect differences live in the two implementations, not in callers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::infra {

enum class SqlDialect { kSqlite, kPostgres };

// What an implementation provides for one prepared statement.
class SqlStatementBackend {
 public:
  virtual ~SqlStatementBackend() = default;
  virtual void bind_int64(int index, int64_t value) = 0;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_blob(int index, ByteView blob) = 0;
  virtual void bind_null(int index) = 0;
  virtual Result<bool> step() = 0;
  // Runs a statement whose rows are not wanted. Inside a pipelined transaction it may only be
  // sent (SqlDatabase::begin_pipelined()); by default it steps to the end.
  virtual Status run();
  virtual void reset() = 0;
  virtual bool is_null(int column) const = 0;
  virtual int64_t column_int64(int column) const = 0;
  virtual std::string column_text(int column) const = 0;
  virtual Bytes column_blob(int column) const = 0;
};

// A prepared statement of either backend. Parameters are `?` in the SQL text, bound 1-based in
// order; columns are 0-based. Bind errors are reported by step()/run().
class SqlStatement {
 public:
  explicit SqlStatement(std::unique_ptr<SqlStatementBackend> backend)
      : backend_(std::move(backend)) {}

  SqlStatement& bind(int index, int64_t value) {
    backend_->bind_int64(index, value);
    return *this;
  }
  SqlStatement& bind(int index, std::string_view text) {
    backend_->bind_text(index, text);
    return *this;
  }
  SqlStatement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  SqlStatement& bind_blob(int index, ByteView blob) {
    backend_->bind_blob(index, blob);
    return *this;
  }
  SqlStatement& bind_null(int index) {
    backend_->bind_null(index);
    return *this;
  }
  SqlStatement& bind(int index, std::optional<int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // true: a row is ready to read; false: done.
  Result<bool> step() { return backend_->step(); }
  // Steps to the end (for statements whose rows are not read). In a pipelined transaction it
  // may return before the statement ran: see SqlDatabase::begin_pipelined().
  Status run() { return backend_->run(); }
  // Ready to run again with new binds.
  void reset() { backend_->reset(); }

  bool is_null(int column) const { return backend_->is_null(column); }
  int64_t column_int64(int column) const { return backend_->column_int64(column); }
  std::optional<int64_t> column_optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return column_int64(column);
  }
  std::string column_text(int column) const { return backend_->column_text(column); }
  Bytes column_blob(int column) const { return backend_->column_blob(column); }

 private:
  std::unique_ptr<SqlStatementBackend> backend_;
};

class SqlDatabase;

// Rolls back on destruction unless commit() succeeded.
class SqlTransaction {
 public:
  explicit SqlTransaction(SqlDatabase* db) : db_(db) {}
  SqlTransaction(SqlTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqlTransaction& operator=(SqlTransaction&&) = delete;
  ~SqlTransaction();
  Status commit();

 private:
  SqlDatabase* db_ = nullptr;
};

// One connection; use from one thread at a time.
//
// Portable SQL is what both SQLite (≥ 3.35) and PostgreSQL accept: `?` placeholders, `INSERT …
// ON CONFLICT (key) DO UPDATE SET c = excluded.c` / `ON CONFLICT DO NOTHING`, `RETURNING`, and
// 64-bit integers compared with `<> 0` rather than used as booleans. Schema text (migrations) is
// written once in SQLite's spelling; ddl() turns it into the connection's own.
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual SqlDialect dialect() const = 0;
  // For messages: "sqlite /data/index.db", "postgres://icn@127.0.0.1:5432/index" (no password).
  virtual std::string describe() const = 0;
  // One or more statements without parameters or results.
  virtual Status exec(std::string_view sql) = 0;
  // One statement with `?` placeholders.
  virtual Result<SqlStatement> prepare(std::string_view sql) = 0;
  // A write transaction (SQLite: BEGIN IMMEDIATE, so it cannot fail later on lock upgrade).
  virtual Result<SqlTransaction> begin() = 0;
  // A write transaction whose SqlStatement::run() calls may return before the statement ran,
  // so many statements cost one round trip to a server (PostgreSQL's pipeline mode; SQLite runs
  // each at once, as in begin()). A statement's failure is reported by the next step() of a
  // statement that returns rows, by a later run() or exec(), or at the latest by commit() —
  // naming the statement that failed — and the whole transaction rolls back: nothing of it is
  // committed, whichever statement failed.
  virtual Result<SqlTransaction> begin_pipelined() { return begin(); }
  // Schema text in SQLite's spelling as this dialect needs it. PostgreSQL: "INTEGER PRIMARY KEY
  // AUTOINCREMENT" → "BIGSERIAL PRIMARY KEY", INTEGER → BIGINT (SQLite's integers are 64-bit),
  // BLOB → BYTEA. SQLite: unchanged.
  virtual std::string ddl(std::string_view sqlite_ddl) const { return std::string(sqlite_ddl); }

 protected:
  friend class SqlTransaction;
  // How SqlTransaction ends the transaction begin() or begin_pipelined() started.
  virtual Status commit_transaction() { return exec("COMMIT"); }
  virtual void rollback_transaction() { (void)exec("ROLLBACK"); }
};

// SQLite behind the interface: owning its Database, or a view of one owned elsewhere.
class SqliteSqlDatabase final : public SqlDatabase {
 public:
  SqliteSqlDatabase(Database db, std::string path)
      : owned_(std::move(db)), db_(&*owned_), path_(std::move(path)) {}
  explicit SqliteSqlDatabase(Database& db) : db_(&db), path_("(connection)") {}
  SqliteSqlDatabase(const SqliteSqlDatabase&) = delete;  // db_ may point into owned_
  SqliteSqlDatabase& operator=(const SqliteSqlDatabase&) = delete;
  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  std::string describe() const override { return "sqlite " + path_; }
  Status exec(std::string_view sql) override { return db_->exec(sql); }
  Result<SqlStatement> prepare(std::string_view sql) override;
  Result<SqlTransaction> begin() override;
  Database& sqlite() { return *db_; }

 private:
  std::optional<Database> owned_;
  Database* db_;
  std::string path_;
};

// "postgres://…" or "postgresql://…": a PostgreSQL connection (postgres.hpp); anything else is a
// SQLite file path (created if missing; ":memory:" for tests).
bool is_postgres_url(std::string_view target);
Result<std::unique_ptr<SqlDatabase>> open_sql_database(std::string_view target);

// Applies every migration newer than the database's version, each in its own transaction with its
// row in schema_migrations(version, applied_at); the SQL goes through db.ddl(). Refuses a database
// newer than the code: "database schema version 4 is newer than this program knows (3)".
Status migrate(SqlDatabase& db, const std::vector<Migration>& migrations);
Result<int> schema_version(SqlDatabase& db);

// `text` with invalid UTF-8 sequences and NUL characters replaced by U+FFFD: what both backends
// can store in a TEXT column (PostgreSQL refuses both), so they serve identical bytes.
std::string storable_text(std::string_view text);

}  // namespace icn::infra
