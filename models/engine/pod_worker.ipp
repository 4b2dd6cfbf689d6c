// models/engine/pod_worker.ipp: the pod worker (pkg/kubelet/pod_workers.go): updates, the wait for a newer
// pod cache, the requeue after a sync (decided by models/kubelet/pod_workers), and SyncTerminatingPod /
// SyncTerminatedPod.
// Does not own: the sync itself (sync_pod.ipp), kills (kill.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


// ---- pod worker (pod_workers.go) ----------------------------------------------------------------

inline void SimulationImpl::podWorkerUpdate(PodState& ps) {
  if (ps.node < 0 || nodes[ps.node].kubeletDown) return;  // no kubelet to act
  switch (ps.mode) {
    case WorkerMode::Idle: startSync(ps); break;
    case WorkerMode::WaitingCache:
    case WorkerMode::Syncing:
    case WorkerMode::Terminating: ps.pending = true; break;  // coalesced into one pending update
    case WorkerMode::Terminated: break;
  }
}


inline void SimulationImpl::startSync(PodState& ps) {
  ps.pending = false;
  if (!ideal && ps.lastSyncEnd >= 0) {
    // The worker waits until the pod cache is newer than the end of its previous sync
    // (pod_workers.go: cache.GetNewerThan), i.e. for the next PLEG relist.
    const NodeState& n = nodes[ps.node];
    const Time lastRelist = sim::lastTickAtOrBefore(env.now(), n.relistPhase, kRelistPeriod);
    if (lastRelist <= ps.lastSyncEnd) {
      const Time at = sim::nextTickAtOrAfter(ps.lastSyncEnd + 1, n.relistPhase, kRelistPeriod);
      ps.mode = WorkerMode::WaitingCache;
      ps.deferredEvent = eventAt<&SimulationImpl::onDeferredSync>(at, PodKey{ps.index});
      return;
    }
  }
  beginSync(ps);
}


inline void SimulationImpl::onDeferredSync(PodKey key) {
  PodState& ps = pods[key.pod];
  relistNode(ps.node);  // the relist of this tick lands before the sync reads the cache
  if (ps.mode != WorkerMode::WaitingCache) return;
  beginSync(ps);
}


/// When the work queue hands the pod back (kubelet-semantics §10.3).
inline void SimulationImpl::scheduleRequeue(PodState& ps) {
  env.cancel(ps.requeueEvent);
  ps.requeueEvent = {};
  kubelet::SyncOutcome outcome;
  outcome.error = ps.syncError;
  outcome.plainError = ps.plainError;
  outcome.errorDue = ps.errorDue;
  outcome.pullFailedThisSync = ps.pullFailedThisSync;
  const kubelet::RequeuePlan plan = kubelet::requeuePlan(outcome, {ideal, backoffAwareRequeue}, env.now());
  if (!plan.requeue) return;
  // The pod's own stream draws the jitter only when the plan asks for one.
  const Time due = kubelet::requeueAt(plan, plan.draw ? ps.rng.uniformTime(plan.jitterLow, plan.jitterHigh) : 0);
  Time at = due;
  if (!ideal) at = sim::nextTickAtOrAfter(due, nodes[ps.node].tickPhase, kSyncTickPeriod);
  ps.requeueEvent = eventAt<&SimulationImpl::onRequeue>(at, PodKey{ps.index});
}


inline void SimulationImpl::onRequeue(PodKey key) {
  PodState& ps = pods[key.pod];
  ps.requeueEvent = {};
  podWorkerUpdate(ps);
}


// ---- active deadline (pkg/kubelet/active_deadline.go; kubelet.go syncLoop's sync ticker) ----------

/// The kubelet has no timer for the deadline: its syncLoop's 1 s sync ticker asks ShouldSync
/// (getPodsToSync), so the pod is synced at the first tick at or after startTime + activeDeadlineSeconds
/// (exactly then in ideal timing). Source: kubelet.go getPodsToSync; models/kubelet/active_deadline.hpp.
inline void SimulationImpl::scheduleActiveDeadline(PodState& ps) {
  env.cancel(ps.deadlineEvent);
  ps.deadlineEvent = {};
  const std::int64_t deadline = activeDeadlineOf(ps);
  if (deadline <= 0 || ps.startTime < 0 || ps.terminal || ps.removed) return;
  const std::optional<Time> due = kubelet::activeDeadlineDue(deadline, ps.startTime);
  Time at = *due;
  if (!ideal && ps.node >= 0) at = sim::nextTickAtOrAfter(at, nodes[ps.node].tickPhase, kSyncTickPeriod);
  ps.deadlineEvent = eventAt<&SimulationImpl::onActiveDeadline>(std::max(at, env.now()), PodKey{ps.index});
}


inline void SimulationImpl::onActiveDeadline(PodKey key) {
  PodState& ps = pods[key.pod];
  ps.deadlineEvent = {};
  if (ps.terminal || ps.removed) return;
  statusInputsChanged(ps);  // status generation now reads ShouldEvict true
  podWorkerUpdate(ps);
}


inline void SimulationImpl::recordDeadlineEvent(PodState& ps) {
  const std::int64_t deadline = activeDeadlineOf(ps);
  if (deadline <= 0 || ps.startTime < 0) return;
  const kubelet::ShouldEvictResponse r = kubelet::activeDeadlineShouldEvict(deadline, ps.startTime, env.now());
  if (!r.evict) return;
  trace::EventRecord ev;
  ev.reason = api::EventReason::DeadlineExceeded;
  ev.message = trace::EventMessage::DeadlineExceeded;
  event(ps, ev);
}


// ---- termination (kubelet.go SyncTerminatingPod / SyncTerminatedPod) ----------------------------

inline void SimulationImpl::beginTerminating(PodState& ps) {
  recordDeadlineEvent(ps);  // SyncTerminatingPod generates the status (ShouldEvict) first
  ps.mode = WorkerMode::Terminating;
  env.cancel(ps.requeueEvent);
  ps.requeueEvent = {};
  ps.wait = Wait::None;
  ps.pendingKills = 0;
  killAllRunning(ps, ps.deleting ? ps.deletionGrace : podGrace(ps));
  if (ps.pendingKills == 0) finishTerminating(ps);
}


inline void SimulationImpl::finishTerminating(PodState& ps) {
  ps.runtime.sandboxReady = false;
  ++ps.runtimeVersion;
  ps.terminal = true;
  statusInputsChanged(ps);
  ps.cache = ps.runtime;
  ps.cacheVersion = ps.runtimeVersion;
  ps.runtimeTouched = 0;
  statusInputsChanged(ps);
  recordDeadlineEvent(ps);  // SyncTerminatedPod generates the status once more
  env.cancel(ps.deadlineEvent);
  ps.deadlineEvent = {};
  writeStatus(ps, ps.cache);
  ps.mode = WorkerMode::Terminated;
  if (ps.deleting && !ps.removed) {
    ps.removed = true;
    if (!ps.apiGone) trace.podRemoved(env.now(), ps.index);
  }
  releaseResources(ps);
}

}  // namespace podsim::engine
