// models/engine/prober_workers.ipp: the probe workers (pkg/kubelet/prober: prober_manager.go, worker.go,
// results manager): their tickers, the skipping of ticks known to change nothing, manual readiness triggers,
// and the results manager's effects. Each tick's decision and the look-ahead are models/kubelet/prober.
// Does not own: the probe's answer beyond the process's behaviour (runtime.ipp serviceAnswers).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


/// probeManager.AddPod: one worker per container and probe, created at the pod's first sync before its
/// containers are started (kubelet.go SyncPod); the first doProbe runs at once, at creation, so it sees the
/// containers as they are then (kubelet::probeWorkerFirstProbe), then every periodSeconds.
inline void SimulationImpl::addPodProbes(PodState& ps) {
  if (ps.workersCreated) return;
  ps.workersCreated = true;
  ps.probeAnchor = env.now();  // every worker of the pod is created now: their ticks share this grid origin
  const api::Pod& pod = ps.spec->pod;
  for (ProbeWorker& w : ps.workers) {
    const api::Container& spec = pod.container(w.container);
    const std::optional<api::Probe>* probes[3] = {&spec.startupProbe, &spec.livenessProbe, &spec.readinessProbe};
    const auto c = static_cast<std::int32_t>(w.container);
    const auto t = static_cast<std::uint32_t>(w.type);
    w.exists = true;
    w.spec = &probes[t]->value();
    const scenario::ProcessBehavior& b = behavior(ps, c);
    const scenario::ProbeBehavior& pb = t == 0 ? b.startup : t == 1 ? b.liveness : b.readiness;
    w.unforeseeable = !pb.dependsOn.empty() || (injector && injector->probeFaulty(ps.index, c, static_cast<int>(t)));
  }
  // The first doProbe of each worker, now, before this sync starts any container (a tick at this instant
  // would run after the starts: ticks come last in their instant).
  static_assert(kubelet::probeWorkerFirstProbe(0, kSecond) == 0);
  for (ProbeWorker& w : ps.workers) onProbeTick(ProbeTickKey{ps.index, static_cast<std::int32_t>(w.container), w.type, false});
}


inline void SimulationImpl::onProbeTick(ProbeTickKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  const auto t = key.type;
  ProbeWorker& w = worker(ps, c, t);
  if (w.stopped || nodes[ps.node].kubeletDown) return;
  const bool manual = key.manual;
  if (!manual) {
    w.tick = {};
    w.idle = false;
    w.lastTick = env.now();
  } else {
    w.manualPending = false;
  }
  if (!doProbe(ps, c, t)) {
    w.stopped = true;
    env.cancel(w.tick);
    return;
  }
  if (manual) {
    wakeWorker(ps, c, t);  // the manual probe may have changed what the coming ticks do
    return;
  }
  if (w.tick.valid()) return;  // a wake during this probe already re-armed the ticker
  armTicker(ps, c, t);
}


/// Schedules the worker's next tick: the next one on its grid, or, when the ticks until some time
/// are known to change nothing, the first that may (the trace is the same either way).
inline void SimulationImpl::armTicker(PodState& ps, std::int32_t c, ProbeType t) {
  ProbeWorker& w = worker(ps, c, t);
  const Time period = static_cast<Time>(w.spec->periodSeconds) * kSecond;
  const Time next = sim::nextTickAtOrAfter(env.now() + 1, ps.probeAnchor, period);
  Time at = next;
  const Time interesting = opts.skipIdleProbeTicks ? firstInterestingTime(ps, c, t, next) : next;
  if (interesting > next) {
    w.idle = true;
    if (interesting == sim::kForever) return;  // nothing can happen until the pod's state changes
    at = sim::nextTickAtOrAfter(interesting, ps.probeAnchor, period);
  }
  w.tick = tickAt<&SimulationImpl::onProbeTick>(at, tickKey(ps, c, static_cast<std::uint32_t>(t)), ProbeTickKey{ps.index, c, t, false});
}


/// Re-arms an idle worker after a change of its pod's state, at the next tick of its grid that has
/// not yet had its turn, or, when that tick and the ones after it are known to change nothing in the
/// new state, at the first that may (the same look-ahead as armTicker: every change of what
/// firstInterestingTime reads wakes the worker again, so the answer holds until the tick).
inline void SimulationImpl::wakeWorker(PodState& ps, std::int32_t c, ProbeType t) {
  ProbeWorker& w = worker(ps, c, t);
  if (!w.exists || w.stopped || !w.idle) return;
  w.idle = false;
  env.cancel(w.tick);
  w.tick = {};
  const Time period = static_cast<Time>(w.spec->periodSeconds) * kSecond;
  const std::uint64_t key = tickKey(ps, c, static_cast<std::uint32_t>(t));
  Time at = sim::nextTickAtOrAfter(env.now(), ps.probeAnchor, period);
  // Its turn at this instant passed: events scheduled by the tick itself (a kill's SIGTERM exit, say)
  // run after it in the same instant with a lower order, so the order alone cannot tell.
  if (at == env.now() && (env.currentOrder() >= sim::Environment::tickOrder(key) || w.lastTick == at)) at += period;
  if (opts.skipIdleProbeTicks) {
    const Time interesting = firstInterestingTime(ps, c, t, at);
    if (interesting > at) {
      w.idle = true;
      if (interesting == sim::kForever) return;  // nothing can happen until the pod's state changes
      at = sim::nextTickAtOrAfter(interesting, ps.probeAnchor, period);
    }
  }
  w.tick = tickAt<&SimulationImpl::onProbeTick>(at, key, ProbeTickKey{ps.index, c, t, false});
}


