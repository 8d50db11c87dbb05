// The satellite service: ingest, era computation, signature exchange and the submit decision.
#include "icn/satellite/satellite.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "icn/core/era_publication.hpp"
#include "icn/core/keccak.hpp"

namespace icn::satellite {

using infra::HttpRequest;
using infra::HttpResponse;
using nlohmann::json;

namespace {
// GET /v1/eras/{e}/verdicts: what the era itself judged (the results leaves only hold cumulative
// sums), lower-case verdicts, performance as a WAD, ids and WADs decimal strings.
json era_verdicts_json(const protocol::EraVerdicts& v) {
  json nodes = json::array();
  for (const auto& n : v.scaler_nodes) {
    std::string verdict(protocol::to_string(n.verdict));
    std::transform(verdict.begin(), verdict.end(), verdict.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    nodes.push_back({{"nodeId", to_decimal(n.id)}, {"verdict", verdict}});
  }
  json hyper = json::array();
  for (const auto& h : v.hyper_nodes) {
    hyper.push_back({{"hyperNodeId", to_decimal(h.id)},
                     {"performance", to_decimal(h.performance_wad)},
                     {"good", h.good}});
  }
  return {{"era", v.era},
          {"hasVerdict", v.has_verdict},
          {"upCount", v.up_count},
          {"nodes", std::move(nodes)},
          {"hyperNodes", std::move(hyper)}};
}
}  // namespace

struct Satellite::Metrics {
  infra::CounterFamily& accepted;
  infra::CounterFamily& rejected;
  infra::Counter& eras_computed;
  infra::Gauge& last_computed_era;
  infra::CounterFamily& signatures;
  infra::Counter& disagreements;
  infra::Counter& equivocations;
  infra::Counter& push_failures;
  infra::CounterFamily& submissions;
  infra::CounterFamily& slashes;
  infra::CounterFamily& filled;
  infra::CounterFamily& fill_failures;
  infra::Counter& pruned;

