// A real `icn devnet` (every role its own process) for functional tests: start it in a fresh
// temporary directory, wait until it says ready, read its topology and deployment, stop it, and
// read Settlement through icn/chain. Shared by the tests under test/devnet.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "icn/chain/deployment.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/devnet/status.hpp"
#include "icn/devnet/topology.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/infra/subprocess.hpp"

namespace icn::test {

// The counts `icn devnet` is started with (docs/devnet.md); small by default: tests on 2 cores.
struct DevnetCounts {
  unsigned scaler_nodes = 2;
  unsigned hyper_nodes = 2;
  unsigned satellites = 3;
  uint64_t era_blocks = 8;
};

// One devnet per test, in <tmp>/<name>-<pid>; kept after a failure for its logs.
class DevnetTest : public ::testing::Test {
 protected:
  explicit DevnetTest(std::string name = "icn-devnet-functional") : name_(std::move(name)) {}
  void SetUp() override;
  void TearDown() override;

  // `icn devnet --dir D [counts] [--fresh]`; its output goes to D-1.log (fresh) or D-2.log.
  void start(bool fresh, const DevnetCounts& counts = {});
  std::string output(bool fresh);
  // The supervisor's status file once it says "ready" (fails the test at the deadline).
  devnet::DevnetStatus wait_ready(bool fresh, std::chrono::seconds timeout);
  // SIGTERM to the supervisor, which must exit 0 within 90 s.
  void stop_devnet();

  chain::Deployment deployment();
  devnet::Topology topology();

  std::filesystem::path dir_;
  std::optional<infra::Subprocess> devnet_;

 private:
  std::string name_;
};

// Settlement as the roles read it (icn/chain), over a devnet's RPC; failures are test failures.
struct SettlementView {
  eth::RpcClient rpc;
  std::optional<chain::SettlementContract> settlement;

  SettlementView(const std::string& url, const chain::Deployment& d);
  std::optional<uint64_t> last_committed();
  std::pair<Hash, Hash> era_roots(uint64_t era);
};

// Waits until at least `count` eras after `after` (or from the first) are committed; returns the
// last one (0 and a test failure at the deadline).
uint64_t wait_committed(SettlementView& view, std::optional<uint64_t> after, uint64_t count,
                        std::chrono::seconds timeout);

std::string hex_of(const Hash& h);

}  // namespace icn::test
