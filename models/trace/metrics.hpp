// models/trace/metrics.hpp: figures of one run computed from its trace records as they are made.
//
// Owns trace::Metrics, a TraceSink that a sweep plugs into a run with the trace off: it is fed the same
// typed records the recorder gets (so the engine runs exactly as with the trace on) and keeps, per pod
// and per container, the counts and times the vocabulary of docs/metrics.md names. No strings while the
// run goes: states, reasons and kubectl STATUS values are kept as enums and small values, and turned
// into names (MetricKey::name) only when the caller asks. Does not own the engine, nor output formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/trace/trace.hpp"

namespace podsim::trace {

/// The metrics one may ask for (docs/metrics.md). Names as written: `restarts`, `timeIn`, ...
enum class Metric : std::uint8_t {
  restarts,            // pod: kubectl RESTARTS at the end; container: restartCount at the end
  timeIn,              // s per value: pod by kubectl STATUS (`timeIn:Init:0/2`), container by state/reason
  events,              // pod: count of Events per reason (`events:BackOff`)
  probeFailures,       // Unhealthy events (probe failed), pod and container
  timeToReady,         // s to the first Ready=True (pod) / ready=true (container); NaN when never
  timeToInitialized,   // s to the first Initialized=True (pod); NaN when never
  timeToFirstRestart,  // s to the first restart (restartCount > 0), pod and container; NaN when never
  fractionReady,       // time ready / the run's duration, pod and container
  phase,               // pod: final phase (text)
  status,              // pod: final kubectl STATUS (text)
  Count
};

/// The metric's name as written (`timeToReady`).
std::string_view toString(Metric m) noexcept;
/// The metric named `name`, or nullopt when there is none by that name.
std::optional<Metric> metricFromString(std::string_view name) noexcept;
/// A set of metrics as a bit mask (bit i: Metric i).
using MetricMask = std::uint32_t;
constexpr MetricMask kAllMetrics = (1u << static_cast<unsigned>(Metric::Count)) - 1;
constexpr MetricMask bit(Metric m) noexcept { return 1u << static_cast<unsigned>(m); }

/// Which figure a value is: pod (unified container index, -1 for the pod itself), metric, and for the
/// metrics with a sub-key (timeIn, events, phase, status) a small code of it (0 otherwise). Ordered.
struct MetricKey {
  std::int32_t pod = -1;
  std::int32_t container = -1;
  Metric metric = Metric::restarts;
  std::uint64_t code = 0;
  friend auto operator<=>(const MetricKey&, const MetricKey&) = default;

  /// The metric's name: `restarts`, `timeIn:CrashLoopBackOff`, `timeIn:Init:0/2`, `events:BackOff`.
  [[nodiscard]] std::string name() const;
  /// For `phase` and `status`: the value's text (`Running`, `CrashLoopBackOff`); empty otherwise.
  [[nodiscard]] std::string text() const;
};

/// One figure of one run: seconds for times, a count, a fraction; NaN when never reached.
struct MetricValue {
  MetricKey key;
  double value = 0;
};

/// The accumulator. begin() before each run (with the container count of each pod, in the scenario's
/// order), plug it in as RunOptions::traceSink, finish() after, then values(). Reusable; not thread-safe
/// (one per thread).
class Metrics final : public TraceSink {
 public:
  explicit Metrics(MetricMask mask = kAllMetrics) : mask_(mask) {}

  /// Starts a run of pods with these container counts; forgets the previous run (keeping capacity).
  void begin(const std::vector<std::int32_t>& containersPerPod);
  /// Closes every open interval at `end` (ns, the run's end).
  void finish(Time end);
  /// The figures asked for, ordered by key (pod, container, metric, code). Times in s.
  [[nodiscard]] std::vector<MetricValue> values() const;
  /// Appends them to `out` (no allocation once it has grown).
  void appendValues(std::vector<MetricValue>& out) const;

  void containerStatus(Time t, std::int32_t pod, const ContainerStatusRecord& r) override;
  void podStatus(Time t, std::int32_t pod, const PodStatusRecord& r) override;
  void podRemoved(Time t, std::int32_t pod) override;
  void event(Time t, std::int32_t pod, const EventRecord& r) override;

 private:
  struct Interval {
    std::uint64_t code = 0;  // the value held (packed STATUS, or container state kind + reason)
    Time since = -1;         // -1: none open
  };
  struct Tally {
    std::vector<std::pair<std::uint64_t, Time>> timeIn;  // code -> ns (few distinct values: a list)
    Interval open;
    Time readySince = -1;
    Time readyTotal = 0;
    Time readyAt = -1;
    Time firstRestart = -1;
    std::int32_t restarts = 0;
    std::int32_t probeFailures = 0;
    void clear();
    void enter(std::uint64_t code, Time t);
    void close(Time t);
    void ready(bool isReady, Time t);
  };
  struct PodTally {
    Tally pod;
    std::vector<Tally> containers;
    std::vector<std::uint32_t> events;  // per api::EventReason
    Time initializedAt = -1;
    std::uint64_t phase = 0;
    std::uint64_t status = 0;
    bool seen = false;
    bool removed = false;
  };
  MetricMask mask_;
  Time end_ = 0;
  std::vector<PodTally> pods_;
  std::size_t podCount_ = 0;
};

/// The STATUS column value packed into a MetricKey code, and back (kubelet::PrintedPod::status()).
std::uint64_t packStatus(const kubelet::PrintedPod& p) noexcept;
kubelet::PrintedPod unpackStatus(std::uint64_t code) noexcept;

}  // namespace podsim::trace
