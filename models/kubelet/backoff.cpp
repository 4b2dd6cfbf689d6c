// models/kubelet/backoff.cpp: back-off parameters per configuration and version.
#include "models/kubelet/backoff.hpp"

namespace podsim::kubelet {

// pkg/kubelet/kubelet.go newCrashLoopBackOff (KEP-4603: KubeletCrashLoopBackOffMax, ReduceDefaultCrashLoopBackOffDecay).
BackoffPolicy crashLoopBackOffPolicy(const KubeletConfig& config, const Features& features) {
  BackoffPolicy p;
  if (features.reduceDefaultCrashLoopBackOffDecay) {
    p.initial = 1 * sim::kSecond;
    p.max = 60 * sim::kSecond;
  }
  if (features.kubeletCrashLoopBackOffMax && config.maxContainerRestartPeriod > 0) {
    // A node's maxContainerRestartPeriod overrides the (reduced) max, even when larger.
    p.max = config.maxContainerRestartPeriod;
    if (p.max < p.initial) p.initial = p.max;
  }
  // Kubelets with HasExpiredFunc (~1.32+) reset after a fixed 600 s; before, after 2 x max.
  p.expiry = features.fixedBackoffExpiry ? 600 * sim::kSecond : 2 * p.max;
  return p;
}

BackoffPolicy imagePullBackOffPolicy() {
  return BackoffPolicy{10 * sim::kSecond, 300 * sim::kSecond, 600 * sim::kSecond};
}

}  // namespace podsim::kubelet
