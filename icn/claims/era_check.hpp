// `icn verify-era`: recompute what can be recomputed of an era from what its satellites publish
// and compare with the roots Settlement committed. The dataRoot is recomputed from the published
// batches (their hashes recomputed from content, with core's data_root). The resultsRoot is
// checked, not recomputed: every published leaf must verify against the committed root and the
// leaves together must rebuild exactly that root (no leaf missing, none added). Recomputing it
// from the batches also needs the previous era's full state (the DOWN history is in no leaf) and
// the era's economics, which satellites do not publish; describe() says so.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/claims/publications.hpp"
#include "icn/core/era_publication.hpp"

namespace icn::claims {

struct EraCheck {
  uint64_t era = 0;
  chain::CommittedEra committed;  // Settlement.eraRoots(era)

  // dataRoot, recomputed
  size_t batches = 0;
  size_t evidence = 0;  // equivocation evidence among them (part of the root)
  Hash recomputed_data_root{};
  std::vector<std::string> batch_problems;  // a published hash that is not the batch's content hash

  // resultsRoot, verified
  Hash published_results_root{};
  Hash published_data_root{};
  size_t node_leaves = 0, link_leaves = 0;
  std::vector<std::string> leaf_problems;  // leaves that do not verify against the committed root
  Hash rebuilt_results_root{};

  bool data_root_matches() const {
    return recomputed_data_root == committed.data_root && batch_problems.empty();
  }
  bool results_root_matches() const {
    return leaf_problems.empty() && rebuilt_results_root == committed.results_root;
  }
  bool matches() const { return data_root_matches() && results_root_matches(); }
};

// Pure: the two published documents against the committed roots. Errors only for documents that
// do not decode (a malformed publication is not a mismatch but cannot be checked).
Result<EraCheck> check_era(const chain::CommittedEra& committed, const nlohmann::json& batches,
                           const nlohmann::json& results,
                           const protocol::WireLimits& wire = protocol::WireLimits{});

// Reads the committed roots (an era not committed yet is an error) and both documents.
Result<EraCheck> verify_era(uint64_t era, chain::SettlementContract& settlement,
                            EraPublications& publications);

// "era 5: MATCH" / "era 5: MISMATCH", then one line per root and what was not recomputed.
std::string describe(const EraCheck& check);

}  // namespace icn::claims
