// Registration of the daemon's series.
#include "icn/daemon/daemon_metrics.hpp"

namespace icn::daemon {

DaemonMetrics::DaemonMetrics(infra::MetricsRegistry& registry)
    : challenges(registry.counter("icn_daemon_challenges_total",
                                  "Challenge attempts sent and final outcomes, per HyperNode",
                                  {"hypernode", "result"})),
      rtt_seconds(registry
                      .histogram("icn_daemon_challenge_rtt_seconds",
                                 "Round trip of confirmed challenges",
                                 {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5})
                      .get()),
      era(registry.gauge("icn_daemon_era", "The era of the chain head").get()),
      outbox_pending(registry
                         .gauge("icn_daemon_outbox_pending",
                                "Batch deliveries to satellites not yet acknowledged")
                         .get()),
      batches_enqueued(
          registry.counter("icn_daemon_batches_enqueued_total", "Era batches built and spooled")
              .get()),
      deliveries(registry.counter("icn_daemon_batch_deliveries_total",
                                  "Batch delivery attempts to satellites", {"result"})),
      in_service(registry
                     .gauge("icn_daemon_in_service",
                            "1 when the node is in service at the era's start block, else 0")
                     .get()) {}

}  // namespace icn::daemon
