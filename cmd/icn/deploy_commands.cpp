// `icn deploy`: the whole protocol from the compiled artifacts and a genesis file onto any EVM
// JSON-RPC endpoint, verified by reading it back, described in a deployment file.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/deploy/deployer.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/deploy/plan.hpp"
#include "icn/infra/files.hpp"

namespace icn::cmd {
namespace {

struct DeployCommandOptions {
  std::string rpc = "http://127.0.0.1:8545";
  std::string key_file;
  std::string password_file;
  std::string genesis;
  std::string out = "deployment.json";
  std::string artifacts;
  bool overwrite = false;
  unsigned timeout_s = 120;
};
DeployCommandOptions g_deploy;

Result<std::string> run_deploy() {
  ICN_TRY(std::string genesis_text, infra::read_file(g_deploy.genesis, 1 << 20));
  ICN_TRY_CTX(deploy::Genesis genesis,
              deploy::parse_genesis(genesis_text, deploy::contract_names()), g_deploy.genesis);
  deploy::DeployOptions options;
  if (g_deploy.artifacts.empty()) {
    ICN_TRY(options.artifacts_dir, build_artifacts_dir());
  } else {
    options.artifacts_dir = g_deploy.artifacts;
  }
  options.out = g_deploy.out;
  options.overwrite = g_deploy.overwrite;
  options.icn_version = std::string(kVersion);
  options.tx_timeout = std::chrono::seconds(g_deploy.timeout_s);
  options.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  eth::RpcClient rpc(g_deploy.rpc);
  ICN_TRY(eth::TransactionSender sender,
          make_sender(rpc, g_deploy.key_file, g_deploy.password_file));
  ICN_TRY(deploy::Deployment d,
          deploy::deploy_protocol(rpc, sender, genesis, genesis_text, options));
  return g_deploy.out;
}

}  // namespace

void add_deploy_commands(CLI::App& app) {
  auto* d = app.add_subcommand(
      "deploy",
      "Deploy, wire and verify the protocol from the artifacts and a genesis file; writes the "
      "deployment file and prints its path");
  d->add_option("--rpc", g_deploy.rpc, "JSON-RPC endpoint")->capture_default_str();
  d->add_option("--key-file,--private-key-file", g_deploy.key_file,
                "deployer key file (0x-hex or keystore); the deployer is every contract's admin")
      ->required();
  d->add_option("--password-file", g_deploy.password_file,
                "keystore password file (else $ICN_KEYSTORE_PASSWORD)");
  d->add_option("--genesis", g_deploy.genesis, "genesis TOML (deploy/genesis/*.toml)")->required();
  d->add_option("--out", g_deploy.out, "deployment file to write")->capture_default_str();
  d->add_option("--artifacts", g_deploy.artifacts,
                "compiled contracts (default: the artifacts directory of this build)");
  d->add_flag("--overwrite", g_deploy.overwrite,
              "replace an --out file that describes another chain or contracts without code");
  d->add_option("--timeout", g_deploy.timeout_s, "seconds to wait for each receipt")
      ->capture_default_str();
  d->callback([] { emit(run_deploy()); });
}

}  // namespace icn::cmd
