// tests/test_resize.cpp: in-place pod resize (InPlacePodVerticalScaling) decisions as the API server and the
// kubelet of 1.33..1.37 make them (models/kubelet/resize.hpp), and the resize restart in computePodActions.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/kubelet/pod_actions.hpp"
#include "models/kubelet/resize.hpp"

using namespace podsim;
using namespace podsim::kubelet;
using api::ResizeRestartPolicy;

namespace {

constexpr std::int64_t kMi = 1024 * 1024;

api::ResourceRequirements res(std::int64_t cpuReq, std::int64_t cpuLim, std::int64_t memReq, std::int64_t memLim) {
  api::ResourceRequirements r;
  r.requests = {cpuReq, memReq};
  r.limits = {cpuLim, memLim};
  return r;
}

api::Pod onePod(api::ResourceRequirements r, ResizeRestartPolicy cpu = ResizeRestartPolicy::NotRequired,
                ResizeRestartPolicy mem = ResizeRestartPolicy::NotRequired) {
  api::Pod pod;
  pod.name = "web";
  api::Container c;
  c.name = "app";
  c.resources = r;
  c.cpuResizePolicy = cpu;
  c.memoryResizePolicy = mem;
  pod.containers.push_back(c);
  return pod;
}

api::Pod resized(api::Pod pod, std::size_t i, const api::ResourceRequirements& patch) {
  auto& c = i < pod.initContainers.size() ? pod.initContainers[i] : pod.containers[i - pod.initContainers.size()];
  c.resources = applyResize(c.resources, patch);
  return pod;
}

}  // namespace

TEST_CASE("resizeSupport: no pods/resize with the gate off, the 1.27..1.32 alpha not modelled, 1.33+ served") {
  struct Case {
    int minor;
    FeatureGateOverrides gates;
    ResizeSupport want;
  };
  const std::vector<Case> cases = {
      {28, {}, ResizeSupport::NoSubresource},
      {31, {}, ResizeSupport::NoSubresource},
      {32, {}, ResizeSupport::NoSubresource},  // alpha, off by default
      {32, {{"InPlacePodVerticalScaling", true}}, ResizeSupport::AlphaNotModelled},
      {33, {}, ResizeSupport::Supported},      // beta, on by default
      {33, {{"InPlacePodVerticalScaling", false}}, ResizeSupport::NoSubresource},
      {34, {}, ResizeSupport::Supported},
      {35, {}, ResizeSupport::Supported},      // GA, locked on
      {37, {}, ResizeSupport::Supported},
  };
  for (const auto& c : cases) {
    CAPTURE(c.minor);
    CHECK(resizeSupport({1, c.minor}, c.gates) == c.want);
  }
  CHECK(resizeUnsupportedMessage(ResizeSupport::NoSubresource, {1, 30}) ==
        "the Kubernetes 1.30 API server has no pods/resize subresource (InPlacePodVerticalScaling is off; the subresource "
        "exists from 1.32): kubectl patch --subresource resize gets \"Error from server (NotFound): the server could not find "
        "the requested resource\"; use kubernetesVersion \"1.33\" or later");
  CHECK(resizeUnsupportedMessage(ResizeSupport::Supported, {1, 37}).empty());
}

TEST_CASE("applyResize: a strategic merge patch of resources replaces only the fields it sets") {
  const auto old = res(250, 500, 128 * kMi, 256 * kMi);
  const auto patch = res(-1, -1, -1, 512 * kMi);
  CHECK(applyResize(old, patch) == res(250, 500, 128 * kMi, 512 * kMi));
  CHECK(applyResize(old, res(400, -1, -1, -1)) == res(400, 500, 128 * kMi, 256 * kMi));
  CHECK(containerResourcesFromRequirements(res(-1, -1, 64, -1)) == ContainerResources{0, 0, 64, 0});
}

