// models/engine/status_manager.ipp: the status manager (pkg/kubelet/status/status_manager.go SetPodStatus):
// writing the generated status into the API status, only the parts whose inputs changed, and the trace's
// status records and summary times.
// Does not own: status generation (models/kubelet/status), when a status is written (pod_worker.ipp,
// sync_pod.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


inline void SimulationImpl::emitPodRecord(PodState& ps) {
  if (ps.hasRecord && ps.recordSerial == ps.apiSerial && ps.lastRecord.phase == apiPhase(ps) &&
      ps.lastRecord.reason == apiReason(ps) && sameConditions(ps.lastRecord.conditions, ps.api.conditions) &&
      ps.lastRecord.customConditions == ps.api.customConditions &&
      ps.lastRecord.node == ps.node && ps.lastRecord.deleting == ps.deleting) {
    return;  // printPod reads nothing else: the record would be the last one again
  }
  ps.recordSerial = ps.apiSerial;
  if (!trace.enabled() || ps.apiGone) {
    // No trace to write: the kubectl columns are only read at the end (summaries, views), where
    // printedOf computes them from the final status, which is the one of this last record (every
    // change of the API status, deletion or node is followed by an emitPodRecord).
    ps.lastRecord.phase = apiPhase(ps);
    ps.lastRecord.reason = apiReason(ps);
    ps.lastRecord.conditions = ps.api.conditions;
    ps.lastRecord.customConditions = ps.api.customConditions;
    ps.lastRecord.node = ps.node;
    ps.lastRecord.deleting = ps.deleting;
    ps.hasRecord = true;
    ps.printedStale = true;
    trackConditions(ps, ps.lastRecord.conditions);
    return;
  }
  trace::PodStatusRecord r;
  r.phase = apiPhase(ps);
  r.reason = apiReason(ps);
  r.printed = printApiPod(ps);
  r.conditions = ps.api.conditions;
  r.customConditions = ps.api.customConditions;
  r.node = ps.node;
  r.deleting = ps.deleting;
  if (ps.hasRecord && r == ps.lastRecord) return;
  trackConditions(ps, r.conditions);
  ps.lastRecord = r;
  ps.hasRecord = true;
  trace.podStatus(env.now(), ps.index, r);
}


/// The summary's Ready and Initialized times, from the conditions of a new record (the same
/// conditions again change nothing).
inline void SimulationImpl::trackConditions(PodState& ps, const Conditions& conditions) {
  const Time now = env.now();
  const auto& ready = conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
  const bool isReady = ready.present && ready.status;
  if (isReady && ps.readySince < 0) {
    ps.readySince = now;
    if (ps.readyAt < 0) ps.readyAt = now;
  } else if (!isReady && ps.readySince >= 0) {
    ps.readyTime += now - ps.readySince;
    ps.readySince = -1;
  }
  const auto& init = conditions[static_cast<std::size_t>(kubelet::ConditionType::Initialized)];
  if (init.present && init.status && ps.initializedAt < 0) ps.initializedAt = now;
}


/// The kubectl columns of the pod's last record (computed here when the trace is off).
inline kubelet::PrintedPod SimulationImpl::printedOf(const PodState& ps) const {
  if (!ps.printedStale) return ps.lastRecord.printed;
  return printApiPod(ps);
}


/// The status as the API holds it: the kubelet's status with the phase and reason mergePodStatus held back.
inline ApiPodStatus SimulationImpl::apiStatusOf(const PodState& ps) const {
  ApiPodStatus s = ps.api;
  s.phase = apiPhase(ps);
  s.reason = apiReason(ps);
  return s;
}


/// printPod of the API's status (a copy only while a terminal phase is held back).
inline kubelet::PrintedPod SimulationImpl::printApiPod(const PodState& ps) const {
  if (!ps.phaseHeld) return kubelet::printPod(ps.spec->pod, ps.api, ps.deleting, sc.kubernetesVersion, ps.byName.data());
  return kubelet::printPod(ps.spec->pod, apiStatusOf(ps), ps.deleting, sc.kubernetesVersion, ps.byName.data());
}


