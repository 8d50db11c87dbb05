// Settlement gas at scale on a real anvil: this design (commitEra per era + a claim per node when
// it claims) against one transaction per node per era (settlement_gas.hpp, docs/benchmarks.md).
#include "icn/sim/settlement_gas.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/core/abi_codec.hpp"
#include "icn/core/era_results.hpp"
#include "icn/core/keccak.hpp"
#include "icn/deploy/deployer.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/deploy/plan.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"
#include "icn/infra/anvil.hpp"
#include "icn/infra/files.hpp"

namespace icn::sim {
namespace {

using json = nlohmann::json;

eth::Deadline in_seconds(int s) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(s);
}

Result<PrivateKey> dev_key(size_t i) {
  return PrivateKey::from_hex(infra::kAnvilDevPrivateKeys.at(i));
}

Result<eth::TransactionSender> dev_sender(eth::RpcClient& rpc, size_t i) {
  ICN_TRY(PrivateKey key, dev_key(i));
  eth::SenderOptions o;
  o.expected_chain_id = infra::kAnvilDefaultChainId;
  return eth::TransactionSender::create(rpc, key, o);
}

// Synthetic node ids of the trees never collide with the one onboarded node's.
constexpr uint64_t kSyntheticIdBase = 1'000'000'000;

// A results tree of `nodes` node leaves: the real node with cumulative subsidy `subsidy`, the
// others synthetic (distinct amounts, so no two leaves hash alike).
protocol::ResultsTree tree_of(uint64_t nodes, const U256& real_id, const U256& subsidy,
                              uint64_t era) {
  protocol::EraState state;
  state.era = era;
  state.nodes[real_id].subsidy = subsidy;
  for (uint64_t i = 1; i < nodes; ++i) {
    state.nodes[U256(kSyntheticIdBase + i)].subsidy = U256(1'000'000 + i);
  }
  return protocol::ResultsTree::build(state);
}

class Bench {
 public:
  Bench(const SettlementGasOptions& o, eth::RpcClient& rpc) : o_(o), rpc_(rpc) {}

  void say(const std::string& line) {
    if (o_.progress) o_.progress(line);
  }

  Status deploy_and_onboard() {
    ICN_TRY(std::string text, infra::read_file(o_.genesis_template, 1 << 20));
    ICN_TRY_CTX(genesis_, deploy::parse_genesis(text, deploy::contract_names()),
                o_.genesis_template.string());
    // The committee must be keys we hold: anvil's dev accounts (the devnet genesis: 7, 8, 9).
    for (const Address& member : genesis_.settlement.committee) {
      bool found = false;
      for (size_t i = 0; i < infra::kAnvilDevAddresses.size(); ++i) {
        if (member.checksummed() == infra::kAnvilDevAddresses[i]) {
          ICN_TRY(PrivateKey k, dev_key(i));
          committee_.push_back(std::move(k));
          found = true;
        }
      }
      if (!found)
        return fail("settlement gas: committee member " + member.checksummed() +
                    " is not an anvil dev account (use the devnet genesis)");
    }
    ICN_TRY(deployer_, dev_sender(rpc_, 0));
    deploy::DeployOptions d;
    d.artifacts_dir = o_.artifacts_dir;
    d.out = o_.work_dir / "deployment.json";
    d.overwrite = true;
    d.icn_version = "sim";
    say("settlement gas: deploying the protocol");
    ICN_TRY(deployment_, deploy::deploy_protocol(rpc_, *deployer_, genesis_, text, d));
    ICN_TRY(protocol_, actions::Protocol::open(rpc_, deployment_, o_.artifacts_dir));
    ICN_TRY(settlement_, chain::SettlementContract::open(rpc_, deployment_, o_.artifacts_dir));
    domain_ = protocol::domain_separator(U256(infra::kAnvilDefaultChainId), settlement_->address());

    // One real ScalerNode (HP = dev account 1), fully collateralised: claims pay the HP.
    say("settlement gas: onboarding one ScalerNode");
    ICN_TRY(hp_, dev_sender(rpc_, 1));
    ICN_TRY(U256 icnt, deploy::parse_token_amount("2000"));
    ICN_CHECK(actions::fund_icnt(*protocol_, *deployer_, hp_->address(), icnt));
    ICN_TRY(uint32_t hp_id, actions::register_hardware_provider(*protocol_, *hp_));
    (void)hp_id;
    actions::ScalerNodeSpec spec;
    spec.name = "gas-bench-node";
    spec.region = genesis_.regions.at(0).code;
    spec.hardware_class = genesis_.classes.at(0).name;
    spec.location = "DEU";
    spec.capacity = U256(10);
    ICN_TRY(PrivateKey daemon, dev_key(2));
    spec.daemon = daemon.address();
    std::vector<actions::ScalerNodeSpec> specs{spec};
    ICN_TRY(std::vector<U256> ids, actions::register_scaler_nodes(*protocol_, *hp_, specs));
    if (ids.size() != 1) return fail("settlement gas: registerScalerNodes returned no id");
    node_id_ = ids[0];
    ICN_CHECK(actions::validate_scaler_nodes(*protocol_, *deployer_, ids));
    // The subsidy is drawn from the Rewards Reserve, funded by a Vesting stream that starts at the
    // deployment: a day of chain time lets it stream (right after the deployment little or nothing
    // has vested, and every claim here would revert ERC20InsufficientBalance).
    ICN_TRY_CTX(json ignored, rpc_.call("evm_increaseTime", json::array({86400})),
                "evm_increaseTime");
    ICN_TRY_CTX(ignored, rpc_.call("evm_mine"), "evm_mine");
    ICN_TRY(U256 released, actions::release_vesting(*protocol_, *deployer_,
                                                    actions::VestingCategory::kRewardsReserve));
    ICN_TRY(Address reserve, protocol_->address_of("RewardsReserve"));
    ICN_TRY(U256 held, actions::icnt_balance(*protocol_, reserve));
    ICN_TRY(U256 needed, deploy::parse_token_amount("1"));  // ≥ 0.001 ICNT × every era measured
    if (held < needed) {
      return fail("settlement gas: the Rewards Reserve holds " + to_decimal(held) +
                  " wei of ICNT after releasing " + to_decimal(released) +
                  " (need 1 ICNT for the claims)");
    }
    return {};
  }