TEST_CASE("computePodResizeAction: RestartContainer on a changed resource restarts, NotRequired resizes in place") {
  struct Case {
    const char* name;
    ResizeRestartPolicy cpu, mem;
    ContainerResources desired, actuated;
    ResizeAction want;
  };
  const ContainerResources base{250, 500, 128, 256};
  const std::vector<Case> cases = {
      {"nothing changed", ResizeRestartPolicy::RestartContainer, ResizeRestartPolicy::RestartContainer, base, base, ResizeAction::None},
      {"cpu request, NotRequired", ResizeRestartPolicy::NotRequired, ResizeRestartPolicy::RestartContainer, {400, 500, 128, 256}, base,
       ResizeAction::UpdateInPlace},
      {"cpu limit, RestartContainer", ResizeRestartPolicy::RestartContainer, ResizeRestartPolicy::NotRequired, {250, 800, 128, 256}, base,
       ResizeAction::Restart},
      {"memory limit, RestartContainer", ResizeRestartPolicy::NotRequired, ResizeRestartPolicy::RestartContainer, {250, 500, 128, 512},
       base, ResizeAction::Restart},
      {"memory request, NotRequired (no policy written)", ResizeRestartPolicy::NotRequired, ResizeRestartPolicy::NotRequired,
       {250, 500, 200, 256}, base, ResizeAction::UpdateInPlace},
      {"cpu and memory, only memory restarts", ResizeRestartPolicy::NotRequired, ResizeRestartPolicy::RestartContainer,
       {400, 800, 200, 512}, base, ResizeAction::Restart},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    api::Container ctr;
    ctr.name = "app";
    ctr.cpuResizePolicy = c.cpu;
    ctr.memoryResizePolicy = c.mem;
    CHECK(computePodResizeAction(ctr, c.desired, c.actuated) == c.want);
  }
}

