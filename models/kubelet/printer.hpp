// models/kubelet/printer.hpp: the version-dependent pieces of kubectl's printPod (STATUS and RESTARTS).
//
// Owns: the "Completed" fix-up after the regular-container loop as each release has it, and the age shown
// in RESTARTS' "(Xs ago)". Does not own: the rest of printPod (models/kubelet/status.cpp), nor
// HumanDuration's formatting.
#pragma once

#include <string_view>

#include "models/kubelet/feature_gates.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

/// STATUS after printPod's loop over containerStatuses (reverse name order), when the loop left `reason`.
/// `errorReason` is the reason the loop computed for the last-visited (alphabetically first) container
/// terminated with a non-zero exit code ("" if none); `hasRunning`: some container running and ready;
/// `podReady`: condition Ready True.
/// - up to 1.34: "Completed" with hasRunning becomes "Running" (podReady) or "NotReady";
/// - from 1.35 (kubernetes PR #124766): "Completed" becomes "Running" (hasRunning and podReady), else the
///   errorReason when there is one (e.g. "Error"), else "NotReady" (hasRunning).
/// Any other reason passes unchanged.
/// Source: pkg/printers/internalversion/printers.go printPod (v1.34.3 vs v1.35.4; v1.36.3 and v1.37.2 equal
/// v1.35.4).
constexpr std::string_view printPodCompletedFixup(std::string_view reason, bool hasRunning, bool podReady,
                                                  std::string_view errorReason, KubernetesVersion version) noexcept {
  if (reason != "Completed") return reason;
  if (version < KubernetesVersion{1, 35}) {
    if (!hasRunning) return reason;
    return podReady ? std::string_view("Running") : std::string_view("NotReady");
  }
  if (hasRunning && podReady) return "Running";
  if (!errorReason.empty()) return errorReason;
  if (hasRunning) return "NotReady";
  return reason;
}

/// The duration printPod hands to HumanDuration for "(X ago)": now minus lastState.terminated.finishedAt as
/// the API holds it, i.e. truncated to whole seconds (metav1.Time is serialized in RFC3339 seconds), ns.
/// HumanDuration then truncates the result to whole seconds below 2 minutes.
/// Source: printers.go printPod / translateTimestampSince (v1.28..v1.37); apimachinery metav1.Time MarshalJSON.
constexpr sim::Time printPodRestartAge(sim::Time now, sim::Time finishedAt) noexcept {
  const sim::Time stored = finishedAt - finishedAt % sim::kSecond;  // finishedAt >= 0 in a simulation
  return now - stored;
}

}  // namespace podsim::kubelet
