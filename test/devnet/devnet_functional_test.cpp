// `icn devnet` end to end, as a person runs it: a fresh devnet with short eras settles eras on
// chain whose roots every satellite publishes; a Builder books; SIGTERM stops everything; a second
// run on the same directory resumes the chain and every store with nothing lost, and settles on.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

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
#include "test/support/devnet_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using std::chrono::seconds;

class DevnetFunctionalTest : public DevnetTest {
 protected:
  void start(bool fresh) {
    DevnetTest::start(
        fresh, DevnetCounts{.scaler_nodes = 2, .hyper_nodes = 2, .satellites = 3, .era_blocks = 8});
  }
};

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
      auto verdicts = sat.get("/v1/eras/" + std::to_string(e) + "/verdicts");
      ASSERT_TRUE(verdicts.ok()) << p.name << ": " << verdicts.error().message;
      EXPECT_EQ((*verdicts)["resultsRoot"], hex_of(roots[e].first)) << p.name << " era " << e;
      EXPECT_EQ((*verdicts)["nodes"].size(), 2u) << p.name << " era " << e;
    }
  }

  // The indexer reads the settled era's results from the satellites (verified against the
  // committed root): its verdict counts and each node's row appear.
  for (const auto& p : status.processes) {
    if (p.kind != "indexer") continue;
    infra::JsonHttpClient indexer(p.url);
    std::string path = "/v1/eras/" + std::to_string(settled);
    json era;
    auto deadline = std::chrono::steady_clock::now() + seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = indexer.get(path);
      if (r.ok() && (*r)["up"].is_number()) {
        era = *r;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));  // polling with a deadline
    }
    ASSERT_TRUE(era.is_object()) << "the indexer never read era " << settled << "'s results";
    EXPECT_EQ(era["results_root"], hex_of(roots[settled].first));
    EXPECT_EQ(
        era["up"].get<int64_t>() + era["down"].get<int64_t>() + era["maintenance"].get<int64_t>(),
        2)
        << era.dump();
    auto rows = indexer.get("/v1/scalernodes/1/eras");
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    bool found = false;
    for (const json& row : (*rows)["items"]) found = found || row["era"] == settled;
    EXPECT_TRUE(found) << rows->dump();
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
