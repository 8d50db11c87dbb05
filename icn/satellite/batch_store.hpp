// The satellite's durable state (SQLite, WAL, synchronous=FULL): accepted batches by content hash,
// equivocation evidence, each era's results with the carried EraState, and the committee
// signatures received per era. Every write is one transaction, on disk when the call returns, so
// a batch is acknowledged only once it survives a crash.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/era_batch.hpp"
#include "icn/core/era_results.hpp"
#include "icn/infra/group_commit.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::satellite {

struct StoredBatch {
  Hash hash{};  // protocol::batch_hash: keccak256 of `body`
  uint64_t era = 0;
  protocol::OriginatorKind kind = protocol::OriginatorKind::kScalerNode;
  U256 originator_id;
  std::string body;  // canonical protocol_json text
  // A second, different valid batch of the same originator and era: kept as evidence and handed
  // to compute_era_verdicts, which then rejects every batch of that originator (rule 1).
  bool equivocation = false;
};

enum class InsertOutcome {
  kAccepted,      // stored now
  kDuplicate,     // this very batch was stored before; nothing changed
  kEquivocation,  // the originator has another batch for the era; stored as evidence
  kEvidenceFull,  // … and already max_evidence_per_originator of them: not stored
};

struct InsertResult {
  InsertOutcome outcome = InsertOutcome::kAccepted;
  Hash first_hash{};  // kEquivocation/kEvidenceFull: the originator's first batch of the era
};

struct StoredEraResult {
  uint64_t era = 0;
  Hash results_root{};
  Hash data_root{};
  protocol::EraState state;  // after the era
  Address own_signer;        // our committee key's address
  Signature own_signature;   // our signature over EraResult{era, results_root, data_root}
  // The era's own verdicts (GET /v1/eras/{e}/verdicts: era_verdicts_json), JSON text; "" for an
  // era computed before they were kept. Not part of any root: the leaves are cumulative.
  std::string verdicts;
};

struct StoredSignature {
  Address signer;
  Signature signature;
};

struct BatchStoreOptions {
  size_t max_evidence_per_originator = 2;  // equivocating batches kept per originator and era
};

class BatchStore {
 public:
  // Opens (creating) the database and applies the migrations.
  static Result<BatchStore> open(const std::filesystem::path& file, BatchStoreOptions options = {});
  BatchStore(BatchStore&&) noexcept;
  ~BatchStore();

  // Concurrent callers are group-committed: one transaction (one fsync) for every insert queued
  // while the previous group was being written; each returns once its batch is on disk.
  Result<InsertResult> insert(const StoredBatch& batch);
  Result<std::optional<StoredBatch>> batch(const Hash& hash);
  // Every batch of the era (accepted and evidence), ascending hash.
  Result<std::vector<StoredBatch>> era_batches(uint64_t era);
  // The hashes of era_batches(era) without the bodies: what a peer asks for to fill its gaps.
  Result<std::vector<Hash>> era_batch_hashes(uint64_t era);

  // Stores the era's results and our own signature among the era's signatures, in one
  // transaction (an era is computed once: a second put for the era is an error).
  Status put_era_result(const StoredEraResult& result);
  Result<std::optional<StoredEraResult>> era_result(uint64_t era);
  Result<std::optional<uint64_t>> last_computed_era();

  // Retention: deletes the batches of every era ≤ `era` (results and signatures stay: claims and
  // the DOWN history need them, and they are small) and remembers the highest era pruned so far.
  // Returns how many batches were deleted; idempotent.
  Result<size_t> prune_batches_through(uint64_t era);
  Result<std::optional<uint64_t>> pruned_through();  // none until the first prune

  // true when stored now, false when this signer's signature for the era was already there.
  Result<bool> put_signature(uint64_t era, const StoredSignature& signature);
  Result<std::vector<StoredSignature>> signatures(uint64_t era);  // ascending signer

 private:
  struct PendingInsert {
    const StoredBatch* batch = nullptr;
    InsertResult result;
  };
  BatchStore(infra::Database db, BatchStoreOptions options);
  Status insert_group(const std::vector<PendingInsert*>& group);
  std::unique_ptr<std::mutex> mu_;  // Database is one connection: one caller at a time
  std::unique_ptr<infra::GroupCommit<PendingInsert>> group_;
  infra::Database db_;
  BatchStoreOptions options_;
};

}  // namespace icn::satellite
