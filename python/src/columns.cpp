// python/src/columns.cpp: trace, intervals, summaries and the kubectl view of a finished run, as columns.
#include "columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "models/report/logs.hpp"
#include "models/scenario/duration.hpp"
#include "models/kubelet/active_deadline.hpp"
#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/stop_signal.hpp"
#include "models/report/output.hpp"
#include "models/report/pod_timeline.hpp"
#include "models/report/rules.hpp"

namespace podsim::python {
namespace {

using Kind = kubelet::ContainerStateValue::Kind;
using trace::RecordType;

const char* stateName(Kind k) { return k == Kind::Waiting ? "waiting" : k == Kind::Running ? "running" : "terminated"; }

void pushReason(StringColumn& c, api::Reason r) {
  if (r == api::Reason::None) c.null();
  else c.push(api::toString(r));
}

void requireTrace(const engine::Simulation& sim) {
  if (!sim.trace().enabled()) throw std::logic_error("this run was made with the trace off (run(trace=True) keeps it)");
}

}  // namespace

void StringColumn::push(std::string_view s) {
  auto it = index.find(std::string(s));
  if (it == index.end()) {
    it = index.emplace(std::string(s), static_cast<std::int32_t>(categories.size())).first;
    categories.emplace_back(s);
  }
  codes.push_back(it->second);
}

TraceColumns traceColumns(const engine::Simulation& sim) {
  requireTrace(sim);
  const auto& sc = sim.scenario();
  const trace::Trace& tr = sim.trace();
  TraceColumns c;
  const std::size_t n = tr.records().size();
  c.t.reserve(n);
  c.lastState.reserve(n);
  trace::RuleExplainer rules(sim);
  for (const trace::Record& r : tr.records()) {
    if (r.type == trace::RecordType::Signal) continue;  // podsim's own record, not in the JSON lines
    c.rule.push(rules.explain(r));
    TraceColumns::LastState last;
    const api::Pod* pod = r.pod >= 0 ? &sc.pods[static_cast<std::size_t>(r.pod)].pod : nullptr;
    c.t.push_back(r.t);
    if (pod != nullptr) c.pod.push(pod->key());
    else c.pod.null();
    // Defaults: every field null; each record type fills its own.
    bool container = false, containerType = false, image = false, state = false, reason = false, message = false,
         phase = false, status = false, podReady = false, node = false, eventType = false, fieldPath = false,
         action = false, exitCode = false, restartCount = false, restarts = false, logOrHook = false, stopSignal = false;
    Time startedAt = -1, finishedAt = -1;
    std::int8_t started = -1, readyFlag = -1;
    std::vector<std::pair<std::string, std::string>> conditions, arguments;
    switch (r.type) {
      case RecordType::ContainerStatus: {
        const auto& cs = tr.containerStatusAt(r);
        const auto ci = static_cast<std::size_t>(cs.container);
        const auto& st = cs.status.state;
        c.type.push("ContainerStatus");
        c.container.push(pod->container(ci).name), container = true;
        c.containerType.push(api::traceName(pod->containerType(ci))), containerType = true;
        const auto& images = sc.images;
        const auto img = cs.status.imageId;
        c.image.push(img >= 0 && static_cast<std::size_t>(img) < images.size() ? images[static_cast<std::size_t>(img)] : ""), image = true;
        c.state.push(stateName(st.kind)), state = true;
        pushReason(c.reason, st.reason), reason = true;
        if (st.kind == Kind::Terminated) c.exitCode.push(st.exitCode), exitCode = true;
        startedAt = st.startedAt >= 0 ? st.startedAt : -1;
        finishedAt = st.kind == Kind::Terminated && st.finishedAt >= 0 ? st.finishedAt : -1;
        c.restartCount.push(cs.status.restartCount), restartCount = true;
        started = cs.status.started ? 1 : 0;
        readyFlag = cs.status.ready ? 1 : 0;
        if (cs.status.hasLastState) {
          const auto& ls = cs.status.lastState;
          last.present = true;
          last.state = stateName(ls.kind);
          if (ls.reason != api::Reason::None) last.reason = std::string(api::toString(ls.reason));
          last.hasExitCode = ls.kind == Kind::Terminated;
          last.exitCode = ls.exitCode;
          last.startedAt = ls.startedAt >= 0 ? ls.startedAt : -1;
          last.finishedAt = ls.kind == Kind::Terminated && ls.finishedAt >= 0 ? ls.finishedAt : -1;
          last.message = trace::containerStateMessage(sim, r.pod, cs.container, ls);
        }
        // As the JSON trace's `stopSignal` (models/report/output.cpp): with the gate on, for a container the runtime has.
        if (const auto& stop = sc.pods[static_cast<std::size_t>(r.pod)].statusStopSignals; !stop.empty() && cs.status.containerID != 0) {
          c.stopSignal.push(std::string(kubelet::stopSignalName(stop[ci]))), stopSignal = true;
        }
        // The same text as the JSON trace's `message` (models/report/output containerStateMessage).
        if (std::string m = trace::containerStateMessage(sim, r.pod, cs.container, st); !m.empty()) {
          c.message.push(std::move(m));
          message = true;
        }
        break;
      }
      case RecordType::PodStatus: {
        const auto& ps = tr.podStatusAt(r);
        c.type.push("PodStatus");
        c.phase.push(api::toString(ps.phase)), phase = true;
        pushReason(c.reason, ps.reason), reason = true;
        c.status.push(ps.printed.status()), status = true;
        c.podReady.push(fmt::format("{}/{}", ps.printed.ready, ps.printed.total)), podReady = true;
        c.restarts.push(ps.printed.restarts), restarts = true;
        if (ps.reason == api::Reason::DeadlineExceeded) {
          c.message.push(std::string(kubelet::kDeadlineExceededMessage)), message = true;
        }
        if (ps.node >= 0) c.node.push(sim.nodeNames()[static_cast<std::size_t>(ps.node)]), node = true;
        for (std::size_t i = 0; i < ps.conditions.size(); ++i) {
          if (!ps.conditions[i].present) continue;
          conditions.emplace_back(std::string(kubelet::toString(static_cast<kubelet::ConditionType>(i))),
                                  ps.conditions[i].status ? "True" : "False");
        }
        for (std::size_t slot = 0; ps.customConditions != 0 && slot < sc.podConditionTypes.size(); ++slot) {
          const auto st = kubelet::customCondition(ps.customConditions, slot);
          if (st != kubelet::CustomConditionStatus::Absent) conditions.emplace_back(sc.podConditionTypes[slot], std::string(kubelet::toString(st)));
        }
        break;
      }
      case RecordType::PodRemoved:
        c.type.push("PodRemoved");
        break;
      case RecordType::Event: {
        const auto& ev = tr.eventAt(r);
        c.type.push("Event");
        if (ev.container >= 0) {
          const auto ci = static_cast<std::size_t>(ev.container);
          c.container.push(pod->container(ci).name), container = true;
          const bool init = ci < pod->initContainers.size();
          c.fieldPath.push(std::string(init ? "spec.initContainers{" : "spec.containers{") + pod->container(ci).name + "}");
          fieldPath = true;
        }
        c.reason.push(api::toString(ev.reason)), reason = true;
        c.message.push(trace::eventMessage(sim, r.pod, ev, r.t)), message = true;
        c.eventType.push(ev.warning ? "Warning" : "Normal"), eventType = true;
        break;
      }
      case RecordType::Signal: break;
      case RecordType::Log: {
        const auto& l = tr.logAt(r);
        c.type.push("Log");
        c.container.push(pod->container(static_cast<std::size_t>(l.container)).name), container = true;
        c.restartCount.push(l.restartCount), restartCount = true;
        c.stream.push(l.isStderr ? "stderr" : "stdout");
        c.text.push(podsim::trace::logLine(sc, l.text, r.t));
        c.hook.null();
        logOrHook = true;
        break;
      }
      case RecordType::Hook: {
        const auto& h = tr.hookAt(r);
        c.type.push("Hook");
        c.container.push(pod->container(static_cast<std::size_t>(h.container)).name), container = true;
        c.state.push(h.state == trace::HookState::Started ? "started" : h.state == trace::HookState::Finished ? "finished" : "failed"), state = true;
        c.hook.push(h.hook == trace::HookKind::PostStart ? "postStart" : "preStop");
        c.stream.null();
        c.text.null();
        logOrHook = true;
        break;
      }
      case RecordType::Action: {
        const scenario::Action& a = sc.actions[r.row];
        c.type.push("Action");
        c.action.push(a.name), action = true;
        for (const auto& [k, v] : a.arguments) {
          if (k == "pod") continue;
          arguments.emplace_back(k == "type" ? "conditionType" : k, v);  // as the JSON trace writes it
          // The JSON trace writes arguments as top-level fields: those named like a column fill it too.
          if (k == "container" && !container) c.container.push(v), container = true;
          else if (k == "image" && !image) c.image.push(v), image = true;
          else if (k == "node" && !node) c.node.push(v), node = true;
          else if (k == "reason" && !reason) c.reason.push(v), reason = true;
          else if (k == "status" && !status) c.status.push(v), status = true;  // setPodCondition's status
        }
        break;
      }
    }
    if (!logOrHook) {
      c.stream.null();
      c.text.null();
      c.hook.null();
    }
    if (!container) c.container.null();
    if (!containerType) c.containerType.null();
    if (!image) c.image.null();
    if (!state) c.state.null();
    if (!reason) c.reason.null();
    if (!message) c.message.null();
    if (!stopSignal) c.stopSignal.null();
    if (!phase) c.phase.null();
    if (!status) c.status.null();
    if (!podReady) c.podReady.null();
    if (!node) c.node.null();
    if (!eventType) c.eventType.null();
    if (!fieldPath) c.fieldPath.null();
    if (!action) c.action.null();
    if (!exitCode) c.exitCode.null();
    if (!restartCount) c.restartCount.null();
    if (!restarts) c.restarts.null();
    c.startedAt.push_back(startedAt);
    c.finishedAt.push_back(finishedAt);
    c.started.push_back(started);
    c.readyFlag.push_back(readyFlag);
    c.conditions.push_back(std::move(conditions));
    c.arguments.push_back(std::move(arguments));
    c.lastState.push_back(std::move(last));
  }
  return c;
}

namespace {

/// What the status intervals of one container (report::PodTimeline) tell about it.
struct ContainerTrack {
  Kind state = Kind::Waiting;
  api::Reason reason = api::Reason::None;
  std::int32_t restartCount = 0;
  bool ready = false;   // at the end of the run (false once the pod is removed)
  Time readyTime = 0;
  Time firstReady = -1;
  Time firstStarted = -1;
  Time inState[3] = {0, 0, 0};
  bool seen = false;
};

/// One row of IntervalColumns before it is written: a run of status intervals with the same state, reason
/// and restartCount.
struct IntervalRow {
  std::size_t closedBy;  // the record that ended it; kNoRecord (largest) at the end of the run
  std::size_t pod, container;
  const report::ContainerStatusInterval* first;
  Time end;
};

struct Pass {
  std::vector<std::vector<ContainerTrack>> tracks;  // [pod][container]
  IntervalColumns intervals;
};

Pass walk(const engine::Simulation& sim) {
  requireTrace(sim);
  const auto& sc = sim.scenario();
  const std::vector<report::PodTimeline> timelines = report::PodTimeline::forRun(sim);
  Pass pass;
  pass.tracks.resize(sc.pods.size());
  std::vector<IntervalRow> rows;
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    const report::PodTimeline& tl = timelines[p];
    pass.tracks[p].resize(tl.containerCount());
    for (std::size_t ci = 0; ci < tl.containerCount(); ++ci) {
      ContainerTrack& k = pass.tracks[p][ci];
      const auto& lane = tl.containerIntervals(ci);
      for (std::size_t i = 0; i < lane.size();) {
        // A change of state, reason or restartCount opens the next row; zero-length rows are left out.
        const report::ContainerStatusInterval& first = lane[i];
        std::size_t j = i + 1;
        while (j < lane.size() && lane[j].status.state.kind == first.status.state.kind &&
               lane[j].status.state.reason == first.status.state.reason && lane[j].status.restartCount == first.status.restartCount) {
          ++j;
        }
        const report::ContainerStatusInterval& last = lane[j - 1];
        k.inState[static_cast<int>(first.status.state.kind)] += last.end - first.begin;
        if (last.end > first.begin) rows.push_back({last.endRecord, p, ci, &first, last.end});
        i = j;
      }
      for (const report::ContainerStatusInterval& iv : lane) {
        if (iv.status.ready) {
          k.readyTime += iv.end - iv.begin;
          if (k.firstReady < 0) k.firstReady = iv.begin;
        }
        if (iv.status.state.kind == Kind::Running && k.firstStarted < 0) k.firstStarted = iv.begin;
      }
      if (!lane.empty()) {
        const auto& st = lane.back().status;
        k.seen = true;
        k.state = st.state.kind;
        k.reason = st.state.reason;
        k.restartCount = st.restartCount;
        k.ready = tl.removedAt() < 0 && st.ready;
      }
    }
  }
  // Rows in the order their intervals closed (trace order; at one record, or at the end, by pod then container).
  std::stable_sort(rows.begin(), rows.end(), [](const IntervalRow& a, const IntervalRow& b) {
    if (a.closedBy != b.closedBy) return a.closedBy < b.closedBy;
    return a.pod != b.pod ? a.pod < b.pod : a.container < b.container;
  });
  IntervalColumns& iv = pass.intervals;
  for (const IntervalRow& r : rows) {
    const api::Pod& pod = sc.pods[r.pod].pod;
    const auto& st = r.first->status;
    iv.pod.push(pod.key());
    iv.container.push(pod.container(r.container).name);
    iv.containerType.push(api::traceName(pod.containerType(r.container)));
    iv.state.push(stateName(st.state.kind));
    pushReason(iv.reason, st.state.reason);
    iv.start.push_back(r.first->begin);
    iv.end.push_back(r.end);
    iv.restartCount.push(st.restartCount);
    if (st.state.kind == Kind::Terminated) iv.exitCode.push(st.state.exitCode);
    else iv.exitCode.null();
  }
  return pass;
}

}  // namespace

