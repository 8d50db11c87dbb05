// GoogleTest fixture: a fresh anvil with the devnet genesis deployed by `icn deploy`, a scratch
// directory holding deployment.json and key files, and senders for the dev accounts.
#pragma once

#include <filesystem>
#include <string>

#include "icn/chain/deployment.hpp"
#include "icn/eth/sender.hpp"
#include "test/support/anvil_fixture.hpp"

namespace icn::test {

class DeployedTest : public AnvilTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A sender for dev account i (its nonce read now).
  eth::TransactionSender sender(size_t i);
  // Writes dev account i's private key to <dir>/<name> and returns the path.
  std::filesystem::path key_file(size_t i, const std::string& name);

  std::filesystem::path dir_;  // scratch: deployment.json, deployer.key, …
  chain::Deployment deployment_;
};

}  // namespace icn::test
