// EIP-712 typed structured data hashing, as eth_signTypedData_v4 (MetaMask eth-sig-util v4,
// ethers TypedDataEncoder, alloy/cast) defines it: JSON typed data for the wallet boundary and a
// small builder for protocol structs known at compile time.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::eip712 {

// Structs nest at most this deep in a message (each struct or array level counts one), so a
// hostile document cannot exhaust the stack.
inline constexpr int kMaxDepth = 64;

// One member of a struct type: `{"name": "wallet", "type": "address"}`.
struct Field {
  std::string name;
  std::string
      type;  // atomic ("uint8", "bytes32", …), a struct name, or either with [] / [k] suffixes
  bool operator==(const Field&) const = default;
};

// Struct name → members in declaration order (order matters: it is part of the type hash).
using Types = std::map<std::string, std::vector<Field>, std::less<>>;

// The eth_signTypedData_v4 document: {"types", "primaryType", "domain", "message"}.
struct TypedData {
  Types types;
  std::string primary_type;
  nlohmann::json domain;   // an object; hashed as the EIP712Domain struct
  nlohmann::json message;  // an object; hashed as primary_type
};

// Parses and validates the document's shape and its types (see validate_types). Values inside
// domain and message are checked when they are hashed.
Result<TypedData> parse_typed_data(const nlohmann::json& document);
// The same from JSON text (a separate name: std::string converts to nlohmann::json implicitly).
Result<TypedData> parse_typed_data_text(std::string_view json_text);

// Every type name is an identifier that is not an atomic type, every field's type resolves, field
// names are unique per struct, and no struct contains itself except through a dynamic array (a
// cycle through plain members or fixed-length arrays would need infinitely deep values).
Status validate_types(const Types& types);

// encodeType: "Mail(Person from,Person to,string contents)Person(address wallet,string name)" —
// the struct itself, then every struct it references (transitively) in alphabetical order.
Result<std::string> encode_type(const Types& types, std::string_view type_name);
Result<Hash> type_hash(const Types& types, std::string_view type_name);

// encodeData: typeHash followed by one 32-byte word per member. Members the value holds but the
// type does not declare are ignored, as MetaMask, ethers and cast ignore them.
Result<Bytes> encode_data(const Types& types, std::string_view type_name,
                          const nlohmann::json& value);
// hashStruct = keccak256(encodeData).
Result<Hash> hash_struct(const Types& types, std::string_view type_name,
                         const nlohmann::json& value);

// hashStruct("EIP712Domain", domain) over the members EIP712Domain declares, in declared order,
// as the EIP and MetaMask do; an undeclared EIP712Domain is the empty struct "EIP712Domain()".
// A domain key EIP712Domain does not declare is rejected: MetaMask would leave it out, while
// ethers and alloy (cast) hash the standard keys present whatever the declaration says. (alloy
// also ignores a declaration's order and types; documents using the standard names, types and
// order hash alike everywhere.)
Result<Hash> domain_separator(const TypedData& data);

// keccak256(0x19 0x01 || domainSeparator || hashStruct(message)); when the primary type is
// EIP712Domain itself the message hash is left out (eth-sig-util v4 and alloy agree).
Result<Hash> digest(const TypedData& data);

// ---- Builder for structs known at compile time (no JSON) ----

// keccak256 of an encodeType string the caller wrote out.
Hash type_hash(std::string_view encoded_type);

// The common four-member domain:
// EIP712Domain(string name,string version,uint256 chainId,address verifyingContract).
struct Domain {
  std::string name;
  std::string version;
  U256 chain_id;
  Address verifying_contract;
};
Hash domain_separator(const Domain& domain);

// keccak256(0x19 0x01 || domain_separator || struct_hash).
Hash typed_digest(const Hash& domain_separator, const Hash& struct_hash);

// Accumulates encodeData for one struct, member by member in declaration order:
//   StructHasher(kMailTypeHash).add_word(from).add_word(to).add_string(contents).finish()
class StructHasher {
 public:
  explicit StructHasher(const Hash& type_hash);

  StructHasher& add_uint(const U256& value);
  StructHasher& add_int(const I256& value);  // caller keeps it within the member's intN range
  StructHasher& add_address(const Address& value);
  StructHasher& add_bool(bool value);
  // bytes32/bytesN (right-padded by the caller), a nested hashStruct or an array_hash.
  StructHasher& add_word(const Hash& word);
  StructHasher& add_bytes(ByteView value);           // dynamic `bytes`: its keccak256
  StructHasher& add_string(std::string_view value);  // `string`: keccak256 of its UTF-8

  const Bytes& encoded() const { return data_; }
  Hash finish() const;

 private:
  Bytes data_;
};

// An array member's word: keccak256 of its elements' words concatenated (each element encoded as
// a member of the element type would be: hashStruct for structs, keccak for bytes/string).
Hash array_hash(std::span<const Hash> element_words);

}  // namespace icn::eip712
