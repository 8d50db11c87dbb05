// The satellite's era publications (results with proofs, accepted batches): encoding, strict
// decoding and the checks a reader makes before trusting a leaf.
#include "icn/core/era_publication.hpp"

#include <set>

#include "icn/core/merkle.hpp"

namespace icn::protocol {

using nlohmann::json;

namespace {

json proof_json(const std::vector<Hash>& proof) {
  json out = json::array();
  for (const auto& h : proof) out.push_back(to_hex(h));
  return out;
}

// A reader of one JSON object that names every field it rejects and refuses unknown keys.
class Fields {
 public:
  Fields(const json& j, std::string where) : j_(j), where_(std::move(where)) {}
  Status check_object(std::initializer_list<std::string_view> keys) const {
    if (!j_.is_object()) return fail(where_ + ": expected an object");
    for (const auto& [k, v] : j_.items()) {
      bool known = false;
      for (auto key : keys) known = known || key == k;
      if (!known) return fail(where_ + ": unknown key \"" + k + "\"");
    }
    for (auto key : keys) {
      if (!j_.contains(std::string(key)))
        return fail(where_ + ": missing \"" + std::string(key) + "\"");
    }
    return {};
  }
  std::string at(std::string_view key) const { return where_ + "." + std::string(key); }
  const json& operator[](std::string_view key) const { return j_.at(std::string(key)); }

  Result<U256> decimal(std::string_view key) const {
    const json& v = (*this)[key];
    if (!v.is_string()) return fail(at(key) + ": expected a decimal string");
    const std::string& s = v.get_ref<const std::string&>();
    bool digits = !s.empty() && s.size() <= 78;
    for (char c : s) digits = digits && c >= '0' && c <= '9';
    if (!digits || (s.size() > 1 && s[0] == '0')) {
      return fail(at(key) + ": \"" + s.substr(0, 80) + "\" is not a canonical decimal");
    }
    auto u = parse_u256(s);
    if (!u) return u.error().context(at(key));
    return *u;
  }
  Result<uint64_t> u64(std::string_view key) const {
    const json& v = (*this)[key];
    // A document built in memory holds signed integers; one parsed from text, unsigned ones.
    bool non_negative = v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
    if (!non_negative) return fail(at(key) + ": expected an unsigned integer");
    return v.get<uint64_t>();
  }
  Result<Hash> hash(std::string_view key) const { return hash_of((*this)[key], at(key)); }
  Result<std::vector<Hash>> hashes(std::string_view key, size_t max) const {
    const json& v = (*this)[key];
    if (!v.is_array()) return fail(at(key) + ": expected an array");
    if (v.size() > max) return fail(at(key) + ": more than " + std::to_string(max) + " entries");
    std::vector<Hash> out;
    for (size_t i = 0; i < v.size(); ++i) {
      ICN_TRY(Hash h, hash_of(v[i], at(key) + "[" + std::to_string(i) + "]"));
      out.push_back(h);
    }
    return out;
  }
  static Result<Hash> hash_of(const json& v, const std::string& where) {
    if (!v.is_string()) return fail(where + ": expected a 0x-hex bytes32");
    auto h = parse_fixed_hex<32>(v.get_ref<const std::string&>());
    if (!h) return h.error().context(where);
    return *h;
  }

