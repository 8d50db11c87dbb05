// `icn icnt transfer`: moving ICNT, and on a devnet funding accounts from the deployer's vested
// allocations (--release-vested: Vesting.release of the sender's categories when it is short).
#include <nlohmann/json.hpp>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "icn/actions/amount.hpp"
#include "icn/actions/onboarding.hpp"

namespace icn::cmd {
namespace {

struct TransferOptions {
  ChainOptions chain;
  std::string to, amount;
  bool release_vested = false;
};
TransferOptions g_transfer;

Result<std::string> run_transfer() {
  const TransferOptions& o = g_transfer;
  ICN_TRY(Address to, parse_address_option("--to", o.to));
  ICN_TRY(U256 amount, parse_icnt_option("--amount", o.amount));
  ICN_TRY(ChainSession s, open_session(o.chain));
  if (o.release_vested) {
    ICN_CHECK(actions::fund_icnt(*s.protocol, *s.sender, to, amount));
  } else {
    ICN_CHECK(actions::transfer_icnt(*s.protocol, *s.sender, to, amount));
  }
  ICN_TRY(U256 balance, actions::icnt_balance(*s.protocol, to));
  if (o.chain.json) {
    return nlohmann::json{{"to", to.checksummed()},
                          {"amount", actions::format_icnt(amount)},
                          {"balance", actions::format_icnt(balance)}}
        .dump();
  }
  return "sent " + actions::format_icnt(amount) + " ICNT to " + to.checksummed() + " (balance " +
         actions::format_icnt(balance) + " ICNT)";
}

}  // namespace

void add_icnt_commands(CLI::App& app) {
  auto* icnt = app.add_subcommand("icnt", "ICNT transfers (and devnet funding)");
  icnt->require_subcommand(1);
  auto* transfer = icnt->add_subcommand("transfer", "Send ICNT from the key's account");
  TransferOptions& o = g_transfer;
  add_chain_options(transfer, o.chain, "the sender's key");
  transfer->add_option("--to", o.to, "receiver address")->required();
  transfer->add_option("--amount", o.amount, "ICNT, e.g. \"1000\" or \"5 wei\"")->required();
  transfer->add_flag("--release-vested", o.release_vested,
                     "when short, first release the sender's vested Vesting allocations (devnet)");
  transfer->callback([] {
    Result<std::string> r = run_transfer();
    if (!r) r = std::move(r).error().context("icnt transfer failed");
    emit(r);
  });
}

}  // namespace icn::cmd
