// Tests for the SQLite wrapper: durability settings, typed round trips, rollback, migrations.
#include "icn/infra/sqlite.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace icn::infra {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("sqlite_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SqliteTest, OpensDurableAndTypedValuesRoundTripAcrossReopen) {
  auto path = dir_ / "state.db";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.error().message;
    EXPECT_EQ(db->pragma_text("journal_mode"), "wal");
    EXPECT_EQ(db->pragma_text("synchronous"), "2");  // FULL
    EXPECT_EQ(db->pragma_text("foreign_keys"), "1");
    ASSERT_TRUE(db->exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n INTEGER)").ok());
    auto insert = db->prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
    ASSERT_TRUE(insert.ok()) << insert.error().message;
    Bytes blob = {0x00, 0xff, 0x10};
    insert->bind(1, int64_t(-9223372036854775807 - 1))
        .bind(2, std::string_view("h\0llo", 5))
        .bind_blob(3, blob)
        .bind(4, std::optional<int64_t>());
    ASSERT_TRUE(insert->run().ok());
    insert->reset();
    insert->bind(1, int64_t(7))
        .bind(2, "x")
        .bind_blob(3, Bytes{})
        .bind(4, std::optional<int64_t>(3));
    ASSERT_TRUE(insert->run().ok());
    EXPECT_EQ(db->last_insert_rowid(), 2);
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  auto select = db->prepare("SELECT i, s, b, n FROM t ORDER BY rowid");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(select->step().value());
  EXPECT_EQ(select->column_int64(0), INT64_MIN);
  EXPECT_EQ(select->column_text(1), std::string("h\0llo", 5));
  EXPECT_EQ(select->column_blob(2), (Bytes{0x00, 0xff, 0x10}));
  EXPECT_TRUE(select->is_null(3));
  EXPECT_EQ(select->column_optional_int64(3), std::nullopt);
  ASSERT_TRUE(select->step().value());
  EXPECT_FALSE(select->is_null(2));  // an empty blob is not NULL
  EXPECT_TRUE(select->column_blob(2).empty());
  EXPECT_EQ(select->column_optional_int64(3), 3);
  EXPECT_FALSE(select->step().value());
}

TEST_F(SqliteTest, TransactionsRollBackUnlessCommitted) {
  auto db = Database::open(dir_ / "tx.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t (v INTEGER)").ok());
  {
    auto tx = db->begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)").ok());
  }  // dropped: rolled back
  {
    auto tx = db->begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_FALSE(tx->commit().ok());
  }
  auto count = db->prepare("SELECT group_concat(v) FROM t");
  ASSERT_TRUE(count->step().value());
  EXPECT_EQ(count->column_text(0), "2");
}

TEST_F(SqliteTest, ErrorsCarrySqlitesMessage) {
  auto db = Database::open(dir_ / "err.db");
  ASSERT_TRUE(db.ok());
  auto bad = db->prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "sqlite: prepare \"SELEC 1\": near \"SELEC\": syntax error");
  auto two = db->prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().message, "sqlite: prepare \"SELECT 1; SELECT 2\": more than one statement");
  EXPECT_EQ(db->exec("CRATE TABLE x (a)").error().message, "sqlite: near \"CRATE\": syntax error");
  ASSERT_TRUE(db->exec("CREATE TABLE p (id INTEGER PRIMARY KEY); "
                       "CREATE TABLE c (p INTEGER REFERENCES p(id))")
                  .ok());
  auto orphan = db->prepare("INSERT INTO c VALUES (?)");
  orphan->bind(1, int64_t(5));
  EXPECT_EQ(orphan->run().error().message,
            "sqlite: step \"INSERT INTO c VALUES (?)\": FOREIGN KEY constraint failed");
  auto range = db->prepare("SELECT ?");
  range->bind(2, int64_t(1));
  EXPECT_EQ(range->step().error().message, "sqlite: bind parameter 2: column index out of range");
  auto missing = Database::open(dir_ / "no" / "such" / "dir.db");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "sqlite: cannot open " + (dir_ / "no/such/dir.db").string() +
                                         ": unable to open database file");
}

TEST_F(SqliteTest, MigrationsApplyInOrderOnceAndRefuseNewerDatabases) {
  auto path = dir_ / "m.db";
  std::vector<Migration> v1 = {{1, "CREATE TABLE a (x INTEGER)"}};
  std::vector<Migration> v2 = {
      v1[0], {2, "ALTER TABLE a ADD COLUMN y TEXT; INSERT INTO a VALUES (1, 'y')"}};
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(schema_version(*db).value(), 0);
    ASSERT_TRUE(migrate(*db, v1).ok());
    EXPECT_EQ(schema_version(*db).value(), 1);
    ASSERT_TRUE(migrate(*db, v2).ok());
    ASSERT_TRUE(migrate(*db, v2).ok());  // nothing left to do: the INSERT ran once
    auto n = db->prepare("SELECT COUNT(*) FROM a");
    ASSERT_TRUE(n->step().value());
    EXPECT_EQ(n->column_int64(0), 1);
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  auto refused = migrate(*db, v1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "database schema version 2 is newer than this program knows (1): use a newer icn");

  // A failing migration leaves nothing of itself behind.
  std::vector<Migration> broken = v2;
  broken.push_back({3, "CREATE TABLE b (z INTEGER); INSERT INTO nowhere VALUES (1)"});
  auto failed = migrate(*db, broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "migration 3: sqlite: no such table: nowhere");
  EXPECT_EQ(schema_version(*db).value(), 2);
  EXPECT_FALSE(db->prepare("SELECT * FROM b").ok());

  std::vector<Migration> gap = {{1, ""}, {3, ""}};
  EXPECT_EQ(migrate(*db, gap).error().message,
            "migrations: expected version 2 at position 1, found 3");
}

}  // namespace
}  // namespace icn::infra
