// SatellitePublications: the era documents over a satellite's HTTP API.
#include "icn/claims/publications.hpp"

namespace icn::claims {

Result<nlohmann::json> SatellitePublications::results(uint64_t era) {
  ICN_TRY_CTX(auto body, client_.get("/v1/eras/" + std::to_string(era) + "/results"),
              "satellite " + source() + ": results of era " + std::to_string(era));
  return body;
}

Result<nlohmann::json> SatellitePublications::batches(uint64_t era) {
  ICN_TRY_CTX(auto body, client_.get("/v1/eras/" + std::to_string(era) + "/batches"),
              "satellite " + source() + ": batches of era " + std::to_string(era));
  return body;
}

}  // namespace icn::claims
