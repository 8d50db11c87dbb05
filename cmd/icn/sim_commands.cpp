// `icn sim`: generated eras of N ScalerNodes × M HyperNodes through the real satellite ingest and
// era computation, timed (icn/sim, docs/sim.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/sim/sim_runner.hpp"

namespace icn::cmd {
namespace {

struct SimCommandOptions {
  uint32_t scaler_nodes = 20;
  uint32_t hyper_nodes = 4;
  uint64_t eras = 1;
  double down_rate = 0;
  uint32_t byzantine = 0;
  uint64_t seed = 1;
  unsigned threads = 2;
  unsigned senders = 16;
  std::string cache_dir;
  std::string work_dir;
  bool keep = false;
  bool json = false;
  std::string detail = "auto";
};
SimCommandOptions g_sim;

std::filesystem::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "icn" / "sim";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".cache" / "icn" / "sim";
  }
  return std::filesystem::temp_directory_path() / "icn-sim-cache";
}

Result<std::string> run_sim_command() {
  // stdout carries the table or JSON; the satellite's own log lines go to stderr, warnings only.
  auto log = spdlog::stderr_color_mt("sim");
  log->set_level(spdlog::level::warn);
  spdlog::set_default_logger(log);
  sim::SimOptions o;
  o.params.scaler_nodes = g_sim.scaler_nodes;
  o.params.hyper_nodes = g_sim.hyper_nodes;
  o.params.down_rate = g_sim.down_rate;
  o.params.byzantine = g_sim.byzantine;
  o.params.seed = g_sim.seed;
  o.eras = g_sim.eras;
  o.threads = g_sim.threads;
  o.senders = g_sim.senders;
  o.cache_dir =
      g_sim.cache_dir.empty() ? default_cache_dir() : std::filesystem::path(g_sim.cache_dir);
  const bool own_work_dir = g_sim.work_dir.empty();
  o.work_dir = own_work_dir ? std::filesystem::temp_directory_path() /
                                  ("icn-sim-" + std::to_string(::getpid()))
                            : std::filesystem::path(g_sim.work_dir);
  // The detail pass re-runs the verdict untimed: on by default only for small eras.
  o.detail = g_sim.detail == "on" || (g_sim.detail == "auto" &&
                                      uint64_t(g_sim.scaler_nodes) * g_sim.hyper_nodes <= 100'000);
  auto report = sim::run_sim(o);
  if (own_work_dir && !g_sim.keep) {
    std::error_code ec;
    std::filesystem::remove_all(o.work_dir, ec);
  }
  if (!report) return report.error();
  if (g_sim.json) return sim::to_json(*report).dump(2);
  std::string table = sim::to_table(*report);
  if (!table.empty() && table.back() == '\n') table.pop_back();
  return table;
}

}  // namespace

void add_sim_commands(CLI::App& app) {
  auto* s = app.add_subcommand(
      "sim",
      "Simulate eras of N ScalerNodes x M HyperNodes through the real satellite (ingest, "
      "verdicts, roots) and measure it; generated eras are cached on disk");
  s->add_option("--scalernodes", g_sim.scaler_nodes,
                "ScalerNodes (each challenges every HyperNode)")
      ->check(CLI::Range(1u, 1'000'000u));
  s->add_option("--hypernodes", g_sim.hyper_nodes, "HyperNodes")->check(CLI::Range(1u, 4096u));
  s->add_option("--eras", g_sim.eras, "eras to run")
      ->check(CLI::Range(uint64_t(1), uint64_t(1000)));
  s->add_option("--down-rate", g_sim.down_rate, "share of ScalerNodes down in each era")
      ->check(CLI::Range(0.0, 1.0));
  s->add_option("--byzantine", g_sim.byzantine,
                "byzantine participants: HyperNodes omitting answers, daemons forging an entry");
  s->add_option("--seed", g_sim.seed, "derives every key, nonce and role");
  s->add_option("--threads", g_sim.threads, "generation threads")->check(CLI::Range(1u, 64u));
  s->add_option("--senders", g_sim.senders,
                "concurrent post_batch callers (HTTP workers); their inserts share group commits")
      ->check(CLI::Range(1u, 256u));
  s->add_option("--cache-dir", g_sim.cache_dir,
                "generated eras (default $XDG_CACHE_HOME/icn/sim or ~/.cache/icn/sim)");
  s->add_option("--work-dir", g_sim.work_dir,
                "the satellite's database (default: a temporary directory, removed afterwards)");
  s->add_flag("--keep", g_sim.keep, "keep the temporary work directory");
  s->add_option("--detail", g_sim.detail,
                "also report misreporting HyperNodes and dropped entries (untimed): auto (up to "
                "100,000 challenges), on, off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  s->add_flag("--json", g_sim.json, "print the figures as JSON");
  s->callback([] { emit(run_sim_command()); });
}

}  // namespace icn::cmd
