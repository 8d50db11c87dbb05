// The devnet supervisor: chain, deployment, onboarding, role processes, status file, shutdown.
#include "icn/devnet/devnet.hpp"

#include <signal.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/deploy/deployer.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/deploy/plan.hpp"
#include "icn/devnet/onboarding.hpp"
#include "icn/devnet/role_configs.hpp"
#include "icn/devnet/status.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"
#include "icn/infra/anvil.hpp"
#include "icn/infra/data_dir.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/subprocess.hpp"

namespace icn::devnet {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr uint64_t kSecondsPer30Days = 30ull * 86400;

fs::path topology_file(const fs::path& dir) {
  return dir / "devnet.json";
}
fs::path chain_state_file(const fs::path& dir) {
  return dir / "chain" / "state.json";
}

// Refuses to empty a directory that is not a devnet's, so a mistyped --dir never costs a home
// directory.
Status remove_previous(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return {};
  bool empty =
      fs::is_directory(dir, ec) && fs::directory_iterator(dir, ec) == fs::directory_iterator();
  if (!empty && !fs::exists(topology_file(dir), ec)) {
    return fail("--fresh: " + dir.string() +
                " is not empty and holds no devnet.json; refusing to delete it");
  }
  fs::remove_all(dir, ec);
  if (ec) return fail("--fresh: cannot remove " + dir.string() + ": " + ec.message());
  return {};
}

// A process the supervisor started and watches.
struct Child {
  const Role* role = nullptr;
  infra::Subprocess process;
  std::string state = "starting";
};

class Supervisor {
 public:
  Supervisor(const DevnetRunOptions& options, const infra::StopFlag& stop)
      : o_(options), stop_(stop) {}

  Status run();

 private:
  void say(const std::string& line) const {
    if (o_.progress) o_.progress("devnet: " + line);
  }
  Result<Topology> load_or_create();
  Status start_chain();
  Status deploy(Topology& topology);
  Status check_resumed_chain();
  Status start_block_production();
  Status start_role(const Topology& topology, const Role& role);
  Status wait_ready(Child& child);
  void watch();
  void release_reserves();
  void stop_all();
  Status publish(const std::string& state);

