// Config over toml++ 3.3.
#include "icn/infra/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace icn::infra {

struct Config::Doc {
  toml::table table;
};

namespace {

std::string show(const toml::node& node) {
  std::string s;
  if (const auto* str = node.as_string()) {
    // As the user would have typed it (toml++ prints literal 'strings').
    s = nlohmann::json(str->get()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    std::ostringstream out;
    node.visit([&](const auto& v) { out << v; });
    s = out.str();
  }
  if (s.size() > 80) s = s.substr(0, 80) + "…";
  return s;
}

// Every leaf key (dotted) in file order; tables are walked into, arrays are leaves.
void leaves(const toml::table& t, const std::string& prefix,
            std::vector<std::pair<toml::source_position, std::string>>& out) {
  for (const auto& [k, v] : t) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = v.as_table()) {
      if (sub->empty()) out.emplace_back(v.source().begin, key);
      leaves(*sub, key, out);
    } else {
      out.emplace_back(v.source().begin, key);
    }
  }
}

}  // namespace

std::string display_key(std::string_view key) {
  auto dot = key.rfind('.');
  if (dot == std::string_view::npos) return std::string(key);
  return "[" + std::string(key.substr(0, dot)) + "] " + std::string(key.substr(dot + 1));
}

Config::Config(std::unique_ptr<Doc> doc, std::string name, std::filesystem::path dir)
    : doc_(std::move(doc)), name_(std::move(name)), dir_(std::move(dir)) {}
Config::Config(Config&&) noexcept = default;
Config::~Config() = default;

Result<Config> Config::parse(std::string_view text, std::string name,
                             std::filesystem::path base_dir) {
  auto doc = std::make_unique<Doc>();
  try {
    doc->table = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return fail(name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                ": parse error: " + std::string(e.description()));
  }
  return Config(std::move(doc), std::move(name), std::move(base_dir));
}

Result<Config> Config::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read config " + file.string());
  std::stringstream buf;
  buf << in.rdbuf();
  if (buf.str().size() > (4 << 20)) return fail("config " + file.string() + " is over 4 MiB");
  return parse(buf.str(), file.filename().string(), file.parent_path());
}

bool Config::has(std::string_view key) const {
  return bool(doc_->table.at_path(key));
}

#define ICN_CONFIG_ERROR(node, why) \
  fail(name_ + ": " + display_key(key) + " = " + show(node) + ": " + (why))

Result<int64_t> Config::integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  if (!node) return fallback;
  auto v = node.value_exact<int64_t>();
  if (!v) return ICN_CONFIG_ERROR(*node.node(), "expected an integer");
  if (*v < min || *v > max) {
    return ICN_CONFIG_ERROR(
        *node.node(), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return *v;
}

Result<bool> Config::boolean(std::string_view key, bool fallback) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  if (!node) return fallback;
  auto v = node.value_exact<bool>();
  if (!v) return ICN_CONFIG_ERROR(*node.node(), "expected true or false");
  return *v;
}

Result<std::string> Config::string(std::string_view key, std::string fallback) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  if (!node) return fallback;
  auto v = node.value_exact<std::string>();
  if (!v) return ICN_CONFIG_ERROR(*node.node(), "expected a string");
  return *v;
}

Result<std::chrono::milliseconds> Config::duration(std::string_view key,
                                                   std::chrono::milliseconds fallback,
                                                   std::chrono::milliseconds min,
                                                   std::chrono::milliseconds max) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  if (!node) return fallback;
  auto text = node.value_exact<std::string>();
  const char* kForm = "expected a duration like \"250ms\", \"30s\", \"5m\" or \"2h\"";
  if (!text) return ICN_CONFIG_ERROR(*node.node(), kForm);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  std::string_view unit(end, size_t(text->data() + text->size() - end));
  if (ec != std::errc() || end == text->data() || n < 0)
    return ICN_CONFIG_ERROR(*node.node(), kForm);
  int64_t scale = unit == "ms"  ? 1
                  : unit == "s" ? 1000
                  : unit == "m" ? 60000
                  : unit == "h" ? 3600000
                                : 0;
  if (scale == 0) return ICN_CONFIG_ERROR(*node.node(), kForm);
  if (n > INT64_MAX / scale) return ICN_CONFIG_ERROR(*node.node(), "too large");
  std::chrono::milliseconds v(n * scale);
  if (v < min || v > max) {
    return ICN_CONFIG_ERROR(*node.node(), "must be between " + std::to_string(min.count()) +
                                              "ms and " + std::to_string(max.count()) + "ms");
  }
  return v;
}

