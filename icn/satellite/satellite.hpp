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

  // Anti-entropy (docs/satellite.md): once an era's grace has passed, every tick asks each peer
  // for the era's batch hashes and fetches the batches we lack, which pass the same checks as a
  // client's (except the grace: a peer's batch is taken until the era is computed here). The era
  // is computed at end block + grace + fill_blocks, after a last fill round in which at least
  // min(peers, threshold − 1) peers answered completely; otherwise it waits.
  bool fill = true;
  uint64_t fill_blocks = 3;
  size_t max_fill_hashes = 200'000;  // batch hashes taken from one peer's index of an era
  size_t max_fill_failures = 8;      // failed fetches from one peer before its round is given up
  std::chrono::milliseconds fill_timeout{5000};  // per request to a peer

  // Retention: once era E is computed, the batches of era E − retention_eras are deleted (0: keep
  // every batch). Results and signatures are kept, so claims stay possible for every era; what a
  // pruned era loses is its published batches (410 "pruned"), hence `icn verify-era` and a peer
  // that was down longer than the retention filling from us.
  uint64_t retention_eras = 0;
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

  // Computes eras in order while they are ready (after filling each from the peers when `fill`);
  // the number computed.
  Result<size_t> compute_ready_eras();
  // One anti-entropy round for `era`: every peer's batch index, then every batch we lack, each
  // ingested as a client's would be (except the grace). Peers answering garbage are logged,
  // counted (icn_satellite_fill_failures_total) and ignored. The number of peers that answered
  // completely (index read, every listed batch we lacked fetched: stored or refused on its merits).
  size_t fill_era(uint64_t era);
  // The block from which an era is computed: end block + grace (+ fill_blocks when filling).
  uint64_t ready_block(const chain::EraBounds& bounds) const;
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
  enum class BatchSource { kClient, kPeer };
  // What ingest came to: the HTTP status and error code a client gets (200 and "" when stored).
  struct Ingested {
    int status = 200;
    std::string code;
    std::string message;
    InsertOutcome outcome = InsertOutcome::kAccepted;
    StoredBatch batch;  // decoded fields and hash (body empty on a decode failure)
    Hash first_hash{};  // equivocation: the originator's first batch
  };
  // Every check of a batch, then the durable insert. A client's batch must arrive within the
  // grace; a peer's until the era is computed. `expected` (peers): the hash asked for, checked
  // before anything is stored.
  Ingested ingest(std::string_view body, BatchSource source, const Hash* expected = nullptr);
  struct PeerLink;
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
  infra::HttpResponse era_batch_hashes(uint64_t era);
  infra::HttpResponse era_results(uint64_t era);
  infra::HttpResponse era_signatures(uint64_t era);
  infra::HttpResponse era_verdicts(uint64_t era);
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

  // The decoded form of every batch ingest verified and stored, per era not computed yet, by
  // hash: compute_era takes them instead of decoding the stored text again. Only a copy of what
  // is on disk (the store stays the source of truth): a batch missing here (after a restart, or a
  // computation that failed and is retried) is decoded from the store.
  std::mutex decoded_mu_;
  std::map<uint64_t, std::map<Hash, protocol::AnyBatch>> decoded_;

  std::mutex chain_mu_;         // ChainView implementations need not be thread-safe
  std::shared_mutex era_gate_;  // ingest shared, era computation exclusive: no batch slips in
  std::mutex compute_mu_;       // one computation at a time
  std::mutex push_mu_;
  std::vector<PendingPush> pending_pushes_;
  std::vector<std::unique_ptr<infra::JsonHttpClient>> peers_;
  std::vector<std::unique_ptr<PeerLink>> fill_links_;  // per peer, used by the tick thread only
  std::set<size_t> fill_unreachable_;  // peers that did not answer this tick (tick thread only)
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
