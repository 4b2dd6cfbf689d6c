// models/kubelet/config.cpp: Features resolved from the one gate table (feature_gates.*), see config.hpp.
#include "models/kubelet/config.hpp"

#include "models/kubelet/feature_gates.hpp"

namespace podsim::kubelet {

Features resolveFeatures(KubernetesVersion v, const KubeletConfig& k) {
  const FeatureGateOverrides& o = k.featureGates;
  Features f;
  f.sidecarContainers = featureEnabled(Gate::SidecarContainers, v, o);
  f.sidecarTerminationOrdering = f.sidecarContainers && v >= KubernetesVersion{1, 29};
  f.podReadyToStartContainersCondition = featureEnabled(Gate::PodReadyToStartContainersCondition, v, o);
  f.podReadyToStartContainersOnSandboxReady = f.podReadyToStartContainersCondition && v >= KubernetesVersion{1, 36};
  f.kubeletCrashLoopBackOffMax = featureEnabled(Gate::KubeletCrashLoopBackOffMax, v, o);
  f.reduceDefaultCrashLoopBackOffDecay =
      k.reduceDefaultCrashLoopBackOffDecay || featureEnabled(Gate::ReduceDefaultCrashLoopBackOffDecay, v, o);
  f.podLifecycleSleepAction = featureEnabled(Gate::PodLifecycleSleepAction, v, o);
  f.containerRestartRules = featureEnabled(Gate::ContainerRestartRules, v, o);
  f.restartAllContainers = f.containerRestartRules && featureEnabled(Gate::RestartAllContainersOnContainerExits, v, o);
  f.backoffAwareRequeue = v >= KubernetesVersion{1, 35};
  f.fixedBackoffExpiry = v >= KubernetesVersion{1, 32};
  f.anyActiveRegularContainerInitializes = v >= KubernetesVersion{1, 37};
  return f;
}

}  // namespace podsim::kubelet
