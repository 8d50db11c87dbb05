// GoogleTest fixture: a fresh anvil with the devnet genesis deployed by `icn deploy`, a scratch
// directory holding deployment.json and key files, and senders for the dev accounts.
#pragma once

#include <filesystem>
#include <string>

#include "icn/chain/deployment.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/sender.hpp"
#include "test/support/anvil_fixture.hpp"

namespace icn::test {

class DeployedTest : public AnvilTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A sender for dev account i (its nonce read now).
  eth::TransactionSender sender(size_t i);
  // A deployed contract by its deployment name, bound with its artifact's ABI.
  eth::Contract bound(const std::string& name);
  // fn(args) on `c` from an unlocked dev account; fails the test on an error or a revert.
  void send(const Address& from, const eth::Contract& c, std::string_view fn,
            std::vector<abi::Value> args);
  // Writes dev account i's private key to <dir>/<name> and returns the path.
  std::filesystem::path key_file(size_t i, const std::string& name);

  std::filesystem::path dir_;  // scratch: deployment.json, deployer.key, …
  chain::Deployment deployment_;
};

}  // namespace icn::test
