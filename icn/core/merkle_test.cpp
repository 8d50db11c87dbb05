// OpenZeppelin StandardMerkleTree compatibility: roots, tree layout and proofs produced by
// @openzeppelin/merkle-tree (the pinned copy in tools/evm) for the same inputs.
#include "icn/core/merkle.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "icn/core/keccak.hpp"

namespace icn::abi {
namespace {

// The inputs given to StandardMerkleTree.of(values, types), in OZ's JSON input format.
const char* kInputs[] = {
    R"({"types": ["address", "uint256"], "values": [
      ["0x1111111111111111111111111111111111111111", "5000000000000000000"],
      ["0x2222222222222222222222222222222222222222", "2500000000000000000"],
      ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "1"],
      ["0x000000000000000000000000000000000000dEaD", "0"],
      ["0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
       "115792089237316195423570985008687907853269984665640564039457584007913129639935"]]})",
    R"({"types": ["string", "bytes32[]"], "values": [
      ["alice", ["0x0000000000000000000000000000000000000000000000000000000000000001"]],
      ["bob, with a comma", []],
      ["", ["0x00000000000000000000000000000000000000000000000000000000000000aa",
            "0xbb00000000000000000000000000000000000000000000000000000000000000"]]]})",
    R"({"types": ["address", "uint256"], "values": [
      ["0x1111111111111111111111111111111111111111", "7"]]})",
};

struct OzTree {
  const char* name;
  const char* root;
  std::vector<const char*> tree;                 // dump().tree
  std::vector<size_t> tree_index;                // dump().values[i].treeIndex
  std::vector<std::vector<const char*>> proofs;  // getProof(i) for each value index
};

// Output of a node script over @openzeppelin/merkle-tree: root, dump() and getProof(i).
const std::vector<OzTree>& oz_trees() {
  static const std::vector<OzTree> trees = {
      {"t1",
       "0x53c520f5431a9228ba8a75c4b38fcbbc2e050c4d28778f240dd4525d67601968",
       {
           "0x53c520f5431a9228ba8a75c4b38fcbbc2e050c4d28778f240dd4525d67601968",
           "0xa730b4386a8ef82a3c2b888b197ba94c262f72f6ca157a62466512587bfe8fc1",
           "0x1edbac8a8440ca96f2f3c07bf6347297d27b328a86687c81e8d4cb8e63183638",
           "0x2894d807cfee1a171e80fed4bf0dce581eb8cd1ccc7d4a4f6f6fec9bd0b01f35",
           "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
           "0xcfb622021388e935c7c0520e926ea43d5c3c3c1e042df555e64a6e8a9f2c24c4",
           "0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc",
           "0x294e109bb7adb9cf159f754b7f82c716e7d0e181d0359cac4233957d669f57fb",
           "0x26bee084e30df9869e048947b519dc150f655d513a242b7229bf5d58976b9aa1",
       },
       {4, 6, 7, 5, 8},
       {
           {
               "0x2894d807cfee1a171e80fed4bf0dce581eb8cd1ccc7d4a4f6f6fec9bd0b01f35",
               "0x1edbac8a8440ca96f2f3c07bf6347297d27b328a86687c81e8d4cb8e63183638",
           },
           {
               "0xcfb622021388e935c7c0520e926ea43d5c3c3c1e042df555e64a6e8a9f2c24c4",
               "0xa730b4386a8ef82a3c2b888b197ba94c262f72f6ca157a62466512587bfe8fc1",
           },
           {
               "0x26bee084e30df9869e048947b519dc150f655d513a242b7229bf5d58976b9aa1",
               "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
               "0x1edbac8a8440ca96f2f3c07bf6347297d27b328a86687c81e8d4cb8e63183638",
           },
           {
               "0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc",
               "0xa730b4386a8ef82a3c2b888b197ba94c262f72f6ca157a62466512587bfe8fc1",
           },
           {
               "0x294e109bb7adb9cf159f754b7f82c716e7d0e181d0359cac4233957d669f57fb",
               "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
               "0x1edbac8a8440ca96f2f3c07bf6347297d27b328a86687c81e8d4cb8e63183638",
           },
       }},
      {"t2",
       "0x9584ce8b1705ea4c639301a0a59b7f2de0e08219dd9ace56c64e271768d0ce00",
       {
           "0x9584ce8b1705ea4c639301a0a59b7f2de0e08219dd9ace56c64e271768d0ce00",
           "0xf74332217fbf4ece0edad711da8ad3605140d37b0c635d75162e576a61a9053f",
           "0x9befe3a46ce04b7964cd3ecf9ba699008bdc08f330bbd36b5e3d994c1df1bed3",
           "0x8520de04ff74f7254261b69c420e99e9640cbff0398775cfd8c324da15c84552",
           "0x32a4ca93fba2ee0977b4ed9a76227bd426fa884bc97cb67ead7a026f98b93a49",
       },
       {2, 3, 4},
       {
           {
               "0xf74332217fbf4ece0edad711da8ad3605140d37b0c635d75162e576a61a9053f",
           },
           {
               "0x32a4ca93fba2ee0977b4ed9a76227bd426fa884bc97cb67ead7a026f98b93a49",
               "0x9befe3a46ce04b7964cd3ecf9ba699008bdc08f330bbd36b5e3d994c1df1bed3",
           },
           {
               "0x8520de04ff74f7254261b69c420e99e9640cbff0398775cfd8c324da15c84552",
               "0x9befe3a46ce04b7964cd3ecf9ba699008bdc08f330bbd36b5e3d994c1df1bed3",
           },
       }},
      {"t3",
       "0xd164d3531a8e52bcd357897675641b72f543c6ee3688ad7ec32507ffeeae2295",
       {
           "0xd164d3531a8e52bcd357897675641b72f543c6ee3688ad7ec32507ffeeae2295",
       },
       {0},
       {
           {},
       }},
  };
  return trees;
}

