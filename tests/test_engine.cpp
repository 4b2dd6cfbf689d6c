// tests/test_engine.cpp: whole runs checked against the kubelet rules: orderings, delays, statuses.
#include <doctest/doctest.h>

#include "tests/support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/engine/events.hpp"
#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"

using namespace podsim;
using sim::kSecond;

namespace {

using testing::Run;
using testing::run;

std::string jsonl(const engine::Simulation& sim) {
  std::ostringstream os;
  trace::writeJsonl(os, sim);
  return os.str();
}

// Times (ns) of `Started` events and of exits (terminated ContainerStatus records) of one container.
std::vector<sim::Time> startedAt(const engine::Simulation& sim, std::int32_t c) {
  std::vector<sim::Time> out;
  for (const auto& r : sim.trace().records()) {
    if (r.type != trace::RecordType::Event) continue;
    const auto& e = sim.trace().eventAt(r);
    if (e.reason == api::EventReason::Started && e.container == c) out.push_back(r.t);
  }
  return out;
}
std::vector<sim::Time> finishedAt(const engine::Simulation& sim, std::int32_t c) {
  std::vector<sim::Time> out;
  for (const auto& r : sim.trace().records()) {
    if (r.type != trace::RecordType::ContainerStatus) continue;
    const auto& s = sim.trace().containerStatusAt(r);
    if (s.container != c) continue;
    sim::Time f = -1;
    if (s.status.state.kind == kubelet::ContainerStateValue::Kind::Terminated) f = s.status.state.finishedAt;
    else if (s.status.hasLastState) f = s.status.lastState.finishedAt;
    if (f >= 0 && (out.empty() || out.back() != f)) out.push_back(f);
  }
  return out;
}
// Distinct kubectl STATUS values in order of appearance.
std::vector<std::string> statuses(const engine::Simulation& sim) {
  std::vector<std::string> out;
  for (const auto& r : sim.trace().records()) {
    if (r.type != trace::RecordType::PodStatus) continue;
    const std::string s = sim.trace().podStatusAt(r).printed.status();
    if (out.empty() || out.back() != s) out.push_back(s);
  }
  return out;
}
// kubectl STATUS at time t.
std::string statusAt(const engine::Simulation& sim, sim::Time t) {
  std::string s;
  for (const auto& r : sim.trace().records()) {
    if (r.t > t) break;
    if (r.type == trace::RecordType::PodStatus) s = sim.trace().podStatusAt(r).printed.status();
  }
  return s;
}

const char* kCrashLoop = R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 25m
  timing: TIMING
  behaviors:
    crasher:
      app: {run: 5s, exitCode: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers:
  - name: app
    image: busybox:1.36
)";

std::string withTiming(const char* yaml, const std::string& timing) {
  std::string s(yaml);
  s.replace(s.find("TIMING"), 6, timing);
  return s;
}

const char* kMyAppPod = R"(
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;']
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', 'until nslookup mydb; do echo waiting for mydb; sleep 2; done;']
)";

}  // namespace

TEST_CASE("CrashLoopBackOff in ideal timing: restarts 0, 10, 20, 40, 80, 160, 300, 300 s after each exit (8.3)") {
  Run r = run(withTiming(kCrashLoop, "ideal"));
  const auto starts = startedAt(*r.sim, 0);
  const auto exits = finishedAt(*r.sim, 0);
  REQUIRE(starts.size() >= 9);
  std::vector<sim::Time> waits;
  for (std::size_t k = 0; k + 1 < starts.size() && waits.size() < 8; ++k) waits.push_back((starts[k + 1] - exits[k]) / kSecond);
  CHECK(waits == std::vector<sim::Time>{0, 10, 20, 40, 80, 160, 300, 300});
  // Each instance runs 5 s.
  for (std::size_t k = 0; k < exits.size(); ++k) CHECK(exits[k] - starts[k] == 5 * kSecond);
}