/// Wakes the idle workers of the containers in `containers` (containerBit mask; default: all). A
/// worker's look-ahead reads only its own container's state and pod-wide flags, so a change of one
/// container's state wakes that container's workers only.
inline void SimulationImpl::wakeProbeWorkers(PodState& ps, std::uint64_t containers) {
  if (!ps.workersCreated) return;
  const std::size_t n = ps.workerAt.size() / 3;
  if (containers == ~0ULL) {
    for (std::size_t i = 0; i < ps.workers.size(); ++i) {
      const ProbeWorker& w = ps.workers[i];
      if (w.idle) wakeWorker(ps, w.container, w.type);
    }
    return;
  }
  while (containers != 0) {
    const auto bit = static_cast<std::size_t>(std::countr_zero(containers));
    containers &= containers - 1;
    const std::size_t last = bit == 63 ? n : std::min(bit + 1, n);  // the top bit stands for 63 and above
    for (std::size_t c = bit; c < last; ++c) {
      for (std::size_t t = 0; t < 3; ++t) {
        const ProbeWorker* w = findWorker(ps, c, static_cast<ProbeType>(t));
        if (w != nullptr && w->idle) wakeWorker(ps, static_cast<std::int32_t>(c), static_cast<ProbeType>(t));
      }
    }
  }
}


/// The earliest time >= `from` at which a tick of this worker may do something observable, given the
/// pod's state stays as it is (any change wakes the worker); `from` itself when it cannot tell.
/// Mirrors doProbe: a tick is idle when it returns before probing, or when it probes with the
/// result it already holds past its threshold and nothing to record (a success, or any result of
/// a readiness probe when no trace is kept).
inline Time SimulationImpl::firstInterestingTime(const PodState& ps, std::int32_t c, ProbeType t, Time from) const {
  const ProbeWorker& w = worker(ps, c, t);
  // The result is foreseeable from the behaviour while the probed process is the container's newest.
  const auto outlook = [&] {
    const auto ci = static_cast<std::size_t>(c);
    kubelet::ProbeOutlook o;
    o.foreseeable = ps.procs[ci].alive && ps.runtime.containers[ci].latest.id == ps.api.containers[ci].containerID && !w.unforeseeable;
    if (!o.foreseeable) return o;
    const scenario::ProcessBehavior& b = behavior(ps, c);
    const scenario::ProbeBehavior& pb = t == ProbeType::Startup ? b.startup : t == ProbeType::Liveness ? b.liveness : b.readiness;
    const bool timedOut = pb.duration > static_cast<Time>(w.spec->timeoutSeconds) * kSecond;
    const Time launch = ps.runtime.containers[ci].latest.startedAt;
    const Time succeedAfter = std::max(b.startDelay, pb.succeedAfter);  // kForever: `succeedAfter: never`
    o.successFrom = timedOut || succeedAfter == sim::kForever ? sim::kForever : launch + succeedAfter;
    o.failureFrom = timedOut || pb.failAfter == sim::kForever ? sim::kForever : launch + pb.failAfter;
    return o;
  };
  return kubelet::firstInterestingProbeTime(w.memory, t, *w.spec, probeTarget(ps, c), outlook,
                                            t != ProbeType::Readiness || trace.enabled(), from);
}


/// restart_rules.hpp ProbeWorkerKeepsRunning for container ci of `pod` in state `st` (not running); kept out
/// of line so that probeTarget, asked at every probe tick, stays small.
[[gnu::noinline]] inline bool probeWorkerKeepsRunning(const api::Pod& pod, std::size_t ci, const kubelet::ContainerStateValue& st,
                                                      const kubelet::Features& features, kubelet::KubernetesVersion version) {
  return kubelet::ProbeWorkerKeepsRunning(pod.container(ci), pod.containerType(ci) == api::ContainerType::Sidecar,
                                          pod.restartPolicy, st.kind == kubelet::ContainerStateValue::Kind::Terminated,
                                          st.exitCode, features.containerRestartRules, features.restartAllContainers,
                                          false, version < kubelet::KubernetesVersion{1, 35});
}


