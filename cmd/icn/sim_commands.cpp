// `icn sim`: generated eras of N ScalerNodes × M HyperNodes through the real satellite ingest and
// era computation, timed (icn/sim, docs/sim.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "cmd/icn/commands.hpp"
#include "icn/sim/settlement_gas.hpp"
#include "icn/sim/sim_runner.hpp"

namespace icn::cmd {
namespace {

struct SimCommandOptions {
  uint32_t scaler_nodes = 20;
  uint32_t hyper_nodes = 4;
  uint64_t eras = 1;
  double down_rate = 0;
  uint32_t byzantine = 0;
  uint64_t seed = 1;
  unsigned threads = 2;
  unsigned senders = 16;
  std::string cache_dir;
  std::string work_dir;
  bool keep = false;
  bool json = false;
  std::string detail = "auto";
  bool gas = false;  // also measure commitEra and a claim at this scale on anvil
};
SimCommandOptions g_sim;

// Where the settlement gas is measured: the pinned anvil, the devnet genesis (its committee keys
// are anvil dev accounts), the build's artifacts; `icn sim gas` adds the comparison's sizes.
struct GasCommandOptions {
  std::string anvil, genesis, artifacts, per_node_artifact, work_dir;
  std::vector<uint64_t> sizes = {10, 100, 1000, 10000};
  std::vector<uint64_t> claim_spans = {1, 10, 100};
  uint64_t claim_span_tree = 1000;
  uint64_t per_node_sample = 1000;
  bool json = false;
};
GasCommandOptions g_gas;

Result<sim::SettlementGasOptions> gas_options() {
  sim::SettlementGasOptions o;
  o.anvil_binary = g_gas.anvil.empty() ? std::filesystem::path(ICN_EVM_TOOLS) /
                                             "@foundry-rs/anvil-linux-amd64/bin/anvil"
                                       : std::filesystem::path(g_gas.anvil);
  o.genesis_template = g_gas.genesis.empty()
                           ? std::filesystem::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml"
                           : std::filesystem::path(g_gas.genesis);
  if (g_gas.artifacts.empty()) {
    ICN_TRY(o.artifacts_dir, build_artifacts_dir());
  } else {
    o.artifacts_dir = g_gas.artifacts;
  }
  if (!g_gas.per_node_artifact.empty()) o.per_node_artifact = g_gas.per_node_artifact;
  o.work_dir = g_gas.work_dir.empty() ? std::filesystem::temp_directory_path() /
                                            ("icn-sim-gas-" + std::to_string(::getpid()))
                                      : std::filesystem::path(g_gas.work_dir);
  o.per_node_sample = g_gas.per_node_sample;
  o.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  return o;
}

std::string gas_table(const sim::SettlementGasReport& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "committee t = %llu of %llu; a node's first claim: %llu gas\n",
                (unsigned long long)r.threshold, (unsigned long long)r.committee_size,
                (unsigned long long)r.first_claim_gas);
  out += line;
  std::snprintf(line, sizeof line, "%8s %11s %10s %6s %16s %12s\n", "nodes", "commitEra", "claim",
                "proof", "per-node era", "per-node tx");
  out += line;
  for (const auto& g : r.sizes) {
    if (g.per_node_sent == 0) {  // no per-node artifact: no comparison measured
      std::snprintf(line, sizeof line, "%8llu %11llu %10llu %6llu %16s %12s\n",
                    (unsigned long long)g.nodes, (unsigned long long)g.commit_gas,
                    (unsigned long long)g.claim_gas, (unsigned long long)g.proof_length, "-", "-");
    } else {
      std::snprintf(line, sizeof line, "%8llu %11llu %10llu %6llu %16llu %12.0f%s\n",
                    (unsigned long long)g.nodes, (unsigned long long)g.commit_gas,
                    (unsigned long long)g.claim_gas, (unsigned long long)g.proof_length,
                    (unsigned long long)g.per_node_era_gas, g.per_node_tx_gas,
                    g.per_node_sent < g.nodes ? " (sampled)" : "");
    }
    out += line;
  }
  for (const auto& s : r.claim_spans) {
    std::snprintf(line, sizeof line, "claim covering %llu eras: %llu gas (proof %llu)\n",
                  (unsigned long long)s.eras_covered, (unsigned long long)s.claim_gas,
                  (unsigned long long)s.proof_length);
    out += line;
  }
  for (size_t i = 0; i < r.root_commit_gas.size(); ++i) {
    std::snprintf(line, sizeof line, "commitEra of simulated era %zu (chain era %llu): %llu gas\n",
                  i + 1, (unsigned long long)r.root_commit_eras[i],
                  (unsigned long long)r.root_commit_gas[i]);
    out += line;
  }
  return out;
}

Result<std::string> run_gas_command() {
  ICN_TRY(sim::SettlementGasOptions o, gas_options());
  o.sizes = g_gas.sizes;
  o.claim_spans = g_gas.claim_spans;
  o.claim_span_tree_size = g_gas.claim_span_tree;
  auto report = sim::measure_settlement_gas(o);
  std::error_code ec;
  if (g_gas.work_dir.empty()) std::filesystem::remove_all(o.work_dir, ec);
  if (!report) return report.error();
  if (g_gas.json) return sim::to_json(*report).dump(2);
  std::string t = gas_table(*report);
  if (!t.empty() && t.back() == '\n') t.pop_back();
  return t;
}

std::filesystem::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "icn" / "sim";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".cache" / "icn" / "sim";
  }
  return std::filesystem::temp_directory_path() / "icn-sim-cache";
}

