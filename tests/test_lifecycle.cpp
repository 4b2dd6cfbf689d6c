// tests/test_lifecycle.cpp: sidecars, probes, hooks and termination, checked against the kubelet rules
// (kubelet-semantics §4, §6, §7, §8.5, §11).
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/report/output.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;
using sim::kSecond;
using Kind = kubelet::ContainerStateValue::Kind;

namespace {

struct Run {
  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

std::unique_ptr<Run> run(const std::string& yaml) {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioString(yaml, "test.yaml");
  r->sim = std::make_unique<engine::Simulation>(r->sc, engine::RunOptions{});
  r->sim->run();
  return r;
}

std::int32_t indexOf(const Run& r, const std::string& name) {
  const api::Pod& pod = r.sc.pods[0].pod;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) {
    if (pod.container(i).name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::vector<sim::Time> eventTimes(const Run& r, const std::string& container, api::EventReason reason) {
  std::vector<sim::Time> out;
  const std::int32_t c = indexOf(r, container);
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Event) continue;
    const auto& e = r.sim->trace().eventAt(rec);
    if (e.container == c && e.reason == reason) out.push_back(rec.t);
  }
  return out;
}

// Final terminated state (exit code, finishedAt) of a container from its last ContainerStatus record.
std::pair<std::int32_t, sim::Time> lastExit(const Run& r, const std::string& container) {
  const std::int32_t c = indexOf(r, container);
  std::pair<std::int32_t, sim::Time> out{-1, -1};
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec);
    if (s.container == c && s.status.state.kind == Kind::Terminated) out = {s.status.state.exitCode, s.status.state.finishedAt};
  }
  return out;
}

std::string phase(const Run& r) { return std::string(api::toString(r.sim->views()[0].status.phase)); }

const char* kTwoSidecars = R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: TIMING
  behaviors:
    web:
      proxy:
        probes: {startup: {succeedAfter: 5s}}
        terminationDelay: 1s
        PRESTOP
      logger:
        terminationDelay: 1s
        PRESTOP
      app:
        terminationDelay: 3s
        PRESTOP
  actions:
  - {at: 60s, deletePod: {pod: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 10
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.30
    restartPolicy: Always
    startupProbe:
      exec: {command: [test, -f, /tmp/up]}
      periodSeconds: 1
      failureThreshold: 30
    LIFECYCLE
  - name: logger
    image: fluent/fluent-bit:3.0
    restartPolicy: Always
    LIFECYCLE
  containers:
  - name: app
    image: example/app:1.0
    LIFECYCLE
)";

std::string twoSidecars(const std::string& timing, bool preStopNever) {
  std::string s(kTwoSidecars);
  const auto rep = [&](const std::string& from, const std::string& to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  };
  rep("TIMING", timing);
  // With preStop hooks that never end, the processes also ignore SIGTERM, so only SIGKILL stops them.
  rep("terminationDelay: 1s", preStopNever ? "terminationDelay: never" : "terminationDelay: 1s");
  rep("terminationDelay: 3s", preStopNever ? "terminationDelay: never" : "terminationDelay: 3s");
  rep("PRESTOP", preStopNever ? "hooks: {preStop: {duration: never}}" : "");
  rep("LIFECYCLE", preStopNever ? "lifecycle: {preStop: {exec: {command: [sleep, '3600']}}}" : "");
  return s;
}

}  // namespace

TEST_CASE("A sidecar with a startup probe holds back the next init container until the probe passed (4.1)") {
  for (const char* timing : {"ideal", "kubelet"}) {
    CAPTURE(timing);
    auto r = run(twoSidecars(timing, false));
    const auto proxy = eventTimes(*r, "proxy", api::EventReason::Started);
    const auto logger = eventTimes(*r, "logger", api::EventReason::Started);
    const auto app = eventTimes(*r, "app", api::EventReason::Started);
    REQUIRE(proxy.size() == 1);
    REQUIRE(logger.size() == 1);
    REQUIRE(app.size() == 1);
    CHECK(logger[0] >= proxy[0] + 5 * kSecond);
    CHECK(logger[0] <= proxy[0] + 8 * kSecond);  // probe tick (1 s) plus the kubelet's reaction
    CHECK(app[0] >= logger[0]);
  }
}

