// The database interface on both backends: placeholders and DDL translated for PostgreSQL, typed
// binds and columns, rollback-unless-committed, migrations, and errors carrying the server's own
// message; PostgreSQL cases run against a throwaway server (skipped only when not installed).
#include "icn/infra/postgres.hpp"

#include <gtest/gtest.h>

#include "test/support/postgres_fixture.hpp"

namespace icn::infra {
namespace {

TEST(PostgresText, PlaceholdersBecomeNumberedOutsideQuotes) {
  EXPECT_EQ(postgres_placeholders("SELECT ? , ?"), "SELECT $1 , $2");
  EXPECT_EQ(postgres_placeholders("SELECT '?', \"a?\", ?"), "SELECT '?', \"a?\", $1");
  EXPECT_EQ(postgres_placeholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(postgres_placeholders("SELECT ?2, ?1"), "SELECT $2, $1");
}

TEST(PostgresText, UrlPasswordIsHidden) {
  EXPECT_EQ(redact_url("postgres://icn:s3cret@db:5432/x"), "postgres://icn:***@db:5432/x");
  EXPECT_EQ(redact_url("postgres://icn@db/x"), "postgres://icn@db/x");
  EXPECT_EQ(redact_url("postgresql://db:5432/x"), "postgresql://db:5432/x");
}

TEST(SqlText, StorableTextReplacesInvalidUtf8AndNul) {
  EXPECT_EQ(storable_text("plain é ✓"), "plain é ✓");
  EXPECT_EQ(storable_text(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(storable_text("\xff"), "\xEF\xBF\xBD");
  EXPECT_EQ(storable_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(storable_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(storable_text("\xE2\x9C"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
}

TEST(Postgres, ConnectFailureNamesTheUrlWithoutItsPassword) {
  auto db = PostgresDatabase::connect("postgres://icn:pw@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("postgres: cannot connect to postgres://icn:***@127.0.0.1:1"),
            std::string::npos)
      << db.error().message;
  EXPECT_EQ(db.error().message.find("pw@"), std::string::npos);
}

class SqlBackendTest : public ::testing::TestWithParam<test::DbBackend> {
 protected:
  void SetUp() override {
    ICN_DB_TARGET_OR_SKIP(target, GetParam(), ":memory:");
    auto db = open_sql_database(target);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  std::unique_ptr<SqlDatabase> db_;
};

TEST_P(SqlBackendTest, TypedBindsAndColumnsRoundTrip) {
  ASSERT_TRUE(db_->exec(db_->ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                                 "n INTEGER, s TEXT, b BLOB)"))
                  .ok());
  auto insert = db_->prepare("INSERT INTO t (n, s, b) VALUES (?, ?, ?) RETURNING id");
  ASSERT_TRUE(insert.ok()) << insert.error().message;
  Bytes blob = {0x00, 0xff, 0x10};
  insert->bind(1, int64_t(INT64_MAX)).bind(2, "it's ?").bind_blob(3, blob);
  auto row = insert->step();
  ASSERT_TRUE(row.ok() && *row) << (row.ok() ? "" : row.error().message);
  EXPECT_EQ(insert->column_int64(0), 1);
  insert->reset();
  insert->bind(1, std::optional<int64_t>()).bind(2, "").bind_blob(3, {});
  ASSERT_TRUE(insert->run().ok());

  auto select = db_->prepare("SELECT n, s, b FROM t WHERE id >= ? ORDER BY id");
  ASSERT_TRUE(select.ok());
  select->bind(1, int64_t(1));
  ASSERT_TRUE(select->step().value_or(false));
  EXPECT_EQ(select->column_int64(0), INT64_MAX);
  EXPECT_EQ(select->column_text(1), "it's ?");
  EXPECT_EQ(select->column_blob(2), blob);
  ASSERT_TRUE(select->step().value_or(false));
  EXPECT_TRUE(select->is_null(0));
  EXPECT_EQ(select->column_optional_int64(0), std::nullopt);
  EXPECT_EQ(select->column_text(1), "");
  EXPECT_FALSE(select->step().value_or(true));
}

TEST_P(SqlBackendTest, UncommittedTransactionRollsBackAndUpsertsReplace) {
  ASSERT_TRUE(db_->exec(db_->ddl("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")).ok());
  {
    auto tx = db_->begin();
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    ASSERT_TRUE(db_->exec("INSERT INTO kv VALUES (1, 'gone')").ok());
  }
  {
    auto tx = db_->begin();
    ASSERT_TRUE(tx.ok());
    for (const char* v : {"first", "second"}) {
      auto st = db_->prepare(
          "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v");
      ASSERT_TRUE(st.ok());
      st->bind(1, int64_t(2)).bind(2, v);
      ASSERT_TRUE(st->run().ok());
    }
    ASSERT_TRUE(tx->commit().ok());
  }
  auto st = db_->prepare("SELECT COUNT(*), MAX(v) FROM kv");
  ASSERT_TRUE(st.ok() && st->step().value_or(false));
  EXPECT_EQ(st->column_int64(0), 1);
  EXPECT_EQ(st->column_text(1), "second");
}

TEST_P(SqlBackendTest, ErrorsCarryTheDatabasesOwnMessage) {
  auto st = db_->prepare("SELECT * FROM no_such_table");
  Status s = st.ok() ? st->run() : Status(st.error());
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("no_such_table"), std::string::npos) << s.error().message;
  EXPECT_EQ(
      s.error().message.rfind(GetParam() == test::DbBackend::kSqlite ? "sqlite:" : "postgres:", 0),
      0u)
      << s.error().message;
}

TEST_P(SqlBackendTest, MigrationsApplyOnceAndRefuseANewerDatabase) {
  std::vector<Migration> v1 = {{1, "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);"}};
  std::vector<Migration> v2 = {v1[0], {2, "CREATE TABLE b (x BLOB);"}};
  ASSERT_TRUE(migrate(*db_, v1).ok());
  ASSERT_TRUE(migrate(*db_, v2).ok());
  ASSERT_TRUE(migrate(*db_, v2).ok());  // nothing left to apply
  EXPECT_EQ(schema_version(*db_).value_or(-1), 2);
  Status refused = migrate(*db_, v1);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("schema version 2 is newer than this program knows (1)"),
            std::string::npos)
      << refused.error().message;
  std::vector<Migration> broken = {v1[0], v2[1], {3, "CREATE TABLE c (oops"}};
  Status failed = migrate(*db_, broken);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("migration 3"), std::string::npos);
  EXPECT_EQ(schema_version(*db_).value_or(-1), 2);  // the failed migration left no trace
}

// Rows of kv, read outside any transaction.
int64_t count_kv(SqlDatabase& db) {
  auto st = db.prepare("SELECT COUNT(*) FROM kv");
  if (!st.ok() || !st->step().value_or(false)) return -1;
  return st->column_int64(0);
}

TEST_P(SqlBackendTest, PipelinedTransactionRunsEveryStatementInOrder) {
  ASSERT_TRUE(db_->exec(db_->ddl("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")).ok());
  auto tx = db_->begin_pipelined();
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  // More statements than PostgreSQL's pipeline holds at once, updates after their inserts.
  const int64_t n = int64_t(PostgresDatabase::kMaxPipelined) * 2 + 10;
  auto insert = db_->prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
  auto update = db_->prepare("UPDATE kv SET v = v || '!' WHERE k = ?");
  ASSERT_TRUE(insert.ok() && update.ok());
  for (int64_t k = 0; k < n; ++k) {
    insert->reset();
    insert->bind(1, k).bind(2, "v" + std::to_string(k));
    ASSERT_TRUE(insert->run().ok());
    update->reset();
    update->bind(1, k);
    ASSERT_TRUE(update->run().ok());
    if (k == 100) {
      // Rows wanted mid-way: they see every statement queued before.
      auto read = db_->prepare("SELECT COUNT(*), MAX(v) FROM kv WHERE v LIKE '%!'");
      ASSERT_TRUE(read.ok());
      auto row = read->step();
      ASSERT_TRUE(row.ok() && *row) << (row.ok() ? "no row" : row.error().message);
      EXPECT_EQ(read->column_int64(0), 101);
    }
  }
  // exec() inside the transaction runs after what is queued.
  ASSERT_TRUE(db_->exec("DELETE FROM kv WHERE k = 0").ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(count_kv(*db_), n - 1);
  auto st = db_->prepare("SELECT v FROM kv WHERE k = ?");
  ASSERT_TRUE(st.ok());
  st->bind(1, n - 1);
  ASSERT_TRUE(st->step().value_or(false));
  EXPECT_EQ(st->column_text(0), "v" + std::to_string(n - 1) + "!");
}

// What a store does: statements until the first error, then no commit. Whichever moment the
// error is reported at (SQLite: its run(); PostgreSQL: a later run() or the commit), nothing of
// the transaction is kept and the message names the statement that failed and why.
TEST_P(SqlBackendTest, PipelinedErrorInTheMiddleRollsBackEverythingAndNamesTheStatement) {
  ASSERT_TRUE(db_->exec(db_->ddl("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")).ok());
  Status result;
  {
    auto tx = db_->begin_pipelined();
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    auto insert = db_->prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
    auto bad = db_->prepare("INSERT INTO kv (k, v) VALUES (?, NULL)");
    ASSERT_TRUE(insert.ok() && bad.ok());
    for (int64_t k = 0; k < 50 && result; ++k) {
      if (k == 20) {
        bad->bind(1, int64_t(1000));
        result = bad->run();
        continue;
      }
      insert->reset();
      insert->bind(1, k).bind(2, "x");
      result = insert->run();
    }
    if (result) result = tx->commit();
  }
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("INSERT INTO kv (k, v) VALUES (?, NULL)"),
            std::string::npos)
      << result.error().message;
  std::string lower = result.error().message;
  for (char& c : lower) c = char(std::tolower(uint8_t(c)));
  EXPECT_NE(lower.find("null constraint"), std::string::npos) << result.error().message;
  EXPECT_EQ(count_kv(*db_), 0);

  // The connection is fine afterwards, pipelined or not.
  auto tx = db_->begin_pipelined();
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  auto insert = db_->prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
  ASSERT_TRUE(insert.ok());
  insert->bind(1, int64_t(1)).bind(2, "kept");
  ASSERT_TRUE(insert->run().ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(count_kv(*db_), 1);
}

// A statement that failed to prepare (its table did not exist yet) is prepared again once it can
// be, not looked up by a name the server never accepted.
TEST_P(SqlBackendTest, StatementThatFailedToPrepareWorksOnceItsTableExists) {
  const char* sql = "INSERT INTO later (k) VALUES (?)";
  {
    auto tx = db_->begin_pipelined();
    ASSERT_TRUE(tx.ok());
    auto st = db_->prepare(sql);
    Status s = st.ok() ? st->bind(1, int64_t(1)).run() : Status(st.error());
    if (s) s = tx->commit();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("later"), std::string::npos) << s.error().message;
  }
  ASSERT_TRUE(db_->exec(db_->ddl("CREATE TABLE later (k INTEGER PRIMARY KEY)")).ok());
  for (int pipelined = 0; pipelined < 2; ++pipelined) {
    auto tx = pipelined ? db_->begin_pipelined() : db_->begin();
    ASSERT_TRUE(tx.ok());
    auto st = db_->prepare(sql);
    ASSERT_TRUE(st.ok());
    Status s = st->bind(1, int64_t(10 + pipelined)).run();
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(tx->commit().ok());
  }
  auto count = db_->prepare("SELECT COUNT(*) FROM later");
  ASSERT_TRUE(count.ok() && count->step().value_or(false));
  EXPECT_EQ(count->column_int64(0), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlBackendTest,
                         ::testing::Values(test::DbBackend::kSqlite, test::DbBackend::kPostgres),
                         test::db_backend_name);

}  // namespace
}  // namespace icn::infra