  const DevnetRunOptions& o_;
  const infra::StopFlag& stop_;
  fs::path dir_;
  std::optional<infra::Anvil> anvil_;
  bool anvil_stopped_ = false;
  const Topology* topology_ = nullptr;
  // The deployment bound for release_reserves (the RPC client the protocol refers to lives here).
  struct Keeper {
    std::unique_ptr<eth::RpcClient> rpc;
    actions::Protocol protocol;
  };
  std::optional<Keeper> keeper_;
  infra::Deadline next_release_{};  // by stop_all, as opposed to exiting on its own
  std::optional<chain::Deployment> deployment_;
  std::vector<Child> children_;
  std::string api_url_;
};

Result<Topology> Supervisor::load_or_create() {
  std::error_code ec;
  if (fs::exists(topology_file(dir_), ec)) {
    ICN_TRY(std::string text, infra::read_file(topology_file(dir_), 1 << 20));
    ICN_TRY(Topology t, Topology::parse(text));
    if (!t.onboarded) {
      return fail("the devnet in " + dir_.string() +
                  " was stopped before it was set up; start over with --fresh");
    }
    if (!fs::exists(chain_state_file(dir_), ec)) {
      return fail("the devnet in " + dir_.string() + " has no chain state (" +
                  chain_state_file(dir_).string() + "); start over with --fresh");
    }
    say("resuming the devnet in " + dir_.string() + " (" + std::to_string(t.options.scaler_nodes) +
        " ScalerNodes, " + std::to_string(t.options.hyper_nodes) + " HyperNodes, " +
        std::to_string(t.options.satellites) + " satellites; --fresh to start over)");
    return t;
  }
  say("creating a devnet in " + dir_.string());
  ICN_TRY(Topology t, create_topology(o_.network, dir_));
  ICN_CHECK(infra::write_file_atomic(topology_file(dir_), t.to_json()));
  return t;
}

// Anvil starts on automine so the deployment and onboarding take a block per transaction, not a
// second; start_block_production switches it to 1 s blocks before any role starts.
Status Supervisor::start_chain() {
  infra::AnvilOptions a;
  a.binary = o_.anvil_binary;
  a.state_file = chain_state_file(dir_);
  // A crash of the supervisor then loses at most half a minute of chain; the historical states
  // are kept too, since every role reads the chain at era boundaries in the past.
  a.extra_args = {"--state-interval", "30", "--preserve-historical-states"};
  std::error_code ec;
  fs::create_directories(dir_ / "chain", ec);
  if (!fs::exists(o_.anvil_binary, ec)) {
    return fail("anvil did not start: no anvil at " + o_.anvil_binary.string() +
                " (run `make setup`, or pass --anvil PATH)");
  }
  say("starting anvil (1 s blocks, state " + chain_state_file(dir_).string() + ")");
  ICN_TRY(infra::Anvil anvil, infra::Anvil::start(a));
  anvil_.emplace(std::move(anvil));
  say("chain ready at " + anvil_->rpc_url());
  return {};
}

Status Supervisor::deploy(Topology& topology) {
  ICN_TRY(std::string template_text, infra::read_file(o_.genesis_template, 1 << 20));
  ICN_TRY_CTX(std::string genesis_text, devnet_genesis(template_text, topology),
              o_.genesis_template.string());
  ICN_CHECK(infra::write_file_atomic(dir_ / "genesis.toml", genesis_text));
  ICN_TRY_CTX(deploy::Genesis genesis,
              deploy::parse_genesis(genesis_text, deploy::contract_names()),
              (dir_ / "genesis.toml").string());

  eth::RpcClient rpc(anvil_->rpc_url());
  ICN_TRY(eth::TransactionSender sender, account_sender(rpc, dir_, *topology.account("deployer")));
  deploy::DeployOptions d;
  d.artifacts_dir = o_.artifacts;
  d.out = dir_ / "deployment.json";
  d.icn_version = o_.icn_version;
  d.progress = [this](const std::string& line) { say(line); };
  say("deploying the protocol from " + o_.artifacts.string());
  ICN_TRY(chain::Deployment deployment,
          deploy::deploy_protocol(rpc, sender, genesis, genesis_text, d));
  deployment_ = deployment;

  OnboardingInputs in;
  in.dir = dir_;
  in.artifacts = o_.artifacts;
  in.genesis_region = genesis.regions.at(0).code;
  in.genesis_class = genesis.classes.at(0).name;
  in.progress = [this](const std::string& line) { say(line); };
  if (Status s = onboard(rpc, deployment, topology, in); !s) {
    return fail("onboarding failed: " + s.error().message);
  }
  topology.onboarded = true;
  return infra::write_file_atomic(topology_file(dir_), topology.to_json());
}

// The chain anvil loaded must still hold the deployment the roles will read.
Status Supervisor::check_resumed_chain() {
  ICN_TRY(std::string text, infra::read_file(dir_ / "deployment.json", 1 << 20));
  ICN_TRY_CTX(chain::Deployment d, chain::Deployment::parse(text), "deployment.json");
  eth::RpcClient rpc(anvil_->rpc_url());
  auto settlement = d.address_of("Settlement");
  if (!settlement) return fail("deployment.json names no Settlement");
  ICN_TRY_CTX(Bytes code, eth::get_code(rpc, *settlement), "reading the resumed chain");
  if (code.empty()) {
    return fail("the resumed chain has no code at Settlement " + settlement->checksummed() +
                " (chain state lost?); start over with --fresh");
  }
  ICN_TRY(uint64_t head, eth::block_number(rpc));
  say("chain resumed at block " + std::to_string(head));
  deployment_ = d;
  return {};
}

Status Supervisor::start_block_production() {
  eth::RpcClient rpc(anvil_->rpc_url());
  ICN_TRY_CTX(json ignored, rpc.call("evm_setIntervalMining", json::array({1})),
              "switching anvil to 1 s blocks");
  return {};
}

Status Supervisor::start_role(const Topology& topology, const Role& role) {
  RoleConfigInputs in{dir_, o_.artifacts, anvil_->rpc_url()};
  if (role.kind == RoleKind::kIndexer) {
    ICN_TRY(std::string accounts, console_accounts_json(topology, dir_));
    ICN_CHECK(infra::write_file_atomic(console_accounts_file(dir_), accounts,
                                       fs::perms::owner_read | fs::perms::owner_write));
  }
  ICN_TRY(std::string config, role_config(topology, role, in));
  std::error_code ec;
  fs::create_directories(role_dir(dir_, role) / "data", ec);
  if (ec) return fail("cannot create " + role_dir(dir_, role).string() + ": " + ec.message());
  ICN_CHECK(infra::write_file_atomic(role_config_file(dir_, role), config));
  infra::SubprocessOptions p;
  p.argv = role_argv(o_.icn_binary, dir_, role);
  p.stdout_to = infra::OutputTarget::to_file(role_output_log(dir_, role));
  p.stderr_to = infra::OutputTarget::into_stdout();
  p.destructor_grace = std::chrono::milliseconds(10000);
  ICN_TRY_CTX(infra::Subprocess process, infra::Subprocess::spawn(std::move(p)),
              role.name + " did not start");
  // <role>/pid: what `kill $(cat .devnet/daemon-2/pid)` needs to take one node down.
  ICN_CHECK(infra::write_file_atomic(role_dir(dir_, role) / "pid",
                                     std::to_string(process.pid()) + "\n",
                                     fs::perms::owner_read | fs::perms::owner_write |
                                         fs::perms::group_read | fs::perms::others_read));
  children_.push_back(Child{&role, std::move(process), "starting"});
  return {};
}

// Ready when its API answers: /v1/status, or the indexer's /v1/stats.
Status Supervisor::wait_ready(Child& child) {
  const Role& role = *child.role;
  infra::JsonHttpClientOptions http;
  http.connect_timeout = std::chrono::milliseconds(500);
  http.request_timeout = std::chrono::milliseconds(2000);
  infra::JsonHttpClient client(role.url(), http);
  std::string path = role.kind == RoleKind::kIndexer ? "/v1/stats" : "/v1/status";
  infra::Deadline deadline = infra::deadline_in(o_.ready_timeout);
  std::string last;
  while (infra::SteadyClock::now() < deadline) {
    if (auto exited = child.process.try_wait()) {
      child.state = "exited (" + exited->describe() + ")";
      return fail(role.name + " did not become ready: it " + child.state + "; see " +
                  role_output_log(dir_, role).string());
    }
    auto answer = client.get(path, infra::deadline_in(std::chrono::milliseconds(2000)));
    if (answer) {
      child.state = "running";
      say(role.name + " ready at " + role.url());
      return {};
    }
    last = answer.error().message;
    if (stop_.wait_for(std::chrono::milliseconds(200))) return fail("stopped: " + stop_.reason());
  }
  return fail(role.name + " did not become ready within " +
              std::to_string(o_.ready_timeout.count() / 1000) + " s: " + last + "; see " +
              role_output_log(dir_, role).string());
}

Status Supervisor::publish(const std::string& state) {
  DevnetStatus s;
  s.supervisor_pid = ::getpid();
  s.state = state;
  s.rpc_url = anvil_ ? anvil_->rpc_url() : "";
  s.chain_id = infra::kAnvilDefaultChainId;
  s.api_url = api_url_;
  if (anvil_) {
    s.processes.push_back({"anvil", "chain", anvil_->pid(),
                           anvil_stopped_      ? "stopped"
                           : anvil_->running() ? "running"
                                               : "exited",
                           anvil_->rpc_url(), (dir_ / "chain" / "state.json").string()});
  }
  for (const Child& c : children_) {
    s.processes.push_back({c.role->name, std::string(to_string(c.role->kind)), c.process.pid(),
                           c.state, c.role->url(), role_output_log(dir_, *c.role).string()});
  }
  return write_status(dir_, s);
}

// The reward pools (RewardsReserve, LinkRewardPool) are funded by Vesting streams that anyone
// may release; on a devnet the supervisor does it every 30 s, so claims find the subsidy and Link
// rewards vested so far (in production a keeper or any claimant does).
void Supervisor::release_reserves() {
  auto now = infra::SteadyClock::now();
  if (now < next_release_) return;
  next_release_ = now + std::chrono::seconds(30);
  Status s = [&]() -> Status {
    if (!keeper_) {  // bound once: opening reads every artifact
      auto rpc = std::make_unique<eth::RpcClient>(anvil_->rpc_url());
      ICN_TRY(actions::Protocol p, actions::Protocol::open(*rpc, *deployment_, o_.artifacts));
      keeper_.emplace(Keeper{std::move(rpc), std::move(p)});
    }
    ICN_TRY(eth::TransactionSender sender,
            account_sender(*keeper_->rpc, dir_, *topology_->account("deployer")));
    for (auto c :
         {actions::VestingCategory::kRewardsReserve, actions::VestingCategory::kNodeSale}) {
      ICN_TRY(U256 released, actions::release_vesting(keeper_->protocol, sender, c));
      (void)released;
    }
    return {};
  }();
  if (!s)
    say("releasing the vested reward reserves failed (retried in 30 s): " + s.error().message);
}

// Until stop: notices a role that exits (it is not restarted: stopping a daemon is how a person
// shows a node going DOWN) and a chain that dies (which ends the devnet).
void Supervisor::watch() {
  while (!stop_.wait_for(std::chrono::milliseconds(500))) {
    release_reserves();
    bool changed = false;
    for (Child& c : children_) {
      if (c.state != "running") continue;
      if (auto exited = c.process.try_wait()) {
        c.state = "exited (" + exited->describe() + ")";
        say(c.role->name + " " + c.state +
            "; its output: " + role_output_log(dir_, *c.role).string());
        changed = true;
      }
    }
    if (!anvil_->running()) {
      say("anvil exited; stopping the devnet (its output: " + anvil_->output_tail() + ")");
      (void)publish("stopping");
      return;
    }
    if (changed) (void)publish("ready");
  }
}

// Roles first, newest first (the indexer and daemons before the satellites they report to), then
// the chain, which writes its state file on SIGTERM.
void Supervisor::stop_all() {
  if (!children_.empty()) say("stopping " + std::to_string(children_.size()) + " processes");
  for (auto it = children_.rbegin(); it != children_.rend(); ++it)
    it->process.signal_group(SIGTERM);
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    infra::ExitStatus st = it->process.terminate(std::chrono::milliseconds(10000));
    if (it->state == "running" || it->state == "starting") it->state = "stopped";
    if (!st.success() && st.signal != SIGTERM) {
      say(it->role->name + " ended with " + st.describe());
    }
  }
  (void)publish("stopping");
  if (anvil_) {
    say("stopping anvil (saving the chain state)");
    anvil_->stop();
    anvil_stopped_ = true;
  }
}

