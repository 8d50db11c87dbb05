// Landing an era's results on chain (DESIGN §8): who submits `commitEra` when, and the interface
// that sends it. The decision is a pure function so every committee member's choice is testable.
#pragma once

#include <optional>
#include <vector>

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

// Sends Settlement.commitEra(era, resultsRoot, dataRoot, signatures). The real one (icn/eth
// TransactionSender + the Settlement artifact's Contract::send) is wired by the lead:
// TODO(commit-era-sender).
class Submitter {
 public:
  virtual ~Submitter() = default;
  // Returns the transaction hash once mined; an error when it reverted or could not be sent.
  virtual Result<Hash> commit_era(const protocol::EraResult& result,
                                  const std::vector<Signature>& signatures) = 0;
};

}  // namespace icn::satellite
