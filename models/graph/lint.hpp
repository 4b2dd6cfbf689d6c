// models/graph/lint.hpp: `podsim lint`: what in a scenario can never work, found without running it.
//
// Owns the findings and their wording: those of issue 5 item 5 (a cycle of waits; an init container
// waiting for a Service only its own pod could serve; a sidecar written as a regular container in a pod
// meant to complete; a startup probe that cannot pass in time; a preStop hook longer than the grace
// period; a liveness probe equal to the readiness probe; a memory use above the limit from the start)
// and those of issue 14 item 7 (an init container waiting for a Service nothing creates; a script the
// shell rejects; a `dependsOn` naming nothing; a command that exits under restartPolicy Always; an image
// whose default command exits; an image not in the catalogue). Reads the Scenario, the DependencyGraph
// and the image catalogue (models/scenario/image_catalogue.hpp); does not run anything, read YAML or print.
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
  ServiceNeverCreated,       // an init container loops on nslookup/wget/curl/nc of a Service nothing creates
  ShellSyntaxError,          // the container's `sh -c` script is rejected by the shell: exit 2 before it runs
  DependsOnNothing,          // behaviors probes.<probe>.dependsOn names no Service, endpoint or createService
  ExitsUnderRestartAlways,   // the command ends by itself within 10 min, and the container is always restarted
  DefaultCommandExits,       // no command, and the image's default command exits at once (busybox `sh`)
  ImageNotInCatalogue,       // neither the catalogue nor spec.images knows the image: a registry must have it
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
