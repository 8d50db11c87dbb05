// The JSON wire format of the protocol's messages and batches (what goes over HTTP): one canonical
// encoding per value, and strict decoders that name the field and the reason of every rejection.
//
// Canonical JSON: compact (no whitespace), object keys in ascending byte order, uint64/uint32 as
// JSON integers, uint256 ids as decimal strings without leading zeros, bytes32 and signatures as
// "0x" + lowercase hex (signatures 65 bytes r ‖ s ‖ v with v ∈ {27, 28}, low s). Decoders accept
// any key order and whitespace, and reject unknown or duplicate keys, missing fields, wrong JSON
// types, non-canonical numbers or hex, and arrays over the configured limits.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "icn/core/era_batch.hpp"
#include "icn/core/protocol_messages.hpp"

namespace icn::protocol {

struct WireLimits {
  size_t max_text_bytes = 64 << 20;        // whole document
  size_t max_daemon_entries = 4096;        // HyperNodes a daemon challenges in an era
  size_t max_hypernode_entries = 200'000;  // ScalerNodes a HyperNode answers in an era
  size_t max_version_bytes = 64;           // printable ASCII
};

// Canonical text of each value.
std::string encode(const SignedChallenge& message);
std::string encode(const SignedChallengeResponse& message);
std::string encode(const SignedEraResult& message);
std::string encode(const DaemonBatch& batch);
std::string encode(const HyperNodeBatch& batch);

// The same as JSON values, to embed in larger documents.
nlohmann::json to_json(const SignedChallenge& message);
nlohmann::json to_json(const SignedChallengeResponse& message);
nlohmann::json to_json(const SignedEraResult& message);
nlohmann::json to_json(const DaemonBatch& batch);
nlohmann::json to_json(const HyperNodeBatch& batch);

Result<SignedChallenge> decode_signed_challenge(std::string_view text,
                                                const WireLimits& limits = {});
Result<SignedChallengeResponse> decode_signed_challenge_response(std::string_view text,
                                                                 const WireLimits& limits = {});
Result<SignedEraResult> decode_signed_era_result(std::string_view text,
                                                 const WireLimits& limits = {});
Result<DaemonBatch> decode_daemon_batch(std::string_view text, const WireLimits& limits = {});
Result<HyperNodeBatch> decode_hypernode_batch(std::string_view text, const WireLimits& limits = {});
// Either kind, told apart by "originatorKind" (1: ScalerNode daemon, 2: HyperNode).
using AnyBatch = std::variant<DaemonBatch, HyperNodeBatch>;
Result<AnyBatch> decode_batch(std::string_view text, const WireLimits& limits = {});

// From already parsed JSON (duplicate keys cannot be seen any more: parse with parse_strict_json).
Result<DaemonBatch> daemon_batch_from_json(const nlohmann::json& value,
                                           const WireLimits& limits = {});
Result<HyperNodeBatch> hypernode_batch_from_json(const nlohmann::json& value,
                                                 const WireLimits& limits = {});

// JSON text to a value, rejecting duplicate object keys, nesting deeper than 16 and text longer
// than limits.max_text_bytes.
Result<nlohmann::json> parse_strict_json(std::string_view text, const WireLimits& limits = {});

// A batch's content address: keccak256 of its canonical encoding.
Hash batch_hash(const DaemonBatch& batch);
Hash batch_hash(const HyperNodeBatch& batch);
Hash batch_hash(const AnyBatch& batch);

}  // namespace icn::protocol
