// TransactionSender: nonces counted locally, fees from the latest base fee, estimates with a
// margin, and reverts explained through the revert data.
#include "icn/eth/sender.hpp"

#include <algorithm>
#include <thread>

namespace icn::eth {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(uint8_t(c)));
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Printable form of a revert string (a contract's text is outside input too).
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (uint8_t(c) >= 0x20 && c != 0x7f) {
      out += c;
    } else {
      out += '?';
    }
  }
  return out;
}

// OpenZeppelin's errors that a call can bubble up from a contract whose ABI the caller did not
// pass (an ICNT transfer inside a claim, an ERC-721 check inside a stake), so the operator reads
// "ERC20InsufficientBalance(sender=0x…, balance=5, needed=7)" rather than a bare selector.
const std::vector<abi::ErrorAbi>& well_known_errors() {
  static const std::vector<abi::ErrorAbi> errors = [] {
    std::vector<abi::ErrorAbi> out;
    for (std::string_view signature : {
             "ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
             "ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
             "ERC20InvalidSender(address sender)",
             "ERC20InvalidReceiver(address receiver)",
             "ERC20InvalidApprover(address approver)",
             "ERC20InvalidSpender(address spender)",
             "ERC2612ExpiredSignature(uint256 deadline)",
             "ERC2612InvalidSigner(address signer, address owner)",
             "ERC721NonexistentToken(uint256 tokenId)",
             "ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)",
             "ERC721InsufficientApproval(address operator, uint256 tokenId)",
             "ERC721InvalidReceiver(address receiver)",
             "SafeERC20FailedOperation(address token)",
             "AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
             "OwnableUnauthorizedAccount(address account)",
             "ReentrancyGuardReentrantCall()",
             "EnforcedPause()",
             "ExpectedPause()",
         }) {
      out.push_back(abi::ErrorAbi::from_signature(signature).value());
    }
    return out;
  }();
  return errors;
}

}  // namespace

std::string describe_revert(ByteView data, const std::vector<abi::ErrorAbi>& custom_errors) {
  std::vector<abi::ErrorAbi> errors = custom_errors;
  errors.insert(errors.end(), well_known_errors().begin(), well_known_errors().end());
  auto reason = abi::decode_revert(data, errors);
  if (!reason) return "malformed revert data " + to_hex(data) + " (" + reason.error().message + ")";
  if (reason->kind == abi::RevertReason::Kind::kError && reason->text.empty()) return "Error(\"\")";
  std::string text = printable(reason->text);
  if (reason->kind == abi::RevertReason::Kind::kUnknown && data.size() > 4) {
    text += ": " + to_hex(data.subspan(4));
  }
  return text;
}

TransactionSender::TransactionSender(RpcClient& rpc, const PrivateKey& key, Address address,
                                     SenderOptions options, uint64_t nonce)
    : rpc_(&rpc),
      key_(key),
      address_(address),
      options_(std::move(options)),
      mu_(std::make_unique<std::mutex>()),
      nonce_(nonce) {}

Result<TransactionSender> TransactionSender::create(RpcClient& rpc, const PrivateKey& key,
                                                    SenderOptions options) {
  if (options.expected_chain_id == 0) return fail("sender: no expected chain id given");
  ICN_TRY_CTX(uint64_t chain, chain_id(rpc), "sender");
  if (chain != options.expected_chain_id) {
    return fail("wrong chain: expected " + std::to_string(options.expected_chain_id) +
                ", RPC reports " + std::to_string(chain));
  }
  Address address = key.address();
  ICN_TRY_CTX(uint64_t nonce, get_transaction_count(rpc, address, BlockRef::pending()), "sender");
  return TransactionSender(rpc, key, address, std::move(options), nonce);
}

uint64_t TransactionSender::next_nonce() const {
  std::lock_guard lock(*mu_);
  return nonce_;
}

Status TransactionSender::resync_nonce() {
  std::lock_guard lock(*mu_);
  return resync_locked();
}

Status TransactionSender::resync_locked() {
  ICN_TRY_CTX(uint64_t chain, chain_id(*rpc_), "resync nonce");
  if (chain != options_.expected_chain_id) {
    return fail("wrong chain: expected " + std::to_string(options_.expected_chain_id) +
                ", RPC reports " + std::to_string(chain));
  }
  ICN_TRY_CTX(nonce_, get_transaction_count(*rpc_, address_, BlockRef::pending()), "resync nonce");
  nonce_uncertain_ = false;
  return {};
}

