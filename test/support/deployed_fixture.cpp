// DeployedTest: anvil + `icn deploy` of deploy/genesis/devnet.toml, as an operator would run it.
#include "test/support/deployed_fixture.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "icn/infra/anvil.hpp"
#include "test/support/command.hpp"

namespace icn::test {

namespace fs = std::filesystem;

void DeployedTest::SetUp() {
  AnvilTest::SetUp();
  dir_ =
      fs::temp_directory_path() / ("icn-deployed-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  fs::path deployer_key = key_file(0, "deployer.key");
  CommandResult r = run_command(
      {icn_path(), "deploy", "--rpc", anvil().rpc_url(), "--key-file", deployer_key.string(),
       "--genesis", (fs::path(ICN_SOURCE_DIR) / "deploy/genesis/devnet.toml").string(), "--out",
       (dir_ / "deployment.json").string()},
      std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::ifstream in(dir_ / "deployment.json");
  std::stringstream text;
  text << in.rdbuf();
  auto d = chain::Deployment::parse(text.str());
  ASSERT_TRUE(d.ok()) << d.error().message;
  deployment_ = *d;
}

eth::Contract DeployedTest::bound(const std::string& name) {
  auto artifact = eth::Artifact::load(fs::path(ICN_ARTIFACTS_DIR) / (name + ".json"));
  EXPECT_TRUE(artifact.ok()) << name;
  auto c = eth::Contract::from_artifact(*artifact);
  EXPECT_TRUE(c.ok()) << name;
  return c->at(*deployment_.address_of(name));
}

void DeployedTest::send(const Address& from, const eth::Contract& c, std::string_view fn,
                        std::vector<abi::Value> args) {
  auto data = c.encode_call(fn, args);
  ASSERT_TRUE(data.ok()) << data.error().message;
  auto receipt = send_as(from, c.address(), *data);
  ASSERT_TRUE(receipt.ok()) << fn << ": " << receipt.error().message;
  ASSERT_TRUE(receipt->status) << fn << " reverted";
}

void DeployedTest::TearDown() {
  fs::remove_all(dir_);
  AnvilTest::TearDown();
}

eth::TransactionSender DeployedTest::sender(size_t i) {
  auto key = PrivateKey::from_hex(infra::kAnvilDevPrivateKeys.at(i));
  EXPECT_TRUE(key.ok());
  eth::SenderOptions options;
  options.expected_chain_id = deployment_.chain_id;
  auto s = eth::TransactionSender::create(rpc(), *key, options);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return std::move(s).value();
}

fs::path DeployedTest::key_file(size_t i, const std::string& name) {
  fs::path path = dir_ / name;
  std::ofstream(path) << infra::kAnvilDevPrivateKeys.at(i) << "\n";
  return path;
}

}  // namespace icn::test
