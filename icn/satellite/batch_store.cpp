// BatchStore over SQLite: schema migrations, one transaction per write.
#include "icn/satellite/batch_store.hpp"

#include "icn/satellite/era_state_json.hpp"

namespace icn::satellite {
namespace {

const std::vector<infra::Migration> kMigrations = {
    {1, R"sql(
CREATE TABLE batches (
  hash BLOB PRIMARY KEY,          -- keccak256 of body (protocol batch_hash)
  era INTEGER NOT NULL,
  kind INTEGER NOT NULL,          -- originatorKind: 1 ScalerNode daemon, 2 HyperNode
  originator TEXT NOT NULL,       -- originator id, decimal
  body TEXT NOT NULL,             -- canonical protocol_json text
  equivocation INTEGER NOT NULL   -- 1: a second batch of the originator for the era (evidence)
);
CREATE INDEX batches_by_originator ON batches (era, kind, originator);
CREATE TABLE era_results (
  era INTEGER PRIMARY KEY,
  results_root BLOB NOT NULL,
  data_root BLOB NOT NULL,
  state TEXT NOT NULL,            -- EraState after the era, era_state_json
  own_signature BLOB NOT NULL,    -- 65 bytes r || s || v
  own_signer BLOB NOT NULL        -- 20 bytes
);
CREATE TABLE signatures (
  era INTEGER NOT NULL,
  signer BLOB NOT NULL,           -- 20 bytes
  signature BLOB NOT NULL,        -- 65 bytes r || s || v, over our roots (checked on receipt)
  PRIMARY KEY (era, signer)
);
)sql"},
    // Per-era verdicts beside the cumulative state (for indexers and consoles).
    {2, "ALTER TABLE era_results ADD COLUMN verdicts TEXT;"},
    // Retention: the last era whose batches were deleted (one row, absent until the first prune).
    {3, "CREATE TABLE pruned (id INTEGER PRIMARY KEY CHECK (id = 1), through INTEGER NOT NULL);"},
};

int64_t as_i64(uint64_t v) {
  return static_cast<int64_t>(v);
}

template <size_t N>
Result<FixedBytes<N>> fixed_blob(const Bytes& blob, std::string_view what) {
  if (blob.size() != N) {
    return fail("batch store: " + std::string(what) + " has " + std::to_string(blob.size()) +
                " bytes, expected " + std::to_string(N));
  }
  FixedBytes<N> out;
  std::copy(blob.begin(), blob.end(), out.begin());
  return out;
}

Result<StoredBatch> read_batch(infra::Statement& st) {
  StoredBatch b;
  ICN_TRY(b.hash, fixed_blob<32>(st.column_blob(0), "batch hash"));
  b.era = static_cast<uint64_t>(st.column_int64(1));
  int64_t kind = st.column_int64(2);
  if (kind != 1 && kind != 2)
    return fail("batch store: unknown originator kind " + std::to_string(kind));
  b.kind = static_cast<protocol::OriginatorKind>(kind);
  ICN_TRY(b.originator_id, parse_u256(st.column_text(3)));
  b.body = st.column_text(4);
  b.equivocation = st.column_int64(5) != 0;
  return b;
}

Result<Signature> read_signature(const Bytes& blob) {
  auto sig = Signature::from_rsv65(blob);
  if (!sig) return sig.error().context("batch store: stored signature");
  return *sig;
}

}  // namespace

BatchStore::BatchStore(infra::Database db, BatchStoreOptions options)
    : mu_(std::make_unique<std::mutex>()),
      group_(std::make_unique<infra::GroupCommit<PendingInsert>>()),
      db_(std::move(db)),
      options_(options) {}
BatchStore::BatchStore(BatchStore&&) noexcept = default;
BatchStore::~BatchStore() = default;

Result<BatchStore> BatchStore::open(const std::filesystem::path& file, BatchStoreOptions options) {
  ICN_TRY(infra::Database db, infra::Database::open(file));
  ICN_CHECK(infra::migrate(db, kMigrations));
  return BatchStore(std::move(db), options);
}

// Group commit (infra::GroupCommit): concurrent inserts (HTTP workers) share one transaction and
// its fsync; each caller still returns only after its batch is committed (or its group failed).
Result<InsertResult> BatchStore::insert(const StoredBatch& batch) {
  PendingInsert pending{&batch, {}};
  ICN_CHECK(group_->submit(
      pending, [this](const std::vector<PendingInsert*>& group) { return insert_group(group); }));
  return pending.result;
}

Status BatchStore::insert_group(const std::vector<PendingInsert*>& group) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto tx, db_.begin());
  ICN_TRY(auto exists, db_.prepare("SELECT 1 FROM batches WHERE hash = ?1"));
  ICN_TRY(auto others,
          db_.prepare("SELECT hash, equivocation FROM batches WHERE era = ?1 AND kind = ?2 "
                      "AND originator = ?3 ORDER BY equivocation, rowid"));
  ICN_TRY(auto ins,
          db_.prepare("INSERT INTO batches (hash, era, kind, originator, body, equivocation) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  for (PendingInsert* p : group) {
    const StoredBatch& batch = *p->batch;
    exists.reset();
    exists.bind_blob(1, batch.hash);
    ICN_TRY(bool found, exists.step());
    if (found) {
      p->result = InsertResult{InsertOutcome::kDuplicate, batch.hash};
      continue;
    }
    const std::string originator = to_decimal(batch.originator_id);
    others.reset();
    others.bind(1, as_i64(batch.era)).bind(2, int64_t(batch.kind)).bind(3, originator);
    std::optional<Hash> first;
    size_t evidence = 0;
    while (true) {
      ICN_TRY(bool row, others.step());
      if (!row) break;
      if (others.column_int64(1) != 0) {
        ++evidence;
      } else {
        ICN_TRY(Hash h, fixed_blob<32>(others.column_blob(0), "batch hash"));
        first = h;
      }
    }
    InsertResult result;
    if (first) {
      result.first_hash = *first;
      if (evidence >= options_.max_evidence_per_originator) {
        result.outcome = InsertOutcome::kEvidenceFull;  // not stored: nothing changes for it
        p->result = result;
        continue;
      }
      result.outcome = InsertOutcome::kEquivocation;
    } else {
      result.first_hash = batch.hash;
    }
    ins.reset();
    ins.bind_blob(1, batch.hash)
        .bind(2, as_i64(batch.era))
        .bind(3, int64_t(batch.kind))
        .bind(4, originator)
        .bind(5, batch.body)
        .bind(6, int64_t(first ? 1 : 0));
    ICN_CHECK(ins.run());
    p->result = result;
  }
  return tx.commit();
}

