// tests/test_pod_timeline.cpp: PodTimeline (models/report/pod_timeline.hpp), the one replay of a finished run,
// as tables: the state of a pod and of its containers at moments before, at and after each change (a moment
// shows every record of its instant), and the status intervals of an init container, of a crash-looping
// container (kuberuntime_manager.go doBackOff: restarts after 0, 10, 20 s), and of a deleted pod (intervals
// end at PodRemoved, status_manager.go syncPod).
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "models/report/pod_timeline.hpp"
#include "tests/support.hpp"

using namespace podsim;

namespace {

using Kind = kubelet::ContainerStateValue::Kind;
using api::PodPhase;
using api::Reason;

constexpr sim::Time s = sim::kSecond;

// Pod web: init container setup runs 4 s; app runs until killed (3 s to stop); crash exits 1 after 5 s
// under restartPolicy Always. web is deleted at 60 s and removed at 63 s. Pod other runs to the end (2m).
const char* const kScenario = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Always
  initContainers:
  - name: setup
    image: busybox:1.36
  containers:
  - name: app
    image: busybox:1.36
  - name: crash
    image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: other
spec:
  containers:
  - name: main
    image: busybox:1.36
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata:
  name: pod-timeline
spec:
  duration: 2m
  timing: ideal
  images:
    busybox:1.36: {present: true}
  behaviors:
    web:
      setup: {run: 4s, exitCode: 0}
      app: {run: forever, terminationDelay: 3s}
      crash: {run: 5s, exitCode: 1}
    other:
      main: {run: forever}
  actions:
    - {at: 60s, deletePod: {pod: web}}
)";

constexpr std::size_t kSetup = 0, kApp = 1, kCrash = 2;  // unified indices of web's containers

/// One container's status in a row of the tables: state, reason and restartCount.
struct Ctr {
  Kind kind;
  Reason reason;
  std::int32_t restarts;
};

std::string text(const Ctr& c) {
  return fmt::format("{}/{}/{}", static_cast<int>(c.kind), api::toString(c.reason), c.restarts);
}

Ctr of(const kubelet::ApiContainerStatus& st) { return {st.state.kind, st.state.reason, st.restartCount}; }

}  // namespace

TEST_CASE("PodTimeline::at: a moment shows every record at or before it, those of its own instant included") {
  const auto run = testing::run(kScenario);
  const report::PodTimeline web(*run.sim, 0);
  struct Row {
    const char* name;
    sim::Time at;
    bool exists, removed;
    const char* status;
    const char* ready;
    std::int32_t restarts;
    PodPhase phase;
    bool readyCondition;
    Ctr setup, app, crash;
    std::size_t events;
  };
  const Ctr none{Kind::Waiting, Reason::None, 0};
  const Ctr initializing{Kind::Waiting, Reason::PodInitializing, 0};
  const Ctr running0{Kind::Running, Reason::None, 0};
  const Ctr completed{Kind::Terminated, Reason::Completed, 0};
  const std::vector<Row> rows = {
      {"before the pod's first record", -1, false, false, "", "", 0, PodPhase::Pending, false, none, none, none, 0},
      {"at creation: the records of instant 0 (init container started)", 0, true, false, "Init:0/1", "0/2", 0,
       PodPhase::Pending, false, running0, initializing, initializing, 4},
      {"1 ns before the init container's exit", 4 * s - 1, true, false, "Init:0/1", "0/2", 0, PodPhase::Pending, false,
       running0, initializing, initializing, 4},
      {"at the init container's exit: both regular containers started in the same instant", 4 * s, true, false, "Running",
       "2/2", 0, PodPhase::Running, true, completed, running0, running0, 10},
      {"at the first crash: exit and immediate restart in one instant", 9 * s, true, false, "Running", "2/2", 1,
       PodPhase::Running, true, completed, running0, {Kind::Running, Reason::None, 1}, 13},
      {"in the first back-off (10 s from 14 s)", 20 * s, true, false, "CrashLoopBackOff", "1/2", 1, PodPhase::Running,
       false, completed, running0, {Kind::Waiting, Reason::CrashLoopBackOff, 1}, 14},
      {"at the deletion request", 60 * s, true, false, "Terminating", "1/2", 3, PodPhase::Running, false, completed,
       running0, {Kind::Terminated, Reason::Error, 3}, 23},
      {"1 ns before removal", 63 * s - 1, true, false, "Terminating", "1/2", 3, PodPhase::Running, false, completed,
       running0, {Kind::Terminated, Reason::Error, 3}, 23},
      {"at removal: gone, with its last status", 63 * s, false, true, "Error", "0/2", 3, PodPhase::Failed, false,
       completed, {Kind::Terminated, Reason::Error, 0}, {Kind::Terminated, Reason::Error, 3}, 23},
      {"after removal", 100 * s, false, true, "Error", "0/2", 3, PodPhase::Failed, false, completed,
       {Kind::Terminated, Reason::Error, 0}, {Kind::Terminated, Reason::Error, 3}, 23},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const report::PodAt p = web.at(row.at);
    CHECK(p.at == row.at);
    CHECK(p.exists == row.exists);
    CHECK(p.removed == row.removed);
    CHECK(p.events.size() == row.events);
    if (row.at < 0) {
      CHECK(p.statusRecord == report::kNoRecord);
      CHECK(p.createdAt == -1);
      CHECK(p.lastRecord == report::kNoRecord);
      CHECK(p.reported == std::vector<bool>{false, false, false});
      continue;
    }
    CHECK(p.createdAt == 0);
    CHECK(std::string(p.status.printed.status()) == row.status);
    CHECK(fmt::format("{}/{}", p.status.printed.ready, p.status.printed.total) == row.ready);
    CHECK(p.status.printed.restarts == row.restarts);
    CHECK(std::string(api::toString(p.status.phase)) == std::string(api::toString(row.phase)));
    CHECK(p.status.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)].status == row.readyCondition);
    CHECK(text(of(p.containers[kSetup])) == text(row.setup));
    CHECK(text(of(p.containers[kApp])) == text(row.app));
    CHECK(text(of(p.containers[kCrash])) == text(row.crash));
    // The newest record applied is the pod's last record at or before the moment.
    const auto& recs = run.sim->trace().records();
    REQUIRE(p.lastRecord != report::kNoRecord);
    CHECK(recs[p.lastRecord].pod == 0);
    CHECK(recs[p.lastRecord].t <= row.at);
  }
}

