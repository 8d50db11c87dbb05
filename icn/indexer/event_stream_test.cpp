// GET /v1/events over a real HttpServer: committed events arrive in order with their sequence ids,
// a reconnect with Last-Event-ID resumes without gaps or duplicates, ?types= filters, heartbeats
// flow, streams beyond the cap get 503, close() ends every stream cleanly, and a rollback reaches
// connected streams as `event: reorg` before the new blocks' events.
#include "icn/indexer/event_stream.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <set>

#include "icn/indexer/api.hpp"
#include "test/support/sse_client.hpp"

namespace icn::indexer {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::SseClient;

constexpr milliseconds kWait{10000};

IndexedEvent region(uint64_t block, uint64_t index, int64_t id, std::string name) {
  IndexedEvent e;
  e.block_number = block;
  e.block_hash[31] = uint8_t(block);
  e.tx_hash[31] = uint8_t(index);
  e.log_index = index;
  e.contract = "Registry";
  e.event = "RegionCreated";
  e.args = {{"regionId", id}, {"name", std::move(name)}};
  return e;
}

IndexedEvent provider(uint64_t block, uint64_t index, int64_t id) {
  IndexedEvent e = region(block, index, 0, "");
  e.event = "HardwareProviderRegistered";
  e.args = {{"hpId", id}, {"account", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}};
  return e;
}

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void start(EventStreamOptions options) {
    server_.reset();
    stream_.reset();
    if (!store_) {
      auto s = IndexStore::open(":memory:");
      ASSERT_TRUE(s.ok()) << s.error().message;
      store_ = std::move(s).value();
    }
    options.heartbeat = milliseconds(100);  // tests wait for heartbeats and client stops
    stream_ = std::make_unique<EventStream>(*store_, options);
    server_ = std::make_unique<infra::HttpServer>();
    ApiOptions api;
    api.events = stream_.get();
    mount_api(*server_, *store_, api);
    ASSERT_TRUE(server_->start().ok());
  }
  void TearDown() override {
    if (stream_) stream_->close();
    server_.reset();
  }
  // Blocks 10.. (one event each) stored in one range.
  void store_regions(uint64_t first_block, int count) {
    std::vector<IndexedEvent> events;
    for (int i = 0; i < count; ++i) {
      uint64_t b = first_block + uint64_t(i);
      events.push_back(region(b, 0, int64_t(b), "R" + std::to_string(b)));
    }
    uint64_t last = first_block + uint64_t(count) - 1;
    eth::Checkpoint cp{last, events.back().block_hash};
    auto r = store_->store(events, cp, {});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  uint16_t port() const { return server_->port(); }

  std::unique_ptr<IndexStore> store_;
  std::unique_ptr<EventStream> stream_;
  std::unique_ptr<infra::HttpServer> server_;
};

std::vector<int64_t> ids_of(const std::vector<test::SseMessage>& messages) {
  std::vector<int64_t> out;
  for (const auto& m : messages) out.push_back(m.id.value_or(-1));
  return out;
}

TEST_F(EventStreamTest, CommittedEventsArriveAndAResumeHasNoGapsOrDuplicates) {
  store_regions(10, 3);  // ids 1..3, before anyone listens
  std::vector<test::SseMessage> first;
  {
    SseClient client(port(), "/v1/events?last_event_id=0");
    ASSERT_EQ(client.status(), 200);
    EXPECT_EQ(client.content_type(), "text/event-stream");
    ASSERT_TRUE(client.wait_for_messages(3, kWait));
    store_regions(20, 2);  // ids 4..5 while connected: pushed, not polled
    ASSERT_TRUE(client.wait_for_messages(5, kWait));
    client.stop();
    first = client.messages();
  }
  ASSERT_EQ(ids_of(first), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  json data = json::parse(first[3].data);
  EXPECT_EQ(data["id"], 4);
  EXPECT_EQ(data["contract"], "Registry");
  EXPECT_EQ(data["event"], "RegionCreated");
  EXPECT_EQ(data["block_number"], 20);
  EXPECT_EQ(data["log_index"], 0);
  EXPECT_EQ(data["args"]["name"], "R20");
  EXPECT_EQ(data["block_hash"].get<std::string>().size(), 66u);

  store_regions(30, 2);  // ids 6..7 while nobody listens
  SseClient resumed(port(), "/v1/events", {{"Last-Event-ID", "5"}});
  ASSERT_TRUE(resumed.wait_for_messages(2, kWait));
  store_regions(40, 1);
  ASSERT_TRUE(resumed.wait_for_messages(3, kWait));
  EXPECT_EQ(ids_of(resumed.messages()), (std::vector<int64_t>{6, 7, 8}));
}

TEST_F(EventStreamTest, WithoutLastEventIdOnlyNewEventsArrive) {
  store_regions(10, 2);
  SseClient client(port(), "/v1/events");
  ASSERT_TRUE(client.wait_for_comment("stream open", kWait));
  store_regions(20, 1);
  ASSERT_TRUE(client.wait_for_messages(1, kWait));
  EXPECT_EQ(ids_of(client.messages()), (std::vector<int64_t>{3}));
}

TEST_F(EventStreamTest, TypesFilterKeepsTheSequenceIds) {
  std::vector<IndexedEvent> events = {region(10, 0, 1, "A"), provider(10, 1, 1),
                                      region(11, 0, 2, "B"), provider(11, 1, 2)};
  ASSERT_TRUE(store_->store(events, {11, events.back().block_hash}, {}).ok());
  SseClient only_hps(port(), "/v1/events?last_event_id=0&types=HardwareProviderRegistered");
  ASSERT_TRUE(only_hps.wait_for_messages(2, kWait));
  EXPECT_EQ(ids_of(only_hps.messages()), (std::vector<int64_t>{2, 4}));
  SseClient qualified(port(),
                      "/v1/events?last_event_id=1&types=Registry.RegionCreated,Other.Thing");
  ASSERT_TRUE(qualified.wait_for_messages(1, kWait));
  EXPECT_EQ(ids_of(qualified.messages()), (std::vector<int64_t>{3}));
}

TEST_F(EventStreamTest, HeartbeatsFlowWhileNothingHappens) {
  SseClient client(port(), "/v1/events");
  EXPECT_TRUE(client.wait_for_comment("heartbeat", kWait));
}

TEST_F(EventStreamTest, BadInputIsA4xxJsonError) {
  httplib::Client client("127.0.0.1", port());
  for (const auto& [path, code] : std::vector<std::pair<std::string, std::string>>{
           {"/v1/events?types=", "bad_types"},
           {"/v1/events?types=a,,b", "bad_types"},
           {"/v1/events?types=Drop%20Table", "bad_types"},
           {"/v1/events?last_event_id=-1", "bad_last_event_id"},
           {"/v1/events?last_event_id=abc", "bad_last_event_id"}}) {
    auto r = client.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_EQ(json::parse(r->body)["error"]["code"], code) << path;
  }
  auto r = client.Get("/v1/events", {{"Last-Event-ID", "x1"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(EventStreamTest, StreamsBeyondTheCapGet503AndTheRestApiStillAnswers) {
  EventStreamOptions options;
  options.max_streams = 2;
  start(options);
  SseClient a(port(), "/v1/events");
  SseClient b(port(), "/v1/events");
  ASSERT_TRUE(a.wait_for_comment("stream open", kWait));
  ASSERT_TRUE(b.wait_for_comment("stream open", kWait));
  EXPECT_EQ(stream_->active(), 2u);
  httplib::Client client("127.0.0.1", port());
  auto r = client.Get("/v1/events");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "too_many_streams");
  auto stats = client.Get("/v1/regions");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  // A stream whose client left frees its slot (noticed at the next write: a heartbeat).
  a.stop();
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (stream_->active() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(stream_->active(), 1u);
  SseClient c(port(), "/v1/events");
  EXPECT_TRUE(c.wait_for_comment("stream open", kWait));
}

TEST_F(EventStreamTest, ARollbackIsAReorgMessageBeforeTheNewBlocksEvents) {
  store_regions(10, 3);  // ids 1..3 in blocks 10..12
  SseClient client(port(), "/v1/events?last_event_id=0");
  SseClient later_types(port(), "/v1/events?types=HardwareProviderRegistered");
  ASSERT_TRUE(client.wait_for_messages(3, kWait));
  ASSERT_TRUE(later_types.wait_for_comment("stream open", kWait));
  // Blocks 11 and 12 replaced: their events go, then the new block 11's event is stored.
  eth::Checkpoint ancestor{10, region(10, 0, 10, "").block_hash};
  ASSERT_TRUE(store_->roll_back(ancestor).ok());
  stream_->reorg({12, ancestor});
  IndexedEvent replaced = region(11, 0, 99, "R11b");
  replaced.block_hash[30] = 1;  // another block 11
  ASSERT_TRUE(store_->store({&replaced, 1}, {11, replaced.block_hash}, {}).ok());
  ASSERT_TRUE(client.wait_for_messages(5, kWait));
  auto messages = client.messages();
  EXPECT_EQ(messages[3].event, "reorg");
  EXPECT_FALSE(messages[3].id.has_value());  // a resume keeps the last event id
  json reorg = json::parse(messages[3].data);
  EXPECT_EQ(reorg["from_block"], 12);
  EXPECT_EQ(reorg["to_block"], 10);
  EXPECT_EQ(reorg["block_hash"], to_hex(ancestor.block_hash));
  EXPECT_EQ(reorg["last_event_id"], 1);  // events 2 and 3 are gone
  EXPECT_EQ(messages[4].event, "");
  EXPECT_EQ(json::parse(messages[4].data)["args"]["name"], "R11b");
  EXPECT_GT(messages[4].id.value_or(0), 3);  // ids are never reused
  // A types filter does not hide reorgs: every client's view may hold replaced events.
  ASSERT_TRUE(later_types.wait_for_messages(1, kWait));
  EXPECT_EQ(later_types.messages()[0].event, "reorg");
  // A stream opened after the rollback does not get it.
  SseClient fresh(port(), "/v1/events?last_event_id=0");
  ASSERT_TRUE(fresh.wait_for_messages(2, kWait));
  for (const auto& m : fresh.messages()) EXPECT_EQ(m.event, "");
}

TEST_F(EventStreamTest, CloseEndsEveryStreamCleanly) {
  SseClient client(port(), "/v1/events");
  ASSERT_TRUE(client.wait_for_comment("stream open", kWait));
  stream_->close();
  EXPECT_TRUE(client.wait_for_end(kWait));
  EXPECT_EQ(client.status(), 200);
  httplib::Client plain("127.0.0.1", port());
  auto r = plain.Get("/v1/events");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "shutting_down");
}

}  // namespace
}  // namespace icn::indexer
