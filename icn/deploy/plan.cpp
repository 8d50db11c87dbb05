// The protocol's deployment tables (docs/contracts/README.md, DESIGN §4): edit here when the
// contracts' constructors or wiring change. ABIs come from the artifacts; names here are resolved
// against them when the plan runs, so a renamed function fails before anything is sent.
#include "icn/deploy/plan.hpp"

namespace icn::deploy {

std::string Source::describe() const {
  switch (kind) {
    case Kind::kDeployer:
      return "deployer";
    case Kind::kContract:
    case Kind::kParam:
      return name;
    case Kind::kView:
      return name + "." + function;
    case Kind::kLiteral:
      break;
  }
  if (const auto* s = literal.get_if<std::string>()) return *s;
  if (const auto* u = literal.get_if<U256>()) return to_decimal(*u);
  return "value";
}

Source deployer() {
  return {Source::Kind::kDeployer, {}, {}, {}};
}
Source contract(std::string name) {
  return {Source::Kind::kContract, std::move(name), {}, {}};
}
Source param(std::string key) {
  return {Source::Kind::kParam, std::move(key), {}, {}};
}
Source view(std::string contract, std::string function) {
  return {Source::Kind::kView, std::move(contract), std::move(function), {}};
}
Source literal(abi::Value value) {
  return {Source::Kind::kLiteral, {}, {}, std::move(value)};
}

namespace {

// ---------------------------------------------------------------------------------------------
// Contracts, in deployment order: a contract's arguments name only contracts above it.
// ---------------------------------------------------------------------------------------------
std::vector<ContractSpec> contract_table() {
  return {
      // Creates ICNT and receives the whole supply. Allocations that go to protocol contracts
      // start with the deployer and are handed over below (the pools need the token first).
      {"Vesting",
       "Vesting",
       {deployer(), param("allocations.tge"), param("allocations.initial_beneficiaries")},
       {}},
      {"ICNT", "ICNT", {}, view("Vesting", "token")},
      {"RewardsReserve", "ReservePool", {deployer(), contract("ICNT")}, {}},
      {"LinkRewardPool", "ReservePool", {deployer(), contract("ICNT")}, {}},
      {"Treasury", "Treasury", {deployer(), contract("ICNT")}, {}},
      {"EraManager",
       "EraManager",
       {deployer(), param("chain.start_block"), param("chain.era_blocks")},
       {}},
      {"Registry", "Registry", {deployer()}, {}},
      // The Registry's constructor creates it (EIP-170 size limit), with the same admin.
      {"HyperNodeRegistry", "HyperNodeRegistry", {}, view("Registry", "hyperNodeRegistry")},
      {"Collateral",
       "Collateral",
       {deployer(), contract("ICNT"), contract("Registry"), contract("EraManager"),
        contract("Treasury")},
       {}},
      {"Delegation",
       "Delegation",
       {deployer(), contract("ICNT"), contract("Registry"), contract("EraManager"),
        contract("RewardsReserve"), contract("Vesting")},
       {}},
      {"ICNLink", "ICNLink", {deployer(), contract("Registry"), contract("EraManager")}, {}},
      {"CapacityMarket",
       "CapacityMarket",
       {deployer(), contract("ICNT"), contract("Registry"), contract("Collateral"),
        contract("EraManager"), contract("Treasury")},
       {}},
      {"Settlement",
       "Settlement",
       {deployer(), contract("ICNT"), contract("EraManager"), contract("Registry"),
        contract("Collateral"), contract("Delegation"), contract("CapacityMarket"),
        contract("RewardsReserve"), contract("LinkRewardPool"), contract("ICNLink"),
        param("chain.first_era")},
       {}},
      {"RewardPolicy",
       "RewardPolicy",
       {deployer(), contract("Registry"), contract("Collateral"), contract("Delegation"),
        contract("CapacityMarket"), param("links.reward_start")},
       {}},
  };
}

constexpr int kWiringPhase = 1;  // wiring and parameters: independent of each other
constexpr int kRegionPhase = 2;  // regions and classes
constexpr int kEnablePhase = 3;  // classes enabled in regions
constexpr int kClusterPhase = 4;

// `contract.setter(value)`, read back through `getter()`.
Step set(std::string contract_name, std::string setter, std::string getter, Source value) {
  Step s;
  s.phase = kWiringPhase;
  s.label = contract_name + "." + setter + "(" + value.describe() + ")";
  s.contract = contract_name;
  s.function = std::move(setter);
  s.args = {value};
  s.checks = {{std::move(contract_name), std::move(getter), {}, {{{0}, std::move(value)}}}};
  return s;
}

// `on` grants its PROTOCOL_ROLE to `grantee` (a sibling's calls into it), read back with hasRole.
Step grant(std::string on, std::string grantee, std::string why) {
  Step s;
  s.phase = kWiringPhase;
  s.label = on + " grants PROTOCOL_ROLE to " + grantee + " (" + why + ")";
  s.contract = on;
  s.function = "grantRole";
  s.args = {view(on, "PROTOCOL_ROLE"), contract(grantee)};
  s.checks = {{on, "hasRole", s.args, {{{0}, literal(abi::Value(true))}}}};
  return s;
}

// `pool` lets `spender` draw any amount with ICNT's transferFrom, read back with allowance.
Step spender(std::string pool, std::string spender_name, std::string why) {
  Step s;
  s.phase = kWiringPhase;
  s.label = pool + ".setSpender(" + spender_name + ", max) (" + why + ")";
  s.contract = pool;
  s.function = "setSpender";
  s.args = {contract(spender_name), literal(abi::Value(U256(~U256(0))))};
  s.checks = {{"ICNT", "allowance", {contract(pool), contract(spender_name)}, {{{0}, s.args[1]}}}};
  return s;
}

// ---------------------------------------------------------------------------------------------
// Wiring: setters that point contracts at each other, and PROTOCOL_ROLE grants. A grant names
// exactly which sibling may make which calls (src/interfaces/).
// ---------------------------------------------------------------------------------------------
std::vector<Step> wiring_table() {
  return {
      // Registration deposits collateral (set once; not a constructor argument: Collateral is
      // deployed with the Registry's address).
      set("Registry", "setCollateral", "collateral", contract("Collateral")),
      grant("Registry", "Collateral", "markOffboarded on exit"),
      grant("Registry", "CapacityMarket", "markBooked / markUnbooked"),
      grant("Collateral", "Registry", "depositInitial at registration"),
      grant("Collateral", "Settlement", "diversion into collateral, slashes"),
      grant("Delegation", "Settlement", "delegators' share, slashes"),
      grant("RewardsReserve", "Delegation", "APY payouts"),
      // Claims draw the capacity subsidy and Link rewards with transferFrom (cheaper than `pay`).
      spender("RewardsReserve", "Settlement", "capacity subsidy, drawn by HP claims"),
      spender("LinkRewardPool", "Settlement", "Link rewards, drawn by Link claims"),
      // Delegation's slashed share goes to the Treasury (deployed before it, set here).
      set("Delegation", "setTreasury", "treasury", contract("Treasury")),
      // The market reports bookings to Settlement, which is deployed with the market's address.
      set("CapacityMarket", "setSettlement", "settlement", contract("Settlement")),
  };
}

// ---------------------------------------------------------------------------------------------
// Genesis parameters (DESIGN §11), each read back from its getter.
// ---------------------------------------------------------------------------------------------
std::vector<Step> parameter_table() {
  Step committee;
  committee.phase = kWiringPhase;
  committee.label = "Settlement.setCommittee(settlement.committee, settlement.threshold)";
  committee.contract = "Settlement";
  committee.function = "setCommittee";
  committee.args = {param("settlement.committee"), param("settlement.threshold")};
  committee.checks = {
      {"Settlement",
       "committee",
       {},
       {{{0}, param("settlement.committee")}, {{1}, param("settlement.threshold")}}}};
  return {
      committee,
      set("Settlement", "setErasPer30Days", "erasPer30Days", param("settlement.eras_per_30_days")),
      set("Settlement", "setHpClaimDelay", "hpClaimDelay", param("settlement.hp_claim_delay_eras")),
      set("Settlement", "setLinkClaimWait", "linkClaimWait",
          param("settlement.link_claim_wait_eras")),
      set("Settlement", "setMaxMaintenanceEras", "maxMaintenanceEras",
          param("settlement.max_maintenance_eras")),
      set("CapacityMarket", "setEraSeconds", "eraSeconds", param("market.era_seconds")),
      set("CapacityMarket", "setMinBookingDuration", "minBookingDuration",
          param("market.min_booking_duration")),
      set("CapacityMarket", "setBurnShare", "burnShare", param("market.burn_share")),
      set("ICNLink", "setMinStakingPeriod", "minStakingPeriod", param("links.min_staking_period")),
      set("ICNLink", "setUnstakingDelayEras", "unstakingDelayEras",
          param("links.unstaking_delay_eras")),
  };
}

// Allocations the genesis gives to protocol contracts: the deployer, their first beneficiary,
// hands them over before anything is released.
std::vector<Step> handover_steps(const Genesis& g) {
  std::vector<Step> steps;
  for (size_t i = 0; i < kAllocationCategories.size(); ++i) {
    const GenesisAccount& b = g.allocations.beneficiaries[i];
    if (b.kind != GenesisAccount::Kind::kContract) continue;
    Step s;
    s.phase = kWiringPhase;
    s.label =
        "Vesting.setBeneficiary(" + std::string(kAllocationCategories[i]) + ", " + b.contract + ")";
    s.contract = "Vesting";
    s.function = "setBeneficiary";
    s.args = {literal(U256(i)), contract(b.contract)};
    s.checks = {{"Vesting", "beneficiary", {literal(U256(i))}, {{{0}, contract(b.contract)}}}};
    steps.push_back(std::move(s));
  }
  return steps;
}

// Regions, classes and clusters get sequential ids from 1 on a fresh Registry, in file order.
std::vector<Step> catalogue_steps(const Genesis& g) {
  std::vector<Step> steps;
  auto region_id = [&](const std::string& code) {
    for (size_t i = 0; i < g.regions.size(); ++i) {
      if (g.regions[i].code == code) return U256(i + 1);
    }
    return U256(0);  // parse_genesis refused unknown regions
  };
  auto class_id = [&](const std::string& name) {
    for (size_t i = 0; i < g.classes.size(); ++i) {
      if (g.classes[i].name == name) return U256(i + 1);
    }
    return U256(0);
  };
  for (const auto& r : g.regions) {
    Step s;
    s.phase = kRegionPhase;
    s.label = "genesis: region " + r.code;
    s.contract = "Registry";
    s.function = "createRegion";
    s.args = {literal(r.code)};
    s.checks = {
        {"Registry", "regionIdByName", {literal(r.code)}, {{{0}, literal(region_id(r.code))}}}};
    steps.push_back(std::move(s));
  }
  for (const auto& c : g.classes) {
    abi::Value spec(abi::Value::List{c.name, c.unit, U256(c.storage_tb_per_unit), U256(c.vcpus),
                                     U256(c.ram_gb), U256(c.disks), U256(c.disk_tb),
                                     U256(c.nic_gbps)});
    Step s;
    s.phase = kRegionPhase;
    s.label = "genesis: class " + c.name;
    s.contract = "Registry";
    s.function = "createHardwareClass";
    s.args = {literal(spec)};
    s.checks = {{"Registry", "hardwareClass", {literal(class_id(c.name))}, {{{0}, literal(spec)}}}};
    steps.push_back(std::move(s));
    for (const auto& e : c.regions) {
      abi::Value economics(abi::Value::List{e.collateral_req_per_unit, e.target_capacity,
                                            U256(e.release_schedule), e.maximum_bootstrap_release,
                                            e.protocol_margin});
      Step en;
      en.phase = kEnablePhase;
      en.label = "genesis: class " + c.name + " in region " + e.region;
      en.contract = "Registry";
      en.function = "enableClassInRegion";
      Source rid = literal(region_id(e.region)), cid = literal(class_id(c.name));
      en.args = {rid, cid, literal(economics)};
      // RegionClassInfo: (enabled, enabledAt, economics, …).
      en.checks = {{"Registry",
                    "regionClass",
                    {rid, cid},
                    {{{0, 0}, literal(abi::Value(true))}, {{0, 2}, literal(economics)}}}};
      steps.push_back(std::move(en));
    }
  }
  for (size_t i = 0; i < g.clusters.size(); ++i) {
    const auto& c = g.clusters[i];
    Step s;
    s.phase = kClusterPhase;
    s.label = "genesis: cluster " + c.name + " (" + c.region + ", " + c.hardware_class + ")";
    s.contract = "Registry";
    s.function = "createCluster";
    Source rid = literal(region_id(c.region)), cid = literal(class_id(c.hardware_class));
    s.args = {rid, cid, literal(c.name), literal(c.max_price)};
    // ClusterInfo: (regionId, classId, createdAt, maxPrice, …, name).
    s.checks = {{"Registry",
                 "cluster",
                 {literal(U256(i + 1))},
                 {{{0, 0}, rid},
                  {{0, 1}, cid},
                  {{0, 3}, literal(c.max_price)},
                  {{0, 7}, literal(c.name)}}}};
    steps.push_back(std::move(s));
  }
  return steps;
}

}  // namespace

Params genesis_params(const Genesis& g, const Address& deployer_address, const ChainNow& now) {
  Params p;
  p["chain.era_blocks"] = U256(g.chain.era_blocks);
  p["chain.start_block"] = U256(g.chain.start_block.value_or(now.block));
  p["chain.first_era"] = U256(g.chain.first_era);
  p["allocations.tge"] = U256(g.allocations.tge.value_or(now.timestamp));
  abi::Value::List initial;
  for (const auto& b : g.allocations.beneficiaries) {
    initial.push_back(b.kind == GenesisAccount::Kind::kAddress ? b.address : deployer_address);
  }
  p["allocations.initial_beneficiaries"] = initial;
  abi::Value::List committee;
  for (const auto& m : g.settlement.committee) committee.push_back(m);
  p["settlement.committee"] = committee;
  p["settlement.threshold"] = U256(g.settlement.threshold);
  p["settlement.hp_claim_delay_eras"] = U256(g.settlement.hp_claim_delay_eras);
  p["settlement.link_claim_wait_eras"] = U256(g.settlement.link_claim_wait_eras);
  p["settlement.eras_per_30_days"] = U256(g.settlement.eras_per_30_days);
  p["settlement.max_maintenance_eras"] = U256(g.settlement.max_maintenance_eras);
  p["market.era_seconds"] = U256(g.market.era_seconds);
  p["market.min_booking_duration"] = U256(g.market.min_booking_duration);
  p["market.burn_share"] = g.market.burn_share;
  p["links.min_staking_period"] = U256(g.links.min_staking_period);
  p["links.unstaking_delay_eras"] = U256(g.links.unstaking_delay_eras);
  p["links.reward_start"] = U256(g.links.reward_start.value_or(now.timestamp));
  return p;
}

std::vector<std::string> contract_names() {
  std::vector<std::string> names;
  for (const auto& c : contract_table()) names.push_back(c.name);
  return names;
}

Plan protocol_plan(const Genesis& genesis) {
  Plan plan;
  plan.contracts = contract_table();
  plan.steps = wiring_table();
  for (auto& s : plan.steps) s.label = "wiring: " + s.label;
  for (auto& s : parameter_table()) {
    s.label = "genesis: " + s.label;
    plan.steps.push_back(std::move(s));
  }
  for (auto& s : handover_steps(genesis)) {
    s.label = "genesis: " + s.label;
    plan.steps.push_back(std::move(s));
  }
  for (auto& s : catalogue_steps(genesis)) plan.steps.push_back(std::move(s));
  return plan;
}

}  // namespace icn::deploy
