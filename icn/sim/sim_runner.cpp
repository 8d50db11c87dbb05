// The simulator's run: generated eras posted to a real Satellite over an in-memory registry, each
// era computed and stored, with timers around exactly the satellite's work.
#include "icn/sim/sim_runner.hpp"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "icn/chain/memory_chain.hpp"
#include "icn/core/era_verdict.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/satellite/satellite.hpp"
#include "icn/satellite/test_support.hpp"

namespace icn::sim {
namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds (user + system) of the whole process: on a shared machine the wall time also holds
// the time other processes ran.
double cpu_seconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// VmHWM in KiB; resettable (writing "5" to clear_refs) so generation does not count.
uint64_t peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return uint64_t(ru.ru_maxrss);
}

void reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

uint64_t file_size_or_zero(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : uint64_t(n);
}

// The registry the satellite reads at each era's start block: the generated keys, every node in
// service, every HyperNode active.
void register_network(const SimNetwork& net, chain::MemoryChain& chain) {
  const SimParams& p = net.params();
  chain.chain_id_ = p.chain_id;
  chain.settlement_ = p.settlement;
  for (uint32_t i = 0; i < p.scaler_nodes; ++i) {
    chain::ScalerNodeInfo n;
    n.id = SimNetwork::scaler_node_id(i);
    n.status = chain::ScalerNodeStatus::kValidated;
    n.daemon = net.daemon(i);
    n.capacity = U256(1);
    n.location = "DEU";
    chain.nodes[n.id] = n;
  }
  for (uint32_t j = 0; j < p.hyper_nodes; ++j) {
    chain::HyperNodeInfo h;
    h.id = SimNetwork::hyper_node_id(j);
    h.signer = net.hyper_node_signer(j);
    h.endpoint = "http://127.0.0.1:1";
    h.location = "DEU";
    h.active = true;
    chain.hns[h.id] = h;
  }
}

// Misreporting HyperNodes and dropped entries: core's verdict over what the satellite stored.
Status add_detail(satellite::BatchStore& store, const SimNetwork& net, uint64_t era,
                  EraFigures& fig) {
  protocol::EraVerdictInput input;
  input.era = era;
  input.domain = net.domain();
  for (uint32_t j = 0; j < net.params().hyper_nodes; ++j) {
    input.hyper_nodes.push_back({SimNetwork::hyper_node_id(j), net.hyper_node_signer(j)});
  }
  for (uint32_t i = 0; i < net.params().scaler_nodes; ++i) {
    input.scaler_nodes.push_back({SimNetwork::scaler_node_id(i), net.daemon(i), false});
  }
  ICN_TRY(auto stored, store.era_batches(era));
  for (const auto& b : stored) {
    ICN_TRY(auto decoded, protocol::decode_batch(b.body));
    if (auto* d = std::get_if<protocol::DaemonBatch>(&decoded)) {
      input.daemon_batches.push_back(std::move(*d));
    } else {
      input.hyper_node_batches.push_back(std::get<protocol::HyperNodeBatch>(std::move(decoded)));
    }
  }
  ICN_TRY(auto verdicts, protocol::compute_era_verdicts(input));
  for (const auto& h : verdicts.hyper_nodes) {
    fig.misreporting_hyper_nodes += h.misreporting ? 1 : 0;
    fig.omitted_entries += h.omitted;
  }
  for (const auto& n : verdicts.scaler_nodes) fig.dropped_entries += n.dropped;
  return {};
}

}  // namespace

