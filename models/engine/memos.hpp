// models/engine/memos.hpp: the engine's memos, each a class with one invalidation entry point, so that
// what a shortcut skips is always recomputed after a change of its inputs.
//
// Owns: StatusMemo (status regeneration: which containers and whether the pod-level part to regenerate,
// and what the last pod-level generation produced) and ActionsMemo (reuse of a sync's computePodActions).
// Both are invalidated only through SimulationImpl::statusInputsChanged. The third memo, the probe
// workers' tick skipping, is invalidated only through SimulationImpl::wakeProbeWorkers (prober_workers.ipp).
// Does not own the values memoised (PodState::api, PodState::actions).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "models/api/reason.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/status.hpp"

namespace podsim::engine {

/// The pod conditions as the API status holds them.
using Conditions = std::array<kubelet::PodCondition, static_cast<std::size_t>(kubelet::ConditionType::Count)>;

/// Conditions compared field by field (PodCondition's flags are bits: its bytes have padding bits).
inline bool sameConditions(const Conditions& a, const Conditions& b) { return a == b; }

/// Status regeneration. Generation is skipped when none of its inputs changed since the last one (the
/// result would be the same: generateAPIPodStatus is a fixed point of its own output); otherwise only
/// the containers whose inputs changed are regenerated, and the pod-level part when one of its inputs
/// or a container status changed, or when the status no longer holds what the last pod-level
/// generation produced.
class StatusMemo {
 public:
  /// Something status generation reads changed: for the containers in `containers` (a bit per index;
  /// 63 and above share the top bit), and for the pod-level part when `podLevel`. The one entry point.
  void invalidate(std::uint64_t containers, bool podLevel) {
    ++version_;
    containers_ |= containers;
    podLevel_ = podLevel_ || podLevel;
  }
  /// Whether a generation now would give the last one again.
  [[nodiscard]] bool current() const { return generated_ == version_; }

  /// What a generation must redo.
  struct Pending {
    std::uint64_t containers = 0;
    bool podLevel = false;
  };
  /// A generation starts: returns what it must redo, and counts it as done.
  Pending take() {
    generated_ = version_;
    const Pending p{containers_, podLevel_};
    containers_ = 0;
    podLevel_ = false;
    return p;
  }

  /// Whether `status`, at `apiSerial`, still holds what the last pod-level generation produced.
  [[nodiscard]] bool podLevelHolds(const kubelet::ApiPodStatus& status, std::uint64_t apiSerial) const {
    return apiSerial_ == apiSerial && status.phase == phase_ && status.reason == reason_ &&
           status.customConditions == customConditions_ && sameConditions(status.conditions, conditions_);
  }
  /// The pod-level part was generated into `status`, at `apiSerial`.
  void podLevelGenerated(const kubelet::ApiPodStatus& status, std::uint64_t apiSerial) {
    phase_ = status.phase;
    reason_ = status.reason;
    conditions_ = status.conditions;
    customConditions_ = status.customConditions;
    apiSerial_ = apiSerial;
  }

 private:
  std::uint64_t version_ = 1;
  std::uint64_t generated_ = 0;
  std::uint64_t containers_ = ~0ULL;
  bool podLevel_ = true;
  api::PodPhase phase_ = api::PodPhase::Pending;
  api::Reason reason_ = api::Reason::None;
  Conditions conditions_{};
  std::uint32_t customConditions_ = 0;
  std::uint64_t apiSerial_ = ~0ULL;
};

/// Reuse of computePodActions: the actions are a pure function of the cache, the startup and liveness
/// results, the spec hashes and deletion; while none changed, a sync reuses the last ones (a sync after
/// a readiness result, say). 32 bits: a false match would take 2^32 changes of one pod's inputs between
/// two of its syncs (each change comes with at least one event; the default event limit is 2 x 10^8).
class ActionsMemo {
 public:
  /// An input of computePodActions changed. The one entry point.
  void invalidate() { ++version_; }
  /// Whether the actions computed last still hold.
  [[nodiscard]] bool current() const { return computedAt_ == version_; }
  /// The actions were just computed.
  void computed() { computedAt_ = version_; }

 private:
  std::uint32_t version_ = 0;
  std::uint32_t computedAt_ = ~0U;  // ~0: never computed
};

}  // namespace podsim::engine
