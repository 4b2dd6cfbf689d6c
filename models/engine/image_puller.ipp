// models/engine/image_puller.ipp: the image puller (pkg/kubelet/images/puller.go: serial or parallel pulls
// per node). The image reference grammar is models/api/image_reference's.
// Does not own: whether to pull (models/kubelet/images), the pull back-off (container_start.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {

// ---- image puller (images/puller.go: serial or parallel) ----------------------------------------

inline void SimulationImpl::requestPull(std::int32_t node, std::int32_t pod, std::int32_t c) {
  NodeState& n = nodes[node];
  n.pullQueue.push_back({pod, c});
  pumpPulls(node);
}


inline void SimulationImpl::pumpPulls(std::int32_t node) {
  NodeState& n = nodes[node];
  while (n.pullHead < n.pullQueue.size() && n.activePulls < pullSlots()) {
    const PullRequest r = n.pullQueue[n.pullHead++];
    ++n.activePulls;
    PodState& ps = pods[r.pod];
    const std::int32_t image = ps.imageIds[static_cast<std::size_t>(r.container)];
    // A present image (imagePullPolicy Always) moves no layers: only the registry round trips. Ideal timing
    // is the textbook's, where a pull takes no time unless the scenario writes its pullDuration.
    const scenario::ImageBehavior& ib = sc.imageBehaviors[static_cast<std::size_t>(image)];
    Time d = n.imagePresent[static_cast<std::size_t>(image)] != 0 ? ib.repullDuration : ib.pullDuration;
    if (ideal && !ib.pullDurationWritten) d = 0;
    ps.pullTook = d;
    if (injector) {  // an injected failure ends the pull early (registry outage) or at its end
      const faults::PullOutcome o = injector->onPull(r.pod, r.container, image, env.now(), d);
      d = o.duration;
      ps.pullFault = o.failed ? o.reason : Reason::None;
    }
    eventAfter<&SimulationImpl::onPullDone>(d, PullKey{r.pod, r.container, node});
  }
  if (n.pullHead == n.pullQueue.size()) {
    n.pullQueue.clear();
    n.pullHead = 0;
  }
}


inline void SimulationImpl::onPullDone(PullKey key) {
  const auto node = key.node;
  NodeState& n = nodes[node];
  --n.activePulls;
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  const std::int32_t image = ps.imageIds[static_cast<std::size_t>(c)];
  const scenario::ImageBehavior& ib = sc.imageBehaviors[static_cast<std::size_t>(image)];
  if (ib.pullError == Reason::None && ps.pullFault == Reason::None) {
    n.imagePresent[static_cast<std::size_t>(image)] = 1;
    event(ps, records::pulled(c, image, ps.pullTook, env.now() - ps.pullRequestedAt));
    ps.pullFailed = false;
  } else {
    ps.pullFailed = true;
  }
  pumpPulls(node);
  if (ps.mode == WorkerMode::Syncing && ps.wait == Wait::Pull && ps.pulling == c) {
    ps.wait = Wait::None;
    advanceSync(ps);
  }
}

}  // namespace podsim::engine
