// The generated eras: real signatures, DOWN nodes where the cast says, byzantine participants
// caught as DESIGN §6 says, determinism, the disk cache, and a small run through the satellite.
#include "icn/sim/era_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "icn/core/era_verdict.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/sim/sim_runner.hpp"

namespace icn::sim {
namespace {

SimParams params(uint32_t n, uint32_t m, double down = 0, uint32_t byzantine = 0,
                 uint64_t seed = 7) {
  SimParams p;
  p.scaler_nodes = n;
  p.hyper_nodes = m;
  p.down_rate = down;
  p.byzantine = byzantine;
  p.seed = seed;
  return p;
}

protocol::EraVerdictInput verdict_input(const SimNetwork& net, const GeneratedEra& era) {
  protocol::EraVerdictInput in;
  in.era = era.era;
  in.domain = net.domain();
  for (uint32_t j = 0; j < net.params().hyper_nodes; ++j) {
    in.hyper_nodes.push_back({SimNetwork::hyper_node_id(j), net.hyper_node_signer(j)});
  }
  for (uint32_t i = 0; i < net.params().scaler_nodes; ++i) {
    in.scaler_nodes.push_back({SimNetwork::scaler_node_id(i), net.daemon(i), false});
  }
  for (const auto& text : era.batches) {
    auto decoded = protocol::decode_batch(text);
    EXPECT_TRUE(decoded) << decoded.error().message;
    if (!decoded) continue;
    if (auto* d = std::get_if<protocol::DaemonBatch>(&*decoded)) {
      in.daemon_batches.push_back(*d);
    } else {
      in.hyper_node_batches.push_back(std::get<protocol::HyperNodeBatch>(*decoded));
    }
  }
  return in;
}

TEST(EraGenerator, BatchesAndEntriesAreSignedByTheRegisteredKeys) {
  auto net = SimNetwork::create(params(6, 3)).value();
  auto era = generate_era(net, 4, 2).value();
  ASSERT_EQ(era.batches.size(), 6u + 3u);
  EXPECT_EQ(era.challenges, 18u);
  auto in = verdict_input(net, era);
  ASSERT_EQ(in.daemon_batches.size(), 6u);
  ASSERT_EQ(in.hyper_node_batches.size(), 3u);
  for (size_t i = 0; i < 6; ++i) {
    const auto& b = in.daemon_batches[i];
    EXPECT_EQ(b.scaler_node_id, SimNetwork::scaler_node_id(i));
    EXPECT_EQ(b.era, 4u);
    EXPECT_TRUE(protocol::verify_batch(net.domain(), b, net.daemon(i)));
    EXPECT_FALSE(protocol::verify_batch(net.domain(), b, net.daemon((i + 1) % 6)));
    ASSERT_EQ(b.entries.size(), 3u);
    for (size_t j = 0; j < 3; ++j) {
      const auto& e = b.entries[j];
      Hash c = protocol::challenge_hash(net.domain(), e, 4, b.scaler_node_id);
      EXPECT_TRUE(protocol::check_signer(c, e.daemon_signature, net.daemon(i), "daemon"));
      auto response = protocol::response_of(net.domain(), e, 4, b.scaler_node_id);
      EXPECT_TRUE(protocol::check_signer(protocol::signing_digest(net.domain(), response),
                                         e.hyper_node_signature, net.hyper_node_signer(j),
                                         "hypernode"));
      const auto& hashes = in.hyper_node_batches[j].challenge_hashes;
      EXPECT_TRUE(std::binary_search(hashes.begin(), hashes.end(), c));
    }
  }
  for (size_t j = 0; j < 3; ++j) {
    EXPECT_TRUE(
        protocol::verify_batch(net.domain(), in.hyper_node_batches[j], net.hyper_node_signer(j)));
  }
  auto verdicts = protocol::compute_era_verdicts(in).value();
  EXPECT_TRUE(verdicts.has_verdict);
  EXPECT_EQ(verdicts.up_count, 6u);
  EXPECT_TRUE(verdicts.dropped_entries.empty());
  EXPECT_TRUE(verdicts.rejected_batches.empty());
}

TEST(EraGenerator, DownNodesSendNothingAndAreJudgedDown) {
  auto net = SimNetwork::create(params(10, 3, 0.3)).value();
  auto era = generate_era(net, 2, 2).value();
  ASSERT_EQ(era.cast.down_nodes.size(), 3u);
  EXPECT_EQ(era.batches.size(), 7u + 3u);
  EXPECT_EQ(era.challenges, 21u);
  auto verdicts = protocol::compute_era_verdicts(verdict_input(net, era)).value();
  ASSERT_TRUE(verdicts.has_verdict);
  std::set<uint32_t> down(era.cast.down_nodes.begin(), era.cast.down_nodes.end());
  for (uint32_t i = 0; i < 10; ++i) {
    const auto* v = verdicts.scaler_node(SimNetwork::scaler_node_id(i));
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->verdict, down.count(i) ? protocol::Verdict::kDown : protocol::Verdict::kUp)
        << "node " << i;
  }
  // Another era picks its own down nodes from the seed.
  auto other = cast_era(net.params(), 3);
  EXPECT_EQ(other.down_nodes.size(), 3u);
}

TEST(EraGenerator, ByzantineParticipantsAreCaught) {
  // byzantine 2: HyperNode 0 omits every tenth UP node's answer; one daemon forges an entry.
  auto net = SimNetwork::create(params(20, 4, 0, 2)).value();
  auto era = generate_era(net, 1, 2).value();
  ASSERT_EQ(era.cast.omitting_hyper_nodes, std::vector<uint32_t>{0});
  ASSERT_EQ(era.cast.forging_nodes.size(), 1u);
  const uint32_t forger = era.cast.forging_nodes[0];
  auto verdicts = protocol::compute_era_verdicts(verdict_input(net, era)).value();
  ASSERT_TRUE(verdicts.has_verdict);

  const auto* omitting = verdicts.hyper_node(SimNetwork::hyper_node_id(0));
  ASSERT_NE(omitting, nullptr);
  EXPECT_TRUE(omitting->misreporting);
  EXPECT_EQ(omitting->omitted, 2u);  // UP nodes 0 and 10: confirmed by their signatures anyway
  for (uint32_t j = 1; j < 4; ++j) {
    EXPECT_FALSE(verdicts.hyper_node(SimNetwork::hyper_node_id(j))->misreporting);
  }

  ASSERT_EQ(verdicts.dropped_entries.size(), 1u);
  EXPECT_EQ(verdicts.dropped_entries[0].scaler_node_id, SimNetwork::scaler_node_id(forger));
  const auto* v = verdicts.scaler_node(SimNetwork::scaler_node_id(forger));
  EXPECT_EQ(v->dropped, 1u);
  EXPECT_EQ(v->confirmed, 3u);
  EXPECT_EQ(v->verdict, protocol::Verdict::kUp);  // 3 of 4 still meets the ⌈2/3 · 4⌉ quorum
  // The HyperNode answered the real challenge, which no daemon entry claims.
  EXPECT_EQ(verdicts.hyper_node(SimNetwork::hyper_node_id(forger % 4))->unmatched, 1u);
  EXPECT_EQ(verdicts.up_count, 20u);
}

TEST(EraGenerator, SameSeedSameBatchesOtherSeedOthers) {
  auto a = generate_era(SimNetwork::create(params(5, 2, 0.2, 1)).value(), 3, 2).value();
  auto b = generate_era(SimNetwork::create(params(5, 2, 0.2, 1)).value(), 3, 1).value();
  auto c = generate_era(SimNetwork::create(params(5, 2, 0.2, 1, 8)).value(), 3, 2).value();
  EXPECT_EQ(a.batches, b.batches);  // also whatever the thread count
  EXPECT_NE(a.batches, c.batches);
  EXPECT_NE(cache_file_name(params(5, 2, 0.2, 1), 3), cache_file_name(params(5, 2, 0.2, 1, 8), 3));
  EXPECT_NE(cache_file_name(params(5, 2, 0.2, 1), 3), cache_file_name(params(5, 2, 0.1, 1), 3));
}

TEST(EraGenerator, CachedErasStreamTheSameBatches) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "icn-sim-cache-test";
  std::filesystem::remove_all(dir);
  auto net = SimNetwork::create(params(5, 2, 0.2, 1)).value();
  auto first = ensure_cached_era(net, 3, dir, 2).value();
  EXPECT_FALSE(first.from_cache);
  auto second = ensure_cached_era(net, 3, dir, 2).value();
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.batches, first.batches);
  EXPECT_EQ(second.challenges, first.challenges);
  EXPECT_EQ(second.cast.down_nodes, first.cast.down_nodes);
  std::vector<std::string> streamed;
  ASSERT_TRUE(for_each_cached_batch(second.file, [&](std::string_view b) -> Status {
    streamed.emplace_back(b);
    return {};
  }));
  EXPECT_EQ(streamed, generate_era(net, 3, 2).value().batches);
  std::filesystem::remove_all(dir);
}

