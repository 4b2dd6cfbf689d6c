// models/kubelet/resize.cpp: in-place pod resize decisions (see resize.hpp for the sources).
#include "models/kubelet/resize.hpp"

#include <string>

#include "models/api/helpers.hpp"
#include "models/api/quantity.hpp"

namespace podsim::kubelet {

namespace {

std::string versionText(KubernetesVersion v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

std::string containerPath(const api::Pod& pod, std::size_t i) {
  return i < pod.initContainers.size() ? "spec.initContainers[" + std::to_string(i) + "]"
                                       : "spec.containers[" + std::to_string(i - pod.initContainers.size()) + "]";
}

}  // namespace

ResizeSupport resizeSupport(KubernetesVersion version, const FeatureGateOverrides& gates) {
  if (!featureEnabled(Gate::InPlacePodVerticalScaling, version, gates)) return ResizeSupport::NoSubresource;
  if (version < KubernetesVersion{1, 33}) return ResizeSupport::AlphaNotModelled;
  return ResizeSupport::Supported;
}

std::string resizeUnsupportedMessage(ResizeSupport support, KubernetesVersion version) {
  const std::string v = versionText(version);
  switch (support) {
    case ResizeSupport::NoSubresource:
      return "the Kubernetes " + v + " API server has no pods/resize subresource (InPlacePodVerticalScaling is off" +
             (version < KubernetesVersion{1, 32} ? "; the subresource exists from 1.32" : "") +
             "): kubectl patch --subresource resize gets \"Error from server (NotFound): the server could not find the "
             "requested resource\"; use kubernetesVersion \"1.33\" or later";
    case ResizeSupport::AlphaNotModelled:
      return "in-place resize in Kubernetes " + v +
             " is the alpha of InPlacePodVerticalScaling (status.resize, no PodResize conditions), which podsim does "
             "not model; use kubernetesVersion \"1.33\" or later";
    case ResizeSupport::Supported: break;
  }
  return "";
}

ContainerResources containerResourcesFromRequirements(const api::ResourceRequirements& r) noexcept {
  auto v = [](std::int64_t x) { return x < 0 ? 0 : x; };
  return {v(r.requests.cpuMilli), v(r.limits.cpuMilli), v(r.requests.memoryBytes), v(r.limits.memoryBytes)};
}

api::ResourceRequirements applyResize(const api::ResourceRequirements& old, const api::ResourceRequirements& patch) noexcept {
  api::ResourceRequirements r = old;
  if (patch.requests.cpuMilli >= 0) r.requests.cpuMilli = patch.requests.cpuMilli;
  if (patch.requests.memoryBytes >= 0) r.requests.memoryBytes = patch.requests.memoryBytes;
  if (patch.limits.cpuMilli >= 0) r.limits.cpuMilli = patch.limits.cpuMilli;
  if (patch.limits.memoryBytes >= 0) r.limits.memoryBytes = patch.limits.memoryBytes;
  return r;
}

bool isResizableContainer(const api::Pod& pod, std::size_t i, bool initContainersResizable) noexcept {
  return pod.containerType(i) != api::ContainerType::Init || initContainersResizable;
}

std::vector<std::string> validatePodResize(const api::Pod& oldPod, const api::Pod& newPod, std::size_t container,
                                           KubernetesVersion version, bool initContainersResizable) {
  std::vector<std::string> errs;
  const api::Container& oldC = oldPod.container(container);
  const api::Container& newC = newPod.container(container);
  const std::string cpath = containerPath(newPod, container);
  // validatePodMetadataAndSpec -> ValidateContainerResourceRequirements: a request above its limit.
  const auto& nr = newC.resources;
  if (nr.limits.cpuMilli >= 0 && nr.requests.cpuMilli > nr.limits.cpuMilli) {
    errs.push_back(cpath + ".resources.requests: Invalid value: \"" + api::canonicalQuantity(nr.requests.cpuMilli, 3, "") +
                   "\": must be less than or equal to cpu limit of " + api::canonicalQuantity(nr.limits.cpuMilli, 3, ""));
  }
  if (nr.limits.memoryBytes >= 0 && nr.requests.memoryBytes > nr.limits.memoryBytes) {
    errs.push_back(cpath + ".resources.requests: Invalid value: \"" + api::canonicalQuantity(nr.requests.memoryBytes, 0, "Mi") +
                   "\": must be less than or equal to memory limit of " + api::canonicalQuantity(nr.limits.memoryBytes, 0, "Mi"));
  }
  // Part 1: the QoS class may not change (the value shown is the pod's current status.qosClass).
  const api::PodQOSClass oldQos = api::GetPodQOS(oldPod);
  if (oldQos != api::GetPodQOS(newPod)) {
    errs.push_back(std::string("spec: Invalid value: \"") + api::apiName(oldQos) +
                   "\": Pod QOS Class may not change as a result of resizing");
  }
  const bool init = oldPod.containerType(container) == api::ContainerType::Init;
  if (!init || initContainersResizable) {
    // validateContainerResize: v1.33.13 only, memory limits may not shrink (nor appear) under NotRequired.
    if (version == KubernetesVersion{1, 33} && newC.memoryResizePolicy == api::ResizeRestartPolicy::NotRequired) {
      const std::string lp = cpath + ".resources.limits[memory]: Forbidden: ";
      if (oldC.resources.limits.memoryBytes >= 0 && nr.limits.memoryBytes >= 0 &&
          nr.limits.memoryBytes < oldC.resources.limits.memoryBytes) {
        errs.push_back(lp + "memory limits cannot be decreased unless resizePolicy is RestartContainer");
      } else if (oldC.resources.limits.memoryBytes < 0 && nr.limits.memoryBytes >= 0) {
        errs.push_back(lp + "memory limits cannot be added unless resizePolicy is RestartContainer");
      }
    }
  }
  if (init) {
    if (!initContainersResizable) {
      errs.emplace_back("spec: Forbidden: resources for non-sidecar init containers are immutable");
    } else if (newC.cpuResizePolicy == api::ResizeRestartPolicy::RestartContainer ||
               newC.memoryResizePolicy == api::ResizeRestartPolicy::RestartContainer) {
      errs.push_back(cpath + ": Forbidden: non-sidecar init containers with a resize policy of RestartContainer cannot be resized");
    }
  }
  return errs;
}

std::string validateResizeAgainstAllocatable(const std::string& podName, const cluster::Resources& requests,
                                             const api::ResourceList& allocatable) {
  std::string msg;
  if (allocatable.cpuMilli >= 0 && requests.cpuMilli > allocatable.cpuMilli) {
    msg = "cpu, requested: " + std::to_string(requests.cpuMilli) + ", allocatable: " + std::to_string(allocatable.cpuMilli);
  }
  if (allocatable.memoryBytes >= 0 && requests.memoryBytes > allocatable.memoryBytes) {
    if (!msg.empty()) msg += "; ";
    msg += "memory, requested: " + std::to_string(requests.memoryBytes) + ", allocatable: " + std::to_string(allocatable.memoryBytes);
  }
  if (msg.empty()) return "";
  return "pods \"" + podName + "\" is forbidden: node didn't have enough allocatable resources: " + msg;
}

ResizeVerdict canResizePod(const ResizeFitInputs& in) {
  const auto& a = in.allocatable;
  if (in.version < KubernetesVersion{1, 36}) {
    const bool cpuOver = a.cpuMilli >= 0 && in.desired.cpuMilli > a.cpuMilli;
    const bool memOver = a.memoryBytes >= 0 && in.desired.memoryBytes > a.memoryBytes;
    if (cpuOver || memOver) {
      const std::int64_t req = memOver ? in.desired.memoryBytes : in.desired.cpuMilli;
      const std::int64_t cap = memOver ? a.memoryBytes : a.cpuMilli;
      const std::string m = std::string(memOver ? "memory" : "cpu") + ", requested: " + std::to_string(req) + ", capacity: " + std::to_string(cap);
      return {ResizeDecision::Infeasible, "Node didn't have enough capacity: " + m, memOver, req, 0, cap};
    }
  }
  // The predicate admit handler (noderesources fitsRequest order: cpu, then memory; the first one wins).
  auto deferred = [](bool memory, std::int64_t req, std::int64_t used, std::int64_t cap) {
    return ResizeVerdict{ResizeDecision::Deferred,
                         std::string("Node didn't have enough resource: ") + (memory ? "memory" : "cpu") + ", requested: " +
                             std::to_string(req) + ", used: " + std::to_string(used) + ", capacity: " + std::to_string(cap),
                         memory, req, used, cap};
  };
  if (a.cpuMilli >= 0 && in.desired.cpuMilli > 0 && in.desired.cpuMilli > a.cpuMilli - in.others.cpuMilli) {
    return deferred(false, in.desired.cpuMilli, in.others.cpuMilli, a.cpuMilli);
  }
  if (a.memoryBytes >= 0 && in.desired.memoryBytes > 0 && in.desired.memoryBytes > a.memoryBytes - in.others.memoryBytes) {
    return deferred(true, in.desired.memoryBytes, in.others.memoryBytes, a.memoryBytes);
  }
  return {};
}

ResizeAction computePodResizeAction(const api::Container& c, const ContainerResources& desired,
                                    const ContainerResources& actuated) noexcept {
  if (desired == actuated) return ResizeAction::None;
  const bool cpuChanged = desired.cpuRequest != actuated.cpuRequest || desired.cpuLimit != actuated.cpuLimit;
  const bool memChanged = desired.memoryRequest != actuated.memoryRequest || desired.memoryLimit != actuated.memoryLimit;
  if ((cpuChanged && c.cpuResizePolicy == api::ResizeRestartPolicy::RestartContainer) ||
      (memChanged && c.memoryResizePolicy == api::ResizeRestartPolicy::RestartContainer)) {
    return ResizeAction::Restart;
  }
  return ResizeAction::UpdateInPlace;
}

bool isPodResizeInProgress(const api::Pod& pod, const std::vector<ContainerResources>& allocated,
                           const std::vector<ContainerResources>& actuated, const RuntimePodStatus& runtime,
                           bool initContainersResizable) {
  for (std::size_t i = 0; i < pod.containerCount() && i < runtime.containers.size(); ++i) {
    if (!isResizableContainer(pod, i, initContainersResizable)) continue;
    const RuntimeContainerSlot& s = runtime.containers[i];
    if (!s.hasLatest || s.latest.state != ContainerState::Running) continue;  // sized right when (re)started
    if (!(allocated[i] == actuated[i])) return true;
  }
  return false;
}

}  // namespace podsim::kubelet
