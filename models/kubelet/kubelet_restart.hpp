// models/kubelet/kubelet_restart.hpp: what a container's `started` and `ready` show after the kubelet
// process restarts (restartKubelet, startKubelet).
//
// Owns: the decision, per container, of which probe results the new kubelet behaves as if it had (pure).
// Does not own: dropping the rest of the kubelet's memory or recreating the probe workers (the engine).
#pragma once

#include <cstdint>

#include "sim/time.hpp"

namespace podsim::kubelet {

/// A container as the new kubelet process finds it: from the runtime and the API status it left behind.
struct RestartedContainer {
  bool running = false;          // the runtime reports it running
  sim::Time startedAt = 0;       // state.running.startedAt (ns)
  sim::Time kubeletStart = 0;    // when the new kubelet process started (prober manager `start`, ns)
  bool wasStarted = false;       // the API status's `started`
  bool hasReadinessProbe = false;
  bool podWasReady = false;      // the API status's Ready condition is True
};

/// What the new kubelet shows until the container's probe workers report: `startupSuccess` keeps
/// `started` true (no startup result, the old status's Started is used); `keepReadiness` shows `ready`
/// as `ready` until the first readiness result (the worker stores no initial Failure). Nothing kept:
/// the probe results start empty, as before the gate existed.
struct KeptProbeResults {
  bool startupSuccess = false;
  bool keepReadiness = false;
  bool ready = false;
  friend constexpr bool operator==(const KeptProbeResults&, const KeptProbeResults&) = default;
};

/// The prober manager's grace: a container started 10 s or less before the kubelet counts as new.
/// Source: pkg/kubelet/prober/prober_manager.go kubeletRestartGracePeriod (v1.35.4..v1.37.2).
inline constexpr sim::Time kKubeletRestartGracePeriod = 10 * sim::kSecond;

/// With ChangeContainerStatusOnKubeletRestart off (the 1.35+ default; the gate is deprecated), a running
/// container that started before kubeletStart - 10 s keeps `started` if it was started, and shows `ready`
/// = true unless it has a readiness probe and the pod was not Ready; the gate on (and every release
/// before 1.35, which behaves as if it were on) keeps nothing.
/// Source: pkg/kubelet/prober/prober_manager.go isContainerStarted, UpdatePodStatus,
/// setReadyStateOnKubeletRestart; prober/worker.go doProbe (isRestart: no initial value stored);
/// kubelet_pods.go convertToAPIContainerStatuses (Started copied for running containers), v1.37.2.
/// Simplification: `started` is kept only for the containers the grace counts as restarted (the kubelet
/// copies it for every running container, and the startup worker's initial Unknown overrides it at its
/// first run for the others).
constexpr KeptProbeResults probeResultsOnKubeletRestart(const RestartedContainer& c,
                                                        bool changeContainerStatusOnKubeletRestart) noexcept {
  if (changeContainerStatusOnKubeletRestart || !c.running) return {};
  if (!(c.startedAt < c.kubeletStart - kKubeletRestartGracePeriod)) return {};
  KeptProbeResults k;
  k.startupSuccess = c.wasStarted;
  k.keepReadiness = true;
  k.ready = !c.hasReadinessProbe || c.podWasReady;
  return k;
}

}  // namespace podsim::kubelet
