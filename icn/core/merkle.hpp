// OpenZeppelin StandardMerkleTree (@openzeppelin/merkle-tree v1 format): same leaves, layout,
// root and proofs element for element, so proofs verify with OpenZeppelin's MerkleProof.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <span>

#include "icn/core/abi_type.hpp"
#include "icn/core/abi_value.hpp"

namespace icn::abi {

// keccak256(keccak256(abi.encode(values…))): the leaf of one row of values.
Result<Hash> leaf_hash(std::span<const Type> types, std::span<const Value> values);
// keccak256 of the two nodes in ascending byte order (commutative, as MerkleProof expects).
Hash node_hash(const Hash& a, const Hash& b);

// OpenZeppelin's SimpleMerkleTree: the leaves are given as 32-byte hashes and used as they are,
// in the same sorted layout as StandardMerkleTree. For trees whose leaves are hashed by the caller,
// e.g. StandardMerkleTree-format leaves of more than one encoding in one tree.
class SimpleMerkleTree {
 public:
  // Rejects an empty list: "merkle: no leaves".
  static Result<SimpleMerkleTree> build(std::vector<Hash> leaves);

  const Hash& root() const { return tree_[0]; }
  size_t size() const { return tree_index_.size(); }
  const std::vector<Hash>& tree() const { return tree_; }
  size_t tree_index(size_t leaf_index) const { return tree_index_[leaf_index]; }
  // Sibling hashes from the leaf (given by its index in the input list) up.
  Result<std::vector<Hash>> proof(size_t leaf_index) const;

 private:
  std::vector<Hash> tree_;
  std::vector<size_t> tree_index_;
};

class StandardMerkleTree {
 public:
  // Rows of values, each abi-encoded with leaf_types. Leaves are sorted by hash (OZ's default
  // sortLeaves: true) and laid out as OZ's makeMerkleTree does: tree[0] is the root, leaves fill
  // the end of the array in reverse order. Rejects an empty list: "merkle: no leaves".
  static Result<StandardMerkleTree> build(std::vector<Type> leaf_types,
                                          std::vector<std::vector<Value>> values);
  // OZ's input: {"types": ["address", "uint256"], "values": [["0x…", "5000"], …]}. Values are
  // JSON strings read with cast's argument rules (decimal or 0x numbers, hex bytes, "true"), JSON
  // numbers (non-negative integers), booleans, or JSON arrays for arrays and tuples; a JSON
  // string for a string type is taken literally.
  static Result<StandardMerkleTree> from_json(const nlohmann::json& input);

  const Hash& root() const { return tree_[0]; }
  size_t size() const { return values_.size(); }
  const std::vector<Type>& leaf_types() const { return types_; }
  const std::vector<Value>& values(size_t value_index) const { return values_[value_index]; }
  // The whole array, as OZ's dump() lists it under "tree".
  const std::vector<Hash>& tree() const { return tree_; }
  // Where the value's leaf sits in tree().
  size_t tree_index(size_t value_index) const { return tree_index_[value_index]; }

  Hash leaf_hash(size_t value_index) const { return tree_[tree_index_[value_index]]; }
  // Sibling hashes from the leaf up, as OZ's getProof(valueIndex) returns them.
  Result<std::vector<Hash>> proof(size_t value_index) const;

  // Folds the proof over the leaf with node_hash and compares with the root.
  static bool verify(const Hash& root, const Hash& leaf, std::span<const Hash> proof);

 private:
  std::vector<Type> types_;
  std::vector<std::vector<Value>> values_;
  std::vector<Hash> tree_;
  std::vector<size_t> tree_index_;
};

}  // namespace icn::abi