TEST_CASE("At deletion the regular container stops first and the sidecars stop in reverse order (11.3)") {
  auto r = run(twoSidecars("ideal", false));
  const auto app = lastExit(*r, "app");
  const auto logger = lastExit(*r, "logger");
  const auto proxy = lastExit(*r, "proxy");
  CHECK(app.second == 63 * kSecond);     // SIGTERM at 60 s, exits 3 s later
  CHECK(logger.second == 64 * kSecond);  // SIGTERM once the app exited
  CHECK(proxy.second == 65 * kSecond);   // SIGTERM once the later sidecar exited
  CHECK(app.first == 143);
  CHECK(r->sim->views()[0].removed);
}

TEST_CASE("v1.28 kills a sidecar pod's containers all at once; the termination order starts in 1.29 (killContainersWithSyncResult)") {
  for (const char* version : {"1.28", "1.29"}) {
    CAPTURE(version);
    std::string yaml = twoSidecars("ideal", false);
    yaml.replace(yaml.find("  timing: ideal"), 15,
                 std::string("  timing: ideal\n  kubernetesVersion: \"") + version +
                     "\"\n  kubelet: {featureGates: {SidecarContainers: true}}");
    auto r = run(yaml);
    const auto app = lastExit(*r, "app");
    const auto logger = lastExit(*r, "logger");
    const auto proxy = lastExit(*r, "proxy");
    CHECK(app.second == 63 * kSecond);  // SIGTERM at 60 s, exits 3 s later
    if (std::string(version) == "1.28") {
      CHECK(logger.second == 61 * kSecond);  // SIGTERM at 60 s too: v1.28.15 has no terminationOrdering
      CHECK(proxy.second == 61 * kSecond);
    } else {
      CHECK(logger.second == 64 * kSecond);  // newTerminationOrdering: after the app
      CHECK(proxy.second == 65 * kSecond);   // after the later sidecar
    }
  }
}

TEST_CASE("preStop hooks that never finish spend the grace period, then every container is killed with 137 after the 2 s minimum (6.4, 11.3)") {
  auto r = run(twoSidecars("ideal", true));
  for (const char* c : {"app", "logger", "proxy"}) {
    CAPTURE(c);
    const auto e = lastExit(*r, c);
    CHECK(e.first == 137);
    CHECK(e.second == (60 + 10 + 2) * kSecond);
  }
}

TEST_CASE("A liveness probe failing from 2m restarts its container after failureThreshold failures, with back-off on repeats (7, 8.5)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 15m
  timing: ideal
  images:  # pulls in no time: the rule under test is not the pull
    example/app:1.0: {pullDuration: 0s}
  behaviors:
    live:
      app:
        probes: {liveness: {failAfter: 2m}}
---
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    image: example/app:1.0
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      periodSeconds: 10
      failureThreshold: 3
)");
  const auto unhealthy = eventTimes(*r, "app", api::EventReason::Unhealthy);
  const auto killing = eventTimes(*r, "app", api::EventReason::Killing);
  const auto started = eventTimes(*r, "app", api::EventReason::Started);
  REQUIRE(unhealthy.size() >= 3);
  REQUIRE(killing.size() >= 3);
  // Ticks at 0, 10, 20, ... s: failures at 120, 130, 140 s; the third reaches the threshold.
  CHECK(unhealthy[0] == 120 * kSecond);
  CHECK(killing[0] == 140 * kSecond);
  // Each instance is killed 2 m + 20 s after its start; the first restart follows its exit at once,
  // the next ones wait 10 s, 20 s ... after the exit (crash-loop back-off, one instance behind).
  REQUIRE(started.size() >= 4);
  const sim::Time exit1 = killing[0] + 5 * kSecond;  // SIGTERM ignored? no: default exits on SIGTERM
  CHECK(started[1] <= exit1);
  CHECK(started[2] - started[1] > started[1] - started[0] - 1 * kSecond);
  CHECK(phase(*r) == "Running");
}

TEST_CASE("A Never pod whose app exits 0 while its sidecar runs ends Succeeded, the sidecar stopped after the app (4.10, 8.7)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  behaviors:
    job:
      app: {run: 20s, exitCode: 0}
---
apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  restartPolicy: Never
  initContainers:
  - {name: agent, image: fluent/fluent-bit:3.0, restartPolicy: Always}
  containers:
  - {name: app, image: example/app:1.0}
)");
  CHECK(phase(*r) == "Succeeded");
  CHECK(r->sim->views()[0].printed.status() == "Completed");
  CHECK(lastExit(*r, "agent").second >= lastExit(*r, "app").second);
}

