// models/engine/actions.ipp: the scenario's actions (spec.actions): each applied at its time to the API, the
// runtime or a node.
// Does not own: what the actions do past their first step (control_plane.ipp, runtime.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


// ---- actions ------------------------------------------------------------------------------------

inline void SimulationImpl::onAction(ActionKey key) { doAction(sc.actions[key.index], static_cast<std::uint32_t>(key.index)); }


inline void SimulationImpl::doAction(const scenario::Action& a, std::uint32_t index) {
  using AK = scenario::ActionKind;
  trace.action(env.now(), a.pod, index);
  switch (a.kind) {
    case AK::CreateService:
      if (a.service >= 0) serviceExists[static_cast<std::size_t>(a.service)] = 1;
      break;
    case AK::DeleteService:
      if (a.service >= 0) serviceExists[static_cast<std::size_t>(a.service)] = 0;
      break;
    case AK::KillContainer: {
      PodState& ps = pods[a.pod];
      if (ps.created && !ps.removed) {
        const Reason r = a.reason != Reason::None ? a.reason : (a.exitCode == 0 ? Reason::Completed : Reason::Error);
        processExit(ps, a.container, a.exitCode, r);
      }
      break;
    }
    case AK::DeletePod: deletePod(pods[a.pod], a.gracePeriodSeconds, a.force); break;
    case AK::UpdatePod: {
      // The mutable spec fields of a running Pod (validated by the loader as the API server does): a new
      // activeDeadlineSeconds is seen by the kubelet's next sync and its sync ticker.
      PodState& ps = pods[a.pod];
      ps.activeDeadlineSeconds = a.activeDeadlineSeconds;
      if (ps.created && !ps.removed) {
        scheduleActiveDeadline(ps);
        statusInputsChanged(ps);
        podWorkerUpdate(ps);
      }
      break;
    }
    case AK::StopKubelet: stopKubelet(a.node); break;
    case AK::StartKubelet: startKubelet(a.node); break;
    case AK::RebootNode: rebootNode(a.node); break;
    case AK::RemoveExitedContainers: removeExitedContainers(pods[a.pod]); break;
    case AK::UpdateImage: {
      PodState& ps = pods[a.pod];
      const auto ci = static_cast<std::size_t>(a.container);
      ps.imageIds[ci] = a.image;
      statusInputsChanged(ps);
      ps.specHash[ci] = static_cast<std::uint32_t>(sim::mix64(ps.specHash[ci] ^ (static_cast<std::uint64_t>(a.image) << 20)));
      if (ps.created && !ps.removed) podWorkerUpdate(ps);
      break;
    }
    case AK::SetPodCondition: setPodCondition(pods[a.pod], static_cast<std::size_t>(a.conditionSlot),
                                              static_cast<kubelet::CustomConditionStatus>(a.conditionStatus)); break;
    case AK::CreatePod: createPod(a.pod); break;
    case AK::ResizeContainer: resizeContainer(a); break;
    case AK::RestartKubelet: restartKubelet(a.node); break;
    case AK::FailNode: failNode(a.node); break;
    case AK::RecoverNode: recoverNode(a.node); break;
  }
}


/// setPodCondition: an outside controller writes a pod condition into the API status (a load balancer's
/// readiness gate, say). The API keeps it: the kubelet preserves the conditions it does not own
/// (kubelet_pods.go generateAPIPodStatus, status_manager.go mergePodStatus). The kubelet learns of it through
/// its pod watch, a status-only change (config.go checkAndUpdatePod: a reconcile), and syncs the pod only when
/// NeedToReconcilePodReadiness says its Ready condition is now wrong (kubelet.go HandlePodReconcile); that
/// sync's generateAPIPodStatus regenerates Ready (status/generate.go GeneratePodReadyCondition).
/// Simplification: the kubelet sees the new condition at once (no watch delay), and a readiness result
/// before that sync reads it too (the status manager's cache would have it only from that sync on).
inline void SimulationImpl::setPodCondition(PodState& ps, std::size_t slot, kubelet::CustomConditionStatus status) {
  if (!ps.created || ps.removed || ps.apiGone) return;  // no Pod object to patch
  const std::uint32_t before = ps.api.customConditions;
  const std::uint32_t now = kubelet::withCustomCondition(before, slot, status);
  if (now == before) return;
  ps.api.customConditions = now;
  statusInputsChanged(ps);
  emitPodRecord(ps);
  if (ps.scheduled && kubelet::NeedToReconcilePodReadiness(ps.spec->pod, ps.api, before, now)) podWorkerUpdate(ps);
}

}  // namespace podsim::engine
