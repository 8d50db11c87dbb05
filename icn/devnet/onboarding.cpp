// Onboarding a fresh devnet with icn/actions, as its users would: the deployer (governance and
// registry operator on a devnet) funds and validates, each HP, HyperNode operator and the Builder
// signs its own transactions.
#include "icn/devnet/onboarding.hpp"

#include <array>

#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"
#include "icn/actions/protocol.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/eth/sender.hpp"
#include "icn/infra/anvil.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::devnet {
namespace {

using json = nlohmann::json;

// Where the devnet's ScalerNodes and HyperNodes say they are (ISO-3166 alpha-3), so maps and
// per-country statistics have something to show.
constexpr std::array<std::string_view, 6> kLocations = {"DEU", "FRA", "NLD", "POL", "USA", "SGP"};

constexpr uint64_t kNodeCapacity = 10;  // class units (TB of storage-dev)

class Onboarding {
 public:
  Onboarding(eth::RpcClient& rpc, actions::Protocol& protocol, Topology& topology,
             const OnboardingInputs& in)
      : rpc_(rpc), p_(protocol), t_(topology), in_(in) {}

  Result<eth::TransactionSender> sender(std::string_view account) {
    const Account* a = t_.account(account);
    if (!a) return fail("no account " + std::string(account));
    return account_sender(rpc_, in_.dir, *a);
  }
  Result<PrivateKey> load_key(std::string_view account) {
    const Account* a = t_.account(account);
    if (!a) return fail("no account " + std::string(account));
    return infra::load_private_key(in_.dir / a->key_file());
  }
  void say(const std::string& line) {
    if (in_.progress) in_.progress(line);
  }

  // Every account but the deployer starts with no ETH: anvil sets 1,000 ETH each.
  Status fund_gas() {
    for (const Account& a : t_.accounts) {
      if (a.name == "deployer") continue;
      ICN_TRY_CTX(json ignored,
                  rpc_.call("anvil_setBalance",
                            json::array({a.address.checksummed(), "0x3635c9adc5dea00000"})),
                  "funding " + a.name + " with ETH");
    }
    return {};
  }

  Status hardware_providers(eth::TransactionSender& deployer) {
    std::vector<U256> node_ids;
    unsigned hps =
        (t_.options.scaler_nodes + t_.options.nodes_per_hp - 1) / t_.options.nodes_per_hp;
    ICN_TRY(U256 per_node_icnt, deploy::parse_token_amount("2000"));  // twice the collateral
    for (unsigned h = 1; h <= hps; ++h) {
      unsigned first = (h - 1) * t_.options.nodes_per_hp + 1;
      unsigned last = std::min(t_.options.scaler_nodes, h * t_.options.nodes_per_hp);
      const Account* hp = t_.account(hp_account(h));
      ICN_CHECK(actions::fund_icnt(p_, deployer, hp->address, per_node_icnt * (last - first + 1)));
      ICN_TRY(eth::TransactionSender hp_sender, sender(hp->name));
      ICN_TRY(uint32_t hp_id, actions::register_hardware_provider(p_, hp_sender));
      std::vector<actions::ScalerNodeSpec> specs;
      for (unsigned n = first; n <= last; ++n) {
        actions::ScalerNodeSpec s;
        s.name = "devnet-node-" + std::to_string(n);
        s.region = in_.genesis_region;
        s.hardware_class = in_.genesis_class;
        s.location = std::string(kLocations[(n - 1) % kLocations.size()]);
        s.capacity = kNodeCapacity;
        s.daemon = t_.account(daemon_account(n))->address;
        specs.push_back(std::move(s));
      }
      ICN_TRY(std::vector<U256> ids, actions::register_scaler_nodes(p_, hp_sender, specs));
      if (ids.size() != specs.size()) return fail("registerScalerNodes returned the wrong ids");
      for (unsigned n = first; n <= last; ++n) {
        Role* r = t_.role("daemon-" + std::to_string(n));
        r->chain_id = ids[n - first];
        node_ids.push_back(r->chain_id);
      }
      say("hp-" + std::to_string(h) + " (HP " + std::to_string(hp_id) +
          ") registered ScalerNodes " + to_decimal(ids.front()) + "…" + to_decimal(ids.back()));
    }
    ICN_CHECK(actions::validate_scaler_nodes(p_, deployer, node_ids));
    // Listed in the market, so a Builder can book them at once.
    ICN_CHECK(actions::list_scaler_nodes(p_, deployer, node_ids));
    say("validated and listed " + std::to_string(node_ids.size()) + " ScalerNodes");
    return {};
  }

  // Each HyperNode's operator registers it with its signer key and endpoint, receives one Link
  // from governance and stakes it, which makes the HyperNode active.
  Status hyper_nodes(eth::TransactionSender& deployer) {
    for (unsigned i = 1; i <= t_.options.hyper_nodes; ++i) {
      Role* role = t_.role("hypernode-" + std::to_string(i));
      const Account* op = t_.account(hypernode_operator_account(i));
      ICN_TRY(eth::TransactionSender op_sender, sender(op->name));
      ICN_TRY(PrivateKey signer, load_key(hypernode_signer_account(i)));
      ICN_TRY(U256 id,
              actions::register_hyper_node(p_, op_sender, signer,
                                           kLocations[(i - 1) % kLocations.size()], role->url()));
      role->chain_id = id;
      ICN_TRY(std::vector<U256> links, actions::mint_links(p_, deployer, op->address, 1));
      ICN_TRY(U256 bundle, actions::stake_links(p_, op_sender, id, links));
      say("hypernode-" + std::to_string(i) + " (HyperNode " + to_decimal(id) + ") at " +
          role->url() + ", Link bundle " + to_decimal(bundle) + " staked");
    }
    return {};
  }

  Status builder(eth::TransactionSender& deployer) {
    ICN_TRY(U256 amount, deploy::parse_token_amount("100000"));
    const Account* b = t_.account(kBuilderAccount);
    ICN_CHECK(actions::fund_icnt(p_, deployer, b->address, amount));
    say("builder " + b->address.checksummed() + " funded with 100,000 ICNT");
    return {};
  }

 private:
  eth::RpcClient& rpc_;
  actions::Protocol& p_;
  Topology& t_;
  const OnboardingInputs& in_;
};

}  // namespace

Result<eth::TransactionSender> account_sender(eth::RpcClient& rpc, const std::filesystem::path& dir,
                                              const Account& account) {
  ICN_TRY(PrivateKey key, infra::load_private_key(dir / account.key_file()));
  eth::SenderOptions options;
  options.expected_chain_id = infra::kAnvilDefaultChainId;
  return eth::TransactionSender::create(rpc, key, options);
}

Status onboard(eth::RpcClient& rpc, const chain::Deployment& deployment, Topology& topology,
               const OnboardingInputs& inputs) {
  ICN_TRY(actions::Protocol protocol, actions::Protocol::open(rpc, deployment, inputs.artifacts));
  Onboarding o(rpc, protocol, topology, inputs);
  ICN_CHECK(o.fund_gas());
  ICN_TRY(eth::TransactionSender deployer, o.sender("deployer"));
  ICN_CHECK(o.hardware_providers(deployer));
  ICN_CHECK(o.hyper_nodes(deployer));
  ICN_CHECK(o.builder(deployer));
  return {};
}

}  // namespace icn::devnet
