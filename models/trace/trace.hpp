// models/trace/trace.hpp: the run's trace, recorded as small typed records (no strings on the hot path).
//
// Owns the record types of interface.md §2 (ContainerStatus, PodStatus, PodRemoved, Event, Action, Log, Hook) in
// columns: one vector per record type plus an ordered index, so a run appends plain values and the
// text (JSON lines, tables) is made only when output is written (models/report/output.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/api/reason.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/pod_actions.hpp"
#include "models/kubelet/status.hpp"
#include "sim/time.hpp"

namespace podsim::trace {

using sim::Time;

/// Record types of the trace (interface.md §2).
/// Signal is podsim's own (not in interface.md §2): it is not written to the JSON-lines trace.
enum class RecordType : std::uint8_t { ContainerStatus, PodStatus, PodRemoved, Event, Action, Signal, Log, Hook };

/// A signal the runtime sent to a container's process during a kill: SIGTERM (StopContainer, after preStop
/// and, for an ordered sidecar, after the containers it outlives exited) or SIGKILL (at the stop timeout).
/// The Killing Event carries the moment the kubelet decided; this carries the moment the process got it.
/// Stored in the index only (Record.row = container * 2 + kill): no column, nothing in the JSON lines.
struct SignalRecord {
  std::int32_t container = -1;  // unified index
  bool kill = false;            // SIGKILL; false: SIGTERM
};

/// A line a container's process wrote (`kubectl logs`). `text` indexes Scenario::logTexts; `isStderr`
/// false is stdout. `restartCount`: which run of the container wrote it.
struct LogRecord {
  std::int32_t container = -1;
  std::int32_t restartCount = 0;
  std::int32_t text = -1;
  bool isStderr = false;
};

/// Which lifecycle hook a Hook record is about, and what happened to it.
enum class HookKind : std::uint8_t { PostStart, PreStop };
enum class HookState : std::uint8_t { Started, Finished, Failed };

/// A lifecycle hook of one container started, finished or failed (interface.md §2 `Hook`).
struct HookRecord {
  std::int32_t container = -1;
  HookKind hook = HookKind::PostStart;
  HookState state = HookState::Started;
  /// Failed exec hooks only: the command's exit code and what it wrote ([outFirst, outFirst + outCount) in
  /// Trace::hookOutput(), stdout lines then stderr lines, as the kubelet's RunInContainer appends them).
  /// The kubelet puts both in the handler's message (lifecycle/handlers.go Run); -1: not an exec command.
  std::int32_t exitCode = -1;
  std::int32_t outFirst = 0;
  std::int32_t outCount = 0;
};

/// One line a hook's command wrote: `text` indexes Scenario::logTexts.
struct HookOutputLine {
  std::int32_t text = -1;
  bool isStderr = false;
};

/// A change of one container's API status. `container`: the pod's unified index.
struct ContainerStatusRecord {
  std::int32_t container = -1;
  kubelet::ApiContainerStatus status;
};

/// A change of the pod-level status or of the kubectl columns.
struct PodStatusRecord {
  // Ordered by size, to keep padding out (every pod keeps its last one).
  kubelet::PrintedPod printed;
  std::int32_t node = -1;
  /// The conditions set outside the kubelet (kubelet::ApiPodStatus::customConditions: 2 bits per type of
  /// Scenario::podConditionTypes); 0 for a pod without any.
  std::uint32_t customConditions = 0;
  std::array<kubelet::PodCondition, static_cast<std::size_t>(kubelet::ConditionType::Count)> conditions{};
  api::PodPhase phase = api::PodPhase::Pending;
  api::Reason reason = api::Reason::None;
  bool deleting = false;
  bool operator==(const PodStatusRecord&) const = default;
};
static_assert(sizeof(PodStatusRecord) <= 80, "each pod keeps its last record: mind the memory per pod (README, Performance)");

/// Which message text an Event carries; its arguments are in EventRecord.
/// Sources of the texts: pkg/kubelet/images/image_manager.go, kuberuntime_container.go,
/// kuberuntime_manager.go doBackOff, pkg/scheduler (Scheduled).
enum class EventMessage : std::uint8_t {
  Scheduled,          // Successfully assigned <ns>/<pod> to <node>
  Pulling,            // Pulling image "<image>"
  PulledPresent,      // Container image "<image>" already present on machine
  PulledSuccess,      // Successfully pulled image "<image>" in <a> (<b> including waiting)
  PullFailed,         // Failed to pull image "<image>": <error message>
  StartError,         // Error: <reason>
  PullBackOff,        // Back-off pulling image "<image>"
  NeverPull,          // Container image "<image>" is not present with pull policy of Never
  Created,            // Created container: <name>
  Started,            // Started container <name>
  Killing,            // Stopping container <name> / Container <c> failed liveness probe, will be restarted / ...
  RestartBackOff,     // Back-off restarting failed container <c> in pod <pod>
  InspectFailed,      // Failed to apply default image tag "<image>": couldn't parse image name ...
  ProbeFailed,        // <Liveness|Readiness|Startup> probe failed: <output>  (a: probe type, b: 1 if timed out)
  PostStartFailed,    // PostStartHook failed
  PreStopFailed,      // PreStopHook failed
  FailedScheduling,   // 0/2 nodes are available: ... (a: counts per FitFailure, 12 bits each; b: nodes)
  NodeNotReady,       // Node is not ready
  TaintEviction,      // Marking for deletion Pod <ns>/<pod>
  DeadlineExceeded,   // Pod was active on the node longer than the specified deadline
  Resize,             // Pod resize started|completed|Deferred|Infeasible: {"containers":[...],"generation":N,"error":...}
                      // (a: ResizeCompleted's generation; pending: a = requested, b = used, node, detail = the
                      // reason, willRestart = the resource is memory)
};

/// A Kubernetes Event. `a`, `b`: durations (ns) for messages that carry them.
struct EventRecord {
  api::EventReason reason = api::EventReason::Scheduled;
  EventMessage message = EventMessage::Scheduled;
  bool warning = false;
  std::int32_t container = -1;
  std::int32_t image = -1;
  std::int32_t node = -1;
  api::Reason detail = api::Reason::None;
  kubelet::KillReason kill = kubelet::KillReason::None;
  bool willRestart = false;
  Time a = 0;
  Time b = 0;
};

/// One entry of the ordered index: when, what type, which pod, and the row in its column.
struct Record {
  Time t = 0;
  RecordType type = RecordType::Event;
  std::int32_t pod = -1;
  std::uint32_t row = 0;
};

/// Receives every record as it is made, before (or instead of) storing it: what computes figures during
/// a run without keeping the trace (trace::Metrics). Called on the run's thread, in record order.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void containerStatus(Time t, std::int32_t pod, const ContainerStatusRecord& r) = 0;
  virtual void podStatus(Time t, std::int32_t pod, const PodStatusRecord& r) = 0;
  virtual void podRemoved(Time t, std::int32_t pod) = 0;
  virtual void event(Time t, std::int32_t pod, const EventRecord& r) = 0;
};

