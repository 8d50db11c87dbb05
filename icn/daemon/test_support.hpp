// Test doubles for the daemon's tests: the in-memory chain with a settable HyperNode list and a
// HyperNode stand-in (a real local HTTP server) whose answer to each challenge the test chooses.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>

#include "icn/chain/memory_chain.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/daemon/challenger.hpp"
#include "icn/infra/http_server.hpp"

namespace icn::daemon::testing {

inline PrivateKey key_of(uint8_t n) {
  Bytes secret(32, 0);
  secret[31] = n;
  secret[0] = 0x11;
  return *PrivateKey::from_bytes(secret);
}

// The in-memory chain with the HyperNodes in the order a test lists them (the daemon must not
// depend on it) and the node's Registry status as a function of the block.
class FakeChain final : public chain::MemoryChain {
 public:
  std::vector<chain::HyperNodeInfo> hyper_node_list;
  // The node's Registry status at a block (Validated throughout unless a test says otherwise;
  // kNone reads as "not registered").
  std::function<chain::ScalerNodeStatus(uint64_t block)> node_status;
  std::mutex mu;

  FakeChain() { settlement_ = key_of(200).address(); }
  Result<std::optional<chain::ScalerNodeInfo>> scaler_node(const U256& id,
                                                           uint64_t block) override {
    std::lock_guard lock(mu);
    auto status = node_status ? node_status(block) : chain::ScalerNodeStatus::kValidated;
    if (status == chain::ScalerNodeStatus::kNone) return std::optional<chain::ScalerNodeInfo>();
    chain::ScalerNodeInfo info;
    info.id = id;
    info.status = status;
    return std::optional<chain::ScalerNodeInfo>(info);
  }
  Result<std::optional<chain::HyperNodeInfo>> hyper_node(const U256& id, uint64_t) override {
    std::lock_guard lock(mu);
    for (const auto& hn : hyper_node_list) {
      if (hn.id == id) return std::optional<chain::HyperNodeInfo>(hn);
    }
    return std::optional<chain::HyperNodeInfo>();
  }
  Result<std::vector<chain::HyperNodeInfo>> hyper_nodes(uint64_t) override {
    std::lock_guard lock(mu);
    return hyper_node_list;
  }
  Hash domain() const { return protocol::domain_separator(U256(chain_id()), settlement()); }
};

// A HyperNode stand-in. `behaviour(challenge, call)` answers the call-th (0-based) request;
// by default it signs a correct response with `key`.
class FakeHyperNode {
 public:
  using Behaviour = std::function<infra::HttpResponse(const protocol::SignedChallenge&, int call)>;

  FakeHyperNode(Hash domain, PrivateKey key) : domain_(domain), key_(key) {
    server_.post(std::string(kChallengePath), [this](const infra::HttpRequest& request) {
      auto challenge = protocol::decode_signed_challenge(request.body());
      if (!challenge) return infra::error_response(400, "bad_challenge", challenge.error().message);
      int call;
      Behaviour behaviour;
      {
        std::lock_guard lock(mu_);
        bodies_.emplace_back(request.body());
        call = static_cast<int>(bodies_.size()) - 1;
        behaviour = behaviour_;
      }
      if (behaviour) return behaviour(*challenge, call);
      return answer(*challenge);
    });
    EXPECT_TRUE(server_.start().ok());
  }

  // The correct answer, signed by `key` (or another key for a wrong-signer double).
  infra::HttpResponse answer(const protocol::SignedChallenge& c,
                             std::optional<PrivateKey> signer = std::nullopt,
                             std::optional<Hash> hash = std::nullopt) const {
    protocol::ChallengeResponse r;
    r.challenge_hash = hash ? *hash : protocol::signing_digest(domain_, c.challenge);
    r.hyper_node_time = c.challenge.daemon_time + 1;
    infra::HttpResponse out;
    out.body = protocol::encode(protocol::sign(domain_, r, signer ? *signer : key_));
    return out;
  }

  void set_behaviour(Behaviour b) {
    std::lock_guard lock(mu_);
    behaviour_ = std::move(b);
  }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::string url() const { return server_.url(); }
  Address signer() const { return key_.address(); }
  void stop() { server_.stop(); }

 private:
  Hash domain_;
  PrivateKey key_;
  mutable std::mutex mu_;
  Behaviour behaviour_;
  std::vector<std::string> bodies_;
  infra::HttpServer server_;
};

inline chain::HyperNodeInfo hyper_node_info(uint64_t id, const FakeHyperNode& node,
                                            bool active = true) {
  chain::HyperNodeInfo info;
  info.id = U256(id);
  info.signer = node.signer();
  info.endpoint = node.url();
  info.active = active;
  return info;
}

// A fresh directory per test under gtest's temp dir.
inline std::filesystem::path test_dir(const std::string& prefix) {
  auto dir = std::filesystem::path(::testing::TempDir()) /
             (prefix + "_" + std::to_string(getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace icn::daemon::testing
