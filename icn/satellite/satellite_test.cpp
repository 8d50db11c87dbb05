// The satellite against a fake ChainView: every ingest rejection, idempotent duplicates,
// equivocation evidence, durability across a reopen, anti-entropy between peers (gaps filled,
// waiting for peers, garbage from a peer counted and ignored), roots equal to core's own
// computation (3 ScalerNodes × 2 HyperNodes with real signed batches), signature exchange between
// two satellites on loopback reaching the threshold, a disagreeing peer, and the submit decision.
#include "icn/satellite/satellite.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "icn/core/keccak.hpp"
#include "icn/core/merkle.hpp"
#include "icn/infra/log.hpp"
#include "icn/satellite/test_support.hpp"

namespace icn::satellite {
namespace {

using infra::HttpRequest;
using infra::HttpResponse;
using nlohmann::json;
using protocol::DaemonBatch;
using protocol::DaemonEntry;
using protocol::HyperNodeBatch;

constexpr uint64_t kChainId = 31337;
const Address kSettlement = *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
constexpr uint64_t kEraLength = 20;
constexpr uint64_t kEra = 3;
constexpr uint64_t kGrace = 5;

PrivateKey key(uint8_t group, uint8_t index) {
  FixedBytes<32> secret{};
  secret[30] = group;
  secret[31] = index + 1;
  return *PrivateKey::from_bytes(secret);
}
U256 hn_id(size_t h) {
  return h + 1;
}
U256 node_id(size_t n) {
  return n + 101;
}
PrivateKey hn_key(size_t h) {
  return key(1, uint8_t(h));
}
PrivateKey daemon_key(size_t n) {
  return key(2, uint8_t(n));
}
PrivateKey member_key(size_t m) {
  return key(3, uint8_t(m));
}

// The shared fake with this file's nodes, HyperNodes and committee.
class FakeChain : public testing::FakeChainView {
 public:
  FakeChain(size_t n_nodes, size_t n_hns) {
    chain_id_ = kChainId;
    settlement_ = kSettlement;
    era_length = kEraLength;
    for (size_t n = 0; n < n_nodes; ++n) {
      chain::ScalerNodeInfo info;
      info.id = node_id(n);
      info.status = chain::ScalerNodeStatus::kValidated;
      info.daemon = daemon_key(n).address();
      nodes[info.id] = info;
    }
    for (size_t h = 0; h < n_hns; ++h) {
      chain::HyperNodeInfo info;
      info.id = hn_id(h);
      info.signer = hn_key(h).address();
      info.active = true;
      hns[info.id] = info;
    }
    committee_.members = {member_key(0).address(), member_key(1).address()};
    committee_.threshold = 2;
  }
  void close_era(uint64_t era) { head = (era + 1) * kEraLength; }            // grace open
  void pass_grace(uint64_t era) { head = (era + 1) * kEraLength + kGrace; }  // computable
};

// Economics a test chooses: every judged node booked at 1,000 per era with a 50 subsidy.
class FakeEconomics : public EconomicsSource {
 public:
  Result<protocol::EraEconomics> economics(const chain::EraBounds&,
                                           const protocol::EraVerdicts& verdicts) override {
    protocol::EraEconomics out;
    for (const auto& n : verdicts.scaler_nodes) {
      if (n.verdict == protocol::Verdict::kNone) continue;
      protocol::NodeEconomics e;
      e.node_id = n.id;
      e.booking_id = n.id * 10;
      e.price_per_era = 1000;
      e.subsidy_per_era = 50;
      e.collateral = 1'000'000;
      out.nodes.push_back(e);
    }
    protocol::LinkBundleEconomics bundle;
    bundle.bundle_id = 9;
    bundle.hyper_node_id = hn_id(0);
    bundle.links = 4;
    bundle.reward_per_link_per_era = 25;
    out.bundles.push_back(bundle);
    return out;
  }
};

// Records what would be sent; Settlement's slash record per node is a map a test sets, and
// applySlash raises it as the contract would (or reverts StaleLeaf when told another member won).
class RecordingSubmitter : public Submitter {
 public:
  struct SlashCall {
    uint64_t era;
    protocol::NodeLeaf leaf;
    std::vector<Hash> proof;
  };
  std::vector<std::pair<protocol::EraResult, size_t>> calls;
  std::vector<SlashCall> slash_calls;
  std::map<U256, U256> slash_recorded_on_chain;
  bool slash_reverts_stale = false;  // another member's applySlash lands between read and send
  size_t slash_reads = 0;
  Result<Hash> commit_era(const protocol::EraResult& result,
                          const std::vector<Signature>& signatures) override {
    calls.push_back({result, signatures.size()});
    return keccak256("tx");
  }
  Result<U256> slash_recorded(const U256& node_id) override {
    ++slash_reads;
    auto it = slash_recorded_on_chain.find(node_id);
    return it == slash_recorded_on_chain.end() ? U256(0) : it->second;
  }
  Result<Hash> apply_slash(uint64_t era, const protocol::NodeLeaf& leaf,
                           const std::vector<Hash>& proof) override {
    slash_calls.push_back({era, leaf, proof});
    if (slash_reverts_stale) {
      return fail("Settlement.applySlash: transaction reverted: StaleLeaf(id=" +
                  to_decimal(leaf.node_id) + ")");
    }
    slash_recorded_on_chain[leaf.node_id] = leaf.slashed;
    return keccak256("slash");
  }
};

Hash domain() {
  return protocol::domain_separator(kChainId, kSettlement);
}

DaemonEntry entry(size_t n, size_t h, uint64_t era) {
  DaemonEntry e;
  e.hyper_node_id = hn_id(h);
  e.nonce = keccak256(std::to_string(n) + "/" + std::to_string(h) + "/" + std::to_string(era));
  e.daemon_time = 1000;
  e.rtt_ms = 20;
  e.hyper_node_time = 1001;
  e.daemon_signature =
      sign_hash(daemon_key(n),
                protocol::signing_digest(domain(), protocol::challenge_of(e, era, node_id(n))));
  e.hyper_node_signature = sign_hash(
      hn_key(h),
      protocol::signing_digest(domain(), protocol::response_of(domain(), e, era, node_id(n))));
  return e;
}

// Every node challenges every HyperNode and both sides report honestly.
struct EraBatches {
  std::vector<DaemonBatch> daemons;
  std::vector<HyperNodeBatch> hyper_nodes;
  std::vector<std::string> bodies() const {
    std::vector<std::string> out;
    for (const auto& b : daemons) out.push_back(protocol::encode(b));
    for (const auto& b : hyper_nodes) out.push_back(protocol::encode(b));
    return out;
  }
};

EraBatches honest_era(size_t n_nodes, size_t n_hns, uint64_t era) {
  EraBatches out;
  out.hyper_nodes.resize(n_hns);
  for (size_t h = 0; h < n_hns; ++h) out.hyper_nodes[h] = {hn_id(h), "icn/test", era, {}, {}};
  for (size_t n = 0; n < n_nodes; ++n) {
    DaemonBatch b{node_id(n), "icn/test", era, {}, {}};
    for (size_t h = 0; h < n_hns; ++h) {
      DaemonEntry e = entry(n, h, era);
      out.hyper_nodes[h].challenge_hashes.push_back(
          protocol::challenge_hash(domain(), e, era, node_id(n)));
      b.entries.push_back(e);
    }
    EXPECT_TRUE(protocol::sign_batch(domain(), b, daemon_key(n)));
    out.daemons.push_back(std::move(b));
  }
  for (size_t h = 0; h < n_hns; ++h) {
    EXPECT_TRUE(protocol::sign_batch(domain(), out.hyper_nodes[h], hn_key(h)));
  }
  return out;
}

std::string error_code(const HttpResponse& r) {
  auto body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "(no error: " + r.body + ")";
  return body["error"]["code"].get<std::string>();
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("icn-satellite-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// One satellite with its own store, metrics and (optionally) peers.
struct Node {
  FakeChain& chain;
  std::filesystem::path db_file;
  FakeEconomics economics;
  testing::NoMaintenance maintenance;
  RecordingSubmitter submitter;
  infra::MetricsRegistry metrics;
  std::optional<BatchStore> store;
  std::unique_ptr<Satellite> satellite;
  SatelliteOptions options;
  size_t member;

  Node(FakeChain& c, std::filesystem::path file, size_t member_index = 0,
       std::vector<std::string> peers = {})
      : chain(c), db_file(std::move(file)), member(member_index) {
    options.grace_blocks = kGrace;
    options.first_era = kEra;
    options.submit_timeout_blocks = 10;
    options.peers = std::move(peers);
    options.push_backoff_initial = std::chrono::milliseconds(0);  // retry on every tick
    options.push_backoff_max = std::chrono::milliseconds(0);
    options.fill = false;  // anti-entropy has its own tests; these compute at the grace's end
    open();
  }
  void open() {
    satellite.reset();
    store.reset();
    auto s = BatchStore::open(db_file);
    EXPECT_TRUE(s) << s.error().message;
    store.emplace(std::move(*s));
    satellite = std::make_unique<Satellite>(chain, *store, member_key(member), economics,
                                            maintenance, &submitter, metrics, options);
  }
  HttpResponse post(const std::string& body) {
    return satellite->post_batch(HttpRequest::for_test("POST", "/v1/batches", body));
  }
  std::string exposition() const { return metrics.exposition(); }
};

TEST(Satellite, IngestRejectsEachReason) {
  FakeChain chain(3, 2);
  chain.nodes[node_id(2)].status = chain::ScalerNodeStatus::kRegistered;  // not in service
  chain.hns[hn_id(1)].active = false;
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  EraBatches era = honest_era(3, 2, kEra);

  chain.head = kEra * kEraLength + 3;  // inside the era
  auto r = node.post(protocol::encode(era.daemons[0]));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "era_not_closed");

  chain.close_era(kEra);
  r = node.post("{\"era\":1}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "invalid_batch");

  DaemonBatch unknown = era.daemons[0];
  unknown.scaler_node_id = 999;
  ASSERT_TRUE(protocol::sign_batch(domain(), unknown, daemon_key(0)));
  r = node.post(protocol::encode(unknown));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "unknown_originator");

  r = node.post(protocol::encode(era.daemons[2]));
  EXPECT_EQ(error_code(r), "originator_inactive");
  r = node.post(protocol::encode(era.hyper_nodes[1]));
  EXPECT_EQ(error_code(r), "originator_inactive");

  DaemonBatch forged = era.daemons[1];
  ASSERT_TRUE(protocol::sign_batch(domain(), forged, daemon_key(0)));  // another node's key
  r = node.post(protocol::encode(forged));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "bad_signature");

  DaemonBatch early = era.daemons[0];
  early.era = kEra - 1;  // before first_era
  ASSERT_TRUE(protocol::sign_batch(domain(), early, daemon_key(0)));
  EXPECT_EQ(error_code(node.post(protocol::encode(early))), "submission_closed");

  chain.pass_grace(kEra);
  r = node.post(protocol::encode(era.daemons[0]));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "submission_closed");

