// models/kubelet/readiness_gates.hpp: pod readiness gates (spec.readinessGates): the pod's Ready condition
// as the kubelet generates it from ContainersReady and the conditions that outside controllers set.
//
// Owns: the 2-bit encoding of those conditions (ApiPodStatus::customConditions), GeneratePodReadyCondition,
// its message, and NeedToReconcilePodReadiness (when a status change from the API makes the kubelet sync).
// Does not own: ContainersReady (status.cpp), who sets the conditions (the `setPodCondition` action,
// models/engine/actions.ipp), their names (Scenario::podConditionTypes).
// Pure functions, no clock: tested by tables (tests/test_readiness_gates.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/api/types.hpp"
#include "models/kubelet/api_status.hpp"

namespace podsim::kubelet {

/// The status of a condition set outside the kubelet (v1.ConditionStatus), or Absent (not in the status).
enum class CustomConditionStatus : std::uint8_t { Absent = 0, True = 1, False = 2, Unknown = 3 };

/// How many distinct condition types a scenario's pods may have set outside the kubelet (2 bits each in
/// a uint32). podsim's own limit; the API has none.
inline constexpr std::size_t kMaxCustomConditionTypes = 16;

/// The API's spelling ("True", "False", "Unknown"; "" for Absent).
std::string_view toString(CustomConditionStatus s) noexcept;

/// The status of slot `slot` (< kMaxCustomConditionTypes) in `bits`.
constexpr CustomConditionStatus customCondition(std::uint32_t bits, std::size_t slot) noexcept {
  return static_cast<CustomConditionStatus>((bits >> (2 * slot)) & 3U);
}

/// `bits` with slot `slot` set to `s`.
constexpr std::uint32_t withCustomCondition(std::uint32_t bits, std::size_t slot, CustomConditionStatus s) noexcept {
  return (bits & ~(3U << (2 * slot))) | (static_cast<std::uint32_t>(s) << (2 * slot));
}

/// The pod's Ready condition: ContainersReady's status and reason when it is not True; else False with reason
/// ReadinessGatesNotReady when some gate's condition is absent or not True; else True. A pod without gates
/// gets `containersReady` back at the cost of one test. `custom`: ApiPodStatus::customConditions.
/// Source: pkg/kubelet/status/generate.go GeneratePodReadyCondition (v1.28.15 and v1.37.2: the same rule).
PodCondition GeneratePodReadyCondition(const api::Pod& pod, const PodCondition& containersReady, std::uint32_t custom);

/// The Ready condition's message for the gates (only meaningful when ContainersReady is True): one part per
/// gate not met, joined by ", ": `corresponding condition of pod readiness gate "X" does not exist.` or
/// `the status of pod readiness gate "X" is not "True", but False`; "" when every gate is met.
/// Source: pkg/kubelet/status/generate.go GeneratePodReadyCondition (unreadyMessages).
std::string readinessGatesMessage(const api::Pod& pod, std::uint32_t custom);

/// Whether the kubelet syncs the pod after its status changed in the API (HandlePodReconcile): the pod has
/// readiness gates, its status has a Ready condition, and GeneratePodReadyCondition over the API's status
/// (conditions `customNow`) gives another status or message than the Ready condition it holds, which the
/// kubelet generated from `customBefore`. Source: pkg/kubelet/status/status_manager.go
/// NeedToReconcilePodReadiness; pkg/kubelet/kubelet.go HandlePodReconcile (v1.28.15, v1.37.2).
bool NeedToReconcilePodReadiness(const api::Pod& pod, const ApiPodStatus& status, std::uint32_t customBefore,
                                 std::uint32_t customNow);

}  // namespace podsim::kubelet
