// Short host benchmarks (CPU keccak, memory copy, disk sequential write/read and random 4 KiB
// reads), each bounded in time and run on a thread of their own at the lowest CPU and I/O
// priority (nice 19, ioprio idle), so a Builder's workload on the same server always goes first.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "icn/core/result.hpp"

namespace icn::host {

struct BenchmarkOptions {
  std::chrono::milliseconds duration{1500};  // cap of each benchmark
  size_t cpu_block_bytes = 1 << 20;          // hashed repeatedly
  size_t memory_bytes = 64 << 20;            // copied repeatedly (source + destination)
  // Disk: a file in data_path written sequentially up to disk_file_bytes (or the duration),
  // fsynced, read back sequentially, then random 4 KiB reads; removed afterwards. Empty
  // data_path: no disk benchmarks.
  std::filesystem::path data_path;
  uint64_t disk_file_bytes = 256ULL << 20;
  size_t disk_block_bytes = 1 << 20;
  bool low_priority = true;  // nice 19 + ioprio idle for the benchmark thread
  // Polled between rounds; true ends the benchmark at once (the daemon's stop).
  std::function<bool()> cancelled;
};

struct DiskBenchmark {
  double write_mb_per_s = 0;  // MB = 10^6 bytes, fsync included
  double read_mb_per_s = 0;
  double random_read_iops = 0;  // 4 KiB preads at random aligned offsets
  uint64_t file_bytes = 0;      // what was written
  bool direct_io = false;       // O_DIRECT (false on file systems that refuse it, e.g. tmpfs)
};

struct BenchmarkResults {
  double cpu_keccak_mb_per_s = 0;
  double memory_copy_gb_per_s = 0;  // GB = 10^9 bytes copied
  std::optional<DiskBenchmark> disk;
  bool low_priority = false;  // the priorities were actually lowered
  std::chrono::milliseconds elapsed{0};
};

// Each part alone, on the calling thread (run_benchmarks wraps them).
Result<double> benchmark_cpu_keccak(const BenchmarkOptions& options);
Result<double> benchmark_memory_copy(const BenchmarkOptions& options);
Result<DiskBenchmark> benchmark_disk(const BenchmarkOptions& options);

// All of them on a new thread at low priority; blocks until they are done.
Result<BenchmarkResults> run_benchmarks(const BenchmarkOptions& options);

nlohmann::json to_json(const BenchmarkResults& results);

}  // namespace icn::host