std::vector<std::string> hexes(const std::vector<Hash>& hs) {
  std::vector<std::string> out;
  for (const Hash& h : hs) out.push_back(to_hex(h));
  return out;
}

std::vector<std::string> strings(const std::vector<const char*>& cs) {
  return std::vector<std::string>(cs.begin(), cs.end());
}

TEST(Merkle, MatchesOpenZeppelinElementForElement) {
  for (size_t k = 0; k < std::size(kInputs); ++k) {
    const OzTree& oz = oz_trees()[k];
    SCOPED_TRACE(oz.name);
    auto tree = StandardMerkleTree::from_json(nlohmann::json::parse(kInputs[k]));
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    EXPECT_EQ(to_hex(tree->root()), oz.root);
    EXPECT_EQ(hexes(tree->tree()), strings(oz.tree));
    ASSERT_EQ(tree->size(), oz.proofs.size());
    for (size_t i = 0; i < tree->size(); ++i) {
      EXPECT_EQ(tree->tree_index(i), oz.tree_index[i]);
      auto proof = tree->proof(i);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(hexes(*proof), strings(oz.proofs[i]));
      EXPECT_TRUE(StandardMerkleTree::verify(tree->root(), tree->leaf_hash(i), *proof));
      auto leaf = leaf_hash(tree->leaf_types(), tree->values(i));
      ASSERT_TRUE(leaf.ok());
      EXPECT_EQ(*leaf, tree->leaf_hash(i));
    }
  }
}

TEST(Merkle, BuildFromValuesAndVerify) {
  std::vector<Type> types = {Type::address(), Type::uint()};
  std::vector<std::vector<Value>> rows;
  for (uint64_t i = 1; i <= 7; ++i) {
    Address a;
    a.bytes[19] = uint8_t(i);
    rows.push_back({a, Value::uint(i * 1000)});
  }
  auto tree = StandardMerkleTree::build(types, rows);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->tree().size(), 13u);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto proof = *tree->proof(i);
    EXPECT_TRUE(StandardMerkleTree::verify(tree->root(), tree->leaf_hash(i), proof));
    // A proof for one leaf does not verify another, nor a tampered proof.
    size_t other = (i + 1) % rows.size();
    EXPECT_FALSE(StandardMerkleTree::verify(tree->root(), tree->leaf_hash(other), proof));
    proof[0][0] ^= 1;
    EXPECT_FALSE(StandardMerkleTree::verify(tree->root(), tree->leaf_hash(i), proof));
  }
  // The leaf is keccak256(keccak256(abi.encode(values))).
  Bytes encoded(64, 0);
  encoded[31] = 1;
  encoded[62] = 0x03;
  encoded[63] = 0xe8;
  Hash want = keccak256(keccak256(encoded));
  EXPECT_EQ(*leaf_hash(types, rows[0]), want);
  EXPECT_EQ(tree->leaf_hash(0), want);
  // node_hash is commutative.
  EXPECT_EQ(node_hash(tree->leaf_hash(0), tree->leaf_hash(1)),
            node_hash(tree->leaf_hash(1), tree->leaf_hash(0)));
}