TEST(SimRunner, ErasThroughTheSatelliteReportConsistentCounts) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "icn-sim-run-test";
  std::filesystem::remove_all(dir);
  SimOptions o;
  o.params = params(12, 3, 0.25, 2);
  o.eras = 2;
  o.cache_dir = dir / "cache";
  o.work_dir = dir / "work";
  o.calibration_seconds = 0.02;
  auto report = run_sim(o);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->eras.size(), 2u);
  for (const auto& e : report->eras) {
    EXPECT_EQ(e.rejected, 0u);
    EXPECT_EQ(e.accepted, 9u + 3u);  // 3 of 12 down
    EXPECT_EQ(e.challenges, 9u * 3u);
    EXPECT_TRUE(e.has_verdict);
    EXPECT_EQ(e.down, 3u);
    EXPECT_EQ(e.up, 9u);
    EXPECT_EQ(e.misreporting_hyper_nodes, 1u);
    EXPECT_EQ(e.dropped_entries, 1u);
    EXPECT_EQ(e.results_root.size(), 66u);
  }
  EXPECT_NE(report->eras[0].data_root, report->eras[1].data_root);
  EXPECT_EQ(report->batches, 24u);
  EXPECT_EQ(report->challenges, 54u);
  EXPECT_GT(report->satellite_seconds, 0);
  EXPECT_GT(report->calibration.keccak64_per_second, 0);
  EXPECT_GT(report->calibration.recover_per_second, 0);
  auto json = to_json(*report);
  EXPECT_EQ(json["challenges"], 54);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace icn::sim