  // The chain's next era to commit, after mining past its end.
  Result<uint64_t> next_era() {
    ICN_TRY(auto last, settlement_->last_committed_era());
    uint64_t era = 0;
    if (last) {
      era = *last + 1;
    } else {
      ICN_TRY(era, settlement_->first_era());
    }
    ICN_TRY_CTX(json head, rpc_.call("eth_blockNumber"), "eth_blockNumber");
    uint64_t now = std::stoull(head.get<std::string>(), nullptr, 16);
    uint64_t start = genesis_.chain.start_block.value_or(0);
    uint64_t end = start + (era + 1) * genesis_.chain.era_blocks;  // era + 1 starts here
    if (now < end) {
      char hex[32];
      std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(end - now));
      ICN_TRY_CTX(json ignored, rpc_.call("anvil_mine", json::array({hex})), "anvil_mine");
    }
    return era;
  }

  Result<eth::Receipt> commit(uint64_t era, const Hash& results_root, const Hash& data_root) {
    protocol::EraResult r{era, results_root, data_root};
    std::vector<Signature> sigs;
    for (size_t i = 0; i < genesis_.settlement.threshold; ++i) {
      sigs.push_back(protocol::sign(domain_, r, committee_.at(i)).signature);
    }
    return settlement_->commit_era(*deployer_, r, sigs, in_seconds(60));
  }

  // Commits a tree of `nodes` leaves in which the real node has earned `step` more; returns the
  // commit receipt's gas and the claim's.
  Result<std::pair<eth::Receipt, eth::Receipt>> commit_and_claim(uint64_t nodes,
                                                                 uint64_t spans = 1) {
    eth::Receipt commit_receipt;
    for (uint64_t k = 0; k < spans; ++k) {
      ICN_TRY(uint64_t era, next_era());
      subsidy_ += step_;
      tree_.emplace(tree_of(nodes, node_id_, subsidy_, era));
      era_ = era;
      Hash data_root = keccak256(std::string_view("icn settlement gas bench data root"));
      ICN_TRY_CTX(commit_receipt, commit(era, tree_->root(), data_root),
                  "commitEra of " + std::to_string(nodes) + " leaves");
    }
    ICN_TRY(auto proof, tree_->node_proof(node_id_));
    const protocol::NodeLeaf* leaf = tree_->node_leaf(node_id_);
    ICN_TRY_CTX(eth::Receipt claim,
                settlement_->claim_hp_rewards(*hp_, era_, *leaf, proof, in_seconds(60)),
                "claimHpRewards in a tree of " + std::to_string(nodes) + " leaves");
    return std::pair{commit_receipt, claim};
  }

