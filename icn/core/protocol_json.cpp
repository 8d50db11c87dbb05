// Canonical JSON encoding and strict decoding of the protocol's messages and batches.
#include "icn/core/protocol_json.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <vector>

#include "icn/core/batch_json_reader.hpp"
#include "icn/core/keccak.hpp"

namespace icn::protocol {
namespace {

using nlohmann::json;

constexpr int kMaxJsonDepth = 16;

// ---- encoding ----

std::string hex_of(const Hash& h) {
  return to_hex(h);
}
std::string hex_of(const Signature& s) {
  return to_hex(s.to_rsv65());
}

json entry_json(const DaemonEntry& e) {
  return json{{"hyperNodeId", to_decimal(e.hyper_node_id)},
              {"nonce", hex_of(e.nonce)},
              {"daemonTime", e.daemon_time},
              {"rttMs", e.rtt_ms},
              {"hyperNodeTime", e.hyper_node_time},
              {"daemonSignature", hex_of(e.daemon_signature)},
              {"hyperNodeSignature", hex_of(e.hyper_node_signature)}};
}

// ---- decoding ----

// Reads the members of one JSON object, naming `path.member` in every error.
class ObjectReader {
 public:
  ObjectReader(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

  // The object has exactly these members.
  Status expect_members(std::initializer_list<std::string_view> names) const {
    if (!value_.is_object()) return fail(path_ + ": expected an object, got " + kind(value_));
    for (const auto& item : value_.items()) {
      if (std::find(names.begin(), names.end(), item.key()) == names.end()) {
        return fail(path_ + ": unknown field \"" + item.key() + "\"");
      }
    }
    for (std::string_view name : names) {
      if (!value_.contains(name))
        return fail(path_ + ": missing field \"" + std::string(name) + "\"");
    }
    return {};
  }

  Result<uint64_t> u64(std::string_view name) const {
    const json& v = value_.at(name);
    if (!v.is_number_unsigned()) {
      return error(name, "expected an unsigned integer below 2^64, got " + kind(v));
    }
    return v.get<uint64_t>();
  }

  Result<uint32_t> u32(std::string_view name) const {
    ICN_TRY(uint64_t n, u64(name));
    if (n > std::numeric_limits<uint32_t>::max()) {
      return error(name, std::to_string(n) + " does not fit in uint32");
    }
    return uint32_t(n);
  }

  Result<uint8_t> u8(std::string_view name) const {
    ICN_TRY(uint64_t n, u64(name));
    if (n > 255) return error(name, std::to_string(n) + " does not fit in uint8");
    return uint8_t(n);
  }

  // A decimal string: "0" or digits without a leading zero, at most 2^256 − 1.
  Result<U256> u256(std::string_view name) const {
    const json& v = value_.at(name);
    if (!v.is_string()) return error(name, "expected a decimal string, got " + kind(v));
    return u256_text(name, v.get_ref<const std::string&>());
  }

  Result<Hash> bytes32(std::string_view name) const {
    const json& v = value_.at(name);
    if (!v.is_string()) return error(name, "expected a 0x hex string, got " + kind(v));
    return bytes32_text(name, v.get_ref<const std::string&>());
  }

  Result<Signature> signature(std::string_view name) const {
    const json& v = value_.at(name);
    if (!v.is_string()) return error(name, "expected a 0x hex signature, got " + kind(v));
    const std::string& text = v.get_ref<const std::string&>();
    ICN_CHECK(canonical_hex(name, text, 65));
    FixedBytes<65> raw;
    decode_checked_hex(text, raw);
    if (raw[64] != 27 && raw[64] != 28) {
      return error(name,
                   "non-canonical signature: v must be 27 or 28, got " + std::to_string(raw[64]));
    }
    auto sig = Signature::from_rsv65(raw);
    if (!sig) return error(name, sig.error().message);
    return *sig;
  }

  Result<std::string> version(std::string_view name, size_t max_bytes) const {
    const json& v = value_.at(name);
    if (!v.is_string()) return error(name, "expected a string, got " + kind(v));
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > max_bytes) {
      return error(name, "must be 1 to " + std::to_string(max_bytes) + " bytes, got " +
                             std::to_string(s.size()));
    }
    for (char c : s) {
      if (c < 0x20 || c > 0x7e) return error(name, "must be printable ASCII");
    }
    return s;
  }

