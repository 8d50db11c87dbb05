// The console (web/console, docs/console.md) as the indexer serves it: its built static files with
// an SPA fallback, /v1/console-config (chain, RPC, contract addresses; devnet accounts only when a
// devnet configured them) and the era results a claim needs, fetched from a satellite.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "icn/chain/deployment.hpp"
#include "icn/core/result.hpp"
#include "icn/infra/http_server.hpp"

namespace icn::indexer {

struct ConsoleOptions {
  std::filesystem::path dir;  // the built console (index.html, assets/); empty: not served
  // A JSON file `icn devnet` writes: {"accounts": [{"name", "address", "private_key"}]}. Only a
  // devnet's indexer is given one; its keys are throwaway keys of a loopback chain.
  std::filesystem::path devnet_accounts;
  std::string rpc_url;                  // what the browser sends transactions and reads to
  std::vector<std::string> satellites;  // where GET /v1/console/era-results/{era} fetches from
};

// Where a request path leads inside `root`: the file to serve, or the reason it is refused.
struct ConsolePath {
  enum class Kind { kFile, kIndex, kBadPath, kNotFound };
  Kind kind = Kind::kNotFound;
  std::filesystem::path file;  // kFile: the file; kIndex: root/index.html
  std::string reason;          // kBadPath / kNotFound
};
// "/" and extension-less paths ("/builder") are the SPA's routes: index.html. A path with a
// segment that is empty, ".", "..", hidden (".git") or has a character outside [A-Za-z0-9._-]
// is kBadPath (the server has decoded %2e%2e already); a well-formed path to no regular file
// under root (symlinks leading out of root included) is kNotFound.
ConsolePath resolve_console_path(const std::filesystem::path& root, std::string_view url_path);

// "text/html; charset=utf-8", "text/javascript", … by extension; application/octet-stream else.
std::string_view console_content_type(const std::filesystem::path& file);

// The JSON of /v1/console-config: {"chain_id", "rpc_url", "deploy_block", "contracts": {name:
// address}, "devnet": bool, "accounts": [...] (devnet only), "satellites": n}. Fails when the
// devnet accounts file is unreadable or malformed (the indexer refuses to start).
Result<nlohmann::json> console_config(const chain::Deployment& deployment,
                                      const ConsoleOptions& options);

// Mounts GET /v1/console-config, GET /v1/console/era-results/{era} and, when options.dir is set,
// the static files at "/" and "/*" (paths under /v1/ and /metrics that no API route took stay
// JSON 404s). `config` comes from console_config.
void mount_console(infra::HttpServer& server, const ConsoleOptions& options, nlohmann::json config);

}  // namespace icn::indexer
