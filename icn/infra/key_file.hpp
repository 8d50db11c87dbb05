// Loading an operator's private key from disk: a 0x-hex key file or a Web3 Secret Storage keystore.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "icn/core/keystore.hpp"
#include "icn/core/secp256k1.hpp"

namespace icn::infra {

// A file whose content starts with '{' is a keystore and needs `password`; anything else must be
// one 0x-hex private key (surrounding whitespace ignored). Errors name the file, never the key.
Result<PrivateKey> load_private_key(const std::filesystem::path& path,
                                    const std::optional<std::string>& password = std::nullopt);

// Fills `out` from the kernel's CSPRNG (getrandom).
Status random_bytes(std::span<uint8_t> out);

// A fresh key from the kernel's CSPRNG.
Result<PrivateKey> generate_private_key();

// A keystore for `key` with fresh salt, iv and uuid (geth's "standard" scrypt cost by default).
Result<std::string> encrypt_keystore(
    const PrivateKey& key, std::string_view password,
    const keystore::ScryptParams& scrypt = keystore::ScryptParams::standard());

}  // namespace icn::infra