  Result<const json*> array(std::string_view name, size_t max_size) const {
    const json& v = value_.at(name);
    if (!v.is_array()) return error(name, "expected an array, got " + kind(v));
    if (v.size() > max_size) {
      return error(name, std::to_string(v.size()) + " elements, more than the limit of " +
                             std::to_string(max_size));
    }
    return &v;
  }

  std::string member_path(std::string_view name) const { return path_ + "." + std::string(name); }

  Error error(std::string_view name, const std::string& reason) const {
    return fail(member_path(name) + ": " + reason);
  }

  Result<U256> u256_text(std::string_view name, const std::string& s) const {
    if (s.empty() || s.size() > 78 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return error(name, "expected a decimal string of digits, got \"" + s.substr(0, 80) + "\"");
    }
    if (s.size() > 1 && s[0] == '0') return error(name, "non-canonical decimal: leading zero");
    auto n = parse_u256(s);
    if (!n) return error(name, n.error().message);
    return *n;
  }

  Result<Hash> bytes32_text(std::string_view name, const std::string& s) const {
    ICN_CHECK(canonical_hex(name, s, 32));
    Hash out;
    decode_checked_hex(s, out);
    return out;
  }

  // The digits after "0x" of text canonical_hex accepted (lowercase, the right length), without
  // validating them again.
  template <size_t N>
  static void decode_checked_hex(const std::string& s, FixedBytes<N>& out) {
    auto nibble = [](char c) { return uint8_t(c <= '9' ? c - '0' : c - 'a' + 10); };
    for (size_t i = 0; i < N; ++i)
      out[i] = uint8_t(nibble(s[2 + 2 * i]) << 4 | nibble(s[3 + 2 * i]));
  }

  // "0x" + exactly 2·size lowercase hex digits.
  Status canonical_hex(std::string_view name, const std::string& s, size_t size) const {
    if (s.size() != 2 + 2 * size || s[0] != '0' || s[1] != 'x') {
      return error(name, "expected \"0x\" and " + std::to_string(2 * size) + " hex digits (" +
                             std::to_string(size) + " bytes), got " + std::to_string(s.size()) +
                             " characters");
    }
    for (size_t i = 2; i < s.size(); ++i) {
      char c = s[i];
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
      if (c >= 'A' && c <= 'F') return error(name, "non-canonical hex: uppercase digit");
      return error(name, "invalid hex digit at position " + std::to_string(i));
    }
    return {};
  }

  static std::string kind(const json& v) {
    if (v.is_number_float()) return "a non-integer or out-of-range number";
    if (v.is_number_integer() && !v.is_number_unsigned()) return "a negative number";
    return v.type_name();
  }

