// The genesis file of a deployment (TOML): the protocol's initial parameters, committee, allocation
// beneficiaries and catalogue (regions, hardware classes, clusters), strictly parsed and checked.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::deploy {

// An account the genesis names: an address, the deploying account, or a protocol contract by its
// deployment name ("RewardsReserve"), whose address is only known once it is deployed.
struct GenesisAccount {
  enum class Kind { kAddress, kDeployer, kContract };
  Kind kind = Kind::kDeployer;
  Address address;       // kAddress
  std::string contract;  // kContract
};

// The Vesting allocation categories, in the contract's enum order.
inline constexpr std::array<std::string_view, 7> kAllocationCategories = {
    "team", "investors", "dev_co", "eco_dev", "partners", "node_sale", "rewards_reserve"};

// Rules of the file (see deploy/genesis/devnet.toml):
// - Every section and key below is required except chain.chain_id; an unknown key is an error
//   naming its path ("settlement.comittee").
// - Token amounts are strings: "2.8" is 2.8 ICNT (at most 18 decimals), "2800000000000000000 wei"
//   is base units. Bare TOML numbers are refused for amounts, so a unit is never guessed.
// - Percentages are strings with a % sign ("25%", "2.5%"), stored as 1e18 fixed point.
// - Durations are integers in seconds; "now" (tge, start_block, reward_start) is the chain's latest
//   block at deploy time.
struct Genesis {
  struct Chain {
    std::optional<uint64_t> chain_id;     // when set, deploying to any other chain is refused
    uint64_t era_blocks = 0;              // EraManager duration: 1 … 1,000,000
    std::optional<uint64_t> start_block;  // nullopt: "now"
    uint64_t first_era = 0;               // the first era the committee commits (Settlement)
  } chain;

  struct Allocations {
    std::optional<uint64_t> tge;  // nullopt: "now"
    std::array<GenesisAccount, kAllocationCategories.size()> beneficiaries;
  } allocations;

  struct Settlement {
    std::vector<Address> committee;     // 1 … 16 distinct addresses
    uint64_t threshold = 0;             // 1 … committee size
    uint64_t hp_claim_delay_eras = 0;   // eras a node leaf waits before it pays, ≤ 1,051,200
    uint64_t link_claim_wait_eras = 0;  // eras a Link leaf waits before it pays, ≤ 1,051,200
    uint64_t eras_per_30_days = 0;      // 1 … 2,592,000
    uint64_t max_maintenance_eras = 0;
  } settlement;

  struct Market {
    uint64_t era_seconds = 0;           // 1 … 86,400
    uint64_t min_booking_duration = 0;  // seconds, 1 … 180 days
    U256 burn_share = 0;                // 1e18 fixed point percent, ≤ 50 %
  } market;

  struct Links {
    uint64_t min_staking_period = 0;  // seconds, ≤ 180 days
    uint64_t unstaking_delay_eras = 0;
    std::optional<uint64_t> reward_start;  // RewardPolicy's linkRewardStart; nullopt: "now"
  } links;

  struct Region {
    std::string code;  // "EUW"
  };
  std::vector<Region> regions;

  // Registry's RegionClassEconomics for one region the class is enabled in.
  struct ClassEconomics {
    std::string region;
    U256 collateral_req_per_unit = 0;  // ICNT base units per capacity unit
    U256 target_capacity = 0;          // capacity units
    uint64_t release_schedule = 0;     // seconds
    U256 maximum_bootstrap_release = 0;
    U256 protocol_margin = 0;  // 1e18 fixed point percent
  };
  // Registry's HardwareClassSpec and where it is enabled.
  struct HardwareClass {
    std::string name;  // "storage-s1"
    std::string unit;  // "TB"
    uint32_t storage_tb_per_unit = 0, vcpus = 0, ram_gb = 0, disks = 0, disk_tb = 0, nic_gbps = 0;
    std::vector<ClassEconomics> regions;
  };
  std::vector<HardwareClass> classes;

  struct Cluster {
    std::string region;
    std::string hardware_class;
    std::string name;    // "FRA-1"
    U256 max_price = 0;  // ICNT base units per capacity unit per 30-day month
  };
  std::vector<Cluster> clusters;
};

// Parses and checks a genesis file. `contract_names` are the names a GenesisAccount may use.
// Errors name the key path and line: "genesis: settlement.threshold (line 14): 4 is more than the
// committee's 3 members".
Result<Genesis> parse_genesis(std::string_view toml_text,
                              const std::vector<std::string>& contract_names);

// "2.8" → 2.8e18; "5 wei" → 5. Refuses more than 18 decimals, signs, exponents, empty parts.
Result<U256> parse_token_amount(std::string_view text);
// "25%" → 25e18; "2.5%" → 2.5e18.
Result<U256> parse_percent(std::string_view text);

}  // namespace icn::deploy
