// Protocol messages against digests assembled independently with cast 1.5.1 (keccak, abi-encode,
// concat-hex over the EIP-712 definitions), and the signing/verification rules.
#include "icn/core/protocol_messages.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"
#include "icn/core/test_support.hpp"

namespace icn::protocol {
namespace {

Hash h(std::string_view hex) {
  return *parse_fixed_hex<32>(hex);
}

// Anvil's first deployment address, chain 31337.
const Address kSettlement = *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

using test_support::key;

// DS=$(cast keccak $(cast abi-encode 'f(bytes32,bytes32,bytes32,uint256,address)'
//   $(cast keccak "EIP712Domain(string name,string version,uint256 chainId,address
//   verifyingContract)") $(cast keccak ICN) $(cast keccak 1) 31337 0x5FbD…0aa3))
TEST(ProtocolMessages, DomainSeparatorMatchesCast) {
  EXPECT_EQ(domain_separator(31337, kSettlement),
            h("0xc0e10482ce8d1f82e297a7bda2b53a6af74e85d401c9830ed426c118c7a577c1"));
}

TEST(ProtocolMessages, TypeHashesMatchCast) {
  EXPECT_EQ(keccak256(kEraResultType),
            h("0x0da825b15052d4fcd12f754b6d5e71a419898ec35543d710f4c26a1effa4068f"));
  EXPECT_EQ(keccak256(kChallengeType),
            h("0x356ea432bee8e470e76219138a3dbe955fe7a1b472c61479fbd42e0e054e0bf2"));
  EXPECT_EQ(keccak256(kChallengeResponseType),
            h("0x9c11ea20d22742b99b3681572af7649fafb203912c9bb3c4da4367dc435d684c"));
}

// Settlement.eraResultDigest = _hashTypedDataV4(keccak256(abi.encode(ERA_RESULT_TYPEHASH, era,
// resultsRoot, dataRoot))), assembled with cast: keccak(0x1901 ‖ DS ‖ keccak(abi.encode(…))).
TEST(ProtocolMessages, EraResultDigestMatchesSettlement) {
  EraResult r{7, h("0x1111111111111111111111111111111111111111111111111111111111111111"),
              h("0x2222222222222222222222222222222222222222222222222222222222222222")};
  EXPECT_EQ(signing_digest(domain_separator(31337, kSettlement), r),
            h("0x87c8600a2eb76cd09f8c640bf07316c16a9ca998f1d7683904730621ddd71d3e"));
}

TEST(ProtocolMessages, ChallengeAndResponseDigestsMatchCast) {
  Hash domain = domain_separator(31337, kSettlement);
  Challenge c{7, 5, 3, h("0x00000000000000000000000000000000000000000000000000000000000000ab"),
              1700000000};
  Hash challenge_hash = signing_digest(domain, c);
  EXPECT_EQ(challenge_hash,
            h("0x5c9d5363451cbbc2ae137e71c998004bff9245eaffdfefc3d78b7257b386cd48"));
  EXPECT_EQ(signing_digest(domain, ChallengeResponse{challenge_hash, 1700000001}),
            h("0x63ca5ae31f03a167aaf9ebf7dea574f9c8357e20c11d920b695c1a1449a92525"));
}

TEST(ProtocolMessages, EveryFieldIsBound) {
  Hash domain = domain_separator(31337, kSettlement);
  Challenge base{7, 5, 3, Hash{}, 100};
  Hash d = signing_digest(domain, base);
  Challenge c = base;
  c.era = 8;
  EXPECT_NE(signing_digest(domain, c), d);
  c = base;
  c.scaler_node_id = 6;
  EXPECT_NE(signing_digest(domain, c), d);
  c = base;
  c.hyper_node_id = 4;
  EXPECT_NE(signing_digest(domain, c), d);
  c = base;
  c.nonce[0] = 1;
  EXPECT_NE(signing_digest(domain, c), d);
  c = base;
  c.daemon_time = 101;
  EXPECT_NE(signing_digest(domain, c), d);
  // Another chain or another Settlement is another domain.
  EXPECT_NE(signing_digest(domain_separator(1, kSettlement), base), d);
  EXPECT_NE(signing_digest(domain_separator(31337, Address{}), base), d);
}

TEST(ProtocolMessages, SignAndVerify) {
  Hash domain = domain_separator(31337, kSettlement);
  PrivateKey daemon = key(1), other = key(2);
  SignedChallenge signed_challenge = sign(domain, Challenge{7, 5, 3, Hash{}, 100}, daemon);
  EXPECT_TRUE(verify(domain, signed_challenge, daemon.address()));

  Status wrong_key = verify(domain, signed_challenge, other.address());
  ASSERT_FALSE(wrong_key);
  EXPECT_EQ(wrong_key.error().message, "challenge: signature is by " +
                                           daemon.address().checksummed() + ", not " +
                                           other.address().checksummed());
  // A signature over another era does not verify for this one.
  SignedChallenge tampered = signed_challenge;
  tampered.challenge.era = 8;
  EXPECT_FALSE(verify(domain, tampered, daemon.address()));

  SignedChallengeResponse response = sign(
      domain, ChallengeResponse{signing_digest(domain, signed_challenge.challenge), 101}, other);
  EXPECT_TRUE(verify(domain, response, other.address()));
  EXPECT_FALSE(verify(domain, response, daemon.address()));

  SignedEraResult era_result = sign(domain, EraResult{7, Hash{}, Hash{}}, other);
  EXPECT_TRUE(verify(domain, era_result, other.address()));
  EXPECT_FALSE(verify(domain_separator(1, kSettlement), era_result, other.address()));
}

}  // namespace
}  // namespace icn::protocol
