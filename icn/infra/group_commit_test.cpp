// GroupCommit: every writer returns after its own item is written, failures reach the whole group,
// and announced writers are gathered into the leader's commit.
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

TEST(GroupCommit, LeaderWaitsForAnnouncedWritersAndCommitsThemTogether) {
  GroupCommit<int> commit(
      GroupCommitOptions{10s});  // far longer than the test: only arrivals end it
  std::vector<size_t> group_sizes;
  auto write = [&](const std::vector<int*>& items) -> Status {
    group_sizes.push_back(items.size());  // one leader at a time
    return {};
  };
  auto late = commit.announce();  // a second request is being checked
  int first = 1, second = 2;
  std::thread leader([&] { ASSERT_TRUE(commit.submit(first, write)); });
  // Queued and not taken: the leader is gathering (it queues and leads under one lock).
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (commit.queued() < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(commit.queued(), 1u);
  // The leader cannot commit alone while `late` is announced; it commits both once it arrives.
  std::thread follower([&] { ASSERT_TRUE(commit.submit(second, write, &late)); });
  leader.join();
  follower.join();
  ASSERT_EQ(group_sizes.size(), 1u);
  EXPECT_EQ(group_sizes[0], 2u);
}

TEST(GroupCommit, ARefusedArrivalReleasesTheLeader) {
  GroupCommit<int> commit(GroupCommitOptions{10s});
  std::atomic<bool> written{false};
  auto arrival = commit.announce();
  int item = 1;
  std::thread leader([&] {
    ASSERT_TRUE(commit.submit(item, [&](const std::vector<int*>&) -> Status {
      written = true;
      return {};
    }));
  });
  arrival.release();  // the announced request was refused: it writes nothing
  leader.join();
  EXPECT_TRUE(written);
}

TEST(GroupCommit, WithoutGatherALeaderNeverWaitsForAnnouncedWriters) {
  GroupCommit<int> commit;  // max_gather 0
  auto arrival = commit.announce();
  int item = 1;
  EXPECT_TRUE(commit.submit(item, [](const std::vector<int*>&) -> Status { return {}; }));
}

}  // namespace
}  // namespace icn::infra