/// The API view of container c that its workers read: its status, and the results manager's results.
inline kubelet::ProbeTarget SimulationImpl::probeTarget(const PodState& ps, std::int32_t c) const {
  kubelet::ProbeTarget target;
  target.hasContainerStatuses = ps.api.hasContainerStatuses;
  if (!target.hasContainerStatuses) return target;
  const auto ci = static_cast<std::size_t>(c);
  target.podTerminal = kubelet::isPodPhaseTerminal(ps.api.phase);
  target.container = &ps.api.containers[ci];
  target.results = &ps.probes[ci];
  target.deleting = ps.deleting;
  // Read by probeStep only for a container that is not running: decided only then, out of line (hot path).
  const kubelet::ContainerStateValue& st = ps.api.containers[ci].state;
  if (st.kind != kubelet::ContainerStateValue::Kind::Running) {
    const api::Pod& pod = ps.spec->pod;
    if (pod.restartPolicy == api::RestartPolicy::Always && ci >= pod.initContainers.size() &&
        !pod.containers[ci - pod.initContainers.size()].restartPolicy) {
      target.keepIfNotRunning = true;  // the pod's Always restarts it under either form of the rule
    } else {
      target.keepIfNotRunning = probeWorkerKeepsRunning(pod, ci, st, features, sc.kubernetesVersion);
    }
  }
  return target;
}


/// The probe's result for the process of container c at this moment, from its behaviour.
inline kubelet::ProbeResult SimulationImpl::probeOutcome(const PodState& ps, std::int32_t c, ProbeType t, bool& timedOut) const {
  const auto ci = static_cast<std::size_t>(c);
  const scenario::ProcessBehavior& b = behavior(ps, c);
  const scenario::ProbeBehavior& pb = t == ProbeType::Startup ? b.startup : t == ProbeType::Liveness ? b.liveness : b.readiness;
  const api::Probe& spec = *worker(ps, c, t).spec;
  timedOut = pb.duration > static_cast<Time>(spec.timeoutSeconds) * kSecond;
  if (timedOut) return kubelet::ProbeResult::Failure;
  if (!ps.procs[ci].alive) return kubelet::ProbeResult::Failure;
  const Time since = env.now() - ps.runtime.containers[ci].latest.startedAt;
  bool ok = since >= b.startDelay && since >= pb.succeedAfter && since < pb.failAfter;
  if (worker(ps, c, t).unforeseeable) ok = dependentProbeResult(ps, c, t, pb, ok);
  return ok ? kubelet::ProbeResult::Success : kubelet::ProbeResult::Failure;
}


/// The probe's target answers only while the Services and endpoints it depends on answer, and an
/// injected fault may fail it (models/faults). Kept out of line: most probes have neither.
bool SimulationImpl::dependentProbeResult(const PodState& ps, std::int32_t c, ProbeType t,
                                              const scenario::ProbeBehavior& pb, bool ok) const {
  for (const std::int32_t d : pb.dependsOn) ok = ok && serviceAnswers(d, true);
  if (injector && injector->probeFails(ps.index, c, static_cast<int>(t))) ok = false;
  return ok;
}


/// worker.go doProbe, decided by models/kubelet/prober: returns whether the worker keeps going.
inline bool SimulationImpl::doProbe(PodState& ps, std::int32_t c, ProbeType t) {
  const auto ci = static_cast<std::size_t>(c);
  ProbeWorker& w = worker(ps, c, t);
  kubelet::ProbeTarget target = probeTarget(ps, c);
  switch (kubelet::probeGate(w.memory, target)) {
    case kubelet::ProbeGate::NoStatus:
    case kubelet::ProbeGate::NotCreated: return true;  // wait for more information
    case kubelet::ProbeGate::PodTerminal: return false;
    case kubelet::ProbeGate::NewContainer:
    case kubelet::ProbeGate::Same: break;
  }
  // Read through this reference after the results manager's side effects too (they may sync the pod).
  const kubelet::ApiContainerStatus& cs = ps.api.containers[ci];
  if (w.memory.containerID != cs.containerID) {
    w.memory.containerID = cs.containerID;
    // A container running since before a kubelet restart (gate ChangeContainerStatusOnKubeletRestart off)
    // gets no initial result: its kept `started`/`ready` hold until a probe reports (worker.go doProbe isRestart).
    if ((ps.keptOnRestart & containerBit(ci)) == 0) setProbeResult(ps, c, t, kubelet::initialProbeResult(t), true);
    w.memory.onHold = false;  // a new container: resume probing
  }
  target.deleting = ps.deleting;  // read again after the results manager's side effects, as before them
  const kubelet::ProbeStep step = kubelet::probeStep(w.memory, t, *w.spec, target, env.now());
  switch (step.action) {
    case kubelet::ProbeAction::Wait: return true;
    case kubelet::ProbeAction::RecordFailure:
      setProbeResult(ps, c, t, kubelet::ProbeResult::Failure, false);
      return step.keepGoing;
    case kubelet::ProbeAction::StopTerminating:
      setProbeResult(ps, c, t, kubelet::ProbeResult::Success, false);
      return step.keepGoing;  // no liveness or startup kills during termination
    case kubelet::ProbeAction::Probe: break;
  }
  bool timedOut = false;
  const kubelet::ProbeResult result = probeOutcome(ps, c, t, timedOut);
  const kubelet::ProbeResultChange change = kubelet::probeResultStep(w.memory, t, *w.spec, result);
  if (change.recordUnhealthy) {
    event(ps, records::unhealthy(c, t, timedOut));
  }
  w.memory = change.counted;
  if (!change.store) return true;
  setProbeResult(ps, c, t, result, false);
  if (change.hold) {
    w.memory.onHold = true;
    w.memory.resultRun = 0;
  }
  return true;
}


