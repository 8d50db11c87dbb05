// secp256k1 keys and recoverable ECDSA signatures as Ethereum uses them (a wrapper of
// libsecp256k1).
#pragma once

#include <compare>
#include <iosfwd>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"

namespace icn {

// The library context: one per process, created with SECP256K1_CONTEXT_NONE on first use and only
// ever read afterwards, so every function here is safe to call from any thread.
//
// It is deliberately not randomized (secp256k1_context_randomize): core has no source of
// randomness, and randomizing a shared context while another thread signs would be a data race.
// libsecp256k1's signing is constant-time without it; randomization only adds blinding against
// power/EM side channels, which are outside this software's threat model.

struct Signature;

// An uncompressed public key, stored as the 64 bytes x || y (no 0x04 prefix).
class PublicKey {
 public:
  // Accepts 64 bytes x || y, 65 bytes 0x04 || x || y, or a 33-byte compressed key; the point
  // must lie on the curve.
  static Result<PublicKey> from_bytes(ByteView encoded);

  const FixedBytes<64>& bytes() const { return xy_; }
  Address address() const { return address_from_public_key(xy_); }

  bool operator==(const PublicKey&) const = default;

 private:
  friend class PrivateKey;
  friend Result<PublicKey> recover_public_key(const Hash&, const Signature&);
  explicit PublicKey(const FixedBytes<64>& xy) : xy_(xy) {}

  FixedBytes<64> xy_{};
};

// A secret key: 32 bytes in [1, n-1]. It has no operator<< and no hex conversion, so it cannot end
// up in a log line by accident; the memory is zeroed on destruction. Its gtest printer redacts it.
class PrivateKey {
 public:
  static Result<PrivateKey> from_bytes(ByteView secret);
  // 64 hex digits with or without "0x" (both forms are common in key files and tool output).
  // Errors never quote the input.
  static Result<PrivateKey> from_hex(std::string_view text);

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey();

  PublicKey public_key() const;
  Address address() const { return public_key().address(); }

  // The raw secret, for the keystore's encryption and nothing else.
  const FixedBytes<32>& expose_secret() const { return secret_; }

 private:
  explicit PrivateKey(const FixedBytes<32>& secret) : secret_(secret) {}

  FixedBytes<32> secret_;
};

// GoogleTest prints values of failing assertions; this keeps key bytes out of test logs.
void PrintTo(const PrivateKey& key, std::ostream* os);

// A recoverable ECDSA signature. v is the recovery id (0 or 1, the y parity of R), not the
// 27/28 or EIP-155 value; encoders add those offsets.
struct Signature {
  Hash r{};
  Hash s{};
  uint8_t v = 0;

  bool operator==(const Signature&) const = default;

  // r || s || (v + 27): the 65-byte form of eth_sign, personal_sign and OpenZeppelin's ECDSA.
  FixedBytes<65> to_rsv65() const;
  // Accepts v ∈ {0, 1, 27, 28}. Rejects r or s outside [1, n-1] and, per EIP-2, s > n/2.
  static Result<Signature> from_rsv65(ByteView rsv);
  // The same checks for parts that arrive separately (transaction fields); recid must be 0 or 1.
  static Result<Signature> from_parts(const Hash& r, const Hash& s, uint8_t recid);
};

// Deterministic (RFC 6979) and low-s, so equal inputs give byte-identical signatures everywhere.
Signature sign_hash(const PrivateKey& key, const Hash& hash);

// Rejects what from_parts rejects, then any signature from which no key can be recovered.
Result<PublicKey> recover_public_key(const Hash& hash, const Signature& sig);
Result<Address> recover_address(const Hash& hash, const Signature& sig);
// True when sig is a valid low-s signature of hash by the key of signer.
bool verify(const Hash& hash, const Signature& sig, const Address& signer);

}  // namespace icn
