// models/trace/metrics.cpp: the Metrics accumulator (docs/metrics.md); names made only in values' keys.
#include "models/trace/metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace podsim::trace {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Metric::Count)> kNames = {
    "restarts", "timeIn", "events", "probeFailures", "timeToReady", "timeToInitialized", "timeToFirstRestart",
    "fractionReady", "phase", "status"};

constexpr double kNs = 1e9;

double seconds(Time t) { return t < 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(t) / kNs; }

/// A container state as the timeIn key: its kind, and the waiting or terminated reason.
std::uint64_t containerCode(const kubelet::ContainerStateValue& s) {
  return (static_cast<std::uint64_t>(s.kind) << 8) | static_cast<std::uint64_t>(s.reason);
}

std::string containerStateName(std::uint64_t code) {
  using Kind = kubelet::ContainerStateValue::Kind;
  const auto kind = static_cast<Kind>(code >> 8);
  const auto reason = static_cast<api::Reason>(code & 0xFF);
  if (kind == Kind::Running) return "Running";
  if (reason != api::Reason::None) return std::string(api::toString(reason));
  return kind == Kind::Waiting ? "Waiting" : "Terminated";
}

}  // namespace

std::string_view toString(Metric m) noexcept { return kNames[static_cast<std::size_t>(m)]; }

