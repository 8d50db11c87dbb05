// HyperNodeStore over icn/infra/sqlite (WAL, synchronous=FULL).
#include "icn/hypernode/store.hpp"

#include <limits>

namespace icn::hypernode {
namespace {

const std::vector<infra::Migration>& migrations() {
  static const std::vector<infra::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE answers (
  era INTEGER NOT NULL,
  scaler_node_id BLOB NOT NULL,          -- 32 bytes big-endian, so BLOB order is numeric order
  challenge_hash BLOB NOT NULL,
  hyper_node_time INTEGER NOT NULL,
  signature BLOB NOT NULL,               -- 65 bytes r || s || v
  PRIMARY KEY (era, scaler_node_id)
) WITHOUT ROWID;
CREATE TABLE eras (
  era INTEGER PRIMARY KEY,
  first_seen_ms INTEGER NOT NULL
);
CREATE TABLE batches (
  era INTEGER PRIMARY KEY,
  batch_hash BLOB NOT NULL,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE deliveries (
  era INTEGER NOT NULL REFERENCES batches(era),
  satellite TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  delivered_ms INTEGER,
  last_error TEXT,
  PRIMARY KEY (era, satellite)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_ms) WHERE delivered_ms IS NULL;
)sql"},
  };
  return kMigrations;
}

constexpr uint64_t kMaxEra = uint64_t(std::numeric_limits<int64_t>::max());

Status check_era(uint64_t era) {
  if (era > kMaxEra) return fail("store: era " + std::to_string(era) + " is out of range");
  return {};
}

}  // namespace

struct HyperNodeStore::PendingWrite {
  const StoredAnswer* answer = nullptr;
};

Result<std::unique_ptr<HyperNodeStore>> HyperNodeStore::open(const std::filesystem::path& path) {
  ICN_TRY_CTX(infra::Database db, infra::Database::open(path), "hypernode store");
  ICN_CHECK(infra::migrate(db, migrations()));
  return std::unique_ptr<HyperNodeStore>(new HyperNodeStore(std::move(db)));
}

HyperNodeStore::~HyperNodeStore() = default;

Status HyperNodeStore::record_answer(const StoredAnswer& answer) {
  ICN_CHECK(check_era(answer.era));
  PendingWrite write{&answer};
  return commit_.submit(
      write, [this](const std::vector<PendingWrite*>& writes) { return write_answers(writes); });
}

Status HyperNodeStore::write_answers(const std::vector<PendingWrite*>& writes) {
  std::lock_guard lock(db_mu_);
  if (!insert_answer_) {  // prepared once: this is the hot path
    ICN_TRY(infra::Statement insert, db_.prepare("INSERT INTO answers (era, scaler_node_id, "
                                                 "challenge_hash, hyper_node_time, signature) "
                                                 "VALUES (?, ?, ?, ?, ?)"));
    insert_answer_.emplace(std::move(insert));
  }
  infra::Statement& insert = *insert_answer_;
  ICN_TRY(infra::Transaction tx, db_.begin());
  for (const PendingWrite* w : writes) {
    const StoredAnswer& a = *w->answer;
    insert.reset();
    insert.bind(1, int64_t(a.era))
        .bind_blob(2, u256_to_be(a.scaler_node_id))
        .bind_blob(3, a.response.response.challenge_hash)
        .bind(4, int64_t(a.response.response.hyper_node_time))
        .bind_blob(5, a.response.signature.to_rsv65());
    Status inserted = insert.run();
    if (!inserted) {
      return std::move(inserted).error().context("store: answer of era " + std::to_string(a.era) +
                                                 " ScalerNode " + to_decimal(a.scaler_node_id));
    }
  }
  return tx.commit();
}

Result<std::vector<StoredAnswer>> HyperNodeStore::answers(uint64_t era) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT scaler_node_id, challenge_hash, hyper_node_time, signature FROM "
                      "answers WHERE era = ? ORDER BY scaler_node_id"));
  q.bind(1, int64_t(era));
  std::vector<StoredAnswer> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    StoredAnswer a;
    a.era = era;
    Bytes id = q.column_blob(0), hash = q.column_blob(1), sig = q.column_blob(3);
    if (id.size() != 32 || hash.size() != 32) return fail("store: corrupt answer row");
    a.scaler_node_id = u256_from_be(id);
    std::copy(hash.begin(), hash.end(), a.response.response.challenge_hash.begin());
    a.response.response.hyper_node_time = uint64_t(q.column_int64(2));
    ICN_TRY_CTX(a.response.signature, Signature::from_rsv65(sig), "store: corrupt answer row");
    out.push_back(std::move(a));
  }
  return out;
}

