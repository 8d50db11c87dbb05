// <dir>/status.json: what the running `icn devnet` supervisor last saw of its processes, written
// atomically on every change; `icn devnet status` reads it and checks each pid is still alive.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::devnet {

inline constexpr std::string_view kStatusFormat = "icn-devnet-status/1";

struct ProcessStatus {
  std::string name;  // "anvil", "satellite-1", …
  std::string kind;  // "chain", "satellite", "hypernode", "daemon", "indexer"
  int pid = 0;
  std::string state;  // "starting", "running", "exited (exit code 1)", "stopped"
  std::string url;    // what it serves: RPC, API
  std::string log;    // its log file
};

struct DevnetStatus {
  int supervisor_pid = 0;
  std::string state;  // "starting", "ready", "stopping", "stopped"
  std::string rpc_url;
  uint64_t chain_id = 0;
  std::string api_url;  // the indexer's
  std::vector<ProcessStatus> processes;

  std::string to_json() const;
  static Result<DevnetStatus> parse(std::string_view json_text);
};

std::filesystem::path status_file(const std::filesystem::path& dir);
Status write_status(const std::filesystem::path& dir, const DevnetStatus& status);
// nullopt when the devnet never started here.
Result<std::optional<DevnetStatus>> read_status(const std::filesystem::path& dir);

// True while `pid` is a live process (not a zombie).
bool process_alive(int pid);

}  // namespace icn::devnet
