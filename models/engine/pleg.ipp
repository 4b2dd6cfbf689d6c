// models/engine/pleg.ipp: the PLEG (pkg/kubelet/pleg/generic.go relist): dirty pods per node, the relist, the
// pod cache.
// Does not own: what a PLEG event triggers (pod_worker.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


/// The PLEG's look at the runtime: copies it into the pod cache when it changed; returns whether it did.
inline bool SimulationImpl::refreshCache(PodState& ps) {
  if (ps.cacheVersion == ps.runtimeVersion) return false;
  ps.cacheVersion = ps.runtimeVersion;
  // One pass: each container slot that differs is copied and marked (the cache and the runtime always
  // hold the same containers), then the sandbox's fields.
  static_assert(sizeof(kubelet::RuntimePodStatus) == 8 + sizeof(std::vector<kubelet::RuntimeContainerSlot>),
                "refreshCache copies RuntimePodStatus field by field: copy a new field there too");
  // Only the slots written since the last refresh (runtimeTouched) can differ.
  std::uint64_t changed = 0;
  bool any = false;
  const auto compare = [&](std::size_t i) {
    if (!(ps.cache.containers[i] == ps.runtime.containers[i])) {
      ps.cache.containers[i] = ps.runtime.containers[i];
      changed |= containerBit(i);
      any = true;
    }
  };
  const std::size_t n = ps.cache.containers.size();
  const std::uint64_t touched = ps.runtimeTouched;
  ps.runtimeTouched = 0;
  for (std::uint64_t bits = touched & ~(1ULL << 63); bits != 0; bits &= bits - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    if (i < n) compare(i);
  }
  if ((touched >> 63) != 0) {
    for (std::size_t i = 63; i < n; ++i) compare(i);  // the top bit stands for 63 and above
  }
  const bool sandboxChanged = ps.cache.sandboxExists != ps.runtime.sandboxExists ||
                              ps.cache.sandboxReady != ps.runtime.sandboxReady ||
                              ps.cache.sandboxAttempt != ps.runtime.sandboxAttempt;
  if (!any && !sandboxChanged) return false;
  ps.cache.sandboxExists = ps.runtime.sandboxExists;
  ps.cache.sandboxReady = ps.runtime.sandboxReady;
  ps.cache.sandboxAttempt = ps.runtime.sandboxAttempt;
  statusInputsChanged(ps, changed, sandboxChanged);  // the sandbox's state is read by the pod-level part only
  return true;
}


/// The runtime's state of the pod changed (its sandbox, or the slots of the containers in `touched`,
/// a containerBit mask): the PLEG will see it at its next relist.
inline void SimulationImpl::markDirty(PodState& ps, std::uint64_t touched) {
  ++ps.runtimeVersion;
  ps.runtimeTouched |= touched;
  if (ps.dirty || ps.node < 0) return;
  ps.dirty = true;
  NodeState& n = nodes[ps.node];
  n.dirty.push_back(ps.index);
  if (!n.kubeletDown && !env.pending(n.relistEvent)) {
    const Time at = ideal ? env.now() : sim::nextTickAtOrAfter(env.now() + 1, n.relistPhase, kRelistPeriod);
    n.relistEvent = eventAt<&SimulationImpl::onRelist>(at, NodeKey{ps.node});
  }
}


inline void SimulationImpl::onRelist(NodeKey key) { relistNode(key.node); }


/// Relist: every pod whose runtime state changed gets its cache refreshed and a PLEG event.
inline void SimulationImpl::relistNode(std::int32_t node) {
  NodeState& n = nodes[node];
  if (n.dirty.empty()) return;
  env.cancel(n.relistEvent);
  // Swap out the list: a sync started below may mark pods dirty again for the next relist.
  std::vector<std::int32_t> dirty;
  dirty.swap(n.dirty);
  for (const std::int32_t p : dirty) {
    PodState& ps = pods[p];
    ps.dirty = false;
    if (!refreshCache(ps)) continue;
    podWorkerUpdate(ps);
  }
  if (n.dirty.empty()) {
    dirty.clear();
    n.dirty.swap(dirty);  // keep the capacity
  }
}

}  // namespace podsim::engine
