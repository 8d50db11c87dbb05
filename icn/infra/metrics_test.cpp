// Tests for the metrics registry: exact exposition text, concurrency, /metrics over HTTP.
#include "icn/infra/metrics.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "icn/infra/http_server.hpp"

namespace icn::infra {
namespace {

TEST(Metrics, ExpositionTextIsExact) {
  MetricsRegistry registry;
  auto& requests = registry.counter("icn_requests_total", "Requests seen.\nSecond line \\ here.",
                                    {"role", "outcome"});
  requests.with({"satellite", "ok"}).inc();
  requests.with({"satellite", "ok"}).inc(2);
  requests.with({"hyper\"node\\\n", "error"}).inc(0.5);
  auto& height = registry.gauge("icn_chain_height", "Last block seen.");
  height.get().set(1234567);
  auto& latency =
      registry.histogram("icn_call_seconds", "Call latency.", {0.1, 0.5, 2.5}, {"peer"});
  auto& a = latency.with({"a"});
  a.observe(0.05);
  a.observe(0.1);  // upper bounds are inclusive
  a.observe(0.3);
  a.observe(100);
  registry.gauge("icn_empty", "No series yet.", {"x"});

  EXPECT_EQ(registry.exposition(),
            "# HELP icn_call_seconds Call latency.\n"
            "# TYPE icn_call_seconds histogram\n"
            "icn_call_seconds_bucket{peer=\"a\",le=\"0.1\"} 2\n"
            "icn_call_seconds_bucket{peer=\"a\",le=\"0.5\"} 3\n"
            "icn_call_seconds_bucket{peer=\"a\",le=\"2.5\"} 3\n"
            "icn_call_seconds_bucket{peer=\"a\",le=\"+Inf\"} 4\n"
            "icn_call_seconds_sum{peer=\"a\"} 100.45\n"
            "icn_call_seconds_count{peer=\"a\"} 4\n"
            "# HELP icn_chain_height Last block seen.\n"
            "# TYPE icn_chain_height gauge\n"
            "icn_chain_height 1234567\n"
            "# HELP icn_empty No series yet.\n"
            "# TYPE icn_empty gauge\n"
            "# HELP icn_requests_total Requests seen.\\nSecond line \\\\ here.\n"
            "# TYPE icn_requests_total counter\n"
            "icn_requests_total{role=\"hyper\\\"node\\\\\\n\",outcome=\"error\"} 0.5\n"
            "icn_requests_total{role=\"satellite\",outcome=\"ok\"} 3\n");
}

TEST(Metrics, ValuesFormatLikePrometheus) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.005), "0.005");
  EXPECT_EQ(format_metric_value(-2.5), "-2.5");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(INFINITY), "+Inf");
  EXPECT_EQ(format_metric_value(-INFINITY), "-Inf");
  EXPECT_EQ(format_metric_value(NAN), "NaN");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(Metrics, HistogramWithoutLabelsAndDefaultBuckets) {
  MetricsRegistry registry;
  registry.histogram("h", "H.", {1}).get().observe(2);
  EXPECT_EQ(registry.exposition(),
            "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\n"
            "h_sum 2\nh_count 1\n");
}

TEST(Metrics, ReRegistrationReturnsTheSameFamilyAndClashesThrow) {
  MetricsRegistry registry;
  auto& a = registry.counter("c_total", "C.", {"x"});
  EXPECT_EQ(&a, &registry.counter("c_total", "C.", {"x"}));
  EXPECT_THROW(registry.gauge("c_total", "C.", {"x"}), std::logic_error);
  EXPECT_THROW(registry.counter("c_total", "C.", {"y"}), std::logic_error);
  EXPECT_THROW(registry.counter("1bad", "B."), std::logic_error);
  EXPECT_THROW(registry.counter("ok", "B.", {"__reserved"}), std::logic_error);
  EXPECT_THROW(registry.histogram("hh", "B.", {1}, {"le"}), std::logic_error);
  EXPECT_THROW(registry.histogram("hh", "B.", {2, 1}), std::logic_error);
  EXPECT_THROW(a.with({"1", "2"}), std::logic_error);
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
  MetricsRegistry registry;
  auto& family = registry.counter("n_total", "N.", {"t"});
  auto& h = registry.histogram("lat", "L.", {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.with({t % 2 ? "odd" : "even"}).inc();
        h.get().observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.with({"odd"}).value(), 20000);
  EXPECT_EQ(family.with({"even"}).value(), 20000);
  auto s = h.get().snapshot();
  EXPECT_EQ(s.count, 40000u);
  EXPECT_EQ(s.sum, 20000);
}

TEST(Metrics, MountedOnTheServerWithRouteMetrics) {
  MetricsRegistry registry;
  registry.counter("up_total", "Up.").get().inc();
  HttpServerOptions options;
  options.route_observer = http_metrics_observer(registry, "icn");
  HttpServer server(options);
  mount_metrics(server, registry);
  ASSERT_TRUE(server.start().ok());
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Get("/nowhere/1"));
  ASSERT_TRUE(client.Get("/nowhere/2"));
  auto r = client.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), kMetricsContentType);
  EXPECT_NE(r->body.find("up_total 1\n"), std::string::npos) << r->body;
  server.stop();  // joins the workers: every observer call has happened
  std::string text = registry.exposition();
  EXPECT_NE(
      text.find("icn_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 2\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("icn_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("icn_http_request_duration_seconds_count{method=\"GET\",route="
                      "\"unmatched\"} 2\n"),
            std::string::npos);
}

}  // namespace
}  // namespace icn::infra
