// tests/test_faults.cpp: injected faults (models/faults): crashes with an exponential time between
// failures, OOMKilled from a memory-use behaviour, image pulls failing with a probability or in a registry
// outage, probes failing with a probability, Service/endpoint down windows; same seed, same faults.
#include <doctest/doctest.h>

#include "tests/support.hpp"

#include <cmath>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/faults/faults.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"

using namespace podsim;
using sim::kMinute;
using sim::kSecond;
using sim::Time;

namespace {

using testing::Run;
using testing::run;
using testing::runFile;

std::string reasonText(api::Reason r) { return std::string(api::toString(r)); }

/// One finished (or, at the end of the run, still running) instance of a container.
struct Instance {
  std::uint32_t id = 0;
  Time startedAt = -1;
  Time finishedAt = -1;  // -1: still running at the end
  api::Reason reason = api::Reason::None;
  std::int32_t exitCode = 0;
};

/// Every instance of container `c` of pod 0, from its ContainerStatus records, in order of start.
std::vector<Instance> instances(const engine::Simulation& sim, std::int32_t c) {
  std::vector<Instance> out;
  const auto& tr = sim.trace();
  using K = kubelet::ContainerStateValue::Kind;
  for (const auto& r : tr.records()) {
    if (r.type != trace::RecordType::ContainerStatus || r.pod != 0) continue;
    const auto& rec = tr.containerStatusAt(r);
    if (rec.container != c) continue;
    const auto& s = rec.status;
    if (s.containerID == 0 || s.state.kind == K::Waiting) continue;
    if (out.empty() || out.back().id != s.containerID) out.push_back({s.containerID, s.state.startedAt, -1, api::Reason::None, 0});
    if (s.state.kind == K::Terminated) {
      out.back().finishedAt = s.state.finishedAt;
      out.back().reason = s.state.reason;
      out.back().exitCode = s.state.exitCode;
    }
  }
  return out;
}

const std::string kCrashScenario = R"(
apiVersion: v1
kind: Pod
metadata: {name: flaky}
spec:
  containers:
  - {name: app, image: example/app:1.0}
  - {name: helper, image: example/helper:1.0}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: DURATION
  timing: ideal
  images:
    example/app:1.0: {present: true}
    example/helper:1.0: {present: true}
  faults:
    crashes:
      - {pod: flaky, container: app, meanTimeBetweenFailures: 10m, exitCode: 3}
EXTRA
)";

std::string crashScenario(const std::string& duration, const std::string& extra = "") {
  std::string s = kCrashScenario;
  s.replace(s.find("DURATION"), 8, duration);
  s.replace(s.find("EXTRA"), 5, extra);
  return s;
}

engine::RunOptions seeded(std::uint64_t seed) {
  engine::RunOptions o;
  o.overrideSeed = true;
  o.seed = seed;
  return o;
}

}  // namespace

TEST_CASE("An injected crash is an exit the kubelet treats as any other: reason Error, the fault's exit code, CrashLoopBackOff") {
  const Run r = run(crashScenario("2h"), seeded(7));
  const auto app = instances(*r.sim, 0);
  REQUIRE(app.size() >= 3);
  for (std::size_t i = 0; i + 1 < app.size(); ++i) {
    CHECK(reasonText(app[i].reason) == "Error");
    CHECK(app[i].exitCode == 3);
  }
  // The helper has no fault: one instance, running for the whole run.
  const auto helper = instances(*r.sim, 1);
  REQUIRE(helper.size() == 1);
  CHECK(helper[0].finishedAt == -1);
  // §8.2: the second restart waits the 10 s initial back-off after the first crash's FinishedAt, at least.
  CHECK(app[2].startedAt - app[1].finishedAt >= 10 * kSecond);
}

