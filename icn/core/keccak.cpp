// Keccak-256 through Crypto++ (Keccak_256: Ethereum's variant; SHA3_256 is a different hash).
#include "icn/core/keccak.hpp"

#include <cryptopp/keccak.h>

namespace icn {

struct Keccak256::State {
  CryptoPP::Keccak_256 hash;
};

Keccak256::Keccak256() : state_(std::make_unique<State>()) {}
Keccak256::~Keccak256() = default;
Keccak256::Keccak256(Keccak256&&) noexcept = default;
Keccak256& Keccak256::operator=(Keccak256&&) noexcept = default;

void Keccak256::update(ByteView data) {
  state_->hash.Update(data.data(), data.size());
}

Hash Keccak256::finish() {
  Hash out;
  state_->hash.Final(out.data());
  return out;
}

Hash keccak256(ByteView data) {
  CryptoPP::Keccak_256 hash;
  Hash out;
  hash.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

}  // namespace icn
