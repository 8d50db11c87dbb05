// status.json: written by the supervisor, read strictly by `icn devnet status`.
#include "icn/devnet/status.hpp"

#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "icn/infra/files.hpp"

namespace icn::devnet {
namespace {

using json = nlohmann::json;

Result<std::string> text_of(const json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) {
    return fail("status.json: " + where + "." + key + " is missing or not a string");
  }
  return it->get<std::string>();
}

Result<uint64_t> number_of(const json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number_unsigned()) {
    return fail("status.json: " + where + "." + key + " is missing or not an unsigned integer");
  }
  return it->get<uint64_t>();
}

}  // namespace

std::string DevnetStatus::to_json() const {
  json procs = json::array();
  for (const ProcessStatus& p : processes) {
    procs.push_back({{"name", p.name},
                     {"kind", p.kind},
                     {"pid", p.pid},
                     {"state", p.state},
                     {"url", p.url},
                     {"log", p.log}});
  }
  json out = {{"format", std::string(kStatusFormat)},
              {"supervisorPid", supervisor_pid},
              {"state", state},
              {"rpcUrl", rpc_url},
              {"chainId", chain_id},
              {"apiUrl", api_url},
              {"processes", procs}};
  return out.dump(2) + "\n";
}

Result<DevnetStatus> DevnetStatus::parse(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("status.json: not a JSON object");
  ICN_TRY(std::string format, text_of(doc, "format", "status"));
  if (format != kStatusFormat) return fail("status.json: unknown format \"" + format + "\"");
  DevnetStatus s;
  ICN_TRY(uint64_t pid, number_of(doc, "supervisorPid", "status"));
  s.supervisor_pid = static_cast<int>(pid);
  ICN_TRY(s.state, text_of(doc, "state", "status"));
  ICN_TRY(s.rpc_url, text_of(doc, "rpcUrl", "status"));
  ICN_TRY(s.chain_id, number_of(doc, "chainId", "status"));
  ICN_TRY(s.api_url, text_of(doc, "apiUrl", "status"));
  auto procs = doc.find("processes");
  if (procs == doc.end() || !procs->is_array()) return fail("status.json: no processes array");
  for (const json& p : *procs) {
    if (!p.is_object()) return fail("status.json: a process is not an object");
    ProcessStatus ps;
    ICN_TRY(ps.name, text_of(p, "name", "process"));
    ICN_TRY(ps.kind, text_of(p, "kind", ps.name));
    ICN_TRY(uint64_t ppid, number_of(p, "pid", ps.name));
    ps.pid = static_cast<int>(ppid);
    ICN_TRY(ps.state, text_of(p, "state", ps.name));
    ICN_TRY(ps.url, text_of(p, "url", ps.name));
    ICN_TRY(ps.log, text_of(p, "log", ps.name));
    s.processes.push_back(std::move(ps));
  }
  return s;
}

std::filesystem::path status_file(const std::filesystem::path& dir) {
  return dir / "status.json";
}

Status write_status(const std::filesystem::path& dir, const DevnetStatus& status) {
  return infra::write_file_atomic(
      status_file(dir), status.to_json(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
          std::filesystem::perms::group_read | std::filesystem::perms::others_read);
}

Result<std::optional<DevnetStatus>> read_status(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(status_file(dir), ec)) return std::optional<DevnetStatus>{};
  ICN_TRY(std::string text, infra::read_file(status_file(dir), 1 << 20));
  ICN_TRY(DevnetStatus s, DevnetStatus::parse(text));
  return std::optional<DevnetStatus>(std::move(s));
}

bool process_alive(int pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  // kill(0) succeeds for a zombie; /proc says "State: Z" for one.
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
  }
  return true;
}

}  // namespace icn::devnet