TEST_CASE("Same seed, same crashes. another seed, other crashes") {
  const std::string yaml = crashScenario("2h");
  auto times = [&](std::uint64_t seed) {
    const Run r = run(yaml, seeded(seed));
    std::vector<Time> t;
    for (const auto& i : instances(*r.sim, 0)) t.push_back(i.finishedAt);
    return t;
  };
  const auto a = times(42), b = times(42), c = times(43);
  CHECK(a.size() >= 2);
  CHECK(a == b);
  CHECK(a != c);
  // Byte for byte: the JSONL traces of two runs with one seed are the same.
  const Run r1 = run(yaml, seeded(5)), r2 = run(yaml, seeded(5));
  std::ostringstream o1, o2;
  trace::writeJsonl(o1, *r1.sim);
  trace::writeJsonl(o2, *r2.sim);
  CHECK(o1.str() == o2.str());
  // And in kubelet timing, where the PLEG, the sync ticker and the requeues add their own draws.
  scenario::Scenario sc = scenario::loadScenarioString(yaml, "kubelet.yaml");
  sc.timing = scenario::Timing::Kubelet;
  engine::Simulation k1(sc, seeded(5)), k2(sc, seeded(5)), k3(sc, seeded(6));
  k1.run();
  k2.run();
  k3.run();
  std::ostringstream t1, t2, t3;
  trace::writeJsonl(t1, k1);
  trace::writeJsonl(t2, k2);
  trace::writeJsonl(t3, k3);
  CHECK(t1.str() == t2.str());
  CHECK(t1.str() != t3.str());
  CHECK(instances(k1, 0).size() >= 2);
}

TEST_CASE("Adding a fault to another container does not shift this container's crashes (one stream per pod, container, kind)") {
  const Run plain = run(crashScenario("2h"), seeded(9));
  const Run more = run(crashScenario("2h", R"(      - {pod: flaky, container: helper, meanTimeBetweenFailures: 3m}
    probes:
      - {failureProbability: 0.5})"),
                       seeded(9));
  std::vector<Time> a, b;
  for (const auto& i : instances(*plain.sim, 0)) a.push_back(i.finishedAt);
  for (const auto& i : instances(*more.sim, 0)) b.push_back(i.finishedAt);
  CHECK(a == b);
  CHECK(instances(*more.sim, 1).size() > 1);  // the helper now crashes too
}

TEST_CASE("Over 1,000 seeds the mean running time between crashes is within 5% of the 10-minute MTBF") {
  // MTBF = total running time / number of crashes (the running time of the last, unfinished run counts
  // too: leaving it out would bias the estimate low).
  const std::string yaml = crashScenario("3h");
  const scenario::Scenario sc = scenario::loadScenarioString(yaml, "mtbf.yaml");
  Time running = 0;
  std::int64_t crashes = 0;
  std::set<std::size_t> distinctCounts;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    engine::Simulation sim(sc, seeded(seed));
    sim.run();
    const auto app = instances(sim, 0);
    std::size_t n = 0;
    for (const auto& i : app) {
      if (i.finishedAt >= 0) {
        running += i.finishedAt - i.startedAt;
        ++crashes;
        ++n;
      } else {
        running += sim.now() - i.startedAt;
      }
    }
    distinctCounts.insert(n);
  }
  REQUIRE(crashes > 10'000);  // enough crashes for a standard error near 1%
  const double mtbf = static_cast<double>(running) / static_cast<double>(crashes);
  MESSAGE("crashes: " << crashes << ", mean running time between crashes: " << mtbf / 1e9 << " s");
  CHECK(std::abs(mtbf - static_cast<double>(10 * kMinute)) < 0.05 * static_cast<double>(10 * kMinute));
  CHECK(distinctCounts.size() > 5);  // seeds differ
}

