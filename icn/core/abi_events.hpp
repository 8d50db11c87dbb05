// Event logs and revert data: decoding both against JSON ABI entries into readable values.
#pragma once

#include <optional>
#include <span>

#include "icn/core/abi_type.hpp"
#include "icn/core/abi_value.hpp"

namespace icn::abi {

struct EventAbi {
  std::string name;
  std::vector<Param> inputs;  // Param::indexed marks topics
  bool anonymous = false;

  std::string canonical() const;  // "Transfer(address,address,uint256)"
  Hash topic0() const;

  // {"type": "event", "name": …, "inputs": [...], "anonymous": …}
  static Result<EventAbi> from_json(const nlohmann::json& entry);
  // "Transfer(address indexed from, address indexed to, uint256 value)"
  static Result<EventAbi> from_signature(std::string_view text);
};

struct ErrorAbi {
  std::string name;
  std::vector<Param> inputs;

  std::string canonical() const;
  FixedBytes<4> selector() const;

  static Result<ErrorAbi> from_json(const nlohmann::json& entry);
  static Result<ErrorAbi> from_signature(
      std::string_view text);  // "Refused(uint256 code, address who)"
};

// The events and errors of a whole JSON ABI (an array of entries, or an artifact object holding
// one under "abi"); other entries are skipped.
Result<std::vector<EventAbi>> events_from_json_abi(const nlohmann::json& abi);
Result<std::vector<ErrorAbi>> errors_from_json_abi(const nlohmann::json& abi);

struct DecodedParam {
  std::string name;
  Type type;
  Value value;
  bool indexed = false;
  // An indexed string, bytes, array or tuple: the topic holds keccak256 of its encoding, so value
  // is that 32-byte hash (Bytes), not the original.
  bool hashed = false;
};

struct DecodedLog {
  std::string event;                 // the event's name
  std::vector<DecodedParam> params;  // in declaration order
};

// Topics: topic0 (unless anonymous) then one per indexed parameter; data: abi.encode of the
// non-indexed parameters. Indexed value types are checked as strictly as data words are.
Result<DecodedLog> decode_log(const EventAbi& event, std::span<const Hash> topics, ByteView data);

struct RevertReason {
  enum class Kind { kEmpty, kError, kPanic, kCustom, kUnknown };
  Kind kind = Kind::kEmpty;
  // Readable: the Error(string) message itself; "panic 0x11 (arithmetic overflow or underflow)";
  // "Refused(code=7, who=0x…)"; "unknown error 0x12345678 (64 bytes of data)";
  // "reverted without a reason".
  std::string text;
  std::optional<U256> panic_code;
  std::optional<ErrorAbi> error;  // kCustom: the matching entry of custom_errors
  Value::List args;               // kError: the message; kPanic: the code; kCustom: the arguments
};

// Revert data as returned by eth_call or a trace. Error(string) and Panic(uint256) are built in;
// custom errors are matched by selector. Malformed arguments for a known selector are an error.
Result<RevertReason> decode_revert(ByteView data, const std::vector<ErrorAbi>& custom_errors);

// Solidity's names for panic codes: "arithmetic overflow or underflow" for 0x11; "" if unknown.
std::string panic_description(const U256& code);

}  // namespace icn::abi
