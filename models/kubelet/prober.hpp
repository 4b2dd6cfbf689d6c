// models/kubelet/prober.hpp: the probe worker's decisions (pkg/kubelet/prober/worker.go doProbe) as pure
// steps, and the look-ahead "the first tick whose result can differ", built from the same steps.
//
// Owns: what one tick of a worker decides from the worker's memory, the probe's spec and the API view of
// its container; what a probe result does to the worker. Does not own: running the probe (the engine's
// runtime answers it), the ticker, the results manager's side effects (a sync, a status write), time
// itself (every time here is a plain value, ns).
#pragma once

#include <cstdint>

#include "models/api/types.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/status.hpp"
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

/// The API view of the probed container a tick reads (the status manager's pod status), plain values.
struct ProbeTarget {
  bool hasContainerStatuses = false;
  bool podTerminal = false;        // phase Succeeded or Failed
  std::uint32_t containerID = 0;   // 0: not created yet
  ContainerStateValue::Kind state = ContainerStateValue::Kind::Waiting;
  bool started = false;
  Time startedAt = 0;              // ns, as the runtime recorded it (the API keeps whole seconds)
  bool deleting = false;           // the pod has a deletionTimestamp
  bool restartNever = false;       // restartPolicy Never
  bool storedFound = false;        // the results manager holds a result for this probe
  ProbeResult stored = ProbeResult::Unknown;
};

/// The first part of doProbe: whether the worker may look at the container at all.
enum class ProbeGate : std::uint8_t {
  NoStatus,      // the pod has no status yet: wait for more information
  PodTerminal,   // the pod reached Succeeded or Failed: the worker stops
  NotCreated,    // the container has no ID yet: wait
  NewContainer,  // a new container ID: adopt it, store the initial result, resume probing, then go on
  Same,          // the container the worker knows: go on with probeStep
};

/// worker.go doProbe, up to the container-ID check. Source: pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] ProbeGate probeGate(const ProbeWorkerMemory& w, const ProbeTarget& target) noexcept;

/// The result a worker stores when it adopts a new container (worker.go newWorker initialValue):
/// Failure for readiness, Success for liveness, Unknown for startup.
[[nodiscard]] ProbeResult initialProbeResult(ProbeType t) noexcept;

/// What the rest of doProbe does at one tick.
enum class ProbeAction : std::uint8_t {
  Wait,            // return without probing; nothing can change before `until`
  RecordFailure,   // the container is not running: store Failure without probing
  StopTerminating, // the pod is being deleted: store Success and stop (no liveness/startup kills)
  Probe,           // run the probe and give its result to probeResultStep
};

/// One tick's decision after the gate. `until` (Wait only): the earliest time the same state may give
/// another decision (the end of initialDelaySeconds), sim::kForever when only a change of the
/// container's state can. `keepGoing` false: the worker stops after this tick.
struct ProbeStep {
  ProbeAction action = ProbeAction::Wait;
  bool keepGoing = true;
  Time until = sim::kForever;
};

/// worker.go doProbe after the container-ID check, at time `now` (ns). `target` is the same container
/// the gate saw. initialDelaySeconds counts whole seconds since startedAt, which the API holds to the
/// second. Simplification: the started/startup check comes before the initial delay (the kubelet checks
/// the delay first); both return without probing, so the order changes nothing but the look-ahead.
/// Source: pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] ProbeStep probeStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                  const ProbeTarget& target, Time now) noexcept;

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
[[nodiscard]] ProbeResultChange probeResultStep(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                                ProbeResult result) noexcept;

/// Whether probing again with `result` changes nothing the results manager holds: the worker already has
/// a run of `result` at or past its threshold (probeResultStep would store the same value again).
[[nodiscard]] bool probeResultSettled(const ProbeWorkerMemory& w, const api::Probe& spec, ProbeResult result) noexcept;

/// The probe's result as a function of time, as far as the engine can foresee it: Failure before
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
/// and probeResultSettled, so it cannot drift from the rule. `failureObservable`: a probe failure leaves
/// a trace (an Unhealthy event is kept). Simplification: the gate's PodTerminal is not looked at (the
/// worker stops at its next real tick, which changes nothing observable).
/// Source: the tick-skipping of podsim's engine, on pkg/kubelet/prober/worker.go doProbe.
[[nodiscard]] Time firstInterestingProbeTime(const ProbeWorkerMemory& w, ProbeType t, const api::Probe& spec,
                                             const ProbeTarget& target, const ProbeOutlook& outlook,
                                             bool failureObservable, Time from) noexcept;

}  // namespace podsim::kubelet
