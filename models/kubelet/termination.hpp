// models/kubelet/termination.hpp: the grace-period rules of a container kill and of a pod deletion, and
// the sidecar termination turn, as pure functions of plain values.
//
// Owns: how long a kill may take (setTerminationGracePeriod, calculateEffectiveGracePeriod, the stop
// timeout's minimum) and when a sidecar's turn to get SIGTERM comes. Does not own: carrying a kill out
// (preStop, SIGTERM, SIGKILL: models/engine/kill.ipp), the clock (every time is a plain value, ns).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "models/api/types.hpp"
#include "models/kubelet/pod_actions.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// kuberuntime_manager.go minimumGracePeriodInSeconds: a stop never gives less than 2 s after SIGTERM.
inline constexpr Time kMinimumGracePeriod = 2 * sim::kSecond;

/// The pod's own grace period (spec.terminationGracePeriodSeconds), ns.
[[nodiscard]] constexpr Time podGracePeriod(const api::Pod& pod) noexcept {
  return pod.terminationGracePeriodSeconds * sim::kSecond;
}

/// The grace period of a container kill (ns): the deletion's grace while the pod is being deleted, else a
/// failed startup or liveness probe's own terminationGracePeriodSeconds when set, else the pod's.
/// `deletionGrace` is read only when `deleting`. Source: pkg/kubelet/kuberuntime/kuberuntime_container.go
/// setTerminationGracePeriod.
[[nodiscard]] inline Time setTerminationGracePeriod(const api::Pod& pod, std::size_t container, KillReason reason, bool deleting,
                               Time deletionGrace) noexcept {
  if (deleting) return deletionGrace;
  const api::Container& spec = pod.container(container);
  if (reason == KillReason::StartupProbe && spec.startupProbe && spec.startupProbe->terminationGracePeriodSeconds >= 0) {
    return spec.startupProbe->terminationGracePeriodSeconds * sim::kSecond;
  }
  if (reason == KillReason::LivenessProbe && spec.livenessProbe && spec.livenessProbe->terminationGracePeriodSeconds >= 0) {
    return spec.livenessProbe->terminationGracePeriodSeconds * sim::kSecond;
  }
  return podGracePeriod(pod);
}

/// The grace period of a deleted pod's termination (ns): the delete request's grace seconds, or the pod's
/// terminationGracePeriodSeconds when the request gives none (< 0); never below 1 s ("no matter what, we
/// always supply a grace period of 1"). Simplification: one delete per pod, so the "can only decrease"
/// rule never applies. Source: pkg/kubelet/pod_workers.go calculateEffectiveGracePeriod.
[[nodiscard]] constexpr Time calculateEffectiveGracePeriod(std::int64_t requestedSeconds, const api::Pod& pod) noexcept {
  const std::int64_t g = requestedSeconds >= 0 ? requestedSeconds : pod.terminationGracePeriodSeconds;
  return std::max<std::int64_t>(g, 1) * sim::kSecond;
}

/// The grace left after preStop (ns): the whole seconds spent since the kill began are subtracted
/// (kuberuntime_container.go killContainer: gracePeriod -= int64(time.Since(start).Seconds())).
[[nodiscard]] constexpr Time remainingGracePeriod(Time grace, Time spent) noexcept {
  return grace - sim::wholeSeconds(spent) * sim::kSecond;
}

/// Whether a kill waits for the sidecar termination turn: the pod's kills are ordered and grace is left
/// after preStop (ns). Source: pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer
/// (`if ordering != nil && gracePeriod > 0`); kuberuntime_termination_order.go waitForTurn.
[[nodiscard]] constexpr bool sidecarWaitsForTurn(bool ordered, Time graceAfterPreStop) noexcept {
  return ordered && graceAfterPreStop > 0;
}

/// The grace left after the wait for the sidecar turn (ns): the wait starts after preStop, lasts at most
/// `graceAfterPreStop`, and its own whole seconds are subtracted, separately from preStop's (so a 1.6 s
/// preStop and a 1.6 s wait take 2 s, not 3 s). Source: pkg/kubelet/kuberuntime/kuberuntime_container.go
/// killContainer (`gracePeriod -= int64(ordering.waitForTurn(containerName, gracePeriod))`, v1.28..v1.37).
[[nodiscard]] constexpr Time graceAfterTurn(Time graceAfterPreStop, Time waited) noexcept {
  return graceAfterPreStop - sim::wholeSeconds(waited) * sim::kSecond;
}

/// StopContainer's timeout (ns): the remaining grace, at least kMinimumGracePeriod.
/// Source: pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer.
[[nodiscard]] constexpr Time stopTimeout(Time remaining) noexcept { return std::max(remaining, kMinimumGracePeriod); }

/// Whether the pod has a sidecar (an init container with restartPolicy Always): its kills are ordered.
[[nodiscard]] inline bool hasSidecars(const api::Pod& pod) noexcept {
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    if (pod.containerType(i) == api::ContainerType::Sidecar) return true;
  }
  return false;
}

/// The sidecar termination turn: sidecar `container` (unified index) gets SIGTERM once every regular
/// container and every sidecar after it has exited. `alive(i)` says whether container i still runs;
/// `count` is the pod's container count. Source: pkg/kubelet/kuberuntime/kuberuntime_termination_order.go
/// newTerminationOrdering, waitForTurn.
template <class Alive>
[[nodiscard]] bool sidecarTurn(const api::Pod& pod, std::size_t container, std::size_t count, Alive alive) {
  for (std::size_t i = container + 1; i < count; ++i) {
    const bool blocks = i >= pod.initContainers.size() || pod.containerType(i) == api::ContainerType::Sidecar;
    if (blocks && alive(i)) return false;
  }
  return true;
}

}  // namespace podsim::kubelet
