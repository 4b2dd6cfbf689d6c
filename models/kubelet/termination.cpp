// models/kubelet/termination.cpp: the grace-period rules (see termination.hpp).
#include "models/kubelet/termination.hpp"

namespace podsim::kubelet {

Time setTerminationGracePeriod(const api::Pod& pod, std::size_t container, KillReason reason, bool deleting,
                               Time deletionGrace) noexcept {
  if (deleting) return deletionGrace;
  const api::Container& spec = pod.container(container);
  if (reason == KillReason::StartupProbe && spec.startupProbe && spec.startupProbe->terminationGracePeriodSeconds >= 0) {
    return spec.startupProbe->terminationGracePeriodSeconds * sim::kSecond;
  }
  if (reason == KillReason::LivenessProbe && spec.livenessProbe && spec.livenessProbe->terminationGracePeriodSeconds >= 0) {
    return spec.livenessProbe->terminationGracePeriodSeconds * sim::kSecond;
  }
  return podGracePeriod(pod);
}

bool hasSidecars(const api::Pod& pod) noexcept {
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    if (pod.containerType(i) == api::ContainerType::Sidecar) return true;
  }
  return false;
}

}  // namespace podsim::kubelet
