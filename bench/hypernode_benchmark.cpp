// The HyperNode's hot path (issue 10: ≥ 5,000 challenges/s/core): ChallengeService::answer on
// cached era state — recover, lookup, sign, record — with the store in memory (the CPU cost) and
// on disk (WAL + synchronous=FULL, one group commit per burst: infra::GroupCommit). Compare with
// BM_RecoverAddress_Reference from secp256k1_benchmark.cpp in the same run:
//   icn_bench --benchmark_filter='Challenge|RecoverAddress'
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "bench/hypernode_setup.hpp"
#include "icn/hypernode/challenge_service.hpp"

namespace {

using icn::hypernode::bench::kChallenges;
using icn::hypernode::bench::kNowMs;
using icn::hypernode::bench::setup;
using icn::hypernode::testing::key_of;

// User + system CPU of the whole process (every caller thread and the committing one).
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void run(benchmark::State& state, const std::filesystem::path& db) {
  icn::hypernode::bench::Setup& s = setup();
  auto store = std::move(icn::hypernode::HyperNodeStore::open(db).value());
  icn::hypernode::ChallengeService service(s.chain, *store, 3, key_of(1), [] { return kNowMs; });
  if (!service.refresh()) {
    state.SkipWithError("refresh failed");
    return;
  }
  const size_t threads = size_t(state.range(0));
  const double cpu_before = process_cpu_seconds();
  for (auto _ : state) {
    // `threads` callers at once, as HTTP workers would be: each takes every threads-th challenge.
    std::vector<std::thread> workers;
    std::atomic<size_t> refused{0};
    for (size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = t; i < kChallenges; i += threads) {
          auto outcome = service.answer(s.challenges[i]);
          if (!std::holds_alternative<icn::hypernode::Answered>(outcome)) ++refused;
        }
      });
    }
    for (auto& w : workers) w.join();
    if (refused) state.SkipWithError("a challenge was refused");
  }
  const double answered = double(kChallenges) * double(state.iterations());
  state.SetItemsProcessed(int64_t(answered));
  // The machine is shared: wall time includes other processes' turns, CPU time does not.
  state.counters["cpu_us_per_challenge"] = (process_cpu_seconds() - cpu_before) * 1e6 / answered;
  icn::infra::GroupCommitStats commits = store->commit_stats();
  state.counters["challenges_per_commit"] =
      commits.groups ? double(commits.items) / double(commits.groups) : 0;
}

void BM_AnswerChallenge_MemoryStore(benchmark::State& state) {
  run(state, ":memory:");
}
BENCHMARK(BM_AnswerChallenge_MemoryStore)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_AnswerChallenge_DiskStore(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() /
             ("icn_bench_hypernode_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  run(state, dir / "hypernode.db");
  std::filesystem::remove_all(dir);
}
// 1 caller: one fsync per challenge (the worst case); 8 (the default http_threads), 32: concurrent
// requests share commits.
BENCHMARK(BM_AnswerChallenge_DiskStore)
    ->Arg(1)
    ->Arg(8)
    ->Arg(32)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