  Status per_node(SizeGas& g, uint64_t size_index) {
    ICN_TRY(eth::Artifact artifact, eth::Artifact::load(*o_.per_node_artifact));
    ICN_TRY(eth::Contract c, eth::Contract::from_artifact(artifact));
    if (!per_node_) {
      abi::Value::List members;
      for (const Address& m : genesis_.settlement.committee) members.emplace_back(m);
      std::vector<abi::Value> args = {abi::Value(members),
                                      abi::Value::uint(genesis_.settlement.threshold)};
      ICN_TRY(per_node_, c.deploy(*deployer_, artifact.bytecode, args, in_seconds(60)));
      ICN_TRY(auto ds, per_node_->call(rpc_, "domainSeparator", {}));
      per_node_domain_ = std::get<Bytes>(ds.at(0).data);
    }
    const uint64_t sent = std::min(g.nodes, o_.per_node_sample);
    g.per_node_sent = sent;
    static const auto types =
        *abi::parse_type_list("(bytes32,uint64,uint256,uint256,uint256,uint256)");
    const Hash typehash =
        keccak256(std::string_view("NodeEraResult(uint64 era,uint256 nodeId,uint256 "
                                   "utilisation,uint256 subsidy,uint256 slashed)"));
    // Ids of this size are its own, so its first era is every node's first.
    const uint64_t id_base = (size_index + 1) * 10'000'000;
    uint64_t totals[2] = {0, 0};
    for (uint64_t era = 1; era <= 2; ++era) {
      std::vector<Hash> hashes;
      for (uint64_t i = 0; i < sent; ++i) {
        U256 id(id_base + i), subsidy(1'000'000 * era + i);
        abi::Value::List v = {Bytes(typehash.begin(), typehash.end()),
                              abi::Value::uint(era),
                              id,
                              U256(0),
                              subsidy,
                              U256(0)};
        ICN_TRY(Bytes encoded, abi::encode(types, v));
        Hash struct_hash = keccak256(encoded);
        Bytes pre = {0x19, 0x01};
        pre.insert(pre.end(), per_node_domain_.begin(), per_node_domain_.end());
        pre.insert(pre.end(), struct_hash.begin(), struct_hash.end());
        Hash digest = keccak256(pre);
        abi::Value::List sigs;
        for (size_t k = 0; k < genesis_.settlement.threshold; ++k) {
          auto rsv = sign_hash(committee_.at(k), digest).to_rsv65();
          sigs.emplace_back(Bytes(rsv.begin(), rsv.end()));
        }
        std::vector<abi::Value> args = {abi::Value::uint(era), id, U256(0), subsidy, U256(0),
                                        abi::Value(sigs)};
        ICN_TRY(Bytes data, per_node_->encode_call("settleNode", args));
        eth::SendOptions so;
        so.gas_limit = 300'000;  // skip estimation: one round trip per transaction
        ICN_TRY_CTX(eth::SendResult r, deployer_->send(per_node_->address(), data, 0, so),
                    "PerNodeSettlement.settleNode");
        hashes.push_back(r.tx_hash);
      }
      for (const Hash& h : hashes) {
        ICN_TRY(eth::Receipt receipt, deployer_->wait_for_receipt(h, in_seconds(120)));
        if (!receipt.status)
          return fail("PerNodeSettlement.settleNode reverted (tx " + to_hex(h) + ")");
        totals[era - 1] += receipt.gas_used;
      }
    }
    const double scale = double(g.nodes) / double(sent);
    g.per_node_first_era_gas = uint64_t(std::llround(double(totals[0]) * scale));
    g.per_node_era_gas = uint64_t(std::llround(double(totals[1]) * scale));
    g.per_node_tx_gas = double(totals[1]) / double(sent);
    return {};
  }

