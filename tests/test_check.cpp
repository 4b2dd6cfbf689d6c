// tests/test_check.cpp: `expect` entries of every kind, evaluated against a run (models/report/check.hpp).
//
// One pod, timing ideal (kubelet-semantics §10): the init container `setup` runs 2 s; `app` exits 1
// five seconds after each start under restartPolicy Always, so the kubelet restarts it at once, then
// after the CrashLoopBackOff waits 10 s, 20 s, 40 s (§4, pkg/kubelet/kuberuntime/kuberuntime_manager.go
// doBackOff); `log-agent` runs throughout. Each kind is checked both ways: an entry that states what
// the kubelet does holds, and a wrong one fails with the run's actual value and the trace around it.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"

using namespace podsim;

namespace {

const char* const kPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
  containers:
  - name: app
    image: busybox:1.36
  - name: log-agent
    image: busybox:1.36
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  images:
    busybox:1.36: {present: true}
  behaviors:
    web:
      setup: {run: 2s, exitCode: 0}
      app: {run: 5s, exitCode: 1}
      log-agent: {run: forever}   # busybox's own `sh` would exit at once (issue 14: image default processes)
  expect:
)";

/// Runs the pod with one expectation (a flow map, as written under `expect:`) and returns its result.
engine::CheckResult checkOne(const std::string& entry) {
  const auto sc = scenario::loadScenarioString(std::string(kPod) + "    - " + entry + "\n", "c.yaml");
  engine::Simulation sim(sc, engine::RunOptions{});
  sim.run();
  const auto results = engine::checkExpectations(sim);
  REQUIRE(results.size() == 1);
  return results[0];
}

/// The focus line of a failure's trace context (the one marked `> `), or "".
std::string focusLine(const engine::CheckResult& r) {
  for (const auto& l : r.context) {
    if (l.rfind("> ", 0) == 0) return l;
  }
  return "";
}

}  // namespace

