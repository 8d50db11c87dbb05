// Event log and revert data decoding against JSON ABI entries.
#include "icn/core/abi_events.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_text.hpp"

namespace icn::abi {
namespace {

// Selectors of the two reverts Solidity emits itself.
constexpr FixedBytes<4> kErrorString = {0x08, 0xc3, 0x79, 0xa0};  // Error(string)
constexpr FixedBytes<4> kPanic = {0x4e, 0x48, 0x7b, 0x71};        // Panic(uint256)

std::string signature_of(const std::string& name, const std::vector<Param>& inputs) {
  std::string out = name + "(";
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i > 0) out += ',';
    inputs[i].type.append_canonical(out);
  }
  return out + ")";
}

Result<std::string> entry_name(const nlohmann::json& entry, const char* what) {
  if (!entry.is_object()) return fail(std::string("abi: ") + what + " entry must be an object");
  auto name = entry.find("name");
  if (name == entry.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return fail(std::string("abi: ") + what + " entry has no name");
  }
  return name->get<std::string>();
}

Result<std::vector<Param>> entry_inputs(const nlohmann::json& entry, const std::string& name) {
  auto inputs = entry.find("inputs");
  if (inputs == entry.end()) return std::vector<Param>{};
  auto params = params_from_json_abi(*inputs);
  if (!params) return fail(params.error().message + " (in " + name + ")");
  return params;
}

// Entries of a JSON ABI: the array itself, or the "abi" of a compiler artifact.
Result<const nlohmann::json*> abi_entries(const nlohmann::json& abi) {
  if (abi.is_array()) return &abi;
  if (abi.is_object()) {
    auto it = abi.find("abi");
    if (it != abi.end() && it->is_array()) return &*it;
  }
  return fail("abi: a JSON ABI must be an array of entries (or an artifact with an \"abi\" array)");
}

bool is_entry_of(const nlohmann::json& entry, const char* type) {
  if (!entry.is_object()) return false;
  auto it = entry.find("type");
  return it != entry.end() && it->is_string() && it->get_ref<const std::string&>() == type;
}

bool is_value_type(const Type& t) {
  switch (t.kind()) {
    case Kind::kUint:
    case Kind::kInt:
    case Kind::kAddress:
    case Kind::kBool:
    case Kind::kFixedBytes:
      return true;
    default:
      return false;
  }
}

std::string hex_byte_code(const U256& code) {
  if (code > 0xff) return to_hex_quantity(code);
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", unsigned(code));
  return buf;
}

}  // namespace

std::string EventAbi::canonical() const {
  return signature_of(name, inputs);
}
Hash EventAbi::topic0() const {
  return event_topic(canonical());
}

Result<EventAbi> EventAbi::from_json(const nlohmann::json& entry) {
  EventAbi out;
  ICN_TRY(out.name, entry_name(entry, "event"));
  ICN_TRY(out.inputs, entry_inputs(entry, out.name));
  auto anonymous = entry.find("anonymous");
  if (anonymous != entry.end()) {
    if (!anonymous->is_boolean()) return fail("abi: event \"anonymous\" must be a boolean");
    out.anonymous = anonymous->get<bool>();
  }
  return out;
}

Result<EventAbi> EventAbi::from_signature(std::string_view text) {
  ICN_TRY(FunctionSignature sig, parse_signature(text));
  if (!sig.outputs.empty()) return fail("abi: an event signature has no outputs");
  EventAbi out;
  out.name = sig.name;
  out.anonymous = sig.anonymous;
  for (size_t i = 0; i < sig.inputs.size(); ++i) {
    out.inputs.push_back(Param{sig.inputs[i], sig.input_names[i], sig.indexed[i]});
  }
  return out;
}

std::string ErrorAbi::canonical() const {
  return signature_of(name, inputs);
}
FixedBytes<4> ErrorAbi::selector() const {
  return abi::selector(canonical());
}

Result<ErrorAbi> ErrorAbi::from_json(const nlohmann::json& entry) {
  ErrorAbi out;
  ICN_TRY(out.name, entry_name(entry, "error"));
  ICN_TRY(out.inputs, entry_inputs(entry, out.name));
  return out;
}

Result<ErrorAbi> ErrorAbi::from_signature(std::string_view text) {
  ICN_TRY(FunctionSignature sig, parse_signature(text));
  if (!sig.outputs.empty()) return fail("abi: an error signature has no outputs");
  ErrorAbi out;
  out.name = sig.name;
  for (size_t i = 0; i < sig.inputs.size(); ++i) {
    out.inputs.push_back(Param{sig.inputs[i], sig.input_names[i], false});
  }
  return out;
}

