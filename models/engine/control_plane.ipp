// models/engine/control_plane.ipp: the control plane: the API server's pod object life (createPod,
// deletePod), the scheduler loop (pkg/scheduler: filter, score, bind; the unschedulable queue), the node
// lifecycle controller (pkg/controller/nodelifecycle) and taint eviction; kubelet restarts and node outages
// as they reach the pods.
// Does not own: the scheduling rules (models/cluster), what the kubelet does with a bound or deleted pod
// (pod_worker.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


// ---- API server and scheduler -------------------------------------------------------------------

inline void SimulationImpl::createPod(std::int32_t p) {
  PodState& ps = pods[p];
  if (ps.created) return;
  ps.created = true;
  ps.createdAt = env.now();
  emitPodRecord(ps);
  const api::Pod& pod = ps.spec->pod;
  if (!pod.nodeName.empty()) {
    // A pod with spec.nodeName skips the scheduler: the kubelet of that node admits it.
    for (std::size_t i = 0; i < nodeNames.size(); ++i) {
      if (nodeNames[i] == pod.nodeName) bind(ps, static_cast<std::int32_t>(i), false);
    }
    return;
  }
  schedule(ps);
}


/// Filters the nodes from the round-robin start (nextStartNodeIndex) until numFeasibleNodesToFind of
/// them fit (every node below 100 nodes), scores those by least allocated (ties: the first visited),
/// and binds; a pod that fits nowhere stays Pending with PodScheduled=False (Unschedulable) and a
/// FailedScheduling event, and waits in the unschedulable queue until room appears.
/// Source: pkg/scheduler/schedule_one.go findNodesThatFitPod, findNodesThatPassFilters (v1.37.2).
/// Simplification: nodes are filtered one after another (the scheduler filters in parallel and may look
/// at a few more before it stops), and ties go to the first visited node (selectHost draws among them).
/// Cost: O(log nodes) a pod. Each node's feasibility and score for the pod's shape (its spec, shared by
/// replicas: PodState::spec, and its requests) are kept in nodeSearch, which finds where the scan stops
/// and the node it picks without visiting the nodes (models/cluster/node_search.hpp); a node is
/// re-filtered only when its requested resources or readiness changed (nodeChanged), and every node
/// when a pod of another shape comes. The scan's per-node failures are made only when no node fits.
inline void SimulationImpl::schedule(PodState& ps) {
  const api::Pod& pod = ps.spec->pod;
  const std::size_t all = nodes.size();
  const std::size_t toFind = cluster::numFeasibleNodesToFind(all);
  if (searchPod != &pod || !(searchRequests == ps.requests)) {
    searchPod = &pod;
    searchRequests = ps.requests;
    nodeSearch.reset(all);
    for (std::size_t i = 0; i < all; ++i) nodeSearch.set(i, nodeScore(pod, ps.requests, i));
  } else {
    for (const std::int32_t i : changedNodes) nodeSearch.set(static_cast<std::size_t>(i), nodeScore(pod, ps.requests, static_cast<std::size_t>(i)));
  }
  for (const std::int32_t i : changedNodes) nodeChangedFlags[static_cast<std::size_t>(i)] = 0;
  changedNodes.clear();
  const std::size_t start = nextStartNodeIndex;
  const cluster::NodeSearch::Pick picked = all > 0 ? nodeSearch.pick(start, toFind) : cluster::NodeSearch::Pick{};
  // The next pod starts where this one stopped (below 100 nodes every node is visited: no change).
  if (all > 0) nextStartNodeIndex = (start + picked.processed) % all;
  if (picked.node >= 0) {
    ps.unschedulable = false;
    bind(ps, picked.node, true);
    return;
  }
  const bool first = !ps.unschedulable;
  ps.unschedulable = true;
  ps.api.condition(kubelet::ConditionType::PodScheduled) = {true, false, Reason::Unschedulable};
  emitPodRecord(ps);
  if (first) {
    // Into the unschedulable queue, kept in pod (creation) order.
    const auto at = std::lower_bound(unschedulableQueue.begin(), unschedulableQueue.end(), ps.index);
    if (at == unschedulableQueue.end() || *at != ps.index) unschedulableQueue.insert(at, ps.index);
    // FailedScheduling names each node's failure, in the order the scan visited them (every node).
    std::vector<cluster::FitFailure>& failures = fitScratch;
    failures.resize(all);
    for (std::size_t k = 0; k < all; ++k) failures[k] = nodeFilter(pod, ps.requests, (start + k) % all);
    trace.event(env.now(), ps.index, records::failedScheduling(failures));
  }
}


