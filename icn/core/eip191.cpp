// EIP-191 personal messages: the prefix is hashed together with the message, never stored.
#include "icn/core/eip191.hpp"

#include "icn/core/keccak.hpp"

namespace icn {

Hash eip191_message_hash(ByteView message) {
  Keccak256 hash;
  hash.update(
      as_view("\x19"
              "Ethereum Signed Message:\n"));
  hash.update(as_view(std::to_string(message.size())));
  hash.update(message);
  return hash.finish();
}

Signature sign_message(const PrivateKey& key, ByteView message) {
  return sign_hash(key, eip191_message_hash(message));
}

Result<Address> recover_message_signer(ByteView message, const Signature& sig) {
  return recover_address(eip191_message_hash(message), sig);
}

}  // namespace icn
