// What the transaction commands (node, hypernode register, link, book) share: the chain options
// (--rpc, --deployment, --artifacts, --key-file, --password-file), the protocol bound to the
// deployment, and the parsers for their arguments (ICNT amounts, durations, addresses).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "icn/actions/protocol.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"

namespace icn::cmd {

struct ChainOptions {
  std::string rpc = "http://127.0.0.1:8545";
  std::string deployment;
  std::string artifacts;  // default: the build's (build_artifacts_dir)
  std::string key_file;
  std::string password_file;
  bool json = false;
};

// Adds the options to `command`; `key_help` says whose key --key-file is ("the HP's owner key").
void add_chain_options(CLI::App* command, ChainOptions& options, const std::string& key_help);
// Only --rpc, --deployment and --artifacts: for commands that read the chain and send nothing, or
// that add their own key options.
void add_read_options(CLI::App* command, ChainOptions& options);

// The deployment.json named by --deployment, parsed; errors name the file.
Result<chain::Deployment> read_deployment(const ChainOptions& options);
// --artifacts, or the build's artifacts when it was left out.
Result<std::filesystem::path> artifacts_dir(const ChainOptions& options);

// The RPC client, the protocol and the --key-file sender, opened in that order.
struct ChainSession {
  std::unique_ptr<eth::RpcClient> rpc;
  std::optional<actions::Protocol> protocol;
  std::optional<eth::TransactionSender> sender;
};
Result<ChainSession> open_session(const ChainOptions& options);

// "2.8" ICNT or "5 wei" (the genesis syntax); errors name the option.
Result<U256> parse_icnt_option(std::string_view option, const std::string& text);
// Seconds, or a number with a unit: "90d", "12h", "30m", "45s".
Result<uint64_t> parse_duration(std::string_view option, const std::string& text);
Result<Address> parse_address_option(std::string_view option, const std::string& text);
Result<U256> parse_uint_option(std::string_view option, const std::string& text);

}  // namespace icn::cmd
