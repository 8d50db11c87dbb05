// Prometheus metrics: counters, gauges and fixed-bucket histograms with labels, exposed in the
// text format 0.0.4. Updates are lock-free atomics; looking up a labelled series takes a lock,
// so hot paths keep the series reference.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace icn::infra {

class HttpServer;
struct HttpRequestRecord;

class Counter {
 public:
  void inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }  // by >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);  // upper bounds, ascending, no +Inf
  void observe(double v);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<double> sum_{0};
};

// Default latency buckets in seconds (Prometheus client defaults).
inline const std::vector<double> kDefaultLatencyBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                           0.5,   1,    2.5,   5,    10};

// One metric name with its label names; with(values) returns the series for those label values
// (created on first use; references stay valid for the registry's life).
template <typename Metric>
class Family {
 public:
  Metric& with(const std::vector<std::string>& label_values);
  Metric& get() { return with({}); }  // for a family without labels

 private:
  friend class MetricsRegistry;
  enum class Kind { kCounter, kGauge, kHistogram };
  Family(std::string name, std::string help, std::vector<std::string> labels, Kind kind,
         std::vector<double> bounds)
      : name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)),
        kind_(kind),
        bounds_(std::move(bounds)) {}
  void write(std::string& out) const;

  std::string name_, help_;
  std::vector<std::string> labels_;
  Kind kind_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Thread-safe. Registering a name again with the same type, help and labels returns the same
// family; anything else (a clash, an invalid name) is a programming error (std::logic_error).
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<double> bounds = kDefaultLatencyBuckets,
                             std::vector<std::string> label_names = {});

  // Every family, sorted by name, series sorted by label values, in text format 0.0.4.
  std::string exposition() const;

 private:
  struct Entry;
  template <typename F>
  F& add(const std::string& name, const std::string& help, std::vector<std::string> labels,
         std::vector<double> bounds, int kind);
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> families_;
};

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Serves registry.exposition() at GET /metrics. The registry must outlive the server.
void mount_metrics(HttpServer& server, const MetricsRegistry& registry,
                   std::string path = "/metrics");

// An HttpServerOptions::route_observer recording <prefix>_http_requests_total{method,route,status}
// and <prefix>_http_request_duration_seconds{method,route}. Unmatched paths count as route
// "unmatched" so a scanner cannot create a series per path.
std::function<void(const HttpRequestRecord&)> http_metrics_observer(MetricsRegistry& registry,
                                                                    const std::string& prefix);

// Text-format helpers, exposed for tests: a value ("1", "0.25", "+Inf", "NaN") and a label value
// with \\, \" and \n escaped.
std::string format_metric_value(double v);
std::string escape_label_value(std::string_view v);

}  // namespace icn::infra