TEST_CASE("CrashLoopBackOff shows Error at each exit and CrashLoopBackOff while waiting (8.6, 12)") {
  Run r = run(withTiming(kCrashLoop, "ideal"));
  const auto s = statuses(*r.sim);
  REQUIRE(s.size() >= 6);
  CHECK(s[0] == "Pending");
  CHECK(s[1] == "ContainerCreating");
  CHECK(s[2] == "Running");
  CHECK(s[3] == "Error");  // first exit: restarted at once
  CHECK(s[4] == "Running");
  CHECK(s[5] == "Error");
  CHECK(s[6] == "CrashLoopBackOff");
  // Second exit at 10 s, back-off 10 s: CrashLoopBackOff in between.
  CHECK(statusAt(*r.sim, 15 * kSecond) == "CrashLoopBackOff");
  CHECK(statusAt(*r.sim, 22 * kSecond) == "Running");
}

TEST_CASE("CrashLoopBackOff in kubelet timing: each wait lies within the jitter of 10.3 around the nominal back-off") {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    engine::RunOptions o;
    o.overrideSeed = true;
    o.seed = seed;
    Run r = run(withTiming(kCrashLoop, "kubelet"), o);
    const auto starts = startedAt(*r.sim, 0);
    const auto exits = finishedAt(*r.sim, 0);
    REQUIRE(starts.size() >= 8);
    const sim::Time nominal[] = {0, 10, 20, 40, 80, 160, 300};
    for (std::size_t k = 0; k < 7; ++k) {
      CAPTURE(seed);
      CAPTURE(k);
      const sim::Time w = starts[k + 1] - exits[k];
      const sim::Time n = nominal[k] * kSecond;
      // Never before the back-off expires; at most relist (1 s) + jittered requeue (x1.5 of at most
      // 60 s) + sync ticker (1 s) later. >= 1.35 requeue rule: PR #133066.
      CHECK(w >= n);
      CHECK(w <= n + std::min(n, 60 * kSecond) / 2 + 2 * kSecond);
      if (k == 0) CHECK(w <= 1 * kSecond);  // first restart: at the sync after the PLEG relist
    }
  }
}

TEST_CASE("Kubernetes 1.34 requeues a backed-off pod after 10 to 15 s (10.3)") {
  std::string y = withTiming(kCrashLoop, "kubelet");
  y.replace(y.find("  timing:"), 0, "  kubernetesVersion: \"1.34\"\n");
  Run r = run(y);
  const auto starts = startedAt(*r.sim, 0);
  const auto exits = finishedAt(*r.sim, 0);
  REQUIRE(starts.size() >= 4);
  const sim::Time w = starts[2] - exits[1];  // nominal 10 s: detection <= 1 s + U[10,15) + tick <= 1 s
  CHECK(w >= 10 * kSecond);
  CHECK(w <= 17 * kSecond);
}

TEST_CASE("Exit 0 under restartPolicy Always goes through the same back-off (8.1)") {
  std::string y = withTiming(kCrashLoop, "ideal");
  y.replace(y.find("exitCode: 1"), 11, "exitCode: 0");
  Run r = run(y);
  const auto s = statuses(*r.sim);
  CHECK(std::find(s.begin(), s.end(), "Completed") != s.end());
  CHECK(std::find(s.begin(), s.end(), "CrashLoopBackOff") != s.end());
  const auto starts = startedAt(*r.sim, 0);
  const auto exits = finishedAt(*r.sim, 0);
  CHECK(starts[2] - exits[1] == 10 * kSecond);
}

TEST_CASE("An init container that exits 1 under restartPolicy Never fails the pod: Init:Error, phase Failed (3.3)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec: {duration: 2m, timing: ideal}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, "sleep 3; exit 1"]}
  containers:
  - {name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}
)");
  const auto v = r.sim->views();
  CHECK(v[0].printed.status() == "Init:Error");
  CHECK(std::string(api::toString(v[0].status.phase)) == "Failed");
  CHECK(startedAt(*r.sim, 0).size() == 1);
  CHECK(startedAt(*r.sim, 1).empty());
}

TEST_CASE("An init container that fails under OnFailure is retried under back-off while the pod stays Pending (3.3)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec: {duration: 2m, timing: ideal}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: OnFailure
  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, "sleep 3; exit 1"]}
  containers:
  - {name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}
)");
  const auto v = r.sim->views();
  CHECK(std::string(api::toString(v[0].status.phase)) == "Pending");
  const auto s = statuses(*r.sim);
  CHECK(std::find(s.begin(), s.end(), "Init:Error") != s.end());
  CHECK(std::find(s.begin(), s.end(), "Init:CrashLoopBackOff") != s.end());
  const auto starts = startedAt(*r.sim, 0);
  const auto exits = finishedAt(*r.sim, 0);
  REQUIRE(starts.size() >= 4);
  CHECK(starts[1] - exits[0] == 0);
  CHECK(starts[2] - exits[1] == 10 * kSecond);
  CHECK(starts[3] - exits[2] == 20 * kSecond);
  CHECK(startedAt(*r.sim, 1).empty());
}

