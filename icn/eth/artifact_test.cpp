// Tests for Artifact parsing and Contract bindings, with calldata vectors from cast 1.5.1.
#include "icn/eth/artifact.hpp"

#include <gtest/gtest.h>

namespace icn::eth {
namespace {

// A hand-written ABI: an overloaded function, a view with two outputs, a constructor, an event
// with an indexed and two data parameters, a custom error.
constexpr const char* kAbi = R"([
  {"type":"constructor","inputs":[{"name":"name","type":"string"},{"name":"decimals","type":"uint8"}]},
  {"type":"function","name":"bump","stateMutability":"nonpayable",
   "inputs":[{"name":"by","type":"uint256"}],"outputs":[{"name":"","type":"uint256"}]},
  {"type":"function","name":"pay","stateMutability":"payable",
   "inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[]},
  {"type":"function","name":"pay","stateMutability":"payable",
   "inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"},{"name":"memo","type":"string"}],
   "outputs":[]},
  {"type":"function","name":"info","stateMutability":"view","inputs":[],
   "outputs":[{"name":"n","type":"uint256"},{"name":"s","type":"string"}]},
  {"type":"event","name":"Paid","anonymous":false,"inputs":[
    {"name":"to","type":"address","indexed":true},{"name":"amount","type":"uint256","indexed":false},
    {"name":"memo","type":"string","indexed":false}]},
  {"type":"error","name":"Refused","inputs":[{"name":"code","type":"uint256"},{"name":"who","type":"address"}]},
  {"type":"receive","stateMutability":"payable"}
])";

std::string artifact_json(const std::string& abi, const std::string& bytecode = "0x6080",
                          const std::string& deployed = "0x60") {
  return R"({"contractName":"Thing","sourceName":"contracts/src/Thing.sol","abi":)" + abi +
         R"(,"bytecode":")" + bytecode + R"(","deployedBytecode":")" + deployed + R"("})";
}

Contract thing() {
  return Contract::from_abi(nlohmann::json::parse(kAbi)).value();
}

const Address kBob = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").value();

TEST(Artifact, ParsesCompileJsOutput) {
  auto a = Artifact::parse(artifact_json(kAbi));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->contract_name, "Thing");
  EXPECT_EQ(a->source_name, "contracts/src/Thing.sol");
  EXPECT_EQ(a->bytecode, (Bytes{0x60, 0x80}));
  EXPECT_EQ(a->deployed_bytecode, (Bytes{0x60}));
  EXPECT_EQ(Artifact::parse(artifact_json("[]", "0x", "0x")).value().bytecode, Bytes{});
}

TEST(Artifact, RejectsBrokenArtifacts) {
  struct Case {
    std::string json;
    std::string error;
  } cases[] = {
      {"nope", "artifact: not JSON"},
      {"[]", "artifact: not a JSON object"},
      {R"({"abi":[]})", "artifact: missing \"contractName\""},
      {R"({"contractName":"","abi":[]})", "artifact: \"contractName\" is empty"},
      {R"({"contractName":"T","sourceName":"s","abi":{},"bytecode":"0x","deployedBytecode":"0x"})",
       "artifact T: \"abi\" is missing or not an array"},
      {artifact_json("[]", "6080"), "artifact Thing: \"bytecode\": hex must start with 0x"},
      {artifact_json("[]", "0x608"), "artifact Thing: \"bytecode\": odd number of hex digits (3)"},
      {artifact_json("[]", "0x73__$53aea86b7d70b31448b230b20ae141a537$__63"),
       "artifact Thing: \"bytecode\" has unlinked library references"},
      {artifact_json(R"([{"type":"function","name":"f","inputs":[{"type":"uint7"}]}])"),
       "artifact Thing: abi entry 0 (f): abi: uint7 is not a valid type"},
      {artifact_json(R"([{"type":"constructor","inputs":[]},{"type":"whatever"}])"),
       "artifact Thing: abi entry 1: unknown entry type \"whatever\""},
      {artifact_json(R"([{"name":"f","inputs":[],"stateMutability":"cheap"}])"),
       "artifact Thing: abi entry 0: unknown stateMutability \"cheap\""},
      {artifact_json(
           R"([{"name":"f","inputs":[{"type":"uint256"}]},{"name":"f","inputs":[{"type":"uint"}]}])"),
       "artifact Thing: abi entry 1: duplicate function f(uint256)"},
      {artifact_json(R"([{"type":"function","inputs":[]}])"),
       "artifact Thing: abi entry 0: missing \"name\""},
  };
  for (const auto& c : cases) {
    auto a = Artifact::parse(c.json);
    ASSERT_FALSE(a.ok()) << c.json;
    EXPECT_EQ(a.error().message, c.error) << c.json;
  }
  auto missing = Artifact::load("/nonexistent/Thing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot open /nonexistent/Thing.json: No such file or directory");
}

TEST(Contract, FunctionLookupByNameAndSignature) {
  Contract c = thing();
  EXPECT_EQ(c.function("bump").value()->canonical, "bump(uint256)");
  EXPECT_EQ(c.function("bump(uint256 by)").value()->canonical, "bump(uint256)");
  EXPECT_EQ(c.function("bump(uint)").value()->state_mutability, "nonpayable");
  EXPECT_EQ(c.function("pay(address,uint256,string)").value()->inputs[2].name, "memo");
  EXPECT_EQ(c.function("pay").error().message,
            "function pay is overloaded (pay(address,uint256), pay(address,uint256,string)): name "
            "it by signature");
  EXPECT_EQ(c.function("nope").error().message, "contract has no function nope");
  EXPECT_EQ(c.function("bump(address)").error().message, "contract has no function bump(address)");
  EXPECT_EQ(c.functions().size(), 4u);
}

