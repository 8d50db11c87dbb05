// EraResultsFollower: the store says which committed eras lack results (so a restart resumes
// where it stopped and a reorg that replaced a root is noticed), satellites are asked in turn,
// and only results whose leaves rebuild the on-chain root are stored.
#include "icn/indexer/era_results.hpp"

#include <map>

#include "icn/core/era_publication.hpp"
#include "icn/core/u256.hpp"

namespace icn::indexer {

using nlohmann::json;

namespace {

// An id from a verified leaf or a verdict: it keys int64 columns.
Result<int64_t> small_id(const U256& v, const std::string& what) {
  if (v > U256(INT64_MAX)) return fail(what + " exceeds 2^63-1");
  return int64_t(v);
}

// A canonical decimal string ("0", no leading zero, at most 78 digits).
Result<U256> decimal_field(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return fail(where + "." + key + ": expected a decimal string");
  }
  const std::string& text = it->get_ref<const std::string&>();
  auto v = parse_u256(text);
  if (!v || text.empty() || text.size() > 78 || (text.size() > 1 && text[0] == '0') ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return fail(where + "." + key + ": expected a canonical decimal string");
  }
  return *v;
}

constexpr size_t kMaxVerdictEntries = 1'000'000;

}  // namespace

Result<EraResultsRecord> verify_era_results(int64_t era, const Hash& committed_root,
                                            const json& results, const json& verdicts) {
  ICN_TRY_CTX(protocol::PublishedEraResults published, protocol::decode_published_results(results),
              "results");
  if (published.era != uint64_t(era)) {
    return fail("results are for era " + std::to_string(published.era) + ", not " +
                std::to_string(era));
  }
  if (published.results_root != committed_root) {
    return fail("results name resultsRoot " + to_hex(published.results_root) +
                " but the committed one is " + to_hex(committed_root));
  }
  // The published root is only a claim: the leaves themselves must make the committed tree.
  Hash rebuilt = protocol::rebuilt_results_root(published);
  if (rebuilt != committed_root) {
    return fail("the published leaves rebuild resultsRoot " + to_hex(rebuilt) +
                ", not the committed " + to_hex(committed_root));
  }

  EraResultsRecord out;
  out.era = era;
  out.results_root = to_hex(committed_root);
  std::map<int64_t, EraNodeRow> nodes;
  for (const auto& n : published.nodes) {
    ICN_TRY(int64_t id, small_id(n.leaf.node_id, "results: nodeId"));
    EraNodeRow& row = nodes[id];
    row.node_id = id;
    row.utilisation = to_decimal(n.leaf.utilisation);
    row.subsidy = to_decimal(n.leaf.subsidy);
    row.slashed = to_decimal(n.leaf.slashed);
  }
  for (const auto& l : published.links) {
    ICN_TRY(int64_t id, small_id(l.leaf.bundle_id, "results: bundleId"));
    out.link_rewards.emplace_back(id, to_decimal(l.leaf.reward));
  }

  if (!verdicts.is_null()) {
    if (!verdicts.is_object()) return fail("verdicts: expected an object");
    auto root = verdicts.find("resultsRoot");
    if (root == verdicts.end() || !root->is_string() ||
        root->get<std::string>() != to_hex(committed_root)) {
      return fail("verdicts: resultsRoot is not the committed " + to_hex(committed_root));
    }
    auto era_field = verdicts.find("era");
    if (era_field == verdicts.end() || !era_field->is_number_integer() ||
        era_field->get<int64_t>() != era) {
      return fail("verdicts: not for era " + std::to_string(era));
    }
    auto list = verdicts.find("nodes");
    auto hyper = verdicts.find("hyperNodes");
    if (list == verdicts.end() || !list->is_array() || list->size() > kMaxVerdictEntries) {
      return fail("verdicts.nodes: expected an array");
    }
    if (hyper == verdicts.end() || !hyper->is_array() || hyper->size() > kMaxVerdictEntries) {
      return fail("verdicts.hyperNodes: expected an array");
    }
    out.has_verdicts = true;
    for (size_t i = 0; i < list->size(); ++i) {
      const json& n = (*list)[i];
      std::string where = "verdicts.nodes[" + std::to_string(i) + "]";
      if (!n.is_object()) return fail(where + ": expected an object");
      ICN_TRY(U256 id_value, decimal_field(n, "nodeId", where));
      ICN_TRY(int64_t id, small_id(id_value, where + ".nodeId"));
      auto v = n.find("verdict");
      static const std::vector<std::string> kVerdicts = {"up", "down", "maintenance", "none"};
      if (v == n.end() || !v->is_string() ||
          std::find(kVerdicts.begin(), kVerdicts.end(), v->get<std::string>()) == kVerdicts.end()) {
        return fail(where + ".verdict: expected up, down, maintenance or none");
      }
      EraNodeRow& row = nodes[id];
      if (row.verdict) return fail(where + ": node " + std::to_string(id) + " listed twice");
      row.node_id = id;
      row.verdict = v->get<std::string>();
      if (*row.verdict == "up") ++out.up;
      if (*row.verdict == "down") ++out.down;
      if (*row.verdict == "maintenance") ++out.maintenance;
    }
    std::map<int64_t, bool> seen;
    for (size_t i = 0; i < hyper->size(); ++i) {
      const json& h = (*hyper)[i];
      std::string where = "verdicts.hyperNodes[" + std::to_string(i) + "]";
      if (!h.is_object()) return fail(where + ": expected an object");
      ICN_TRY(U256 id_value, decimal_field(h, "hyperNodeId", where));
      ICN_TRY(int64_t id, small_id(id_value, where + ".hyperNodeId"));
      ICN_TRY(U256 performance, decimal_field(h, "performance", where));
      if (performance > U256(1'000'000'000'000'000'000ULL)) {
        return fail(where + ".performance: above 1e18 (a fraction as a WAD)");
      }
      auto good = h.find("good");
      if (good == h.end() || !good->is_boolean()) return fail(where + ".good: expected a bool");
      if (!seen.emplace(id, true).second) {
        return fail(where + ": HyperNode " + std::to_string(id) + " listed twice");
      }
      out.hyper_nodes.push_back({id, to_decimal(performance), good->get<bool>()});
    }
  }
  for (auto& [id, row] : nodes) out.nodes.push_back(std::move(row));
  return out;
}