/// mergePodStatus's phase rule (models/kubelet/status_merge.hpp mergePodStatusPhase) after a status
/// generation: `oldPhase`/`oldReason` are what the API held before it. A transition to a terminal phase is
/// held back while the pod worker has not finished terminating (CouldHaveRunningContainers; ps.terminal is
/// set when SyncTerminatingPod is done). Source: pkg/kubelet/status/status_manager.go mergePodStatus.
/// Simplification: the message is not modelled (only phase and reason are held).
inline void SimulationImpl::mergeApiPhase(PodState& ps, api::PodPhase oldPhase, Reason oldReason) {
  const auto toMerge = [](api::PodPhase p) {
    switch (p) {
      case api::PodPhase::Pending: return kubelet::MergePhase::Pending;
      case api::PodPhase::Running: return kubelet::MergePhase::Running;
      case api::PodPhase::Succeeded: return kubelet::MergePhase::Succeeded;
      case api::PodPhase::Failed: return kubelet::MergePhase::Failed;
      default: return kubelet::MergePhase::Unknown;
    }
  };
  const bool couldHaveRunningContainers = kubelet::CouldHaveRunningContainers(true, ps.terminal, true);
  const kubelet::PhaseReasonMessage oldStatus{toMerge(oldPhase), {}, {}};
  const kubelet::PhaseReasonMessage newStatus{toMerge(ps.api.phase), {}, {}};
  const bool held = ps.api.phase != oldPhase &&
                    kubelet::mergePodStatusPhase(oldStatus, newStatus, couldHaveRunningContainers) == oldStatus;
  ps.phaseHeld = held;
  if (held) {
    ps.heldPhase = oldPhase;
    ps.heldReason = oldReason;
  }
}


inline kubelet::StatusInputs SimulationImpl::statusInputs(const PodState& ps, const kubelet::RuntimePodStatus& runtime) const {
  kubelet::StatusInputs in;
  in.pod = &ps.spec->pod;
  in.runtime = &runtime;
  in.previous = &ps.api;
  in.reasons = &ps.reasons;
  in.probes = &ps.probes;
  in.deleting = ps.deleting;
  in.podIsTerminal = ps.terminal;
  in.scheduled = ps.scheduled;
  in.readyToStartContainersCondition = features.podReadyToStartContainersCondition;
  in.containerRestartRules = features.containerRestartRules;
  in.restartAllContainers = features.restartAllContainers;
  if (features.restartAllContainers && ps.hasRestartAllRule) {
    in.hasRestartAllRule = true;
    in.podRestarting = podRestartingAll(ps, runtime);
    int instances = 0;
    for (const kubelet::RuntimeContainerSlot& s : runtime.containers) instances += (s.hasLatest ? 1 : 0) + (s.hasPrevious ? 1 : 0);
    in.restartAllCleanedUp = kubelet::AllContainersRestartCleanedUp(instances);
  }
  if (!resizes.empty()) {
    const auto r = resizes.find(ps.index);
    if (r != resizes.end()) {
      in.resizePending = r->second.pending;
      in.resizeInProgress = r->second.inProgress;
    }
  }
  const std::int64_t deadline = activeDeadlineOf(ps);
  in.pastActiveDeadline = kubelet::pastActiveDeadline(deadline > 0 ? std::optional<std::int64_t>(deadline) : std::nullopt,
                                                      ps.startTime >= 0 ? std::optional<Time>(ps.startTime) : std::nullopt,
                                                      env.now());
  return in;
}


/// kubelet_pods.go generateAPIPodStatus `podRestarting`: ShouldAllContainersRestart over the API status and
/// the pod cache. Only for pods with a RestartAllContainers rule.
inline bool SimulationImpl::podRestartingAll(const PodState& ps, const kubelet::RuntimePodStatus& runtime) const {
  const auto& cond = ps.api.condition(kubelet::ConditionType::AllContainersRestarting);
  if (cond.present && cond.status) return true;
  const api::Pod& pod = ps.spec->pod;
  for (std::size_t i = 0; i < runtime.containers.size(); ++i) {
    const kubelet::RuntimeContainerSlot& s = runtime.containers[i];
    if (!s.hasLatest || s.latest.state != kubelet::ContainerState::Exited) continue;
    kubelet::ContainerExitView v;
    v.spec = &pod.container(i);
    v.runtimeState = kubelet::RuntimeContainerState::Exited;
    v.runtimeExitCode = s.latest.exitCode;
    if (i < ps.api.containers.size() && ps.api.containers[i].state.kind == kubelet::ContainerStateValue::Kind::Terminated) {
      v.apiTerminatedExitCode = ps.api.containers[i].state.exitCode;
    }
    if (kubelet::ShouldAllContainersRestart(false, true, std::span<const kubelet::ContainerExitView>(&v, 1))) return true;
  }
  return false;
}