TEST_CASE("Course myapp-pod without Services stays 0/1 Init:0/2 0 for 6 minutes") {
  engine::RunOptions o;
  o.duration = 6 * sim::kMinute;
  Run r = run(kMyAppPod, o);
  const auto v = r.sim->views();
  CHECK(v[0].printed.status() == "Init:0/2");
  CHECK(v[0].printed.ready == 0);
  CHECK(v[0].printed.total == 1);
  CHECK(v[0].printed.restarts == 0);
  const auto s = statuses(*r.sim);
  CHECK(s.back() == "Init:0/2");
}

TEST_CASE("Course myapp-pod goes Init:0/2, Init:1/2, PodInitializing, Running within one poll (2 s) plus the kubelet's reaction") {
  for (const char* timing : {"ideal", "kubelet"}) {
    CAPTURE(timing);
    std::string y = std::string(kMyAppPod) + "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 3m\n  timing: " +
                    timing + "\n  actions:\n  - {at: 30s, createService: {name: myservice}}\n  - {at: 60s, createService: {name: mydb}}\n";
    Run r = run(y);
    const auto s = statuses(*r.sim);
    std::vector<std::string> want = {"Init:0/2", "Init:1/2", "PodInitializing", "Running"};
    std::vector<std::string> got;
    for (const auto& x : s) {
      if (std::find(want.begin(), want.end(), x) != want.end()) got.push_back(x);
    }
    CHECK(got == want);
    // init-mydb starts within 2 s (poll) + 2 s (relist and sync) of the Service myservice appearing.
    const auto initB = startedAt(*r.sim, 1);
    REQUIRE(initB.size() == 1);
    CHECK(initB[0] >= 30 * kSecond);
    CHECK(initB[0] <= 34 * kSecond);
    const auto app = startedAt(*r.sim, 2);
    REQUIRE(app.size() == 1);
    CHECK(app[0] >= 60 * kSecond);
    CHECK(app[0] <= 64 * kSecond);
    CHECK(statusAt(*r.sim, 90 * kSecond) == "Running");
  }
}

TEST_CASE("Regular containers start one after another in spec order, after the init containers (2.3, 5)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  images:
    img/a:1: {pullDuration: 3s}
    img/b:1: {pullDuration: 2s}
    busybox:1.36: {pullDuration: 0s}  # the rule is the start order, not the catalogue's pull time
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: i1, image: busybox:1.36, command: [sh, -c, "sleep 1"]}
  containers:
  - {name: a, image: "img/a:1"}
  - {name: b, image: "img/b:1"}
)");
  const auto i1 = startedAt(*r.sim, 0);
  const auto a = startedAt(*r.sim, 1);
  const auto b = startedAt(*r.sim, 2);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(i1[0] == 0);
  CHECK(a[0] == 1 * kSecond + 3 * kSecond);  // init exits at 1 s, then a's 3 s pull
  CHECK(b[0] == a[0] + 2 * kSecond);         // b's pull starts only after a started
}

TEST_CASE("ErrImagePull then ImagePullBackOff, retried after 10, 20, 40 s (9)") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 2m
  timing: ideal
  images:
    myregistry/app:v2: {pullError: ErrImagePull, pullDuration: 0s}  # fails at once: the back-off alone
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: "myregistry/app:v2"}
)");
  std::vector<sim::Time> pulls;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type == trace::RecordType::Event && r.sim->trace().eventAt(rec).reason == api::EventReason::Pulling) {
      pulls.push_back(rec.t / kSecond);
    }
  }
  CHECK(pulls == std::vector<sim::Time>{0, 10, 30, 70});
  const auto s = statuses(*r.sim);
  CHECK(std::find(s.begin(), s.end(), "ErrImagePull") != s.end());
  CHECK(std::find(s.begin(), s.end(), "ImagePullBackOff") != s.end());
  CHECK(std::string(api::toString(r.sim->views()[0].status.phase)) == "Pending");
}

