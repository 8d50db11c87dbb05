// Test helpers shared by the indexer's tests: protocol events made by hand, as the follower would
// deliver them (block hashes per fork, so a test can stage a reorg).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "icn/indexer/store.hpp"

namespace icn::indexer::testing {

inline Hash hash_of(uint64_t n, uint8_t fork = 0) {
  Hash h{};
  h[31] = uint8_t(n);
  h[30] = fork;
  return h;
}

inline IndexedEvent event(uint64_t block, uint64_t index, std::string contract, std::string name,
                          nlohmann::json args, uint8_t fork = 0) {
  IndexedEvent e;
  e.block_number = block;
  e.block_hash = hash_of(block, fork);
  e.tx_hash = hash_of(block * 100 + index, 0xaa);
  e.log_index = index;
  e.contract = std::move(contract);
  e.event = std::move(name);
  e.args = std::move(args);
  return e;
}

}  // namespace icn::indexer::testing
