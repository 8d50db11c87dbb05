// `icn claim` (verify a satellite's leaves of the last committed era against the committed root,
// then claim HP and Link rewards) and `icn verify-era E` (recompute an era's dataRoot, verify its
// published leaves, compare with Settlement): both over icn/claims.
#include <filesystem>
#include <iostream>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/claims/claimer.hpp"
#include "icn/claims/era_check.hpp"

namespace icn::cmd {
namespace {

struct ClaimCommandOptions {
  ChainOptions chain;  // its key_file is the sender's
  std::string satellite;
  std::vector<std::string> nodes, bundles;
  bool all_mine = false;
};
ClaimCommandOptions g_claim;

struct VerifyEraOptions {
  ChainOptions chain;  // read options only
  std::string satellite;
  uint64_t era = 0;
};
VerifyEraOptions g_verify;

Result<std::vector<U256>> parse_ids(const std::vector<std::string>& texts, std::string_view what) {
  std::vector<U256> out;
  for (const auto& t : texts) {
    ICN_TRY_CTX(U256 id, parse_u256(t), std::string(what) + " \"" + t + "\"");
    out.push_back(id);
  }
  return out;
}

// Exit code: 0 when every claim was sent or had nothing to claim yet, 1 when one failed.
Result<std::string> run_claim() {
  ICN_TRY(auto deployment, read_deployment(g_claim.chain));
  ICN_TRY(auto artifacts, artifacts_dir(g_claim.chain));
  claims::ClaimRequest request;
  ICN_TRY(request.nodes, parse_ids(g_claim.nodes, "--node"));
  ICN_TRY(request.bundles, parse_ids(g_claim.bundles, "--bundle"));
  request.all_mine = g_claim.all_mine;
  if (request.nodes.empty() && request.bundles.empty() && !request.all_mine) {
    return fail("name what to claim: --node ID, --bundle ID or --all-mine");
  }

  eth::RpcClient rpc(g_claim.chain.rpc);
  ICN_TRY(chain::ProtocolReader reader, chain::ProtocolReader::open(rpc, deployment, artifacts));
  ICN_TRY(chain::SettlementContract settlement,
          chain::SettlementContract::open(rpc, deployment, artifacts));
  auto links_at = deployment.address_of("ICNLink");
  if (!links_at) return fail("deployment.json names no ICNLink");
  ICN_TRY(eth::Artifact links_artifact, eth::Artifact::load(artifacts / "ICNLink.json"));
  ICN_TRY(eth::Contract links, eth::Contract::from_artifact(links_artifact));
  ICN_TRY(PrivateKey key, load_key(g_claim.chain.key_file, g_claim.chain.password_file));
  eth::SenderOptions sender_options;
  sender_options.expected_chain_id = deployment.chain_id;
  ICN_TRY(eth::TransactionSender sender, eth::TransactionSender::create(rpc, key, sender_options));
  claims::SatellitePublications satellite(g_claim.satellite);
  claims::Claimer claimer(rpc, settlement, reader, links.at(*links_at), satellite, sender);

  ICN_TRY(auto outcomes, claimer.claim(request));
  std::string out;
  bool failed = false;
  for (const auto& o : outcomes) {
    if (!out.empty()) out += "\n";
    out += claims::describe(o);
    failed = failed || o.status == claims::ClaimStatus::kFailed;
  }
  if (failed) set_exit_code(1);
  return out;
}

// Exit code: 0 match, 1 mismatch, 2 error (set by the callback).
Result<std::string> run_verify_era() {
  ICN_TRY(auto deployment, read_deployment(g_verify.chain));
  ICN_TRY(auto artifacts, artifacts_dir(g_verify.chain));
  eth::RpcClient rpc(g_verify.chain.rpc);
  ICN_TRY(chain::SettlementContract settlement,
          chain::SettlementContract::open(rpc, deployment, artifacts));
  claims::SatellitePublications satellite(g_verify.satellite);
  ICN_TRY(auto check, claims::verify_era(g_verify.era, settlement, satellite));
  if (!check.matches()) set_exit_code(1);
  return claims::describe(check);
}

void add_satellite_option(CLI::App* c, std::string& satellite) {
  c->add_option("--satellite", satellite, "a satellite's base URL, e.g. http://127.0.0.1:7400")
      ->required()
      ->envname("ICN_SATELLITE");
}

}  // namespace

void add_claim_commands(CLI::App& app) {
  auto* c = app.add_subcommand(
      "claim",
      "Claim HP and Link rewards up to the last committed era: the satellite's leaves are "
      "verified against the root committed on chain before anything is sent");
  add_read_options(c, g_claim.chain);
  add_satellite_option(c, g_claim.satellite);
  c->add_option("--key-file", g_claim.chain.key_file, "the sender's key (0x-hex or keystore)")
      ->required();
  c->add_option("--password-file", g_claim.chain.password_file,
                "keystore password (default: $ICN_KEYSTORE_PASSWORD)");
  c->add_option("--node", g_claim.nodes, "ScalerNode id to claim for (repeatable)");
  c->add_option("--bundle", g_claim.bundles, "ICN Link bundle id to claim for (repeatable)");
  c->add_flag("--all-mine", g_claim.all_mine,
              "every node (Registry) and Link bundle (ICNLink) the key's address owns");
  c->callback([] { emit(run_claim()); });

  auto* v = app.add_subcommand(
      "verify-era",
      "Recompute an era's dataRoot from its published batches, verify its published leaves and "
      "compare with Settlement.eraRoots; exit 0 match, 1 mismatch, 2 error");
  v->add_option("era", g_verify.era, "the era")->required();
  add_read_options(v, g_verify.chain);
  add_satellite_option(v, g_verify.satellite);
  v->callback([] {
    auto r = run_verify_era();
    if (r) {
      std::cout << *r << '\n';
    } else {
      std::cerr << "error: " << r.error().message << '\n';
      set_exit_code(2);
    }
  });
}

}  // namespace icn::cmd