  // Nothing was stored by any of them.
  auto stored = node.store->era_batches(kEra);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->empty());
  auto metrics = node.exposition();
  EXPECT_NE(metrics.find("icn_satellite_batches_rejected_total{reason=\"bad_signature\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("icn_satellite_batches_rejected_total{reason=\"originator_inactive\"} 2"),
            std::string::npos);
}

TEST(Satellite, DuplicateIsIdempotentAndEquivocationIsEvidence) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);

  std::string body = protocol::encode(era.daemons[0]);
  auto first = node.post(body);
  ASSERT_EQ(first.status, 200) << first.body;
  std::string hash = to_hex(protocol::batch_hash(era.daemons[0]));
  EXPECT_EQ(json::parse(first.body)["hash"], hash);

  // The same batch with other whitespace and key order is the same content: a duplicate.
  json reordered = json::parse(body);
  auto again = node.post(reordered.dump(2));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "duplicate");
  EXPECT_EQ(json::parse(again.body)["hash"], hash);
  ASSERT_EQ(node.store->era_batches(kEra)->size(), 1u);

  DaemonBatch other = era.daemons[0];
  other.version = "icn/other";
  ASSERT_TRUE(protocol::sign_batch(domain(), other, daemon_key(0)));
  auto eq = node.post(protocol::encode(other));
  EXPECT_EQ(eq.status, 409);
  EXPECT_EQ(error_code(eq), "equivocation");
  EXPECT_EQ(json::parse(eq.body)["firstHash"], hash);
  auto stored = *node.store->era_batches(kEra);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(std::count_if(stored.begin(), stored.end(), [](auto& b) { return b.equivocation; }), 1);
  EXPECT_NE(node.exposition().find("icn_satellite_equivocations_total 1"), std::string::npos);

  // The equivocating node's batches are both rejected by the verdict (rule 1): it is DOWN.
  for (size_t n = 1; n < 3; ++n) ASSERT_EQ(node.post(protocol::encode(era.daemons[n])).status, 200);
  for (const auto& h : era.hyper_nodes) ASSERT_EQ(node.post(protocol::encode(h)).status, 200);
  chain.pass_grace(kEra);
  ASSERT_TRUE(node.satellite->compute_era(kEra));
  auto result = *node.store->era_result(kEra);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->state.nodes.at(node_id(0)).utilisation, 0);
  EXPECT_EQ(result->state.nodes.at(node_id(1)).utilisation, 1000);
}