/// results manager Set; a change reaches the kubelet's sync loop (kubelet.go syncLoopIteration):
/// readiness and startup go straight into the status manager and sync the pod; a liveness
/// failure syncs the pod.
inline void SimulationImpl::setProbeResult(PodState& ps, std::int32_t c, ProbeType t, kubelet::ProbeResult r, bool fresh) {
  kubelet::ContainerProbeResults& pr = ps.probes[static_cast<std::size_t>(c)];
  if (t == ProbeType::Readiness) ps.readinessUnprobed &= ~containerBit(static_cast<std::size_t>(c));
  bool* found = t == ProbeType::Startup ? &pr.startupFound : t == ProbeType::Liveness ? &pr.livenessFound : &pr.readinessFound;
  kubelet::ProbeResult* value = t == ProbeType::Startup ? &pr.startup : t == ProbeType::Liveness ? &pr.liveness : &pr.readiness;
  if (*found && *value == r && !fresh) return;
  if (*found && *value == r) return;
  *found = true;
  *value = r;
  statusInputsChanged(ps, containerBit(static_cast<std::size_t>(c)), false, t != ProbeType::Readiness);
  kubelet::ApiContainerStatus& cs = ps.api.containers[static_cast<std::size_t>(c)];
  const api::Pod& pod = ps.spec->pod;
  switch (t) {
    case ProbeType::Readiness: {
      const bool ready = r == kubelet::ProbeResult::Success;
      if (cs.ready != ready && cs.containerID == worker(ps, c, t).memory.containerID) {
        cs.ready = ready;
        ++ps.apiSerial;
        kubelet::updateReadinessConditions(pod, ps.api);
        containerRecord(ps, {c, cs});
        emitPodRecord(ps);
        wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
      }
      podWorkerUpdate(ps);
      break;
    }
    case ProbeType::Startup: {
      const bool started = r == kubelet::ProbeResult::Success;
      if (cs.started != started && cs.containerID == worker(ps, c, t).memory.containerID) {
        cs.started = started;
        ++ps.apiSerial;
        kubelet::updateInitializedCondition(pod, ps.api);
        containerRecord(ps, {c, cs});
        emitPodRecord(ps);
        wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
      }
      podWorkerUpdate(ps);
      break;
    }
    case ProbeType::Liveness:
      if (r == kubelet::ProbeResult::Failure) podWorkerUpdate(ps);
      break;
  }
}


/// Status generation fires an immediate readiness probe for every started container whose
/// readiness is not Success yet (prober_manager.go UpdatePodStatus, manualTriggerCh).
inline void SimulationImpl::triggerReadinessProbes(PodState& ps) {
  for (std::size_t c = 0; c < ps.api.containers.size(); ++c) {
    ProbeWorker* found = findWorker(ps, c, ProbeType::Readiness);
    if (found == nullptr) continue;
    ProbeWorker& w = *found;
    if (!w.exists || w.stopped) continue;
    const kubelet::ApiContainerStatus& cs = ps.api.containers[c];
    if (!cs.started || cs.state.kind != kubelet::ContainerStateValue::Kind::Running) continue;
    const kubelet::ContainerProbeResults& pr = ps.probes[c];
    // A readiness kept across a kubelet restart is no stored result: the kubelet still triggers.
    if (pr.readinessFound && pr.readiness == kubelet::ProbeResult::Success && (ps.readinessUnprobed & containerBit(c)) == 0) continue;
    if (w.manualPending) continue;  // select { case manualTriggerCh <- struct{}{}: default: }
    w.manualPending = true;
    eventAt<&SimulationImpl::onProbeTick>(env.now(), ProbeTickKey{ps.index, static_cast<std::int32_t>(c), ProbeType::Readiness, true});
  }
}

}  // namespace podsim::engine
