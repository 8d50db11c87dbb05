// Artifact parsing and Contract bindings: every JSON ABI entry checked once, lookups by name,
// signature or topic, encoding and decoding through icn/core's ABI codec.
#include "icn/eth/artifact.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace icn::eth {
namespace {

using nlohmann::json;

constexpr size_t kMaxArtifactBytes = 16 << 20;

Result<std::string> string_field(const json& obj, const char* name, bool non_empty) {
  auto it = obj.find(name);
  if (it == obj.end()) return fail(std::string("missing \"") + name + "\"");
  if (!it->is_string()) return fail(std::string("\"") + name + "\" is not a string");
  if (non_empty && it->get_ref<const std::string&>().empty()) {
    return fail(std::string("\"") + name + "\" is empty");
  }
  return it->get<std::string>();
}

Result<Bytes> code_field(const json& obj, const char* name) {
  ICN_TRY(std::string hex, string_field(obj, name, false));
  if (hex.find("__$") != std::string::npos) {
    return fail(std::string("\"") + name + "\" has unlinked library references");
  }
  auto bytes = parse_hex(hex);
  if (!bytes) return std::move(bytes).error().context(std::string("\"") + name + "\"");
  return std::move(bytes).value();
}

std::string arg_count_error(const std::string& what, size_t want, size_t got) {
  return what + " takes " + std::to_string(want) + " argument" + (want == 1 ? "" : "s") + ", got " +
         std::to_string(got);
}

bool is_signature(std::string_view text) {
  return text.find('(') != std::string_view::npos;
}

}  // namespace

// ---- Artifact --------------------------------------------------------------------------------

Result<Artifact> Artifact::parse(std::string_view json_text) {
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return fail("artifact: not JSON");
  if (!j.is_object()) return fail("artifact: not a JSON object");
  Artifact out;
  ICN_TRY_CTX(out.contract_name, string_field(j, "contractName", true), "artifact");
  const std::string what = "artifact " + out.contract_name;
  ICN_TRY_CTX(out.source_name, string_field(j, "sourceName", false), what);
  auto abi = j.find("abi");
  if (abi == j.end() || !abi->is_array())
    return fail(what + ": \"abi\" is missing or not an array");
  out.abi = *abi;
  ICN_TRY_CTX(Contract checked, Contract::from_abi(out.abi), what);
  ICN_TRY_CTX(out.bytecode, code_field(j, "bytecode"), what);
  ICN_TRY_CTX(out.deployed_bytecode, code_field(j, "deployedBytecode"), what);
  return out;
}

Result<Artifact> Artifact::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot open " + file.string() + ": " + std::strerror(errno));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, size_t(in.gcount()));
    if (text.size() > kMaxArtifactBytes) {
      return fail(file.string() + " is larger than " + std::to_string(kMaxArtifactBytes) +
                  " bytes");
    }
  }
  if (in.bad()) return fail("cannot read " + file.string());
  return parse(text);
}

// ---- Contract --------------------------------------------------------------------------------

