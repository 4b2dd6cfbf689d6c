// tests/test_upstream_node_e2e.cpp: the upstream e2e suites test/e2e/common/node/init_container.go,
// lifecycle_hook.go and the pod-lifecycle parts of pods.go (kubernetes v1.37.2), ported to podsim: each case
// runs a scenario that builds the e2e's Pod (same containers, commands, restart policy, grace periods and
// actions) and asserts what the e2e asserts, through the pod's status as a watch sees it. The table of every
// e2e `It` and what covers it is docs/upstream-e2e-node.md.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/upstream_node_support.hpp"

using namespace podsim;
using namespace podsim::testing::e2e;
using podsim::testing::Run;
using sim::kSecond;
using CT = kubelet::ConditionType;

namespace {

// init_container.go's intended invariants (containerInitInvariant, initContainersInvariants) on one state:
// while initialization is not complete every regular container is waiting with reason PodInitializing and
// restartCount 0; the Initialized condition is present, never True before every init container terminated
// with exit 0, and never False after. Upstream, checkInvariants runs over an empty list (recordEvents
// appends to a copy of the slice) and initialized() would reject any terminated first init container, so
// the rule is checked here as the comments describe it, not as the code runs.
void checkInitInvariants(const Run& r, const Observed& o) {
  const api::Pod& pod = r.sc.pods[0].pod;
  const std::size_t nInit = pod.initContainers.size();
  bool allInit = true;
  bool failed = false;
  for (std::size_t i = 0; i < nInit; ++i) {
    const auto& s = o.containers[i];
    if (!o.reported[i] || s.state.kind != Kind::Terminated) {
      allInit = false;
    } else if (s.state.exitCode != 0) {
      allInit = false;
      failed = true;
    } else {
      CHECK_MESSAGE(s.ready, "init container " << pod.container(i).name << " initialized but not ready");
    }
  }
  if (!allInit || failed) {
    for (std::size_t i = nInit; i < pod.containerCount(); ++i) {
      if (!o.reported[i]) continue;
      CHECK((o.containers[i].state.kind == Kind::Waiting));
      CHECK((o.containers[i].state.reason == api::Reason::PodInitializing));
      CHECK(o.containers[i].restartCount == 0);
    }
  }
  if (!o.hasPodStatus) return;
  const auto& init = o.pod.conditions[static_cast<std::size_t>(CT::Initialized)];
  if (!init.present) return;  // before the kubelet's first status only the scheduler's condition exists
  if (init.status) CHECK_MESSAGE((allInit && !failed), "Initialized True before every init container succeeded (t=" << o.t << ")");
}

// Asserts the e2e's end state for init containers that all succeeded: 2 statuses, each Ready, terminated 0.
void checkInitContainersSucceeded(const Observed& end) {
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    REQUIRE(end.reported[i]);
    CHECK(end.containers[i].ready);
    CHECK((end.containers[i].state.kind == Kind::Terminated));
    CHECK(end.containers[i].state.exitCode == 0);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// test/e2e/common/node/init_container.go
// ---------------------------------------------------------------------------------------------------------

TEST_CASE("e2e common/node init_container: [sig-node] InitContainer [NodeConformance] [Conformance] should invoke init containers on a RestartNever pod") {
  const Run r = runNode("init-restart-never.yaml");
  // watchtools.Until(..., conditions.PodCompleted): the first update with phase Succeeded or Failed.
  const Observed end = until(r, [&](const Observed& o) {
    checkInitInvariants(r, o);
    return o.hasPodStatus && (o.pod.phase == api::PodPhase::Succeeded || o.pod.phase == api::PodPhase::Failed);
  });
  CHECK((end.pod.phase == api::PodPhase::Succeeded));
  CHECK(conditionTrue(end, CT::Initialized));
  checkInitContainersSucceeded(end);
  // Rule (kuberuntime_manager.go computePodActions): init containers one at a time, in order, each
  // terminated with exit 0 before the next starts; the app only after the last one.
  const auto ended = [&](const char* c) {
    std::vector<sim::Time> out;
    for (const auto& rec : r.sim->trace().records()) {
      if (rec.type != trace::RecordType::ContainerStatus) continue;
      const auto& cs = r.sim->trace().containerStatusAt(rec);
      if (cs.container == containerIndex(r, c) && cs.status.state.kind == Kind::Terminated) out.push_back(cs.status.state.finishedAt);
    }
    REQUIRE_FALSE(out.empty());
    return out.front();
  };
  const auto started = [&](const char* c) {
    const auto t = eventTimes(r, containerIndex(r, c), api::EventReason::Started);
    REQUIRE(t.size() == 1);  // restartPolicy Never: never restarted
    return t.front();
  };
  CHECK(ended("init1") <= started("init2"));
  CHECK(ended("init2") <= started("run1"));
}

TEST_CASE("e2e common/node init_container: [sig-node] InitContainer [NodeConformance] [Conformance] should invoke init containers on a RestartAlways pod") {
  const Run r = runNode("init-restart-always.yaml");
  // conditions.PodRunning: the first update with phase Running.
  const Observed end = until(r, [&](const Observed& o) {
    checkInitInvariants(r, o);
    return o.hasPodStatus && o.pod.phase == api::PodPhase::Running;
  });
  CHECK((end.pod.phase == api::PodPhase::Running));
  CHECK(conditionTrue(end, CT::Initialized));
  checkInitContainersSucceeded(end);
  // And it stays so: the pause container runs, neither init container runs again.
  const Observed last = final(r);
  CHECK((last.pod.phase == api::PodPhase::Running));
  CHECK((last.containers[2].state.kind == Kind::Running));
  CHECK(eventTimes(r, containerIndex(r, "init1"), api::EventReason::Started).size() == 1);
  CHECK(eventTimes(r, containerIndex(r, "init2"), api::EventReason::Started).size() == 1);
}

TEST_CASE("e2e common/node init_container: [sig-node] InitContainer [NodeConformance] [Conformance] should not start app containers if init containers fail on a RestartAlways pod") {
  const Run r = runNode("init-fail-restart-always.yaml");
  // The first watch condition: every update keeps run1 and init2 waiting (PodInitializing) and init1 never
  // terminated with 0; it ends at the first update where init1 has a last termination state.
  const auto firstCheck = [&](const Observed& o) {
    checkInitInvariants(r, o);
    if (o.reported[2]) {
      CHECK((o.containers[2].state.kind == Kind::Waiting));
      CHECK((o.containers[2].state.reason == api::Reason::PodInitializing));
    }
    if (!o.reported[0] || !o.reported[1]) return false;
    CHECK((o.containers[1].state.kind == Kind::Waiting));
    CHECK((o.containers[1].state.reason == api::Reason::PodInitializing));
    const auto& s0 = o.containers[0];
    CHECK_FALSE((s0.state.kind == Kind::Terminated && s0.state.exitCode == 0));
    return s0.hasLastState && s0.lastState.kind == Kind::Terminated;
  };
  const Observed first = until(r, firstCheck);
  // The second: until init1's restartCount reaches 3 (the kubelet's back-off 10 s, 20 s between them).
  bool afterFirst = false;
  const Observed end = until(r, [&](const Observed& o) {
    if (o.t < first.t) return false;
    afterFirst = true;
    firstCheck(o);  // the invariants of the first phase still hold (nothing else ever starts)
    return o.reported[0] && o.containers[0].restartCount >= 3;
  });
  CHECK(afterFirst);
  CHECK((end.pod.phase == api::PodPhase::Pending));
  const auto& init = end.pod.conditions[static_cast<std::size_t>(CT::Initialized)];
  CHECK(init.present);
  CHECK_FALSE(init.status);
  CHECK((init.reason == api::Reason::ContainersNotInitialized));
  CHECK(kubelet::podInitializedConditionMessage(r.sc.pods[0].pod, end.containers) ==
        "containers with incomplete status: [init1 init2]");
  CHECK(end.reported[0]);
  CHECK(end.reported[1]);
  // The app container never starts, and init2 never starts either.
  CHECK(eventTimes(r, containerIndex(r, "run1"), api::EventReason::Started).empty());
  CHECK(eventTimes(r, containerIndex(r, "init2"), api::EventReason::Started).empty());
}

TEST_CASE("e2e common/node init_container: [sig-node] InitContainer [NodeConformance] [Conformance] should not start app containers and fail the pod if init containers fail on a RestartNever pod") {
  const Run r = runNode("init-fail-restart-never.yaml");
  // First condition: run1 always waiting (PodInitializing); ends when init2 terminated (non-zero) after
  // init1 terminated with 0.
  const auto firstCheck = [&](const Observed& o) {
    checkInitInvariants(r, o);
    if (o.reported[2]) {
      CHECK((o.containers[2].state.kind == Kind::Waiting));
      CHECK((o.containers[2].state.reason == api::Reason::PodInitializing));
    }
    if (!o.reported[0] || !o.reported[1]) return false;
    const auto& s0 = o.containers[0];
    if (s0.state.kind != Kind::Terminated) {
      if (s0.state.kind == Kind::Waiting) CHECK((s0.state.reason == api::Reason::PodInitializing));
      return false;
    }
    CHECK(s0.state.exitCode == 0);
    const auto& s1 = o.containers[1];
    if (s1.state.kind != Kind::Terminated) return false;
    CHECK(s1.state.exitCode != 0);
    return true;
  };
  const Observed first = until(r, firstCheck);
  // Then conditions.PodCompleted.
  const Observed end = until(r, [&](const Observed& o) {
    return o.t >= first.t && o.hasPodStatus && (o.pod.phase == api::PodPhase::Succeeded || o.pod.phase == api::PodPhase::Failed);
  });
  CHECK((end.pod.phase == api::PodPhase::Failed));
  const auto& init = end.pod.conditions[static_cast<std::size_t>(CT::Initialized)];
  CHECK(init.present);
  CHECK_FALSE(init.status);
  CHECK((init.reason == api::Reason::ContainersNotInitialized));
  CHECK(kubelet::podInitializedConditionMessage(r.sc.pods[0].pod, end.containers) ==
        "containers with incomplete status: [init2]");
  REQUIRE(end.reported[2]);
  CHECK((end.containers[2].state.kind == Kind::Waiting));
  CHECK(eventTimes(r, containerIndex(r, "run1"), api::EventReason::Started).empty());
}

// ---------------------------------------------------------------------------------------------------------
// test/e2e/common/node/lifecycle_hook.go
// ---------------------------------------------------------------------------------------------------------
//
// testPodWithHook: the pod under test gets a sidecar `container-redirect` (agnhost netexec, restartPolicy
// Always, an httpGet startup probe) as its first init container; it is created and waited for Running
// (CreateSync); a postStart hook must then have reached the handler pod; the pod is deleted with grace
// period 15 s (DeleteSync: until it is gone); a preStop hook must then have reached the handler pod. The
// handler pod and the request it logs are outside podsim: the hook's run (it reaches the handler in 50 ms and
// succeeds) is behaviors.<pod>.<container>.hooks, and "the handler got the request" is the Hook record
// Finished (not Failed). Exec hooks run `sh -c "curl http://<ip>:8080/echo?msg=..."`, a host podsim does not
// resolve, so their run is given the same way.

namespace {

// HOOK: postStart or preStop; HANDLER: the manifest's handler; TARGET_* where the container with the hook is.
const char* kHookTemplate = R"(
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: e2e-lifecycle-hook}
spec:
  duration: 5m
  behaviors:
    POD:
      HOOKED: {hooks: {HOOK: {duration: 50ms}}}
  actions:
  - {at: 1m, deletePod: {pod: POD, gracePeriodSeconds: 15}}
---
apiVersion: v1
kind: Pod
metadata: {name: POD}
spec:
  initContainers:
  - name: container-redirect
    image: registry.k8s.io/e2e-test-images/agnhost:2.66.1
    args: [netexec, --udp-port, "-1"]
    restartPolicy: Always
    startupProbe:
      httpGet: {scheme: SCHEME, path: "/echo?msg=startup", port: 8080}
  SIDECAR_UNDER_TEST
  containers:
  REGULAR
)";

const char* kHookedContainer = R"(- name: HOOKED
    image: IMAGE
    lifecycle:
      HOOK: HANDLER
    RESTART
)";

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

