// Claimer: select and verify leaves of the last committed era, then claim them.
#include "icn/claims/claimer.hpp"

#include <algorithm>

#include "icn/actions/amount.hpp"

namespace icn::claims {

using actions::format_icnt;

std::string describe(const ClaimOutcome& o) {
  std::string who = (o.bundle ? "bundle " : "node ") + to_decimal(o.id) + ": ";
  switch (o.status) {
    case ClaimStatus::kClaimed:
      if (o.bundle) {
        return who + "claimed " + format_icnt(o.amount) + " ICNT (era " + std::to_string(o.era) +
               ") in tx " + to_hex(o.tx);
      }
      return who + "claimed " + format_icnt(o.amount) + " ICNT (utilisation " +
             format_icnt(o.utilisation) + ", subsidy " + format_icnt(o.subsidy) + "; era " +
             std::to_string(o.era) + ") in tx " + to_hex(o.tx);
    case ClaimStatus::kNothingToClaim:
      return who + "nothing to claim (" + o.detail + ")";
    case ClaimStatus::kTooRecent:
      return who + "not claimable yet (" + o.detail + ")";
    case ClaimStatus::kFailed:
      return who + "claim failed: " + o.detail;
  }
  return who + o.detail;
}

Claimer::Claimer(eth::RpcClient& rpc, chain::SettlementContract& settlement,
                 chain::ChainView& chain, eth::Contract links, EraPublications& publications,
                 eth::TransactionSender& sender, std::chrono::milliseconds receipt_timeout)
    : rpc_(rpc),
      settlement_(settlement),
      chain_(chain),
      links_(std::move(links)),
      publications_(publications),
      sender_(sender),
      receipt_timeout_(receipt_timeout) {}

Result<Address> Claimer::bundle_owner(const U256& bundle_id) {
  ICN_TRY_CTX(auto out, links_.call(rpc_, "bundle", std::vector<abi::Value>{bundle_id}),
              "ICNLink.bundle(" + to_decimal(bundle_id) + ")");
  const abi::Value::List* t = out.size() == 1 ? out[0].get_if<abi::Value::List>() : nullptr;
  if (!t || t->empty() || !(*t)[0].is<Address>()) {
    return fail("ICNLink.bundle(" + to_decimal(bundle_id) + "): expected a tuple with an owner");
  }
  return (*t)[0].get<Address>();
}

Result<Claimer::Selection> Claimer::select(const ClaimRequest& request) {
  Selection s;
  ICN_TRY(auto last, settlement_.last_committed_era());
  if (!last) return fail("no era is committed on chain yet: nothing to claim");
  s.era = *last;
  const std::string era_text = std::to_string(s.era);
  ICN_TRY(auto roots, settlement_.era_roots(s.era));
  s.committed_root = roots.results_root;

  ICN_TRY(auto body, publications_.results(s.era));
  ICN_TRY_CTX(
      auto published, protocol::decode_published_results(body),
      "satellite " + publications_.source() + " sent malformed results for era " + era_text);
  if (published.era != s.era) {
    return fail("satellite " + publications_.source() + " answered era " +
                std::to_string(published.era) + " when asked for era " + era_text);
  }

  std::vector<U256> nodes = request.nodes;
  std::vector<U256> bundles = request.bundles;
  if (request.all_mine) {
    const Address me = sender_.address();
    ICN_TRY(uint64_t head, chain_.head_block());
    ICN_TRY(auto all, chain_.scaler_nodes(head));
    for (const auto& n : all) {
      if (n.owner == me) nodes.push_back(n.id);
    }
    // Only bundles with a leaf can be claimed, so the published leaves bound the owner reads.
    for (const auto& l : published.links) {
      ICN_TRY(Address owner, bundle_owner(l.leaf.bundle_id));
      if (owner == me) bundles.push_back(l.leaf.bundle_id);
    }
  }
  auto dedup = [](std::vector<U256>& v) {
    std::vector<U256> out;
    for (const auto& x : v) {
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    }
    v = std::move(out);
  };
  dedup(nodes);
  dedup(bundles);

  // Each requested id's published leaf, checked against the committed root; an id without one
  // is an outcome (nothing to claim), a leaf that does not verify refuses the whole selection.
  std::string refused;
  auto pick = [&](const std::vector<U256>& ids, const auto& leaves, auto id_of, bool bundle,
                  auto& selected) {
    for (const auto& id : ids) {
      auto it =
          std::find_if(leaves.begin(), leaves.end(), [&](const auto& l) { return id_of(l) == id; });
      if (it == leaves.end()) {
        ClaimOutcome o;
        o.bundle = bundle;
        o.id = id;
        o.status = ClaimStatus::kNothingToClaim;
        o.era = s.era;
        o.detail = "no leaf in era " + era_text + "'s results";
        s.missing.push_back(std::move(o));
        continue;
      }
      if (auto ok = protocol::check_leaf(*it, s.committed_root); !ok) {
        refused += "; " + ok.error().message;
      }
      selected.push_back(*it);
    }
  };
  pick(
      nodes, published.nodes, [](const auto& n) { return n.leaf.node_id; }, false, s.nodes);
  pick(
      bundles, published.links, [](const auto& l) { return l.leaf.bundle_id; }, true, s.links);
  if (!refused.empty()) {
    return fail("satellite " + publications_.source() + " published leaves of era " + era_text +
                " that do not verify against the root committed on chain (" +
                to_hex(s.committed_root) + "): " + refused.substr(2) + "; nothing was sent");
  }
  return s;
}

namespace {
// A revert that means "nothing to do" rather than a failure.
ClaimStatus status_of_revert(const std::string& message) {
  if (message.find("LeafTooRecent") != std::string::npos) return ClaimStatus::kTooRecent;
  if (message.find("StaleLeaf") != std::string::npos) return ClaimStatus::kNothingToClaim;
  return ClaimStatus::kFailed;
}
std::string too_recent(uint64_t era, uint64_t delay) {
  return "the claim delay is " + std::to_string(delay) + " eras: era " + std::to_string(era) +
         "'s leaves pay once era " + std::to_string(era + delay) + " is committed";
}
}  // namespace

ClaimOutcome Claimer::claim_node(uint64_t era, uint64_t last, uint64_t delay,
                                 const protocol::PublishedNodeLeaf& p) {
  ClaimOutcome o{false, p.leaf.node_id, ClaimStatus::kFailed, era, 0, 0, 0, {}, {}};
  if (era + delay > last) {
    o.status = ClaimStatus::kTooRecent;
    o.detail = too_recent(era, delay);
    return o;
  }
  auto record = settlement_.node_settlement(p.leaf.node_id);
  if (!record) {
    o.detail = record.error().message;
    return o;
  }
  if (p.leaf.utilisation <= record->claimed_utilisation &&
      p.leaf.subsidy <= record->claimed_subsidy) {
    o.status = ClaimStatus::kNothingToClaim;
    o.detail = format_icnt(record->claimed_utilisation + record->claimed_subsidy) +
               " ICNT already claimed up to era " + std::to_string(era);
    return o;
  }
  auto receipt = settlement_.claim_hp_rewards(sender_, era, p.leaf, p.proof,
                                              std::chrono::steady_clock::now() + receipt_timeout_);
  if (!receipt) {
    o.status = status_of_revert(receipt.error().message);
    o.detail = receipt.error().message;
    return o;
  }
  o.tx = receipt->tx_hash;
  auto event = settlement_.hp_rewards_claimed(*receipt);
  if (!event) {
    o.detail = "mined in tx " + to_hex(o.tx) + " but " + event.error().message;
    return o;
  }
  o.status = ClaimStatus::kClaimed;
  o.utilisation = event->utilisation;
  o.subsidy = event->subsidy;
  o.amount = event->utilisation + event->subsidy;
  return o;
}

ClaimOutcome Claimer::claim_link(uint64_t era, uint64_t last, uint64_t delay,
                                 const protocol::PublishedLinkLeaf& p) {
  ClaimOutcome o{true, p.leaf.bundle_id, ClaimStatus::kFailed, era, 0, 0, 0, {}, {}};
  if (era + delay > last) {
    o.status = ClaimStatus::kTooRecent;
    o.detail = too_recent(era, delay);
    return o;
  }
  auto claimed = settlement_.claimed_link_rewards(p.leaf.bundle_id);
  if (!claimed) {
    o.detail = claimed.error().message;
    return o;
  }
  if (p.leaf.reward <= *claimed) {
    o.status = ClaimStatus::kNothingToClaim;
    o.detail = format_icnt(*claimed) + " ICNT already claimed up to era " + std::to_string(era);
    return o;
  }
  auto receipt = settlement_.claim_link_rewards(
      sender_, era, p.leaf, p.proof, std::chrono::steady_clock::now() + receipt_timeout_);
  if (!receipt) {
    o.status = status_of_revert(receipt.error().message);
    o.detail = receipt.error().message;
    return o;
  }
  o.tx = receipt->tx_hash;
  auto event = settlement_.link_rewards_claimed(*receipt);
  if (!event) {
    o.detail = "mined in tx " + to_hex(o.tx) + " but " + event.error().message;
    return o;
  }
  o.status = ClaimStatus::kClaimed;
  o.amount = event->amount;
  return o;
}

Result<std::vector<ClaimOutcome>> Claimer::claim(const ClaimRequest& request) {
  ICN_TRY(Selection s, select(request));
  std::vector<ClaimOutcome> out;
  if (s.nodes.empty() && s.links.empty() && s.missing.empty()) {
    return fail(request.all_mine ? sender_.address().checksummed() +
                                       " owns no node and no Link bundle with a leaf in era " +
                                       std::to_string(s.era)
                                 : "nothing selected: name --node, --bundle or --all-mine");
  }
  // The delays are read once: the era is the last committed one, so `last` is s.era.
  uint64_t hp_delay = 0, link_delay = 0;
  if (!s.nodes.empty()) {
    ICN_TRY(hp_delay, settlement_.hp_claim_delay());
  }
  if (!s.links.empty()) {
    ICN_TRY(link_delay, settlement_.link_claim_wait());
  }
  for (const auto& n : s.nodes) out.push_back(claim_node(s.era, s.era, hp_delay, n));
  for (const auto& l : s.links) out.push_back(claim_link(s.era, s.era, link_delay, l));
  for (auto& m : s.missing) out.push_back(std::move(m));
  return out;
}

}  // namespace icn::claims
