// Era batches: entry hash and Batch struct hash against cast-assembled vectors, entries roots,
// canonical order and batch signatures.
#include "icn/core/era_batch.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"
#include "icn/core/test_support.hpp"

namespace icn::protocol {
namespace {

using test_support::kDomain;
using test_support::key;

Hash h(std::string_view hex) {
  return *parse_fixed_hex<32>(hex);
}

const Hash kOnes = h("0x1111111111111111111111111111111111111111111111111111111111111111");
const Hash kTwos = h("0x2222222222222222222222222222222222222222222222222222222222222222");

TEST(EraBatch, TypeHashesMatchCast) {
  EXPECT_EQ(keccak256(kBatchType),
            h("0x905155a8f48afa572b3d62777ba17c7eace8929bb08909063d30af5eff2f929b"));
  EXPECT_EQ(keccak256(kDaemonEntryType),
            h("0x4c52d5da824751b10a790f1672ec0874de72ce4f2c164b4d37c80b968f88a23e"));
}

// cast keccak $(cast abi-encode 'f(bytes32,uint8,uint256,uint64,bytes32,bytes32,uint32)' BT 2 3
// 7 $(cast keccak icn/0.1.0) 0x11…11 4)
TEST(EraBatch, BatchStructHashMatchesCast) {
  BatchHeader header{OriginatorKind::kHyperNode, 3, 7, "icn/0.1.0", kOnes, 4};
  EXPECT_EQ(hash_struct(header),
            h("0x35ad5f2f1929a03197bd68aa51210b0398630c5f47194a1c6ba75d3cede8b077"));
}

// Signatures enter as keccak256 of their 65 bytes r ‖ s ‖ (v + 27):
// cast keccak $(cast abi-encode 'f(bytes32,uint256,bytes32,uint64,uint32,uint64,bytes32,bytes32)'
//   ET 3 0x…ab 1700000000 42 1700000001 $(cast keccak 0x11…22…1b) $(cast keccak 0x22…11…1c))
TEST(EraBatch, EntryHashMatchesCast) {
  DaemonEntry e;
  e.hyper_node_id = 3;
  e.nonce = h("0x00000000000000000000000000000000000000000000000000000000000000ab");
  e.daemon_time = 1700000000;
  e.rtt_ms = 42;
  e.hyper_node_time = 1700000001;
  e.daemon_signature = Signature{kOnes, kTwos, 0};
  e.hyper_node_signature = Signature{kTwos, kOnes, 1};
  EXPECT_EQ(entry_hash(e), h("0xc138edba186911dc1a76ca8f02c8650a93db972b2b76933c6ff1b3125849e324"));
}

// A one-leaf StandardMerkleTree(["bytes32"]) has the leaf as its root:
// cast keccak $(cast keccak 0x11…11).
TEST(EraBatch, HashListRoot) {
  EXPECT_EQ(hash_list_root({}), Hash{});
  EXPECT_EQ(hash_list_root(std::vector<Hash>{kOnes}),
            h("0xddf01ddd376b0754614e249410f966d61b6560ef80e7495eaa08341d4e534a2e"));
  // Sorted leaves: the order of the input does not matter, the content does.
  std::vector<Hash> ab{kOnes, kTwos}, ba{kTwos, kOnes};
  EXPECT_EQ(hash_list_root(ab), hash_list_root(ba));
  EXPECT_NE(hash_list_root(ab), hash_list_root(std::vector<Hash>{kOnes}));
}

DaemonEntry entry_for(uint64_t hn, uint64_t era, const U256& node, const PrivateKey& daemon,
                      const PrivateKey& hn_key) {
  DaemonEntry e;
  e.hyper_node_id = hn;
  e.nonce = keccak256(std::to_string(hn));
  e.daemon_time = 1000;
  e.rtt_ms = 12;
  e.hyper_node_time = 1001;
  e.daemon_signature = sign_hash(daemon, signing_digest(kDomain, challenge_of(e, era, node)));
  e.hyper_node_signature =
      sign_hash(hn_key, signing_digest(kDomain, response_of(kDomain, e, era, node)));
  return e;
}

TEST(EraBatch, SignSortsAndVerifies) {
  PrivateKey daemon = key(1), hn = key(2);
  DaemonBatch b{5, "icn/0.1.0", 7, {}, {}};
  for (uint64_t id : {9, 3, 6}) b.entries.push_back(entry_for(id, 7, 5, daemon, hn));
  ASSERT_TRUE(sign_batch(kDomain, b, daemon));
  ASSERT_EQ(b.entries.size(), 3u);
  EXPECT_EQ(b.entries[0].hyper_node_id, 3);
  EXPECT_EQ(b.entries[2].hyper_node_id, 9);
  EXPECT_TRUE(verify_batch(kDomain, b, daemon.address()));
  EXPECT_FALSE(verify_batch(kDomain, b, hn.address()));

  // Any change to signed content breaks the signature: an entry's RTT, the version, the era.
  DaemonBatch changed = b;
  changed.entries[1].rtt_ms = 13;
  EXPECT_FALSE(verify_batch(kDomain, changed, daemon.address()));
  changed = b;
  changed.version = "icn/0.1.1";
  EXPECT_FALSE(verify_batch(kDomain, changed, daemon.address()));
  changed = b;
  changed.era = 8;
  EXPECT_FALSE(verify_batch(kDomain, changed, daemon.address()));

  // Out of order is not canonical.
  changed = b;
  std::swap(changed.entries[0], changed.entries[1]);
  Status st = verify_batch(kDomain, changed, daemon.address());
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("strictly ascending hyperNodeId"), std::string::npos);

  // Two entries for one HyperNode cannot be signed.
  DaemonBatch dup = b;
  dup.entries.push_back(b.entries[0]);
  EXPECT_FALSE(sign_batch(kDomain, dup, daemon));
}

TEST(EraBatch, HyperNodeBatch) {
  PrivateKey hn = key(2);
  HyperNodeBatch b{3, "icn/0.1.0", 7, {kTwos, kOnes}, {}};
  ASSERT_TRUE(sign_batch(kDomain, b, hn));
  EXPECT_EQ(b.challenge_hashes[0], kOnes);
  EXPECT_TRUE(verify_batch(kDomain, b, hn.address()));
  auto header = header_of(b);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->originator_kind, OriginatorKind::kHyperNode);
  EXPECT_EQ(header->entry_count, 2u);
  EXPECT_EQ(header->entries_root, hash_list_root(b.challenge_hashes));

  HyperNodeBatch dup{3, "v", 7, {kOnes, kOnes}, {}};
  Status st = sign_batch(kDomain, dup, hn);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("no duplicates"), std::string::npos);
}

}  // namespace
}  // namespace icn::protocol
