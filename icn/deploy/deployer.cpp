// Runs the plan of plan.cpp: everything that can be checked is checked before the first
// transaction; each phase's independent transactions are sent back to back, then awaited.
#include "icn/deploy/deployer.hpp"

#include <map>
#include <set>
#include <system_error>

#include "icn/core/keccak.hpp"
#include "icn/deploy/plan.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/infra/files.hpp"

namespace icn::deploy {
namespace {

using Clock = std::chrono::steady_clock;

// A Result's error with context, its value dropped: for lookups that only need to succeed.
template <typename R>
Status with_context(R&& r, const std::string& what) {
  if (!r) return std::move(r).error().context(what);
  return {};
}
#define ICN_CHECK_CTX_(expr, what) ICN_CHECK(with_context((expr), (what)))

// A running deployment: the bindings, the addresses so far and the values views returned.
class Run {
 public:
  Run(eth::RpcClient& rpc, eth::TransactionSender& sender, const DeployOptions& options)
      : rpc_(rpc), sender_(sender), options_(options) {}

  void say(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }
  eth::Deadline deadline() const { return Clock::now() + options_.tx_timeout; }

  // Every artifact the plan names, and every function, view and argument count resolved against
  // the ABIs: a plan that no longer matches the contracts fails here, before anything is sent.
  Status prepare(const Plan& plan, Params params) {
    params_ = std::move(params);
    std::set<std::string> known;
    for (const auto& c : plan.contracts) {
      if (!artifacts_.contains(c.artifact)) {
        ICN_TRY(eth::Artifact a,
                eth::Artifact::load(options_.artifacts_dir / (c.artifact + ".json")));
        ICN_TRY_CTX(eth::Contract binding, eth::Contract::from_artifact(a), c.artifact);
        artifacts_.emplace(c.artifact, std::move(a));
        bindings_.emplace(c.artifact, std::move(binding));
      }
      artifact_of_[c.name] = c.artifact;
      const eth::Contract& binding = bindings_.at(c.artifact);
      if (c.created_by) {
        ICN_CHECK(check_source(*c.created_by, known, "plan: " + c.name + " created_by"));
      } else {
        if (artifacts_.at(c.artifact).bytecode.empty()) {
          return fail("plan: " + c.artifact + " has no creation code");
        }
        if (c.constructor_args.size() != binding.constructor_inputs().size()) {
          return fail("plan: " + c.name + " has " + std::to_string(c.constructor_args.size()) +
                      " constructor arguments, its ABI " +
                      std::to_string(binding.constructor_inputs().size()));
        }
        for (const auto& s : c.constructor_args) {
          ICN_CHECK(check_source(s, known, "plan: " + c.name + " constructor"));
        }
      }
      known.insert(c.name);
    }
    for (const auto& step : plan.steps) {
      std::string where = "plan: " + step.label;
      ICN_TRY_CTX(const eth::Function* f, binding(step.contract)->function(step.function), where);
      if (f->inputs.size() != step.args.size()) {
        return fail(where + ": " + f->canonical + " takes " + std::to_string(f->inputs.size()) +
                    " arguments, the plan gives " + std::to_string(step.args.size()));
      }
      for (const auto& s : step.args) ICN_CHECK(check_source(s, known, where));
      for (const auto& check : step.checks) {
        if (!known.contains(check.contract)) return fail(where + ": unknown " + check.contract);
        ICN_CHECK_CTX_(binding(check.contract)->function(check.view), where);
      }
    }
    return {};
  }

