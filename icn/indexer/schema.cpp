// Indexer schema. Hashes and addresses are 0x text (what the API serves, and readable with the
// sqlite3 shell); token amounts and capacities are decimal text, since they exceed 64 bits.
#include "icn/indexer/schema.hpp"

namespace icn::indexer {

const std::vector<infra::Migration>& indexer_migrations() {
  static const std::vector<infra::Migration> migrations = {
      {1, R"sql(
-- Every decoded log of the protocol's contracts, as delivered (the source of every projection).
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  contract TEXT NOT NULL,
  event TEXT NOT NULL,
  args TEXT NOT NULL,
  UNIQUE (block_hash, log_index)
);
CREATE INDEX events_block ON events (block_number, log_index);
CREATE INDEX events_name ON events (contract, event);  -- dropped by migration 3

-- Recent block hashes the log follower checked (its reorg window), so a restart can still find
-- the common ancestor of a reorg below the checkpoint.
CREATE TABLE blocks (
  number INTEGER PRIMARY KEY,
  hash TEXT NOT NULL
);

-- The last block whose logs are stored (one row).
CREATE TABLE checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL
);

CREATE TABLE regions (
  region_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE hardware_classes (
  class_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  capacity_unit TEXT NOT NULL,
  spec TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE region_classes (
  region_id INTEGER NOT NULL,
  class_id INTEGER NOT NULL,
  economics TEXT NOT NULL,
  PRIMARY KEY (region_id, class_id)
);
CREATE TABLE clusters (
  cluster_id INTEGER PRIMARY KEY,
  region_id INTEGER NOT NULL,
  class_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  max_price TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE hardware_providers (
  hp_id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE scaler_nodes (
  node_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  hp_id INTEGER NOT NULL,
  owner TEXT,                     -- the HP's account
  daemon TEXT NOT NULL,
  cluster_id INTEGER NOT NULL,
  region_id INTEGER NOT NULL,
  class_id INTEGER NOT NULL,
  capacity TEXT NOT NULL,
  location TEXT NOT NULL,         -- ISO 3166-1 alpha-3
  reservation_price TEXT NOT NULL,
  max_booking_duration INTEGER NOT NULL,
  node_reward_share TEXT NOT NULL,
  collateral TEXT NOT NULL,
  registered_block INTEGER NOT NULL,
  updated_block INTEGER NOT NULL
);
CREATE INDEX scaler_nodes_status ON scaler_nodes (status, node_id);
CREATE INDEX scaler_nodes_cluster ON scaler_nodes (cluster_id, node_id);
CREATE INDEX scaler_nodes_owner ON scaler_nodes (owner);
CREATE TABLE hyper_nodes (
  hyper_node_id INTEGER PRIMARY KEY,
  operator TEXT NOT NULL,
  signing_key TEXT NOT NULL,
  location TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  block_number INTEGER NOT NULL
);
CREATE TABLE bookings (
  booking_id INTEGER PRIMARY KEY,
  builder TEXT NOT NULL,
  node_id INTEGER NOT NULL,
  cluster_id INTEGER NOT NULL,
  capacity TEXT NOT NULL,
  duration TEXT NOT NULL,
  activation_era INTEGER NOT NULL,
  eras TEXT NOT NULL,
  price TEXT NOT NULL,
  margin TEXT NOT NULL,
  status TEXT NOT NULL,           -- active, expired
  expired_era INTEGER,
  refund TEXT,
  block_number INTEGER NOT NULL
);
CREATE INDEX bookings_builder ON bookings (builder);
CREATE INDEX bookings_node ON bookings (node_id);
CREATE TABLE eras (
  era INTEGER PRIMARY KEY,
  results_root TEXT NOT NULL,
  data_root TEXT NOT NULL,
  submitter TEXT NOT NULL,
  signer_mask TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  tx_hash TEXT NOT NULL
);
-- HP and Link reward claims; account is who was paid (the HP, the bundle owner).
CREATE TABLE claims (
  event_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,             -- hp, link
  subject_id INTEGER NOT NULL,    -- node id (hp) or bundle id (link)
  era INTEGER NOT NULL,
  account TEXT NOT NULL,
  amount TEXT NOT NULL,           -- hp: toHp; link: amount
  block_number INTEGER NOT NULL
);
CREATE INDEX claims_account ON claims (account);
CREATE TABLE slashes (
  event_id INTEGER PRIMARY KEY,
  node_id INTEGER NOT NULL,
  era INTEGER NOT NULL,
  slashed TEXT NOT NULL,
  from_collateral TEXT NOT NULL,
  from_delegation TEXT NOT NULL,
  owed TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE INDEX slashes_node ON slashes (node_id);
)sql"},
      {2, R"sql(
-- Delegation: ICNT locks and the delegations drawn from them. amount is the contract's: the
-- locked amount less withdrawals and settled slash losses.
CREATE TABLE locks (
  lock_id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  amount TEXT NOT NULL,
  initial_amount TEXT NOT NULL,
  lock_days INTEGER NOT NULL,
  multiplier TEXT NOT NULL,       -- s(lockDays), 1e18 = 1.0
  unlock_time INTEGER NOT NULL,   -- unix seconds
  status TEXT NOT NULL,           -- locked, withdrawn (amount reached 0)
  block_number INTEGER NOT NULL
);
CREATE INDEX locks_owner ON locks (owner);
CREATE TABLE delegations (
  delegation_id INTEGER PRIMARY KEY,
  lock_id INTEGER NOT NULL,
  owner TEXT NOT NULL,            -- the lock's owner
  node_id INTEGER NOT NULL,
  amount TEXT NOT NULL,           -- after settled slash losses
  status TEXT NOT NULL,           -- active, undelegated, reclaimed
  reclaim_era INTEGER,
  slashed TEXT NOT NULL,          -- slash losses settled on it
  block_number INTEGER NOT NULL
);
CREATE INDEX delegations_owner ON delegations (owner);
CREATE INDEX delegations_node ON delegations (node_id);
-- Per node, what the contract holds: delegated (active) and undelegated-not-reclaimed ICNT. A
-- slash lowers these at once; single delegations learn their loss only when settled.
CREATE TABLE node_delegation (
  node_id INTEGER PRIMARY KEY,
  delegated TEXT NOT NULL,
  undelegated TEXT NOT NULL
);
-- ICNLink: staked bundles and Link balances (ERC-721 Transfer).
CREATE TABLE link_bundles (
  bundle_id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  hyper_node_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  status TEXT NOT NULL,           -- staked, unstaking, unstaked
  staked_era INTEGER NOT NULL,
  unstakable_at INTEGER NOT NULL, -- unix seconds
  unstake_era INTEGER,
  unlock_era INTEGER,             -- withdrawableEra: completable from this era
  block_number INTEGER NOT NULL
);
CREATE INDEX link_bundles_owner ON link_bundles (owner);
CREATE INDEX link_bundles_hyper_node ON link_bundles (hyper_node_id);
CREATE TABLE link_holders (
  owner TEXT PRIMARY KEY,
  balance INTEGER NOT NULL
);
-- Vesting: per category, the current beneficiary and everything released so far.
CREATE TABLE vesting (
  category INTEGER PRIMARY KEY,
  beneficiary TEXT NOT NULL,
  released TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE INDEX vesting_beneficiary ON vesting (beneficiary);

-- Era results read from a satellite (EraResultsFollower), verified against the committed
-- resultsRoot. Not projections of events: a rollback keeps them, and readers join them to the
-- eras table on (era, results_root), so results of a root that a reorg replaced are not served
-- and the follower fetches the new root's.
CREATE TABLE era_results (
  era INTEGER PRIMARY KEY,
  results_root TEXT NOT NULL,
  satellite TEXT NOT NULL,        -- the base URL that served them
  up INTEGER,                     -- verdict counts; NULL: the satellite published no verdicts
  down INTEGER,
  maintenance INTEGER
);
-- Per node: its verdict in the era and its cumulative leaf (utilisation, subsidy, slashed).
CREATE TABLE era_node_results (
  era INTEGER NOT NULL,
  node_id INTEGER NOT NULL,
  verdict TEXT,                   -- up, down, maintenance, none; NULL: not published
  utilisation TEXT NOT NULL,
  subsidy TEXT NOT NULL,
  slashed TEXT NOT NULL,
  PRIMARY KEY (era, node_id)
);
CREATE INDEX era_node_results_node ON era_node_results (node_id, era);
-- Per HyperNode: its performance in the era (WAD) and its bundles' cumulative Link rewards.
CREATE TABLE era_hyper_node_results (
  era INTEGER NOT NULL,
  hyper_node_id INTEGER NOT NULL,
  performance TEXT,               -- NULL: not published
  good INTEGER,
  link_reward TEXT NOT NULL,
  PRIMARY KEY (era, hyper_node_id)
);
CREATE INDEX era_hyper_node_results_hn ON era_hyper_node_results (hyper_node_id, era);
)sql"},
      {3, R"sql(
-- No query filters events by name (the API reads them by id, rollback and replay by block), and
-- every stored event paid for this index.
DROP INDEX IF EXISTS events_name;
)sql"},
  };
  return migrations;
}

const std::vector<const char*>& projection_tables() {
  static const std::vector<const char*> tables = {"regions",
                                                  "hardware_classes",
                                                  "region_classes",
                                                  "clusters",
                                                  "hardware_providers",
                                                  "scaler_nodes",
                                                  "hyper_nodes",
                                                  "bookings",
                                                  "eras",
                                                  "claims",
                                                  "slashes",
                                                  "locks",
                                                  "delegations",
                                                  "node_delegation",
                                                  "link_bundles",
                                                  "link_holders",
                                                  "vesting"};
  return tables;
}

}  // namespace icn::indexer
