// Static files of the built console, its config document and the satellite proxy for claims.
// Every request path is outside input: only plain segments are served, and the resolved file must
// stay under the console directory after following symlinks.
#include "icn/indexer/console_files.hpp"

#include <algorithm>
#include <memory>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_client.hpp"

namespace icn::indexer {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

bool plain_segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// True when `inner` is `root` or lies below it (both canonical).
bool is_within(const fs::path& root, const fs::path& inner) {
  auto r = root.begin(), i = inner.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == inner.end() || *r != *i) return false;
  }
  return true;
}

constexpr size_t kMaxPathBytes = 512;
constexpr size_t kMaxFileBytes = 16 << 20;

}  // namespace

ConsolePath resolve_console_path(const fs::path& root, std::string_view url_path) {
  auto bad = [](std::string reason) {
    return ConsolePath{ConsolePath::Kind::kBadPath, {}, std::move(reason)};
  };
  auto not_found = [](std::string reason) {
    return ConsolePath{ConsolePath::Kind::kNotFound, {}, std::move(reason)};
  };
  if (url_path.empty() || url_path.front() != '/') return bad("path must start with /");
  if (url_path.size() > kMaxPathBytes) return bad("path longer than 512 bytes");
  std::string_view rest = url_path.substr(1);
  if (rest.empty()) return {ConsolePath::Kind::kIndex, root / "index.html", {}};
  fs::path relative;
  std::string_view last;
  while (true) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) return bad("empty path segment");
    if (segment.front() == '.') return bad("path segment \"" + std::string(segment) + "\"");
    if (!std::all_of(segment.begin(), segment.end(), plain_segment_char)) {
      return bad("path has a character outside [A-Za-z0-9._-]");
    }
    relative /= std::string(segment);
    last = segment;
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  // No extension: one of the app's own routes (/builder, /provider/3), which index.html handles.
  if (last.find('.') == std::string_view::npos) {
    return {ConsolePath::Kind::kIndex, root / "index.html", {}};
  }
  std::error_code ec;
  fs::path canonical_root = fs::canonical(root, ec);
  if (ec) return not_found("console directory missing");
  fs::path file = fs::canonical(canonical_root / relative, ec);
  if (ec || !is_within(canonical_root, file)) return not_found("no such file");
  if (!fs::is_regular_file(file, ec)) return not_found("no such file");
  return {ConsolePath::Kind::kFile, file, {}};
}

std::string_view console_content_type(const fs::path& file) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
  };
  std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

Result<json> console_config(const chain::Deployment& deployment, const ConsoleOptions& options) {
  json contracts = json::object();
  for (const auto& [name, address] : deployment.contracts) contracts[name] = address.checksummed();
  json out = {{"chain_id", deployment.chain_id},
              {"rpc_url", options.rpc_url},
              {"deploy_block", deployment.deploy_block},
              {"contracts", std::move(contracts)},
              {"devnet", false},
              {"satellites", options.satellites.size()}};
  if (options.devnet_accounts.empty()) return out;
  std::string where = "console devnet accounts " + options.devnet_accounts.string();
  ICN_TRY_CTX(std::string text, infra::read_file(options.devnet_accounts, 1 << 20), where);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const std::exception& e) {
    return fail(where + ": malformed JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("accounts") || !doc["accounts"].is_array()) {
    return fail(where + ": expected {\"accounts\": [...]}");
  }
  json accounts = json::array();
  for (const json& a : doc["accounts"]) {
    if (!a.is_object() || !a.contains("name") || !a["name"].is_string() || !a.contains("address") ||
        !a["address"].is_string() || !a.contains("private_key") || !a["private_key"].is_string()) {
      return fail(where + ": every account needs string name, address and private_key");
    }
    ICN_TRY_CTX(Address address, Address::parse(a["address"].get<std::string>()), where);
    ICN_TRY_CTX(Bytes key, parse_hex(a["private_key"].get<std::string>()), where);
    if (key.size() != 32) return fail(where + ": a private_key is not 32 bytes");
    accounts.push_back(
        {{"name", a["name"]}, {"address", address.checksummed()}, {"private_key", to_hex(key)}});
  }
  out["devnet"] = true;
  out["accounts"] = std::move(accounts);
  return out;
}

void mount_console(infra::HttpServer& server, const ConsoleOptions& options, json config) {
  auto config_body = std::make_shared<const std::string>(config.dump());
  server.get("/v1/console-config", [config_body](const infra::HttpRequest&) {
    infra::HttpResponse r = infra::HttpResponse::text(*config_body, "application/json");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });

  // The satellites' published results (leaf + proof per node), from the console's own origin:
  // satellites send no CORS headers. Settlement checks every proof, so a lying satellite can
  // only make a claim fail.
  auto satellites = std::make_shared<std::vector<std::unique_ptr<infra::JsonHttpClient>>>();
  for (const std::string& url : options.satellites) {
    infra::JsonHttpClientOptions o;
    o.request_timeout = std::chrono::milliseconds(5000);
    satellites->push_back(std::make_unique<infra::JsonHttpClient>(url, o));
  }
  server.get("/v1/console/era-results/*", [satellites](const infra::HttpRequest& req) {
    std::string_view tail = req.path_tail();
    if (tail.empty() || tail.size() > 19 ||
        !std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return infra::error_response(400, "bad_era", "era must be a decimal number");
    }
    if (satellites->empty()) {
      return infra::error_response(404, "no_satellites", "this indexer knows no satellite");
    }
    std::string last_error;
    for (auto& client : *satellites) {
      auto got = client->get("/v1/eras/" + std::string(tail) + "/results");
      if (got) return infra::HttpResponse::json_body(*got);
      last_error = got.error().message;
    }
    return infra::error_response(502, "satellite_unavailable", last_error);
  });

  if (options.dir.empty()) return;
  auto serve = [root = options.dir](const infra::HttpRequest& req) {
    std::string_view path = req.path();
    if (path.starts_with("/v1/") || path == "/v1" || path.starts_with("/metrics")) {
      return infra::error_response(404, "not_found", "no route for GET " + std::string(path));
    }
    ConsolePath p = resolve_console_path(root, path);
    if (p.kind == ConsolePath::Kind::kBadPath) {
      return infra::error_response(400, "bad_path", p.reason);
    }
    if (p.kind == ConsolePath::Kind::kNotFound) {
      return infra::error_response(404, "not_found", p.reason);
    }
    auto body = infra::read_file(p.file, kMaxFileBytes);
    if (!body) return infra::error_response(404, "not_found", "console not built");
    infra::HttpResponse r =
        infra::HttpResponse::text(std::move(*body), std::string(console_content_type(p.file)));
    // Vite names assets by content hash: cache them forever; index.html must always be fresh.
    bool hashed = p.kind == ConsolePath::Kind::kFile && path.starts_with("/assets/");
    r.headers.emplace_back("Cache-Control",
                           hashed ? "public, max-age=31536000, immutable" : "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  };
  server.get("/", serve);
  server.get("/*", serve);
}

}  // namespace icn::indexer
