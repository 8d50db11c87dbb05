// devnet.json: the topology of a devnet, created once with fresh keys and ports and read back
// strictly on every resume (it is a file on disk a person may edit).
#include "icn/devnet/topology.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "icn/infra/anvil.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::devnet {
namespace {

using json = nlohmann::json;

constexpr std::string_view kDeployerAccount = "deployer";

Result<const json*> field(const json& object, std::string_view key, std::string_view where) {
  auto it = object.find(key);
  if (it == object.end())
    return fail(std::string(where) + ": missing \"" + std::string(key) + "\"");
  return &*it;
}

Result<std::string> string_field(const json& object, std::string_view key, std::string_view where) {
  ICN_TRY(const json* v, field(object, key, where));
  if (!v->is_string()) return fail(std::string(where) + "." + std::string(key) + ": not a string");
  return v->get<std::string>();
}

Result<uint64_t> uint_field(const json& object, std::string_view key, std::string_view where,
                            uint64_t max) {
  ICN_TRY(const json* v, field(object, key, where));
  if (!v->is_number_unsigned() || v->get<uint64_t>() > max) {
    return fail(std::string(where) + "." + std::string(key) + ": not an integer in [0, " +
                std::to_string(max) + "]");
  }
  return v->get<uint64_t>();
}

Result<RoleKind> parse_kind(std::string_view text) {
  for (RoleKind k :
       {RoleKind::kSatellite, RoleKind::kHyperNode, RoleKind::kDaemon, RoleKind::kIndexer}) {
    if (to_string(k) == text) return k;
  }
  return fail("unknown role kind \"" + std::string(text) + "\"");
}

// 0x-hex key file, readable by its owner only: a devnet key, but still a key.
Status write_key(const std::filesystem::path& file, const PrivateKey& key) {
  return infra::write_file_atomic(
      file, to_hex(key.expose_secret()) + "\n",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace

Status check_options(const DevnetOptions& o) {
  if (o.scaler_nodes < 1 || o.scaler_nodes > 64) {
    return fail("--scalernodes " + std::to_string(o.scaler_nodes) + ": expected 1 … 64");
  }
  if (o.hyper_nodes < 1 || o.hyper_nodes > 16) {
    return fail("--hypernodes " + std::to_string(o.hyper_nodes) + ": expected 1 … 16");
  }
  if (o.satellites < 1 || o.satellites > 7) {
    return fail("--satellites " + std::to_string(o.satellites) + ": expected 1 … 7");
  }
  // Long enough for a daemon to challenge every HyperNode and for batches to arrive within the
  // satellites' grace; short enough that a test sees eras settle.
  if (o.era_blocks < 8 || o.era_blocks > 3600) {
    return fail("--era-blocks " + std::to_string(o.era_blocks) + ": expected 8 … 3600");
  }
  if (o.nodes_per_hp < 1) return fail("nodes per HP must be at least 1");
  return {};
}

std::filesystem::path Account::key_file() const {
  return std::filesystem::path("keys") / (name + ".key");
}

std::string_view to_string(RoleKind kind) {
  switch (kind) {
    case RoleKind::kSatellite:
      return "satellite";
    case RoleKind::kHyperNode:
      return "hypernode";
    case RoleKind::kDaemon:
      return "daemon";
    case RoleKind::kIndexer:
      return "indexer";
  }
  return "?";
}

std::string Role::url() const {
  return "http://127.0.0.1:" + std::to_string(port);
}

std::string hp_account(unsigned i) {
  return "hp-" + std::to_string(i);
}
std::string daemon_account(unsigned i) {
  return "daemon-" + std::to_string(i);
}
std::string hypernode_operator_account(unsigned i) {
  return "hypernode-" + std::to_string(i) + "-operator";
}
std::string hypernode_signer_account(unsigned i) {
  return "hypernode-" + std::to_string(i) + "-signer";
}
std::string satellite_account(unsigned i) {
  return "satellite-" + std::to_string(i);
}

const Account* Topology::account(std::string_view name) const {
  for (const Account& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
Account* Topology::account(std::string_view name) {
  return const_cast<Account*>(std::as_const(*this).account(name));
}
const Role* Topology::role(std::string_view name) const {
  for (const Role& r : roles) {
    if (r.name == name) return &r;
  }
  return nullptr;
}
Role* Topology::role(std::string_view name) {
  return const_cast<Role*>(std::as_const(*this).role(name));
}
std::vector<const Role*> Topology::roles_of(RoleKind kind) const {
  std::vector<const Role*> out;
  for (const Role& r : roles) {
    if (r.kind == kind) out.push_back(&r);
  }
  return out;
}

std::string Topology::to_json() const {
  json accounts_json = json::array();
  for (const Account& a : accounts) {
    accounts_json.push_back({{"name", a.name}, {"address", a.address.checksummed()}});
  }
  json roles_json = json::array();
  for (const Role& r : roles) {
    roles_json.push_back({{"kind", std::string(to_string(r.kind))},
                          {"name", r.name},
                          {"port", r.port},
                          {"key", r.key},
                          {"id", to_decimal(r.chain_id)}});
  }
  json out = {{"format", std::string(kTopologyFormat)},
              {"options",
               {{"scalernodes", options.scaler_nodes},
                {"hypernodes", options.hyper_nodes},
                {"satellites", options.satellites},
                {"era_blocks", options.era_blocks},
                {"nodes_per_hp", options.nodes_per_hp}}},
              {"onboarded", onboarded},
              {"accounts", accounts_json},
              {"roles", roles_json}};
  return out.dump(2) + "\n";
}

Result<Topology> Topology::parse(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("devnet.json: not a JSON object");
  ICN_TRY(std::string format, string_field(doc, "format", "devnet.json"));
  if (format != kTopologyFormat) {
    return fail("devnet.json: format \"" + format + "\", this icn reads \"" +
                std::string(kTopologyFormat) + "\" (start over with --fresh)");
  }
  Topology t;
  ICN_TRY(const json* options, field(doc, "options", "devnet.json"));
  if (!options->is_object()) return fail("devnet.json: options is not an object");
  ICN_TRY(uint64_t n, uint_field(*options, "scalernodes", "options", 1 << 16));
  ICN_TRY(uint64_t m, uint_field(*options, "hypernodes", "options", 1 << 16));
  ICN_TRY(uint64_t s, uint_field(*options, "satellites", "options", 1 << 16));
  ICN_TRY(uint64_t per_hp, uint_field(*options, "nodes_per_hp", "options", 1 << 16));
  ICN_TRY(t.options.era_blocks, uint_field(*options, "era_blocks", "options", 1 << 30));
  t.options.scaler_nodes = static_cast<unsigned>(n);
  t.options.hyper_nodes = static_cast<unsigned>(m);
  t.options.satellites = static_cast<unsigned>(s);
  t.options.nodes_per_hp = static_cast<unsigned>(per_hp);
  if (Status st = check_options(t.options); !st) return fail("devnet.json: " + st.error().message);
  ICN_TRY(const json* onboarded, field(doc, "onboarded", "devnet.json"));
  if (!onboarded->is_boolean()) return fail("devnet.json: onboarded is not a boolean");
  t.onboarded = onboarded->get<bool>();

  ICN_TRY(const json* accounts, field(doc, "accounts", "devnet.json"));
  if (!accounts->is_array()) return fail("devnet.json: accounts is not an array");
  std::set<std::string> names;
  for (const json& a : *accounts) {
    if (!a.is_object()) return fail("devnet.json: an account is not an object");
    Account account;
    ICN_TRY(account.name, string_field(a, "name", "account"));
    ICN_TRY(std::string address, string_field(a, "address", "account " + account.name));
    ICN_TRY_CTX(account.address, Address::parse(address), "account " + account.name);
    if (account.name.empty() || account.name.find('/') != std::string::npos ||
        !names.insert(account.name).second) {
      return fail("devnet.json: account name \"" + account.name +
                  "\" is empty, has a '/' or repeats");
    }
    t.accounts.push_back(std::move(account));
  }
  ICN_TRY(const json* roles, field(doc, "roles", "devnet.json"));
  if (!roles->is_array()) return fail("devnet.json: roles is not an array");
  std::set<uint16_t> ports;
  std::set<std::string> role_names;  // a role and the account it signs with may share a name
  for (const json& r : *roles) {
    if (!r.is_object()) return fail("devnet.json: a role is not an object");
    Role role;
    ICN_TRY(std::string kind, string_field(r, "kind", "role"));
    ICN_TRY(role.kind, parse_kind(kind));
    ICN_TRY(role.name, string_field(r, "name", "role"));
    ICN_TRY(uint64_t port, uint_field(r, "port", "role " + role.name, 65535));
    ICN_TRY(role.key, string_field(r, "key", "role " + role.name));
    ICN_TRY(std::string id, string_field(r, "id", "role " + role.name));
    ICN_TRY_CTX(role.chain_id, parse_u256(id), "role " + role.name + ".id");
    role.port = static_cast<uint16_t>(port);
    if (role.name.empty() || role.name.find('/') != std::string::npos ||
        !role_names.insert(role.name).second) {
      return fail("devnet.json: role name \"" + role.name + "\" is empty, has a '/' or repeats");
    }
    if (role.port == 0 || !ports.insert(role.port).second) {
      return fail("devnet.json: role " + role.name + " has port 0 or a port another role has");
    }
    if (!role.key.empty() && t.account(role.key) == nullptr) {
      return fail("devnet.json: role " + role.name + " signs with unknown account " + role.key);
    }
    t.roles.push_back(std::move(role));
  }
  if (t.account(kDeployerAccount) == nullptr) return fail("devnet.json: no deployer account");
  return t;
}

Result<uint16_t> free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int e = errno;
    ::close(fd);
    return fail(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(e));
  }
  ::close(fd);
  return static_cast<uint16_t>(ntohs(addr.sin_port));
}

Result<Topology> create_topology(const DevnetOptions& options, const std::filesystem::path& dir) {
  ICN_CHECK(check_options(options));
  Topology t;
  t.options = options;
  std::error_code ec;
  std::filesystem::create_directories(dir / "keys", ec);
  if (ec) return fail("cannot create " + (dir / "keys").string() + ": " + ec.message());

  // The deployer is anvil's first dev account: it has ETH from the chain's genesis and becomes
  // every contract's admin, governance and operator on the devnet.
  auto add_account = [&](std::string name, const PrivateKey& key) -> Status {
    Account a{std::move(name), key.address()};
    ICN_CHECK(write_key(dir / a.key_file(), key));
    t.accounts.push_back(std::move(a));
    return {};
  };
  ICN_TRY(PrivateKey deployer, PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[0]));
  ICN_CHECK(add_account(std::string(kDeployerAccount), deployer));
  auto add_fresh = [&](std::string name) -> Status {
    ICN_TRY(PrivateKey key, infra::generate_private_key());
    return add_account(std::move(name), key);
  };
  unsigned hps = (options.scaler_nodes + options.nodes_per_hp - 1) / options.nodes_per_hp;
  for (unsigned i = 1; i <= hps; ++i) ICN_CHECK(add_fresh(hp_account(i)));
  for (unsigned i = 1; i <= options.scaler_nodes; ++i) ICN_CHECK(add_fresh(daemon_account(i)));
  for (unsigned i = 1; i <= options.hyper_nodes; ++i) {
    ICN_CHECK(add_fresh(hypernode_operator_account(i)));
    ICN_CHECK(add_fresh(hypernode_signer_account(i)));
  }
  for (unsigned i = 1; i <= options.satellites; ++i) ICN_CHECK(add_fresh(satellite_account(i)));
  ICN_CHECK(add_fresh(std::string(kBuilderAccount)));

  std::set<uint16_t> taken;
  auto add_role = [&](RoleKind kind, std::string name, std::string key) -> Status {
    uint16_t port = 0;
    do {  // two sockets closed in turn may get the same port back
      ICN_TRY(port, free_loopback_port());
    } while (!taken.insert(port).second);
    t.roles.push_back(Role{kind, std::move(name), port, std::move(key), 0});
    return {};
  };
  for (unsigned i = 1; i <= options.satellites; ++i) {
    ICN_CHECK(
        add_role(RoleKind::kSatellite, "satellite-" + std::to_string(i), satellite_account(i)));
  }
  for (unsigned i = 1; i <= options.hyper_nodes; ++i) {
    ICN_CHECK(add_role(RoleKind::kHyperNode, "hypernode-" + std::to_string(i),
                       hypernode_signer_account(i)));
  }
  for (unsigned i = 1; i <= options.scaler_nodes; ++i) {
    ICN_CHECK(add_role(RoleKind::kDaemon, "daemon-" + std::to_string(i), daemon_account(i)));
  }
  ICN_CHECK(add_role(RoleKind::kIndexer, "indexer", ""));
  return t;
}

}  // namespace icn::devnet
