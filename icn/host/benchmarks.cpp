// The benchmarks and the low-priority thread they run on.
#include "icn/host/benchmarks.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <thread>

#include "icn/core/keccak.hpp"

namespace icn::host {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kAlign = 4096;  // O_DIRECT buffers and offsets

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool cancelled(const BenchmarkOptions& o) {
  return o.cancelled && o.cancelled();
}

struct AlignedBuffer {
  explicit AlignedBuffer(size_t n) : size(n) {
    void* p = nullptr;
    if (posix_memalign(&p, kAlign, n) == 0) data.reset(static_cast<unsigned char*>(p));
  }
  struct Free {
    void operator()(unsigned char* p) const { std::free(p); }
  };
  std::unique_ptr<unsigned char, Free> data;
  size_t size;
};

std::string errno_text() {
  return std::strerror(errno);
}

// Closes the descriptor and removes the benchmark file whatever happens.
struct BenchFile {
  std::filesystem::path path;
  int fd = -1;
  ~BenchFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// O_DIRECT when the file system takes it, else buffered.
int open_file(const std::filesystem::path& p, int flags, bool& direct) {
  int fd = ::open(p.c_str(), flags | O_DIRECT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    direct = true;
    return fd;
  }
  if (errno != EINVAL) return -1;
  direct = false;
  return ::open(p.c_str(), flags | O_CLOEXEC, 0600);
}

// Lowest CPU and I/O priority for the calling thread only (Linux applies both per thread).
bool lower_priority() {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  bool ok = ::setpriority(PRIO_PROCESS, tid, 19) == 0;
  constexpr int kIoprioClassIdle = 3, kIoprioClassShift = 13, kIoprioWhoProcess = 1;
  ok = ::syscall(SYS_ioprio_set, kIoprioWhoProcess, static_cast<int>(tid),
                 kIoprioClassIdle << kIoprioClassShift) == 0 &&
       ok;
  return ok;
}

}  // namespace

Result<double> benchmark_cpu_keccak(const BenchmarkOptions& o) {
  if (o.cpu_block_bytes == 0) return fail("benchmark: cpu_block_bytes is 0");
  Bytes block(o.cpu_block_bytes, 0x5a);
  uint64_t hashed = 0;
  const auto start = Clock::now();
  const auto end = start + o.duration;
  do {
    Hash h = keccak256(ByteView(block));
    block[0] ^= h[0];  // each round depends on the last, so none is optimised away
    hashed += block.size();
  } while (Clock::now() < end && !cancelled(o));
  return hashed / 1e6 / seconds_since(start);
}

Result<double> benchmark_memory_copy(const BenchmarkOptions& o) {
  if (o.memory_bytes < 2) return fail("benchmark: memory_bytes is below 2");
  const size_t half = o.memory_bytes / 2;
  AlignedBuffer src(half), dst(half);
  if (!src.data || !dst.data) return fail("benchmark: cannot allocate " + std::to_string(half));
  std::memset(src.data.get(), 0xa5, half);
  std::memset(dst.data.get(), 0, half);  // touch the pages before timing
  uint64_t copied = 0;
  const auto start = Clock::now();
  const auto end = start + o.duration;
  do {
    std::memcpy(dst.data.get(), src.data.get(), half);
    src.data.get()[copied % half] ^= dst.data.get()[half - 1];
    copied += half;
  } while (Clock::now() < end && !cancelled(o));
  return copied / 1e9 / seconds_since(start);
}

Result<DiskBenchmark> benchmark_disk(const BenchmarkOptions& o) {
  if (o.data_path.empty()) return fail("benchmark: no data path");
  if (o.disk_block_bytes < kAlign || o.disk_block_bytes % kAlign != 0) {
    return fail("benchmark: disk_block_bytes must be a multiple of 4096");
  }
  if (o.disk_file_bytes < o.disk_block_bytes) {
    return fail("benchmark: disk_file_bytes is below one block");
  }
  AlignedBuffer buf(o.disk_block_bytes);
  if (!buf.data) return fail("benchmark: cannot allocate the disk buffer");
  std::mt19937_64 rng(std::random_device{}());
  for (size_t i = 0; i < buf.size; i += 8) {
    uint64_t v = rng();
    std::memcpy(buf.data.get() + i, &v, std::min<size_t>(8, buf.size - i));
  }

  DiskBenchmark r;
  BenchFile file;
  file.path = o.data_path / (".icn-benchmark-" + std::to_string(::getpid()));
  file.fd = open_file(file.path, O_WRONLY | O_CREAT | O_TRUNC, r.direct_io);
  if (file.fd < 0) {
    std::string reason = errno_text();
    file.path.clear();  // nothing was created
    return fail("benchmark: cannot create a file in " + o.data_path.string() + ": " + reason);
  }

  // Sequential write until the file is full or the time is up, then fsync.
  auto start = Clock::now();
  auto end = start + o.duration;
  while (r.file_bytes + buf.size <= o.disk_file_bytes && !cancelled(o)) {
    ssize_t n = ::pwrite(file.fd, buf.data.get(), buf.size, static_cast<off_t>(r.file_bytes));
    if (n != static_cast<ssize_t>(buf.size)) {
      return fail("benchmark: write to " + file.path.string() + ": " +
                  (n < 0 ? errno_text() : "short write"));
    }
    r.file_bytes += buf.size;
    if (Clock::now() >= end) break;
  }
  if (::fsync(file.fd) != 0) return fail("benchmark: fsync: " + errno_text());
  r.write_mb_per_s = r.file_bytes / 1e6 / seconds_since(start);
  ::close(file.fd);
  file.fd = -1;

  bool direct = false;
  file.fd = open_file(file.path, O_RDONLY, direct);
  if (file.fd < 0) return fail("benchmark: reopen " + file.path.string() + ": " + errno_text());
  r.direct_io = r.direct_io && direct;
  // Without O_DIRECT the page cache would answer: ask the kernel to drop the file's pages.
  if (!direct) ::posix_fadvise(file.fd, 0, 0, POSIX_FADV_DONTNEED);

  start = Clock::now();
  end = start + o.duration;
  uint64_t read = 0;
  while (read < r.file_bytes && !cancelled(o)) {
    ssize_t n = ::pread(file.fd, buf.data.get(), buf.size, static_cast<off_t>(read));
    if (n <= 0) return fail("benchmark: read: " + (n < 0 ? errno_text() : "unexpected end"));
    read += static_cast<uint64_t>(n);
    if (Clock::now() >= end) break;
  }
  r.read_mb_per_s = read / 1e6 / seconds_since(start);

  const uint64_t pages = r.file_bytes / kAlign;
  std::uniform_int_distribution<uint64_t> page(0, pages - 1);
  uint64_t reads = 0;
  start = Clock::now();
  end = start + o.duration;
  do {
    ssize_t n = ::pread(file.fd, buf.data.get(), kAlign, static_cast<off_t>(page(rng) * kAlign));
    if (n != static_cast<ssize_t>(kAlign)) {
      return fail("benchmark: random read: " + (n < 0 ? errno_text() : "short read"));
    }
    ++reads;
  } while (Clock::now() < end && !cancelled(o));
  r.random_read_iops = reads / seconds_since(start);
  return r;
}

Result<BenchmarkResults> run_benchmarks(const BenchmarkOptions& o) {
  Result<BenchmarkResults> out = fail("benchmark: did not run");
  std::thread worker([&] {
    out = [&]() -> Result<BenchmarkResults> {
      BenchmarkResults r;
      const auto start = Clock::now();
      if (o.low_priority) r.low_priority = lower_priority();
      ICN_TRY(r.cpu_keccak_mb_per_s, benchmark_cpu_keccak(o));
      ICN_TRY(r.memory_copy_gb_per_s, benchmark_memory_copy(o));
      if (!o.data_path.empty() && !cancelled(o)) {
        ICN_TRY(DiskBenchmark d, benchmark_disk(o));
        r.disk = d;
      }
      r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      return r;
    }();
  });
  worker.join();
  return out;
}

nlohmann::json to_json(const BenchmarkResults& r) {
  nlohmann::json disk = nullptr;
  if (r.disk) {
    disk = {{"writeMBps", r.disk->write_mb_per_s},
            {"readMBps", r.disk->read_mb_per_s},
            {"randomReadIops", r.disk->random_read_iops},
            {"fileBytes", r.disk->file_bytes},
            {"directIo", r.disk->direct_io}};
  }
  return {{"cpuKeccakMBps", r.cpu_keccak_mb_per_s},
          {"memoryCopyGBps", r.memory_copy_gb_per_s},
          {"disk", disk},
          {"lowPriority", r.low_priority},
          {"elapsedMs", r.elapsed.count()}};
}

}  // namespace icn::host
