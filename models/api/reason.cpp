// models/api/reason.cpp: spellings of the reason enums.
#include "models/api/reason.hpp"

#include <array>

namespace podsim::api {
namespace {
constexpr std::array<std::string_view, static_cast<std::size_t>(Reason::Count)> kReasonNames = {
    "",
    "ContainerCreating",
    "PodInitializing",
    "CrashLoopBackOff",
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "InvalidImageName",
    "RegistryUnavailable",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "PostStartHookError",
    "Completed",
    "Error",
    "OOMKilled",
    "ContainerCannotRun",
    "StartError",
    "ContainerStatusUnknown",
    "Pending",
    "Running",
    "Succeeded",
    "Failed",
    "Unknown",
    "DeadlineExceeded",
    "Evicted",
    "NodeLost",
    "Unschedulable",
    "Terminating",
    "NotReady",
    "SchedulingGated",
    "ContainersNotInitialized",
    "ContainersNotReady",
    "PodCompleted",
    "PodFailed",
    "DeletionByTaintManager",
    "RestartAllContainersStarted",
    "RestartingAllContainers",
    "ReadinessGatesNotReady",
    "Infeasible",
    "Deferred",
};
constexpr std::array<std::string_view, static_cast<std::size_t>(EventReason::Count)> kEventNames = {
    "Scheduled",     "FailedScheduling",       "Pulling",          "Pulled",
    "Failed",        "BackOff",                "ErrImageNeverPull", "InspectFailed",
    "Created",       "Started",                "Killing",          "Unhealthy",
    "ProbeWarning",  "FailedPostStartHook",    "FailedPreStopHook", "SandboxChanged",
    "FailedCreatePodSandBox", "ExceededGracePeriod", "Evicted",   "NodeNotReady",
    "TaintManagerEviction", "DeadlineExceeded", "Preempting", "ResizeStarted", "ResizeCompleted",
    "ResizeDeferred", "ResizeInfeasible",
};
}  // namespace

std::string_view toString(Reason r) noexcept { return kReasonNames[static_cast<std::size_t>(r)]; }

Reason reasonFromString(std::string_view s) noexcept {
  for (std::size_t i = 1; i < kReasonNames.size(); ++i) {
    if (kReasonNames[i] == s) return static_cast<Reason>(i);
  }
  return Reason::None;
}

std::string_view toString(PodPhase p) noexcept {
  switch (p) {
    case PodPhase::Pending: return "Pending";
    case PodPhase::Running: return "Running";
    case PodPhase::Succeeded: return "Succeeded";
    case PodPhase::Failed: return "Failed";
    case PodPhase::Unknown: return "Unknown";
  }
  return "Unknown";
}

std::string_view toString(EventReason r) noexcept { return kEventNames[static_cast<std::size_t>(r)]; }

}  // namespace podsim::api
