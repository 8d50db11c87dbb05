// ZeroEconomics: the judged nodes with zero economics.
#include "icn/satellite/era_inputs.hpp"

namespace icn::satellite {

Result<protocol::EraEconomics> ZeroEconomics::economics(const chain::EraBounds&,
                                                        const protocol::EraVerdicts& verdicts) {
  protocol::EraEconomics out;
  for (const auto& node : verdicts.scaler_nodes) {
    if (node.verdict == protocol::Verdict::kNone) continue;
    protocol::NodeEconomics e;
    e.node_id = node.id;
    out.nodes.push_back(e);
  }
  return out;
}

}  // namespace icn::satellite
