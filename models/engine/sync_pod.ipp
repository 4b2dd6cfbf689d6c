// models/engine/sync_pod.ipp: Kubelet.SyncPod and kuberuntime_manager.go SyncPod: write the status, compute
// the actions (models/kubelet/pod_actions computePodActions), carry them out in SyncPod's step order, and
// complete the sync (reason cache, requeue).
// Does not own: one container's start (container_start.ipp) or kill (kill.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


/// Kubelet.SyncPod: write the status generated from the cache, then the runtime's SyncPod.
inline void SimulationImpl::beginSync(PodState& ps) {
  ps.mode = WorkerMode::Syncing;
  if (ideal) refreshCache(ps);  // the PLEG sees every change at once
  if (ps.startTime < 0) {
    // status.startTime: set by the status manager at the kubelet's first status of the pod
    // (status_manager.go updateStatusInternal); the active deadline counts from it.
    ps.startTime = env.now();
    if (activeDeadlineOf(ps) > 0) scheduleActiveDeadline(ps);
  }
  recordDeadlineEvent(ps);  // generateAPIPodStatus asks ShouldEvict, which records the Event
  if (!resizes.empty()) resizeAtSync(ps);  // in-place resize: conditions and each container's resize action
  writeStatus(ps, ps.cache);
  triggerReadinessProbes(ps);
  if (ps.deleting || kubelet::isPodPhaseTerminal(ps.api.phase)) {
    beginTerminating(ps);
    return;
  }
  addPodProbes(ps);
  kubelet::PodActionsInputs in;
  in.pod = &ps.spec->pod;
  in.runtime = &ps.cache;
  in.probes = &ps.probes;
  in.specHashes = &ps.specHash;
  in.deleting = ps.deleting;
  in.containerRestartRules = features.containerRestartRules;
  in.restartAllContainers = features.restartAllContainers;
  in.anyActiveRegularContainerInitializes = features.anyActiveRegularContainerInitializes;
  if (!resizes.empty()) {
    const auto r = resizes.find(ps.index);
    if (r != resizes.end() && r->second.anyRestart) in.resizeRestart = &r->second.restart;
  }
  // The actions are a pure function of these inputs: while none changed (ActionsMemo), the last
  // ones hold (a sync after a readiness result, say). advanceSync only reads them.
  // kubelet.go SyncPod: the API status says AllContainersRestarting True: the runtime's SyncPod resets
  // every container (computePodActions' restartingAllContainers branch) instead of the usual actions.
  const auto& restarting = ps.api.condition(kubelet::ConditionType::AllContainersRestarting);
  ps.resetAll = features.restartAllContainers && ps.hasRestartAllRule && restarting.present && restarting.status;
  if (!ps.resetAll && !ps.actionsMemo.current()) {
    kubelet::computePodActions(in, ps.actions);
    ps.actionsMemo.computed();
  }
  ps.stage = Stage::Kill;
  ps.cursor = 0;
  ps.wait = Wait::None;
  ps.killIssued = false;
  ps.pendingKills = 0;
  ps.syncError = false;
  ps.plainError = false;
  ps.errorDue = sim::kForever;
  ps.pullFailedThisSync = false;
  if (ps.anyResult) {
    std::fill(ps.results.begin(), ps.results.end(), StartResult{});
    ps.anyResult = false;
  }
  advanceSync(ps);
}


/// Carries out the actions in kuberuntime_manager.go SyncPod's step order; returns when blocked.
inline void SimulationImpl::advanceSync(PodState& ps) {
  const api::Pod& pod = ps.spec->pod;
  for (;;) {
    switch (ps.stage) {
      case Stage::Kill: {
        if (ps.pendingKills > 0) {
          ps.wait = Wait::Kill;
          return;
        }
        if (ps.resetAll) {
          resetAllContainers(ps);
          if (ps.wait == Wait::Kill) return;
          ps.stage = Stage::Done;
        } else if (ps.actions.killPod) {
          if (!ps.killIssued) {
            ps.killIssued = true;
            killAllRunning(ps, podGrace(ps));
            if (ps.pendingKills > 0) {
              ps.wait = Wait::Kill;
              return;
            }
          }
          ps.runtime.sandboxReady = false;  // StopPodSandbox
          markDirty(ps);
          if (ps.actions.createSandbox && ps.runtime.sandboxAttempt >= 0) purgeInitContainers(ps);
          ps.stage = Stage::Sandbox;
        } else {
          while (ps.cursor < ps.actions.containersToKill.size()) {
            const kubelet::ContainerToKill k = ps.actions.containersToKill[ps.cursor++];
            if (killContainer(ps, k.container, k.reason, k.willRestart, killGrace(ps, k.container, k.reason))) {
              ps.wait = Wait::Kill;
              return;  // kills are sequential and blocking
            }
          }
          ps.stage = Stage::Sandbox;
        }
        ps.cursor = 0;
        break;
      }
      case Stage::Sandbox:
        if (ps.actions.createSandbox) {
          ps.runtime.sandboxExists = true;
          ps.runtime.sandboxReady = true;
          ps.runtime.sandboxAttempt = ps.actions.attempt;
          markDirty(ps);
          // 1.36+: the OnPodSandboxReady callback sets PodReadyToStartContainers True at once.
          if (features.podReadyToStartContainersOnSandboxReady && !ps.apiGone && kubelet::OnPodSandboxReady(ps.api)) {
            emitPodRecord(ps);
          }
        }
        ps.stage = Stage::Init;
        ps.cursor = 0;
        break;
      case Stage::Init:
        while (ps.cursor < ps.actions.initContainersToStart.size()) {
          const std::int32_t c = ps.actions.initContainersToStart[ps.cursor];
          const StartStep r = startContainer(ps, c);
          if (r == StartStep::Blocked) return;
          ++ps.cursor;
          if (r == StartStep::Failed && pod.containerType(static_cast<std::size_t>(c)) != api::ContainerType::Sidecar) {
            ps.stage = Stage::Done;  // a regular init container failed to start: abort the sync
            break;
          }
        }
        if (ps.stage == Stage::Init) {
          ps.stage = Stage::Regular;
          ps.cursor = 0;
        }
        break;
      case Stage::Regular:
        while (ps.cursor < ps.actions.containersToStart.size()) {
          if (startContainer(ps, ps.actions.containersToStart[ps.cursor]) == StartStep::Blocked) return;
          ++ps.cursor;
        }
        ps.stage = Stage::Done;
        break;
      case Stage::Done:
        completeSync(ps);
        return;
    }
  }
}


