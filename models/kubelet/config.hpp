// models/kubelet/config.hpp: the kubelet's configuration, its Kubernetes version and its feature gates.
//
// Owns KubeletConfig (the KubeletConfiguration fields the model reads), KubernetesVersion, and the
// feature-gate table of kubelet-semantics §16: each gate's default by Kubernetes version, overridden by
// `spec.kubelet.featureGates`. The engine and the scenario reader ask Features, never the version.
// Does not read YAML (models/scenario/scenario_spec.cpp does) and holds no state of a run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace podsim::kubelet {

/// A Kubernetes minor version, e.g. 1.35. Rules that changed between versions follow it.
struct KubernetesVersion {
  int major = 1;
  int minor = 35;
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

/// The behaviours that changed between versions, resolved for one scenario.
struct Features {
  bool sidecarContainers = true;                   // SidecarContainers: alpha 1.28, beta 1.29, GA 1.33
  bool podReadyToStartContainersCondition = true;  // alpha 1.28 (PodHasNetwork 1.25), beta 1.29
  bool kubeletCrashLoopBackOffMax = true;          // alpha 1.32, beta 1.35
  bool reduceDefaultCrashLoopBackOffDecay = false; // alpha 1.33
  bool podLifecycleSleepAction = true;             // alpha 1.29, beta 1.30, GA 1.34
  bool backoffAwareRequeue = true;                 // pod-worker requeue at back-off expiry, PR #133066 (~1.35)
  bool fixedBackoffExpiry = true;                  // crash-loop entries expire after 600 s (HasExpiredFunc, ~1.32)
};

/// One feature gate: its name, the version it appeared in, and the version it became on by default
/// (0.0 when it is off by default in every version podsim knows).
struct FeatureGateInfo {
  std::string_view name;
  KubernetesVersion alpha;
  KubernetesVersion onByDefault;
};

/// The gates podsim knows, in alphabetical order. Source: kubelet-semantics §16; kubernetes/website
/// feature-gates pages (pkg/features/kube_features.go defaultVersionedKubernetesFeatureGates).
const std::vector<FeatureGateInfo>& knownFeatureGates();

/// Resolves the features for a version and the scenario's explicit gates. A gate set explicitly to
/// true in a version before it existed is honoured as written (the caller validates). Never throws.
Features resolveFeatures(KubernetesVersion version, const KubeletConfig& kubelet);

}  // namespace podsim::kubelet
