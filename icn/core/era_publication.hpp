// What a satellite publishes about an era (docs/satellite.md): the results with every leaf's proof
// (GET /v1/eras/{e}/results) and the accepted batches (GET /v1/eras/{e}/batches). One codec for
// the satellite that writes them and for `icn claim` / `icn verify-era`, which read them as outside
// input: every field is checked, and a leaf is only trusted once it verifies against a root the
// caller got from chain.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "icn/core/era_results.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/core/secp256k1.hpp"

namespace icn::protocol {

struct PublishedNodeLeaf {
  NodeLeaf leaf;
  Hash leaf_hash{};  // as published; check_leaf recomputes it from the fields
  std::vector<Hash> proof;
};
struct PublishedLinkLeaf {
  LinkLeaf leaf;
  Hash leaf_hash{};
  std::vector<Hash> proof;
};

// {"era","resultsRoot","dataRoot","signer","signature","nodes":[{"nodeId","utilisation",
//  "subsidy","slashed","bookingId","bookingUpEras","leaf","proof"}],"links":[{"bundleId","reward",
//  "leaf","proof"}]}: amounts and ids decimal strings, hashes 0x-hex.
struct PublishedEraResults {
  uint64_t era = 0;
  Hash results_root{};
  Hash data_root{};
  Address signer;       // the publishing satellite's committee key
  Signature signature;  // its signature over EraResult{era, resultsRoot, dataRoot}
  std::vector<PublishedNodeLeaf> nodes;
  std::vector<PublishedLinkLeaf> links;
};

// Every leaf of `tree` with its proof (the tree is the one whose root is `results_root`).
Result<PublishedEraResults> publish_results(uint64_t era, const ResultsTree& tree,
                                            const Hash& data_root, const Address& signer,
                                            const Signature& signature);
nlohmann::json to_json(const PublishedEraResults& results);

struct PublicationLimits {
  size_t max_leaves = 1'000'000;  // nodes + links
  size_t max_proof = 64;          // a tree of 2^64 leaves
  size_t max_batches = 1'000'000;
};

// Strict: every key present and typed, no unknown key, canonical decimals ("0", no leading zero),
// 0x-hex hashes; errors name the field ("results.nodes[2].proof[0]: …").
Result<PublishedEraResults> decode_published_results(const nlohmann::json& body,
                                                     const PublicationLimits& limits = {});

// The leaf hash recomputed from the leaf's fields must equal the published one, and the proof
// must lead from it to `root` (OpenZeppelin MerkleProof): "node 3: proof does not lead to …".
Status check_leaf(const PublishedNodeLeaf& leaf, const Hash& root);
Status check_leaf(const PublishedLinkLeaf& leaf, const Hash& root);

// The tree the published leaves make, rebuilt (zero root when there are none): equal to the
// committed root exactly when the publication lists every leaf of the committed tree and no other.
Hash rebuilt_results_root(const PublishedEraResults& results);

// One entry of GET /v1/eras/{e}/batches: {"hash","originatorKind","originatorId","equivocation",
// "batch"}; `batch` is the canonical protocol JSON of a DaemonBatch or HyperNodeBatch.
struct PublishedBatch {
  Hash hash{};  // as published; batch_hash(batch) is what counts
  OriginatorKind kind = OriginatorKind::kScalerNode;
  U256 originator_id;
  bool equivocation = false;
  AnyBatch batch;
};
struct PublishedEraBatches {
  uint64_t era = 0;
  std::vector<PublishedBatch> batches;
};

// `batch_text` is the stored canonical text of the batch (embedded as JSON, not as a string).
nlohmann::json published_batch_json(const Hash& hash, OriginatorKind kind, const U256& originator,
                                    bool equivocation, const std::string& batch_text);
// Strict as above; each batch decodes under `wire` and is re-encoded canonically.
Result<PublishedEraBatches> decode_published_batches(const nlohmann::json& body,
                                                     const WireLimits& wire,
                                                     const PublicationLimits& limits = {});

}  // namespace icn::protocol