Status HyperNodeStore::note_era(uint64_t era, int64_t now_ms) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("INSERT OR IGNORE INTO eras (era, first_seen_ms) VALUES (?, ?)"));
  q.bind(1, int64_t(era)).bind(2, now_ms);
  return q.run();
}

Result<std::vector<uint64_t>> HyperNodeStore::eras_without_batch(uint64_t before) {
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT era FROM eras WHERE era < ? AND era NOT IN (SELECT era FROM "
                      "batches) ORDER BY era"));
  q.bind(1, int64_t(std::min(before, kMaxEra)));
  std::vector<uint64_t> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(uint64_t(q.column_int64(0)));
  }
  return out;
}

Status HyperNodeStore::spool_batch(uint64_t era, const Hash& batch_hash, const std::string& body,
                                   const std::vector<std::string>& satellites, int64_t now_ms) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Transaction tx, db_.begin());
  ICN_TRY(infra::Statement insert,
          db_.prepare("INSERT OR IGNORE INTO batches (era, batch_hash, body, created_ms) VALUES "
                      "(?, ?, ?, ?)"));
  insert.bind(1, int64_t(era)).bind_blob(2, batch_hash).bind(3, body).bind(4, now_ms);
  ICN_CHECK(insert.run());
  if (db_.changes() == 0) return {};  // already spooled: the first batch stands
  ICN_TRY(infra::Statement delivery,
          db_.prepare("INSERT OR IGNORE INTO deliveries (era, satellite, next_attempt_ms) VALUES "
                      "(?, ?, ?)"));
  for (const std::string& satellite : satellites) {
    delivery.reset();
    delivery.bind(1, int64_t(era)).bind(2, satellite).bind(3, now_ms);
    ICN_CHECK(delivery.run());
  }
  return tx.commit();
}

Result<std::optional<std::string>> HyperNodeStore::batch_body(uint64_t era) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q, db_.prepare("SELECT body FROM batches WHERE era = ?"));
  q.bind(1, int64_t(era));
  ICN_TRY(bool row, q.step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.column_text(0));
}

Status HyperNodeStore::ensure_deliveries(const std::vector<std::string>& satellites,
                                         int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Transaction tx, db_.begin());
  ICN_TRY(infra::Statement q,
          db_.prepare("INSERT OR IGNORE INTO deliveries (era, satellite, next_attempt_ms) SELECT "
                      "era, ?, ? FROM batches"));
  for (const std::string& satellite : satellites) {
    q.reset();
    q.bind(1, satellite).bind(2, now_ms);
    ICN_CHECK(q.run());
  }
  return tx.commit();
}

Result<std::vector<PendingDelivery>> HyperNodeStore::due_deliveries(int64_t now_ms, size_t limit) {
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT d.era, d.satellite, b.body, d.attempts FROM deliveries d JOIN "
                      "batches b ON b.era = d.era WHERE d.delivered_ms IS NULL AND "
                      "d.next_attempt_ms <= ? ORDER BY d.era, d.satellite LIMIT ?"));
  q.bind(1, now_ms).bind(2, int64_t(std::min<size_t>(limit, INT64_MAX)));
  std::vector<PendingDelivery> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(PendingDelivery{uint64_t(q.column_int64(0)), q.column_text(1), q.column_text(2),
                                  q.column_int64(3)});
  }
  return out;
}

Status HyperNodeStore::mark_delivered(uint64_t era, const std::string& satellite, int64_t now_ms) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("UPDATE deliveries SET delivered_ms = ?, attempts = attempts + 1, "
                      "last_error = NULL WHERE era = ? AND satellite = ?"));
  q.bind(1, now_ms).bind(2, int64_t(era)).bind(3, satellite);
  return q.run();
}

Status HyperNodeStore::mark_failed(uint64_t era, const std::string& satellite,
                                   int64_t next_attempt_ms, const std::string& error) {
  ICN_CHECK(check_era(era));
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("UPDATE deliveries SET attempts = attempts + 1, next_attempt_ms = ?, "
                      "last_error = ? WHERE era = ? AND satellite = ?"));
  q.bind(1, next_attempt_ms).bind(2, error).bind(3, int64_t(era)).bind(4, satellite);
  return q.run();
}

Result<int64_t> HyperNodeStore::undelivered_count() {
  std::lock_guard lock(db_mu_);
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT COUNT(*) FROM deliveries WHERE delivered_ms IS NULL"));
  ICN_TRY(bool row, q.step());
  return row ? q.column_int64(0) : int64_t(0);
}

}  // namespace icn::hypernode