Status Supervisor::run() {
  std::error_code ec;
  dir_ = fs::absolute(o_.dir, ec);
  if (ec) return fail("--dir " + o_.dir.string() + ": " + ec.message());
  if (o_.fresh) ICN_CHECK(remove_previous(dir_));
  fs::create_directories(dir_, ec);
  if (ec) return fail("cannot create " + dir_.string() + ": " + ec.message());
  // One supervisor per directory: a second one would fight over ports and stores.
  ICN_TRY_CTX(infra::DataDir lock, infra::DataDir::open(dir_), "devnet directory");
  ICN_TRY(Topology topology, load_or_create());
  topology_ = &topology;
  bool resuming = topology.onboarded;

  Status result = [&]() -> Status {
    ICN_CHECK(start_chain());
    ICN_CHECK(publish("starting"));
    if (resuming) {
      ICN_CHECK(check_resumed_chain());
    } else {
      ICN_CHECK(deploy(topology));
    }
    // From here on blocks come every second, as on a real chain; setup ran on automine.
    ICN_CHECK(start_block_production());
    // Tier by tier (satellites, HyperNodes, daemons, indexer), each tier started at once: a tier
    // only needs the one before it to answer.
    for (RoleKind kind :
         {RoleKind::kSatellite, RoleKind::kHyperNode, RoleKind::kDaemon, RoleKind::kIndexer}) {
      size_t first = children_.size();
      std::vector<const Role*> tier = topology.roles_of(kind);
      say("starting " + std::to_string(tier.size()) + " " + std::string(to_string(kind)) +
          (tier.size() == 1 ? "" : "s"));
      for (const Role* role : tier) ICN_CHECK(start_role(topology, *role));
      for (size_t i = first; i < children_.size(); ++i) ICN_CHECK(wait_ready(children_[i]));
      if (kind == RoleKind::kIndexer) api_url_ = tier.front()->url();
      ICN_CHECK(publish("starting"));
      if (stop_.requested()) return fail("stopped: " + stop_.reason());
    }
    ICN_CHECK(publish("ready"));
    say("network ready — RPC " + anvil_->rpc_url() + ", API " + api_url_ + ", data " +
        dir_.string() + " (`icn devnet status --dir " + dir_.string() + "`; Ctrl-C to stop)");
    watch();
    return {};
  }();
  stop_all();
  (void)publish("stopped");
  if (result) say("stopped (" + (stop_.requested() ? stop_.reason() : "the chain exited") + ")");
  return result;
}

}  // namespace

