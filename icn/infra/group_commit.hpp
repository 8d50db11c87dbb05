// Group commit for a durable store: concurrent writers queue their items and one of them writes the
// whole queue in one transaction (one fsync), so the sync cost is paid once per burst. Every writer
// returns only once the group holding its item is written — an item is never reported durable
// before it is. Shared by the HyperNode's answers and the satellite's batches.
//
// With N concurrent writers the groups alternate: the writers released by one commit form the
// next-but-one group while the others' commit runs, so each fsync carries about N/2 items and the
// throughput on disk is about N/2 per fsync — more concurrent writers is what raises it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::infra {

struct GroupCommitStats {
  uint64_t groups = 0;  // transactions written (successful or not)
  uint64_t items = 0;   // items they carried
};

template <typename Item>
class GroupCommit {
 public:
  GroupCommit() = default;
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `item` and returns once a group holding it has been written by `write_group` (called
  // with std::vector<Item*>&, on whichever writer leads; every writer must pass an equivalent
  // one). The group's Status is every member's: a failed transaction fails them all.
  template <typename WriteGroup>
  Status submit(Item& item, WriteGroup&& write_group) {
    Pending pending{&item, false, {}};
    std::unique_lock lock(mu_);
    queue_.push_back(&pending);
    while (!pending.done) {
      if (committing_) {
        cv_.wait(lock);
        continue;
      }
      committing_ = true;  // leader: no other commit starts until ours is written
      std::vector<Pending*> group;
      group.swap(queue_);
      lock.unlock();
      std::vector<Item*> items;
      items.reserve(group.size());
      for (Pending* p : group) items.push_back(p->item);
      Status written = write_group(items);
      lock.lock();
      ++stats_.groups;
      stats_.items += group.size();
      for (Pending* p : group) {
        p->status = written;
        p->done = true;
      }
      committing_ = false;
      cv_.notify_all();
    }
    return std::move(pending.status);
  }

  // Items queued and not yet taken by a leader.
  size_t queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

  GroupCommitStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  struct Pending {
    Item* item = nullptr;
    bool done = false;
    Status status;
  };
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending*> queue_;
  bool committing_ = false;
  GroupCommitStats stats_;
};

}  // namespace icn::infra
