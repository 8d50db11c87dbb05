// fork/exec child processes: own process group, death with the parent, pipes read with
// deadlines, group kill.
#include "icn/infra/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

extern char** environ;

namespace icn::infra {
namespace {

constexpr size_t kTailBytes = 64 * 1024;
constexpr size_t kMaxLine = 1024 * 1024;

std::string errno_text(int err) {
  return std::strerror(err);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Remaining time as a timespec for ppoll; zero once the deadline has passed.
timespec remaining(Deadline deadline) {
  auto left = deadline - SteadyClock::now();
  if (left <= SteadyClock::duration::zero()) return timespec{0, 0};
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  return timespec{time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
}

ExitStatus decode_wait_status(int status) {
  ExitStatus out;
  if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
  } else {
    out.code = -1;
  }
  return out;
}

// The child's environment: the parent's, with `additions` replacing or adding entries.
std::vector<std::string> build_env(
    const std::vector<std::pair<std::string, std::string>>& additions) {
  std::map<std::string, std::string> overrides;
  for (const auto& [k, v] : additions) overrides[k] = v;
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    std::string key(entry.substr(0, entry.find('=')));
    if (!overrides.count(key)) out.emplace_back(entry);
  }
  for (const auto& [k, v] : overrides) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) +
           (name ? std::string(" (SIG") + name + ")" : std::string());
  }
  return "exit code " + std::to_string(code);
}

struct Subprocess::State {
  // One piped output stream: what read_line has buffered and the tail kept for diagnostics.
  struct Pipe {
    int fd = -1;
    std::string buffer;  // read but not yet returned by read_line
    bool eof = false;
    bool drained = false;
    std::thread drain;
    mutable std::mutex tail_mu;
    std::string tail;

    void keep(std::string_view chunk) {
      std::lock_guard lock(tail_mu);
      tail.append(chunk);
      if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
    }
  };

  std::vector<std::string> argv;
  std::chrono::milliseconds destructor_grace{2000};
  pid_t pid = -1;
  int pidfd = -1;  // readable once the child has exited; -1 where pidfd_open is unavailable
  std::optional<ExitStatus> status;
  Pipe out, err;
  int stop_pipe[2] = {-1, -1};  // written to tell drain threads to finish
  bool drains_finished = false;

  Pipe& pipe(Stream s) { return s == Stream::kStdout ? out : err; }
  const Pipe& pipe(Stream s) const { return s == Stream::kStdout ? out : err; }

  ~State() {
    if (stop_pipe[1] >= 0) {
      char c = 0;
      [[maybe_unused]] auto n = ::write(stop_pipe[1], &c, 1);
    }
    for (Pipe* p : {&out, &err}) {
      if (p->drain.joinable()) p->drain.join();
      close_fd(p->fd);
    }
    close_fd(stop_pipe[0]);
    close_fd(stop_pipe[1]);
    close_fd(pidfd);
  }

  // Reads what is available (one read call) into buffer/tail. False at EOF or on error.
  bool read_some(Pipe& p) {
    char buf[8192];
    while (true) {
      ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        p.eof = true;
        return false;
      }
      std::string_view chunk(buf, size_t(n));
      if (!p.drained) p.buffer.append(chunk);
      p.keep(chunk);
      return true;
    }
  }

  // The drain thread: reads until EOF; once asked to stop, finishes what is readable right away.
  void drain_loop(Pipe* p) {
    bool stopping = false;
    while (!p->eof) {
      pollfd fds[2] = {{p->fd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
      int n = ::poll(fds, stopping ? 1 : 2, stopping ? 0 : -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        read_some(*p);
        continue;
      }
      if (stopping) break;
      if (fds[1].revents) stopping = true;
    }
  }

  // After the child has ended its output is all in the pipes: let the drains read what is
  // there and stop, so output_tail() is complete once an exit status has been returned. (Waiting
  // for EOF instead could hang on a process that escaped the group holding the pipe.)
  void finish_drains() {
    if (drains_finished) return;
    drains_finished = true;
    if (stop_pipe[1] >= 0) {
      char c = 0;
      [[maybe_unused]] auto n = ::write(stop_pipe[1], &c, 1);
    }
    for (Pipe* p : {&out, &err}) {
      if (p->drain.joinable()) p->drain.join();
    }
  }

  std::optional<ExitStatus> try_wait() {
    if (status) return status;
    siginfo_t info{};
    while (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
      if (errno == EINTR) continue;
      // ECHILD: reaped elsewhere (e.g. SIGCHLD ignored); nothing more can be learned.
      status = ExitStatus{-1, 0};
      return status;
    }
    if (info.si_pid == 0) return std::nullopt;
    // The zombie still holds the pid, so the group id cannot have been reused: clear the group
    // of anything the child left behind, then reap.
    ::kill(-pid, SIGKILL);
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0) {
      if (errno != EINTR) {
        status = ExitStatus{-1, 0};
        return status;
      }
    }
    status = decode_wait_status(wstatus);
    finish_drains();
    return status;
  }

  std::optional<ExitStatus> wait_for_exit(Deadline deadline) {
    while (true) {
      if (auto st = try_wait()) return st;
      if (SteadyClock::now() >= deadline) return std::nullopt;
      if (pidfd >= 0) {
        pollfd fd{pidfd, POLLIN, 0};
        timespec ts = remaining(deadline);
        ::ppoll(&fd, 1, &ts, nullptr);
      } else {
        // No pidfd (old kernel, some sandboxes): poll the child's state in short steps.
        auto step = std::min<SteadyClock::duration>(deadline - SteadyClock::now(),
                                                    std::chrono::milliseconds(5));
        std::this_thread::sleep_for(step);
      }
    }
  }

  ExitStatus terminate(std::chrono::milliseconds grace) {
    if (status) return *status;
    ::kill(-pid, SIGTERM);
    if (auto st = wait_for_exit(SteadyClock::now() + grace)) return *st;
    ::kill(-pid, SIGKILL);
    return *wait_for_exit(Deadline::max());
  }
};

