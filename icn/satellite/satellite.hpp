// The satellite role (DESIGN §6–§8): accepts era batches (durably, before answering), computes each
// era's verdicts and cumulative results once its submission grace has passed, signs
// {era, resultsRoot, dataRoot}, exchanges signatures with the committee peers and decides when to
// submit commitEra, then keeps the committed era's slashes (applySlash). HTTP handlers and tick()
// may run on different threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"
#include "icn/satellite/batch_store.hpp"
#include "icn/satellite/era_inputs.hpp"
#include "icn/satellite/submitter.hpp"

namespace icn::satellite {

struct SatelliteOptions {
  // Blocks after an era's end during which batches are accepted (DESIGN §11: devnet 5,
  // production 150); the era is computed once head ≥ end block + grace.
  uint64_t grace_blocks = 5;
  // Blocks after the era became computable before a non-leader submits commitEra itself; also
  // blocks after an era was seen committed before a member other than its keeper applies slashes.
  uint64_t submit_timeout_blocks = 10;
  // The first era Settlement takes (Settlement.firstEra): computed from the genesis state.
  uint64_t first_era = 0;
  // deployment.json's deploy_block: an era that started before it has no ScalerNodes and no
  // HyperNodes (the contracts did not exist at its start block, so nothing can be read there).
  uint64_t deploy_block = 0;
  protocol::WireLimits wire_limits;
  std::vector<std::string> peers;  // base URLs of the other committee members' satellites
  std::chrono::milliseconds push_backoff_initial{500};
  std::chrono::milliseconds push_backoff_max{60000};
  std::chrono::milliseconds poll_interval{1000};  // run(): time between ticks
  size_t max_eras_per_tick = 16;
};

// JSON errors with these codes (HTTP status in brackets): invalid_batch [400], era_not_closed
// [409], submission_closed [409], unknown_originator [403], originator_inactive [403],
// bad_signature [403], duplicate [409], equivocation [409], chain_unavailable [503],
// store_failure [500]; signatures: bad_request [400], era_mismatch [400], era_not_computed [409],
// not_committee_member [403], disagreement [409].
class Satellite {
 public:
  Satellite(chain::ChainView& chain, BatchStore& store, PrivateKey signer,
            EconomicsSource& economics, MaintenanceSource& maintenance, Submitter* submitter,
            infra::MetricsRegistry& metrics, SatelliteOptions options = {});
  ~Satellite();

  // POST /v1/batches, GET /v1/batches/{hash}, GET /v1/eras/{e}/batches|results|signatures,
  // POST /v1/eras/{e}/signatures, GET /v1/status (and /metrics through the registry).
  void mount(infra::HttpServer& server);

  infra::HttpResponse post_batch(const infra::HttpRequest& request);
  infra::HttpResponse post_signature(uint64_t era, std::string_view body);

  // One round: compute every era whose grace has passed, push our signatures to peers that have
  // not taken them yet, submit commitEra when decide_submit says so and apply the last committed
  // era's slashes when decide_slash says so. Errors are logged.
  void tick();
  // tick() every poll_interval until `stop` is requested.
  void run(const infra::StopFlag& stop);

  // Computes eras in order while they are ready; the number computed.
  Result<size_t> compute_ready_eras();
  // Computes and stores one era (its predecessor must be computed, or it is first_era).
  Status compute_era(uint64_t era);
  void push_signatures();
  Status submit_if_due();
  // Keeper duty (DESIGN §7): for the last committed era, every node leaf whose cumulative
  // `slashed` is above what Settlement recorded gets applySlash (leaves are cumulative, so the
  // last era covers every earlier one). Reads the chain first; a StaleLeaf revert means another
  // member was first and is counted, not an error. Needs our roots to equal the committed ones.
  Status apply_slashes_if_due();

  const Hash& domain() const { return domain_; }
  Address signer_address() const { return signer_.address(); }

 private:
  struct Metrics;
  struct PendingPush {
    uint64_t era;
    size_t peer;
    std::chrono::steady_clock::time_point next_attempt;
    std::chrono::milliseconds backoff;
  };

  infra::HttpResponse reject(int status, std::string_view code, std::string message);
  infra::HttpResponse get_batch(std::string_view hash_text);
  infra::HttpResponse get_era(const infra::HttpRequest& request);
  infra::HttpResponse post_era(const infra::HttpRequest& request);
  infra::HttpResponse era_batches(uint64_t era);
  infra::HttpResponse era_results(uint64_t era);
  infra::HttpResponse era_signatures(uint64_t era);
  infra::HttpResponse status();
  void queue_push(uint64_t era);

  chain::ChainView& chain_;
  BatchStore& store_;
  PrivateKey signer_;
  EconomicsSource& economics_;
  MaintenanceSource& maintenance_;
  Submitter* submitter_;
  SatelliteOptions options_;
  Hash domain_{};
  std::unique_ptr<Metrics> metrics_;

  std::mutex chain_mu_;         // ChainView implementations need not be thread-safe
  std::shared_mutex era_gate_;  // ingest shared, era computation exclusive: no batch slips in
  std::mutex compute_mu_;       // one computation at a time
  std::mutex push_mu_;
  std::vector<PendingPush> pending_pushes_;
  std::vector<std::unique_ptr<infra::JsonHttpClient>> peers_;
  std::mutex submit_mu_;
  std::map<uint64_t, uint64_t> submitted_at_;  // era → head block of our last submission
  std::set<uint64_t> committed_by_us_;         // eras whose commitEra we landed
  // Slash keeping: the last era whose slashes are all applied (or that had none), the head when
  // each era was first seen committed, and when our last failed attempt was (retry after timeout).
  std::optional<uint64_t> slashes_kept_era_;
  std::map<uint64_t, uint64_t> slash_seen_at_;
  std::map<uint64_t, uint64_t> slash_failed_at_;
};

}  // namespace icn::satellite
