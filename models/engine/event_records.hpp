// models/engine/event_records.hpp: the engine's builders of the trace's Kubernetes events whose generic
// fields `a` and `b` (trace::EventRecord) carry a kind-specific value, so that each meaning is written
// in one place, under its name.
//
// Owns the engine's side of those meanings; the trace writer (models/trace) reads them back. Does not
// own EventRecord itself.
#pragma once

#include <cstdint>
#include <vector>

#include "models/cluster/scheduling.hpp"
#include "models/kubelet/prober.hpp"
#include "models/trace/trace.hpp"

namespace podsim::engine::records {

/// A Kubernetes event about container `c` (unified index).
inline trace::EventRecord containerEvent(api::EventReason reason, trace::EventMessage message, std::int32_t c,
                                         bool warning = false) {
  trace::EventRecord ev;
  ev.reason = reason;
  ev.message = message;
  ev.container = c;
  ev.warning = warning;
  return ev;
}

/// BackOff "Back-off restarting failed container": a = the back-off in force (ns).
inline trace::EventRecord restartBackOff(std::int32_t c, sim::Time backoff) {
  trace::EventRecord ev = containerEvent(api::EventReason::BackOff, trace::EventMessage::RestartBackOff, c, true);
  ev.a = backoff;
  return ev;
}

/// Failed "Failed to pull image": detail = the error; a = 1 for an injected, transient failure (the
/// registry answered 503), 0 for the scenario's declared error.
inline trace::EventRecord pullFailed(std::int32_t c, std::int32_t image, api::Reason error, bool injected) {
  trace::EventRecord ev = containerEvent(api::EventReason::Failed, trace::EventMessage::PullFailed, c, true);
  ev.image = image;
  ev.detail = error;
  ev.a = injected ? 1 : 0;
  return ev;
}

/// Pulled "Successfully pulled image": a = the pull's own duration, b = the time since it was asked
/// for, queue included (ns).
inline trace::EventRecord pulled(std::int32_t c, std::int32_t image, sim::Time pullDuration, sim::Time waited) {
  trace::EventRecord ev = containerEvent(api::EventReason::Pulled, trace::EventMessage::PulledSuccess, c);
  ev.image = image;
  ev.a = pullDuration;
  ev.b = waited;
  return ev;
}

/// Unhealthy "<type> probe failed": a = the probe type (kubelet::ProbeType), b = 1 when it timed out.
inline trace::EventRecord unhealthy(std::int32_t c, kubelet::ProbeType type, bool timedOut) {
  trace::EventRecord ev = containerEvent(api::EventReason::Unhealthy, trace::EventMessage::ProbeFailed, c, true);
  ev.a = static_cast<sim::Time>(type);
  ev.b = timedOut ? 1 : 0;
  return ev;
}

/// An in-place resize Event of the pod (pkg/kubelet/events/resize.go). ResizeCompleted: a = the generation the
/// resize was allocated at. ResizeDeferred / ResizeInfeasible: a = the requests asked for, b = what the
/// node's other pods use (Deferred), node = the node (its allocatable is the capacity), willRestart = the
/// resource is memory (else cpu), detail = Deferred or Infeasible.
inline trace::EventRecord resizeEvent(api::EventReason reason, sim::Time a = 0, sim::Time b = 0, std::int32_t node = -1,
                                      bool memory = false) {
  trace::EventRecord ev;
  ev.reason = reason;
  ev.message = trace::EventMessage::Resize;
  ev.warning = reason == api::EventReason::ResizeDeferred || reason == api::EventReason::ResizeInfeasible;
  ev.a = a;
  ev.b = b;
  ev.node = node;
  ev.willRestart = memory;
  ev.detail = reason == api::EventReason::ResizeDeferred ? api::Reason::Deferred
              : reason == api::EventReason::ResizeInfeasible ? api::Reason::Infeasible : api::Reason::None;
  return ev;
}

/// FailedScheduling "0/N nodes are available": a = how many nodes failed each filter, 12 bits per
/// cluster::FitFailure kind (kind k at bits 12(k-1)); b = N, the number of nodes.
inline trace::EventRecord failedScheduling(const std::vector<cluster::FitFailure>& failures) {
  trace::EventRecord ev;
  ev.reason = api::EventReason::FailedScheduling;
  ev.message = trace::EventMessage::FailedScheduling;
  ev.warning = true;
  for (const auto f : failures) {
    if (f != cluster::FitFailure::None) ev.a += sim::Time{1} << (12 * (static_cast<int>(f) - 1));
  }
  ev.b = static_cast<sim::Time>(failures.size());
  return ev;
}

}  // namespace podsim::engine::records