Result<TransactionSender::Fees> TransactionSender::current_fees() {
  auto now = std::chrono::steady_clock::now();
  if (fees_ && now - fees_read_at_ < options_.fees.refresh) return *fees_;
  ICN_TRY(std::optional<BlockHeader> latest, get_block(*rpc_, BlockRef::latest()));
  if (!latest) return fail("fees: the node has no latest block");
  if (!latest->base_fee) {
    return fail("fees: block " + std::to_string(latest->number) +
                " has no base fee (pre-London chain): EIP-1559 transactions are not possible");
  }
  U256 tip = options_.fees.min_priority_fee;
  auto suggested = max_priority_fee(*rpc_);
  if (suggested) {
    tip = std::max(tip, *suggested);
  } else {
    auto e = find_rpc_error(suggested.error());
    if (!e || e->code != -32601) return std::move(suggested).error().context("fees");
    // The node does not offer eth_maxPriorityFeePerGas: the floor it is.
  }
  if (options_.fees.max_priority_fee) tip = std::min(tip, *options_.fees.max_priority_fee);
  auto scaled = checked_mul(*latest->base_fee, U256(options_.fees.base_fee_multiplier));
  auto max_fee = scaled ? checked_add(*scaled, tip) : std::nullopt;
  if (!max_fee) return fail("fees: base fee " + to_decimal(*latest->base_fee) + " overflows");
  fees_ = Fees{*max_fee, tip};
  fees_read_at_ = now;
  return *fees_;
}

Result<uint64_t> TransactionSender::gas_limit_for(const CallRequest& call) {
  ICN_TRY(uint64_t estimate, estimate_gas(*rpc_, call));
  U256 limit = U256(estimate) * options_.gas.percent / 100 + options_.gas.extra;
  if (estimate > options_.gas.max_limit) {
    return fail("gas estimate " + std::to_string(estimate) + " exceeds the limit " +
                std::to_string(options_.gas.max_limit));
  }
  return uint64_t(std::min(limit, U256(options_.gas.max_limit)));
}

std::vector<abi::ErrorAbi> TransactionSender::errors_for(const SendOptions& options) const {
  std::vector<abi::ErrorAbi> out = options.custom_errors;
  out.insert(out.end(), options_.custom_errors.begin(), options_.custom_errors.end());
  return out;
}

std::optional<Error> TransactionSender::as_revert(const Error& e,
                                                  const std::vector<abi::ErrorAbi>& errors) const {
  auto rpc_error = find_rpc_error(e);
  if (!rpc_error) return std::nullopt;
  if (auto data = rpc_error->revert_data()) {
    return fail("transaction reverted: " + describe_revert(*data, errors));
  }
  if (contains(lower(rpc_error->message), "revert")) {
    return fail("transaction reverted: " + rpc_error->message);
  }
  return std::nullopt;
}

Result<SendResult> TransactionSender::send(std::optional<Address> to, ByteView data,
                                           const U256& value, const SendOptions& options) {
  std::lock_guard lock(*mu_);
  if (nonce_uncertain_) ICN_CHECK(resync_locked());

  SendResult result;
  if (options.gas_limit) {
    result.gas_limit = *options.gas_limit;
  } else {
    CallRequest call;
    call.from = address_;
    call.to = to;
    call.data = to_bytes(data);
    call.value = value;
    auto limit = gas_limit_for(call);
    if (!limit) {
      if (auto revert = as_revert(limit.error(), errors_for(options))) return *revert;
      return std::move(limit).error().context("estimate gas");
    }
    result.gas_limit = *limit;
  }
  if (options.max_fee_per_gas && options.max_priority_fee_per_gas) {
    result.max_fee_per_gas = *options.max_fee_per_gas;
    result.max_priority_fee_per_gas = *options.max_priority_fee_per_gas;
  } else {
    ICN_TRY(Fees fees, current_fees());
    result.max_fee_per_gas = options.max_fee_per_gas.value_or(fees.max_fee);
    result.max_priority_fee_per_gas = options.max_priority_fee_per_gas.value_or(fees.tip);
  }
  // A node rejects a tip above the fee cap; the cap is what the sender asked to pay at most.
  result.max_priority_fee_per_gas =
      std::min(result.max_priority_fee_per_gas, result.max_fee_per_gas);
  if (options_.fees.max_fee_cap && result.max_fee_per_gas > *options_.fees.max_fee_cap) {
    return fail("max fee per gas " + to_decimal(result.max_fee_per_gas) + " exceeds the cap " +
                to_decimal(*options_.fees.max_fee_cap));
  }

  for (unsigned resyncs = 0;; ++resyncs) {
    Eip1559Tx tx;
    tx.chain_id = options_.expected_chain_id;
    tx.nonce = nonce_;
    tx.max_priority_fee_per_gas = result.max_priority_fee_per_gas;
    tx.max_fee_per_gas = result.max_fee_per_gas;
    tx.gas_limit = result.gas_limit;
    tx.to = to;
    tx.value = value;
    tx.data = to_bytes(data);
    SignedTx signed_tx = sign(tx, key_);
    result.tx_hash = signed_tx.hash;
    result.nonce = nonce_;

    auto sent = send_raw_transaction(*rpc_, signed_tx.raw);
    if (sent) {
      ++nonce_;
      if (*sent != signed_tx.hash) {
        return fail("send transaction: node returned hash " + to_hex(*sent) + " for " +
                    to_hex(signed_tx.hash));
      }
      return result;
    }
    auto rpc_error = find_rpc_error(sent.error());
    if (!rpc_error) {
      // Transport failure or garbled answer: the node may have the transaction. Count nothing
      // and read the pending nonce again before the next send.
      nonce_uncertain_ = true;
      return std::move(sent).error().context("send transaction");
    }
    std::string m = lower(rpc_error->message);
    if (contains(m, "already known") || contains(m, "already imported") ||
        contains(m, "known transaction")) {
      ++nonce_;  // the very same signed bytes are in the pool (e.g. a retried request)
      return result;
    }
    bool stale_nonce = contains(m, "nonce too low") || contains(m, "underpriced");
    if (stale_nonce && resyncs < options_.max_nonce_resyncs) {
      ICN_CHECK(resync_locked());
      continue;
    }
    return std::move(sent).error().context("send transaction");
  }
}

