// Tests for DataDir: the lock refuses a second holder by pid and is released on destruction.
#include "icn/infra/data_dir.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "icn/infra/files.hpp"

namespace icn::infra {
namespace {

std::filesystem::path temp_dir(const char* name) {
  auto dir = std::filesystem::path(::testing::TempDir()) /
             (std::string(name) + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(DataDir, SecondHolderIsRefusedNamingThePid) {
  auto dir = temp_dir("data_dir_lock") / "nested";
  {
    auto first = DataDir::open(dir);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(read_file(dir / "LOCK").value(), std::to_string(getpid()) + "\n");
    EXPECT_EQ(std::filesystem::status(dir).permissions(), std::filesystem::perms::owner_all);
    auto second = DataDir::open(dir);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().message, "data dir " + dir.string() + " is in use by process " +
                                          std::to_string(getpid()) + " (lock " +
                                          (dir / "LOCK").string() + ")");
    // Another process is refused as well.
    pid_t child = fork();
    if (child == 0) _exit(DataDir::open(dir).ok() ? 1 : 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto again = DataDir::open(dir);
  EXPECT_TRUE(again.ok());
  std::filesystem::remove_all(dir.parent_path());
}

TEST(DataDir, AFileInTheWayIsAClearError) {
  auto dir = temp_dir("data_dir_file");
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_file_atomic(dir / "f", "x").ok());
  auto r = DataDir::open(dir / "f");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cannot create data dir " + (dir / "f").string()),
            std::string::npos)
      << r.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace icn::infra