TEST_CASE("oomAfter: memory use past the limit, growing linearly per minute") {
  const std::int64_t Mi = 1024 * 1024;
  // 100Mi + 50Mi/min passes 256Mi after 156/50 min = 187.2 s (the first ns past it).
  CHECK(faults::oomAfter({100 * Mi, 50 * Mi}, 256 * Mi) == 187'200'000'001);
  CHECK(faults::oomAfter({300 * Mi, 0}, 256 * Mi) == 0);               // over the limit from the start
  CHECK(faults::oomAfter({256 * Mi, 0}, 256 * Mi) == sim::kForever);   // at the limit is not over it
  CHECK(faults::oomAfter({100 * Mi, 50 * Mi}, -1) == sim::kForever);   // no limit: no OOM kill
  CHECK(faults::oomAfter({-1, 0}, 256 * Mi) == sim::kForever);         // no memory behaviour
}

TEST_CASE("A container whose memory use grows past its limit is OOMKilled with exit code 137 every 187.2 s of running") {
  const Run r = runFile("scenarios/faults/oom-memory-leak.yaml");
  const auto app = instances(*r.sim, 0);
  REQUIRE(app.size() >= 2);
  CHECK(reasonText(app[0].reason) == "OOMKilled");
  CHECK(app[0].exitCode == 137);
  CHECK(app[0].finishedAt - app[0].startedAt == 187'200'000'001);
  CHECK(app[1].finishedAt - app[1].startedAt == 187'200'000'001);
  CHECK(app[1].startedAt == app[0].finishedAt);  // §8.3: the first restart is immediate (ideal timing)
}

TEST_CASE("registryOf: docker.io unless the first path component is a host") {
  CHECK(faults::registryOf("busybox:1.36") == "docker.io");
  CHECK(faults::registryOf("library/busybox") == "docker.io");
  CHECK(faults::registryOf("registry.example.com/shop/app:3.2") == "registry.example.com");
  CHECK(faults::registryOf("localhost:5000/app") == "localhost:5000");
  CHECK(faults::registryOf("localhost/app") == "localhost");
}

TEST_CASE("Fault streams are distinct per kind, pod and container, and apart from the engine's") {
  std::set<std::uint64_t> keys;
  for (auto k : {faults::FaultKind::Crash, faults::FaultKind::StartupProbe, faults::FaultKind::LivenessProbe,
                 faults::FaultKind::ReadinessProbe, faults::FaultKind::ImagePull}) {
    for (std::int32_t p = 0; p < 4; ++p) {
      for (std::int32_t c = 0; c < 4; ++c) keys.insert(faults::faultStreamKey(k, p, c));
    }
  }
  CHECK(keys.size() == 5 * 4 * 4);
  CHECK(keys.count(sim::streamKey(1, 0)) == 0);
  CHECK(keys.count(sim::streamKey(2, 0)) == 0);
}

TEST_CASE("A registry outage fails a pull that starts in it at once, and a pull under way when it begins at its start") {
  const scenario::Scenario sc = scenario::loadScenarioString(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: registry.example.com/a:1}
  - {name: b, image: busybox:1.36}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  faults:
    registryOutages:
      - {registry: registry.example.com, from: 1m, to: 2m}
)", "outage.yaml");
  faults::FaultInjector f(sc, 1);
  const std::int32_t a = sc.pods[0].pod.containers[0].imageId;
  const std::int32_t b = sc.pods[0].pod.containers[1].imageId;
  auto o = f.onPull(0, 0, a, 50 * kSecond, 20 * kSecond);  // under way at 1m
  CHECK(o.failed);
  CHECK(o.duration == 10 * kSecond);
  CHECK(reasonText(o.reason) == "RegistryUnavailable");
  o = f.onPull(0, 0, a, 90 * kSecond, 20 * kSecond);  // starts inside
  CHECK(o.failed);
  CHECK(o.duration == 0);
  o = f.onPull(0, 0, a, 30 * kSecond, 30 * kSecond);  // ends exactly when the outage begins
  CHECK_FALSE(o.failed);
  o = f.onPull(0, 0, a, 2 * kMinute, 5 * kSecond);  // after it
  CHECK_FALSE(o.failed);
  o = f.onPull(0, 1, b, 90 * kSecond, 5 * kSecond);  // another registry
  CHECK_FALSE(o.failed);
}

TEST_CASE("A registry outage: ErrImagePull with RegistryUnavailable, ImagePullBackOff, then the first pull after it succeeds") {
  const Run r = runFile("scenarios/faults/registry-outage.yaml");
  const auto results = engine::checkExpectations(*r.sim);
  for (const auto& x : results) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
  // Every failed pull of the app is RegistryUnavailable, and none succeeds before 2m.
  const auto& tr = r.sim->trace();
  int failed = 0;
  Time pulledAt = -1;
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::Event) continue;
    const auto& ev = tr.eventAt(rec);
    if (ev.container != 1) continue;
    if (ev.message == trace::EventMessage::PullFailed) {
      ++failed;
      CHECK(reasonText(ev.detail) == "RegistryUnavailable");
      CHECK(rec.t < 2 * kMinute);
    }
    if (ev.message == trace::EventMessage::PulledSuccess && pulledAt < 0) pulledAt = rec.t;
  }
  CHECK(failed >= 4);
  CHECK(pulledAt >= 2 * kMinute);
}

