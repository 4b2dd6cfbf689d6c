// tests/test_cluster.cpp: scheduler decisions (kubelet-semantics §13, §14; pkg/scheduler plugins).
#include <doctest/doctest.h>

#include "tests/support.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/cluster/node_search.hpp"
#include "models/cluster/scheduling.hpp"
#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"

using namespace podsim;
using sim::kSecond;

namespace {

using testing::Run;
using testing::runFile;
Run runString(const std::string& yaml) { return testing::run(yaml); }

api::Container container(const std::string& name, std::int64_t cpu, std::int64_t memMi, bool sidecar = false) {
  api::Container c;
  c.name = name;
  c.image = "busybox";
  c.resources.requests.cpuMilli = cpu;
  c.resources.requests.memoryBytes = memMi * 1024 * 1024;
  if (sidecar) c.restartPolicy = api::RestartPolicy::Always;
  return c;
}
}  // namespace

TEST_CASE("Effective requests follow KEP-753: the worked example of 13 gives 800m and 832Mi, not the naive 500m and 768Mi") {
  api::Pod pod;
  pod.initContainers = {container("migrate", 500, 256), container("proxy", 100, 64, true), container("warmup", 300, 768),
                        container("logger", 200, 128, true)};
  pod.containers = {container("api", 250, 256), container("worker", 250, 128)};
  const cluster::Resources r = cluster::podRequests(pod);
  CHECK(r.cpuMilli == 800);
  CHECK(r.memoryBytes == 832LL * 1024 * 1024);
}

TEST_CASE("A 1 CPU init container, a 200m sidecar and a 300m app request 1000m") {
  api::Pod pod;
  pod.initContainers = {container("init", 1000, 0), container("sidecar", 200, 0, true)};
  pod.containers = {container("app", 300, 0)};
  CHECK(cluster::podRequests(pod).cpuMilli == 1000);
}

