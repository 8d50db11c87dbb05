// EIP-712 hashing against the EIP's Mail example and vectors cross-checked with cast 1.5.1, plus
// every rejection.
#include "icn/core/eip712.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"

namespace icn::eip712 {
namespace {

using nlohmann::json;

// The example from the EIP-712 text (its Example.js / Example.sol).
constexpr std::string_view kMail = R"({
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"},
      {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"},
      {"name": "verifyingContract", "type": "address"}
    ],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [
      {"name": "from", "type": "Person"},
      {"name": "to", "type": "Person"},
      {"name": "contents", "type": "string"}
    ]
  },
  "primaryType": "Mail",
  "domain": {
    "name": "Ether Mail",
    "version": "1",
    "chainId": 1,
    "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
  },
  "message": {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!"
  }
})";

// Every vector below was checked against cast 1.5.1: `cast wallet sign --data --from-file F
// --private-key K` equals `cast wallet sign --no-hash DIGEST --private-key K` (RFC 6979
// signatures are deterministic, so equal signatures mean equal digests).

// Person[] and address[] members, negative int256 at the minimum, int8, bytes, bytes32, bytes4,
// bool, a fixed array of structs that hold struct arrays, uint16[2][], string[], bytes[],
// int64[3], uint256 max, numbers as JSON numbers, decimal and hex strings, non-ASCII strings,
// and a domain with all five standard members.
constexpr std::string_view kRichMail = R"({
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"},
      {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"},
      {"name": "verifyingContract", "type": "address"},
      {"name": "salt", "type": "bytes32"}
    ],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallets", "type": "address[]"}],
    "Group": [
      {"name": "name", "type": "string"},
      {"name": "members", "type": "Person[]"},
      {"name": "tag", "type": "bytes32"}
    ],
    "Mail": [
      {"name": "from", "type": "Person"},
      {"name": "to", "type": "Person[]"},
      {"name": "contents", "type": "string"},
      {"name": "priority", "type": "uint8"},
      {"name": "delta", "type": "int256"},
      {"name": "small", "type": "int8"},
      {"name": "attachment", "type": "bytes"},
      {"name": "checksum", "type": "bytes32"},
      {"name": "short", "type": "bytes4"},
      {"name": "urgent", "type": "bool"},
      {"name": "groups", "type": "Group[2]"},
      {"name": "matrix", "type": "uint16[2][]"},
      {"name": "labels", "type": "string[]"},
      {"name": "blobs", "type": "bytes[]"},
      {"name": "fixedInts", "type": "int64[3]"},
      {"name": "amount", "type": "uint256"}
    ]
  },
  "primaryType": "Mail",
  "domain": {
    "name": "ICN Mail",
    "version": "2",
    "chainId": "0x14a34",
    "verifyingContract": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "salt": "0xf2d857f4a3edcb9b78b4d503bfe733db1e3f6cdc2b7971ee739626c97e86a558"
  },
  "message": {
    "from": {"name": "Cow", "wallets": ["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826",
                                        "0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef"]},
    "to": [
      {"name": "Bob", "wallets": ["0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB",
                                  "0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57",
                                  "0xB0B0b0b0b0b0B000000000000000000000000000"]},
      {"name": "Alice", "wallets": []}
    ],
    "contents": "Hello, Bob! \u00e9\u2713",
    "priority": 255,
    "delta": "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
    "small": -128,
    "attachment": "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021",
    "checksum": "0x00000000000000000000000000000000000000000000000000000000000000ff",
    "short": "0xDEADBEEF",
    "urgent": true,
    "groups": [
      {"name": "Team",
       "members": [{"name": "Carol", "wallets": ["0x1111111111111111111111111111111111111111"]}],
       "tag": "0x1111111111111111111111111111111111111111111111111111111111111111"},
      {"name": "", "members": [],
       "tag": "0x0000000000000000000000000000000000000000000000000000000000000000"}
    ],
    "matrix": [[1, 2], ["3", "0xffff"], [0, 65535]],
    "labels": ["a", "", "long label with spaces"],
    "blobs": ["0x", "0x00", "0xffee"],
    "fixedInts": [-1, "9223372036854775807", "-9223372036854775808"],
    "amount": "115792089237316195423570985008687907853269984665640564039457584007913129639935"
  }
})";
constexpr std::string_view kRichMailDigest =
    "0x001cc815bb80ad30601f7128db85f8ded99c01b3219ce6a14f4376bce570a167";

