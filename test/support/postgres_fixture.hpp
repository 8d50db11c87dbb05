// Tests that run against both database backends: one throwaway PostgreSQL server per test binary
// (started on first use, stopped and removed at exit) and a fresh database per test, so a
// parameterised suite stays fast. Header-only: unit test binaries (icn/indexer) use it too.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "icn/infra/postgres.hpp"

namespace icn::test {

enum class DbBackend { kSqlite, kPostgres };

inline std::string db_backend_name(const ::testing::TestParamInfo<DbBackend>& info) {
  return info.param == DbBackend::kSqlite ? "Sqlite" : "Postgres";
}

// Why PostgreSQL tests cannot run here (its binaries are missing), or "" when they can.
inline std::string postgres_unavailable_reason() {
  auto bin = infra::find_postgres_bin_dir();
  return bin.ok() ? "" : bin.error().message;
}

// The shared server, started on first call; an Error when it fails to start although installed.
inline Result<infra::PostgresServer*> shared_postgres_server() {
  static std::mutex mu;
  static std::unique_ptr<infra::PostgresServer> server;
  static std::optional<Error> failed;
  std::lock_guard lock(mu);
  if (server) return server.get();
  if (failed) return *failed;
  infra::PostgresServerOptions options;
  options.dir = std::filesystem::temp_directory_path() /
                ("icn-pg-" + std::to_string(::getpid()) + "-" + std::to_string(::time(nullptr)));
  auto started = infra::PostgresServer::start(options);
  if (!started) {
    failed = started.error();
    return *failed;
  }
  server = std::move(started).value();
  return server.get();
}

// A new, empty database on the shared server: its postgres:// URL. Call from a test body or
// SetUp with `if (!url) GTEST_SKIP() << …` handled by open_test_database's callers.
inline Result<std::string> fresh_postgres_database() {
  static std::atomic<int> counter{0};
  ICN_TRY(infra::PostgresServer * server, shared_postgres_server());
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  ICN_CHECK(server->create_database(name));
  return server->url(name);
}

// In SetUp of a DbBackend-parameterised test: the --db target for `backend` — `sqlite` (a file
// path or ":memory:") for SQLite, a fresh database's URL for PostgreSQL. Skips the test (with
// the reason printed) when PostgreSQL is not installed; fails it when installed but broken.
#define ICN_DB_TARGET_OR_SKIP(var, backend, sqlite)                                   \
  std::string var;                                                                    \
  if ((backend) == ::icn::test::DbBackend::kSqlite) {                                 \
    var = (sqlite);                                                                   \
  } else {                                                                            \
    if (std::string why = ::icn::test::postgres_unavailable_reason(); !why.empty()) { \
      std::cout << "[  SKIPPED ] PostgreSQL tests: " << why << std::endl;             \
      GTEST_SKIP() << "PostgreSQL is not installed: " << why;                         \
    }                                                                                 \
    auto icn_pg_url_ = ::icn::test::fresh_postgres_database();                        \
    ASSERT_TRUE(icn_pg_url_.ok()) << icn_pg_url_.error().message;                     \
    var = *icn_pg_url_;                                                               \
  }

}  // namespace icn::test
