// models/kubelet/pod_workers.hpp: the pod worker's decisions (pkg/kubelet/pod_workers.go) as pure
// functions: when the work queue hands a pod back after a sync, and whether a phase is terminal.
//
// Owns: the requeue delay of completeWork (resync, back-off, back-off-aware requeue) with its random
// jitter passed in as a value. Does not own: the queue, the sync ticker's grid or the random stream
// (models/engine/pod_worker.ipp draws and schedules).
#pragma once

#include <algorithm>
#include <cstdint>

#include "models/api/reason.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// Whether a pod phase is terminal (Succeeded or Failed). Source: pkg/api/v1/pod/util.go IsPodPhaseTerminal.
[[nodiscard]] constexpr bool isPodPhaseTerminal(api::PodPhase p) noexcept {
  return p == api::PodPhase::Succeeded || p == api::PodPhase::Failed;
}

/// pod_workers.go resyncInterval (kubelet --sync-frequency, 1 min) and backOffPeriod (10 s), ns.
inline constexpr Time kResyncInterval = 60 * sim::kSecond;
inline constexpr Time kBackOffPeriod = 10 * sim::kSecond;

/// What ended the sync, as completeWork sees it.
struct SyncOutcome {
  bool error = false;           // the sync returned an error
  bool plainError = false;      // an error that carries no back-off expiration (not a crash-loop back-off)
  Time errorDue = sim::kForever;  // the earliest back-off expiry the error carries (ns), kForever: none
  bool pullFailedThisSync = false;  // an image pull failed in this sync (ideal timing looks again at once)
};

/// How the kubelet's version and timing shape the requeue.
struct RequeuePolicy {
  bool ideal = false;               // timing: ideal (no jitter, no periodic resync)
  bool backoffAwareRequeue = true;  // >= 1.35 (PR #133066): requeue at the back-off's expiry
};

/// The requeue before its jitter: no requeue, or `base` plus a uniform draw in [jitterLow, jitterHigh)
/// (ns) when `draw` (wait.Jitter), else `base` exactly.
struct RequeuePlan {
  bool requeue = false;
  Time base = 0;
  bool draw = false;
  Time jitterLow = 0;
  Time jitterHigh = 0;
};

/// completeWork's requeue delay at time `now` (ns). In ideal timing: none without an error; else exactly
/// at the earliest back-off expiry, or backOffPeriod for an error without one, or at once after a failed
/// pull (so ImagePullBackOff shows for the wait). In kubelet timing: resyncInterval x U[1, 1.5) without an
/// error; with backoffAwareRequeue and a back-off error, its expiry (clamped to [0, resyncInterval]) x
/// U[1, 1.5); else backOffPeriod x U[1, 1.5). Source: pkg/kubelet/pod_workers.go completeWork.
[[nodiscard]] inline RequeuePlan requeuePlan(const SyncOutcome& outcome, const RequeuePolicy& policy, Time now) noexcept {
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

/// The requeue time (ns) of a plan and its jitter draw `jitter` (a value in [jitterLow, jitterHigh), or
/// anything when the plan does not draw). Meaningless when !plan.requeue.
[[nodiscard]] constexpr Time requeueAt(const RequeuePlan& plan, Time jitter) noexcept {
  return plan.base + (plan.draw ? jitter : 0);
}

}  // namespace podsim::kubelet
