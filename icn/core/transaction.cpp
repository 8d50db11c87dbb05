// Encoding, signing and strict decoding of EIP-1559 and legacy (EIP-155) transactions.
#include "icn/core/transaction.hpp"

#include <iterator>

#include "icn/core/keccak.hpp"
#include "icn/core/rlp.hpp"

namespace icn {
namespace {

using boost::multiprecision::uint512_t;

constexpr uint8_t kEip1559Type = 0x02;
constexpr size_t kEip1559Fields = 12;
constexpr size_t kLegacyFields = 9;

// --- encoding ---

Bytes encode_to(const std::optional<Address>& to) {
  return to ? rlp::encode_bytes(to->bytes) : rlp::encode_bytes({});
}

Bytes encode_access_list(const std::vector<AccessListEntry>& list) {
  rlp::ListBuilder entries;
  for (const AccessListEntry& entry : list) {
    rlp::ListBuilder keys;
    for (const Hash& key : entry.storage_keys) keys.add_bytes(key);
    entries.add_encoded(
        rlp::ListBuilder().add_bytes(entry.address.bytes).add_encoded(keys.finish()).finish());
  }
  return entries.finish();
}

rlp::ListBuilder eip1559_unsigned_fields(const Eip1559Tx& tx) {
  rlp::ListBuilder fields;
  fields.add_uint(tx.chain_id)
      .add_uint(tx.nonce)
      .add_uint(tx.max_priority_fee_per_gas)
      .add_uint(tx.max_fee_per_gas)
      .add_uint(tx.gas_limit)
      .add_encoded(encode_to(tx.to))
      .add_uint(tx.value)
      .add_bytes(tx.data)
      .add_encoded(encode_access_list(tx.access_list));
  return fields;
}

rlp::ListBuilder legacy_unsigned_fields(const LegacyTx& tx) {
  rlp::ListBuilder fields;
  fields.add_uint(tx.nonce)
      .add_uint(tx.gas_price)
      .add_uint(tx.gas_limit)
      .add_encoded(encode_to(tx.to))
      .add_uint(tx.value)
      .add_bytes(tx.data);
  return fields;
}

Bytes with_type(uint8_t type, ByteView payload) {
  Bytes out;
  out.reserve(payload.size() + 1);
  out.push_back(type);
  append(out, payload);
  return out;
}

Bytes trimmed(const Hash& word) {
  return u256_to_be_trimmed(u256_from_be(word));
}

// EIP-155's v = chain_id * 2 + 35 + recid can exceed 256 bits for a (silly but legal) chain id
// near 2^256, so it is computed and encoded in 512 bits.
Bytes legacy_v_bytes(const std::optional<U256>& chain_id, uint8_t recid) {
  uint512_t v = chain_id ? uint512_t(*chain_id) * 2 + 35 + recid : uint512_t(27 + recid);
  Bytes out;
  boost::multiprecision::export_bits(v, std::back_inserter(out), 8);
  return out;
}

SignedTx finish_signed(std::variant<LegacyTx, Eip1559Tx> tx, const Signature& sig, Bytes raw,
                       const Address& from) {
  Hash hash = keccak256(raw);
  return SignedTx{std::move(tx), sig, std::move(raw), hash, from};
}

// --- decoding ---

Result<std::optional<Address>> decode_to(const rlp::Item& item) {
  ICN_TRY(ByteView bytes, rlp::decode_bytes(item));
  if (bytes.empty()) return std::optional<Address>();
  if (bytes.size() != 20) {
    return fail("expected 20 bytes or empty (contract creation), got " +
                std::to_string(bytes.size()));
  }
  return std::optional<Address>(Address::from_bytes(bytes));
}

Result<std::vector<AccessListEntry>> decode_access_list(const rlp::Item& item) {
  if (!item.is_list) return fail("expected a list, got a string");
  ICN_TRY(std::vector<rlp::Item> entries, rlp::decode_list_items(item.payload));
  std::vector<AccessListEntry> out;
  out.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "entry " + std::to_string(i);
    if (!entries[i].is_list) return fail(where + ": expected a list, got a string");
    ICN_TRY_CTX(std::vector<rlp::Item> fields, rlp::decode_list_items(entries[i].payload), where);
    if (fields.size() != 2) {
      return fail(where + ": expected [address, storage keys], got " +
                  std::to_string(fields.size()) + " fields");
    }
    ICN_TRY_CTX(ByteView address, rlp::decode_bytes(fields[0]), where + ": address");
    if (address.size() != 20) {
      return fail(where + ": address: expected 20 bytes, got " + std::to_string(address.size()));
    }
    if (!fields[1].is_list) return fail(where + ": storage keys: expected a list, got a string");
    ICN_TRY_CTX(std::vector<rlp::Item> keys, rlp::decode_list_items(fields[1].payload),
                where + ": storage keys");
    AccessListEntry entry{Address::from_bytes(address), {}};
    entry.storage_keys.reserve(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) {
      const std::string key_where = where + ": storage key " + std::to_string(k);
      ICN_TRY_CTX(ByteView key, rlp::decode_bytes(keys[k]), key_where);
      if (key.size() != 32) {
        return fail(key_where + ": expected 32 bytes, got " + std::to_string(key.size()));
      }
      Hash h;
      std::copy(key.begin(), key.end(), h.begin());
      entry.storage_keys.push_back(h);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<Signature> decode_signature(const rlp::Item& r_item, const rlp::Item& s_item,
                                   uint8_t recid) {
  ICN_TRY_CTX(U256 r, rlp::decode_uint(r_item), "r");
  ICN_TRY_CTX(U256 s, rlp::decode_uint(s_item), "s");
  return Signature::from_parts(u256_to_be(r), u256_to_be(s), recid);
}

Result<Bytes> decode_data(const rlp::Item& item) {
  ICN_TRY(ByteView bytes, rlp::decode_bytes(item));
  return to_bytes(bytes);
}

Result<SignedTx> decode_eip1559(ByteView raw) {
  ICN_TRY(std::vector<rlp::Item> f, rlp::decode_list(raw.subspan(1)));
  if (f.size() != kEip1559Fields) {
    return fail("EIP-1559 transaction has " + std::to_string(f.size()) + " fields, expected " +
                std::to_string(kEip1559Fields));
  }
  Eip1559Tx tx;
  ICN_TRY_CTX(tx.chain_id, rlp::decode_uint(f[0]), "chain id");
  ICN_TRY_CTX(tx.nonce, rlp::decode_u64(f[1]), "nonce");
  ICN_TRY_CTX(tx.max_priority_fee_per_gas, rlp::decode_uint(f[2]), "max priority fee per gas");
  ICN_TRY_CTX(tx.max_fee_per_gas, rlp::decode_uint(f[3]), "max fee per gas");
  ICN_TRY_CTX(tx.gas_limit, rlp::decode_u64(f[4]), "gas limit");
  ICN_TRY_CTX(tx.to, decode_to(f[5]), "to");
  ICN_TRY_CTX(tx.value, rlp::decode_uint(f[6]), "value");
  ICN_TRY_CTX(tx.data, decode_data(f[7]), "data");
  ICN_TRY_CTX(tx.access_list, decode_access_list(f[8]), "access list");
  ICN_TRY_CTX(uint64_t y_parity, rlp::decode_u64(f[9]), "y parity");
  if (y_parity > 1) return fail("y parity must be 0 or 1, got " + std::to_string(y_parity));
  ICN_TRY(Signature sig, decode_signature(f[10], f[11], uint8_t(y_parity)));
  ICN_TRY(Address from, recover_address(signing_hash(tx), sig));
  return finish_signed(std::move(tx), sig, to_bytes(raw), from);
}

Result<SignedTx> decode_legacy(ByteView raw) {
  ICN_TRY(std::vector<rlp::Item> f, rlp::decode_list(raw));
  if (f.size() != kLegacyFields) {
    return fail("legacy transaction has " + std::to_string(f.size()) + " fields, expected " +
                std::to_string(kLegacyFields));
  }
  LegacyTx tx;
  ICN_TRY_CTX(tx.nonce, rlp::decode_u64(f[0]), "nonce");
  ICN_TRY_CTX(tx.gas_price, rlp::decode_uint(f[1]), "gas price");
  ICN_TRY_CTX(tx.gas_limit, rlp::decode_u64(f[2]), "gas limit");
  ICN_TRY_CTX(tx.to, decode_to(f[3]), "to");
  ICN_TRY_CTX(tx.value, rlp::decode_uint(f[4]), "value");
  ICN_TRY_CTX(tx.data, decode_data(f[5]), "data");

  // v may exceed 256 bits (see legacy_v_bytes): at most 33 bytes, canonical.
  const rlp::Item& v_item = f[6];
  if (v_item.is_list) return fail("v: expected an integer, got a list");
  if (!v_item.payload.empty() && v_item.payload[0] == 0) {
    return fail("v: rlp: non-canonical integer (leading zero bytes)");
  }
  if (v_item.payload.size() > 33) {
    return fail("v: integer of " + std::to_string(v_item.payload.size()) +
                " bytes is larger than any EIP-155 v");
  }
  uint512_t v = 0;
  if (!v_item.payload.empty()) {
    boost::multiprecision::import_bits(v, v_item.payload.begin(), v_item.payload.end(), 8);
  }
  uint8_t recid = 0;
  if (v == 27 || v == 28) {
    recid = uint8_t(v - 27);
  } else if (v >= 35) {
    uint512_t chain_id = (v - 35) / 2;
    if (chain_id > uint512_t(~U256(0))) return fail("v: chain id does not fit in 256 bits");
    tx.chain_id = U256(chain_id);
    recid = uint8_t((v - 35) % 2);
  } else {
    return fail("v must be 27, 28 or chain_id * 2 + 35 or 36 (EIP-155), got " + v.str());
  }
  ICN_TRY(Signature sig, decode_signature(f[7], f[8], recid));
  ICN_TRY(Address from, recover_address(signing_hash(tx), sig));
  return finish_signed(std::move(tx), sig, to_bytes(raw), from);
}

Result<SignedTx> decode_any(ByteView raw) {
  if (raw.empty()) return fail("empty input");
  const uint8_t first = raw[0];
  if (first >= 0xc0) return decode_legacy(raw);
  if (first == kEip1559Type) return decode_eip1559(raw);
  if (first == 0x01) return fail("unsupported transaction type 0x01 (EIP-2930)");
  if (first == 0x03) return fail("unsupported transaction type 0x03 (EIP-4844 blob)");
  if (first == 0x04) return fail("unsupported transaction type 0x04 (EIP-7702)");
  std::string hex = to_hex(ByteView(&raw[0], 1));
  if (first <= 0x7f) return fail("unknown transaction type " + hex);
  return fail("first byte " + hex + " is neither a transaction type nor an RLP list");
}

}  // namespace

Hash signing_hash(const Eip1559Tx& tx) {
  return keccak256(with_type(kEip1559Type, eip1559_unsigned_fields(tx).finish()));
}

Hash signing_hash(const LegacyTx& tx) {
  rlp::ListBuilder fields = legacy_unsigned_fields(tx);
  if (tx.chain_id) fields.add_uint(*tx.chain_id).add_uint(uint64_t(0)).add_uint(uint64_t(0));
  return keccak256(fields.finish());
}

std::optional<U256> SignedTx::chain_id() const {
  if (const auto* eip1559 = std::get_if<Eip1559Tx>(&tx)) return eip1559->chain_id;
  return std::get<LegacyTx>(tx).chain_id;
}

SignedTx sign(const Eip1559Tx& tx, const PrivateKey& key) {
  Signature sig = sign_hash(key, signing_hash(tx));
  Bytes payload = eip1559_unsigned_fields(tx)
                      .add_uint(uint64_t(sig.v))
                      .add_bytes(trimmed(sig.r))
                      .add_bytes(trimmed(sig.s))
                      .finish();
  return finish_signed(tx, sig, with_type(kEip1559Type, payload), key.address());
}

SignedTx sign(const LegacyTx& tx, const PrivateKey& key) {
  Signature sig = sign_hash(key, signing_hash(tx));
  Bytes raw = legacy_unsigned_fields(tx)
                  .add_bytes(legacy_v_bytes(tx.chain_id, sig.v))
                  .add_bytes(trimmed(sig.r))
                  .add_bytes(trimmed(sig.s))
                  .finish();
  return finish_signed(tx, sig, std::move(raw), key.address());
}

Result<SignedTx> decode_signed_tx(ByteView raw) {
  auto tx = decode_any(raw);
  if (!tx) return std::move(tx).error().context("transaction");
  return tx;
}

Result<SignedTx> decode_signed_tx(ByteView raw, const U256& expected_chain_id) {
  ICN_TRY(SignedTx tx, decode_signed_tx(raw));
  std::optional<U256> chain_id = tx.chain_id();
  if (!chain_id) {
    return fail("transaction: wrong chain id: expected " + to_decimal(expected_chain_id) +
                ", got none (a pre-EIP-155 transaction valid on every chain)");
  }
  if (*chain_id != expected_chain_id) {
    return fail("transaction: wrong chain id: expected " + to_decimal(expected_chain_id) +
                ", got " + to_decimal(*chain_id));
  }
  return tx;
}

}  // namespace icn
