// StopFlag and the self-pipe SignalWatcher.
#include "icn/infra/signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

namespace icn::infra {

void StopFlag::request(std::string reason) {
  {
    std::lock_guard lock(mu_);
    if (requested_) return;
    requested_ = true;
    reason_ = std::move(reason);
  }
  cv_.notify_all();
}

bool StopFlag::requested() const {
  std::lock_guard lock(mu_);
  return requested_;
}

std::string StopFlag::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

bool StopFlag::wait_until(std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return requested_; });
}

void StopFlag::wait() const {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return requested_; });
}

namespace {

std::atomic<int> g_write_fd{-1};

void on_signal(int signo) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(signo);
  int fd = g_write_fd.load();
  if (fd >= 0) (void)!::write(fd, &b, 1);
  errno = saved;
}

}  // namespace

struct SignalWatcher::State {
  int pipe_fds[2] = {-1, -1};
  struct sigaction old_int {
  }, old_term{};
  std::thread thread;
};

Result<std::unique_ptr<SignalWatcher>> SignalWatcher::install(StopFlag& flag) {
  auto state = std::make_unique<State>();
  if (::pipe2(state->pipe_fds, O_CLOEXEC) != 0) {
    return fail(std::string("signals: cannot create a pipe: ") + std::strerror(errno));
  }
  int expected = -1;
  if (!g_write_fd.compare_exchange_strong(expected, state->pipe_fds[1])) {
    ::close(state->pipe_fds[0]);
    ::close(state->pipe_fds[1]);
    return fail("signals: a SignalWatcher is already installed");
  }
  struct sigaction sa {};
  sa.sa_handler = &on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &sa, &state->old_int);
  ::sigaction(SIGTERM, &sa, &state->old_term);
  int read_fd = state->pipe_fds[0];
  state->thread = std::thread([read_fd, &flag] {
    while (true) {
      unsigned char b = 0;
      ssize_t n = ::read(read_fd, &b, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || b == 0) return;  // 0: the watcher is being destroyed
      flag.request(b == SIGINT    ? "SIGINT"
                   : b == SIGTERM ? "SIGTERM"
                                  : "signal " + std::to_string(b));
    }
  });
  return std::unique_ptr<SignalWatcher>(new SignalWatcher(std::move(state)));
}

SignalWatcher::SignalWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

SignalWatcher::~SignalWatcher() {
  ::sigaction(SIGINT, &state_->old_int, nullptr);
  ::sigaction(SIGTERM, &state_->old_term, nullptr);
  unsigned char zero = 0;
  (void)!::write(state_->pipe_fds[1], &zero, 1);
  state_->thread.join();
  g_write_fd.store(-1);
  ::close(state_->pipe_fds[0]);
  ::close(state_->pipe_fds[1]);
}

}  // namespace icn::infra