Result<Contract> Contract::from_abi(const json& abi) {
  if (!abi.is_array()) return fail("abi: expected a JSON array of entries");
  Contract out;
  for (size_t i = 0; i < abi.size(); ++i) {
    const json& entry = abi[i];
    const std::string where = "abi entry " + std::to_string(i);
    if (!entry.is_object()) return fail(where + ": not an object");
    std::string type = "function";  // the JSON ABI spec's default
    if (auto t = entry.find("type"); t != entry.end()) {
      if (!t->is_string()) return fail(where + ": \"type\" is not a string");
      type = t->get<std::string>();
    }
    if (type == "function") {
      Function f;
      ICN_TRY_CTX(f.name, string_field(entry, "name", true), where);
      auto inputs = entry.find("inputs");
      if (inputs == entry.end()) return fail(where + " (" + f.name + "): missing \"inputs\"");
      ICN_TRY_CTX(f.inputs, abi::params_from_json_abi(*inputs), where + " (" + f.name + ")");
      if (auto outputs = entry.find("outputs"); outputs != entry.end()) {
        ICN_TRY_CTX(f.outputs, abi::params_from_json_abi(*outputs), where + " (" + f.name + ")");
      }
      if (auto m = entry.find("stateMutability"); m != entry.end()) {
        if (!m->is_string()) return fail(where + ": \"stateMutability\" is not a string");
        f.state_mutability = m->get<std::string>();
        static const char* kKnown[] = {"pure", "view", "nonpayable", "payable"};
        if (std::find(std::begin(kKnown), std::end(kKnown), f.state_mutability) ==
            std::end(kKnown)) {
          return fail(where + ": unknown stateMutability \"" + f.state_mutability + "\"");
        }
      }
      f.canonical = f.name + abi::canonical_list(abi::types_of(f.inputs));
      f.selector = abi::selector(f.canonical);
      for (const Function& other : out.functions_) {
        if (other.canonical == f.canonical)
          return fail(where + ": duplicate function " + f.canonical);
      }
      out.functions_.push_back(std::move(f));
    } else if (type == "constructor") {
      auto inputs = entry.find("inputs");
      if (inputs != entry.end()) {
        ICN_TRY_CTX(out.constructor_inputs_, abi::params_from_json_abi(*inputs),
                    where + " (constructor)");
      }
    } else if (type == "event") {
      ICN_TRY_CTX(abi::EventAbi e, abi::EventAbi::from_json(entry), where);
      out.events_.push_back(std::move(e));
    } else if (type == "error") {
      ICN_TRY_CTX(abi::ErrorAbi e, abi::ErrorAbi::from_json(entry), where);
      out.errors_.push_back(std::move(e));
    } else if (type != "fallback" && type != "receive") {
      return fail(where + ": unknown entry type \"" + type + "\"");
    }
  }
  return out;
}

Result<Contract> Contract::from_artifact(const Artifact& artifact) {
  ICN_TRY_CTX(Contract c, from_abi(artifact.abi), "artifact " + artifact.contract_name);
  return c;
}

Contract Contract::at(const Address& address) const {
  Contract out = *this;
  out.address_ = address;
  return out;
}

Result<const Function*> Contract::function(std::string_view name_or_signature) const {
  if (is_signature(name_or_signature)) {
    ICN_TRY(abi::FunctionSignature sig, abi::parse_signature(name_or_signature));
    std::string canonical = sig.canonical();
    for (const Function& f : functions_) {
      if (f.canonical == canonical) return &f;
    }
    return fail("contract has no function " + canonical);
  }
  std::vector<const Function*> matches;
  for (const Function& f : functions_) {
    if (f.name == name_or_signature) matches.push_back(&f);
  }
  if (matches.empty()) return fail("contract has no function " + std::string(name_or_signature));
  if (matches.size() > 1) {
    std::string list;
    for (const Function* f : matches) list += (list.empty() ? "" : ", ") + f->canonical;
    return fail("function " + std::string(name_or_signature) + " is overloaded (" + list +
                "): name it by signature");
  }
  return matches[0];
}

Result<Bytes> Contract::encode_call(std::string_view function_name,
                                    std::span<const abi::Value> args) const {
  ICN_TRY(const Function* f, function(function_name));
  if (args.size() != f->inputs.size()) {
    return fail(arg_count_error(f->canonical, f->inputs.size(), args.size()));
  }
  std::vector<abi::Type> types = abi::types_of(f->inputs);
  Bytes out(f->selector.begin(), f->selector.end());
  auto encoded = abi::encode_into(out, types, args);
  if (!encoded) return std::move(encoded).error().context(f->canonical);
  return out;
}

Result<abi::Value::List> Contract::decode_result(std::string_view function_name,
                                                 ByteView output) const {
  ICN_TRY(const Function* f, function(function_name));
  if (output.empty() && !f->outputs.empty()) {
    return fail(f->canonical + " returned no data (is there a contract at the address?)");
  }
  auto decoded = abi::decode(abi::types_of(f->outputs), output);
  if (!decoded) return std::move(decoded).error().context(f->canonical + " result");
  return decoded->list();
}