// Multi-dimensional arrays of structs in both nestings (Leaf[2][] and Leaf[][2]), a 3-D fixed
// array, address[2], and a two-member domain.
constexpr std::string_view kGrid = R"({
  "types": {
    "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
    "Board": [
      {"name": "id", "type": "int32"},
      {"name": "pairs", "type": "Leaf[2][]"},
      {"name": "rows", "type": "Leaf[][2]"},
      {"name": "cube", "type": "uint8[2][2][2]"},
      {"name": "owners", "type": "address[2]"}
    ],
    "Leaf": [{"name": "key", "type": "bytes1"}, {"name": "on", "type": "bool"}]
  },
  "primaryType": "Board",
  "domain": {"name": "Grid", "chainId": 31337},
  "message": {
    "id": -7,
    "pairs": [[{"key": "0x01", "on": true}, {"key": "0x02", "on": false}],
              [{"key": "0x03", "on": true}, {"key": "0x04", "on": true}]],
    "rows": [[], [{"key": "0xaa", "on": false}, {"key": "0xbb", "on": true},
                  {"key": "0xcc", "on": false}]],
    "cube": [[[1, 2], [3, 4]], [[5, 6], [7, "0xff"]]],
    "owners": ["0x0000000000000000000000000000000000000000",
               "0xffffffffffffffffffffffffffffffffffffffff"]
  }
})";
constexpr std::string_view kGridDigest =
    "0x8f85b117997d32c0dc83c4705b2f00721ebbe924218bb45513693384c073aedc";