TEST_CASE("canResizePod: Infeasible over the node's allocatable (before 1.36), Deferred beside the other pods, else allocate") {
  struct Case {
    const char* name;
    int minor;
    cluster::Resources desired;
    api::ResourceList allocatable;
    cluster::Resources others;
    ResizeDecision want;
    const char* message;
  };
  const api::ResourceList node{2000, 1024 * kMi};
  const std::vector<Case> cases = {
      {"fits", 37, {1500, 256 * kMi}, node, {500, 256 * kMi}, ResizeDecision::Allocate, ""},
      {"memory above allocatable, 1.33", 33, {500, 2048 * kMi}, node, {}, ResizeDecision::Infeasible,
       "Node didn't have enough capacity: memory, requested: 2147483648, capacity: 1073741824"},
      {"both above allocatable names memory, 1.35", 35, {3000, 2048 * kMi}, node, {}, ResizeDecision::Infeasible,
       "Node didn't have enough capacity: memory, requested: 2147483648, capacity: 1073741824"},
      {"cpu above allocatable, 1.34", 34, {3000, 256 * kMi}, node, {}, ResizeDecision::Infeasible,
       "Node didn't have enough capacity: cpu, requested: 3000, capacity: 2000"},
      {"cpu beside another pod, 1.37", 37, {1500, 256 * kMi}, node, {1000, 256 * kMi}, ResizeDecision::Deferred,
       "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000"},
      {"memory beside another pod, 1.33", 33, {500, 900 * kMi}, node, {500, 256 * kMi}, ResizeDecision::Deferred,
       "Node didn't have enough resource: memory, requested: 943718400, used: 268435456, capacity: 1073741824"},
      {"unlimited node", 37, {100000, 1LL << 40}, api::ResourceList{}, {}, ResizeDecision::Allocate, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto v = canResizePod({c.desired, c.allocatable, c.others, {1, c.minor}});
    CHECK(v.decision == c.want);
    CHECK(v.message == c.message);
    if (c.want == ResizeDecision::Deferred) {  // the numbers the ResizeDeferred Event's message is made from
      CHECK(v.requested == (v.memory ? c.desired.memoryBytes : c.desired.cpuMilli));
      CHECK(v.used == (v.memory ? c.others.memoryBytes : c.others.cpuMilli));
      CHECK(v.capacity == (v.memory ? c.allocatable.memoryBytes : c.allocatable.cpuMilli));
    }
  }
}

TEST_CASE("PodResizeValidator (1.36+): requests above the node's allocatable are forbidden by the API server") {
  const api::ResourceList node{2000, 1024 * kMi};
  CHECK(validateResizeAgainstAllocatable("web", {1500, 512 * kMi}, node).empty());
  CHECK(validateResizeAgainstAllocatable("web", {500, 2048 * kMi}, node) ==
        "pods \"web\" is forbidden: node didn't have enough allocatable resources: memory, requested: 2147483648, allocatable: 1073741824");
  CHECK(validateResizeAgainstAllocatable("web", {2500, 2048 * kMi}, node) ==
        "pods \"web\" is forbidden: node didn't have enough allocatable resources: cpu, requested: 2500, allocatable: 2000; "
        "memory, requested: 2147483648, allocatable: 1073741824");
  CHECK(validateResizeAgainstAllocatable("web", {999999, 1LL << 40}, api::ResourceList{}).empty());
}

TEST_CASE("ValidatePodResize: QoS class, requests above limits, the 1.33 memory-limit rule, init containers by version") {
  const api::Pod burstable = onePod(res(250, 500, 128 * kMi, 256 * kMi));
  struct Case {
    const char* name;
    api::Pod pod;
    std::size_t container;
    api::ResourceRequirements patch;
    int minor;
    bool initResizable;
    std::vector<std::string> want;
  };
  api::Pod withInit = burstable;
  api::Container init;
  init.name = "setup";
  init.resources = res(100, 200, 64 * kMi, 64 * kMi);
  withInit.initContainers.push_back(init);
  api::Pod withRestartInit = withInit;
  withRestartInit.initContainers[0].cpuResizePolicy = ResizeRestartPolicy::RestartContainer;
  const std::vector<Case> cases = {
      {"cpu up, still Burstable", burstable, 0, res(400, 800, -1, -1), 37, true, {}},
      {"Burstable to Guaranteed", burstable, 0, res(500, 500, 256 * kMi, 256 * kMi), 37, true,
       {"spec: Invalid value: \"Burstable\": Pod QOS Class may not change as a result of resizing"}},
      {"request above the limit", burstable, 0, res(600, -1, -1, -1), 37, true,
       {"spec.containers[0].resources.requests: Invalid value: \"600m\": must be less than or equal to cpu limit of 500m"}},
      {"memory limit down under NotRequired, 1.33", burstable, 0, res(-1, -1, 64 * kMi, 128 * kMi), 33, false,
       {"spec.containers[0].resources.limits[memory]: Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer"}},
      {"memory limit down under NotRequired, 1.34", burstable, 0, res(-1, -1, 64 * kMi, 128 * kMi), 34, false, {}},
      {"memory limit down under RestartContainer, 1.33",
       onePod(res(250, 500, 128 * kMi, 256 * kMi), ResizeRestartPolicy::NotRequired, ResizeRestartPolicy::RestartContainer), 0,
       res(-1, -1, 64 * kMi, 128 * kMi), 33, false, {}},
      {"non-sidecar init container, 1.35", withInit, 0, res(150, -1, -1, -1), 35, false,
       {"spec: Forbidden: resources for non-sidecar init containers are immutable"}},
      {"non-sidecar init container, 1.36", withInit, 0, res(150, -1, -1, -1), 36, true, {}},
      {"non-sidecar init container with RestartContainer, 1.37", withRestartInit, 0, res(150, -1, -1, -1), 37, true,
       {"spec.initContainers[0]: Forbidden: non-sidecar init containers with a resize policy of RestartContainer cannot be resized"}},
      {"the regular container beside an init container", withInit, 1, res(400, -1, -1, -1), 35, false, {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(validatePodResize(c.pod, resized(c.pod, c.container, c.patch), c.container, {1, c.minor}, c.initResizable) == c.want);
  }
}

TEST_CASE("isPodResizeInProgress: only running resizable containers whose actuated resources differ count") {
  api::Pod pod = onePod(res(250, 500, 128, 256));
  api::Container init;
  init.name = "setup";
  pod.initContainers.push_back(init);
  RuntimePodStatus rt;
  rt.containers.resize(2);
  const std::vector<ContainerResources> allocated = {{0, 0, 0, 0}, {400, 500, 128, 256}};
  const std::vector<ContainerResources> actuatedOld = {{0, 0, 0, 0}, {250, 500, 128, 256}};
  CHECK_FALSE(isPodResizeInProgress(pod, allocated, actuatedOld, rt, false));  // nothing runs
  rt.containers[1].hasLatest = true;
  rt.containers[1].latest.state = ContainerState::Running;
  CHECK(isPodResizeInProgress(pod, allocated, actuatedOld, rt, false));
  CHECK_FALSE(isPodResizeInProgress(pod, allocated, allocated, rt, false));  // actuated
  rt.containers[1].latest.state = ContainerState::Exited;
  CHECK_FALSE(isPodResizeInProgress(pod, allocated, actuatedOld, rt, false));  // sized right when restarted
  // A running non-sidecar init container counts only when init containers are resizable (1.36+).
  rt.containers[0].hasLatest = true;
  rt.containers[0].latest.state = ContainerState::Running;
  const std::vector<ContainerResources> initAllocated = {{100, 0, 0, 0}, {250, 500, 128, 256}};
  CHECK_FALSE(isPodResizeInProgress(pod, initAllocated, actuatedOld, rt, false));
  CHECK(isPodResizeInProgress(pod, initAllocated, actuatedOld, rt, true));
  CHECK(isResizableContainer(pod, 1, false));
  CHECK_FALSE(isResizableContainer(pod, 0, false));
}

TEST_CASE("computePodActions: a resize restart kills a running container and starts it again, even under restartPolicy Never") {
  api::Pod pod = onePod(res(250, 500, 128, 256));
  pod.restartPolicy = api::RestartPolicy::Never;
  api::Container side;
  side.name = "proxy";
  side.restartPolicy = api::RestartPolicy::Always;
  pod.initContainers.push_back(side);
  RuntimePodStatus rt;
  rt.sandboxExists = rt.sandboxReady = true;
  rt.sandboxAttempt = 0;
  rt.containers.resize(2);
  for (auto& s : rt.containers) {
    s.hasLatest = true;
    s.latest.state = ContainerState::Running;
    s.latest.sandboxAttempt = 0;
  }
  std::vector<ContainerProbeResults> probes(2);
  PodActionsInputs in;
  in.pod = &pod;
  in.runtime = &rt;
  in.probes = &probes;
  PodActions out;
  computePodActions(in, out);
  CHECK(out.containersToKill.empty());
  CHECK(out.containersToStart.empty());

  const std::vector<std::uint8_t> regular = {0, 1};
  in.resizeRestart = &regular;
  computePodActions(in, out);
  REQUIRE(out.containersToKill.size() == 1);
  CHECK(out.containersToKill[0].container == 1);
  CHECK(out.containersToKill[0].reason == KillReason::ResizeRestart);
  CHECK_FALSE(out.containersToKill[0].willRestart);  // "Container app resize requires restart", no ", will be restarted"
  CHECK(out.containersToStart == std::vector<std::int32_t>{1});
  CHECK_FALSE(out.killPod);  // the restarting container keeps the pod alive

  const std::vector<std::uint8_t> sidecar = {1, 0};
  in.resizeRestart = &sidecar;
  computePodActions(in, out);
  REQUIRE(out.containersToKill.size() == 1);
  CHECK(out.containersToKill[0].container == 0);
  CHECK(out.containersToKill[0].reason == KillReason::ResizeRestart);
  CHECK(out.initContainersToStart == std::vector<std::int32_t>{0});
}
