// `icn util …`: hashing, ABI, signing and Merkle tools (docs/util.md). stdout is the result only;
// errors go to stderr as "error: <reason>" with exit code 1.
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/core/eip191.hpp"
#include "icn/core/eip712.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/transaction.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::cmd {
namespace {

// Options of every util command; CLI11 binds to these, so they outlive parsing.
struct UtilOptions {
  std::string hex;
  std::string signature_hex;
  std::string key_file;
  std::string password_file;
  // sign-tx
  std::string chain_id, nonce = "0", to, value = "0", data = "0x", gas, max_fee, priority_fee;
};
UtilOptions g_opts;

void add_key_options(CLI::App* cmd) {
  cmd->add_option("--private-key-file", g_opts.key_file,
                  "File with a 0x-hex private key, or a keystore (see --password-file)")
      ->required();
  cmd->add_option("--password-file", g_opts.password_file,
                  "Keystore password file (default: $ICN_KEYSTORE_PASSWORD)");
}

Result<PrivateKey> load_key() {
  return cmd::load_key(g_opts.key_file, g_opts.password_file);
}

Result<uint64_t> parse_u64(std::string_view name, std::string_view text) {
  ICN_TRY_CTX(U256 v, parse_u256(text), name);
  if (v > std::numeric_limits<uint64_t>::max()) return fail(std::string(name) + ": above 2^64-1");
  return uint64_t(v);
}

Result<std::string> sign_tx() {
  ICN_TRY(PrivateKey key, load_key());
  Eip1559Tx tx;
  ICN_TRY_CTX(tx.chain_id, parse_u256(g_opts.chain_id), "--chain-id");
  if (tx.chain_id == 0) return fail("--chain-id: must not be 0");
  ICN_TRY(tx.nonce, parse_u64("--nonce", g_opts.nonce));
  ICN_TRY(tx.gas_limit, parse_u64("--gas", g_opts.gas));
  ICN_TRY_CTX(tx.max_fee_per_gas, parse_u256(g_opts.max_fee), "--max-fee");
  ICN_TRY_CTX(tx.max_priority_fee_per_gas, parse_u256(g_opts.priority_fee), "--priority-fee");
  if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas) {
    return fail("--priority-fee is above --max-fee");
  }
  ICN_TRY_CTX(tx.value, parse_u256(g_opts.value), "--value");
  ICN_TRY_CTX(tx.data, parse_hex(g_opts.data), "--data");
  if (!g_opts.to.empty()) {
    ICN_TRY_CTX(tx.to, Address::parse(g_opts.to), "--to");
  }
  return to_hex(sign(tx, key).raw);
}

}  // namespace

void add_util_commands(CLI::App& app) {
  CLI::App* util = app.add_subcommand("util", "Hashing, ABI, signing and Merkle tools");
  util->require_subcommand(1);
  add_abi_commands(*util);

  auto* keccak = util->add_subcommand("keccak", "keccak-256 of 0x-hex bytes");
  keccak->add_option("HEX", g_opts.hex, "0x-prefixed bytes")->required();
  keccak->callback([] {
    emit([]() -> Result<std::string> {
      ICN_TRY(Bytes data, parse_hex(g_opts.hex));
      return to_hex(keccak256(data));
    }());
  });

  auto* address = util->add_subcommand("address", "The EIP-55 address of a private key");
  add_key_options(address);
  address->callback([] {
    emit([]() -> Result<std::string> {
      ICN_TRY(PrivateKey key, load_key());
      return key.address().checksummed();
    }());
  });

  auto* sign_message = util->add_subcommand("sign-message", "EIP-191 signature of 0x-hex bytes");
  add_key_options(sign_message);
  sign_message->add_option("HEX", g_opts.hex, "the message bytes, 0x-prefixed")->required();
  sign_message->callback([] {
    emit([]() -> Result<std::string> {
      ICN_TRY(PrivateKey key, load_key());
      ICN_TRY_CTX(Bytes message, parse_hex(g_opts.hex), "message");
      return to_hex(icn::sign_message(key, message).to_rsv65());
    }());
  });

  auto* recover = util->add_subcommand("recover", "The address that signed HEX (EIP-191)");
  recover->add_option("HEX", g_opts.hex, "the message bytes, 0x-prefixed")->required();
  recover->add_option("SIG", g_opts.signature_hex, "65-byte signature r||s||v")->required();
  recover->callback([] {
    emit([]() -> Result<std::string> {
      ICN_TRY_CTX(Bytes message, parse_hex(g_opts.hex), "message");
      ICN_TRY_CTX(Bytes raw_sig, parse_hex(g_opts.signature_hex), "signature");
      ICN_TRY_CTX(Signature sig, Signature::from_rsv65(raw_sig), "signature");
      ICN_TRY(Address signer, recover_message_signer(message, sig));
      return signer.checksummed();
    }());
  });

  auto* typed =
      util->add_subcommand("typed-data-hash", "EIP-712 digest of eth_signTypedData_v4 JSON");
  typed->add_option("FILE", g_opts.hex, "typed-data JSON file")->required();
  typed->callback([] {
    emit([]() -> Result<std::string> {
      ICN_TRY(std::string text, infra::read_file(g_opts.hex));
      ICN_TRY(eip712::TypedData data, eip712::parse_typed_data_text(text));
      ICN_TRY(Hash digest, eip712::digest(data));
      return to_hex(digest);
    }());
  });

  auto* tx = util->add_subcommand("sign-tx", "A signed EIP-1559 transaction, raw hex");
  add_key_options(tx);
  tx->add_option("--chain-id", g_opts.chain_id, "chain id")->required();
  tx->add_option("--nonce", g_opts.nonce, "sender nonce")->capture_default_str();
  tx->add_option("--to", g_opts.to, "recipient (omit to create a contract)");
  tx->add_option("--value", g_opts.value, "wei to send")->capture_default_str();
  tx->add_option("--data", g_opts.data, "calldata, 0x-hex")->capture_default_str();
  tx->add_option("--gas", g_opts.gas, "gas limit")->required();
  tx->add_option("--max-fee", g_opts.max_fee, "max fee per gas, wei")->required();
  tx->add_option("--priority-fee", g_opts.priority_fee, "max priority fee per gas, wei")
      ->required();
  tx->callback([] { emit(sign_tx()); });
}

}  // namespace icn::cmd
