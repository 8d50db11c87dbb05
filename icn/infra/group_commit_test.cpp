// GroupCommit: every writer returns after its own item is written, failures reach the whole group,
// and writers that queue while a commit runs share the next one.
#include "icn/infra/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

TEST(GroupCommit, EachWriterReturnsOnlyAfterItsItemIsWritten) {
  GroupCommit<int> commit;
  std::mutex mu;
  std::set<int> written;
  auto write = [&](const std::vector<int*>& items) -> Status {
    std::lock_guard lock(mu);
    for (int* i : items) written.insert(*i);
    return {};
  };
  std::vector<std::thread> writers;
  std::atomic<int> not_written_on_return{0};
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int k = 0; k < 200; ++k) {
        int item = t * 1000 + k;
        ASSERT_TRUE(commit.submit(item, write));
        std::lock_guard lock(mu);
        if (!written.contains(item)) ++not_written_on_return;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(not_written_on_return.load(), 0);
  EXPECT_EQ(written.size(), 1600u);
  GroupCommitStats stats = commit.stats();
  EXPECT_EQ(stats.items, 1600u);
  EXPECT_LE(stats.groups, 1600u);
}

TEST(GroupCommit, AFailedGroupFailsEveryMember) {
  GroupCommit<int> commit;
  int item = 1;
  Status s =
      commit.submit(item, [](const std::vector<int*>&) -> Status { return fail("disk full"); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "disk full");
  EXPECT_TRUE(commit.submit(item, [](const std::vector<int*>&) -> Status { return {}; }));
}

TEST(GroupCommit, WritersQueuedDuringACommitShareTheNextOne) {
  GroupCommit<int> commit;
  std::mutex gate;  // held by the test: the first commit cannot finish until it is released
  std::vector<size_t> group_sizes;
  std::atomic<int> entered{0};
  auto write = [&](const std::vector<int*>& items) -> Status {
    ++entered;
    std::lock_guard lock(gate);
    group_sizes.push_back(items.size());  // one leader at a time
    return {};
  };
  std::unique_lock held(gate);
  std::vector<int> items = {0, 1, 2, 3};
  std::thread leader([&] { ASSERT_TRUE(commit.submit(items[0], write)); });
  // The leader has taken its item and is blocked in write.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (entered == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_EQ(entered, 1);
  std::vector<std::thread> followers;
  for (int i = 1; i < 4; ++i) {
    followers.emplace_back([&, i] { ASSERT_TRUE(commit.submit(items[size_t(i)], write)); });
  }
  while (commit.queued() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(commit.queued(), 3u);
  held.unlock();
  leader.join();
  for (auto& f : followers) f.join();
  EXPECT_EQ(group_sizes, (std::vector<size_t>{1, 3}));
  EXPECT_EQ(commit.stats().groups, 2u);
  EXPECT_EQ(commit.stats().items, 4u);
}

}  // namespace
}  // namespace icn::infra
