// Direct strict decoding of era batches' wire JSON into DaemonBatch / HyperNodeBatch, without a
// JSON DOM: a satellite decodes a million daemon entries per era (issue 7), and building nlohmann
// values for each was the largest share of its ingest.
//
// It accepts a subset of what protocol_json's DOM decoders accept — no escape sequences in strings
// (nothing valid needs one: ids, hex and versions are printable ASCII without '"' or '\') and no
// byte-order mark — and yields exactly the value they yield. protocol_json's decode_batch,
// decode_daemon_batch and decode_hypernode_batch try it first and fall back to the DOM decoder
// when it refuses, so a rejection still carries the DOM decoder's reason and any valid text the
// reader does not take is still decoded.
#pragma once

#include <string_view>

#include "icn/core/protocol_json.hpp"

namespace icn::protocol {

// Either batch kind, with the same checks as decode_batch: every member present once and no other,
// originatorKind 1 or 2, canonical numbers, decimal ids and lowercase hex, signatures with v 27 or
// 28 and low s, printable versions within limits, array limits, strictly ascending entries
// (hyperNodeId) and challenge hashes, nothing after the object. Errors name the byte offset.
Result<AnyBatch> read_batch_json(std::string_view text, const WireLimits& limits = {});

}  // namespace icn::protocol
