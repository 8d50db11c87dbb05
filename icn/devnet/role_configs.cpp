// Role configs as TOML built with toml++ (so every path and URL is quoted and escaped right).
#include "icn/devnet/role_configs.hpp"

#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "icn/infra/files.hpp"

namespace icn::devnet {
namespace {

std::string listen_of(const Role& role) {
  return "127.0.0.1:" + std::to_string(role.port);
}

toml::array urls_of(const Topology& t, RoleKind kind, const Role* except = nullptr) {
  toml::array out;
  for (const Role* r : t.roles_of(kind)) {
    if (r != except) out.push_back(r->url());
  }
  return out;
}

std::string key_path(const RoleConfigInputs& in, const Topology& t, const Role& role) {
  return (in.dir / t.account(role.key)->key_file()).string();
}

}  // namespace

std::filesystem::path role_dir(const std::filesystem::path& dir, const Role& role) {
  return dir / role.name;
}
std::filesystem::path role_config_file(const std::filesystem::path& dir, const Role& role) {
  return role_dir(dir, role) / (std::string(to_string(role.kind)) + ".toml");
}
std::filesystem::path role_output_log(const std::filesystem::path& dir, const Role& role) {
  return role_dir(dir, role) / "output.log";
}

Result<std::string> role_config(const Topology& t, const Role& role, const RoleConfigInputs& in) {
  if (!role.key.empty() && t.account(role.key) == nullptr) {
    return fail(role.name + ": no account " + role.key);
  }
  std::string data = (role_dir(in.dir, role) / "data").string();
  std::string deployment = (in.dir / "deployment.json").string();
  std::string artifacts = in.artifacts.string();
  toml::table c;
  switch (role.kind) {
    case RoleKind::kSatellite: {
      // Batches of an era arrive within a few blocks of its end (daemons poll every second).
      int64_t grace = std::max<int64_t>(5, static_cast<int64_t>(t.options.era_blocks / 4));
      c = toml::table{{"data_dir", data},
                      {"deployment", deployment},
                      {"key_file", key_path(in, t, role)},
                      {"rpc", in.rpc_url},
                      {"artifacts", artifacts},
                      {"listen", listen_of(role)},
                      {"peers", urls_of(t, RoleKind::kSatellite, &role)},
                      {"grace_blocks", grace},
                      {"submit_timeout_blocks", 10}};
      break;
    }
    case RoleKind::kHyperNode:
      if (role.chain_id == 0) return fail(role.name + " is not registered yet (no HyperNode id)");
      c = toml::table{{"data_dir", data},
                      {"deployment", deployment},
                      {"artifacts", artifacts},
                      {"rpc", in.rpc_url},
                      {"key_file", key_path(in, t, role)},
                      {"hypernode_id", to_decimal(role.chain_id)},
                      {"satellites", urls_of(t, RoleKind::kSatellite)},
                      {"listen", listen_of(role)}};
      break;
    case RoleKind::kDaemon:
      if (role.chain_id == 0) return fail(role.name + " is not registered yet (no ScalerNode id)");
      c = toml::table{{"data_dir", data},
                      {"rpc", in.rpc_url},
                      {"deployment", deployment},
                      {"artifacts", artifacts},
                      {"daemon_key_file", key_path(in, t, role)},
                      {"scaler_node_id", to_decimal(role.chain_id)},
                      {"satellites", urls_of(t, RoleKind::kSatellite)},
                      {"listen", listen_of(role)},
                      // Many daemons share one machine: no benchmarks (docs/daemon.md [host]).
                      {"host", toml::table{{"benchmarks", false}}}};
      break;
    case RoleKind::kIndexer:
      c = toml::table{{"data_dir", data},
                      {"listen", listen_of(role)},
                      {"rpc", in.rpc_url},
                      {"deployment", deployment},
                      {"artifacts", artifacts},
                      {"confirmations", 1},
                      // Era results (verdicts, per-node rows) are read from the satellites.
                      {"satellites", urls_of(t, RoleKind::kSatellite)}};
      // The console and its devnet wallet (docs/console.md).
      c.insert("console_devnet_accounts", console_accounts_file(in.dir).string());
      if (auto console = console_dir(in); !console.empty())
        c.insert("console_dir", console.string());
      break;
  }
  std::ostringstream out;
  out << "# Written by `icn devnet` on every start; edits are overwritten (docs/"
      << to_string(role.kind) << ".md)\n"
      << c << "\n";
  return out.str();
}

std::filesystem::path console_dir(const RoleConfigInputs& in) {
  std::error_code ec;
  std::filesystem::path dir = in.artifacts.parent_path() / "console";
  return std::filesystem::exists(dir / "index.html", ec) ? dir : std::filesystem::path();
}

std::filesystem::path console_accounts_file(const std::filesystem::path& dir) {
  return dir / "console-accounts.json";
}

Result<std::string> console_accounts_json(const Topology& t, const std::filesystem::path& dir) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const Account& a : t.accounts) {
    bool offered = a.name == kBuilderAccount || a.name.starts_with("hp-") ||
                   (a.name.starts_with("hypernode-") && a.name.ends_with("-operator"));
    if (!offered) continue;
    ICN_TRY(std::string key, infra::read_file(dir / a.key_file(), 4096));
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
      key.pop_back();
    }
    accounts.push_back(
        {{"name", a.name}, {"address", a.address.checksummed()}, {"private_key", key}});
  }
  return nlohmann::json{{"accounts", std::move(accounts)}}.dump(2) + "\n";
}

std::vector<std::string> role_argv(const std::filesystem::path& icn,
                                   const std::filesystem::path& dir, const Role& role) {
  return {icn.string(), std::string(to_string(role.kind)), "--config",
          role_config_file(dir, role).string()};
}

}  // namespace icn::devnet
