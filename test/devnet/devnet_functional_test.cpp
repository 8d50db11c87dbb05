// `icn devnet` end to end, as a person runs it: a fresh devnet with short eras settles eras on
// chain whose roots every satellite publishes; a Builder books; SIGTERM stops everything; a second
// run on the same directory resumes the chain and every store with nothing lost, and settles on.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/devnet/status.hpp"
#include "icn/devnet/topology.hpp"
#include "icn/eth/sender.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/key_file.hpp"
#include "icn/infra/subprocess.hpp"
#include "test/support/command.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using std::chrono::seconds;

class DevnetFunctionalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("icn-devnet-functional-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    if (devnet_) devnet_->terminate(std::chrono::milliseconds(30000));
    if (!HasFailure()) fs::remove_all(dir_);  // kept for the logs otherwise
  }

  void start(bool fresh) {
    std::vector<std::string> argv = {icn_path(),      "devnet", "--dir",        dir_.string(),
                                     "--scalernodes", "2",      "--hypernodes", "2",
                                     "--satellites",  "3",      "--era-blocks", "8"};
    if (fresh) argv.push_back("--fresh");
    infra::SubprocessOptions o;
    o.argv = argv;
    o.stdout_to = infra::OutputTarget::to_file(dir_.string() + (fresh ? "-1.log" : "-2.log"));
    o.stderr_to = infra::OutputTarget::into_stdout();
    auto p = infra::Subprocess::spawn(o);
    ASSERT_TRUE(p.ok()) << p.error().message;
    devnet_.emplace(std::move(p).value());
  }

  std::string output(bool fresh) {
    auto text = infra::read_file(dir_.string() + (fresh ? "-1.log" : "-2.log"));
    return text ? *text : "";
  }

  // The supervisor's status file once it says "ready" (fails the test at the deadline).
  devnet::DevnetStatus wait_ready(bool fresh, seconds timeout) {
    infra::Deadline deadline = infra::deadline_in(timeout);
    while (infra::SteadyClock::now() < deadline) {
      if (auto exited = devnet_->try_wait()) {
        ADD_FAILURE() << "icn devnet exited: " << exited->describe() << "\n" << output(fresh);
        return {};
      }
      auto s = devnet::read_status(dir_);
      if (s.ok() && s->has_value() && (*s)->state == "ready") return **s;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "no \"ready\" within " << timeout.count() << " s\n" << output(fresh);
    return {};
  }

  void stop_devnet() {
    ASSERT_EQ(::kill(devnet_->pid(), SIGTERM), 0);
    auto st = devnet_->wait_for_exit(infra::deadline_in(seconds(90)));
    ASSERT_TRUE(st.has_value()) << "icn devnet did not stop within 90 s";
    EXPECT_TRUE(st->success()) << st->describe();
    devnet_.reset();
  }

  chain::Deployment deployment() {
    auto text = infra::read_file(dir_ / "deployment.json");
    EXPECT_TRUE(text.ok());
    auto d = chain::Deployment::parse(text.ok() ? *text : "");
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? *d : chain::Deployment{};
  }

  fs::path dir_;
  std::optional<infra::Subprocess> devnet_;
};

// Settlement as the roles read it (icn/chain), over a devnet's RPC.
struct SettlementView {
  eth::RpcClient rpc;
  std::optional<chain::SettlementContract> settlement;

  SettlementView(const std::string& url, const chain::Deployment& d) : rpc(url) {
    auto s = chain::SettlementContract::open(rpc, d, ICN_ARTIFACTS_DIR);
    EXPECT_TRUE(s.ok()) << s.error().message;
    if (s.ok()) settlement.emplace(std::move(s).value());
  }
  std::optional<uint64_t> last_committed() {
    auto r = settlement->last_committed_era();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::nullopt;
  }
  std::pair<Hash, Hash> era_roots(uint64_t era) {
    auto r = settlement->era_roots(era);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) return {};
    return {r->results_root, r->data_root};
  }
};