// What core computes directly from the same batches, chain and economics.
struct Expected {
  Hash results_root, data_root;
  protocol::EraState state;
  protocol::EraVerdicts verdicts;
};
Expected compute_directly(FakeChain& chain, const EraBatches& era, protocol::EraState previous) {
  protocol::EraVerdictInput in;
  in.era = era.daemons[0].era;
  in.domain = domain();
  for (const auto& [id, h] : chain.hns) {
    if (h.active) in.hyper_nodes.push_back({id, h.signer});
  }
  for (const auto& [id, n] : chain.nodes) {
    if (n.in_service()) in.scaler_nodes.push_back({id, n.daemon, false});
  }
  in.daemon_batches = era.daemons;
  in.hyper_node_batches = era.hyper_nodes;
  auto verdicts = protocol::compute_era_verdicts(in);
  EXPECT_TRUE(verdicts);
  FakeEconomics economics;
  auto econ = economics.economics(*chain.era_bounds(in.era), *verdicts);
  auto settled = protocol::settle_era(previous, *verdicts, *econ);
  EXPECT_TRUE(settled) << settled.error().message;
  std::vector<Hash> hashes;
  for (const auto& b : era.daemons) hashes.push_back(protocol::batch_hash(b));
  for (const auto& b : era.hyper_nodes) hashes.push_back(protocol::batch_hash(b));
  return {protocol::ResultsTree::build(settled->state).root(), protocol::data_root(hashes),
          settled->state, *verdicts};
}

TEST(Satellite, RootsEqualCoreAndSurviveReopen) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  for (const auto& body : era.bodies()) ASSERT_EQ(node.post(body).status, 200);

  // "Killed" between accepting and computing: a new process opens the same database.
  node.open();
  chain.pass_grace(kEra);
  auto computed = node.satellite->compute_ready_eras();
  ASSERT_TRUE(computed) << computed.error().message;
  EXPECT_EQ(*computed, 1u);

  Expected expected = compute_directly(chain, era, {});
  auto result = *node.store->era_result(kEra);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->results_root, expected.results_root);
  EXPECT_EQ(result->data_root, expected.data_root);
  EXPECT_EQ(result->state, expected.state);
  EXPECT_EQ(result->state.nodes.at(node_id(0)).utilisation, 1000);  // every node UP
  EXPECT_EQ(result->state.bundle_rewards.at(9), 100);
  EXPECT_TRUE(
      protocol::verify(domain(),
                       protocol::SignedEraResult{{kEra, expected.results_root, expected.data_root},
                                                 result->own_signature},
                       member_key(0).address()));

  // Recomputing in a fresh database from the published batches gives the same roots.
  Node other(chain, dir.path() / "other.db");
  chain.close_era(kEra);
  for (const auto& body : era.bodies()) ASSERT_EQ(other.post(body).status, 200);
  chain.pass_grace(kEra);
  ASSERT_TRUE(other.satellite->compute_era(kEra));
  EXPECT_EQ((*other.store->era_result(kEra))->results_root, expected.results_root);

  // The next era continues from the stored state, also after a reopen.
  node.open();
  EraBatches next = honest_era(3, 2, kEra + 1);
  chain.close_era(kEra + 1);
  for (const auto& body : next.bodies()) ASSERT_EQ(node.post(body).status, 200);
  chain.pass_grace(kEra + 1);
  ASSERT_TRUE(node.satellite->compute_ready_eras());
  Expected expected_next = compute_directly(chain, next, expected.state);
  EXPECT_EQ((*node.store->era_result(kEra + 1))->results_root, expected_next.results_root);
  EXPECT_EQ(expected_next.state.nodes.at(node_id(0)).utilisation, 2000);
}

// Retention: computing era E deletes era E − retention_eras's batches (and only those), keeps
// every result and signature, answers 410 "pruned" for the pruned eras' batches, and remembers how
// far it pruned across a reopen; the next era still continues from the stored state.
TEST(Satellite, RetentionPrunesOldBatchesAndKeepsResults) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  node.options.retention_eras = 1;
  node.open();
  infra::HttpServer server;
  node.satellite->mount(server);
  ASSERT_TRUE(server.start());
  infra::JsonHttpClient client(server.url());

  for (uint64_t era = kEra; era <= kEra + 1; ++era) {
    EraBatches batches = honest_era(3, 2, era);
    chain.close_era(era);
    for (const auto& body : batches.bodies()) ASSERT_EQ(node.post(body).status, 200);
    chain.pass_grace(era);
    ASSERT_TRUE(node.satellite->compute_ready_eras());
  }
  // Era kEra + 1 computed: era kEra's 5 batches are gone, kEra + 1's are all there.
  EXPECT_TRUE(node.store->era_batches(kEra)->empty());
  EXPECT_EQ(node.store->era_batches(kEra + 1)->size(), 5u);
  EXPECT_EQ(*node.store->pruned_through(), std::optional<uint64_t>(kEra));
  EXPECT_TRUE(*node.store->era_result(kEra)) << "results outlive their batches";
  EXPECT_NE(node.exposition().find("icn_satellite_batches_pruned_total 5"), std::string::npos)
      << node.exposition();

  auto gone = client.get("/v1/eras/" + std::to_string(kEra) + "/batches");
  ASSERT_FALSE(gone);
  EXPECT_NE(gone.error().message.find("deleted by retention"), std::string::npos)
      << gone.error().message;
  EXPECT_FALSE(client.get("/v1/eras/" + std::to_string(kEra) + "/batch-hashes"));
  EXPECT_TRUE(client.get("/v1/eras/" + std::to_string(kEra) + "/results"));
  EXPECT_TRUE(client.get("/v1/eras/" + std::to_string(kEra + 1) + "/batches"));

  // Pruning is idempotent and never moves back; it survives a reopen.
  EXPECT_EQ(*node.store->prune_batches_through(kEra - 1), 0u);
  server.stop();
  node.open();
  EXPECT_EQ(*node.store->pruned_through(), std::optional<uint64_t>(kEra));
  EraBatches next = honest_era(3, 2, kEra + 2);
  chain.close_era(kEra + 2);
  for (const auto& body : next.bodies()) ASSERT_EQ(node.post(body).status, 200);
  chain.pass_grace(kEra + 2);
  ASSERT_TRUE(node.satellite->compute_ready_eras());
  EXPECT_TRUE(node.store->era_batches(kEra + 1)->empty());
  EXPECT_EQ((*node.store->era_result(kEra + 2))->state.nodes.at(node_id(0)).utilisation, 3000);
}