TypedData must_parse(std::string_view text) {
  auto parsed = parse_typed_data_text(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : TypedData{};
}

std::string digest_hex(std::string_view text) {
  auto parsed = parse_typed_data_text(text);
  if (!parsed) return "parse error: " + parsed.error().message;
  auto d = digest(*parsed);
  return d ? to_hex(*d) : "digest error: " + d.error().message;
}

// The error a document is rejected with, at parse or at hashing.
std::string rejection(const json& document) {
  auto parsed = parse_typed_data(document);
  if (!parsed) return parsed.error().message;
  auto d = digest(*parsed);
  return d ? "accepted" : d.error().message;
}

Address addr(std::string_view hex) {
  return Address::parse(hex).value();
}

TEST(Eip712, MailExampleFromTheEip) {
  TypedData mail = must_parse(kMail);
  auto encoded = encode_type(mail.types, "Mail");
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  // The EIP's Person is (string name, address wallet), in that order.
  EXPECT_EQ(*encoded,
            "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
  EXPECT_EQ(to_hex(type_hash(mail.types, "Mail").value()),
            "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
  EXPECT_EQ(to_hex(hash_struct(mail.types, "Mail", mail.message).value()),
            "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
  EXPECT_EQ(to_hex(domain_separator(mail).value()),
            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
  EXPECT_EQ(to_hex(digest(mail).value()),
            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
  auto data = encode_data(mail.types, "Mail", mail.message);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->size(), 32u * 4);  // typeHash + three members
}

TEST(Eip712, BuilderReproducesTheMailExample) {
  Hash domain = domain_separator(
      Domain{.name = "Ether Mail",
             .version = "1",
             .chain_id = 1,
             .verifying_contract = addr("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")});
  EXPECT_EQ(to_hex(domain), "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");

  const Hash person_type = type_hash("Person(string name,address wallet)");
  const Hash mail_type =
      type_hash("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
  Hash from = StructHasher(person_type)
                  .add_string("Cow")
                  .add_address(addr("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))
                  .finish();
  Hash to = StructHasher(person_type)
                .add_string("Bob")
                .add_address(addr("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"))
                .finish();
  Hash mail =
      StructHasher(mail_type).add_word(from).add_word(to).add_string("Hello, Bob!").finish();
  EXPECT_EQ(to_hex(mail), "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
  EXPECT_EQ(to_hex(typed_digest(domain, mail)),
            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
}

TEST(Eip712, RichTypesMatchCast) {
  TypedData rich = must_parse(kRichMail);
  EXPECT_EQ(encode_type(rich.types, "Mail").value(),
            "Mail(Person from,Person[] to,string contents,uint8 priority,int256 delta,int8 small,"
            "bytes attachment,bytes32 checksum,bytes4 short,bool urgent,Group[2] groups,"
            "uint16[2][] matrix,string[] labels,bytes[] blobs,int64[3] fixedInts,uint256 amount)"
            "Group(string name,Person[] members,bytes32 tag)Person(string name,address[] wallets)");
  EXPECT_EQ(digest_hex(kRichMail), kRichMailDigest);
  EXPECT_EQ(digest_hex(kGrid), kGridDigest);
}

TEST(Eip712, BuilderAgreesOnArraysAndSignedIntegers) {
  // Board from kGrid rebuilt by hand: arrays are the hash of their elements' words, intN is
  // sign-extended, bytes1 is left-aligned.
  TypedData grid = must_parse(kGrid);
  const Hash leaf_type = type_hash("Leaf(bytes1 key,bool on)");
  auto leaf = [&](uint8_t key, bool on) {
    Hash key_word{};
    key_word[0] = key;
    return StructHasher(leaf_type).add_word(key_word).add_bool(on).finish();
  };
  std::vector<Hash> pairs = {array_hash(std::vector{leaf(1, true), leaf(2, false)}),
                             array_hash(std::vector{leaf(3, true), leaf(4, true)})};
  std::vector<Hash> rows = {
      array_hash({}),
      array_hash(std::vector{leaf(0xaa, false), leaf(0xbb, true), leaf(0xcc, false)})};
  auto u = [](unsigned v) { return u256_to_be(v); };
  Hash cube =
      array_hash(std::vector{array_hash(std::vector{array_hash(std::vector{u(1), u(2)}),
                                                    array_hash(std::vector{u(3), u(4)})}),
                             array_hash(std::vector{array_hash(std::vector{u(5), u(6)}),
                                                    array_hash(std::vector{u(7), u(255)})})});
  Hash owner_max{};
  std::fill(owner_max.begin() + 12, owner_max.end(), 0xff);
  Hash owners = array_hash(std::vector{Hash{}, owner_max});
  Hash board = StructHasher(type_hash(encode_type(grid.types, "Board").value()))
                   .add_int(-7)
                   .add_word(array_hash(pairs))
                   .add_word(array_hash(rows))
                   .add_word(cube)
                   .add_word(owners)
                   .finish();
  EXPECT_EQ(hash_struct(grid.types, "Board", grid.message).value(), board);
  Hash domain = StructHasher(type_hash("EIP712Domain(string name,uint256 chainId)"))
                    .add_string("Grid")
                    .add_uint(31337)
                    .finish();
  EXPECT_EQ(domain_separator(grid).value(), domain);
  EXPECT_EQ(to_hex(typed_digest(domain, board)), kGridDigest);
}

TEST(Eip712, DomainEdgeCasesMatchCast) {
  // No EIP712Domain and an empty domain: the separator is hashStruct of "EIP712Domain()".
  constexpr std::string_view kNoDomain = R"({"types": {"Msg": [{"name": "x", "type": "uint256"}]},
    "primaryType": "Msg", "domain": {}, "message": {"x": 1}})";
  EXPECT_EQ(digest_hex(kNoDomain),
            "0xb3f8e67c5f4589e166f1ed826a0f67688e329556f6ae15746790c2a7c381ec94");
  TypedData no_domain = must_parse(kNoDomain);
  EXPECT_EQ(domain_separator(no_domain).value(),
            keccak256(type_hash(std::string_view("EIP712Domain()"))));

  // primaryType EIP712Domain: the digest covers the domain alone.
  constexpr std::string_view kDomainOnly = R"({
    "types": {"EIP712Domain": [{"name": "name", "type": "string"}]},
    "primaryType": "EIP712Domain", "domain": {"name": "N"}})";
  EXPECT_EQ(digest_hex(kDomainOnly),
            "0x4c7c50999944c572c86f160f5cfece1b621f6b7ca8555073426ed4d4b8ca6f92");

  // Bare uint/int are uint256/int256 in value but keep their spelling in encodeType; members the
  // type does not declare are not signed (cast, ethers and MetaMask all skip them).
  constexpr std::string_view kBareInts = R"({
    "types": {"EIP712Domain": [{"name": "name", "type": "string"}],
              "Msg": [{"name": "x", "type": "uint"}, {"name": "y", "type": "int"}]},
    "primaryType": "Msg", "domain": {"name": "N"}, "message": {"x": 1, "y": -1, "extra": 5}})";
  EXPECT_EQ(digest_hex(kBareInts),
            "0x95229c9ad6c4e0f5bbf87fcf93f2648d7c32058c09ee75df473ede9321f41887");
  EXPECT_EQ(encode_type(must_parse(kBareInts).types, "Msg").value(), "Msg(uint x,int y)");
}

TEST(Eip712, DomainFollowsTheDeclaredOrder) {
  // The EIP: "User-agents should accept fields in any order as specified by the EIP712Domain
  // type". (alloy/cast ignore the declaration and hash in the standard order instead.)
  TypedData td = must_parse(R"({
    "types": {"EIP712Domain": [{"name": "chainId", "type": "uint256"},
                               {"name": "name", "type": "string"}],
              "Msg": [{"name": "x", "type": "uint256"}]},
    "primaryType": "Msg", "domain": {"name": "N", "chainId": 5}, "message": {"x": 1}})");
  Hash expected = StructHasher(type_hash("EIP712Domain(uint256 chainId,string name)"))
                      .add_uint(5)
                      .add_string("N")
                      .finish();
  EXPECT_EQ(domain_separator(td).value(), expected);
}

TEST(Eip712, RecursiveTypeThroughADynamicArray) {
  // cast and ethers refuse any cyclic type; eth-sig-util v4 hashes them, listing the type once in
  // encodeType. Checked here against the builder.
  TypedData tree = must_parse(R"({
    "types": {"Node": [{"name": "value", "type": "int32"}, {"name": "children", "type": "Node[]"}]},
    "primaryType": "Node", "domain": {},
    "message": {"value": 1, "children": [
      {"value": -2, "children": []},
      {"value": 3, "children": [{"value": 4, "children": []}]}]}})");
  EXPECT_EQ(encode_type(tree.types, "Node").value(), "Node(int32 value,Node[] children)");
  const Hash node_type = type_hash("Node(int32 value,Node[] children)");
  auto node = [&](int v, std::vector<Hash> kids) {
    return StructHasher(node_type).add_int(v).add_word(array_hash(kids)).finish();
  };
  Hash expected = node(1, {node(-2, {}), node(3, {node(4, {})})});
  EXPECT_EQ(hash_struct(tree.types, "Node", tree.message).value(), expected);
}

TEST(Eip712, ValueSpellingsHashAlike) {
  const Types types{
      {"V", {{"n", "uint256"}, {"i", "int16"}, {"a", "address"}, {"b", "bytes2"}, {"d", "bytes"}}}};
  auto hash = [&](json v) { return hash_struct(types, "V", v).value(); };
  Hash base = hash({{"n", 255},
                    {"i", -2},
                    {"a", "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826"},
                    {"b", "0xabcd"},
                    {"d", "0x00ff"}});
  EXPECT_EQ(hash({{"n", "255"},
                  {"i", "-2"},
                  {"a", "0xCD2A3D9F938E13CD947EC05ABC7FE734DF8DD826"},
                  {"b", "0xABCD"},
                  {"d", "0x00FF"}}),
            base);
  EXPECT_EQ(hash({{"n", "0xff"},
                  {"i", "-0x2"},
                  {"a", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                  {"b", "0xabcd"},
                  {"d", "0x00ff"}}),
            base);
  EXPECT_EQ(hash({{"n", 255.0},
                  {"i", -2.0},
                  {"a", "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826"},
                  {"b", "0xabcd"},
                  {"d", "0x00ff"}}),
            base);
  EXPECT_NE(hash({{"n", 254},
                  {"i", -2},
                  {"a", "0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826"},
                  {"b", "0xabcd"},
                  {"d", "0x00ff"}}),
            base);
}

TEST(Eip712, DepthLimit) {
  const Types types{{"Node", {{"kids", "Node[]"}}}};
  // Each Node level is two levels of nesting (the struct and its array): 32 Nodes reach depth 63.
  auto chain = [](int nodes) {
    json v = {{"kids", json::array()}};
    for (int i = 1; i < nodes; ++i) v = {{"kids", json::array({v})}};
    return v;
  };
  EXPECT_TRUE(hash_struct(types, "Node", chain(32)).ok());
  auto deep = hash_struct(types, "Node", chain(33));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message.find("nested deeper than 64 levels"), std::string::npos)
      << deep.error().message;
}

TEST(Eip712, RejectsMalformedDocuments) {
  EXPECT_EQ(parse_typed_data_text("{").error().message.rfind("eip712: invalid JSON", 0), 0u);
  EXPECT_EQ(parse_typed_data(json::array()).error().message,
            "eip712: typed data must be a JSON object");
  json mail = json::parse(kMail);

  json d = mail;
  d.erase("types");
  EXPECT_EQ(rejection(d), "eip712: missing \"types\"");
  d = mail;
  d["primaryType"] = "Letter";
  EXPECT_EQ(rejection(d), "eip712: primaryType 'Letter' is not defined in types");
  d = mail;
  d["domain"] = "Ether Mail";
  EXPECT_EQ(rejection(d), "eip712: \"domain\" must be an object");
  d = mail;
  d.erase("message");
  EXPECT_EQ(rejection(d), "eip712: \"message\" must be an object");
  d = mail;
  d["types"]["Mail"][0] = {{"name", "from"}};
  EXPECT_EQ(rejection(d), "eip712: types.Mail: each field must be {\"name\": …, \"type\": …}");
}

TEST(Eip712, RejectsBadTypes) {
  json mail = json::parse(kMail);
  json d = mail;
  d["types"]["Mail"][1]["type"] = "Persn";
  EXPECT_EQ(rejection(d), "eip712: Mail.to: unknown type 'Persn'");
  d = mail;
  d["types"]["Mail"][1]["type"] = "Person[";
  EXPECT_EQ(rejection(d), "eip712: Mail.to: malformed array suffix in type 'Person['");
  d = mail;
  d["types"]["Mail"][1]["type"] = "Person[x]";
  EXPECT_EQ(rejection(d), "eip712: Mail.to: malformed array length in type 'Person[x]'");
  d = mail;
  d["types"]["Mail"][1]["type"] = "uint7";
  EXPECT_EQ(rejection(d), "eip712: Mail.to: unknown type 'uint7'");
  d = mail;
  d["types"]["Mail"][1]["name"] = "from";
  EXPECT_EQ(rejection(d), "eip712: Mail: duplicate field 'from'");
  d = mail;
  d["types"]["uint256"] = json::array();
  EXPECT_EQ(rejection(d), "eip712: type name 'uint256' is reserved for an atomic type");
  d = mail;
  d["types"]["Bad Name"] = json::array();
  EXPECT_EQ(rejection(d), "eip712: type name 'Bad Name' is not an identifier");
}

TEST(Eip712, RejectsTypesWithNoFiniteValue) {
  auto types_only = [](json types) {
    return rejection({{"types", types},
                      {"primaryType", "A"},
                      {"domain", json::object()},
                      {"message", json::object()}});
  };
  EXPECT_EQ(types_only(
                {{"A", {{{"name", "b"}, {"type", "B"}}}}, {"B", {{{"name", "a"}, {"type", "A"}}}}}),
            "eip712: type A contains itself without a dynamic array (A -> B -> A), so no finite "
            "value exists");
  EXPECT_EQ(types_only({{"A", {{{"name", "xs"}, {"type", "A[2]"}}}}}),
            "eip712: type A contains itself without a dynamic array (A -> A), so no finite value "
            "exists");
  // Through a dynamic array (even inside a fixed one) the recursion can end.
  EXPECT_EQ(types_only({{"A", {{{"name", "xs"}, {"type", "A[][2]"}}}}}),
            "eip712: message: missing field 'xs' (A[][2])");
}

TEST(Eip712, RejectsBadValues) {
  const Types types{{"V",
                     {{"u8", "uint8"},
                      {"i8", "int8"},
                      {"b4", "bytes4"},
                      {"a", "address"},
                      {"f", "bool"},
                      {"xs", "uint8[2]"},
                      {"d", "bytes"},
                      {"s", "string"}}}};
  const json good = {{"u8", 255},          {"i8", -128},
                     {"b4", "0x01020304"}, {"a", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                     {"f", false},         {"xs", {1, 2}},
                     {"d", "0x"},          {"s", "ok"}};
  ASSERT_TRUE(hash_struct(types, "V", good).ok());
  auto reason = [&](const std::string& key, json value) {
    json v = good;
    v[key] = value;
    auto r = hash_struct(types, "V", v);
    return r ? std::string("accepted") : r.error().message;
  };
  json missing = good;
  missing.erase("u8");
  EXPECT_EQ(hash_struct(types, "V", missing).error().message,
            "eip712: V: missing field 'u8' (uint8)");
  EXPECT_EQ(reason("u8", nullptr), "eip712: V: missing field 'u8' (uint8)");
  EXPECT_EQ(reason("u8", 256), "eip712: V.u8: value 256 out of range for uint8");
  EXPECT_EQ(reason("u8", -1), "eip712: V.u8: value -1 out of range for uint8");
  EXPECT_EQ(reason("i8", "-129"), "eip712: V.i8: value -129 out of range for int8");
  EXPECT_EQ(reason("i8", "0x80"), "eip712: V.i8: value 128 out of range for int8");
  EXPECT_EQ(reason("u8", 1.5),
            "eip712: V.u8: number 1.5 is not an exact integer (write large numbers as decimal "
            "strings)");
  EXPECT_EQ(reason("u8", "12a"),
            "eip712: V.u8: invalid number \"12a\": invalid decimal digit 'a' in number");
  EXPECT_EQ(reason("u8", true), "eip712: V.u8: expected a number or numeric string, got boolean");
  EXPECT_EQ(reason("b4", "0x0102030405"), "eip712: V.b4: bytes4: expected 4 bytes, got 5");
  EXPECT_EQ(reason("b4", "0x010203"), "eip712: V.b4: bytes4: expected 4 bytes, got 3");
  EXPECT_EQ(reason("b4", "01020304"), "eip712: V.b4: bytes4: hex must start with 0x");
  EXPECT_EQ(reason("a", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827"),
            "eip712: V.a: address: invalid EIP-55 checksum (expected "
            "0xCd2a3d9f938E13cd947eC05abc7Fe734df8dd827)");
  EXPECT_EQ(reason("a", "0x1234"), "eip712: V.a: address: expected 20 bytes, got 2");
  EXPECT_EQ(reason("f", "false"), "eip712: V.f: expected true or false, got string");
  EXPECT_EQ(reason("xs", {1, 2, 3}), "eip712: V.xs: uint8[2]: expected 2 elements, got 3");
  EXPECT_EQ(reason("xs", 1), "eip712: V.xs: expected an array for uint8[2], got number");
  EXPECT_EQ(reason("xs", {1, 300}), "eip712: V.xs[1]: value 300 out of range for uint8");
  EXPECT_EQ(reason("d", "hello"), "eip712: V.d: bytes: hex must start with 0x");
  EXPECT_EQ(reason("s", 5), "eip712: V.s: expected a string, got number");
  EXPECT_EQ(hash_struct(types, "W", good).error().message, "eip712: W: unknown type 'W'");
  EXPECT_EQ(hash_struct(types, "V", json::array()).error().message,
            "eip712: V: expected an object for V, got array");

  // Integer range edges.
  const Types ints{{"I", {{"a", "int256"}, {"b", "uint256"}}}};
  EXPECT_TRUE(hash_struct(ints, "I",
                          {{"a",
                            "57896044618658097711785492504343953926634992332820282019728792003"
                            "956564819967"},
                           {"b", "0x" + std::string(64, 'f')}})
                  .ok());
  EXPECT_EQ(hash_struct(ints, "I",
                        {{"a",
                          "57896044618658097711785492504343953926634992332820282019728792003"
                          "956564819968"},
                         {"b", 0}})
                .error()
                .message,
            "eip712: I.a: value "
            "57896044618658097711785492504343953926634992332820282019728792003956564819968 out "
            "of range for int256");
  EXPECT_EQ(hash_struct(ints, "I", {{"a", 0}, {"b", "0x1" + std::string(64, '0')}}).error().message,
            "eip712: I.b: invalid number \"0x1" + std::string(64, '0') +
                "\": number does not fit in 256 bits");
}

TEST(Eip712, RejectsMessagesAndDomainsThatDisagreeWithTheirTypes) {
  json mail = json::parse(kMail);
  json d = mail;
  d["message"]["from"].erase("wallet");
  EXPECT_EQ(rejection(d), "eip712: message.from: missing field 'wallet' (address)");
  d = mail;
  d["message"]["to"] = "Bob";
  EXPECT_EQ(rejection(d), "eip712: message.to: expected an object for Person, got string");
  d = mail;
  d["domain"].erase("chainId");
  EXPECT_EQ(rejection(d), "eip712: domain: missing field 'chainId' (uint256)");
  // MetaMask would sign without the salt, ethers and cast with it: refuse rather than guess.
  d = mail;
  d["domain"]["salt"] = "0x" + std::string(64, '0');
  EXPECT_EQ(rejection(d),
            "eip712: domain.salt is not declared in EIP712Domain (wallets disagree on whether it "
            "is signed)");
  d = mail;
  d["types"].erase("EIP712Domain");
  EXPECT_EQ(rejection(d),
            "eip712: domain.chainId is not declared in EIP712Domain (wallets disagree on whether "
            "it is signed)");
}

}  // namespace
}  // namespace icn::eip712
