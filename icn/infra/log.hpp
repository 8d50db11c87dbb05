// Logging for a role process (spdlog): stderr and a file in the data dir, one line per event
// tagged with the role; LogCapture lets tests read what was logged.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::infra {

struct LogOptions {
  std::string role;            // "satellite", "hypernode", …: on every line
  std::string level = "info";  // trace, debug, info, warn, error, off
  std::filesystem::path file;  // appended to; empty: no file
  bool to_stderr = true;
};

// Makes the spdlog default logger log as `options` say:
// "2025-01-02T03:04:05.678Z warning [satellite] disk at 91%".
// Fails on an unknown level ("log level 'loud' is not one of trace, debug, info, warn, error,
// off") or an unwritable file ("log: cannot open /x/icn.log: …").
Status setup_logging(const LogOptions& options);

// While alive, the default logger writes to memory (level trace) instead; the previous logger is
// restored on destruction. Not for concurrent use by several tests in one process.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  std::vector<std::string> lines() const;  // formatted "level [role] message"
  bool contains(std::string_view text) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace icn::infra
