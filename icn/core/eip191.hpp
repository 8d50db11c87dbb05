// EIP-191 version 0x45 "personal_sign" messages: hashing, signing and recovering the signer.
#pragma once

#include "icn/core/secp256k1.hpp"

namespace icn {

// keccak256("\x19Ethereum Signed Message:\n" + decimal length of message + message), as
// eth_sign, personal_sign, `cast wallet sign` and OpenZeppelin's toEthSignedMessageHash compute it.
Hash eip191_message_hash(ByteView message);

Signature sign_message(const PrivateKey& key, ByteView message);
Result<Address> recover_message_signer(ByteView message, const Signature& sig);

}  // namespace icn