Result<Receipt> TransactionSender::wait_for_receipt(const Hash& tx_hash, Deadline deadline) {
  auto start = std::chrono::steady_clock::now();
  auto interval = options_.receipt_poll_min;
  while (true) {
    ICN_TRY(std::optional<Receipt> receipt, get_transaction_receipt(*rpc_, tx_hash));
    if (receipt) return std::move(*receipt);
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
      return fail("no receipt for " + to_hex(tx_hash) + " within " +
                  std::to_string(waited.count()) + " ms");
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(interval, deadline - now));
    interval = std::min(interval * 2, options_.receipt_poll_max);
  }
}

std::string TransactionSender::revert_reason_of(const Receipt& receipt,
                                                const std::vector<abi::ErrorAbi>& errors) {
  auto tx = rpc_->call("eth_getTransactionByHash", json::array({to_hex(receipt.tx_hash)}));
  if (!tx || !tx->is_object()) return "reason unknown (cannot read the transaction back)";
  CallRequest call;
  call.from = address_;
  call.to = receipt.to;
  auto input = tx->find("input");
  auto gas = tx->find("gas");
  auto value = tx->find("value");
  if (input == tx->end() || gas == tx->end() || value == tx->end()) {
    return "reason unknown (the node's transaction lacks input, gas or value)";
  }
  auto data = parse_data(*input);
  auto gas_limit = parse_quantity_u64(*gas);
  auto amount = parse_quantity(*value);
  if (!data || !gas_limit || !amount) return "reason unknown (the node's transaction is malformed)";
  call.data = std::move(data).value();
  call.gas = *gas_limit;
  call.value = *amount;
  if (receipt.gas_used == *gas_limit)
    return "out of gas (used all " + std::to_string(*gas_limit) + ")";
  auto replay = eth_call(*rpc_, call, BlockRef::number(receipt.block_number));
  if (replay) {
    return "reason unknown (the call does not revert when replayed at block " +
           std::to_string(receipt.block_number) + ")";
  }
  auto rpc_error = find_rpc_error(replay.error());
  if (!rpc_error) return "reason unknown (" + replay.error().message + ")";
  if (auto revert = rpc_error->revert_data()) return describe_revert(*revert, errors);
  return rpc_error->message;
}

Result<Receipt> TransactionSender::send_and_wait(std::optional<Address> to, ByteView data,
                                                 const U256& value, Deadline deadline,
                                                 const SendOptions& options) {
  ICN_TRY(SendResult sent, send(to, data, value, options));
  ICN_TRY(Receipt receipt, wait_for_receipt(sent.tx_hash, deadline));
  if (!receipt.status) {
    return fail("transaction reverted: " + revert_reason_of(receipt, errors_for(options)) +
                " (tx " + to_hex(receipt.tx_hash) + ")");
  }
  return receipt;
}

Result<Address> TransactionSender::deploy(ByteView bytecode, ByteView constructor_args,
                                          Deadline deadline, const SendOptions& options) {
  if (bytecode.empty()) return fail("deploy: empty bytecode");
  Bytes init = to_bytes(bytecode);
  append(init, constructor_args);
  ICN_TRY_CTX(Receipt receipt, send_and_wait(std::nullopt, init, 0, deadline, options), "deploy");
  if (!receipt.contract_address) {
    return fail("deploy: receipt of " + to_hex(receipt.tx_hash) + " has no contract address");
  }
  return *receipt.contract_address;
}

}  // namespace icn::eth
