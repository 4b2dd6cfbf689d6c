// models/report/pod_timeline.cpp: one pass over a pod's records for its intervals, and the replay of the
// state at any t. The only place that folds a pod's records into a state (views, check, quiz, explain, the
// timeline and the Python columns read it from here).
#include "models/report/pod_timeline.hpp"

#include "models/engine/simulation.hpp"

namespace podsim::report {

namespace {

using Kind = kubelet::ContainerStateValue::Kind;
using trace::RecordType;

}  // namespace

PodTimeline::PodTimeline(const trace::Trace& trace, std::int32_t pod, std::size_t containers)
    : trace_(&trace), pod_(pod), containers_(containers) {}

PodTimeline::PodTimeline(const engine::Simulation& sim, std::int32_t pod)
    : PodTimeline(sim.trace(), pod, sim.scenario().pods.at(static_cast<std::size_t>(pod)).pod.containerCount()) {
  const auto& recs = trace_->records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].pod == pod) add(i);
  }
  finish(sim.now());
}

std::vector<PodTimeline> PodTimeline::forRun(const engine::Simulation& sim) {
  const auto& pods = sim.scenario().pods;
  std::vector<PodTimeline> out;
  out.reserve(pods.size());
  for (std::size_t p = 0; p < pods.size(); ++p) out.push_back(PodTimeline(sim.trace(), static_cast<std::int32_t>(p), pods[p].pod.containerCount()));
  const auto& recs = sim.trace().records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const std::int32_t p = recs[i].pod;
    if (p >= 0 && static_cast<std::size_t>(p) < out.size()) out[static_cast<std::size_t>(p)].add(i);
  }
  for (auto& tl : out) tl.finish(sim.now());
  return out;
}

void PodTimeline::add(std::size_t i) {
  const trace::Record& r = trace_->records()[i];
  records_.push_back(i);
  // Intervals stop at the pod's removal; the state replay (Replay::apply) still reads every record.
  if (removedAt_ >= 0) return;
  switch (r.type) {
    case RecordType::PodStatus:
      if (createdAt_ < 0) createdAt_ = r.t;
      if (!statuses_.empty()) {
        statuses_.back().end = r.t;
        statuses_.back().endRecord = i;
      }
      statuses_.push_back({r.t, -1, i, kNoRecord});
      break;
    case RecordType::ContainerStatus: {
      const trace::ContainerStatusRecord& c = trace_->containerStatusAt(r);
      auto& lane = containers_[static_cast<std::size_t>(c.container)];
      if (!lane.empty()) {
        lane.back().end = r.t;
        lane.back().endRecord = i;
      }
      lane.push_back({c.container, r.t, -1, c.status, i, kNoRecord});
      break;
    }
    case RecordType::PodRemoved:
      removedAt_ = r.t;
      for (auto& lane : containers_) {
        if (!lane.empty() && lane.back().end < 0) lane.back().endRecord = i;
      }
      if (!statuses_.empty()) statuses_.back().endRecord = i;
      break;
    case RecordType::Event:
    case RecordType::Signal:
    case RecordType::Action:
    case RecordType::Log:
    case RecordType::Hook: break;
  }
}

void PodTimeline::finish(sim::Time runEnd) {
  end_ = removedAt_ >= 0 ? removedAt_ : runEnd;
  for (auto& lane : containers_) {
    if (!lane.empty() && lane.back().end < 0) lane.back().end = end_;
  }
  if (!statuses_.empty() && statuses_.back().end < 0) statuses_.back().end = end_;
}

PodAt PodTimeline::at(sim::Time at) const {
  Replay r(*this);
  r.advanceTo(at);
  return r.state();
}

PodTimeline::Replay::Replay(const PodTimeline& timeline) : tl_(&timeline) {
  const std::size_t n = timeline.containers_.size();
  state_.pod = timeline.pod_;
  state_.containers.resize(n);
  state_.reported.assign(n, false);
  state_.containerRecord.assign(n, kNoRecord);
}

void PodTimeline::Replay::advanceTo(sim::Time until) {
  const auto& recs = tl_->trace_->records();
  while (next_ < tl_->records_.size() && recs[tl_->records_[next_]].t <= until) apply(tl_->records_[next_++]);
  state_.at = until;
}

sim::Time PodTimeline::Replay::nextTime() const {
  return next_ < tl_->records_.size() ? tl_->trace_->records()[tl_->records_[next_]].t : -1;
}

void PodTimeline::Replay::apply(std::size_t i) {
  const trace::Trace& tr = *tl_->trace_;
  const trace::Record& r = tr.records()[i];
  PodAt& p = state_;
  p.lastRecord = i;
  switch (r.type) {
    case RecordType::PodStatus: {
      const trace::PodStatusRecord& s = tr.podStatusAt(r);
      if (p.createdAt < 0) {
        p.createdAt = r.t;
        p.exists = true;
        for (auto& since : p.conditionSince) since = r.t;
      } else {
        for (std::size_t c = 0; c < s.conditions.size(); ++c) {
          if (s.conditions[c].present != p.status.conditions[c].present || s.conditions[c].status != p.status.conditions[c].status) {
            p.conditionSince[c] = r.t;
          }
        }
      }
      if (s.deleting && p.deletingSince < 0) p.deletingSince = r.t;
      const auto& sandbox = s.conditions[static_cast<std::size_t>(kubelet::ConditionType::PodReadyToStartContainers)];
      if (p.sandboxSince < 0 && sandbox.present && sandbox.status) p.sandboxSince = r.t;
      p.status = s;
      p.statusRecord = i;
      break;
    }
    case RecordType::ContainerStatus: {
      const trace::ContainerStatusRecord& c = tr.containerStatusAt(r);
      const auto ci = static_cast<std::size_t>(c.container);
      // Without the PodReadyToStartContainers condition, a container that ran shows that a sandbox existed.
      if (p.sandboxSince < 0 && (c.status.state.kind != Kind::Waiting || c.status.hasLastState)) p.sandboxSince = r.t;
      p.containers[ci] = c.status;
      p.reported[ci] = true;
      p.containerRecord[ci] = i;
      break;
    }
    case RecordType::PodRemoved:
      p.removed = true;
      p.exists = false;
      break;
    case RecordType::Event: p.events.push_back(i); break;
    case RecordType::Signal:
    case RecordType::Action:
    case RecordType::Log:
    case RecordType::Hook: break;
  }
}

}  // namespace podsim::report