Result<std::vector<EventAbi>> events_from_json_abi(const nlohmann::json& abi) {
  ICN_TRY(const nlohmann::json* entries, abi_entries(abi));
  std::vector<EventAbi> out;
  for (const auto& entry : *entries) {
    if (!is_entry_of(entry, "event")) continue;
    ICN_TRY(EventAbi e, EventAbi::from_json(entry));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<ErrorAbi>> errors_from_json_abi(const nlohmann::json& abi) {
  ICN_TRY(const nlohmann::json* entries, abi_entries(abi));
  std::vector<ErrorAbi> out;
  for (const auto& entry : *entries) {
    if (!is_entry_of(entry, "error")) continue;
    ICN_TRY(ErrorAbi e, ErrorAbi::from_json(entry));
    out.push_back(std::move(e));
  }
  return out;
}

Result<DecodedLog> decode_log(const EventAbi& event, std::span<const Hash> topics, ByteView data) {
  size_t indexed = size_t(std::count_if(event.inputs.begin(), event.inputs.end(),
                                        [](const Param& p) { return p.indexed; }));
  size_t expected = indexed + (event.anonymous ? 0 : 1);
  if (topics.size() != expected) {
    return fail("abi: log of " + event.canonical() + " has " + std::to_string(topics.size()) +
                " topics, expected " + std::to_string(expected));
  }
  size_t next_topic = 0;
  if (!event.anonymous) {
    Hash want = event.topic0();
    if (topics[0] != want) {
      return fail("abi: log topic0 " + to_hex(topics[0]) + " is not " + event.canonical() + " (" +
                  to_hex(want) + ")");
    }
    next_topic = 1;
  }
  std::vector<Type> data_types;
  for (const Param& p : event.inputs) {
    if (!p.indexed) data_types.push_back(p.type);
  }
  auto data_values = decode(data_types, data);
  if (!data_values) {
    return fail(data_values.error().message + " (in the data of " + event.canonical() + ")");
  }
  const Value::List& unindexed = data_values->list();

  DecodedLog out;
  out.event = event.name;
  size_t next_data = 0;
  for (const Param& p : event.inputs) {
    DecodedParam d{p.name, p.type, Value(), p.indexed, false};
    if (!p.indexed) {
      d.value = unindexed[next_data++];
    } else {
      const Hash& topic = topics[next_topic++];
      if (is_value_type(p.type)) {
        auto v = decode(p.type, topic);
        if (!v) {
          return fail(v.error().message + " (in topic " + std::to_string(next_topic - 1) + " of " +
                      event.canonical() + ")");
        }
        d.value = std::move(*v);
      } else {
        d.value = Value(Bytes(topic.begin(), topic.end()));
        d.hashed = true;
      }
    }
    out.params.push_back(std::move(d));
  }
  return out;
}

std::string panic_description(const U256& code) {
  if (code > 0xff) return "";
  switch (unsigned(code)) {
    case 0x00:
      return "generic compiler panic";
    case 0x01:
      return "assertion failed";
    case 0x11:
      return "arithmetic overflow or underflow";
    case 0x12:
      return "division or modulo by zero";
    case 0x21:
      return "invalid enum value";
    case 0x22:
      return "incorrectly encoded storage byte array";
    case 0x31:
      return "pop() on an empty array";
    case 0x32:
      return "array index out of bounds";
    case 0x41:
      return "out of memory (too much memory allocated)";
    case 0x51:
      return "call to a zero-initialized internal function";
    default:
      return "";
  }
}

Result<RevertReason> decode_revert(ByteView data, const std::vector<ErrorAbi>& custom_errors) {
  RevertReason out;
  if (data.empty()) {
    out.kind = RevertReason::Kind::kEmpty;
    out.text = "reverted without a reason";
    return out;
  }
  if (data.size() < 4) {
    out.kind = RevertReason::Kind::kUnknown;
    out.text = "malformed revert data " + to_hex(data) + " (" + std::to_string(data.size()) +
               " bytes, shorter than a selector)";
    return out;
  }
  FixedBytes<4> sel;
  std::copy_n(data.begin(), 4, sel.begin());
  ByteView args = data.subspan(4);
  if (sel == kErrorString) {
    auto v = decode(std::vector<Type>{Type::string()}, args);
    if (!v) return fail(v.error().message + " (in Error(string) revert data)");
    out.kind = RevertReason::Kind::kError;
    out.args = v->list();
    out.text = out.args[0].get<std::string>();
    return out;
  }
  if (sel == kPanic) {
    auto v = decode(std::vector<Type>{Type::uint(256)}, args);
    if (!v) return fail(v.error().message + " (in Panic(uint256) revert data)");
    out.kind = RevertReason::Kind::kPanic;
    out.args = v->list();
    const U256& code = out.args[0].get<U256>();
    out.panic_code = code;
    std::string what = panic_description(code);
    out.text = "panic " + hex_byte_code(code) + (what.empty() ? "" : " (" + what + ")");
    return out;
  }
  for (const ErrorAbi& e : custom_errors) {
    if (e.selector() != sel) continue;
    std::vector<Type> types = types_of(e.inputs);
    auto v = decode(types, args);
    if (!v) return fail(v.error().message + " (in " + e.canonical() + " revert data)");
    out.kind = RevertReason::Kind::kCustom;
    out.args = v->list();
    out.text = e.name + "(";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i > 0) out.text += ", ";
      if (!e.inputs[i].name.empty()) out.text += e.inputs[i].name + "=";
      out.text += format_value_plain(types[i], out.args[i]);
    }
    out.text += ")";
    out.error = e;
    return out;
  }
  out.kind = RevertReason::Kind::kUnknown;
  out.text =
      "unknown error " + to_hex(sel) + " (" + std::to_string(args.size()) + " bytes of data)";
  return out;
}

}  // namespace icn::abi