  // Deploys (or finds) every contract in order; the block of the first deployment is returned.
  Result<uint64_t> deploy_contracts(const Plan& plan) {
    std::optional<uint64_t> first_block;
    size_t i = 0;
    for (const auto& c : plan.contracts) {
      ++i;
      std::string counter =
          "[" + std::to_string(i) + "/" + std::to_string(plan.contracts.size()) + "] ";
      if (c.created_by) {
        ICN_TRY_CTX(abi::Value v, resolve(*c.created_by), "deploy failed at " + c.name);
        const Address* a = v.get_if<Address>();
        if (!a)
          return fail("deploy failed at " + c.name + ": " + c.created_by->describe() +
                      " did not return an address");
        addresses_[c.name] = *a;
        say("deploy: " + counter + c.name + " " + a->checksummed() + " (created by " +
            c.created_by->name + ")");
        continue;
      }
      const eth::Contract& b = bindings_.at(c.artifact);
      std::vector<abi::Value> args;
      for (const auto& s : c.constructor_args) {
        ICN_TRY_CTX(abi::Value v, resolve(s), "deploy failed at " + c.name);
        args.push_back(std::move(v));
      }
      ICN_TRY_CTX(Bytes encoded, b.encode_constructor(args), "deploy failed at " + c.name);
      Bytes init = artifacts_.at(c.artifact).bytecode;
      append(init, encoded);
      eth::SendOptions send_options;
      send_options.custom_errors = b.errors();
      ICN_TRY_CTX(eth::Receipt receipt,
                  sender_.send_and_wait(std::nullopt, init, 0, deadline(), send_options),
                  "deploy failed at " + c.name);
      ++transactions_;
      if (!receipt.contract_address) {
        return fail("deploy failed at " + c.name + ": receipt of " + to_hex(receipt.tx_hash) +
                    " has no contract address");
      }
      if (!first_block) first_block = receipt.block_number;
      addresses_[c.name] = *receipt.contract_address;
      say("deploy: " + counter + c.name + " " + receipt.contract_address->checksummed());
    }
    return first_block.value_or(0);
  }

  // The steps, phase by phase; within a phase sent back to back, then every receipt awaited.
  Status run_steps(const Plan& plan) {
    std::set<int> phases;
    for (const auto& s : plan.steps) phases.insert(s.phase);
    for (int phase : phases) {
      std::vector<std::pair<const Step*, Hash>> sent;
      Status failed;
      for (const auto& step : plan.steps) {
        if (step.phase != phase) continue;
        auto tx = send_step(step);
        if (!tx) {
          failed = fail("deploy failed at " + step.label + ": " + tx.error().message);
          break;
        }
        sent.emplace_back(&step, *tx);
      }
      // Wait for what was sent even after a failure, so the error is about the first problem.
      for (const auto& [step, hash] : sent) {
        auto receipt = sender_.wait_for_receipt(hash, deadline());
        if (!receipt)
          return fail("deploy failed at " + step->label + ": " + receipt.error().message);
        if (!receipt->status) {
          return fail("deploy failed at " + step->label + ": transaction reverted (tx " +
                      to_hex(hash) + ", block " + std::to_string(receipt->block_number) + ")");
        }
        say("deploy: " + step->label);
      }
      if (!failed) return failed;
    }
    return {};
  }

  // Reads everything back: code at every address, constructor arguments echoed by the contracts'
  // getters, the deployer's admin role, and every step's checks.
  Result<size_t> verify(const Plan& plan) {
    size_t checks = 0;
    auto fail_at = [](const std::string& what, const std::string& why) {
      return fail("verification failed at " + what + ": " + why);
    };
    for (const auto& c : plan.contracts) {
      const Address& a = addresses_.at(c.name);
      ICN_TRY_CTX(Bytes code, eth::get_code(rpc_, a), "verification failed at " + c.name);
      if (code.empty()) return fail_at(c.name, "no code at " + a.checksummed());
      ++checks;
      const eth::Contract& b = bindings_.at(c.artifact);
      if (b.function("hasRole")) {
        std::vector<abi::Value> args{abi::Value(Bytes(32, 0)), abi::Value(sender_.address())};
        ICN_TRY_CTX(auto out, b.at(a).call(rpc_, "hasRole", args),
                    "verification failed at " + c.name);
        if (out.empty() || !(out[0] == abi::Value(true))) {
          return fail_at(c.name, "the deployer lacks DEFAULT_ADMIN_ROLE");
        }
        ++checks;
      }
      // A constructor argument `x_` that the contract exposes as `x()` must read back unchanged.
      for (size_t i = 0; i < c.constructor_args.size(); ++i) {
        const std::string& input = b.constructor_inputs()[i].name;
        if (input.size() < 2 || !input.ends_with('_')) continue;
        std::string getter = input.substr(0, input.size() - 1);
        auto f = b.function(getter);
        if (!f || !(*f)->inputs.empty() || (*f)->outputs.size() != 1) continue;
        ICN_TRY_CTX(abi::Value expected, resolve(c.constructor_args[i]),
                    "verification failed at " + c.name);
        ICN_TRY_CTX(auto out, b.at(a).call(rpc_, getter, {}), "verification failed at " + c.name);
        if (!(out[0] == expected)) {
          return fail_at(c.name + "." + getter + "()",
                         "does not return " + c.constructor_args[i].describe());
        }
        ++checks;
      }
    }
    for (const auto& step : plan.steps) {
      for (const auto& check : step.checks) {
        ICN_CHECK_CTX_(run_check(check), "verification failed at " + step.label);
        ++checks;
      }
    }
    return checks;
  }

