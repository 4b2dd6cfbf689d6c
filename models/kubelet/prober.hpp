// models/kubelet/prober.hpp: the probe worker's decisions (pkg/kubelet/prober/worker.go doProbe) as pure
// steps, and the look-ahead "the first tick whose result can differ", built from the same steps.
//
// Owns: what one tick of a worker decides from the worker's memory, the probe's spec and the API view of
// its container; what a probe result does to the worker. Does not own: running the probe (the engine's
// runtime answers it), the ticker, the results manager's side effects (a sync, a status write), time
// itself (every time here is a plain value, ns). Header-only: the engine calls these at every probe tick
// and every wake of a worker, and they must inline there (R1 ran ~10% slower with them out of line).
#pragma once

#include <cstdint>

#include "models/api/types.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/status.hpp"
#include "models/kubelet/restart_rules.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// Probe types, in the order ContainerProbeResults and the engine's workers use.
enum class ProbeType : std::uint8_t { Startup = 0, Liveness = 1, Readiness = 2 };

/// What a worker keeps between ticks (worker.go: containerID, lastResult, resultRun, onHold).
struct ProbeWorkerMemory {
  std::uint32_t containerID = 0;  // the container instance it last saw; 0: none
  std::int32_t resultRun = 0;     // how many probes in a row gave lastResult
  ProbeResult lastResult = ProbeResult::Unknown;
  bool onHold = false;            // a liveness/startup failure: no probing until a new container ID
};

/// The API view of the probed container a tick reads (the status manager's pod status) and the results
/// manager's results for it. The pointers refer to the caller's objects and are read during the call only.
struct ProbeTarget {
  bool hasContainerStatuses = false;
  bool podTerminal = false;                        // phase Succeeded or Failed
  const ApiContainerStatus* container = nullptr;   // the probed container's status; set when hasContainerStatuses
  const ContainerProbeResults* results = nullptr;  // the stored results of the container's probes; same
  bool deleting = false;                           // the pod has a deletionTimestamp
  /// Whether the worker keeps running once the container is not running (restart_rules.hpp
  /// ProbeWorkerKeepsRunning: the container will be restarted, or is not terminated).
  bool keepIfNotRunning = true;
};

/// The result the results manager holds for probe type `t` of a container; `found` says whether it holds one.
[[nodiscard]] inline ProbeResult storedResult(const ContainerProbeResults& r, ProbeType t, bool& found) noexcept {
  found = t == ProbeType::Startup ? r.startupFound : t == ProbeType::Liveness ? r.livenessFound : r.readinessFound;
  return t == ProbeType::Startup ? r.startup : t == ProbeType::Liveness ? r.liveness : r.readiness;
}

/// The first part of doProbe: whether the worker may look at the container at all.
enum class ProbeGate : std::uint8_t {
  NoStatus,      // the pod has no status yet: wait for more information
  PodTerminal,   // the pod reached Succeeded or Failed: the worker stops
  NotCreated,    // the container has no ID yet: wait
  NewContainer,  // a new container ID: adopt it, store the initial result, resume probing, then go on
  Same,          // the container the worker knows: go on with probeStep
};

/// worker.go doProbe, up to the container-ID check. Source: pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] inline ProbeGate probeGate(const ProbeWorkerMemory& w, const ProbeTarget& target) noexcept {
  if (!target.hasContainerStatuses) return ProbeGate::NoStatus;
  if (target.podTerminal) return ProbeGate::PodTerminal;
  if (target.container->containerID == 0) return ProbeGate::NotCreated;
  if (w.containerID != target.container->containerID) return ProbeGate::NewContainer;
  return ProbeGate::Same;
}

/// When the n-th doProbe of a worker created at `created` (ns) with a period of `period` (ns) runs: the first
/// (n = 0) at creation, before the ticker's first tick (worker.go run: `for w.doProbe(ctx) { <-ticker } `),
/// i.e. before the sync that created the worker starts the container, so a startup probe's first result
/// comes one period after the worker was created, not at the container's start. Simplification: no random
/// initial sleep (the kubelet sleeps up to one period only when it has just restarted).
/// Source: pkg/kubelet/prober/worker.go run; pkg/kubelet/kubelet.go SyncPod (probeManager.AddPod before
/// containerRuntime.SyncPod).
[[nodiscard]] constexpr Time probeWorkerFirstProbe(Time created, Time period, std::int64_t n = 0) noexcept {
  return created + n * period;
}

/// The result a worker stores when it adopts a new container: Failure for readiness, Success for
/// liveness, Unknown for startup. Source: pkg/kubelet/prober/worker.go newWorker (initialValue).
[[nodiscard]] constexpr ProbeResult initialProbeResult(ProbeType t) noexcept {
  switch (t) {
    case ProbeType::Readiness: return ProbeResult::Failure;
    case ProbeType::Liveness: return ProbeResult::Success;
    case ProbeType::Startup: return ProbeResult::Unknown;
  }
  return ProbeResult::Unknown;
}

/// What the rest of doProbe does at one tick.
enum class ProbeAction : std::uint8_t {
  Wait,             // return without probing; nothing can change before `until`
  RecordFailure,    // the container is not running: store Failure without probing
  StopTerminating,  // the pod is being deleted: store Success and stop (no liveness/startup kills)
  Probe,            // run the probe and give its result to probeResultStep
};