TEST_CASE("Image pulls failing with a probability: same seed same pulls, and about that share of pulls fails") {
  const std::string yaml = R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: example/app:1.0}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  faults:
    imagePulls:
      - {image: example/app:1.0, failureProbability: 0.25}
)";
  const scenario::Scenario sc = scenario::loadScenarioString(yaml, "pulls.yaml");
  faults::FaultInjector f1(sc, 77), f2(sc, 77), f3(sc, 78);
  int fails = 0;
  std::vector<bool> s1, s2, s3;
  for (int i = 0; i < 4000; ++i) {
    const bool x = f1.onPull(0, 0, 0, 0, kSecond).failed;
    fails += x ? 1 : 0;
    s1.push_back(x);
    s2.push_back(f2.onPull(0, 0, 0, 0, kSecond).failed);
    s3.push_back(f3.onPull(0, 0, 0, 0, kSecond).failed);
  }
  CHECK(s1 == s2);
  CHECK(s1 != s3);
  CHECK(fails > 900);   // 1000 expected; the standard deviation is 27
  CHECK(fails < 1100);
}

TEST_CASE("An injected pull failure reads as a transient registry error (503), a declared one as the image not found") {
  // pkg/kubelet/images/image_manager.go EnsureImageExists records Failed with the runtime's pull error; an
  // injected failure stands for a registry that answered with an error, so it must not claim NotFound.
  engine::RunOptions seed2;
  seed2.overrideSeed = true;
  seed2.seed = 2;  // a seed whose draws fail pulls (pinned in tests/fingerprints.inc)
  const Run r = runFile("scenarios/faults/image-pull-flaky.yaml", seed2);
  const auto& tr = r.sim->trace();
  int injected = 0;
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::Event) continue;
    const auto& ev = tr.eventAt(rec);
    if (ev.message != trace::EventMessage::PullFailed) continue;
    ++injected;
    const std::string m = trace::eventMessage(*r.sim, rec.pod, ev, rec.t);
    CHECK(m.find("503 Service Unavailable") != std::string::npos);
    CHECK(m.find("NotFound") == std::string::npos);
  }
  CHECK(injected > 0);
  const Run declared = runFile("scenarios/rules/image-pull-backoff.yaml");
  int found = 0;
  for (const auto& rec : declared.sim->trace().records()) {
    if (rec.type != trace::RecordType::Event) continue;
    const auto& ev = declared.sim->trace().eventAt(rec);
    if (ev.message != trace::EventMessage::PullFailed) continue;
    ++found;
    CHECK(trace::eventMessage(*declared.sim, rec.pod, ev, rec.t).find("503") == std::string::npos);
  }
  CHECK(found > 0);
}

TEST_CASE("Probes failing with a probability: each failure is an Unhealthy event. readiness flips but nothing restarts") {
  const Run r = runFile("scenarios/faults/probe-flaky.yaml");
  const auto& tr = r.sim->trace();
  int unhealthy = 0;
  for (const auto& rec : tr.records()) {
    if (rec.type == trace::RecordType::Event && tr.eventAt(rec).reason == api::EventReason::Unhealthy) ++unhealthy;
  }
  // 10 minutes at 5 s: 120 probes, 24 failures expected (the standard deviation is 4.4).
  CHECK(unhealthy >= 10);
  CHECK(unhealthy <= 40);
  const auto summaries = r.sim->summaries();
  CHECK(summaries[0].restarts == 0);
  CHECK(summaries[0].readyTime < r.sim->now());
  for (const auto& x : engine::checkExpectations(*r.sim)) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
}

TEST_CASE("An outage of the ambassador's database shows as a pod that is Running but not Ready, and Ready again after") {
  const Run r = runFile("scenarios/faults/ambassador-db-outage.yaml");
  for (const auto& x : engine::checkExpectations(*r.sim)) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
  // §7 rules 9 and 11: with period 5 s and failureThreshold 3, the third failed probe after 2m (at 130 s)
  // turns the containers unready; the first success after 5m (successThreshold 1) at 300 s ready again.
  const auto& tr = r.sim->trace();
  Time notReadyAt = -1, readyAgainAt = -1;
  bool wasReady = false;
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::PodStatus) continue;
    const auto& ps = tr.podStatusAt(rec);
    const auto& c = ps.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
    const bool ready = c.present && c.status;
    if (wasReady && !ready && notReadyAt < 0) {
      notReadyAt = rec.t;
      CHECK((ps.phase == api::PodPhase::Running));
      CHECK(std::string(ps.printed.status()) == "Running");
    }
    if (!wasReady && ready && notReadyAt >= 0 && readyAgainAt < 0) readyAgainAt = rec.t;
    wasReady = ready;
  }
  CHECK(notReadyAt == 130 * kSecond);
  CHECK(readyAgainAt == 300 * kSecond);
  CHECK(r.sim->summaries()[0].restarts == 0);
}

