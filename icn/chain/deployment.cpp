// deployment.json: writing and strict reading.
#include "icn/chain/deployment.hpp"

#include <nlohmann/json.hpp>

namespace icn::chain {

std::optional<Address> Deployment::address_of(std::string_view name) const {
  for (const auto& [n, a] : contracts) {
    if (n == name) return a;
  }
  return std::nullopt;
}

std::string Deployment::to_json() const {
  // ordered_json keeps the fields in reading order for people opening the file.
  nlohmann::ordered_json j;
  j["format"] = kDeploymentFormat;
  j["icn_version"] = icn_version;
  j["chain_id"] = chain_id;
  j["deploy_block"] = deploy_block;
  j["deployer"] = deployer.checksummed();
  j["genesis_keccak"] = to_hex(genesis_keccak);
  nlohmann::ordered_json c = nlohmann::ordered_json::object();
  for (const auto& [name, address] : contracts) c[name] = address.checksummed();
  j["contracts"] = c;
  return j.dump(2) + "\n";
}

Result<Deployment> Deployment::parse(std::string_view json_text) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("deployment file: not JSON: ") + e.what());
  }
  if (!j.is_object()) return fail("deployment file: not a JSON object");
  auto field = [&](const char* key) -> Result<const nlohmann::ordered_json*> {
    auto it = j.find(key);
    if (it == j.end()) return fail(std::string("deployment file: missing ") + key);
    return &*it;
  };
  auto string_field = [&](const char* key) -> Result<std::string> {
    ICN_TRY(const nlohmann::ordered_json* v, field(key));
    if (!v->is_string()) return fail(std::string("deployment file: ") + key + " is not a string");
    return v->get<std::string>();
  };
  auto uint_field = [&](const char* key) -> Result<uint64_t> {
    ICN_TRY(const nlohmann::ordered_json* v, field(key));
    if (!v->is_number_unsigned()) {
      return fail(std::string("deployment file: ") + key + " is not an unsigned integer");
    }
    return v->get<uint64_t>();
  };
  ICN_TRY(std::string format, string_field("format"));
  if (format != kDeploymentFormat) {
    return fail("deployment file: format \"" + format + "\", expected \"" +
                std::string(kDeploymentFormat) + "\"");
  }
  Deployment d;
  ICN_TRY(d.icn_version, string_field("icn_version"));
  ICN_TRY(d.chain_id, uint_field("chain_id"));
  ICN_TRY(d.deploy_block, uint_field("deploy_block"));
  ICN_TRY(std::string deployer, string_field("deployer"));
  ICN_TRY_CTX(d.deployer, Address::parse(deployer), "deployment file: deployer");
  ICN_TRY(std::string keccak, string_field("genesis_keccak"));
  ICN_TRY_CTX(d.genesis_keccak, parse_fixed_hex<32>(keccak), "deployment file: genesis_keccak");
  ICN_TRY(const nlohmann::ordered_json* contracts, field("contracts"));
  if (!contracts->is_object()) return fail("deployment file: contracts is not an object");
  for (const auto& [name, value] : contracts->items()) {
    if (!value.is_string()) return fail("deployment file: contracts." + name + " is not a string");
    ICN_TRY_CTX(Address a, Address::parse(value.get<std::string>()),
                "deployment file: contracts." + name);
    d.contracts.emplace_back(name, a);
  }
  return d;
}

}  // namespace icn::chain
