// Tests for Subprocess: line reads with deadlines, exit statuses, SIGTERM→SIGKILL, group cleanup.
#include "icn/infra/subprocess.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace icn::infra {
namespace {

using namespace std::chrono_literals;

Subprocess start_sh(const std::string& script, SubprocessOptions options = {}) {
  options.argv = {"/bin/sh", "-c", script};
  auto r = Subprocess::spawn(std::move(options));
  if (!r) ADD_FAILURE() << r.error().message;
  return std::move(r).value();
}

std::string expect_line(Subprocess& p, Stream s = Stream::kStdout) {
  auto r = p.read_line(s, deadline_in(10s));
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (!r) return {};
  EXPECT_EQ(r->kind, LineRead::Kind::kLine);
  return r->line;
}

// True once `pid` no longer runs (gone, or a zombie waiting for its new parent to reap it).
bool process_gone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string content((std::istreambuf_iterator<char>(stat)), {});
  auto close_paren = content.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < content.size() &&
         content[close_paren + 2] == 'Z';
}

TEST(Subprocess, ReadsLinesThenEofAndExitCode) {
  Subprocess p = start_sh("echo one; echo two; printf three; exit 3");
  EXPECT_EQ(expect_line(p), "one");
  EXPECT_EQ(expect_line(p), "two");
  EXPECT_EQ(expect_line(p), "three");  // final line without '\n'
  auto end = p.read_line(Stream::kStdout, deadline_in(10s));
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->kind, LineRead::Kind::kEof);
  auto st = p.wait_for_exit(deadline_in(10s));
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->code, 3);
  EXPECT_EQ(st->signal, 0);
  EXPECT_FALSE(st->success());
  EXPECT_EQ(st->describe(), "exit code 3");
  EXPECT_FALSE(p.running());
  EXPECT_EQ(p.output_tail(Stream::kStdout), "one\ntwo\nthree");
}

TEST(Subprocess, ReadLineTimesOutAtTheDeadline) {
  Subprocess p = start_sh("echo ready; exec sleep 30");
  EXPECT_EQ(expect_line(p), "ready");
  auto t0 = SteadyClock::now();
  auto r = p.read_line(Stream::kStdout, t0 + 150ms);
  auto elapsed = SteadyClock::now() - t0;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, LineRead::Kind::kTimeout);
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 5s);
  EXPECT_TRUE(p.running());
  EXPECT_FALSE(p.wait_for_exit(deadline_in(50ms)).has_value());
  ExitStatus st = p.terminate(5s);
  EXPECT_EQ(st.signal, SIGTERM);
  EXPECT_EQ(st.describe(), "killed by signal 15 (SIGTERM)");
}

TEST(Subprocess, ChildIgnoringSigtermIsKilledAfterGrace) {
  // The trap is inherited by the loop's sleeps too, so only SIGKILL ends the group.
  Subprocess p = start_sh("trap '' TERM; echo ready; while :; do sleep 0.05; done");
  ASSERT_EQ(expect_line(p), "ready");  // the trap is installed: SIGTERM will be ignored
  auto t0 = SteadyClock::now();
  ExitStatus st = p.terminate(300ms);
  auto elapsed = SteadyClock::now() - t0;
  EXPECT_EQ(st.signal, SIGKILL);
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 10s);
  EXPECT_FALSE(p.running());
  EXPECT_FALSE(p.signal_group(SIGTERM));
}

