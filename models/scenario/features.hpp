// models/scenario/features.hpp: which version-dependent kubelet behaviours apply to a scenario.
//
// Owns the feature-gate table of kubelet-semantics §16: each gate's default by Kubernetes version,
// overridden by `spec.kubelet.featureGates`. The engine and the loader ask this, never the version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace podsim::scenario {

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
/// feature-gates pages.
const std::vector<FeatureGateInfo>& knownFeatureGates();

/// Resolves the features for a version and the scenario's explicit gates. A gate set explicitly to
/// true in a version before it existed is honoured as written (the caller validates).
Features resolveFeatures(KubernetesVersion version, const KubeletConfig& kubelet);

}  // namespace podsim::scenario
