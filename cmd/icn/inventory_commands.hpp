// `icn node inventory` and the part of `icn node register --from-inventory` that reads the local
// server (icn/host) and the class it registers in.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "icn/eth/json_rpc.hpp"
#include "icn/host/class_check.hpp"
#include "icn/host/inventory.hpp"

namespace icn::cmd {

struct InventorySource {
  std::string root;       // empty: "/"
  std::string data_path;  // empty: none
};
void add_inventory_source_options(CLI::App* command, InventorySource& source);
Result<host::HostInventory> read_local_inventory(const InventorySource& source);

// What --from-inventory fills: the capacity (the data path's size in whole class units), and
// what it used and found, to be printed.
struct InventoryFill {
  uint64_t capacity = 0;
  std::vector<std::string> used;
  std::vector<host::Finding> findings;  // the server against the class at that capacity
};
Result<InventoryFill> fill_from_inventory(const InventorySource& source, eth::RpcClient& rpc,
                                          const std::string& deployment_file,
                                          const std::string& artifacts_dir,
                                          const std::string& class_name);

// `icn node inventory` under `node`.
void add_inventory_command(CLI::App* node);

}  // namespace icn::cmd
