// models/graph/lint.hpp: `podsim lint`: what in a scenario can never work, found without running it.
//
// Owns the six findings of issue 5 item 5 and their wording: a cycle of waits; an init container
// waiting for a Service only its own pod could serve; a sidecar written as a regular container in a pod
// meant to complete; a startup probe that cannot pass in time; a preStop hook longer than the grace
// period; a liveness probe equal to the readiness probe. Reads the Scenario and the DependencyGraph;
// does not run anything, read YAML or print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/api/types.hpp"
#include "models/scenario/scenario.hpp"

namespace podsim::graph {

/// Which problem a finding reports.
enum class FindingKind : std::uint8_t {
  WaitCycle,                 // pods whose init containers (or startup/readiness probes) wait for each other's Services
  WaitsForOwnService,        // an init container (or a startup/readiness probe) waits for a Service only its own pod could serve
  SidecarAsRegularContainer, // restartPolicy Never/OnFailure, one regular container exits, another runs forever
  StartupProbeCannotPass,    // the behaviour answers the startup probe later than it tolerates
  PreStopLongerThanGrace,    // the preStop hook outlasts terminationGracePeriodSeconds
  LivenessEqualsReadiness,   // same handler kind and timings for liveness and readiness
  OutOfMemoryAtStart,        // the memory-use behaviour starts above limits.memory: OOMKilled on every start
};

/// The finding's name as `podsim lint` prints it ("wait-cycle", "waits-for-own-service", ...).
std::string_view toString(FindingKind kind) noexcept;

/// One finding: which pod, where in the files, and what is wrong in a plain sentence.
struct Finding {
  FindingKind kind = FindingKind::WaitCycle;
  std::string pod;        // the pod's name
  std::string fieldPath;  // e.g. "spec.initContainers[0].command"
  api::SourceLocation where;  // the container (or pod) the path starts at; line 0 when unknown
  std::string message;    // one or two sentences, no location
};

/// Every finding of the scenario, by pod in Scenario::pods order, then by kind, then container.
/// Never throws except std::bad_alloc.
std::vector<Finding> lintScenario(const scenario::Scenario& scenario);

/// "file:line:col: pod NAME: fieldPath: message [kind]" (the location part left out when unknown).
std::string formatFinding(const Finding& finding);

}  // namespace podsim::graph