TEST_CASE("nslookup in an init container waits while the endpoint is in a down window") {
  const Run r = runFile("scenarios/faults/init-waits-for-endpoint.yaml");
  const auto init = instances(*r.sim, 0);
  REQUIRE(init.size() == 1);
  CHECK(init[0].finishedAt == 46 * kSecond);  // polls every 2 s; the first after 45 s succeeds
  for (const auto& x : engine::checkExpectations(*r.sim)) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
}

TEST_CASE("A scenario without faults has no fault injector and runs as before") {
  const scenario::Scenario sc = scenario::loadScenarioString(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: busybox:1.36}
)", "plain.yaml");
  CHECK_FALSE(faults::needed(sc));
  CHECK(sc.faults.empty());
}

TEST_CASE("Bad fault input names file, line, column and field path") {
  auto err = [](const std::string& spec) {
    try {
      scenario::loadScenarioString(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: busybox:1.36}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
)" + spec, "bad.yaml");
    } catch (const scenario::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err("  faults:\n    crashes:\n      - {pod: p, meanTimeBetweenFailures: 0s}\n") ==
        "bad.yaml:14:43: spec.faults.crashes[0].meanTimeBetweenFailures: Invalid value: \"0s\": must be greater than 0");
  CHECK(err("  faults:\n    probes:\n      - {failureProbability: 1.5}\n") ==
        "bad.yaml:14:30: spec.faults.probes[0].failureProbability: Invalid value: \"1.5\": must be a number between 0 and 1, inclusive");
  CHECK(err("  faults:\n    crashes:\n      - {container: a, meanTimeBetweenFailures: 1m}\n") ==
        "bad.yaml:14:21: spec.faults.crashes[0].container: Forbidden: a container is named only together with its pod");
  CHECK(err("  faults:\n    imagePulls:\n      - {image: nginx, failureProbability: 0.1}\n") ==
        "bad.yaml:14:17: spec.faults.imagePulls[0].image: no image \"nginx\" in the scenario's pods");
  CHECK(err("  endpoints:\n    db:\n      down: [{from: 2m, to: 1m}]\n") ==
        "bad.yaml:14:29: spec.endpoints.db.down[0].to: Invalid value: \"1m\": must be later than from");
  CHECK(err("  faults:\n    nodes:\n      - {node: node-9, meanTimeBetweenFailures: 1h, meanTimeToRecovery: 1m}\n") ==
        "bad.yaml:14:16: spec.faults.nodes[0].node: no node \"node-9\" (without Node documents the only node is \"node-1\")");
  CHECK(err("  faults:\n    nodes:\n      - {meanTimeBetweenFailures: 1h}\n") ==
        "bad.yaml:14:9: spec.faults.nodes[0].meanTimeToRecovery: Required value");
  CHECK(err("  faults:\n    probes:\n      - {pod: p, probe: startUp, failureProbability: 0.1}\n") ==
        "bad.yaml:14:25: spec.faults.probes[0].probe: Unsupported value: \"startUp\": supported values: \"startup\", \"liveness\", \"readiness\"");
}