Subprocess::Subprocess(std::unique_ptr<State> state) : state_(std::move(state)) {}
Subprocess::Subprocess(Subprocess&&) noexcept = default;
Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    if (state_ && !state_->status) state_->terminate(state_->destructor_grace);
    state_ = std::move(other.state_);
  }
  return *this;
}

Subprocess::~Subprocess() {
  if (state_ && !state_->status) state_->terminate(state_->destructor_grace);
}

namespace {

// What the child does between fork and exec: only async-signal-safe calls (the parent may have
// other threads, one of which may hold the malloc lock at the moment of fork).
struct ChildPlan {
  const char* path = nullptr;  // resolved program path
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* working_dir = nullptr;
  int stdio[3] = {-1, -1, -1};  // fd to install as 0/1/2; -1 leaves it as inherited
  bool stderr_into_stdout = false;
  bool kill_with_parent = true;
  pid_t parent = 0;
  int error_fd = -1;  // CLOEXEC: closed by a successful exec, else receives {stage, errno}
};

enum : int { kStageChdir = 1, kStageExec = 2, kStageSetup = 3 };

[[noreturn]] void child_fail(const ChildPlan& plan, int stage) {
  int report[2] = {stage, errno};
  [[maybe_unused]] auto n = ::write(plan.error_fd, report, sizeof report);
  ::_exit(127);
}

[[noreturn]] void run_child(const ChildPlan& plan) {
  ::setpgid(0, 0);
  if (plan.kill_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != plan.parent) ::_exit(127);  // the parent died before prctl
  }
  // Default dispositions and an empty mask: a parent ignoring SIGPIPE or SIGTERM, or blocking
  // signals in this thread, must not pass that on.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);
  }
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  for (int target = 0; target < 3; ++target) {
    int fd = plan.stdio[target];
    if (fd < 0) continue;
    if (fd == target) {
      if (::fcntl(fd, F_SETFD, 0) != 0) child_fail(plan, kStageSetup);  // keep it across exec
    } else if (::dup2(fd, target) < 0) {
      child_fail(plan, kStageSetup);
    }
  }
  if (plan.stderr_into_stdout && ::dup2(1, 2) < 0) child_fail(plan, kStageSetup);
  if (plan.working_dir && ::chdir(plan.working_dir) != 0) child_fail(plan, kStageChdir);
  ::execve(plan.path, plan.argv, plan.envp);
  child_fail(plan, kStageExec);
}

// PATH lookup done in the parent (execvp may allocate, which a forked child must not).
std::optional<std::string> resolve_program(const std::string& name,
                                           const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) return name;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

