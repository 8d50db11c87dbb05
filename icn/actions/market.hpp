// The capacity market as its users see it: listing Validated nodes, quoting and booking capacity
// as a Builder, reading a booking back, and an HP's maintenance declarations (Settlement).
#pragma once

#include <cstdint>
#include <span>

#include "icn/actions/protocol.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/u256.hpp"

namespace icn::actions {

// CapacityMarket.quote: what `book` would charge now and which node it would take.
struct Quote {
  U256 node_id;
  U256 price;  // min(cluster max price, reservation price) × capacity × duration / 30 days: escrow
  U256 margin;  // price × protocol margin: to the Treasury (its burn share burned)
  U256 total;   // price + margin: what the market pulls from the Builder
};
Result<Quote> quote_booking(Protocol& protocol, uint32_t cluster_id, const U256& capacity,
                            uint64_t duration_seconds);

// Quotes, refuses when the quote exceeds `max_total_price` (nothing sent), approves the quote's
// total to CapacityMarket (escrow to Settlement, margin to the Treasury and the burn share are all
// pulled from the Builder), books, and returns the booking id.
Result<U256> book_capacity(Protocol& protocol, eth::TransactionSender& builder, uint32_t cluster_id,
                           const U256& capacity, uint64_t duration_seconds,
                           const U256& max_total_price, ByteView access_key);

// CapacityMarket.list for each Validated node not listed yet (anyone may call): a node enters its
// (cluster, capacity) pool only once listed, and only pooled nodes can be booked.
Status list_scaler_nodes(Protocol& protocol, eth::TransactionSender& caller,
                         std::span<const U256> node_ids);

enum class BookingStatus : uint8_t { kNone, kActive, kExpired };
// CapacityMarket.booking(id) (reverts for an unknown id).
struct BookingInfo {
  Address builder;
  U256 node_id;
  uint64_t start = 0;  // block timestamp of `book`
  uint64_t duration = 0;
  uint64_t activation_era = 0;
  uint64_t eras = 0;
  U256 price_per_era;
  U256 escrow;
  U256 refunded;
  BookingStatus status = BookingStatus::kNone;
};
Result<BookingInfo> read_booking(Protocol& protocol, const U256& booking_id);

// Settlement.declareMaintenance(node, from_era, eras): the HP owner, at least one era ahead.
Status declare_maintenance(Protocol& protocol, eth::TransactionSender& hp, const U256& node_id,
                           uint64_t from_era, uint64_t eras);

}  // namespace icn::actions