std::optional<Metric> metricFromString(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

std::uint64_t packStatus(const kubelet::PrintedPod& p) noexcept {
  return (static_cast<std::uint64_t>(p.kind) << 56) | (static_cast<std::uint64_t>(p.reason) << 48) |
         (static_cast<std::uint64_t>(static_cast<std::uint16_t>(p.of)) << 32) | static_cast<std::uint32_t>(p.number);
}

kubelet::PrintedPod unpackStatus(std::uint64_t code) noexcept {
  kubelet::PrintedPod p;
  p.kind = static_cast<kubelet::PrintedPod::Kind>(code >> 56);
  p.reason = static_cast<api::Reason>((code >> 48) & 0xFF);
  p.of = static_cast<std::int32_t>((code >> 32) & 0xFFFF);
  p.number = static_cast<std::int32_t>(static_cast<std::uint32_t>(code & 0xFFFFFFFFu));
  return p;
}

std::string MetricKey::name() const {
  std::string out(toString(metric));
  if (metric == Metric::timeIn) {
    out += ':';
    out += container < 0 ? unpackStatus(code).status() : containerStateName(code);
  } else if (metric == Metric::events) {
    out += ':';
    out += api::toString(static_cast<api::EventReason>(code));
  }
  return out;
}

std::string MetricKey::text() const {
  if (metric == Metric::phase) return std::string(api::toString(static_cast<api::PodPhase>(code)));
  if (metric == Metric::status) return unpackStatus(code).status();
  return {};
}

// ---- tallies ----------------------------------------------------------------------------------------

void Metrics::Tally::clear() {
  timeIn.clear();
  open = {};
  readySince = -1;
  readyTotal = 0;
  readyAt = -1;
  firstRestart = -1;
  restarts = 0;
  probeFailures = 0;
}

void Metrics::Tally::close(Time t) {
  if (open.since < 0) return;
  const Time d = t - open.since;
  open.since = -1;
  if (d <= 0) return;
  for (auto& [code, total] : timeIn) {
    if (code == open.code) {
      total += d;
      return;
    }
  }
  timeIn.emplace_back(open.code, d);
}

void Metrics::Tally::enter(std::uint64_t code, Time t) {
  if (open.since >= 0 && open.code == code) return;
  close(t);
  open = {code, t};
}

void Metrics::Tally::ready(bool isReady, Time t) {
  if (isReady && readySince < 0) {
    readySince = t;
    if (readyAt < 0) readyAt = t;
  } else if (!isReady && readySince >= 0) {
    readyTotal += t - readySince;
    readySince = -1;
  }
}

void Metrics::begin(const std::vector<std::int32_t>& containersPerPod) {
  podCount_ = containersPerPod.size();
  if (pods_.size() < podCount_) pods_.resize(podCount_);
  end_ = 0;
  for (std::size_t p = 0; p < podCount_; ++p) {
    PodTally& pt = pods_[p];
    pt.pod.clear();
    pt.containers.resize(static_cast<std::size_t>(containersPerPod[p]));
    for (Tally& c : pt.containers) c.clear();
    pt.events.assign(static_cast<std::size_t>(api::EventReason::Count), 0);
    pt.initializedAt = -1;
    pt.phase = 0;
    pt.status = 0;
    pt.seen = false;
    pt.removed = false;
  }
}

void Metrics::containerStatus(Time t, std::int32_t pod, const ContainerStatusRecord& r) {
  if (pod < 0 || static_cast<std::size_t>(pod) >= podCount_) return;
  PodTally& pt = pods_[static_cast<std::size_t>(pod)];
  if (r.container < 0 || static_cast<std::size_t>(r.container) >= pt.containers.size()) return;
  Tally& c = pt.containers[static_cast<std::size_t>(r.container)];
  c.enter(containerCode(r.status.state), t);
  c.ready(r.status.ready, t);
  c.restarts = r.status.restartCount;
  if (r.status.restartCount > 0 && c.firstRestart < 0) c.firstRestart = t;
}

void Metrics::podStatus(Time t, std::int32_t pod, const PodStatusRecord& r) {
  if (pod < 0 || static_cast<std::size_t>(pod) >= podCount_) return;
  PodTally& pt = pods_[static_cast<std::size_t>(pod)];
  pt.seen = true;
  pt.phase = static_cast<std::uint64_t>(r.phase);
  pt.status = packStatus(r.printed);
  pt.pod.enter(pt.status, t);
  const auto& ready = r.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
  pt.pod.ready(ready.present && ready.status, t);
  const auto& init = r.conditions[static_cast<std::size_t>(kubelet::ConditionType::Initialized)];
  if (init.present && init.status && pt.initializedAt < 0) pt.initializedAt = t;
  pt.pod.restarts = r.printed.restarts;
  if (r.printed.restarts > 0 && pt.pod.firstRestart < 0) pt.pod.firstRestart = t;
}

void Metrics::podRemoved(Time t, std::int32_t pod) {
  if (pod < 0 || static_cast<std::size_t>(pod) >= podCount_) return;
  PodTally& pt = pods_[static_cast<std::size_t>(pod)];
  pt.removed = true;
  pt.pod.close(t);
  pt.pod.ready(false, t);
  for (Tally& c : pt.containers) {
    c.close(t);
    c.ready(false, t);
  }
}

void Metrics::event(Time, std::int32_t pod, const EventRecord& r) {
  if (pod < 0 || static_cast<std::size_t>(pod) >= podCount_) return;
  PodTally& pt = pods_[static_cast<std::size_t>(pod)];
  ++pt.events[static_cast<std::size_t>(r.reason)];
  if (r.message == EventMessage::ProbeFailed) {
    ++pt.pod.probeFailures;
    if (r.container >= 0 && static_cast<std::size_t>(r.container) < pt.containers.size()) {
      ++pt.containers[static_cast<std::size_t>(r.container)].probeFailures;
    }
  }
}

void Metrics::finish(Time end) {
  end_ = end;
  for (std::size_t p = 0; p < podCount_; ++p) {
    PodTally& pt = pods_[p];
    pt.pod.close(end);
    pt.pod.ready(false, end);
    for (Tally& c : pt.containers) {
      c.close(end);
      c.ready(false, end);
    }
  }
}

std::vector<MetricValue> Metrics::values() const {
  std::vector<MetricValue> out;
  appendValues(out);
  return out;
}

void Metrics::appendValues(std::vector<MetricValue>& out) const {
  const auto has = [&](Metric m) { return (mask_ & bit(m)) != 0; };
  const double duration = static_cast<double>(end_);
  const auto fraction = [&](Time t) { return duration > 0 ? static_cast<double>(t) / duration : 0.0; };
  const std::size_t first = out.size();
  for (std::size_t p = 0; p < podCount_; ++p) {
    const PodTally& pt = pods_[p];
    const auto pod = static_cast<std::int32_t>(p);
    auto add = [&](std::int32_t c, Metric m, double v, std::uint64_t code = 0) { out.push_back({{pod, c, m, code}, v}); };
    // The pod.
    const Tally& t = pt.pod;
    if (has(Metric::restarts)) add(-1, Metric::restarts, t.restarts);
    if (has(Metric::timeIn)) {
      for (const auto& [code, ns] : t.timeIn) add(-1, Metric::timeIn, seconds(ns), code);
    }
    if (has(Metric::events)) {
      for (std::size_t e = 0; e < pt.events.size(); ++e) {
        if (pt.events[e] != 0) add(-1, Metric::events, pt.events[e], e);
      }
    }
    if (has(Metric::probeFailures)) add(-1, Metric::probeFailures, t.probeFailures);
    if (has(Metric::timeToReady)) add(-1, Metric::timeToReady, seconds(t.readyAt));
    if (has(Metric::timeToInitialized)) add(-1, Metric::timeToInitialized, seconds(pt.initializedAt));
    if (has(Metric::timeToFirstRestart)) add(-1, Metric::timeToFirstRestart, seconds(t.firstRestart));
    if (has(Metric::fractionReady)) add(-1, Metric::fractionReady, fraction(t.readyTotal));
    if (pt.seen && has(Metric::phase)) add(-1, Metric::phase, std::numeric_limits<double>::quiet_NaN(), pt.phase);
    if (pt.seen && has(Metric::status)) add(-1, Metric::status, std::numeric_limits<double>::quiet_NaN(), pt.status);
    // Its containers.
    for (std::size_t ci = 0; ci < pt.containers.size(); ++ci) {
      const Tally& c = pt.containers[ci];
      const auto cx = static_cast<std::int32_t>(ci);
      if (has(Metric::restarts)) add(cx, Metric::restarts, c.restarts);
      if (has(Metric::timeIn)) {
        for (const auto& [code, ns] : c.timeIn) add(cx, Metric::timeIn, seconds(ns), code);
      }
      if (has(Metric::probeFailures)) add(cx, Metric::probeFailures, c.probeFailures);
      if (has(Metric::timeToReady)) add(cx, Metric::timeToReady, seconds(c.readyAt));
      if (has(Metric::timeToFirstRestart)) add(cx, Metric::timeToFirstRestart, seconds(c.firstRestart));
      if (has(Metric::fractionReady)) add(cx, Metric::fractionReady, fraction(c.readyTotal));
    }
  }
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const MetricValue& a, const MetricValue& b) { return a.key < b.key; });
}

}  // namespace podsim::trace
