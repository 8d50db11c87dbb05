// The transaction commands' shared options, session and argument parsers.
#include "cmd/icn/chain_session.hpp"

#include <limits>

#include "cmd/icn/commands.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/infra/files.hpp"

namespace icn::cmd {

void add_read_options(CLI::App* command, ChainOptions& o) {
  // The environment fills what the command line leaves out (`eval "$(icn devnet env)"`).
  command->add_option("--rpc", o.rpc, "JSON-RPC endpoint")
      ->capture_default_str()
      ->envname("ICN_RPC");
  command->add_option("--deployment", o.deployment, "deployment.json written by `icn deploy`")
      ->required()
      ->envname("ICN_DEPLOYMENT");
  command->add_option("--artifacts", o.artifacts,
                      "compiled contract artifacts (default: the build's)");
}

void add_chain_options(CLI::App* command, ChainOptions& o, const std::string& key_help) {
  add_read_options(command, o);
  command->add_option("--key-file", o.key_file, key_help + " (raw hex or keystore)")->required();
  command->add_option("--password-file", o.password_file,
                      "keystore password (default: $ICN_KEYSTORE_PASSWORD)");
  command->add_flag("--json", o.json, "print the result as JSON");
}

Result<chain::Deployment> read_deployment(const ChainOptions& o) {
  ICN_TRY(std::string text, infra::read_file(o.deployment, 1 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(text), o.deployment);
  return deployment;
}

Result<std::filesystem::path> artifacts_dir(const ChainOptions& o) {
  if (!o.artifacts.empty()) return std::filesystem::path(o.artifacts);
  return build_artifacts_dir();
}

Result<ChainSession> open_session(const ChainOptions& o) {
  ICN_TRY(chain::Deployment deployment, read_deployment(o));
  ICN_TRY(std::filesystem::path artifacts, artifacts_dir(o));
  ChainSession s;
  s.rpc = std::make_unique<eth::RpcClient>(o.rpc);
  ICN_TRY(actions::Protocol protocol, actions::Protocol::open(*s.rpc, deployment, artifacts));
  s.protocol.emplace(std::move(protocol));
  ICN_TRY(PrivateKey key, load_key(o.key_file, o.password_file));
  eth::SenderOptions sender;
  sender.expected_chain_id = deployment.chain_id;
  ICN_TRY(eth::TransactionSender tx, eth::TransactionSender::create(*s.rpc, key, sender));
  s.sender.emplace(std::move(tx));
  return s;
}

Result<U256> parse_icnt_option(std::string_view option, const std::string& text) {
  auto amount = deploy::parse_token_amount(text);
  if (!amount) return std::move(amount).error().context(option);
  return *amount;
}

Result<uint64_t> parse_duration(std::string_view option, const std::string& text) {
  std::string digits = text;
  uint64_t unit = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        break;
      default:
        unit = 0;
    }
    if (unit != 0) digits.pop_back();
    if (unit == 0) unit = 1;
  }
  auto n = parse_u256(digits);
  if (digits.empty() || !n || *n > std::numeric_limits<uint64_t>::max() / unit) {
    return fail(std::string(option) + ": \"" + text +
                "\" is not a duration (seconds, or e.g. 90d, 12h, 30m)");
  }
  return static_cast<uint64_t>(*n) * unit;
}

Result<Address> parse_address_option(std::string_view option, const std::string& text) {
  auto a = Address::parse(text);
  if (!a) return std::move(a).error().context(option);
  return *a;
}

Result<U256> parse_uint_option(std::string_view option, const std::string& text) {
  auto n = parse_u256(text);
  if (!n) return std::move(n).error().context(std::string(option) + " \"" + text + "\"");
  return *n;
}

}  // namespace icn::cmd
