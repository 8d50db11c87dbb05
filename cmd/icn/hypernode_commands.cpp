// `icn hypernode --config hypernode.toml`: the validator's challenge service as a process;
// `icn hypernode register …`: its registration on chain (icn/actions).
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "icn/actions/onboarding.hpp"
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

struct HyperNodeRegisterOptions {
  ChainOptions chain;
  std::string signing_key_file, signing_password_file, location, endpoint;
};
HyperNodeRegisterOptions g_hn_register;

Result<std::string> run_hypernode_register() {
  const HyperNodeRegisterOptions& o = g_hn_register;
  ICN_TRY_CTX(PrivateKey signing_key, load_key(o.signing_key_file, o.signing_password_file),
              "--signing-key-file");
  ICN_TRY(ChainSession s, open_session(o.chain));
  ICN_TRY(U256 id, actions::register_hyper_node(*s.protocol, *s.sender, signing_key, o.location,
                                                o.endpoint));
  if (o.chain.json) {
    return nlohmann::json{{"hypernode_id", to_decimal(id)},
                          {"operator", s.sender->address().checksummed()},
                          {"signer", signing_key.address().checksummed()}}
        .dump();
  }
  return to_decimal(id);
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
  std::filesystem::path artifacts = c.artifacts_dir;
  if (artifacts.empty()) {
    ICN_TRY(artifacts, build_artifacts_dir());
  }
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, deployment, artifacts));
  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  ICN_CHECK(hypernode::run_hypernode(c, reader, key, "icn/" + std::string(kVersion), stop));
  return "stopped: " + stop.reason();
#else
  (void)key;
  return fail("this build has no chain reader (icn/chain/protocol_reader.hpp)");
#endif
}

}  // namespace

void add_hypernode_commands(CLI::App& app) {
  auto* h = app.add_subcommand(
      "hypernode",
      "Run a HyperNode: answer daemons' challenges and send era batches to the satellites");
  // Running needs --config; `register` does not, so --config is checked here, not by CLI11.
  h->add_option("--config", g_hypernode.config, "hypernode.toml (see docs/hypernode.md)");
  h->callback([h] {
    if (h->got_subcommand("register")) return;
    if (g_hypernode.config.empty()) {
      emit(fail("--config is required to run a HyperNode (or use `icn hypernode register`)"));
      return;
    }
    emit(run_hypernode_command());
  });

  auto* reg = h->add_subcommand(
      "register", "Register a HyperNode (the key's account is its operator); prints its id");
  HyperNodeRegisterOptions& r = g_hn_register;
  add_chain_options(reg, r.chain, "the operator's key");
  reg->add_option("--signing-key-file", r.signing_key_file,
                  "the HyperNode's signing key (proves it holds the key)")
      ->required();
  reg->add_option("--signing-password-file", r.signing_password_file,
                  "the signing keystore's password");
  reg->add_option("--location", r.location, "ISO-3166-1 alpha-3 country, e.g. DEU")->required();
  reg->add_option("--endpoint", r.endpoint, "public base URL of its challenge API")->required();
  reg->callback([] {
    Result<std::string> result = run_hypernode_register();
    if (!result) result = std::move(result).error().context("hypernode register failed");
    emit(result);
  });
}

}  // namespace icn::cmd
