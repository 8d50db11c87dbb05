// Ethereum transactions: EIP-1559 (type 2) and legacy/EIP-155 — signing hashes, signing, and a
// strict decoder of raw signed transactions that recovers the sender.
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/u256.hpp"

namespace icn {

struct AccessListEntry {
  Address address;
  std::vector<Hash> storage_keys;

  bool operator==(const AccessListEntry&) const = default;
};

// EIP-1559: 0x02 || rlp([chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_limit,
// to, value, data, access_list, y_parity, r, s]).
struct Eip1559Tx {
  U256 chain_id = 0;
  uint64_t nonce = 0;
  U256 max_priority_fee_per_gas = 0;
  U256 max_fee_per_gas = 0;
  uint64_t gas_limit = 0;
  std::optional<Address> to;  // none: contract creation
  U256 value = 0;
  Bytes data;
  std::vector<AccessListEntry> access_list;

  bool operator==(const Eip1559Tx&) const = default;
};

// Legacy: rlp([nonce, gas_price, gas_limit, to, value, data, v, r, s]); with chain_id set it is
// EIP-155 replay-protected (v = chain_id * 2 + 35 + recovery id), otherwise v = 27 + recovery id.
struct LegacyTx {
  uint64_t nonce = 0;
  U256 gas_price = 0;
  uint64_t gas_limit = 0;
  std::optional<Address> to;
  U256 value = 0;
  Bytes data;
  std::optional<U256> chain_id;

  bool operator==(const LegacyTx&) const = default;
};

// The hash the sender signs: keccak256(0x02 || rlp(the nine unsigned fields)) for EIP-1559;
// keccak256(rlp(six fields [, chain_id, 0, 0])) for legacy.
Hash signing_hash(const Eip1559Tx& tx);
Hash signing_hash(const LegacyTx& tx);

struct SignedTx {
  std::variant<LegacyTx, Eip1559Tx> tx;
  Signature sig;  // sig.v is the recovery id (0/1) whichever encoding the transaction uses
  Bytes raw;      // what eth_sendRawTransaction takes
  Hash hash;      // keccak256(raw): the transaction hash
  Address from;

  // None only for a pre-EIP-155 legacy transaction, which is valid on every chain.
  std::optional<U256> chain_id() const;
};

SignedTx sign(const Eip1559Tx& tx, const PrivateKey& key);
SignedTx sign(const LegacyTx& tx, const PrivateKey& key);

// Type-2 envelopes and legacy transactions in canonical encoding only (every accepted input
// re-encodes to the same bytes); low-s signatures only (EIP-2). Other typed transactions are
// rejected by type.
Result<SignedTx> decode_signed_tx(ByteView raw);
// As above, and the transaction must be bound to expected_chain_id (so pre-EIP-155 legacy
// transactions are rejected too).
Result<SignedTx> decode_signed_tx(ByteView raw, const U256& expected_chain_id);

}  // namespace icn
