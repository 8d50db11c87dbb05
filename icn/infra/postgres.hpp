// PostgreSQL behind the database interface (libpq): a connection from a postgres:// URL,
// parameterised queries only, errors carrying the server's own message; plus a throwaway server
// (initdb + postgres on a loopback port) for tests and devnets.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "icn/infra/sql.hpp"
#include "icn/infra/subprocess.hpp"

struct pg_conn;

namespace icn::infra {

struct PostgresSession;

// One libpq connection. `?` placeholders become $1, $2, … outside quotes; parameters are sent as
// text (blobs as binary bytea), their types inferred by the server from the SQL. A statement is
// prepared on the server (named) the first time it runs, and reused by every later statement of
// the same text (up to kMaxPreparedStatements per connection; beyond that, unnamed). In a
// pipelined transaction (begin_pipelined) run() only queues the statement in libpq's pipeline;
// the queue is sent and its results read when a statement's rows are wanted (step()), when it
// holds kMaxPipelined statements, and at commit.
class PostgresDatabase final : public SqlDatabase {
 public:
  // "postgres://user:password@host:port/database?sslmode=disable" (libpq's URI syntax):
  // "postgres: cannot connect to postgres://icn@127.0.0.1:5432/index: connection refused …".
  static Result<std::unique_ptr<PostgresDatabase>> connect(std::string_view url);
  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  std::string describe() const override { return url_; }
  Status exec(std::string_view sql) override;
  Result<SqlStatement> prepare(std::string_view sql) override;
  Result<SqlTransaction> begin() override;
  Result<SqlTransaction> begin_pipelined() override;
  std::string ddl(std::string_view sqlite_ddl) const override;

  static constexpr size_t kMaxPreparedStatements = 512;
  static constexpr size_t kMaxPipelined = 1024;

 protected:
  Status commit_transaction() override;
  void rollback_transaction() override;

 private:
  PostgresDatabase(pg_conn* conn, std::string url);
  // A connection the server dropped is re-established between transactions.
  Status ensure_connected();
  // Sends what the pipeline holds, reads every result and leaves pipeline mode.
  Status leave_pipeline();
  std::unique_ptr<PostgresSession> session_;
  pg_conn* conn_ = nullptr;
  std::string url_;  // password hidden
};

// `sql` with `?` / `?N` placeholders (outside '…' strings and "…" identifiers) as $1, $2, ….
std::string postgres_placeholders(std::string_view sql);
// The URL with its password replaced by "***", for messages.
std::string redact_url(std::string_view url);

// Where PostgreSQL's server binaries (initdb, postgres) are: the highest version under
// /usr/lib/postgresql/*/bin (Debian's layout), else a directory of PATH that has initdb.
// "postgres: initdb not found (install postgresql: scripts/bootstrap)".
Result<std::filesystem::path> find_postgres_bin_dir();

struct PostgresServerOptions {
  std::filesystem::path bin_dir;  // empty: find_postgres_bin_dir()
  std::filesystem::path dir;      // created; holds the cluster, the socket and the log
  std::chrono::milliseconds start_timeout{60000};
};

// A throwaway PostgreSQL cluster: initdb (trust auth, UTF8, C locale, fsync off) and a postgres
// server on a free 127.0.0.1 port with its unix socket in `dir`. Running as root, both run as the
// `postgres` user (initdb refuses root) with `dir` handed to it. stop() (or the destructor) shuts
// the server down and removes `dir`.
class PostgresServer {
 public:
  static Result<std::unique_ptr<PostgresServer>> start(PostgresServerOptions options);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void stop();
  uint16_t port() const { return port_; }
  // postgres://postgres@127.0.0.1:PORT/DATABASE
  std::string url(std::string_view database = "postgres") const;
  // CREATE DATABASE "name" (letters, digits and _ only).
  Status create_database(std::string_view name);

 private:
  PostgresServer(PostgresServerOptions options, Subprocess server, uint16_t port)
      : options_(std::move(options)), server_(std::move(server)), port_(port) {}
  PostgresServerOptions options_;
  std::optional<Subprocess> server_;
  uint16_t port_ = 0;
};

}  // namespace icn::infra
