// What a devnet is made of and where it lives: the accounts, the role processes with their ports
// and ids, persisted as <dir>/devnet.json so a second `icn devnet` on the same directory resumes
// the same network (HyperNode endpoints are registered on chain, so their ports must not move).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::devnet {

// Bumped when a reader would misread a file of the previous format.
inline constexpr std::string_view kTopologyFormat = "icn-devnet/1";

struct DevnetOptions {
  unsigned scaler_nodes = 8;
  unsigned hyper_nodes = 4;
  unsigned satellites = 3;
  uint64_t era_blocks = 20;  // 1 s blocks: an era of 20 s
  unsigned nodes_per_hp = 4;
};
// Refuses counts a 2-core machine or the contracts cannot take, naming the flag.
Status check_options(const DevnetOptions& options);

// One account the devnet created; its key lives in <dir>/keys/<name>.key (0x-hex, mode 0600).
struct Account {
  std::string name;  // "hp-1", "daemon-3", "hypernode-2-signer", "builder", "satellite-1"
  Address address;
  std::filesystem::path key_file() const;  // keys/<name>.key, relative to the devnet dir
};

enum class RoleKind { kSatellite, kHyperNode, kDaemon, kIndexer };
std::string_view to_string(RoleKind kind);

// One `icn <role>` process: its own directory <dir>/<name>/ holds its config, data and output log.
struct Role {
  RoleKind kind = RoleKind::kSatellite;
  std::string name;   // "satellite-1", "hypernode-2", "daemon-7", "indexer"
  uint16_t port = 0;  // its HTTP API on 127.0.0.1
  std::string key;    // the Account it signs with ("" for the indexer)
  U256 chain_id = 0;  // HyperNodeRegistry / Registry id for HyperNodes and daemons (0 otherwise)
  std::string url() const;  // http://127.0.0.1:PORT
};

struct Topology {
  DevnetOptions options;
  std::vector<Account> accounts;
  std::vector<Role> roles;  // satellites, HyperNodes, daemons, indexer: the start order
  bool onboarded = false;   // every account funded and registered on chain
  const Account* account(std::string_view name) const;
  Account* account(std::string_view name);
  std::vector<const Role*> roles_of(RoleKind kind) const;
  Role* role(std::string_view name);
  const Role* role(std::string_view name) const;

  std::string to_json() const;
  // Strict: the format tag, every field present and well-typed, names unique, ports non-zero.
  static Result<Topology> parse(std::string_view json_text);
};

// A topology for `options` with fresh keys (written under <dir>/keys) and free loopback ports.
// Role ids stay 0 until onboarding registers them.
Result<Topology> create_topology(const DevnetOptions& options, const std::filesystem::path& dir);

// The account names of a topology's parts, one place for every reader.
std::string hp_account(unsigned index);                  // "hp-1"
std::string daemon_account(unsigned index);              // "daemon-1"
std::string hypernode_operator_account(unsigned index);  // "hypernode-1-operator"
std::string hypernode_signer_account(unsigned index);    // "hypernode-1-signer"
std::string satellite_account(unsigned index);           // "satellite-1"
inline constexpr std::string_view kBuilderAccount = "builder";

// A port the kernel calls free on 127.0.0.1 right now (bound to port 0, then released).
Result<uint16_t> free_loopback_port();

}  // namespace icn::devnet
