// The era-results follower: after each EraCommitted the indexer reads that era's results from a
// satellite (GET /v1/eras/{e}/results and /verdicts, docs/satellite.md), keeps them only when
// their leaves rebuild the committed resultsRoot, and stores per-node and per-HyperNode rows.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/indexer/store.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"

namespace icn::indexer {

// Satellite output is outside input: a record comes back only when the published results are
// for `era`, name `committed_root`, and their leaves rebuild exactly that root. `verdicts` (the
// body of /v1/eras/{e}/verdicts, or null when the satellite has none) must name the same root;
// its entries are checked for form ("verdicts.nodes[2].verdict: …"). Verdicts are not part of
// the root: they are the serving committee member's word.
Result<EraResultsRecord> verify_era_results(int64_t era, const Hash& committed_root,
                                            const nlohmann::json& results,
                                            const nlohmann::json& verdicts);

struct EraResultsOptions {
  std::vector<std::string> satellites;           // base URLs, tried in order (rotating on failure)
  std::chrono::milliseconds interval{2000};      // between rounds while nothing fails
  std::chrono::milliseconds max_backoff{60000};  // the wait doubles per failed round up to this
  size_t eras_per_round = 32;
  std::chrono::milliseconds request_timeout{10000};
};

struct EraResultsMetrics {
  explicit EraResultsMetrics(infra::MetricsRegistry& registry);
  infra::Counter& stored;
  infra::CounterFamily& rejected;  // label reason: unreachable, bad_results, root_mismatch
  infra::Gauge& pending;           // committed eras without stored results
};

class EraResultsFollower {
 public:
  EraResultsFollower(IndexStore& store, EraResultsOptions options,
                     EraResultsMetrics* metrics = nullptr);
  ~EraResultsFollower();

  // One round: each committed era without results (oldest first, up to eras_per_round) is asked
  // of the satellites in turn until one serves results that verify. Returns how many eras were
  // stored; an error (naming each satellite's failure for the first era) only when eras were
  // pending and none could be read from any satellite.
  Result<size_t> poll_once();
  // Until `stop`: rounds every `interval`; after a failed round the wait doubles (up to
  // max_backoff) so a down committee is not hammered; the store is where it resumes from.
  void run(const infra::StopFlag& stop, const std::function<void(const Error&)>& on_error);

 private:
  Result<EraResultsRecord> fetch(size_t satellite, int64_t era, const Hash& root);

  IndexStore& store_;
  EraResultsOptions options_;
  EraResultsMetrics* metrics_;
  std::vector<std::unique_ptr<infra::JsonHttpClient>> clients_;
  size_t first_ = 0;  // the satellite that last answered: asked first
};

}  // namespace icn::indexer
