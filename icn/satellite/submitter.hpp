// Landing an era's results on chain (DESIGN §7–§8): who submits `commitEra` when, who then keeps
// the era's slashes (`applySlash`), and the interface that sends both. The decisions are pure
// functions so every committee member's choice is testable.
#pragma once

#include <optional>
#include <vector>

#include "icn/core/era_results.hpp"
#include "icn/core/protocol_messages.hpp"

namespace icn::satellite {

struct SubmitDecisionInput {
  uint64_t era = 0;
  size_t committee_size = 0;
  std::optional<size_t> own_index;  // our position in the committee, none when not a member
  size_t signatures = 0;            // valid committee signatures we hold over our roots
  size_t threshold = 0;
  bool committed = false;       // Settlement already has the era
  uint64_t head = 0;            // current block
  uint64_t ready_block = 0;     // era end block + submission grace: when the era was computable
  uint64_t submit_timeout = 0;  // blocks the leader gets before the others step in
};

enum class SubmitAction {
  kCommitted,  // nothing to do
  kNotMember,  // we cannot sign for the committee, so we never submit
  kWaitSignatures,
  kWaitLeader,  // not the leader and its time is not up
  kSubmit,
};
std::string_view to_string(SubmitAction action);

// leader = era mod n submits as soon as it holds ≥ t signatures; every other member submits when
// it holds ≥ t and the era is still not committed submit_timeout blocks after ready_block.
SubmitAction decide_submit(const SubmitDecisionInput& input);

struct SlashDecisionInput {
  uint64_t era = 0;  // the last committed era
  size_t committee_size = 0;
  std::optional<size_t> own_index;
  bool we_committed = false;  // our own commitEra of the era landed
  uint64_t head = 0;
  uint64_t seen_block = 0;  // the head when we first saw the era committed
  uint64_t timeout = 0;     // blocks the keeper gets before the others step in
};

enum class SlashAction {
  kNotMember,   // never sends
  kWaitKeeper,  // another member keeps this era and its time is not up
  kApply,
};
std::string_view to_string(SlashAction action);

// The member whose commitEra landed keeps the era's slashes at once, and so does the era's leader
// (era mod n, who normally submits); every other member steps in once the era has been seen
// committed for `timeout` blocks (as for commitEra: a keeper that is down delays, never blocks).
SlashAction decide_slash(const SlashDecisionInput& input);

// Sends Settlement's satellite transactions and reads what they depend on. The real one is
// SettlementSubmitter (settlement_submitter.hpp).
class Submitter {
 public:
  virtual ~Submitter() = default;
  // commitEra(era, resultsRoot, dataRoot, signatures): the transaction hash once mined; an error
  // when it reverted (naming Settlement's error) or could not be sent.
  virtual Result<Hash> commit_era(const protocol::EraResult& result,
                                  const std::vector<Signature>& signatures) = 0;
  // Settlement.nodeSettlement(node).slashRecorded: the highest cumulative slash applied so far.
  virtual Result<U256> slash_recorded(const U256& node_id) = 0;
  // applySlash(era, leaf, proof), mined; a revert names Settlement's error ("StaleLeaf(…)" when
  // another member applied it first).
  virtual Result<Hash> apply_slash(uint64_t era, const protocol::NodeLeaf& leaf,
                                   const std::vector<Hash>& proof) = 0;
};

}  // namespace icn::satellite
