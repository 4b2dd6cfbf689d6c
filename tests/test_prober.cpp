// tests/test_prober.cpp: the probe worker's pure steps (models/kubelet/prober; worker.go doProbe) as
// tables of named cases, each a mutation of one base worker, probe and container.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "models/kubelet/prober.hpp"

using namespace podsim;
using kubelet::ProbeAction;
using kubelet::ProbeGate;
using kubelet::ProbeResult;
using kubelet::ProbeType;
using sim::kForever;
using sim::kSecond;
using Kind = kubelet::ContainerStateValue::Kind;

namespace {

/// The base: a liveness worker that knows container 7, running and started since 5.3 s; the probe has
/// the API defaults (no delay, period 10 s, success 1, failure 3); the time is 20 s.
struct Input {
  kubelet::ProbeWorkerMemory w{7, 0, ProbeResult::Unknown, false};
  ProbeType type = ProbeType::Liveness;
  api::Probe spec;
  kubelet::ApiContainerStatus cs;          // the probed container's API status
  kubelet::ContainerProbeResults results;  // the results manager's results for it
  kubelet::ProbeTarget target;             // the pod-level part; view() points it at cs and results
  sim::Time now = 20 * kSecond;
  Input() {
    target.hasContainerStatuses = true;
    cs.containerID = 7;
    cs.state.kind = Kind::Running;
    cs.started = true;
    cs.state.startedAt = 5 * kSecond + 300 * sim::kMillisecond;
  }
  Input(const Input&) = delete;
  const kubelet::ProbeTarget& view() {
    target.container = &cs;
    target.results = &results;
    return target;
  }
};

struct GateCase {
  const char* name;
  std::function<void(Input&)> mutate;
  ProbeGate expected;
};

struct StepCase {
  const char* name;
  std::function<void(Input&)> mutate;
  ProbeAction action;
  bool keepGoing;
  sim::Time until;
};

}  // namespace

TEST_CASE("doProbe's gate waits for a status and a container ID, stops on a terminal pod, adopts a new container (worker.go doProbe)") {
  const std::vector<GateCase> cases = {
      {"the known container: go on", [](Input&) {}, ProbeGate::Same},
      {"no pod status yet: wait", [](Input& in) { in.target.hasContainerStatuses = false; }, ProbeGate::NoStatus},
      {"pod Succeeded or Failed: stop", [](Input& in) { in.target.podTerminal = true; }, ProbeGate::PodTerminal},
      {"terminal wins over a missing ID", [](Input& in) { in.target.podTerminal = true; in.cs.containerID = 0; }, ProbeGate::PodTerminal},
      {"container not created: wait", [](Input& in) { in.cs.containerID = 0; }, ProbeGate::NotCreated},
      {"a restarted container: adopt it", [](Input& in) { in.cs.containerID = 8; }, ProbeGate::NewContainer},
      {"a worker that saw nothing yet adopts", [](Input& in) { in.w.containerID = 0; }, ProbeGate::NewContainer},
  };
  for (const auto& c : cases) {
    Input in;
    c.mutate(in);
    CAPTURE(c.name);
    CHECK(kubelet::probeGate(in.w, in.view()) == c.expected);
  }
}

