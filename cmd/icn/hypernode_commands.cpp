// `icn hypernode --config hypernode.toml`: the validator's challenge service as a process.
#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/hypernode/hypernode.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/log.hpp"
#include "icn/infra/signals.hpp"
#if __has_include("icn/chain/protocol_reader.hpp")
#include "icn/chain/protocol_reader.hpp"
#define ICN_HAVE_PROTOCOL_READER 1
#endif

namespace icn::cmd {
namespace {

struct HyperNodeCommandOptions {
  std::string config;
};
HyperNodeCommandOptions g_hypernode;

// The build's artifacts (build/<preset>/artifacts beside build/<preset>/cmd/icn/icn).
std::filesystem::path artifacts_beside_binary() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path().parent_path().parent_path() / "artifacts";
}

Result<std::string> run_hypernode_command() {
  ICN_TRY(infra::Config config, infra::Config::load(g_hypernode.config));
  ICN_TRY(hypernode::HyperNodeConfig c, hypernode::read_hypernode_config(config));
  infra::LogOptions log;
  log.role = "hypernode";
  log.level = c.log_level;
  std::filesystem::create_directories(c.data_dir);
  log.file = c.data_dir / "hypernode.log";
  ICN_CHECK(infra::setup_logging(log));
  ICN_TRY(PrivateKey key, load_key(c.key_file.string(), c.password_file.string()));
  ICN_TRY(std::string deployment_text, infra::read_file(c.deployment_file, 4 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(deployment_text),
              c.deployment_file.string());
#ifdef ICN_HAVE_PROTOCOL_READER
  eth::RpcClient rpc(c.rpc_url);
  std::filesystem::path artifacts =
      c.artifacts_dir.empty() ? artifacts_beside_binary() : c.artifacts_dir;
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, deployment, artifacts));
  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  ICN_CHECK(hypernode::run_hypernode(c, reader, key, "icn/" + std::string(kVersion), stop));
  return "stopped: " + stop.reason();
#else
  (void)key;
  (void)artifacts_beside_binary;
  return fail("this build has no chain reader (icn/chain/protocol_reader.hpp)");
#endif
}

}  // namespace

void add_hypernode_commands(CLI::App& app) {
  auto* h = app.add_subcommand(
      "hypernode",
      "Run a HyperNode: answer daemons' challenges and send era batches to the satellites");
  h->add_option("--config", g_hypernode.config, "hypernode.toml (see docs/hypernode.md)")
      ->required();
  h->callback([] { emit(run_hypernode_command()); });
}

}  // namespace icn::cmd
