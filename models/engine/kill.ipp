// models/engine/kill.ipp: container kills (kuberuntime_container.go killContainer): the Killing event,
// preStop, SIGTERM, SIGKILL after the stop timeout, and the sidecar termination order (grace periods and the
// turn decided by models/kubelet/termination).
// Does not own: when a kill is asked for (sync_pod.ipp, pod_worker.ipp), the process's exit (runtime.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


/// killPodWithSyncResult: every running container is killed at once; with sidecars, the sidecars
/// wait for the regular containers and for the sidecars after them (kubelet-semantics §11.3).
inline void SimulationImpl::killAllRunning(PodState& ps, Time grace) {
  const bool ordered = features.sidecarTerminationOrdering && kubelet::hasSidecars(ps.spec->pod);
  const api::Pod& pod = ps.spec->pod;
  for (std::size_t c = 0; c < ps.procs.size(); ++c) {
    Proc& pr = ps.procs[c];
    if (!pr.alive) continue;
    if (pr.kill != KillPhase::None) {
      // Already being killed (a probe kill, say): this termination waits for it too.
      if (!pr.killWaiter) {
        pr.killWaiter = true;
        ++ps.pendingKills;
      }
      continue;
    }
    const bool sidecar = pod.containerType(c) == api::ContainerType::Sidecar;
    killContainer(ps, static_cast<std::int32_t>(c), KillReason::None, false, grace, ordered && sidecar);
  }
  if (ps.pendingKills > 0 && ps.mode == WorkerMode::Syncing) ps.wait = Wait::Kill;
}


/// killContainer: `Killing` event, preStop (bounded by the grace period), SIGTERM, then SIGKILL after
/// max(remaining grace, 2 s). Returns whether a running process is now being waited for.
/// Source: kuberuntime_container.go killContainer, executePreStopHook.
inline bool SimulationImpl::killContainer(PodState& ps, std::int32_t c, KillReason reason, bool willRestart, Time grace, bool ordered) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  if (!pr.alive) return false;
  trace::EventRecord ev;
  ev.reason = api::EventReason::Killing;
  ev.message = trace::EventMessage::Killing;
  ev.container = c;
  ev.kill = reason;
  ev.willRestart = willRestart;
  event(ps, ev);
  if (!pr.killWaiter) {
    pr.killWaiter = true;
    ++ps.pendingKills;
  }
  if (pr.kill != KillPhase::None) return true;
  pr.killStart = env.now();
  pr.killGrace = grace;
  pr.orderedKill = ordered;
  const api::LifecycleHandler& preStop = ps.spec->pod.container(static_cast<std::size_t>(c)).lifecycle.preStop;
  if (preStop.present() && grace > 0) {
    const scenario::HookBehavior& hb = behavior(ps, c).preStop;
    pr.kill = KillPhase::PreStop;
    ps.hookFailed = false;
    hookRecord(ps, c, trace::HookKind::PreStop, trace::HookState::Started);
    if (hb.script && preStop.kind == api::HandlerKind::Exec) {
      // The command runs in the container; the grace period bounds it (executePreStopHook).
      pr.killTimer = eventAfter<&SimulationImpl::onPreStopDone>(grace, PreStopKey{ps.index, c, false});
      startHookScript(ps, c, *hb.script, true);
      return true;
    }
    const Time d = preStop.kind == api::HandlerKind::Sleep ? preStop.sleepSeconds * kSecond : hb.duration;
    pr.killTimer = eventAfter<&SimulationImpl::onPreStopDone>(
        std::min(d, grace), PreStopKey{ps.index, c, d <= grace && hb.fails && preStop.kind != api::HandlerKind::Sleep});
    return true;
  }
  afterPreStop(ps, c);
  return true;
}


inline void SimulationImpl::onPreStopDone(PreStopKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  stopHookScript(ps, c);
  hookRecord(ps, c, trace::HookKind::PreStop, key.hookFailed ? trace::HookState::Failed : trace::HookState::Finished);
  if (key.hookFailed) {
    trace::EventRecord ev = containerEvent(api::EventReason::FailedPreStopHook, trace::EventMessage::PreStopFailed, c, true);
    event(ps, ev);
  }
  afterPreStop(ps, c);
}


