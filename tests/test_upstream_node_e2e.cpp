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
