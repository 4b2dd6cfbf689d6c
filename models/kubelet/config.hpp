// models/kubelet/config.hpp: the kubelet's configuration, its Kubernetes version and its feature gates.
//
// Owns KubeletConfig (the KubeletConfiguration fields the model reads), KubernetesVersion, and Features: the
// behaviours of one run resolved from the gate table (models/kubelet/feature_gates.*, the ONE table) and
// `spec.kubelet.featureGates`. The engine asks Features, never the version.
// Does not read YAML (models/scenario/scenario_spec.cpp does) and holds no state of a run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace podsim::kubelet {

/// A Kubernetes minor version, e.g. 1.37 (the default: the newest release podsim models). Rules that
/// changed between versions follow it.
struct KubernetesVersion {
  int major = 1;
  int minor = 37;
  friend constexpr auto operator<=>(const KubernetesVersion&, const KubernetesVersion&) = default;
};

/// KubeletConfiguration fields the model reads, with their defaults (pkg/kubelet/apis/config/v1beta1/defaults.go).
struct KubeletConfig {
  bool serializeImagePulls = true;
  std::int32_t maxParallelImagePulls = 0;  // 0: unset
  /// `crashLoopBackOff.maxContainerRestartPeriod` in ns; -1 when unset (KubeletCrashLoopBackOffMax).
  sim::Time maxContainerRestartPeriod = -1;
  /// Feature gate ReduceDefaultCrashLoopBackOffDecay (alpha 1.33, off): 1 s initial, 60 s max.
  bool reduceDefaultCrashLoopBackOffDecay = false;
  /// Other feature gates by name, in the order written (value true/false).
  std::vector<std::pair<std::string, bool>> featureGates;
};

/// The behaviours that changed between versions, resolved for one scenario. Gates: featureEnabled of
/// feature_gates.hpp (pkg/features/kube_features.go of the release, then the scenario's overrides).
struct Features {
  bool sidecarContainers = true;                   // SidecarContainers: alpha 1.28, beta 1.29, GA 1.33
  /// killContainersWithSyncResult orders a sidecar pod's kills (sidecars after the regular containers, in
  /// reverse order) only from 1.29 and with SidecarContainers on; v1.28.15 kills every container at once.
  /// Source: pkg/kubelet/kuberuntime/kuberuntime_container.go killContainersWithSyncResult (v1.28.15 has no
  /// terminationOrdering; v1.29.15 newTerminationOrdering under the gate).
  bool sidecarTerminationOrdering = true;
  bool podReadyToStartContainersCondition = true;  // alpha 1.28 (PodHasNetwork 1.25), beta 1.29
  /// PodReadyToStartContainers turns True as soon as the sandbox is ready, before image pulls (the
  /// OnPodSandboxReady callback, v1.36.3+, under PodReadyToStartContainersCondition); before 1.36 at the
  /// next status generation. Source: pkg/kubelet/kubelet.go OnPodSandboxReady.
  bool podReadyToStartContainersOnSandboxReady = true;
  bool kubeletCrashLoopBackOffMax = true;          // alpha 1.32, beta 1.35
  bool reduceDefaultCrashLoopBackOffDecay = false; // alpha 1.33
  bool podLifecycleSleepAction = true;             // alpha 1.29, beta 1.30, GA 1.34
  bool containerRestartRules = true;               // ContainerRestartRules: alpha 1.34, beta 1.35 (KEP-5307)
  bool restartAllContainers = true;                // RestartAllContainersOnContainerExits: alpha 1.35, beta 1.36
  bool backoffAwareRequeue = true;                 // pod-worker requeue at back-off expiry, PR #133066 (~1.35)
  bool fixedBackoffExpiry = true;                  // crash-loop entries expire after 600 s (HasExpiredFunc, ~1.32)
  /// computeInitContainerActions counts any regular container status of the current sandbox (Exited
  /// included) as "initialized": kuberuntime_container.go HasAnyActiveRegularContainerStarted (v1.37.2;
  /// v1.34.3..v1.36.3 count only Created and Running ones, hasAnyRegularContainerCreated).
  bool anyActiveRegularContainerInitializes = true;
};

/// Resolves the features for a version and the scenario's explicit gates (featureEnabled of each gate;
/// an override of a gate the release does not know is ignored, the loader reports it). The version must
/// be supported (isSupportedVersion); throws std::invalid_argument otherwise (feature_gates.hpp gateSpec).
Features resolveFeatures(KubernetesVersion version, const KubeletConfig& kubelet);

}  // namespace podsim::kubelet