 private:
  const json& j_;
  std::string where_;
};

Result<PublishedNodeLeaf> node_of(const json& j, const std::string& where, size_t max_proof) {
  Fields f(j, where);
  ICN_CHECK((f.check_object({"nodeId", "utilisation", "subsidy", "slashed", "bookingId",
                             "bookingUpEras", "leaf", "proof"})));
  PublishedNodeLeaf out;
  ICN_TRY(out.leaf.node_id, f.decimal("nodeId"));
  ICN_TRY(out.leaf.utilisation, f.decimal("utilisation"));
  ICN_TRY(out.leaf.subsidy, f.decimal("subsidy"));
  ICN_TRY(out.leaf.slashed, f.decimal("slashed"));
  ICN_TRY(out.leaf.booking_id, f.decimal("bookingId"));
  ICN_TRY(out.leaf.booking_up_eras, f.decimal("bookingUpEras"));
  ICN_TRY(out.leaf_hash, f.hash("leaf"));
  ICN_TRY(out.proof, f.hashes("proof", max_proof));
  return out;
}

Result<PublishedLinkLeaf> link_of(const json& j, const std::string& where, size_t max_proof) {
  Fields f(j, where);
  ICN_CHECK((f.check_object({"bundleId", "reward", "leaf", "proof"})));
  PublishedLinkLeaf out;
  ICN_TRY(out.leaf.bundle_id, f.decimal("bundleId"));
  ICN_TRY(out.leaf.reward, f.decimal("reward"));
  ICN_TRY(out.leaf_hash, f.hash("leaf"));
  ICN_TRY(out.proof, f.hashes("proof", max_proof));
  return out;
}

Status check_proof(const Hash& computed, const Hash& published, const std::vector<Hash>& proof,
                   const Hash& root, const std::string& who) {
  if (computed != published) {
    return fail(who + ": the published leaf hash " + to_hex(published) +
                " is not the hash of its fields (" + to_hex(computed) + ")");
  }
  if (!abi::StandardMerkleTree::verify(root, computed, proof)) {
    return fail(who + ": the proof does not lead from the leaf to the root " + to_hex(root));
  }
  return {};
}

}  // namespace

Result<PublishedEraResults> publish_results(uint64_t era, const ResultsTree& tree,
                                            const Hash& data_root, const Address& signer,
                                            const Signature& signature) {
  PublishedEraResults out;
  out.era = era;
  out.results_root = tree.root();
  out.data_root = data_root;
  out.signer = signer;
  out.signature = signature;
  for (const auto& leaf : tree.node_leaves()) {
    ICN_TRY(auto proof, tree.node_proof(leaf.node_id));
    out.nodes.push_back({leaf, leaf_hash(leaf), std::move(proof)});
  }
  for (const auto& leaf : tree.link_leaves()) {
    ICN_TRY(auto proof, tree.link_proof(leaf.bundle_id));
    out.links.push_back({leaf, leaf_hash(leaf), std::move(proof)});
  }
  return out;
}

json to_json(const PublishedEraResults& r) {
  json nodes = json::array();
  for (const auto& n : r.nodes) {
    nodes.push_back({{"nodeId", to_decimal(n.leaf.node_id)},
                     {"utilisation", to_decimal(n.leaf.utilisation)},
                     {"subsidy", to_decimal(n.leaf.subsidy)},
                     {"slashed", to_decimal(n.leaf.slashed)},
                     {"bookingId", to_decimal(n.leaf.booking_id)},
                     {"bookingUpEras", to_decimal(n.leaf.booking_up_eras)},
                     {"leaf", to_hex(n.leaf_hash)},
                     {"proof", proof_json(n.proof)}});
  }
  json links = json::array();
  for (const auto& l : r.links) {
    links.push_back({{"bundleId", to_decimal(l.leaf.bundle_id)},
                     {"reward", to_decimal(l.leaf.reward)},
                     {"leaf", to_hex(l.leaf_hash)},
                     {"proof", proof_json(l.proof)}});
  }
  return {{"era", r.era},
          {"resultsRoot", to_hex(r.results_root)},
          {"dataRoot", to_hex(r.data_root)},
          {"signer", r.signer.checksummed()},
          {"signature", to_hex(r.signature.to_rsv65())},
          {"nodes", std::move(nodes)},
          {"links", std::move(links)}};
}

namespace {
Result<PublishedEraResults> decode_results_unguarded(const json& body,
                                                     const PublicationLimits& limits) {
  Fields f(body, "results");
  ICN_CHECK((
      f.check_object({"era", "resultsRoot", "dataRoot", "signer", "signature", "nodes", "links"})));
  PublishedEraResults out;
  ICN_TRY(out.era, f.u64("era"));
  ICN_TRY(out.results_root, f.hash("resultsRoot"));
  ICN_TRY(out.data_root, f.hash("dataRoot"));
  if (!f["signer"].is_string()) return fail("results.signer: expected an address");
  ICN_TRY_CTX(out.signer, Address::parse(f["signer"].get<std::string>()), "results.signer");
  if (!f["signature"].is_string()) return fail("results.signature: expected 0x-hex");
  ICN_TRY_CTX(Bytes sig, parse_hex(f["signature"].get<std::string>()), "results.signature");
  ICN_TRY_CTX(out.signature, Signature::from_rsv65(sig), "results.signature");
  const json& nodes = f["nodes"];
  const json& links = f["links"];
  if (!nodes.is_array()) return fail("results.nodes: expected an array");
  if (!links.is_array()) return fail("results.links: expected an array");
  if (nodes.size() + links.size() > limits.max_leaves) {
    return fail("results: more than " + std::to_string(limits.max_leaves) + " leaves");
  }
  std::set<U256> seen;
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::string where = "results.nodes[" + std::to_string(i) + "]";
    ICN_TRY(auto n, node_of(nodes[i], where, limits.max_proof));
    if (!seen.insert(n.leaf.node_id).second) {
      return fail(where + ": node " + to_decimal(n.leaf.node_id) + " listed twice");
    }
    out.nodes.push_back(std::move(n));
  }
  seen.clear();
  for (size_t i = 0; i < links.size(); ++i) {
    std::string where = "results.links[" + std::to_string(i) + "]";
    ICN_TRY(auto l, link_of(links[i], where, limits.max_proof));
    if (!seen.insert(l.leaf.bundle_id).second) {
      return fail(where + ": bundle " + to_decimal(l.leaf.bundle_id) + " listed twice");
    }
    out.links.push_back(std::move(l));
  }
  return out;
}
}  // namespace