TEST(Subprocess, TerminateKillsTheWholeProcessGroup) {
  Subprocess p = start_sh("sleep 1000 & echo $!; wait");
  int grandchild = std::stoi(expect_line(p));
  ASSERT_GT(grandchild, 0);
  EXPECT_FALSE(process_gone(grandchild));
  p.terminate(2s);
  auto deadline = deadline_in(10s);
  while (!process_gone(grandchild) && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(process_gone(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST(Subprocess, DestructorTerminatesTheChild) {
  int pid = 0;
  {
    Subprocess p = start_sh("echo ready; exec sleep 1000");
    pid = p.pid();
    ASSERT_EQ(expect_line(p), "ready");
    EXPECT_FALSE(process_gone(pid));
  }
  // The destructor reaped it, so the pid is gone (not even a zombie).
  EXPECT_TRUE(process_gone(pid));
}

TEST(Subprocess, SpawnFailureNamesTheProgramAndReason) {
  SubprocessOptions o;
  o.argv = {"/nonexistent/anvil", "--port", "0"};
  auto r = Subprocess::spawn(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cannot start /nonexistent/anvil: No such file or directory");
  auto empty = Subprocess::spawn({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "cannot start a process without argv");
}

TEST(Subprocess, EnvironmentAndWorkingDirectory) {
  auto dir =
      std::filesystem::temp_directory_path() / ("icn_subprocess_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SubprocessOptions o;
  o.env = {{"ICN_TEST_VALUE", "hello world"}, {"PATH", "/usr/bin:/bin"}};
  o.working_dir = dir;
  Subprocess p = start_sh("echo \"$ICN_TEST_VALUE\"; pwd -P; echo $PATH", o);
  EXPECT_EQ(expect_line(p), "hello world");
  EXPECT_EQ(expect_line(p), std::filesystem::canonical(dir).string());
  EXPECT_EQ(expect_line(p), "/usr/bin:/bin");
  EXPECT_TRUE(p.wait_for_exit(deadline_in(10s)).value().success());
  std::filesystem::remove_all(dir);
}

TEST(Subprocess, StderrSeparatelyOrMergedIntoStdout) {
  Subprocess separate = start_sh("echo to-err >&2; echo to-out");
  EXPECT_EQ(expect_line(separate, Stream::kStderr), "to-err");
  EXPECT_EQ(expect_line(separate, Stream::kStdout), "to-out");

  SubprocessOptions merged;
  merged.stderr_to = OutputTarget::into_stdout();
  Subprocess p = start_sh("echo to-err >&2; echo to-out", merged);
  EXPECT_EQ(expect_line(p), "to-err");
  EXPECT_EQ(expect_line(p), "to-out");
  auto r = p.read_line(Stream::kStderr, deadline_in(1s));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "read_line: the child's stderr is not a pipe");
}

TEST(Subprocess, OutputToFileIsAppended) {
  auto file = std::filesystem::temp_directory_path() /
              ("icn_subprocess_out_" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(file);
  for (const char* word : {"first", "second"}) {
    SubprocessOptions o;
    o.stdout_to = OutputTarget::to_file(file);
    o.stderr_to = OutputTarget::discard();
    Subprocess p = start_sh(std::string("echo ") + word + "; echo noise >&2", o);
    EXPECT_TRUE(p.wait_for_exit(deadline_in(10s)).value().success());
  }
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "first\nsecond\n");
  std::filesystem::remove(file);
}

TEST(Subprocess, BackgroundDrainKeepsAChattyChildRunning) {
  // 1 MB is far more than a pipe holds: without the drain the child would block forever.
  Subprocess p = start_sh("head -c 1000000 /dev/zero | tr '\\0' a; echo; echo end");
  p.drain_in_background(Stream::kStdout);
  auto st = p.wait_for_exit(deadline_in(30s));
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->success());
  // Once the exit status is known, the drained output is complete.
  std::string tail = p.output_tail(Stream::kStdout);
  EXPECT_EQ(tail.size(), 64u * 1024);
  EXPECT_EQ(tail.substr(tail.size() - 5), "\nend\n");
  auto r = p.read_line(Stream::kStdout, deadline_in(1s));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "read_line: the child's stdout is being drained");
}

TEST(Subprocess, ChildDiesWithItsParent) {
  // A forked copy of this process spawns a child, then dies without running any destructor (as
  // a crashed test would); the kernel must kill the orphan.
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    SubprocessOptions o;
    o.argv = {"/bin/sleep", "1000"};
    auto child = Subprocess::spawn(o);
    int pid = child ? child->pid() : -1;
    [[maybe_unused]] auto n = ::write(report[1], &pid, sizeof pid);
    ::_exit(0);
  }
  ::close(report[1]);
  int orphan = -1;
  ASSERT_EQ(::read(report[0], &orphan, sizeof orphan), ssize_t(sizeof orphan));
  ::close(report[0]);
  ASSERT_GT(orphan, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(parent, &status, 0), parent);
  auto deadline = deadline_in(10s);
  while (!process_gone(orphan) && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(process_gone(orphan)) << "orphan " << orphan << " survived its parent";
  if (!process_gone(orphan)) ::kill(orphan, SIGKILL);
}

TEST(Subprocess, ProgramsAreFoundInPathAndBadDirectoriesNamed) {
  SubprocessOptions o;
  o.argv = {"sh", "-c", "echo found"};
  Subprocess p = std::move(Subprocess::spawn(o)).value();
  EXPECT_EQ(expect_line(p), "found");
  o.argv = {"no-such-program-icn"};
  auto missing = Subprocess::spawn(o);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot start no-such-program-icn: No such file or directory");
  o.argv = {"/bin/true"};
  o.working_dir = "/nonexistent/dir";
  auto bad_dir = Subprocess::spawn(o);
  ASSERT_FALSE(bad_dir.ok());
  EXPECT_EQ(bad_dir.error().message,
            "cannot start /bin/true in /nonexistent/dir: No such file or directory");
}

TEST(Subprocess, VeryLongLinesComeInPieces) {
  Subprocess p = start_sh("head -c 1500000 /dev/zero | tr '\\0' b; echo; echo short");
  EXPECT_EQ(expect_line(p).size(), 1024u * 1024);
  EXPECT_EQ(expect_line(p).size(), 1500000u - 1024 * 1024);
  EXPECT_EQ(expect_line(p), "short");
}

TEST(Subprocess, MovedFromObjectIsInertAndTargetOwnsTheChild) {
  Subprocess a = start_sh("echo hi; exec sleep 1000");
  int pid = a.pid();
  Subprocess b = std::move(a);
  EXPECT_EQ(b.pid(), pid);
  EXPECT_EQ(expect_line(b), "hi");
  EXPECT_TRUE(b.running());
  b = start_sh("exit 0");  // the first child is terminated by the assignment
  EXPECT_TRUE(process_gone(pid));
  EXPECT_TRUE(b.wait_for_exit(deadline_in(10s)).value().success());
}

}  // namespace
}  // namespace icn::infra