TEST_CASE("killContainer with reason OOMKilled shows OOMKilled, then the container restarts at once") {
  Run r = run(R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 1m
  timing: ideal
  actions:
  - {at: 30s, killContainer: {pod: p, container: app, reason: OOMKilled}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: busybox:1.36, command: [sleep, "3600"]}
)");
  const auto s = statuses(*r.sim);
  CHECK(std::find(s.begin(), s.end(), "OOMKilled") != s.end());
  const auto starts = startedAt(*r.sim, 0);
  REQUIRE(starts.size() == 2);
  CHECK(starts[1] == 30 * kSecond);
  CHECK(r.sim->views()[0].printed.restarts == 1);
}

TEST_CASE("The same scenario and seed give the same trace, byte for byte, and another seed differs in kubelet timing") {
  const std::string y = withTiming(kCrashLoop, "kubelet");
  const std::string a = jsonl(*run(y).sim);
  const std::string b = jsonl(*run(y).sim);
  CHECK(a == b);
  engine::RunOptions o;
  o.overrideSeed = true;
  o.seed = 99;
  CHECK(jsonl(*run(y, o).sim) != a);
}

TEST_CASE("Every scenario under scenarios/ meets its expectations") {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(PODSIM_SOURCE_DIR) / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 10);
  for (const auto& path : files) {
    CAPTURE(path);
    const scenario::Scenario sc = scenario::loadScenarioFile(path);
    engine::Simulation sim(sc, {});
    sim.run();
    for (const auto& c : engine::checkExpectations(sim)) {
      CAPTURE(c.description);
      CAPTURE(c.actual);
      CHECK(c.passed);
    }
  }
}

