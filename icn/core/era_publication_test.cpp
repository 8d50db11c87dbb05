// The era publication codec: results round-trip with every proof leading to the tree's root, a
// tampered leaf (fields or hash) refused, the rebuilt root catching a missing leaf, strict decoding
// of both documents, and batch hashes recomputed from the decoded batches.
#include "icn/core/era_publication.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"

namespace icn::protocol {
namespace {

using nlohmann::json;

PrivateKey test_key(uint8_t n) {
  FixedBytes<32> secret{};
  secret[31] = n;
  return *PrivateKey::from_bytes(secret);
}

EraState sample_state() {
  EraState s;
  s.era = 7;
  s.nodes[101] = NodeState{1000, 50, 0, 1010, 1, 0};
  s.nodes[102] = NodeState{2000, 100, 0, 1020, 2, 0};
  s.nodes[103] = NodeState{0, 0, 3675, 1030, 0, 0b111};
  s.bundle_rewards[9] = 100;
  return s;
}

PublishedEraResults sample_published(const ResultsTree& tree) {
  auto key = test_key(1);
  auto sig = sign_hash(key, keccak256("era result"));
  auto p = publish_results(7, tree, keccak256("data"), key.address(), sig);
  EXPECT_TRUE(p) << p.error().message;
  return *p;
}

TEST(EraPublication, ResultsRoundTripAndEveryLeafVerifies) {
  auto tree = ResultsTree::build(sample_state());
  auto published = sample_published(tree);
  json text = to_json(published);
  auto decoded = decode_published_results(json::parse(text.dump()));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->era, 7u);
  EXPECT_EQ(decoded->results_root, tree.root());
  EXPECT_EQ(decoded->signer, test_key(1).address());
  ASSERT_EQ(decoded->nodes.size(), 3u);
  ASSERT_EQ(decoded->links.size(), 1u);
  EXPECT_EQ(decoded->nodes[2].leaf.slashed, 3675);
  for (const auto& n : decoded->nodes) EXPECT_TRUE(check_leaf(n, tree.root()));
  for (const auto& l : decoded->links) EXPECT_TRUE(check_leaf(l, tree.root()));
  EXPECT_EQ(rebuilt_results_root(*decoded), tree.root());
  EXPECT_EQ(to_json(*decoded), text);
}

TEST(EraPublication, TamperedLeafIsRefused) {
  auto tree = ResultsTree::build(sample_state());
  auto published = sample_published(tree);

  // More utilisation under the old hash: the hash no longer matches the fields.
  PublishedNodeLeaf more = published.nodes[0];
  more.leaf.utilisation += 1;
  auto r = check_leaf(more, tree.root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("node 101: the published leaf hash"), std::string::npos)
      << r.error().message;

  // ... and with a consistent hash: the proof no longer leads to the root.
  more.leaf_hash = leaf_hash(more.leaf);
  r = check_leaf(more, tree.root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("proof does not lead"), std::string::npos) << r.error().message;

  // A lower slash for the slashed node, a higher Link reward, another node's proof, another root.
  PublishedNodeLeaf less_slash = published.nodes[2];
  less_slash.leaf.slashed = 0;
  less_slash.leaf_hash = leaf_hash(less_slash.leaf);
  EXPECT_FALSE(check_leaf(less_slash, tree.root()));
  PublishedLinkLeaf link = published.links[0];
  link.leaf.reward = 1'000'000;
  link.leaf_hash = leaf_hash(link.leaf);
  EXPECT_FALSE(check_leaf(link, tree.root()));
  PublishedNodeLeaf swapped = published.nodes[0];
  swapped.proof = published.nodes[1].proof;
  EXPECT_FALSE(check_leaf(swapped, tree.root()));
  EXPECT_FALSE(check_leaf(published.nodes[0], keccak256("another root")));

  // A publication missing a leaf (each listed proof still valid) rebuilds another root.
  PublishedEraResults partial = published;
  partial.nodes.pop_back();
  for (const auto& n : partial.nodes) EXPECT_TRUE(check_leaf(n, tree.root()));
  EXPECT_NE(rebuilt_results_root(partial), tree.root());
}

TEST(EraPublication, ResultsDecodingIsStrict) {
  auto tree = ResultsTree::build(sample_state());
  json good = to_json(sample_published(tree));
  auto expect_refused = [](const json& j, std::string_view why) {
    auto r = decode_published_results(j);
    ASSERT_FALSE(r) << j.dump();
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  };
  json j = good;
  j["extra"] = 1;
  expect_refused(j, "unknown key \"extra\"");
  j = good;
  j.erase("links");
  expect_refused(j, "missing \"links\"");
  j = good;
  j["nodes"][0]["utilisation"] = "01000";
  expect_refused(j, "results.nodes[0].utilisation");
  j = good;
  j["nodes"][0]["utilisation"] = 1000;
  expect_refused(j, "expected a decimal string");
  j = good;
  j["nodes"][1] = j["nodes"][0];
  expect_refused(j, "listed twice");
  j = good;
  j["links"][0]["proof"][0] = "0x12";
  expect_refused(j, "results.links[0].proof[0]");
  j = good;
  j["era"] = -1;
  expect_refused(j, "results.era");
  expect_refused(json::array(), "expected an object");
  PublicationLimits small;
  small.max_leaves = 3;
  auto r = decode_published_results(good, small);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("more than 3 leaves"), std::string::npos);
}

TEST(EraPublication, BatchesDecodeAndHashFromContent) {
  Hash domain =
      domain_separator(31337, *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  DaemonBatch b{101, "icn/test", 7, {}, {}};
  ASSERT_TRUE(sign_batch(domain, b, test_key(2)));
  std::string text = encode(b);
  Hash hash = batch_hash(b);
  json body = {
      {"era", 7},
      {"batches",
       json::array({published_batch_json(hash, OriginatorKind::kScalerNode, 101, false, text)})}};
  auto decoded = decode_published_batches(body, WireLimits{});
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->batches.size(), 1u);
  EXPECT_EQ(decoded->batches[0].hash, hash);
  EXPECT_EQ(batch_hash(decoded->batches[0].batch), hash);
  EXPECT_EQ(decoded->batches[0].originator_id, 101);

  // An altered batch decodes, and its recomputed hash is not the one published.
  json altered = body;
  altered["batches"][0]["batch"]["version"] = "icn/altered";
  auto a = decode_published_batches(altered, WireLimits{});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_NE(batch_hash(a->batches[0].batch), hash);

  json bad = body;
  bad["batches"][0]["originatorKind"] = 3;
  EXPECT_FALSE(decode_published_batches(bad, WireLimits{}));
  bad = body;
  bad["batches"][0]["batch"] = "not an object";
  EXPECT_FALSE(decode_published_batches(bad, WireLimits{}));
}

}  // namespace
}  // namespace icn::protocol
