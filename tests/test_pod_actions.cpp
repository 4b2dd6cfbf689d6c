// tests/test_pod_actions.cpp: computePodActions as a table of cases against one base pod
// (kubelet-semantics §2.3, §3; kuberuntime_manager.go computePodActions).
#include <doctest/doctest.h>

#include "models/kubelet/pod_actions.hpp"

using namespace podsim;
using kubelet::ContainerState;

namespace {

api::Container container(const std::string& name) {
  api::Container c;
  c.name = name;
  c.image = "busybox";
  return c;
}

struct Fixture {
  api::Pod pod;
  kubelet::RuntimePodStatus rt;
  std::vector<kubelet::ContainerProbeResults> probes;
  std::vector<std::uint32_t> hashes;
  kubelet::PodActions out;

  explicit Fixture(api::RestartPolicy policy = api::RestartPolicy::Always) {
    pod.name = "p";
    pod.initContainers = {container("init-a"), container("init-b")};
    pod.containers = {container("app"), container("proxy")};
    pod.restartPolicy = policy;
    rt.containers.resize(4);
    rt.sandboxExists = rt.sandboxReady = true;
    rt.sandboxAttempt = 0;
    probes.resize(4);
    hashes.assign(4, 0);
  }
  void set(std::size_t i, ContainerState s, int code = 0) {
    rt.containers[i].hasLatest = true;
    rt.containers[i].latest.state = s;
    rt.containers[i].latest.exitCode = code;
  }
  kubelet::PodActions& compute() {
    kubelet::PodActionsInputs in{&pod, &rt, &probes, &hashes, false};
    kubelet::computePodActions(in, out);
    return out;
  }
};

}  // namespace

TEST_CASE("A new pod gets a sandbox and only its first init container (computePodActions)") {
  Fixture f;
  f.rt.sandboxExists = f.rt.sandboxReady = false;
  f.rt.sandboxAttempt = -1;
  auto& a = f.compute();
  CHECK(a.createSandbox);
  CHECK(a.attempt == 0);
  CHECK(a.initContainersToStart == std::vector<std::int32_t>{0});
  CHECK(a.containersToStart.empty());
}

TEST_CASE("Init containers run one at a time: the next starts only after the previous exited 0 (3.1)") {
  Fixture f;
  f.set(0, ContainerState::Running);
  CHECK(f.compute().initContainersToStart.empty());
  f.set(0, ContainerState::Exited, 0);
  CHECK(f.compute().initContainersToStart == std::vector<std::int32_t>{1});
  f.set(1, ContainerState::Exited, 0);
  auto& a = f.compute();
  CHECK(a.initContainersToStart.empty());
  CHECK(a.containersToStart == std::vector<std::int32_t>{2, 3});  // all regular containers, in spec order
}

TEST_CASE("A failed init container kills the pod under Never and is restarted otherwise (3.3)") {
  Fixture never(api::RestartPolicy::Never);
  never.set(0, ContainerState::Exited, 1);
  auto& a = never.compute();
  CHECK(a.killPod);
  CHECK(a.initContainersToStart.empty());
  Fixture onFailure(api::RestartPolicy::OnFailure);
  onFailure.set(0, ContainerState::Exited, 1);
  auto& b = onFailure.compute();
  CHECK_FALSE(b.killPod);
  CHECK(b.initContainersToStart == std::vector<std::int32_t>{0});
}

TEST_CASE("After initialization, completed init containers are never run again (3.5)") {
  Fixture f;
  f.set(1, ContainerState::Exited, 0);
  f.set(2, ContainerState::Running);
  f.set(3, ContainerState::Exited, 1);
  auto& a = f.compute();
  CHECK(a.initContainersToStart.empty());
  CHECK(a.containersToStart == std::vector<std::int32_t>{3});
}

TEST_CASE("When no regular container keeps running or will start, the pod is killed (8.7)") {
  Fixture f(api::RestartPolicy::Never);
  f.set(1, ContainerState::Exited, 0);
  f.set(2, ContainerState::Exited, 0);
  f.set(3, ContainerState::Exited, 1);
  CHECK(f.compute().killPod);
  Fixture g(api::RestartPolicy::OnFailure);
  g.set(1, ContainerState::Exited, 0);
  g.set(2, ContainerState::Exited, 0);
  g.set(3, ContainerState::Exited, 1);
  auto& b = g.compute();
  CHECK_FALSE(b.killPod);
  CHECK(b.containersToStart == std::vector<std::int32_t>{3});
}

TEST_CASE("A running container whose spec hash changed is killed and restarted, even under Never") {
  Fixture f(api::RestartPolicy::Never);
  f.set(1, ContainerState::Exited, 0);
  f.set(2, ContainerState::Running);
  f.set(3, ContainerState::Running);
  f.hashes[2] = 7;
  auto& a = f.compute();
  REQUIRE(a.containersToKill.size() == 1);
  CHECK(a.containersToKill[0].container == 2);
  CHECK(a.containersToKill[0].reason == kubelet::KillReason::DefinitionChanged);
  CHECK(a.containersToStart == std::vector<std::int32_t>{2});
}

TEST_CASE("A failed liveness probe kills a container, and it is restarted unless the pod policy is Never") {
  Fixture f;
  f.set(1, ContainerState::Exited, 0);
  f.set(2, ContainerState::Running);
  f.set(3, ContainerState::Running);
  f.probes[3].livenessFound = true;
  f.probes[3].liveness = kubelet::ProbeResult::Failure;
  auto& a = f.compute();
  REQUIRE(a.containersToKill.size() == 1);
  CHECK(a.containersToKill[0].reason == kubelet::KillReason::LivenessProbe);
  CHECK(a.containersToKill[0].willRestart);
  CHECK(a.containersToStart == std::vector<std::int32_t>{3});
}