Result<std::optional<Address>> Config::address(std::string_view key) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  if (!node) return std::optional<Address>();
  auto text = node.value_exact<std::string>();
  if (!text) return ICN_CONFIG_ERROR(*node.node(), "expected a 0x address string");
  auto a = Address::parse(*text);
  if (!a) return ICN_CONFIG_ERROR(*node.node(), a.error().message);
  return std::optional<Address>(*a);
}

Result<std::string> Config::url(std::string_view key, std::string fallback) {
  ICN_TRY(std::string v, string(key, std::move(fallback)));
  if (!has(key)) return v;
  std::string_view rest = v;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else {
    return ICN_CONFIG_ERROR(*doc_->table.at_path(key).node(),
                            "expected an http:// or https:// URL");
  }
  auto host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  if (authority.empty() || authority.front() == ':' ||
      authority.find_first_of(" \t@") != std::string_view::npos) {
    return ICN_CONFIG_ERROR(*doc_->table.at_path(key).node(), "URL has no valid host");
  }
  return v;
}

Result<Config::HostPort> Config::listen(std::string_view key, std::string fallback) {
  ICN_TRY(std::string v, string(key, std::move(fallback)));
  size_t colon = v.rfind(':');
  unsigned port = 0;
  bool ok =
      colon != std::string::npos && colon > 0 && colon + 1 < v.size() && colon + 6 >= v.size();
  for (size_t i = colon + 1; ok && i < v.size(); ++i) {
    ok = v[i] >= '0' && v[i] <= '9';
    port = port * 10 + static_cast<unsigned>(v[i] - '0');
  }
  if (!ok || port > 65535) {
    std::string why = "expected HOST:PORT (\"127.0.0.1:7400\")";
    if (!has(key)) return fail(name_ + ": default " + std::string(key) + " \"" + v + "\": " + why);
    return ICN_CONFIG_ERROR(*doc_->table.at_path(key).node(), why);
  }
  return HostPort{v.substr(0, colon), static_cast<uint16_t>(port)};
}

Result<std::vector<std::string>> Config::url_list(std::string_view key) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  std::vector<std::string> out;
  if (!node) return out;
  const auto* array = node.as_array();
  if (!array) return ICN_CONFIG_ERROR(*node.node(), "expected an array of URLs");
  for (size_t i = 0; i < array->size(); ++i) {
    // Each element is checked as a key of its own ("satellites[1]"), then marked read.
    std::string element = std::string(key) + "[" + std::to_string(i) + "]";
    ICN_TRY(std::string v, url(element, ""));
    if (v.empty())
      return ICN_CONFIG_ERROR(*node.node(), "element " + std::to_string(i) + " is empty");
    while (v.ends_with('/')) v.pop_back();  // base URLs: paths are appended to them
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<std::string>> Config::string_list(std::string_view key) {
  read_.emplace(key);
  auto node = doc_->table.at_path(key);
  std::vector<std::string> out;
  if (!node) return out;
  const auto* array = node.as_array();
  if (!array) return ICN_CONFIG_ERROR(*node.node(), "expected an array of strings");
  for (size_t i = 0; i < array->size(); ++i) {
    auto v = array->get(i)->value_exact<std::string>();
    if (!v || v->empty()) {
      return ICN_CONFIG_ERROR(*node.node(),
                              "element " + std::to_string(i) + " is not a non-empty string");
    }
    out.push_back(std::move(*v));
  }
  return out;
}

Result<std::filesystem::path> Config::path(std::string_view key, std::filesystem::path fallback) {
  ICN_TRY(std::string v, string(key, fallback.string()));
  if (v.empty()) return ICN_CONFIG_ERROR(*doc_->table.at_path(key).node(), "empty path");
  std::filesystem::path p(v);
  if (p.is_relative() && has(key)) p = dir_ / p;
  return p.lexically_normal();
}

#undef ICN_CONFIG_ERROR

Status Config::check_unknown_keys() const {
  std::vector<std::pair<toml::source_position, std::string>> all;
  leaves(doc_->table, "", all);
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first.line != b.first.line ? a.first.line < b.first.line
                                        : a.first.column < b.first.column;
  });
  for (const auto& [at, key] : all) {
    if (!read_.count(key)) {
      return fail(name_ + ":" + std::to_string(at.line) + ": unknown key " + display_key(key));
    }
  }
  return {};
}

}  // namespace icn::infra
