// EIP-191 personal messages against `cast hash-message` and `cast wallet sign`.
#include "icn/core/eip191.hpp"

#include <gtest/gtest.h>

namespace icn {
namespace {

constexpr const char* kKey46 = "0x4646464646464646464646464646464646464646464646464646464646464646";
constexpr const char* kAnvilKey0 =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kKey1 = "0x0000000000000000000000000000000000000000000000000000000000000001";

PrivateKey key(const char* hex) {
  return *PrivateKey::from_hex(hex);
}

TEST(Eip191, MessageHashMatchesCast) {
  EXPECT_EQ(to_hex(eip191_message_hash(as_view("hello"))),
            "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750");
  EXPECT_EQ(to_hex(eip191_message_hash(as_view(""))),
            "0x5f35dce98ba4fba25530a026ed80b2cecdaa31091ba4958b99b52ea1d068adad");
  // `cast hash-message` hashes "0xdeadbeef" as text ...
  EXPECT_EQ(to_hex(eip191_message_hash(as_view("0xdeadbeef"))),
            "0xefedd0a9a0294228c3977d7fbb68c7d40279f8b408cf3e24ef1823b179709e58");
  // ... the four bytes give `cast keccak` of "\x19Ethereum Signed Message:\n4" || de ad be ef.
  EXPECT_EQ(to_hex(eip191_message_hash(*parse_hex("0xdeadbeef"))),
            "0xd1c7f1a06a4f9a535077e50ad23244ce2c6ae443fcd412965226f3df5d28eaaa");
}

struct CastVector {
  const char* key;
  std::string message;
  const char* signature;  // `cast wallet sign --private-key KEY MESSAGE`
};

TEST(Eip191, SignaturesMatchCastByteForByte) {
  const std::vector<CastVector> vectors = {
      {kKey46, "hello",
       "0xf63c93dc642a4839770b35abf9cb304ac2f1b5463d9a9abd87546feaa0af992e"
       "659cf087c433e45c45f6135cb819ab1922c6359dbb1b8c8d7a54141de2cd4beb1b"},
      {kAnvilKey0, "hello",
       "0xf16ea9a3478698f695fd1401bfe27e9e4a7e8e3da94aa72b021125e31fa899cc"
       "573c48ea3fe1d4ab61a9db10c19032026e3ed2dbccba5a178235ac27f94504311c"},
      {kAnvilKey0, "ICN era 42",
       "0x9a09fe95f6c23c5469a25433e1bf3c8a455d0683bc8f7fead66810a8fd1671cd"
       "728d4fd433e8b76c7a86c6450e55f7255a3b3b46faa5be0e63fad4b8c0481a641c"},
      // `cast wallet sign` (unlike hash-message) decodes a 0x-prefixed message to bytes.
      {kKey1, std::string("\xde\xad\xbe\xef"),
       "0x063b9060ebca861f8bff5890260dbfb7291603fca511334e2d2f4ee71384104c"
       "3c8d2f922494a81ffb72ff89f06feaee29d77b0b450a73d606f6626d4ddc6f9d1b"},
      // A three-digit length in the prefix.
      {kAnvilKey0, std::string(100, 'a'),
       "0x89ad3a3bc5a89207da942efe0e6aae700755f56560ab1f7ba3a474107f350ca3"
       "3a7447155ffcbed5c2877d4e966c3532be0d69cd564d7363eab3353836c84c231b"},
  };
  for (const CastVector& v : vectors) {
    SCOPED_TRACE(v.message);
    PrivateKey k = key(v.key);
    Signature sig = sign_message(k, as_view(v.message));
    EXPECT_EQ(to_hex(sig.to_rsv65()), v.signature);

    auto parsed = Signature::from_rsv65(*parse_hex(v.signature));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    auto signer = recover_message_signer(as_view(v.message), *parsed);
    ASSERT_TRUE(signer.ok()) << signer.error().message;
    EXPECT_EQ(*signer, k.address());

    auto other = recover_message_signer(as_view(v.message + "!"), *parsed);
    EXPECT_TRUE(!other.ok() || *other != k.address());
  }
}

TEST(Eip191, DiffersFromSigningTheRawHash) {
  // The prefix is what keeps a signed message from doubling as a signed transaction.
  PrivateKey k = key(kAnvilKey0);
  Hash h = eip191_message_hash(as_view("x"));
  EXPECT_EQ(sign_message(k, as_view("x")), sign_hash(k, h));
  EXPECT_NE(sign_message(k, h), sign_hash(k, h));
}

}  // namespace
}  // namespace icn