TEST_CASE("PodTimeline::at: a condition's lastTransitionTime is its last change, a flip inside one instant included") {
  const auto run = testing::run(kScenario);
  const report::PodTimeline web(*run.sim, 0);
  const auto ready = static_cast<std::size_t>(kubelet::ConditionType::Ready);
  struct Row {
    const char* name;
    sim::Time at, since;
  };
  const std::vector<Row> rows = {
      {"False since creation", 2 * s, 0},
      {"True at the init container's exit", 5 * s, 4 * s},
      {"False and True again at 9 s (exit and restart in one instant)", 12 * s, 9 * s},
      {"False at the second exit", 20 * s, 14 * s},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(web.at(row.at).conditionSince[ready] == row.since);
  }
  CHECK(web.at(0).deletingSince == -1);
  CHECK(web.at(61 * s).deletingSince == 60 * s);
}

TEST_CASE("PodTimeline intervals of a crash-looping container: one per status record, restarts after 0, 10 and 20 s of back-off (doBackOff)") {
  const auto run = testing::run(kScenario);
  const report::PodTimeline web(*run.sim, 0);
  struct Row {
    sim::Time begin, end;
    Ctr status;
  };
  const std::vector<Row> want = {
      {0, 4 * s, {Kind::Waiting, Reason::PodInitializing, 0}},
      {4 * s, 9 * s, {Kind::Running, Reason::None, 0}},
      {9 * s, 9 * s, {Kind::Terminated, Reason::Error, 0}},  // exit and restart in one instant: zero length
      {9 * s, 14 * s, {Kind::Running, Reason::None, 1}},
      {14 * s, 14 * s, {Kind::Terminated, Reason::Error, 1}},
      {14 * s, 24 * s, {Kind::Waiting, Reason::CrashLoopBackOff, 1}},  // 10 s back-off
      {24 * s, 29 * s, {Kind::Running, Reason::None, 2}},
      {29 * s, 29 * s, {Kind::Terminated, Reason::Error, 2}},
      {29 * s, 49 * s, {Kind::Waiting, Reason::CrashLoopBackOff, 2}},  // 20 s back-off
      {49 * s, 54 * s, {Kind::Running, Reason::None, 3}},
      {54 * s, 54 * s, {Kind::Terminated, Reason::Error, 3}},
      {54 * s, 60 * s, {Kind::Waiting, Reason::CrashLoopBackOff, 3}},
      {60 * s, 63 * s, {Kind::Terminated, Reason::Error, 3}},  // deletion: back to its last termination; ends at removal
  };
  const auto& got = web.containerIntervals(kCrash);
  REQUIRE(got.size() == want.size());
  const auto& recs = run.sim->trace().records();
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].container == static_cast<std::int32_t>(kCrash));
    CHECK(got[i].begin == want[i].begin);
    CHECK(got[i].end == want[i].end);
    CHECK(text(of(got[i].status)) == text(want[i].status));
    // Each interval begins at its own ContainerStatus record and ends at the next one of the container.
    CHECK(recs[got[i].record].type == trace::RecordType::ContainerStatus);
    CHECK(recs[got[i].record].t == want[i].begin);
    if (i + 1 < want.size()) CHECK(got[i].endRecord == got[i + 1].record);
  }
  CHECK(recs[got.back().endRecord].type == trace::RecordType::PodRemoved);
}

