// The indexer's versioned REST API (docs/openapi/indexer.yaml): read-only views of the
// projections, paginated and filtered, with 4xx JSON errors for every malformed request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "icn/indexer/store.hpp"
#include "icn/infra/http_server.hpp"

namespace icn::indexer {

// Limits of list endpoints: ?limit= in [1, kMaxPageLimit], kDefaultPageLimit when absent.
inline constexpr int64_t kDefaultPageLimit = 100;
inline constexpr int64_t kMaxPageLimit = 500;

// Every route mount_api serves, as docs/openapi/indexer.yaml spells them ("{id}" for a path
// parameter); a test keeps the two in step.
inline const std::vector<std::string>& api_routes() {
  static const std::vector<std::string> routes = {"/v1/stats",
                                                  "/v1/regions",
                                                  "/v1/clusters",
                                                  "/v1/scalernodes",
                                                  "/v1/scalernodes/{id}",
                                                  "/v1/scalernodes/{id}/eras",
                                                  "/v1/scalernodes/{id}/collateral",
                                                  "/v1/hypernodes",
                                                  "/v1/hypernodes/{id}",
                                                  "/v1/hypernodes/{id}/eras",
                                                  "/v1/eras",
                                                  "/v1/eras/{era}",
                                                  "/v1/bookings",
                                                  "/v1/accounts/{address}",
                                                  "/v1/locks",
                                                  "/v1/delegations",
                                                  "/v1/links",
                                                  "/v1/vesting",
                                                  "/v1/events"};
  return routes;
}

class EventStream;

struct ApiOptions {
  // The node's latest block as last seen (for /v1/stats' lag); nullopt: not known yet.
  std::function<std::optional<uint64_t>()> head;
  // Serves GET /v1/events (server-sent events); null: the route answers 404 not_found.
  EventStream* events = nullptr;
};

// GET /v1/stats, /v1/regions, /v1/clusters, /v1/scalernodes, /v1/scalernodes/{id},
// /v1/scalernodes/{id}/eras, /v1/scalernodes/{id}/collateral, /v1/hypernodes, /v1/hypernodes/{id},
// /v1/hypernodes/{id}/eras, /v1/eras, /v1/eras/{era}, /v1/bookings, /v1/accounts/{address},
// /v1/locks, /v1/delegations, /v1/links, /v1/vesting, and /v1/events when options.events is set.
// `store` (and the EventStream) must outlive the server.
void mount_api(infra::HttpServer& server, IndexStore& store, ApiOptions options = {});

}  // namespace icn::indexer
