// Era generation: derived keys, signed challenges and answers, both sides' batches, the disk cache.
#include "icn/sim/era_generator.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "icn/core/keccak.hpp"
#include "icn/core/protocol_json.hpp"

namespace icn::sim {
namespace {

constexpr std::string_view kCacheFormat = "icn-sim-era/1";
constexpr uint64_t kEpochSeconds = 1'700'000'000;

void put_u64(Keccak256& h, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (56 - 8 * i));
  h.update(ByteView(b, 8));
}

// keccak256(tag ‖ seed ‖ a ‖ b ‖ c): every derived value names what it is for.
Hash derive(std::string_view tag, uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  Keccak256 h;
  h.update(as_view(tag));
  put_u64(h, seed);
  put_u64(h, a);
  put_u64(h, b);
  put_u64(h, c);
  return h.finish();
}

Result<PrivateKey> derive_key(std::string_view tag, uint64_t seed, uint64_t index) {
  // A hash is a valid secret with overwhelming probability; rehash on the rare miss.
  for (uint64_t attempt = 0; attempt < 16; ++attempt) {
    auto key = PrivateKey::from_bytes(derive(tag, seed, index, attempt));
    if (key) return *key;
  }
  return fail("sim: no valid key derived for " + std::string(tag) + " " + std::to_string(index));
}

// Runs fn(i) for i in [0, n) on `threads` threads; the first error wins.
Status parallel_for(size_t n, unsigned threads, const std::function<Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::optional<Error> first_error;
  auto work = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      Status st = fn(i);
      if (!st) {
        std::lock_guard lock(mu);
        if (!first_error) first_error = st.error();
        next = n;
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (first_error) return *first_error;
  return {};
}

}  // namespace

Result<SimNetwork> SimNetwork::create(const SimParams& params) {
  if (params.scaler_nodes == 0 || params.hyper_nodes == 0) {
    return fail("sim: need at least one ScalerNode and one HyperNode");
  }
  if (!(params.down_rate >= 0 && params.down_rate <= 1)) {
    return fail("sim: down rate must be between 0 and 1");
  }
  SimNetwork net;
  net.params_ = params;
  net.domain_ = protocol::domain_separator(U256(params.chain_id), params.settlement);
  for (uint32_t i = 0; i < params.scaler_nodes; ++i) {
    ICN_TRY(PrivateKey k, derive_key("icn-sim daemon", params.seed, i));
    net.daemons_.push_back(k.address());
    net.daemon_keys_.push_back(std::move(k));
  }
  for (uint32_t j = 0; j < params.hyper_nodes; ++j) {
    ICN_TRY(PrivateKey k, derive_key("icn-sim hypernode", params.seed, j));
    net.signers_.push_back(k.address());
    net.hyper_node_keys_.push_back(std::move(k));
  }
  return net;
}

EraCast cast_era(const SimParams& p, uint64_t era) {
  EraCast cast;
  const size_t n = p.scaler_nodes;
  size_t down = std::min<size_t>(n, size_t(std::llround(p.down_rate * double(n))));
  std::vector<std::pair<Hash, uint32_t>> order;
  order.reserve(n);
  for (uint32_t i = 0; i < n; ++i) order.emplace_back(derive("icn-sim down", p.seed, era, i), i);
  std::sort(order.begin(), order.end());
  for (size_t k = 0; k < down; ++k) cast.down_nodes.push_back(order[k].second);
  std::sort(cast.down_nodes.begin(), cast.down_nodes.end());

  std::vector<uint32_t> up;
  for (uint32_t i = 0, d = 0; i < n; ++i) {
    if (d < cast.down_nodes.size() && cast.down_nodes[d] == i) {
      ++d;
    } else {
      up.push_back(i);
    }
  }
  std::set<uint32_t> omitting, forging;
  for (uint32_t j = 0; j < p.byzantine; ++j) {
    if (j % 2 == 0) {
      omitting.insert((j / 2) % p.hyper_nodes);
    } else if (!up.empty()) {
      forging.insert(up[up.size() - 1 - (j / 2) % up.size()]);  // from the last UP node down
    }
  }
  cast.omitting_hyper_nodes.assign(omitting.begin(), omitting.end());
  cast.forging_nodes.assign(forging.begin(), forging.end());
  return cast;
}

Result<GeneratedEra> generate_era(const SimNetwork& net, uint64_t era, unsigned threads) {
  const SimParams& p = net.params();
  const Hash& domain = net.domain();
  GeneratedEra out;
  out.era = era;
  out.cast = cast_era(p, era);
  const EraCast& cast = out.cast;

  std::vector<uint32_t> up;
  for (uint32_t i = 0, d = 0; i < p.scaler_nodes; ++i) {
    if (d < cast.down_nodes.size() && cast.down_nodes[d] == i) {
      ++d;
    } else {
      up.push_back(i);
    }
  }
  std::vector<bool> omits(p.hyper_nodes, false);
  for (uint32_t j : cast.omitting_hyper_nodes) omits[j] = true;
  std::set<uint32_t> forging(cast.forging_nodes.begin(), cast.forging_nodes.end());

  // answered[u][j]: the challenge hash HyperNode j answered for the u-th UP node.
  std::vector<std::vector<Hash>> answered(up.size());
  std::vector<std::string> daemon_json(up.size());
  ICN_CHECK(parallel_for(up.size(), threads, [&](size_t u) -> Status {
    const uint32_t i = up[u];
    const PrivateKey& daemon_key = net.daemon_key(i);
    protocol::DaemonBatch batch;
    batch.scaler_node_id = SimNetwork::scaler_node_id(i);
    batch.version = "icn-sim/1";
    batch.era = era;
    batch.entries.reserve(p.hyper_nodes);
    answered[u].resize(p.hyper_nodes);
    const bool forges = forging.count(i) > 0;
    for (uint32_t j = 0; j < p.hyper_nodes; ++j) {
      protocol::Challenge c{era, batch.scaler_node_id, SimNetwork::hyper_node_id(j),
                            derive("icn-sim nonce", p.seed, era, i, j),
                            kEpochSeconds + era * 3600 + i % 2880};
      const Hash ch = protocol::signing_digest(domain, c);
      protocol::DaemonEntry e;
      e.hyper_node_id = c.hyper_node_id;
      e.nonce = c.nonce;
      e.daemon_time = c.daemon_time;
      e.rtt_ms = 20 + uint32_t((i + j) % 80);
      e.hyper_node_time = c.daemon_time + 1;
      e.daemon_signature = sign_hash(daemon_key, ch);
      e.hyper_node_signature = sign_hash(
          net.hyper_node_key(j),
          protocol::signing_digest(domain, protocol::ChallengeResponse{ch, e.hyper_node_time}));
      answered[u][j] = ch;
      if (forges && j == i % p.hyper_nodes) {
        // The HyperNode answered the real challenge; the daemon reports another one, "answered"
        // with its own key instead of the HyperNode's.
        c.nonce = derive("icn-sim forged nonce", p.seed, era, i, j);
        e.nonce = c.nonce;
        const Hash forged = protocol::signing_digest(domain, c);
        e.daemon_signature = sign_hash(daemon_key, forged);
        e.hyper_node_signature = sign_hash(
            daemon_key, protocol::signing_digest(
                            domain, protocol::ChallengeResponse{forged, e.hyper_node_time}));
      }
      batch.entries.push_back(std::move(e));
    }
    ICN_CHECK(protocol::sign_batch(domain, batch, daemon_key));
    daemon_json[u] = protocol::encode(batch);
    return {};
  }));

  std::vector<std::string> hn_json(p.hyper_nodes);
  ICN_CHECK(parallel_for(p.hyper_nodes, threads, [&](size_t j) -> Status {
    protocol::HyperNodeBatch batch;
    batch.hyper_node_id = SimNetwork::hyper_node_id(j);
    batch.version = "icn-sim/1";
    batch.era = era;
    batch.challenge_hashes.reserve(up.size());
    for (size_t u = 0; u < up.size(); ++u) {
      if (omits[j] && u % 10 == 0) continue;  // every tenth UP node's answer left out
      batch.challenge_hashes.push_back(answered[u][j]);
    }
    ICN_CHECK(protocol::sign_batch(domain, batch, net.hyper_node_key(j)));
    hn_json[j] = protocol::encode(batch);
    return {};
  }));

  out.challenges = uint64_t(up.size()) * p.hyper_nodes;
  out.batches = std::move(daemon_json);
  out.batches.reserve(out.batches.size() + hn_json.size());
  for (auto& b : hn_json) out.batches.push_back(std::move(b));
  return out;
}

std::string cache_file_name(const SimParams& p, uint64_t era) {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.6g", p.down_rate);
  return "era-v1-" + std::to_string(p.scaler_nodes) + "x" + std::to_string(p.hyper_nodes) +
         "-down" + rate + "-byz" + std::to_string(p.byzantine) + "-seed" + std::to_string(p.seed) +
         "-chain" + std::to_string(p.chain_id) + "-" + p.settlement.checksummed() + "-e" +
         std::to_string(era) + ".jsonl";
}

namespace {

nlohmann::json cast_json(const EraCast& c) {
  return {
      {"down", c.down_nodes}, {"omitting", c.omitting_hyper_nodes}, {"forging", c.forging_nodes}};
}

Result<CachedEra> read_header(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) return fail("sim cache " + file.string() + ": unreadable");
  try {
    auto h = nlohmann::json::parse(line);
    if (h.at("format") != kCacheFormat) return fail("sim cache " + file.string() + ": format");
    CachedEra c;
    c.batches = h.at("batches").get<uint64_t>();
    c.challenges = h.at("challenges").get<uint64_t>();
    c.cast.down_nodes = h.at("down").get<std::vector<uint32_t>>();
    c.cast.omitting_hyper_nodes = h.at("omitting").get<std::vector<uint32_t>>();
    c.cast.forging_nodes = h.at("forging").get<std::vector<uint32_t>>();
    c.file = file;
    c.from_cache = true;
    return c;
  } catch (const std::exception& e) {
    return fail("sim cache " + file.string() + ": bad header: " + e.what());
  }
}

}  // namespace