// Waits until at least `count` eras after `after` (or from the first) are committed; returns the
// last one.
uint64_t wait_committed(SettlementView& view, std::optional<uint64_t> after, uint64_t count,
                        seconds timeout) {
  infra::Deadline deadline = infra::deadline_in(timeout);
  while (infra::SteadyClock::now() < deadline) {
    auto last = view.last_committed();
    if (last && (after ? *last >= *after + count : *last + 1 >= count)) return *last;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ADD_FAILURE() << "fewer than " << count << " eras committed within " << timeout.count() << " s";
  return 0;
}

std::string hex_of(const Hash& h) {
  return to_hex(ByteView(h.data(), h.size()));
}

TEST_F(DevnetFunctionalTest, SettlesErasStopsAndResumesWithNothingLost) {
  start(true);
  devnet::DevnetStatus status = wait_ready(true, seconds(240));
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(status.processes.size(), 1u + 3 + 2 + 2 + 1) << status.to_json();
  for (const auto& p : status.processes) EXPECT_EQ(p.state, "running") << p.name;
  chain::Deployment d = deployment();
  SettlementView view(status.rpc_url, d);

  // `icn devnet status --json` names the current era; the two eras after it, run entirely by the
  // live network, get settled on chain by the committee, each root as every satellite publishes
  // it, with both ScalerNodes judged.
  CommandResult st =
      run_command({icn_path(), "devnet", "status", "--dir", dir_.string(), "--json"});
  ASSERT_EQ(st.exit_code, 0) << st.describe();
  json st_json = json::parse(st.out, nullptr, false);
  ASSERT_TRUE(st_json.is_object() && st_json["era"].is_number_unsigned()) << st.out;
  EXPECT_EQ(st_json["state"], "ready");
  uint64_t ready_era = st_json["era"].get<uint64_t>();
  uint64_t settled = wait_committed(view, ready_era, 2, seconds(180));
  ASSERT_FALSE(HasFailure()) << output(true);
  std::map<uint64_t, std::pair<Hash, Hash>> roots;
  for (uint64_t e = settled - 1; e <= settled; ++e) {
    roots[e] = view.era_roots(e);
    for (const auto& p : status.processes) {
      if (p.kind != "satellite") continue;
      infra::JsonHttpClient sat(p.url);
      auto published = sat.get("/v1/eras/" + std::to_string(e) + "/results");
      ASSERT_TRUE(published.ok()) << p.name << ": " << published.error().message;
      EXPECT_EQ((*published)["resultsRoot"], hex_of(roots[e].first)) << p.name << " era " << e;
      EXPECT_EQ((*published)["dataRoot"], hex_of(roots[e].second)) << p.name << " era " << e;
      EXPECT_EQ((*published)["nodes"].size(), 2u)
          << p.name << " era " << e << ": " << published->dump();
    }
  }

  // The Builder books a ScalerNode's capacity with its devnet key.
  auto topology_text = infra::read_file(dir_ / "devnet.json");
  ASSERT_TRUE(topology_text.ok());
  auto topology = devnet::Topology::parse(*topology_text);
  ASSERT_TRUE(topology.ok()) << topology.error().message;
  eth::RpcClient rpc(status.rpc_url);
  auto protocol = actions::Protocol::open(rpc, d, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(protocol.ok()) << protocol.error().message;
  const devnet::Account* builder = topology->account(devnet::kBuilderAccount);
  auto builder_key = infra::load_private_key(dir_ / builder->key_file());
  ASSERT_TRUE(builder_key.ok());
  eth::SenderOptions so;
  so.expected_chain_id = 31337;
  auto sender = eth::TransactionSender::create(rpc, *builder_key, so);
  ASSERT_TRUE(sender.ok()) << sender.error().message;
  uint64_t ninety_days = 90ull * 86400;
  auto quote = actions::quote_booking(*protocol, 1, U256(10), ninety_days);
  ASSERT_TRUE(quote.ok()) << quote.error().message;
  auto booking = actions::book_capacity(*protocol, *sender, 1, U256(10), ninety_days, quote->total,
                                        Bytes{1, 2, 3});
  ASSERT_TRUE(booking.ok()) << booking.error().message;
  auto balance_before = actions::icnt_balance(*protocol, builder->address);
  ASSERT_TRUE(balance_before.ok());
  uint64_t settled_before_stop = *view.last_committed();

  stop_devnet();
  ASSERT_FALSE(HasFailure());
  auto stopped = devnet::read_status(dir_);
  ASSERT_TRUE(stopped.ok() && stopped->has_value());
  EXPECT_EQ((*stopped)->state, "stopped");
  for (const auto& p : (*stopped)->processes) {
    EXPECT_FALSE(devnet::process_alive(p.pid)) << p.name << " outlived the devnet";
    EXPECT_EQ(p.state, "stopped") << p.name;
  }

  // Resumed: same chain (eras, booking, balances), and eras keep settling.
  start(false);
  status = wait_ready(false, seconds(120));
  ASSERT_FALSE(HasFailure());
  EXPECT_NE(output(false).find("resuming the devnet"), std::string::npos) << output(false);
  SettlementView resumed(status.rpc_url, d);
  ASSERT_TRUE(resumed.last_committed().has_value());
  EXPECT_GE(*resumed.last_committed(), settled_before_stop);
  for (const auto& [era, r] : roots) {
    EXPECT_EQ(resumed.era_roots(era), r) << "era " << era << " changed across the restart";
  }
  eth::RpcClient rpc2(status.rpc_url);
  auto protocol2 = actions::Protocol::open(rpc2, d, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(protocol2.ok()) << protocol2.error().message;
  auto balance_after = actions::icnt_balance(*protocol2, builder->address);
  ASSERT_TRUE(balance_after.ok());
  EXPECT_EQ(*balance_after, *balance_before);
  auto stored = actions::read_booking(*protocol2, *booking);
  ASSERT_TRUE(stored.ok()) << "the booking is gone after the restart: " << stored.error().message;
  EXPECT_EQ(stored->builder, builder->address);
  EXPECT_EQ(stored->status, actions::BookingStatus::kActive);

  wait_committed(resumed, settled_before_stop, 1, seconds(120));
  stop_devnet();
}

}  // namespace
}  // namespace icn::test
