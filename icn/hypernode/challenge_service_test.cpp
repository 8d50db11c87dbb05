// Tests for ChallengeService: every refusal with its reason, idempotent repeats, durability
// across a restart, the per-era chain cache and concurrent identical challenges.
#include "icn/hypernode/challenge_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "icn/hypernode/test_support.hpp"

namespace icn::hypernode {
namespace {

using testing::FakeChain;
using testing::FakeClock;
using testing::key_of;

constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr uint64_t kNowS = 1'700'000'000;
const U256 kHyperNodeId = 3;

struct Fixture {
  FakeChain chain;
  FakeClock clock{kNowMs};
  std::unique_ptr<HyperNodeStore> store;
  std::unique_ptr<ChallengeService> service;
  PrivateKey hypernode_key = key_of(1);
  PrivateKey daemon5 = key_of(5);  // ScalerNode 5, Validated
  PrivateKey daemon6 = key_of(6);  // ScalerNode 6, Rejected
  Hash domain = protocol::domain_separator(U256(31337), chain.settlement());
  ChallengeServiceOptions options;

  explicit Fixture(const std::filesystem::path& db = ":memory:") {
    chain.add_node(5, daemon5.address());
    chain.add_node(6, daemon6.address(), chain::ScalerNodeStatus::kRejected);
    chain.add_node(8, key_of(8).address(), chain::ScalerNodeStatus::kBooked);
    open(db);
  }
  void open(const std::filesystem::path& db) {
    service.reset();
    store.reset();
    store = std::move(HyperNodeStore::open(db).value());
    service = std::make_unique<ChallengeService>(chain, *store, kHyperNodeId, hypernode_key,
                                                 clock.fn(), options);
  }
  protocol::Challenge challenge(uint64_t node = 5) const {
    protocol::Challenge c;
    c.era = 7;
    c.scaler_node_id = node;
    c.hyper_node_id = kHyperNodeId;
    c.nonce[0] = 0xab;
    c.nonce[31] = uint8_t(node);
    c.daemon_time = kNowS;
    return c;
  }
  protocol::SignedChallenge signed_by(const protocol::Challenge& c, const PrivateKey& key) const {
    return protocol::sign(domain, c, key);
  }
};

Answered expect_answered(const AnswerOutcome& outcome) {
  if (const auto* r = std::get_if<Refused>(&outcome)) {
    ADD_FAILURE() << "refused: " << reason_code(r->reason) << ": " << r->message;
    return Answered{};
  }
  return std::get<Answered>(outcome);
}

TEST(ChallengeService, AnswersWithAResponseSignedByTheHyperNodeKey) {
  Fixture f;
  auto c = f.challenge();
  Answered a = expect_answered(f.service->answer(f.signed_by(c, f.daemon5)));
  EXPECT_FALSE(a.repeat);
  EXPECT_EQ(a.response.response.challenge_hash, protocol::signing_digest(f.domain, c));
  EXPECT_EQ(a.response.response.hyper_node_time, kNowS);
  EXPECT_TRUE(protocol::verify(f.domain, a.response, f.hypernode_key.address()).ok());
  EXPECT_EQ(f.service->status().answered_this_era, 1u);
  EXPECT_EQ(f.service->status().era, 7u);
}

struct RejectionCase {
  std::string name;
  Refusal expected;
  std::function<protocol::SignedChallenge(Fixture&)> make;
};

TEST(ChallengeService, RefusesEachBadChallengeWithItsReason) {
  const std::vector<RejectionCase> cases = {
      {"wrong hypernode", Refusal::kWrongHyperNode,
       [](Fixture& f) {
         auto c = f.challenge();
         c.hyper_node_id = 4;
         return f.signed_by(c, f.daemon5);
       }},
      {"stale era", Refusal::kStaleEra,
       [](Fixture& f) {
         auto c = f.challenge();
         c.era = 6;
         return f.signed_by(c, f.daemon5);
       }},
      {"future era", Refusal::kFutureEra,
       [](Fixture& f) {
         auto c = f.challenge();
         c.era = 8;
         return f.signed_by(c, f.daemon5);
       }},
      {"clock 31 s behind", Refusal::kClockSkew,
       [](Fixture& f) {
         auto c = f.challenge();
         c.daemon_time = kNowS - 31;
         return f.signed_by(c, f.daemon5);
       }},
      {"clock 31 s ahead", Refusal::kClockSkew,
       [](Fixture& f) {
         auto c = f.challenge();
         c.daemon_time = kNowS + 31;
         return f.signed_by(c, f.daemon5);
       }},
      {"unknown node", Refusal::kUnknownScalerNode,
       [](Fixture& f) { return f.signed_by(f.challenge(99), f.daemon5); }},
      {"rejected node", Refusal::kScalerNodeNotInService,
       [](Fixture& f) { return f.signed_by(f.challenge(6), f.daemon6); }},
      {"signature from which no key recovers", Refusal::kInvalidSignature,
       [](Fixture& f) {
         auto sc = f.signed_by(f.challenge(), f.daemon5);
         sc.signature.r = Hash{};  // r = 0 is outside [1, n-1]
         return sc;
       }},
      {"signed by another key", Refusal::kWrongDaemonKey,
       [](Fixture& f) { return f.signed_by(f.challenge(), f.daemon6); }},
      {"signature over other fields", Refusal::kWrongDaemonKey,
       [](Fixture& f) {
         auto sc = f.signed_by(f.challenge(), f.daemon5);
         sc.challenge.nonce[1] ^= 1;  // recovers to some other address
         return sc;
       }},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    Fixture f;
    AnswerOutcome outcome = f.service->answer(tc.make(f));
    ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
    EXPECT_EQ(reason_code(std::get<Refused>(outcome).reason), reason_code(tc.expected))
        << std::get<Refused>(outcome).message;
    EXPECT_FALSE(std::get<Refused>(outcome).message.empty());
    // A refusal changes nothing: the node can still be answered.
    EXPECT_EQ(f.service->status().answered_this_era, 0u);
    expect_answered(f.service->answer(f.signed_by(f.challenge(), f.daemon5)));
  }
}

TEST(ChallengeService, ThirtySecondsOfSkewIsAccepted) {
  Fixture f;
  auto c = f.challenge();
  c.daemon_time = kNowS - 30;
  expect_answered(f.service->answer(f.signed_by(c, f.daemon5)));
  auto c8 = f.challenge(8);  // Booked counts as in service
  c8.daemon_time = kNowS + 30;
  expect_answered(f.service->answer(f.signed_by(c8, key_of(8))));
}

TEST(ChallengeService, IdenticalRepeatGetsTheStoredAnswerAndAnotherChallengeIsADuplicate) {
  Fixture f;
  auto sc = f.signed_by(f.challenge(), f.daemon5);
  Answered first = expect_answered(f.service->answer(sc));
  f.clock.advance_ms(5000);  // a later answer would carry a later hyperNodeTime
  Answered again = expect_answered(f.service->answer(sc));
  EXPECT_TRUE(again.repeat);
  EXPECT_EQ(again.response, first.response);

  auto other = f.challenge();
  other.nonce[5] = 1;
  AnswerOutcome dup = f.service->answer(f.signed_by(other, f.daemon5));
  ASSERT_TRUE(std::holds_alternative<Refused>(dup));
  EXPECT_EQ(std::get<Refused>(dup).reason, Refusal::kDuplicateChallenge);
  EXPECT_EQ(f.service->status().answered_this_era, 1u);
}

TEST(ChallengeService, RestartGivesTheSameAnswerAndStillRefusesADifferentChallenge) {
  auto dir = std::filesystem::temp_directory_path() /
             ("icn_hypernode_restart_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Fixture f(dir / "hypernode.db");
  auto sc = f.signed_by(f.challenge(), f.daemon5);
  Answered first = expect_answered(f.service->answer(sc));

  f.clock.advance_ms(10'000);
  f.open(dir / "hypernode.db");  // a new store and service on the same file
  Answered again = expect_answered(f.service->answer(sc));
  EXPECT_TRUE(again.repeat);
  EXPECT_EQ(again.response, first.response);
  EXPECT_EQ(f.service->status().answered_this_era, 1u);

  auto other = f.challenge();
  other.nonce[9] = 9;
  AnswerOutcome dup = f.service->answer(f.signed_by(other, f.daemon5));
  ASSERT_TRUE(std::holds_alternative<Refused>(dup));
  EXPECT_EQ(std::get<Refused>(dup).reason, Refusal::kDuplicateChallenge);
  f.service.reset();
  f.store.reset();
  std::filesystem::remove_all(dir);
}

TEST(ChallengeService, ChainIsReadOncePerEraNotPerChallenge) {
  Fixture f;
  ASSERT_TRUE(f.service->refresh().ok());
  int node_reads = f.chain.node_reads;
  int head_reads = f.chain.head_reads;
  for (uint64_t n : {5, 8}) {
    expect_answered(f.service->answer(f.signed_by(f.challenge(n), n == 5 ? f.daemon5 : key_of(8))));
  }
  EXPECT_EQ(f.chain.node_reads, node_reads);
  EXPECT_EQ(f.chain.head_reads, head_reads);
  ASSERT_TRUE(f.service->refresh().ok());  // same era: only the head is read
  EXPECT_EQ(f.chain.node_reads, node_reads);
}

TEST(ChallengeService, NextEraChallengeRefreshesOnceTheChainHasMovedOn) {
  Fixture f;
  f.options.min_refresh_interval = std::chrono::milliseconds(0);
  f.open(":memory:");
  ASSERT_TRUE(f.service->refresh().ok());
  f.chain.set_head(8 * 20);  // era 8 began; the periodic refresh has not run yet
  auto c = f.challenge();
  c.era = 8;
  expect_answered(f.service->answer(f.signed_by(c, f.daemon5)));
  EXPECT_EQ(f.service->status().era, 8u);
  // Era 7 is closed now.
  AnswerOutcome stale = f.service->answer(f.signed_by(f.challenge(), f.daemon5));
  ASSERT_TRUE(std::holds_alternative<Refused>(stale));
  EXPECT_EQ(std::get<Refused>(stale).reason, Refusal::kStaleEra);
}

TEST(ChallengeService, ChainFailureBeforeTheFirstEraIsOurFault) {
  Fixture f;
  f.chain.broken = true;
  AnswerOutcome outcome = f.service->answer(f.signed_by(f.challenge(), f.daemon5));
  ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
  EXPECT_EQ(std::get<Refused>(outcome).reason, Refusal::kChainUnavailable);
  EXPECT_EQ(http_status(Refusal::kChainUnavailable), 503);
}

TEST(ChallengeService, ConcurrentIdenticalChallengesGetOneAnswer) {
  Fixture f;
  ASSERT_TRUE(f.service->refresh().ok());
  auto sc = f.signed_by(f.challenge(), f.daemon5);
  std::vector<AnswerOutcome> outcomes(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    threads.emplace_back([&, i] { outcomes[i] = f.service->answer(sc); });
  }
  for (auto& t : threads) t.join();
  int fresh = 0;
  for (const auto& o : outcomes) {
    Answered a = expect_answered(o);
    fresh += a.repeat ? 0 : 1;
    EXPECT_EQ(a.response, std::get<Answered>(outcomes[0]).response);
  }
  EXPECT_EQ(fresh, 1);
}

// The group commit gathers concurrent answers into one fsync; none of them may be answered before
// its record is committed, and a (node, era) is never answered twice differently — also not
// across a restart from the file. Each node gets several racing challenges (identical copies and
// ones with another nonce) from as many threads.
TEST(ChallengeService, ConcurrentAnswersOnDiskAreDurableWhenReturnedAndOnePerNodeAcrossRestart) {
  auto dir = std::filesystem::temp_directory_path() /
             ("icn_hypernode_gather_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto db = dir / "hypernode.db";
  Fixture f(db);
  constexpr uint64_t kNodes = 24;
  for (uint64_t n = 100; n < 100 + kNodes; ++n) f.chain.add_node(n, key_of(n).address());
  ASSERT_TRUE(f.service->refresh().ok());
  // A second connection to the same file sees only committed rows.
  auto reader = std::move(HyperNodeStore::open(db).value());

  std::vector<protocol::SignedChallenge> sent;
  for (uint64_t n = 100; n < 100 + kNodes; ++n) {
    auto c = f.challenge(n);
    sent.push_back(f.signed_by(c, key_of(n)));
    sent.push_back(f.signed_by(c, key_of(n)));  // the identical challenge again
    c.nonce[7] = 0x77;                          // and a different one for the same (node, era)
    sent.push_back(f.signed_by(c, key_of(n)));
  }
  std::vector<AnswerOutcome> outcomes(sent.size());
  std::vector<bool> visible_on_return(sent.size(), false);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < sent.size(); i += 12) {
        outcomes[i] = f.service->answer(sent[i]);
        auto* a = std::get_if<Answered>(&outcomes[i]);
        if (!a) continue;
        auto rows = reader->answers(7);
        if (!rows) continue;
        for (const StoredAnswer& row : *rows) {
          if (row.scaler_node_id == sent[i].challenge.scaler_node_id && row.response == a->response)
            visible_on_return[i] = true;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  std::map<U256, protocol::SignedChallengeResponse> answered;  // the one answer per node
  for (size_t i = 0; i < sent.size(); ++i) {
    const U256& node = sent[i].challenge.scaler_node_id;
    if (const auto* r = std::get_if<Refused>(&outcomes[i])) {
      EXPECT_EQ(r->reason, Refusal::kDuplicateChallenge) << r->message;
      continue;
    }
    const auto& a = std::get<Answered>(outcomes[i]);
    EXPECT_TRUE(visible_on_return[i]) << "answer " << i << " returned before it was committed";
    auto [it, first] = answered.emplace(node, a.response);
    EXPECT_EQ(it->second, a.response) << "ScalerNode " << to_decimal(node) << " answered twice";
  }
  EXPECT_EQ(answered.size(), kNodes);

  // Restart from the file: every challenge gets exactly the answer it got before, or is refused.
  reader.reset();
  f.clock.advance_ms(3000);
  f.open(db);
  for (size_t i = 0; i < sent.size(); ++i) {
    AnswerOutcome again = f.service->answer(sent[i]);
    const auto& before = answered.at(sent[i].challenge.scaler_node_id);
    if (const auto* a = std::get_if<Answered>(&again)) {
      EXPECT_TRUE(a->repeat);
      EXPECT_EQ(a->response, before);
    } else {
      EXPECT_EQ(std::get<Refused>(again).reason, Refusal::kDuplicateChallenge);
      EXPECT_NE(protocol::signing_digest(f.domain, sent[i].challenge),
                before.response.challenge_hash);
    }
  }
  EXPECT_EQ(f.service->status().answered_this_era, kNodes);
  f.service.reset();
  f.store.reset();
  std::filesystem::remove_all(dir);
}

TEST(ChallengeService, ClosedEraHashesAreTheAnswersOfAnEndedEra) {
  Fixture f;
  std::vector<Hash> expected;
  for (uint64_t n : {5, 8}) {
    auto c = f.challenge(n);
    expected.push_back(protocol::signing_digest(f.domain, c));
    expect_answered(f.service->answer(f.signed_by(c, n == 5 ? f.daemon5 : key_of(8))));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_FALSE(f.service->closed_era_hashes(7).ok());  // still current
  f.chain.set_head(8 * 20 + 1);
  ASSERT_TRUE(f.service->refresh().ok());
  auto hashes = f.service->closed_era_hashes(7);
  ASSERT_TRUE(hashes.ok()) << hashes.error().message;
  EXPECT_EQ(*hashes, expected);
  EXPECT_EQ(f.service->status().answered_this_era, 0u);
}

TEST(ChallengeService, EveryRefusalHasADistinctCode) {
  std::set<std::string_view> codes;
  for (Refusal r : kAllRefusals) {
    codes.insert(reason_code(r));
    EXPECT_GE(http_status(r), 400);
  }
  EXPECT_EQ(codes.size(), std::size(kAllRefusals));
}

}  // namespace
}  // namespace icn::hypernode
