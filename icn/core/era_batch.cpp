// Era batches: entry hashes, entries roots, the signed Batch header, canonical order.
#include "icn/core/era_batch.hpp"

#include <algorithm>
#include <limits>

#include "icn/core/eip712.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/merkle.hpp"

namespace icn::protocol {

std::string_view to_string(OriginatorKind kind) {
  return kind == OriginatorKind::kScalerNode ? "scalerNode" : "hyperNode";
}

Hash hash_struct(const BatchHeader& h) {
  static const Hash kTypeHash = eip712::type_hash(kBatchType);
  return eip712::StructHasher(kTypeHash)
      .add_uint(uint8_t(h.originator_kind))
      .add_uint(h.originator_id)
      .add_uint(h.era)
      .add_string(h.version)
      .add_word(h.entries_root)
      .add_uint(h.entry_count)
      .finish();
}

Challenge challenge_of(const DaemonEntry& e, uint64_t era, const U256& scaler_node_id) {
  return Challenge{era, scaler_node_id, e.hyper_node_id, e.nonce, e.daemon_time};
}

Hash challenge_hash(const Hash& domain, const DaemonEntry& e, uint64_t era,
                    const U256& scaler_node_id) {
  return signing_digest(domain, challenge_of(e, era, scaler_node_id));
}

ChallengeResponse response_of(const Hash& domain, const DaemonEntry& e, uint64_t era,
                              const U256& scaler_node_id) {
  return ChallengeResponse{challenge_hash(domain, e, era, scaler_node_id), e.hyper_node_time};
}

Hash entry_hash(const DaemonEntry& e) {
  static const Hash kTypeHash = eip712::type_hash(kDaemonEntryType);
  auto daemon_sig = e.daemon_signature.to_rsv65();
  auto hyper_node_sig = e.hyper_node_signature.to_rsv65();
  return eip712::StructHasher(kTypeHash)
      .add_uint(e.hyper_node_id)
      .add_word(e.nonce)
      .add_uint(e.daemon_time)
      .add_uint(e.rtt_ms)
      .add_uint(e.hyper_node_time)
      .add_bytes(daemon_sig)
      .add_bytes(hyper_node_sig)
      .finish();
}

Hash hash_list_root(std::span<const Hash> hashes) {
  if (hashes.empty()) return Hash{};
  // StandardMerkleTree(["bytes32"]) leaves without the generic ABI path: abi.encode of one
  // bytes32 is the word itself, so each leaf is keccak256(keccak256(h)). Satellites hash a
  // million of these per era; the generic encoder's allocations were most of the cost.
  std::vector<Hash> leaves;
  leaves.reserve(hashes.size());
  for (const Hash& h : hashes) leaves.push_back(keccak256(keccak256(ByteView(h.data(), h.size()))));
  // Cannot fail: the list is not empty.
  return abi::SimpleMerkleTree::build(std::move(leaves))->root();
}

namespace {

Status check_entry_count(size_t n) {
  if (n > std::numeric_limits<uint32_t>::max()) {
    return fail("batch has " + std::to_string(n) + " entries, more than 2^32 - 1");
  }
  return {};
}

}  // namespace

Result<BatchHeader> header_of(const DaemonBatch& b) {
  ICN_CHECK(check_entry_count(b.entries.size()));
  std::vector<Hash> hashes;
  hashes.reserve(b.entries.size());
  for (size_t i = 0; i < b.entries.size(); ++i) {
    if (i > 0 && !(b.entries[i - 1].hyper_node_id < b.entries[i].hyper_node_id)) {
      return fail("entries[" + std::to_string(i) +
                  "]: entries must be in strictly ascending hyperNodeId order (one per HyperNode)");
    }
    hashes.push_back(entry_hash(b.entries[i]));
  }
  return BatchHeader{OriginatorKind::kScalerNode, b.scaler_node_id,          b.era, b.version,
                     hash_list_root(hashes),      uint32_t(b.entries.size())};
}

Result<BatchHeader> header_of(const HyperNodeBatch& b) {
  ICN_CHECK(check_entry_count(b.challenge_hashes.size()));
  for (size_t i = 1; i < b.challenge_hashes.size(); ++i) {
    if (!(b.challenge_hashes[i - 1] < b.challenge_hashes[i])) {
      return fail("challengeHashes[" + std::to_string(i) +
                  "]: challenge hashes must be in strictly ascending order (no duplicates)");
    }
  }
  return BatchHeader{OriginatorKind::kHyperNode,
                     b.hyper_node_id,
                     b.era,
                     b.version,
                     hash_list_root(b.challenge_hashes),
                     uint32_t(b.challenge_hashes.size())};
}

Status sign_batch(const Hash& domain, DaemonBatch& b, const PrivateKey& key) {
  std::stable_sort(
      b.entries.begin(), b.entries.end(),
      [](const DaemonEntry& x, const DaemonEntry& y) { return x.hyper_node_id < y.hyper_node_id; });
  ICN_TRY_CTX(BatchHeader header, header_of(b), "sign daemon batch");
  b.signature = sign_hash(key, eip712::typed_digest(domain, hash_struct(header)));
  return {};
}

Status sign_batch(const Hash& domain, HyperNodeBatch& b, const PrivateKey& key) {
  std::sort(b.challenge_hashes.begin(), b.challenge_hashes.end());
  ICN_TRY_CTX(BatchHeader header, header_of(b), "sign hypernode batch");
  b.signature = sign_hash(key, eip712::typed_digest(domain, hash_struct(header)));
  return {};
}

Status verify_batch(const Hash& domain, const DaemonBatch& b, const Address& signer) {
  ICN_TRY(BatchHeader header, header_of(b));
  return check_signer(eip712::typed_digest(domain, hash_struct(header)), b.signature, signer,
                      "batch");
}

Status verify_batch(const Hash& domain, const HyperNodeBatch& b, const Address& signer) {
  ICN_TRY(BatchHeader header, header_of(b));
  return check_signer(eip712::typed_digest(domain, hash_struct(header)), b.signature, signer,
                      "batch");
}

}  // namespace icn::protocol
