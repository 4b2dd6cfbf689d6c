// tests/test_kubelet_differences.cpp: the differences of issue 13 item 8 found against the kubelet's source,
// each run through the engine (the pure decisions have their table tests in test_status.cpp,
// test_prober.cpp and test_printer_versions.cpp).
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "models/kubelet/prober.hpp"
#include "models/report/output.hpp"
#include "models/trace/trace.hpp"
#include "tests/support.hpp"

using namespace podsim;
using sim::kSecond;
using testing::Run;
using testing::run;

namespace {

// The time (ns) of the first ContainerStatus record of container `c` with started true; -1 if none.
sim::Time firstStarted(const engine::Simulation& sim, std::int32_t c) {
  for (const auto& r : sim.trace().records()) {
    if (r.type != trace::RecordType::ContainerStatus) continue;
    const auto& s = sim.trace().containerStatusAt(r);
    if (s.container == c && s.status.started) return r.t;
  }
  return -1;
}

// How many Unhealthy events the trace holds at time t (ns).
int unhealthyAt(const engine::Simulation& sim, sim::Time t) {
  int n = 0;
  for (const auto& r : sim.trace().records()) {
    if (r.type == trace::RecordType::Event && r.t == t && sim.trace().eventAt(r).reason == api::EventReason::Unhealthy) ++n;
  }
  return n;
}

std::string lastStatus(const engine::Simulation& sim) {
  std::string s;
  for (const auto& r : sim.trace().records()) {
    if (r.type == trace::RecordType::PodStatus) s = sim.trace().podStatusAt(r).printed.status();
  }
  return s;
}

const char* kStartupProbe = R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 40s
  timing: ideal
  behaviors:
    p:
      app: {run: forever, probes: {startup: {succeedAfter: SUCCEED}}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: busybox
    startupProbe: {exec: {command: ["true"]}, periodSeconds: 10, failureThreshold: 5}
)";

std::string with(std::string text, const std::string& what, const std::string& by) {
  text.replace(text.find(what), what.size(), by);
  return text;
}

}  // namespace

TEST_CASE("Startup probe, ideal timing: the worker's first doProbe runs at its creation, before the container exists, so the first result comes one period later (worker.go run)") {
  {
    Run r = run(with(kStartupProbe, "SUCCEED", "0s"));
    CHECK(firstStarted(*r.sim, 0) == 10 * kSecond);  // not 0: at t = 0 the probe saw no container
    CHECK(unhealthyAt(*r.sim, 0) == 0);
  }
  {
    Run r = run(with(kStartupProbe, "SUCCEED", "15s"));
    CHECK(unhealthyAt(*r.sim, 0) == 0);               // no failure at t = 0
    CHECK(unhealthyAt(*r.sim, 10 * kSecond) == 1);    // the first result: failing at 10 s
    CHECK(firstStarted(*r.sim, 0) == 20 * kSecond);
  }
}

TEST_CASE("TerminatePod: a pod deleted before its containers started shows ContainerStatusUnknown / Init:ContainerStatusUnknown (status_manager.go TerminatePod)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 30s
  images:
    example/missing:1.0: {pullError: ErrImagePull}
  actions:
    - {at: 5s, deletePod: {pod: p}}
    - {at: 5s, deletePod: {pod: q}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: example/missing:1.0}
---
apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  initContainers:
  - {name: init, image: example/missing:1.0}
  containers:
  - {name: app, image: example/missing:1.0}
)");
  std::string p;
  std::string q;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::PodStatus) continue;
    (rec.pod == 0 ? p : q) = r.sim->trace().podStatusAt(rec).printed.status();
  }
  CHECK(p == "ContainerStatusUnknown");
  CHECK(q == "Init:ContainerStatusUnknown");
}

TEST_CASE("printPod per version: Completed beside a container that exited non-zero shows Completed on 1.34 and Error from 1.35 (PR #124766)") {
  const std::string base = R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  kubernetesVersion: "VERSION"
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  containers:
  - {name: a-task, image: busybox:1.36, command: [sh, -c, "sleep 5; exit 0"]}
  - {name: b-agent, image: busybox:1.36, command: [sh, -c, "sleep 10; exit 1"]}
)";
  {
    Run r = run(with(base, "VERSION", "1.34"));
    CHECK(lastStatus(*r.sim) == "Completed");
  }
  {
    Run r = run(with(base, "VERSION", "1.35"));
    CHECK(lastStatus(*r.sim) == "Error");
  }
}

TEST_CASE("A sidecar's wait for its turn starts after its own preStop, each truncated to whole seconds: SIGKILL at 8 s after the wait, not 7 s (killContainer, waitForTurn)") {
  // Deleted at 10 s with grace 10 s. The sidecar's preStop takes 1.6 s (grace left 9 s); it then waits for
  // app, which exits 3.2 s after its SIGTERM (a 1.6 s wait: 8 s left); the sidecar ignores SIGTERM, so
  // SIGKILL comes 8 s later, at 10 + 3.2 + 8 = 21.2 s (not at 20.2 s: 10 - whole(3.2 s) = 7 s).
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 40s
  timing: ideal
  behaviors:
    p:
      proxy: {run: forever, terminationDelay: forever, hooks: {preStop: {duration: 1600ms}}}
      app: {run: forever, terminationDelay: 3200ms}
  actions:
    - {at: 10s, deletePod: {pod: p}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  terminationGracePeriodSeconds: 10
  initContainers:
  - name: proxy
    image: busybox
    restartPolicy: Always
    lifecycle: {preStop: {exec: {command: ["true"]}}}
  containers:
  - {name: app, image: busybox}
)");
  sim::Time proxyExit = -1;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec);
    if (s.container == 0 && s.status.state.kind == kubelet::ContainerStateValue::Kind::Terminated && proxyExit < 0) {
      proxyExit = s.status.state.finishedAt;
      CHECK(s.status.state.exitCode == 137);
    }
  }
  CHECK(proxyExit == 21 * kSecond + 200 * sim::kMillisecond);
}

TEST_CASE("Trace: ContainerStatus carries the state's message (TerminatePod's ContainerStatusUnknown, doBackOff's CrashLoopBackOff)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 30s
  timing: ideal
  images:
    example/missing:1.0: {pullError: ErrImagePull}
  actions:
    - {at: 5s, deletePod: {pod: p}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: example/missing:1.0}
---
apiVersion: v1
kind: Pod
metadata: {name: c}
spec:
  containers:
  - {name: crash, image: busybox:1.36, command: [sh, -c, "exit 1"]}
)");
  std::ostringstream os;
  trace::writeJsonl(os, *r.sim);
  const std::string t = os.str();
  CHECK(t.find(R"("reason":"ContainerStatusUnknown","exitCode":137)") != std::string::npos);
  CHECK(t.find(R"("message":"The container could not be located when the pod was terminated")") != std::string::npos);
  const std::string backoff = "\"message\":\"back-off 10s restarting failed container=crash pod=" + r.sim->podRef(1) + "\"";
  CHECK(t.find(backoff) != std::string::npos);
  CHECK(r.sim->podRef(1).rfind("c_default(", 0) == 0);  // format.Pod: NAME_NAMESPACE(UID)
}