Result<std::optional<StoredBatch>> BatchStore::batch(const Hash& hash) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT hash, era, kind, originator, body, equivocation FROM "
                               "batches WHERE hash = ?1"));
  st.bind_blob(1, hash);
  ICN_TRY(bool row, st.step());
  if (!row) return std::optional<StoredBatch>();
  ICN_TRY(StoredBatch b, read_batch(st));
  return std::optional<StoredBatch>(std::move(b));
}

Result<std::vector<StoredBatch>> BatchStore::era_batches(uint64_t era) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT hash, era, kind, originator, body, equivocation FROM "
                               "batches WHERE era = ?1 ORDER BY hash"));
  st.bind(1, as_i64(era));
  std::vector<StoredBatch> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    ICN_TRY(StoredBatch b, read_batch(st));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<Hash>> BatchStore::era_batch_hashes(uint64_t era) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT hash FROM batches WHERE era = ?1 ORDER BY hash"));
  st.bind(1, as_i64(era));
  std::vector<Hash> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    ICN_TRY(Hash h, fixed_blob<32>(st.column_blob(0), "batch hash"));
    out.push_back(h);
  }
  return out;
}

Status BatchStore::put_era_result(const StoredEraResult& result) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto tx, db_.begin());
  ICN_TRY(auto st, db_.prepare("INSERT INTO era_results (era, results_root, data_root, state, "
                               "own_signature, own_signer, verdicts) VALUES (?1, ?2, ?3, ?4, ?5, "
                               "?6, ?7)"));
  auto sig = result.own_signature.to_rsv65();
  st.bind(1, as_i64(result.era))
      .bind_blob(2, result.results_root)
      .bind_blob(3, result.data_root)
      .bind(4, encode_era_state(result.state))
      .bind_blob(5, sig)
      .bind_blob(6, result.own_signer.bytes);
  if (result.verdicts.empty()) {
    st.bind_null(7);
  } else {
    st.bind(7, result.verdicts);
  }
  auto ran = st.run();
  if (!ran) return ran.error().context("store results of era " + std::to_string(result.era));
  ICN_TRY(auto own, db_.prepare("INSERT OR REPLACE INTO signatures (era, signer, signature) "
                                "VALUES (?1, ?2, ?3)"));
  own.bind(1, as_i64(result.era)).bind_blob(2, result.own_signer.bytes).bind_blob(3, sig);
  ICN_CHECK(own.run());
  return tx.commit();
}

