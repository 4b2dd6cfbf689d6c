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
    case AK::CreatePod: createPod(a.pod); break;
    case AK::ResizeContainer: resizeContainer(a); break;
    case AK::RestartKubelet: restartKubelet(a.node); break;
    case AK::FailNode: failNode(a.node); break;
    case AK::RecoverNode: recoverNode(a.node); break;
  }
}

}  // namespace podsim::engine
