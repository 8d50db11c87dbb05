// `icn util merkle-root` against OpenZeppelin's merkle-tree package (the format the contracts'
// MerkleProof checks) on generated trees: same root, same proof for every value asked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "icn/core/u256.hpp"
#include "test/support/command.hpp"
#include "test/support/random_inputs.hpp"

namespace icn::test {
namespace {

constexpr int kTrees = 300;

const char* kLeafTypes[] = {"address", "uint256", "bytes32", "string",   "bool",
                            "uint8",   "bytes",   "int64",   "uint256[]"};

nlohmann::json random_json_value(Rng& rng, const std::string& type) {
  if (type == "uint256[]") {
    nlohmann::json a = nlohmann::json::array();
    for (size_t i = rng.below(4); i > 0; --i) a.push_back(random_uint_decimal(rng, 256));
    return a;
  }
  if (type == "bool") return rng.chance(50);
  if (type == "uint256") return random_uint_decimal(rng, 256);
  if (type == "uint8") return random_uint_decimal(rng, 8);
  if (type == "int64") {
    std::string magnitude = random_uint_decimal(rng, 63);
    return (rng.chance(50) && magnitude != "0") ? "-" + magnitude : magnitude;
  }
  return random_abi_value(rng, type);  // address, bytes32, bytes, string as text
}

TEST(OzMerkleConformance, RootsAndProofs) {
  Rng rng(5);
  nlohmann::json trees = nlohmann::json::array();
  for (int t = 0; t < kTrees; ++t) {
    nlohmann::json types = nlohmann::json::array();
    for (size_t i = 1 + rng.below(3); i > 0; --i) types.push_back(kLeafTypes[rng.below(9)]);
    nlohmann::json values = nlohmann::json::array();
    size_t leaves = 1 + rng.below(t % 10 == 0 ? 60 : 9);
    for (size_t l = 0; l < leaves; ++l) {
      nlohmann::json row = nlohmann::json::array();
      for (const auto& type : types) row.push_back(random_json_value(rng, type));
      values.push_back(row);
    }
    trees.push_back({{"types", types}, {"values", values}});
  }

  auto dir = std::filesystem::temp_directory_path() / ("icn-merkle-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in.json") << trees.dump();
  CommandResult reference =
      run_command({"env", "ICN_EVM_TOOLS=" + evm_tools_dir(), node_path(),
                   std::string(ICN_SOURCE_DIR) + "/test/conformance/oz_merkle.js",
                   (dir / "in.json").string(), (dir / "out.json").string()});
  ASSERT_EQ(reference.exit_code, 0) << reference.describe();
  std::ifstream out_file(dir / "out.json");
  nlohmann::json expected = nlohmann::json::parse(out_file);
  ASSERT_EQ(expected.size(), trees.size());

  for (int t = 0; t < kTrees; ++t) {
    auto file = (dir / ("tree" + std::to_string(t) + ".json")).string();
    std::ofstream(file) << trees[t].dump();
    CommandResult root = run_command({icn_path(), "util", "merkle-root", file});
    ASSERT_EQ(root.exit_code, 0) << trees[t].dump() << "\n" << root.describe();
    ASSERT_EQ(trimmed(root.out), expected[t]["root"].get<std::string>()) << trees[t].dump();

    // The first and last value and one in between (leaf order differs from value order).
    size_t n = trees[t]["values"].size();
    for (size_t index : {size_t(0), n / 2, n - 1}) {
      CommandResult proof =
          run_command({icn_path(), "util", "merkle-root", file, "--proof", std::to_string(index)});
      ASSERT_EQ(proof.exit_code, 0) << proof.describe();
      std::string want;
      for (const auto& element : expected[t]["proofs"][index])
        want += element.get<std::string>() + "\n";
      ASSERT_EQ(proof.out, want) << "tree " << t << " index " << index;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(OzMerkleConformance, RejectsBadInput) {
  auto dir =
      std::filesystem::temp_directory_path() / ("icn-merkle-bad-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  struct Case {
    std::string json, reason;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"types":["uint256"],"values":[]})", "no leaves"},
           {R"({"types":["uint8"],"values":[["256"]]})", "uint8"},
           {R"({"types":["address"],"values":[["0x12"]]})", "address"},
           {R"({"types":["uint256"],"values":[["1","2"]]})", "values"},
           {R"({"types":["uint256"]})", "values"},
           {R"({"types":["uint257"],"values":[["1"]]})", "uint257"},
           {R"(not json)", "JSON"},
       }) {
    auto file = (dir / "bad.json").string();
    std::ofstream(file) << c.json;
    CommandResult r = run_command({icn_path(), "util", "merkle-root", file});
    EXPECT_EQ(r.exit_code, 1) << c.json;
    EXPECT_TRUE(r.out.empty()) << c.json;
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << c.json << " → " << r.err;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace icn::test
