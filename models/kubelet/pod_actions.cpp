// models/kubelet/pod_actions.cpp: computePodActions and computeInitContainerActions.
#include "models/kubelet/pod_actions.hpp"

#include <algorithm>

namespace podsim::kubelet {

namespace {

bool shouldRestartOnFailure(const api::Pod& pod) { return pod.restartPolicy != api::RestartPolicy::Never; }

bool isSidecar(const api::Pod& pod, std::size_t i) { return pod.containerType(i) == api::ContainerType::Sidecar; }

bool containerChanged(const PodActionsInputs& in, std::size_t i, const RuntimeContainerStatus& s) {
  return in.specHashes != nullptr && (*in.specHashes)[i] != s.specHash;
}

const ContainerProbeResults* probesOf(const PodActionsInputs& in, std::size_t i) {
  return in.probes != nullptr ? &(*in.probes)[i] : nullptr;
}

void addInitStart(PodActions& out, std::int32_t i) {
  if (std::find(out.initContainersToStart.begin(), out.initContainersToStart.end(), i) ==
      out.initContainersToStart.end()) {
    out.initContainersToStart.push_back(i);
  }
}

// kuberuntime_container.go computeInitContainerActions (the sidecar-aware path).
// Walks init containers from last to first: the newest one with a status decides what starts next;
// every earlier one is then "previously initialized", and only its sidecars are kept running.
// Returns whether the pod has been initialized.
bool computeInitContainerActions(const PodActionsInputs& in, PodActions& out) {
  const api::Pod& pod = *in.pod;
  const RuntimePodStatus& rt = *in.runtime;
  const std::size_t nInit = pod.initContainers.size();
  if (nInit == 0) return true;
  // A regular container that is created or running means initialization happened in the past; from v1.37
  // any regular container status of the current sandbox does (container/helpers.go
  // HasAnyActiveRegularContainerStarted reads ActiveContainerStatuses: an instance of an older sandbox, e.g.
  // from before a node reboot, does not count).
  bool podHasInitialized = false;
  for (std::size_t k = nInit; k < pod.containerCount(); ++k) {
    const RuntimeContainerSlot& s = rt.containers[k];
    if (s.hasLatest && ((in.anyActiveRegularContainerInitializes && rt.active(s.latest)) || s.latest.state == ContainerState::Created ||
                        s.latest.state == ContainerState::Running)) {
      podHasInitialized = true;
      break;
    }
  }
  bool previouslyInitialized = podHasInitialized;
  const bool restartOnFailure = shouldRestartOnFailure(pod);
  for (std::size_t k = nInit; k-- > 0;) {
    const auto i = static_cast<std::int32_t>(k);
    const RuntimeContainerSlot& slot = rt.containers[k];
    const bool sidecar = isSidecar(pod, k);
    if (!slot.hasLatest) {
      // A sidecar whose status vanished after initialization is started again.
      if (previouslyInitialized && sidecar) addInitStart(out, i);
      continue;
    }
    if (previouslyInitialized && !sidecar) continue;  // after initialization only sidecars are kept running
    const RuntimeContainerStatus& s = slot.latest;
    switch (s.state) {
      case ContainerState::Created:
        // The runtime probably failed to start it: start it again rather than leave it stuck.
        addInitStart(out, i);
        break;
      case ContainerState::Running: {
        if (!sidecar) break;  // a regular init container: wait for it to finish
        const ContainerProbeResults* pr = probesOf(in, k);
        const api::Container& c = pod.container(k);
        if (c.startupProbe) {
          if (pr == nullptr || !pr->startupFound) break;  // the startup probe has not run yet: wait
          if (pr->startup != ProbeResult::Success) {
            if (pr->startup == ProbeResult::Failure) {
              out.containersToKill.push_back({i, KillReason::StartupProbe, true});
              addInitStart(out, i);
            }
            break;
          }
        }
        if (k == nInit - 1) {
          podHasInitialized = true;
        } else if (!previouslyInitialized) {
          addInitStart(out, i + 1);  // initialized for the first time: start the next one
        }
        if (containerChanged(in, k, s)) {
          out.containersToKill.push_back({i, KillReason::DefinitionChanged, true});
          addInitStart(out, i);
          break;
        }
        if (c.livenessProbe) {
          if (pr == nullptr || !pr->livenessFound) break;
          if (pr->liveness == ProbeResult::Failure) {
            out.containersToKill.push_back({i, KillReason::LivenessProbe, true});
            addInitStart(out, i);
            break;
          }
        }
        if (in.resizeRestart != nullptr && (*in.resizeRestart)[k] != 0) {
          // computePodResizeAction (v1.37.2 computeInitContainerActions): a RestartContainer resize policy.
          out.containersToKill.push_back({i, KillReason::ResizeRestart, false});
          addInitStart(out, i);
        }
        break;
      }
      case ContainerState::Exited:
        if (sidecar) {
          addInitStart(out, i);
        } else if (s.exitCode != 0) {
          // ContainerRestartRules on: ShouldContainerBeRestarted (the init container's own rules) decides.
          if (!(in.containerRestartRules ? shouldContainerBeRestarted(pod, k, rt, in.deleting, true, in.restartAllContainers)
                                         : restartOnFailure)) {
            out.killPod = true;
            out.initContainersToStart.clear();
            return false;
          }
          addInitStart(out, i);
        } else if (k == nInit - 1) {
          podHasInitialized = true;
        } else {
          addInitStart(out, i + 1);
        }
        break;
      case ContainerState::Unknown:
        if (sidecar) {
          out.containersToKill.push_back({i, KillReason::Unknown, true});
          addInitStart(out, i);
        } else {
          // ContainerRestartRules on: the container-level policy only (no exit code to match rules on).
          const auto& c = pod.container(k);
          const bool restart = in.containerRestartRules && c.restartPolicy ? *c.restartPolicy != api::RestartPolicy::Never
                                                                           : restartOnFailure;
          if (!restart) {
            out.killPod = true;
            out.initContainersToStart.clear();
            return false;
          }
          out.containersToKill.push_back({i, KillReason::Unknown, true});
          addInitStart(out, i);
        }
        break;
    }
    previouslyInitialized = true;  // every init container before this one has been initialized
  }
  if (!previouslyInitialized) addInitStart(out, 0);  // none started yet: start the first one
  std::sort(out.initContainersToStart.begin(), out.initContainersToStart.end());
  return podHasInitialized;
}

}  // namespace

bool hasAnyRegularContainerCreated(const api::Pod& pod, const RuntimePodStatus& runtime) {
  for (std::size_t i = pod.initContainers.size(); i < pod.containerCount(); ++i) {
    if (runtime.containers[i].hasLatest) return true;
  }
  return false;
}

// kuberuntime_manager.go computePodActions (the ContainerRestartRules branches: v1.35.4..v1.37.2).
void computePodActions(const PodActionsInputs& in, PodActions& out) {
  out.clear();
  const api::Pod& pod = *in.pod;
  const RuntimePodStatus& rt = *in.runtime;
  const std::size_t nInit = pod.initContainers.size();
  const std::size_t n = pod.containerCount();

  // PodSandboxChanged: no sandbox, or a sandbox that is not ready, must be (re)created.
  const bool createSandbox = !rt.sandboxExists || !rt.sandboxReady;
  if (createSandbox) {
    out.killPod = true;
    out.createSandbox = true;
    out.attempt = rt.sandboxAttempt + 1;
    bool anyStatus = false;
    for (const auto& s : rt.containers) anyStatus = anyStatus || s.hasLatest;
    if (in.deleting) {
      out.createSandbox = false;
      return;
    }
    if (!shouldRestartOnFailure(pod) && out.attempt != 0 && anyStatus) {
      out.createSandbox = false;  // restartPolicy Never and the pod already ran: it is done
      return;
    }
    // runOnce: the pod's OnFailure, or with ContainerRestartRules the container's own policy when set.
    const auto runOnce = [&](std::size_t i) {
      const auto& c = pod.container(i);
      if (in.containerRestartRules && c.restartPolicy) return *c.restartPolicy == api::RestartPolicy::OnFailure;
      return pod.restartPolicy == api::RestartPolicy::OnFailure;
    };
    std::size_t toStart = 0;
    for (std::size_t i = nInit; i < n; ++i) {
      const RuntimeContainerSlot& s = rt.containers[i];
      const bool succeeded = s.hasLatest && s.latest.state == ContainerState::Exited && s.latest.exitCode == 0;
      if (runOnce(i) && succeeded) continue;
      ++toStart;
    }
    if (toStart == 0 && hasAnyRegularContainerCreated(pod, rt)) {
      out.createSandbox = false;
      return;
    }
    if (nInit != 0) {
      out.initContainersToStart.push_back(0);
      return;
    }
    for (std::size_t i = nInit; i < n; ++i) {
      const RuntimeContainerSlot& s = rt.containers[i];
      const bool succeeded = s.hasLatest && s.latest.state == ContainerState::Exited && s.latest.exitCode == 0;
      if (runOnce(i) && succeeded) continue;
      out.containersToStart.push_back(static_cast<std::int32_t>(i));
    }
    return;
  }

  const bool initialized = computeInitContainerActions(in, out);
  if (out.killPod || !initialized) return;

  std::size_t keepCount = 0;
  for (std::size_t k = nInit; k < n; ++k) {
    const auto i = static_cast<std::int32_t>(k);
    const RuntimeContainerSlot& slot = rt.containers[k];
    if (!slot.hasLatest || slot.latest.state != ContainerState::Running) {
      if (shouldContainerBeRestarted(pod, k, rt, in.deleting, in.containerRestartRules, in.restartAllContainers)) {
        out.containersToStart.push_back(i);
        if (slot.hasLatest && slot.latest.state == ContainerState::Unknown) {
          out.containersToKill.push_back({i, KillReason::Unknown, true});
        }
      }
      continue;
    }
    bool restart = shouldRestartOnFailure(pod);
    // ContainerRestartRules: for a probe failure only the container-level policy counts (no exit code yet).
    if (in.containerRestartRules && pod.container(k).restartPolicy) {
      restart = *pod.container(k).restartPolicy != api::RestartPolicy::Never;
    }
    KillReason reason = KillReason::None;
    const ContainerProbeResults* pr = probesOf(in, k);
    if (containerChanged(in, k, slot.latest)) {
      reason = KillReason::DefinitionChanged;
      restart = true;
    } else if (pr != nullptr && pr->livenessFound && pr->liveness == ProbeResult::Failure) {
      reason = KillReason::LivenessProbe;
    } else if (pr != nullptr && pr->startupFound && pr->startup == ProbeResult::Failure) {
      reason = KillReason::StartupProbe;
    } else if (in.resizeRestart != nullptr && (*in.resizeRestart)[k] != 0) {
      // computePodResizeAction: killed and started again whatever the restart policy, and the container
      // does not count as kept (kuberuntime_manager.go computePodActions `continue`s before keepCount++).
      out.containersToStart.push_back(i);
      out.containersToKill.push_back({i, KillReason::ResizeRestart, false});
      continue;
    } else {
      ++keepCount;
      continue;
    }
    if (restart) out.containersToStart.push_back(i);
    out.containersToKill.push_back({i, reason, restart});
  }
  if (keepCount == 0 && out.containersToStart.empty()) {
    // Nothing keeps running and nothing will start: kill the pod (a Job-style pod with sidecars ends
    // here, and its sidecars are not restarted).
    out.killPod = true;
    bool hasSidecar = false;
    for (std::size_t i = 0; i < nInit; ++i) hasSidecar = hasSidecar || isSidecar(pod, i);
    if (hasSidecar) out.initContainersToStart.clear();
  }
}

}  // namespace podsim::kubelet