// compute_era takes the batches decoded at ingest and skips their signatures (checked at ingest);
// batches stored before a restart are decoded from the store instead. Either way, and mixed, the
// roots are core's own over the verifying path, here with an omitting HyperNode and a batch that
// is the daemon's second (equivocation evidence, in the store and the computation too).
TEST(Satellite, KeptAndStoredBatchesGiveCoresRoots) {
  FakeChain chain(4, 3);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  EraBatches era = honest_era(4, 3, kEra);
  // HyperNode 2 leaves node 101's answer out (misreporting: the entry is verified alone).
  auto& omitting = era.hyper_nodes[1].challenge_hashes;
  omitting.erase(
      std::find(omitting.begin(), omitting.end(),
                protocol::challenge_hash(domain(), era.daemons[0].entries[1], kEra, node_id(0))));
  ASSERT_TRUE(protocol::sign_batch(domain(), era.hyper_nodes[1], hn_key(1)));
  chain.close_era(kEra);
  std::vector<std::string> bodies = era.bodies();
  for (size_t i = 0; i < bodies.size() / 2; ++i) ASSERT_EQ(node.post(bodies[i]).status, 200);
  node.open();  // the first half now exists only in the store
  for (size_t i = bodies.size() / 2; i < bodies.size(); ++i) {
    ASSERT_EQ(node.post(bodies[i]).status, 200);
  }
  ASSERT_EQ(error_code(node.post(bodies[0])), "duplicate");  // kept again: still the same batch
  DaemonBatch second = era.daemons[3];
  second.version = "icn/other";
  ASSERT_TRUE(protocol::sign_batch(domain(), second, daemon_key(3)));
  ASSERT_EQ(error_code(node.post(protocol::encode(second))), "equivocation");

  EraBatches judged = era;
  judged.daemons.push_back(second);
  Expected expected = compute_directly(chain, judged, {});
  chain.pass_grace(kEra);
  ASSERT_TRUE(node.satellite->compute_era(kEra));
  auto result = *node.store->era_result(kEra);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->results_root, expected.results_root);
  EXPECT_EQ(result->data_root, expected.data_root);
  EXPECT_EQ(result->state, expected.state);
  EXPECT_EQ(result->state.nodes.at(node_id(3)).down_history & 1, 1u);  // equivocated: DOWN
  EXPECT_EQ(result->state.nodes.at(node_id(0)).down_history & 1, 0u);  // confirmed alone: UP
}

TEST(Satellite, HttpEndpointsServeBatchesResultsAndSignatures) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  infra::HttpServer server;
  node.satellite->mount(server);
  infra::mount_metrics(server, node.metrics);
  ASSERT_TRUE(server.start());
  infra::JsonHttpClient client(server.url());

  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  for (const auto& body : era.bodies()) {
    auto r = client.post("/v1/batches", json::parse(body));
    ASSERT_TRUE(r) << r.error().message;
  }
  auto dup = client.post("/v1/batches", json::parse(era.bodies()[0]));
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("already stored"), std::string::npos) << dup.error().message;

  std::string hash = to_hex(protocol::batch_hash(era.daemons[1]));
  auto one = client.get("/v1/batches/" + hash);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(to_hex(keccak256(one->dump())), hash);
  EXPECT_FALSE(client.get("/v1/batches/0x12"));

  auto list = client.get("/v1/eras/3/batches");
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)["batches"].size(), 5u);

  EXPECT_FALSE(client.get("/v1/eras/3/results"));  // not computed yet
  chain.pass_grace(kEra);
  ASSERT_TRUE(node.satellite->compute_ready_eras());
  auto results = client.get("/v1/eras/3/results");
  ASSERT_TRUE(results) << results.error().message;
  Expected expected = compute_directly(chain, era, {});
  EXPECT_EQ((*results)["resultsRoot"], to_hex(expected.results_root));
  EXPECT_EQ((*results)["dataRoot"], to_hex(expected.data_root));
  ASSERT_EQ((*results)["nodes"].size(), 3u);
  ASSERT_EQ((*results)["links"].size(), 1u);
  // Every proof leads from its leaf to the root (OpenZeppelin's sorted-pair hashing).
  for (const auto& leaf : (*results)["nodes"]) {
    Hash h = *parse_fixed_hex<32>(leaf["leaf"].get<std::string>());
    for (const auto& p : leaf["proof"]) {
      Hash s = *parse_fixed_hex<32>(p.get<std::string>());
      Bytes cat;
      const Hash& a = h < s ? h : s;
      const Hash& b = h < s ? s : h;
      cat.insert(cat.end(), a.begin(), a.end());
      cat.insert(cat.end(), b.begin(), b.end());
      h = keccak256(cat);
    }
    EXPECT_EQ(h, expected.results_root);
  }
  auto sigs = client.get("/v1/eras/3/signatures");
  ASSERT_TRUE(sigs);
  ASSERT_EQ((*sigs)["signatures"].size(), 1u);
  EXPECT_EQ((*sigs)["signatures"][0]["signer"], member_key(0).address().checksummed());

  // The era's own verdicts, beside the cumulative leaves: core's, per node and HyperNode.
  auto verdicts = client.get("/v1/eras/3/verdicts");
  ASSERT_TRUE(verdicts) << verdicts.error().message;
  EXPECT_EQ((*verdicts)["resultsRoot"], to_hex(expected.results_root));
  EXPECT_EQ((*verdicts)["hasVerdict"], expected.verdicts.has_verdict);
  ASSERT_EQ((*verdicts)["nodes"].size(), expected.verdicts.scaler_nodes.size());
  for (size_t i = 0; i < expected.verdicts.scaler_nodes.size(); ++i) {
    const auto& v = expected.verdicts.scaler_nodes[i];
    EXPECT_EQ((*verdicts)["nodes"][i]["nodeId"], to_decimal(v.id));
    EXPECT_EQ((*verdicts)["nodes"][i]["verdict"], v.verdict == protocol::Verdict::kUp ? "up" : "?");
  }
  ASSERT_EQ((*verdicts)["hyperNodes"].size(), expected.verdicts.hyper_nodes.size());
  EXPECT_EQ((*verdicts)["hyperNodes"][0]["performance"],
            to_decimal(expected.verdicts.hyper_nodes[0].performance_wad));
  EXPECT_FALSE(client.get("/v1/eras/4/verdicts"));  // not computed

  auto status = client.get("/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["lastComputedEra"], kEra);
  EXPECT_FALSE(client.get("/v1/eras/x/results"));
  server.stop();
}

