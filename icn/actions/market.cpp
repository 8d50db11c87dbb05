// Market transactions: list, quote, book, read a booking, declare maintenance.
#include "icn/actions/market.hpp"

#include "icn/actions/amount.hpp"

namespace icn::actions {

Result<Quote> quote_booking(Protocol& p, uint32_t cluster_id, const U256& capacity,
                            uint64_t duration_seconds) {
  ICN_TRY(abi::Value::List out,
          p.call("CapacityMarket", "quote", {U256(cluster_id), capacity, U256(duration_seconds)}));
  if (out.size() != 4) return fail("CapacityMarket.quote: expected four return values");
  Quote q;
  ICN_TRY(q.node_id, as_uint(out[0], "quote nodeId"));
  ICN_TRY(q.price, as_uint(out[1], "quote price"));
  ICN_TRY(q.margin, as_uint(out[2], "quote margin"));
  ICN_TRY(q.total, as_uint(out[3], "quote total"));
  return q;
}

Result<U256> book_capacity(Protocol& p, eth::TransactionSender& builder, uint32_t cluster_id,
                           const U256& capacity, uint64_t duration_seconds,
                           const U256& max_total_price, ByteView access_key) {
  ICN_TRY(Quote q, quote_booking(p, cluster_id, capacity, duration_seconds));
  if (q.total > max_total_price) {
    return fail("the quote (" + format_icnt(q.total) + " ICNT) exceeds the maximum (" +
                format_icnt(max_total_price) + " ICNT)");
  }
  ICN_TRY(Address market, p.address_of("CapacityMarket"));
  ICN_TRY(eth::Receipt approved, p.transact(builder, "ICNT", "approve", {market, q.total}));
  (void)approved;
  ICN_TRY(eth::Receipt receipt,
          p.transact(builder, "CapacityMarket", "book",
                     {U256(cluster_id), capacity, U256(duration_seconds), max_total_price,
                      Bytes(access_key.begin(), access_key.end())}));
  ICN_TRY(auto logs, p.events(receipt, "CapacityMarket", "Booked"));
  if (logs.size() != 1) return fail("CapacityMarket.book: no Booked log");
  ICN_TRY(const abi::Value* id, param(logs[0], "bookingId"));
  return as_uint(*id, "bookingId");
}

Status list_scaler_nodes(Protocol& p, eth::TransactionSender& caller,
                         std::span<const U256> node_ids) {
  for (const U256& id : node_ids) {
    // NodeMarketState: (listed, poolPosition, booking, escrowed).
    ICN_TRY(abi::Value::List out, p.call("CapacityMarket", "nodeState", {id}));
    if (out.size() != 1) return fail("CapacityMarket.nodeState: expected one return value");
    ICN_TRY(const abi::Value::List* state, as_tuple(out[0], 4, "CapacityMarket.nodeState"));
    ICN_TRY(bool listed, as_bool((*state)[0], "nodeState.listed"));
    if (listed) continue;
    ICN_TRY(eth::Receipt r, p.transact(caller, "CapacityMarket", "list", {id}));
    (void)r;
  }
  return {};
}

Result<BookingInfo> read_booking(Protocol& p, const U256& booking_id) {
  ICN_TRY(abi::Value::List out, p.call("CapacityMarket", "booking", {booking_id}));
  if (out.size() != 1) return fail("CapacityMarket.booking: expected one return value");
  ICN_TRY(const abi::Value::List* b, as_tuple(out[0], 10, "CapacityMarket.booking"));
  BookingInfo info;
  ICN_TRY(info.builder, as_address((*b)[0], "booking.builder"));
  ICN_TRY(info.node_id, as_uint((*b)[1], "booking.nodeId"));
  ICN_TRY(info.start, as_u64((*b)[2], "booking.start"));
  ICN_TRY(info.duration, as_u64((*b)[3], "booking.duration"));
  ICN_TRY(info.activation_era, as_u64((*b)[4], "booking.activationEra"));
  ICN_TRY(info.eras, as_u64((*b)[5], "booking.eras"));
  ICN_TRY(info.price_per_era, as_uint((*b)[6], "booking.pricePerEra"));
  ICN_TRY(info.escrow, as_uint((*b)[7], "booking.escrow"));
  ICN_TRY(info.refunded, as_uint((*b)[8], "booking.refunded"));
  ICN_TRY(uint64_t status, as_u64((*b)[9], "booking.status"));
  if (status > 2) return fail("booking.status: unknown value " + std::to_string(status));
  info.status = static_cast<BookingStatus>(status);
  return info;
}

Status declare_maintenance(Protocol& p, eth::TransactionSender& hp, const U256& node_id,
                           uint64_t from_era, uint64_t eras) {
  ICN_TRY(eth::Receipt r, p.transact(hp, "Settlement", "declareMaintenance",
                                     {node_id, U256(from_era), U256(eras)}));
  (void)r;
  return {};
}

}  // namespace icn::actions
