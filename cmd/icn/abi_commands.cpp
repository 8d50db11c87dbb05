// `icn util abi-encode | calldata | abi-decode | merkle-root`: the ABI and Merkle tools, with
// cast's argument syntax and OpenZeppelin's StandardMerkleTree format (docs/util.md).
#include <nlohmann/json.hpp>

#include "cmd/icn/commands.hpp"
#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_text.hpp"
#include "icn/core/merkle.hpp"
#include "icn/infra/files.hpp"

namespace icn::cmd {
namespace {

struct AbiOptions {
  std::string signature;
  std::vector<std::string> args;
  std::string hex;
  std::string file;
  std::optional<size_t> proof_index;
};
AbiOptions g_abi;

Result<std::string> abi_encode(bool with_selector) {
  ICN_TRY(abi::FunctionSignature sig, abi::parse_signature(g_abi.signature));
  ICN_TRY(std::vector<abi::Value> values, parse_arguments(sig.inputs, g_abi.args));
  if (with_selector) {
    ICN_TRY(Bytes calldata, abi::encode_call(sig, values));
    return to_hex(calldata);
  }
  ICN_TRY(Bytes encoded, abi::encode(sig.inputs, values));
  return to_hex(encoded);
}

// '(types)' as the issue's interface has it; 'f(…)(outputs)' as cast takes it works too.
Result<std::vector<abi::Type>> decode_types(std::string_view text) {
  if (text.starts_with("(")) return abi::parse_type_list(text);
  ICN_TRY(abi::FunctionSignature sig, abi::parse_signature(text));
  return sig.outputs;
}

Result<std::string> abi_decode() {
  ICN_TRY(std::vector<abi::Type> types, decode_types(g_abi.signature));
  ICN_TRY_CTX(Bytes data, parse_hex(g_abi.hex), "data");
  ICN_TRY(abi::Value decoded, abi::decode(types, data));
  const auto& values = decoded.list();
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += '\n';
    out += abi::format_value_plain(types[i], values[i]);
  }
  return out;
}

Result<std::string> merkle_root() {
  ICN_TRY(std::string text, infra::read_file(g_abi.file));
  nlohmann::json input = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return fail(g_abi.file + ": not valid JSON");
  ICN_TRY_CTX(abi::StandardMerkleTree tree, abi::StandardMerkleTree::from_json(input), g_abi.file);
  if (!g_abi.proof_index) return to_hex(tree.root());
  ICN_TRY(std::vector<Hash> proof, tree.proof(*g_abi.proof_index));
  std::string out;
  for (size_t i = 0; i < proof.size(); ++i) {
    if (i) out += '\n';
    out += to_hex(proof[i]);
  }
  return out;
}

// An empty proof (a one-leaf tree) prints nothing rather than an empty line.
void emit_lines(const Result<std::string>& r) {
  if (r && r->empty()) return;
  emit(r);
}

}  // namespace

void add_abi_commands(CLI::App& util) {
  // SIG and ARGS are taken verbatim: CLI11 would split "[a,b]" at commas and read "-5" as a flag.
  for (bool with_selector : {false, true}) {
    auto* cmd = with_selector ? util.add_subcommand("calldata",
                                                    "selector + abi.encode of arguments; SIG ARGS…")
                              : util.add_subcommand("abi-encode",
                                                    "abi.encode of arguments (no selector); "
                                                    "SIG ARGS…, e.g. 'f(uint256,string)' 5 hi");
    cmd->prefix_command();
    cmd->callback([cmd, with_selector] {
      std::vector<std::string> rest = cmd->remaining();
      if (rest.empty()) return emit(fail("missing SIG, e.g. 'f(uint256,address[])'"));
      g_abi.signature = rest.front();
      g_abi.args.assign(rest.begin() + 1, rest.end());
      emit(abi_encode(with_selector));
    });
  }

  auto* decode = util.add_subcommand("abi-decode", "Decode ABI data; one value per line");
  decode->add_option("TYPES", g_abi.signature, "'(type1,type2,…)'")->required();
  decode->add_option("HEX", g_abi.hex, "0x-hex ABI data")->required();
  decode->callback([] { emit_lines(abi_decode()); });

  auto* merkle =
      util.add_subcommand("merkle-root", "OpenZeppelin StandardMerkleTree root or proof");
  merkle->add_option("FILE", g_abi.file, R"(JSON {"types":[…],"values":[[…],…]})")->required();
  merkle->add_option("--proof", g_abi.proof_index, "print the proof of values[INDEX] instead");
  merkle->callback([] { emit_lines(merkle_root()); });
}

}  // namespace icn::cmd