TEST(Satellite, SignatureExchangeReachesThresholdAndLeaderSubmits) {
  FakeChain chain(3, 2);
  TempDir dir;
  // Start both servers first so each knows the other's URL.
  infra::HttpServer server_a, server_b;
  std::unique_ptr<Node> a, b;
  std::atomic<Satellite*> sat_a{nullptr}, sat_b{nullptr};
  auto forward = [](std::atomic<Satellite*>& target) {
    return [&target](const HttpRequest& r) {
      Satellite* s = target.load();
      if (!s) return infra::error_response(503, "starting", "not ready");
      std::string tail(r.path_tail());
      return s->post_signature(std::stoull(tail.substr(0, tail.find('/'))), r.body());
    };
  };
  server_a.post("/v1/eras/*", forward(sat_a));
  server_b.post("/v1/eras/*", forward(sat_b));
  ASSERT_TRUE(server_a.start());
  ASSERT_TRUE(server_b.start());
  a = std::make_unique<Node>(chain, dir.path() / "a.db", 0, std::vector{server_b.url()});
  b = std::make_unique<Node>(chain, dir.path() / "b.db", 1, std::vector{server_a.url()});
  sat_a = a->satellite.get();
  sat_b = b->satellite.get();

  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  for (const auto& body : era.bodies()) {
    ASSERT_EQ(a->post(body).status, 200);
    ASSERT_EQ(b->post(body).status, 200);
  }
  chain.pass_grace(kEra);
  a->satellite->tick();  // computes; B has not computed yet, so the push is refused for now
  EXPECT_NE(a->exposition().find("icn_satellite_signature_push_failures_total 1"),
            std::string::npos);
  EXPECT_EQ(b->store->signatures(kEra)->size(), 0u);
  b->satellite->tick();  // computes and pushes to A: A now holds 2 = t
  EXPECT_EQ(a->store->signatures(kEra)->size(), 2u);
  a->satellite->tick();  // retries its push (backoff 0) and B takes it
  EXPECT_EQ(b->store->signatures(kEra)->size(), 2u);

  // Era 3 mod 2 = 1: B leads and submitted on its tick... once it held t signatures.
  b->satellite->tick();
  ASSERT_EQ(b->submitter.calls.size(), 1u);
  EXPECT_EQ(b->submitter.calls[0].first.era, kEra);
  EXPECT_EQ(b->submitter.calls[0].second, 2u);
  EXPECT_TRUE(a->submitter.calls.empty());  // not the leader, timeout not reached
  chain.head = chain.head + 10;             // the leader's time is up, era still uncommitted
  a->satellite->tick();
  EXPECT_EQ(a->submitter.calls.size(), 1u);
  chain.committed = chain::CommittedEra{kEra, {}, {}};
  chain.head = chain.head + 50;
  a->satellite->tick();
  b->satellite->tick();
  EXPECT_EQ(a->submitter.calls.size(), 1u);
  EXPECT_EQ(b->submitter.calls.size(), 1u);
  sat_a = nullptr;
  sat_b = nullptr;
  server_a.stop();
  server_b.stop();
}

TEST(Satellite, DisagreeingPeerIsDetected) {
  FakeChain chain(3, 2);
  TempDir dir;
  infra::HttpServer server_a;
  Node a(chain, dir.path() / "a.db", 0);
  a.satellite->mount(server_a);
  ASSERT_TRUE(server_a.start());
  Node b(chain, dir.path() / "b.db", 1, {server_a.url()});

  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  for (const auto& body : era.bodies()) ASSERT_EQ(a.post(body).status, 200);
  auto bodies = era.bodies();
  for (size_t i = 1; i < bodies.size(); ++i)
    ASSERT_EQ(b.post(bodies[i]).status, 200);  // misses one
  chain.pass_grace(kEra);
  ASSERT_TRUE(a.satellite->compute_ready_eras());
  infra::LogCapture log;
  b.satellite->tick();
  EXPECT_NE(a.exposition().find("icn_satellite_signature_disagreements_total 1"),
            std::string::npos);
  EXPECT_TRUE(log.contains("DISAGREEMENT on era 3"));
  EXPECT_EQ(a.store->signatures(kEra)->size(), 1u);  // only our own

  // A signature by someone outside the committee is refused, whatever it signs.
  auto ours = *a.store->era_result(kEra);
  auto outsider = protocol::sign(domain(), {kEra, ours->results_root, ours->data_root}, key(9, 0));
  auto r = a.satellite->post_signature(kEra, protocol::encode(outsider));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "not_committee_member");
  EXPECT_EQ(error_code(a.satellite->post_signature(kEra + 1, protocol::encode(outsider))),
            "era_mismatch");
  server_a.stop();
}