TEST_CASE("A worker stores Failure for a stopped container, stops when deleted, waits for start and initial delay, else probes (worker.go doProbe)") {
  const std::vector<StepCase> cases = {
      {"running and started: probe", [](Input&) {}, ProbeAction::Probe, true, kForever},
      {"on hold after a liveness failure: wait for a new container", [](Input& in) { in.w.onHold = true; }, ProbeAction::Wait, true, kForever},
      {"waiting container: store Failure", [](Input& in) { in.cs.state.kind = Kind::Waiting; }, ProbeAction::RecordFailure, true, kForever},
      {"terminated under restartPolicy Always: store Failure, keep going",
       [](Input& in) { in.cs.state.kind = Kind::Terminated; }, ProbeAction::RecordFailure, true, kForever},
      {"terminated and will not be restarted (ProbeWorkerKeepsRunning false): store Failure, stop",
       [](Input& in) { in.cs.state.kind = Kind::Terminated; in.target.keepIfNotRunning = false; }, ProbeAction::RecordFailure, false, kForever},
      {"deleting, liveness: store Success and stop", [](Input& in) { in.target.deleting = true; }, ProbeAction::StopTerminating, false, kForever},
      {"deleting, startup: store Success and stop",
       [](Input& in) { in.target.deleting = true; in.type = ProbeType::Startup; in.cs.started = false; }, ProbeAction::StopTerminating, false, kForever},
      {"deleting, readiness: keep probing",
       [](Input& in) { in.target.deleting = true; in.type = ProbeType::Readiness; }, ProbeAction::Probe, true, kForever},
      {"startup probe of a started container: wait", [](Input& in) { in.type = ProbeType::Startup; }, ProbeAction::Wait, true, kForever},
      {"startup probe of a container not started: probe",
       [](Input& in) { in.type = ProbeType::Startup; in.cs.started = false; }, ProbeAction::Probe, true, kForever},
      {"liveness before the container started: wait", [](Input& in) { in.cs.started = false; }, ProbeAction::Wait, true, kForever},
      {"readiness before the container started: wait",
       [](Input& in) { in.type = ProbeType::Readiness; in.cs.started = false; }, ProbeAction::Wait, true, kForever},
      {"within initialDelaySeconds (counted from the whole second 5 s): wait until 15 s",
       [](Input& in) { in.spec.initialDelaySeconds = 10; in.now = 14900 * sim::kMillisecond; }, ProbeAction::Wait, true, 15 * kSecond},
      {"at the end of initialDelaySeconds: probe",
       [](Input& in) { in.spec.initialDelaySeconds = 10; in.now = 15 * kSecond; }, ProbeAction::Probe, true, kForever},
      {"not started and within the delay: wait for the start, not the delay",
       [](Input& in) { in.spec.initialDelaySeconds = 100; in.cs.started = false; }, ProbeAction::Wait, true, kForever},
  };
  for (const auto& c : cases) {
    Input in;
    c.mutate(in);
    CAPTURE(c.name);
    const kubelet::ProbeStep s = kubelet::probeStep(in.w, in.type, in.spec, in.view(), in.now);
    CHECK(s.action == c.action);
    CHECK(s.keepGoing == c.keepGoing);
    if (s.action == ProbeAction::Wait) CHECK(s.until == c.until);
  }
}

TEST_CASE("A probe result counts a run, and at the threshold it is stored, and a liveness or startup failure holds the worker (worker.go doProbe)") {
  struct Case {
    const char* name;
    std::function<void(Input&)> mutate;
    ProbeResult result;
    std::int32_t run;
    bool unhealthy, store, hold;
  };
  const std::vector<Case> cases = {
      {"first success reaches successThreshold 1", [](Input&) {}, ProbeResult::Success, 1, false, true, false},
      {"first failure is below failureThreshold 3", [](Input&) {}, ProbeResult::Failure, 1, true, false, false},
      {"third failure in a row: stored and held",
       [](Input& in) { in.w.lastResult = ProbeResult::Failure; in.w.resultRun = 2; }, ProbeResult::Failure, 3, true, true, true},
      {"third readiness failure: stored, never held",
       [](Input& in) { in.type = ProbeType::Readiness; in.w.lastResult = ProbeResult::Failure; in.w.resultRun = 2; },
       ProbeResult::Failure, 3, true, true, false},
      {"third startup failure: stored and held",
       [](Input& in) { in.type = ProbeType::Startup; in.w.lastResult = ProbeResult::Failure; in.w.resultRun = 2; },
       ProbeResult::Failure, 3, true, true, true},
      {"a success after failures starts a new run",
       [](Input& in) { in.w.lastResult = ProbeResult::Failure; in.w.resultRun = 2; }, ProbeResult::Success, 1, false, true, false},
      {"successThreshold 3: a second success is not stored",
       [](Input& in) { in.spec.successThreshold = 3; in.w.lastResult = ProbeResult::Success; in.w.resultRun = 1; },
       ProbeResult::Success, 2, false, false, false},
      {"failureThreshold 1: the first failure is stored", [](Input& in) { in.spec.failureThreshold = 1; },
       ProbeResult::Failure, 1, true, true, true},
  };
  for (const auto& c : cases) {
    Input in;
    c.mutate(in);
    CAPTURE(c.name);
    const kubelet::ProbeResultChange ch = kubelet::probeResultStep(in.w, in.type, in.spec, c.result);
    CHECK(ch.counted.lastResult == c.result);
    CHECK(ch.counted.resultRun == c.run);
    CHECK(ch.recordUnhealthy == c.unhealthy);
    CHECK(ch.store == c.store);
    CHECK(ch.hold == c.hold);
  }
}