TEST_CASE("A Never pod whose sidecar exited 1 and whose app exited 0 ends Succeeded: sidecar exits never decide the phase (4.6, 1.2)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  behaviors:
    job:
      agent: {run: 5s, exitCode: 1}
      app: {run: 30s, exitCode: 0}
---
apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  restartPolicy: Never
  initContainers:
  - {name: agent, image: fluent/fluent-bit:3.0, restartPolicy: Always}
  containers:
  - {name: app, image: example/app:1.0}
)");
  CHECK(phase(*r) == "Succeeded");
  // The sidecar is restarted under back-off whatever the pod's restartPolicy.
  CHECK(eventTimes(*r, "agent", api::EventReason::Started).size() >= 3);
}

TEST_CASE("postStart holds back the start of the next container (6.1, 6.2)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  behaviors:
    p:
      first:
        hooks: {postStart: {duration: 5s}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: first
    image: example/app:1.0
    lifecycle: {postStart: {exec: {command: [sh, -c, "sleep 5"]}}}
  - {name: second, image: example/app:1.0}
)");
  const auto a = eventTimes(*r, "first", api::EventReason::Started);
  const auto b = eventTimes(*r, "second", api::EventReason::Started);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(b[0] - a[0] == 5 * kSecond);
}

TEST_CASE("A failed postStart hook kills the container: FailedPostStartHook, then a restart under back-off (6.3)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  images:  # pulls in no time: the rule under test is not the pull
    example/app:1.0: {pullDuration: 0s}
  behaviors:
    p:
      app:
        hooks: {postStart: {duration: 1s, fails: true}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: example/app:1.0
    lifecycle: {postStart: {exec: {command: [sh, -c, "exit 1"]}}}
)");
  const auto failed = eventTimes(*r, "app", api::EventReason::FailedPostStartHook);
  const auto started = eventTimes(*r, "app", api::EventReason::Started);
  REQUIRE(failed.size() >= 2);
  CHECK(failed[0] == 1 * kSecond);
  CHECK(started.size() >= 2);
}

TEST_CASE("Readiness gates READY and the Ready condition without restarting the container (7.11)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  images:  # pulls in no time: the rule under test is not the pull
    example/app:1.0: {pullDuration: 0s}
  behaviors:
    p:
      app:
        probes: {readiness: {succeedAfter: 15s}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: example/app:1.0
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
      periodSeconds: 5
)");
  sim::Time readyAt = -1;
  for (const auto& rec : r->sim->trace().records()) {
    if (rec.type != trace::RecordType::PodStatus) continue;
    const auto& ps = r->sim->trace().podStatusAt(rec);
    if (ps.printed.ready == 1 && readyAt < 0) readyAt = rec.t;
  }
  CHECK(readyAt == 15 * kSecond);
  CHECK(eventTimes(*r, "app", api::EventReason::Started).size() == 1);
  // Failing probes at the ticks 0, 5 and 10 s (the probe fired at once on the first status adds one at 0 s).
  auto unhealthy = eventTimes(*r, "app", api::EventReason::Unhealthy);
  unhealthy.erase(std::unique(unhealthy.begin(), unhealthy.end()), unhealthy.end());
  CHECK(unhealthy == std::vector<sim::Time>{0, 5 * kSecond, 10 * kSecond});
}

TEST_CASE("updateImage kills and restarts the container with the new image, and completed init containers do not run again (2.3)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  images:  # pulls in no time: the rule under test is not the pull
    example/app:1.0: {pullDuration: 0s}
    example/app:2.0: {pullDuration: 0s}
    busybox:1.36: {pullDuration: 0s}
  actions:
  - {at: 60s, updateImage: {pod: p, container: app, image: "example/app:2.0"}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: setup, image: busybox:1.36, command: [sh, -c, "sleep 2"]}
  containers:
  - {name: app, image: "example/app:1.0"}
)");
  CHECK(eventTimes(*r, "setup", api::EventReason::Started).size() == 1);
  const auto started = eventTimes(*r, "app", api::EventReason::Started);
  REQUIRE(started.size() == 2);
  CHECK(started[1] == 60 * kSecond);
  const auto v = r->sim->views()[0];
  CHECK(v.printed.restarts == 1);
  CHECK(r->sc.images[static_cast<std::size_t>(v.status.containers[1].imageId)] == "example/app:2.0");
}

