// The daemon's Prometheus series, registered once per registry.
#pragma once

#include "icn/infra/metrics.hpp"

namespace icn::daemon {

struct DaemonMetrics {
  explicit DaemonMetrics(infra::MetricsRegistry& registry);
  // icn_daemon_challenges_total{hypernode, result="sent|ok|failed"}: sent counts attempts.
  infra::CounterFamily& challenges;
  infra::Histogram& rtt_seconds;     // icn_daemon_challenge_rtt_seconds (confirmed ones)
  infra::Gauge& era;                 // icn_daemon_era: the head's era
  infra::Gauge& outbox_pending;      // icn_daemon_outbox_pending: undelivered batch copies
  infra::Counter& batches_enqueued;  // icn_daemon_batches_enqueued_total
  infra::CounterFamily& deliveries;  // icn_daemon_batch_deliveries_total{result}
  // icn_daemon_in_service: 1 when the node is Validated or Booked at the head era's start block
  // (the era is challenged), 0 when it is not (the era is skipped).
  infra::Gauge& in_service;
};

}  // namespace icn::daemon
