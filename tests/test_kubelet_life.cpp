// tests/test_kubelet_life.cpp: the pod's and the kubelet's own life (issue 13 items 4-7): activeDeadlineSeconds,
// mergePodStatus's hold on the terminal phase, kubelet restarts (ChangeContainerStatusOnKubeletRestart), rebootNode, removeExitedContainers,
// stopKubelet / startKubelet, forced deletion, and the updatePod action's validation.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "models/kubelet/kubelet_restart.hpp"
#include "support.hpp"

using namespace podsim;
using sim::kSecond;
using Kind = kubelet::ContainerStateValue::Kind;

namespace {

/// The time of the first PodStatus record with phase `p`, or nullopt.
std::optional<sim::Time> firstPhase(const testing::Run& r, api::PodPhase p, std::int32_t pod = 0) {
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::PodStatus || rec.pod != pod) continue;
    if (r.sim->trace().podStatusAt(rec).phase == p) return rec.t;
  }
  return std::nullopt;
}

/// The times of the pod's Events of `reason`.
std::vector<sim::Time> events(const testing::Run& r, api::EventReason reason) {
  std::vector<sim::Time> out;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type == trace::RecordType::Event && r.sim->trace().eventAt(rec).reason == reason) out.push_back(rec.t);
  }
  return out;
}

/// The message of the InputError that loading `yaml` throws, or "" when it loads.
std::string errorOf(const std::string& yaml) {
  try {
    scenario::loadScenarioString(yaml, "t.yaml");
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

std::string withActions(const std::string& podExtra, const std::string& actions) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n" + podExtra +
         "  containers:\n  - {name: app, image: example.com/app:1.0}\n---\n"
         "apiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  duration: 2m\n  actions:\n" + actions;
}

}  // namespace

TEST_CASE("probeResultsOnKubeletRestart: ChangeContainerStatusOnKubeletRestart off keeps started and ready") {
  using kubelet::probeResultsOnKubeletRestart;
  using kubelet::KeptProbeResults;
  struct Case {
    const char* name;
    kubelet::RestartedContainer c;
    bool gate;
    KeptProbeResults want;
  };
  const sim::Time start = 100 * kSecond;
  const std::vector<Case> cases = {
      {"gate on (before 1.35): nothing kept", {true, 0, start, true, true, true}, true, {}},
      {"not running: nothing kept", {false, 0, start, true, true, true}, false, {}},
      {"started within the 10 s grace: a new container", {true, start - 10 * kSecond, start, true, true, true}, false, {}},
      {"started before the grace, pod Ready: started and ready kept", {true, 0, start, true, true, true}, false, {true, true, true}},
      {"readiness probe and pod not Ready: ready false", {true, 0, start, true, true, false}, false, {true, true, false}},
      {"no readiness probe: ready true even if the pod was not Ready", {true, 0, start, true, false, false}, false, {true, true, true}},
      {"not started before: started not kept", {true, 0, start, false, true, true}, false, {false, true, true}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(probeResultsOnKubeletRestart(c.c, c.gate) == c.want);
  }
}

TEST_CASE("activeDeadlineSeconds: Failed with reason DeadlineExceeded at the deadline, reported once the app stopped") {
  const auto r = testing::runFile("scenarios/rules/active-deadline.yaml");
  // The Event at the first status generation past the deadline (30 s), and again in SyncTerminatingPod
  // and SyncTerminatedPod (ShouldEvict records one at each generation).
  const auto ev = events(r, api::EventReason::DeadlineExceeded);
  REQUIRE(ev.size() == 3);
  CHECK(ev[0] == 30 * kSecond);
  CHECK(ev[1] == 30 * kSecond);
  CHECK(ev[2] == 33 * kSecond);
  // mergePodStatus: the phase reaches the API after the app exited (SIGTERM at 30 s, 3 s to stop).
  CHECK(firstPhase(r, api::PodPhase::Failed) == 33 * kSecond);
  const auto views = r.sim->views();
  CHECK((views[0].status.phase == api::PodPhase::Failed));
  CHECK((views[0].status.reason == api::Reason::DeadlineExceeded));
  CHECK(views[0].printed.status() == "Error");  // printPod: the terminated container's reason wins over status.reason
  CHECK((views[0].status.containers[0].state.kind == Kind::Terminated));
  CHECK(views[0].status.containers[0].state.exitCode == 143);
}

TEST_CASE("activeDeadlineSeconds: kubelet timing syncs the pod at the first 1 s sync tick past the deadline") {
  const auto r = testing::run(withActions("  activeDeadlineSeconds: 30\n", "    - {at: 1m, createService: {name: x}}\n") +
                              "  timing: kubelet\n  behaviors:\n    web:\n      app: {run: forever, exitCodeOnSigterm: 143}\n");
  const auto ev = events(r, api::EventReason::DeadlineExceeded);
  REQUIRE_FALSE(ev.empty());
  CHECK(ev[0] >= 30 * kSecond);
  CHECK(ev[0] < 32 * kSecond);  // startTime (first sync, < 1 s) + 30 s, then the next tick
  const auto failed = firstPhase(r, api::PodPhase::Failed);
  REQUIRE(failed.has_value());
  CHECK(*failed >= ev[0]);
}

TEST_CASE("updatePod: activeDeadlineSeconds set on a running pod past it fails the pod at once") {
  const auto r = testing::runFile("scenarios/rules/active-deadline-update.yaml");
  const auto ev = events(r, api::EventReason::DeadlineExceeded);
  REQUIRE_FALSE(ev.empty());
  CHECK(ev[0] == 60 * kSecond);
  const auto failed = firstPhase(r, api::PodPhase::Failed);
  REQUIRE(failed.has_value());
  CHECK(*failed < 61 * kSecond);
}

TEST_CASE("updatePod validation: activeDeadlineSeconds may be added or lowered only (ValidatePodUpdate)") {
  CHECK(errorOf(withActions("  activeDeadlineSeconds: 30\n", "    - {at: 1m, updatePod: {pod: web, activeDeadlineSeconds: 60}}\n")) ==
        "t.yaml:15:61: spec.actions[0].updatePod.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value (30)");
  CHECK(errorOf(withActions("", "    - {at: 1m, updatePod: {pod: web, activeDeadlineSeconds: 20}}\n"
                                "    - {at: 2m, updatePod: {pod: web, activeDeadlineSeconds: 25}}\n")) ==
        "t.yaml:15:61: spec.actions[1].updatePod.activeDeadlineSeconds: Invalid value: 25: must be less than or equal to previous value (20)");
  CHECK(errorOf(withActions("", "    - {at: 1m, updatePod: {pod: web, activeDeadlineSeconds: 0}}\n")) ==
        "t.yaml:14:61: spec.actions[0].updatePod.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive");
  CHECK(errorOf(withActions("  activeDeadlineSeconds: 30\n", "    - {at: 1m, updatePod: {pod: web, activeDeadlineSeconds: 10}}\n")).empty());
}

TEST_CASE("mergePodStatus: an init container failing under Never beside a stopping sidecar leaves Pending until it exited") {
  const auto r = testing::runFile("scenarios/rules/never-init-fails-beside-sidecar.yaml");
  // setup fails at 3 s; the sidecar takes 5 s to stop: Failed only at 8 s.
  CHECK(firstPhase(r, api::PodPhase::Failed) == 8 * kSecond);
}

TEST_CASE("restartKubelet: from 1.35 (ChangeContainerStatusOnKubeletRestart off) no update shows started or ready false") {
  const auto r = testing::runFile("scenarios/rules/kubelet-restart-keeps-ready.yaml");
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus || rec.t < 60 * kSecond) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec).status;
    CHECK(s.started);
    CHECK(s.ready);
  }
}

