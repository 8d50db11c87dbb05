// The EIP-712 messages of the monitoring protocol (DESIGN §5–§6, §8): a daemon's Challenge, the
// HyperNode's ChallengeResponse and the satellites' EraResult, with their hashes and signatures.
#pragma once

#include <cstdint>
#include <string_view>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/u256.hpp"

namespace icn::protocol {

// Every off-chain message is signed in the domain {name "ICN", version "1", chainId,
// verifyingContract = Settlement}, the domain Settlement's EIP712("ICN", "1") checks on chain.
inline constexpr std::string_view kDomainName = "ICN";
inline constexpr std::string_view kDomainVersion = "1";
Hash domain_separator(const U256& chain_id, const Address& settlement);

// encodeType strings (the type hashes are their keccak256).
inline constexpr std::string_view kChallengeType =
    "Challenge(uint64 era,uint256 scalerNodeId,uint256 hyperNodeId,bytes32 nonce,uint64 "
    "daemonTime)";
inline constexpr std::string_view kChallengeResponseType =
    "ChallengeResponse(bytes32 challengeHash,uint64 hyperNodeTime)";
inline constexpr std::string_view kEraResultType =
    "EraResult(uint64 era,bytes32 resultsRoot,bytes32 dataRoot)";

// A daemon's challenge to one HyperNode (DESIGN §6.2), signed by the node's daemon key. Times are
// Unix seconds as each side's clock reads them.
struct Challenge {
  uint64_t era = 0;
  U256 scaler_node_id;
  U256 hyper_node_id;
  Hash nonce{};
  uint64_t daemon_time = 0;
  bool operator==(const Challenge&) const = default;
};

// The HyperNode's answer, signed by its registered signing key. It names the challenge by its
// hash (the EIP-712 digest the daemon signed, so it is bound to chain and Settlement too) and adds
// the HyperNode's clock; the HyperNode's batch lists the same hashes.
struct ChallengeResponse {
  Hash challenge_hash{};
  uint64_t hyper_node_time = 0;
  bool operator==(const ChallengeResponse&) const = default;
};

// What the satellite committee signs per era; Settlement.eraResultDigest computes the same digest.
struct EraResult {
  uint64_t era = 0;
  Hash results_root{};
  Hash data_root{};
  bool operator==(const EraResult&) const = default;
};

// hashStruct of each message.
Hash hash_struct(const Challenge& challenge);
Hash hash_struct(const ChallengeResponse& response);
Hash hash_struct(const EraResult& result);

// keccak256(0x19 0x01 ‖ domain ‖ hashStruct): what is signed. The challenge's digest is also its
// "challenge hash", the key by which satellites match daemon and HyperNode reports.
Hash signing_digest(const Hash& domain, const Challenge& challenge);
Hash signing_digest(const Hash& domain, const ChallengeResponse& response);
Hash signing_digest(const Hash& domain, const EraResult& result);

struct SignedChallenge {
  Challenge challenge;
  Signature signature;
  bool operator==(const SignedChallenge&) const = default;
};
struct SignedChallengeResponse {
  ChallengeResponse response;
  Signature signature;
  bool operator==(const SignedChallengeResponse&) const = default;
};
struct SignedEraResult {
  EraResult result;
  Signature signature;
  bool operator==(const SignedEraResult&) const = default;
};

SignedChallenge sign(const Hash& domain, const Challenge& challenge, const PrivateKey& key);
SignedChallengeResponse sign(const Hash& domain, const ChallengeResponse& response,
                             const PrivateKey& key);
SignedEraResult sign(const Hash& domain, const EraResult& result, const PrivateKey& key);

// Whether `signature` over `digest` is by `expected`: "<what>: signature is by 0x…, not 0x…" or
// "<what>: invalid signature: …".
Status check_signer(const Hash& digest, const Signature& signature, const Address& expected,
                    std::string_view what);

Status verify(const Hash& domain, const SignedChallenge& message, const Address& daemon);
Status verify(const Hash& domain, const SignedChallengeResponse& message,
              const Address& hyper_node_signer);
Status verify(const Hash& domain, const SignedEraResult& message, const Address& member);

}  // namespace icn::protocol
