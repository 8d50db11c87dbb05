// Era verdict rules, table by table: A membership at exactly half, UP at exactly two thirds of A,
// no verdict, maintenance, misreporting HyperNodes, forged entries, batch rejections, p and GOOD.
#include "icn/core/era_verdict.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "icn/core/keccak.hpp"

namespace icn::protocol {
namespace {

const Hash kDomain =
    domain_separator(31337, *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
constexpr uint64_t kEra = 7;
constexpr uint64_t kWad = 1'000'000'000'000'000'000ULL;

PrivateKey key(uint8_t group, uint8_t index) {
  FixedBytes<32> secret{};
  secret[30] = group;
  secret[31] = index + 1;
  return *PrivateKey::from_bytes(secret);
}

// H HyperNodes (ids 1…H) and N ScalerNodes (ids 101…100+N); by default everyone answers everyone
// and both sides report honestly.
struct Scenario {
  size_t hns, nodes;
  std::vector<std::vector<bool>> answers;       // [node][hn]
  std::set<size_t> maintenance;                 // nodes in declared maintenance (send no batch)
  std::set<size_t> silent_nodes;                // daemons that send no batch
  std::set<size_t> silent_hns;                  // HyperNodes that send no batch
  std::set<std::pair<size_t, size_t>> omitted;  // (node, hn): answered, left out of hn's batch

  Scenario(size_t h, size_t n) : hns(h), nodes(n), answers(n, std::vector<bool>(h, true)) {}

  static U256 hn_id(size_t h) { return h + 1; }
  static U256 node_id(size_t n) { return n + 101; }
  static PrivateKey hn_key(size_t h) { return key(1, uint8_t(h)); }
  static PrivateKey daemon_key(size_t n) { return key(2, uint8_t(n)); }

  // Node n answered by exactly the first k HyperNodes.
  void answered_by_first(size_t n, size_t k) {
    for (size_t h = 0; h < hns; ++h) answers[n][h] = h < k;
  }
  // HyperNode h answers exactly the first k nodes.
  void answers_first(size_t h, size_t k) {
    for (size_t n = 0; n < nodes; ++n) answers[n][h] = n < k;
  }

  static DaemonEntry entry(size_t n, size_t h) {
    DaemonEntry e;
    e.hyper_node_id = hn_id(h);
    e.nonce = keccak256(std::to_string(n) + "/" + std::to_string(h));
    e.daemon_time = 1000;
    e.rtt_ms = 20;
    e.hyper_node_time = 1001;
    e.daemon_signature =
        sign_hash(daemon_key(n), signing_digest(kDomain, challenge_of(e, kEra, node_id(n))));
    e.hyper_node_signature =
        sign_hash(hn_key(h), signing_digest(kDomain, response_of(kDomain, e, kEra, node_id(n))));
    return e;
  }

  EraVerdictInput build() const {
    EraVerdictInput in;
    in.era = kEra;
    in.domain = kDomain;
    for (size_t h = 0; h < hns; ++h) in.hyper_nodes.push_back({hn_id(h), hn_key(h).address()});
    for (size_t n = 0; n < nodes; ++n) {
      in.scaler_nodes.push_back({node_id(n), daemon_key(n).address(), maintenance.count(n) > 0});
    }
    std::vector<HyperNodeBatch> hn_batches(hns);
    for (size_t h = 0; h < hns; ++h) hn_batches[h] = {hn_id(h), "icn/test", kEra, {}, {}};
    for (size_t n = 0; n < nodes; ++n) {
      if (maintenance.count(n)) continue;
      DaemonBatch b{node_id(n), "icn/test", kEra, {}, {}};
      for (size_t h = 0; h < hns; ++h) {
        if (!answers[n][h]) continue;
        DaemonEntry e = entry(n, h);
        if (!omitted.count({n, h})) {
          hn_batches[h].challenge_hashes.push_back(challenge_hash(kDomain, e, kEra, node_id(n)));
        }
        b.entries.push_back(e);
      }
      if (silent_nodes.count(n)) continue;
      EXPECT_TRUE(sign_batch(kDomain, b, daemon_key(n)));
      in.daemon_batches.push_back(std::move(b));
    }
    for (size_t h = 0; h < hns; ++h) {
      if (silent_hns.count(h)) continue;
      EXPECT_TRUE(sign_batch(kDomain, hn_batches[h], hn_key(h)));
      in.hyper_node_batches.push_back(std::move(hn_batches[h]));
    }
    return in;
  }
};

// Every field of two verdicts, so the two batch-signature paths can be compared whole.
void expect_same(const EraVerdicts& a, const EraVerdicts& b) {
  EXPECT_EQ(a.era, b.era);
  EXPECT_EQ(a.has_verdict, b.has_verdict);
  EXPECT_EQ(a.no_verdict_reason, b.no_verdict_reason);
  EXPECT_EQ(a.a_size, b.a_size);
  EXPECT_EQ(a.up_quorum, b.up_quorum);
  EXPECT_EQ(a.up_count, b.up_count);
  ASSERT_EQ(a.scaler_nodes.size(), b.scaler_nodes.size());
  for (size_t i = 0; i < a.scaler_nodes.size(); ++i) {
    const ScalerNodeVerdict &x = a.scaler_nodes[i], &y = b.scaler_nodes[i];
    EXPECT_TRUE(x.id == y.id && x.verdict == y.verdict && x.reason == y.reason &&
                x.batch_counted == y.batch_counted && x.confirmed == y.confirmed &&
                x.confirmed_in_a == y.confirmed_in_a && x.dropped == y.dropped)
        << "scalerNode " << to_decimal(x.id);
  }
  ASSERT_EQ(a.hyper_nodes.size(), b.hyper_nodes.size());
  for (size_t i = 0; i < a.hyper_nodes.size(); ++i) {
    const HyperNodeReport &x = a.hyper_nodes[i], &y = b.hyper_nodes[i];
    EXPECT_TRUE(x.id == y.id && x.batch_counted == y.batch_counted && x.in_a == y.in_a &&
                x.answered == y.answered && x.answered_up == y.answered_up &&
                x.omitted == y.omitted && x.unmatched == y.unmatched &&
                x.misreporting == y.misreporting && x.performance_wad == y.performance_wad &&
                x.good == y.good)
        << "hyperNode " << to_decimal(x.id);
  }
  ASSERT_EQ(a.rejected_batches.size(), b.rejected_batches.size());
  for (size_t i = 0; i < a.rejected_batches.size(); ++i) {
    const RejectedBatch &x = a.rejected_batches[i], &y = b.rejected_batches[i];
    EXPECT_TRUE(x.kind == y.kind && x.originator_id == y.originator_id && x.index == y.index &&
                x.reason == y.reason);
  }
  ASSERT_EQ(a.dropped_entries.size(), b.dropped_entries.size());
  for (size_t i = 0; i < a.dropped_entries.size(); ++i) {
    const DroppedEntry &x = a.dropped_entries[i], &y = b.dropped_entries[i];
    EXPECT_TRUE(x.scaler_node_id == y.scaler_node_id && x.hyper_node_id == y.hyper_node_id &&
                x.challenge_hash == y.challenge_hash && x.reason == y.reason);
  }
}

// Whether every batch of a listed originator passes verify_batch against the listed key: what a
// caller of BatchSignatures::kCheckedByCaller promises.
bool every_batch_verifies(const EraVerdictInput& in) {
  for (const DaemonBatch& b : in.daemon_batches) {
    for (const ExpectedScalerNode& n : in.scaler_nodes) {
      if (n.id == b.scaler_node_id && !verify_batch(in.domain, b, n.daemon)) return false;
    }
  }
  for (const HyperNodeBatch& b : in.hyper_node_batches) {
    for (const ActiveHyperNode& h : in.hyper_nodes) {
      if (h.id == b.hyper_node_id && !verify_batch(in.domain, b, h.signer)) return false;
    }
  }
  return true;
}

// The verifying path; and wherever its precondition holds, the pre-checked path (the satellite's)
// must give the very same verdicts.
EraVerdicts run(const EraVerdictInput& in) {
  auto v = compute_era_verdicts(in);
  EXPECT_TRUE(v) << v.error().message;
  if (v && every_batch_verifies(in)) {
    auto checked = compute_era_verdicts(in, BatchSignatures::kCheckedByCaller);
    EXPECT_TRUE(checked) << checked.error().message;
    if (checked) expect_same(*v, *checked);
  }
  return v ? *v : EraVerdicts{};
}

Verdict verdict_of(const EraVerdicts& v, size_t n) {
  return v.scaler_node(Scenario::node_id(n))->verdict;
}

TEST(EraVerdict, EveryoneHonestIsUpAndGood) {
  Scenario s(4, 5);
  EraVerdicts v = run(s.build());
  ASSERT_TRUE(v.has_verdict);
  EXPECT_EQ(v.a_size, 4u);
  EXPECT_EQ(v.up_quorum, 3u);  // ⌈2/3 · 4⌉
  EXPECT_EQ(v.up_count, 5u);
  for (size_t n = 0; n < 5; ++n) {
    EXPECT_EQ(verdict_of(v, n), Verdict::kUp);
    EXPECT_EQ(v.scaler_node(Scenario::node_id(n))->reason,
              "confirmed by 4 of 4 HyperNodes in A (quorum 3)");
  }
  for (const HyperNodeReport& r : v.hyper_nodes) {
    EXPECT_TRUE(r.batch_counted && r.in_a && r.good && !r.misreporting);
    EXPECT_EQ(r.performance_wad, U256(kWad));
    EXPECT_EQ(r.answered, 5u);
    EXPECT_EQ(r.unmatched, 0u);
  }
  EXPECT_TRUE(v.rejected_batches.empty());
  EXPECT_TRUE(v.dropped_entries.empty());
}

// UP at ⌈2/3 · |A|⌉ confirmations: |A| → (confirmations, expected verdict).
TEST(EraVerdict, UpQuorumBoundary) {
  struct Case {
    size_t a;
    size_t confirmations;
    Verdict want;
    uint32_t quorum;
  };
  const Case cases[] = {
      {3, 2, Verdict::kUp, 2}, {3, 1, Verdict::kDown, 2},  // exactly 2/3
      {4, 3, Verdict::kUp, 3}, {4, 2, Verdict::kDown, 3},  // 2/3 · 4 = 2.67 → 3
      {6, 4, Verdict::kUp, 4}, {6, 3, Verdict::kDown, 4},  // exactly 2/3
      {1, 1, Verdict::kUp, 1}, {1, 0, Verdict::kDown, 1},
      {9, 6, Verdict::kUp, 6}, {9, 5, Verdict::kDown, 6},
  };
  for (const Case& c : cases) {
    // Node 0 is the one under test; nodes 1–3 are answered by everyone so every HyperNode
    // answers ≥ 3 of 4 nodes and stays in A.
    Scenario s(c.a, 4);
    s.answered_by_first(0, c.confirmations);
    EraVerdicts v = run(s.build());
    ASSERT_TRUE(v.has_verdict);
    EXPECT_EQ(v.a_size, c.a);
    EXPECT_EQ(v.up_quorum, c.quorum) << "|A| = " << c.a;
    EXPECT_EQ(verdict_of(v, 0), c.want) << "|A| = " << c.a << ", confirmed " << c.confirmations;
    EXPECT_EQ(v.scaler_node(Scenario::node_id(0))->confirmed_in_a, c.confirmations);
  }
}

// A HyperNode belongs to A when it answered ≥ half of the era's non-maintenance ScalerNodes.
TEST(EraVerdict, AMembershipAtExactlyHalf) {
  struct Case {
    size_t nodes, answered;
    bool in_a;
  };
  const Case cases[] = {{4, 2, true}, {4, 1, false}, {5, 3, true}, {5, 2, false},
                        {1, 1, true}, {1, 0, false}, {6, 3, true}};
  for (const Case& c : cases) {
    Scenario s(3, c.nodes);
    s.answers_first(2, c.answered);  // HyperNode 3 (index 2) is the one under test
    EraVerdicts v = run(s.build());
    ASSERT_TRUE(v.has_verdict);
    const HyperNodeReport* r = v.hyper_node(Scenario::hn_id(2));
    EXPECT_EQ(r->answered, c.answered);
    EXPECT_EQ(r->in_a, c.in_a) << c.answered << " of " << c.nodes;
    EXPECT_EQ(v.a_size, c.in_a ? 3u : 2u);
  }
}

// A HyperNode that was itself down must not take nodes down: outside A it does not count.
TEST(EraVerdict, DownHyperNodeDoesNotTakeNodesDown) {
  Scenario s(3, 4);
  s.answers_first(2, 0);  // HyperNode 3 answered nobody
  s.silent_hns = {2};
  EraVerdicts v = run(s.build());
  ASSERT_TRUE(v.has_verdict);
  EXPECT_EQ(v.a_size, 2u);
  EXPECT_EQ(v.up_quorum, 2u);
  for (size_t n = 0; n < 4; ++n) EXPECT_EQ(verdict_of(v, n), Verdict::kUp);
  const HyperNodeReport* r = v.hyper_node(Scenario::hn_id(2));
  EXPECT_FALSE(r->in_a);
  EXPECT_FALSE(r->good);
  EXPECT_EQ(r->performance_wad, 0);
}

// No verdict when |A| = 0 or |A| < half of the active HyperNodes.
TEST(EraVerdict, NoVerdict) {
  struct Case {
    size_t hns, in_a;
    bool has_verdict;
  };
  const Case cases[] = {{4, 2, true}, {4, 1, false}, {5, 3, true}, {5, 2, false},
                        {1, 1, true}, {1, 0, false}, {2, 1, true}};
  for (const Case& c : cases) {
    Scenario s(c.hns, 2);
    for (size_t h = c.in_a; h < c.hns; ++h) {
      s.answers_first(h, 0);
      s.silent_hns.insert(h);
    }
    EraVerdicts v = run(s.build());
    EXPECT_EQ(v.a_size, c.in_a);
    EXPECT_EQ(v.has_verdict, c.has_verdict) << c.in_a << " of " << c.hns;
    if (!c.has_verdict) {
      EXPECT_EQ(verdict_of(v, 0), Verdict::kNone);
      EXPECT_NE(v.no_verdict_reason.find("A too small"), std::string::npos);
      EXPECT_EQ(v.up_count, 0u);
    }
  }
  Scenario none(0, 3);
  EraVerdicts v = run(none.build());
  EXPECT_FALSE(v.has_verdict);
  EXPECT_EQ(v.no_verdict_reason, "no HyperNode was active at the era's start");
  EXPECT_EQ(verdict_of(v, 2), Verdict::kNone);
}

TEST(EraVerdict, MaintenanceIsNeitherUpNorDown) {
  Scenario s(3, 4);
  s.maintenance = {1, 2};
  // HyperNode 3 answers only node 0 of the two non-maintenance nodes: exactly half → in A.
  s.answers[3][2] = false;
  EraVerdicts v = run(s.build());
  ASSERT_TRUE(v.has_verdict);
  EXPECT_EQ(verdict_of(v, 1), Verdict::kMaintenance);
  EXPECT_EQ(verdict_of(v, 2), Verdict::kMaintenance);
  EXPECT_EQ(verdict_of(v, 0), Verdict::kUp);
  EXPECT_TRUE(v.hyper_node(Scenario::hn_id(2))->in_a);
  EXPECT_EQ(v.up_count, 2u);

  // A batch from a node in maintenance is not counted.
  Scenario with_batch(3, 2);
  EraVerdictInput in = with_batch.build();
  in.scaler_nodes[1].maintenance = true;
  EraVerdicts w = run(in);
  EXPECT_EQ(verdict_of(w, 1), Verdict::kMaintenance);
  ASSERT_EQ(w.rejected_batches.size(), 1u);
  EXPECT_NE(w.rejected_batches[0].reason.find("declared maintenance"), std::string::npos);
}

// A valid HyperNode signature the HyperNode's batch omits counts, and marks it misreporting.
TEST(EraVerdict, MisreportingHyperNode) {
  Scenario s(3, 3);
  s.omitted = {{0, 1}, {2, 1}};
  EraVerdicts v = run(s.build());
  for (size_t n = 0; n < 3; ++n) {
    EXPECT_EQ(verdict_of(v, n), Verdict::kUp);
    EXPECT_EQ(v.scaler_node(Scenario::node_id(n))->confirmed_in_a, 3u);
  }
  const HyperNodeReport* r = v.hyper_node(Scenario::hn_id(1));
  EXPECT_TRUE(r->misreporting);
  EXPECT_EQ(r->omitted, 2u);
  EXPECT_EQ(r->answered, 3u);
  EXPECT_FALSE(v.hyper_node(Scenario::hn_id(0))->misreporting);

  // No batch at all: every entry is verified alone and counts; the HyperNode misreported all.
  Scenario silent(3, 3);
  silent.silent_hns = {0};
  EraVerdicts w = run(silent.build());
  const HyperNodeReport* q = w.hyper_node(Scenario::hn_id(0));
  EXPECT_FALSE(q->batch_counted);
  EXPECT_EQ(q->omitted, 3u);
  EXPECT_TRUE(q->in_a);
  EXPECT_EQ(verdict_of(w, 0), Verdict::kUp);
}

// An entry whose HyperNode signature fails is dropped and marks the daemon.
TEST(EraVerdict, ForgedEntriesAreDropped) {
  Scenario s(3, 3);
  s.answers[0][0] = false;
  s.answers[0][1] = false;  // node 101 was answered only by HyperNode 3 …
  EraVerdictInput in = s.build();
  // … and claims answers from HyperNodes 1 and 2, signed with keys that are not theirs.
  DaemonBatch& b = in.daemon_batches[0];
  ASSERT_EQ(b.scaler_node_id, Scenario::node_id(0));
  for (size_t h : {0, 1}) {
    DaemonEntry e = Scenario::entry(0, h);
    e.hyper_node_signature =
        sign_hash(key(9, uint8_t(h)),
                  signing_digest(kDomain, response_of(kDomain, e, kEra, b.scaler_node_id)));
    b.entries.push_back(e);
  }
  ASSERT_TRUE(sign_batch(kDomain, b, Scenario::daemon_key(0)));
  EraVerdicts v = run(in);
  const ScalerNodeVerdict* node = v.scaler_node(Scenario::node_id(0));
  EXPECT_EQ(node->verdict, Verdict::kDown);
  EXPECT_EQ(node->dropped, 2u);
  EXPECT_EQ(node->confirmed, 1u);
  ASSERT_EQ(v.dropped_entries.size(), 2u);
  EXPECT_EQ(v.dropped_entries[0].hyper_node_id, Scenario::hn_id(0));
  EXPECT_NE(v.dropped_entries[0].reason.find("hyperNode signature: signature is by"),
            std::string::npos)
      << v.dropped_entries[0].reason;
  EXPECT_FALSE(v.hyper_node(Scenario::hn_id(0))->misreporting);

  // A changed response time breaks the HyperNode signature the same way.
  Scenario t(3, 3);
  t.silent_hns = {2};  // forces single verification of every entry naming HyperNode 3
  EraVerdictInput tin = t.build();
  tin.daemon_batches[1].entries[2].hyper_node_time += 1;
  ASSERT_TRUE(sign_batch(kDomain, tin.daemon_batches[1], Scenario::daemon_key(1)));
  EraVerdicts tv = run(tin);
  EXPECT_EQ(tv.scaler_node(Scenario::node_id(1))->dropped, 1u);
  EXPECT_EQ(tv.hyper_node(Scenario::hn_id(2))->omitted, 2u);

  // An entry naming a HyperNode that was not active is dropped without marking the daemon.
  Scenario u(3, 3);
  EraVerdictInput uin = u.build();
  DaemonEntry stray = Scenario::entry(0, 7);
  uin.daemon_batches[0].entries.push_back(stray);
  ASSERT_TRUE(sign_batch(kDomain, uin.daemon_batches[0], Scenario::daemon_key(0)));
  EraVerdicts uv = run(uin);
  EXPECT_EQ(uv.scaler_node(Scenario::node_id(0))->dropped, 0u);
  ASSERT_EQ(uv.dropped_entries.size(), 1u);
  EXPECT_EQ(uv.dropped_entries[0].reason, "hyperNode 8 was not active at the era's start");
  EXPECT_EQ(verdict_of(uv, 0), Verdict::kUp);
}

// Hashes in a HyperNode's batch that no daemon claims never confirm anything.
TEST(EraVerdict, HyperNodeClaimsAloneConfirmNothing) {
  Scenario s(3, 3);
  s.silent_nodes = {0};
  EraVerdicts v = run(s.build());
  EXPECT_EQ(verdict_of(v, 0), Verdict::kDown);
  EXPECT_EQ(v.scaler_node(Scenario::node_id(0))->reason, "no counted batch from the daemon");
  for (const HyperNodeReport& r : v.hyper_nodes) EXPECT_EQ(r.unmatched, 1u);
}

TEST(EraVerdict, BatchRejections) {
  Scenario s(3, 3);
  EraVerdictInput base = s.build();

  struct Case {
    const char* name;
    std::function<void(EraVerdictInput&)> mutate;
    const char* reason;
    OriginatorKind kind;
  };
  const Case cases[] = {
      {"wrong era",
       [](EraVerdictInput& in) {
         in.daemon_batches[0].era = kEra + 1;
         ASSERT_TRUE(sign_batch(kDomain, in.daemon_batches[0], Scenario::daemon_key(0)));
       },
       "batch is for era 8, not 7", OriginatorKind::kScalerNode},
      {"unknown node", [](EraVerdictInput& in) { in.daemon_batches[0].scaler_node_id = 999; },
       "scalerNode 999 is not expected to report this era", OriginatorKind::kScalerNode},
      {"inactive hypernode",
       [](EraVerdictInput& in) { in.hyper_node_batches[0].hyper_node_id = 77; },
       "hyperNode 77 was not active at the era's start", OriginatorKind::kHyperNode},
      {"signed by another key",
       [](EraVerdictInput& in) {
         ASSERT_TRUE(sign_batch(kDomain, in.daemon_batches[0], Scenario::hn_key(0)));
       },
       "batch: signature is by", OriginatorKind::kScalerNode},
      {"tampered after signing",
       [](EraVerdictInput& in) { in.hyper_node_batches[1].version = "other"; },
       "batch: signature is by", OriginatorKind::kHyperNode},
      {"other chain",
       [](EraVerdictInput& in) {
         ASSERT_TRUE(sign_batch(domain_separator(1, Address{}), in.hyper_node_batches[1],
                                Scenario::hn_key(1)));
       },
       "batch: signature is by", OriginatorKind::kHyperNode},
  };
  for (const Case& c : cases) {
    EraVerdictInput in = base;
    c.mutate(in);
    EraVerdicts v = run(in);
    ASSERT_EQ(v.rejected_batches.size(), 1u) << c.name;
    EXPECT_EQ(v.rejected_batches[0].kind, c.kind) << c.name;
    EXPECT_NE(v.rejected_batches[0].reason.find(c.reason), std::string::npos)
        << c.name << ": " << v.rejected_batches[0].reason;
  }
}

TEST(EraVerdict, EquivocationRejectsBothAndDuplicatesCountOnce) {
  Scenario s(3, 3);
  EraVerdictInput in = s.build();
  in.daemon_batches.push_back(in.daemon_batches[0]);  // an identical copy: fine
  EraVerdicts same = run(in);
  EXPECT_TRUE(same.rejected_batches.empty());
  EXPECT_EQ(verdict_of(same, 0), Verdict::kUp);

  DaemonBatch other = in.daemon_batches[0];
  other.version = "icn/other";
  ASSERT_TRUE(sign_batch(kDomain, other, Scenario::daemon_key(0)));
  in.daemon_batches.push_back(other);
  EraVerdicts v = run(in);
  EXPECT_EQ(v.rejected_batches.size(), 2u);  // the first and the other (the copy merged)
  for (const RejectedBatch& r : v.rejected_batches) {
    EXPECT_EQ(r.originator_id, Scenario::node_id(0));
    EXPECT_NE(r.reason.find("equivocation"), std::string::npos);
  }
  EXPECT_EQ(verdict_of(v, 0), Verdict::kDown);
  EXPECT_EQ(verdict_of(v, 1), Verdict::kUp);
}

// p = UP nodes answered / UP nodes; GOOD at p ≥ 0.9 exactly.
TEST(EraVerdict, PerformanceAndGood) {
  struct Case {
    size_t answered;
    uint64_t p_wad;
    bool good;
  };
  const Case cases[] = {{10, kWad, true},
                        {9, 900'000'000'000'000'000ULL, true},
                        {8, 800'000'000'000'000'000ULL, false},
                        {5, 500'000'000'000'000'000ULL, false}};
  for (const Case& c : cases) {
    Scenario s(4, 10);
    s.answers_first(3, c.answered);  // HyperNode 4 under test; the others keep every node UP
    EraVerdicts v = run(s.build());
    ASSERT_EQ(v.up_count, 10u);
    const HyperNodeReport* r = v.hyper_node(Scenario::hn_id(3));
    EXPECT_EQ(r->answered_up, c.answered);
    EXPECT_EQ(r->performance_wad, U256(c.p_wad));
    EXPECT_EQ(r->good, c.good) << c.answered;
  }
  // Rounding is down: 2 of 3 → 0.666…6.
  Scenario s(3, 3);
  s.answers_first(2, 2);
  EraVerdicts v = run(s.build());
  EXPECT_EQ(v.hyper_node(Scenario::hn_id(2))->performance_wad, U256(666'666'666'666'666'666ULL));
}

TEST(EraVerdict, OrderOfInputDoesNotMatter) {
  Scenario s(4, 6);
  s.answers_first(3, 2);
  s.omitted = {{1, 0}};
  s.answered_by_first(5, 1);
  EraVerdictInput in = s.build();
  EraVerdicts a = run(in);
  std::mt19937 rng(1);
  std::shuffle(in.daemon_batches.begin(), in.daemon_batches.end(), rng);
  std::shuffle(in.hyper_node_batches.begin(), in.hyper_node_batches.end(), rng);
  std::shuffle(in.scaler_nodes.begin(), in.scaler_nodes.end(), rng);
  std::shuffle(in.hyper_nodes.begin(), in.hyper_nodes.end(), rng);
  EraVerdicts b = run(in);
  ASSERT_EQ(a.scaler_nodes.size(), b.scaler_nodes.size());
  for (size_t i = 0; i < a.scaler_nodes.size(); ++i) {
    EXPECT_EQ(a.scaler_nodes[i].id, b.scaler_nodes[i].id);
    EXPECT_EQ(a.scaler_nodes[i].verdict, b.scaler_nodes[i].verdict);
    EXPECT_EQ(a.scaler_nodes[i].reason, b.scaler_nodes[i].reason);
  }
  for (size_t i = 0; i < a.hyper_nodes.size(); ++i) {
    EXPECT_EQ(a.hyper_nodes[i].performance_wad, b.hyper_nodes[i].performance_wad);
    EXPECT_EQ(a.hyper_nodes[i].omitted, b.hyper_nodes[i].omitted);
  }
  EXPECT_EQ(verdict_of(a, 5), Verdict::kDown);
}

// The pre-checked path differs from the verifying one only in skipping batch signatures: a
// misreporting HyperNode, a forged entry (its single signatures are still checked on the
// mismatch), maintenance, silence and equivocation give identical verdicts on both paths.
TEST(EraVerdict, PreCheckedBatchesGiveTheSameVerdicts) {
  Scenario s(5, 8);
  s.omitted = {{0, 1}, {3, 1}, {4, 2}};
  s.maintenance = {6};
  s.silent_hns = {4};
  s.answers_first(3, 2);
  EraVerdictInput in = s.build();
  DaemonEntry forged = Scenario::entry(1, 4);
  forged.hyper_node_time += 5;  // breaks the HyperNode's signature over the response
  in.daemon_batches[1].entries.back() = forged;
  ASSERT_TRUE(sign_batch(kDomain, in.daemon_batches[1], Scenario::daemon_key(1)));
  DaemonBatch other = in.daemon_batches[2];
  other.version = "icn/other";
  ASSERT_TRUE(sign_batch(kDomain, other, Scenario::daemon_key(2)));
  in.daemon_batches.push_back(other);
  ASSERT_TRUE(every_batch_verifies(in));

  auto verified = compute_era_verdicts(in, BatchSignatures::kVerify);
  auto checked = compute_era_verdicts(in, BatchSignatures::kCheckedByCaller);
  ASSERT_TRUE(verified && checked);
  expect_same(*verified, *checked);
  EXPECT_EQ(verified->scaler_node(Scenario::node_id(1))->dropped, 1u);
  EXPECT_EQ(verified->rejected_batches.size(), 2u);  // node 103's equivocation
  EXPECT_TRUE(verified->hyper_node(Scenario::hn_id(1))->misreporting);
  EXPECT_EQ(verified->scaler_node(Scenario::node_id(6))->verdict, Verdict::kMaintenance);

  // The default verifies: a batch signed by another key is rejected only there, which is why
  // kCheckedByCaller is for callers that verified every batch themselves.
  ASSERT_TRUE(sign_batch(kDomain, in.daemon_batches[0], Scenario::hn_key(0)));
  auto v = compute_era_verdicts(in);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rejected_batches.size(), 3u);
  EXPECT_FALSE(v->scaler_node(Scenario::node_id(0))->batch_counted);
  EXPECT_TRUE(compute_era_verdicts(in, BatchSignatures::kCheckedByCaller)
                  ->scaler_node(Scenario::node_id(0))
                  ->batch_counted);
}

TEST(EraVerdict, InconsistentCallerInput) {
  Scenario s(2, 2);
  EraVerdictInput in = s.build();
  in.hyper_nodes.push_back(in.hyper_nodes[0]);
  auto r = compute_era_verdicts(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "era verdict: hyperNode 1 listed twice");
  in = s.build();
  in.scaler_nodes.push_back(in.scaler_nodes[1]);
  EXPECT_EQ(compute_era_verdicts(in).error().message, "era verdict: scalerNode 102 listed twice");
  in = s.build();
  in.rules.up_quorum.den = 0;
  EXPECT_FALSE(compute_era_verdicts(in));
}

}  // namespace
}  // namespace icn::protocol