  const std::map<std::string, Address>& addresses() const { return addresses_; }
  size_t transactions() const { return transactions_; }

 private:
  const eth::Contract* binding(const std::string& contract_name) const {
    return &bindings_.at(artifact_of_.at(contract_name));
  }

  Status check_source(const Source& s, const std::set<std::string>& known,
                      const std::string& where) const {
    switch (s.kind) {
      case Source::Kind::kContract:
      case Source::Kind::kView:
        if (!known.contains(s.name)) {
          return fail(where + ": " + s.name + " is used before it is deployed");
        }
        if (s.kind == Source::Kind::kView) {
          ICN_CHECK_CTX_(binding(s.name)->function(s.function), where);
        }
        return {};
      case Source::Kind::kParam:
        if (!params_.contains(s.name)) return fail(where + ": no genesis parameter " + s.name);
        return {};
      default:
        return {};
    }
  }

  Result<abi::Value> resolve(const Source& s) {
    switch (s.kind) {
      case Source::Kind::kDeployer:
        return abi::Value(sender_.address());
      case Source::Kind::kContract:
        return abi::Value(addresses_.at(s.name));
      case Source::Kind::kParam:
        return params_.at(s.name);
      case Source::Kind::kLiteral:
        return s.literal;
      case Source::Kind::kView: {
        std::string key = s.name + "." + s.function;
        if (auto it = views_.find(key); it != views_.end()) return it->second;
        auto at = addresses_.find(s.name);
        if (at == addresses_.end()) return fail(s.name + " is not deployed yet");
        ICN_TRY_CTX(auto out, binding(s.name)->at(at->second).call(rpc_, s.function, {}), key);
        if (out.size() != 1)
          return fail(key + " returns " + std::to_string(out.size()) + " values");
        views_[key] = out[0];
        return out[0];
      }
    }
    return fail("unknown source");
  }

  Result<std::vector<abi::Value>> resolve_all(const std::vector<Source>& sources) {
    std::vector<abi::Value> values;
    for (const auto& s : sources) {
      ICN_TRY(abi::Value v, resolve(s));
      values.push_back(std::move(v));
    }
    return values;
  }

  Result<Hash> send_step(const Step& step) {
    ICN_TRY(std::vector<abi::Value> args, resolve_all(step.args));
    const eth::Contract* b = binding(step.contract);
    ICN_TRY(Bytes data, b->encode_call(step.function, args));
    eth::SendOptions send_options;
    send_options.custom_errors = b->errors();
    ICN_TRY(eth::SendResult sent,
            sender_.send(addresses_.at(step.contract), data, 0, send_options));
    ++transactions_;
    return sent.tx_hash;
  }

  Status run_check(const Check& check) {
    ICN_TRY(std::vector<abi::Value> args, resolve_all(check.args));
    const eth::Contract* b = binding(check.contract);
    ICN_TRY(auto out, b->at(addresses_.at(check.contract)).call(rpc_, check.view, args));
    for (const auto& e : check.expect) {
      const abi::Value* v = nullptr;
      const abi::Value::List* level = &out;
      for (size_t index : e.path) {
        if (!level || index >= level->size()) {
          return fail(check.contract + "." + check.view + ": no output at that position");
        }
        v = &(*level)[index];
        level = v->get_if<abi::Value::List>();
      }
      ICN_TRY(abi::Value expected, resolve(e.expected));
      if (!v || !(*v == expected)) {
        return fail(check.contract + "." + check.view + " does not return " +
                    e.expected.describe());
      }
    }
    return {};
  }

