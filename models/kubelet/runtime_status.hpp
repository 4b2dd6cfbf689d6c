// models/kubelet/runtime_status.hpp: what the container runtime reports (kubecontainer.Status), and the
// pod cache the PLEG fills from it. Source: pkg/kubelet/container/runtime.go (PodStatus, Status).
//
// Per container name the runtime keeps its newest instance and one dead one before it: the kubelet
// only ever looks at two instances per name (convertToAPIContainerStatuses) and container GC keeps
// one dead instance (pkg/kubelet/kuberuntime/kuberuntime_gc.go). Containers are addressed by the
// pod's unified index (init containers first, then regular containers, in spec order).
#pragma once

#include <cstdint>
#include <vector>

#include "models/api/reason.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// CRI container state. Source: pkg/kubelet/container/runtime.go ContainerState.
enum class ContainerState : std::uint8_t { Created, Running, Exited, Unknown };

/// One container instance as the runtime reports it. Times in ns; -1 when not reached.
struct RuntimeContainerStatus {
  // Members ordered by size so that the struct has no padding (48 bytes; a pod keeps four per container).
  Time createdAt = -1;
  Time startedAt = -1;
  Time finishedAt = -1;
  std::int32_t exitCode = 0;
  std::int32_t restartCount = 0;  // the attempt number the kubelet gave the instance
  std::uint32_t specHash = 0;     // hash of the container spec it was created from
  std::int32_t imageId = -1;
  std::uint32_t id = 0;           // the container ID: unique per instance within a run, never 0
  ContainerState state = ContainerState::Created;
  api::Reason reason = api::Reason::None;  // terminated reason: Completed, Error, OOMKilled
  /// The attempt of the sandbox the instance was created in (low 16 bits of RuntimePodStatus::sandboxAttempt;
  /// it fills the struct's padding): the kubelet's ActiveContainerStatuses are those of the newest sandbox.
  std::uint16_t sandboxAttempt = 0;
  bool operator==(const RuntimeContainerStatus&) const = default;
};

/// The instances of one container name: `latest` (newest) and `previous` (the dead one before it).
struct RuntimeContainerSlot {
  bool hasLatest = false;
  bool hasPrevious = false;
  RuntimeContainerStatus latest;
  RuntimeContainerStatus previous;
  bool operator==(const RuntimeContainerSlot&) const = default;

  /// The newest instance whose state is Exited (doBackOff's search), or nullptr.
  [[nodiscard]] const RuntimeContainerStatus* newestExited() const noexcept {
    if (hasLatest && latest.state == ContainerState::Exited) return &latest;
    if (hasPrevious && previous.state == ContainerState::Exited) return &previous;
    return nullptr;
  }
};

/// The runtime's view of a pod (kubecontainer.PodStatus): sandbox and container instances.
struct RuntimePodStatus {
  bool sandboxExists = false;
  bool sandboxReady = false;
  std::int32_t sandboxAttempt = -1;  // -1: never created
  std::vector<RuntimeContainerSlot> containers;  // by unified index
  bool operator==(const RuntimePodStatus&) const = default;

  /// Whether `c` was created in the current sandbox (kubecontainer.PodStatus.ActiveContainerStatuses).
  [[nodiscard]] bool active(const RuntimeContainerStatus& c) const noexcept {
    return c.sandboxAttempt == static_cast<std::uint16_t>(sandboxAttempt);
  }
};

}  // namespace podsim::kubelet
