// `icn link mint | stake`: ICN Links minted by GOVERNANCE and staked to a HyperNode by a holder.
#include <nlohmann/json.hpp>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "icn/actions/onboarding.hpp"

namespace icn::cmd {
namespace {

struct MintOptions {
  ChainOptions chain;
  std::string to;
  uint64_t count = 0;
};
MintOptions g_mint;

struct StakeOptions {
  ChainOptions chain;
  std::string hypernode;
  std::vector<std::string> tokens;
};
StakeOptions g_stake;

Result<std::string> run_mint() {
  ICN_TRY(Address to, parse_address_option("--to", g_mint.to));
  ICN_TRY(ChainSession s, open_session(g_mint.chain));
  ICN_TRY(std::vector<U256> ids, actions::mint_links(*s.protocol, *s.sender, to, g_mint.count));
  nlohmann::json j = nlohmann::json::array();
  std::string text;
  for (const U256& id : ids) {
    j.push_back(to_decimal(id));
    text += (text.empty() ? "" : " ") + to_decimal(id);
  }
  if (g_mint.chain.json) return nlohmann::json{{"token_ids", j}}.dump();
  return text;
}

Result<std::string> run_stake() {
  ICN_TRY(U256 hypernode, parse_uint_option("--hypernode", g_stake.hypernode));
  std::vector<U256> tokens;
  for (const auto& t : g_stake.tokens) {
    ICN_TRY(U256 id, parse_uint_option("token id", t));
    tokens.push_back(id);
  }
  ICN_TRY(ChainSession s, open_session(g_stake.chain));
  ICN_TRY(U256 bundle, actions::stake_links(*s.protocol, *s.sender, hypernode, tokens));
  if (g_stake.chain.json) return nlohmann::json{{"bundle_id", to_decimal(bundle)}}.dump();
  return to_decimal(bundle);
}

void report(std::string_view what, Result<std::string> result) {
  if (!result) result = std::move(result).error().context(std::string(what) + " failed");
  emit(result);
}

}  // namespace

void add_link_commands(CLI::App& app) {
  auto* link = app.add_subcommand("link", "ICN Links: mint (governance) and stake to a HyperNode");
  link->require_subcommand(1);

  auto* mint = link->add_subcommand("mint", "GOVERNANCE: mint Links; prints their token ids");
  add_chain_options(mint, g_mint.chain, "the ICNLink governance key");
  mint->add_option("--to", g_mint.to, "receiver address")->required();
  mint->add_option("--count", g_mint.count, "how many Links")->required();
  mint->callback([] { report("link mint", run_mint()); });

  auto* stake = link->add_subcommand(
      "stake", "Stake the key's Links to a HyperNode as one bundle; prints the bundle id");
  add_chain_options(stake, g_stake.chain, "the Links' holder key");
  stake->add_option("--hypernode", g_stake.hypernode, "HyperNode id")->required();
  stake->add_option("tokens", g_stake.tokens, "token ids (1..100)")->required();
  stake->callback([] { report("link stake", run_stake()); });
}

}  // namespace icn::cmd