  eth::RpcClient& rpc_;
  eth::TransactionSender& sender_;
  const DeployOptions& options_;
  Params params_;
  std::map<std::string, eth::Artifact> artifacts_;  // by artifact name
  std::map<std::string, eth::Contract> bindings_;   // by artifact name
  std::map<std::string, std::string> artifact_of_;  // contract name → artifact name
  std::map<std::string, Address> addresses_;        // contract name → address
  std::map<std::string, abi::Value> views_;         // "Registry.PROTOCOL_ROLE" → value
  size_t transactions_ = 0;
};

}  // namespace

Status check_existing_deployment(eth::RpcClient& rpc, uint64_t chain_id,
                                 const std::filesystem::path& out, bool overwrite) {
  std::error_code ec;
  if (!std::filesystem::exists(out, ec)) return {};
  const std::string file = out.string();
  const std::string hint = "; pass --overwrite to replace it";
  auto text = infra::read_file(out);
  if (!text) return overwrite ? Status{} : fail(text.error().message + hint);
  auto existing = Deployment::parse(*text);
  if (!existing) {
    return overwrite ? Status{} : fail(file + ": " + existing.error().message + hint);
  }
  if (existing->chain_id != chain_id) {
    if (overwrite) return {};
    return fail(file + " describes a deployment on chain " + std::to_string(existing->chain_id) +
                ", this endpoint is chain " + std::to_string(chain_id) + hint);
  }
  for (const auto& [name, address] : existing->contracts) {
    ICN_TRY_CTX(Bytes code, eth::get_code(rpc, address), "checking " + file);
    if (!code.empty()) {
      return fail(file + " already describes a deployment on chain " + std::to_string(chain_id) +
                  " (" + name + " at " + address.checksummed() +
                  " has code); refusing to deploy again");
    }
  }
  if (overwrite) return {};
  return fail(file + " names contracts without code on chain " + std::to_string(chain_id) +
              " (a chain that was reset?)" + hint);
}

Result<Deployment> deploy_protocol(eth::RpcClient& rpc, eth::TransactionSender& sender,
                                   const Genesis& genesis, std::string_view genesis_text,
                                   const DeployOptions& options) {
  const auto started = Clock::now();
  ICN_TRY_CTX(uint64_t chain_id, eth::chain_id(rpc), "reading the chain id");
  if (genesis.chain.chain_id && *genesis.chain.chain_id != chain_id) {
    return fail("the genesis is for chain " + std::to_string(*genesis.chain.chain_id) +
                ", this endpoint is chain " + std::to_string(chain_id));
  }
  ICN_CHECK(check_existing_deployment(rpc, chain_id, options.out, options.overwrite));
  std::error_code ec;
  if (options.out.has_parent_path()) {
    std::filesystem::create_directories(options.out.parent_path(), ec);
    if (ec) return fail("creating " + options.out.parent_path().string() + ": " + ec.message());
  }

  ICN_TRY_CTX(std::optional<eth::BlockHeader> head, eth::get_block(rpc, eth::BlockRef::latest()),
              "reading the latest block");
  if (!head) return fail("the endpoint has no latest block");
  ChainNow now{head->number, head->timestamp};
  Plan plan = protocol_plan(genesis);
  Run run(rpc, sender, options);
  ICN_CHECK(run.prepare(plan, genesis_params(genesis, sender.address(), now)));

  run.say("deploy: chain " + std::to_string(chain_id) + ", deployer " +
          sender.address().checksummed() + ", " + std::to_string(plan.contracts.size()) +
          " contracts, " + std::to_string(plan.steps.size()) + " wiring and genesis steps");
  ICN_TRY(uint64_t deploy_block, run.deploy_contracts(plan));
  ICN_CHECK(run.run_steps(plan));
  ICN_TRY(size_t checks, run.verify(plan));
  run.say("deploy: verified (" + std::to_string(checks) + " checks)");

  Deployment d;
  d.chain_id = chain_id;
  d.deploy_block = deploy_block;
  d.deployer = sender.address();
  d.genesis_keccak = keccak256(genesis_text);
  d.icn_version = options.icn_version;
  for (const auto& c : plan.contracts) d.contracts.emplace_back(c.name, run.addresses().at(c.name));
  ICN_CHECK(infra::write_file_atomic(
      options.out, d.to_json(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
          std::filesystem::perms::group_read | std::filesystem::perms::others_read));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  run.say("deploy: wrote " + options.out.string() + " (" + std::to_string(run.transactions()) +
          " transactions, " + std::to_string(ms) + " ms)");
  return d;
}

}  // namespace icn::deploy
