// models/kubelet/prober.cpp: the probe worker's pure steps (see prober.hpp).
#include "models/kubelet/prober.hpp"

namespace podsim::kubelet {

using Kind = ContainerStateValue::Kind;

ProbeGate probeGate(const ProbeWorkerMemory& w, const ProbeTarget& target) noexcept {
  if (!target.hasContainerStatuses) return ProbeGate::NoStatus;
  if (target.podTerminal) return ProbeGate::PodTerminal;
  if (target.containerID == 0) return ProbeGate::NotCreated;
  if (w.containerID != target.containerID) return ProbeGate::NewContainer;
  return ProbeGate::Same;
}

ProbeResult initialProbeResult(ProbeType t) noexcept {
  switch (t) {
    case ProbeType::Readiness: return ProbeResult::Failure;
    case ProbeType::Liveness: return ProbeResult::Success;
    case ProbeType::Startup: return ProbeResult::Unknown;
  }
  return ProbeResult::Unknown;
}

ProbeStep probeStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec, const ProbeTarget& target,
                    Time now) noexcept {
  if (w.onHold) return {};
  if (target.state != Kind::Running) {
    // A container that ended under restartPolicy Never will not come back: the worker stops.
    return {ProbeAction::RecordFailure, target.state != Kind::Terminated || !target.restartNever, sim::kForever};
  }
  if (target.deleting && t != ProbeType::Readiness) return {ProbeAction::StopTerminating, false, sim::kForever};
  // Startup probing stops once started; the other probes wait until the container has started.
  if (target.started ? t == ProbeType::Startup : t != ProbeType::Startup) return {};
  const Time startedAt = target.startedAt - target.startedAt % sim::kSecond;
  const Time delayEnd = startedAt + static_cast<Time>(spec.initialDelaySeconds) * sim::kSecond;
  if (now < delayEnd) return {ProbeAction::Wait, true, delayEnd};
  return {ProbeAction::Probe, true, sim::kForever};
}

ProbeResultChange probeResultStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                  ProbeResult result) noexcept {
  ProbeResultChange out;
  out.counted = w;
  out.recordUnhealthy = result == ProbeResult::Failure;
  if (w.lastResult == result) {
    ++out.counted.resultRun;
  } else {
    out.counted.lastResult = result;
    out.counted.resultRun = 1;
  }
  if ((result == ProbeResult::Failure && out.counted.resultRun < spec.failureThreshold) ||
      (result == ProbeResult::Success && out.counted.resultRun < spec.successThreshold)) {
    return out;  // below the threshold: the stored result does not change
  }
  out.store = true;
  // The container will be restarted: no probing until a new container ID.
  out.hold = t != ProbeType::Readiness && result == ProbeResult::Failure;
  return out;
}

bool probeResultSettled(const ProbeWorkerMemory& w, const api::Probe& spec, ProbeResult result) noexcept {
  const std::int32_t threshold = result == ProbeResult::Success ? spec.successThreshold : spec.failureThreshold;
  return w.lastResult == result && w.resultRun >= threshold;
}

Time firstInterestingProbeTime(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec, const ProbeTarget& target,
                               const ProbeOutlook& outlook, bool failureObservable, Time from) noexcept {
  ProbeTarget seen = target;
  seen.podTerminal = false;  // see Simplification in the header
  switch (probeGate(w, seen)) {
    case ProbeGate::NoStatus: return from;
    case ProbeGate::PodTerminal: return from;
    case ProbeGate::NotCreated: return sim::kForever;
    case ProbeGate::NewContainer: return from;
    case ProbeGate::Same: break;
  }
  const ProbeStep step = probeStep(w, t, spec, target, from);
  switch (step.action) {
    case ProbeAction::Wait: return step.until;
    case ProbeAction::RecordFailure:
      // Storing the Failure it already holds changes nothing.
      return target.storedFound && target.stored == ProbeResult::Failure ? sim::kForever : from;
    case ProbeAction::StopTerminating: return from;
    case ProbeAction::Probe: break;
  }
  if (!outlook.foreseeable) return from;
  const bool success = from >= outlook.successFrom && from < outlook.failureFrom;
  const ProbeResult r = success ? ProbeResult::Success : ProbeResult::Failure;
  if (!probeResultSettled(w, spec, r)) return from;
  if (!success && failureObservable) return from;  // each failing probe records an Unhealthy event
  // Idle until the result changes.
  if (success) return outlook.failureFrom;
  return from < outlook.successFrom ? outlook.successFrom : sim::kForever;
}

}  // namespace podsim::kubelet
