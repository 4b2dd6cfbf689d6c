// models/kubelet/active_deadline.hpp: `spec.activeDeadlineSeconds` as the kubelet enforces it.
//
// Owns: pastActiveDeadline, the status and Event it produces, and when the deadline is next due (pure).
// Does not own: scheduling the check or killing the containers (the engine acts on ShouldEvict).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/time.hpp"

namespace podsim::kubelet {

/// The status.reason and Event reason the handler sets. Source: pkg/kubelet/active_deadline.go `reason`.
inline constexpr std::string_view kDeadlineExceededReason = "DeadlineExceeded";
/// The status.message and Event message. Source: pkg/kubelet/active_deadline.go `message`.
inline constexpr std::string_view kDeadlineExceededMessage =
    "Pod was active on the node longer than the specified deadline";

/// Whether `now - startTime >= activeDeadlineSeconds` (ns). No deadline, or no status.startTime yet (the
/// kubelet sets it at the first sync), is never past. Source: pkg/kubelet/active_deadline.go
/// (*activeDeadlineHandler).pastActiveDeadline (identical v1.28.15..v1.37.2).
/// Simplification: startTime is the simulated ns value; the API stores it truncated to whole seconds
/// (metav1.Time), which the caller applies if it models the round trip.
constexpr bool pastActiveDeadline(std::optional<std::int64_t> activeDeadlineSeconds, std::optional<sim::Time> startTime,
                                  sim::Time now) noexcept {
  if (!activeDeadlineSeconds || !startTime) return false;
  return now - *startTime >= *activeDeadlineSeconds * sim::kSecond;
}

/// The first simulated instant at which pastActiveDeadline turns true (startTime + deadline), or nullopt.
/// The kubelet has no timer for it: it checks on every sync of the pod (ShouldSync, from the syncLoop's
/// 1 s sync ticker via getPodsToSync, and ShouldEvict in SyncPod), so the engine must sync the pod at the
/// first sync-ticker tick at or after this instant. Source: pkg/kubelet/kubelet.go getPodsToSync (the
/// PodSyncLoopHandlers) and kubelet_pods.go generateAPIPodStatus (PodSyncHandlers ShouldEvict).
constexpr std::optional<sim::Time> activeDeadlineDue(std::optional<std::int64_t> activeDeadlineSeconds,
                                                     std::optional<sim::Time> startTime) noexcept {
  if (!activeDeadlineSeconds || !startTime) return std::nullopt;
  return *startTime + *activeDeadlineSeconds * sim::kSecond;
}

/// What ShouldEvict answers once the deadline has passed. generateAPIPodStatus (kubelet_pods.go) calls it at
/// every status generation of the pod and then sets phase Failed, reason and message; each such call records
/// a Normal Event with the same reason and message. SyncPod sees the terminal phase and the pod worker
/// terminates the pod (spec grace period, preStop runs); mergePodStatus keeps the old phase until no
/// container may still run (status_merge.hpp).
struct ShouldEvictResponse {
  bool evict = false;
  std::string_view reason;
  std::string_view message;
};

/// Source: pkg/kubelet/active_deadline.go (*activeDeadlineHandler).ShouldEvict.
constexpr ShouldEvictResponse activeDeadlineShouldEvict(std::optional<std::int64_t> activeDeadlineSeconds,
                                                        std::optional<sim::Time> startTime, sim::Time now) noexcept {
  if (!pastActiveDeadline(activeDeadlineSeconds, startTime, now)) return {};
  return {true, kDeadlineExceededReason, kDeadlineExceededMessage};
}

}  // namespace podsim::kubelet