// The e2e's pod: getPodWithHook (the hook on the regular container) or getSidecarPodWithHook (the hook on a
// sidecar, then a pause container `main`).
std::string hookPod(bool sidecar, const std::string& hook, const std::string& handler) {
  const bool http = handler.rfind("http", 0) == 0;
  const bool https = handler == "https";
  const std::string pod = std::string("pod-with-") + (hook == "postStart" ? "poststart" : "prestop") + "-" + handler + "-hook";
  const std::string msg = hook == "postStart" ? "poststart" : "prestop";
  const std::string h = http ? std::string("{httpGet: {") + (https ? "scheme: HTTPS, " : "") +
                                   "path: \"/dial?host=10.0.0.9&port=8080&request=echo%3Fmsg%3D" + msg + "\", port: 8080}}"
                             : "{exec: {command: [sh, -c, \"curl http://10.0.0.9:8080/echo?msg=" + msg + "\"]}}";
  std::string c = replaceAll(kHookedContainer, "HOOKED", pod);
  c = replaceAll(c, "IMAGE", http ? "registry.k8s.io/pause:3.10.1" : "registry.k8s.io/e2e-test-images/agnhost:2.66.1");
  c = replaceAll(c, "HANDLER", h);
  c = replaceAll(c, "HOOK", hook);
  std::string s = replaceAll(kHookTemplate, "SCHEME", https ? "HTTPS" : "HTTP");
  if (sidecar) {
    s = replaceAll(s, "SIDECAR_UNDER_TEST", replaceAll(c, "RESTART", "restartPolicy: Always"));
    s = replaceAll(s, "REGULAR", "- {name: main, image: registry.k8s.io/pause:3.10.1}");
  } else {
    s = replaceAll(s, "SIDECAR_UNDER_TEST", "");
    s = replaceAll(s, "REGULAR", replaceAll(c, "RESTART", ""));
  }
  s = replaceAll(s, "HOOKED", pod);
  s = replaceAll(s, "HOOK", hook);
  return replaceAll(s, "POD", pod);
}

