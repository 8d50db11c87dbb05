// A daemon killed between its challenges to two HyperNodes (the first answered, the second frozen
// with SIGSTOP so the window is deterministic) and restarted in the same era: its durable challenge
// store keeps each HyperNode's challenge, so it does not challenge the first HyperNode again with
// another nonce and re-sends the second the same challenge; the era's batches at the satellite
// agree (the daemon's entries carry the stored nonces, each HyperNode lists exactly that hash).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "icn/core/era_publication.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/sqlite.hpp"
#include "icn/infra/subprocess.hpp"
#include "test/support/command.hpp"
#include "test/support/devnet_fixture.hpp"

namespace icn::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// The daemon's stored challenge per HyperNode id for one era: its status and signed challenge.
struct StoredChallenge {
  std::string status;
  protocol::SignedChallenge challenge;
  std::string text;     // as stored: a new nonce or time would change it
  Hash challenge_hash;  // what the HyperNode signs and lists in its batch
};

std::map<U256, StoredChallenge> stored_challenges(const fs::path& db_file, uint64_t era) {
  std::map<U256, StoredChallenge> out;
  auto db = infra::Database::open(db_file);
  if (!db) return out;  // not created yet
  auto q = db->prepare(
      "SELECT hyper_node_id, status, challenge, challenge_hash FROM challenges WHERE era = ?1");
  if (!q) return out;
  q->bind(1, int64_t(era));
  while (true) {
    auto row = q->step();
    if (!row.ok() || !*row) break;
    auto challenge = protocol::decode_signed_challenge(q->column_text(2));
    EXPECT_TRUE(challenge.ok()) << challenge.error().message;
    if (!challenge) continue;
    Bytes hash = q->column_blob(3);
    EXPECT_EQ(hash.size(), 32u);
    StoredChallenge c{q->column_text(1), *challenge, q->column_text(2), Hash{}};
    std::copy_n(hash.begin(), std::min<size_t>(32, hash.size()), c.challenge_hash.begin());
    out[*parse_u256(q->column_text(0))] = std::move(c);
  }
  return out;
}

int read_pid(const fs::path& dir) {
  auto text = infra::read_file(dir / "pid");
  EXPECT_TRUE(text.ok()) << (dir / "pid");
  return text.ok() ? std::stoi(*text) : -1;
}

class DaemonRestartTest : public DevnetTest {
 protected:
  DaemonRestartTest() : DevnetTest("icn-daemon-restart") {}
  void TearDown() override {
    if (frozen_pid_ > 0) ::kill(frozen_pid_, SIGCONT);  // never leave a stopped process behind
    if (restarted_) restarted_->terminate(std::chrono::milliseconds(10000));
    DevnetTest::TearDown();
  }
  int frozen_pid_ = -1;
  std::optional<infra::Subprocess> restarted_;
};