Result<std::string> run_sim_command() {
  // stdout carries the table or JSON; the satellite's own log lines go to stderr, warnings only.
  auto log = spdlog::stderr_color_mt("sim");
  log->set_level(spdlog::level::warn);
  spdlog::set_default_logger(log);
  sim::SimOptions o;
  o.params.scaler_nodes = g_sim.scaler_nodes;
  o.params.hyper_nodes = g_sim.hyper_nodes;
  o.params.down_rate = g_sim.down_rate;
  o.params.byzantine = g_sim.byzantine;
  o.params.seed = g_sim.seed;
  o.eras = g_sim.eras;
  o.threads = g_sim.threads;
  o.senders = g_sim.senders;
  o.cache_dir =
      g_sim.cache_dir.empty() ? default_cache_dir() : std::filesystem::path(g_sim.cache_dir);
  const bool own_work_dir = g_sim.work_dir.empty();
  o.work_dir = own_work_dir ? std::filesystem::temp_directory_path() /
                                  ("icn-sim-" + std::to_string(::getpid()))
                            : std::filesystem::path(g_sim.work_dir);
  // The detail pass re-runs the verdict untimed: on by default only for small eras.
  o.detail = g_sim.detail == "on" || (g_sim.detail == "auto" &&
                                      uint64_t(g_sim.scaler_nodes) * g_sim.hyper_nodes <= 100'000);
  auto report = sim::run_sim(o);
  if (own_work_dir && !g_sim.keep) {
    std::error_code ec;
    std::filesystem::remove_all(o.work_dir, ec);
  }
  if (!report) return report.error();
  std::optional<sim::SettlementGasReport> gas;
  if (g_sim.gas) {
    // The sim's own roots committed by a quorum on a real deployment, then a commit and a claim
    // in a tree of the sim's N leaves (the sim's leaves are all zero: ZeroEconomics).
    ICN_TRY(sim::SettlementGasOptions go, gas_options());
    for (const auto& e : report->eras) {
      ICN_TRY_CTX(Hash rr, parse_fixed_hex<32>(e.results_root), "the sim's resultsRoot");
      ICN_TRY_CTX(Hash dr, parse_fixed_hex<32>(e.data_root), "the sim's dataRoot");
      go.roots.push_back({e.era, rr, dr});
    }
    go.sizes = {g_sim.scaler_nodes};
    auto measured = sim::measure_settlement_gas(go);
    std::error_code gec;
    if (g_gas.work_dir.empty()) std::filesystem::remove_all(go.work_dir, gec);
    if (!measured) return measured.error();
    gas = *measured;
  }
  if (g_sim.json) {
    auto j = sim::to_json(*report);
    if (gas) j["settlementGas"] = sim::to_json(*gas);
    return j.dump(2);
  }
  std::string table = sim::to_table(*report);
  if (gas) table += gas_table(*gas);
  if (!table.empty() && table.back() == '\n') table.pop_back();
  return table;
}

}  // namespace