/// Writes a freshly generated status (status manager SetPodStatus): trace records for every change.
inline void SimulationImpl::writeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime) {
  // A pod with a RestartAllContainers rule is regenerated whole: podRestarting reads the API's condition,
  // an input of every container's status that the memos do not track.
  if (opts.skipUnchangedStatus && !ps.hasRestartAllRule && ps.statusMemo.current() && ps.api.hasContainerStatuses) {
    emitPodRecord(ps);
    return;
  }
  const StatusMemo::Pending pending = ps.statusMemo.take();
  // Only what changed is regenerated: the containers whose inputs changed, and the pod-level part
  // when one of its inputs or a container status changed (TerminatePod touches every container).
  const bool full = !opts.skipUnchangedStatus || ps.hasRestartAllRule || !ps.api.hasContainerStatuses || ps.terminal ||
                    ps.api.containers.size() != ps.spec->pod.containerCount();
  if (full) {
    writeWholeStatus(ps, runtime);
    return;
  }
  const std::uint64_t regenerate = pending.containers;
  const bool podLevel = pending.podLevel;
  const kubelet::StatusInputs in = statusInputs(ps, runtime);
  // Each container whose inputs changed is regenerated beside the API's status and replaces it
  // when it differs (a container's status reads no other container's).
  std::uint64_t changedContainers = 0;
  const std::size_t n = ps.api.containers.size();
  const auto regenerateOne = [&](std::size_t i) {
    kubelet::ApiContainerStatus& st = containerScratch;
    kubelet::convertContainerStatus(in, i, st);
    // The image shown is the spec's current image until an instance of another one exists.
    if (!runtime.containers[i].hasLatest) st.imageId = ps.imageIds[i];
    if (!(st == ps.api.containers[i])) {
      ps.api.containers[i] = st;
      changedContainers |= containerBit(i);
      containerRecord(ps, {static_cast<std::int32_t>(i), st});
    }
  };
  for (std::uint64_t bits = regenerate & (n >= 64 ? ~0ULL : (1ULL << n) - 1); bits != 0; bits &= bits - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    if (i < 63 || n <= 63) regenerateOne(i);
  }
  for (std::size_t i = 63; i < n; ++i) regenerateOne(i);  // from 63 on: always regenerated
  if (changedContainers != 0) ++ps.apiSerial;
  const bool same = !podLevel && changedContainers == 0 && ps.statusMemo.podLevelHolds(ps.api, ps.apiSerial);
  if (!same) {
    const api::PodPhase oldPhase = apiPhase(ps);
    const Reason oldReason = apiReason(ps);
    // The pod-level part, in place (it reads the previous reason, phase and DisruptionTarget first).
    kubelet::generatePodLevelStatus(in, ps.api);
    ps.statusMemo.podLevelGenerated(ps.api, ps.apiSerial);
    mergeApiPhase(ps, oldPhase, oldReason);
  }
  emitPodRecord(ps);
  if (changedContainers != 0) wakeProbeWorkers(ps, changedContainers);
}


/// writeStatus without shortcuts: the whole status generated beside the API's, then swapped in.
inline void SimulationImpl::writeWholeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime) {
  ApiPodStatus& s = statusScratch;  // shared by all pods: its buffer is swapped with the pod's
  const api::PodPhase oldPhase = apiPhase(ps);
  const Reason oldReason = apiReason(ps);
  kubelet::generateAPIPodStatus(statusInputs(ps, runtime), s);
  bool changed = !ps.api.hasContainerStatuses || s.containers.size() != ps.api.containers.size();
  std::uint64_t wake = changed ? ~0ULL : 0;  // whose probe workers may now act differently
  for (std::size_t i = 0; i < s.containers.size(); ++i) {
    // The image shown is the spec's current image until an instance of another one exists.
    if (!runtime.containers[i].hasLatest) s.containers[i].imageId = ps.imageIds[i];
    if (!ps.api.hasContainerStatuses || !(s.containers[i] == ps.api.containers[i])) {
      changed = true;
      wake |= containerBit(i);
      containerRecord(ps, {static_cast<std::int32_t>(i), s.containers[i]});
    }
  }
  const bool headerChanged = s.phase != ps.api.phase || s.reason != ps.api.reason || s.customConditions != ps.api.customConditions ||
                             !sameConditions(s.conditions, ps.api.conditions);
  if (changed) {
    std::swap(ps.api, s);
    ++ps.apiSerial;
  } else if (headerChanged) {
    ps.api.phase = s.phase;
    ps.api.reason = s.reason;
    ps.api.conditions = s.conditions;
    ps.api.customConditions = s.customConditions;
  }
  ps.statusMemo.podLevelGenerated(ps.api, ps.apiSerial);
  mergeApiPhase(ps, oldPhase, oldReason);
  emitPodRecord(ps);
  if (wake != 0) wakeProbeWorkers(ps, wake);
}

}  // namespace podsim::engine
