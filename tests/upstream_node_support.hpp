// tests/upstream_node_support.hpp: what tests/test_upstream_node_e2e.cpp needs to assert what the upstream
// e2e suites test/e2e/common/node/{init_container,lifecycle_hook,pods}.go (v1.37.2) assert: a scenario under
// tests/upstream/node/ run to its end, and the pod's status replayed record by record as a watch would see
// it (every ContainerStatus and PodStatus record is one update of the Pod object).
//
// Owns nothing but the Run; every time is simulated nanoseconds from the run's start.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "tests/support.hpp"

namespace podsim::testing::e2e {

using Kind = kubelet::ContainerStateValue::Kind;

/// Runs tests/upstream/node/<file> (relative to that directory). Errors: scenario::InputError.
inline Run runNode(const std::string& file) { return runFile("tests/upstream/node/" + file); }

/// The unified index of container `name` in pod `pod`; -1 when it has none.
inline std::int32_t containerIndex(const Run& r, const std::string& name, std::size_t pod = 0) {
  const api::Pod& p = r.sc.pods[pod].pod;
  for (std::size_t i = 0; i < p.containerCount(); ++i) {
    if (p.container(i).name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

/// The Pod object as a watch sees it after one update: its containers' statuses (unified index; `reported`
/// false until the kubelet wrote one), the pod-level record, and whether it is gone.
struct Observed {
  sim::Time t = 0;
  std::vector<kubelet::ApiContainerStatus> containers;
  std::vector<bool> reported;
  trace::PodStatusRecord pod;
  bool hasPodStatus = false;
  bool removed = false;
};

/// Calls `f` after every status update of pod `pod`, in trace order (the e2e's watch events). `f` returns
/// false to stop (watchtools.Until's condition met). Returns the last state passed to `f`.
inline Observed watch(const Run& r, const std::function<bool(const Observed&)>& f, std::size_t pod = 0) {
  Observed o;
  const std::size_t n = r.sc.pods[pod].pod.containerCount();
  o.containers.resize(n);
  o.reported.assign(n, false);
  const trace::Trace& tr = r.sim->trace();
  for (const trace::Record& rec : tr.records()) {
    if (rec.pod != static_cast<std::int32_t>(pod)) continue;
    if (rec.type == trace::RecordType::ContainerStatus) {
      const auto& cs = tr.containerStatusAt(rec);
      o.containers[static_cast<std::size_t>(cs.container)] = cs.status;
      o.reported[static_cast<std::size_t>(cs.container)] = true;
    } else if (rec.type == trace::RecordType::PodStatus) {
      o.pod = tr.podStatusAt(rec);
      o.hasPodStatus = true;
    } else if (rec.type == trace::RecordType::PodRemoved) {
      o.removed = true;
    } else {
      continue;
    }
    o.t = rec.t;
    if (!f(o)) break;
  }
  return o;
}

/// The pod's state at the end of the run (the last update).
inline Observed final(const Run& r, std::size_t pod = 0) {
  return watch(r, [](const Observed&) { return true; }, pod);
}

/// The first state for which `until` holds (watchtools.Until); REQUIREs that there is one.
inline Observed until(const Run& r, const std::function<bool(const Observed&)>& cond, std::size_t pod = 0) {
  bool met = false;
  Observed o = watch(r, [&](const Observed& s) { met = cond(s); return !met; }, pod);
  REQUIRE_MESSAGE(met, "the watch condition never held");
  return o;
}

/// Whether condition `c` is present with status True.
inline bool conditionTrue(const Observed& o, kubelet::ConditionType c) {
  const auto& pc = o.pod.conditions[static_cast<std::size_t>(c)];
  return pc.present && pc.status;
}

/// Times of Events `reason` about container `container` (unified index; -1: pod-level).
inline std::vector<sim::Time> eventTimes(const Run& r, std::int32_t container, api::EventReason reason, std::size_t pod = 0) {
  std::vector<sim::Time> out;
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Event || rec.pod != static_cast<std::int32_t>(pod)) continue;
    const auto& e = r.sim->trace().eventAt(rec);
    if (e.container == container && e.reason == reason) out.push_back(rec.t);
  }
  return out;
}

/// One Hook record: when and what.
struct HookAt {
  sim::Time t;
  trace::HookKind hook;
  trace::HookState state;
};

/// The Hook records of container `container`, in order.
inline std::vector<HookAt> hooks(const Run& r, std::int32_t container, std::size_t pod = 0) {
  std::vector<HookAt> out;
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Hook || rec.pod != static_cast<std::int32_t>(pod)) continue;
    const auto& h = r.sim->trace().hookAt(rec);
    if (h.container == container) out.push_back({rec.t, h.hook, h.state});
  }
  return out;
}

