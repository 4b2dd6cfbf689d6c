// models/kubelet/api_status.hpp: the Pod status as the API holds it (v1.PodStatus, v1.ContainerStatus),
// kept as small values with enums so that generating and comparing it does no string work.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/api/reason.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// A container state (v1.ContainerState): exactly one of waiting, running, terminated.
struct ContainerStateValue {
  enum class Kind : std::uint8_t { Waiting, Running, Terminated };
  Kind kind = Kind::Waiting;
  api::Reason reason = api::Reason::None;  // waiting or terminated reason
  std::int32_t exitCode = 0;               // terminated only
  Time startedAt = -1;                     // running / terminated, ns
  Time finishedAt = -1;                    // terminated, ns
  Time backoff = 0;                        // waiting CrashLoopBackOff: the back-off in force, ns (message)
  bool operator==(const ContainerStateValue&) const = default;
};

/// v1.ContainerStatus for one container (by the pod's unified index).
struct ApiContainerStatus {
  ContainerStateValue state;
  ContainerStateValue lastState;  // lastTerminationState (terminated) when hasLastState
  std::int32_t restartCount = 0;
  std::int32_t imageId = -1;
  std::uint32_t containerID = 0;  // the instance shown (0: none yet); probe workers key on it
  bool hasLastState = false;
  bool started = false;
  bool ready = false;
  bool operator==(const ApiContainerStatus&) const = default;
};

/// Pod condition types the kubelet and scheduler own. Source: pkg/kubelet/status/generate.go.
enum class ConditionType : std::uint8_t {
  PodReadyToStartContainers,
  Initialized,
  Ready,
  ContainersReady,
  PodScheduled,
  DisruptionTarget,  // set by the control plane (taint eviction), preserved by the kubelet
  AllContainersRestarting,  // KEP-5532 (gate RestartAllContainersOnContainerExits)
  PodResizePending,         // in-place resize (1.33+): reason Infeasible or Deferred (status/status_manager.go)
  PodResizeInProgress,      // in-place resize (1.33+): allocated, not yet actuated
  Count
};
std::string_view toString(ConditionType c) noexcept;

/// One pod condition. `present` false: the condition is not in the status at all.
/// Two bytes (the flags are bits), so that the two resize conditions fit where the seven others took 21
/// bytes: a pod keeps two of these arrays (the status manager's and the last trace record's).
struct PodCondition {
  bool present : 1 = false;
  bool status : 1 = false;
  api::Reason reason = api::Reason::None;
  bool operator==(const PodCondition&) const = default;
};

/// v1.PodStatus: phase, reason, conditions and the container statuses (unified index order; the
/// API's sorting of regular containers by name is applied where it matters, in printPod).
struct ApiPodStatus {
  // The vector first, then the bytes: 48 bytes without padding (one per pod, and its copies).
  std::vector<ApiContainerStatus> containers;
  api::PodPhase phase = api::PodPhase::Pending;
  api::Reason reason = api::Reason::None;
  std::array<PodCondition, static_cast<std::size_t>(ConditionType::Count)> conditions{};
  bool hasContainerStatuses = false;  // false until the kubelet writes its first status
  /// The conditions that controllers outside the kubelet set (the `setPodCondition` action; the types of
  /// spec.readinessGates): 2 bits per type of Scenario::podConditionTypes (models/kubelet/readiness_gates.hpp
  /// CustomConditionStatus). The kubelet keeps them (kubelet_pods.go generateAPIPodStatus: "preserve all
  /// conditions not owned by the kubelet"). Lives in the struct's padding: no cost for pods without any.
  std::uint32_t customConditions = 0;
  bool operator==(const ApiPodStatus&) const = default;

  [[nodiscard]] const PodCondition& condition(ConditionType t) const {
    return conditions[static_cast<std::size_t>(t)];
  }
  PodCondition& condition(ConditionType t) { return conditions[static_cast<std::size_t>(t)]; }
};

}  // namespace podsim::kubelet
