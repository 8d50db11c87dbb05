// Deterministic random inputs for conformance tests: ABI types and values in cast's text syntax,
// byte strings and keys. Same seed, same cases, on every machine (no std distributions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace icn::test {

// splitmix64: tiny, fast, and identical across standard libraries.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next();
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }  // [0, n)
  bool chance(unsigned percent) { return below(100) < percent; }
  std::string hex_bytes(size_t n);  // "0x" + 2n lowercase digits

 private:
  uint64_t state_;
};

// A random ABI type as a canonical string ("(uint64,bytes[2])[]"), nesting at most `depth` deep.
std::string random_abi_type(Rng& rng, int depth = 2);

// Splits a canonical tuple's member list "(a,(b,c)[],d)" into its top-level members.
std::vector<std::string> tuple_members(const std::string& tuple);

struct ValueTextOptions {
  bool inside_composite = false;  // strings there must be non-empty and free of , [ ] ( ) "
};
// A random value of `type` written as cast takes it on the command line.
std::string random_abi_value(Rng& rng, const std::string& type, ValueTextOptions options = {});

// A valid secp256k1 private key (below the curve order) as 0x-hex.
std::string random_private_key(Rng& rng);

// A random Ethereum address, lowercase hex.
std::string random_address(Rng& rng);

// A random unsigned decimal with up to `bits` bits (small, word-sized and full-width values).
std::string random_uint_decimal(Rng& rng, unsigned bits);

}  // namespace icn::test
