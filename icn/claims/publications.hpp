// Where the era documents a satellite publishes come from (GET /v1/eras/{e}/results and
// /batches): a satellite's HTTP API, or whatever a test serves. What comes back is outside input;
// the callers decode it strictly and check it against the chain.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "icn/core/result.hpp"
#include "icn/infra/http_client.hpp"

namespace icn::claims {

class EraPublications {
 public:
  virtual ~EraPublications() = default;
  virtual std::string source() const = 0;  // for messages: the satellite's URL
  virtual Result<nlohmann::json> results(uint64_t era) = 0;
  virtual Result<nlohmann::json> batches(uint64_t era) = 0;
};

class SatellitePublications final : public EraPublications {
 public:
  explicit SatellitePublications(std::string base_url) : client_(std::move(base_url)) {}
  std::string source() const override { return client_.base_url(); }
  Result<nlohmann::json> results(uint64_t era) override;
  Result<nlohmann::json> batches(uint64_t era) override;

 private:
  infra::JsonHttpClient client_;
};

}  // namespace icn::claims
