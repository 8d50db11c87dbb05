// Stopping a role: a StopFlag services wait on (condition variable, deadlines), and a watcher
// that turns SIGINT/SIGTERM into a stop request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "icn/core/result.hpp"

namespace icn::infra {

class StopFlag {
 public:
  void request(std::string reason);  // the first reason wins
  bool requested() const;
  std::string reason() const;
  // True once a stop is requested, waiting at most until `deadline` (no polling).
  bool wait_until(std::chrono::steady_clock::time_point deadline) const;
  bool wait_for(std::chrono::milliseconds timeout) const {
    return wait_until(std::chrono::steady_clock::now() + timeout);
  }
  void wait() const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool requested_ = false;
  std::string reason_;
};

// While alive, SIGINT and SIGTERM request a stop on `flag` with reason "SIGINT"/"SIGTERM"
// instead of killing the process. One at a time per process; the previous handlers come back on
// destruction. The handler only writes to a pipe; a thread of ours does the rest.
class SignalWatcher {
 public:
  static Result<std::unique_ptr<SignalWatcher>> install(StopFlag& flag);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  struct State;

 private:
  explicit SignalWatcher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace icn::infra
