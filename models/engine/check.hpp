// models/engine/check.hpp: evaluates a scenario's `expect` entries against a finished run.
//
// Supported now: point-in-time expectations `{at: D, pod: NAME, status:, ready:, restarts:, phase:}`
// read from the last PodStatus record at or before `at` (the kubectl view at that moment).
#pragma once

#include <string>
#include <vector>

#include "models/engine/simulation.hpp"

namespace podsim::engine {

/// The outcome of one expectation: whether it held, and expected versus actual in words.
struct CheckResult {
  bool passed = false;
  std::string description;  // e.g. "at 45s pod myapp-pod: status Init:1/2"
  std::string actual;       // what the run showed instead (empty when passed)
  api::SourceLocation where;
};

/// Checks every expectation of the run's scenario. Requires a run with the trace on.
/// Unknown expectation keys give a failed result that names the key (never an exception).
std::vector<CheckResult> checkExpectations(const Simulation& sim);

}  // namespace podsim::engine
