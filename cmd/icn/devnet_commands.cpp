// `icn devnet`: the whole network on loopback (icn/devnet); `icn devnet status`: what runs, where,
// and how far the chain has settled.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cmd/icn/commands.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/devnet/devnet.hpp"
#include "icn/devnet/status.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/signals.hpp"

namespace icn::cmd {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct DevnetCommandOptions {
  std::string dir = ".devnet";
  devnet::DevnetOptions network;
  bool fresh = false;
  std::string anvil;
  std::string genesis;
  std::string artifacts;
  bool json_output = false;
};
DevnetCommandOptions g_devnet;

// Defaults from the build that produced this binary: the pinned anvil and the devnet genesis of
// its source tree (both overridable for an installed binary).
fs::path default_anvil() {
  return fs::path(ICN_EVM_TOOLS) / "@foundry-rs/anvil-linux-amd64/bin/anvil";
}
fs::path default_genesis() {
  return fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml";
}

Result<std::string> run_devnet_command() {
  devnet::DevnetRunOptions o;
  o.dir = g_devnet.dir;
  o.network = g_devnet.network;
  o.fresh = g_devnet.fresh;
  std::error_code ec;
  o.icn_binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fail("cannot locate the icn binary: " + ec.message());
  o.anvil_binary = g_devnet.anvil.empty() ? default_anvil() : fs::path(g_devnet.anvil);
  o.genesis_template = g_devnet.genesis.empty() ? default_genesis() : fs::path(g_devnet.genesis);
  if (g_devnet.artifacts.empty()) {
    ICN_TRY(o.artifacts, build_artifacts_dir());
  } else {
    o.artifacts = g_devnet.artifacts;
  }
  o.icn_version = std::string(kVersion);
  o.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  ICN_CHECK(devnet::run_devnet(o, stop));
  return std::string("devnet stopped");
}

// The chain's view: head, current era, last era settled (read through the deployment).
struct ChainProgress {
  uint64_t head = 0;
  uint64_t era = 0;
  std::optional<uint64_t> last_settled;
};

Result<ChainProgress> chain_progress(const std::string& rpc_url, const fs::path& dir,
                                     const fs::path& artifacts) {
  ICN_TRY(std::string text, infra::read_file(dir / "deployment.json", 1 << 20));
  ICN_TRY_CTX(chain::Deployment d, chain::Deployment::parse(text), "deployment.json");
  eth::RpcClient rpc(rpc_url);
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, d, artifacts));
  ChainProgress p;
  ICN_TRY(p.head, reader.head_block());
  ICN_TRY(p.era, reader.era_at(p.head));
  ICN_TRY(auto committed, reader.last_committed_era(p.head));
  if (committed) p.last_settled = committed->era;
  return p;
}

Result<std::string> run_devnet_status() {
  fs::path dir = g_devnet.dir;
  ICN_TRY(auto status, devnet::read_status(dir));
  if (!status) return fail("no devnet has run in " + dir.string() + " (no status.json)");
  bool supervisor = devnet::process_alive(status->supervisor_pid);
  if (!supervisor && status->state != "stopped") status->state = "stopped (supervisor gone)";
  for (devnet::ProcessStatus& p : status->processes) {
    if (!devnet::process_alive(p.pid) && (p.state == "running" || p.state == "starting")) {
      p.state = "gone";
    }
  }
  std::optional<ChainProgress> progress;
  std::string chain_error;
  if (supervisor) {
    fs::path artifacts;
    if (g_devnet.artifacts.empty()) {
      auto a = build_artifacts_dir();
      if (a) artifacts = *a;
    } else {
      artifacts = g_devnet.artifacts;
    }
    auto p = chain_progress(status->rpc_url, dir, artifacts);
    if (p) {
      progress = *p;
    } else {
      chain_error = p.error().message;
    }
  }
  if (g_devnet.json_output) {
    json out = json::parse(status->to_json());
    out["supervisorRunning"] = supervisor;
    if (progress) {
      out["head"] = progress->head;
      out["era"] = progress->era;
      out["lastSettledEra"] =
          progress->last_settled ? json(*progress->last_settled) : json(nullptr);
    } else if (!chain_error.empty()) {
      out["chainError"] = chain_error;
    }
    return out.dump(2);
  }
  std::ostringstream out;
  out << "devnet " << fs::absolute(dir).string() << ": " << status->state << " (supervisor pid "
      << status->supervisor_pid << ")\n";
  for (const devnet::ProcessStatus& p : status->processes) {
    out << "  " << p.name << std::string(p.name.size() < 14 ? 14 - p.name.size() : 1, ' ') << "pid "
        << p.pid << "  " << p.state << "  " << p.url << "  log " << p.log << "\n";
  }
  if (progress) {
    out << "chain: block " << progress->head << ", era " << progress->era
        << ", last era settled on chain: "
        << (progress->last_settled ? std::to_string(*progress->last_settled) : "none yet");
  } else if (!chain_error.empty()) {
    out << "chain: unreadable (" << chain_error << ")";
  } else {
    out << "chain: not running";
  }
  return out.str();
}

