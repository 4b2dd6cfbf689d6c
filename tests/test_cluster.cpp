// tests/test_cluster.cpp: scheduler decisions (kubelet-semantics §13, §14; pkg/scheduler plugins).
#include <doctest/doctest.h>

#include "models/cluster/scheduling.hpp"

using namespace podsim;

namespace {
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

TEST_CASE("LeastAllocated prefers the emptier node") {
  api::Node node;
  node.allocatable = {2000, 1000};
  CHECK(cluster::leastAllocatedScore(node, {500, 250}) == 75);
  CHECK(cluster::leastAllocatedScore(node, {1500, 750}) == 25);
}