TEST(Contract, EncodesCallsLikeCast) {
  Contract c = thing();
  // cast calldata "bump(uint256)" 5
  std::vector<abi::Value> five = {abi::Value::uint(5)};
  EXPECT_EQ(to_hex(c.encode_call("bump", five).value()),
            "0xb20eb4c40000000000000000000000000000000000000000000000000000000000000005");
  // cast calldata "pay(address,uint256)" 0x7099…79C8 1000
  std::vector<abi::Value> pay = {kBob, abi::Value::uint(1000)};
  EXPECT_EQ(to_hex(c.encode_call("pay(address,uint256)", pay).value()),
            "0xc4076876"
            "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
            "00000000000000000000000000000000000000000000000000000000000003e8");
  // cast calldata "pay(address,uint256,string)" 0x7099…79C8 1000 hi
  std::vector<abi::Value> memo = {kBob, abi::Value::uint(1000), "hi"};
  EXPECT_EQ(to_hex(c.encode_call("pay(address,uint256,string)", memo).value()),
            "0x4a4bdb30"
            "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
            "00000000000000000000000000000000000000000000000000000000000003e8"
            "0000000000000000000000000000000000000000000000000000000000000060"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "6869000000000000000000000000000000000000000000000000000000000000");
  // cast abi-encode "constructor(string,uint8)" ICN 18
  std::vector<abi::Value> ctor = {"ICN", abi::Value::uint(18)};
  EXPECT_EQ(to_hex(c.encode_constructor(ctor).value()),
            "0x"
            "0000000000000000000000000000000000000000000000000000000000000040"
            "0000000000000000000000000000000000000000000000000000000000000012"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "49434e0000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(c.encode_call("bump", pay).error().message, "bump(uint256) takes 1 argument, got 2");
  std::vector<abi::Value> wrong = {"text"};
  EXPECT_FALSE(c.encode_call("bump", wrong).ok());
  EXPECT_EQ(c.encode_constructor({}).error().message, "constructor takes 2 arguments, got 0");
}

TEST(Contract, DecodesResults) {
  Contract c = thing();
  // cast abi-encode "f(uint256,string)" 42 ok
  Bytes out = parse_hex(
                  "0x000000000000000000000000000000000000000000000000000000000000002a"
                  "0000000000000000000000000000000000000000000000000000000000000040"
                  "0000000000000000000000000000000000000000000000000000000000000002"
                  "6f6b000000000000000000000000000000000000000000000000000000000000")
                  .value();
  auto r = c.decode_result("info", out);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].get<U256>(), 42);
  EXPECT_EQ((*r)[1].get<std::string>(), "ok");
  EXPECT_EQ(c.decode_result("info", {}).error().message,
            "info() returned no data (is there a contract at the address?)");
  EXPECT_FALSE(c.decode_result("info", ByteView(out).subspan(0, 40)).ok());
}

TEST(Contract, EventsByNameSignatureAndTopic) {
  Contract c = thing();
  const abi::EventAbi* paid = c.event("Paid").value();
  // cast keccak "Paid(address,uint256,string)"
  EXPECT_EQ(to_hex(paid->topic0()),
            "0x301e53e15e76435e17105dd850449ba166cf4c46826c93a338cb73191b5a7420");
  EXPECT_EQ(c.event("Paid(address indexed to, uint256 amount, string memo)").value(), paid);
  EXPECT_EQ(c.event_by_topic(paid->topic0()), paid);
  EXPECT_EQ(c.event_by_topic(Hash{}), nullptr);
  EXPECT_EQ(c.event("Gone").error().message, "contract has no event Gone");

  Log log;
  log.topics = {paid->topic0(), Hash{}};
  std::copy(kBob.bytes.begin(), kBob.bytes.end(), log.topics[1].begin() + 12);
  std::vector<abi::Type> data_types = {abi::Type::uint(), abi::Type::string()};
  std::vector<abi::Value> data_values = {abi::Value::uint(1000), "hi"};
  log.data = abi::encode(data_types, data_values).value();
  auto decoded = c.decode_log(log);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->event, "Paid");
  EXPECT_EQ(decoded->params[0].value.get<Address>(), kBob);
  EXPECT_EQ(decoded->params[1].value.get<U256>(), 1000);
  EXPECT_EQ(decoded->params[2].value.get<std::string>(), "hi");
  log.topics[0] = Hash{};
  EXPECT_EQ(c.decode_log(log).error().message,
            "no event of this contract has topic0 " + to_hex(Hash{}));
}

TEST(Contract, RevertsUseTheContractsErrors) {
  Contract c = thing();
  ASSERT_EQ(c.errors().size(), 1u);
  // cast calldata "Refused(uint256,address)" 7 0x7099…79C8
  Bytes data = parse_hex(
                   "0x18ff0ee4"
                   "0000000000000000000000000000000000000000000000000000000000000007"
                   "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8")
                   .value();
  EXPECT_EQ(c.describe_revert(data), "Refused(code=7, who=" + kBob.checksummed() + ")");
  EXPECT_EQ(c.at(kBob).address(), kBob);
  EXPECT_FALSE(c.address().has_value());
}

}  // namespace
}  // namespace icn::eth
