// secp256k1 keys, signatures and recovery against vectors from the EIPs and `cast wallet`.
#include "icn/core/secp256k1.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "icn/core/keccak.hpp"
#include "icn/core/u256.hpp"

namespace icn {
namespace {

constexpr const char* kKey46 = "0x4646464646464646464646464646464646464646464646464646464646464646";
// anvil's first dev account.
constexpr const char* kAnvilKey0 =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

PrivateKey key(const char* hex) {
  auto k = PrivateKey::from_hex(hex);
  EXPECT_TRUE(k.ok()) << k.error().message;
  return *k;
}

Hash hash_of(const char* hex) {
  return *parse_fixed_hex<32>(hex);
}

Signature sig_of(const char* hex) {
  auto sig = Signature::from_rsv65(*parse_hex(hex));
  EXPECT_TRUE(sig.ok()) << sig.error().message;
  return *sig;
}

TEST(PrivateKey, KnownAddresses) {
  EXPECT_EQ(key(kKey46).address().checksummed(), "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
  EXPECT_EQ(key("0x0000000000000000000000000000000000000000000000000000000000000001")
                .address()
                .checksummed(),
            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(key(kAnvilKey0).address().checksummed(), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  // Without the 0x prefix, as some key files store it.
  EXPECT_EQ(key(kAnvilKey0 + 2).address(), key(kAnvilKey0).address());
}

TEST(PrivateKey, KeyOneIsTheGenerator) {
  PublicKey g =
      key("0x0000000000000000000000000000000000000000000000000000000000000001").public_key();
  EXPECT_EQ(to_hex(g.bytes()),
            "0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
}

TEST(PrivateKey, RejectsInvalidSecretsWithoutQuotingThem) {
  EXPECT_EQ(
      PrivateKey::from_hex("0x0000000000000000000000000000000000000000000000000000000000000000")
          .error()
          .message,
      "private key: not in [1, n-1] (zero or not below the curve order)");
  // n itself, and n + 1.
  EXPECT_FALSE(
      PrivateKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
          .ok());
  EXPECT_FALSE(
      PrivateKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")
          .ok());
  // n - 1 is the largest valid key.
  EXPECT_TRUE(
      PrivateKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")
          .ok());
  EXPECT_EQ(PrivateKey::from_hex("0x4646").error().message,
            "private key: expected 64 hex digits, got 4");
  auto bad =
      PrivateKey::from_hex("0x46464646464646464646464646464646464646464646464646464646464646zz");
  EXPECT_EQ(bad.error().message, "private key: invalid hex digit");
  EXPECT_EQ(PrivateKey::from_bytes(Bytes(31, 1)).error().message,
            "private key: expected 32 bytes, got 31");
}

TEST(PrivateKey, TestPrinterRedacts) {
  std::ostringstream os;
  PrintTo(key(kKey46), &os);
  EXPECT_EQ(os.str(), "PrivateKey(<redacted>)");
}

TEST(PublicKey, ParsesEveryEncoding) {
  PublicKey pk = key(kKey46).public_key();
  Bytes with_prefix{0x04};
  append(with_prefix, pk.bytes());
  EXPECT_EQ(*PublicKey::from_bytes(pk.bytes()), pk);
  EXPECT_EQ(*PublicKey::from_bytes(with_prefix), pk);
  // Compressed form: 0x02/0x03 by the parity of y, then x.
  Bytes compressed{uint8_t(pk.bytes()[63] & 1 ? 0x03 : 0x02)};
  compressed.insert(compressed.end(), pk.bytes().begin(), pk.bytes().begin() + 32);
  EXPECT_EQ(*PublicKey::from_bytes(compressed), pk);
  EXPECT_EQ(pk.address(), key(kKey46).address());

  FixedBytes<64> off_curve = pk.bytes();
  off_curve[63] ^= 1;
  EXPECT_EQ(PublicKey::from_bytes(off_curve).error().message,
            "public key: not a point on secp256k1");
  EXPECT_EQ(PublicKey::from_bytes(Bytes(20)).error().message,
            "public key: expected 33, 64 or 65 bytes, got 20");
}

// `cast wallet sign --no-hash --private-key K HASH` signs the hash as given.
TEST(SignHash, MatchesCastByteForByte) {
  EXPECT_EQ(to_hex(sign_hash(key(kAnvilKey0), keccak256(std::string_view(""))).to_rsv65()),
            "0xf9a45c11d904141226963b371ccbc2128a29d146ce3c0d43326414711e3e153d"
            "536804917f10c70c5d0cd7b730b559d95eb812d1d783f6dd534e5854f01b3e551b");
  // The EIP-155 example's signing hash: r and s are those of the EIP's raw transaction.
  Signature sig = sign_hash(
      key(kKey46), hash_of("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"));
  EXPECT_EQ(to_hex(sig.r), "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276");
  EXPECT_EQ(to_hex(sig.s), "0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  EXPECT_EQ(sig.v, 0);
}

TEST(SignHash, IsDeterministicAndRecovers) {
  PrivateKey k = key(kAnvilKey0);
  for (int i = 0; i < 64; ++i) {
    Hash h = keccak256(std::string_view(std::to_string(i)));
    Signature sig = sign_hash(k, h);
    EXPECT_EQ(sig, sign_hash(k, h));
    EXPECT_LE(sig.v, 1);
    EXPECT_TRUE(Signature::from_parts(sig.r, sig.s, sig.v).ok());  // low-s
    auto pub = recover_public_key(h, sig);
    ASSERT_TRUE(pub.ok()) << pub.error().message;
    EXPECT_EQ(*pub, k.public_key());
    EXPECT_TRUE(verify(h, sig, k.address()));
    Hash other = h;
    other[0] ^= 1;
    EXPECT_FALSE(verify(other, sig, k.address()));
  }
}

TEST(Signature, Rsv65AcceptsBothVConventions) {
  const char* rs =
      "0xf9a45c11d904141226963b371ccbc2128a29d146ce3c0d43326414711e3e153d"
      "536804917f10c70c5d0cd7b730b559d95eb812d1d783f6dd534e5854f01b3e55";
  Signature a = sig_of((std::string(rs) + "1b").c_str());
  Signature b = sig_of((std::string(rs) + "00").c_str());
  Signature c = sig_of((std::string(rs) + "1c").c_str());
  Signature d = sig_of((std::string(rs) + "01").c_str());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.v, 0);
  EXPECT_EQ(c, d);
  EXPECT_EQ(c.v, 1);
  EXPECT_EQ(to_hex(a.to_rsv65()), std::string(rs) + "1b");
  EXPECT_EQ(Signature::from_rsv65(*parse_hex(std::string(rs) + "02")).error().message,
            "signature v must be 0, 1, 27 or 28, got 2");
  EXPECT_EQ(Signature::from_rsv65(*parse_hex(std::string(rs))).error().message,
            "signature: expected 65 bytes (r || s || v), got 64");
}

TEST(Signature, RejectsHighSAndOutOfRangeParts) {
  PrivateKey k = key(kAnvilKey0);
  Hash h = keccak256(std::string_view("malleable"));
  Signature sig = sign_hash(k, h);
  // The twin signature (r, n - s, 1 - v) is valid ECDSA but not EIP-2 canonical.
  U256 n = *parse_u256("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  Signature twin{sig.r, u256_to_be(n - u256_from_be(sig.s)), uint8_t(1 - sig.v)};
  const std::string high_s = "signature s is not in the lower half of the curve order";
  EXPECT_EQ(Signature::from_rsv65(twin.to_rsv65()).error().message, high_s);
  EXPECT_EQ(recover_address(h, twin).error().message, high_s);
  EXPECT_FALSE(verify(h, twin, k.address()));
  // s = n/2 is the largest accepted; n/2 + 1 is not.
  Hash half =
      *parse_fixed_hex<32>("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  EXPECT_TRUE(Signature::from_parts(sig.r, half, 0).ok());
  Hash half_plus_one = half;
  half_plus_one[31] += 1;
  EXPECT_EQ(Signature::from_parts(sig.r, half_plus_one, 0).error().message, high_s);

  EXPECT_EQ(Signature::from_parts(Hash{}, sig.s, 0).error().message, "signature r is zero");
  EXPECT_EQ(Signature::from_parts(sig.r, Hash{}, 0).error().message, "signature s is zero");
  EXPECT_EQ(Signature::from_parts(u256_to_be(n), sig.s, 0).error().message,
            "signature r is not below the curve order");
  EXPECT_EQ(Signature::from_parts(sig.r, sig.s, 2).error().message,
            "signature recovery id must be 0 or 1, got 2");
  EXPECT_FALSE(recover_address(h, Signature{sig.r, sig.s, 7}).ok());
}

TEST(Recover, FlippedRecoveryIdGivesAnotherSigner) {
  PrivateKey k = key(kKey46);
  Hash h = keccak256(std::string_view("who signed this"));
  Signature sig = sign_hash(k, h);
  Signature flipped = sig;
  flipped.v ^= 1;
  auto other = recover_address(h, flipped);
  // Either no key recovers (r is not the x of a point with that parity) or a different one does.
  EXPECT_TRUE(!other.ok() || *other != k.address());
  EXPECT_FALSE(verify(h, flipped, k.address()));
}

}  // namespace
}  // namespace icn
