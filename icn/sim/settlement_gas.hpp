// Settlement gas at scale, measured on a real anvil (issue 10): the protocol deployed by icn/deploy
// from the devnet genesis (whose committee keys are anvil's dev accounts 7–9), one ScalerNode
// onboarded through icn/actions, then commitEra (SettlementContract, t committee signatures) for
// results trees of N node leaves and claimHpRewards of the real node's leaf in them — and, for the
// comparison, a per-node design (bench/contracts/PerNodeSettlement.sol: one transaction per node
// per era) at the same N. Gas is gasUsed from the receipts.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/protocol_messages.hpp"
#include "icn/core/result.hpp"

namespace icn::sim {

struct SettlementGasOptions {
  std::filesystem::path anvil_binary;
  std::filesystem::path artifacts_dir;     // the protocol's compiled contracts
  std::filesystem::path genesis_template;  // deploy/genesis/devnet.toml (committee: dev 7, 8, 9)
  std::filesystem::path work_dir;          // deployment.json goes here
  // PerNodeSettlement.json (tools/evm/compile.js of bench/contracts); none: no comparison.
  std::optional<std::filesystem::path> per_node_artifact;
  std::vector<uint64_t> sizes;        // N node leaves per era (commitEra, claim, per-node)
  std::vector<uint64_t> claim_spans;  // eras a claim covers (claim gas flat in eras covered)
  uint64_t claim_span_tree_size = 1000;
  // Per-node: at most this many node transactions per era are sent; beyond, the mean of the sample
  // times N (the report says which sizes were extrapolated).
  uint64_t per_node_sample = 1000;
  // Roots to commit first (the sim's eras, renumbered to the chain's next eras): their gas.
  std::vector<protocol::EraResult> roots;
  std::function<void(const std::string&)> progress;
};

struct SizeGas {
  uint64_t nodes = 0;
  uint64_t commit_gas = 0;  // commitEra of a tree of `nodes` leaves
  uint64_t claim_gas = 0;   // claimHpRewards of one leaf of it (not the node's first claim)
  uint64_t proof_length = 0;
  // Per-node design, for all `nodes`: an era where every node is settled for the first time, and
  // a following era (the steady state: the records exist).
  uint64_t per_node_first_era_gas = 0;
  uint64_t per_node_era_gas = 0;
  uint64_t per_node_sent = 0;  // transactions measured per era (< nodes: extrapolated)
  double per_node_tx_gas = 0;  // mean gas of one steady-state node transaction
};

struct ClaimSpanGas {
  uint64_t eras_covered = 0;
  uint64_t claim_gas = 0;
  uint64_t proof_length = 0;
};

struct SettlementGasReport {
  uint64_t committee_size = 0, threshold = 0;
  uint64_t first_claim_gas = 0;  // the node's first claim (its settlement record is created)
  std::vector<SizeGas> sizes;
  std::vector<ClaimSpanGas> claim_spans;
  std::vector<uint64_t> root_commit_gas;  // one per options.roots
  std::vector<uint64_t> root_commit_eras;
};

Result<SettlementGasReport> measure_settlement_gas(const SettlementGasOptions& options);
nlohmann::json to_json(const SettlementGasReport& report);

}  // namespace icn::sim
