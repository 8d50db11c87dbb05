// Tests for role logging: levels, the file sink, the role tag, and capture.
#include "icn/infra/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "icn/infra/files.hpp"

namespace icn::infra {
namespace {

TEST(Log, WritesTaggedLinesToTheFileAtTheChosenLevel) {
  auto previous = spdlog::default_logger();
  auto dir = std::filesystem::path(::testing::TempDir()) / ("log_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "satellite.log";
  ASSERT_TRUE(setup_logging({"satellite", "warn", file, false}).ok());
  spdlog::info("not shown");
  spdlog::warn("disk at {}%", 91);
  spdlog::default_logger()->flush();
  auto text = read_file(file);
  spdlog::set_default_logger(previous);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("not shown"), std::string::npos);
  // "2025-01-02T03:04:05.678Z warning [satellite] disk at 91%\n"
  ASSERT_EQ(text->size(), 24u + std::string(" warning [satellite] disk at 91%\n").size()) << *text;
  EXPECT_EQ(text->substr(23), "Z warning [satellite] disk at 91%\n");
}

TEST(Log, RefusesUnknownLevelsAndUnwritableFiles) {
  auto bad = setup_logging({"x", "loud", {}, false});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "log level 'loud' is not one of trace, debug, info, warn, error, off");
  // A regular file where a directory should be: the log cannot be created.
  auto previous = spdlog::default_logger();
  auto blocker =
      std::filesystem::path(::testing::TempDir()) / ("log_blocker_" + std::to_string(getpid()));
  ASSERT_TRUE(write_file_atomic(blocker, "x").ok());
  auto no_dir = setup_logging({"x", "info", blocker / "x.log", false});
  spdlog::set_default_logger(previous);
  std::filesystem::remove(blocker);
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(
      no_dir.error().message.rfind("log: cannot open " + (blocker / "x.log").string() + ": ", 0),
      0u)
      << no_dir.error().message;
}

TEST(Log, CaptureSeesLinesAndRestoresTheLogger) {
  auto before = spdlog::default_logger();
  {
    LogCapture capture;
    spdlog::debug("batch {} accepted", 7);
    EXPECT_TRUE(capture.contains("batch 7 accepted"));
    ASSERT_EQ(capture.lines().size(), 1u);
    EXPECT_EQ(capture.lines()[0].rfind("debug [", 0), 0u) << capture.lines()[0];
  }
  EXPECT_EQ(spdlog::default_logger(), before);
}

}  // namespace
}  // namespace icn::infra