TEST_CASE("restartKubelet: on 1.34 the new kubelet resets started and ready until the probes pass again") {
  const auto r = testing::runFile("scenarios/rules/kubelet-restart-resets-ready-1.34.yaml");
  bool sawReset = false;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus || rec.t < 60 * kSecond) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec).status;
    if (!s.started && !s.ready) sawReset = true;
  }
  CHECK(sawReset);
}

TEST_CASE("stopKubelet / startKubelet: nothing reacts while the kubelet is down; on start it relists and resyncs") {
  const auto r = testing::runFile("scenarios/rules/kubelet-stop-start.yaml");
  // The app exits by itself at 40 s while the kubelet is down (30 s .. 60 s): no status until 60 s.
  sim::Time firstTerminated = -1;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec).status;
    if (s.state.kind == Kind::Terminated && firstTerminated < 0) firstTerminated = rec.t;
  }
  CHECK(firstTerminated == 60 * kSecond);
}

TEST_CASE("deletePod force: the API object goes at once (PodRemoved), the kubelet still kills the containers") {
  const auto r = testing::runFile("scenarios/rules/force-delete.yaml");
  sim::Time removed = -1;
  sim::Time lastStatus = -1;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type == trace::RecordType::PodRemoved) removed = rec.t;
    if (rec.type == trace::RecordType::PodStatus || rec.type == trace::RecordType::ContainerStatus) lastStatus = rec.t;
  }
  CHECK(removed == 30 * kSecond);
  CHECK(lastStatus <= 30 * kSecond);  // the status manager has no object to update any more
  // The kubelet still stops the app: a Killing Event at 30 s.
  const auto killing = events(r, api::EventReason::Killing);
  REQUIRE(killing.size() == 1);
  CHECK(killing[0] == 30 * kSecond);
}

TEST_CASE("rebootNode: every container dies at once (255 Unknown), the sandbox is re-created and the init container runs again") {
  const auto r = testing::runFile("scenarios/rules/reboot-node.yaml");
  std::vector<sim::Time> setupStarts;
  bool appLost = false;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type == trace::RecordType::Event && r.sim->trace().eventAt(rec).reason == api::EventReason::Started &&
        r.sim->trace().eventAt(rec).container == 0) {
      setupStarts.push_back(rec.t);
    }
    if (rec.type != trace::RecordType::ContainerStatus || rec.t != 60 * kSecond) continue;
    const auto& s = r.sim->trace().containerStatusAt(rec);
    if (s.container == 1 && s.status.state.kind == Kind::Terminated && s.status.state.exitCode == 255 &&
        s.status.state.reason == api::Reason::Unknown) {
      appLost = true;
    }
  }
  CHECK(appLost);
  CHECK(setupStarts == std::vector<sim::Time>{0, 60 * kSecond});
  CHECK(r.sim->summaries()[0].restarts == 1);
}

TEST_CASE("removeExitedContainers: a terminal pod keeps its reported status, nothing is started again") {
  const auto r = testing::runFile("scenarios/rules/remove-exited-containers.yaml");
  int started = 0;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type == trace::RecordType::Event && r.sim->trace().eventAt(rec).reason == api::EventReason::Started) ++started;
  }
  CHECK(started == 1);
  CHECK((r.sim->summaries()[0].phase == api::PodPhase::Succeeded));
  CHECK(r.sim->summaries()[0].status == "Completed");
}
