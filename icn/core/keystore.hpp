// Web3 Secret Storage v3 keystore files (geth, cast, ethers): password-encrypted private keys.
// Core takes the randomness (salt, iv, uuid) from the caller, so encryption stays deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"

namespace icn::keystore {

// Limits checked before any key derivation, so a hostile file cannot make us allocate gigabytes
// or spin for minutes. geth's "standard" scrypt (n=2^18, r=8, p=1) is 256 MiB and well inside.
inline constexpr uint64_t kMaxScryptN = uint64_t(1) << 22;
inline constexpr uint64_t kMaxScryptMemory = uint64_t(1) << 30;  // 128 * n * r bytes
inline constexpr uint64_t kMaxScryptWork = uint64_t(1) << 25;    // n * r * p
inline constexpr uint64_t kMaxPbkdf2Iterations = 10'000'000;
inline constexpr size_t kMaxSaltBytes = 1024;

struct ScryptParams {
  uint64_t n = 262144;
  uint32_t r = 8;
  uint32_t p = 1;

  // geth's StandardScryptN/P: about a second and 256 MiB per unlock.
  static ScryptParams standard() { return {}; }
  // geth's LightScryptN/P: cheap enough for tests and throwaway keys.
  static ScryptParams light() { return {.n = 4096, .r = 8, .p = 6}; }
};

// Everything encrypt needs besides the key and password; the random fields come from the caller.
struct EncryptParams {
  FixedBytes<32> salt{};
  FixedBytes<16> iv{};
  // Random bytes for the file's "id"; the version (4) and variant bits are set over them.
  FixedBytes<16> uuid{};
  ScryptParams scrypt;
  // Written as "address" (lowercase hex without 0x, as geth does) when given. Core cannot derive
  // it from the key, so the caller passes it; cast and geth read files without it too.
  std::optional<Address> address;
};

// Decrypts a v3 keystore: kdf scrypt or pbkdf2 (hmac-sha256), cipher aes-128-ctr. The MAC,
// keccak256(derivedKey[16..32] || ciphertext), is checked before decrypting; a wrong password
// shows up as "keystore: wrong password or corrupted file (MAC mismatch)".
Result<FixedBytes<32>> decrypt(std::string_view keystore_json, std::string_view password);

// A v3 keystore with scrypt and aes-128-ctr, compact JSON with sorted keys (geth's layout). Fails
// only if the scrypt parameters are outside the limits decrypt accepts.
Result<std::string> encrypt(const FixedBytes<32>& private_key, std::string_view password,
                            const EncryptParams& params);

}  // namespace icn::keystore