  Result<SettlementGasReport> run() {
    SettlementGasReport report;
    ICN_CHECK(deploy_and_onboard());
    report.committee_size = genesis_.settlement.committee.size();
    report.threshold = genesis_.settlement.threshold;
    ICN_TRY(step_, deploy::parse_token_amount("0.001"));

    for (const auto& r : o_.roots) {
      ICN_TRY(uint64_t era, next_era());
      ICN_TRY_CTX(eth::Receipt receipt, commit(era, r.results_root, r.data_root),
                  "commitEra of the simulated era " + std::to_string(r.era));
      report.root_commit_gas.push_back(receipt.gas_used);
      report.root_commit_eras.push_back(era);
    }
    // The node's first claim writes its settlement record: measured apart.
    say("settlement gas: first claim");
    ICN_TRY(auto first, commit_and_claim(2));
    report.first_claim_gas = first.second.gas_used;
    for (size_t i = 0; i < o_.sizes.size(); ++i) {
      SizeGas g;
      g.nodes = o_.sizes[i];
      say("settlement gas: N = " + std::to_string(g.nodes) + ": commitEra and a claim");
      ICN_TRY(auto pair, commit_and_claim(g.nodes));
      g.commit_gas = pair.first.gas_used;
      g.claim_gas = pair.second.gas_used;
      ICN_TRY(auto proof, tree_->node_proof(node_id_));
      g.proof_length = proof.size();
      if (o_.per_node_artifact) {
        say("settlement gas: N = " + std::to_string(g.nodes) + ": per-node design (" +
            std::to_string(std::min(g.nodes, o_.per_node_sample)) +
            " transactions per era, 2 eras)");
        ICN_CHECK(per_node(g, i));
      }
      report.sizes.push_back(g);
    }
    for (uint64_t span : o_.claim_spans) {
      say("settlement gas: a claim covering " + std::to_string(span) + " eras");
      ICN_TRY(auto pair, commit_and_claim(o_.claim_span_tree_size, span));
      ICN_TRY(auto proof, tree_->node_proof(node_id_));
      report.claim_spans.push_back({span, pair.second.gas_used, proof.size()});
    }
    return report;
  }

 private:
  const SettlementGasOptions& o_;
  eth::RpcClient& rpc_;
  deploy::Genesis genesis_;
  std::vector<PrivateKey> committee_;
  std::optional<eth::TransactionSender> deployer_, hp_;
  chain::Deployment deployment_;
  std::optional<actions::Protocol> protocol_;
  std::optional<chain::SettlementContract> settlement_;
  Hash domain_{};
  U256 node_id_, subsidy_, step_;
  std::optional<protocol::ResultsTree> tree_;
  uint64_t era_ = 0;
  std::optional<eth::Contract> per_node_;
  Bytes per_node_domain_;
};

}  // namespace

Result<SettlementGasReport> measure_settlement_gas(const SettlementGasOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.work_dir, ec);
  if (ec) return fail("settlement gas: create " + o.work_dir.string() + ": " + ec.message());
  infra::AnvilOptions a;
  a.binary = o.anvil_binary;
  ICN_TRY_CTX(infra::Anvil anvil, infra::Anvil::start(a), "settlement gas");
  eth::RpcClient rpc(anvil.rpc_url());
  Bench bench(o, rpc);
  auto report = bench.run();
  anvil.stop();
  return report;
}

json to_json(const SettlementGasReport& r) {
  json sizes = json::array();
  for (const auto& g : r.sizes) {
    sizes.push_back({{"nodes", g.nodes},
                     {"commitGas", g.commit_gas},
                     {"claimGas", g.claim_gas},
                     {"proofLength", g.proof_length},
                     {"perNodeFirstEraGas", g.per_node_first_era_gas},
                     {"perNodeEraGas", g.per_node_era_gas},
                     {"perNodeSent", g.per_node_sent},
                     {"perNodeExtrapolated", g.per_node_sent > 0 && g.per_node_sent < g.nodes},
                     {"perNodeTxGas", g.per_node_tx_gas}});
  }
  json spans = json::array();
  for (const auto& s : r.claim_spans)
    spans.push_back({{"erasCovered", s.eras_covered},
                     {"claimGas", s.claim_gas},
                     {"proofLength", s.proof_length}});
  json roots = json::array();
  for (size_t i = 0; i < r.root_commit_gas.size(); ++i) {
    roots.push_back({{"chainEra", r.root_commit_eras[i]}, {"commitGas", r.root_commit_gas[i]}});
  }
  return {{"committeeSize", r.committee_size},
          {"threshold", r.threshold},
          {"firstClaimGas", r.first_claim_gas},
          {"sizes", sizes},
          {"claimSpans", spans},
          {"simRootCommits", roots}};
}

}  // namespace icn::sim
