// models/kubelet/pod_actions.hpp: what one sync of a pod must do, decided purely from the spec and the
// observed state (decide, then act). Source: pkg/kubelet/kuberuntime/kuberuntime_manager.go
// computePodActions; pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions.
#pragma once

#include <cstdint>
#include <vector>

#include "models/api/types.hpp"
#include "models/kubelet/runtime_status.hpp"
#include "models/kubelet/status.hpp"

namespace podsim::kubelet {

/// Why a running container is killed; decides the `Killing` event message.
/// Source: kuberuntime_manager.go containerKillReason.
enum class KillReason : std::uint8_t {
  None,               // termination or KillPod: "Stopping container <name>"
  DefinitionChanged,  // "Container <c> definition changed"
  LivenessProbe,      // "Container <c> failed liveness probe"
  StartupProbe,       // "Container <c> failed startup probe"
  Unknown,            // "Container is in unknown state, try killing it before restart"
  FailedPostStartHook,
  ResizeRestart,      // "Container <c> resize requires restart" (computePodResizeAction; no ", will be restarted")
};

/// One entry of ContainersToKill: unified container index, why, and whether it will be restarted
/// (", will be restarted" in the message).
struct ContainerToKill {
  std::int32_t container = -1;
  KillReason reason = KillReason::None;
  bool willRestart = false;
};

/// The actions of one sync (kuberuntime_manager.go podActions). Cleared and refilled per sync so that
/// its vectors keep their capacity: no allocation on the hot path.
struct PodActions {
  bool killPod = false;
  bool createSandbox = false;
  std::int32_t attempt = 0;
  std::vector<std::int32_t> initContainersToStart;  // unified indices, ascending
  std::vector<std::int32_t> containersToStart;      // unified indices, spec order
  std::vector<ContainerToKill> containersToKill;

  void clear() noexcept {
    killPod = createSandbox = false;
    attempt = 0;
    initContainersToStart.clear();
    containersToStart.clear();
    containersToKill.clear();
  }
};

/// Everything computePodActions reads, by unified container index.
struct PodActionsInputs {
  const api::Pod* pod = nullptr;
  const RuntimePodStatus* runtime = nullptr;                 // the pod cache
  const std::vector<ContainerProbeResults>* probes = nullptr;
  const std::vector<std::uint32_t>* specHashes = nullptr;    // current spec hash per container
  bool deleting = false;
  bool containerRestartRules = true;  // Features::containerRestartRules (ContainerRestartRules gate)
  bool restartAllContainers = true;   // Features::restartAllContainers (RestartAllContainersOnContainerExits)
  /// Features::anyActiveRegularContainerInitializes: v1.37's HasAnyActiveRegularContainerStarted (any
  /// regular container status of the current sandbox, Exited included, means initialized); false: the
  /// v1.34..v1.36 rule (only Created and Running ones count).
  bool anyActiveRegularContainerInitializes = false;
  /// In-place resize: by unified index, 1 when computePodResizeAction answers Restart for the running
  /// container (models/kubelet/resize.hpp); null when no container waits for a resize (every pod that was
  /// never resized). Read for running regular containers and sidecars.
  const std::vector<std::uint8_t>* resizeRestart = nullptr;
};

/// Decides the sync's actions (kubelet-semantics §2.3, §3, §4). Pure: no clock, no randomness.
/// Source: kuberuntime_manager.go computePodActions; kuberuntime_container.go computeInitContainerActions.
void computePodActions(const PodActionsInputs& in, PodActions& out);

/// Whether a regular container of the pod was ever created in the current sandbox.
/// Source: kuberuntime_container.go hasAnyRegularContainerCreated.
bool hasAnyRegularContainerCreated(const api::Pod& pod, const RuntimePodStatus& runtime);

}  // namespace podsim::kubelet