/// After preStop: the grace left (whole seconds spent are subtracted), then SIGTERM, unless a
/// sidecar must first wait for the containers it outlives.
inline void SimulationImpl::afterPreStop(PodState& ps, std::int32_t c) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  if (!pr.alive) return;
  const Time remaining = kubelet::remainingGracePeriod(pr.killGrace, env.now() - pr.killStart);
  if (kubelet::sidecarWaitsForTurn(pr.orderedKill, remaining) && !orderSatisfied(ps, c)) {
    pr.kill = KillPhase::Ordered;
    // The wait starts now, after preStop, bounded by the grace left after preStop; its own whole seconds
    // are subtracted at its end (kubelet::graceAfterTurn): killStart and killGrace now describe the wait.
    pr.killStart = env.now();
    pr.killGrace = remaining;
    pr.killTimer = eventAfter<&SimulationImpl::onOrderTimeout>(remaining, ContainerKey{ps.index, c});
    return;
  }
  sendSigterm(ps, c, remaining);
}


/// A sidecar gets SIGTERM once every regular container and every later sidecar has exited.
inline bool SimulationImpl::orderSatisfied(const PodState& ps, std::int32_t c) const {
  return kubelet::sidecarTurn(ps.spec->pod, static_cast<std::size_t>(c), ps.procs.size(),
                              [&](std::size_t i) { return ps.procs[i].alive; });
}


inline void SimulationImpl::onOrderTimeout(ContainerKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  if (pr.kill == KillPhase::Ordered) sendSigterm(ps, c, kubelet::graceAfterTurn(pr.killGrace, env.now() - pr.killStart));
}


inline void SimulationImpl::releaseOrderedSidecars(PodState& ps) {
  for (std::size_t c = ps.procs.size(); c-- > 0;) {
    Proc& pr = ps.procs[c];
    if (pr.alive && pr.kill == KillPhase::Ordered && orderSatisfied(ps, static_cast<std::int32_t>(c))) {
      env.cancel(pr.killTimer);
      sendSigterm(ps, static_cast<std::int32_t>(c), kubelet::graceAfterTurn(pr.killGrace, env.now() - pr.killStart));
    }
  }
}


/// StopContainer(timeout = max(remaining, 2 s)): the stop signal now, SIGKILL (exit 137) at the timeout. The stop
/// signal is SIGTERM, the image's STOPSIGNAL or the container's lifecycle.stopSignal (KEP-4960); how the process
/// meets it (exits after terminationDelay, ignores it, dies at once on SIGKILL) is compiled into its behaviour at
/// load time (models/scenario/behaviours.cpp imageProcess / applyStopSignal, models/kubelet/stop_signal.hpp), so
/// a kill costs the same whatever the signal.
inline void SimulationImpl::sendSigterm(PodState& ps, std::int32_t c, Time remaining) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  pr.kill = KillPhase::Term;
  pr.sigtermSent = true;
  trace.signal(env.now(), ps.index, c, false);
  const Time timeout = kubelet::stopTimeout(remaining);
  const scenario::ProcessBehavior& b = behavior(ps, c);
  env.cancel(pr.killTimer);
  if (!pr.ignoresSigterm && b.terminationDelay < timeout) {
    pr.killTimer = eventAfter<&SimulationImpl::onSigtermExit>(b.terminationDelay, ContainerKey{ps.index, c});
  } else {
    pr.killTimer = eventAfter<&SimulationImpl::onSigkill>(timeout, ContainerKey{ps.index, c});
  }
}


inline void SimulationImpl::onSigtermExit(ContainerKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  const scenario::ProcessBehavior& b = behavior(ps, c);
  const std::int32_t code = b.exitCodeOnSigterm;
  // An image's default process writes its shutdown lines (data/images.yaml onStopSignal).
  if (b.script && b.script->stopOutput >= 0 && trace.stored()) {
    writeLog(ps, c, *b.script, b.script->outputs[static_cast<std::size_t>(b.script->stopOutput)].ok);
  }
  processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
}


inline void SimulationImpl::onSigkill(ContainerKey key) {
  trace.signal(env.now(), key.pod, key.container, true);
  processExit(pods[key.pod], key.container, 137, Reason::Error);
}


inline void SimulationImpl::purgeInitContainers(PodState& ps) {
  for (std::size_t i = 0; i < ps.spec->pod.initContainers.size(); ++i) {
    ps.runtime.containers[i] = {};
    ps.runtimeTouched |= containerBit(i);
  }
}

}  // namespace podsim::engine
