// Sending EIP-1559 transactions for one account: client-side nonces, fee and gas policy, receipt
// waiting, readable revert reasons, and a guard against talking to the wrong chain.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "icn/core/abi_events.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/transaction.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"

namespace icn::eth {

using Deadline = std::chrono::steady_clock::time_point;

// Revert data as text, through abi::decode_revert: the Error(string) message, "panic 0x11
// (arithmetic overflow or underflow)", a custom error of `custom_errors` as
// "Refused(code=7, who=0x…)" (OpenZeppelin's ERC-20/721, access and pause errors are always
// known), else "unknown error 0x18ff0ee4 (64 bytes of data): 0x…".
std::string describe_revert(ByteView revert_data,
                            const std::vector<abi::ErrorAbi>& custom_errors = {});

struct FeePolicy {
  // maxFeePerGas = base_fee_multiplier × latest base fee + tip: room for several blocks of
  // rising base fees; only base fee + tip is paid.
  unsigned base_fee_multiplier = 2;
  // tip = eth_maxPriorityFeePerGas, at least this (0.001 gwei: Base's usual minimum) …
  U256 min_priority_fee = 1'000'000;
  std::optional<U256> max_priority_fee;  // … and at most this, if set
  // Refuse to send when maxFeePerGas would exceed this (a fee spike or a misreporting node).
  std::optional<U256> max_fee_cap;
  // Fees are re-read at most this often (each read costs two requests).
  std::chrono::milliseconds refresh{1000};
};

struct GasPolicy {
  // gas limit = estimate × percent / 100 + extra.
  unsigned percent = 120;
  uint64_t extra = 10'000;
  uint64_t max_limit = 30'000'000;  // never above a block's worth
};

struct SenderOptions {
  uint64_t expected_chain_id = 0;  // required: the sender refuses any other chain
  FeePolicy fees;
  GasPolicy gas;
  // Receipt polling starts at the minimum interval and doubles up to the maximum.
  std::chrono::milliseconds receipt_poll_min{5};
  std::chrono::milliseconds receipt_poll_max{500};
  unsigned max_nonce_resyncs = 3;  // per send, after "nonce too low"
  // Custom errors of the contracts this account talks to, for revert reasons.
  std::vector<abi::ErrorAbi> custom_errors;
};

// Per-send overrides.
struct SendOptions {
  std::optional<uint64_t> gas_limit;  // skip estimation (also lets a reverting call be mined)
  std::optional<U256> max_fee_per_gas;
  std::optional<U256> max_priority_fee_per_gas;
  // More custom errors for this send's revert reason (e.g. the called contract's).
  std::vector<abi::ErrorAbi> custom_errors;
};

struct SendResult {
  Hash tx_hash{};
  uint64_t nonce = 0;
  uint64_t gas_limit = 0;
  U256 max_fee_per_gas = 0;
  U256 max_priority_fee_per_gas = 0;
};

// One account's transactions. Thread-safe: sends are serialized (nonce order); waiting for
// receipts is not, so several threads can wait at once.
class TransactionSender {
 public:
  // Checks the chain id ("wrong chain: expected 31337, RPC reports 1") and reads the account's
  // pending nonce once; from then on nonces are counted here.
  static Result<TransactionSender> create(RpcClient& rpc, const PrivateKey& key,
                                          SenderOptions options);

  const Address& address() const { return address_; }
  uint64_t next_nonce() const;

  // Signs and submits; returns once the node accepted it (not mined). Errors: a failed estimate
  // becomes "transaction reverted: <reason>" (nothing sent, no nonce used).
  Result<SendResult> send(std::optional<Address> to, ByteView data, const U256& value = 0,
                          const SendOptions& options = {});
  // send, then the receipt; a reverted receipt is "transaction reverted: <reason> (tx 0x…)".
  Result<Receipt> send_and_wait(std::optional<Address> to, ByteView data, const U256& value,
                                Deadline deadline, const SendOptions& options = {});
  // Polls for the receipt until the deadline: "no receipt for 0x… within 5000 ms".
  Result<Receipt> wait_for_receipt(const Hash& tx_hash, Deadline deadline);
  // Deploys bytecode ++ constructor_args (ABI-encoded) and returns the contract's address.
  Result<Address> deploy(ByteView bytecode, ByteView constructor_args, Deadline deadline,
                         const SendOptions& options = {});
  // Re-reads the pending nonce (after a restart of the node, or transactions sent elsewhere).
  Status resync_nonce();

 private:
  struct Fees {
    U256 max_fee = 0;
    U256 tip = 0;
  };
  TransactionSender(RpcClient& rpc, const PrivateKey& key, Address address, SenderOptions options,
                    uint64_t nonce);
  Result<Fees> current_fees();
  Result<uint64_t> gas_limit_for(const CallRequest& call);
  Status resync_locked();
  // Re-runs a mined, reverted transaction as eth_call at its block to learn why it reverted.
  std::string revert_reason_of(const Receipt& receipt, const std::vector<abi::ErrorAbi>& errors);
  // "transaction reverted: …" when an estimate failed because the call reverts.
  std::optional<Error> as_revert(const Error& e, const std::vector<abi::ErrorAbi>& errors) const;
  // The sender's custom errors plus a send's own.
  std::vector<abi::ErrorAbi> errors_for(const SendOptions& options) const;

  RpcClient* rpc_;
  PrivateKey key_;
  Address address_;
  SenderOptions options_;
  std::unique_ptr<std::mutex> mu_;
  uint64_t nonce_ = 0;
  bool nonce_uncertain_ = false;  // a send failed in transport: the node may have it
  std::optional<Fees> fees_;
  std::chrono::steady_clock::time_point fees_read_at_{};
};

}  // namespace icn::eth