Result<std::optional<StoredEraResult>> BatchStore::era_result(uint64_t era) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT results_root, data_root, state, own_signature, own_signer, "
                               "verdicts FROM era_results WHERE era = ?1"));
  st.bind(1, as_i64(era));
  ICN_TRY(bool row, st.step());
  if (!row) return std::optional<StoredEraResult>();
  StoredEraResult r;
  r.era = era;
  ICN_TRY(r.results_root, fixed_blob<32>(st.column_blob(0), "results root"));
  ICN_TRY(r.data_root, fixed_blob<32>(st.column_blob(1), "data root"));
  ICN_TRY(r.state, decode_era_state(st.column_text(2)));
  ICN_TRY(r.own_signature, read_signature(st.column_blob(3)));
  ICN_TRY(auto signer, fixed_blob<20>(st.column_blob(4), "own signer"));
  r.own_signer.bytes = signer;
  if (!st.is_null(5)) r.verdicts = st.column_text(5);
  return std::optional<StoredEraResult>(std::move(r));
}

Result<std::optional<uint64_t>> BatchStore::last_computed_era() {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT MAX(era) FROM era_results"));
  ICN_TRY(bool row, st.step());
  if (!row || st.is_null(0)) return std::optional<uint64_t>();
  return std::optional<uint64_t>(static_cast<uint64_t>(st.column_int64(0)));
}

Result<size_t> BatchStore::prune_batches_through(uint64_t era) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto tx, db_.begin());
  ICN_TRY(auto del, db_.prepare("DELETE FROM batches WHERE era <= ?1"));
  del.bind(1, as_i64(era));
  ICN_CHECK(del.run());
  size_t deleted = size_t(db_.changes());
  ICN_TRY(auto mark, db_.prepare("INSERT INTO pruned (id, through) VALUES (1, ?1) ON CONFLICT (id) "
                                 "DO UPDATE SET through = MAX(through, excluded.through)"));
  mark.bind(1, as_i64(era));
  ICN_CHECK(mark.run());
  ICN_CHECK(tx.commit());
  return deleted;
}

Result<std::optional<uint64_t>> BatchStore::pruned_through() {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st, db_.prepare("SELECT through FROM pruned WHERE id = 1"));
  ICN_TRY(bool row, st.step());
  if (!row) return std::optional<uint64_t>();
  return std::optional<uint64_t>(static_cast<uint64_t>(st.column_int64(0)));
}

Result<bool> BatchStore::put_signature(uint64_t era, const StoredSignature& signature) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto tx, db_.begin());
  ICN_TRY(auto st, db_.prepare("INSERT OR IGNORE INTO signatures (era, signer, signature) "
                               "VALUES (?1, ?2, ?3)"));
  auto sig = signature.signature.to_rsv65();
  st.bind(1, as_i64(era)).bind_blob(2, signature.signer.bytes).bind_blob(3, sig);
  ICN_CHECK(st.run());
  bool inserted = db_.changes() > 0;
  ICN_CHECK(tx.commit());
  return inserted;
}

Result<std::vector<StoredSignature>> BatchStore::signatures(uint64_t era) {
  std::lock_guard lock(*mu_);
  ICN_TRY(auto st,
          db_.prepare("SELECT signer, signature FROM signatures WHERE era = ?1 ORDER BY signer"));
  st.bind(1, as_i64(era));
  std::vector<StoredSignature> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    StoredSignature s;
    ICN_TRY(auto signer, fixed_blob<20>(st.column_blob(0), "signer"));
    s.signer.bytes = signer;
    ICN_TRY(s.signature, read_signature(st.column_blob(1)));
    out.push_back(s);
  }
  return out;
}

}  // namespace icn::satellite