Result<PublishedEraResults> decode_published_results(const json& body,
                                                     const PublicationLimits& limits) {
  try {
    return decode_results_unguarded(body, limits);
  } catch (const json::exception& e) {
    return fail(std::string("results: ") + e.what());
  }
}

Status check_leaf(const PublishedNodeLeaf& l, const Hash& root) {
  return check_proof(leaf_hash(l.leaf), l.leaf_hash, l.proof, root,
                     "node " + to_decimal(l.leaf.node_id));
}

Status check_leaf(const PublishedLinkLeaf& l, const Hash& root) {
  return check_proof(leaf_hash(l.leaf), l.leaf_hash, l.proof, root,
                     "bundle " + to_decimal(l.leaf.bundle_id));
}

Hash rebuilt_results_root(const PublishedEraResults& results) {
  // The tree is over leaf hashes only, so a state with these leaves (DOWN history aside, which no
  // leaf holds) builds the same tree.
  EraState state;
  for (const auto& n : results.nodes) {
    state.nodes[n.leaf.node_id] =
        NodeState{n.leaf.utilisation, n.leaf.subsidy,         n.leaf.slashed,
                  n.leaf.booking_id,  n.leaf.booking_up_eras, 0};
  }
  for (const auto& l : results.links) state.bundle_rewards[l.leaf.bundle_id] = l.leaf.reward;
  return ResultsTree::build(state).root();
}

json published_batch_json(const Hash& hash, OriginatorKind kind, const U256& originator,
                          bool equivocation, const std::string& batch_text) {
  return {{"hash", to_hex(hash)},
          {"originatorKind", int(kind)},
          {"originatorId", to_decimal(originator)},
          {"equivocation", equivocation},
          {"batch", json::parse(batch_text, nullptr, false)}};
}

namespace {
Result<PublishedEraBatches> decode_batches_unguarded(const json& body, const WireLimits& wire,
                                                     const PublicationLimits& limits) {
  Fields f(body, "batches");
  ICN_CHECK((f.check_object({"era", "batches"})));
  PublishedEraBatches out;
  ICN_TRY(out.era, f.u64("era"));
  const json& list = f["batches"];
  if (!list.is_array()) return fail("batches.batches: expected an array");
  if (list.size() > limits.max_batches) {
    return fail("batches: more than " + std::to_string(limits.max_batches) + " batches");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "batches[" + std::to_string(i) + "]";
    Fields b(list[i], where);
    ICN_CHECK(
        (b.check_object({"hash", "originatorKind", "originatorId", "equivocation", "batch"})));
    PublishedBatch p;
    ICN_TRY(p.hash, b.hash("hash"));
    ICN_TRY(uint64_t kind, b.u64("originatorKind"));
    if (kind != uint64_t(OriginatorKind::kScalerNode) &&
        kind != uint64_t(OriginatorKind::kHyperNode)) {
      return fail(b.at("originatorKind") + ": " + std::to_string(kind) + " is neither 1 nor 2");
    }
    p.kind = OriginatorKind(kind);
    ICN_TRY(p.originator_id, b.decimal("originatorId"));
    if (!b["equivocation"].is_boolean()) return fail(b.at("equivocation") + ": expected a bool");
    p.equivocation = b["equivocation"].get<bool>();
    if (!b["batch"].is_object()) return fail(b.at("batch") + ": expected an object");
    ICN_TRY_CTX(p.batch, decode_batch(b["batch"].dump(), wire), b.at("batch"));
    out.batches.push_back(std::move(p));
  }
  return out;
}
}  // namespace

Result<PublishedEraBatches> decode_published_batches(const json& body, const WireLimits& wire,
                                                     const PublicationLimits& limits) {
  try {
    return decode_batches_unguarded(body, wire, limits);
  } catch (const json::exception& e) {
    return fail(std::string("batches: ") + e.what());
  }
}

}  // namespace icn::protocol
