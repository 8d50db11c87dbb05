// Joining the network: Hardware Providers and their ScalerNodes (with collateral), validation by
// the operator, HyperNodes with their key proof, ICN Links minted and staked, and ICNT moved
// around (including how a devnet deployer turns its Vesting allocations into liquid ICNT).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "icn/actions/protocol.hpp"
#include "icn/core/address.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/u256.hpp"

namespace icn::actions {

// Nodes per registerScalerNodes transaction: the Registry takes up to 1,000 (MAX_BATCH), but at
// ~182k gas a node, 100 (~18M gas) is what fits a 30M-gas block with room to spare.
inline constexpr size_t kNodesPerRegistration = 100;
// Nodes per validateScalerNodes transaction (~137k gas each; the Registry sets no bound).
inline constexpr size_t kNodesPerValidation = 100;
// ICNLink.MAX_MINT_PER_CALL and MAX_LINKS_PER_STAKE.
inline constexpr uint64_t kMaxLinksPerMint = 500;
inline constexpr size_t kMaxLinksPerStake = 100;

// The caller's HP id; registers it first when it is not an HP yet (idempotent).
Result<uint32_t> register_hardware_provider(Protocol& protocol, eth::TransactionSender& hp);

struct ScalerNodeSpec {
  std::string name;            // 1..30 bytes
  std::string region;          // region code, e.g. "EUW" (resolved to its id)
  std::string hardware_class;  // class name, e.g. "storage-dev" (resolved to its id)
  uint32_t cluster_id = 0;     // 0: the Registry places it
  std::string location;        // ISO-3166 alpha-3 "DEU"
  U256 capacity;               // class units
  Address daemon;              // the daemon's hot key
  // Default: the highest max price of the (region, class)'s clusters (of `cluster_id` when set):
  // a booking pays min(cluster max price, reservation price), so the node asks the cluster's price.
  std::optional<U256> reservation_price;
  std::optional<U256> collateral;  // default: the full requirement for the capacity
  uint64_t commitment_seconds = 36ull * 30 * 86400;  // Collateral.MIN_COMMITMENT (1,080 days)
  uint64_t max_booking_seconds = 180ull * 86400;     // the Registry's minimum
  U256 node_reward_share = 0;                        // 1e18 fixed-point percent for delegators
};

// Registers the nodes of an HP (registered already; see register_hardware_provider): approves
// each batch's collateral to Collateral (which pulls it from the HP), registerScalerNodes in
// batches of kNodesPerRegistration, and returns the new ids in the order of `nodes`.
Result<std::vector<U256>> register_scaler_nodes(Protocol& protocol, eth::TransactionSender& hp,
                                                std::span<const ScalerNodeSpec> nodes);
// OPERATOR: Registered → Validated, kNodesPerValidation per transaction (each all-or-nothing).
Status validate_scaler_nodes(Protocol& protocol, eth::TransactionSender& registry_operator,
                             std::span<const U256> ids);

// Signs HyperNodeRegistry.hyperNodeKeyProofHash(op) with the signing key (EIP-191), registers
// the HyperNode with `op` as its operator, and returns its id.
Result<U256> register_hyper_node(Protocol& protocol, eth::TransactionSender& op,
                                 const PrivateKey& signing_key, std::string_view location,
                                 std::string_view endpoint);

// GOVERNANCE: mints `quantity` Links to `to` (in calls of ≤ 500); the token ids, from the
// Transfer logs.
Result<std::vector<U256>> mint_links(Protocol& protocol, eth::TransactionSender& governance,
                                     const Address& to, uint64_t quantity);
// Stakes the holder's Links (1..100) to a HyperNode as one bundle; returns the bundle id.
Result<U256> stake_links(Protocol& protocol, eth::TransactionSender& holder,
                         const U256& hyper_node_id, std::span<const U256> token_ids);

Status transfer_icnt(Protocol& protocol, eth::TransactionSender& from, const Address& to,
                     const U256& amount);
Result<U256> icnt_balance(Protocol& protocol, const Address& account);

// Vesting.Category, in the contract's order.
enum class VestingCategory : uint8_t {
  kTeam,
  kInvestors,
  kDevCo,
  kEcoDev,
  kPartners,
  kNodeSale,
  kRewardsReserve
};
// Vesting.release(category): pays what has vested and was not released yet to the category's
// beneficiary (anyone may call). Returns the amount; 0 (and no transaction) when nothing is due.
Result<U256> release_vesting(Protocol& protocol, eth::TransactionSender& caller,
                             VestingCategory category);
// Devnet and test funding: the devnet genesis makes the deployer the beneficiary of the Team,
// Investors, DevCo, EcoDev and Partners allocations with the TGE at deployment, so DevCo (18.9M)
// and EcoDev (35M) are unlocked at once but sit in Vesting. When `from`'s liquid balance is below
// `amount`, this releases every category whose beneficiary is `from`, then transfers.
Status fund_icnt(Protocol& protocol, eth::TransactionSender& from, const Address& to,
                 const U256& amount);

}  // namespace icn::actions
