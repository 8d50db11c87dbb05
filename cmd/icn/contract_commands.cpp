// `icn contract deploy | call | send`: any compiled contract (build/…/artifacts/<Name>.json) on any
// EVM JSON-RPC endpoint, with cast's argument syntax. Operators' tool and `make run`'s deployer.
#include <chrono>

#include "cmd/icn/commands.hpp"
#include "icn/core/abi_text.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"

namespace icn::cmd {
namespace {

struct ContractOptions {
  std::string rpc = "http://127.0.0.1:8545";
  std::string artifact;
  std::string address;
  std::string key_file;
  std::string password_file;
  unsigned timeout_s = 120;
};
ContractOptions g_contract;

eth::Deadline deadline() {
  return std::chrono::steady_clock::now() + std::chrono::seconds(g_contract.timeout_s);
}

Result<std::vector<abi::Value>> parse_args(const std::vector<abi::Param>& params,
                                           const std::vector<std::string>& args) {
  std::vector<abi::Type> types;
  for (const auto& p : params) types.push_back(p.type);
  return parse_arguments(types, args);
}

Result<eth::TransactionSender> make_sender(eth::RpcClient& rpc) {
  return cmd::make_sender(rpc, g_contract.key_file, g_contract.password_file);
}

Result<std::string> deploy(const std::vector<std::string>& args) {
  ICN_TRY(eth::Artifact artifact, eth::Artifact::load(g_contract.artifact));
  if (artifact.bytecode.empty()) {
    return fail(artifact.contract_name +
                " has no creation code (an interface or abstract contract)");
  }
  ICN_TRY(eth::Contract contract, eth::Contract::from_artifact(artifact));
  eth::RpcClient rpc(g_contract.rpc);
  ICN_TRY(eth::TransactionSender sender, make_sender(rpc));
  ICN_TRY(std::vector<abi::Value> values, parse_args(contract.constructor_inputs(), args));
  ICN_TRY_CTX(eth::Contract deployed,
              contract.deploy(sender, artifact.bytecode, values, deadline()),
              "deploy " + artifact.contract_name);
  return deployed.address()->checksummed();
}

// FUNCTION [ARGS…] on the contract at --address: the binding, the function and its arguments.
struct PreparedCall {
  eth::Contract contract;
  const eth::Function* function = nullptr;
  std::vector<abi::Value> values;
};

Result<PreparedCall> prepare_call(const std::vector<std::string>& args) {
  if (args.empty()) return fail("missing FUNCTION");
  ICN_TRY(eth::Artifact artifact, eth::Artifact::load(g_contract.artifact));
  ICN_TRY(eth::Contract contract, eth::Contract::from_artifact(artifact));
  ICN_TRY_CTX(Address at, Address::parse(g_contract.address), "--address");
  PreparedCall prepared{contract.at(at), nullptr, {}};
  ICN_TRY(prepared.function, prepared.contract.function(args[0]));
  ICN_TRY(prepared.values, parse_args(prepared.function->inputs,
                                      std::vector<std::string>(args.begin() + 1, args.end())));
  return prepared;
}

Result<std::string> call(const std::vector<std::string>& args) {
  ICN_TRY(PreparedCall p, prepare_call(args));
  eth::RpcClient rpc(g_contract.rpc);
  ICN_TRY(abi::Value::List out, p.contract.call(rpc, p.function->canonical, p.values));
  std::string text;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) text += '\n';
    text += abi::format_value_plain(p.function->outputs[i].type, out[i]);
  }
  return text;
}

Result<std::string> send(const std::vector<std::string>& args) {
  ICN_TRY(PreparedCall p, prepare_call(args));
  eth::RpcClient rpc(g_contract.rpc);
  ICN_TRY(eth::TransactionSender sender, make_sender(rpc));
  ICN_TRY(eth::Receipt receipt,
          p.contract.transact(sender, p.function->canonical, p.values, deadline()));
  return to_hex(receipt.tx_hash) + " block " + std::to_string(receipt.block_number) + " gas " +
         std::to_string(receipt.gas_used);
}

// Arguments after the options are taken verbatim (see abi-encode): "-5" is a value, not a flag.
void add_verbatim(CLI::App* cmd, Result<std::string> (*run)(const std::vector<std::string>&)) {
  cmd->add_option("--rpc", g_contract.rpc, "JSON-RPC endpoint")->capture_default_str();
  cmd->add_option("--timeout", g_contract.timeout_s, "seconds to wait for a receipt")
      ->capture_default_str();
  cmd->prefix_command();
  cmd->callback([cmd, run] { emit(run(cmd->remaining())); });
}

}  // namespace

void add_contract_commands(CLI::App& app) {
  CLI::App* contract = app.add_subcommand("contract", "Deploy, call and transact with contracts");
  contract->require_subcommand(1);

  auto* d =
      contract->add_subcommand("deploy", "Deploy ARTIFACT [CONSTRUCTOR ARGS…]; prints the address");
  d->add_option("--private-key-file", g_contract.key_file, "deployer key file")->required();
  d->add_option("--password-file", g_contract.password_file, "keystore password file");
  d->add_option("ARTIFACT", g_contract.artifact, "compiled artifact JSON")->required();
  add_verbatim(d, deploy);

  auto* c = contract->add_subcommand("call", "Call a view: FUNCTION [ARGS…]; one value per line");
  c->add_option("--artifact", g_contract.artifact, "compiled artifact JSON")->required();
  c->add_option("--address", g_contract.address, "contract address")->required();
  add_verbatim(c, call);

  auto* s = contract->add_subcommand("send", "Transact: FUNCTION [ARGS…]; prints the tx hash");
  s->add_option("--private-key-file", g_contract.key_file, "sender key file")->required();
  s->add_option("--password-file", g_contract.password_file, "keystore password file");
  s->add_option("--artifact", g_contract.artifact, "compiled artifact JSON")->required();
  s->add_option("--address", g_contract.address, "contract address")->required();
  add_verbatim(s, send);
}

}  // namespace icn::cmd
