// Settlement on a real devnet (DESIGN §7–§8, §11), every role its own process: a ScalerNode whose
// daemon is stopped for 3 eras is slashed exactly once per slashable era, by the published leaf and
// the 3.5 × earned rule, with no applySlash twice; a node in declared maintenance with its daemon
// stopped earns nothing and is never slashed; a HyperNode stopped for an era earns its Link
// staker nothing for it (and p-scaled rewards otherwise), and `icn claim` pays the leaf;
// `icn verify-era` says MATCH on an honest era and MISMATCH when one published batch is altered.
// One devnet for the four properties (they share its timeline), so `make test` stays short.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/core/era_publication.hpp"
#include "icn/devnet/role_configs.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/key_file.hpp"
#include "test/support/command.hpp"
#include "test/support/devnet_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Polls `done` every 250 ms until it holds; a test failure naming `what` at the deadline.
bool wait_until(const std::function<bool()>& done, seconds timeout, const std::string& what) {
  infra::Deadline deadline = infra::deadline_in(timeout);
  while (infra::SteadyClock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(250));
  }
  ADD_FAILURE() << "not within " << timeout.count() << " s: " << what;
  return false;
}

// A satellite's published view of the eras (GET /v1/eras/{e}/…), decoded strictly.
class Publications {
 public:
  explicit Publications(std::string url) : http_(std::move(url)) {}

  // The era's results (every leaf), fetched once.
  const protocol::PublishedEraResults& results(uint64_t era) {
    auto it = results_.find(era);
    if (it != results_.end()) return it->second;
    auto body = http_.get("/v1/eras/" + std::to_string(era) + "/results");
    EXPECT_TRUE(body.ok()) << "era " << era << ": " << body.error().message;
    protocol::PublishedEraResults decoded;
    if (body.ok()) {
      auto r = protocol::decode_published_results(*body);
      EXPECT_TRUE(r.ok()) << "era " << era << ": " << r.error().message;
      if (r.ok()) decoded = std::move(r).value();
    }
    return results_.emplace(era, std::move(decoded)).first->second;
  }

  // A node's cumulative leaf in the era (all zero before the node has one).
  protocol::NodeLeaf node(uint64_t era, const U256& id) {
    for (const auto& n : results(era).nodes) {
      if (n.leaf.node_id == id) return n.leaf;
    }
    return protocol::NodeLeaf{id, 0, 0, 0, 0, 0};
  }
  U256 link_reward(uint64_t era, const U256& bundle) {
    for (const auto& l : results(era).links) {
      if (l.leaf.bundle_id == bundle) return l.leaf.reward;
    }
    return 0;
  }

  // The era's accepted batches as published ({"era","batches":[…]}), raw JSON.
  json batches(uint64_t era) {
    auto body = http_.get("/v1/eras/" + std::to_string(era) + "/batches");
    return body.ok() ? *body : json();
  }
  // Whether the satellite accepted a batch of (kind, id) for the era: 1 ScalerNode, 2 HyperNode.
  bool has_batch(uint64_t era, int kind, const U256& id) {
    json b = batches(era);
    if (!b.is_object() || !b["batches"].is_array()) return false;
    for (const auto& e : b["batches"]) {
      if (e["originatorKind"] == kind && e["originatorId"] == to_decimal(id)) return true;
    }
    return false;
  }

 private:
  infra::JsonHttpClient http_;
  std::map<uint64_t, protocol::PublishedEraResults> results_;
};

