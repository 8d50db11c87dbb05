// `icn satellite --config satellite.toml`: the satellite role process (icn/satellite) over the
// deployment's contracts, until SIGINT/SIGTERM.
#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/signals.hpp"
#include "icn/satellite/chain_economics.hpp"
#include "icn/satellite/process.hpp"
#include "icn/satellite/settlement_submitter.hpp"

namespace icn::cmd {
namespace {

struct SatelliteCommandOptions {
  std::string config;
};
SatelliteCommandOptions g_satellite;

Result<std::string> run_satellite_command() {
  ICN_TRY(infra::Config config, infra::Config::load(g_satellite.config));
  ICN_TRY(satellite::SatelliteConfig c, satellite::read_satellite_config(config));
  ICN_TRY(PrivateKey key,
          load_key(c.key_file.string(), c.password_file ? c.password_file->string() : ""));
  ICN_TRY(std::string deployment_text, infra::read_file(c.deployment, 1 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(deployment_text),
              c.deployment.string());
  std::filesystem::path artifacts;
  if (c.artifacts) {
    artifacts = *c.artifacts;
  } else {
    ICN_TRY(artifacts, build_artifacts_dir());
  }

  eth::RpcClient rpc(c.rpc);
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, deployment, artifacts));
  eth::SenderOptions sender_options;
  sender_options.expected_chain_id = deployment.chain_id;
  ICN_TRY(eth::TransactionSender sender, eth::TransactionSender::create(rpc, key, sender_options));
  ICN_TRY(satellite::SettlementSubmitter submitter,
          satellite::SettlementSubmitter::open(rpc, sender, deployment, artifacts,
                                               std::chrono::seconds(60)));
  if (c.first_era) {
    c.options.first_era = *c.first_era;
  } else {
    ICN_TRY(c.options.first_era, submitter.first_era());
  }
  c.options.deploy_block = deployment.deploy_block;

  // Both read at each era's last block; maintenance declarations are scanned from the deployment.
  satellite::ChainEconomics economics(reader);
  satellite::ChainMaintenance maintenance(reader, deployment.deploy_block);
  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  ICN_CHECK(satellite::run_satellite(c, reader, key, economics, maintenance,
                                     c.submit ? &submitter : nullptr, stop));
  return "satellite stopped (" + stop.reason() + ")";
}

}  // namespace

void add_satellite_commands(CLI::App& app) {
  auto* s = app.add_subcommand(
      "satellite",
      "Run a satellite: accept era batches, compute and sign era results, exchange signatures "
      "with the committee and submit commitEra");
  s->add_option("--config", g_satellite.config, "satellite TOML (see docs/satellite.md)")
      ->required();
  s->callback([] { emit(run_satellite_command()); });
}

}  // namespace icn::cmd
