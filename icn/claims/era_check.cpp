// EraCheck: the dataRoot recomputed from published batches, the published leaves verified
// against the committed resultsRoot.
#include "icn/claims/era_check.hpp"

namespace icn::claims {

Result<EraCheck> check_era(const chain::CommittedEra& committed, const nlohmann::json& batches,
                           const nlohmann::json& results, const protocol::WireLimits& wire) {
  EraCheck c;
  c.era = committed.era;
  c.committed = committed;
  const std::string era_text = std::to_string(committed.era);

  ICN_TRY(auto published_batches, protocol::decode_published_batches(batches, wire));
  if (published_batches.era != committed.era) {
    return fail("the batches document is for era " + std::to_string(published_batches.era) +
                ", not era " + era_text);
  }
  std::vector<Hash> hashes;
  for (const auto& b : published_batches.batches) {
    Hash h = protocol::batch_hash(b.batch);
    if (h != b.hash) {
      c.batch_problems.push_back(std::string(protocol::to_string(b.kind)) + " " +
                                 to_decimal(b.originator_id) + ": published hash " +
                                 to_hex(b.hash) + ", content hashes to " + to_hex(h));
    }
    hashes.push_back(h);
    if (b.equivocation) ++c.evidence;
  }
  c.batches = hashes.size();
  c.recomputed_data_root = protocol::data_root(hashes);

  ICN_TRY(auto published, protocol::decode_published_results(results));
  if (published.era != committed.era) {
    return fail("the results document is for era " + std::to_string(published.era) + ", not era " +
                era_text);
  }
  c.published_results_root = published.results_root;
  c.published_data_root = published.data_root;
  c.node_leaves = published.nodes.size();
  c.link_leaves = published.links.size();
  for (const auto& n : published.nodes) {
    if (auto ok = protocol::check_leaf(n, committed.results_root); !ok) {
      c.leaf_problems.push_back(ok.error().message);
    }
  }
  for (const auto& l : published.links) {
    if (auto ok = protocol::check_leaf(l, committed.results_root); !ok) {
      c.leaf_problems.push_back(ok.error().message);
    }
  }
  c.rebuilt_results_root = protocol::rebuilt_results_root(published);
  return c;
}

Result<EraCheck> verify_era(uint64_t era, chain::SettlementContract& settlement,
                            EraPublications& publications) {
  ICN_TRY(auto last, settlement.last_committed_era());
  if (!last || *last < era) {
    return fail("era " + std::to_string(era) + " is not committed on chain (last committed: " +
                (last ? std::to_string(*last) : std::string("none")) + ")");
  }
  ICN_TRY(auto committed, settlement.era_roots(era));
  ICN_TRY(auto batches, publications.batches(era));
  ICN_TRY(auto results, publications.results(era));
  ICN_TRY_CTX(auto check, check_era(committed, batches, results),
              "satellite " + publications.source());
  return check;
}

std::string describe(const EraCheck& c) {
  std::string out = "era " + std::to_string(c.era) + ": " + (c.matches() ? "MATCH" : "MISMATCH");
  out += "\n  dataRoot    " + std::string(c.data_root_matches() ? "match" : "MISMATCH") +
         ": recomputed " + to_hex(c.recomputed_data_root) + " from " + std::to_string(c.batches) +
         " batches (" + std::to_string(c.evidence) + " equivocation evidence), committed " +
         to_hex(c.committed.data_root);
  for (const auto& p : c.batch_problems) out += "\n    batch " + p;
  out += "\n  resultsRoot " + std::string(c.results_root_matches() ? "match" : "MISMATCH") + ": " +
         std::to_string(c.node_leaves) + " node and " + std::to_string(c.link_leaves) +
         " Link leaves published, " +
         (c.leaf_problems.empty() ? std::string("every one verifies")
                                  : std::to_string(c.leaf_problems.size()) + " do not verify") +
         " against the committed root " + to_hex(c.committed.results_root) +
         "; together they rebuild " + to_hex(c.rebuilt_results_root);
  for (const auto& p : c.leaf_problems) out += "\n    leaf " + p;
  if (c.published_data_root != c.committed.data_root ||
      c.published_results_root != c.committed.results_root) {
    out += "\n  the satellite's own roots differ from the committed ones: resultsRoot " +
           to_hex(c.published_results_root) + ", dataRoot " + to_hex(c.published_data_root);
  }
  out +=
      "\n  not recomputed: the verdicts and settlement behind the resultsRoot (they need the "
      "previous era's DOWN history, which no leaf holds, and the era's economics; satellites "
      "publish neither)";
  return out;
}

}  // namespace icn::claims
