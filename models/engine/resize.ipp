// models/engine/resize.ipp: in-place pod resize (InPlacePodVerticalScaling, 1.33+): the API's spec change
// (the resizeContainer action), the kubelet's allocation (allocation manager), the resize conditions, and
// what a sync does to the running containers. Decisions come from models/kubelet/resize.hpp.
// State: SimulationImpl::resizes, a side table by pod index (a pod never resized has no entry).
// Does not own: the kill and start of a RestartContainer resize (sync_pod.ipp through computePodActions).
#pragma once  // included once, by simulation.cpp

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {

namespace resize_detail {

/// The pod with each container's resources replaced by `resources` (unified index): what PodRequests reads.
inline api::Pod podWith(const api::Pod& pod, const std::vector<api::ResourceRequirements>& resources) {
  api::Pod p = pod;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    (i < p.initContainers.size() ? p.initContainers[i] : p.containers[i - p.initContainers.size()]).resources = resources[i];
  }
  return p;
}

}  // namespace resize_detail


inline ResizeState& SimulationImpl::resizeStateOf(PodState& ps) {
  const auto it = resizes.find(ps.index);
  if (it != resizes.end()) return it->second;
  ResizeState& r = resizes[ps.index];
  const api::Pod& pod = ps.spec->pod;
  const std::size_t n = pod.containerCount();
  r.desired.resize(n);
  r.allocatedView.resize(n);
  r.restart.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    r.desired[i] = pod.container(i).resources;
    r.allocatedView[i] = kubelet::containerResourcesFromRequirements(r.desired[i]);
  }
  r.allocated = r.desired;
  r.actuated = r.allocatedView;  // every instance so far was created with the manifest's resources
  return r;
}


/// The action: `kubectl patch pod --subresource resize` (the loader has checked it as the version's API
/// server would). The kubelet sees the update at once (HandlePodUpdates): from 1.34 the allocation manager
/// decides there (PushPendingResize, RetryPendingResizes); 1.33 decides at the start of the next sync
/// (kubelet.go SyncPod, handlePodResourcesResize). A pod not yet bound is admitted later with the new
/// resources (the scheduler already counts them).
/// Source: pkg/kubelet/kubelet.go HandlePodUpdates (v1.37.2), SyncPod (v1.33.13).
inline void SimulationImpl::resizeContainer(const scenario::Action& a) {
  PodState& ps = pods[a.pod];
  if (!ps.created || ps.removed || ps.apiGone) return;  // no Pod object to patch
  const api::Pod& pod = ps.spec->pod;
  const auto c = static_cast<std::size_t>(a.container);
  ResizeState& r = resizeStateOf(ps);
  api::ResourceRequirements next = kubelet::applyResize(r.desired[c], a.resources);
  if (sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 36} && ps.node >= 0) {
    // PodResizeValidator (plugin/pkg/admission/podresize): the API server rejects requests above the
    // allocatable of the pod's node; the loader warned that this check waits for the run.
    std::vector<api::ResourceRequirements> d = r.desired;
    d[c] = next;
    const auto why = kubelet::validateResizeAgainstAllocatable(sc.pods[static_cast<std::size_t>(ps.index)].pod.name, cluster::podRequests(resize_detail::podWith(pod, d)),
                                                               nodes[ps.node].spec.allocatable);
    if (!why.empty()) return;  // the patch fails; nothing changes
  }
  r.desired[c] = next;
  ++r.patches;
  if (!ps.scheduled) {
    // Not bound yet: the kubelet will admit the pod with these resources; the scheduler counts them now.
    r.allocated = r.desired;
    for (std::size_t i = 0; i < r.desired.size(); ++i) r.allocatedView[i] = kubelet::containerResourcesFromRequirements(r.desired[i]);
    r.actuated = r.allocatedView;
    ps.requests = cluster::podRequests(resize_detail::podWith(pod, r.allocated));
    return;
  }
  if (ps.terminal || kubelet::isPodPhaseTerminal(ps.api.phase)) return;  // nothing runs to resize
  if (sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 34} && !nodes[ps.node].kubeletDown) handlePodResourcesResize(ps, r);
  statusInputsChanged(ps);
  podWorkerUpdate(ps);
}


