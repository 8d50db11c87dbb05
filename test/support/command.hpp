// Running a command to completion and capturing its output: how tests drive `icn`, cast and node.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace icn::test {

struct CommandResult {
  int exit_code = -1;            // -1 when it did not finish or was killed by a signal
  std::string out;               // stdout
  std::string err;               // stderr (its last 64 KiB)
  std::string describe() const;  // for assertion messages
};

// Runs argv (argv[0] a path or a name in PATH) with a deadline; a child still running at the
// deadline is killed and reported with exit_code -1.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// stdout without its trailing newline(s).
std::string trimmed(std::string s);

// Paths of the pinned tools and of the build's own binary.
std::string cast_path();
std::string anvil_path();
std::string icn_path();
std::string node_path();
std::string evm_tools_dir();  // tools/evm/node_modules

}  // namespace icn::test
