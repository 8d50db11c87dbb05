// Loading an operator's private key from disk: a 0x-hex key file or a Web3 Secret Storage keystore.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "icn/core/secp256k1.hpp"

namespace icn::infra {

// A file whose content starts with '{' is a keystore and needs `password`; anything else must be
// one 0x-hex private key (surrounding whitespace ignored). Errors name the file, never the key.
Result<PrivateKey> load_private_key(const std::filesystem::path& path,
                                    const std::optional<std::string>& password = std::nullopt);

}  // namespace icn::infra
