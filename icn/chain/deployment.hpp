// The deployment file (deployment.json) every role reads: chain, deploy block, deployer, the
// protocol's contract addresses by name and the genesis it was deployed with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"

namespace icn::chain {

// Bumped when a reader would misread a file of the previous format.
inline constexpr std::string_view kDeploymentFormat = "icn-deployment/1";

struct Deployment {
  uint64_t chain_id = 0;
  uint64_t deploy_block = 0;  // block of the first deployment transaction: where indexers start
  Address deployer;
  Hash genesis_keccak{};                                   // keccak256 of the genesis file's bytes
  std::string icn_version;                                 // the `icn` that deployed it
  std::vector<std::pair<std::string, Address>> contracts;  // in deployment order

  std::optional<Address> address_of(std::string_view name) const;

  // Pretty-printed JSON with a trailing newline; addresses EIP-55 checksummed.
  std::string to_json() const;
  // Strict: format must be kDeploymentFormat, every field present and well-typed.
  static Result<Deployment> parse(std::string_view json_text);
};

}  // namespace icn::chain