/// End of a sync: reason cache update, requeue (pod_workers.go completeWork), next pending update.
inline void SimulationImpl::completeSync(PodState& ps) {
  for (std::size_t i = 0; ps.anyResult && i < ps.results.size(); ++i) {  // none: nothing to update
    const StartResult& r = ps.results[i];
    // Status generation reads the reason cache: only an entry that really changes is an input change.
    kubelet::ReasonCacheEntry& e = ps.reasons[i];
    if (r.outcome == StartOutcome::Started) {
      if (e.present || e.reason != Reason::None || e.backoff != 0) {
        e = {};
        statusInputsChanged(ps, containerBit(i), false, false);
      }
    } else if (r.outcome == StartOutcome::Failed) {
      if (!e.present || e.reason != r.reason || e.backoff != r.backoff) {
        e = {true, r.reason, r.backoff};
        statusInputsChanged(ps, containerBit(i), false, false);
      }
    }
  }
  if (ps.resetRemoved) {
    // kubelet.go SyncPod: a RemoveContainer succeeded, so the pod worker syncs again at once (UpdatePod).
    ps.resetRemoved = false;
    ps.pending = true;
  }
  ps.lastSyncEnd = env.now();
  ps.mode = WorkerMode::Idle;
  scheduleRequeue(ps);
  if (ideal) {
    // The ideal status manager sees the sync's own effects at once.
    if (refreshCache(ps)) ps.pending = true;
    if (!resizes.empty()) {
      const auto r = resizes.find(ps.index);
      if (r != resizes.end()) updateResizeInProgress(ps, r->second);
    }
    writeStatus(ps, ps.cache);
  }
  if (ps.pending) startSync(ps);
}


/// RestartAllContainers in place: kill every live container without grace period or preStop, one after
/// the other (regular containers, then init containers and sidecars, spec order; the exited ones, the
/// rule's source among them, are only removed), then remove every instance from the runtime. The sandbox
/// stays. Sets ps.wait = Wait::Kill while a kill is waited for.
/// Source: kuberuntime_manager.go computePodActions (restartingAllContainers branch, getContainersToReset)
/// and SyncPod (ContainersToReset: killContainer with grace 0 and no ordering, removeContainer), v1.37.2.
/// Simplification: the Killing Event carries the usual "Stopping container" message (the source passes
/// "killing"), and removal takes no time.
inline void SimulationImpl::resetAllContainers(PodState& ps) {
  const std::size_t n = ps.procs.size();
  const std::size_t nInit = ps.spec->pod.initContainers.size();
  ps.killIssued = true;
  while (ps.cursor < n) {
    const std::size_t k = ps.cursor++;
    const std::size_t c = k < n - nInit ? nInit + k : k - (n - nInit);  // regular containers first
    if (killContainer(ps, static_cast<std::int32_t>(c), KillReason::None, false, 0)) {
      ps.wait = Wait::Kill;
      return;
    }
  }
  std::uint64_t touched = 0;
  for (std::size_t i = 0; i < n; ++i) {
    kubelet::RuntimeContainerSlot& slot = ps.runtime.containers[i];
    if (!slot.hasLatest && !slot.hasPrevious) continue;
    if (slot.hasLatest) ps.restartsAfterReset[i] = slot.latest.restartCount + 1;
    slot = {};
    touched |= containerBit(i);
    ps.resetRemoved = true;
  }
  ps.runtimeTouched |= touched;
  if (touched != 0) markDirty(ps, touched);
}


inline void SimulationImpl::fail(PodState& ps, std::int32_t c, Reason reason, Time backoff, Time due, bool crashBackoff) {
  ps.results[static_cast<std::size_t>(c)] = {StartOutcome::Failed, reason, backoff};
  ps.anyResult = true;
  ps.syncError = true;
  if (crashBackoff) {
    ps.errorDue = std::min(ps.errorDue, due);
  } else {
    ps.plainError = true;
    if (due < sim::kForever) ps.errorDue = std::min(ps.errorDue, due);
  }
}

}  // namespace podsim::engine