Result<Subprocess> Subprocess::spawn(SubprocessOptions options) {
  if (options.argv.empty()) return fail("cannot start a process without argv");
  if (options.stdout_to.kind == OutputTarget::Kind::kStdout) {
    return fail("stdout cannot be redirected into itself");
  }
  const std::string what = "cannot start " + options.argv[0];
  auto state = std::make_unique<State>();
  state->argv = options.argv;
  state->destructor_grace = options.destructor_grace;

  std::vector<std::string> env = build_env(options.env);
  std::optional<std::string> program = resolve_program(options.argv[0], env);
  if (!program) return fail(what + ": " + errno_text(ENOENT));

  // Fds opened for the child; closed in the parent once it has started (or failed to).
  std::vector<int> child_fds;
  auto close_child_fds = [&] {
    for (int& fd : child_fds) close_fd(fd);
  };
  auto open_for_child = [&](const char* path, int flags) -> Result<int> {
    int fd = ::open(path, flags | O_CLOEXEC, 0644);
    if (fd < 0) return fail(what + ": cannot open " + path + ": " + errno_text(errno));
    child_fds.push_back(fd);
    return fd;
  };
  ChildPlan plan;
  auto route = [&](const OutputTarget& target, int child_fd, State::Pipe& p) -> Status {
    switch (target.kind) {
      case OutputTarget::Kind::kPipe: {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return fail(what + ": pipe: " + errno_text(errno));
        p.fd = fds[0];
        child_fds.push_back(fds[1]);
        plan.stdio[child_fd] = fds[1];
        return {};
      }
      case OutputTarget::Kind::kFile: {
        ICN_TRY(plan.stdio[child_fd],
                open_for_child(target.file.c_str(), O_WRONLY | O_CREAT | O_APPEND));
        return {};
      }
      case OutputTarget::Kind::kDiscard: {
        ICN_TRY(plan.stdio[child_fd], open_for_child("/dev/null", O_WRONLY));
        return {};
      }
      case OutputTarget::Kind::kStdout:
        plan.stderr_into_stdout = true;
        return {};
      case OutputTarget::Kind::kInherit:
        return {};
    }
    return {};
  };
  Status routed = [&]() -> Status {
    const char* in = options.stdin_file.empty() ? "/dev/null" : options.stdin_file.c_str();
    ICN_TRY(plan.stdio[0], open_for_child(in, O_RDONLY));
    ICN_CHECK(route(options.stdout_to, 1, state->out));
    ICN_CHECK(route(options.stderr_to, 2, state->err));
    return {};
  }();
  if (!routed) {
    close_child_fds();
    return std::move(routed).error();
  }

  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argvp;
  for (auto& a : state->argv) argvp.push_back(a.data());
  argvp.push_back(nullptr);
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    close_child_fds();
    return fail(what + ": pipe: " + errno_text(errno));
  }
  plan.path = program->c_str();
  plan.argv = argvp.data();
  plan.envp = envp.data();
  plan.working_dir = options.working_dir.empty() ? nullptr : options.working_dir.c_str();
  plan.kill_with_parent = options.kill_with_parent;
  plan.parent = ::getpid();
  plan.error_fd = error_pipe[1];

  pid_t pid = ::fork();
  if (pid == 0) run_child(plan);
  int fork_errno = errno;
  close_child_fds();
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    return fail(what + ": fork: " + errno_text(fork_errno));
  }
  // Also here, so the group exists before anyone signals it, whichever process runs first.
  ::setpgid(pid, pid);
  // The error pipe closes on a successful exec; otherwise it carries {stage, errno}.
  int report[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(error_pipe[0], report, sizeof report);
  } while (n < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (n > 0) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string where = report[0] == kStageChdir ? " in " + options.working_dir.string() : "";
    return fail(what + where + ": " + errno_text(report[1]));
  }
  state->pid = pid;
  state->pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
  if (::pipe2(state->stop_pipe, O_CLOEXEC) != 0) {
    state->stop_pipe[0] = state->stop_pipe[1] = -1;
  }
  return Subprocess(std::move(state));
}

int Subprocess::pid() const {
  return state_->pid;
}
const std::vector<std::string>& Subprocess::argv() const {
  return state_->argv;
}

Result<LineRead> Subprocess::read_line(Stream stream, Deadline deadline) {
  const char* name = stream == Stream::kStdout ? "stdout" : "stderr";
  State::Pipe& p = state_->pipe(stream);
  if (p.fd < 0) return fail(std::string("read_line: the child's ") + name + " is not a pipe");
  if (p.drained) return fail(std::string("read_line: the child's ") + name + " is being drained");
  while (true) {
    size_t nl = p.buffer.find('\n');
    if (nl != std::string::npos || p.buffer.size() >= kMaxLine || (p.eof && !p.buffer.empty())) {
      size_t take = nl != std::string::npos ? nl : std::min(p.buffer.size(), kMaxLine);
      LineRead out{LineRead::Kind::kLine, p.buffer.substr(0, take)};
      p.buffer.erase(0, nl != std::string::npos ? nl + 1 : take);
      return out;
    }
    if (p.eof) return LineRead{LineRead::Kind::kEof, {}};
    pollfd fd{p.fd, POLLIN, 0};
    timespec ts = remaining(deadline);
    int n = ::ppoll(&fd, 1, &ts, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::string("read_line: poll: ") + errno_text(errno));
    }
    if (n == 0) {
      if (SteadyClock::now() >= deadline) return LineRead{LineRead::Kind::kTimeout, {}};
      continue;
    }
    state_->read_some(p);
  }
}

void Subprocess::drain_in_background(Stream stream) {
  State::Pipe& p = state_->pipe(stream);
  if (p.fd < 0 || p.drained) return;
  p.drained = true;
  p.buffer.clear();
  State* state = state_.get();
  p.drain = std::thread([state, pp = &p] { state->drain_loop(pp); });
}

std::string Subprocess::output_tail(Stream stream) const {
  const State::Pipe& p = state_->pipe(stream);
  std::lock_guard lock(p.tail_mu);
  return p.tail;
}

std::optional<ExitStatus> Subprocess::try_wait() {
  return state_->try_wait();
}

std::optional<ExitStatus> Subprocess::wait_for_exit(Deadline deadline) {
  return state_->wait_for_exit(deadline);
}

ExitStatus Subprocess::terminate(std::chrono::milliseconds grace) {
  return state_->terminate(grace);
}

bool Subprocess::signal_group(int signo) {
  if (state_->status) return false;
  return ::kill(-state_->pid, signo) == 0;
}

bool Subprocess::running() {
  return !state_->try_wait();
}

}  // namespace icn::infra