// Runs testPodWithHook's steps on the pod and asserts what the e2e asserts, plus the kubelet's ordering rule
// of the hook (kuberuntime_container.go startContainer: postStart after the container started;
// killContainer: preStop before the stop signal, within the grace period).
void testPodWithHook(bool sidecar, const std::string& hook, const std::string& handler) {
  const std::string yaml = hookPod(sidecar, hook, handler);
  CAPTURE(yaml);
  const Run r = podsim::testing::run(yaml);
  const std::string name = r.sc.pods[0].pod.name;
  const std::int32_t c = containerIndex(r, name);
  REQUIRE(c >= 0);
  // CreateSync: the pod reaches Running (and, with a sidecar under test, stays up: its hooks do not fail).
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  const sim::Time deleteAt = actionAt(r, "deletePod");
  CHECK(running.t < deleteAt);
  const auto hs = hooks(r, c);
  const auto started = eventTimes(r, c, api::EventReason::Started);
  REQUIRE(started.size() == 1);  // the hook succeeded: no FailedPostStartHook kill and restart
  CHECK(eventTimes(r, c, api::EventReason::FailedPostStartHook).empty());
  CHECK(eventTimes(r, c, api::EventReason::FailedPreStopHook).empty());
  const auto kind = hook == "postStart" ? trace::HookKind::PostStart : trace::HookKind::PreStop;
  // Exactly one run of the hook, started and finished (the handler logged the request).
  std::vector<HookAt> mine;
  for (const HookAt& h : hs) if (h.hook == kind) mine.push_back(h);
  REQUIRE(mine.size() == 2);
  CHECK((mine[0].state == trace::HookState::Started));
  CHECK((mine[1].state == trace::HookState::Finished));
  for (const HookAt& h : hs) CHECK((h.hook == kind));  // the other hook is not in the manifest: never run
  const auto sigterm = signals(r, c, false);
  REQUIRE_FALSE(sigterm.empty());
  if (kind == trace::HookKind::PostStart) {
    // "the handler MUST be invoked after the start of the container" and before the pod is deleted
    CHECK(mine[0].t >= started[0]);
    CHECK(mine[1].t < deleteAt);
    // with a sidecar under test, the next container starts only once the postStart hook finished
    if (sidecar) CHECK(eventTimes(r, containerIndex(r, "main"), api::EventReason::Started).front() >= mine[1].t);
  } else {
    // "the handler MUST be invoked before the container is terminated": at deletion, before SIGTERM
    CHECK(mine[0].t >= deleteAt);
    CHECK(mine[1].t <= sigterm.front());
    CHECK(sigterm.front() - deleteAt < 15 * kSecond);
  }
  // DeleteSync with grace period 15 s: the pod is gone within the e2e's PodDelete timeout (5 min) and, as
  // its containers stop on SIGTERM, well within the grace period.
  const Observed end = final(r);
  CHECK(end.removed);
  CHECK(end.t - deleteAt <= 15 * kSecond);
  CHECK(signals(r, c, true).empty());  // no SIGKILL: everything stopped inside the grace period
}

}  // namespace

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly [NodeConformance] [Conformance]") {
  testPodWithHook(false, "postStart", "exec");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop exec hook properly [NodeConformance] [Conformance]") {
  testPodWithHook(false, "preStop", "exec");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart http hook properly [NodeConformance] [Conformance]") {
  testPodWithHook(false, "postStart", "http");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart https hook properly [NodeConformance]") {
  testPodWithHook(false, "postStart", "https");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop http hook properly [NodeConformance] [Conformance]") {
  testPodWithHook(false, "preStop", "http");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop https hook properly [NodeConformance]") {
  testPodWithHook(false, "preStop", "https");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart exec hook properly") {
  testPodWithHook(true, "postStart", "exec");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop exec hook properly") {
  testPodWithHook(true, "preStop", "exec");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart http hook properly") {
  testPodWithHook(true, "postStart", "http");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart https hook properly") {
  testPodWithHook(true, "postStart", "https");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop http hook properly") {
  testPodWithHook(true, "preStop", "http");
}
TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute prestop https hook properly") {
  testPodWithHook(true, "preStop", "https");
}