/// Source: pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize (v1.34.3+) and kubelet.go
/// handlePodResourcesResize (v1.33.13): desired == allocated clears PodResizePending; otherwise canResizePod
/// decides: Allocate (checkpoint the new allocation, clear PodResizePending; 1.33 also resets the crash-loop
/// back-off of each resized container), or PodResizePending with reason Infeasible or Deferred.
inline bool SimulationImpl::handlePodResourcesResize(PodState& ps, ResizeState& r) {
  const api::Pod& pod = ps.spec->pod;
  const Reason before = r.pending;
  bool allocated = false;
  if (r.desired == r.allocated) {
    r.pending = Reason::None;
  } else {
    NodeState& node = nodes[ps.node];
    kubelet::ResizeFitInputs in;
    in.desired = cluster::podRequests(resize_detail::podWith(pod, r.desired));
    in.allocatable = node.spec.allocatable;
    in.others = node.requested;
    if (ps.holdsResources) in.others -= ps.requests;
    in.version = sc.kubernetesVersion;
    const kubelet::ResizeVerdict v = kubelet::canResizePod(in);
    if (v.decision == kubelet::ResizeDecision::Allocate) {
      const bool oneThirtyThree = sc.kubernetesVersion == kubelet::KubernetesVersion{1, 33};
      for (std::size_t i = 0; i < r.desired.size(); ++i) {
        if (oneThirtyThree && !(r.desired[i] == r.allocated[i]) && i < ps.crash.size()) ps.crash[i] = {};
        r.allocatedView[i] = kubelet::containerResourcesFromRequirements(r.desired[i]);
      }
      r.allocated = r.desired;
      const cluster::Resources old = ps.requests;
      ps.requests = in.desired;
      if (ps.holdsResources) {
        node.requested -= old;
        node.requested += ps.requests;
        nodeChanged(ps.node);
      }
      r.pending = Reason::None;
      allocated = true;
      r.allocatedAt = env.now();
      // 1.35+: Event ResizeStarted (allocation_manager.go handlePodResourcesResize, events.PodResizeStartedMsg).
      if (sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 35}) trace.event(env.now(), ps.index, records::resizeEvent(api::EventReason::ResizeStarted));
      if (ps.requests.cpuMilli < old.cpuMilli || ps.requests.memoryBytes < old.memoryBytes) retryUnschedulable();
    } else {
      r.pending = v.decision == kubelet::ResizeDecision::Infeasible ? Reason::Infeasible : Reason::Deferred;
      // 1.35+: a Warning Event when SetPodResizePendingCondition changes the condition (new, another reason,
      // or another generation): ResizeInfeasible or ResizeDeferred (events.PodResizePendingMsg).
      if (sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 35} && (r.pending != before || r.patches != r.pendingPatches)) {
        const auto reason = r.pending == Reason::Infeasible ? api::EventReason::ResizeInfeasible : api::EventReason::ResizeDeferred;
        trace.event(env.now(), ps.index, records::resizeEvent(reason, v.requested, v.used, ps.node, v.memory));
      }
      r.pendingPatches = r.patches;
    }
  }
  if (allocated || r.pending != before) statusInputsChanged(ps);
  return allocated;
}


inline void SimulationImpl::updateResizeInProgress(PodState& ps, ResizeState& r) {
  const bool now = kubelet::isPodResizeInProgress(ps.spec->pod, r.allocatedView, r.actuated, ps.cache, initContainersResizable);
  if (now != r.inProgress) {
    r.inProgress = now;
    statusInputsChanged(ps, 0, true, false);
    // 1.34+: ClearPodResizeInProgressCondition cleared it: Event ResizeCompleted (kubelet.go SyncPod v1.35.4+,
    // allocation_manager.go CheckPodResizeInProgress v1.34.3).
    if (!now && sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 34}) {
      trace.event(env.now(), ps.index, records::resizeEvent(api::EventReason::ResizeCompleted, r.allocatedAt));
    }
  }
}


/// Source: pkg/kubelet/kubelet.go SyncPod (v1.37.2: IsPodResizeInProgress sets or clears PodResizeInProgress
/// before generateAPIPodStatus; v1.33.13: handlePodResourcesResize first, then the same in its defer), and
/// kuberuntime_manager.go computePodActions / computePodResizeAction with SyncPod step 6 (doPodResizeAction,
/// UpdateContainerResources). Simplification: the in-place update takes no time and is applied here, at the
/// start of the sync; nothing in the status can tell, since PodResizeInProgress is only looked at when the
/// next sync starts.
inline void SimulationImpl::resizeAtSync(PodState& ps) {
  const auto it = resizes.find(ps.index);
  if (it == resizes.end()) return;
  ResizeState& r = it->second;
  // 1.33 decides here, and so retries a Deferred resize at every sync. 1.34+ decided at the update; a resize
  // never decided (the kubelet was down then) is decided now, as the new kubelet's HandlePodAdditions does
  // (PushPendingResize, RetryPendingResizes).
  if (sc.kubernetesVersion == kubelet::KubernetesVersion{1, 33} || (r.pending == Reason::None && !(r.desired == r.allocated))) {
    handlePodResourcesResize(ps, r);
  }
  updateResizeInProgress(ps, r);
  const api::Pod& pod = ps.spec->pod;
  bool anyRestart = false;
  for (std::size_t i = 0; i < r.restart.size(); ++i) {
    std::uint8_t restart = 0;
    const kubelet::RuntimeContainerSlot& s = ps.cache.containers[i];
    if (s.hasLatest && s.latest.state == ContainerState::Running && kubelet::isResizableContainer(pod, i, initContainersResizable)) {
      const auto action = kubelet::computePodResizeAction(pod.container(i), r.allocatedView[i], r.actuated[i]);
      // A non-sidecar init container is never restarted for a resize (validation forbids RestartContainer).
      if (action == kubelet::ResizeAction::Restart && pod.containerType(i) != api::ContainerType::Init) {
        restart = 1;
      } else if (action != kubelet::ResizeAction::None) {
        r.actuated[i] = r.allocatedView[i];  // UpdateContainerResources: resized in place, no restart
      }
    }
    if (restart != r.restart[i]) {
      r.restart[i] = restart;
      ps.actionsMemo.invalidate();
    }
    anyRestart = anyRestart || restart != 0;
  }
  r.anyRestart = anyRestart;
}


inline void SimulationImpl::resizeContainerCreated(PodState& ps, std::size_t c) {
  const auto it = resizes.find(ps.index);
  if (it == resizes.end()) return;
  ResizeState& r = it->second;
  r.actuated[c] = r.allocatedView[c];  // generateContainerConfig uses the allocated resources
  if (r.restart[c] != 0) {
    r.restart[c] = 0;
    ps.actionsMemo.invalidate();
  }
}


inline void SimulationImpl::retryPendingResizes(std::int32_t node) {
  if (sc.kubernetesVersion < kubelet::KubernetesVersion{1, 34}) return;  // 1.33 retries at each sync of the pod
  for (auto& [index, r] : resizes) {
    PodState& ps = pods[index];
    if (r.pending != Reason::Deferred || ps.node != node || ps.terminal || ps.removed) continue;
    if (handlePodResourcesResize(ps, r)) podWorkerUpdate(ps);
  }
}

}  // namespace podsim::engine
