// models/kubelet/config.cpp: the feature-gate table and its resolution (see config.hpp).
#include "models/kubelet/config.hpp"

namespace podsim::kubelet {

const std::vector<FeatureGateInfo>& knownFeatureGates() {
  static const std::vector<FeatureGateInfo> gates = {
      {"KubeletCrashLoopBackOffMax", {1, 32}, {1, 35}},
      {"PodLifecycleSleepAction", {1, 29}, {1, 30}},
      {"PodReadyToStartContainersCondition", {1, 28}, {1, 29}},
      {"ReduceDefaultCrashLoopBackOffDecay", {1, 33}, {0, 0}},
      {"SidecarContainers", {1, 28}, {1, 29}},
  };
  return gates;
}

namespace {
bool gate(std::string_view name, KubernetesVersion v, const KubeletConfig& k) {
  for (const auto& [n, on] : k.featureGates) {
    if (n == name) return on;
  }
  for (const auto& g : knownFeatureGates()) {
    if (g.name == name) return g.onByDefault.major != 0 && v >= g.onByDefault;
  }
  return false;
}
}  // namespace

Features resolveFeatures(KubernetesVersion v, const KubeletConfig& k) {
  Features f;
  f.sidecarContainers = gate("SidecarContainers", v, k);
  f.podReadyToStartContainersCondition = gate("PodReadyToStartContainersCondition", v, k);
  f.kubeletCrashLoopBackOffMax = gate("KubeletCrashLoopBackOffMax", v, k);
  f.reduceDefaultCrashLoopBackOffDecay = k.reduceDefaultCrashLoopBackOffDecay || gate("ReduceDefaultCrashLoopBackOffDecay", v, k);
  f.podLifecycleSleepAction = gate("PodLifecycleSleepAction", v, k);
  f.backoffAwareRequeue = v >= KubernetesVersion{1, 35};
  f.fixedBackoffExpiry = v >= KubernetesVersion{1, 32};
  return f;
}

}  // namespace podsim::kubelet