void add_sim_commands(CLI::App& app) {
  auto* s = app.add_subcommand(
      "sim",
      "Simulate eras of N ScalerNodes x M HyperNodes through the real satellite (ingest, "
      "verdicts, roots) and measure it; generated eras are cached on disk");
  s->add_option("--scalernodes", g_sim.scaler_nodes,
                "ScalerNodes (each challenges every HyperNode)")
      ->check(CLI::Range(1u, 1'000'000u));
  s->add_option("--hypernodes", g_sim.hyper_nodes, "HyperNodes")->check(CLI::Range(1u, 4096u));
  s->add_option("--eras", g_sim.eras, "eras to run")
      ->check(CLI::Range(uint64_t(1), uint64_t(1000)));
  s->add_option("--down-rate", g_sim.down_rate, "share of ScalerNodes down in each era")
      ->check(CLI::Range(0.0, 1.0));
  s->add_option("--byzantine", g_sim.byzantine,
                "byzantine participants: HyperNodes omitting answers, daemons forging an entry");
  s->add_option("--seed", g_sim.seed, "derives every key, nonce and role");
  s->add_option("--threads", g_sim.threads, "generation threads")->check(CLI::Range(1u, 64u));
  s->add_option("--senders", g_sim.senders,
                "concurrent post_batch callers (HTTP workers); their inserts share group commits")
      ->check(CLI::Range(1u, 256u));
  s->add_option("--cache-dir", g_sim.cache_dir,
                "generated eras (default $XDG_CACHE_HOME/icn/sim or ~/.cache/icn/sim)");
  s->add_option("--work-dir", g_sim.work_dir,
                "the satellite's database (default: a temporary directory, removed afterwards)");
  s->add_flag("--keep", g_sim.keep, "keep the temporary work directory");
  s->add_option("--detail", g_sim.detail,
                "also report misreporting HyperNodes and dropped entries (untimed): auto (up to "
                "100,000 challenges), on, off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  s->add_flag("--json", g_sim.json, "print the figures as JSON");
  s->add_flag("--gas", g_sim.gas,
              "also on a fresh anvil: commitEra of the simulated roots by a committee quorum, and "
              "commitEra + a claim in a results tree of N leaves (gas from the receipts)");
  auto gas_paths = [](CLI::App* a) {
    a->add_option("--anvil", g_gas.anvil, "anvil binary (default: the pinned one of this build)");
    a->add_option("--genesis", g_gas.genesis,
                  "genesis deployed for the gas measurement (default deploy/genesis/devnet.toml: "
                  "its committee must be anvil dev accounts)");
    a->add_option("--artifacts", g_gas.artifacts, "compiled contracts (default: this build's)");
    a->add_option("--gas-work-dir", g_gas.work_dir, "deployment.json of the gas measurement");
  };
  gas_paths(s);
  auto* g = s->add_subcommand(
      "gas",
      "Settlement gas on a fresh anvil for results trees of N nodes: commitEra, claimHpRewards "
      "(also covering k eras), and a per-node design (one transaction per node per era)");
  gas_paths(g);
  g->add_option("--sizes", g_gas.sizes, "node counts N")->delimiter(',');
  g->add_option("--claim-spans", g_gas.claim_spans, "eras covered by a measured claim")
      ->delimiter(',');
  g->add_option("--claim-span-tree", g_gas.claim_span_tree,
                "leaves of the trees for --claim-spans");
  g->add_option(
      "--per-node-artifact", g_gas.per_node_artifact,
      "PerNodeSettlement.json (compiled bench/contracts): measure the per-node design too");
  g->add_option("--per-node-sample", g_gas.per_node_sample,
                "per-node transactions sent per era at most; beyond, the sample's mean × N")
      ->check(CLI::Range(uint64_t(1), uint64_t(1'000'000)));
  g->add_flag("--json", g_gas.json, "print the figures as JSON");
  g->callback([] { emit(run_gas_command()); });
  s->callback([g] {
    if (g->parsed()) return;  // `icn sim gas` ran its own callback
    emit(run_sim_command());
  });
}

}  // namespace icn::cmd
