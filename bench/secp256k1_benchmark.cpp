// Signing and recovery through icn's wrapper, against the same libsecp256k1 calls made directly
// (the reference shows what the wrapper adds: checks, keccak of the public key, copies).
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "icn/core/keccak.hpp"
#include "icn/core/secp256k1.hpp"

namespace {

const icn::PrivateKey& key() {
  static const icn::PrivateKey k = *icn::PrivateKey::from_hex(
      "0x4646464646464646464646464646464646464646464646464646464646464646");
  return k;
}

icn::Hash message_hash(uint64_t i) {
  return icn::keccak256(icn::as_view(std::string_view(reinterpret_cast<const char*>(&i), 8)));
}

secp256k1_context* raw_context() {
  static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return ctx;
}

void BM_SignHash(benchmark::State& state) {
  icn::Hash h = message_hash(1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(icn::sign_hash(key(), h));
    h[0]++;
  }
}
BENCHMARK(BM_SignHash);

void BM_SignHash_Reference(benchmark::State& state) {
  icn::Hash h = message_hash(1);
  secp256k1_ecdsa_recoverable_signature sig;
  for (auto _ : state) {
    secp256k1_ecdsa_sign_recoverable(raw_context(), &sig, h.data(), key().expose_secret().data(),
                                     nullptr, nullptr);
    benchmark::DoNotOptimize(sig);
    h[0]++;
  }
}
BENCHMARK(BM_SignHash_Reference);

// 256 distinct signed hashes, so recovery does not see one input over and over.
struct SignedSet {
  std::vector<icn::Hash> hashes;
  std::vector<icn::Signature> sigs;
  SignedSet() {
    for (uint64_t i = 0; i < 256; ++i) {
      hashes.push_back(message_hash(i));
      sigs.push_back(icn::sign_hash(key(), hashes.back()));
    }
  }
};
const SignedSet& signed_set() {
  static const SignedSet set;
  return set;
}

void BM_RecoverAddress(benchmark::State& state) {
  const auto& set = signed_set();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(icn::recover_address(set.hashes[i & 255], set.sigs[i & 255]));
    ++i;
  }
}
BENCHMARK(BM_RecoverAddress);

void BM_RecoverAddress_Reference(benchmark::State& state) {
  const auto& set = signed_set();
  std::vector<secp256k1_ecdsa_recoverable_signature> raw(256);
  for (size_t j = 0; j < 256; ++j) {
    uint8_t rs[64];
    std::copy(set.sigs[j].r.begin(), set.sigs[j].r.end(), rs);
    std::copy(set.sigs[j].s.begin(), set.sigs[j].s.end(), rs + 32);
    secp256k1_ecdsa_recoverable_signature_parse_compact(raw_context(), &raw[j], rs, set.sigs[j].v);
  }
  size_t i = 0;
  for (auto _ : state) {
    secp256k1_pubkey pub;
    if (!secp256k1_ecdsa_recover(raw_context(), &pub, &raw[i & 255], set.hashes[i & 255].data())) {
      state.SkipWithError("recover failed");
      break;
    }
    uint8_t out[65];
    size_t len = sizeof out;
    secp256k1_ec_pubkey_serialize(raw_context(), out, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    benchmark::DoNotOptimize(icn::keccak256(icn::ByteView(out + 1, 64)));
    ++i;
  }
}
BENCHMARK(BM_RecoverAddress_Reference);

}  // namespace