TEST(Satellite, EraBeforeTheDeploymentHasNoParticipants) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db");
  node.options.deploy_block = kEra * kEraLength + 1;  // deployed just after the era started
  node.open();
  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  auto r = node.post(protocol::encode(era.daemons[0]));
  EXPECT_EQ(error_code(r), "unknown_originator");
  chain.pass_grace(kEra);
  ASSERT_TRUE(node.satellite->compute_era(kEra));
  auto result = *node.store->era_result(kEra);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->state.nodes.empty());
  EXPECT_EQ(result->state.era, std::optional<uint64_t>(kEra));
  EXPECT_EQ(result->data_root, Hash{});
}

// ---- anti-entropy ----

constexpr uint64_t kFill = 3;

// A node that fills from `peers` and is served over HTTP (so others can fill from it).
infra::HttpServerOptions options_on(uint16_t port) {
  infra::HttpServerOptions o;
  o.port = port;
  return o;
}

struct ServedNode {
  infra::HttpServer server;
  std::unique_ptr<Node> node;
  ServedNode(FakeChain& chain, std::filesystem::path file, size_t member,
             std::vector<std::string> peers, uint16_t port = 0)
      : server(options_on(port)) {
    node = std::make_unique<Node>(chain, std::move(file), member, std::move(peers));
    node->options.fill = true;
    node->options.fill_blocks = kFill;
    node->options.fill_timeout = std::chrono::milliseconds(2000);
    node->open();
    node->satellite->mount(server);
    infra::mount_metrics(server, node->metrics);
    EXPECT_TRUE(server.start());
  }
};

// A loopback port free right now, so two satellites can name each other before either starts.
uint16_t free_port() {
  infra::HttpServer s;
  EXPECT_TRUE(s.start());
  return s.port();
}

void fill_window(FakeChain& chain, uint64_t era) {
  chain.head = (era + 1) * kEraLength + kGrace;
}
void pass_fill(FakeChain& chain, uint64_t era) {
  chain.head = (era + 1) * kEraLength + kGrace + kFill;
}

TEST(AntiEntropy, SatelliteThatMissedTheGraceFillsFromItsPeerAndSignsTheSameRoots) {
  FakeChain chain(3, 2);
  TempDir dir;
  ServedNode a(chain, dir.path() / "a.db", 0, {});
  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  auto bodies = era.bodies();
  for (const auto& body : bodies) ASSERT_EQ(a.node->post(body).status, 200);

  // B was down for the whole grace: its clients' batches are now refused, its peer's are not.
  ServedNode b(chain, dir.path() / "b.db", 1, {a.server.url()});
  fill_window(chain, kEra);
  EXPECT_EQ(error_code(b.node->post(bodies[0])), "submission_closed");
  auto index = infra::JsonHttpClient(a.server.url()).get("/v1/eras/3/batch-hashes");
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ((*index)["hashes"].size(), bodies.size());
  EXPECT_EQ((*index)["computed"], false);

  // Inside the fill window B fills but does not compute yet.
  auto computed = b.node->satellite->compute_ready_eras();
  ASSERT_TRUE(computed) << computed.error().message;
  EXPECT_EQ(*computed, 0u);
  EXPECT_EQ(b.node->store->era_batch_hashes(kEra)->size(), bodies.size());
  EXPECT_NE(b.node->exposition().find("icn_satellite_batches_filled_total{peer=\"" +
                                      a.server.url() + "\"} 5"),
            std::string::npos)
      << b.node->exposition();

  pass_fill(chain, kEra);
  ASSERT_TRUE(b.node->satellite->compute_ready_eras());
  ASSERT_TRUE(a.node->satellite->compute_era(kEra));
  auto ra = *a.node->store->era_result(kEra);
  auto rb = *b.node->store->era_result(kEra);
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(rb->results_root, ra->results_root);
  EXPECT_EQ(rb->data_root, ra->data_root);
  EXPECT_EQ(rb->data_root, compute_directly(chain, era, {}).data_root);
  // A second round finds nothing to fill; the computed index says so.
  EXPECT_EQ(b.node->satellite->fill_era(kEra), 1u);
  index = infra::JsonHttpClient(b.server.url()).get("/v1/eras/3/batch-hashes");
  ASSERT_TRUE(index);
  EXPECT_EQ((*index)["computed"], true);
  EXPECT_EQ((*index)["dataRoot"], to_hex(rb->data_root));
}

TEST(AntiEntropy, EachSideFillsWhatOnlyTheOtherGot) {
  FakeChain chain(3, 2);
  TempDir dir;
  uint16_t port_a = free_port(), port_b = free_port();
  auto url = [](uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); };
  ServedNode a(chain, dir.path() / "a.db", 0, {url(port_b)}, port_a);
  ServedNode b(chain, dir.path() / "b.db", 1, {url(port_a)}, port_b);
  EraBatches era = honest_era(3, 2, kEra);
  chain.close_era(kEra);
  auto bodies = era.bodies();
  for (size_t i = 0; i < bodies.size(); ++i) {
    ASSERT_EQ((i % 2 ? a : b).node->post(bodies[i]).status, 200);  // each got only half
  }
  pass_fill(chain, kEra);
  a.node->satellite->tick();
  b.node->satellite->tick();
  auto ra = *a.node->store->era_result(kEra);
  auto rb = *b.node->store->era_result(kEra);
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(ra->data_root, compute_directly(chain, era, {}).data_root);
  EXPECT_EQ(rb->results_root, ra->results_root);
  EXPECT_EQ(rb->data_root, ra->data_root);
  EXPECT_EQ(a.node->store->signatures(kEra)->size(), 2u);  // B's push agreed
}

TEST(AntiEntropy, EraWaitsWhileNoPeerAnswers) {
  FakeChain chain(3, 2);
  TempDir dir;
  std::string gone;
  {
    infra::HttpServer s;
    ASSERT_TRUE(s.start());
    gone = s.url();
  }  // nothing listens there any more
  ServedNode b(chain, dir.path() / "b.db", 1, {gone});
  pass_fill(chain, kEra);
  auto computed = b.node->satellite->compute_ready_eras();
  ASSERT_FALSE(computed);
  EXPECT_NE(computed.error().message.find("0 of the 1 peers"), std::string::npos)
      << computed.error().message;
  EXPECT_FALSE(*b.node->store->era_result(kEra));
  EXPECT_NE(b.node->exposition().find("icn_satellite_fill_failures_total{peer=\"" + gone +
                                      "\",reason=\"unreachable\"} 1"),
            std::string::npos)
      << b.node->exposition();
  // With a threshold of 1 the committee needs no peer: the era is computed without one.
  chain.committee_.threshold = 1;
  computed = b.node->satellite->compute_ready_eras();
  ASSERT_TRUE(computed) << computed.error().message;
  EXPECT_EQ(*computed, 1u);
}