Result<std::string> devnet_genesis(std::string_view template_text, const Topology& topology) {
  toml::table t;
  try {
    t = toml::parse(template_text);
  } catch (const toml::parse_error& e) {
    return fail("parse error at line " + std::to_string(e.source().begin.line) + ": " +
                std::string(e.description()));
  }
  auto* chain = t["chain"].as_table();
  auto* settlement = t["settlement"].as_table();
  auto* market = t["market"].as_table();
  if (!chain || !settlement || !market) return fail("no [chain], [settlement] or [market] table");
  uint64_t era = topology.options.era_blocks;  // 1 s blocks: an era of `era` seconds
  chain->insert_or_assign("era_blocks", static_cast<int64_t>(era));
  market->insert_or_assign("era_seconds", static_cast<int64_t>(era));
  settlement->insert_or_assign("eras_per_30_days", static_cast<int64_t>(kSecondsPer30Days / era));
  toml::array committee;
  for (const Role* s : topology.roles_of(RoleKind::kSatellite)) {
    committee.push_back(topology.account(s->key)->address.checksummed());
  }
  int64_t members = static_cast<int64_t>(committee.size());
  settlement->insert_or_assign("committee", std::move(committee));
  settlement->insert_or_assign("threshold", members / 2 + 1);  // a majority
  std::ostringstream out;
  out << "# Written by `icn devnet` from deploy/genesis/devnet.toml with this devnet's committee\n"
         "# and era length.\n"
      << t << "\n";
  return out.str();
}

Status run_devnet(const DevnetRunOptions& options, const infra::StopFlag& stop) {
  Supervisor s(options, stop);
  return s.run();
}

}  // namespace icn::devnet
