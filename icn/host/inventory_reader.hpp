// Gathers a HostInventory from a /proc + /sys tree (the live one at "/", or a captured copy),
// statvfs of the data path and nvidia-smi. The parsing is inventory.hpp's; this file only reads.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "icn/host/inventory.hpp"

namespace icn::host {

struct InventoryOptions {
  // Where proc/ and sys/ are. A root other than "/" is a captured tree (testdata/capture.sh):
  // nvidia-smi is not run, the GPUs come from <root>/nvidia-smi.csv when it exists, and the data
  // path's statvfs numbers from <root>/data-path.statvfs when it exists.
  std::filesystem::path root = "/";
  // The directory the node's capacity lives on (statvfs); empty: not reported.
  std::filesystem::path data_path;
  // Run when root is "/"; not found in PATH means no GPUs (not an error).
  std::string nvidia_smi = "nvidia-smi";
  std::chrono::milliseconds nvidia_smi_timeout{5000};
};

// Fails when cpuinfo or meminfo is missing or malformed, or the data path cannot be statted; a
// disk, interface or nvidia-smi answer that cannot be read is left out with a note saying why.
Result<HostInventory> read_inventory(const InventoryOptions& options);

}  // namespace icn::host