// Lifecycle Sleep Hook: deletionTS is delete_time + grace; the e2e's sleep_duration is finishedAt -
// deletionTS + grace, that is finishedAt - delete_time.
namespace {
// The container's finishedAt once terminated, and the deletion's time.
std::pair<sim::Time, sim::Time> finishedAfterDeletion(const Run& r) {
  const sim::Time deleteAt = actionAt(r, "deletePod");
  const Observed end = until(r, [&](const Observed& o) {
    return o.t >= deleteAt && o.reported[0] && o.containers[0].state.kind == Kind::Terminated;
  });
  return {end.containers[0].state.finishedAt, deleteAt};
}
}  // namespace

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Lifecycle Sleep Hook [NodeConformance] when create a pod with lifecycle hook using sleep action valid prestop hook using sleep action") {
  const Run r = runNode("prestop-sleep.yaml");
  const auto [finishedAt, deleteAt] = finishedAfterDeletion(r);
  const sim::Time sleepDuration = finishedAt - deleteAt;
  CHECK(sleepDuration >= 50 * kSecond);   // the pod slept its 50 s
  CHECK(sleepDuration <= 100 * kSecond);  // within terminationGracePeriodSeconds
  // The rule behind it (kuberuntime_container.go killContainer): preStop first, SIGTERM when it returns.
  const auto sigterm = signals(r, 0, false);
  REQUIRE(sigterm.size() == 1);
  CHECK(sigterm[0] - deleteAt == 50 * kSecond);
  CHECK(signals(r, 0, true).empty());
}

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Lifecycle Sleep Hook [NodeConformance] when create a pod with lifecycle hook using sleep action reduce GracePeriodSeconds during runtime") {
  const Run r = runNode("prestop-sleep-reduced-grace.yaml");
  const auto [finishedAt, deleteAt] = finishedAfterDeletion(r);
  const sim::Time sleepDuration = finishedAt - deleteAt;
  CHECK(sleepDuration >= 30 * kSecond);  // the deletion's grace period, 30 s
  CHECK(sleepDuration <= 50 * kSecond);  // less than the hook's 50 s: the hook was cut
}

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Lifecycle Sleep Hook [NodeConformance] when create a pod with lifecycle hook using sleep action ignore terminated container") {
  const Run r = runNode("prestop-sleep-terminated.yaml");
  const Observed t = until(r, [](const Observed& o) { return o.reported[0] && o.containers[0].state.kind == Kind::Terminated; });
  const sim::Time cost = t.containers[0].state.finishedAt - t.containers[0].state.startedAt;
  CHECK(cost >= 0);
  CHECK(cost <= 10 * kSecond);  // shorter than the sleep action: the hook does not run for an exited container
  CHECK(cost == 3 * kSecond);   // `sleep 3`
  CHECK(hooks(r, 0).empty());   // no preStop, neither at the exit nor at the later deletion
  CHECK(final(r).removed);      // the deferred DeleteSync
}

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] Lifecycle sleep action zero value [NodeConformance] when create a pod with lifecycle hook using sleep action with a duration of zero seconds prestop hook using sleep action with zero duration") {
  const Run r = runNode("prestop-sleep-zero.yaml");
  const sim::Time deleteAt = actionAt(r, "deletePod");
  const Observed end = final(r);
  REQUIRE(end.removed);
  const sim::Time cost = end.t - deleteAt;  // DeleteSync: from the deletion until the pod is gone
  CHECK(cost >= 0);
  CHECK(cost <= 30 * kSecond);
  const auto hs = hooks(r, 0);
  REQUIRE(hs.size() == 2);  // the hook ran and returned at once
  CHECK(hs[1].t == hs[0].t);
}

