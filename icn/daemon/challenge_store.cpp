// The daemon's challenge records in SQLite.
#include "icn/daemon/challenge_store.hpp"

#include "icn/core/protocol_json.hpp"
#include "icn/daemon/bookings.hpp"
#include "icn/report/outbox.hpp"

namespace icn::daemon {
namespace {

constexpr std::string_view kDaemonSchemaV1 = R"sql(
CREATE TABLE eras (
  era INTEGER PRIMARY KEY,
  challenged_ms INTEGER,
  reported_ms INTEGER,
  entries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE challenges (
  era INTEGER NOT NULL REFERENCES eras(era),
  hyper_node_key BLOB NOT NULL,
  hyper_node_id TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  challenge TEXT NOT NULL,
  challenge_hash BLOB NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  rtt_ms INTEGER,
  response TEXT,
  reason TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (era, hyper_node_key)
);
)sql";

Result<ChallengeStatus> parse_status(std::string_view text) {
  if (text == "pending") return ChallengeStatus::kPending;
  if (text == "ok") return ChallengeStatus::kOk;
  if (text == "failed") return ChallengeStatus::kFailed;
  return fail("challenge store: unknown status '" + std::string(text) + "'");
}

constexpr std::string_view kColumns =
    "era, hyper_node_id, endpoint, challenge, challenge_hash, status, attempts, rtt_ms, "
    "response, reason, error";

Result<ChallengeRecord> read_row(infra::Statement& q) {
  ChallengeRecord r;
  r.era = static_cast<uint64_t>(q.column_int64(0));
  ICN_TRY(r.hyper_node_id, parse_u256(q.column_text(1)));
  r.endpoint = q.column_text(2);
  ICN_TRY_CTX(r.challenge, protocol::decode_signed_challenge(q.column_text(3)),
              "challenge store: stored challenge");
  Bytes hash = q.column_blob(4);
  if (hash.size() != 32) return fail("challenge store: challenge_hash is not 32 bytes");
  std::copy(hash.begin(), hash.end(), r.challenge_hash.begin());
  ICN_TRY(r.status, parse_status(q.column_text(5)));
  r.attempts = q.column_int64(6);
  if (auto rtt = q.column_optional_int64(7)) r.rtt_ms = static_cast<uint32_t>(*rtt);
  if (!q.is_null(8)) {
    ICN_TRY_CTX(auto response, protocol::decode_signed_challenge_response(q.column_text(8)),
                "challenge store: stored response");
    r.response = response;
  }
  r.reason = q.column_text(9);
  r.error = q.column_text(10);
  return r;
}

Bytes key_of(const U256& id) {
  Hash be = u256_to_be(id);
  return Bytes(be.begin(), be.end());
}

}  // namespace

const std::vector<infra::Migration>& daemon_migrations() {
  static const std::vector<infra::Migration> migrations = {
      {1, std::string(kDaemonSchemaV1)},
      {2, std::string(report::kOutboxSchemaV1)},
      {3, std::string(kBookingSchemaV1)},
  };
  return migrations;
}

std::string_view to_string(ChallengeStatus status) {
  switch (status) {
    case ChallengeStatus::kPending:
      return "pending";
    case ChallengeStatus::kOk:
      return "ok";
    case ChallengeStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

Result<std::optional<ChallengeRecord>> ChallengeStore::find(uint64_t era, const U256& id) {
  ICN_TRY(infra::Statement q, db_.prepare("SELECT " + std::string(kColumns) +
                                          " FROM challenges WHERE era = ? AND hyper_node_key = ?"));
  q.bind(1, static_cast<int64_t>(era)).bind_blob(2, key_of(id));
  ICN_TRY(bool row, q.step());
  if (!row) return std::optional<ChallengeRecord>();
  ICN_TRY(ChallengeRecord r, read_row(q));
  return std::optional<ChallengeRecord>(std::move(r));
}

Result<std::vector<ChallengeRecord>> ChallengeStore::era_records(uint64_t era) {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT " + std::string(kColumns) +
                      " FROM challenges WHERE era = ? ORDER BY hyper_node_key"));
  q.bind(1, static_cast<int64_t>(era));
  std::vector<ChallengeRecord> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    ICN_TRY(ChallengeRecord r, read_row(q));
    out.push_back(std::move(r));
  }
  return out;
}

