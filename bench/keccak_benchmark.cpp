// keccak-256 throughput on 1 MiB, against Crypto++'s SHA-256 on the same buffer as the machine's
// reference (a hash of similar cost that icn does not wrap).
#include <benchmark/benchmark.h>
#include <cryptopp/sha.h>

#include "icn/core/keccak.hpp"

namespace {

const icn::Bytes& mebibyte() {
  static const icn::Bytes data = [] {
    icn::Bytes d(1 << 20);
    for (size_t i = 0; i < d.size(); ++i) d[i] = uint8_t(i * 131 + 7);
    return d;
  }();
  return data;
}

void BM_Keccak1MiB(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(icn::keccak256(mebibyte()));
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(mebibyte().size()));
}
BENCHMARK(BM_Keccak1MiB);

void BM_Keccak1MiB_Reference(benchmark::State& state) {
  for (auto _ : state) {
    CryptoPP::SHA256 sha;
    uint8_t out[32];
    sha.CalculateDigest(out, mebibyte().data(), mebibyte().size());
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(mebibyte().size()));
}
BENCHMARK(BM_Keccak1MiB_Reference);

}  // namespace
