// Child processes (anvil, forge, cast, a daemon under test) that never outlive their owner.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::infra {

using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds from_now) {
  return SteadyClock::now() + from_now;
}

// Where one of the child's output streams goes.
struct OutputTarget {
  enum class Kind { kPipe, kFile, kInherit, kDiscard, kStdout /* stderr only: into stdout */ };
  Kind kind = Kind::kPipe;
  std::filesystem::path file;  // kFile: created if missing, appended to
  static OutputTarget pipe() { return {Kind::kPipe, {}}; }
  static OutputTarget to_file(std::filesystem::path path) { return {Kind::kFile, std::move(path)}; }
  static OutputTarget inherit() { return {Kind::kInherit, {}}; }
  static OutputTarget discard() { return {Kind::kDiscard, {}}; }
  static OutputTarget into_stdout() { return {Kind::kStdout, {}}; }
};

struct SubprocessOptions {
  // argv[0] is the program: a path, or a name looked up in PATH.
  std::vector<std::string> argv;
  // Added to (or replacing entries of) the parent's environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::filesystem::path working_dir;  // empty: the parent's
  // The child's stdin reads this file (e.g. a request the caller wrote); empty: /dev/null.
  std::filesystem::path stdin_file;
  OutputTarget stdout_to = OutputTarget::pipe();
  OutputTarget stderr_to = OutputTarget::pipe();
  // Grace between SIGTERM and SIGKILL when the owner is destroyed while the child still runs.
  std::chrono::milliseconds destructor_grace{2000};
  // SIGKILL the child when the parent dies without cleaning up (a crash, SIGKILL), so a crashed
  // test leaves no anvil behind. Linux ties this to the spawning *thread*: spawn from a thread
  // that outlives the child, or turn it off.
  bool kill_with_parent = true;
};

// How a child ended.
struct ExitStatus {
  int code = 0;    // exit code when signal == 0
  int signal = 0;  // the terminating signal, or 0 for a normal exit
  bool success() const { return signal == 0 && code == 0; }
  std::string describe() const;  // "exit code 3", "killed by signal 9 (SIGKILL)"
};

enum class Stream { kStdout, kStderr };

// One read_line outcome: a line (without its '\n'), the end of the stream, or the deadline.
struct LineRead {
  enum class Kind { kLine, kEof, kTimeout };
  Kind kind = Kind::kEof;
  std::string line;
};

// A running child in its own process group. Moving is allowed; destruction terminates it
// (SIGTERM to the group, SIGKILL after the grace) and reaps it, so no child is left behind.
// Not thread-safe: one owner drives it (a background drain runs on its own thread, see below).
class Subprocess {
 public:
  // Starts the child. Fails with the OS reason when the program cannot be executed:
  // "cannot start /x/anvil: No such file or directory".
  static Result<Subprocess> spawn(SubprocessOptions options);

  Subprocess(Subprocess&&) noexcept;
  Subprocess& operator=(Subprocess&&) noexcept;
  ~Subprocess();

  int pid() const;
  const std::vector<std::string>& argv() const;

  // Next line of a piped stream, waiting at most until `deadline`. A final line without '\n' is
  // returned before kEof. Lines longer than 1 MiB are returned in 1 MiB pieces.
  Result<LineRead> read_line(Stream stream, Deadline deadline);

  // Hands a piped stream to a background thread that reads it until EOF, keeping the tail for
  // output_tail(); use it for a long-lived child whose output nobody reads, so a full pipe never
  // blocks it. read_line on that stream is refused afterwards.
  void drain_in_background(Stream stream);

  // The last 64 KiB read from a piped stream (by read_line or the drain), for error messages.
  std::string output_tail(Stream stream) const;

  // The exit status if the child has ended (reaping it), without waiting.
  std::optional<ExitStatus> try_wait();
  // Waits until the child ends or the deadline passes (nullopt).
  std::optional<ExitStatus> wait_for_exit(Deadline deadline);
  // SIGTERM to the process group, then SIGKILL once `grace` has passed; always reaps. Whatever is
  // left in the child's process group when it ends is killed too.
  ExitStatus terminate(std::chrono::milliseconds grace);
  // Sends a signal to the whole process group (e.g. SIGINT); false if the group is gone.
  bool signal_group(int signo);

  // True until the child has ended (checks without waiting, reaping it if it has).
  bool running();

 private:
  struct State;
  explicit Subprocess(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace icn::infra