/// Whether node `i` passes the filters for a pod of spec `pod` and effective requests `requests`
/// (cluster::filterNode, with the unreachable taints of a NotReady node), or the first that rejects it.
inline cluster::FitFailure SimulationImpl::nodeFilter(const api::Pod& pod, const cluster::Resources& requests, std::size_t i) const {
  static const std::vector<api::Toleration> none;
  const NodeState& n = nodes[i];
  return cluster::filterNode(pod, requests, n.spec, n.notReady ? unreachableTaints() : none, n.requested);
}


/// Node `i`'s score for a pod of spec `pod` and effective requests `requests`: LeastAllocated with the
/// pod's requests added, or -1 when a filter rejects the node (nodeFilter).
inline std::int64_t SimulationImpl::nodeScore(const api::Pod& pod, const cluster::Resources& requests, std::size_t i) const {
  if (nodeFilter(pod, requests, i) != cluster::FitFailure::None) return -1;
  const NodeState& n = nodes[i];
  cluster::Resources after = n.requested;
  after += requests;
  return cluster::leastAllocatedScore(n.spec, after);
}


/// Node `i`'s requested resources or readiness changed: the scheduler re-filters it before the next pod.
inline void SimulationImpl::nodeChanged(std::int32_t i) {
  auto& flag = nodeChangedFlags[static_cast<std::size_t>(i)];
  if (flag != 0) return;
  flag = 1;
  changedNodes.push_back(i);
}


inline void SimulationImpl::bind(PodState& ps, std::int32_t node, bool byScheduler) {
  ps.node = node;
  ps.scheduled = true;
  ps.holdsResources = true;
  nodes[node].requested += ps.requests;
  nodeChanged(node);
  statusInputsChanged(ps);
  ps.api.condition(kubelet::ConditionType::PodScheduled) = {true, true, Reason::None};
  if (byScheduler) {
    trace::EventRecord ev;
    ev.reason = api::EventReason::Scheduled;
    ev.message = trace::EventMessage::Scheduled;
    ev.node = node;
    trace.event(env.now(), ps.index, ev);
  }
  emitPodRecord(ps);
  podWorkerUpdate(ps);  // the kubelet's watch sees the pod bound to its node
}


/// A pod that reached a terminal phase or is gone no longer holds its requests; pods waiting for
/// room are tried again, in the order they were created (AssignedPodDelete moves them to activeQ).
inline void SimulationImpl::releaseResources(PodState& ps) {
  if (!ps.holdsResources) return;
  ps.holdsResources = false;
  nodes[ps.node].requested -= ps.requests;
  nodeChanged(ps.node);
  if (!resizes.empty()) retryPendingResizes(ps.node);  // the kubelet first (TriggerReasonPodsRemoved)
  retryUnschedulable();
}


/// Tries each pod of the unschedulable queue once, in pod order, as a cluster event that may free room
/// moves them back to activeQ (pkg/scheduler/backend/queue/scheduling_queue.go
/// MoveAllToActiveOrBackoffQueue). Only the waiting pods are visited, not every pod. Robust to pods
/// joining or leaving the queue meanwhile (a bind may reach the kubelet, which may free room again).
inline void SimulationImpl::retryUnschedulable() {
  if (unschedulableQueue.empty()) return;
  std::int32_t last = -1;
  for (;;) {
    const auto it = std::upper_bound(unschedulableQueue.begin(), unschedulableQueue.end(), last);
    if (it == unschedulableQueue.end()) break;
    last = *it;
    PodState& other = pods[last];
    if (other.unschedulable && other.created && !other.removed) schedule(other);
  }
  std::erase_if(unschedulableQueue, [&](std::int32_t p) {
    const PodState& o = pods[p];
    return !o.unschedulable || o.removed;
  });
}


