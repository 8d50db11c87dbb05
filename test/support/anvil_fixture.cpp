// AnvilTest: starts and stops anvil per test; helpers for anvil's own RPC methods.
#include "test/support/anvil_fixture.hpp"

#include <thread>

namespace icn::test {

std::filesystem::path anvil_binary() {
  return std::filesystem::path(ICN_EVM_TOOLS) / "@foundry-rs/anvil-linux-amd64/bin/anvil";
}

std::filesystem::path artifact_path(std::string_view contract_name) {
  return std::filesystem::path(ICN_ARTIFACTS_DIR) / (std::string(contract_name) + ".json");
}

Address dev_address(size_t i) {
  return Address::parse(infra::kAnvilDevAddresses.at(i)).value();
}

infra::AnvilOptions AnvilTest::anvil_options() const {
  infra::AnvilOptions o;
  o.binary = anvil_binary();
  return o;
}

void AnvilTest::SetUp() {
  auto started = infra::Anvil::start(anvil_options());
  ASSERT_TRUE(started.ok()) << started.error().message;
  anvil_.emplace(std::move(started).value());
  eth::RpcClientOptions o;
  o.request_timeout = std::chrono::seconds(30);
  rpc_ = std::make_unique<eth::RpcClient>(anvil_->rpc_url(), o);
}

void AnvilTest::TearDown() {
  rpc_.reset();
  if (anvil_) {
    if (HasFailure()) {
      // The tail of anvil's log (its RPC method trace) usually explains a failed test.
      std::string tail = anvil_->output_tail();
      if (tail.size() > 4000) tail = tail.substr(tail.size() - 4000);
      std::cerr << "---- anvil output (tail) ----\n" << tail << "\n----\n";
    }
    anvil_->stop();
  }
}

std::string AnvilTest::snapshot() {
  auto id = rpc().call("evm_snapshot");
  EXPECT_TRUE(id.ok()) << id.error().message;
  return id ? id->get<std::string>() : std::string();
}

void AnvilTest::revert_to(const std::string& snapshot_id) {
  auto ok = rpc().call("evm_revert", eth::json::array({snapshot_id}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(*ok, true);
}

void AnvilTest::mine(uint64_t blocks) {
  auto r = rpc().call("anvil_mine", eth::json::array({to_hex_quantity(blocks)}));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

uint64_t AnvilTest::head() {
  auto n = eth::block_number(rpc());
  EXPECT_TRUE(n.ok()) << n.error().message;
  return n.value_or(0);
}

Result<eth::Receipt> AnvilTest::send_as(const Address& from, std::optional<Address> to,
                                        const Bytes& data) {
  eth::json tx = {{"from", from.lower_hex()}, {"input", to_hex(data)}};
  if (to) tx["to"] = to->lower_hex();
  ICN_TRY(eth::json hash_json, rpc().call("eth_sendTransaction", eth::json::array({tx})));
  ICN_TRY(Hash hash, eth::parse_hash(hash_json));
  return wait_receipt(hash);
}

Result<eth::Receipt> AnvilTest::wait_receipt(const Hash& tx_hash,
                                             std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    ICN_TRY(std::optional<eth::Receipt> receipt, eth::get_transaction_receipt(rpc(), tx_hash));
    if (receipt) return std::move(*receipt);
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail("no receipt for " + to_hex(tx_hash) + " within " +
                  std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace icn::test
