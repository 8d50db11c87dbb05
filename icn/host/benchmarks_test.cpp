// The benchmarks run with tiny sizes: each gives a positive figure and the disk one leaves no
// file behind. No timing is asserted (the machine is shared).
#include "icn/host/benchmarks.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>

namespace icn::host {
namespace {

namespace fs = std::filesystem;

class Benchmarks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("icn-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    o_.duration = std::chrono::milliseconds(20);
    o_.cpu_block_bytes = 4096;
    o_.memory_bytes = 1 << 20;
    o_.disk_file_bytes = 64 << 10;
    o_.disk_block_bytes = 16 << 10;
    o_.data_path = dir_;
  }
  void TearDown() override { fs::remove_all(dir_); }
  bool dir_empty() const { return fs::is_empty(dir_); }
  fs::path dir_;
  BenchmarkOptions o_;
};

TEST_F(Benchmarks, EachGivesAPositiveFigureAndCleansUp) {
  auto r = run_benchmarks(o_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->cpu_keccak_mb_per_s, 0);
  EXPECT_GT(r->memory_copy_gb_per_s, 0);
  ASSERT_TRUE(r->disk);
  EXPECT_GT(r->disk->write_mb_per_s, 0);
  EXPECT_GT(r->disk->read_mb_per_s, 0);
  EXPECT_GT(r->disk->random_read_iops, 0);
  EXPECT_GT(r->disk->file_bytes, 0u);
  EXPECT_LE(r->disk->file_bytes, o_.disk_file_bytes);
  EXPECT_TRUE(r->low_priority);  // lowering one's own priority needs no privilege
  EXPECT_TRUE(dir_empty());
  auto j = to_json(*r);
  EXPECT_GT(j.at("disk").at("randomReadIops").get<double>(), 0);
}

TEST_F(Benchmarks, WithoutDataPathThereIsNoDiskFigure) {
  o_.data_path.clear();
  o_.low_priority = false;  // nice 19 on a busy machine only makes the test slower
  auto r = run_benchmarks(o_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->disk);
  EXPECT_GT(r->cpu_keccak_mb_per_s, 0);
}

TEST_F(Benchmarks, RefusesBadOptionsAndUnwritablePaths) {
  o_.disk_block_bytes = 1000;
  auto bad = benchmark_disk(o_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("multiple of 4096"), std::string::npos);
  o_.disk_block_bytes = 4096;
  o_.data_path = dir_ / "missing";
  auto missing = benchmark_disk(o_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot create a file in"), std::string::npos)
      << missing.error().message;
  EXPECT_TRUE(dir_empty());
}

TEST_F(Benchmarks, CancelledEndsAfterOneRound) {
  o_.duration = std::chrono::hours(1);  // only the cancel can end it
  std::atomic<int> polls{0};
  o_.cancelled = [&] { return ++polls > 0; };
  auto r = run_benchmarks(o_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->cpu_keccak_mb_per_s, 0);
  EXPECT_FALSE(r->disk);  // cancelled before the disk part
  EXPECT_TRUE(dir_empty());
}

}  // namespace
}  // namespace icn::host
