// `icn contract deploy | send | call` against a real anvil: the path `make run` and operators use.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test/support/anvil_fixture.hpp"
#include "test/support/command.hpp"

namespace icn::test {
namespace {

class ContractCli : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    key_file_ = std::filesystem::temp_directory_path() /
                ("icn-cli-key-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::ofstream(key_file_) << infra::kAnvilDevPrivateKeys[1] << "\n";
  }
  void TearDown() override {
    std::filesystem::remove(key_file_);
    AnvilTest::TearDown();
  }
  CommandResult icn(std::vector<std::string> args) {
    args.insert(args.begin(), icn_path());
    return run_command(args);
  }
  std::string emitter() { return artifact_path("Emitter").string(); }
  std::filesystem::path key_file_;
};

TEST_F(ContractCli, DeploySendCallAndReadableRevert) {
  CommandResult deployed = icn({"contract", "deploy", "--rpc", anvil().rpc_url(),
                                "--private-key-file", key_file_.string(), emitter()});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.describe();
  std::string address = trimmed(deployed.out);
  ASSERT_TRUE(Address::parse(address).ok()) << address;

  for (const char* by : {"5", "0x25"}) {
    CommandResult sent =
        icn({"contract", "send", "--rpc", anvil().rpc_url(), "--private-key-file",
             key_file_.string(), "--artifact", emitter(), "--address", address, "bump", by});
    ASSERT_EQ(sent.exit_code, 0) << sent.describe();
    EXPECT_TRUE(sent.out.starts_with("0x")) << sent.out;
  }
  CommandResult value = icn({"contract", "call", "--rpc", anvil().rpc_url(), "--artifact",
                             emitter(), "--address", address, "value"});
  ASSERT_EQ(value.exit_code, 0) << value.describe();
  EXPECT_EQ(trimmed(value.out), "42");

  CommandResult refused =
      icn({"contract", "send", "--rpc", anvil().rpc_url(), "--private-key-file", key_file_.string(),
           "--artifact", emitter(), "--address", address, "failCustom", "7"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(refused.out.empty());
  EXPECT_NE(refused.err.find("Refused(code=7"), std::string::npos) << refused.err;

  CommandResult bad_arg =
      icn({"contract", "send", "--rpc", anvil().rpc_url(), "--private-key-file", key_file_.string(),
           "--artifact", emitter(), "--address", address, "bump", "-1"});
  EXPECT_EQ(bad_arg.exit_code, 1);
  EXPECT_NE(bad_arg.err.find("argument 1 (uint256)"), std::string::npos) << bad_arg.err;
}

TEST_F(ContractCli, UnreachableRpcIsAClearError) {
  CommandResult r = icn({"contract", "deploy", "--rpc", "http://127.0.0.1:1", "--private-key-file",
                         key_file_.string(), emitter()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace icn::test