TEST_CASE("at: the kubectl columns at an instant follow CrashLoopBackOff. a wrong RESTARTS shows the actual columns") {
  // At 30 s app has exited twice after its first run (7 s, 12 s ... 27 s) and waits out 20 s of back-off.
  auto ok = checkOne("{at: 30s, pod: web, status: CrashLoopBackOff, ready: 1/2, restarts: 2, phase: Running}");
  CHECK(ok.passed);
  CHECK(ok.actual.empty());
  CHECK(ok.context.empty());

  auto bad = checkOne("{at: 30s, pod: web, status: Running, restarts: 0}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "at 30s pod web: status Running, restarts 0");
  CHECK(bad.actual == "status CrashLoopBackOff, restarts 2");
  CHECK(bad.where.file == "c.yaml");
  CHECK(bad.where.line == 28);
  CHECK(bad.where.column == 7);
  // The context ends at the last record at or before 30 s: the PodStatus of 27 s.
  CHECK(focusLine(bad).find(R"("t":27.0,"type":"PodStatus")") != std::string::npos);
  CHECK(focusLine(bad).find(R"("status":"CrashLoopBackOff")") != std::string::npos);
  CHECK(focusLine(bad).find("\"rule\"") == std::string::npos);  // the context is kept short
}

TEST_CASE("at: a container's state, reason, exit code and restart count while it waits out its back-off") {
  auto ok = checkOne("{at: 30s, container: app, state: waiting, reason: CrashLoopBackOff, restartCount: 2}");
  CHECK(ok.passed);
  auto bad = checkOne("{at: 8s, container: setup, state: terminated, reason: Error, exitCode: 1}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.actual == "reason Completed, exitCode 0");
}

TEST_CASE("eventually: CrashLoopBackOff appears within 15 s. Completed never does under restartPolicy Always") {
  CHECK(checkOne("{eventually: {status: CrashLoopBackOff}, within: 15s}").passed);
  auto bad = checkOne("{eventually: {status: Completed}, within: 1m}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "eventually between 0s and 1m0s: pod web: status Completed");
  CHECK(bad.actual == "never held; at 1m0s: status CrashLoopBackOff");
  CHECK_FALSE(bad.context.empty());
}

TEST_CASE("never: a pod under restartPolicy Always is never Completed. CrashLoopBackOff first shows at 12 s") {
  CHECK(checkOne("{never: {status: Completed}}").passed);
  CHECK(checkOne("{never: {status: CrashLoopBackOff}, to: 11s}").passed);
  auto bad = checkOne("{never: {status: CrashLoopBackOff}}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.actual == "at 12s: status CrashLoopBackOff");
  CHECK(focusLine(bad).find(R"("t":12.0,"type":"PodStatus")") != std::string::npos);
}

TEST_CASE("always: both containers are ready from 3 s to 6 s, not until 1 m: app's second exit at 12 s drops READY") {
  CHECK(checkOne("{always: {ready: 2/2, status: Running}, from: 3s, to: 6s}").passed);
  auto bad = checkOne("{always: {ready: 2/2}, from: 3s, to: 1m}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "always between 3s and 1m0s: pod web: ready 2/2");
  CHECK(bad.actual == "at 12s: ready 1/2");
}

TEST_CASE("order: regular containers start only after the init container has exited (kubelet-semantics §2)") {
  CHECK(checkOne("{order: {first: setup, then: app}}").passed);
  CHECK(checkOne("{order: {first: setup, firstEvent: Exited, then: app, thenEvent: Started}}").passed);
  auto bad = checkOne("{order: {first: app, then: setup}}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "pod web: app started before setup started");
  CHECK(bad.actual == "app started at 2s, setup started at 0s");
  CHECK(focusLine(bad).find(R"("container":"setup")") != std::string::npos);
}

TEST_CASE("together: app and log-agent run side by side. an init container never runs with the app containers") {
  CHECK(checkOne("{together: [app, log-agent]}").passed);
  auto bad = checkOne("{together: [setup, app]}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.actual == "setup ran [0s, 2s); app ran [2s, 7s) [7s, 12s) [22s, 27s) [47s, 52s) [1m32s, 1m37s)");
}

TEST_CASE("backoff: restarts wait 0 s, then 10 s doubling (CrashLoopBackOff). a wrong third wait shows every wait") {
  CHECK(checkOne("{backoff: {container: app, waits: [0s, 10s, 20s, 40s], tolerance: 1s}}").passed);
  auto bad = checkOne("{backoff: {container: app, waits: [0s, 10s, 10s], tolerance: 1s}}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "pod web container app: waits between exit and restart [0s, 10s, 10s] within 1s");
  CHECK(bad.actual == "waits [0s, 10s, 20s, 40s] (4 restarts)");
  // The focus is the restart whose wait is off: the third, at 47 s.
  CHECK(focusLine(bad).find(R"("t":47.0,"type":"ContainerStatus")") != std::string::npos);
}

TEST_CASE("event: one BackOff Event per restart refused inside the back-off. too few or too many is a failure") {
  CHECK(checkOne("{event: {reason: BackOff, container: app, atLeast: 4, atMost: 4}}").passed);
  CHECK(checkOne("{event: {reason: Started, container: setup, atMost: 1}}").passed);
  auto bad = checkOne("{event: {reason: BackOff, container: app, atMost: 0}}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.description == "pod web container app: at most 0 BackOff Events");
  CHECK(bad.actual == "4 such Events");
  CHECK(focusLine(bad).find(R"("t":12.0,"type":"Event")") != std::string::npos);
  auto few = checkOne("{event: {reason: Killing, atLeast: 1}}");
  CHECK_FALSE(few.passed);
  CHECK(few.description == "pod web: at least 1 Killing Event");
  CHECK(few.actual == "0 such Events");
}

TEST_CASE("fingerprint: FNV-1a 64 of the JSONL trace. a pinned value holds, any other shows the new one") {
  const auto sc = scenario::loadScenarioString(std::string(kPod) + "    - {at: 0s, pod: web, phase: Pending}\n", "c.yaml");
  engine::Simulation sim(sc, engine::RunOptions{});
  sim.run();
  // FNV-1a 64 computed here over the same text: the canonical trace, without the `rule` explanations
  // (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  std::ostringstream jsonl;
  trace::writeJsonl(jsonl, sim, /*withRules=*/false);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : jsonl.str()) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  const std::string f = engine::traceFingerprint(sim);
  CHECK(f == hex);

  CHECK(checkOne("{fingerprint: " + f + "}").passed);
  auto bad = checkOne("{fingerprint: 0123456789abcdef}");
  CHECK_FALSE(bad.passed);
  CHECK(bad.actual == "fingerprint " + f + " (the trace changed; pin the new value if the change is intended)");
}

TEST_CASE("JUnit XML: a failed expectation is a <failure> with expected and actual. bad input is an <error>") {
  engine::FileReport ok, bad;
  ok.file = "a&b.yaml";
  ok.results.push_back({true, "at 1s pod p: status Running", "", {}, {"a&b.yaml", 3, 7}});
  ok.results.push_back({false, "at 2s pod p: ready 1/1", "ready 0/1", {"> {\"t\":2.0}"}, {"a&b.yaml", 4, 7}});
  bad.file = "bad.yaml";
  bad.error = "bad.yaml:1:1: no Pod document";
  std::ostringstream out;
  engine::writeJUnit(out, {ok, bad});
  const std::string x = out.str();
  CHECK(x.find("<testsuites name=\"podsim check\" tests=\"3\" failures=\"1\" errors=\"1\"") != std::string::npos);
  CHECK(x.find("<testsuite name=\"a&amp;b.yaml\" tests=\"2\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(x.find("<failure message=\"expected at 2s pod p: ready 1/1; got ready 0/1\" type=\"ExpectationFailed\">") !=
        std::string::npos);
  CHECK(x.find("&gt; {&quot;t&quot;:2.0}") != std::string::npos);
  CHECK(x.find("<error message=\"bad.yaml:1:1: no Pod document\" type=\"InputError\">") != std::string::npos);
}
