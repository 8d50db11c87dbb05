// Private-key files: plain hex for devnets, Web3 Secret Storage v3 keystores for everything else.
#include "icn/infra/key_file.hpp"

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
    return fail(where + ": keystore files are not supported yet");
  }
  if (!text.starts_with("0x") && !text.starts_with("0X")) {
    return fail(where + ": expected a 0x-hex private key or a keystore JSON file");
  }
  ICN_TRY_CTX(PrivateKey key, PrivateKey::from_hex(text), where);
  return key;
}

}  // namespace icn::infra