TEST_F(DaemonRestartTest, KilledBetweenTwoHyperNodesKeepsEachChallengeAfterRestart) {
  // One daemon, two HyperNodes, one satellite; 30 s eras leave room for a kill and a restart.
  start(true, DevnetCounts{1, 2, 1, 30});
  devnet::DevnetStatus status = wait_ready(true, seconds(240));
  ASSERT_FALSE(HasFailure());
  devnet::Topology topo = topology();
  std::vector<const devnet::Role*> hyper_nodes = topo.roles_of(devnet::RoleKind::kHyperNode);
  ASSERT_EQ(hyper_nodes.size(), 2u);
  // The daemon challenges the era's HyperNodes in ascending id order.
  std::sort(hyper_nodes.begin(), hyper_nodes.end(),
            [](const auto* a, const auto* b) { return a->chain_id < b->chain_id; });
  const devnet::Role& first = *hyper_nodes[0];
  const devnet::Role& second = *hyper_nodes[1];
  const devnet::Role* daemon = topo.roles_of(devnet::RoleKind::kDaemon).at(0);
  const devnet::Role* satellite = topo.roles_of(devnet::RoleKind::kSatellite).at(0);
  const fs::path daemon_db = dir_ / daemon->name / "data" / "daemon.db";

  // Freeze the second HyperNode ahead of the daemon's challenge moment in era K.
  infra::JsonHttpClient daemon_api(daemon->url());
  std::optional<uint64_t> era;
  infra::Deadline deadline = infra::deadline_in(seconds(120));
  while (!era && infra::SteadyClock::now() < deadline) {
    auto s = daemon_api.get("/v1/status");
    if (s.ok() && (*s)["challengeBlock"].is_number_unsigned() &&
        (*s)["challengeBlock"].get<uint64_t>() >= (*s)["headBlock"].get<uint64_t>() + 2 &&
        stored_challenges(daemon_db, (*s)["era"].get<uint64_t>()).empty()) {
      era = (*s)["era"].get<uint64_t>();
      frozen_pid_ = read_pid(dir_ / second.name);
      ASSERT_EQ(::kill(frozen_pid_, SIGSTOP), 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(era) << "the daemon never showed a challenge moment 2 blocks ahead";
  const uint64_t k = *era;

  // The first HyperNode answered, the second's challenge is stored and unanswered: kill now.
  std::map<U256, StoredChallenge> before;
  deadline = infra::deadline_in(seconds(60));
  while (infra::SteadyClock::now() < deadline) {
    before = stored_challenges(daemon_db, k);
    if (before.count(first.chain_id) && before.at(first.chain_id).status == "ok" &&
        before.count(second.chain_id)) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(before.count(first.chain_id) && before.count(second.chain_id))
      << "era " << k << ": the daemon did not reach the second HyperNode";
  ASSERT_EQ(before.at(first.chain_id).status, "ok");
  ASSERT_EQ(before.at(second.chain_id).status, "pending");  // frozen: no answer can have come
  const int daemon_pid = read_pid(dir_ / daemon->name);
  ASSERT_EQ(::kill(daemon_pid, SIGKILL), 0);
  infra::Deadline gone = infra::deadline_in(seconds(10));
  while (devnet::process_alive(daemon_pid) && infra::SteadyClock::now() < gone) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(devnet::process_alive(daemon_pid));

  // Restart it (still in era K), then let the second HyperNode run again.
  infra::SubprocessOptions o;
  o.argv = {icn_path(), "daemon", "--config", (dir_ / daemon->name / "daemon.toml").string()};
  o.stdout_to = infra::OutputTarget::to_file(dir_.string() + "-restarted.log");
  o.stderr_to = infra::OutputTarget::into_stdout();
  auto p = infra::Subprocess::spawn(o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  restarted_.emplace(std::move(p).value());
  ASSERT_EQ(::kill(frozen_pid_, SIGCONT), 0);
  frozen_pid_ = -1;

  // The era's batches at the satellite: the daemon's and both HyperNodes'.
  std::optional<protocol::DaemonBatch> daemon_batch;
  std::map<U256, protocol::HyperNodeBatch> hyper_node_batches;
  infra::JsonHttpClient sat(satellite->url());
  deadline = infra::deadline_in(seconds(150));
  while (infra::SteadyClock::now() < deadline) {
    auto body = sat.get("/v1/eras/" + std::to_string(k) + "/batches");
    if (body.ok()) {
      auto published = protocol::decode_published_batches(*body, protocol::WireLimits{});
      ASSERT_TRUE(published.ok()) << published.error().message;
      daemon_batch.reset();
      hyper_node_batches.clear();
      for (auto& b : published->batches) {
        EXPECT_FALSE(b.equivocation) << "era " << k;
        if (auto* d = std::get_if<protocol::DaemonBatch>(&b.batch)) {
          daemon_batch = *d;
        } else {
          auto& h = std::get<protocol::HyperNodeBatch>(b.batch);
          hyper_node_batches[h.hyper_node_id] = h;
        }
      }
      if (daemon_batch && hyper_node_batches.size() == 2) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(daemon_batch && hyper_node_batches.size() == 2)
      << "era " << k << ": batches incomplete at the satellite\n"
      << infra::read_file(dir_.string() + "-restarted.log").value_or("");

  // The restarted daemon kept both stored challenges: same text (nonce, daemonTime, signature).
  std::map<U256, StoredChallenge> after = stored_challenges(daemon_db, k);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after.at(first.chain_id).text, before.at(first.chain_id).text)
      << "the first HyperNode was challenged again";
  EXPECT_EQ(after.at(first.chain_id).status, "ok");
  EXPECT_EQ(after.at(second.chain_id).text, before.at(second.chain_id).text)
      << "the second HyperNode got a new challenge instead of the stored one";

  // The daemon's batch carries the stored nonces; each HyperNode lists that challenge's hash and no
  // other of this daemon (one daemon in this devnet: its batch is at most that one hash).
  const protocol::Challenge& c1 = before.at(first.chain_id).challenge.challenge;
  const protocol::Challenge& c2 = before.at(second.chain_id).challenge.challenge;
  std::map<U256, protocol::DaemonEntry> entries;
  for (const auto& e : daemon_batch->entries) entries[e.hyper_node_id] = e;
  ASSERT_TRUE(entries.count(first.chain_id)) << "the first HyperNode's answer is not reported";
  EXPECT_EQ(entries.at(first.chain_id).nonce, c1.nonce);
  if (entries.count(second.chain_id)) {
    EXPECT_EQ(entries.at(second.chain_id).nonce, c2.nonce);
  }

  const protocol::HyperNodeBatch& h1 = hyper_node_batches.at(first.chain_id);
  const protocol::HyperNodeBatch& h2 = hyper_node_batches.at(second.chain_id);
  ASSERT_EQ(h1.challenge_hashes.size(), 1u) << "the first HyperNode answered twice in era " << k;
  EXPECT_EQ(h1.challenge_hashes[0], before.at(first.chain_id).challenge_hash);
  EXPECT_LE(h2.challenge_hashes.size(), 1u) << "the second HyperNode answered twice in era " << k;
  for (const Hash& h : h2.challenge_hashes) {
    EXPECT_EQ(h, before.at(second.chain_id).challenge_hash)
        << "a challenge the daemon never stored";
  }
  (void)status;
}

}  // namespace
}  // namespace icn::test
