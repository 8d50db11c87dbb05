// The config file of each role process of a devnet (docs/<role>.md lists the keys), written anew
// on every start: the chain's RPC port changes per start, everything else comes from devnet.json.
#pragma once

#include <filesystem>
#include <string>

#include "icn/devnet/topology.hpp"

namespace icn::devnet {

struct RoleConfigInputs {
  std::filesystem::path dir;        // the devnet directory (absolute)
  std::filesystem::path artifacts;  // the build's compiled contracts
  std::string rpc_url;              // this start's anvil
};

// The built console beside the artifacts (build/<preset>/console, web/console's Vite output), or
// empty when it was not built (no node): the indexer then serves the API only.
std::filesystem::path console_dir(const RoleConfigInputs& inputs);

// <dir>/console-accounts.json: the accounts the console's devnet wallet offers, with their keys.
std::filesystem::path console_accounts_file(const std::filesystem::path& dir);
// Its JSON: the Builder, each Hardware Provider and each HyperNode operator — accounts no role
// process sends from, so the browser's transactions never race a process's nonces.
Result<std::string> console_accounts_json(const Topology& topology,
                                          const std::filesystem::path& dir);

// <dir>/<role name>/: the role's config, data directory and output log.
std::filesystem::path role_dir(const std::filesystem::path& dir, const Role& role);
std::filesystem::path role_config_file(const std::filesystem::path& dir, const Role& role);
std::filesystem::path role_output_log(const std::filesystem::path& dir, const Role& role);

// The TOML text of `role`'s config. Fails for a HyperNode or daemon not registered yet (id 0).
Result<std::string> role_config(const Topology& topology, const Role& role,
                                const RoleConfigInputs& inputs);

// The argv that runs `role` with the `icn` binary at `icn`.
std::vector<std::string> role_argv(const std::filesystem::path& icn,
                                   const std::filesystem::path& dir, const Role& role);

}  // namespace icn::devnet