// Serves a satellite's API unchanged, except one era's batches, where the first daemon entry of
// the first daemon batch has its rttMs raised by one: a batch altered after it was accepted.
class AlteringProxy {
 public:
  AlteringProxy(uint16_t satellite_port, std::string altered_path)
      : satellite_port_(satellite_port), altered_path_(std::move(altered_path)) {
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      httplib::Client upstream("127.0.0.1", satellite_port_);
      auto r = upstream.Get(req.path);
      if (!r) {
        res.status = 502;
        return;
      }
      std::string body = r->body;
      if (req.path == altered_path_) body = alter(body);
      res.status = r->status;
      res.set_content(body, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~AlteringProxy() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool altered() const { return altered_; }

 private:
  std::string alter(const std::string& text) {
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc["batches"].is_array()) return text;
    for (auto& b : doc["batches"]) {
      // Only a daemon batch has entries (operator[] would add the key to the others).
      if (b.value("originatorKind", 0) != 1 || !b["batch"].contains("entries")) continue;
      auto& entries = b["batch"]["entries"];
      if (entries.is_array() && !entries.empty()) {
        entries[0]["rttMs"] = entries[0]["rttMs"].get<uint64_t>() + 1;
        altered_ = true;
        return doc.dump();
      }
    }
    return text;
  }

  uint16_t satellite_port_;
  std::string altered_path_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> altered_{false};
};

class SettlementFunctionalTest : public DevnetTest {
 protected:
  SettlementFunctionalTest() : DevnetTest("icn-settlement-functional") {}

  void TearDown() override {
    for (auto& p : restarted_) p.terminate(milliseconds(10000));
    restarted_.clear();
    DevnetTest::TearDown();
  }

  // Stops one role as an operator would (`kill $(cat D/<role>/pid)`) and waits until it is gone.
  void stop_role(const devnet::Role& role) {
    auto text = infra::read_file(devnet::role_dir(dir_, role) / "pid");
    ASSERT_TRUE(text.ok()) << role.name;
    int pid = std::stoi(*text);
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(pid, SIGTERM), 0) << role.name;
    wait_until([&] { return !devnet::process_alive(pid); }, seconds(20), role.name + " stopped");
  }

  // Starts a stopped role again with the config its supervisor wrote (the supervisor leaves an
  // exited role down); the test owns the new process.
  void restart_role(const devnet::Role& role) {
    infra::SubprocessOptions o;
    o.argv = devnet::role_argv(icn_path(), dir_, role);
    o.stdout_to =
        infra::OutputTarget::to_file((devnet::role_dir(dir_, role) / "output-restarted.log"));
    o.stderr_to = infra::OutputTarget::into_stdout();
    auto p = infra::Subprocess::spawn(o);
    ASSERT_TRUE(p.ok()) << role.name << ": " << p.error().message;
    restarted_.push_back(std::move(p).value());
  }

  std::vector<infra::Subprocess> restarted_;
};

// SlashApplied logs of Settlement for one node, decoded, in chain order.
std::vector<chain::SlashApplied> slash_events(actions::Protocol& protocol, const U256& node_id) {
  std::vector<chain::SlashApplied> out;
  auto contract = protocol.contract("Settlement");
  EXPECT_TRUE(contract.ok());
  if (!contract.ok()) return out;
  auto event = (*contract)->event("SlashApplied");
  EXPECT_TRUE(event.ok());
  if (!event.ok()) return out;
  eth::LogFilter filter;
  filter.addresses = {*(*contract)->address()};
  filter.topics = {{(*event)->topic0()}, {u256_to_be(node_id)}};
  filter.from_block = eth::BlockRef::number(protocol.deployment().deploy_block);
  filter.to_block = eth::BlockRef::latest();
  auto logs = eth::get_logs(protocol.rpc(), filter);
  EXPECT_TRUE(logs.ok()) << logs.error().message;
  if (!logs.ok()) return out;
  for (const auto& log : *logs) {
    auto d = (*contract)->decode_log(log);
    EXPECT_TRUE(d.ok()) << d.error().message;
    if (!d.ok()) continue;
    chain::SlashApplied s;
    auto u = [&](std::string_view name) {
      auto p = actions::param(*d, name);
      EXPECT_TRUE(p.ok()) << name;
      auto v = p.ok() ? actions::as_uint(**p, name) : Result<U256>(fail("missing"));
      return v.ok() ? *v : U256(0);
    };
    s.node_id = u("nodeId");
    s.era = uint64_t(u("era"));
    s.slashed = u("slashed");
    s.from_collateral = u("fromCollateral");
    s.from_delegation = u("fromDelegation");
    s.owed = u("owed");
    out.push_back(s);
  }
  return out;
}

U256 collateral_of(actions::Protocol& protocol, const U256& node_id) {
  auto out = protocol.call("Collateral", "collateralOf", {abi::Value(node_id)});
  EXPECT_TRUE(out.ok()) << out.error().message;
  if (!out.ok()) return 0;
  auto v = abi::single_uint(*out, "collateralOf");
  return v.ok() ? *v : U256(0);
}