TEST_CASE("PodTimeline intervals of an init container: PodInitializing, running 4 s, Completed until the pod's removal") {
  const auto run = testing::run(kScenario);
  const report::PodTimeline web(*run.sim, 0);
  const auto& got = web.containerIntervals(kSetup);
  REQUIRE(got.size() == 3);
  CHECK(text(of(got[0].status)) == text({Kind::Waiting, Reason::PodInitializing, 0}));
  CHECK((got[0].begin == 0 && got[0].end == 0));
  CHECK(text(of(got[1].status)) == text({Kind::Running, Reason::None, 0}));
  CHECK((got[1].begin == 0 && got[1].end == 4 * s));
  CHECK(text(of(got[2].status)) == text({Kind::Terminated, Reason::Completed, 0}));
  CHECK(got[2].status.state.exitCode == 0);
  CHECK((got[2].begin == 4 * s && got[2].end == 63 * s));
}

TEST_CASE("PodTimeline of a deleted pod: every interval ends at PodRemoved, of a pod never deleted at the end of the run") {
  const auto run = testing::run(kScenario);
  const auto all = report::PodTimeline::forRun(*run.sim);
  REQUIRE(all.size() == 2);
  const auto& recs = run.sim->trace().records();
  SUBCASE("web, deleted at 60 s and removed at 63 s") {
    const report::PodTimeline& web = all[0];
    CHECK(web.createdAt() == 0);
    CHECK(web.removedAt() == 63 * s);
    CHECK(web.end() == 63 * s);
    for (std::size_t c = 0; c < web.containerCount(); ++c) {
      CAPTURE(c);
      REQUIRE(!web.containerIntervals(c).empty());
      CHECK(web.containerIntervals(c).back().end == 63 * s);
      CHECK(recs[web.containerIntervals(c).back().endRecord].type == trace::RecordType::PodRemoved);
    }
    // app: running from 4 s until the kill ends at 63 s (3 s to stop), then terminated for no time.
    const auto& app = web.containerIntervals(kApp);
    REQUIRE(app.size() == 3);
    CHECK((app[1].begin == 4 * s && app[1].end == 63 * s && app[1].status.state.kind == Kind::Running));
    CHECK((app[2].begin == 63 * s && app[2].end == 63 * s && app[2].status.state.exitCode == 143));
    const auto& st = web.statusIntervals();
    REQUIRE(!st.empty());
    CHECK(st.back().end == 63 * s);
    CHECK(recs[st.back().record].t == 63 * s);
    CHECK(recs[st.back().endRecord].type == trace::RecordType::PodRemoved);
    // The same as the timeline built for web alone.
    const report::PodTimeline alone(*run.sim, 0);
    CHECK(alone.records() == web.records());
    CHECK(alone.containerIntervals(kCrash).size() == web.containerIntervals(kCrash).size());
  }
  SUBCASE("other, never deleted") {
    const report::PodTimeline& other = all[1];
    CHECK(other.removedAt() == -1);
    CHECK(other.end() == 2 * sim::kMinute);
    const auto& main = other.containerIntervals(0);
    REQUIRE(main.size() == 2);
    CHECK((main[1].begin == 0 && main[1].end == 2 * sim::kMinute && main[1].endRecord == report::kNoRecord));
    for (const std::size_t i : other.records()) CHECK(recs[i].pod == 1);
    CHECK(other.statusIntervals().back().endRecord == report::kNoRecord);
  }
}

TEST_CASE("PodTimeline::Replay: moves one instant at a time, and nextTime is the pod's next record") {
  const auto run = testing::run(kScenario);
  const report::PodTimeline web(*run.sim, 0);
  report::PodTimeline::Replay r(web);
  CHECK(r.nextTime() == 0);
  CHECK(!r.state().exists);
  r.advanceTo(0);
  CHECK(std::string(r.state().status.printed.status()) == "Init:0/1");
  CHECK(r.nextTime() == 4 * s);
  std::vector<sim::Time> instants;
  for (sim::Time t = r.nextTime(); t >= 0; t = r.nextTime()) {
    r.advanceTo(t);
    instants.push_back(t);
    // Stepping gives the same state as asking for the moment directly.
    CHECK(r.state().lastRecord == web.at(t).lastRecord);
  }
  CHECK(instants == std::vector<sim::Time>{4 * s, 9 * s, 14 * s, 24 * s, 29 * s, 49 * s, 54 * s, 60 * s, 63 * s});
  CHECK(r.state().removed);
}

TEST_CASE("PodTimeline: a pod index outside the scenario is std::out_of_range") {
  const auto run = testing::run(kScenario);
  CHECK_THROWS_AS(report::PodTimeline(*run.sim, 2), std::out_of_range);
  const report::PodTimeline web(*run.sim, 0);
  CHECK_THROWS_AS((void)web.containerIntervals(3), std::out_of_range);
}
