// Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256).
#pragma once

#include <memory>

#include "icn/core/bytes.hpp"

namespace icn {

Hash keccak256(ByteView data);
inline Hash keccak256(std::string_view text) {
  return keccak256(as_view(text));
}

// Incremental hashing for data that arrives in pieces.
class Keccak256 {
 public:
  Keccak256();
  ~Keccak256();
  Keccak256(Keccak256&&) noexcept;
  Keccak256& operator=(Keccak256&&) noexcept;
  void update(ByteView data);
  Hash finish();  // resets the state

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace icn
