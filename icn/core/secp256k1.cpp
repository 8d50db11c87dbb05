// secp256k1 keys and recoverable signatures through libsecp256k1 (never re-implemented here).
#include "icn/core/secp256k1.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <ostream>

namespace icn {
namespace {

// The curve order n and n/2, big-endian: byte arrays compare like the numbers they hold.
constexpr Hash kCurveOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                              0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
constexpr Hash kHalfCurveOrder = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                  0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

// Created once (thread-safe static initialisation) and never destroyed, so it outlives any static
// object that might still sign during shutdown. Signing needs a created context, not
// secp256k1_context_static.
const secp256k1_context* context() {
  static const secp256k1_context* const ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return ctx;
}

bool is_zero(const Hash& h) {
  return std::all_of(h.begin(), h.end(), [](uint8_t b) { return b == 0; });
}

// Overwrites memory in a way the optimiser may not drop as a dead store.
void wipe(void* data, size_t size) {
  volatile uint8_t* p = static_cast<volatile uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) p[i] = 0;
}

FixedBytes<64> serialize_xy(const secp256k1_pubkey& key) {
  uint8_t out[65];
  size_t len = sizeof(out);
  secp256k1_ec_pubkey_serialize(context(), out, &len, &key, SECP256K1_EC_UNCOMPRESSED);
  FixedBytes<64> xy;
  std::copy(out + 1, out + 65, xy.begin());
  return xy;
}

}  // namespace

// --- PublicKey ---

Result<PublicKey> PublicKey::from_bytes(ByteView encoded) {
  uint8_t buf[65];
  size_t len = encoded.size();
  if (len == 64) {
    buf[0] = 0x04;
    std::copy(encoded.begin(), encoded.end(), buf + 1);
    len = 65;
  } else if (len == 65 || len == 33) {
    std::copy(encoded.begin(), encoded.end(), buf);
  } else {
    return fail("public key: expected 33, 64 or 65 bytes, got " + std::to_string(encoded.size()));
  }
  secp256k1_pubkey key;
  if (!secp256k1_ec_pubkey_parse(context(), &key, buf, len)) {
    return fail("public key: not a point on secp256k1");
  }
  return PublicKey(serialize_xy(key));
}

// --- PrivateKey ---

Result<PrivateKey> PrivateKey::from_bytes(ByteView secret) {
  if (secret.size() != 32) {
    return fail("private key: expected 32 bytes, got " + std::to_string(secret.size()));
  }
  FixedBytes<32> bytes;
  std::copy(secret.begin(), secret.end(), bytes.begin());
  bool valid = secp256k1_ec_seckey_verify(context(), bytes.data()) == 1;
  PrivateKey key(bytes);
  wipe(bytes.data(), bytes.size());
  if (!valid) return fail("private key: not in [1, n-1] (zero or not below the curve order)");
  return key;
}

Result<PrivateKey> PrivateKey::from_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
  }
  if (text.size() != 64) {
    return fail("private key: expected 64 hex digits, got " + std::to_string(text.size()));
  }
  auto bytes = parse_hex_digits(text);
  if (!bytes) return fail("private key: invalid hex digit");  // the parser's reason quotes input
  auto key = from_bytes(*bytes);
  wipe(bytes->data(), bytes->size());
  return key;
}

PrivateKey::~PrivateKey() {
  wipe(secret_.data(), secret_.size());
}

PublicKey PrivateKey::public_key() const {
  secp256k1_pubkey key;
  // Cannot fail: the secret was verified on construction.
  int ok = secp256k1_ec_pubkey_create(context(), &key, secret_.data());
  (void)ok;
  return PublicKey(serialize_xy(key));
}

void PrintTo(const PrivateKey& key, std::ostream* os) {
  *os << "PrivateKey(<redacted>)";
}

// --- Signature ---

Result<Signature> Signature::from_parts(const Hash& r, const Hash& s, uint8_t recid) {
  if (recid > 1) {
    return fail("signature recovery id must be 0 or 1, got " + std::to_string(recid));
  }
  if (is_zero(r)) return fail("signature r is zero");
  if (r >= kCurveOrder) return fail("signature r is not below the curve order");
  if (is_zero(s)) return fail("signature s is zero");
  if (s > kHalfCurveOrder) return fail("signature s is not in the lower half of the curve order");
  return Signature{r, s, recid};
}

Result<Signature> Signature::from_rsv65(ByteView rsv) {
  if (rsv.size() != 65) {
    return fail("signature: expected 65 bytes (r || s || v), got " + std::to_string(rsv.size()));
  }
  uint8_t v = rsv[64];
  if (v == 27 || v == 28) {
    v -= 27;
  } else if (v != 0 && v != 1) {
    return fail("signature v must be 0, 1, 27 or 28, got " + std::to_string(rsv[64]));
  }
  Hash r, s;
  std::copy_n(rsv.begin(), 32, r.begin());
  std::copy_n(rsv.begin() + 32, 32, s.begin());
  return from_parts(r, s, v);
}

FixedBytes<65> Signature::to_rsv65() const {
  FixedBytes<65> out;
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  out[64] = uint8_t(v + 27);
  return out;
}

// --- sign / recover / verify ---

Signature sign_hash(const PrivateKey& key, const Hash& hash) {
  const Hash& secret = key.expose_secret();
  // Recovery ids 2 and 3 (R.x ≥ n, probability about 2^-128) have no Ethereum encoding. Should one
  // occur, re-sign with a counter as RFC 6979 extra data: still deterministic, and such a
  // signature is as valid as any other.
  for (uint32_t attempt = 0;; ++attempt) {
    Hash extra{};
    extra[28] = uint8_t(attempt >> 24);
    extra[29] = uint8_t(attempt >> 16);
    extra[30] = uint8_t(attempt >> 8);
    extra[31] = uint8_t(attempt);
    secp256k1_ecdsa_recoverable_signature sig;
    // Cannot fail: the key is valid and RFC 6979 always yields a nonce.
    int ok = secp256k1_ecdsa_sign_recoverable(context(), &sig, hash.data(), secret.data(),
                                              secp256k1_nonce_function_rfc6979,
                                              attempt == 0 ? nullptr : extra.data());
    (void)ok;
    uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact, &recid, &sig);
    if (recid > 1) continue;
    Signature out;
    std::copy(compact, compact + 32, out.r.begin());
    std::copy(compact + 32, compact + 64, out.s.begin());
    out.v = uint8_t(recid);
    return out;  // libsecp256k1 always produces low-s
  }
}

Result<PublicKey> recover_public_key(const Hash& hash, const Signature& sig) {
  ICN_CHECK(Signature::from_parts(sig.r, sig.s, sig.v));
  uint8_t compact[64];
  std::copy(sig.r.begin(), sig.r.end(), compact);
  std::copy(sig.s.begin(), sig.s.end(), compact + 32);
  secp256k1_ecdsa_recoverable_signature parsed;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &parsed, compact, sig.v)) {
    return fail("invalid signature: cannot be parsed");
  }
  secp256k1_pubkey key;
  if (!secp256k1_ecdsa_recover(context(), &key, &parsed, hash.data())) {
    return fail("invalid signature: no public key recovers from it");
  }
  return PublicKey(serialize_xy(key));
}

Result<Address> recover_address(const Hash& hash, const Signature& sig) {
  ICN_TRY(PublicKey key, recover_public_key(hash, sig));
  return key.address();
}

bool verify(const Hash& hash, const Signature& sig, const Address& signer) {
  auto recovered = recover_address(hash, sig);
  return recovered.ok() && *recovered == signer;
}

}  // namespace icn