/// One tick's decision after the gate. `until` (Wait only): the earliest time the same state may give
/// another decision (the end of initialDelaySeconds), sim::kForever when only a change of the
/// container's state can. `keepGoing` false: the worker stops after this tick.
struct ProbeStep {
  ProbeAction action = ProbeAction::Wait;
  bool keepGoing = true;
  Time until = sim::kForever;
};

/// worker.go doProbe after the container-ID check, at time `now` (ns), for the container the gate saw
/// (target.container set). initialDelaySeconds counts whole seconds since startedAt, which the API
/// holds to the second. Simplification: the started/startup check comes before the initial delay (the
/// kubelet checks the delay first); both return without probing, so the order changes nothing but the
/// look-ahead's answer. Source: pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] inline ProbeStep probeStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                         const ProbeTarget& target, Time now) noexcept {
  using Kind = ContainerStateValue::Kind;
  const ApiContainerStatus& cs = *target.container;
  if (w.onHold) return {};
  if (cs.state.kind != Kind::Running) {
    // A container that will not be restarted will not come back: the worker stops.
    return {ProbeAction::RecordFailure, target.keepIfNotRunning, sim::kForever};
  }
  if (target.deleting && t != ProbeType::Readiness) return {ProbeAction::StopTerminating, false, sim::kForever};
  // Startup probing stops once started; the other probes wait until the container has started.
  if (cs.started ? t == ProbeType::Startup : t != ProbeType::Startup) return {};
  const Time startedAt = cs.state.startedAt - cs.state.startedAt % sim::kSecond;
  const Time delayEnd = startedAt + static_cast<Time>(spec.initialDelaySeconds) * sim::kSecond;
  if (now < delayEnd) return {ProbeAction::Wait, true, delayEnd};
  return {ProbeAction::Probe, true, sim::kForever};
}

/// What one probe result does, in the kubelet's order: the worker's memory with the result counted
/// (`counted`), whether an Unhealthy event is recorded, whether the results manager is then given
/// `result` (the threshold was reached), and whether the worker then goes on hold (a liveness or
/// startup failure stored: the container will be restarted; onHold set and resultRun back to 0).
struct ProbeResultChange {
  ProbeWorkerMemory counted;
  bool recordUnhealthy = false;
  bool store = false;
  bool hold = false;
};

/// worker.go doProbe after `result, err := w.probeManager.prober.probe(...)`: count the run, compare it
/// with failureThreshold / successThreshold, store and hold. Source: pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] inline ProbeResultChange probeResultStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
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
  out.hold = t != ProbeType::Readiness && result == ProbeResult::Failure;
  return out;
}

/// Whether probing again with `result` changes nothing the results manager holds: the worker already has
/// a run of `result` at or past its threshold (probeResultStep would store the same value again).
[[nodiscard]] inline bool probeResultSettled(const ProbeWorkerMemory& w, const api::Probe& spec, ProbeResult result) noexcept {
  const std::int32_t threshold = result == ProbeResult::Success ? spec.successThreshold : spec.failureThreshold;
  return w.lastResult == result && w.resultRun >= threshold;
}

/// The probe's result as a function of time, as far as the caller can foresee it: Failure before
/// `successFrom`, Success in [successFrom, failureFrom), Failure from `failureFrom` (ns, sim::kForever
/// for never). `foreseeable` false: the result depends on other objects or random draws.
struct ProbeOutlook {
  bool foreseeable = false;
  Time successFrom = sim::kForever;
  Time failureFrom = sim::kForever;
};

/// The earliest time >= `from` (ns) at which a tick of this worker may do something observable, given
/// the pod's state stays as it is (the engine wakes the worker at every change it reads); `from` when it
/// cannot tell; sim::kForever when no tick can until the state changes. Built from probeGate, probeStep
/// and probeResultSettled, so it cannot drift from the rule. `outlook()` gives the ProbeOutlook; it is
/// called only when a tick would probe. `failureObservable`: a probe failure leaves a trace (an Unhealthy
/// event is kept). Simplification: the gate's PodTerminal is not looked at (the worker stops at its next
/// real tick, which changes nothing observable).
/// Source: podsim's tick skipping, on pkg/kubelet/prober/worker.go doProbe.
template <class Outlook>
[[nodiscard]] Time firstInterestingProbeTime(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                             const ProbeTarget& target, Outlook&& outlook, bool failureObservable,
                                             Time from) {
  ProbeTarget seen = target;
  seen.podTerminal = false;  // see Simplification above
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
    case ProbeAction::RecordFailure: {
      // Storing the Failure it already holds changes nothing.
      bool found = false;
      const ProbeResult stored = storedResult(*target.results, t, found);
      return found && stored == ProbeResult::Failure ? sim::kForever : from;
    }
    case ProbeAction::StopTerminating: return from;
    case ProbeAction::Probe: break;
  }
  const ProbeOutlook o = outlook();
  if (!o.foreseeable) return from;
  const bool success = from >= o.successFrom && from < o.failureFrom;
  const ProbeResult r = success ? ProbeResult::Success : ProbeResult::Failure;
  if (!probeResultSettled(w, spec, r)) return from;
  if (!success && failureObservable) return from;  // each failing probe records an Unhealthy event
  // Idle until the result changes.
  if (success) return o.failureFrom;
  return from < o.successFrom ? o.successFrom : sim::kForever;
}

}  // namespace podsim::kubelet
