// The era verdict rules of era_verdict.hpp: batch checks, matching by challenge hash, A, UP/DOWN,
// p.
#include "icn/core/era_verdict.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace icn::protocol {
namespace {

constexpr uint64_t kWad = 1'000'000'000'000'000'000ULL;

// x ≥ f · y, exactly.
bool at_least(uint64_t x, const Fraction& f, uint64_t y) {
  return U256(x) * f.den >= U256(f.num) * y;
}

// ⌈f · y⌉
uint64_t ceil_of(const Fraction& f, uint64_t y) {
  U256 n = U256(f.num) * y;
  return uint64_t((n + f.den - 1) / f.den);
}

std::string id_text(const U256& id) {
  return to_decimal(id);
}

// Counted batches of one kind: at most one per originator; equivocators get none.
template <typename Batch>
class CountedBatches {
 public:
  explicit CountedBatches(size_t originators) : chosen_(originators) {}

  // A batch that passed every check; returns the indices of batches rejected for equivocation.
  void offer(size_t originator, size_t index, const Batch& batch, OriginatorKind kind,
             const U256& id, std::vector<RejectedBatch>& rejected) {
    Slot& slot = chosen_[originator];
    if (slot.equivocated) {
      rejected.push_back({kind, id, index, equivocation_reason(id)});
      return;
    }
    if (!slot.batch) {
      slot.batch = &batch;
      slot.index = index;
      return;
    }
    if (*slot.batch == batch) return;  // the same batch twice counts once
    rejected.push_back({kind, id, slot.index, equivocation_reason(id)});
    rejected.push_back({kind, id, index, equivocation_reason(id)});
    slot.batch = nullptr;
    slot.equivocated = true;
  }

  const Batch* get(size_t originator) const { return chosen_[originator].batch; }

 private:
  static std::string equivocation_reason(const U256& id) {
    return "equivocation: originator " + id_text(id) +
           " signed more than one different batch for the era; none of them counts";
  }

  struct Slot {
    const Batch* batch = nullptr;
    size_t index = 0;
    bool equivocated = false;
  };
  std::vector<Slot> chosen_;
};

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kUp:
      return "UP";
    case Verdict::kDown:
      return "DOWN";
    case Verdict::kMaintenance:
      return "MAINTENANCE";
    case Verdict::kNone:
      return "NONE";
  }
  return "?";
}

const ScalerNodeVerdict* EraVerdicts::scaler_node(const U256& id) const {
  auto it = std::lower_bound(scaler_nodes.begin(), scaler_nodes.end(), id,
                             [](const ScalerNodeVerdict& v, const U256& x) { return v.id < x; });
  return it != scaler_nodes.end() && it->id == id ? &*it : nullptr;
}

const HyperNodeReport* EraVerdicts::hyper_node(const U256& id) const {
  auto it = std::lower_bound(hyper_nodes.begin(), hyper_nodes.end(), id,
                             [](const HyperNodeReport& v, const U256& x) { return v.id < x; });
  return it != hyper_nodes.end() && it->id == id ? &*it : nullptr;
}

