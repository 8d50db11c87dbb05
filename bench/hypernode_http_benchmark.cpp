// The HyperNode over HTTP (issue 6: ≥ 5,000 challenges/s on one core over keep-alive HTTP on
// loopback): the real API (mount_hypernode_api, metrics and rate limits as the process mounts
// them) on infra::HttpServer with its threads pinned to CPU 0, and `clients` keep-alive
// connections posting canonical challenges from CPU 1 — so the figure is the server's core, not
// the clients'. The clients write prebuilt HTTP/1.1 requests on plain sockets and read only the
// status line and Content-Length: libcurl clients saturated CPU 1 while CPU 0 still idled a
// quarter of the time (perf), which measured the load generator, not the HyperNode. The store is in
// memory (the disk's fsync cost is BM_AnswerChallenge_DiskStore's). Needs 2 CPUs and must run
// without taskset (scripts/bench runs it on its own).
//   icn_bench --benchmark_filter='Http'
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "bench/hypernode_setup.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/hypernode/http_api.hpp"

namespace {

using icn::hypernode::bench::kChallenges;
using icn::hypernode::bench::kNowMs;
using icn::hypernode::testing::key_of;

bool pin_this_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

int64_t cpu_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// One kept-alive connection: a request out, the whole response in; false on anything but a 200.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ok_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool post(const std::string& request) {
    if (!ok_) return false;
    for (size_t sent = 0; sent < request.size();) {
      ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += size_t(n);
    }
    // Headers, then Content-Length bytes of body (the answer is a few hundred bytes).
    buffer_.clear();
    size_t header_end = std::string::npos, body_length = 0;
    while (true) {
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return false;
      buffer_.append(chunk, size_t(n));
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        size_t at = buffer_.find("Content-Length: ");
        if (at == std::string::npos || at > header_end) return false;
        body_length = std::strtoul(buffer_.c_str() + at + 16, nullptr, 10);
      }
      if (buffer_.size() >= header_end + 4 + body_length) break;
    }
    return buffer_.compare(0, 12, "HTTP/1.1 200") == 0 &&
           buffer_.size() == header_end + 4 + body_length;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string buffer_;
};

void BM_AnswerChallenge_Http(benchmark::State& state) {
  const size_t clients = size_t(state.range(0));
  auto& s = icn::hypernode::bench::setup();
  std::vector<std::string> requests;  // whole HTTP/1.1 requests
  for (const auto& challenge : s.challenges) {
    std::string body = icn::protocol::encode(challenge);
    requests.push_back(
        "POST /v1/challenge HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  auto store = std::move(icn::hypernode::HyperNodeStore::open(":memory:").value());
  icn::hypernode::ChallengeService service(s.chain, *store, 3, key_of(1), [] { return kNowMs; });
  if (!service.refresh()) return state.SkipWithError("refresh failed");

  // The server's threads inherit this thread's CPU set at start(): pin, start, unpin.
  cpu_set_t original;
  pthread_getaffinity_np(pthread_self(), sizeof(original), &original);
  if (CPU_COUNT(&original) < 2 || !pin_this_thread(0)) {
    return state.SkipWithError("needs CPUs 0 and 1 (run without taskset)");
  }
  icn::infra::MetricsRegistry registry;
  icn::hypernode::HyperNodeMetrics metrics(registry);
  icn::infra::HttpServerOptions http;
  http.max_body_bytes = icn::hypernode::kMaxChallengeBodyBytes;
  http.worker_threads = 32;  // the HyperNode's default http_threads
  http.keep_alive_max_requests = kChallenges;
  http.route_observer = icn::infra::http_metrics_observer(registry, "icn_hypernode");
  icn::infra::HttpServer server(http);
  // The limiters are charged as in the process, but every daemon here shares 127.0.0.1: the
  // per-IP bucket is opened wide so loopback is not taken for a flood.
  icn::hypernode::RateLimitOptions rates;
  rates.per_ip = {4'000'000'000u, std::chrono::milliseconds(1)};
  icn::hypernode::ChallengeLimits limits(rates);
  icn::hypernode::mount_hypernode_api(server, service, metrics, registry, &limits);
  if (!server.start()) return state.SkipWithError("server did not start");
  pthread_setaffinity_np(pthread_self(), sizeof(original), &original);

  std::atomic<size_t> failed{0};
  // The server's CPU per challenge: the process's CPU time less the clients' own. On a shared
  // machine the throughput moves with other people's load; this moves much less.
  std::atomic<int64_t> client_cpu_ns{0};
  int64_t process_cpu_ns = 0, wall_ns = 0;
  for (auto _ : state) {
    int64_t cpu_before = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
    int64_t wall_before = cpu_ns(CLOCK_MONOTONIC);
    std::vector<std::thread> workers;
    for (size_t t = 0; t < clients; ++t) {
      workers.emplace_back([&, t] {
        if (!pin_this_thread(1)) ++failed;
        RawClient client(server.port());
        for (size_t i = t; i < kChallenges; i += clients) {
          if (!client.post(requests[i])) ++failed;
        }
        client_cpu_ns += cpu_ns(CLOCK_THREAD_CPUTIME_ID);
      });
    }
    for (auto& w : workers) w.join();
    process_cpu_ns += cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_before;
    wall_ns += cpu_ns(CLOCK_MONOTONIC) - wall_before;
  }
  server.stop();
  if (failed) return state.SkipWithError("a challenge was not answered with 200");
  int64_t answered = int64_t(kChallenges) * int64_t(state.iterations());
  state.SetItemsProcessed(answered);
  double server_cpu_ns = double(process_cpu_ns - client_cpu_ns);
  state.counters["server_cpu_us_per_challenge"] = server_cpu_ns / 1000.0 / double(answered);
  // How much of its core the server used: below 1 on a quiet machine, the server waited (on
  // latency or on the clients) rather than computed. The clients' figure says whether CPU 1,
  // the load generator, was the limit instead.
  state.counters["server_core_share"] = server_cpu_ns / double(wall_ns);
  state.counters["client_cpu_us_per_challenge"] = double(client_cpu_ns) / 1000.0 / double(answered);
}
// 8 and 32 daemons' connections at once.
BENCHMARK(BM_AnswerChallenge_Http)
    ->Arg(8)
    ->Arg(32)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
