// SQLite for role state: durable by default (WAL, synchronous=FULL), prepared statements with
// typed binds and columns, RAII transactions, and numbered schema migrations.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace icn::infra {

class Database;

// A prepared statement. Bind errors are remembered and reported by step()/run().
// Parameters are 1-based (SQLite's convention); columns are 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, ByteView blob);
  Statement& bind_null(int index);
  Statement& bind(int index, std::optional<int64_t> value);

  // true: a row is ready to read; false: done.
  Result<bool> step();
  // Steps to the end (for statements that return no rows).
  Status run();
  // Ready to run again with new binds.
  void reset();

  bool is_null(int column) const;
  int64_t column_int64(int column) const;
  std::optional<int64_t> column_optional_int64(int column) const;
  std::string column_text(int column) const;
  Bytes column_blob(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement& check_bind(int rc, int index);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> bind_error_;
};

// Rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  friend class Database;
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

struct DatabaseOptions {
  std::chrono::milliseconds busy_timeout{5000};
};

// One connection; use from one thread at a time.
class Database {
 public:
  // Opens (creating) the file with WAL, synchronous=FULL (a commit is on disk when it returns),
  // foreign keys on and the busy timeout. ":memory:" works for tests.
  static Result<Database> open(const std::filesystem::path& path, DatabaseOptions options = {});
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  ~Database();

  // Runs one or more statements without results: "sqlite: near \"CRATE\": syntax error".
  Status exec(std::string_view sql);
  // "sqlite: prepare \"SELEC 1\": near \"SELEC\": syntax error".
  Result<Statement> prepare(std::string_view sql);
  // BEGIN IMMEDIATE: takes the write lock now, so the transaction cannot fail later on upgrade.
  Result<Transaction> begin();

  int64_t last_insert_rowid() const;
  int64_t changes() const;
  std::string pragma_text(std::string_view name);  // e.g. "journal_mode" → "wal"
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

struct Migration {
  int version;  // 1, 2, 3, … in order
  std::string sql;
};

// Applies every migration newer than the database's version, each in its own transaction with
// its row in schema_migrations(version, applied_at). Refuses a database that has a version the
// code does not know: "database schema version 4 is newer than this program knows (3)".
Status migrate(Database& db, const std::vector<Migration>& migrations);
// The highest applied migration, 0 for a fresh database.
Result<int> schema_version(Database& db);

}  // namespace icn::infra