TEST_CASE("The look-ahead skips only ticks that doProbe would spend without an observable change (prober.hpp firstInterestingProbeTime)") {
  struct Case {
    const char* name;
    std::function<void(Input&, kubelet::ProbeOutlook&, bool&)> mutate;
    sim::Time expected;
  };
  // Base outlook: success from 6 s until 100 s; the worker holds a settled Success.
  const std::vector<Case> cases = {
      {"settled success: idle until the result turns", [](Input&, kubelet::ProbeOutlook&, bool&) {}, 100 * kSecond},
      {"no status: cannot tell", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.target.hasContainerStatuses = false; }, 20 * kSecond},
      {"no container: nothing until the state changes", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.cs.containerID = 0; }, kForever},
      {"a new container: the tick adopts it", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.cs.containerID = 9; }, 20 * kSecond},
      {"on hold: nothing until a new container", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.w.onHold = true; }, kForever},
      {"not running, Failure stored: nothing to store",
       [](Input& in, kubelet::ProbeOutlook&, bool&) {
         in.cs.state.kind = Kind::Waiting;
         in.results.livenessFound = true;
         in.results.liveness = ProbeResult::Failure;
       },
       kForever},
      {"not running, Success stored: the tick stores Failure",
       [](Input& in, kubelet::ProbeOutlook&, bool&) { in.cs.state.kind = Kind::Waiting; in.results.livenessFound = true; }, 20 * kSecond},
      {"deleting: the tick stops the worker", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.target.deleting = true; }, 20 * kSecond},
      {"within the initial delay: its end", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.spec.initialDelaySeconds = 30; }, 35 * kSecond},
      {"unforeseeable result: every tick", [](Input&, kubelet::ProbeOutlook& o, bool&) { o.foreseeable = false; }, 20 * kSecond},
      {"a run below the threshold: the tick counts it", [](Input& in, kubelet::ProbeOutlook&, bool&) { in.w.resultRun = 0; }, 20 * kSecond},
      {"a failing liveness probe records Unhealthy: every tick",
       [](Input& in, kubelet::ProbeOutlook& o, bool&) {
         o.failureFrom = 10 * kSecond;
         in.w.lastResult = ProbeResult::Failure;
         in.w.resultRun = 5;
       },
       20 * kSecond},
      {"a failing readiness probe with no trace kept: idle for good",
       [](Input& in, kubelet::ProbeOutlook& o, bool& observable) {
         in.type = ProbeType::Readiness;
         observable = false;
         o.failureFrom = 10 * kSecond;
         in.w.lastResult = ProbeResult::Failure;
         in.w.resultRun = 5;
       },
       kForever},
      {"failing before it first succeeds, no trace kept: idle until success",
       [](Input& in, kubelet::ProbeOutlook& o, bool& observable) {
         in.type = ProbeType::Readiness;
         observable = false;
         o.successFrom = 50 * kSecond;
         in.w.lastResult = ProbeResult::Failure;
         in.w.resultRun = 5;
       },
       50 * kSecond},
  };
  for (const auto& c : cases) {
    Input in;
    in.w.lastResult = ProbeResult::Success;
    in.w.resultRun = 4;
    kubelet::ProbeOutlook outlook{true, 6 * kSecond, 100 * kSecond};
    bool failureObservable = true;
    c.mutate(in, outlook, failureObservable);
    CAPTURE(c.name);
    const auto give = [&] { return outlook; };
    CHECK(kubelet::firstInterestingProbeTime(in.w, in.type, in.spec, in.view(), give, failureObservable, in.now) == c.expected);
  }
}

TEST_CASE("A new container starts with Failure readiness, Success liveness and Unknown startup (worker.go newWorker)") {
  CHECK(kubelet::initialProbeResult(ProbeType::Readiness) == ProbeResult::Failure);
  CHECK(kubelet::initialProbeResult(ProbeType::Liveness) == ProbeResult::Success);
  CHECK(kubelet::initialProbeResult(ProbeType::Startup) == ProbeResult::Unknown);
}

TEST_CASE("probeWorkerFirstProbe: a worker's first doProbe runs at its creation, the next ones every period (worker.go run)") {
  struct Case {
    const char* name;
    sim::Time created;
    sim::Time period;
    std::int64_t n;
    sim::Time want;
  };
  const std::vector<Case> cases = {
      {"the first probe at creation", 0, 10 * kSecond, 0, 0},
      {"the first probe of a worker created at 3 s", 3 * kSecond, 10 * kSecond, 0, 3 * kSecond},
      {"the second one period later", 3 * kSecond, 10 * kSecond, 1, 13 * kSecond},
      {"the fourth, period 1 s", 0, kSecond, 3, 3 * kSecond},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::probeWorkerFirstProbe(c.created, c.period, c.n) == c.want);
  }
}
