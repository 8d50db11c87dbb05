// The commitEra submission and slash keeping decisions.
#include "icn/satellite/submitter.hpp"

namespace icn::satellite {

std::string_view to_string(SubmitAction action) {
  switch (action) {
    case SubmitAction::kCommitted:
      return "committed";
    case SubmitAction::kNotMember:
      return "not_member";
    case SubmitAction::kWaitSignatures:
      return "wait_signatures";
    case SubmitAction::kWaitLeader:
      return "wait_leader";
    case SubmitAction::kSubmit:
      return "submit";
  }
  return "unknown";
}

SubmitAction decide_submit(const SubmitDecisionInput& in) {
  if (in.committed) return SubmitAction::kCommitted;
  if (!in.own_index || in.committee_size == 0 || *in.own_index >= in.committee_size) {
    return SubmitAction::kNotMember;
  }
  if (in.threshold == 0 || in.signatures < in.threshold) return SubmitAction::kWaitSignatures;
  size_t leader = static_cast<size_t>(in.era % in.committee_size);
  if (*in.own_index == leader) return SubmitAction::kSubmit;
  if (in.head >= in.ready_block + in.submit_timeout) return SubmitAction::kSubmit;
  return SubmitAction::kWaitLeader;
}

std::string_view to_string(SlashAction action) {
  switch (action) {
    case SlashAction::kNotMember:
      return "not_member";
    case SlashAction::kWaitKeeper:
      return "wait_keeper";
    case SlashAction::kApply:
      return "apply";
  }
  return "unknown";
}

SlashAction decide_slash(const SlashDecisionInput& in) {
  if (!in.own_index || in.committee_size == 0 || *in.own_index >= in.committee_size) {
    return SlashAction::kNotMember;
  }
  if (in.we_committed) return SlashAction::kApply;
  if (*in.own_index == static_cast<size_t>(in.era % in.committee_size)) return SlashAction::kApply;
  if (in.head >= in.seen_block + in.timeout) return SlashAction::kApply;
  return SlashAction::kWaitKeeper;
}

}  // namespace icn::satellite
