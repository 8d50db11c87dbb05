// The era batches each side sends the satellites after an era (DESIGN §6.3): a daemon's signed
// responses and a HyperNode's answered challenge hashes, each signed once over a Merkle root of
// its entries so satellites check O(nodes + hypernodes) signatures per era.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "icn/core/protocol_messages.hpp"

namespace icn::protocol {

// Who sent a batch: the uint8 `originatorKind` of the Batch struct.
enum class OriginatorKind : uint8_t { kScalerNode = 1, kHyperNode = 2 };
std::string_view to_string(OriginatorKind kind);

// encodeType strings. `version` is signed too, so the content address of a batch (which covers
// the version) cannot be changed by anyone but its signer.
inline constexpr std::string_view kBatchType =
    "Batch(uint8 originatorKind,uint256 originatorId,uint64 era,string version,bytes32 "
    "entriesRoot,uint32 entryCount)";
inline constexpr std::string_view kDaemonEntryType =
    "DaemonEntry(uint256 hyperNodeId,bytes32 nonce,uint64 daemonTime,uint32 rttMs,uint64 "
    "hyperNodeTime,bytes daemonSignature,bytes hyperNodeSignature)";

// One challenge of a daemon's batch: the challenge (its era and ScalerNode are the batch's), the
// measured round trip and both signatures, so the entry alone is the report spec §6.2 describes.
struct DaemonEntry {
  U256 hyper_node_id;
  Hash nonce{};
  uint64_t daemon_time = 0;  // when the daemon sent the challenge (Unix seconds)
  uint32_t rtt_ms = 0;
  uint64_t hyper_node_time = 0;    // the response's hyperNodeTime
  Signature daemon_signature;      // over the Challenge
  Signature hyper_node_signature;  // over the ChallengeResponse
  bool operator==(const DaemonEntry&) const = default;
};

// A daemon's batch. Canonical form: entries in strictly ascending hyperNodeId (one challenge per
// HyperNode per era).
struct DaemonBatch {
  U256 scaler_node_id;
  std::string version;
  uint64_t era = 0;
  std::vector<DaemonEntry> entries;
  Signature signature;  // by the node's daemon key over the Batch struct
  bool operator==(const DaemonBatch&) const = default;
};

// A HyperNode's batch: the hashes of the challenges it answered in the era. Canonical form:
// strictly ascending (so no duplicates).
struct HyperNodeBatch {
  U256 hyper_node_id;
  std::string version;
  uint64_t era = 0;
  std::vector<Hash> challenge_hashes;
  Signature signature;  // by the HyperNode's signing key over the Batch struct
  bool operator==(const HyperNodeBatch&) const = default;
};

// The signed Batch struct.
struct BatchHeader {
  OriginatorKind originator_kind = OriginatorKind::kScalerNode;
  U256 originator_id;
  uint64_t era = 0;
  std::string version;
  Hash entries_root{};
  uint32_t entry_count = 0;
  bool operator==(const BatchHeader&) const = default;
};
Hash hash_struct(const BatchHeader& header);

// The Challenge a daemon entry answers and its challenge hash (the Challenge's signing digest).
Challenge challenge_of(const DaemonEntry& entry, uint64_t era, const U256& scaler_node_id);
Hash challenge_hash(const Hash& domain, const DaemonEntry& entry, uint64_t era,
                    const U256& scaler_node_id);
// The ChallengeResponse the HyperNode signed for the entry.
ChallengeResponse response_of(const Hash& domain, const DaemonEntry& entry, uint64_t era,
                              const U256& scaler_node_id);

// hashStruct(DaemonEntry): a daemon batch's entry hash (signatures as 65-byte r ‖ s ‖ v).
Hash entry_hash(const DaemonEntry& entry);

// Root of the OpenZeppelin StandardMerkleTree with leaf encoding ["bytes32"] over the hashes
// (each leaf keccak256(keccak256(h)), sorted, so the root does not depend on the input order);
// zero for an empty list. entriesRoot and the era's dataRoot are both this.
Hash hash_list_root(std::span<const Hash> hashes);

// Headers; entries_root over entry_hash of each entry, or over the challenge hashes. Fails when
// the batch is not canonical or has more than 2^32 − 1 entries.
Result<BatchHeader> header_of(const DaemonBatch& batch);
Result<BatchHeader> header_of(const HyperNodeBatch& batch);

// Sorts the entries into canonical order (rejecting duplicates) and signs the header.
Status sign_batch(const Hash& domain, DaemonBatch& batch, const PrivateKey& key);
Status sign_batch(const Hash& domain, HyperNodeBatch& batch, const PrivateKey& key);

// Canonical, and the header is signed by `signer`.
Status verify_batch(const Hash& domain, const DaemonBatch& batch, const Address& signer);
Status verify_batch(const Hash& domain, const HyperNodeBatch& batch, const Address& signer);

}  // namespace icn::protocol