Calibration calibrate(double seconds) {
  Calibration c;
  {
    Hash h{};
    uint8_t buf[64] = {};
    uint64_t n = 0;
    auto t0 = Clock::now();
    while (true) {
      for (int k = 0; k < 1000; ++k, ++n) {
        std::copy(h.begin(), h.end(), buf);
        h = keccak256(ByteView(buf, 64));
      }
      if (since(t0) >= seconds) break;
    }
    c.keccak64_per_second = double(n) / since(t0);
  }
  {
    auto key = *PrivateKey::from_bytes(keccak256(std::string_view("icn-sim calibration")));
    std::vector<Hash> hashes;
    std::vector<Signature> sigs;
    for (uint64_t i = 0; i < 64; ++i) {
      hashes.push_back(keccak256(std::string_view("calibration " + std::to_string(i))));
      sigs.push_back(sign_hash(key, hashes.back()));
    }
    uint64_t n = 0;
    auto t0 = Clock::now();
    while (true) {
      for (int k = 0; k < 64; ++k, ++n) {
        if (!recover_address(hashes[k], sigs[k])) return c;
      }
      if (since(t0) >= seconds) break;
    }
    c.recover_per_second = double(n) / since(t0);
  }
  return c;
}

Result<SimReport> run_sim(const SimOptions& o) {
  if (o.eras == 0) return fail("sim: at least one era");
  ICN_TRY(SimNetwork net, SimNetwork::create(o.params));
  SimReport report;
  report.params = o.params;

  // Generate (or find) every era first: generation is not what is measured.
  std::vector<CachedEra> eras;
  for (uint64_t e = o.first_era; e < o.first_era + o.eras; ++e) {
    ICN_TRY_CTX(auto cached, ensure_cached_era(net, e, o.cache_dir, o.threads),
                "generate era " + std::to_string(e));
    eras.push_back(std::move(cached));
  }
  report.calibration = calibrate(o.calibration_seconds);

  std::error_code ec;
  std::filesystem::remove_all(o.work_dir, ec);
  std::filesystem::create_directories(o.work_dir, ec);
  if (ec) return fail("sim: create " + o.work_dir.string() + ": " + ec.message());
  const auto db_file = o.work_dir / "satellite.db";
  ICN_TRY(satellite::BatchStore store, satellite::BatchStore::open(db_file));

  chain::MemoryChain chain;
  register_network(net, chain);
  satellite::testing::ZeroEconomics economics;
  satellite::testing::NoMaintenance maintenance;
  infra::MetricsRegistry metrics;
  satellite::SatelliteOptions sopts;
  sopts.first_era = o.first_era;
  sopts.grace_blocks = 5;
  auto member = *PrivateKey::from_bytes(keccak256(std::string_view("icn-sim committee member")));
  satellite::Satellite sat(chain, store, member, economics, maintenance, nullptr, metrics, sopts);
  if (sat.domain() != net.domain()) return fail("sim: the satellite's domain is not the era's");

  reset_peak_rss();
  for (const CachedEra& cached : eras) {
    EraFigures fig;
    fig.era = report.eras.size() + o.first_era;
    fig.batches = cached.batches;
    fig.challenges = cached.challenges;
    fig.from_cache = cached.from_cache;
    fig.generate_seconds = cached.generate_seconds;
    fig.cast = cached.cast;
    const auto bounds = *chain.era_bounds(fig.era);

    chain.head = bounds.end_block;  // the era has ended, its grace has not
    // `senders` callers at once, as the HTTP workers would call post_batch for as many
    // concurrent senders; the file is read under a lock, one batch per caller at a time.
    std::ifstream in(cached.file, std::ios::binary);
    std::string header;
    if (!in || !std::getline(in, header)) return fail("sim: cannot read " + cached.file.string());
    std::mutex read_mu;
    std::atomic<uint64_t> accepted{0}, rejected{0};
    auto sender = [&] {
      std::string text;
      while (true) {
        {
          std::lock_guard lock(read_mu);
          if (!std::getline(in, text)) return;
        }
        if (text.empty()) continue;
        auto request = infra::HttpRequest::for_test("POST", "/v1/batches", std::move(text));
        auto response = sat.post_batch(request);
        if (response.status == 200) {
          ++accepted;
        } else {
          ++rejected;
          std::fprintf(stderr, "sim: era %llu: batch refused: %s\n",
                       static_cast<unsigned long long>(fig.era), response.body.c_str());
        }
        text.clear();
      }
    };
    auto t_ingest = Clock::now();
    const double cpu_ingest = cpu_seconds();
    {
      std::vector<std::thread> senders;
      for (unsigned t = 1; t < std::max(1u, o.senders); ++t) senders.emplace_back(sender);
      sender();
      for (auto& t : senders) t.join();
    }
    fig.ingest_seconds = since(t_ingest);
    fig.ingest_cpu_seconds = cpu_seconds() - cpu_ingest;
    fig.accepted = accepted;
    fig.rejected = rejected;

    chain.head = bounds.end_block + sopts.grace_blocks;
    auto t0 = Clock::now();
    const double cpu_compute = cpu_seconds();
    ICN_CHECK(sat.compute_era(fig.era));
    fig.compute_seconds = since(t0);
    fig.compute_cpu_seconds = cpu_seconds() - cpu_compute;

    ICN_TRY(auto result, store.era_result(fig.era));
    if (!result) return fail("sim: era " + std::to_string(fig.era) + " was not stored");
    fig.results_root = to_hex(result->results_root);
    fig.data_root = to_hex(result->data_root);
    for (const auto& [id, node] : result->state.nodes) {
      ((node.down_history & 1) ? fig.down : fig.up)++;
    }
    fig.has_verdict = result->state.era.has_value() && !result->state.nodes.empty();
    if (o.detail) ICN_CHECK(add_detail(store, net, fig.era, fig));

    report.batches += fig.accepted;
    report.challenges += fig.challenges;
    report.ingest_seconds += fig.ingest_seconds;
    report.compute_seconds += fig.compute_seconds;
    report.cpu_seconds += fig.ingest_cpu_seconds + fig.compute_cpu_seconds;
    // Once per batch at ingest (the verdict takes them as checked), 2 per mismatched entry.
    report.signature_checks += fig.accepted + 2 * (fig.omitted_entries + fig.dropped_entries);
    report.eras.push_back(std::move(fig));
  }
  report.peak_rss_kib = peak_rss_kib();
  report.database_bytes =
      file_size_or_zero(db_file) + file_size_or_zero(o.work_dir / "satellite.db-wal");

  report.satellite_seconds = report.ingest_seconds + report.compute_seconds;
  if (report.satellite_seconds > 0) {
    report.batches_per_second = double(report.batches) / report.satellite_seconds;
    report.challenges_per_second = double(report.challenges) / report.satellite_seconds;
  }
  if (report.calibration.recover_per_second > 0) {
    report.signature_seconds =
        double(report.signature_checks) / report.calibration.recover_per_second;
  }
  report.other_seconds = std::max(0.0, report.satellite_seconds - report.signature_seconds);
  if (report.satellite_seconds > 0) {
    report.signature_share = report.signature_seconds / report.satellite_seconds;
  }
  if (report.calibration.keccak64_per_second > 0) {
    report.challenges_per_keccak =
        report.challenges_per_second / report.calibration.keccak64_per_second;
  }
  return report;
}

