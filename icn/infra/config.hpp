// A role's TOML config file (toml++), read strictly: typed getters with defaults and ranges, and
// every key the program did not read reported as unknown, named by its full path.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/result.hpp"

namespace icn::infra {

// Keys are dotted paths ("challenge.timeout_ms"); errors show them as "[challenge] timeout_ms"
// with the file name: "daemon.toml: [challenge] timeout_ms = -5: must be between 100 and 60000".
// An absent key takes the default; a present one must have the right type and range.
class Config {
 public:
  // "daemon.toml:3:9: parse error: …" for a broken file; paths resolve against its directory.
  static Result<Config> load(const std::filesystem::path& file);
  static Result<Config> parse(std::string_view text, std::string name,
                              std::filesystem::path base_dir);
  Config(Config&&) noexcept;
  ~Config();

  bool has(std::string_view key) const;
  Result<int64_t> integer(std::string_view key, int64_t fallback, int64_t min, int64_t max);
  Result<bool> boolean(std::string_view key, bool fallback);
  Result<std::string> string(std::string_view key, std::string fallback);
  // "250ms", "30s", "5m", "2h" (a whole number and a unit).
  Result<std::chrono::milliseconds> duration(std::string_view key,
                                             std::chrono::milliseconds fallback,
                                             std::chrono::milliseconds min,
                                             std::chrono::milliseconds max);
  // A 0x address (EIP-55 checked when mixed case); nullopt when absent.
  Result<std::optional<Address>> address(std::string_view key);
  // http:// or https:// with a host.
  Result<std::string> url(std::string_view key, std::string fallback);
  // An array of such URLs (`satellites = ["http://a:1", "http://b:2"]`), each a base URL without
  // trailing '/'; empty when absent.
  Result<std::vector<std::string>> url_list(std::string_view key);
  // An array of non-empty strings (`command = ["/usr/bin/x", "--flag"]`); empty when absent.
  Result<std::vector<std::string>> string_list(std::string_view key);
  // "HOST:PORT" of a server socket (port 0: any free port).
  struct HostPort {
    std::string host;
    uint16_t port = 0;
  };
  Result<HostPort> listen(std::string_view key, std::string fallback);
  // Relative paths are taken from the config file's directory, not the working directory.
  Result<std::filesystem::path> path(std::string_view key, std::filesystem::path fallback);

  // After every getter ran: the first key never read, "daemon.toml: unknown key [challenge]
  // timeot_ms" (keys in file order).
  Status check_unknown_keys() const;

  const std::string& name() const { return name_; }

 private:
  struct Doc;
  Config(std::unique_ptr<Doc> doc, std::string name, std::filesystem::path dir);
  std::unique_ptr<Doc> doc_;
  std::string name_;
  std::filesystem::path dir_;
  std::set<std::string, std::less<>> read_;
};

// "[a.b] c" for "a.b.c"; "c" for a top-level key.
std::string display_key(std::string_view key);

}  // namespace icn::infra
