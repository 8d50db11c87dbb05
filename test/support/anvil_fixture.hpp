// GoogleTest fixture: a fresh anvil on an OS-chosen port for every test, plus an RpcClient on it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/infra/anvil.hpp"

namespace icn::test {

// The pinned anvil binary (tools/evm/node_modules).
std::filesystem::path anvil_binary();
// A contract compiled by the build: ${ICN_ARTIFACTS_DIR}/<name>.json.
std::filesystem::path artifact_path(std::string_view contract_name);
// Dev account i of the default mnemonic.
Address dev_address(size_t i);

class AnvilTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Override to start anvil differently (chain id, block time, no mining…).
  virtual infra::AnvilOptions anvil_options() const;

  infra::Anvil& anvil() { return *anvil_; }
  eth::RpcClient& rpc() { return *rpc_; }

  // evm_snapshot / evm_revert / evm_mine / anvil_mine.
  std::string snapshot();
  void revert_to(const std::string& snapshot_id);
  void mine(uint64_t blocks = 1);
  uint64_t head();

  // eth_sendTransaction from an unlocked dev account (anvil signs), then the mined receipt.
  Result<eth::Receipt> send_as(const Address& from, std::optional<Address> to, const Bytes& data);
  // Polls eth_getTransactionReceipt until it exists or the deadline passes.
  Result<eth::Receipt> wait_receipt(const Hash& tx_hash,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::optional<infra::Anvil> anvil_;
  std::unique_ptr<eth::RpcClient> rpc_;
};

}  // namespace icn::test