Status ChallengeStore::begin_era(uint64_t era) {
  ICN_TRY(infra::Statement q, db_.prepare("INSERT OR IGNORE INTO eras(era) VALUES(?)"));
  q.bind(1, static_cast<int64_t>(era));
  return q.run();
}

Status ChallengeStore::insert_pending(const ChallengeRecord& r, int64_t now_ms) {
  ICN_CHECK(begin_era(r.era));
  ICN_TRY(infra::Statement q,
          db_.prepare("INSERT INTO challenges(era, hyper_node_key, hyper_node_id, endpoint, "
                      "challenge, challenge_hash, status, attempts, created_ms, updated_ms) "
                      "VALUES(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)"));
  q.bind(1, static_cast<int64_t>(r.era))
      .bind_blob(2, key_of(r.hyper_node_id))
      .bind(3, to_decimal(r.hyper_node_id))
      .bind(4, r.endpoint)
      .bind(5, protocol::encode(r.challenge))
      .bind_blob(6, r.challenge_hash)
      .bind(7, now_ms)
      .bind(8, now_ms);
  return q.run();
}

Status ChallengeStore::update(const ChallengeRecord& r, int64_t now_ms) {
  ICN_TRY(
      infra::Statement q,
      db_.prepare("UPDATE challenges SET status = ?, attempts = ?, rtt_ms = ?, response = ?, "
                  "reason = ?, error = ?, updated_ms = ? WHERE era = ? AND hyper_node_key = ?"));
  q.bind(1, to_string(r.status))
      .bind(2, r.attempts)
      .bind(3, r.rtt_ms ? std::optional<int64_t>(*r.rtt_ms) : std::nullopt)
      .bind(5, r.reason)
      .bind(6, r.error)
      .bind(7, now_ms)
      .bind(8, static_cast<int64_t>(r.era))
      .bind_blob(9, key_of(r.hyper_node_id));
  if (r.response) {
    q.bind(4, protocol::encode(*r.response));
  } else {
    q.bind_null(4);
  }
  ICN_CHECK(q.run());
  if (db_.changes() != 1)
    return fail("challenge store: no challenge of era " + std::to_string(r.era) + " to HyperNode " +
                to_decimal(r.hyper_node_id));
  return {};
}

Status ChallengeStore::mark_challenged(uint64_t era, int64_t now_ms) {
  ICN_CHECK(begin_era(era));
  ICN_TRY(infra::Statement q,
          db_.prepare("UPDATE eras SET challenged_ms = ? WHERE era = ? AND challenged_ms IS NULL"));
  q.bind(1, now_ms).bind(2, static_cast<int64_t>(era));
  return q.run();
}

Status ChallengeStore::mark_reported(uint64_t era, int64_t entries, int64_t now_ms) {
  ICN_TRY(infra::Statement q,
          db_.prepare("UPDATE eras SET reported_ms = ?, entries = ? WHERE era = ?"));
  q.bind(1, now_ms).bind(2, entries).bind(3, static_cast<int64_t>(era));
  return q.run();
}

Result<std::optional<EraRecord>> ChallengeStore::era(uint64_t era) {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT challenged_ms IS NOT NULL, reported_ms IS NOT NULL, entries FROM "
                      "eras WHERE era = ?"));
  q.bind(1, static_cast<int64_t>(era));
  ICN_TRY(bool row, q.step());
  if (!row) return std::optional<EraRecord>();
  return std::optional<EraRecord>(
      EraRecord{era, q.column_int64(0) != 0, q.column_int64(1) != 0, q.column_int64(2)});
}

Result<std::vector<uint64_t>> ChallengeStore::unreported_eras_before(uint64_t before) {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT era FROM eras WHERE reported_ms IS NULL AND era < ? ORDER BY era"));
  q.bind(1, static_cast<int64_t>(before));
  std::vector<uint64_t> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(static_cast<uint64_t>(q.column_int64(0)));
  }
  return out;
}

}  // namespace icn::daemon