TEST_CASE("Endpoint `up` windows are the complement of `down` windows: the name answers only inside them") {
  const Run r = run(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  initContainers:
  - name: wait
    image: busybox:1.36
    command: ['sh', '-c', 'until nc -z db 5432; do sleep 5; done']
  containers:
  - name: poll
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 70; until nc -z db 5432; do sleep 5; done']
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 10m
  timing: ideal
  images:
    busybox:1.36: {present: true}
  endpoints:
    db: {external: true, up: [{from: 1m, to: 2m}, {from: 4m}]}
)");
  const auto wait = instances(*r.sim, 0);
  REQUIRE(wait.size() == 1);
  CHECK(wait[0].finishedAt == 60 * kSecond);  // polls at 0, 5, ..., 60 s: up from 1m
  const auto poll = instances(*r.sim, 1);
  REQUIRE(poll.size() == 1);
  // Starts at 60 s, first polls at 130 s: up until 2m, down from 2m to 4m, so it ends at the first poll >= 240 s.
  CHECK(poll[0].finishedAt == 240 * kSecond);
  const auto& db = r.sc.services[0];
  REQUIRE(db.down.size() == 2);
  CHECK(db.down[0].from == 0);
  CHECK(db.down[0].to == 60 * kSecond);
  CHECK(db.down[1].from == 120 * kSecond);
  CHECK(db.down[1].to == 240 * kSecond);
}

TEST_CASE("A probe that dependsOn a name nothing in the scenario provides is a warning, not a silent failure") {
  const auto sc = scenario::loadScenarioString(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: busybox:1.36
    readinessProbe: {exec: {command: ["true"]}}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  endpoints:
    prod-db: {external: true}
  behaviors:
    p:
      a: {probes: {readiness: {dependsOn: [prod-db, prod-bd]}}}
)", "typo.yaml");
  REQUIRE(sc.warnings.size() == 1);
  CHECK(sc.warnings[0] == "typo.yaml: spec.behaviors.p.a.probes.readiness.dependsOn: \"prod-bd\" is no Service, endpoint or "
                          "createService action of the scenario, so the probe never passes");
}

TEST_CASE("Node failures drawn from the seed: same seed same outages, and over 1,000 seeds the mean time up is the MTBF within 5%") {
  const std::string yaml = R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: busybox:1.36}
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  faults:
    nodes:
      - {node: node-1, meanTimeBetweenFailures: 1h, meanTimeToRecovery: 5m}
)";
  const scenario::Scenario sc = scenario::loadScenarioString(yaml, "nodes.yaml");
  const Time until = 24 * sim::kHour;
  auto outages = [&](std::uint64_t seed) { return faults::FaultInjector(sc, seed).nodeOutages(0, until); };
  auto same = [](const std::vector<scenario::TimeWindow>& a, const std::vector<scenario::TimeWindow>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].from != b[i].from || a[i].to != b[i].to) return false;
    }
    return true;
  };
  CHECK(same(outages(3), outages(3)));
  CHECK_FALSE(same(outages(3), outages(4)));
  // Time up between failures: from the start or a recovery to the next failure (MLE with the censored
  // last stretch counted as time up); time down: each outage's length.
  double up = 0, down = 0;
  std::int64_t failures = 0, recoveries = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const auto o = outages(seed);
    Time t = 0;
    for (const auto& w : o) {
      REQUIRE(w.from >= t);
      REQUIRE(w.to > w.from);
      up += static_cast<double>(w.from - t);
      ++failures;
      if (w.to < until) {
        down += static_cast<double>(w.to - w.from);
        ++recoveries;
      }
      t = w.to;
    }
    if (t < until) up += static_cast<double>(until - t);
  }
  REQUIRE(failures > 10'000);
  CHECK(std::abs(up / static_cast<double>(failures) - static_cast<double>(sim::kHour)) < 0.05 * static_cast<double>(sim::kHour));
  CHECK(std::abs(down / static_cast<double>(recoveries) - static_cast<double>(5 * kMinute)) < 0.05 * static_cast<double>(5 * kMinute));
}

TEST_CASE("A node failure drawn from the seed is a failNode: NotReady after the grace period, evictions, recovery") {
  const Run r = runFile("scenarios/faults/node-failures.yaml");
  for (const auto& x : engine::checkExpectations(*r.sim)) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
  const auto outages = faults::FaultInjector(r.sc, r.sc.seed).nodeOutages(1, r.sc.duration);
  REQUIRE(!outages.empty());
  const auto& tr = r.sim->trace();
  Time notReady = -1;
  for (const auto& rec : tr.records()) {
    if (rec.type == trace::RecordType::Event && tr.eventAt(rec).reason == api::EventReason::NodeNotReady && notReady < 0) notReady = rec.t;
  }
  CHECK(notReady == outages[0].from + 50 * kSecond);  // the node monitor grace period of 1.35
}
