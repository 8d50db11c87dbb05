// Daemons and HyperNodes as real processes (`icn devnet`, 3 daemons × 2 HyperNodes, short eras):
// every response in the satellites' published daemon batches verifies against the HyperNode's
// registered key and every batch of every role lands; a daemon killed before its era moment
// leaves that era without its challenges on the HyperNodes' side and without a batch of its own
// (its durable store has nothing of the era), and once restarted it challenges and reports again.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "icn/chain/deployment.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/core/era_publication.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/devnet/status.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/sqlite.hpp"
#include "icn/infra/subprocess.hpp"
#include "test/support/command.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using std::chrono::seconds;

constexpr int kDaemons = 3;
constexpr int kHyperNodes = 2;

// One era as the satellites publish it: per originator id, its batch.
struct EraBatches {
  std::map<U256, protocol::DaemonBatch> daemons;
  std::map<U256, protocol::HyperNodeBatch> hyper_nodes;
};

class DaemonHyperNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("icn-daemon-hypernode-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    if (restarted_) restarted_->terminate(std::chrono::milliseconds(10000));
    if (devnet_) devnet_->terminate(std::chrono::milliseconds(30000));
    if (!HasFailure()) fs::remove_all(dir_);  // kept for the logs otherwise
  }

  std::string log() {
    auto text = infra::read_file(dir_.string() + ".log");
    return text ? *text : "";
  }

  devnet::DevnetStatus start_devnet() {
    infra::SubprocessOptions o;
    o.argv = {icn_path(),      "devnet",
              "--dir",         dir_.string(),
              "--scalernodes", std::to_string(kDaemons),
              "--hypernodes",  std::to_string(kHyperNodes),
              "--satellites",  "3",
              "--era-blocks",  "8",
              "--fresh"};
    o.stdout_to = infra::OutputTarget::to_file(dir_.string() + ".log");
    o.stderr_to = infra::OutputTarget::into_stdout();
    auto p = infra::Subprocess::spawn(o);
    EXPECT_TRUE(p.ok()) << p.error().message;
    if (!p.ok()) return {};
    devnet_.emplace(std::move(p).value());
    infra::Deadline deadline = infra::deadline_in(seconds(240));
    while (infra::SteadyClock::now() < deadline) {
      if (auto exited = devnet_->try_wait()) {
        ADD_FAILURE() << "icn devnet exited: " << exited->describe() << "\n" << log();
        return {};
      }
      auto s = devnet::read_status(dir_);
      if (s.ok() && s->has_value() && (*s)->state == "ready") return **s;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "no \"ready\" within 240 s\n" << log();
    return {};
  }

  // The era's batches as every satellite publishes them (identical on each), once `complete`
  // says they are all there (fails the test at the deadline).
  EraBatches wait_batches(uint64_t era, const std::function<bool(const EraBatches&)>& complete,
                          seconds timeout) {
    infra::Deadline deadline = infra::deadline_in(timeout);
    EraBatches first;
    while (infra::SteadyClock::now() < deadline) {
      bool all = true;
      std::optional<EraBatches> seen;
      for (const std::string& url : satellites_) {
        EraBatches b = published(url, era);
        if (!complete(b)) {
          all = false;
          break;
        }
        if (!seen) seen = b;
      }
      if (all && seen) return *seen;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    ADD_FAILURE() << "era " << era << ": batches incomplete at the satellites after "
                  << timeout.count() << " s";
    return published(satellites_.front(), era);
  }

  EraBatches published(const std::string& satellite, uint64_t era) {
    EraBatches out;
    infra::JsonHttpClient client(satellite);
    auto body = client.get("/v1/eras/" + std::to_string(era) + "/batches");
    if (!body.ok()) return out;
    auto decoded = protocol::decode_published_batches(*body, protocol::WireLimits{});
    EXPECT_TRUE(decoded.ok()) << decoded.error().message;
    if (!decoded.ok()) return out;
    for (auto& b : decoded->batches) {
      EXPECT_FALSE(b.equivocation) << satellite << " era " << era;
      if (auto* d = std::get_if<protocol::DaemonBatch>(&b.batch)) {
        out.daemons[d->scaler_node_id] = *d;
      } else {
        auto& h = std::get<protocol::HyperNodeBatch>(b.batch);
        out.hyper_nodes[h.hyper_node_id] = h;
      }
    }
    return out;
  }

  // Every daemon entry's HyperNode signature verifies against that HyperNode's registered key,
  // and its challenge hash is in that HyperNode's batch. Returns the hashes per HyperNode that
  // come from daemon batches.
  std::map<U256, std::set<Hash>> check_entries(uint64_t era, const EraBatches& b) {
    std::map<U256, std::set<Hash>> hashes;
    for (const auto& [node, batch] : b.daemons) {
      for (const auto& e : batch.entries) {
        protocol::Challenge c{era, node, e.hyper_node_id, e.nonce, e.daemon_time};
        Hash challenge_hash = protocol::signing_digest(domain_, c);
        protocol::SignedChallengeResponse r{{challenge_hash, e.hyper_node_time},
                                            e.hyper_node_signature};
        if (!signers_.count(e.hyper_node_id)) {
          ADD_FAILURE() << "unknown HyperNode " << to_decimal(e.hyper_node_id);
          continue;
        }
        Status ok = protocol::verify(domain_, r, signers_.at(e.hyper_node_id));
        EXPECT_TRUE(ok.ok()) << "era " << era << " node " << to_decimal(node) << " HyperNode "
                             << to_decimal(e.hyper_node_id) << ": " << ok.error().message;
        hashes[e.hyper_node_id].insert(challenge_hash);
        auto hn = b.hyper_nodes.find(e.hyper_node_id);
        if (hn == b.hyper_nodes.end()) {
          ADD_FAILURE() << "era " << era << ": no batch of HyperNode "
                        << to_decimal(e.hyper_node_id);
          continue;
        }
        const auto& listed = hn->second.challenge_hashes;
        EXPECT_NE(std::find(listed.begin(), listed.end(), challenge_hash), listed.end())
            << "era " << era << ": HyperNode " << to_decimal(e.hyper_node_id) << " omits node "
            << to_decimal(node) << "'s challenge";
      }
    }
    return hashes;
  }

  uint64_t head_era() {
    auto head = reader_->head_block();
    EXPECT_TRUE(head.ok());
    auto era = reader_->era_at(head.ok() ? *head : 0);
    return era.ok() ? *era : 0;
  }

  fs::path dir_;
  std::optional<infra::Subprocess> devnet_, restarted_;
  std::vector<std::string> satellites_;
  std::map<U256, Address> signers_;
  Hash domain_{};
  std::optional<eth::RpcClient> rpc_;
  std::optional<chain::ProtocolReader> reader_;
};

TEST_F(DaemonHyperNodeTest, ResponsesVerifyAndAKilledDaemonLeavesAGapThenResumes) {
  devnet::DevnetStatus status = start_devnet();
  ASSERT_FALSE(HasFailure());
  std::map<std::string, std::string> daemon_urls;
  for (const auto& p : status.processes) {
    if (p.kind == "satellite") satellites_.push_back(p.url);
    if (p.kind == "daemon") daemon_urls[p.name] = p.url;
  }
  ASSERT_EQ(satellites_.size(), 3u);
  ASSERT_EQ(daemon_urls.size(), size_t(kDaemons));
  auto deployment_text = infra::read_file(dir_ / "deployment.json");
  ASSERT_TRUE(deployment_text.ok());
  auto deployment = chain::Deployment::parse(*deployment_text);
  ASSERT_TRUE(deployment.ok()) << deployment.error().message;
  rpc_.emplace(status.rpc_url);
  auto reader = chain::ProtocolReader::open(*rpc_, *deployment, ICN_ARTIFACTS_DIR);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  reader_.emplace(std::move(reader).value());
  domain_ = protocol::domain_separator(U256(reader_->chain_id()), reader_->settlement());
  auto head = reader_->head_block();
  ASSERT_TRUE(head.ok());
  auto hyper_nodes = reader_->hyper_nodes(*head);
  ASSERT_TRUE(hyper_nodes.ok()) << hyper_nodes.error().message;
  ASSERT_EQ(hyper_nodes->size(), size_t(kHyperNodes));
  for (const auto& hn : *hyper_nodes) signers_[hn.id] = hn.signer;

  // Two eras run entirely by the live network: 3 daemon batches with 2 verified entries each, 2
  // HyperNode batches with 3 hashes each, at every satellite.
  const uint64_t first = head_era() + 1;
  auto everything = [](const EraBatches& b) {
    if (b.daemons.size() != size_t(kDaemons) || b.hyper_nodes.size() != size_t(kHyperNodes))
      return false;
    for (const auto& [id, d] : b.daemons)
      if (d.entries.size() != size_t(kHyperNodes)) return false;
    return true;
  };
  for (uint64_t era = first; era < first + 2; ++era) {
    EraBatches b = wait_batches(era, everything, seconds(90));
    ASSERT_FALSE(HasFailure()) << log();
    auto hashes = check_entries(era, b);
    for (const auto& [id, hn] : b.hyper_nodes) {
      EXPECT_EQ(std::set<Hash>(hn.challenge_hashes.begin(), hn.challenge_hashes.end()), hashes[id])
          << "era " << era << " HyperNode " << to_decimal(id);
    }
  }

  // daemon-1 is killed in era K before its moment (its status names the moment ahead).
  const std::string victim = "daemon-1";
  auto pid_text = infra::read_file(dir_ / victim / "pid");
  ASSERT_TRUE(pid_text.ok());
  const int pid = std::stoi(*pid_text);
  infra::JsonHttpClient victim_api(daemon_urls.at(victim));
  std::optional<uint64_t> killed_era;
  infra::Deadline deadline = infra::deadline_in(seconds(90));
  while (!killed_era && infra::SteadyClock::now() < deadline) {
    auto s = victim_api.get("/v1/status");
    if (s.ok() && (*s)["challengeBlock"].is_number_unsigned() &&
        (*s)["challengeBlock"].get<uint64_t>() >= (*s)["headBlock"].get<uint64_t>() + 2) {
      killed_era = (*s)["era"].get<uint64_t>();
      ASSERT_EQ(::kill(pid, SIGKILL), 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(killed_era) << "daemon-1 never showed a challenge moment 2 blocks ahead";
  infra::Deadline gone = infra::deadline_in(seconds(10));
  while (devnet::process_alive(pid) && infra::SteadyClock::now() < gone) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(devnet::process_alive(pid));
  const uint64_t k = *killed_era;
  auto victim_config = infra::read_file(dir_ / victim / "daemon.toml");
  ASSERT_TRUE(victim_config.ok());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*victim_config, m,
                                std::regex(R"re(scaler_node_id\s*=\s*["'](\d+)["'])re")));
  const U256 victim_id = *parse_u256(m[1].str());

  // Its durable store holds nothing of era K: it was killed before challenging.
  {
    auto db = infra::Database::open(dir_ / victim / "data" / "daemon.db");
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto q = db->prepare("SELECT COUNT(*) FROM challenges WHERE era = ?1");
    ASSERT_TRUE(q.ok());
    q->bind(1, int64_t(k));
    ASSERT_TRUE(q->step().ok());
    EXPECT_EQ(q->column_int64(0), 0);
    auto id = db->prepare("SELECT COUNT(*) FROM eras WHERE era = ?1");
    ASSERT_TRUE(id.ok());
    id->bind(1, int64_t(k));
    ASSERT_TRUE(id->step().ok());
    EXPECT_EQ(id->column_int64(0), 0);
  }

  // Era K at the satellites: the two live daemons and both HyperNodes report; the HyperNodes
  // answered exactly the live daemons' challenges (daemon-1's failed challenge: absent), and
  // daemon-1 has no batch.
  auto live_complete = [](const EraBatches& b) {
    if (b.daemons.size() != size_t(kDaemons - 1) || b.hyper_nodes.size() != size_t(kHyperNodes))
      return false;
    for (const auto& [id, d] : b.daemons)
      if (d.entries.size() != size_t(kHyperNodes)) return false;
    return true;
  };
  EraBatches gap = wait_batches(k, live_complete, seconds(90));
  ASSERT_FALSE(HasFailure()) << log();
  auto live_hashes = check_entries(k, gap);
  for (const auto& [id, hn] : gap.hyper_nodes) {
    EXPECT_EQ(hn.challenge_hashes.size(), size_t(kDaemons - 1)) << to_decimal(id);
    EXPECT_EQ(std::set<Hash>(hn.challenge_hashes.begin(), hn.challenge_hashes.end()),
              live_hashes[id]);
  }
  EXPECT_FALSE(gap.daemons.count(victim_id)) << "the killed daemon reported era " << k;

  // Restarted (after era K ended), it reports nothing for K and challenges again from the next
  // era whose moment is ahead of it.
  while (head_era() <= k) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  infra::SubprocessOptions o;
  o.argv = {icn_path(), "daemon", "--config", (dir_ / victim / "daemon.toml").string()};
  o.stdout_to = infra::OutputTarget::to_file(dir_.string() + "-restarted.log");
  o.stderr_to = infra::OutputTarget::into_stdout();
  auto p = infra::Subprocess::spawn(o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  restarted_.emplace(std::move(p).value());
  const uint64_t resumed = head_era() + 1;
  EraBatches back = wait_batches(resumed, everything, seconds(90));
  ASSERT_FALSE(HasFailure()) << log()
                             << infra::read_file(dir_.string() + "-restarted.log").value_or("");
  check_entries(resumed, back);
  for (const std::string& url : satellites_) {
    EraBatches again = published(url, k);
    EXPECT_EQ(again.daemons.size(), size_t(kDaemons - 1)) << url << ": era " << k;
    EXPECT_FALSE(again.daemons.count(victim_id)) << url << ": era " << k;
  }
}

}  // namespace
}  // namespace icn::test