IntervalColumns intervalColumns(const engine::Simulation& sim) { return walk(sim).intervals; }

SummaryColumns summaryColumns(const engine::Simulation& sim) {
  const auto& sc = sim.scenario();
  SummaryColumns s;
  const double duration = static_cast<double>(sim.duration());
  auto podRow = [&](const engine::PodSummary& ps, const std::string& key) {
    s.pod.push(key);
    s.container.null();
    s.containerType.null();
    s.phase.push(api::toString(ps.phase));
    s.status.push(ps.status);
    s.ready.push(fmt::format("{}/{}", ps.ready, ps.total));
    s.state.null();
    s.reason.null();
    s.restarts.push(ps.restarts);
    s.timeToInitialized.push_back(ps.initializedAt);
    s.timeToStarted.push_back(-1);
    s.timeToReady.push_back(ps.readyAt);
    s.readyTime.push_back(ps.readyTime);
    s.timeWaiting.push_back(-1);
    s.timeRunning.push_back(-1);
    s.timeTerminated.push_back(-1);
    s.fractionReady.push_back(duration > 0 ? static_cast<double>(ps.readyTime) / duration : 0.0);
  };
  const auto summaries = sim.summaries();
  if (!sim.trace().enabled()) {
    for (std::size_t p = 0; p < summaries.size(); ++p) podRow(summaries[p], sc.pods[p].pod.key());
    return s;
  }
  const Pass pass = walk(sim);
  for (std::size_t p = 0; p < summaries.size(); ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    podRow(summaries[p], pod.key());
    for (std::size_t ci = 0; ci < pod.containerCount(); ++ci) {
      const ContainerTrack& k = pass.tracks[p][ci];
      s.pod.push(pod.key());
      s.container.push(pod.container(ci).name);
      s.containerType.push(api::traceName(pod.containerType(ci)));
      s.phase.null();
      s.status.null();
      s.ready.push(k.ready ? "true" : "false");
      if (k.seen) {
        s.state.push(stateName(k.state));
        pushReason(s.reason, k.reason);
      } else {
        s.state.null();
        s.reason.null();
      }
      s.restarts.push(k.restartCount);
      s.timeToInitialized.push_back(-1);
      s.timeToStarted.push_back(k.firstStarted);
      s.timeToReady.push_back(k.firstReady);
      s.readyTime.push_back(k.readyTime);
      s.timeWaiting.push_back(k.inState[0]);
      s.timeRunning.push_back(k.inState[1]);
      s.timeTerminated.push_back(k.inState[2]);
      s.fractionReady.push_back(duration > 0 ? static_cast<double>(k.readyTime) / duration : 0.0);
    }
  }
  return s;
}

KubectlRows kubectlAt(const engine::Simulation& sim, Time at) {
  requireTrace(sim);
  const auto& sc = sim.scenario();
  KubectlRows rows;
  for (const report::PodTimeline& tl : report::PodTimeline::forRun(sim)) {
    const report::PodAt p = tl.at(at);
    if (!p.exists) continue;
    const auto& printed = p.status.printed;
    rows.name.push_back(sc.pods[static_cast<std::size_t>(p.pod)].pod.name);
    rows.ready.push_back(fmt::format("{}/{}", printed.ready, printed.total));
    rows.status.push_back(printed.status());
    rows.restarts.push_back(trace::restartsColumn(printed, at));
    rows.age.push_back(trace::humanDuration(at - p.createdAt));
  }
  return rows;
}

}  // namespace podsim::python