// ICNLink.bundle(id): (owner, …, hyperNodeId).
std::pair<Address, U256> bundle_owner_and_hyper_node(actions::Protocol& protocol, const U256& id) {
  auto out = protocol.call("ICNLink", "bundle", {abi::Value(id)});
  EXPECT_TRUE(out.ok()) << out.error().message;
  if (!out.ok()) return {};
  auto one = abi::single(*out, "bundle");
  auto t = one.ok() ? abi::as_tuple(**one, 9, "bundle") : Result<const abi::Value::List*>(fail(""));
  EXPECT_TRUE(t.ok());
  if (!t.ok()) return {};
  auto owner = abi::as_address((**t)[0], "owner");
  auto hn = abi::as_uint((**t)[8], "hyperNodeId");
  EXPECT_TRUE(owner.ok() && hn.ok());
  return {owner.ok() ? *owner : Address{}, hn.ok() ? *hn : U256(0)};
}

TEST_F(SettlementFunctionalTest, SlashesMaintenanceLinkRewardsAndVerifyEra) {
  // S: daemon stopped 3 eras (slashed); M: in declared maintenance, daemon stopped (never
  // slashed); H: healthy reference. X: a HyperNode stopped for an era.
  start(true, DevnetCounts{.scaler_nodes = 3, .hyper_nodes = 3, .satellites = 3, .era_blocks = 8});
  devnet::DevnetStatus status = wait_ready(true, seconds(240));
  ASSERT_FALSE(HasFailure());
  chain::Deployment d = deployment();
  devnet::Topology topo = topology();
  ASSERT_FALSE(HasFailure());
  const devnet::Role* daemon_s = topo.role("daemon-1");
  const devnet::Role* daemon_m = topo.role("daemon-2");
  const devnet::Role* daemon_h = topo.role("daemon-3");
  const devnet::Role* hyper_x = topo.role("hypernode-3");
  const devnet::Role* satellite = topo.role("satellite-1");
  ASSERT_TRUE(daemon_s && daemon_m && daemon_h && hyper_x && satellite);
  const U256 node_s = daemon_s->chain_id, node_m = daemon_m->chain_id, node_h = daemon_h->chain_id;
  const std::vector<U256> nodes = {node_s, node_m, node_h};

  eth::RpcClient rpc(status.rpc_url);
  auto reader = chain::ProtocolReader::open(rpc, d, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto protocol = actions::Protocol::open(rpc, d, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(protocol.ok()) << protocol.error().message;
  SettlementView view(status.rpc_url, d);
  ASSERT_TRUE(view.settlement.has_value());
  Publications pub(satellite->url());
  auto current_era = [&]() -> uint64_t {
    auto head = reader->head_block();
    auto era = head.ok() ? reader->era_at(*head) : Result<uint64_t>(head.error());
    EXPECT_TRUE(era.ok()) << era.error().message;
    return era.ok() ? *era : 0;
  };
  auto wait_era = [&](uint64_t era) {
    return wait_until([&] { return current_era() >= era; }, seconds(60),
                      "era " + std::to_string(era) + " started");
  };

  // M's HP declares maintenance for eras m … m+2, at least one era ahead.
  const uint64_t m = current_era() + 2;
  {
    const devnet::Account* hp = topo.account(devnet::hp_account(1));
    ASSERT_NE(hp, nullptr);
    auto key = infra::load_private_key(dir_ / hp->key_file());
    ASSERT_TRUE(key.ok());
    eth::SenderOptions so;
    so.expected_chain_id = d.chain_id;
    auto sender = eth::TransactionSender::create(rpc, *key, so);
    ASSERT_TRUE(sender.ok()) << sender.error().message;
    auto declared = actions::declare_maintenance(*protocol, *sender, node_m, m, 3);
    ASSERT_TRUE(declared.ok()) << declared.error().message;
  }

  // Era m: S and M stop once their era m−1 batches are in (so m−1 is judged as it ran).
  ASSERT_TRUE(wait_era(m));
  ASSERT_TRUE(
      wait_until([&] { return pub.has_batch(m - 1, 1, node_s) && pub.has_batch(m - 1, 1, node_m); },
                 seconds(30), "the era " + std::to_string(m - 1) + " batches of S and M"));
  stop_role(*daemon_s);
  stop_role(*daemon_m);
  ASSERT_FALSE(HasFailure());
  const uint64_t stopped_in = current_era();

  // Era m+3: both come back (S was down for eras m, m+1, m+2). X stops once its era m+2 batch is
  // in, so it answers nobody in era m+4, and comes back in m+5.
  ASSERT_TRUE(wait_era(m + 3));
  restart_role(*daemon_s);
  restart_role(*daemon_m);
  ASSERT_TRUE(wait_until([&] { return pub.has_batch(m + 2, 2, hyper_x->chain_id); }, seconds(30),
                         "hypernode-3's era " + std::to_string(m + 2) + " batch"));
  stop_role(*hyper_x);
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(wait_era(m + 5));
  restart_role(*hyper_x);
  const uint64_t last = wait_committed(view, m + 5, 0, seconds(90));
  ASSERT_FALSE(HasFailure());
  ASSERT_LE(stopped_in, m) << "S and M stopped too late for the timeline";

  // Verdicts as the leaves show them. Every node is alike (10 TB of the same class, no booking),
  // so in a judged era each UP node's subsidy grows by the same amount, "earned"; a judged era is
  // one where some node's subsidy grew (H is UP throughout).
  auto first = view.settlement->first_era();
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto subsidy_added = [&](uint64_t era, const U256& id) -> U256 {
    U256 before = era > *first ? pub.node(era - 1, id).subsidy : U256(0);
    return pub.node(era, id).subsidy - before;
  };
  auto slash_added = [&](uint64_t era, const U256& id) -> U256 {
    U256 before = era > *first ? pub.node(era - 1, id).slashed : U256(0);
    return pub.node(era, id).slashed - before;
  };
  std::map<uint64_t, U256> earned;  // judged eras only
  for (uint64_t e = *first; e <= last; ++e) {
    U256 most = 0;
    for (const U256& n : nodes) most = std::max(most, subsidy_added(e, n));
    if (most > 0) earned[e] = most;
    for (const U256& n : nodes) {
      U256 added = subsidy_added(e, n);
      EXPECT_TRUE(added == 0 || added == most) << "era " << e << " node " << to_decimal(n);
    }
  }
  for (uint64_t e = m - 1; e <= m + 4; ++e) {
    EXPECT_TRUE(earned.count(e)) << "era " << e << " has no verdict: the timeline proves nothing";
    EXPECT_GT(subsidy_added(e, node_h), 0) << "H was not UP in era " << e;
  }

  // 1. S: DOWN in m, m+1, m+2. Each era's slash is 3.5 × earned exactly when ≥ 3 of the last 6
  // judged eras (that one included) were DOWN, and nothing otherwise.
  {
    SCOPED_TRACE("slashing of node " + to_decimal(node_s));
    std::deque<bool> window;  // the last 6 judged eras, most recent last: DOWN?
    unsigned slashable_eras = 0;
    U256 expected_total = 0;
    for (uint64_t e = *first; e <= last; ++e) {
      if (!earned.count(e)) {
        EXPECT_EQ(slash_added(e, node_s), 0) << "era " << e << " had no verdict";
        continue;
      }
      bool down = subsidy_added(e, node_s) == 0;
      window.push_back(down);
      if (window.size() > 6) window.pop_front();
      unsigned downs = unsigned(std::count(window.begin(), window.end(), true));
      bool slashable = down && downs >= 3;
      U256 expected = slashable ? U256(earned[e] * 7 / 2) : U256(0);
      EXPECT_EQ(slash_added(e, node_s), expected) << "era " << e << (down ? " DOWN" : " UP") << ", "
                                                  << downs << " DOWN of the last " << window.size();
      if (slashable) {
        ++slashable_eras;
        expected_total += expected;
      }
      if (e >= m && e <= m + 2) {
        EXPECT_TRUE(down) << "S's daemon was stopped in era " << e;
      }
    }
    EXPECT_GE(slashable_eras, 1u);
    const U256 leaf_slashed = pub.node(last, node_s).slashed;
    EXPECT_EQ(leaf_slashed, expected_total);

    // On chain: the keepers applied the leaf — wait until Settlement recorded it — each applySlash
    // at a distinct cumulative value that is its era's leaf (no second applySlash of a value by a
    // second keeper, none beyond the leaves), and together they took exactly the leaf's amount.
    ASSERT_TRUE(wait_until(
        [&] {
          auto r = view.settlement->node_settlement(node_s);
          return r.ok() && r->slash_recorded == leaf_slashed;
        },
        seconds(60), "Settlement recorded S's slash of " + to_decimal(leaf_slashed)));
    auto events = slash_events(*protocol, node_s);
    ASSERT_FALSE(events.empty());
    EXPECT_LE(events.size(), slashable_eras);
    U256 previous = 0, taken = 0;
    for (const auto& ev : events) {
      EXPECT_GT(ev.slashed, previous) << "applySlash at era " << ev.era << " applied nothing new";
      EXPECT_EQ(ev.slashed, pub.node(ev.era, node_s).slashed) << "era " << ev.era;
      previous = ev.slashed;
      taken += ev.from_collateral + ev.from_delegation;
    }
    EXPECT_EQ(previous, leaf_slashed);
    EXPECT_EQ(events.back().owed, 0);
    EXPECT_EQ(taken, leaf_slashed);
    auto record = view.settlement->node_settlement(node_s);
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->slash_taken, leaf_slashed);
    // The ICNT left S's collateral (H's, registered alike, is untouched): the cap never bound.
    EXPECT_EQ(collateral_of(*protocol, node_s) + leaf_slashed, collateral_of(*protocol, node_h));
  }

  // 2. M: in maintenance m … m+2 with its daemon stopped: earned nothing then, never slashed.
  {
    SCOPED_TRACE("maintenance of node " + to_decimal(node_m));
    for (uint64_t e = m; e <= m + 2; ++e) {
      EXPECT_EQ(subsidy_added(e, node_m), 0) << "era " << e;
    }
    EXPECT_GT(subsidy_added(m - 1, node_m), 0) << "M was UP before its window";
    EXPECT_EQ(pub.node(last, node_m).slashed, 0);
    EXPECT_TRUE(slash_events(*protocol, node_m).empty());
    EXPECT_TRUE(slash_events(*protocol, node_h).empty());
  }

  // 3. Link rewards: a bundle earns floor(R × answeredUp / UP) (its HyperNode's p) and nothing
  // when p < 0.5, R being what a bundle of a HyperNode that answered every UP node earns.
  std::map<U256, U256> bundle_of;  // HyperNode id → its (single-Link) bundle
  std::map<U256, Address> owner_of;
  for (const auto& l : pub.results(last).links) {
    auto [owner, hn] = bundle_owner_and_hyper_node(*protocol, l.leaf.bundle_id);
    bundle_of[hn] = l.leaf.bundle_id;
    owner_of[l.leaf.bundle_id] = owner;
  }
  ASSERT_EQ(bundle_of.size(), 3u);
  const U256 bundle_x = bundle_of[hyper_x->chain_id];
  auto link_added = [&](uint64_t era, const U256& bundle) {
    return pub.link_reward(era, bundle) - pub.link_reward(era - 1, bundle);
  };
  bool saw_x_below_good = false;
  for (uint64_t e = m - 1; e <= last; ++e) {
    SCOPED_TRACE("Link rewards of era " + std::to_string(e));
    if (!earned.count(e)) continue;
    std::set<U256> up;
    for (const U256& n : nodes) {
      if (subsidy_added(e, n) > 0) up.insert(n);
    }
    std::map<U256, uint64_t> answered_up;  // HyperNode → UP nodes whose batch has its entry
    json batches = pub.batches(e);
    ASSERT_TRUE(batches["batches"].is_array());
    for (const auto& b : batches["batches"]) {
      if (b["originatorKind"] != 1) continue;
      auto id = parse_u256(b["originatorId"].get<std::string>());
      ASSERT_TRUE(id.ok());
      if (!up.count(*id)) continue;
      for (const auto& entry : b["batch"]["entries"]) {
        auto hn = parse_u256(entry["hyperNodeId"].get<std::string>());
        ASSERT_TRUE(hn.ok());
        ++answered_up[*hn];
      }
    }
    std::optional<U256> full;  // R
    for (const auto& [hn, bundle] : bundle_of) {
      if (answered_up[hn] == up.size()) full = link_added(e, bundle);
    }
    ASSERT_TRUE(full.has_value()) << "no HyperNode answered every UP node";
    EXPECT_GT(*full, 0);
    for (const auto& [hn, bundle] : bundle_of) {
      uint64_t a = answered_up[hn];
      U256 expected = 2 * a < up.size() ? U256(0) : U256(*full * a / up.size());
      EXPECT_EQ(link_added(e, bundle), expected)
          << "HyperNode " << to_decimal(hn) << " answered " << a << " of " << up.size();
      if (hn == hyper_x->chain_id && 10 * a < 9 * up.size()) saw_x_below_good = true;
    }
    if (e == m + 4) {
      EXPECT_EQ(answered_up[hyper_x->chain_id], 0u) << "X was stopped for all of era " << e;
      EXPECT_EQ(link_added(e, bundle_x), 0);
    }
  }
  EXPECT_TRUE(saw_x_below_good);

  // … and `icn claim` as X's Link holder pays what the leaf says.
  {
    const Address holder = owner_of[bundle_x];
    const devnet::Account* op = topo.account(devnet::hypernode_operator_account(3));
    ASSERT_NE(op, nullptr);
    ASSERT_EQ(op->address, holder);
    auto before = actions::icnt_balance(*protocol, holder);
    auto claimed_before = view.settlement->claimed_link_rewards(bundle_x);
    ASSERT_TRUE(before.ok() && claimed_before.ok());
    fs::path deployment_file = dir_ / "deployment.json";
    CommandResult claim =
        run_command({icn_path(), "claim", "--rpc", status.rpc_url, "--deployment",
                     deployment_file.string(), "--key-file", (dir_ / op->key_file()).string(),
                     "--satellite", satellite->url(), "--bundle", to_decimal(bundle_x)},
                    seconds(120));
    ASSERT_EQ(claim.exit_code, 0) << claim.describe();
    std::smatch match;
    ASSERT_TRUE(std::regex_search(claim.out, match, std::regex(R"(\(era (\d+)\) in tx 0x)")))
        << claim.out;
    const uint64_t claim_era = std::stoull(match[1]);
    const U256 reward = pub.link_reward(claim_era, bundle_x);
    auto after = actions::icnt_balance(*protocol, holder);
    auto claimed_after = view.settlement->claimed_link_rewards(bundle_x);
    ASSERT_TRUE(after.ok() && claimed_after.ok());
    EXPECT_EQ(*claimed_after, reward);
    EXPECT_EQ(*after - *before, reward - *claimed_before) << claim.out;
    // X's holder got less than a healthy HyperNode's holder has earned by the same era.
    EXPECT_LT(reward, pub.link_reward(claim_era, bundle_of[topo.role("hypernode-1")->chain_id]));
  }

  // 4. `icn verify-era` on an honest era, then through a proxy that alters one published batch.
  {
    const uint64_t era = m + 4;
    fs::path deployment_file = dir_ / "deployment.json";
    auto verify = [&](const std::string& satellite_url) {
      return run_command(
          {icn_path(), "verify-era", std::to_string(era), "--satellite", satellite_url, "--rpc",
           status.rpc_url, "--deployment", deployment_file.string()},
          seconds(60));
    };
    CommandResult honest = verify(satellite->url());
    EXPECT_EQ(honest.exit_code, 0) << honest.describe();
    EXPECT_NE(honest.out.find("era " + std::to_string(era) + ": MATCH"), std::string::npos)
        << honest.out;
    AlteringProxy proxy(satellite->port, "/v1/eras/" + std::to_string(era) + "/batches");
    CommandResult altered = verify(proxy.url());
    EXPECT_TRUE(proxy.altered());
    EXPECT_EQ(altered.exit_code, 1) << altered.describe();
    EXPECT_NE(altered.out.find("era " + std::to_string(era) + ": MISMATCH"), std::string::npos)
        << altered.out;
  }
}

}  // namespace
}  // namespace icn::test
