// Era verdicts (DESIGN §7): from the era's accepted batches, which ScalerNodes were UP, how each
// HyperNode performed, and which reports were dropped — a pure function every satellite and
// `icn verify-era` run alike.
//
// Rules (defaults in VerdictRules; DESIGN §11):
//  1. A batch counts when its originator is known (a ScalerNode expected to report, a HyperNode
//     active at the era's start block), its era is the era, it is canonical and its signature is
//     by the registered key (daemon key / HyperNode signing key). Byte-identical copies count once;
//     two different valid batches from one originator are both rejected (equivocation). A batch of
//     a node in declared maintenance is ignored.
//  2. A daemon entry is CONFIRMED when its challenge hash is in the HyperNode's counted batch.
//     Otherwise (a mismatch) the entry alone is verified: both signatures valid (daemon key over
//     the Challenge, HyperNode key over the ChallengeResponse) → confirmed, and the HyperNode is
//     marked misreporting (it omitted the hash, or sent no valid batch); either signature invalid
//     → the entry is dropped and the daemon is marked. An entry naming a HyperNode that was not
//     active is dropped (not confirmable) without a mark.
//  3. S = expected ScalerNodes not in maintenance. A HyperNode answered a node when a confirmed
//     entry of that node names it. A = active HyperNodes that answered ≥ answered_fraction of |S|
//     (with |S| = 0 every active HyperNode is in A).
//  4. The era has a verdict only when |A| ≥ 1 and |A| ≥ min_a_fraction × |active HyperNodes|;
//     otherwise every node's verdict is NONE (nobody is rewarded or slashed for the era).
//  5. With a verdict: a node in maintenance is MAINTENANCE (neither UP nor DOWN); a node of S is UP
//     when its confirmed entries cover ≥ ⌈up_quorum × |A|⌉ members of A, else DOWN.
//  6. HyperNode performance p = (UP nodes it answered) / (UP nodes), kept as a WAD rounded down;
//     GOOD when p ≥ good_fraction (compared exactly, not on the rounded WAD). With no UP node,
//     p = 1 for members of A and 0 for the others. Without a verdict p = 0.
// Every comparison with a fraction num/den is done in integers: x ≥ num/den · y ⇔ x·den ≥ num·y.
#pragma once

#include <string>
#include <vector>

#include "icn/core/era_batch.hpp"

namespace icn::protocol {

struct Fraction {
  uint64_t num = 0;
  uint64_t den = 1;
};

struct VerdictRules {
  Fraction answered_fraction{1, 2};  // a HyperNode is in A when it answered ≥ half of S
  Fraction min_a_fraction{1, 2};     // no verdict when |A| < half of the active HyperNodes
  Fraction up_quorum{2, 3};          // UP: confirmed by ≥ ⌈2/3 · |A|⌉ members of A
  Fraction good_fraction{9, 10};     // GOOD: p ≥ 0.9
};

struct ActiveHyperNode {
  U256 id;
  Address signer;  // its registered signing key
};

struct ExpectedScalerNode {
  U256 id;
  Address daemon;  // its registered daemon key
  bool maintenance = false;
};

struct EraVerdictInput {
  uint64_t era = 0;
  Hash domain{};                                 // protocol::domain_separator(chainId, Settlement)
  std::vector<ActiveHyperNode> hyper_nodes;      // active at the era's start block
  std::vector<ExpectedScalerNode> scaler_nodes;  // expected to report in the era
  std::vector<DaemonBatch> daemon_batches;       // accepted by the satellites
  std::vector<HyperNodeBatch> hyper_node_batches;
  VerdictRules rules;
};

enum class Verdict { kUp, kDown, kMaintenance, kNone };
std::string_view to_string(Verdict verdict);

struct ScalerNodeVerdict {
  U256 id;
  Verdict verdict = Verdict::kNone;
  std::string reason;
  bool batch_counted = false;
  uint32_t confirmed = 0;       // confirmed entries (any active HyperNode)
  uint32_t confirmed_in_a = 0;  // … of members of A
  uint32_t dropped = 0;         // entries dropped (forged or unverifiable): marks the daemon
};

struct HyperNodeReport {
  U256 id;
  bool batch_counted = false;
  bool in_a = false;
  uint32_t answered = 0;      // nodes of S it answered
  uint32_t answered_up = 0;   // UP nodes it answered
  uint32_t omitted = 0;       // confirmed entries its own batch left out
  uint32_t unmatched = 0;     // hashes in its batch no counted daemon entry claims
  bool misreporting = false;  // omitted > 0
  U256 performance_wad;       // p × 10^18, rounded down
  bool good = false;
};

struct RejectedBatch {
  OriginatorKind kind = OriginatorKind::kScalerNode;
  U256 originator_id;
  size_t index = 0;  // in the input list of its kind
  std::string reason;
};

struct DroppedEntry {
  U256 scaler_node_id;
  U256 hyper_node_id;
  Hash challenge_hash{};
  std::string reason;
};

struct EraVerdicts {
  uint64_t era = 0;
  bool has_verdict = false;
  std::string no_verdict_reason;
  uint32_t a_size = 0;
  uint32_t up_quorum = 0;  // ⌈up_quorum × |A|⌉
  uint32_t up_count = 0;
  std::vector<ScalerNodeVerdict> scaler_nodes;  // ascending id
  std::vector<HyperNodeReport> hyper_nodes;     // ascending id
  std::vector<RejectedBatch> rejected_batches;
  std::vector<DroppedEntry> dropped_entries;

  const ScalerNodeVerdict* scaler_node(const U256& id) const;
  const HyperNodeReport* hyper_node(const U256& id) const;
};

// Whether compute_era_verdicts checks each batch's canonical form and signature (rule 1).
// kCheckedByCaller is only for a caller that already ran verify_batch on every batch it passes
// against the same key the input lists for its originator (the satellite, which refuses any batch
// that fails at ingest and stores only those that pass): it skips the entry hashes and Merkle root
// of every batch, which is most of the verdict's hashing. Anyone judging batches from elsewhere
// (`icn verify-era`) uses kVerify.
enum class BatchSignatures { kVerify, kCheckedByCaller };

// Fails only on inconsistent input from the caller (duplicate ids, a zero-denominator rule);
// whatever the batches hold is judged, never an error.
Result<EraVerdicts> compute_era_verdicts(const EraVerdictInput& input,
                                         BatchSignatures signatures = BatchSignatures::kVerify);

}  // namespace icn::protocol
