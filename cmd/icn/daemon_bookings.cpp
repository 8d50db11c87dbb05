// The booking follower's config and thread for `icn daemon`.
#include "cmd/icn/daemon_bookings.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace icn::cmd {

Result<BookingsConfig> load_bookings_config(infra::Config& c,
                                            const std::filesystem::path& data_dir) {
  using std::chrono::milliseconds;
  BookingsConfig out;
  ICN_TRY(out.kind, c.string("provisioner.kind", "none"));
  if (out.kind != "none" && out.kind != "exec" && out.kind != "ssh-account") {
    return fail(c.name() + ": [provisioner] kind = \"" + out.kind +
                "\": expected \"exec\", \"ssh-account\" or \"none\"");
  }
  ICN_TRY(out.exec.command, c.string_list("provisioner.command"));
  if (out.kind == "exec" && out.exec.command.empty()) {
    return fail(c.name() +
                ": [provisioner] command is required for kind = \"exec\" (an argv "
                "array: [\"/usr/local/bin/provision\", \"--pool\", \"a\"])");
  }
  ICN_TRY(out.exec.timeout, c.duration("provisioner.timeout", milliseconds(60000),
                                       milliseconds(100), milliseconds(3600000)));
  out.exec.work_dir = data_dir / "provision";
  ICN_TRY(out.ssh.accounts_dir, c.path("provisioner.accounts_dir", data_dir / "accounts"));
  ICN_TRY(out.ssh.host, c.string("provisioner.host", "localhost"));
  if (out.ssh.host.empty() || out.ssh.host.find_first_of(" \t\r\n/@?#") != std::string::npos) {
    return fail(c.name() + ": [provisioner] host = \"" + out.ssh.host +
                "\": expected a host name or address (and optional :port)");
  }
  ICN_TRY(out.ssh.create_system_user, c.boolean("provisioner.create_system_user", false));
  out.ssh.command_timeout = out.exec.timeout;
  ICN_TRY(int64_t confirmations, c.integer("bookings.confirmations", 2, 0, 1000));
  out.confirmations = uint64_t(confirmations);
  return out;
}

Result<std::unique_ptr<BookingsRunner>> BookingsRunner::start(
    const BookingsConfig& config, const std::string& rpc_url, const chain::Deployment& deployment,
    const std::filesystem::path& artifacts, const std::filesystem::path& db_path,
    const U256& node_id, std::chrono::milliseconds poll_interval,
    infra::MetricsRegistry& registry) {
  std::optional<Address> market = deployment.address_of("CapacityMarket");
  if (!market) return fail("deployment: no CapacityMarket");
  std::unique_ptr<BookingsRunner> r(new BookingsRunner());
  r->rpc_ = std::make_unique<eth::RpcClient>(rpc_url);
  ICN_TRY(chain::ProtocolReader reader,
          chain::ProtocolReader::open(*r->rpc_, deployment, artifacts));
  r->reader_ = std::make_unique<chain::ProtocolReader>(std::move(reader));
  ICN_TRY(infra::Database db, infra::Database::open(db_path));
  r->db_ = std::make_unique<infra::Database>(std::move(db));
  if (config.kind == "exec") {
    r->provisioner_ = std::make_unique<daemon::ExecProvisioner>(config.exec);
  } else if (config.kind == "ssh-account") {
    r->provisioner_ = std::make_unique<daemon::SshAccountProvisioner>(config.ssh);
  } else {
    r->provisioner_ = std::make_unique<daemon::NoProvisioner>();
  }
  r->metrics_ = std::make_unique<daemon::BookingMetrics>(registry);
  ICN_TRY(std::optional<eth::Checkpoint> checkpoint, daemon::BookingStore(*r->db_).checkpoint());
  r->source_ = std::make_unique<daemon::ChainMarketLogSource>(
      *r->rpc_, *r->reader_, *market, deployment.deploy_block, checkpoint, config.confirmations);
  daemon::BookingFollowerOptions options;
  options.scaler_node_id = node_id;
  options.poll_interval = poll_interval;
  r->follower_ = std::make_unique<daemon::BookingFollower>(
      *r->source_, *r->db_, *r->provisioner_, options, r->metrics_.get(), [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      });
  spdlog::info("bookings: provisioner {}, following CapacityMarket {} from block {}", config.kind,
               market->checksummed(),
               checkpoint ? checkpoint->block_number : deployment.deploy_block);
  BookingsRunner* self = r.get();
  r->thread_ = std::thread([self] { self->follower_->run(self->stop_); });
  return r;
}

BookingsRunner::~BookingsRunner() {
  stop_.request("daemon stopping");
  if (thread_.joinable()) thread_.join();
}

}  // namespace icn::cmd
