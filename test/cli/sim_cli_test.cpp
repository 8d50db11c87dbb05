// `icn sim` as a person runs it: a small network for two eras, JSON figures whose counts agree
// with the parameters (no chain needed: the satellite runs over an in-memory registry).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "test/support/command.hpp"

namespace icn::test {
namespace {

TEST(SimCli, TwentyNodesFourHyperNodesTwoErasReportConsistentCounts) {
  auto dir = std::filesystem::temp_directory_path() / ("icn-sim-cli-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  CommandResult r = run_command(
      {icn_path(), "sim", "--scalernodes", "20", "--hypernodes", "4", "--eras", "2", "--json",
       "--cache-dir", (dir / "cache").string(), "--work-dir", (dir / "work").string()},
      std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["scalerNodes"], 20);
  EXPECT_EQ(j["hyperNodes"], 4);
  ASSERT_EQ(j["eras"].size(), 2u);
  for (const auto& e : j["eras"]) {
    EXPECT_EQ(e["batches"], 24);
    EXPECT_EQ(e["accepted"], 24);
    EXPECT_EQ(e["rejected"], 0);
    EXPECT_EQ(e["challenges"], 80);
    EXPECT_EQ(e["up"], 20);
    EXPECT_EQ(e["down"], 0);
    EXPECT_TRUE(e["hasVerdict"].get<bool>());
  }
  EXPECT_EQ(j["batches"], 48);
  EXPECT_EQ(j["challenges"], 160);
  EXPECT_EQ(j["signatureChecks"], 48);  // every batch once, at ingest (the verdict trusts them)
  EXPECT_GT(j["satelliteSeconds"].get<double>(), 0);
  EXPECT_GT(j["keccak64PerSecond"].get<double>(), 0);
  EXPECT_GT(j["recoverPerSecond"].get<double>(), 0);

  // The second run finds both eras in the cache and computes the same roots.
  CommandResult again = run_command(
      {icn_path(), "sim", "--scalernodes", "20", "--hypernodes", "4", "--eras", "2", "--json",
       "--cache-dir", (dir / "cache").string(), "--work-dir", (dir / "work").string()},
      std::chrono::seconds(120));
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  auto k = nlohmann::json::parse(again.out);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(k["eras"][i]["fromCache"].get<bool>());
    EXPECT_EQ(k["eras"][i]["resultsRoot"], j["eras"][i]["resultsRoot"]);
    EXPECT_EQ(k["eras"][i]["dataRoot"], j["eras"][i]["dataRoot"]);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace icn::test
