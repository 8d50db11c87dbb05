// Shared by core's tests: small deterministic keys, the devnet's first EIP-712 domain, and signed
// sample batches (every entry's signatures real), so each test file does not rebuild them.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "icn/core/era_batch.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/protocol_messages.hpp"

namespace icn::protocol::test_support {

// The private key 0x00…00<last>.
inline PrivateKey key(uint8_t last) {
  FixedBytes<32> secret{};
  secret[31] = last;
  return *PrivateKey::from_bytes(secret);
}

// Chain 31337 and anvil's first deployment address.
inline const Hash kDomain =
    domain_separator(31337, *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

// ScalerNode 5's batch for era 7, one entry per HyperNode id (ascending), signed by key(1); each
// HyperNode id's response is signed by key(id).
inline DaemonBatch sample_daemon_batch(std::initializer_list<uint64_t> hypernodes = {2, 3}) {
  DaemonBatch b{5, "icn/0.1.0", 7, {}, {}};
  for (uint64_t hn : hypernodes) {
    DaemonEntry e;
    e.hyper_node_id = hn;
    e.nonce = keccak256(std::to_string(hn));
    e.daemon_time = 1700000000 + hn;
    e.rtt_ms = uint32_t(10 * hn);
    e.hyper_node_time = 1700000001 + hn;
    e.daemon_signature = sign_hash(key(1), signing_digest(kDomain, challenge_of(e, 7, 5)));
    e.hyper_node_signature =
        sign_hash(key(uint8_t(hn)), signing_digest(kDomain, response_of(kDomain, e, 7, 5)));
    b.entries.push_back(e);
  }
  EXPECT_TRUE(sign_batch(kDomain, b, key(1)));
  return b;
}

// HyperNode 3's batch for era 7: the keccak of each text as its challenge hashes, signed by key(3).
inline HyperNodeBatch sample_hypernode_batch(std::initializer_list<std::string_view> texts = {
                                                 "a", "b"}) {
  HyperNodeBatch b{3, "icn/0.1.0", 7, {}, {}};
  for (std::string_view s : texts) b.challenge_hashes.push_back(keccak256(s));
  EXPECT_TRUE(sign_batch(kDomain, b, key(3)));
  return b;
}

}  // namespace icn::protocol::test_support