// A peer that answers junk: every kind is refused, counted under its reason, and nothing of it is
// stored; a real batch it offers among the junk is still taken.
TEST(AntiEntropy, GarbageFromAPeerIsCountedAndIgnored) {
  FakeChain chain(3, 2);
  TempDir dir;
  EraBatches era = honest_era(3, 2, kEra);
  DaemonBatch forged = era.daemons[1];
  ASSERT_TRUE(protocol::sign_batch(domain(), forged, daemon_key(0)));  // another node's key
  DaemonBatch unknown = era.daemons[0];
  unknown.scaler_node_id = 999;
  ASSERT_TRUE(protocol::sign_batch(domain(), unknown, daemon_key(0)));
  std::map<std::string, std::string> served;  // hash → body
  auto offer = [&](const std::string& body) { served[to_hex(keccak256(body))] = body; };
  offer(protocol::encode(forged));
  offer(protocol::encode(unknown));
  offer(protocol::encode(era.hyper_nodes[0]));  // the one real batch
  std::string junk = "{\"era\":3,\"junk\":true}";
  offer(junk);
  std::string swapped_hash = to_hex(keccak256("something else"));
  served[swapped_hash] = protocol::encode(era.daemons[2]);  // valid, but not what was asked
  std::string missing_hash = to_hex(keccak256("never served"));

  infra::HttpServer bad;
  bad.get("/v1/eras/*", [&](const HttpRequest&) {
    json hashes = json::array();
    for (const auto& [h, body] : served) hashes.push_back(h);
    hashes.push_back(missing_hash);
    return HttpResponse::json_body({{"era", kEra}, {"hashes", hashes}});
  });
  bad.get("/v1/batches/*", [&](const HttpRequest& r) {
    auto it = served.find(std::string(r.path_tail()));
    if (it == served.end()) return infra::error_response(404, "not_found", "no such batch");
    return HttpResponse::text(it->second, "application/json");
  });
  ASSERT_TRUE(bad.start());
  infra::HttpServer wrong;  // an index of another era, then of uppercase hex
  std::atomic<int> wrong_calls{0};
  wrong.get("/v1/eras/*", [&](const HttpRequest&) {
    if (wrong_calls++ == 0) return HttpResponse::json_body({{"era", kEra + 1}, {"hashes", {}}});
    return HttpResponse::json_body({{"era", kEra}, {"hashes", {"0xABCD"}}});
  });
  ASSERT_TRUE(wrong.start());

  ServedNode b(chain, dir.path() / "b.db", 1, {bad.url(), wrong.url()});
  fill_window(chain, kEra);
  EXPECT_EQ(b.node->satellite->fill_era(kEra), 0u);  // the 404 leaves `bad` incomplete
  EXPECT_EQ(b.node->satellite->fill_era(kEra), 0u);
  auto stored = *b.node->store->era_batch_hashes(kEra);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0], protocol::batch_hash(era.hyper_nodes[0]));
  std::string m = b.node->exposition();
  auto count = [&](const std::string& peer, const std::string& reason) {
    std::string line =
        "icn_satellite_fill_failures_total{peer=\"" + peer + "\",reason=\"" + reason + "\"} ";
    auto at = m.find(line);
    return at == std::string::npos ? -1 : std::stoi(m.substr(at + line.size()));
  };
  EXPECT_EQ(count(bad.url(), "bad_signature"), 2) << m;
  EXPECT_EQ(count(bad.url(), "unknown_originator"), 2) << m;
  EXPECT_EQ(count(bad.url(), "invalid_batch"), 2) << m;
  EXPECT_EQ(count(bad.url(), "hash_mismatch"), 2) << m;
  EXPECT_EQ(count(bad.url(), "fetch_failed"), 2) << m;
  EXPECT_EQ(count(wrong.url(), "bad_index"), 2) << m;
  EXPECT_NE(m.find("icn_satellite_batches_filled_total{peer=\"" + bad.url() + "\"} 1"),
            std::string::npos)
      << m;

  // A peer listing more than max_fill_failures junk batches costs that many fetches per round.
  Node c(chain, dir.path() / "c.db", 1, {bad.url()});
  c.options.fill = true;
  c.options.max_fill_failures = 2;
  c.open();
  EXPECT_EQ(c.satellite->fill_era(kEra), 0u);
  m = c.exposition();
  EXPECT_EQ(count(bad.url(), "too_many_failures"), 1) << m;
  EXPECT_EQ(c.store->era_batch_hashes(kEra)->size(), 1u);  // the real one, before the junk
  bad.stop();
  wrong.stop();
}

// Node 103 (index 2) sends nothing in eras 3, 4 and 5: DOWN three times in the window, so era 5
// slashes it 3.5 × (1,000 booked + 50 subsidy) = 3,675. The era is then "committed" with our roots.
void compute_three_down_eras(FakeChain& chain, Node& node) {
  for (uint64_t e = kEra; e < kEra + 3; ++e) {
    EraBatches era = honest_era(3, 2, e);
    chain.close_era(e);
    auto bodies = era.bodies();
    for (size_t i = 0; i < bodies.size(); ++i) {
      if (i != 2) {
        ASSERT_EQ(node.post(bodies[i]).status, 200);
      }
    }
    chain.pass_grace(e);
    ASSERT_TRUE(node.satellite->compute_era(e));
  }
  auto result = *node.store->era_result(kEra + 2);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->state.nodes.at(node_id(2)).slashed, 3675);
  ASSERT_EQ(result->state.nodes.at(node_id(0)).slashed, 0);
  chain.committed = chain::CommittedEra{kEra + 2, result->results_root, result->data_root};
}

