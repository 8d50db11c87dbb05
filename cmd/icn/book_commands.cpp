// `icn book`: a Builder quotes and books capacity in a cluster, paying the quote in ICNT.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "icn/actions/amount.hpp"
#include "icn/actions/market.hpp"
#include "icn/infra/files.hpp"

namespace icn::cmd {
namespace {

struct BookOptions {
  ChainOptions chain;
  uint32_t cluster = 0;
  std::string capacity, duration, max_price, access_key, access_key_file;
  bool quote_only = false;
};
BookOptions g_book;

Result<std::string> run_book() {
  const BookOptions& o = g_book;
  ICN_TRY(U256 capacity, parse_uint_option("--capacity", o.capacity));
  ICN_TRY(uint64_t duration, parse_duration("--duration", o.duration));
  std::optional<U256> max_price;
  if (!o.max_price.empty()) {
    ICN_TRY(max_price, parse_icnt_option("--max-price", o.max_price));
  }
  std::string access_key = o.access_key;
  if (!o.access_key_file.empty()) {
    ICN_TRY(access_key, infra::read_file(o.access_key_file, 64 << 10));
  }
  ICN_TRY(ChainSession s, open_session(o.chain));
  ICN_TRY(actions::Quote q, actions::quote_booking(*s.protocol, o.cluster, capacity, duration));
  nlohmann::json quote = {{"node_id", to_decimal(q.node_id)},
                          {"price", actions::format_icnt(q.price)},
                          {"margin", actions::format_icnt(q.margin)},
                          {"total", actions::format_icnt(q.total)}};
  // The quote first, so a refusal or a failed booking still shows what was asked.
  if (!o.chain.json) {
    std::cout << "quote: node " << to_decimal(q.node_id) << ", price "
              << actions::format_icnt(q.price) << " ICNT + margin "
              << actions::format_icnt(q.margin) << " ICNT = " << actions::format_icnt(q.total)
              << " ICNT" << std::endl;
  }
  if (max_price && q.total > *max_price) {
    return fail("the quote (" + actions::format_icnt(q.total) + " ICNT) exceeds --max-price " +
                actions::format_icnt(*max_price) + " ICNT");
  }
  if (o.quote_only) return o.chain.json ? nlohmann::json{{"quote", quote}}.dump() : "";
  Bytes key(access_key.begin(), access_key.end());
  ICN_TRY(U256 booking, actions::book_capacity(*s.protocol, *s.sender, o.cluster, capacity,
                                               duration, max_price.value_or(q.total), key));
  if (o.chain.json) {
    return nlohmann::json{{"booking_id", to_decimal(booking)}, {"quote", quote}}.dump();
  }
  return "booking " + to_decimal(booking);
}

}  // namespace

void add_book_commands(CLI::App& app) {
  auto* book = app.add_subcommand(
      "book", "Book capacity in a cluster as a Builder: prints the quote, then the booking id");
  BookOptions& o = g_book;
  add_chain_options(book, o.chain, "the Builder's key");
  book->add_option("--cluster", o.cluster, "cluster id")->required();
  book->add_option("--capacity", o.capacity, "capacity in the class's unit (a node's exactly)")
      ->required();
  book->add_option("--duration", o.duration, "seconds or e.g. 90d (≥ the market's minimum)")
      ->required();
  book->add_option("--max-price", o.max_price,
                   "the most to pay in ICNT, margin included (default: the quote)");
  book->add_option("--access-key", o.access_key, "what the daemon provisions access with");
  book->add_option("--access-key-file", o.access_key_file,
                   "… read from a file (e.g. id_ed25519.pub)");
  book->add_flag("--quote-only", o.quote_only, "print the quote and book nothing");
  book->callback([] {
    Result<std::string> r = run_book();
    if (!r) r = std::move(r).error().context("book failed");
    if (r && r->empty()) return;  // --quote-only: the quote is printed
    emit(r);
  });
}

}  // namespace icn::cmd
