// models/kubelet/restart_rules.hpp: whether an exited container restarts, under the pod's restartPolicy, the
// container's own restartPolicy and its restartPolicyRules (KEP-5307, gate ContainerRestartRules), and the
// in-place restart of every container (KEP-5532, gate RestartAllContainersOnContainerExits).
//
// Owns: the pure decisions FindMatchingContainerRestartRule, ContainerShouldRestart, IsContainerRestartable,
// ShouldContainerBeRestarted (the exited-container part), ShouldAllContainersRestart,
// AllContainersRestartCleanedUp and GenerateAllContainersRestartingCondition. Does not own: acting on them
// (the engine), back-off (backoff.hpp), the API's validation (restart_rules_validation.hpp), the input
// types (models/api/types.hpp ContainerRestartSpec, a base of api::Container).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "models/api/types.hpp"

namespace podsim::kubelet {

/// The pod's `spec.restartPolicy` (core/v1 RestartPolicy; the API defaults it to Always).
using PodRestartPolicy = api::RestartPolicy;
/// A container's `restartPolicy` (core/v1 ContainerRestartPolicy): the same three values.
using ContainerRestartPolicy = api::RestartPolicy;
using api::ContainerRestartRule;
using api::ContainerRestartRuleAction;
using api::ContainerRestartRuleOnExitCodes;
using api::ContainerRestartRuleOnExitCodesOperator;
/// The restart fields of one container spec; api::Container derives from it.
using api::ContainerRestartSpec;

/// The first rule, in spec order, whose exitCodes match `exitCode` (In: listed; NotIn: not listed); nullptr
/// when none does. Rules without exitCodes or with another operator never match. Any action matches.
/// Source: pkg/api/v1/pod/util.go FindMatchingContainerRestartRule (v1.37.2; findMatching... in v1.34.3).
const ContainerRestartRule* FindMatchingContainerRestartRule(const ContainerRestartSpec& container,
                                                             std::int32_t exitCode) noexcept;

/// Whether a container that exited with `exitCode` restarts, in the source's decision order:
/// 1. if the container sets restartPolicy: the first matching rule decides when its action is Restart, or
///    RestartAllContainers with `restartAllContainersEnabled` (true); any other action falls through;
/// 2. else the container's policy: Always true, OnFailure exitCode != 0, Never false;
/// 3. without a container policy (rules are then ignored): the pod's policy, the same way.
/// `restartAllContainersEnabled` false gives the v1.34 form (no RestartAllContainers action).
/// Source: pkg/api/v1/pod/util.go ContainerShouldRestart (v1.35.4 = v1.36.3 = v1.37.2; v1.34.3 without the
/// RestartAllContainers case).
bool ContainerShouldRestart(const ContainerRestartSpec& container, PodRestartPolicy podPolicy, std::int32_t exitCode,
                            bool restartAllContainersEnabled) noexcept;

/// Whether the container could ever be restarted: a container policy with any Restart rule, or a container
/// policy other than Never; without one, a pod policy other than Never. (RestartAllContainers rules do not
/// count.) The prober stops probing a container that is exited and not restartable (1.35+).
/// Source: pkg/api/v1/pod/util.go IsContainerRestartable (v1.34.3..v1.37.2).
bool IsContainerRestartable(const ContainerRestartSpec& container, PodRestartPolicy podPolicy) noexcept;

/// The runtime state of a container's newest instance, as ShouldContainerBeRestarted reads it.
enum class RuntimeContainerState : std::uint8_t { None, Created, Running, Exited, Unknown };

/// Whether the kubelet (re)starts the container at this sync (ShouldContainerBeRestarted):
/// deletionTimestamp set -> false; no instance -> true; Running -> false; Unknown or Created -> true;
/// Exited: with ContainerRestartRules on, ContainerShouldRestart; else the pod's policy only (Never false,
/// OnFailure exitCode != 0, Always true). This is also what status generation asks before it shows the
/// reason cache's CrashLoopBackOff (so a sidecar under pod policy Never shows it only from 1.35).
/// Source: pkg/kubelet/container/helpers.go ShouldContainerBeRestarted (v1.34.3..v1.37.2; before 1.34 the
/// gate branch is absent, which equals containerRestartRulesEnabled false).
bool ShouldContainerBeRestarted(const ContainerRestartSpec& container, PodRestartPolicy podPolicy,
                                bool deletionTimestampSet, RuntimeContainerState state, std::int32_t exitCode,
                                bool containerRestartRulesEnabled, bool restartAllContainersEnabled) noexcept;

/// Whether a probe worker that finds its container not running keeps running (worker.go doProbe, "Abort
/// if the container will not be restarted"). Gate on, 1.35+: not terminated, or ContainerShouldRestart on
/// the terminated exit code, or the pod is restarting all its containers. Gate on, 1.34 (`v134Form`):
/// terminated or IsContainerRestartable, as that release wrote it. Gate off: not terminated, or the pod's
/// policy is not Never, or the container is a sidecar (`restartableInit`).
/// Source: pkg/kubelet/prober/worker.go doProbe (v1.34.3 gate branch; v1.35.4..v1.37.2).
/// Header-inline: the prober's tick asks it for every probe of a stopped container (hot path).
inline bool ProbeWorkerKeepsRunning(const ContainerRestartSpec& container, bool restartableInit, PodRestartPolicy podPolicy,
                                    bool terminated, std::int32_t exitCode, bool containerRestartRulesEnabled,
                                    bool restartAllContainersEnabled, bool allContainersRestarting, bool v134Form) noexcept {
  if (containerRestartRulesEnabled) {
    if (v134Form) return terminated || IsContainerRestartable(container, podPolicy);
    if (!terminated || (restartAllContainersEnabled && allContainersRestarting)) return true;
    if (!container.restartPolicy) {  // ContainerShouldRestart without a container policy: the pod's
      return podPolicy == PodRestartPolicy::Always || (podPolicy == PodRestartPolicy::OnFailure && exitCode != 0);
    }
    return ContainerShouldRestart(container, podPolicy, exitCode, restartAllContainersEnabled);
  }
  return !terminated || podPolicy != PodRestartPolicy::Never || restartableInit;
}

/// What ShouldAllContainersRestart sees of one spec container (init, sidecar or regular, spec order): the
/// state and exit code of the runtime's newest instance, and the API status's current terminated exit code.
struct ContainerExitView {
  const ContainerRestartSpec* spec = nullptr;
  RuntimeContainerState runtimeState = RuntimeContainerState::None;
  std::int32_t runtimeExitCode = 0;                   // meaningful when runtimeState is Exited
  std::optional<std::int32_t> apiTerminatedExitCode;  // API status state.terminated.exitCode
};

/// Whether the pod is (still) restarting all its containers: the API status already carries
/// AllContainersRestarting True, or some init/regular container exited with a code whose first matching
/// rule has action RestartAllContainers. With `haveRuntimeStatus` (the sync's call) a container whose
/// newest runtime instance is not Exited (or absent) is skipped altogether, its API status included; the
/// API status is read for a container whose Exited instance did not match. Without it (the prober's call,
/// podStatus nil) only the API status is read. The gate is checked by the callers.
/// Source: pkg/kubelet/container/helpers.go ShouldAllContainersRestart (v1.35.4..v1.37.2).
bool ShouldAllContainersRestart(bool apiConditionAllContainersRestartingTrue, bool haveRuntimeStatus,
                                std::span<const ContainerExitView> containers) noexcept;

/// True when no spec container (init or regular) has any instance left in the runtime.
/// Source: pkg/kubelet/container/helpers.go AllContainersRestartCleanedUp (v1.35.4..v1.37.2).
constexpr bool AllContainersRestartCleanedUp(int runtimeInstancesOfSpecContainers) noexcept {
  return runtimeInstancesOfSpecContainers == 0;
}

/// The AllContainersRestarting condition's status, reason and message (lastTransitionTime is the status
/// manager's). Reasons are pkg/kubelet/status constants: "PodCompleted", "PodFailed",
/// "RestartAllContainersStarted".
struct AllContainersRestartingCondition {
  bool status = false;
  std::string_view reason;
  std::string_view message;
};

/// Pod phase as generateAPIPodStatus computes it before the condition (only terminal phases matter here).
enum class PhaseForCondition : std::uint8_t { Pending, Running, Succeeded, Failed };

/// Succeeded -> False/PodCompleted; Failed -> False/PodFailed; not restarting -> False; restarting but every
/// container already removed -> False (startup begins again); else True/RestartAllContainersStarted/
/// "container exited with restart policy rule". Added to the conditions only with the gate on.
/// Source: pkg/kubelet/status/generate.go GenerateAllContainersRestartingCondition (v1.35.4..v1.37.2).
AllContainersRestartingCondition GenerateAllContainersRestartingCondition(PhaseForCondition phase, bool shouldRestartAll,
                                                                          bool cleanedUp) noexcept;

}  // namespace podsim::kubelet