TEST(Merkle, RejectsBadInput) {
  EXPECT_EQ(StandardMerkleTree::build({Type::uint()}, {}).error().message, "merkle: no leaves");
  EXPECT_EQ(StandardMerkleTree::from_json(
                nlohmann::json::parse(R"({"types": ["uint256"], "values": []})"))
                .error()
                .message,
            "merkle: no leaves");
  EXPECT_EQ(StandardMerkleTree::build({Type::uint(8)}, {{Value::uint(256)}}).error().message,
            "merkle: value 0: abi: argument 0: value 256 does not fit in uint8");
  auto err = [](const char* json) {
    auto t = StandardMerkleTree::from_json(nlohmann::json::parse(json));
    return t ? "built" : t.error().message;
  };
  EXPECT_EQ(err(R"({"values": [["1"]]})"), "merkle: input has no \"types\" array");
  EXPECT_EQ(err(R"({"types": ["uint256"]})"), "merkle: input has no \"values\" array");
  EXPECT_EQ(err(R"({"types": ["uint7"], "values": [["1"]]})"),
            "merkle: abi: uint7 is not a valid type");
  EXPECT_EQ(err(R"({"types": ["uint256", "bool"], "values": [["1"]]})"),
            "merkle: value 0 must be an array of 2 values");
  EXPECT_EQ(err(R"({"types": ["uint256"], "values": [[1.5]]})"),
            "merkle: value 0[0]: number 1.5 is not an integer (write large numbers as strings)");
  EXPECT_EQ(err(R"({"types": ["bool"], "values": [["yes"]]})"),
            "merkle: value 0[0]: abi: cannot parse \"yes\" as bool: invalid boolean at position 0");
  EXPECT_EQ(err(R"({"types": ["uint8[2]"], "values": [[[1]]]})"),
            "merkle: value 0[0]: expected 2 values for uint8[2], got 1");
  EXPECT_EQ(err(R"({"types": ["address"], "values": [[true]]})"),
            "merkle: value 0[0]: expected a value of type address, got a boolean");
  // JSON numbers, booleans and nested arrays are accepted where they fit.
  EXPECT_EQ(err(R"({"types": ["uint64", "int8", "bool", "(uint8,string)[]"],
                    "values": [[5, -3, true, [[1, "x"], ["0x02", " y "]]]]})"),
            "built");
  auto proof = StandardMerkleTree::build({Type::uint()}, {{Value::uint(1)}})->proof(1);
  EXPECT_EQ(proof.error().message, "merkle: value index 1 out of range (1 values)");
}

TEST(Merkle, SingleLeafTreeIsItsOwnRoot) {
  auto tree = StandardMerkleTree::build({Type::uint()}, {{Value::uint(42)}});
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(tree->root(), tree->leaf_hash(0));
  EXPECT_TRUE(tree->proof(0)->empty());
}

}  // namespace
}  // namespace icn::abi

namespace icn::abi {
namespace {

// SimpleMerkleTree over a StandardMerkleTree's leaf hashes is the same tree, element for element.
TEST(Merkle, SimpleTreeOverLeafHashesEqualsStandardTree) {
  for (const char* input : kInputs) {
    auto standard = StandardMerkleTree::from_json(nlohmann::json::parse(input));
    ASSERT_TRUE(standard);
    std::vector<Hash> leaves;
    for (size_t i = 0; i < standard->size(); ++i) leaves.push_back(standard->leaf_hash(i));
    auto simple = SimpleMerkleTree::build(leaves);
    ASSERT_TRUE(simple);
    EXPECT_EQ(simple->root(), standard->root());
    EXPECT_EQ(simple->tree(), standard->tree());
    for (size_t i = 0; i < standard->size(); ++i) {
      EXPECT_EQ(simple->tree_index(i), standard->tree_index(i));
      EXPECT_EQ(*simple->proof(i), *standard->proof(i));
    }
    EXPECT_FALSE(simple->proof(standard->size()));
  }
  EXPECT_EQ(SimpleMerkleTree::build({}).error().message, "merkle: no leaves");
}

}  // namespace
}  // namespace icn::abi