// Shell exports for the commands a person runs against the devnet (README's demo):
// `eval "$(icn devnet env)"`. Every `icn` command that takes --rpc/--deployment/--satellite reads
// these variables as its defaults.
Result<std::string> run_devnet_env() {
  fs::path dir = fs::absolute(g_devnet.dir);
  ICN_TRY(auto status, devnet::read_status(dir));
  if (!status) return fail("no devnet has run in " + dir.string() + " (no status.json)");
  if (!devnet::process_alive(status->supervisor_pid)) {
    return fail("the devnet in " + dir.string() + " is not running (start it with `make run`)");
  }
  std::string satellite;
  for (const devnet::ProcessStatus& p : status->processes) {
    if (p.kind == "satellite") {
      satellite = p.url;
      break;
    }
  }
  std::ostringstream out;
  out << "export ICN_DEVNET='" << dir.string() << "'\n"
      << "export ICN_RPC='" << status->rpc_url << "'\n"
      << "export ICN_DEPLOYMENT='" << (dir / "deployment.json").string() << "'\n"
      << "export ICN_API='" << status->api_url << "'\n"
      << "export ICN_SATELLITE='" << satellite << "'";
  return out.str();
}

}  // namespace

void add_devnet_commands(CLI::App& app) {
  auto* d = app.add_subcommand(
      "devnet",
      "Run the whole network on loopback: anvil, the deployment, satellites, HyperNodes, "
      "ScalerNode daemons and the indexer, each its own process; Ctrl-C stops it and a second "
      "run on the same --dir resumes it");
  d->add_option("--dir", g_devnet.dir, "the devnet's directory")->capture_default_str();
  d->add_option("--scalernodes", g_devnet.network.scaler_nodes, "ScalerNodes (a new devnet only)")
      ->capture_default_str();
  d->add_option("--hypernodes", g_devnet.network.hyper_nodes, "HyperNodes (a new devnet only)")
      ->capture_default_str();
  d->add_option("--satellites", g_devnet.network.satellites,
                "satellites; the committee threshold is a majority (a new devnet only)")
      ->capture_default_str();
  d->add_option("--era-blocks", g_devnet.network.era_blocks,
                "blocks (seconds) per era (a new devnet only)")
      ->capture_default_str();
  d->add_flag("--fresh", g_devnet.fresh, "delete the devnet in --dir and start a new one");
  d->add_option("--anvil", g_devnet.anvil, "anvil binary (default: the pinned one of this build)");
  d->add_option("--genesis", g_devnet.genesis,
                "genesis template (default: deploy/genesis/devnet.toml of this build)");
  d->add_option("--artifacts", g_devnet.artifacts,
                "compiled contracts (default: the artifacts directory of this build)");
  auto* status = d->add_subcommand("status", "What runs in a devnet, where, and the chain's era");
  status->add_option("--dir", g_devnet.dir, "the devnet's directory")->capture_default_str();
  status->add_flag("--json", g_devnet.json_output, "machine-readable output");
  status->add_option("--artifacts", g_devnet.artifacts, "compiled contracts");
  status->callback([] { emit(run_devnet_status()); });
  auto* env = d->add_subcommand(
      "env", "Shell exports (ICN_RPC, ICN_DEPLOYMENT, ICN_API, ICN_SATELLITE) of a running devnet");
  env->add_option("--dir", g_devnet.dir, "the devnet's directory")->capture_default_str();
  env->callback([] { emit(run_devnet_env()); });
  d->callback([d] {
    if (d->got_subcommand("status") || d->got_subcommand("env")) return;
    emit(run_devnet_command());
  });
}

}  // namespace icn::cmd
