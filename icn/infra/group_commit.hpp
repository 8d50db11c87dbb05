// Group commit for a durable store: concurrent writers queue their items and one of them writes the
// whole queue in one transaction (one fsync), so the sync cost is paid once per burst. Every writer
// returns only once the group holding its item is written — an item is never reported durable
// before it is. Shared by the HyperNode's answers and the satellite's batches.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::infra {

struct GroupCommitOptions {
  // How long a leader may wait, before writing, for writers that announced themselves (announce())
  // but have not queued their item yet, so they share this commit instead of waiting for the next.
  // Without it, writers released by one commit form the next group while the rest wait: the
  // groups alternate and each carries about half the writers. 0 never waits.
  std::chrono::microseconds max_gather{0};
};

struct GroupCommitStats {
  uint64_t groups = 0;  // transactions written (successful or not)
  uint64_t items = 0;   // items they carried
};

template <typename Item>
class GroupCommit {
 public:
  explicit GroupCommit(GroupCommitOptions options = {}) : options_(options) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // A writer on its way (a request being checked, whose item will follow): while it is held a
  // leader waits up to max_gather for it. Released by submit(), release() or destruction, so a
  // writer that ends up writing nothing (a refusal) never holds a commit back for long.
  class Arrival {
   public:
    Arrival() = default;
    explicit Arrival(GroupCommit* owner) : owner_(owner) {}
    Arrival(Arrival&& o) noexcept : owner_(std::exchange(o.owner_, nullptr)) {}
    Arrival& operator=(Arrival&& o) noexcept {
      if (this != &o) {
        release();
        owner_ = std::exchange(o.owner_, nullptr);
      }
      return *this;
    }
    ~Arrival() { release(); }
    void release() {
      if (GroupCommit* g = std::exchange(owner_, nullptr)) {
        std::lock_guard lock(g->mu_);
        g->arrived_locked();
      }
    }

   private:
    friend class GroupCommit;
    GroupCommit* owner_ = nullptr;
  };

  Arrival announce() {
    std::lock_guard lock(mu_);
    ++announced_;
    return Arrival(this);
  }

  // Queues `item` and returns once a group holding it has been written by `write_group` (called
  // with std::vector<Item*>&, on whichever writer leads; every writer must pass an equivalent
  // one). The group's Status is every member's: a failed transaction fails them all.
  template <typename WriteGroup>
  Status submit(Item& item, WriteGroup&& write_group, Arrival* arrival = nullptr) {
    Pending pending{&item, false, {}};
    std::unique_lock lock(mu_);
    queue_.push_back(&pending);
    if (arrival && arrival->owner_ == this) {
      arrival->owner_ = nullptr;
      arrived_locked();
    }
    while (!pending.done) {
      if (committing_) {
        cv_.wait(lock);
        continue;
      }
      committing_ = true;  // leader: no other commit starts until ours is written
      if (announced_ > 0 && options_.max_gather.count() > 0) {
        cv_.wait_for(lock, options_.max_gather, [&] { return announced_ == 0; });
      }
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

  // Items queued and not yet taken by a leader (a gathering leader's own included).
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
  void arrived_locked() {
    if (--announced_ == 0) cv_.notify_all();  // a gathering leader stops waiting
  }

  const GroupCommitOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending*> queue_;
  bool committing_ = false;
  size_t announced_ = 0;
  GroupCommitStats stats_;
};

}  // namespace icn::infra
