// StandardMerkleTree mirroring @openzeppelin/merkle-tree's makeMerkleTree/getProof/processProof.
#include "icn/core/merkle.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <numeric>

#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_text.hpp"
#include "icn/core/keccak.hpp"

namespace icn::abi {
namespace {

// A JSON leaf value to a Value of `type`.
Result<Value> value_from_json(const Type& type, const nlohmann::json& j, size_t depth) {
  if (depth > kMaxTypeDepth) return fail("value nested too deeply");
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (type.kind() == Kind::kString) return Value(s);  // literal, not cast's trimming/quotes
    return parse_value(type, s);
  }
  if (j.is_boolean()) {
    if (type.kind() != Kind::kBool)
      return fail("expected a value of type " + type.canonical() + ", got a boolean");
    return Value(j.get<bool>());
  }
  if (j.is_number()) {
    if (type.kind() != Kind::kUint && type.kind() != Kind::kInt) {
      return fail("expected a value of type " + type.canonical() + ", got a number");
    }
    if (j.is_number_float()) {
      return fail("number " + j.dump() + " is not an integer (write large numbers as strings)");
    }
    return parse_value(type, j.dump());
  }
  if (j.is_array()) {
    if (!type.is_array() && !type.is_tuple())
      return fail("expected a value of type " + type.canonical() + ", got an array");
    size_t want = type.is_tuple()                    ? type.components().size()
                  : type.kind() == Kind::kFixedArray ? type.length()
                                                     : j.size();
    if (j.size() != want) {
      return fail("expected " + std::to_string(want) + " values for " + type.canonical() +
                  ", got " + std::to_string(j.size()));
    }
    Value::List items;
    items.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) {
      const Type& t = type.is_tuple() ? type.components()[i] : type.element();
      auto v = value_from_json(t, j[i], depth + 1);
      if (!v) return fail("[" + std::to_string(i) + "]: " + v.error().message);
      items.push_back(std::move(*v));
    }
    return Value(std::move(items));
  }
  return fail("unsupported JSON value " + j.dump() + " for " + type.canonical());
}

bool less(const Hash& a, const Hash& b) {
  return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

// OZ's makeMerkleTree over leaves sorted by hash (stable, as Array.prototype.sort): tree[0] is
// the root, leaves fill the end of the array in reverse order. tree_index[i] is input leaf i's
// slot.
void layout(const std::vector<Hash>& hashes, std::vector<Hash>& tree,
            std::vector<size_t>& tree_index) {
  std::vector<size_t> order(hashes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return less(hashes[a], hashes[b]); });
  const size_t n = hashes.size();
  tree.resize(2 * n - 1);
  tree_index.resize(n);
  for (size_t leaf = 0; leaf < n; ++leaf) {
    size_t index = tree.size() - 1 - leaf;
    tree[index] = hashes[order[leaf]];
    tree_index[order[leaf]] = index;
  }
  for (size_t i = tree.size() - n; i-- > 0;) {
    tree[i] = node_hash(tree[2 * i + 1], tree[2 * i + 2]);
  }
}

std::vector<Hash> proof_path(const std::vector<Hash>& tree, size_t i) {
  std::vector<Hash> out;
  while (i > 0) {
    size_t sibling = (i % 2 == 1) ? i + 1 : i - 1;  // OZ: i - (-1) ** (i % 2)
    out.push_back(tree[sibling]);
    i = (i - 1) / 2;
  }
  return out;
}

}  // namespace

Result<SimpleMerkleTree> SimpleMerkleTree::build(std::vector<Hash> leaves) {
  if (leaves.empty()) return fail("merkle: no leaves");
  SimpleMerkleTree t;
  layout(leaves, t.tree_, t.tree_index_);
  return t;
}

Result<std::vector<Hash>> SimpleMerkleTree::proof(size_t leaf_index) const {
  if (leaf_index >= tree_index_.size()) {
    return fail("merkle: leaf index " + std::to_string(leaf_index) + " out of range (" +
                std::to_string(tree_index_.size()) + " leaves)");
  }
  return proof_path(tree_, tree_index_[leaf_index]);
}

Result<Hash> leaf_hash(std::span<const Type> types, std::span<const Value> values) {
  ICN_TRY(Bytes encoded, encode(types, values));
  Hash inner = keccak256(encoded);
  return keccak256(inner);
}

Hash node_hash(const Hash& a, const Hash& b) {
  uint8_t buf[64];
  const Hash& lo = less(b, a) ? b : a;
  const Hash& hi = less(b, a) ? a : b;
  std::memcpy(buf, lo.data(), 32);
  std::memcpy(buf + 32, hi.data(), 32);
  return keccak256(ByteView(buf, 64));
}

Result<StandardMerkleTree> StandardMerkleTree::build(std::vector<Type> leaf_types,
                                                     std::vector<std::vector<Value>> values) {
  if (values.empty()) return fail("merkle: no leaves");
  std::vector<Hash> hashes;
  hashes.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    auto h = abi::leaf_hash(leaf_types, values[i]);
    if (!h) return fail("merkle: value " + std::to_string(i) + ": " + h.error().message);
    hashes.push_back(*h);
  }
  StandardMerkleTree t;
  layout(hashes, t.tree_, t.tree_index_);
  t.types_ = std::move(leaf_types);
  t.values_ = std::move(values);
  return t;
}

Result<StandardMerkleTree> StandardMerkleTree::from_json(const nlohmann::json& input) {
  if (!input.is_object()) return fail("merkle: input must be an object with types and values");
  auto types_it = input.find("types");
  auto values_it = input.find("values");
  if (types_it == input.end() || !types_it->is_array()) {
    return fail("merkle: input has no \"types\" array");
  }
  if (values_it == input.end() || !values_it->is_array()) {
    return fail("merkle: input has no \"values\" array");
  }
  std::vector<Type> types;
  for (const auto& t : *types_it) {
    if (!t.is_string()) return fail("merkle: each type must be a string");
    auto parsed = Type::parse(t.get<std::string>());
    if (!parsed) return fail("merkle: " + parsed.error().message);
    types.push_back(std::move(*parsed));
  }
  std::vector<std::vector<Value>> rows;
  rows.reserve(values_it->size());
  for (size_t r = 0; r < values_it->size(); ++r) {
    const auto& row = (*values_it)[r];
    if (!row.is_array() || row.size() != types.size()) {
      return fail("merkle: value " + std::to_string(r) + " must be an array of " +
                  std::to_string(types.size()) + " values");
    }
    std::vector<Value> values;
    for (size_t c = 0; c < types.size(); ++c) {
      auto v = value_from_json(types[c], row[c], 0);
      if (!v) {
        return fail("merkle: value " + std::to_string(r) + "[" + std::to_string(c) +
                    "]: " + v.error().message);
      }
      values.push_back(std::move(*v));
    }
    rows.push_back(std::move(values));
  }
  return build(std::move(types), std::move(rows));
}

Result<std::vector<Hash>> StandardMerkleTree::proof(size_t value_index) const {
  if (value_index >= values_.size()) {
    return fail("merkle: value index " + std::to_string(value_index) + " out of range (" +
                std::to_string(values_.size()) + " values)");
  }
  return proof_path(tree_, tree_index_[value_index]);
}

bool StandardMerkleTree::verify(const Hash& root, const Hash& leaf, std::span<const Hash> proof) {
  Hash acc = leaf;
  for (const Hash& p : proof) acc = node_hash(acc, p);
  return acc == root;
}

}  // namespace icn::abi
