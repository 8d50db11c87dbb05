// Registration of the `icn` subcommands; each add_* wires one command family into the app.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "icn/core/abi_type.hpp"
#include "icn/core/abi_value.hpp"
#include "icn/core/result.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"

namespace icn::cmd {

inline constexpr std::string_view kVersion = "0.1.0";

// Subcommand callbacks record their outcome here; main returns it.
int exit_code();
void set_exit_code(int code);

// Prints a result's value on stdout, or "error: <reason>" on stderr and sets exit code 1.
void emit(const Result<std::string>& result);

// Reads a password file (at most 4 KiB), without its trailing newline.
Result<std::string> read_password(const std::string& path);
// A key from --private-key-file; a keystore's password from --password-file, else from
// $ICN_KEYSTORE_PASSWORD.
Result<PrivateKey> load_key(const std::string& key_file, const std::string& password_file);
// A sender for that key bound to the chain the RPC reports, so one key file works on any network.
Result<eth::TransactionSender> make_sender(eth::RpcClient& rpc, const std::string& key_file,
                                           const std::string& password_file);

// The build's artifacts when none are given: `icn` is build/<preset>/cmd/icn/icn, the artifacts
// build/<preset>/artifacts (as scripts/run-local finds them).
Result<std::filesystem::path> build_artifacts_dir();

// Command-line arguments in cast's syntax, one per type; errors name the argument and its type.
Result<std::vector<abi::Value>> parse_arguments(std::span<const abi::Type> types,
                                                const std::vector<std::string>& args);

void add_util_commands(CLI::App& app);
void add_contract_commands(CLI::App& app);
void add_abi_commands(CLI::App& util);  // part of `icn util`
void add_keys_commands(CLI::App& app);
void add_deploy_commands(CLI::App& app);
void add_hypernode_commands(CLI::App& app);
void add_daemon_commands(CLI::App& app);
void add_satellite_commands(CLI::App& app);
void add_sim_commands(CLI::App& app);  // icn sim (icn/sim)
void add_indexer_commands(CLI::App& app);
void add_devnet_commands(CLI::App& app);
void add_claim_commands(CLI::App& app);  // icn claim, icn verify-era
void add_node_commands(CLI::App& app);
void add_link_commands(CLI::App& app);
void add_book_commands(CLI::App& app);
void add_icnt_commands(CLI::App& app);

}  // namespace icn::cmd
