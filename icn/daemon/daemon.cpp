// The daemon's loop and status API.
#include "icn/daemon/daemon.hpp"

#include <spdlog/spdlog.h>

#include "icn/daemon/schedule.hpp"

namespace icn::daemon {

Daemon::Daemon(chain::ChainView& chain, infra::Database& db, PrivateKey daemon_key,
               DaemonOptions options, DaemonMetrics& metrics, report::HttpPoster& poster,
               UnixClock clock, std::mt19937_64 rng, NonceSource nonces)
    : chain_(chain),
      options_(std::move(options)),
      metrics_(metrics),
      poster_(poster),
      clock_(clock),
      rng_(rng),
      store_(db),
      outbox_(db, options_.outbox, clock),
      challenger_(chain, store_, options_.scaler_node_id, daemon_key, options_.challenge, clock,
                  std::move(nonces), &metrics),
      reporter_(store_, outbox_, challenger_.domain(), options_.scaler_node_id, daemon_key,
                {options_.version, options_.satellites}, clock, &metrics) {}

Status Daemon::challenge_if_due(uint64_t head, uint64_t era, const infra::StopFlag& stop) {
  ICN_TRY(std::optional<EraRecord> record, store_.era(era));
  if (record && record->challenged) {
    std::lock_guard lock(mu_);
    status_.challenge_block.reset();
    status_.last_challenged_era = era;
    return {};
  }
  ICN_TRY_CTX(chain::EraBounds bounds, chain_.era_bounds(era), "era " + std::to_string(era));
  // A node out of service at the era's start block is not judged in that era (every satellite
  // and HyperNode uses the same set): no challenges, so no batch either.
  ICN_TRY(std::string why, not_in_service(era, bounds));
  if (!why.empty()) return {};
  if (!scheduled_ || scheduled_->first != era) {
    scheduled_ = {era, schedule(bounds, rng_)};
    spdlog::info("era {}: challenging at block {} (era blocks {}..{})", era, scheduled_->second,
                 bounds.start_block, bounds.end_block - 1);
    std::lock_guard lock(mu_);
    status_.challenge_block = scheduled_->second;
  }
  if (head < scheduled_->second) return {};
  ICN_TRY_CTX(EraChallengeSummary s, challenger_.run_era(bounds, stop),
              "challenge era " + std::to_string(era));
  spdlog::info("era {}: {} HyperNodes, {} confirmed, {} failed{}", era, s.hyper_nodes, s.ok,
               s.failed, s.pending ? fmt::format(", {} pending (stopping)", s.pending) : "");
  if (s.pending == 0) {
    std::lock_guard lock(mu_);
    status_.challenge_block.reset();
    status_.last_challenged_era = era;
  }
  return {};
}

Result<std::string> Daemon::not_in_service(uint64_t era, const chain::EraBounds& bounds) {
  if (!service_ || service_->first != era) {
    const std::string node = "node " + to_decimal(options_.scaler_node_id);
    ICN_TRY_CTX(std::optional<chain::ScalerNodeInfo> info,
                chain_.scaler_node(options_.scaler_node_id, bounds.start_block),
                "reading " + node + " at block " + std::to_string(bounds.start_block));
    std::string why;
    if (!info || info->status == chain::ScalerNodeStatus::kNone) {
      why = node + " is not registered at era " + std::to_string(era);
    } else if (!info->in_service()) {
      why = node + " is " + std::string(chain::to_string(info->status)) +
            ", not in service at era " + std::to_string(era);
    }
    if (why.empty() && service_ && !service_->second.empty()) {
      spdlog::info("era {}: {} is in service again", era, node);
    }
    if (!why.empty()) spdlog::info("era {}: skipped: {}", era, why);
    service_ = {era, why};
    metrics_.in_service.set(why.empty() ? 1 : 0);
    std::lock_guard lock(mu_);
    status_.not_in_service = why;
    if (!why.empty()) status_.challenge_block.reset();
  }
  return service_->second;
}

Status Daemon::tick(const infra::StopFlag& stop) {
  ICN_TRY_CTX(uint64_t head, chain_.head_block(), "read head");
  ICN_TRY_CTX(uint64_t era, chain_.era_at(head), "era at block " + std::to_string(head));
  metrics_.era.set(static_cast<double>(era));
  {
    std::lock_guard lock(mu_);
    status_.ready = true;
    status_.head_block = head;
    status_.era = era;
  }
  // Report first: an ended era's batch should not wait for the current era's challenges.
  ICN_TRY(std::vector<uint64_t> reported, reporter_.report_ended_eras(era));
  for (uint64_t e : reported) {
    spdlog::info("era {}: batch spooled to {} satellites", e, options_.satellites.size());
    std::lock_guard lock(mu_);
    status_.last_reported_era = e;
  }
  // Deliver before challenging too: the challenges of an era with a HyperNode down take seconds
  // (retries with backoff), and a batch held behind them missed the satellites' grace blocks, so
  // a node that was UP counted DOWN.
  ICN_CHECK(deliver_due());
  ICN_CHECK(challenge_if_due(head, era, stop));
  return deliver_due();
}

Status Daemon::deliver_due() {
  ICN_TRY(report::DeliveryRound round, outbox_.deliver_due(poster_));
  metrics_.deliveries.with({"delivered"}).inc(static_cast<double>(round.delivered));
  metrics_.deliveries.with({"failed"}).inc(static_cast<double>(round.failed));
  metrics_.deliveries.with({"refused"}).inc(static_cast<double>(round.refused));
  for (const std::string& e : round.errors) spdlog::warn("batch delivery failed: {}", e);
  for (const std::string& e : round.refusals) spdlog::error("batch delivery refused: {}", e);
  ICN_TRY(int64_t pending, outbox_.pending_count());
  metrics_.outbox_pending.set(static_cast<double>(pending));
  std::lock_guard lock(mu_);
  status_.outbox_pending = pending;
  return {};
}

void Daemon::run(const infra::StopFlag& stop) {
  while (!stop.requested()) {
    Status s = tick(stop);
    {
      std::lock_guard lock(mu_);
      status_.last_error = s ? "" : s.error().message;
    }
    if (!s) spdlog::warn("{}", s.error().message);
    if (stop.wait_for(options_.poll_interval)) break;
  }
  spdlog::info("stopping: {}", stop.reason());
}

DaemonStatus Daemon::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

infra::HttpResponse handle_status(const Daemon& daemon) {
  DaemonStatus s = daemon.status();
  auto optional = [](const std::optional<uint64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json body = {
      {"ready", s.ready},
      {"headBlock", s.head_block},
      {"era", s.era},
      {"challengeBlock", optional(s.challenge_block)},
      {"lastChallengedEra", optional(s.last_challenged_era)},
      {"lastReportedEra", optional(s.last_reported_era)},
      {"outboxPending", s.outbox_pending},
      {"notInService",
       s.not_in_service.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.not_in_service)},
      {"lastError", s.last_error}};
  return infra::HttpResponse::json_body(body, s.ready ? 200 : 503);
}

void mount_daemon_api(infra::HttpServer& server, const Daemon& daemon,
                      const infra::MetricsRegistry& registry) {
  server.get("/v1/status", [&daemon](const infra::HttpRequest&) { return handle_status(daemon); });
  infra::mount_metrics(server, registry);
}

}  // namespace icn::daemon