Result<EraVerdicts> compute_era_verdicts(const EraVerdictInput& in, BatchSignatures signatures) {
  const bool verify = signatures == BatchSignatures::kVerify;
  const VerdictRules& rules = in.rules;
  for (const Fraction* f :
       {&rules.answered_fraction, &rules.min_a_fraction, &rules.up_quorum, &rules.good_fraction}) {
    if (f->den == 0) return fail("era verdict: a rule fraction has a zero denominator");
  }

  // Participants in ascending id, with their index.
  std::vector<ActiveHyperNode> hns = in.hyper_nodes;
  std::sort(hns.begin(), hns.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<ExpectedScalerNode> nodes = in.scaler_nodes;
  std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::map<U256, size_t> hn_index, node_index;
  for (size_t i = 0; i < hns.size(); ++i) {
    if (!hn_index.emplace(hns[i].id, i).second) {
      return fail("era verdict: hyperNode " + id_text(hns[i].id) + " listed twice");
    }
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!node_index.emplace(nodes[i].id, i).second) {
      return fail("era verdict: scalerNode " + id_text(nodes[i].id) + " listed twice");
    }
  }

  EraVerdicts out;
  out.era = in.era;
  out.hyper_nodes.resize(hns.size());
  for (size_t h = 0; h < hns.size(); ++h) out.hyper_nodes[h].id = hns[h].id;
  out.scaler_nodes.resize(nodes.size());
  for (size_t n = 0; n < nodes.size(); ++n) out.scaler_nodes[n].id = nodes[n].id;

  // 1. Which batches count.
  auto wrong_era = [&](uint64_t era) {
    return "batch is for era " + std::to_string(era) + ", not " + std::to_string(in.era);
  };
  CountedBatches<HyperNodeBatch> hn_batches(hns.size());
  for (size_t i = 0; i < in.hyper_node_batches.size(); ++i) {
    const HyperNodeBatch& b = in.hyper_node_batches[i];
    auto reject = [&](std::string reason) {
      out.rejected_batches.push_back(
          {OriginatorKind::kHyperNode, b.hyper_node_id, i, std::move(reason)});
    };
    auto it = hn_index.find(b.hyper_node_id);
    if (it == hn_index.end()) {
      reject("hyperNode " + id_text(b.hyper_node_id) + " was not active at the era's start");
      continue;
    }
    if (b.era != in.era) {
      reject(wrong_era(b.era));
      continue;
    }
    if (Status st = verify ? verify_batch(in.domain, b, hns[it->second].signer) : Status{}; !st) {
      reject(st.error().message);
      continue;
    }
    hn_batches.offer(it->second, i, b, OriginatorKind::kHyperNode, b.hyper_node_id,
                     out.rejected_batches);
  }
  CountedBatches<DaemonBatch> node_batches(nodes.size());
  for (size_t i = 0; i < in.daemon_batches.size(); ++i) {
    const DaemonBatch& b = in.daemon_batches[i];
    auto reject = [&](std::string reason) {
      out.rejected_batches.push_back(
          {OriginatorKind::kScalerNode, b.scaler_node_id, i, std::move(reason)});
    };
    auto it = node_index.find(b.scaler_node_id);
    if (it == node_index.end()) {
      reject("scalerNode " + id_text(b.scaler_node_id) + " is not expected to report this era");
      continue;
    }
    if (b.era != in.era) {
      reject(wrong_era(b.era));
      continue;
    }
    if (nodes[it->second].maintenance) {
      reject("scalerNode " + id_text(b.scaler_node_id) +
             " is in declared maintenance: its batch is not counted");
      continue;
    }
    if (Status st = verify ? verify_batch(in.domain, b, nodes[it->second].daemon) : Status{}; !st) {
      reject(st.error().message);
      continue;
    }
    node_batches.offer(it->second, i, b, OriginatorKind::kScalerNode, b.scaler_node_id,
                       out.rejected_batches);
  }
  for (size_t h = 0; h < hns.size(); ++h) out.hyper_nodes[h].batch_counted = hn_batches.get(h);

  // 2. Match daemon entries with HyperNode batches by challenge hash.
  std::vector<std::vector<bool>> matched(hns.size());
  for (size_t h = 0; h < hns.size(); ++h) {
    if (const HyperNodeBatch* b = hn_batches.get(h)) {
      matched[h].assign(b->challenge_hashes.size(), false);
    }
  }
  std::vector<std::vector<size_t>> confirmed(nodes.size());  // HyperNode indices per node
  for (size_t n = 0; n < nodes.size(); ++n) {
    const DaemonBatch* b = node_batches.get(n);
    ScalerNodeVerdict& v = out.scaler_nodes[n];
    v.batch_counted = b != nullptr;
    if (!b) continue;
    for (const DaemonEntry& e : b->entries) {
      Hash c = challenge_hash(in.domain, e, in.era, nodes[n].id);
      auto drop = [&](std::string reason) {
        out.dropped_entries.push_back({nodes[n].id, e.hyper_node_id, c, std::move(reason)});
      };
      auto it = hn_index.find(e.hyper_node_id);
      if (it == hn_index.end()) {
        drop("hyperNode " + id_text(e.hyper_node_id) + " was not active at the era's start");
        continue;
      }
      size_t h = it->second;
      if (const HyperNodeBatch* hb = hn_batches.get(h)) {
        auto pos = std::lower_bound(hb->challenge_hashes.begin(), hb->challenge_hashes.end(), c);
        if (pos != hb->challenge_hashes.end() && *pos == c) {
          matched[h][pos - hb->challenge_hashes.begin()] = true;
          confirmed[n].push_back(h);
          continue;
        }
      }
      // A mismatch: verify this entry alone.
      Status daemon_ok = check_signer(c, e.daemon_signature, nodes[n].daemon, "daemon signature");
      Status hn_ok =
          daemon_ok
              ? check_signer(signing_digest(in.domain, ChallengeResponse{c, e.hyper_node_time}),
                             e.hyper_node_signature, hns[h].signer, "hyperNode signature")
              : Status{};
      if (!daemon_ok || !hn_ok) {
        drop((!daemon_ok ? daemon_ok : hn_ok).error().message);
        ++v.dropped;
        continue;
      }
      ++out.hyper_nodes[h].omitted;
      confirmed[n].push_back(h);
    }
    v.confirmed = uint32_t(confirmed[n].size());
  }
  for (size_t h = 0; h < hns.size(); ++h) {
    HyperNodeReport& r = out.hyper_nodes[h];
    r.unmatched = uint32_t(std::count(matched[h].begin(), matched[h].end(), false));
    r.misreporting = r.omitted > 0;
  }

  // 3. A.
  uint64_t s_size = 0;
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].maintenance) continue;
    ++s_size;
    for (size_t h : confirmed[n]) ++out.hyper_nodes[h].answered;
  }
  for (HyperNodeReport& r : out.hyper_nodes) {
    r.in_a = at_least(r.answered, rules.answered_fraction, s_size);
    if (r.in_a) ++out.a_size;
  }

  // 4. Is there a verdict?
  if (hns.empty()) {
    out.no_verdict_reason = "no HyperNode was active at the era's start";
  } else if (out.a_size == 0 || !at_least(out.a_size, rules.min_a_fraction, hns.size())) {
    out.no_verdict_reason = "only " + std::to_string(out.a_size) + " of " +
                            std::to_string(hns.size()) +
                            " active HyperNodes answered enough ScalerNodes to count (A too small)";
  } else {
    out.has_verdict = true;
  }
  if (!out.has_verdict) {
    for (ScalerNodeVerdict& v : out.scaler_nodes) {
      v.verdict = Verdict::kNone;
      v.reason = "no verdict for the era: " + out.no_verdict_reason;
    }
    return out;
  }

  // 5. UP / DOWN / MAINTENANCE.
  out.up_quorum = uint32_t(ceil_of(rules.up_quorum, out.a_size));
  std::vector<bool> up(nodes.size(), false);
  for (size_t n = 0; n < nodes.size(); ++n) {
    ScalerNodeVerdict& v = out.scaler_nodes[n];
    for (size_t h : confirmed[n]) v.confirmed_in_a += out.hyper_nodes[h].in_a ? 1 : 0;
    if (nodes[n].maintenance) {
      v.verdict = Verdict::kMaintenance;
      v.reason = "declared maintenance";
      continue;
    }
    std::string tally = "confirmed by " + std::to_string(v.confirmed_in_a) + " of " +
                        std::to_string(out.a_size) + " HyperNodes in A (quorum " +
                        std::to_string(out.up_quorum) + ")";
    if (v.confirmed_in_a >= out.up_quorum) {
      v.verdict = Verdict::kUp;
      v.reason = tally;
      up[n] = true;
      ++out.up_count;
    } else {
      v.verdict = Verdict::kDown;
      v.reason = v.batch_counted ? tally : "no counted batch from the daemon";
    }
  }

  // 6. Performance.
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (!up[n]) continue;
    for (size_t h : confirmed[n]) ++out.hyper_nodes[h].answered_up;
  }
  for (HyperNodeReport& r : out.hyper_nodes) {
    if (out.up_count == 0) {
      r.performance_wad = r.in_a ? U256(kWad) : U256(0);
      r.good = r.in_a;
      continue;
    }
    r.performance_wad = U256(r.answered_up) * kWad / out.up_count;
    r.good = at_least(r.answered_up, rules.good_fraction, out.up_count);
  }
  return out;
}

}  // namespace icn::protocol
