// Decoded ABI values to JSON, keyed by the names the contracts' ABIs give them.
#include "icn/indexer/event_json.hpp"

namespace icn::indexer {

using nlohmann::json;

namespace {

// The names of a tuple's components when the ABI gives every one of them.
std::optional<std::vector<std::string>> component_names(const json* components, size_t count) {
  if (!components || !components->is_array() || components->size() != count) return std::nullopt;
  std::vector<std::string> names;
  for (const json& c : *components) {
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string()) return std::nullopt;
    std::string name = c["name"].get<std::string>();
    if (name.empty()) return std::nullopt;
    names.push_back(std::move(name));
  }
  return names;
}

const json* components_of(const json* param) {
  if (!param || !param->is_object()) return nullptr;
  auto it = param->find("components");
  return it == param->end() ? nullptr : &*it;
}

}  // namespace

json value_to_json(const abi::Type& type, const abi::Value& value, const json* components) {
  switch (type.kind()) {
    case abi::Kind::kUint:
      if (const U256* v = value.get_if<U256>()) {
        if (type.bits() <= 64) return uint64_t(*v);
        return to_decimal(*v);
      }
      break;
    case abi::Kind::kInt:
      if (const I256* v = value.get_if<I256>()) {
        if (type.bits() <= 64) return int64_t(*v);
        return to_decimal(*v);
      }
      break;
    case abi::Kind::kAddress:
      if (const Address* a = value.get_if<Address>()) return a->checksummed();
      break;
    case abi::Kind::kBool:
      if (const bool* b = value.get_if<bool>()) return *b;
      break;
    case abi::Kind::kFixedBytes:
    case abi::Kind::kBytes:
      if (const Bytes* b = value.get_if<Bytes>()) return to_hex(*b);
      break;
    case abi::Kind::kString:
      if (const std::string* s = value.get_if<std::string>()) return *s;
      break;
    case abi::Kind::kArray:
    case abi::Kind::kFixedArray:
      if (const auto* list = value.get_if<abi::Value::List>()) {
        json out = json::array();
        for (const abi::Value& v : *list)
          out.push_back(value_to_json(type.element(), v, components));
        return out;
      }
      break;
    case abi::Kind::kTuple:
      if (const auto* list = value.get_if<abi::Value::List>()) {
        const auto& types = type.components();
        if (list->size() != types.size()) break;
        auto names = component_names(components, types.size());
        json out = names ? json::object() : json::array();
        for (size_t i = 0; i < types.size(); ++i) {
          const json* sub =
              components && components->is_array() && components->size() == types.size()
                  ? components_of(&(*components)[i])
                  : nullptr;
          json v = value_to_json(types[i], (*list)[i], sub);
          if (names) {
            out[(*names)[i]] = std::move(v);
          } else {
            out.push_back(std::move(v));
          }
        }
        return out;
      }
      break;
  }
  return nullptr;  // a value that does not match its type: the decoder never produces one
}

json args_to_json(const abi::DecodedLog& log, const json* abi_entry) {
  const json* inputs = nullptr;
  if (abi_entry && abi_entry->is_object()) {
    auto it = abi_entry->find("inputs");
    if (it != abi_entry->end() && it->is_array() && it->size() == log.params.size()) inputs = &*it;
  }
  json out = json::object();
  for (size_t i = 0; i < log.params.size(); ++i) {
    const abi::DecodedParam& p = log.params[i];
    std::string key = p.name.empty() ? "arg" + std::to_string(i) : p.name;
    if (p.hashed) {  // an indexed dynamic value: only its keccak is in the topic
      out[key] = to_hex(p.value.get<Bytes>());
      continue;
    }
    out[key] = value_to_json(p.type, p.value, inputs ? components_of(&(*inputs)[i]) : nullptr);
  }
  return out;
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace icn::indexer