nlohmann::json to_json(const SimReport& r) {
  nlohmann::json eras = nlohmann::json::array();
  for (const auto& e : r.eras) {
    eras.push_back({{"era", e.era},
                    {"batches", e.batches},
                    {"accepted", e.accepted},
                    {"rejected", e.rejected},
                    {"challenges", e.challenges},
                    {"fromCache", e.from_cache},
                    {"generateSeconds", e.generate_seconds},
                    {"ingestSeconds", e.ingest_seconds},
                    {"computeSeconds", e.compute_seconds},
                    {"ingestCpuSeconds", e.ingest_cpu_seconds},
                    {"computeCpuSeconds", e.compute_cpu_seconds},
                    {"hasVerdict", e.has_verdict},
                    {"up", e.up},
                    {"down", e.down},
                    {"downNodes", e.cast.down_nodes.size()},
                    {"omittingHyperNodes", e.cast.omitting_hyper_nodes.size()},
                    {"forgingDaemons", e.cast.forging_nodes.size()},
                    {"misreportingHyperNodes", e.misreporting_hyper_nodes},
                    {"omittedEntries", e.omitted_entries},
                    {"droppedEntries", e.dropped_entries},
                    {"resultsRoot", e.results_root},
                    {"dataRoot", e.data_root}});
  }
  return {{"scalerNodes", r.params.scaler_nodes},
          {"hyperNodes", r.params.hyper_nodes},
          {"downRate", r.params.down_rate},
          {"byzantine", r.params.byzantine},
          {"seed", r.params.seed},
          {"eras", eras},
          {"batches", r.batches},
          {"challenges", r.challenges},
          {"ingestSeconds", r.ingest_seconds},
          {"computeSeconds", r.compute_seconds},
          {"satelliteSeconds", r.satellite_seconds},
          {"satelliteCpuSeconds", r.cpu_seconds},
          {"batchesPerSecond", r.batches_per_second},
          {"challengesPerSecond", r.challenges_per_second},
          {"signatureChecks", r.signature_checks},
          {"signatureSeconds", r.signature_seconds},
          {"otherSeconds", r.other_seconds},
          {"signatureShare", r.signature_share},
          {"keccak64PerSecond", r.calibration.keccak64_per_second},
          {"recoverPerSecond", r.calibration.recover_per_second},
          {"challengesPerKeccak", r.challenges_per_keccak},
          {"peakRssKiB", r.peak_rss_kib},
          {"databaseBytes", r.database_bytes}};
}

