// Private-key files: plain hex for devnets, Web3 Secret Storage v3 keystores for everything else.
#include "icn/infra/key_file.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "icn/core/keystore.hpp"
#include "icn/infra/files.hpp"

namespace icn::infra {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(uint8_t(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(uint8_t(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<PrivateKey> load_private_key(const std::filesystem::path& path,
                                    const std::optional<std::string>& password) {
  const std::string where = "key file " + path.string();
  ICN_TRY_CTX(std::string content, read_file(path, 1 << 20), where);
  std::string_view text = trim(content);
  if (text.starts_with("{")) {
    if (!password) {
      return fail(where +
                  ": is a keystore; give its password (--password-file or "
                  "ICN_KEYSTORE_PASSWORD)");
    }
    ICN_TRY_CTX(FixedBytes<32> secret, keystore::decrypt(text, *password), where);
    return PrivateKey::from_bytes(secret);
  }
  if (!text.starts_with("0x") && !text.starts_with("0X")) {
    return fail(where + ": expected a 0x-hex private key or a keystore JSON file");
  }
  ICN_TRY_CTX(PrivateKey key, PrivateKey::from_hex(text), where);
  return key;
}

Status random_bytes(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::string("getrandom: ") + std::strerror(errno));
    }
    done += size_t(n);
  }
  return {};
}

Result<PrivateKey> generate_private_key() {
  FixedBytes<32> secret;
  // A uniformly random 32-byte string is a valid key except with probability ~2^-128; retry then.
  for (int attempt = 0; attempt < 8; ++attempt) {
    ICN_CHECK(random_bytes(secret));
    if (auto key = PrivateKey::from_bytes(secret)) return key;
  }
  return fail("could not draw a valid private key");
}

Result<std::string> encrypt_keystore(const PrivateKey& key, std::string_view password,
                                     const keystore::ScryptParams& scrypt) {
  keystore::EncryptParams params;
  ICN_CHECK(random_bytes(params.salt));
  ICN_CHECK(random_bytes(params.iv));
  ICN_CHECK(random_bytes(params.uuid));
  params.scrypt = scrypt;
  params.address = key.address();
  return keystore::encrypt(key.expose_secret(), password, params);
}

}  // namespace icn::infra
