// models/kubelet/printer.hpp: the version-dependent pieces of kubectl's printPod (STATUS and RESTARTS).
//
// Owns: the "Completed" fix-up after the regular-container loop as each release has it, and the age shown
// in RESTARTS' "(Xs ago)". Does not own: the rest of printPod (models/kubelet/status.cpp), nor
// HumanDuration's formatting.
#pragma once

#include <cstdint>
#include <string_view>

#include "models/kubelet/feature_gates.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

/// What printPod does with STATUS after its loop over containerStatuses when the loop left "Completed".
enum class CompletedFixup : std::uint8_t {
  Keep,         // STATUS stays "Completed"
  Running,      // "Running"
  NotReady,     // "NotReady"
  ErrorReason,  // the errorReason (the reason printed for a container terminated with a non-zero exit code)
};

/// The decision of printPod's "Completed" fix-up. `hasRunning`: some container running and ready;
/// `podReady`: condition Ready True; `hasErrorReason`: the loop met a container terminated with exitCode != 0.
/// - up to 1.34: with hasRunning, "Running" (podReady) or "NotReady"; else kept;
/// - from 1.35 (kubernetes PR #124766): "Running" (hasRunning and podReady), else the errorReason when there
///   is one (e.g. "Error"), else "NotReady" (hasRunning), else kept.
/// Source: pkg/printers/internalversion/printers.go printPod (v1.34.3 vs v1.35.4; v1.36.3 and v1.37.2 equal
/// v1.35.4).
constexpr CompletedFixup printPodCompletedFixupAction(bool hasRunning, bool podReady, bool hasErrorReason,
                                                      KubernetesVersion version) noexcept {
  if (version < KubernetesVersion{1, 35}) {
    if (!hasRunning) return CompletedFixup::Keep;
    return podReady ? CompletedFixup::Running : CompletedFixup::NotReady;
  }
  if (hasRunning && podReady) return CompletedFixup::Running;
  if (hasErrorReason) return CompletedFixup::ErrorReason;
  if (hasRunning) return CompletedFixup::NotReady;
  return CompletedFixup::Keep;
}

/// STATUS after printPod's loop over containerStatuses (reverse name order), when the loop left `reason`.
/// `errorReason` is the reason the loop computed for the last-visited (alphabetically first) container
/// terminated with a non-zero exit code ("" if none); `hasRunning`: some container running and ready;
/// `podReady`: condition Ready True. "Completed" changes as printPodCompletedFixupAction decides; any other
/// reason passes unchanged. Source: pkg/printers/internalversion/printers.go printPod (v1.34.3 vs v1.35.4).
constexpr std::string_view printPodCompletedFixup(std::string_view reason, bool hasRunning, bool podReady,
                                                  std::string_view errorReason, KubernetesVersion version) noexcept {
  if (reason != "Completed") return reason;
  switch (printPodCompletedFixupAction(hasRunning, podReady, !errorReason.empty(), version)) {
    case CompletedFixup::Keep: return reason;
    case CompletedFixup::Running: return "Running";
    case CompletedFixup::NotReady: return "NotReady";
    case CompletedFixup::ErrorReason: return errorReason;
  }
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