std::string to_table(const SimReport& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-5s %8s %10s %6s %6s %9s %9s %5s %5s %4s %4s\n", "era",
                "batches", "challenges", "gen s", "cached", "ingest s", "verdict s", "UP", "DOWN",
                "mis", "drop");
  out += line;
  for (const auto& e : r.eras) {
    std::snprintf(
        line, sizeof line, "%-5llu %8llu %10llu %6.1f %6s %9.2f %9.2f %5llu %5llu %4llu %4llu\n",
        (unsigned long long)e.era, (unsigned long long)e.accepted, (unsigned long long)e.challenges,
        e.generate_seconds, e.from_cache ? "yes" : "no", e.ingest_seconds, e.compute_seconds,
        (unsigned long long)e.up, (unsigned long long)e.down,
        (unsigned long long)e.misreporting_hyper_nodes, (unsigned long long)e.dropped_entries);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "satellite %.2f s (ingest %.2f + verdict/roots %.2f; CPU %.2f s): %.0f batches/s, "
                "%.0f challenges/s\n",
                r.satellite_seconds, r.ingest_seconds, r.compute_seconds, r.cpu_seconds,
                r.batches_per_second, r.challenges_per_second);
  out += line;
  std::snprintf(line, sizeof line,
                "signature checks %llu ≈ %.2f s at %.0f recover/s (%.1f %% of the time); hashing, "
                "decoding, storing %.2f s\n",
                (unsigned long long)r.signature_checks, r.signature_seconds,
                r.calibration.recover_per_second, 100 * r.signature_share, r.other_seconds);
  out += line;
  std::snprintf(line, sizeof line,
                "keccak256(64 B) %.0f/s: the satellite handles one challenge per %.1f raw hashes; "
                "peak RSS %.0f MiB, database %.0f MiB\n",
                r.calibration.keccak64_per_second,
                r.challenges_per_keccak > 0 ? 1 / r.challenges_per_keccak : 0,
                double(r.peak_rss_kib) / 1024, double(r.database_bytes) / (1 << 20));
  out += line;
  return out;
}

}  // namespace icn::sim
