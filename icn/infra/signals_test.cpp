// Tests for StopFlag waits and SIGTERM/SIGINT turning into a stop request.
#include "icn/infra/signals.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

TEST(StopFlag, WaitersWakeOnRequestAndTimeOutOtherwise) {
  StopFlag flag;
  EXPECT_FALSE(flag.wait_for(20ms));
  std::thread requester([&] { flag.request("test"); });
  EXPECT_TRUE(flag.wait_for(5s));
  requester.join();
  flag.request("second");
  EXPECT_EQ(flag.reason(), "test");
  flag.wait();  // returns at once
  EXPECT_TRUE(flag.requested());
}

TEST(SignalWatcher, SigtermAndSigintRequestAStop) {
  for (int signo : {SIGTERM, SIGINT}) {
    StopFlag flag;
    auto watcher = SignalWatcher::install(flag);
    ASSERT_TRUE(watcher.ok()) << watcher.error().message;
    StopFlag other;
    auto twice = SignalWatcher::install(other);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().message, "signals: a SignalWatcher is already installed");
    ASSERT_EQ(std::raise(signo), 0);
    ASSERT_TRUE(flag.wait_for(5s));
    EXPECT_EQ(flag.reason(), signo == SIGTERM ? "SIGTERM" : "SIGINT");
  }
}

}  // namespace
}  // namespace icn::infra
