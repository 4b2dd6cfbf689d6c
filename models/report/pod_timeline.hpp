// models/report/pod_timeline.hpp: the one replay of a finished run, per pod: the state of a pod and of each
// of its containers at any simulated time, and the intervals of each container status and pod status.
//
// Owns the reading of a pod's records in order (PodStatus, ContainerStatus, PodRemoved, Event, Action) into
// a state, with the rules every view of "the pod at time t" shares: a moment shows every record at or
// before it (all records of the same instant applied), a pod exists from its first PodStatus record to its
// PodRemoved record, a condition's lastTransitionTime is the record where its status or presence last
// changed. Does not make text (views.hpp, check.hpp, timeline.hpp and the Python columns do) and never
// changes the run. Times are simulated ns.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/trace/trace.hpp"

namespace podsim::engine {
class Simulation;
}

namespace podsim::report {

/// "No record": a position in Trace::records() that does not exist.
inline constexpr std::size_t kNoRecord = static_cast<std::size_t>(-1);

/// One pod as the API held it at a simulated time, replayed from the trace (the pod's records with t <= at).
struct PodAt {
  std::int32_t pod = -1;          // index in Scenario::pods
  bool exists = false;            // created (a first PodStatus record) and not yet removed
  bool removed = false;           // a PodRemoved record at or before `at`
  sim::Time at = 0;               // the moment, ns
  sim::Time createdAt = -1;       // ns; -1 when not yet created
  sim::Time deletingSince = -1;   // ns: first record with deletionTimestamp set; -1 none
  trace::PodStatusRecord status;  // the last PodStatus record in force
  std::size_t statusRecord = kNoRecord;  // its position in Trace::records(); kNoRecord none
  std::vector<kubelet::ApiContainerStatus> containers;  // by unified index
  std::vector<bool> reported;     // whether the kubelet has written a status for container i
  std::vector<std::size_t> containerRecord;  // position of each container's last status record (kNoRecord none)
  std::array<sim::Time, static_cast<std::size_t>(kubelet::ConditionType::Count)> conditionSince{};  // lastTransitionTime, ns
  std::vector<std::size_t> events;  // positions in Trace::records() of this pod's Events up to `at`
  sim::Time sandboxSince = -1;    // ns: first moment the pod had a sandbox (so an IP); -1 never
  std::size_t lastRecord = kNoRecord;  // position of the newest record of this pod applied (any type)
};

/// One interval of a container's API status: from the ContainerStatus record that set it to the container's
/// next status record, the pod's removal, or the end of the run (end exclusive; zero-length when two records
/// share an instant). Every status record of the container before the pod's removal begins one interval.
struct ContainerStatusInterval {
  std::int32_t container = -1;       // unified index
  sim::Time begin = 0;               // ns
  sim::Time end = 0;                 // ns
  kubelet::ApiContainerStatus status;
  std::size_t record = kNoRecord;    // position in Trace::records() of the record that began it
  std::size_t endRecord = kNoRecord; // the record that ended it (next status or PodRemoved); kNoRecord: end of run
};

/// One interval of the pod-level status: from a PodStatus record to the next one, the pod's removal or the
/// end of the run (end exclusive).
struct PodStatusInterval {
  sim::Time begin = 0;               // ns
  sim::Time end = 0;                 // ns
  std::size_t record = kNoRecord;    // position in Trace::records() of its PodStatus record
  std::size_t endRecord = kNoRecord; // the record that ended it; kNoRecord: end of run
};

/// The replay of one pod of a finished run, built once from its trace (one pass over the records), then
/// asked for the state at any t and for intervals. Holds pointers into `sim`: it must outlive the timeline.
/// A run with its trace off gives a pod that never existed (no records, no intervals).
class PodTimeline {
 public:
  /// Reads the records of pod `pod` (index in Scenario::pods). Errors: std::out_of_range when `pod` is not
  /// a pod of the scenario.
  PodTimeline(const engine::Simulation& sim, std::int32_t pod);

  /// The timelines of every pod of the run, by index in Scenario::pods, from one pass over the trace.
  static std::vector<PodTimeline> forRun(const engine::Simulation& sim);

  /// A replay that moves forward in time, applying the pod's records one instant at a time; what
  /// `check`'s eventually/never/always walk with. Cheap to make; reads the timeline it was made from.
  class Replay {
   public:
    explicit Replay(const PodTimeline& timeline);
    /// Applies every record of the pod with t <= `until` (ns) not yet applied; sets state().at = until.
    void advanceTo(sim::Time until);
    /// The time (ns) of the pod's next record not yet applied, or -1 when there is none.
    [[nodiscard]] sim::Time nextTime() const;
    /// The pod as the records applied so far leave it.
    [[nodiscard]] const PodAt& state() const noexcept { return state_; }

   private:
    void apply(std::size_t record);
    const PodTimeline* tl_;
    std::size_t next_ = 0;  // index into PodTimeline::records()
    PodAt state_;
  };

  /// The pod at simulated time `at` (ns): every record of the pod with t <= at applied.
  [[nodiscard]] PodAt at(sim::Time at) const;

  /// The pod's index in Scenario::pods.
  [[nodiscard]] std::int32_t pod() const noexcept { return pod_; }
  /// Positions in Trace::records() of every record of this pod, in trace order.
  [[nodiscard]] const std::vector<std::size_t>& records() const noexcept { return records_; }
  /// The trace the timeline reads.
  [[nodiscard]] const trace::Trace& trace() const noexcept { return *trace_; }
  /// Time (ns) of the first PodStatus record, or -1 when the pod never existed.
  [[nodiscard]] sim::Time createdAt() const noexcept { return createdAt_; }
  /// Time (ns) of the PodRemoved record, or -1 when the pod was not removed during the run.
  [[nodiscard]] sim::Time removedAt() const noexcept { return removedAt_; }
  /// Where the intervals stop: the pod's removal, or else the end of the run (ns).
  [[nodiscard]] sim::Time end() const noexcept { return end_; }

  /// The status intervals of container `container` (unified index) in time order; empty when the kubelet
  /// never wrote a status for it. Errors: std::out_of_range for a bad index.
  [[nodiscard]] const std::vector<ContainerStatusInterval>& containerIntervals(std::size_t container) const {
    return containers_.at(container);
  }
  /// Number of containers of the pod (init, then regular, as the unified index counts them).
  [[nodiscard]] std::size_t containerCount() const noexcept { return containers_.size(); }
  /// The pod-status intervals, in time order.
  [[nodiscard]] const std::vector<PodStatusInterval>& statusIntervals() const noexcept { return statuses_; }

 private:
  PodTimeline(const trace::Trace& trace, std::int32_t pod, std::size_t containers);
  void add(std::size_t record);     // reads the pod's next record (position in Trace::records())
  void finish(sim::Time runEnd);    // closes the last intervals

  const trace::Trace* trace_;
  std::int32_t pod_;
  std::vector<std::size_t> records_;
  std::vector<std::vector<ContainerStatusInterval>> containers_;
  std::vector<PodStatusInterval> statuses_;
  sim::Time createdAt_ = -1;
  sim::Time removedAt_ = -1;
  sim::Time end_ = 0;
};

}  // namespace podsim::report
