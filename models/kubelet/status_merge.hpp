// models/kubelet/status_merge.hpp: the status manager's rule that a pod is not reported terminal while a
// container of it may still run.
//
// Owns: the phase/reason/message part of mergePodStatus and CouldHaveRunningContainers (pure). Does not own:
// the conditions' merge, nor the pod worker's states (the engine tells whether termination has finished).
#pragma once

#include <cstdint>
#include <string_view>

namespace podsim::kubelet {

/// core/v1 PodPhase.
enum class MergePhase : std::uint8_t { Pending, Running, Succeeded, Failed, Unknown };

/// The phase, reason and message of one pod status.
struct PhaseReasonMessage {
  MergePhase phase = MergePhase::Pending;
  std::string_view reason;
  std::string_view message;
  friend constexpr bool operator==(const PhaseReasonMessage&, const PhaseReasonMessage&) = default;
};

/// True while the pod worker has not finished SyncTerminatingPod (its sync status is not terminated);
/// a pod the worker does not know: true until the kubelet has synced all pods once after start.
/// Source: pkg/kubelet/pod_workers.go (*podWorkers).CouldHaveRunningContainers (v1.37.2; same since 1.22),
/// called by kubelet_pods.go PodCouldHaveRunningContainers (which also waits for DRA unprepare).
constexpr bool CouldHaveRunningContainers(bool workerKnowsPod, bool workerTerminated, bool podsSynced) noexcept {
  return workerKnowsPod ? !workerTerminated : !podsSynced;
}

constexpr bool isPodPhaseTerminal(MergePhase p) noexcept { return p == MergePhase::Succeeded || p == MergePhase::Failed; }

/// The phase, reason and message the status manager sends: a transition from a non-terminal to a terminal
/// phase is held back (the old phase, reason and message are kept) while the pod could have running
/// containers; anything else passes unchanged. The terminal status is sent at the first status update after
/// the worker finished terminating. Source: pkg/kubelet/status/status_manager.go mergePodStatus (v1.37.2;
/// the same rule with the same name since 1.27, checked in v1.28.15 and v1.29.15).
constexpr PhaseReasonMessage mergePodStatusPhase(const PhaseReasonMessage& oldStatus, const PhaseReasonMessage& newStatus,
                                                 bool couldHaveRunningContainers) noexcept {
  const bool transitioningToTerminalPhase = !isPodPhaseTerminal(oldStatus.phase) && isPodPhaseTerminal(newStatus.phase);
  if (transitioningToTerminalPhase && couldHaveRunningContainers) return oldStatus;
  return newStatus;
}

/// Whether the DisruptionTarget condition of the new status is sent: only together with the terminal phase
/// (transitioning, and no container may still run). Source: status_manager.go mergePodStatus (v1.37.2).
constexpr bool mergeSendsDisruptionTarget(MergePhase oldPhase, MergePhase newPhase,
                                          bool couldHaveRunningContainers) noexcept {
  return !isPodPhaseTerminal(oldPhase) && isPodPhaseTerminal(newPhase) && !couldHaveRunningContainers;
}

}  // namespace podsim::kubelet
