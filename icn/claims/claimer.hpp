// Claiming committed era results (DESIGN §8): fetch the last committed era's results from a
// satellite, VERIFY every selected leaf and proof against the root Settlement committed (a
// satellite is outside input: one leaf that does not verify and nothing is sent), then send
// claimHpRewards / claimLinkRewards. Leaves are cumulative, so the last era claims everything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/claims/publications.hpp"
#include "icn/core/era_publication.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/sender.hpp"

namespace icn::claims {

struct ClaimRequest {
  std::vector<U256> nodes;    // node leaves to claim (the HP is paid, whoever sends)
  std::vector<U256> bundles;  // Link bundle leaves to claim (the owner is paid)
  bool all_mine = false;      // plus every node and bundle the sender's address owns
};

enum class ClaimStatus {
  kClaimed,
  kNothingToClaim,  // no leaf, or the leaf adds nothing over what was claimed
  kTooRecent,       // the claim delay has not passed for the last committed era
  kFailed,          // sent and reverted, or could not be sent
};

struct ClaimOutcome {
  bool bundle = false;  // false: a node leaf
  U256 id;
  ClaimStatus status = ClaimStatus::kFailed;
  uint64_t era = 0;
  U256 utilisation, subsidy;  // node: the increases paid
  U256 amount;                // total paid
  Hash tx{};
  std::string detail;  // why nothing, or what failed
};

// "node 3: claimed 12.5 ICNT (utilisation 10, subsidy 2.5) in tx 0x…",
// "bundle 9: nothing to claim (1.5 ICNT already claimed)", …
std::string describe(const ClaimOutcome& outcome);

class Claimer {
 public:
  // `links` is ICNLink bound at its address (bundle owners for --all-mine). Everything must outlive
  // the claimer.
  Claimer(eth::RpcClient& rpc, chain::SettlementContract& settlement, chain::ChainView& chain,
          eth::Contract links, EraPublications& publications, eth::TransactionSender& sender,
          std::chrono::milliseconds receipt_timeout = std::chrono::seconds(60));

  // The leaves of the last committed era for `request`, each verified against the committed root.
  // An error (and nothing sent) when no era is committed, the satellite's document is malformed or
  // is for another era, or any selected leaf does not verify.
  struct Selection {
    uint64_t era = 0;
    Hash committed_root{};
    std::vector<protocol::PublishedNodeLeaf> nodes;
    std::vector<protocol::PublishedLinkLeaf> links;
    std::vector<ClaimOutcome> missing;  // requested ids without a leaf: nothing to claim
  };
  Result<Selection> select(const ClaimRequest& request);

  // select, then one transaction per leaf that adds something and is old enough; outcomes in
  // request order (nodes, then bundles). Errors only when nothing could be attempted.
  Result<std::vector<ClaimOutcome>> claim(const ClaimRequest& request);

 private:
  ClaimOutcome claim_node(uint64_t era, uint64_t last, uint64_t delay,
                          const protocol::PublishedNodeLeaf& leaf);
  ClaimOutcome claim_link(uint64_t era, uint64_t last, uint64_t delay,
                          const protocol::PublishedLinkLeaf& leaf);
  Result<Address> bundle_owner(const U256& bundle_id);

  eth::RpcClient& rpc_;
  chain::SettlementContract& settlement_;
  chain::ChainView& chain_;
  eth::Contract links_;
  EraPublications& publications_;
  eth::TransactionSender& sender_;
  std::chrono::milliseconds receipt_timeout_;
};

}  // namespace icn::claims