TEST_CASE("Skipping idle probe ticks and unchanged status generation leaves every trace byte-identical (R1 and every scenario, both timings)") {
  namespace fs = std::filesystem;
  std::vector<std::string> files{std::string(PODSIM_SOURCE_DIR) + "/../shared/bench/r1-web-pod.yaml"};
  for (const auto& e : fs::recursive_directory_iterator(fs::path(PODSIM_SOURCE_DIR) / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin() + 1, files.end());
  for (const auto& path : files) {
    if (!fs::exists(path)) continue;
    CAPTURE(path);
    scenario::Scenario sc = scenario::loadScenarioFile(path);
    for (const auto timing : {scenario::Timing::Ideal, scenario::Timing::Kubelet}) {
      sc.timing = timing;
      engine::RunOptions exact;
      exact.skipIdleProbeTicks = false;
      exact.skipUnchangedStatus = false;
      engine::Simulation a(sc, exact);
      a.run();
      engine::Simulation b(sc, engine::RunOptions{});
      b.run();
      CHECK(jsonl(a) == jsonl(b));
      CHECK(b.processedEvents() <= a.processedEvents());
    }
  }
}

TEST_CASE("Every typed event key comes back from the kernel's 64-bit argument as it was given (events.hpp)") {
  using namespace podsim::engine;
  using kubelet::ProbeType;
  struct Case {
    const char* name;
    bool same;
  };
  const auto pod = [](PodKey k) { const PodKey d = PodKey::decode(k.encode()); return d.pod == k.pod; };
  const auto container = [](ContainerKey k) {
    const ContainerKey d = ContainerKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container;
  };
  const auto tick = [](ProbeTickKey k) {
    const ProbeTickKey d = ProbeTickKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container && d.type == k.type && d.manual == k.manual;
  };
  const auto exit = [](ProcessExitKey k) {
    const ProcessExitKey d = ProcessExitKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container && d.restartCount == k.restartCount;
  };
  const auto fault = [](FaultExitKey k) {
    const FaultExitKey d = FaultExitKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container && d.exitCode == k.exitCode && d.oomKilled == k.oomKilled;
  };
  const auto pull = [](PullKey k) {
    const PullKey d = PullKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container && d.node == k.node;
  };
  const auto preStop = [](PreStopKey k) {
    const PreStopKey d = PreStopKey::decode(k.encode());
    return d.pod == k.pod && d.container == k.container && d.hookFailed == k.hookFailed;
  };
  const auto node = [](NodeFaultKey k) { const NodeFaultKey d = NodeFaultKey::decode(k.encode()); return d.node == k.node && d.fails == k.fails; };
  const std::vector<Case> cases = {
      {"pod 0", pod({0})},
      {"the largest pod index", pod({0x7fffffff})},
      {"container 0 of pod 3", container({3, 0})},
      {"container 32,767, the largest that does not wrap", container({3, 32767})},
      {"a readiness tick", tick({5, 2, ProbeType::Readiness, false})},
      {"a manual readiness trigger", tick({5, 2, ProbeType::Readiness, true})},
      {"a startup tick of container 40", tick({1 << 20, 40, ProbeType::Startup, false})},
      {"the exit of instance 12", exit({7, 1, 12})},
      {"an injected exit 143", fault({7, 1, 143, false})},
      {"an OOM kill, exit 137", fault({7, 1, 137, true})},
      {"a pull on node 99", pull({9, 0, 99})},
      {"a failed preStop", preStop({2, 4, true})},
      {"a preStop that ran out its grace", preStop({2, 4, false})},
      {"a node outage starts", node({3, true})},
      {"a node outage ends", node({3, false})},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(c.same);
  }
  CHECK(NodeKey::decode(NodeKey{42}.encode()).node == 42);
  CHECK(ActionKey::decode(ActionKey{17}.encode()).index == 17);
}

namespace {

// A template pod with probes, a crash loop and a Service that selects pods by label: copies of it differ
// only in metadata, so a run shares one spec among them (engine::PodState::spec).
const char* const kTemplate = R"(apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: replicas}
spec:
  duration: 6m
  timing: kubelet
  behaviors:
    web:
      app: {run: 40s, exitCode: 1, probes: {readiness: {succeedAfter: 10s}}}
---
apiVersion: v1
kind: Service
metadata: {name: blue}
spec:
  selector: {tier: blue}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {tier: blue}
spec:
  containers:
    - name: app
      image: busybox:1.36
      readinessProbe: {exec: {command: ["true"]}, periodSeconds: 5}
      livenessProbe: {exec: {command: ["true"]}, periodSeconds: 10}
)";

// Three copies of kTemplate's pod, named web-0..2 in namespaces a, b, a, web-1 labelled tier: green;
// `distinct`: the copies' containers carry other source lines, so that no two have the same spec.
scenario::Scenario replicas(bool distinct) {
  scenario::Scenario sc = scenario::loadScenarioString(kTemplate, "test.yaml");
  const scenario::PodEntry first = sc.pods.front();
  sc.pods.clear();
  for (int i = 0; i < 3; ++i) {
    scenario::PodEntry e = first;
    e.pod.name = "web-" + std::to_string(i);
    e.pod.namespace_ = i == 1 ? "b" : "a";
    if (i == 1) e.pod.labels["tier"] = "green";
    if (distinct) e.pod.containers[0].where.line += 100 * i;
    sc.pods.push_back(std::move(e));
  }
  return sc;
}

}  // namespace

TEST_CASE("Pods copied from one template share their spec in a run, yet keep their own names, namespaces and labels: "
          "the trace equals that of copies that share nothing") {
  const testing::Run shared(replicas(false));
  const testing::Run apart(replicas(true));
  REQUIRE(scenario::sameSpec(shared.sc.pods[0], shared.sc.pods[2]));
  REQUIRE_FALSE(scenario::sameSpec(apart.sc.pods[0], apart.sc.pods[2]));
  const std::string a = jsonl(*shared.sim);
  CHECK(a == jsonl(*apart.sim));
  for (const char* name : {"a/web-0", "b/web-1", "a/web-2"}) CHECK(a.find(name) != std::string::npos);
  const auto views = shared.sim->views();
  REQUIRE(views.size() == 3);
  CHECK(views[1].pod->name == "web-1");
  CHECK(views[1].pod->namespace_ == "b");
  CHECK(views[1].pod->labels.at("tier") == "green");
  const auto sums = shared.sim->summaries();
  CHECK(sums[2].name == "web-2");
  // The crash loop runs in every copy: 40 s runs, back-off 10, 20, 40, 80 s (8.3): 5 restarts in 6 minutes.
  for (const auto& v : views) CHECK(v.printed.restarts >= 4);
}