/// failNode: the kubelet stops (crash or partition); containers are not reported any more. The
/// controller marks the node NotReady once the last Lease renewal is older than the grace period
/// (node monitor period 5 s in kubelet timing; exact in ideal timing).
inline void SimulationImpl::failNode(std::int32_t node) {
  NodeState& n = nodes[node];
  if (n.kubeletDown) return;
  n.kubeletDown = true;
  env.cancel(n.relistEvent);
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed) continue;
    env.cancel(ps.requeueEvent);
    env.cancel(ps.deferredEvent);
    for (auto& w : ps.workers) env.cancel(w.tick);
  }
  const Time lastRenewal = ideal ? env.now() : sim::lastTickAtOrBefore(env.now(), n.lease.renewPhase, 10 * kSecond);
  Time at = lastRenewal + nodeMonitorGrace();
  if (!ideal) at = sim::nextTickAtOrAfter(at, n.lease.renewPhase % (5 * kSecond), 5 * kSecond);
  n.monitorEvent = eventAt<&SimulationImpl::onNodeNotReady>(std::max(at, env.now()), NodeKey{node});
}


inline void SimulationImpl::onNodeNotReady(NodeKey key) {
  markNodeNotReady(key.node);
}


/// NotReady: unreachable NoSchedule/NoExecute taints; pods' Ready condition set False (NodeNotReady);
/// the taint-eviction controller deletes each pod when its toleration of the NoExecute taint runs out
/// (300 s by the admission default, or the pod's own tolerationSeconds).
inline void SimulationImpl::markNodeNotReady(std::int32_t node) {
  NodeState& n = nodes[node];
  n.notReady = true;
  nodeChanged(node);
  n.taintedAt = env.now();
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    trace::EventRecord ev;
    ev.reason = api::EventReason::NodeNotReady;
    ev.message = trace::EventMessage::NodeNotReady;
    ev.warning = true;
    trace.event(env.now(), ps.index, ev);
    ps.api.condition(kubelet::ConditionType::Ready) = {true, false, Reason::None};
    emitPodRecord(ps);
    std::int64_t seconds = -1;
    const api::Toleration& noExecute = unreachableTaints()[1];
    const bool explicitToleration = cluster::noExecuteToleration(ps.spec->pod.tolerations, noExecute, seconds);
    if (!explicitToleration) seconds = 300;  // DefaultTolerationSeconds admission plugin
    if (seconds < 0) continue;               // tolerates the taint forever
    eventAfter<&SimulationImpl::onTaintEviction>(seconds * kSecond, PodKey{ps.index});
  }
}


inline void SimulationImpl::onTaintEviction(PodKey key) {
  PodState& ps = pods[key.pod];
  NodeState& n = nodes[ps.node];
  if (!n.notReady || ps.deleting || ps.removed) return;
  trace::EventRecord ev;
  ev.reason = api::EventReason::TaintManagerEviction;
  ev.message = trace::EventMessage::TaintEviction;
  trace.event(env.now(), ps.index, ev);
  ps.api.condition(kubelet::ConditionType::DisruptionTarget) = {true, true, Reason::DeletionByTaintManager};
  deletePod(ps, -1);
}


/// restartKubelet: what the kubelet keeps only in memory is lost — crash-loop and image back-off
/// entries, the reason cache, probe workers and their results (kubelet-semantics §8.4, §7) — while
/// running containers keep running; the new kubelet syncs every pod and recreates the probe workers.
inline void SimulationImpl::restartKubelet(std::int32_t node) {
  if (nodes[node].kubeletDown) return;
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    loseKubeletMemory(ps);
    podWorkerUpdate(ps);
  }
}