/// The trace of one run. When disabled, appends are no-ops (a run keeps only its summary). With a sink,
/// the run makes every record as with the trace on (enabled() is true: the engine computes the same
/// status, kubectl columns and probe results) and hands it to the sink; it is stored only when `store`.
class Trace {
 public:
  explicit Trace(bool store = true, TraceSink* sink = nullptr) : enabled_(store || sink != nullptr), store_(store), sink_(sink) {}

  /// Whether records are made (stored, or handed to a sink).
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }
  /// Whether records are kept (records() and the *At accessors).
  [[nodiscard]] bool stored() const noexcept { return store_; }
  [[nodiscard]] TraceSink* sink() const noexcept { return sink_; }

  /// As a new Trace(store, sink), keeping the buffers' capacity.
  void reset(bool store, TraceSink* sink) {
    enabled_ = store || sink != nullptr;
    store_ = store;
    sink_ = sink;
    index_.clear();
    containers_.clear();
    pods_.clear();
    events_.clear();
    logs_.clear();
    hooks_.clear();
    hookOutput_.clear();
  }

  void containerStatus(Time t, std::int32_t pod, const ContainerStatusRecord& r) {
    if (sink_ != nullptr) sink_->containerStatus(t, pod, r);
    if (!store_) return;
    index_.push_back({t, RecordType::ContainerStatus, pod, static_cast<std::uint32_t>(containers_.size())});
    containers_.push_back(r);
  }
  void podStatus(Time t, std::int32_t pod, const PodStatusRecord& r) {
    if (sink_ != nullptr) sink_->podStatus(t, pod, r);
    if (!store_) return;
    index_.push_back({t, RecordType::PodStatus, pod, static_cast<std::uint32_t>(pods_.size())});
    pods_.push_back(r);
  }
  void podRemoved(Time t, std::int32_t pod) {
    if (sink_ != nullptr) sink_->podRemoved(t, pod);
    if (!store_) return;
    index_.push_back({t, RecordType::PodRemoved, pod, 0});
  }
  void event(Time t, std::int32_t pod, const EventRecord& r) {
    if (sink_ != nullptr) sink_->event(t, pod, r);
    if (!store_) return;
    index_.push_back({t, RecordType::Event, pod, static_cast<std::uint32_t>(events_.size())});
    events_.push_back(r);
  }
  /// `action`: index into Scenario::actions.
  void action(Time t, std::int32_t pod, std::uint32_t action) {
    if (!store_) return;
    index_.push_back({t, RecordType::Action, pod, action});
  }

  /// A signal to container `container` (unified index) of pod `pod` (SignalRecord); kept only when stored.
  void signal(Time t, std::int32_t pod, std::int32_t container, bool kill) {
    if (!store_) return;
    index_.push_back({t, RecordType::Signal, pod, static_cast<std::uint32_t>(container) * 2U + (kill ? 1U : 0U)});
  }
  /// A line a container wrote; stored only (sinks compute no figures from logs).
  void log(Time t, std::int32_t pod, const LogRecord& r) {
    if (!store_) return;
    index_.push_back({t, RecordType::Log, pod, static_cast<std::uint32_t>(logs_.size())});
    logs_.push_back(r);
  }
  /// A hook started or ended; stored only.
  void hook(Time t, std::int32_t pod, const HookRecord& r) {
    if (!store_) return;
    index_.push_back({t, RecordType::Hook, pod, static_cast<std::uint32_t>(hooks_.size())});
    hooks_.push_back(r);
  }
  /// A failed exec hook: as hook(), with the lines its command wrote (copied into hookOutput()).
  template <class Lines>
  void failedHook(Time t, std::int32_t pod, HookRecord r, const Lines& lines) {
    if (!store_) return;
    r.outFirst = static_cast<std::int32_t>(hookOutput_.size());
    for (const auto& l : lines) {
      if (!l.isStderr) hookOutput_.push_back(l);
    }
    for (const auto& l : lines) {
      if (l.isStderr) hookOutput_.push_back(l);
    }
    r.outCount = static_cast<std::int32_t>(hookOutput_.size()) - r.outFirst;
    hook(t, pod, r);
  }
  /// Lines failed hooks wrote (HookRecord::outFirst / outCount index it).
  [[nodiscard]] const std::vector<HookOutputLine>& hookOutput() const noexcept { return hookOutput_; }

  /// Records in the order they happened (time order; ties in order of occurrence).
  [[nodiscard]] const std::vector<Record>& records() const noexcept { return index_; }
  [[nodiscard]] const ContainerStatusRecord& containerStatusAt(const Record& r) const { return containers_[r.row]; }
  [[nodiscard]] const PodStatusRecord& podStatusAt(const Record& r) const { return pods_[r.row]; }
  [[nodiscard]] const EventRecord& eventAt(const Record& r) const { return events_[r.row]; }
  [[nodiscard]] static SignalRecord signalAt(const Record& r) {
    return {static_cast<std::int32_t>(r.row / 2U), (r.row & 1U) != 0};
  }
  [[nodiscard]] const LogRecord& logAt(const Record& r) const { return logs_[r.row]; }
  [[nodiscard]] const HookRecord& hookAt(const Record& r) const { return hooks_[r.row]; }

 private:
  bool enabled_;
  bool store_;
  TraceSink* sink_;
  std::vector<Record> index_;
  std::vector<ContainerStatusRecord> containers_;
  std::vector<PodStatusRecord> pods_;
  std::vector<EventRecord> events_;
  std::vector<LogRecord> logs_;
  std::vector<HookRecord> hooks_;
  std::vector<HookOutputLine> hookOutput_;
};

}  // namespace podsim::trace
