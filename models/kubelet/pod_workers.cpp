// models/kubelet/pod_workers.cpp: the pod worker's requeue decision (see pod_workers.hpp).
#include "models/kubelet/pod_workers.hpp"

#include <algorithm>

namespace podsim::kubelet {

RequeuePlan requeuePlan(const SyncOutcome& outcome, const RequeuePolicy& policy, Time now) noexcept {
  RequeuePlan plan;
  if (policy.ideal) {
    if (!outcome.error) return plan;  // no periodic resync needed: every reaction is event-driven
    plan.requeue = true;
    plan.base = outcome.errorDue < sim::kForever ? std::max(outcome.errorDue, now) : now + kBackOffPeriod;
    if (outcome.pullFailedThisSync) plan.base = now;
    return plan;
  }
  plan.requeue = true;
  plan.draw = true;
  if (!outcome.error) {
    plan.base = now;  // syncFrequency 1m, jitter 0.5
    plan.jitterLow = kResyncInterval;
    plan.jitterHigh = kResyncInterval + kResyncInterval / 2;
  } else if (policy.backoffAwareRequeue && !outcome.plainError && outcome.errorDue < sim::kForever) {
    const Time d = std::min(std::max(outcome.errorDue - now, Time{0}), kResyncInterval);
    plan.base = now + d;
    plan.draw = d > 0;
    plan.jitterHigh = d / 2;
  } else {
    plan.base = now;  // backOffPeriod 10 s, jitter 0.5
    plan.jitterLow = kBackOffPeriod;
    plan.jitterHigh = kBackOffPeriod + kBackOffPeriod / 2;
  }
  return plan;
}

}  // namespace podsim::kubelet
