// `icn`: the one binary; each subcommand parses its options and calls a library.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cmd/icn/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"icn — Impossible Cloud Network node software"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(icn::cmd::kVersion));
  icn::cmd::add_util_commands(app);
  icn::cmd::add_keys_commands(app);
  icn::cmd::add_contract_commands(app);
  icn::cmd::add_deploy_commands(app);
  icn::cmd::add_hypernode_commands(app);
  icn::cmd::add_daemon_commands(app);
  icn::cmd::add_satellite_commands(app);
  icn::cmd::add_sim_commands(app);
  icn::cmd::add_indexer_commands(app);
  icn::cmd::add_devnet_commands(app);
  icn::cmd::add_claim_commands(app);
  icn::cmd::add_node_commands(app);
  icn::cmd::add_link_commands(app);
  icn::cmd::add_book_commands(app);
  icn::cmd::add_icnt_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return icn::cmd::exit_code();
}