  explicit Metrics(infra::MetricsRegistry& r)
      : accepted(r.counter("icn_satellite_batches_accepted_total",
                           "Batches stored, by originator kind", {"kind"})),
        rejected(r.counter("icn_satellite_batches_rejected_total",
                           "Batches refused, by reason code", {"reason"})),
        eras_computed(
            r.counter("icn_satellite_eras_computed_total", "Eras computed and signed").get()),
        last_computed_era(
            r.gauge("icn_satellite_last_computed_era", "The last era computed").get()),
        signatures(r.counter("icn_satellite_signatures_received_total",
                             "Committee signatures received, by outcome", {"outcome"})),
        disagreements(r.counter("icn_satellite_signature_disagreements_total",
                                "Valid committee signatures over roots other than ours")
                          .get()),
        equivocations(r.counter("icn_satellite_equivocations_total",
                                "Second, different batches of an originator for one era")
                          .get()),
        push_failures(r.counter("icn_satellite_signature_push_failures_total",
                                "Failed attempts to hand our signature to a peer")
                          .get()),
        submissions(r.counter("icn_satellite_commit_submissions_total",
                              "commitEra submissions, by outcome", {"outcome"})),
        slashes(r.counter("icn_satellite_slashes_applied_total",
                          "applySlash transactions, by outcome", {"outcome"})),
        filled(r.counter("icn_satellite_batches_filled_total",
                         "Batches stored from a peer's index (anti-entropy), by peer", {"peer"})),
        fill_failures(r.counter("icn_satellite_fill_failures_total",
                                "Failed or refused anti-entropy fetches, by peer and reason",
                                {"peer", "reason"})),
        pruned(r.counter("icn_satellite_batches_pruned_total",
                         "Batches deleted by retention (retention_eras)")
                   .get()) {}
};

// One peer as anti-entropy talks to it: its batch index as JSON, each batch as the stored text.
struct Satellite::PeerLink {
  std::string url;
  infra::JsonHttpClient index;
  infra::HttpConnection batches;
  PeerLink(const std::string& base, const SatelliteOptions& o)
      : url(base),
        index(base, index_options(o)),
        batches(
            infra::HttpConnectionOptions{std::min(o.fill_timeout, std::chrono::milliseconds(2000)),
                                         o.fill_timeout,
                                         o.wire_limits.max_text_bytes + 1,
                                         {}}) {}
  static infra::JsonHttpClientOptions index_options(const SatelliteOptions& o) {
    infra::JsonHttpClientOptions h;
    h.connect_timeout = std::min(o.fill_timeout, std::chrono::milliseconds(2000));
    h.request_timeout = o.fill_timeout;
    h.max_response_bytes = o.max_fill_hashes * 70 + 4096;  // "0x…64…", per hash
    return h;
  }
};

namespace {

Result<uint64_t> parse_era(std::string_view text) {
  uint64_t v = 0;
  if (text.empty() || (text.size() > 1 && text[0] == '0'))
    return fail("era: not a canonical number");
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return fail("era: not a number");
  return v;
}

std::string hex(ByteView b) {
  return to_hex(b);
}

std::string status_name(chain::ScalerNodeStatus status) {
  return "in status " + std::string(chain::to_string(status));
}

}  // namespace

Satellite::Satellite(chain::ChainView& chain, BatchStore& store, PrivateKey signer,
                     EconomicsSource& economics, MaintenanceSource& maintenance,
                     Submitter* submitter, infra::MetricsRegistry& metrics,
                     SatelliteOptions options)
    : chain_(chain),
      store_(store),
      signer_(std::move(signer)),
      economics_(economics),
      maintenance_(maintenance),
      submitter_(submitter),
      options_(std::move(options)),
      domain_(protocol::domain_separator(chain.chain_id(), chain.settlement())),
      metrics_(std::make_unique<Metrics>(metrics)) {
  for (const auto& url : options_.peers) {
    peers_.push_back(std::make_unique<infra::JsonHttpClient>(url));
    fill_links_.push_back(std::make_unique<PeerLink>(url, options_));
  }
  // After a restart peers may still lack our signature of the last era: offer it again.
  if (auto last = store_.last_computed_era(); last && *last) {
    queue_push(**last);
    metrics_->last_computed_era.set(double(**last));
  }
}

Satellite::~Satellite() = default;

HttpResponse Satellite::reject(int status, std::string_view code, std::string message) {
  metrics_->rejected.with({std::string(code)}).inc();
  spdlog::info("satellite: batch rejected ({}): {}", code, message);
  return infra::error_response(status, code, message);
}

// ---- ingest ----

HttpResponse Satellite::post_batch(const HttpRequest& request) {
  Ingested in = ingest(request.body(), BatchSource::kClient);
  if (in.status != 200) {
    auto r = reject(in.status, in.code, in.message);
    if (in.code == "duplicate" || in.code == "equivocation") {
      json body = json::parse(r.body);
      body["hash"] = hex(in.batch.hash);
      if (in.code == "equivocation") body["firstHash"] = hex(in.first_hash);
      r.body = body.dump();
    }
    return r;
  }
  metrics_->accepted.with({std::string(protocol::to_string(in.batch.kind))}).inc();
  return HttpResponse::json_body(
      {{"status", "accepted"}, {"hash", hex(in.batch.hash)}, {"era", in.batch.era}});
}

Satellite::Ingested Satellite::ingest(std::string_view body, BatchSource source,
                                      const Hash* expected) {
  Ingested out;
  auto refuse = [&](int status, std::string_view code, std::string message) {
    out.status = status;
    out.code = std::string(code);
    out.message = std::move(message);
    return out;
  };
  if (body.size() > options_.wire_limits.max_text_bytes) {
    return refuse(413, "body_too_large",
                  "batch of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                      std::to_string(options_.wire_limits.max_text_bytes));
  }
  auto decoded = protocol::decode_batch(body, options_.wire_limits);
  if (!decoded) return refuse(400, "invalid_batch", decoded.error().message);
  const protocol::AnyBatch& batch = *decoded;

  StoredBatch& stored = out.batch;
  // batch_hash is keccak256 of the canonical text: encode once, hash that.
  stored.body = std::visit([](const auto& b) { return protocol::encode(b); }, batch);
  stored.hash = keccak256(std::string_view(stored.body));
  if (expected && stored.hash != *expected) {
    return refuse(400, "hash_mismatch",
                  "asked for batch " + hex(*expected) + ", got " + hex(stored.hash));
  }
  if (auto* d = std::get_if<protocol::DaemonBatch>(&batch)) {
    stored.kind = protocol::OriginatorKind::kScalerNode;
    stored.originator_id = d->scaler_node_id;
    stored.era = d->era;
  } else {
    const auto& h = std::get<protocol::HyperNodeBatch>(batch);
    stored.kind = protocol::OriginatorKind::kHyperNode;
    stored.originator_id = h.hyper_node_id;
    stored.era = h.era;
  }
  const std::string who =
      std::string(protocol::to_string(stored.kind)) + " " + to_decimal(stored.originator_id);
  const std::string era_text = std::to_string(stored.era);

  // Shared: many batches at once, but never while an era is being computed.
  std::shared_lock gate(era_gate_);
  if (stored.era < options_.first_era) {
    return refuse(
        409, "submission_closed",
        "era " + era_text + " is before the first era " + std::to_string(options_.first_era));
  }
  auto computed = store_.era_result(stored.era);
  if (!computed) return refuse(500, "store_failure", computed.error().message);
  if (*computed) {
    return refuse(409, "submission_closed", "era " + era_text + " is already computed");
  }

  Address key;
  {
    std::lock_guard lock(chain_mu_);
    auto bounds = chain_.era_bounds(stored.era);
    if (!bounds) return refuse(503, "chain_unavailable", bounds.error().message);
    auto head = chain_.head_block();
    if (!head) return refuse(503, "chain_unavailable", head.error().message);
    if (*head < bounds->end_block) {
      return refuse(409, "era_not_closed",
                    "era " + era_text + " ends at block " + std::to_string(bounds->end_block) +
                        ", head is " + std::to_string(*head));
    }
    // A peer's batch is taken after the grace, until the era is computed here (checked above):
    // a satellite that was down fills its gaps from the others (docs/satellite.md).
    if (source == BatchSource::kClient && *head >= bounds->end_block + options_.grace_blocks) {
      return refuse(409, "submission_closed",
                    "the submission grace of era " + era_text + " ended at block " +
                        std::to_string(bounds->end_block + options_.grace_blocks));
    }
    if (bounds->start_block < options_.deploy_block) {
      return refuse(403, "unknown_originator",
                    "era " + era_text + " started before the protocol was deployed (block " +
                        std::to_string(options_.deploy_block) + "): it has no participants");
    }
    if (stored.kind == protocol::OriginatorKind::kScalerNode) {
      auto node = chain_.scaler_node(stored.originator_id, bounds->start_block);
      if (!node) return refuse(503, "chain_unavailable", node.error().message);
      if (!*node) return refuse(403, "unknown_originator", who + " is not registered");
      if (!(*node)->in_service()) {
        return refuse(403, "originator_inactive",
                      who + " is " + status_name((*node)->status) +
                          " at the era's start block, not in service");
      }
      key = (*node)->daemon;
    } else {
      auto hn = chain_.hyper_node(stored.originator_id, bounds->start_block);
      if (!hn) return refuse(503, "chain_unavailable", hn.error().message);
      if (!*hn) return refuse(403, "unknown_originator", who + " is not registered");
      if (!(*hn)->active) {
        return refuse(403, "originator_inactive", who + " is not active at the era's start block");
      }
      key = (*hn)->signer;
    }
  }
  Status signed_ok =
      std::visit([&](const auto& b) { return protocol::verify_batch(domain_, b, key); }, batch);
  if (!signed_ok) return refuse(403, "bad_signature", who + ": " + signed_ok.error().message);

  // On disk (one SQLite transaction, synchronous=FULL) before anyone is told it was accepted.
  auto inserted = store_.insert(stored);
  if (!inserted) return refuse(500, "store_failure", inserted.error().message);
  out.outcome = inserted->outcome;
  out.first_hash = inserted->first_hash;
  if (inserted->outcome != InsertOutcome::kEvidenceFull) {
    // Stored (now or before) and verified: keep the decoded batch for compute_era. Still under
    // the shared gate, so the era cannot be computed in between.
    std::lock_guard lock(decoded_mu_);
    decoded_[stored.era].try_emplace(stored.hash, std::move(*decoded));
  }
  const std::string hash_hex = hex(stored.hash);
  switch (inserted->outcome) {
    case InsertOutcome::kAccepted:
      spdlog::debug("satellite: accepted batch {} of {} for era {}{}", hash_hex, who, era_text,
                    source == BatchSource::kPeer ? " from a peer" : "");
      return out;
    case InsertOutcome::kDuplicate:
      return refuse(409, "duplicate", "batch " + hash_hex + " is already stored");
    case InsertOutcome::kEquivocation:
    case InsertOutcome::kEvidenceFull: {
      metrics_->equivocations.inc();
      spdlog::warn("satellite: EQUIVOCATION by {} in era {}: batch {} differs from {}{}", who,
                   era_text, hash_hex, hex(inserted->first_hash),
                   inserted->outcome == InsertOutcome::kEquivocation ? " (kept as evidence)" : "");
      return refuse(409, "equivocation",
                    who + " already sent batch " + hex(inserted->first_hash) + " for era " +
                        era_text + "; every batch of it is rejected for the era");
    }
  }
  return refuse(500, "store_failure", "unknown insert outcome");
}

// ---- era computation ----

uint64_t Satellite::ready_block(const chain::EraBounds& bounds) const {
  return bounds.end_block + options_.grace_blocks + (options_.fill ? options_.fill_blocks : 0);
}

Result<size_t> Satellite::compute_ready_eras() {
  size_t computed = 0;
  fill_unreachable_.clear();  // every peer is asked again each tick
  while (computed < options_.max_eras_per_tick) {
    ICN_TRY(auto last, store_.last_computed_era());
    uint64_t next = last ? *last + 1 : options_.first_era;
    uint64_t head = 0;
    chain::EraBounds bounds;
    size_t threshold = 0;
    {
      std::lock_guard lock(chain_mu_);
      ICN_TRY(head, chain_.head_block());
      ICN_TRY(bounds, chain_.era_bounds(next));
      if (options_.fill && !peers_.empty() && head >= bounds.end_block + options_.grace_blocks) {
        ICN_TRY(auto committee, chain_.committee(head));
        threshold = committee.threshold;
      }
    }
    if (head < bounds.end_block + options_.grace_blocks) break;
    if (options_.fill && !peers_.empty()) {
      // Every tick of the fill window fills again, so a batch one peer took late in the window
      // still reaches the others before they compute; the last round is right before computing.
      size_t answered = fill_era(next);
      if (head < ready_block(bounds)) break;
      size_t needed = std::min(peers_.size(), threshold > 0 ? threshold - 1 : size_t(0));
      if (answered < needed) {
        // Computing now would sign roots over what may be a part of the era: wait for peers.
        return fail("era " + std::to_string(next) + " waits: " + std::to_string(answered) +
                    " of the " + std::to_string(needed) +
                    " peers needed answered its batch index completely");
      }
    } else if (head < ready_block(bounds)) {
      break;
    }
    ICN_CHECK(compute_era(next));
    ++computed;
    if (options_.retention_eras > 0 && next >= options_.retention_eras) {
      ICN_TRY(size_t deleted, store_.prune_batches_through(next - options_.retention_eras));
      metrics_->pruned.inc(double(deleted));
    }
  }
  return computed;
}

size_t Satellite::fill_era(uint64_t era) {
  const std::string era_text = std::to_string(era);
  size_t complete = 0;
  for (size_t peer = 0; peer < fill_links_.size(); ++peer) {
    // Unreachable earlier this tick: asking again for the next era would cost another timeout.
    if (fill_unreachable_.contains(peer)) continue;
    auto& link = fill_links_[peer];
    auto fail_count = [&](std::string_view reason, const std::string& message) {
      metrics_->fill_failures.with({link->url, std::string(reason)}).inc();
      spdlog::warn("satellite: era {} fill from {}: {} ({})", era_text, link->url, message, reason);
    };
    auto index = link->index.get("/v1/eras/" + era_text + "/batch-hashes",
                                 std::chrono::steady_clock::now() + options_.fill_timeout);
    if (!index) {
      fail_count("unreachable", index.error().message);
      fill_unreachable_.insert(peer);
      continue;
    }
    const json& j = *index;
    if (!j.is_object() || !j.contains("era") || !j["era"].is_number_unsigned() ||
        j["era"].get<uint64_t>() != era || !j.contains("hashes") || !j["hashes"].is_array()) {
      fail_count("bad_index", "not a batch index of era " + era_text);
      continue;
    }
    if (j["hashes"].size() > options_.max_fill_hashes) {
      fail_count("bad_index", "index lists " + std::to_string(j["hashes"].size()) +
                                  " batches, more than the limit of " +
                                  std::to_string(options_.max_fill_hashes));
      continue;
    }
    std::vector<Hash> listed;
    bool well_formed = true;
    for (const auto& h : j["hashes"]) {
      std::optional<Hash> parsed;
      if (h.is_string()) {
        const auto& text = h.get_ref<const std::string&>();
        if (auto p = parse_fixed_hex<32>(text); p && hex(*p) == text) parsed = *p;
      }
      if (!parsed) {
        well_formed = false;
        break;
      }
      listed.push_back(*parsed);
    }
    if (!well_formed) {
      fail_count("bad_index", "a listed hash is not 0x + 64 lowercase hex digits");
      continue;
    }
    auto own = store_.era_batch_hashes(era);
    if (!own) {
      spdlog::error("satellite: era {} fill: {}", era_text, own.error().message);
      return complete;
    }
    std::sort(own->begin(), own->end());
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    std::vector<Hash> missing;
    std::set_difference(listed.begin(), listed.end(), own->begin(), own->end(),
                        std::back_inserter(missing));
    // Every miss counts towards max_fill_failures, so a peer listing junk costs a few fetches
    // per round; the peer counts as answered only when nothing failed on the way (a batch it
    // offers that our checks refuse is its problem, not a gap of ours).
    size_t failures = 0, filled = 0;
    bool incomplete = false;
    for (const Hash& h : missing) {
      if (failures >= options_.max_fill_failures) {
        incomplete = true;
        fail_count("too_many_failures", "gave up this round after " + std::to_string(failures) +
                                            " failed or refused batches");
        break;
      }
      auto got = link->batches.perform(link->url + "/v1/batches/" + hex(h), nullptr);
      if (got.outcome != infra::HttpExchange::Outcome::kAnswered || got.status != 200) {
        ++failures;
        incomplete = true;
        fail_count("fetch_failed", "batch " + hex(h) + ": " +
                                       (got.outcome == infra::HttpExchange::Outcome::kAnswered
                                            ? "HTTP " + std::to_string(got.status)
                                            : got.detail));
        continue;
      }
      Ingested in = ingest(got.body, BatchSource::kPeer, &h);
      if (in.status == 200 || in.outcome == InsertOutcome::kEquivocation) {
        ++filled;  // an equivocation is stored as evidence: peers share evidence too
        metrics_->filled.with({link->url}).inc();
        continue;
      }
      if (in.code == "duplicate") continue;  // arrived meanwhile from a client or another peer
      ++failures;
      if (in.code == "submission_closed" || in.code == "chain_unavailable" ||
          in.code == "store_failure") {
        incomplete = true;  // our side: the era got computed meanwhile, or we cannot check now
      }
      fail_count(in.code, "batch " + hex(h) + " refused: " + in.message);
    }
    if (incomplete) continue;
    if (filled > 0) {
      spdlog::info("satellite: era {} filled {} batch(es) from {}", era_text, filled, link->url);
    }
    ++complete;
  }
  return complete;
}

Status Satellite::compute_era(uint64_t era) {
  std::lock_guard compute_lock(compute_mu_);
  std::unique_lock gate(era_gate_);  // no batch of any era is stored meanwhile
  const std::string era_text = std::to_string(era);
  ICN_TRY(auto existing, store_.era_result(era));
  if (existing) return {};

  protocol::EraState previous;
  if (era != options_.first_era) {
    if (era < options_.first_era) return fail("era " + era_text + " is before the first era");
    ICN_TRY(auto prev, store_.era_result(era - 1));
    if (!prev)
      return fail("era " + era_text + ": era " + std::to_string(era - 1) + " is not computed");
    previous = std::move(prev->state);
  }

  protocol::EraVerdictInput input;
  input.era = era;
  input.domain = domain_;
  chain::EraBounds bounds;
  {
    std::lock_guard lock(chain_mu_);
    ICN_TRY_CTX(bounds, chain_.era_bounds(era), "era " + era_text);
  }
  if (bounds.start_block >= options_.deploy_block) {
    std::lock_guard lock(chain_mu_);
    ICN_TRY_CTX(auto hns, chain_.hyper_nodes(bounds.start_block), "era " + era_text);
    for (const auto& hn : hns) {
      if (hn.active) input.hyper_nodes.push_back({hn.id, hn.signer});
    }
    ICN_TRY_CTX(auto nodes, chain_.scaler_nodes(bounds.start_block), "era " + era_text);
    ICN_TRY_CTX(auto maintenance, maintenance_.in_maintenance(bounds), "era " + era_text);
    for (const auto& n : nodes) {
      if (n.in_service()) {
        input.scaler_nodes.push_back({n.id, n.daemon, maintenance.count(n.id) > 0});
      }
    }
  }

  // The era's stored batches, ascending hash: decoded at ingest when we still hold them, else
  // read back and decoded (a batch we stored before a restart).
  ICN_TRY(auto hashes, store_.era_batch_hashes(era));
  std::map<Hash, protocol::AnyBatch> kept;
  {
    std::lock_guard lock(decoded_mu_);
    if (auto it = decoded_.find(era); it != decoded_.end()) {
      kept = std::move(it->second);
      decoded_.erase(it);
    }
  }
  protocol::WireLimits stored_limits;  // accepted under wire_limits; re-read without a cap
  stored_limits.max_text_bytes =
      std::max(stored_limits.max_text_bytes, options_.wire_limits.max_text_bytes);
  for (const Hash& h : hashes) {
    protocol::AnyBatch batch;
    if (auto it = kept.find(h); it != kept.end()) {
      batch = std::move(it->second);
    } else {
      ICN_TRY(auto stored, store_.batch(h));
      if (!stored) return fail("era " + era_text + ": stored batch " + hex(h) + " vanished");
      auto decoded = protocol::decode_batch(stored->body, stored_limits);
      if (!decoded) {
        return decoded.error().context("era " + era_text + ": stored batch " + hex(h));
      }
      batch = std::move(*decoded);
    }
    if (auto* d = std::get_if<protocol::DaemonBatch>(&batch)) {
      input.daemon_batches.push_back(std::move(*d));
    } else {
      input.hyper_node_batches.push_back(std::get<protocol::HyperNodeBatch>(std::move(batch)));
    }
  }
  kept.clear();

  // Every stored batch passed verify_batch at ingest against the key this input lists for its
  // originator (the registry at the era's start block, read the same way): checking the batch
  // signatures again would hash every entry a second time for nothing.
  ICN_TRY_CTX(auto verdicts,
              protocol::compute_era_verdicts(input, protocol::BatchSignatures::kCheckedByCaller),
              "era " + era_text + " verdicts");
  protocol::EraEconomics economics;
  {
    std::lock_guard lock(chain_mu_);  // economics sources read the ChainView
    ICN_TRY_CTX(economics, economics_.economics(bounds, verdicts),
                "era " + era_text + " economics");
  }
  ICN_TRY_CTX(auto settled, protocol::settle_era(previous, verdicts, economics),
              "era " + era_text + " settlement");

  StoredEraResult result;
  result.era = era;
  result.results_root = protocol::ResultsTree::build(settled.state).root();
  result.data_root = protocol::data_root(hashes);
  result.state = std::move(settled.state);
  result.verdicts = era_verdicts_json(verdicts).dump();
  result.own_signer = signer_.address();
  result.own_signature =
      protocol::sign(domain_, protocol::EraResult{era, result.results_root, result.data_root},
                     signer_)
          .signature;
  ICN_CHECK(store_.put_era_result(result));

  metrics_->eras_computed.inc();
  metrics_->last_computed_era.set(double(era));
  spdlog::info(
      "satellite: era {} computed: {} batches, verdict {} (UP {} of {}), resultsRoot {}, dataRoot "
      "{}",
      era, hashes.size(),
      verdicts.has_verdict ? "yes" : "none (" + verdicts.no_verdict_reason + ")", verdicts.up_count,
      verdicts.scaler_nodes.size(), hex(result.results_root), hex(result.data_root));
  queue_push(era);
  return {};
}

// ---- signatures ----

HttpResponse Satellite::post_signature(uint64_t era, std::string_view body) {
  auto refuse = [&](int status, std::string_view code, std::string message) {
    metrics_->signatures.with({std::string(code)}).inc();
    spdlog::info("satellite: signature for era {} refused ({}): {}", era, code, message);
    return infra::error_response(status, code, message);
  };
  auto decoded = protocol::decode_signed_era_result(body, options_.wire_limits);
  if (!decoded) return refuse(400, "bad_request", decoded.error().message);
  if (decoded->result.era != era) {
    return refuse(400, "era_mismatch",
                  "body is for era " + std::to_string(decoded->result.era) + ", path for era " +
                      std::to_string(era));
  }
  auto signer =
      recover_address(protocol::signing_digest(domain_, decoded->result), decoded->signature);
  if (!signer) return refuse(400, "bad_signature", signer.error().message);

  auto ours = store_.era_result(era);
  if (!ours) return refuse(500, "store_failure", ours.error().message);
  if (!*ours)
    return refuse(409, "era_not_computed",
                  "era " + std::to_string(era) + " is not computed here yet");

  chain::Committee committee;
  {
    // The committee commitEra will check is the one at the head, not the era's: an era computed
    // before governance named (or replaced) the committee is signed by the current one.
    std::lock_guard lock(chain_mu_);
    auto head = chain_.head_block();
    if (!head) return refuse(503, "chain_unavailable", head.error().message);
    auto c = chain_.committee(*head);
    if (!c) return refuse(503, "chain_unavailable", c.error().message);
    committee = std::move(*c);
  }
  if (std::find(committee.members.begin(), committee.members.end(), *signer) ==
      committee.members.end()) {
    return refuse(403, "not_committee_member",
                  signer->checksummed() + " is not a committee member");
  }
  const auto& r = decoded->result;
  if (r.results_root != (*ours)->results_root || r.data_root != (*ours)->data_root) {
    metrics_->disagreements.inc();
    metrics_->signatures.with({"disagreement"}).inc();
    spdlog::error(
        "satellite: DISAGREEMENT on era {}: committee member {} signed resultsRoot {} dataRoot {}, "
        "ours are {} {}",
        era, signer->checksummed(), hex(r.results_root), hex(r.data_root),
        hex((*ours)->results_root), hex((*ours)->data_root));
    return infra::error_response(409, "disagreement",
                                 "roots differ from ours: resultsRoot " +
                                     hex((*ours)->results_root) + ", dataRoot " +
                                     hex((*ours)->data_root));
  }
  auto stored = store_.put_signature(era, {*signer, decoded->signature});
  if (!stored) return refuse(500, "store_failure", stored.error().message);
  metrics_->signatures.with({*stored ? "accepted" : "duplicate"}).inc();
  spdlog::info("satellite: era {} signature of {} {}", era, signer->checksummed(),
               *stored ? "stored" : "already held");
  return HttpResponse::json_body(
      {{"era", era}, {"signer", signer->checksummed()}, {"stored", *stored}});
}

void Satellite::queue_push(uint64_t era) {
  std::lock_guard lock(push_mu_);
  for (size_t p = 0; p < peers_.size(); ++p) {
    bool queued = std::any_of(pending_pushes_.begin(), pending_pushes_.end(),
                              [&](const PendingPush& q) { return q.era == era && q.peer == p; });
    if (!queued) {
      pending_pushes_.push_back(
          {era, p, std::chrono::steady_clock::now(), options_.push_backoff_initial});
    }
  }
}

void Satellite::push_signatures() {
  std::vector<PendingPush> due;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(push_mu_);
    auto split = std::stable_partition(pending_pushes_.begin(), pending_pushes_.end(),
                                       [&](const PendingPush& q) { return q.next_attempt > now; });
    due.assign(split, pending_pushes_.end());
    pending_pushes_.erase(split, pending_pushes_.end());
  }
  std::vector<PendingPush> retry;
  // A peer that failed once this round is not asked again until the next: a frozen one answers
  // nothing until the timeout, and one timeout per pending era would hold the tick (and every
  // era's computation behind it) for minutes. Its pushes stay due, their backoff unchanged.
  std::set<size_t> failed_peers;
  for (auto& q : due) {
    if (failed_peers.contains(q.peer)) {
      retry.push_back(q);
      continue;
    }
    auto ours = store_.era_result(q.era);
    if (!ours || !*ours) continue;
    protocol::SignedEraResult message{{q.era, (*ours)->results_root, (*ours)->data_root},
                                      (*ours)->own_signature};
    auto& peer = *peers_[q.peer];
    auto answer =
        peer.post("/v1/eras/" + std::to_string(q.era) + "/signatures", protocol::to_json(message));
    if (answer) {
      spdlog::info("satellite: era {} signature taken by {}", q.era, peer.base_url());
      continue;
    }
    metrics_->push_failures.inc();
    spdlog::warn("satellite: era {} signature push to {} failed (retry in {} ms): {}", q.era,
                 peer.base_url(), q.backoff.count(), answer.error().message);
    if (answer.error().message.find("disagreement") != std::string::npos) {
      spdlog::error("satellite: peer {} DISAGREES with our roots of era {}", peer.base_url(),
                    q.era);
    }
    failed_peers.insert(q.peer);
    q.next_attempt = std::chrono::steady_clock::now() + q.backoff;
    q.backoff = std::min(options_.push_backoff_max, q.backoff * 2);
    retry.push_back(q);
  }
  std::lock_guard lock(push_mu_);
  pending_pushes_.insert(pending_pushes_.end(), retry.begin(), retry.end());
}

Status Satellite::submit_if_due() {
  if (!submitter_) return {};
  std::lock_guard submit_lock(submit_mu_);
  uint64_t head = 0, era = 0;
  chain::EraBounds bounds;
  chain::Committee committee;
  bool committed = false;
  {
    std::lock_guard lock(chain_mu_);
    ICN_TRY(head, chain_.head_block());
    ICN_TRY(auto last, chain_.last_committed_era(head));
    era = last ? last->era + 1 : options_.first_era;
    ICN_TRY(bounds, chain_.era_bounds(era));
    ICN_TRY(committee, chain_.committee(head));
  }
  ICN_TRY(auto ours, store_.era_result(era));
  if (!ours) return {};
  ICN_TRY(auto held, store_.signatures(era));
  std::vector<Signature> signatures;
  for (const auto& s : held) {
    if (std::find(committee.members.begin(), committee.members.end(), s.signer) !=
        committee.members.end()) {
      signatures.push_back(s.signature);
    }
  }
  SubmitDecisionInput in;
  in.era = era;
  in.committee_size = committee.members.size();
  auto me = std::find(committee.members.begin(), committee.members.end(), signer_.address());
  if (me != committee.members.end()) in.own_index = size_t(me - committee.members.begin());
  in.signatures = signatures.size();
  in.threshold = committee.threshold;
  in.committed = committed;
  in.head = head;
  in.ready_block = ready_block(bounds);
  in.submit_timeout = options_.submit_timeout_blocks;
  if (auto it = submitted_at_.find(era); it != submitted_at_.end()) {
    // Our earlier attempt has not landed: try again only after another timeout.
    if (head < it->second + options_.submit_timeout_blocks) return {};
  }
  SubmitAction action = decide_submit(in);
  if (action != SubmitAction::kSubmit) {
    spdlog::debug("satellite: era {} commit: {}", era, to_string(action));
    return {};
  }
  signatures.resize(std::min<size_t>(signatures.size(), committee.members.size()));
  submitted_at_[era] = head;
  auto tx = submitter_->commit_era({era, ours->results_root, ours->data_root}, signatures);
  if (!tx && tx.error().message.find("EraOutOfOrder") != std::string::npos) {
    // Another member's commitEra landed first (both may submit once the leader is late).
    metrics_->submissions.with({"already_committed"}).inc();
    spdlog::info("satellite: era {} was committed by another member first", era);
    return {};
  }
  if (!tx) {
    metrics_->submissions.with({"failed"}).inc();
    return tx.error().context("commitEra for era " + std::to_string(era));
  }
  metrics_->submissions.with({"sent"}).inc();
  committed_by_us_.insert(era);
  spdlog::info("satellite: era {} committed by us in transaction {}", era, hex(*tx));
  return {};
}

Status Satellite::apply_slashes_if_due() {
  if (!submitter_) return {};
  std::lock_guard submit_lock(submit_mu_);
  uint64_t head = 0;
  std::optional<chain::CommittedEra> last;
  chain::Committee committee;
  {
    std::lock_guard lock(chain_mu_);
    ICN_TRY(head, chain_.head_block());
    ICN_TRY(last, chain_.last_committed_era(head));
    if (!last) return {};
    if (slashes_kept_era_ && *slashes_kept_era_ >= last->era) return {};
    ICN_TRY(committee, chain_.committee(head));
  }
  const uint64_t era = last->era;
  const std::string era_text = std::to_string(era);
  ICN_TRY(auto ours, store_.era_result(era));
  if (!ours) return {};  // not computed here yet: we cannot prove its leaves
  if (ours->results_root != last->results_root) {
    slashes_kept_era_ = era;  // nothing we hold verifies against that root; say so once
    metrics_->slashes.with({"root_mismatch"}).inc();
    return fail("era " + era_text + ": the committed resultsRoot " + hex(last->results_root) +
                " is not ours (" + hex(ours->results_root) +
                "): its slashes are not applied by us");
  }
  auto tree = protocol::ResultsTree::build(ours->state);
  std::vector<const protocol::NodeLeaf*> slashable;
  for (const auto& leaf : tree.node_leaves()) {
    if (leaf.slashed > 0) slashable.push_back(&leaf);
  }
  if (slashable.empty()) {
    slashes_kept_era_ = era;
    return {};
  }
  slash_seen_at_.emplace(era, head);
  if (auto f = slash_failed_at_.find(era);
      f != slash_failed_at_.end() && head < f->second + options_.submit_timeout_blocks) {
    return {};
  }
  SlashDecisionInput in;
  in.era = era;
  in.committee_size = committee.members.size();
  auto me = std::find(committee.members.begin(), committee.members.end(), signer_.address());
  if (me != committee.members.end()) in.own_index = size_t(me - committee.members.begin());
  in.we_committed = committed_by_us_.count(era) > 0;
  in.head = head;
  in.seen_block = slash_seen_at_[era];
  in.timeout = options_.submit_timeout_blocks;
  SlashAction action = decide_slash(in);
  if (action != SlashAction::kApply) {
    spdlog::debug("satellite: era {} slashes: {}", era, to_string(action));
    if (action == SlashAction::kNotMember) slashes_kept_era_ = era;
    return {};
  }

  std::string failures;
  for (const protocol::NodeLeaf* leaf : slashable) {
    const std::string who = "node " + to_decimal(leaf->node_id);
    auto recorded = submitter_->slash_recorded(leaf->node_id);
    if (!recorded) {
      failures += "; " + who + ": " + recorded.error().message;
      continue;
    }
    if (*recorded >= leaf->slashed) continue;  // applied already (by us or another member)
    auto proof = tree.node_proof(leaf->node_id);
    if (!proof) return proof.error().context("era " + era_text + " " + who);
    auto tx = submitter_->apply_slash(era, *leaf, *proof);
    if (!tx && tx.error().message.find("StaleLeaf") != std::string::npos) {
      metrics_->slashes.with({"already_applied"}).inc();
      spdlog::info("satellite: era {} slash of {} was applied by another member first", era, who);
      continue;
    }
    if (!tx) {
      metrics_->slashes.with({"failed"}).inc();
      failures += "; " + who + ": " + tx.error().message;
      continue;
    }
    metrics_->slashes.with({"sent"}).inc();
    spdlog::info("satellite: era {} slash of {} applied (cumulative {}, was {}) in transaction {}",
                 era, who, to_decimal(leaf->slashed), to_decimal(*recorded), hex(*tx));
  }
  if (!failures.empty()) {
    slash_failed_at_[era] = head;
    return fail("applySlash for era " + era_text + failures.substr(1));
  }
  slashes_kept_era_ = era;
  slash_seen_at_.erase(slash_seen_at_.begin(), slash_seen_at_.upper_bound(era));
  slash_failed_at_.erase(slash_failed_at_.begin(), slash_failed_at_.upper_bound(era));
  return {};
}

void Satellite::tick() {
  auto computed = compute_ready_eras();
  if (!computed) spdlog::error("satellite: era computation: {}", computed.error().message);
  push_signatures();
  auto submitted = submit_if_due();
  if (!submitted) spdlog::error("satellite: {}", submitted.error().message);
  auto slashed = apply_slashes_if_due();
  if (!slashed) spdlog::error("satellite: {}", slashed.error().message);
}

void Satellite::run(const infra::StopFlag& stop) {
  while (!stop.requested()) {
    tick();
    stop.wait_for(options_.poll_interval);
  }
}

// ---- HTTP ----

void Satellite::mount(infra::HttpServer& server) {
  server.post("/v1/batches", [this](const HttpRequest& r) { return post_batch(r); });
  server.get("/v1/batches/*", [this](const HttpRequest& r) { return get_batch(r.path_tail()); });
  server.get("/v1/eras/*", [this](const HttpRequest& r) { return get_era(r); });
  server.post("/v1/eras/*", [this](const HttpRequest& r) { return post_era(r); });
  server.get("/v1/status", [this](const HttpRequest&) { return status(); });
}

HttpResponse Satellite::get_batch(std::string_view hash_text) {
  auto hash = parse_fixed_hex<32>(hash_text);
  if (!hash || hex(*hash) != hash_text) {
    return infra::error_response(400, "bad_request",
                                 "batch hash must be 0x + 64 lowercase hex digits");
  }
  auto b = store_.batch(*hash);
  if (!b) return infra::error_response(500, "store_failure", b.error().message);
  if (!*b) return infra::error_response(404, "not_found", "no batch " + std::string(hash_text));
  // The stored canonical text itself: its keccak256 is the address asked for.
  HttpResponse r = HttpResponse::text((*b)->body, "application/json");
  r.headers.emplace_back("X-Icn-Batch-Hash", hex((*b)->hash));
  return r;
}

namespace {
struct EraPath {
  uint64_t era;
  std::string what;
};
Result<EraPath> parse_era_path(std::string_view tail) {
  auto slash = tail.find('/');
  if (slash == std::string_view::npos)
    return fail("expected /v1/eras/{era}/{batches|batch-hashes|results|signatures}");
  ICN_TRY(uint64_t era, parse_era(tail.substr(0, slash)));
  return EraPath{era, std::string(tail.substr(slash + 1))};
}
}  // namespace

HttpResponse Satellite::get_era(const HttpRequest& request) {
  auto path = parse_era_path(request.path_tail());
  if (!path) return infra::error_response(404, "not_found", path.error().message);
  if (path->what == "batches" || path->what == "batch-hashes") {
    auto pruned = store_.pruned_through();
    if (!pruned) return infra::error_response(500, "store_failure", pruned.error().message);
    if (*pruned && path->era <= **pruned) {
      return infra::error_response(410, "pruned",
                                   "the batches of era " + std::to_string(path->era) +
                                       " were deleted by retention (through era " +
                                       std::to_string(**pruned) + ")");
    }
  }
  if (path->what == "batches") return era_batches(path->era);
  if (path->what == "batch-hashes") return era_batch_hashes(path->era);
  if (path->what == "results") return era_results(path->era);
  if (path->what == "signatures") return era_signatures(path->era);
  if (path->what == "verdicts") return era_verdicts(path->era);
  return infra::error_response(404, "not_found", "no such era resource: " + path->what);
}

HttpResponse Satellite::post_era(const HttpRequest& request) {
  auto path = parse_era_path(request.path_tail());
  if (!path || path->what != "signatures") {
    return infra::error_response(404, "not_found", "POST /v1/eras/{era}/signatures only");
  }
  return post_signature(path->era, request.body());
}

HttpResponse Satellite::era_batches(uint64_t era) {
  auto batches = store_.era_batches(era);
  if (!batches) return infra::error_response(500, "store_failure", batches.error().message);
  json list = json::array();
  for (const auto& b : *batches) {
    list.push_back(
        protocol::published_batch_json(b.hash, b.kind, b.originator_id, b.equivocation, b.body));
  }
  return HttpResponse::json_body({{"era", era}, {"batches", std::move(list)}});
}

// The cheap index peers fill from: hashes only (70 bytes each), ascending; `computed` says the
// set is final (nothing is stored for an era once it is computed).
HttpResponse Satellite::era_batch_hashes(uint64_t era) {
  auto computed = store_.era_result(era);
  if (!computed) return infra::error_response(500, "store_failure", computed.error().message);
  auto hashes = store_.era_batch_hashes(era);
  if (!hashes) return infra::error_response(500, "store_failure", hashes.error().message);
  json list = json::array();
  for (const Hash& h : *hashes) list.push_back(hex(h));
  return HttpResponse::json_body(
      {{"era", era},
       {"computed", computed->has_value()},
       {"dataRoot", *computed ? json(hex((*computed)->data_root)) : json(nullptr)},
       {"hashes", std::move(list)}});
}

HttpResponse Satellite::era_results(uint64_t era) {
  auto r = store_.era_result(era);
  if (!r) return infra::error_response(500, "store_failure", r.error().message);
  if (!*r)
    return infra::error_response(404, "not_found",
                                 "era " + std::to_string(era) + " is not computed");
  auto published =
      protocol::publish_results(era, protocol::ResultsTree::build((*r)->state), (*r)->data_root,
                                (*r)->own_signer, (*r)->own_signature);
  if (!published) return infra::error_response(500, "internal", published.error().message);
  return HttpResponse::json_body(protocol::to_json(*published));
}

HttpResponse Satellite::era_verdicts(uint64_t era) {
  auto r = store_.era_result(era);
  if (!r) return infra::error_response(500, "store_failure", r.error().message);
  if (!*r || (*r)->verdicts.empty()) {
    return infra::error_response(404, "not_found",
                                 "era " + std::to_string(era) + " has no verdicts here");
  }
  json body = json::parse((*r)->verdicts, nullptr, false);
  if (body.is_discarded()) return infra::error_response(500, "internal", "stored verdicts");
  body["resultsRoot"] = hex((*r)->results_root);
  return HttpResponse::json_body(body);
}

HttpResponse Satellite::era_signatures(uint64_t era) {
  auto r = store_.era_result(era);
  if (!r) return infra::error_response(500, "store_failure", r.error().message);
  if (!*r)
    return infra::error_response(404, "not_found",
                                 "era " + std::to_string(era) + " is not computed");
  auto sigs = store_.signatures(era);
  if (!sigs) return infra::error_response(500, "store_failure", sigs.error().message);
  json list = json::array();
  for (const auto& s : *sigs) {
    list.push_back(
        {{"signer", s.signer.checksummed()}, {"signature", hex(s.signature.to_rsv65())}});
  }
  return HttpResponse::json_body({{"era", era},
                                  {"resultsRoot", hex((*r)->results_root)},
                                  {"dataRoot", hex((*r)->data_root)},
                                  {"signatures", std::move(list)}});
}

HttpResponse Satellite::status() {
  auto last = store_.last_computed_era();
  if (!last) return infra::error_response(500, "store_failure", last.error().message);
  json body = {{"role", "satellite"},
               {"signer", signer_.address().checksummed()},
               {"chainId", chain_.chain_id()},
               {"settlement", chain_.settlement().checksummed()},
               {"firstEra", options_.first_era},
               {"graceBlocks", options_.grace_blocks},
               {"peers", options_.peers},
               {"lastComputedEra", *last ? json(**last) : json(nullptr)}};
  {
    std::lock_guard lock(chain_mu_);
    auto head = chain_.head_block();
    body["head"] = head ? json(*head) : json(nullptr);
  }
  return HttpResponse::json_body(body);
}

}  // namespace icn::satellite
