// models/api/reason.hpp: Kubernetes' reason, phase and event-reason strings as small enums.
//
// The model and the trace carry these enums, never strings: a string is made only when output is
// written. Spellings are Kubernetes' own (`CrashLoopBackOff` with a capital O, `PodInitializing`).
#pragma once

#include <cstdint>
#include <string_view>

namespace podsim::api {

/// Container state and pod reasons as Kubernetes prints them (waiting and terminated reasons,
/// pod phases, pod status reasons). Source: pkg/kubelet/kuberuntime/kuberuntime_container.go error
/// vars, pkg/kubelet/images/types.go, pkg/kubelet/container/sync_result.go, pkg/kubelet/kubelet_pods.go.
enum class Reason : std::uint8_t {
  None = 0,
  // waiting reasons
  ContainerCreating,
  PodInitializing,
  CrashLoopBackOff,
  ErrImagePull,
  ImagePullBackOff,
  ErrImageNeverPull,
  InvalidImageName,
  RegistryUnavailable,
  CreateContainerConfigError,
  CreateContainerError,
  RunContainerError,
  PostStartHookError,
  // terminated reasons
  Completed,
  Error,
  OOMKilled,
  ContainerCannotRun,
  StartError,
  ContainerStatusUnknown,
  // pod phases
  Pending,
  Running,
  Succeeded,
  Failed,
  Unknown,
  // pod status reasons and kubectl-only words
  DeadlineExceeded,
  Evicted,
  NodeLost,
  Unschedulable,
  Terminating,
  NotReady,
  SchedulingGated,
  ContainersNotInitialized,
  ContainersNotReady,
  PodCompleted,
  PodFailed,
  DeletionByTaintManager,
  RestartAllContainersStarted,  // AllContainersRestarting condition (status/generate.go)
  RestartingAllContainers,      // a container removed by RestartAllContainers (kubelet_pods.go)
  ReadinessGatesNotReady,       // Ready False for a readiness gate (status/generate.go GeneratePodReadyCondition)
  Infeasible,                   // PodResizePending: the node can never fit the resize (v1.PodReasonInfeasible)
  Deferred,                     // PodResizePending: not now; retried (v1.PodReasonDeferred)
  Count
};

/// The Kubernetes spelling of a reason ("" for None).
std::string_view toString(Reason r) noexcept;

/// Parses a Kubernetes reason string; returns Reason::None when unknown.
Reason reasonFromString(std::string_view s) noexcept;

/// Pod phase (a subset of Reason, kept separate for type safety). Source: pkg/apis/core/types.go.
enum class PodPhase : std::uint8_t { Pending, Running, Succeeded, Failed, Unknown };
std::string_view toString(PodPhase p) noexcept;

/// Reason of a Kubernetes Event. Source: pkg/kubelet/events/event.go and the scheduler.
enum class EventReason : std::uint8_t {
  Scheduled,
  FailedScheduling,
  Pulling,
  Pulled,
  Failed,
  BackOff,
  ErrImageNeverPull,
  InspectFailed,
  Created,
  Started,
  Killing,
  Unhealthy,
  ProbeWarning,
  FailedPostStartHook,
  FailedPreStopHook,
  SandboxChanged,
  FailedCreatePodSandBox,
  ExceededGracePeriod,
  Evicted,
  NodeNotReady,
  TaintManagerEviction,
  DeadlineExceeded,
  Preempting,
  ResizeStarted,     // in-place resize allocated (1.35+; pkg/kubelet/events/event.go)
  ResizeCompleted,   // PodResizeInProgress cleared (1.34+)
  ResizeDeferred,    // PodResizePending Deferred (1.35+)
  ResizeInfeasible,  // PodResizePending Infeasible (1.35+)
  Count
};
std::string_view toString(EventReason r) noexcept;

}  // namespace podsim::api