Result<CachedEra> ensure_cached_era(const SimNetwork& net, uint64_t era,
                                    const std::filesystem::path& cache_dir, unsigned threads) {
  const auto file = cache_dir / cache_file_name(net.params(), era);
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    if (auto cached = read_header(file)) return cached;
    std::filesystem::remove(file, ec);  // unreadable: generate it again
  }
  auto t0 = std::chrono::steady_clock::now();
  ICN_TRY(GeneratedEra generated, generate_era(net, era, threads));
  std::filesystem::create_directories(cache_dir, ec);
  if (ec) return fail("sim cache: create " + cache_dir.string() + ": " + ec.message());
  const auto tmp = file.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    nlohmann::json header = cast_json(generated.cast);
    header["format"] = kCacheFormat;
    header["era"] = era;
    header["batches"] = generated.batches.size();
    header["challenges"] = generated.challenges;
    out << header.dump() << '\n';
    for (const auto& b : generated.batches) out << b << '\n';
    out.flush();
    if (!out) return fail("sim cache: write " + tmp + " failed");
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) return fail("sim cache: rename to " + file.string() + ": " + ec.message());
  CachedEra c;
  c.cast = std::move(generated.cast);
  c.batches = generated.batches.size();
  c.challenges = generated.challenges;
  c.file = file;
  c.generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

Status for_each_cached_batch(const std::filesystem::path& file,
                             const std::function<Status(std::string_view)>& visit) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("sim cache " + file.string() + ": unreadable");
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ICN_CHECK(visit(line));
  }
  if (in.bad()) return fail("sim cache " + file.string() + ": read failed");
  return {};
}

}  // namespace icn::sim