 private:
  const json& value_;
  std::string path_;
};

// Deepest nesting of [ and { outside strings; the scan stops early past the limit.
bool nesting_within(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// nlohmann's DOM built from SAX events, refusing duplicate keys on the way (the parser's own DOM
// keeps the last of them silently): each key is inserted where its value goes, and an insert that
// finds the key already there is the duplicate. Costs nothing beyond the DOM itself, unlike a
// parse callback (which copies every key into a json value) with a set of keys per object.
struct StrictDomBuilder {
  json* root = nullptr;
  std::vector<json*> open;  // the arrays and objects being filled, innermost last
  json* slot = nullptr;     // where the next value of the innermost object goes
  std::string duplicate;    // the first repeated key, if any
  std::string error;        // the parse error, if any

  json* put(json&& v) {
    if (open.empty()) {
      *root = std::move(v);
      return root;
    }
    json& top = *open.back();
    if (top.is_array()) {
      top.get_ref<json::array_t&>().push_back(std::move(v));
      return &top.get_ref<json::array_t&>().back();
    }
    *slot = std::move(v);
    return slot;
  }
  bool null() { return put(json(nullptr)), true; }
  bool boolean(bool b) { return put(json(b)), true; }
  bool number_integer(json::number_integer_t n) { return put(json(n)), true; }
  bool number_unsigned(json::number_unsigned_t n) { return put(json(n)), true; }
  bool number_float(json::number_float_t n, const std::string&) { return put(json(n)), true; }
  bool string(std::string& s) { return put(json(std::move(s))), true; }
  bool binary(json::binary_t& b) {  // never produced by JSON text; there for the SAX interface
    json v(json::value_t::binary);
    v.get_binary() = std::move(b);
    put(std::move(v));
    return true;
  }
  bool start_object(std::size_t) {
    open.push_back(put(json(json::value_t::object)));
    return true;
  }
  bool key(std::string& k) {
    auto [it, inserted] = open.back()->get_ref<json::object_t&>().try_emplace(std::move(k));
    if (!inserted && duplicate.empty()) duplicate = it->first;
    slot = &it->second;
    return true;
  }
  bool end_object() {
    open.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    open.push_back(put(json(json::value_t::array)));
    return true;
  }
  bool end_array() {
    open.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error = e.what();
    return false;
  }
};

Result<SignedChallenge> challenge_from_json(const json& v) {
  ObjectReader r(v, "challenge");
  ICN_CHECK(
      r.expect_members({"era", "scalerNodeId", "hyperNodeId", "nonce", "daemonTime", "signature"}));
  SignedChallenge out;
  ICN_TRY(out.challenge.era, r.u64("era"));
  ICN_TRY(out.challenge.scaler_node_id, r.u256("scalerNodeId"));
  ICN_TRY(out.challenge.hyper_node_id, r.u256("hyperNodeId"));
  ICN_TRY(out.challenge.nonce, r.bytes32("nonce"));
  ICN_TRY(out.challenge.daemon_time, r.u64("daemonTime"));
  ICN_TRY(out.signature, r.signature("signature"));
  return out;
}

Result<SignedChallengeResponse> response_from_json(const json& v) {
  ObjectReader r(v, "challenge response");
  ICN_CHECK(r.expect_members({"challengeHash", "hyperNodeTime", "signature"}));
  SignedChallengeResponse out;
  ICN_TRY(out.response.challenge_hash, r.bytes32("challengeHash"));
  ICN_TRY(out.response.hyper_node_time, r.u64("hyperNodeTime"));
  ICN_TRY(out.signature, r.signature("signature"));
  return out;
}

Result<SignedEraResult> era_result_from_json(const json& v) {
  ObjectReader r(v, "era result");
  ICN_CHECK(r.expect_members({"era", "resultsRoot", "dataRoot", "signature"}));
  SignedEraResult out;
  ICN_TRY(out.result.era, r.u64("era"));
  ICN_TRY(out.result.results_root, r.bytes32("resultsRoot"));
  ICN_TRY(out.result.data_root, r.bytes32("dataRoot"));
  ICN_TRY(out.signature, r.signature("signature"));
  return out;
}

Result<DaemonEntry> entry_from_json(const json& v, std::string path) {
  ObjectReader r(v, std::move(path));
  ICN_CHECK(r.expect_members({"hyperNodeId", "nonce", "daemonTime", "rttMs", "hyperNodeTime",
                              "daemonSignature", "hyperNodeSignature"}));
  DaemonEntry e;
  ICN_TRY(e.hyper_node_id, r.u256("hyperNodeId"));
  ICN_TRY(e.nonce, r.bytes32("nonce"));
  ICN_TRY(e.daemon_time, r.u64("daemonTime"));
  ICN_TRY(e.rtt_ms, r.u32("rttMs"));
  ICN_TRY(e.hyper_node_time, r.u64("hyperNodeTime"));
  ICN_TRY(e.daemon_signature, r.signature("daemonSignature"));
  ICN_TRY(e.hyper_node_signature, r.signature("hyperNodeSignature"));
  return e;
}

Status expect_kind(const ObjectReader& r, OriginatorKind kind) {
  ICN_TRY(uint8_t k, r.u8("originatorKind"));
  if (k != uint8_t(kind)) {
    return r.error("originatorKind", "expected " + std::to_string(int(kind)) + " (" +
                                         std::string(to_string(kind)) + "), got " +
                                         std::to_string(k));
  }
  return {};
}

template <typename T, typename F>
Result<T> decode_text(std::string_view text, const WireLimits& limits, F&& from_json) {
  ICN_TRY(json value, parse_strict_json(text, limits));
  return from_json(value);
}

}  // namespace

// ---- encoding ----

json to_json(const SignedChallenge& m) {
  return json{{"era", m.challenge.era},
              {"scalerNodeId", to_decimal(m.challenge.scaler_node_id)},
              {"hyperNodeId", to_decimal(m.challenge.hyper_node_id)},
              {"nonce", hex_of(m.challenge.nonce)},
              {"daemonTime", m.challenge.daemon_time},
              {"signature", hex_of(m.signature)}};
}

json to_json(const SignedChallengeResponse& m) {
  return json{{"challengeHash", hex_of(m.response.challenge_hash)},
              {"hyperNodeTime", m.response.hyper_node_time},
              {"signature", hex_of(m.signature)}};
}

json to_json(const SignedEraResult& m) {
  return json{{"era", m.result.era},
              {"resultsRoot", hex_of(m.result.results_root)},
              {"dataRoot", hex_of(m.result.data_root)},
              {"signature", hex_of(m.signature)}};
}

json to_json(const DaemonBatch& b) {
  json entries = json::array();
  for (const DaemonEntry& e : b.entries) entries.push_back(entry_json(e));
  return json{{"originatorKind", uint8_t(OriginatorKind::kScalerNode)},
              {"scalerNodeId", to_decimal(b.scaler_node_id)},
              {"version", b.version},
              {"era", b.era},
              {"entries", std::move(entries)},
              {"signature", hex_of(b.signature)}};
}

json to_json(const HyperNodeBatch& b) {
  json hashes = json::array();
  for (const Hash& h : b.challenge_hashes) hashes.push_back(hex_of(h));
  return json{{"originatorKind", uint8_t(OriginatorKind::kHyperNode)},
              {"hyperNodeId", to_decimal(b.hyper_node_id)},
              {"version", b.version},
              {"era", b.era},
              {"challengeHashes", std::move(hashes)},
              {"signature", hex_of(b.signature)}};
}

// nlohmann::json keeps object keys in a std::map, so dump() writes them in ascending byte order;
// the versions allowed are printable ASCII, so the only escapes are \" and \\.
std::string encode(const SignedChallenge& m) {
  return to_json(m).dump();
}
std::string encode(const SignedChallengeResponse& m) {
  return to_json(m).dump();
}
std::string encode(const SignedEraResult& m) {
  return to_json(m).dump();
}
namespace {

// The canonical text of a batch written straight into a string: byte for byte what
// to_json(b).dump() writes (members in ascending key order, no spaces), without building the DOM
// first, which was most of a satellite's cost of encoding a million entries.
class BatchWriter {
 public:
  explicit BatchWriter(size_t reserve) { out_.reserve(reserve); }
  BatchWriter& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  BatchWriter& key(std::string_view k) {  // "k":
    out_.push_back('"');
    out_.append(k);
    out_.append("\":");
    return *this;
  }
  BatchWriter& number(uint64_t n) {
    char buf[20];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out_.append(buf, end);
    return *this;
  }
  BatchWriter& decimal(const U256& n) {  // as a JSON string
    out_.push_back('"');
    if (n <= std::numeric_limits<uint64_t>::max()) {
      number(uint64_t(n));
    } else {
      out_.append(to_decimal(n));
    }
    out_.push_back('"');
    return *this;
  }
  BatchWriter& hex(ByteView bytes) {  // "0x…" lowercase
    static constexpr char kDigits[] = "0123456789abcdef";
    size_t at = out_.size();
    out_.resize(at + 4 + 2 * bytes.size());
    char* p = out_.data() + at;
    *p++ = '"';
    *p++ = '0';
    *p++ = 'x';
    for (uint8_t b : bytes) {
      *p++ = kDigits[b >> 4];
      *p++ = kDigits[b & 15];
    }
    *p = '"';
    return *this;
  }
  BatchWriter& signature(const Signature& s) { return hex(s.to_rsv65()); }
  BatchWriter& text(std::string_view s) {  // printable ASCII only (checked by the caller)
    out_.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out_.push_back('\\');
      out_.push_back(c);
    }
    out_.push_back('"');
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace

std::string encode(const DaemonBatch& b) {
  // Any other version is not valid on the wire; nlohmann's escaping stays the reference for it.
  if (!printable_ascii(b.version)) return to_json(b).dump();
  BatchWriter w(256 + b.entries.size() * 420);
  w.raw("{").key("entries").raw("[");
  for (size_t i = 0; i < b.entries.size(); ++i) {
    const DaemonEntry& e = b.entries[i];
    w.raw(i ? ",{" : "{");
    w.key("daemonSignature").signature(e.daemon_signature).raw(",");
    w.key("daemonTime").number(e.daemon_time).raw(",");
    w.key("hyperNodeId").decimal(e.hyper_node_id).raw(",");
    w.key("hyperNodeSignature").signature(e.hyper_node_signature).raw(",");
    w.key("hyperNodeTime").number(e.hyper_node_time).raw(",");
    w.key("nonce").hex(e.nonce).raw(",");
    w.key("rttMs").number(e.rtt_ms).raw("}");
  }
  w.raw("],").key("era").number(b.era).raw(",");
  w.key("originatorKind").number(uint8_t(OriginatorKind::kScalerNode)).raw(",");
  w.key("scalerNodeId").decimal(b.scaler_node_id).raw(",");
  w.key("signature").signature(b.signature).raw(",");
  w.key("version").text(b.version).raw("}");
  return w.take();
}
std::string encode(const HyperNodeBatch& b) {
  if (!printable_ascii(b.version)) return to_json(b).dump();
  BatchWriter w(256 + b.challenge_hashes.size() * 69);
  w.raw("{").key("challengeHashes").raw("[");
  for (size_t i = 0; i < b.challenge_hashes.size(); ++i) {
    if (i) w.raw(",");
    w.hex(b.challenge_hashes[i]);
  }
  w.raw("],").key("era").number(b.era).raw(",");
  w.key("hyperNodeId").decimal(b.hyper_node_id).raw(",");
  w.key("originatorKind").number(uint8_t(OriginatorKind::kHyperNode)).raw(",");
  w.key("signature").signature(b.signature).raw(",");
  w.key("version").text(b.version).raw("}");
  return w.take();
}

Hash batch_hash(const DaemonBatch& b) {
  return keccak256(std::string_view(encode(b)));
}
Hash batch_hash(const HyperNodeBatch& b) {
  return keccak256(std::string_view(encode(b)));
}
Hash batch_hash(const AnyBatch& b) {
  return std::visit([](const auto& x) { return batch_hash(x); }, b);
}

// ---- decoding ----

Result<json> parse_strict_json(std::string_view text, const WireLimits& limits) {
  if (text.size() > limits.max_text_bytes) {
    return fail("json: " + std::to_string(text.size()) + " bytes, more than the limit of " +
                std::to_string(limits.max_text_bytes));
  }
  if (!nesting_within(text, kMaxJsonDepth)) {
    return fail("json: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  StrictDomBuilder builder;
  json value;
  builder.root = &value;
  try {
    json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    return fail(std::string("json: ") + e.what());
  }
  if (!builder.error.empty()) return fail("json: " + builder.error);
  const std::string& duplicate = builder.duplicate;
  if (!duplicate.empty()) return fail("json: duplicate key \"" + duplicate.substr(0, 80) + "\"");
  return value;
}

Result<DaemonBatch> daemon_batch_from_json(const json& v, const WireLimits& limits) {
  ObjectReader r(v, "daemon batch");
  ICN_CHECK(r.expect_members(
      {"originatorKind", "scalerNodeId", "version", "era", "entries", "signature"}));
  ICN_CHECK(expect_kind(r, OriginatorKind::kScalerNode));
  DaemonBatch b;
  ICN_TRY(b.scaler_node_id, r.u256("scalerNodeId"));
  ICN_TRY(b.version, r.version("version", limits.max_version_bytes));
  ICN_TRY(b.era, r.u64("era"));
  ICN_TRY(const json* entries, r.array("entries", limits.max_daemon_entries));
  b.entries.reserve(entries->size());
  for (size_t i = 0; i < entries->size(); ++i) {
    std::string path = r.member_path("entries") + "[" + std::to_string(i) + "]";
    ICN_TRY(DaemonEntry e, entry_from_json((*entries)[i], path));
    if (i > 0 && !(b.entries.back().hyper_node_id < e.hyper_node_id)) {
      return fail(path + ": hyperNodeId " + to_decimal(e.hyper_node_id) +
                  " not above the previous entry's (entries are in strictly ascending "
                  "hyperNodeId order, one per HyperNode)");
    }
    b.entries.push_back(std::move(e));
  }
  ICN_TRY(b.signature, r.signature("signature"));
  return b;
}

Result<HyperNodeBatch> hypernode_batch_from_json(const json& v, const WireLimits& limits) {
  ObjectReader r(v, "hypernode batch");
  ICN_CHECK(r.expect_members(
      {"originatorKind", "hyperNodeId", "version", "era", "challengeHashes", "signature"}));
  ICN_CHECK(expect_kind(r, OriginatorKind::kHyperNode));
  HyperNodeBatch b;
  ICN_TRY(b.hyper_node_id, r.u256("hyperNodeId"));
  ICN_TRY(b.version, r.version("version", limits.max_version_bytes));
  ICN_TRY(b.era, r.u64("era"));
  ICN_TRY(const json* hashes, r.array("challengeHashes", limits.max_hypernode_entries));
  b.challenge_hashes.reserve(hashes->size());
  for (size_t i = 0; i < hashes->size(); ++i) {
    std::string name = "challengeHashes[" + std::to_string(i) + "]";
    const json& h = (*hashes)[i];
    if (!h.is_string()) {
      return r.error(name, "expected a 0x hex string, got " + ObjectReader::kind(h));
    }
    ICN_TRY(Hash hash, r.bytes32_text(name, h.get_ref<const std::string&>()));
    if (i > 0 && !(b.challenge_hashes.back() < hash)) {
      return r.error(name,
                     "not above the previous hash (challenge hashes are in strictly "
                     "ascending order, no duplicates)");
    }
    b.challenge_hashes.push_back(hash);
  }
  ICN_TRY(b.signature, r.signature("signature"));
  return b;
}

Result<SignedChallenge> decode_signed_challenge(std::string_view text, const WireLimits& limits) {
  return decode_text<SignedChallenge>(text, limits, challenge_from_json);
}

Result<SignedChallengeResponse> decode_signed_challenge_response(std::string_view text,
                                                                 const WireLimits& limits) {
  return decode_text<SignedChallengeResponse>(text, limits, response_from_json);
}

Result<SignedEraResult> decode_signed_era_result(std::string_view text, const WireLimits& limits) {
  return decode_text<SignedEraResult>(text, limits, era_result_from_json);
}

// The batch decoders read valid text directly (batch_json_reader); whatever it refuses goes
// through the DOM decoder, whose reason is the one reported (and which takes the valid text the
// direct reader leaves to it: escapes, a byte-order mark).
Result<DaemonBatch> decode_daemon_batch(std::string_view text, const WireLimits& limits) {
  if (auto direct = read_batch_json(text, limits)) {
    if (auto* b = std::get_if<DaemonBatch>(&*direct)) return std::move(*b);
  }
  return decode_text<DaemonBatch>(text, limits,
                                  [&](const json& v) { return daemon_batch_from_json(v, limits); });
}

Result<HyperNodeBatch> decode_hypernode_batch(std::string_view text, const WireLimits& limits) {
  if (auto direct = read_batch_json(text, limits)) {
    if (auto* b = std::get_if<HyperNodeBatch>(&*direct)) return std::move(*b);
  }
  return decode_text<HyperNodeBatch>(
      text, limits, [&](const json& v) { return hypernode_batch_from_json(v, limits); });
}

Result<AnyBatch> decode_batch(std::string_view text, const WireLimits& limits) {
  if (auto direct = read_batch_json(text, limits)) return std::move(*direct);
  ICN_TRY(json value, parse_strict_json(text, limits));
  if (!value.is_object())
    return fail("batch: expected an object, got " + std::string(value.type_name()));
  auto kind = value.find("originatorKind");
  if (kind == value.end()) return fail("batch: missing field \"originatorKind\"");
  if (*kind == json(1)) {
    ICN_TRY(DaemonBatch b, daemon_batch_from_json(value, limits));
    return AnyBatch(std::move(b));
  }
  if (*kind == json(2)) {
    ICN_TRY(HyperNodeBatch b, hypernode_batch_from_json(value, limits));
    return AnyBatch(std::move(b));
  }
  return fail("batch.originatorKind: expected 1 (scalerNode) or 2 (hyperNode), got " +
              kind->dump().substr(0, 80));
}

}  // namespace icn::protocol
