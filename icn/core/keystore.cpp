// Web3 Secret Storage v3 through Crypto++ (scrypt, PBKDF2-HMAC-SHA256, AES-128-CTR).
#include "icn/core/keystore.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/misc.h>
#include <cryptopp/modes.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/secblock.h>
#include <cryptopp/sha.h>

#include <nlohmann/json.hpp>

#include "icn/core/keccak.hpp"
#include "icn/core/u256.hpp"

namespace icn::keystore {
namespace {

using nlohmann::json;

constexpr size_t kDerivedKeyBytes = 32;

struct Kdf {
  enum class Kind { kScrypt, kPbkdf2 } kind;
  ScryptParams scrypt;
  uint32_t iterations = 0;  // pbkdf2 c
  Bytes salt;
};

// Hex fields are bare digits in geth's files; ethers also writes and reads them 0x-prefixed.
Result<Bytes> hex_field(const json& parent, const char* key, std::string_view where) {
  auto it = parent.find(key);
  if (it == parent.end()) return fail("keystore: missing " + std::string(where));
  if (!it->is_string()) return fail("keystore: " + std::string(where) + " must be a hex string");
  std::string_view text = it->get_ref<const std::string&>();
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  ICN_TRY_CTX(Bytes out, parse_hex_digits(text), "keystore: " + std::string(where));
  return out;
}

Result<uint64_t> uint_field(const json& parent, const char* key, std::string_view where) {
  auto it = parent.find(key);
  if (it == parent.end()) return fail("keystore: missing " + std::string(where));
  if (!it->is_number_unsigned()) {
    return fail("keystore: " + std::string(where) + " must be a non-negative integer");
  }
  return it->get<uint64_t>();
}

Result<std::string> string_field(const json& parent, const char* key, std::string_view where) {
  auto it = parent.find(key);
  if (it == parent.end()) return fail("keystore: missing " + std::string(where));
  if (!it->is_string()) return fail("keystore: " + std::string(where) + " must be a string");
  return it->get<std::string>();
}

Status check_scrypt(const ScryptParams& s) {
  if (s.n < 2 || (s.n & (s.n - 1)) != 0) {
    return fail("keystore: scrypt n must be a power of 2 greater than 1, got " +
                std::to_string(s.n));
  }
  if (s.n > kMaxScryptN) {
    return fail("keystore: scrypt n " + std::to_string(s.n) + " exceeds the limit " +
                std::to_string(kMaxScryptN));
  }
  if (s.r < 1 || s.p < 1) return fail("keystore: scrypt r and p must be at least 1");
  // n <= 2^22 and r < 2^32, so neither product overflows 64 bits.
  if (128 * s.n * s.r > kMaxScryptMemory) {
    return fail("keystore: scrypt memory 128*n*r = " + std::to_string(128 * s.n * s.r) +
                " bytes exceeds the limit of " + std::to_string(kMaxScryptMemory));
  }
  if (s.n * s.r > kMaxScryptWork / s.p) {
    return fail("keystore: scrypt cost n*r*p exceeds the limit of " +
                std::to_string(kMaxScryptWork));
  }
  return {};
}

Result<Kdf> parse_kdf(const json& crypto) {
  ICN_TRY(std::string name, string_field(crypto, "kdf", "crypto.kdf"));
  auto params_it = crypto.find("kdfparams");
  if (params_it == crypto.end() || !params_it->is_object()) {
    return fail("keystore: crypto.kdfparams must be an object");
  }
  const json& params = *params_it;
  Kdf kdf;
  ICN_TRY(uint64_t dklen, uint_field(params, "dklen", "kdfparams.dklen"));
  if (dklen != kDerivedKeyBytes) {
    return fail("keystore: kdfparams.dklen must be 32, got " + std::to_string(dklen));
  }
  ICN_TRY(kdf.salt, hex_field(params, "salt", "kdfparams.salt"));
  if (kdf.salt.empty() || kdf.salt.size() > kMaxSaltBytes) {
    return fail("keystore: kdfparams.salt must be 1 to " + std::to_string(kMaxSaltBytes) +
                " bytes, got " + std::to_string(kdf.salt.size()));
  }
  if (name == "scrypt") {
    kdf.kind = Kdf::Kind::kScrypt;
    ICN_TRY(uint64_t n, uint_field(params, "n", "kdfparams.n"));
    ICN_TRY(uint64_t r, uint_field(params, "r", "kdfparams.r"));
    ICN_TRY(uint64_t p, uint_field(params, "p", "kdfparams.p"));
    if (r > UINT32_MAX || p > UINT32_MAX) return fail("keystore: scrypt r or p is absurdly large");
    kdf.scrypt = {.n = n, .r = uint32_t(r), .p = uint32_t(p)};
    ICN_CHECK(check_scrypt(kdf.scrypt));
    return kdf;
  }
  if (name == "pbkdf2") {
    kdf.kind = Kdf::Kind::kPbkdf2;
    ICN_TRY(std::string prf, string_field(params, "prf", "kdfparams.prf"));
    if (prf != "hmac-sha256") {
      return fail("keystore: unsupported pbkdf2 prf '" + prf + "' (only hmac-sha256)");
    }
    ICN_TRY(uint64_t c, uint_field(params, "c", "kdfparams.c"));
    if (c < 1 || c > kMaxPbkdf2Iterations) {
      return fail("keystore: pbkdf2 iteration count " + std::to_string(c) + " outside 1.." +
                  std::to_string(kMaxPbkdf2Iterations));
    }
    kdf.iterations = uint32_t(c);
    return kdf;
  }
  return fail("keystore: unsupported kdf '" + name + "' (expected scrypt or pbkdf2)");
}

CryptoPP::SecByteBlock derive_key(const Kdf& kdf, std::string_view password) {
  CryptoPP::SecByteBlock key(kDerivedKeyBytes);
  static const uint8_t kEmpty = 0;  // Crypto++ wants a valid pointer even for an empty password
  const auto* secret =
      password.empty() ? &kEmpty : reinterpret_cast<const uint8_t*>(password.data());
  if (kdf.kind == Kdf::Kind::kScrypt) {
    CryptoPP::Scrypt scrypt;
    scrypt.DeriveKey(key.data(), key.size(), secret, password.size(), kdf.salt.data(),
                     kdf.salt.size(), kdf.scrypt.n, kdf.scrypt.r, kdf.scrypt.p);
  } else {
    CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA256> pbkdf2;
    pbkdf2.DeriveKey(key.data(), key.size(), 0, secret, password.size(), kdf.salt.data(),
                     kdf.salt.size(), kdf.iterations);
  }
  return key;
}

Hash mac_of(const CryptoPP::SecByteBlock& derived, ByteView ciphertext) {
  Keccak256 mac;
  mac.update(ByteView(derived.data() + 16, 16));
  mac.update(ciphertext);
  return mac.finish();
}

void aes_128_ctr(const CryptoPP::SecByteBlock& derived, ByteView iv, ByteView in, uint8_t* out) {
  // CTR is symmetric: the same transform encrypts and decrypts.
  CryptoPP::CTR_Mode<CryptoPP::AES>::Encryption ctr;
  ctr.SetKeyWithIV(derived.data(), 16, iv.data(), iv.size());
  ctr.ProcessData(out, in.data(), in.size());
}

// secp256k1's group order: a private key must lie in [1, n).
const U256& curve_order() {
  static const U256 n =
      parse_u256("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").value();
  return n;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = s[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

Result<FixedBytes<32>> decrypt_document(const json& doc, std::string_view password) {
  if (!doc.is_object()) return fail("keystore: file must be a JSON object");
  auto version = doc.find("version");
  if (version == doc.end()) return fail("keystore: missing version");
  if (!version->is_number_integer() || version->get<int64_t>() != 3) {
    return fail("keystore: unsupported version " + version->dump() + " (expected 3)");
  }
  if (auto id = doc.find("id"); id != doc.end()) {
    if (!id->is_string() || !is_uuid(id->get_ref<const std::string&>())) {
      return fail("keystore: id must be a UUID string");
    }
  }
  if (auto address = doc.find("address"); address != doc.end()) {
    if (!address->is_string()) return fail("keystore: address must be a hex string");
    std::string_view digits = address->get_ref<const std::string&>();
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    auto raw = parse_hex_digits(digits);
    if (!raw || raw->size() != 20) return fail("keystore: address must be 20 bytes of hex");
  }
  // Go's JSON decoding matches keys case-insensitively, so geth reads the "Crypto" some old
  // wallets wrote.
  auto crypto_it = doc.find("crypto");
  if (crypto_it == doc.end()) crypto_it = doc.find("Crypto");
  if (crypto_it == doc.end() || !crypto_it->is_object()) {
    return fail("keystore: crypto must be an object");
  }
  const json& crypto = *crypto_it;

  ICN_TRY(std::string cipher, string_field(crypto, "cipher", "crypto.cipher"));
  if (cipher != "aes-128-ctr") {
    return fail("keystore: unsupported cipher '" + cipher + "' (expected aes-128-ctr)");
  }
  auto cipherparams = crypto.find("cipherparams");
  if (cipherparams == crypto.end() || !cipherparams->is_object()) {
    return fail("keystore: crypto.cipherparams must be an object");
  }
  ICN_TRY(Bytes iv, hex_field(*cipherparams, "iv", "cipherparams.iv"));
  if (iv.size() != 16) {
    return fail("keystore: cipherparams.iv must be 16 bytes, got " + std::to_string(iv.size()));
  }
  ICN_TRY(Bytes ciphertext, hex_field(crypto, "ciphertext", "crypto.ciphertext"));
  // geth reads keys that old writers stored without their leading zero bytes (its "31_byte_key"
  // vectors) and pads them back on the left.
  if (ciphertext.empty() || ciphertext.size() > 32) {
    return fail("keystore: crypto.ciphertext must be 32 bytes, got " +
                std::to_string(ciphertext.size()));
  }
  ICN_TRY(Bytes mac, hex_field(crypto, "mac", "crypto.mac"));
  if (mac.size() != 32) {
    return fail("keystore: crypto.mac must be 32 bytes, got " + std::to_string(mac.size()));
  }
  ICN_TRY(Kdf kdf, parse_kdf(crypto));

  CryptoPP::SecByteBlock derived = derive_key(kdf, password);
  Hash expected = mac_of(derived, ciphertext);
  if (!CryptoPP::VerifyBufsEqual(expected.data(), mac.data(), mac.size())) {
    return fail("keystore: wrong password or corrupted file (MAC mismatch)");
  }
  FixedBytes<32> key{};
  aes_128_ctr(derived, iv, ciphertext, key.data() + (32 - ciphertext.size()));
  U256 scalar = u256_from_be(key);
  if (scalar == 0 || scalar >= curve_order()) {
    return fail("keystore: decrypted key is not a valid secp256k1 private key");
  }
  return key;
}

std::string format_uuid(FixedBytes<16> b) {
  b[6] = uint8_t((b[6] & 0x0f) | 0x40);  // version 4 (random)
  b[8] = uint8_t((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = to_hex_digits(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

Result<FixedBytes<32>> decrypt(std::string_view keystore_json, std::string_view password) {
  try {
    json doc = json::parse(keystore_json);
    return decrypt_document(doc, password);
  } catch (const json::parse_error& e) {
    return fail(std::string("keystore: invalid JSON: ") + e.what());
  } catch (const std::exception& e) {
    return fail(std::string("keystore: ") + e.what());
  }
}

Result<std::string> encrypt(const FixedBytes<32>& private_key, std::string_view password,
                            const EncryptParams& params) {
  ICN_CHECK(check_scrypt(params.scrypt));
  try {
    Kdf kdf{.kind = Kdf::Kind::kScrypt,
            .scrypt = params.scrypt,
            .salt = Bytes(params.salt.begin(), params.salt.end())};
    CryptoPP::SecByteBlock derived = derive_key(kdf, password);
    Bytes ciphertext(32);
    aes_128_ctr(derived, params.iv, private_key, ciphertext.data());
    json doc = {{"crypto",
                 {{"cipher", "aes-128-ctr"},
                  {"cipherparams", {{"iv", to_hex_digits(params.iv)}}},
                  {"ciphertext", to_hex_digits(ciphertext)},
                  {"kdf", "scrypt"},
                  {"kdfparams",
                   {{"dklen", kDerivedKeyBytes},
                    {"n", params.scrypt.n},
                    {"r", params.scrypt.r},
                    {"p", params.scrypt.p},
                    {"salt", to_hex_digits(params.salt)}}},
                  {"mac", to_hex_digits(mac_of(derived, ciphertext))}}},
                {"id", format_uuid(params.uuid)},
                {"version", 3}};
    if (params.address) doc["address"] = to_hex_digits(params.address->bytes);
    return doc.dump();
  } catch (const std::exception& e) {
    return fail(std::string("keystore: ") + e.what());
  }
}

}  // namespace icn::keystore