TEST_CASE("Tolerations: Exists matches any value, Equal the value, an empty key with Exists everything") {
  const api::Toleration taint{"node.kubernetes.io/unreachable", "", "", "NoExecute", -1};
  CHECK(cluster::toleratesTaint({{"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 30}}, taint));
  CHECK_FALSE(cluster::toleratesTaint({{"node.kubernetes.io/not-ready", "Exists", "", "NoExecute", 30}}, taint));
  CHECK(cluster::toleratesTaint({{"", "Exists", "", "", -1}}, taint));
  CHECK_FALSE(cluster::toleratesTaint({{"node.kubernetes.io/unreachable", "Exists", "", "NoSchedule", -1}}, taint));
  std::int64_t seconds = 0;
  CHECK(cluster::noExecuteToleration({{"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 30}}, taint, seconds));
  CHECK(seconds == 30);
}

TEST_CASE("Filter reports the failing plugin and FitError counts nodes per reason") {
  api::Pod pod;
  pod.containers = {container("app", 500, 64)};
  api::Node node;
  node.name = "n";
  node.allocatable.cpuMilli = 2000;
  node.allocatable.memoryBytes = 1LL << 33;
  const auto req = cluster::podRequests(pod);
  CHECK(cluster::filterNode(pod, req, node, {}, {1500, 0}) == cluster::FitFailure::None);
  CHECK(cluster::filterNode(pod, req, node, {}, {1600, 0}) == cluster::FitFailure::InsufficientCpu);
  pod.nodeSelector["disk"] = "ssd";
  CHECK(cluster::filterNode(pod, req, node, {}, {0, 0}) == cluster::FitFailure::NodeSelector);
  CHECK(cluster::failedSchedulingMessage({cluster::FitFailure::InsufficientCpu, cluster::FitFailure::InsufficientCpu}) ==
        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims "
        "found for incoming pod.");
}

TEST_CASE("FitError: reasons as sorted \"count reason\" strings. preemption cannot help filters that are unresolvable") {
  using F = cluster::FitFailure;
  CHECK(cluster::failedSchedulingMessage({F::Taint, F::InsufficientCpu, F::InsufficientCpu}) ==
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are "
        "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");
  CHECK(cluster::failedSchedulingMessage({F::NodeSelector, F::NodeSelector, F::NodeSelector}) ==
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.");
}

TEST_CASE("LeastAllocated prefers the emptier node") {
  api::Node node;
  node.allocatable = {2000, 1000};
  CHECK(cluster::leastAllocatedScore(node, {500, 250}) == 75);
  CHECK(cluster::leastAllocatedScore(node, {1500, 750}) == 25);
}

// ---- node affinity (component-helpers/scheduling/corev1/nodeaffinity; labels/selector.go) -------------

namespace {
api::Node labelled(const std::string& name, std::map<std::string, std::string> labels) {
  api::Node n;
  n.name = name;
  n.labels = std::move(labels);
  return n;
}
}  // namespace

TEST_CASE("Node affinity operators: In, NotIn, Exists, DoesNotExist, Gt and Lt match as labels.Requirement does") {
  const api::Node node = labelled("n1", {{"zone", "eu-1"}, {"gen", "5"}, {"odd", "x7"}});
  struct Case {
    api::NodeSelectorRequirement r;
    bool match;
  };
  const std::vector<Case> cases = {
      {{"zone", "In", {"eu-1", "eu-2"}}, true},
      {{"zone", "In", {"us-1"}}, false},
      {{"missing", "In", {"x"}}, false},
      {{"zone", "NotIn", {"us-1"}}, true},
      {{"zone", "NotIn", {"eu-1"}}, false},
      {{"missing", "NotIn", {"x"}}, true},  // NotIn holds when the label is absent
      {{"zone", "Exists", {}}, true},
      {{"missing", "Exists", {}}, false},
      {{"missing", "DoesNotExist", {}}, true},
      {{"zone", "DoesNotExist", {}}, false},
      {{"gen", "Gt", {"4"}}, true},
      {{"gen", "Gt", {"5"}}, false},
      {{"gen", "Lt", {"6"}}, true},
      {{"gen", "Lt", {"-1"}}, false},
      {{"odd", "Gt", {"1"}}, false},      // a label value that is not an integer never matches
      {{"missing", "Lt", {"9"}}, false},  // nor an absent label
      {{"gen", "Gt", {"four"}}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.r.key);
    CAPTURE(c.r.op);
    CHECK(cluster::matchesExpression(c.r, node) == c.match);
  }
}

TEST_CASE("Node affinity terms: expressions and fields ANDed within a term, terms ORed. an empty term matches nothing") {
  const api::Node a = labelled("node-a", {{"zone", "eu-1"}, {"disk", "ssd"}});
  const api::Node b = labelled("node-b", {{"zone", "eu-2"}});
  api::NodeSelectorTerm ssdInEu;
  ssdInEu.matchExpressions = {{"zone", "In", {"eu-1", "eu-2"}}, {"disk", "In", {"ssd"}}};
  CHECK(cluster::matchesTerm(ssdInEu, a));
  CHECK_FALSE(cluster::matchesTerm(ssdInEu, b));
  api::NodeSelectorTerm byName;
  byName.matchFields = {{"metadata.name", "In", {"node-b"}}};
  CHECK(cluster::matchesTerm(byName, b));
  CHECK_FALSE(cluster::matchesTerm(byName, a));
  api::NodeSelectorTerm notA;
  notA.matchFields = {{"metadata.name", "NotIn", {"node-a"}}};
  CHECK(cluster::matchesTerm(notA, b));
  CHECK_FALSE(cluster::matchesTerm(api::NodeSelectorTerm{}, a));
  api::Pod pod;
  CHECK(cluster::matchesRequiredNodeAffinity(pod, a));  // no affinity: every node
  pod.requiredNodeAffinity = {ssdInEu, byName};
  CHECK(cluster::matchesRequiredNodeAffinity(pod, a));
  CHECK(cluster::matchesRequiredNodeAffinity(pod, b));
  pod.requiredNodeAffinity = {ssdInEu};
  CHECK_FALSE(cluster::matchesRequiredNodeAffinity(pod, b));
  // The filter reports an affinity mismatch with the nodeSelector's reason (NodeAffinity plugin).
  CHECK(cluster::filterNode(pod, {}, b, {}, {}) == cluster::FitFailure::NodeSelector);
  CHECK(cluster::filterNode(pod, {}, a, {}, {}) == cluster::FitFailure::None);
}

// ---- whole runs: scheduling, node failure, kubelet restart ---------------------------------------------

namespace {
std::int32_t podIndex(const engine::Simulation& sim, const std::string& name) {
  const auto& pods = sim.scenario().pods;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (pods[i].pod.name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

/// Times (ns) of the Events with this reason on pod `pod`.
std::vector<sim::Time> eventTimes(const engine::Simulation& sim, std::int32_t pod, api::EventReason reason) {
  std::vector<sim::Time> out;
  const auto& tr = sim.trace();
  for (const auto& r : tr.records()) {
    if (r.type == trace::RecordType::Event && r.pod == pod && tr.eventAt(r).reason == reason) out.push_back(r.t);
  }
  return out;
}

std::string nodeOf(const engine::Simulation& sim, const std::string& pod) {
  const auto views = sim.views();
  const auto& v = views[static_cast<std::size_t>(podIndex(sim, pod))];
  return v.node < 0 ? std::string("<none>") : sim.nodeNames()[static_cast<std::size_t>(v.node)];
}

std::int32_t summariesRestarts(const engine::Simulation& sim) { return sim.summaries()[0].restarts; }

void checkAll(const engine::Simulation& sim) {
  for (const auto& x : engine::checkExpectations(sim)) CHECK_MESSAGE(x.passed, x.description << ": " << x.actual);
}
}  // namespace

TEST_CASE("Two nodes of 2 CPUs and ten pods of 500m: eight run, two stay Unschedulable, one is scheduled as soon as a pod is deleted") {
  const Run r = runFile("scenarios/nodes/two-nodes-ten-pods.yaml");
  checkAll(*r.sim);
  int perNode[2] = {0, 0};
  for (int i = 0; i < 8; ++i) {
    const auto n = nodeOf(*r.sim, "web-" + std::to_string(i));
    if (n == "node-a") ++perNode[0];
    if (n == "node-b") ++perNode[1];
  }
  CHECK(perNode[0] == 4);  // least allocated alternates the nodes
  CHECK(perNode[1] == 4);
  for (const char* name : {"web-8", "web-9"}) {
    const std::int32_t p = podIndex(*r.sim, name);
    const auto failed = eventTimes(*r.sim, p, api::EventReason::FailedScheduling);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0] == 0);
  }
  // The FailedScheduling message counts the nodes per reason, as the scheduler's FitError does.
  const auto& tr = r.sim->trace();
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::Event || tr.eventAt(rec).reason != api::EventReason::FailedScheduling) continue;
    std::ostringstream os;
    trace::writeJsonl(os, *r.sim);
    CHECK(os.str().find("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No "
                        "preemption victims found for incoming pod.") != std::string::npos);
    break;
  }
  // web-0 is removed at 60 s (deleted, SIGTERM ends it at once) and web-8 is bound in the same instant.
  const auto scheduled = eventTimes(*r.sim, podIndex(*r.sim, "web-8"), api::EventReason::Scheduled);
  REQUIRE(scheduled.size() == 1);
  CHECK(scheduled[0] == 60 * kSecond);
  CHECK(nodeOf(*r.sim, "web-8") == nodeOf(*r.sim, "web-0"));
  CHECK(eventTimes(*r.sim, podIndex(*r.sim, "web-9"), api::EventReason::Scheduled).empty());
}

TEST_CASE("A pod with a 1 CPU init container, a 200m sidecar and a 300m app is placed by its 13 effective request of 1000m") {
  const Run r = runFile("scenarios/nodes/effective-requests.yaml");
  checkAll(*r.sim);
  // 1000m does not fit node-a beside the 100m pod (the app-only 500m would); it fits the empty node-b
  // (the naive sum of 1500m would fit nowhere).
  CHECK(nodeOf(*r.sim, "migrate-and-serve") == "node-b");
  CHECK(cluster::podRequests(r.sc.pods[static_cast<std::size_t>(podIndex(*r.sim, "migrate-and-serve"))].pod).cpuMilli == 1000);
}

TEST_CASE("Required node affinity places each pod on the one node its terms allow. a pod no node matches is Unschedulable") {
  const Run r = runFile("scenarios/nodes/node-affinity.yaml");
  checkAll(*r.sim);
  CHECK(nodeOf(*r.sim, "ssd-in-eu") == "node-a");
  CHECK(nodeOf(*r.sim, "newer-cpu-no-gpu-or-gpu") == "node-b");
  CHECK(nodeOf(*r.sim, "plain-node") == "node-c");
  CHECK(nodeOf(*r.sim, "by-name") == "node-a");
  CHECK(nodeOf(*r.sim, "nowhere") == "<none>");
  std::ostringstream os;
  trace::writeJsonl(os, *r.sim);
  CHECK(os.str().find("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes "
                      "are available: 3 Preemption is not helpful for scheduling.") != std::string::npos);
  // The preferred term is accepted and ignored, with a warning.
  bool warned = false;
  for (const auto& w : r.sc.warnings) warned = warned || w.find("preferredDuringSchedulingIgnoredDuringExecution") != std::string::npos;
  CHECK(warned);
}

namespace {
std::string nodeFailure(const std::string& version) {
  return R"(
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 12m
  timing: ideal
  kubernetesVersion: ")" + version + R"("
  images:
    example/app:1.0: {present: true}
  actions:
    - {at: 60s, failNode: {node: node-1}}
    - {at: 10m, recoverNode: {node: node-1}}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {allocatable: {cpu: "4", memory: 8Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: app, image: example/app:1.0}
---
apiVersion: v1
kind: Pod
metadata: {name: fast}
spec:
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
  containers:
  - {name: app, image: example/app:1.0}
)";
}
}  // namespace

TEST_CASE("failNode at 60 s: NotReady after the version's node monitor grace period (50 s from 1.32, 40 s before), eviction 300 s later, tolerationSeconds 30 goes 270 s earlier (14)") {
  for (const auto& [version, grace] : std::vector<std::pair<std::string, sim::Time>>{{"1.35", 50 * kSecond}, {"1.31", 40 * kSecond}}) {
    CAPTURE(version);
    const Run r = runString(nodeFailure(version));
    const std::int32_t web = podIndex(*r.sim, "web"), fast = podIndex(*r.sim, "fast");
    const sim::Time notReady = 60 * kSecond + grace;
    CHECK(eventTimes(*r.sim, web, api::EventReason::NodeNotReady) == std::vector<sim::Time>{notReady});
    const auto webEvicted = eventTimes(*r.sim, web, api::EventReason::TaintManagerEviction);
    const auto fastEvicted = eventTimes(*r.sim, fast, api::EventReason::TaintManagerEviction);
    REQUIRE(webEvicted.size() == 1);
    REQUIRE(fastEvicted.size() == 1);
    CHECK(webEvicted[0] == notReady + 300 * kSecond);
    CHECK(fastEvicted[0] == notReady + 30 * kSecond);
    CHECK(webEvicted[0] - fastEvicted[0] == 270 * kSecond);
    // Terminating until the node comes back (10m), then terminated and removed.
    const auto& tr = r.sim->trace();
    sim::Time removedAt = -1;
    for (const auto& rec : tr.records()) {
      if (rec.type == trace::RecordType::PodRemoved && rec.pod == web) removedAt = rec.t;
      if (rec.type == trace::RecordType::PodStatus && rec.pod == web && rec.t > webEvicted[0] && rec.t < 10 * sim::kMinute) {
        CHECK(std::string(tr.podStatusAt(rec).printed.status()) == "Terminating");
      }
    }
    CHECK(removedAt >= 10 * sim::kMinute);
  }
}

TEST_CASE("restartKubelet: back-off entries are lost, probe workers restart, running containers keep running") {
  const Run r = runString(R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: crasher
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 5; exit 1']
  - name: steady
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 3600']
    readinessProbe:
      exec: {command: [cat, /tmp/ready]}
      periodSeconds: 10
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 5m
  timing: ideal
  images:
    busybox:1.36: {present: true}
  behaviors:
    p:
      steady:
        probes:
          readiness: {succeedAfter: never}
  actions:
    - {at: 105s, restartKubelet: {}}
)");
  // crasher: runs of 5 s, restarted at once, then after 10, 20, 40 s back-offs: starts at 0, 5, 20, 45, 90 s;
  // the next restart would wait 80 s after the exit at 95 s (175 s), but the kubelet restarted at 105 s
  // has no back-off entry and starts it at once.
  std::vector<sim::Time> started;
  std::uint32_t steadyID = 0;
  int steadyInstances = 0;
  const auto& tr = r.sim->trace();
  for (const auto& rec : tr.records()) {
    if (rec.type == trace::RecordType::Event && tr.eventAt(rec).reason == api::EventReason::Started && tr.eventAt(rec).container == 0) {
      started.push_back(rec.t);
    }
    if (rec.type == trace::RecordType::ContainerStatus && tr.containerStatusAt(rec).container == 1) {
      const auto id = tr.containerStatusAt(rec).status.containerID;
      if (id != 0 && id != steadyID) {
        steadyID = id;
        ++steadyInstances;
      }
    }
  }
  REQUIRE(started.size() >= 6);
  CHECK(started[4] == 90 * kSecond);
  CHECK(started[5] == 105 * kSecond);  // not 175 s: the back-off was lost with the kubelet
  CHECK(steadyInstances == 1);          // the running container kept running
  // The probe workers are new: the readiness ticker of the old kubelet fired at 0, 10, ..., 100 s; the new
  // one is anchored at the restart, 105 s, and fires every 10 s from there (prober worker.go), besides the
  // manual trigger of the first status generation (§7 rule 12). Without the crasher's syncs, which add
  // manual triggers of their own:
  std::string alone = R"(
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: steady
    image: busybox:1.36
    command: ['sh', '-c', 'sleep 3600']
    readinessProbe:
      exec: {command: [cat, /tmp/ready]}
      periodSeconds: 10
---
apiVersion: podsim/v1alpha1
kind: Scenario
spec:
  duration: 5m
  timing: ideal
  images:
    busybox:1.36: {present: true}
  behaviors:
    p:
      steady:
        probes:
          readiness: {succeedAfter: never}
  actions:
    - {at: 105s, restartKubelet: {}}
)";
  // Before 1.35 (ChangeContainerStatusOnKubeletRestart behaves as on) the new readiness worker stores its
  // initial Failure, a status change whose generation triggers the manual probe: two probes at 105 s.
  // From 1.35 (gate off) the worker stores no initial result for a container running before the restart
  // (prober/worker.go doProbe isRestart): only its ticker probes (scenarios/rules/kubelet-restart-keeps-ready.yaml).
  const auto unhealthyTimes = [](const std::string& yaml) {
    const Run r2 = runString(yaml);
    std::vector<sim::Time> probes;
    const auto& tr2 = r2.sim->trace();
    for (const auto& rec : tr2.records()) {
      if (rec.type == trace::RecordType::Event && tr2.eventAt(rec).reason == api::EventReason::Unhealthy &&
          rec.t >= 85 * kSecond && rec.t <= 135 * kSecond) {
        probes.push_back(rec.t);
      }
    }
    CHECK(summariesRestarts(*r2.sim) == 0);  // the running container kept running
    return probes;
  };
  std::string alone134 = alone;
  alone134.replace(alone134.find("  duration: 5m"), 0, "  kubernetesVersion: \"1.34\"\n");
  CHECK(unhealthyTimes(alone134) == std::vector<sim::Time>{90 * kSecond, 100 * kSecond, 105 * kSecond, 105 * kSecond,
                                                           115 * kSecond, 125 * kSecond, 135 * kSecond});
  std::string alone135 = alone;
  alone135.replace(alone135.find("  duration: 5m"), 0, "  kubernetesVersion: \"1.35\"\n");
  CHECK(unhealthyTimes(alone135) == std::vector<sim::Time>{90 * kSecond, 100 * kSecond, 105 * kSecond, 115 * kSecond,
                                                           125 * kSecond, 135 * kSecond});
}

TEST_CASE("Node affinity is read with the API's validation: operators, values and matchFields keys") {
  auto err = [](const std::string& affinity) {
    try {
      scenario::loadScenarioString(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: busybox:1.36}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
)" + affinity, "aff.yaml");
    } catch (const scenario::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string path = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
  CHECK(err("        nodeSelectorTerms: []\n") ==
        "aff.yaml:10:28: " + path + ": Required value: must have at least one node selector term");
  CHECK(err("        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: In}\n") ==
        "aff.yaml:12:13: " + path + "[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  CHECK(err("        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: Exists, values: [a]}\n") ==
        "aff.yaml:12:51: " + path + "[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  CHECK(err("        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: gen, operator: Gt, values: [\"1\", \"2\"]}\n") ==
        "aff.yaml:12:46: " + path + "[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
  CHECK(err("        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: Within, values: [a]}\n") ==
        "aff.yaml:12:35: " + path + "[0].matchExpressions[0].operator: Invalid value: \"Within\": not a valid selector operator");
  CHECK(err("        nodeSelectorTerms:\n        - matchFields:\n          - {key: metadata.labels, operator: In, values: [a]}\n") ==
        "aff.yaml:12:13: " + path + "[0].matchFields[0].key: Invalid value: \"metadata.labels\": not a valid field selector key");
  CHECK(err("        nodeSelectorTerms:\n        - matchFields:\n          - {key: metadata.name, operator: In, values: [a, b]}\n") ==
        "aff.yaml:12:56: " + path + "[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
  CHECK(err("        nodeSelectorTerms:\n        - matchExpressions:\n          - {key: zone, operator: In, values: [a]}\n") == "no error");
}

TEST_CASE("A pod that fits nowhere shows PodScheduled=False with reason Unschedulable") {
  const Run r = runFile("scenarios/nodes/two-nodes-ten-pods.yaml");
  const auto views = r.sim->views();
  const auto& cond = views[static_cast<std::size_t>(podIndex(*r.sim, "web-9"))].status.conditions[static_cast<std::size_t>(
      kubelet::ConditionType::PodScheduled)];
  CHECK(cond.present);
  CHECK_FALSE(cond.status);
  CHECK(std::string(api::toString(cond.reason)) == "Unschedulable");
}

TEST_CASE("failNode in kubelet timing: NotReady within a lease period and a monitor period of the grace period, evictions 300 s and 30 s after (14)") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    scenario::Scenario sc = scenario::loadScenarioString(nodeFailure("1.35"), "kubelet.yaml");
    sc.timing = scenario::Timing::Kubelet;
    engine::RunOptions o;
    o.overrideSeed = true;
    o.seed = seed;
    engine::Simulation sim(sc, o);
    sim.run();
    const std::int32_t web = podIndex(sim, "web"), fast = podIndex(sim, "fast");
    const auto notReady = eventTimes(sim, web, api::EventReason::NodeNotReady);
    REQUIRE(notReady.size() == 1);
    // The last Lease renewal (every 10 s) is at most 10 s before the failure; the controller looks every 5 s.
    CHECK(notReady[0] >= 60 * kSecond + 50 * kSecond - 10 * kSecond);
    CHECK(notReady[0] <= 60 * kSecond + 50 * kSecond + 5 * kSecond);
    CHECK(eventTimes(sim, web, api::EventReason::TaintManagerEviction) == std::vector<sim::Time>{notReady[0] + 300 * kSecond});
    CHECK(eventTimes(sim, fast, api::EventReason::TaintManagerEviction) == std::vector<sim::Time>{notReady[0] + 30 * kSecond});
  }
}

// ---- percentageOfNodesToScore (pkg/scheduler/schedule_one.go numFeasibleNodesToFind, v1.37.2) ----------

TEST_CASE("numFeasibleNodesToFind: every node below 100, else 50 - n/125 percent (at least 5) of them, at least 100") {
  struct Case {
    const char* name;
    std::size_t nodes;
    std::int32_t percentage;
    std::size_t want;
  };
  const Case cases[] = {
      {"no node", 0, 0, 0},
      {"3 nodes: all", 3, 0, 3},
      {"99 nodes: all", 99, 0, 99},
      {"100 nodes: 50% is 50, raised to 100", 100, 0, 100},
      {"150 nodes: 49% is 73, raised to 100", 150, 0, 100},
      {"1000 nodes: 42%", 1000, 0, 420},
      {"5000 nodes: 10%", 5000, 0, 500},
      {"6000 nodes: 50 - 48 = 2%, raised to 5%", 6000, 0, 300},
      {"100000 nodes: 5%", 100000, 0, 5000},
      {"1000 nodes, percentageOfNodesToScore 100", 1000, 100, 1000},
      {"1000 nodes, percentageOfNodesToScore 1: at least 100", 1000, 1, 100},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(cluster::numFeasibleNodesToFind(c.nodes, c.percentage) == c.want);
  }
}

namespace {
/// A scenario of `nodes` equal nodes (node-0, node-1, ...) and `pods` pods of 100m, created in order.
std::string equalNodes(int nodes, int pods) {
  std::ostringstream y;
  y << "apiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: many-nodes}\nspec:\n  duration: 10s\n"
       "  timing: ideal\n  behaviors: {}\n";
  for (int n = 0; n < nodes; ++n) {
    y << "---\napiVersion: v1\nkind: Node\nmetadata: {name: node-" << n << "}\nstatus: {allocatable: {cpu: \"4\", memory: 8Gi}}\n";
  }
  for (int p = 0; p < pods; ++p) {
    y << "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-" << p
      << "}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      resources: {requests: {cpu: 100m}}\n";
  }
  return y.str();
}
}  // namespace

TEST_CASE("Above 100 nodes the scheduler scores only the first 100 feasible nodes from a round-robin start (nextStartNodeIndex)") {
  // 150 nodes: each pod looks at 100 nodes from where the previous one stopped; all empty nodes score
  // alike, so each takes the first it visited: node-0 (then start 100), node-100 (start 50), node-50.
  const Run r = runString(equalNodes(150, 3));
  CHECK(nodeOf(*r.sim, "web-0") == "node-0");
  CHECK(nodeOf(*r.sim, "web-1") == "node-100");
  CHECK(nodeOf(*r.sim, "web-2") == "node-50");
}

TEST_CASE("Below 100 nodes every node is scored from node 0: ties go to the first node, LeastAllocated spreads the pods") {
  const Run r = runString(equalNodes(3, 4));
  CHECK(nodeOf(*r.sim, "web-0") == "node-0");
  CHECK(nodeOf(*r.sim, "web-1") == "node-1");
  CHECK(nodeOf(*r.sim, "web-2") == "node-2");
  CHECK(nodeOf(*r.sim, "web-3") == "node-0");
}

TEST_CASE("NodeSearch stops where kube-scheduler's node search stops and picks its node (findNodesThatPassFilters, "
          "LeastAllocated, ties to the first visited), wrapping around, as a scan of the nodes does") {
  // The reference: schedule_one.go's loop written out: from `start`, wrapping, until toFind feasible nodes.
  const auto scan = [](const std::vector<std::int64_t>& score, std::size_t start, std::size_t toFind) {
    cluster::NodeSearch::Pick p;
    std::int64_t bestScore = -1;
    std::size_t feasible = 0;
    const std::size_t all = score.size();
    for (; p.processed < all && feasible < toFind; ++p.processed) {
      const std::size_t i = (start + p.processed) % all;
      if (score[i] < 0) continue;
      ++feasible;
      if (score[i] > bestScore) {
        bestScore = score[i];
        p.node = static_cast<std::int32_t>(i);
      }
    }
    return p;
  };
  std::uint64_t x = 88172645463325252ULL;
  const auto draw = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (const std::size_t nodes : {1, 2, 3, 7, 64, 100, 333, 1000}) {
    cluster::NodeSearch search;
    search.reset(nodes);
    std::vector<std::int64_t> score(nodes, -1);
    for (int round = 0; round < 300; ++round) {
      // Change a few nodes (scores from a small range, so that ties are common; some stop fitting).
      for (int k = 0; k < 3; ++k) {
        const std::size_t i = draw() % nodes;
        score[i] = draw() % 4 == 0 ? -1 : static_cast<std::int64_t>(draw() % 5);
        search.set(i, score[i]);
      }
      const std::size_t start = draw() % nodes;
      const std::size_t toFind = 1 + draw() % nodes;
      const auto want = scan(score, start, toFind);
      const auto got = search.pick(start, toFind);
      CAPTURE(nodes);
      CAPTURE(start);
      CAPTURE(toFind);
      CHECK(got.node == want.node);
      CHECK(got.processed == want.processed);
    }
  }
  cluster::NodeSearch none;
  none.reset(5);
  CHECK(none.pick(2, 3).node == -1);
  CHECK(none.pick(2, 3).processed == 5);  // nothing fits: every node is visited
  CHECK_THROWS_AS(none.set(5, 1), std::out_of_range);
}
