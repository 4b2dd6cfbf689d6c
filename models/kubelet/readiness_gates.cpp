// models/kubelet/readiness_gates.cpp: see readiness_gates.hpp.
#include "models/kubelet/readiness_gates.hpp"

namespace podsim::kubelet {

std::string_view toString(CustomConditionStatus s) noexcept {
  switch (s) {
    case CustomConditionStatus::True: return "True";
    case CustomConditionStatus::False: return "False";
    case CustomConditionStatus::Unknown: return "Unknown";
    case CustomConditionStatus::Absent: break;
  }
  return "";
}

// pkg/kubelet/status/generate.go GeneratePodReadyCondition.
PodCondition GeneratePodReadyCondition(const api::Pod& pod, const PodCondition& containersReady, std::uint32_t custom) {
  // If the status of ContainersReady is not True, return the same status, reason and message as ContainersReady.
  if (pod.readinessGates.empty() || !containersReady.status) return containersReady;
  for (const api::ReadinessGate& g : pod.readinessGates) {
    if (customCondition(custom, g.slot) != CustomConditionStatus::True) return {true, false, api::Reason::ReadinessGatesNotReady};
  }
  return containersReady;
}

std::string readinessGatesMessage(const api::Pod& pod, std::uint32_t custom) {
  std::string m;
  for (const api::ReadinessGate& g : pod.readinessGates) {
    const CustomConditionStatus s = customCondition(custom, g.slot);
    if (s == CustomConditionStatus::True) continue;
    if (!m.empty()) m += ", ";
    if (s == CustomConditionStatus::Absent) {
      m += "corresponding condition of pod readiness gate \"" + g.conditionType + "\" does not exist.";
    } else {
      m += "the status of pod readiness gate \"" + g.conditionType + "\" is not \"True\", but " + std::string(toString(s));
    }
  }
  return m;
}

// pkg/kubelet/status/status_manager.go NeedToReconcilePodReadiness.
bool NeedToReconcilePodReadiness(const api::Pod& pod, const ApiPodStatus& status, std::uint32_t customBefore,
                                 std::uint32_t customNow) {
  if (pod.readinessGates.empty()) return false;
  const PodCondition& current = status.condition(ConditionType::Ready);
  // Only reconcile if "Ready" condition is present and Status or Message is not expected.
  if (!current.present) return false;
  const PodCondition& containersReady = status.condition(ConditionType::ContainersReady);
  const PodCondition expected = GeneratePodReadyCondition(pod, containersReady, customNow);
  if (expected.status != current.status) return true;
  // The message of a Ready condition that is not ContainersReady's: the gates' (else both are ContainersReady's).
  if (!containersReady.status) return false;
  return readinessGatesMessage(pod, customBefore) != readinessGatesMessage(pod, customNow);
}

}  // namespace podsim::kubelet
