// DevnetTest and the Settlement helpers of the devnet functional tests (devnet_fixture.hpp).
#include "test/support/devnet_fixture.hpp"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include "icn/infra/files.hpp"
#include "test/support/command.hpp"

namespace icn::test {

namespace fs = std::filesystem;
using std::chrono::seconds;

void DevnetTest::SetUp() {
  dir_ = fs::temp_directory_path() / (name_ + "-" + std::to_string(::getpid()));
  fs::remove_all(dir_);
}

void DevnetTest::TearDown() {
  if (devnet_) devnet_->terminate(std::chrono::milliseconds(30000));
  if (!HasFailure()) fs::remove_all(dir_);  // kept for the logs otherwise
}

void DevnetTest::start(bool fresh, const DevnetCounts& counts) {
  std::vector<std::string> argv = {icn_path(),      "devnet",
                                   "--dir",         dir_.string(),
                                   "--scalernodes", std::to_string(counts.scaler_nodes),
                                   "--hypernodes",  std::to_string(counts.hyper_nodes),
                                   "--satellites",  std::to_string(counts.satellites),
                                   "--era-blocks",  std::to_string(counts.era_blocks)};
  if (fresh) argv.push_back("--fresh");
  infra::SubprocessOptions o;
  o.argv = argv;
  o.stdout_to = infra::OutputTarget::to_file(dir_.string() + (fresh ? "-1.log" : "-2.log"));
  o.stderr_to = infra::OutputTarget::into_stdout();
  auto p = infra::Subprocess::spawn(o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  devnet_.emplace(std::move(p).value());
}

std::string DevnetTest::output(bool fresh) {
  auto text = infra::read_file(dir_.string() + (fresh ? "-1.log" : "-2.log"));
  return text ? *text : "";
}

devnet::DevnetStatus DevnetTest::wait_ready(bool fresh, seconds timeout) {
  infra::Deadline deadline = infra::deadline_in(timeout);
  while (infra::SteadyClock::now() < deadline) {
    if (auto exited = devnet_->try_wait()) {
      ADD_FAILURE() << "icn devnet exited: " << exited->describe() << "\n" << output(fresh);
      return {};
    }
    auto s = devnet::read_status(dir_);
    if (s.ok() && s->has_value() && (*s)->state == "ready") return **s;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "no \"ready\" within " << timeout.count() << " s\n" << output(fresh);
  return {};
}

void DevnetTest::stop_devnet() {
  ASSERT_EQ(::kill(devnet_->pid(), SIGTERM), 0);
  auto st = devnet_->wait_for_exit(infra::deadline_in(seconds(90)));
  ASSERT_TRUE(st.has_value()) << "icn devnet did not stop within 90 s";
  EXPECT_TRUE(st->success()) << st->describe();
  devnet_.reset();
}

chain::Deployment DevnetTest::deployment() {
  auto text = infra::read_file(dir_ / "deployment.json");
  EXPECT_TRUE(text.ok());
  auto d = chain::Deployment::parse(text.ok() ? *text : "");
  EXPECT_TRUE(d.ok()) << d.error().message;
  return d.ok() ? *d : chain::Deployment{};
}

devnet::Topology DevnetTest::topology() {
  auto text = infra::read_file(dir_ / "devnet.json");
  EXPECT_TRUE(text.ok());
  auto t = devnet::Topology::parse(text.ok() ? *text : "");
  EXPECT_TRUE(t.ok()) << t.error().message;
  return t.ok() ? *t : devnet::Topology{};
}

SettlementView::SettlementView(const std::string& url, const chain::Deployment& d) : rpc(url) {
  auto s = chain::SettlementContract::open(rpc, d, ICN_ARTIFACTS_DIR);
  EXPECT_TRUE(s.ok()) << s.error().message;
  if (s.ok()) settlement.emplace(std::move(s).value());
}

std::optional<uint64_t> SettlementView::last_committed() {
  auto r = settlement->last_committed_era();
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::nullopt;
}

std::pair<Hash, Hash> SettlementView::era_roots(uint64_t era) {
  auto r = settlement->era_roots(era);
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (!r.ok()) return {};
  return {r->results_root, r->data_root};
}

uint64_t wait_committed(SettlementView& view, std::optional<uint64_t> after, uint64_t count,
                        seconds timeout) {
  infra::Deadline deadline = infra::deadline_in(timeout);
  while (infra::SteadyClock::now() < deadline) {
    auto last = view.last_committed();
    if (last && (after ? *last >= *after + count : *last + 1 >= count)) return *last;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ADD_FAILURE() << "fewer than " << count << " eras committed within " << timeout.count() << " s";
  return 0;
}

std::string hex_of(const Hash& h) {
  return to_hex(ByteView(h.data(), h.size()));
}

}  // namespace icn::test
