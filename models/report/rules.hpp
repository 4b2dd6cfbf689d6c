// models/report/rules.hpp: why each trace record happened: the kubelet rule that produced it, with its
// Kubernetes source (interface.md §2 `rule`).
//
// Owns the wording of the rules and the small state needed to derive them from a record and the records
// before it (previous container statuses, the last Killing of each container, back-off in force). It is
// read at output time only, never on the engine's hot path, and it does not decide anything: the engine
// and models/kubelet do; this only says which of their rules the record shows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/trace/trace.hpp"

namespace podsim::engine {
class Simulation;
}

namespace podsim::trace {

class RuleExplainerState;

/// Walks a run's trace in order and names, for each record, the rule that produced it, e.g.
/// `CrashLoopBackOff: restart 4 waits 40 s after FinishedAt (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff)`.
///
/// Call explain() once per record, in the trace's order (the explanation depends on the records before).
/// The Simulation must outlive the explainer.
class RuleExplainer {
 public:
  explicit RuleExplainer(const engine::Simulation& sim);
  ~RuleExplainer();
  RuleExplainer(const RuleExplainer&) = delete;
  RuleExplainer& operator=(const RuleExplainer&) = delete;

  /// The rule of `r`, the next record of the trace; never empty.
  std::string explain(const Record& r);

 private:
  std::unique_ptr<RuleExplainerState> state_;
};

/// The rule of every record of the run's trace, by position in Trace::records().
std::vector<std::string> explainTrace(const engine::Simulation& sim);

}  // namespace podsim::trace