TEST_CASE("PodReadyToStartContainers turns True before the image pull from 1.36 (OnPodSandboxReady), after it before 1.36") {
  // kuberuntime_manager.go SyncPod step 5 calls OnPodSandboxReady right after the sandbox is created (v1.36.3,
  // v1.37.2); v1.35.4 has no callback, so the condition waits for the status generated after the 5 s pull.
  const auto firstTrue = [](const char* version) {
    auto r = run(std::string(R"(
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app
    image: example/app:1.0
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: sandbox-ready}
spec:
  duration: 30s
  kubernetesVersion: ")") + version + R"("
  images:
    example/app:1.0: {pullDuration: 5s}
)");
    for (const auto& rec : r->sim->trace().records()) {
      if (rec.type != trace::RecordType::PodStatus) continue;
      const auto& c = r->sim->trace().podStatusAt(rec).conditions[static_cast<std::size_t>(kubelet::ConditionType::PodReadyToStartContainers)];
      if (c.present && c.status) return rec.t;
    }
    return sim::Time{-1};
  };
  CHECK(firstTrue("1.36") == 0);
  CHECK(firstTrue("1.37") == 0);
  CHECK(firstTrue("1.35") >= 5 * kSecond);
  CHECK(firstTrue("1.28") == -1);  // the gate is alpha (off) in 1.28: no such condition
}

TEST_CASE("a failed exec postStart: the Event says only \"PostStartHook failed\", the waiting PostStartHookError carries the handler's message with the command's output (handlers.go Run, kuberuntime_container.go startContainer)") {
  auto r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 30s
  timing: ideal
  images:
    busybox:1.36: {present: true}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "sleep 3600"]
    lifecycle: {postStart: {exec: {command: [sh, -c, "echo registering; foo --now"]}}}
)");
  const auto& tr = r->sim->trace();
  std::vector<std::string> messages;
  std::string waiting;
  for (const auto& rec : tr.records()) {
    if (rec.type == trace::RecordType::Event) {
      const auto& ev = tr.eventAt(rec);
      if (ev.reason == api::EventReason::FailedPostStartHook || ev.reason == api::EventReason::Killing) {
        messages.push_back(std::string(api::toString(ev.reason)) + ": " + trace::eventMessage(*r->sim, rec.pod, ev, rec.t));
      }
    }
    if (rec.type == trace::RecordType::ContainerStatus && waiting.empty()) {
      const auto& cs = tr.containerStatusAt(rec);
      if (cs.status.state.kind == Kind::Waiting && cs.status.state.reason == api::Reason::PostStartHookError) {
        waiting = trace::containerStateMessage(*r->sim, rec.pod, cs.container, cs.status.state);
      }
    }
  }
  REQUIRE(messages.size() >= 2);
  // The Event keeps the output out ("do not record the message in the event so that secrets won't leak").
  CHECK(messages[0] == "FailedPostStartHook: PostStartHook failed");
  CHECK(messages[1] == "Killing: FailedPostStartHook");
  // busybox has no `foo`: ash writes "sh: foo: not found" and exits 127; RunInContainer appends stderr to stdout.
  CHECK(waiting == "Exec lifecycle hook ([sh -c echo registering; foo --now]) for Container \"app\" in Pod \"" +
                       r->sim->podRef(0) +
                       "\" failed - error: command 'sh -c echo registering; foo --now' exited with 127: sh: foo: not found\n, "
                       "message: \"registering\\nsh: foo: not found\\n\"");
  CHECK(trace::execHookFailureMessage(*r->sim, 0, 0, true).empty());  // no preStop failed
}

TEST_CASE("goQuote is Go's %q: quotes, backslashes, newlines and control bytes escaped, UTF-8 kept (strconv.Quote)") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "\"\""},
      {"plain", "\"plain\""},
      {"a \"b\" \\c", "\"a \\\"b\\\" \\\\c\""},
      {"line\n\ttab\r", "\"line\\n\\ttab\\r\""},
      {std::string("\x01\x7f", 2), "\"\\x01\\x7f\""},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
  };
  for (const auto& [in, out] : cases) {
    CAPTURE(in);
    CHECK(trace::goQuote(in) == out);
  }
}