/// The in-memory state a new kubelet process starts without. With ChangeContainerStatusOnKubeletRestart
/// off (1.35+ default) a container that was running and started before the restart keeps `started`, and
/// `ready` as models/kubelet/kubelet_restart.hpp decides, until its probes report; with the gate on (and
/// before 1.35) the probe results start empty. Source: pkg/kubelet/prober/prober_manager.go
/// isContainerStarted, UpdatePodStatus, setReadyStateOnKubeletRestart; prober/worker.go doProbe.
inline void SimulationImpl::loseKubeletMemory(PodState& ps) {
  for (auto& e : ps.crash) e = {};
  ps.pullBackoffs.clear();
  for (auto& r : ps.reasons) r = {};
  for (auto& w : ps.workers) {
    env.cancel(w.tick);
    w.clear();
  }
  ps.workersCreated = false;
  ps.keptOnRestart = 0;
  ps.readinessUnprobed = 0;
  const bool podWasReady = ps.api.condition(kubelet::ConditionType::Ready).present && ps.api.condition(kubelet::ConditionType::Ready).status;
  for (std::size_t i = 0; i < ps.probes.size(); ++i) {
    kubelet::ContainerProbeResults& pr = ps.probes[i];
    pr = {};
    if (!ps.api.hasContainerStatuses) continue;
    const kubelet::ApiContainerStatus& cs = ps.api.containers[i];
    const auto& spec = ps.spec->pod.container(i);
    const bool running = ps.runtime.containers[i].hasLatest && ps.runtime.containers[i].latest.state == kubelet::ContainerState::Running;
    const kubelet::KeptProbeResults kept = kubelet::probeResultsOnKubeletRestart(
        {running, ps.runtime.containers[i].latest.startedAt, env.now(), cs.started, spec.readinessProbe.has_value(), podWasReady},
        changeContainerStatusOnKubeletRestart);
    if (kept.startupSuccess) {
      pr.startupFound = true;
      pr.startup = kubelet::ProbeResult::Success;
    }
    if (kept.keepReadiness) {
      ps.keptOnRestart |= containerBit(i);
      ps.readinessUnprobed |= containerBit(i);
      pr.readinessFound = true;
      pr.readiness = kept.ready ? kubelet::ProbeResult::Success : kubelet::ProbeResult::Failure;
    }
  }
  statusInputsChanged(ps);
}


/// stopKubelet: the kubelet process stops. Nothing on the node reacts (no PLEG, no probes, no syncs);
/// the containers keep running or exit by themselves; the Lease is not renewed, so the node lifecycle
/// controller acts as for failNode.
inline void SimulationImpl::stopKubelet(std::int32_t node) { failNode(node); }


/// startKubelet: a new kubelet process (in-memory state lost as in restartKubelet) relists and syncs
/// every pod; the node reports Ready again.
inline void SimulationImpl::startKubelet(std::int32_t node) {
  if (!nodes[node].kubeletDown) return;
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    loseKubeletMemory(ps);
  }
  recoverNode(node);
}


/// rebootNode: every container process and pod sandbox on the node dies at once, without grace period
/// or preStop; the kubelet comes back (at once: the boot takes no simulated time) with its in-memory state
/// lost, finds each sandbox not ready and creates a new one, running the init containers again
/// (kuberuntime_manager.go computePodActions: podSandboxChanged, attempt + 1).
/// Simplification: a container lost in the reboot is reported exited with code 255, reason Unknown (what
/// containerd reports for a task lost with the machine); a postStart hook or image pull in flight is not
/// cancelled (its completion is ignored unless the new sync waits for the same step).
inline void SimulationImpl::rebootNode(std::int32_t node) {
  NodeState& n = nodes[node];
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    env.cancel(ps.requeueEvent);
    ps.requeueEvent = {};
    env.cancel(ps.deferredEvent);
    ps.deferredEvent = {};
    // The pod worker's sync or termination in progress is gone with the kubelet process.
    for (Proc& pr : ps.procs) pr.killWaiter = false;
    ps.pendingKills = 0;
    ps.wait = Wait::None;
    ps.stage = Stage::Done;
    ps.pending = false;
    if (ps.mode != WorkerMode::Terminated) ps.mode = WorkerMode::Idle;
    for (std::size_t c = 0; c < ps.procs.size(); ++c) processExit(ps, static_cast<std::int32_t>(c), 255, Reason::Unknown);
    if (ps.runtime.sandboxReady) {
      ps.runtime.sandboxReady = false;
      markDirty(ps);
    }
    loseKubeletMemory(ps);
  }
  if (n.kubeletDown) {
    recoverNode(node);  // the kubelet is started at boot
    return;
  }
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    podWorkerUpdate(ps);
  }
}