/// Times of the signals (SIGTERM when !kill, else SIGKILL) the runtime sent container `container`.
inline std::vector<sim::Time> signals(const Run& r, std::int32_t container, bool kill, std::size_t pod = 0) {
  std::vector<sim::Time> out;
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Signal || rec.pod != static_cast<std::int32_t>(pod)) continue;
    const auto s = trace::Trace::signalAt(rec);
    if (s.container == container && s.kill == kill) out.push_back(rec.t);
  }
  return out;
}

/// One restart as pods.go getRestartDelay measures it: the previous run's finishedAt and the next run's
/// startedAt (restartCount is the new run's).
struct Restart {
  std::int32_t restartCount;
  sim::Time finishedAt;
  sim::Time startedAt;
  [[nodiscard]] sim::Time delay() const { return startedAt - finishedAt; }
};

/// Every restart of container `container`, read from the status updates (lastState.finishedAt of the
/// previous run, state.startedAt of the run whose restartCount is one more).
inline std::vector<Restart> restarts(const Run& r, std::int32_t container, std::size_t pod = 0) {
  std::vector<Restart> out;
  std::int32_t seen = 0;
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::ContainerStatus || rec.pod != static_cast<std::int32_t>(pod)) continue;
    const auto& cs = r.sim->trace().containerStatusAt(rec);
    if (cs.container != container) continue;
    const auto& s = cs.status;
    if (s.restartCount > seen && s.state.kind != Kind::Waiting && s.hasLastState) {
      out.push_back({s.restartCount, s.lastState.finishedAt, s.state.startedAt});
      seen = s.restartCount;
    }
  }
  return out;
}

/// The status of container `container` at time `t` (the last update at or before it); `reported` false when
/// there is none yet.
inline std::pair<kubelet::ApiContainerStatus, bool> statusAt(const Run& r, std::int32_t container, sim::Time t, std::size_t pod = 0) {
  std::pair<kubelet::ApiContainerStatus, bool> out{{}, false};
  for (const trace::Record& rec : r.sim->trace().records()) {
    if (rec.t > t) break;
    if (rec.type != trace::RecordType::ContainerStatus || rec.pod != static_cast<std::int32_t>(pod)) continue;
    const auto& cs = r.sim->trace().containerStatusAt(rec);
    if (cs.container == container) out = {cs.status, true};
  }
  return out;
}

/// pods.go getRestartDelay, polled as the e2e polls: from `begin`, every second (first poll at begin + 1 s)
/// for at most 2 x 1.3 x MaxCrashLoopBackOff (780 s). The first poll that finds a last termination state and
/// a container not running fixes the previous finishedAt and restartCount; the first poll with a higher
/// restartCount returns that run's startedAt minus the previous finishedAt. `end` is the time of that poll;
/// `ok` false: timed out (the e2e fails).
struct RestartDelay {
  sim::Time delay = 0;
  sim::Time end = 0;
  bool ok = false;
};
inline RestartDelay getRestartDelay(const Run& r, std::int32_t container, sim::Time begin, std::size_t pod = 0) {
  const sim::Time limit = 2 * (390 * sim::kSecond);
  std::int32_t previousRestartCount = -1;
  sim::Time previousFinishedAt = 0;
  for (sim::Time t = begin + sim::kSecond; t - begin < limit + sim::kSecond; t += sim::kSecond) {
    const auto [s, reported] = statusAt(r, container, t, pod);
    if (!reported) continue;
    if (!s.hasLastState || s.lastState.kind != Kind::Terminated) continue;
    if (previousRestartCount == -1) {
      if (s.state.kind == Kind::Running) continue;
      previousFinishedAt = s.state.kind == Kind::Terminated ? s.state.finishedAt : s.lastState.finishedAt;
      previousRestartCount = s.restartCount;
    }
    if (s.restartCount > previousRestartCount) {
      const sim::Time startedAt = s.state.kind != Kind::Waiting ? s.state.startedAt : s.lastState.startedAt;
      return {startedAt - previousFinishedAt, t, true};
    }
  }
  return {0, begin + limit, false};
}

/// The time of the scenario's first action named `name` (e.g. "deletePod"); REQUIREs one.
inline sim::Time actionAt(const Run& r, const std::string& name) {
  for (const auto& a : r.sc.actions) {
    if (a.name == name) return a.at;
  }
  FAIL("no action " << name);
  return -1;
}

}  // namespace podsim::testing::e2e