TEST(SlashKeeper, KeeperAppliesSlashableLeavesOnceWithAValidProof) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db", 1);  // era 5 mod 2 = 1: the era's keeper
  compute_three_down_eras(chain, node);
  Hash root = chain.committed->results_root;

  node.satellite->tick();
  ASSERT_EQ(node.submitter.slash_calls.size(), 1u);
  const auto& call = node.submitter.slash_calls[0];
  EXPECT_EQ(call.era, kEra + 2);
  EXPECT_EQ(call.leaf.node_id, node_id(2));
  EXPECT_EQ(call.leaf.slashed, 3675);
  EXPECT_EQ(call.leaf.subsidy, 0);  // never UP
  EXPECT_TRUE(abi::StandardMerkleTree::verify(root, protocol::leaf_hash(call.leaf), call.proof));
  EXPECT_NE(node.exposition().find("icn_satellite_slashes_applied_total{outcome=\"sent\"} 1"),
            std::string::npos)
      << node.exposition();

  // The era is kept: later rounds send nothing and do not even read the chain again.
  size_t reads = node.submitter.slash_reads;
  chain.head = chain.head + 100;
  node.satellite->tick();
  EXPECT_EQ(node.submitter.slash_calls.size(), 1u);
  EXPECT_EQ(node.submitter.slash_reads, reads);
}

TEST(SlashKeeper, OthersWaitThenReadTheChainAndCountALostRace) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db", 0);  // not the keeper of era 5
  compute_three_down_eras(chain, node);

  node.satellite->tick();  // sees the era committed now: waits for the keeper
  EXPECT_TRUE(node.submitter.slash_calls.empty());
  EXPECT_EQ(node.submitter.slash_reads, 0u);

  // The keeper applied it meanwhile: after the timeout the chain says so and nothing is sent.
  node.submitter.slash_recorded_on_chain[node_id(2)] = 3675;
  chain.head = chain.head + 10;
  node.satellite->tick();
  EXPECT_TRUE(node.submitter.slash_calls.empty());
  EXPECT_EQ(node.submitter.slash_reads, 1u);

  // Node 103 stays DOWN in era 6, slashable again (cumulative 7,350). This time the keeper's
  // transaction lands between our read and our send: StaleLeaf, counted.
  EraBatches era = honest_era(3, 2, kEra + 3);
  chain.close_era(kEra + 3);
  auto bodies = era.bodies();
  for (size_t i = 0; i < bodies.size(); ++i) {
    if (i != 2) {
      ASSERT_EQ(node.post(bodies[i]).status, 200);
    }
  }
  chain.pass_grace(kEra + 3);
  ASSERT_TRUE(node.satellite->compute_era(kEra + 3));
  auto result = *node.store->era_result(kEra + 3);
  ASSERT_EQ(result->state.nodes.at(node_id(2)).slashed, 7350);
  chain.committed = chain::CommittedEra{kEra + 3, result->results_root, result->data_root};
  node.submitter.slash_reverts_stale = true;
  // Era 6 mod 2 = 0: this member keeps it and acts at once.
  node.satellite->tick();
  ASSERT_EQ(node.submitter.slash_calls.size(), 1u);
  EXPECT_EQ(node.submitter.slash_calls[0].leaf.slashed, 7350);
  EXPECT_NE(
      node.exposition().find("icn_satellite_slashes_applied_total{outcome=\"already_applied\"} 1"),
      std::string::npos)
      << node.exposition();
  node.satellite->tick();
  EXPECT_EQ(node.submitter.slash_calls.size(), 1u);  // the lost race still keeps the era
}

TEST(SlashKeeper, NothingWithoutSubmitterOrWithAnotherRoot) {
  FakeChain chain(3, 2);
  TempDir dir;
  Node node(chain, dir.path() / "s.db", 1);
  compute_three_down_eras(chain, node);

  // submit = false: the process passes no submitter, and the satellite never sends.
  infra::MetricsRegistry metrics;
  Satellite watcher(chain, *node.store, member_key(1), node.economics, node.maintenance, nullptr,
                    metrics, node.options);
  EXPECT_TRUE(watcher.apply_slashes_if_due());
  EXPECT_TRUE(node.submitter.slash_calls.empty());

  // The committed root is not ours: none of our proofs would verify, so nothing is sent.
  chain.committed->results_root = keccak256("another root");
  auto r = node.satellite->apply_slashes_if_due();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("is not ours"), std::string::npos) << r.error().message;
  EXPECT_TRUE(node.submitter.slash_calls.empty());
  EXPECT_EQ(node.submitter.slash_reads, 0u);
}

TEST(SlashDecision, KeeperFirstOthersAfterTimeout) {
  SlashDecisionInput in;
  in.era = 7;
  in.committee_size = 3;
  in.own_index = 1;  // 7 mod 3
  in.head = 50;
  in.seen_block = 50;
  in.timeout = 10;
  EXPECT_EQ(decide_slash(in), SlashAction::kApply);
  in.own_index = 0;
  EXPECT_EQ(decide_slash(in), SlashAction::kWaitKeeper);
  in.we_committed = true;  // we landed its commitEra after the leader's timeout
  EXPECT_EQ(decide_slash(in), SlashAction::kApply);
  in.we_committed = false;
  in.head = 60;
  EXPECT_EQ(decide_slash(in), SlashAction::kApply);
  in.own_index.reset();
  EXPECT_EQ(decide_slash(in), SlashAction::kNotMember);
}

TEST(SubmitDecision, LeaderFirstOthersAfterTimeout) {
  SubmitDecisionInput in;
  in.era = 7;
  in.committee_size = 3;
  in.threshold = 2;
  in.signatures = 2;
  in.ready_block = 100;
  in.submit_timeout = 10;
  in.head = 100;
  in.own_index = 1;  // 7 mod 3
  EXPECT_EQ(decide_submit(in), SubmitAction::kSubmit);
  in.own_index = 0;
  EXPECT_EQ(decide_submit(in), SubmitAction::kWaitLeader);
  in.head = 110;
  EXPECT_EQ(decide_submit(in), SubmitAction::kSubmit);
  in.signatures = 1;
  EXPECT_EQ(decide_submit(in), SubmitAction::kWaitSignatures);
  in.own_index.reset();
  EXPECT_EQ(decide_submit(in), SubmitAction::kNotMember);
  in.committed = true;
  EXPECT_EQ(decide_submit(in), SubmitAction::kCommitted);
}

}  // namespace
}  // namespace icn::satellite
