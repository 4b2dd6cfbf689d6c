// python/src/columns.cpp: trace, intervals, summaries and the kubectl view of a finished run, as columns.
#include "columns.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "models/scenario/duration.hpp"
#include "models/report/output.hpp"
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
    c.rule.push(rules.explain(r));
    TraceColumns::LastState last;
    const api::Pod* pod = r.pod >= 0 ? &sc.pods[static_cast<std::size_t>(r.pod)].pod : nullptr;
    c.t.push_back(r.t);
    if (pod != nullptr) c.pod.push(pod->key());
    else c.pod.null();
    // Defaults: every field null; each record type fills its own.
    bool container = false, containerType = false, image = false, state = false, reason = false, message = false,
         phase = false, status = false, podReady = false, node = false, eventType = false, fieldPath = false,
         action = false, exitCode = false, restartCount = false, restarts = false;
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
        }
        if (st.kind == Kind::Waiting && st.reason == api::Reason::CrashLoopBackOff) {
          c.message.push(fmt::format("back-off {} restarting failed container={} pod={}", scenario::formatDuration(st.backoff),
                                     pod->container(ci).name, sim.podRef(r.pod)));
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
        if (ps.node >= 0) c.node.push(sim.nodeNames()[static_cast<std::size_t>(ps.node)]), node = true;
        for (std::size_t i = 0; i < ps.conditions.size(); ++i) {
          if (!ps.conditions[i].present) continue;
          conditions.emplace_back(std::string(kubelet::toString(static_cast<kubelet::ConditionType>(i))),
                                  ps.conditions[i].status ? "True" : "False");
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
        c.message.push(trace::eventMessage(sim, r.pod, ev)), message = true;
        c.eventType.push(ev.warning ? "Warning" : "Normal"), eventType = true;
        break;
      }
      case RecordType::Action: {
        const scenario::Action& a = sc.actions[r.row];
        c.type.push("Action");
        c.action.push(a.name), action = true;
        for (const auto& [k, v] : a.arguments) {
          if (k == "pod") continue;
          arguments.emplace_back(k, v);
          // The JSON trace writes arguments as top-level fields: those named like a column fill it too.
          if (k == "container" && !container) c.container.push(v), container = true;
          else if (k == "image" && !image) c.image.push(v), image = true;
          else if (k == "node" && !node) c.node.push(v), node = true;
          else if (k == "reason" && !reason) c.reason.push(v), reason = true;
        }
        break;
      }
    }
    if (!container) c.container.null();
    if (!containerType) c.containerType.null();
    if (!image) c.image.null();
    if (!state) c.state.null();
    if (!reason) c.reason.null();
    if (!message) c.message.null();
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

/// What one pass over the ContainerStatus records learns about each container.
struct ContainerTrack {
  bool open = false;
  Kind state = Kind::Waiting;
  api::Reason reason = api::Reason::None;
  std::int32_t restartCount = 0;
  std::int32_t exitCode = 0;
  Time start = 0;
  bool ready = false;
  Time readySince = 0;
  Time readyTime = 0;
  Time firstReady = -1;
  Time firstStarted = -1;
  Time inState[3] = {0, 0, 0};
  bool seen = false;
};

struct Pass {
  std::vector<std::vector<ContainerTrack>> tracks;  // [pod][container]
  IntervalColumns intervals;
};

void closeInterval(const engine::Simulation& sim, Pass& pass, std::size_t p, std::size_t ci, Time at) {
  ContainerTrack& k = pass.tracks[p][ci];
  if (k.ready) {
    k.readyTime += at - k.readySince;
    k.readySince = at;
  }
  if (!k.open) return;
  k.inState[static_cast<int>(k.state)] += at - k.start;
  if (at > k.start) {
    const api::Pod& pod = sim.scenario().pods[p].pod;
    IntervalColumns& iv = pass.intervals;
    iv.pod.push(pod.key());
    iv.container.push(pod.container(ci).name);
    iv.containerType.push(api::traceName(pod.containerType(ci)));
    iv.state.push(stateName(k.state));
    pushReason(iv.reason, k.reason);
    iv.start.push_back(k.start);
    iv.end.push_back(at);
    iv.restartCount.push(k.restartCount);
    if (k.state == Kind::Terminated) iv.exitCode.push(k.exitCode);
    else iv.exitCode.null();
  }
  k.open = false;
}

Pass walk(const engine::Simulation& sim) {
  requireTrace(sim);
  const auto& sc = sim.scenario();
  const trace::Trace& tr = sim.trace();
  Pass pass;
  pass.tracks.resize(sc.pods.size());
  for (std::size_t p = 0; p < sc.pods.size(); ++p) pass.tracks[p].resize(sc.pods[p].pod.containerCount());
  for (const trace::Record& r : tr.records()) {
    if (r.pod < 0) continue;
    const auto p = static_cast<std::size_t>(r.pod);
    if (r.type == RecordType::PodRemoved) {
      for (std::size_t ci = 0; ci < pass.tracks[p].size(); ++ci) {
        closeInterval(sim, pass, p, ci, r.t);
        pass.tracks[p][ci].ready = false;
      }
      continue;
    }
    if (r.type != RecordType::ContainerStatus) continue;
    const auto& cs = tr.containerStatusAt(r);
    const auto ci = static_cast<std::size_t>(cs.container);
    ContainerTrack& k = pass.tracks[p][ci];
    const auto& st = cs.status.state;
    k.seen = true;
    if (!k.open || k.state != st.kind || k.reason != st.reason || k.restartCount != cs.status.restartCount) {
      closeInterval(sim, pass, p, ci, r.t);
      k.open = true;
      k.state = st.kind;
      k.reason = st.reason;
      k.restartCount = cs.status.restartCount;
      k.exitCode = st.exitCode;
      k.start = r.t;
    }
    if (st.kind == Kind::Running && k.firstStarted < 0) k.firstStarted = r.t;
    if (cs.status.ready != k.ready) {
      if (k.ready) k.readyTime += r.t - k.readySince;
      k.ready = cs.status.ready;
      k.readySince = r.t;
      if (k.ready && k.firstReady < 0) k.firstReady = r.t;
    }
  }
  const Time end = sim.now();
  for (std::size_t p = 0; p < pass.tracks.size(); ++p) {
    for (std::size_t ci = 0; ci < pass.tracks[p].size(); ++ci) closeInterval(sim, pass, p, ci, end);
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
  const trace::Trace& tr = sim.trace();
  std::vector<const trace::PodStatusRecord*> last(sc.pods.size(), nullptr);
  std::vector<Time> createdAt(sc.pods.size(), -1);
  std::vector<bool> removed(sc.pods.size(), false);
  for (const trace::Record& r : tr.records()) {
    if (r.t > at) break;
    if (r.pod < 0) continue;
    const auto p = static_cast<std::size_t>(r.pod);
    if (r.type == RecordType::PodRemoved) removed[p] = true;
    if (r.type != RecordType::PodStatus) continue;
    if (createdAt[p] < 0) createdAt[p] = r.t;
    last[p] = &tr.podStatusAt(r);
  }
  KubectlRows rows;
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    if (last[p] == nullptr || removed[p]) continue;
    const auto& printed = last[p]->printed;
    rows.name.push_back(sc.pods[p].pod.name);
    rows.ready.push_back(fmt::format("{}/{}", printed.ready, printed.total));
    rows.status.push_back(printed.status());
    rows.restarts.push_back(trace::restartsColumn(printed, at));
    rows.age.push_back(trace::humanDuration(at - createdAt[p]));
  }
  return rows;
}

}  // namespace podsim::python