TEST_CASE("e2e common/node lifecycle_hook: [sig-node] [Feature:ContainerStopSignals] [FeatureGate:ContainerStopSignals] when create a pod with a StopSignal lifecycle StopSignal defined with pod.OS") {
  const Run r = runNode("stop-signal.yaml");
  const Observed end = final(r);
  CHECK((end.pod.phase == api::PodPhase::Running));
  CHECK((end.containers[0].state.kind == Kind::Running));
}

// ---------------------------------------------------------------------------------------------------------
// test/e2e/common/node/pods.go
// ---------------------------------------------------------------------------------------------------------

TEST_CASE("e2e common/node pods: [sig-node] Pods should get a host IP [NodeConformance] [Conformance]") {
  const Run r = runNode("pod-host-ip.yaml");
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  CHECK(running.pod.node >= 0);  // bound to a node: its address is the hostIP
  CHECK(running.t <= 2 * sim::kMinute);
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]") {
  const Run r = runNode("pod-submit-remove.yaml");
  const sim::Time deleteAt = actionAt(r, "deletePod");
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  CHECK(running.t < deleteAt);  // deleted once running, so gracefully
  // The watch's last update before Deleted has the deletion timestamp; the pod is then gone (a list by
  // label is empty), within the e2e's PodDelete timeout (5 min) and within the 30 s grace period.
  Observed beforeRemoval;
  const Observed gone = until(r, [&](const Observed& o) {
    if (!o.removed) beforeRemoval = o;
    return o.removed;
  });
  CHECK(beforeRemoval.pod.deleting);
  CHECK(r.sc.pods[0].pod.terminationGracePeriodSeconds != 0);
  CHECK(gone.t - deleteAt <= 30 * kSecond);
  CHECK(signals(r, 0, true).empty());
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should allow activeDeadlineSeconds to be updated [NodeConformance] [Conformance]") {
  const Run r = runNode("pod-active-deadline-update.yaml");
  const sim::Time updateAt = actionAt(r, "updatePod");
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  CHECK(running.t < updateAt);
  // WaitForPodTerminatedInNamespace(..., "DeadlineExceeded"): phase Failed with that reason.
  const Observed end = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Failed; });
  CHECK((end.pod.reason == api::Reason::DeadlineExceeded));
  CHECK(end.t >= updateAt);
  CHECK_FALSE(eventTimes(r, -1, api::EventReason::DeadlineExceeded).empty());  // active_deadline.go ShouldEvict records it
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should have their auto-restart back-off timer reset on image update [Slow] [NodeConformance]") {
  const Run r = runNode("pod-backoff-image-update.yaml");
  const std::int32_t c = 0;
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  // startPodAndGetBackOffs: CreateSync, sleep buildBackOffDuration (1 min), then three delays.
  const RestartDelay d0 = getRestartDelay(r, c, running.t + sim::kMinute);
  REQUIRE(d0.ok);
  const RestartDelay d1 = getRestartDelay(r, c, d0.end);
  REQUIRE(d1.ok);
  const RestartDelay d2 = getRestartDelay(r, c, d1.end);
  REQUIRE(d2.ok);
  const sim::Time updateAt = actionAt(r, "updateImage");
  CHECK(updateAt >= d2.end);  // the scenario updates the image when the e2e does
  // time.Sleep(syncLoopFrequency), WaitForPodNameRunningInNamespace, then the delay after the update.
  const Observed runningAgain = until(r, [&](const Observed& o) {
    return o.t >= updateAt && o.hasPodStatus && o.pod.phase == api::PodPhase::Running;
  });
  const RestartDelay d3 = getRestartDelay(r, c, std::max(updateAt + 10 * kSecond, runningAgain.t));
  REQUIRE(d3.ok);
  MESSAGE("restart delays (s): d0 " << d0.delay / 1e9 << ", d1 " << d1.delay / 1e9 << ", d2 " << d2.delay / 1e9
                                   << ", after the update " << d3.delay / 1e9);
  CHECK(d3.delay <= 2 * d2.delay);
  CHECK(d3.delay <= 2 * d1.delay);
  // The rule: a new image is a new back-off key (kuberuntime_manager.go doBackOff, GetStableKey), so the
  // back-off after the update starts again from the initial 10 s (plus the kubelet's reaction).
  CHECK(d3.delay < d2.delay);
  CHECK(d3.delay <= 20 * kSecond);
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should cap back-off at MaxContainerBackOff [Slow] [NodeConformance]") {
  const Run r = runNode("pod-backoff-cap.yaml");
  const std::int32_t c = 0;
  constexpr sim::Time kMax = 300 * kSecond;                 // kubelet.MaxCrashLoopBackOff
  constexpr sim::Time kTolerance = kMax * 13 / 10;          // maxBackOffTolerance
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  RestartDelay d1{0, running.t + 2 * kMax, true};  // time.Sleep(2 * MaxCrashLoopBackOff)
  for (int i = 0; i < 3; ++i) {
    d1 = getRestartDelay(r, c, d1.end);
    REQUIRE(d1.ok);
  }
  CAPTURE(d1.delay);
  CHECK(d1.delay >= kMax);
  CHECK(d1.delay <= kTolerance);
  const RestartDelay d2 = getRestartDelay(r, c, d1.end);
  REQUIRE(d2.ok);
  MESSAGE("capped restart delays (s): " << d1.delay / 1e9 << ", " << d2.delay / 1e9);
  CHECK(d2.delay >= kMax);
  CHECK(d2.delay <= kTolerance);
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should support retrieving logs from the container over websockets [NodeConformance] [Conformance]") {
  const Run r = runNode("pod-logs.yaml");
  std::string log;
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Log) continue;
    const auto& l = r.sim->trace().logAt(rec);
    if (l.container == 0 && !l.isStderr) log += r.sc.logTexts[static_cast<std::size_t>(l.text)] + "\n";
  }
  CHECK(log == "container is alive\n");
  CHECK((final(r).containers[0].state.kind == Kind::Running));
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should delete a collection of pods [Conformance]") {
  const Run r = runNode("pod-delete-collection.yaml");
  const sim::Time deleteAt = actionAt(r, "deletePod");
  for (std::size_t p = 0; p < 3; ++p) {
    CAPTURE(p);
    // WaitForPodsRunningReady: each Running and Ready before the deletion.
    const Observed ready = until(r, [](const Observed& o) {
      return o.hasPodStatus && o.pod.phase == api::PodPhase::Running && conditionTrue(o, CT::Ready);
    }, p);
    CHECK(ready.t < deleteAt);
    // Then all gone within PodDelete (5 min); with grace 1 s and agnhost pause exiting on SIGTERM, at once.
    const Observed end = final(r, p);
    CHECK(end.removed);
    CHECK(end.t - deleteAt <= 1 * kSecond);
  }
}

TEST_CASE("e2e common/node pods: [sig-node] Pods should run through the lifecycle of Pods and PodStatus [Conformance]") {
  const Run r = runNode("pod-lifecycle-status.yaml");
  const sim::Time deleteAt = actionAt(r, "deletePod");
  const Observed running = until(r, [](const Observed& o) { return o.hasPodStatus && o.pod.phase == api::PodPhase::Running; });
  CHECK(running.t < deleteAt);
  // The e2e later flips Ready and ContainersReady from True to False (both must have been True: its patch
  // count is 2).
  const Observed ready = until(r, [](const Observed& o) { return conditionTrue(o, CT::Ready) && conditionTrue(o, CT::ContainersReady); });
  CHECK(ready.t < deleteAt);
  const Observed end = final(r);
  CHECK(end.removed);
  CHECK(end.t - deleteAt <= 1 * kSecond);
}
