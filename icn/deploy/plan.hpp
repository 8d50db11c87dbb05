// The protocol's deployment as data: which contracts, with which constructor arguments, and which
// wiring and genesis transactions follow, each with the view calls that verify it. plan.cpp holds
// the tables; deployer.cpp runs them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "icn/core/abi_value.hpp"
#include "icn/deploy/genesis.hpp"

namespace icn::deploy {

// Where an argument's value comes from when the plan runs.
struct Source {
  enum class Kind {
    kDeployer,  // the deploying account
    kContract,  // a contract of this deployment, by name
    kParam,     // a genesis value by key ("settlement.committee"; see genesis_params)
    kView,      // a no-argument view of a deployed contract ("Registry", "PROTOCOL_ROLE")
    kLiteral,   // a value known when the plan is built
  };
  Kind kind = Kind::kLiteral;
  std::string name;      // contract name or parameter key
  std::string function;  // kView
  abi::Value literal;    // kLiteral

  std::string describe() const;  // "Collateral", "settlement.threshold", "Registry.PROTOCOL_ROLE"
};

Source deployer();
Source contract(std::string name);
Source param(std::string key);
Source view(std::string contract, std::string function);
Source literal(abi::Value value);

// A contract of the protocol. Either deployed from artifacts/<artifact>.json with
// `constructor_args`, or created by another contract's constructor and found through `created_by`
// (a view returning its address).
struct ContractSpec {
  std::string name;  // its key in deployment.json
  std::string artifact;
  std::vector<Source> constructor_args;
  std::optional<Source> created_by;
};

// One read-back: `view(args…)` on `contract`, whose output at `path` (output index, then tuple or
// array component indexes) must equal `expected`.
struct Expectation {
  std::vector<size_t> path;
  Source expected;
};
struct Check {
  std::string contract;
  std::string view;
  std::vector<Source> args;
  std::vector<Expectation> expect;
};

// One transaction: `function(args…)` on `contract`. Steps of one phase do not depend on each other
// and are sent back to back; a phase starts once the previous one is mined.
struct Step {
  int phase = 0;
  std::string label;  // progress and errors: "wiring: Registry grants PROTOCOL_ROLE to Collateral"
  std::string contract;
  std::string function;  // a name or signature the contract's ABI resolves
  std::vector<Source> args;
  std::vector<Check> checks;
};

struct Plan {
  std::vector<ContractSpec> contracts;
  std::vector<Step> steps;
};

// Genesis values by key, "now" resolved from the chain's latest block: what kParam sources read.
using Params = std::map<std::string, abi::Value>;
struct ChainNow {
  uint64_t block = 0;
  uint64_t timestamp = 0;
};
Params genesis_params(const Genesis& genesis, const Address& deployer, const ChainNow& now);

// Names a genesis may use for a beneficiary (the contracts of the plan).
std::vector<std::string> contract_names();

// The whole deployment for a genesis: the contract table, the wiring table, the parameter table,
// the Vesting handovers and the catalogue (regions, classes, clusters).
Plan protocol_plan(const Genesis& genesis);

}  // namespace icn::deploy