Result<Bytes> Contract::encode_constructor(std::span<const abi::Value> args) const {
  if (args.size() != constructor_inputs_.size()) {
    return fail(arg_count_error("constructor", constructor_inputs_.size(), args.size()));
  }
  if (args.empty()) return Bytes{};
  auto encoded = abi::encode(abi::types_of(constructor_inputs_), args);
  if (!encoded) return std::move(encoded).error().context("constructor");
  return std::move(encoded).value();
}

Result<const abi::EventAbi*> Contract::event(std::string_view name_or_signature) const {
  if (is_signature(name_or_signature)) {
    ICN_TRY(abi::FunctionSignature sig, abi::parse_signature(name_or_signature));
    std::string canonical = sig.canonical();
    for (const abi::EventAbi& e : events_) {
      if (e.canonical() == canonical) return &e;
    }
    return fail("contract has no event " + canonical);
  }
  const abi::EventAbi* found = nullptr;
  for (const abi::EventAbi& e : events_) {
    if (e.name != name_or_signature) continue;
    if (found) {
      return fail("event " + std::string(name_or_signature) +
                  " is overloaded: name it by signature");
    }
    found = &e;
  }
  if (!found) return fail("contract has no event " + std::string(name_or_signature));
  return found;
}

const abi::EventAbi* Contract::event_by_topic(const Hash& topic0) const {
  for (const abi::EventAbi& e : events_) {
    if (!e.anonymous && e.topic0() == topic0) return &e;
  }
  return nullptr;
}

Result<abi::DecodedLog> Contract::decode_log(const Log& log) const {
  if (log.topics.empty()) return fail("log has no topics (an anonymous event?)");
  const abi::EventAbi* e = event_by_topic(log.topics[0]);
  if (!e) return fail("no event of this contract has topic0 " + to_hex(log.topics[0]));
  return abi::decode_log(*e, log.topics, log.data);
}

std::string Contract::describe_revert(ByteView revert_data) const {
  return eth::describe_revert(revert_data, errors_);
}

Result<abi::Value::List> Contract::call(RpcClient& rpc, std::string_view function_name,
                                        std::span<const abi::Value> args,
                                        const BlockRef& block) const {
  if (!address_)
    return fail("call " + std::string(function_name) + ": the contract has no address");
  ICN_TRY(const Function* f, function(function_name));
  ICN_TRY(Bytes data, encode_call(f->canonical, args));
  CallRequest request;
  request.to = address_;
  request.data = std::move(data);
  auto output = eth_call(rpc, request, block);
  if (!output) {
    if (auto e = find_rpc_error(output.error())) {
      if (auto revert = e->revert_data()) {
        return fail("call " + f->canonical + " reverted: " + describe_revert(*revert));
      }
    }
    return std::move(output).error().context("call " + f->canonical);
  }
  return decode_result(f->canonical, *output);
}

Result<Receipt> Contract::transact(TransactionSender& sender, std::string_view function_name,
                                   std::span<const abi::Value> args, Deadline deadline,
                                   const U256& value, SendOptions options) const {
  if (!address_) return fail(std::string(function_name) + ": the contract has no address");
  ICN_TRY(const Function* f, function(function_name));
  ICN_TRY(Bytes data, encode_call(f->canonical, args));
  options.custom_errors.insert(options.custom_errors.end(), errors_.begin(), errors_.end());
  auto receipt = sender.send_and_wait(address_, data, value, deadline, options);
  if (!receipt) return std::move(receipt).error().context(f->canonical);
  return std::move(receipt).value();
}

Result<Contract> Contract::deploy(TransactionSender& sender, ByteView bytecode,
                                  std::span<const abi::Value> constructor_args, Deadline deadline,
                                  SendOptions options) const {
  ICN_TRY(Bytes args, encode_constructor(constructor_args));
  options.custom_errors.insert(options.custom_errors.end(), errors_.begin(), errors_.end());
  ICN_TRY(Address address, sender.deploy(bytecode, args, deadline, options));
  return at(address);
}

}  // namespace icn::eth
