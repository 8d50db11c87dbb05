// EIP-712 hashing, signing and checking of the monitoring protocol's messages.
#include "icn/core/protocol_messages.hpp"

#include "icn/core/eip712.hpp"

namespace icn::protocol {

Hash domain_separator(const U256& chain_id, const Address& settlement) {
  return eip712::domain_separator(
      eip712::Domain{std::string(kDomainName), std::string(kDomainVersion), chain_id, settlement});
}

Hash hash_struct(const Challenge& c) {
  static const Hash kTypeHash = eip712::type_hash(kChallengeType);
  return eip712::StructHasher(kTypeHash)
      .add_uint(c.era)
      .add_uint(c.scaler_node_id)
      .add_uint(c.hyper_node_id)
      .add_word(c.nonce)
      .add_uint(c.daemon_time)
      .finish();
}

Hash hash_struct(const ChallengeResponse& r) {
  static const Hash kTypeHash = eip712::type_hash(kChallengeResponseType);
  return eip712::StructHasher(kTypeHash)
      .add_word(r.challenge_hash)
      .add_uint(r.hyper_node_time)
      .finish();
}

Hash hash_struct(const EraResult& r) {
  static const Hash kTypeHash = eip712::type_hash(kEraResultType);
  return eip712::StructHasher(kTypeHash)
      .add_uint(r.era)
      .add_word(r.results_root)
      .add_word(r.data_root)
      .finish();
}

Hash signing_digest(const Hash& domain, const Challenge& c) {
  return eip712::typed_digest(domain, hash_struct(c));
}
Hash signing_digest(const Hash& domain, const ChallengeResponse& r) {
  return eip712::typed_digest(domain, hash_struct(r));
}
Hash signing_digest(const Hash& domain, const EraResult& r) {
  return eip712::typed_digest(domain, hash_struct(r));
}

SignedChallenge sign(const Hash& domain, const Challenge& c, const PrivateKey& key) {
  return {c, sign_hash(key, signing_digest(domain, c))};
}
SignedChallengeResponse sign(const Hash& domain, const ChallengeResponse& r,
                             const PrivateKey& key) {
  return {r, sign_hash(key, signing_digest(domain, r))};
}
SignedEraResult sign(const Hash& domain, const EraResult& r, const PrivateKey& key) {
  return {r, sign_hash(key, signing_digest(domain, r))};
}

Status check_signer(const Hash& digest, const Signature& signature, const Address& expected,
                    std::string_view what) {
  auto signer = recover_address(digest, signature);
  if (!signer) return signer.error().context(std::string(what) + ": invalid signature");
  if (*signer != expected) {
    return fail(std::string(what) + ": signature is by " + signer->checksummed() + ", not " +
                expected.checksummed());
  }
  return {};
}

Status verify(const Hash& domain, const SignedChallenge& m, const Address& daemon) {
  return check_signer(signing_digest(domain, m.challenge), m.signature, daemon, "challenge");
}
Status verify(const Hash& domain, const SignedChallengeResponse& m,
              const Address& hyper_node_signer) {
  return check_signer(signing_digest(domain, m.response), m.signature, hyper_node_signer,
                      "challenge response");
}
Status verify(const Hash& domain, const SignedEraResult& m, const Address& member) {
  return check_signer(signing_digest(domain, m.result), m.signature, member, "era result");
}

}  // namespace icn::protocol
