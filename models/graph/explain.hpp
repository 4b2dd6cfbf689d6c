// models/graph/explain.hpp: `podsim explain`: why a pod took as long as it did to become Ready.
//
// Owns the run's event graph of one pod: its trace events (scheduled, pull start and end, created,
// started, running, startup and readiness successes, exits), the Service creations it waited for
// (Action records) and its first Ready=True, linked by what enabled what. An event waits for all its
// causes; each edge weighs the time from the last cause to the event, so the longest path (Boost.Graph,
// DAG shortest paths on negated weights) is the chain of last-arriving causes: the critical path.
// Does not run the scenario itself except in explainPod; does not print.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/scenario/scenario.hpp"

namespace podsim::graph {

/// One edge of the critical path: from one event to the next, and what the time between went to.
struct CriticalStep {
  sim::Time from = 0;    // ns
  sim::Time to = 0;      // ns
  std::string activity;  // "waiting for Service mydb", "pulling example/app:1.0", "kubelet reaction ..."
  std::string event;     // the event reached, e.g. "init-mydb exited (0)"
};

/// The total time the critical path spends on one activity.
struct ActivityTotal {
  std::string activity;
  sim::Time duration = 0;  // ns
};

/// The explanation of one pod's time to Ready.
struct Explanation {
  std::string pod;
  bool ready = false;        // the pod became Ready during the run
  sim::Time createdAt = 0;   // ns
  sim::Time readyAt = -1;    // ns; when not ready: the end of the run
  std::vector<CriticalStep> path;      // in time order
  std::vector<ActivityTotal> totals;   // by duration, largest first; zero durations left out
  std::string sentence;  // "Ready at 62.8 s: 30 s waiting for Service myservice, ..."
};

/// Explains pod `pod` (index in Scenario::pods) of a finished run with the trace on.
/// Throws std::out_of_range for a bad index and std::logic_error when the trace is off.
Explanation explainRun(const engine::Simulation& sim, std::int32_t pod);

/// Runs `scenario` once (its own seed and duration unless `options` overrides them) and explains the pod
/// named `podName` (`name` or `namespace/name`). Throws std::invalid_argument when no pod has that name;
/// sim::SimulationLimitError as Simulation::run.
Explanation explainPod(const scenario::Scenario& scenario, const std::string& podName,
                       const engine::RunOptions& options = {});

}  // namespace podsim::graph
