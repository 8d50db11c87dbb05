// The Prometheus registry and its text exposition (format 0.0.4).
#include "icn/infra/metrics.hpp"

#include <charconv>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "icn/infra/http_server.hpp"

namespace icn::infra {
namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} with an optional extra label (le) last; "" when there are no labels at all.
std::string label_text(const std::vector<std::string>& names,
                       const std::vector<std::string>& values, const char* extra_name = nullptr,
                       const std::string& extra_value = {}) {
  if (names.empty() && !extra_name) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i] + "=\"" + escape_label_value(values[i]) + '"';
  }
  if (extra_name) {
    if (!names.empty()) out += ',';
    out += std::string(extra_name) + "=\"" + extra_value + '"';
  }
  return out + "}";
}

}  // namespace

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  // Buckets are few; a linear scan beats a binary search on these sizes.
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;  // from the buckets, so _count always equals the +Inf bucket
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

template <typename Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& label_values) {
  if (label_values.size() != labels_.size()) {
    throw std::logic_error("metrics: " + name_ + " takes " + std::to_string(labels_.size()) +
                           " label values, got " + std::to_string(label_values.size()));
  }
  {
    std::shared_lock lock(mu_);
    if (auto it = series_.find(label_values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto& slot = series_[label_values];
  if (!slot) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      slot = std::make_unique<Histogram>(bounds_);
    } else {
      slot = std::make_unique<Metric>();
    }
  }
  return *slot;
}

template <typename Metric>
void Family<Metric>::write(std::string& out) const {
  static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
  out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
  out += "# TYPE " + name_ + " " + kTypes[int(kind_)] + "\n";
  std::shared_lock lock(mu_);
  for (const auto& [values, metric] : series_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      Histogram::Snapshot s = metric->snapshot();
      for (size_t i = 0; i <= bounds_.size(); ++i) {
        std::string le = i < bounds_.size() ? format_metric_value(bounds_[i]) : "+Inf";
        out += name_ + "_bucket" + label_text(labels_, values, "le", le) + " " +
               std::to_string(s.cumulative[i]) + "\n";
      }
      out += name_ + "_sum" + label_text(labels_, values) + " " + format_metric_value(s.sum) + "\n";
      out += name_ + "_count" + label_text(labels_, values) + " " + std::to_string(s.count) + "\n";
    } else {
      out +=
          name_ + label_text(labels_, values) + " " + format_metric_value(metric->value()) + "\n";
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct MetricsRegistry::Entry {
  int kind = 0;
  std::unique_ptr<CounterFamily> counter;
  std::unique_ptr<GaugeFamily> gauge;
  std::unique_ptr<HistogramFamily> histogram;
  void write(std::string& out) const {
    if (counter) counter->write(out);
    if (gauge) gauge->write(out);
    if (histogram) histogram->write(out);
  }
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <typename F>
F& MetricsRegistry::add(const std::string& name, const std::string& help,
                        std::vector<std::string> labels, std::vector<double> bounds, int kind) {
  if (!valid_name(name, true))
    throw std::logic_error("metrics: invalid metric name '" + name + "'");
  for (const auto& l : labels) {
    if (!valid_name(l, false) || l.starts_with("__") || (kind == 2 && l == "le")) {
      throw std::logic_error("metrics: invalid label name '" + l + "' for " + name);
    }
  }
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (!(bounds[i - 1] < bounds[i])) {
      throw std::logic_error("metrics: histogram " + name + " buckets must ascend");
    }
  }
  if (!bounds.empty() && std::isinf(bounds.back())) bounds.pop_back();  // +Inf is implicit
  std::lock_guard lock(mu_);
  auto& entry = families_[name];
  auto pick = [&](Entry& e) -> std::unique_ptr<F>& {
    if constexpr (std::is_same_v<F, CounterFamily>) return e.counter;
    if constexpr (std::is_same_v<F, GaugeFamily>) return e.gauge;
    if constexpr (std::is_same_v<F, HistogramFamily>) return e.histogram;
  };
  if (entry) {
    auto& existing = pick(*entry);
    if (entry->kind != kind || !existing || existing->help_ != help ||
        existing->labels_ != labels || existing->bounds_ != bounds) {
      throw std::logic_error("metrics: " + name + " registered twice with different definitions");
    }
    return *existing;
  }
  entry = std::make_unique<Entry>();
  entry->kind = kind;
  auto& slot = pick(*entry);
  slot.reset(new F(name, help, std::move(labels), typename F::Kind(kind), std::move(bounds)));
  return *slot;
}

CounterFamily& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names) {
  return add<CounterFamily>(name, help, std::move(label_names), {}, 0);
}

GaugeFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  return add<GaugeFamily>(name, help, std::move(label_names), {}, 1);
}

HistogramFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                            std::vector<double> bounds,
                                            std::vector<std::string> label_names) {
  return add<HistogramFamily>(name, help, std::move(label_names), std::move(bounds), 2);
}

std::string MetricsRegistry::exposition() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, entry] : families_) entry->write(out);
  return out;
}

void mount_metrics(HttpServer& server, const MetricsRegistry& registry, std::string path) {
  server.get(std::move(path), [&registry](const HttpRequest&) {
    return HttpResponse::text(registry.exposition(), kMetricsContentType);
  });
}

std::function<void(const HttpRequestRecord&)> http_metrics_observer(MetricsRegistry& registry,
                                                                    const std::string& prefix) {
  auto& requests = registry.counter(prefix + "_http_requests_total", "HTTP requests answered.",
                                    {"method", "route", "status"});
  auto& latency = registry.histogram(prefix + "_http_request_duration_seconds",
                                     "Time from a request's first byte to its response.",
                                     kDefaultLatencyBuckets, {"method", "route"});
  return [&requests, &latency](const HttpRequestRecord& r) {
    // Methods outside the known set are folded too: they are client-chosen strings.
    static const std::vector<std::string> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "OPTIONS"};
    std::string method = "other";
    for (const auto& m : kMethods)
      if (r.method == m) method = m;
    std::string route = r.route.empty() ? "unmatched" : r.route;
    requests.with({method, route, std::to_string(r.status)}).inc();
    latency.with({method, route}).observe(std::chrono::duration<double>(r.duration).count());
  };
}

}  // namespace icn::infra