/// removeExitedContainers: the runtime forgets the pod's exited containers (container GC, `crictl rm`),
/// also while the kubelet is down; the kubelet sees them gone at its next relist, and its status generation
/// and computePodActions treat each as a container with no runtime status.
inline void SimulationImpl::removeExitedContainers(PodState& ps) {
  if (!ps.created || ps.removed) return;
  std::uint64_t touched = 0;
  for (std::size_t i = 0; i < ps.runtime.containers.size(); ++i) {
    kubelet::RuntimeContainerSlot& slot = ps.runtime.containers[i];
    if (slot.hasLatest && slot.latest.state == kubelet::ContainerState::Exited) {
      slot = {};
    } else if (slot.hasPrevious) {
      slot.hasPrevious = false;  // the running instance stays; its exited predecessor goes
      slot.previous = {};
    } else {
      continue;
    }
    touched |= containerBit(i);
  }
  if (touched != 0) markDirty(ps, touched);
}


/// recoverNode: the kubelet reports again; the taints go; its pods are synced (deleted ones are
/// terminated and removed), and pods waiting for room may now fit.
inline void SimulationImpl::recoverNode(std::int32_t node) {
  NodeState& n = nodes[node];
  if (!n.kubeletDown) return;
  n.kubeletDown = false;
  n.notReady = false;
  nodeChanged(node);
  n.taintedAt = -1;
  env.cancel(n.monitorEvent);
  for (auto& ps : pods) {
    if (ps.node != node || ps.removed || !ps.created) continue;
    for (ProbeWorker& w : ps.workers) {
      if (!w.exists || w.stopped) continue;
      w.idle = true;
      wakeWorker(ps, w.container, w.type);
    }
    markDirty(ps);
    statusInputsChanged(ps);
    podWorkerUpdate(ps);
  }
  retryUnschedulable();
}


/// Node failures drawn from the seed (spec.faults.nodes): failNode and recoverNode as the actions do.
inline void SimulationImpl::scheduleNodeFaults() {
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    for (const auto& w : injector->nodeOutages(static_cast<std::int32_t>(n), duration)) {
      eventAt<&SimulationImpl::onNodeFault>(w.from, NodeFaultKey{static_cast<std::int32_t>(n), true});
      if (w.to < duration) eventAt<&SimulationImpl::onNodeFault>(w.to, NodeFaultKey{static_cast<std::int32_t>(n), false});
    }
  }
}


inline void SimulationImpl::onNodeFault(NodeFaultKey key) {
  if (key.fails) {
    failNode(key.node);
  } else {
    recoverNode(key.node);
  }
}


/// API delete: deletionTimestamp and grace (kubelet-semantics §11.1); the kubelet then terminates it.
/// force (`kubectl delete --force --grace-period=0`): the API server removes the object at once
/// (PodRemoved now); the kubelet still terminates the pod, with the minimum grace period of 1 s
/// (pod_workers.go calculateEffectiveGracePeriod), and its status updates reach no object any more.
/// Source: pkg/registry/core/pod/strategy.go CheckGracefulDelete (grace 0 deletes at once);
/// pkg/kubelet/kubelet.go HandlePodRemoves.
inline void SimulationImpl::deletePod(PodState& ps, std::int64_t graceSeconds, bool force) {
  if (!ps.created || ps.removed || ps.deleting) return;
  ps.deleting = true;
  statusInputsChanged(ps);
  // The API server deletes at once a pod that is unscheduled or already terminal.
  const bool terminal = kubelet::isPodPhaseTerminal(apiPhase(ps));
  ps.deletionGrace = kubelet::calculateEffectiveGracePeriod(graceSeconds, ps.spec->pod);
  emitPodRecord(ps);
  wakeProbeWorkers(ps);
  if (!ps.scheduled || terminal || ps.mode == WorkerMode::Terminated) {
    if (ps.mode != WorkerMode::Terminated) {
      for (std::size_t c = 0; c < ps.procs.size(); ++c) processExit(ps, static_cast<std::int32_t>(c), 137, Reason::Error);
    }
    ps.removed = true;
    ps.unschedulable = false;
    ps.mode = WorkerMode::Terminated;
    env.cancel(ps.requeueEvent);
    trace.podRemoved(env.now(), ps.index);
    if (ps.node >= 0) releaseResources(ps);
    return;
  }
  if (force) {
    ps.apiGone = true;
    trace.podRemoved(env.now(), ps.index);
    podWorkerUpdate(ps);
    releaseResources(ps);  // the scheduler no longer counts it (its containers may still run)
    return;
  }
  podWorkerUpdate(ps);
}

}  // namespace podsim::engine