EraResultsMetrics::EraResultsMetrics(infra::MetricsRegistry& r)
    : stored(r.counter("icn_indexer_era_results_total",
                       "Eras whose satellite results were verified and stored")
                 .get()),
      rejected(r.counter("icn_indexer_era_results_rejected_total",
                         "Satellite answers not used, by reason (unreachable, bad_results: "
                         "malformed or not the committed root)",
                         {"reason"})),
      pending(r.gauge("icn_indexer_era_results_pending",
                      "Committed eras without stored results (at the last round, capped by "
                      "the round size)")
                  .get()) {}

EraResultsFollower::EraResultsFollower(IndexStore& store, EraResultsOptions options,
                                       EraResultsMetrics* metrics)
    : store_(store), options_(std::move(options)), metrics_(metrics) {
  infra::JsonHttpClientOptions http;
  http.request_timeout = options_.request_timeout;
  for (const std::string& url : options_.satellites) {
    clients_.push_back(std::make_unique<infra::JsonHttpClient>(url, http));
  }
}

EraResultsFollower::~EraResultsFollower() = default;

Result<EraResultsRecord> EraResultsFollower::fetch(size_t satellite, int64_t era,
                                                   const Hash& root) {
  infra::JsonHttpClient& client = *clients_[satellite];
  std::string base = "/v1/eras/" + std::to_string(era);
  auto unreachable = [&](const Error& e) -> Error {
    if (metrics_) metrics_->rejected.with({"unreachable"}).inc();
    return e;
  };
  auto results = client.get(base + "/results");
  if (!results) return unreachable(results.error());
  // A satellite that computed the era before it kept verdicts answers 404: the leaves are
  // stored without them. Any other failure is retried (here or at another satellite).
  json verdicts = nullptr;
  auto v = client.get(base + "/verdicts");
  if (v) {
    verdicts = std::move(*v);
  } else if (v.error().message.rfind("HTTP 404 ", 0) != 0) {
    return unreachable(v.error());
  }
  auto record = verify_era_results(era, root, *results, verdicts);
  if (!record) {
    if (metrics_) metrics_->rejected.with({"bad_results"}).inc();
    return record.error().context(client.base_url() + " era " + std::to_string(era));
  }
  record->satellite = client.base_url();
  return record;
}

Result<size_t> EraResultsFollower::poll_once() {
  if (clients_.empty()) return size_t(0);
  ICN_TRY(auto missing, store_.eras_without_results(options_.eras_per_round));
  if (metrics_) metrics_->pending.set(double(missing.size()));
  size_t stored = 0;
  std::string first_failure;
  for (const auto& [era, root_text] : missing) {
    auto root = parse_fixed_hex<32>(root_text);
    if (!root) return fail("indexer db: era " + std::to_string(era) + " resultsRoot");
    std::string failures;
    bool done = false;
    for (size_t k = 0; k < clients_.size() && !done; ++k) {
      size_t s = (first_ + k) % clients_.size();
      auto record = fetch(s, era, *root);
      if (!record) {
        failures += (failures.empty() ? "" : "; ") + record.error().message;
        continue;
      }
      ICN_CHECK(store_.put_era_results(*record));
      first_ = s;
      done = true;
    }
    if (!done) {
      // The next eras are still tried: one era no satellite serves must not hold back the rest.
      if (first_failure.empty()) {
        first_failure = "era " + std::to_string(era) + " results from no satellite: " + failures;
      }
      continue;
    }
    ++stored;
    if (metrics_) {
      metrics_->stored.inc();
      metrics_->pending.set(double(missing.size() - stored));
    }
  }
  if (stored == 0 && !first_failure.empty()) return fail(first_failure);
  return stored;
}

void EraResultsFollower::run(const infra::StopFlag& stop,
                             const std::function<void(const Error&)>& on_error) {
  auto wait = options_.interval;
  while (!stop.requested()) {
    auto r = poll_once();
    if (r && *r >= options_.eras_per_round) continue;  // a backlog: the next round at once
    if (r) {
      wait = options_.interval;
    } else {
      if (on_error) on_error(r.error());
      wait = std::min(options_.max_backoff, wait * 2);
    }
    stop.wait_for(wait);
  }
}

}  // namespace icn::indexer
