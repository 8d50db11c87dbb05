// `icn devnet`: the whole network on loopback under one supervisor — anvil (1 s blocks, its state
// kept in <dir>/chain), the protocol deployed and its accounts onboarded once, then every role as
// its own `icn` process with its own directory, config, key and logs. A second run on the same
// directory resumes the chain and every store; SIGINT/SIGTERM stops the roles, then the chain.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "icn/core/result.hpp"
#include "icn/devnet/topology.hpp"
#include "icn/infra/signals.hpp"

namespace icn::devnet {

struct DevnetRunOptions {
  std::filesystem::path dir;
  DevnetOptions network;  // used when the devnet is created; a resume keeps devnet.json's
  bool fresh = false;     // delete a previous devnet in `dir` first
  std::filesystem::path icn_binary;  // runs every role
  std::filesystem::path anvil_binary;
  std::filesystem::path artifacts;
  std::filesystem::path genesis_template;  // deploy/genesis/devnet.toml
  std::string icn_version;
  std::chrono::milliseconds ready_timeout{60000};  // per role, until its API answers
  std::function<void(const std::string&)> progress;
};

// Runs until `stop` is requested (or the chain dies), then stops everything; the error names the
// step that failed ("anvil did not start: …", "deploy failed at Registry: …",
// "daemon-3 did not become ready: …").
Status run_devnet(const DevnetRunOptions& options, const infra::StopFlag& stop);

// Writes <dir>/genesis.toml: the template with this devnet's committee, threshold and era length.
Result<std::string> devnet_genesis(std::string_view template_text, const Topology& topology);

}  // namespace icn::devnet
