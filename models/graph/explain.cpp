// models/graph/explain.cpp: the event graph of one pod's run and its longest path (Boost.Graph).
//
// Vertices are made while walking the trace in order; an edge only ever goes from an earlier vertex
// (time, then creation order) to a later one, so the graph is a DAG by construction. What enabled
// what follows the kubelet's order (kubelet-semantics §2.3, §3, §4, §5): the scheduler binds the pod;
// init entries start one at a time after the previous one completed (or, for a sidecar, started);
// regular containers start after initialization, in spec order; each container goes pull -> create ->
// start -> running -> started -> ready; a waiting script exits after the Service it waits for appears;
// the pod is Ready after its last container is.
#include "models/graph/explain.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dag_shortest_paths.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include "models/graph/dependency_graph.hpp"
#include "models/report/pod_timeline.hpp"

namespace podsim::graph {
namespace {

using kubelet::ConditionType;
using sim::Time;
using trace::RecordType;
using StateKind = kubelet::ContainerStateValue::Kind;

const std::string kReaction = "kubelet reaction (PLEG relist, pod sync)";

enum class VK : std::uint8_t {
  PodCreated, Scheduled, Pulling, Pulled, PullFailed, Created, Started, Running, StartupOk, ReadyOk, Exited,
  Terminated, ServiceUp, PodReady, End, Killed
};

struct Vtx {
  Time t = 0;
  VK kind = VK::PodCreated;
  std::int32_t container = -1;
  std::string what;
};

struct Edg {
  std::size_t u = 0;
  std::size_t v = 0;
  std::string label;
};

/// Per container: the vertices later events hang on.
struct Ctr {
  long last = -1;          // latest vertex of this container
  long startedEvent = -1;  // latest `Started` event (the process was launched)
  long complete = -1;      // latest terminated-with-0 status (an init container is done)
  long startedOk = -1;     // latest status with started=true (a sidecar lets the next entry start)
  bool backOff = false;    // a BackOff event since the last vertex
  bool hasPrev = false;
  kubelet::ApiContainerStatus prev;
};

std::string secondsText(Time t) {
  std::string s = fmt::format("{:.1f}", sim::toSeconds(t));
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + " s";
}

class Builder {
 public:
  Builder(const engine::Simulation& sim, std::int32_t pod)
      : sim_(sim), sc_(sim.scenario()), p_(pod), pod_(sc_.pods.at(static_cast<std::size_t>(pod)).pod), g_(sc_),
        timeline_(sim, pod) {
    if (!sim.trace().enabled()) throw std::logic_error("explain: the run was made with the trace off");
    ctr_.resize(pod_.containerCount());
  }

  Explanation build() {
    collectAvailability();
    walk();
    return longestPath();
  }

 private:
  std::size_t add(Time t, VK k, std::int32_t c, std::string what) {
    vs_.push_back({t, k, c, std::move(what)});
    return vs_.size() - 1;
  }

  void link(long u, std::size_t v, std::string label) {
    if (u < 0) return;
    const auto uu = static_cast<std::size_t>(u);
    // Only forward in (time, creation order): keeps the graph acyclic.
    if (vs_[uu].t > vs_[v].t || (vs_[uu].t == vs_[v].t && uu >= v)) return;
    es_.push_back({uu, v, std::move(label)});
  }

  const std::string& name(std::int32_t c) const { return pod_.container(static_cast<std::size_t>(c)).name; }
  std::string image(std::int32_t c, std::int32_t imageId) const {
    if (imageId >= 0 && static_cast<std::size_t>(imageId) < sc_.images.size()) return sc_.images[static_cast<std::size_t>(imageId)];
    return pod_.container(static_cast<std::size_t>(c)).image;
  }

  // When each Service became usable: created (or declared), and when each pod turned Ready (endpoints).
  void collectAvailability() {
    created_.assign(sc_.services.size(), {});
    for (std::size_t s = 0; s < sc_.services.size(); ++s) {
      if (sc_.services[s].existsAtStart) created_[s].push_back(0);
      // The end of a down window (spec.endpoints) is when the name answers again.
      for (const auto& w : sc_.services[s].down) {
        if (w.to != sim::kForever) created_[s].push_back(w.to);
      }
    }
    podReady_.assign(sc_.pods.size(), {});
    std::vector<char> wasReady(sc_.pods.size(), 0);
    const auto& tr = sim_.trace();
    for (const auto& r : tr.records()) {
      if (r.type == RecordType::Action) {
        const auto& a = sc_.actions.at(r.row);
        if (a.kind == scenario::ActionKind::CreateService && a.service >= 0) {
          created_[static_cast<std::size_t>(a.service)].push_back(r.t);
        }
      } else if (r.type == RecordType::PodStatus && r.pod >= 0) {
        const auto& c = tr.podStatusAt(r).conditions[static_cast<std::size_t>(ConditionType::Ready)];
        const bool now = c.present && c.status;
        auto& was = wasReady[static_cast<std::size_t>(r.pod)];
        if (now && !was) podReady_[static_cast<std::size_t>(r.pod)].push_back(r.t);
        was = now ? 1 : 0;
      }
    }
  }

  /// The last moment at or before `t` when Service `s` became usable for `mode`, or -1.
  Time availableAt(std::int32_t s, WaitMode mode, Time t) const {
    Time best = -1;
    for (const Time x : created_[static_cast<std::size_t>(s)]) {
      if (x <= t) best = std::max(best, x);
    }
    if (mode == WaitMode::Connect && !g_.servingPods(s).empty()) {
      // A connection needs a ready endpoint: one of the pods the selector picks became Ready.
      Time ready = -1;
      for (const auto p : g_.servingPods(s)) {
        for (const Time x : podReady_[static_cast<std::size_t>(p)]) {
          if (x <= t) ready = std::max(ready, x);
        }
      }
      if (ready < 0) return -1;
      best = std::max(best, ready);
    }
    return best;
  }

  static bool isWindowEnd(const scenario::ServiceEntry& e, Time t) {
    return std::any_of(e.down.begin(), e.down.end(), [t](const scenario::TimeWindow& w) { return w.to == t; });
  }

  /// The vertex after which the init entry `c` lets the next one start: completed, or (a sidecar) started.
  long gateOf(std::size_t c) const {
    const long v = pod_.containerType(c) == api::ContainerType::Sidecar ? ctr_[c].startedOk : ctr_[c].complete;
    return v >= 0 ? v : ctr_[c].last;
  }

  /// Links the first vertex of container c to what allowed the kubelet to start it.
  void linkGates(std::size_t c, std::size_t v) {
    const std::size_t nInit = pod_.initContainers.size();
    const long base = scheduled_ >= 0 ? scheduled_ : static_cast<long>(root_);
    if (c < nInit) {
      link(c == 0 ? base : gateOf(c - 1), v, kReaction);
    } else {
      link(nInit == 0 ? base : gateOf(nInit - 1), v, kReaction);
      // Regular containers start one after the other in one sync (§5 rule 2).
      if (c > nInit) link(ctr_[c - 1].startedEvent >= 0 ? ctr_[c - 1].startedEvent : ctr_[c - 1].last, v, kReaction);
    }
  }

  /// Adds a vertex of container c, linked from its previous vertex (or its gates) with `label`.
  std::size_t step(Time t, VK k, std::size_t c, std::string what, const std::string& label) {
    const std::size_t v = add(t, k, static_cast<std::int32_t>(c), std::move(what));
    if (ctr_[c].last < 0) {
      linkGates(c, v);
    } else {
      link(ctr_[c].last, v, label);
    }
    ctr_[c].last = static_cast<long>(v);
    ctr_[c].backOff = false;
    return v;
  }

  std::string chainLabel(std::size_t c, VK from, VK to, std::int32_t imageId) const {
    const auto ci = static_cast<std::int32_t>(c);
    const auto& ctr = pod_.container(c);
    if (from == VK::Pulling && (to == VK::Pulled || to == VK::PullFailed)) return "pulling " + image(ci, imageId);
    if (from == VK::PullFailed && to == VK::Pulling) return "image pull back-off for " + image(ci, imageId);
    if ((to == VK::Created || to == VK::Pulled || to == VK::Pulling) &&
        (from == VK::Terminated || from == VK::Exited || from == VK::Killed)) {
      return ctr_[c].backOff ? "crash-loop back-off of " + ctr.name : "restarting " + ctr.name;
    }
    if (to == VK::Created) return "creating " + ctr.name;
    if (to == VK::Started) return "starting " + ctr.name;
    if (to == VK::Running && from == VK::Started && ctr.lifecycle.postStart.present()) return "postStart hook of " + ctr.name;
    if (to == VK::StartupOk && ctr.startupProbe) return "startup probe of " + ctr.name;
    if (to == VK::ReadyOk && ctr.readinessProbe) return "readiness probe of " + ctr.name;
    return kReaction;
  }

  void onEvent(const trace::Record& r, const trace::EventRecord& ev) {
    using R = api::EventReason;
    if (ev.container < 0) {
      if (ev.reason == R::FailedScheduling) unschedulable_ = true;
      if (ev.reason == R::Scheduled && scheduled_ < 0) {
        const auto v = add(r.t, VK::Scheduled, -1, "scheduled");
        link(static_cast<long>(root_), v, unschedulable_ ? "waiting for a node (Unschedulable)" : "scheduling");
        scheduled_ = static_cast<long>(v);
      }
      return;
    }
    const auto c = static_cast<std::size_t>(ev.container);
    if (c >= ctr_.size()) return;
    VK k;
    std::string what;
    const std::string img = image(ev.container, ev.image);
    switch (ev.reason) {
      case R::Pulling: k = VK::Pulling; what = "pulling " + img + " started"; break;
      case R::Pulled: k = VK::Pulled; what = img + " pulled"; break;
      case R::Failed:
      case R::ErrImageNeverPull:
      case R::InspectFailed:
        if (ev.message != trace::EventMessage::PullFailed && ev.message != trace::EventMessage::NeverPull &&
            ev.message != trace::EventMessage::InspectFailed) {
          return;
        }
        k = VK::PullFailed;
        what = "pull of " + img + " failed";
        break;
      case R::Created: k = VK::Created; what = name(ev.container) + " created"; break;
      case R::Started: k = VK::Started; what = name(ev.container) + " started"; break;
      case R::BackOff: ctr_[c].backOff = true; return;
      case R::Killing: {
        // A kill by the kubelet (a failed startup or liveness probe, a changed spec): what the time before
        // it went to is the probe that kept failing, or the container's run.
        if (ctr_[c].last < 0) return;
        const std::string& n = name(ev.container);
        std::string label = "running " + n;
        if (ev.kill == kubelet::KillReason::StartupProbe) label = "startup probe of " + n + " (failing)";
        if (ev.kill == kubelet::KillReason::LivenessProbe) label = "liveness probe of " + n + " (failing)";
        const bool backOff = ctr_[c].backOff;
        step(r.t, VK::Killed, c, n + " killed", label);
        ctr_[c].backOff = backOff;
        return;
      }
      default: return;
    }
    const VK from = ctr_[c].last >= 0 ? vs_[static_cast<std::size_t>(ctr_[c].last)].kind : VK::Scheduled;
    const auto v = step(r.t, k, c, what, chainLabel(c, from, k, ev.image));
    if (k == VK::Started) ctr_[c].startedEvent = static_cast<long>(v);
  }

  void onContainerStatus(const trace::Record& r, const trace::ContainerStatusRecord& rec) {
    const auto c = static_cast<std::size_t>(rec.container);
    if (c >= ctr_.size()) return;
    Ctr& st = ctr_[c];
    const auto& s = rec.status;
    const auto& p = st.prev;
    const bool newInstance = !st.hasPrev || s.restartCount != p.restartCount || s.containerID != p.containerID;
    const std::string& nm = name(rec.container);
    auto from = [&]() { return st.last >= 0 ? vs_[static_cast<std::size_t>(st.last)].kind : VK::Scheduled; };
    if (s.state.kind == StateKind::Terminated && (newInstance || p.state.kind != StateKind::Terminated)) {
      const Time fin = s.state.finishedAt >= 0 && s.state.finishedAt <= r.t ? s.state.finishedAt : r.t;
      const bool init = pod_.containerType(c) == api::ContainerType::Init;
      const long start = st.startedEvent >= 0 ? st.startedEvent : st.last;
      // A script that loops on nslookup/wget/curl/nc ends once the Service is there (interface.md §1).
      // The Service's vertex is made before the exit's: when the script's poll and the Service's
      // creation fall on the same instant, the Service still came first.
      std::vector<std::pair<std::size_t, std::string>> waits;
      if (s.state.exitCode == 0 && start >= 0) {
        for (const auto& [svc, mode] : g_.serviceWaits(p_, rec.container)) {
          const Time up = availableAt(svc, mode, fin);
          if (up < 0 || up <= vs_[static_cast<std::size_t>(start)].t) continue;
          const auto& entry = sc_.services[static_cast<std::size_t>(svc)];
          const std::string sname = (entry.external ? "endpoint " : "Service ") + entry.name;
          const bool created = !entry.external && std::find(created_[static_cast<std::size_t>(svc)].begin(),
                                                            created_[static_cast<std::size_t>(svc)].end(), up) !=
                                                      created_[static_cast<std::size_t>(svc)].end() &&
                                                   !isWindowEnd(entry, up);
          const auto sv = add(up, VK::ServiceUp, -1, sname + (mode == WaitMode::Connect || !created ? " answers" : " created"));
          link(start, sv, "waiting for " + sname);
          waits.emplace_back(sv, nm + " polling for " + sname);
        }
      }
      const auto ex = add(fin, VK::Exited, rec.container, fmt::format("{} exited ({})", nm, s.state.exitCode));
      const bool killed = st.last >= 0 && vs_[static_cast<std::size_t>(st.last)].kind == VK::Killed;
      const std::string running = killed ? "stopping " + nm : init ? "running init container " + nm : "running " + nm;
      // The Service's arrival is linked first: among causes arriving at the same instant, the path
      // goes through the first linked (the wait, rather than the run that merely lasted as long).
      for (const auto& [sv, label] : waits) link(static_cast<long>(sv), ex, label);
      link(st.last, ex, running);
      if (start != st.last) link(start, ex, running);
      st.last = static_cast<long>(ex);
      const auto v = step(r.t, VK::Terminated, c, fmt::format("{} terminated ({})", nm, api::toString(s.state.reason)),
                          kReaction);
      if (s.state.exitCode == 0) st.complete = static_cast<long>(v);
    } else if (s.state.kind == StateKind::Running && (newInstance || p.state.kind != StateKind::Running)) {
      const auto v = step(r.t, VK::Running, c, nm + " running", chainLabel(c, from(), VK::Running, -1));
      if (s.started) st.startedOk = static_cast<long>(v);
      if (s.ready) readyOk_[c] = static_cast<long>(v);
    } else if (s.state.kind == StateKind::Running && s.started && !p.started) {
      st.startedOk = static_cast<long>(step(r.t, VK::StartupOk, c, nm + " started (startup probe passed)",
                                            chainLabel(c, from(), VK::StartupOk, -1)));
      if (s.ready) readyOk_[c] = st.startedOk;
    } else if (s.state.kind == StateKind::Running && s.ready && !p.ready) {
      readyOk_[c] = static_cast<long>(step(r.t, VK::ReadyOk, c, nm + " ready", chainLabel(c, from(), VK::ReadyOk, -1)));
    }
    st.prev = s;
    st.hasPrev = true;
  }

  void walk() {
    const auto& tr = sim_.trace();
    readyOk_.assign(ctr_.size(), -1);
    bool haveRoot = false;
    for (const std::size_t ri : timeline_.records()) {
      const auto& r = tr.records()[ri];
      if (!haveRoot) {
        root_ = add(r.t, VK::PodCreated, -1, "pod created");
        createdAt_ = r.t;
        haveRoot = true;
      }
      if (r.type == RecordType::Event) {
        onEvent(r, tr.eventAt(r));
      } else if (r.type == RecordType::ContainerStatus) {
        onContainerStatus(r, tr.containerStatusAt(r));
      } else if (r.type == RecordType::PodStatus) {
        const auto& c = tr.podStatusAt(r).conditions[static_cast<std::size_t>(ConditionType::Ready)];
        if (c.present && c.status) {
          sink_ = add(r.t, VK::PodReady, -1, "pod Ready");
          ready_ = true;
          for (std::size_t i = 0; i < ctr_.size(); ++i) {
            if (pod_.containerType(i) == api::ContainerType::Init) continue;
            link(readyOk_[i] >= 0 ? readyOk_[i] : ctr_[i].last, sink_, kReaction);
          }
          return;
        }
      }
    }
    if (!haveRoot) {
      root_ = add(0, VK::PodCreated, -1, "pod created");
      createdAt_ = 0;
    }
    // Never Ready: the path runs to the end of the run, through what each container was still doing.
    sink_ = add(std::max(sim_.now(), vs_[root_].t), VK::End, -1, "end of the run");
    bool any = false;
    for (std::size_t i = 0; i < ctr_.size(); ++i) {
      if (ctr_[i].last < 0) continue;
      any = true;
      link(ctr_[i].last, sink_, stillDoing(i));
    }
    if (!any) link(scheduled_ >= 0 ? scheduled_ : static_cast<long>(root_), sink_,
                   scheduled_ >= 0 ? "waiting for the first container to start"
                                   : (unschedulable_ ? "waiting for a node (Unschedulable)" : "waiting to be scheduled"));
  }

  std::string stillDoing(std::size_t c) const {
    const Ctr& st = ctr_[c];
    const auto& nm = pod_.container(c).name;
    const auto& s = st.prev;
    if (st.hasPrev && s.state.kind == StateKind::Running) {
      for (const auto& [svc, mode] : g_.serviceWaits(p_, static_cast<std::int32_t>(c))) {
        const auto& entry = sc_.services[static_cast<std::size_t>(svc)];
        const Time now = sim_.now();
        const bool down = std::any_of(entry.down.begin(), entry.down.end(),
                                      [now](const scenario::TimeWindow& w) { return now >= w.from && now < w.to; });
        if (down || availableAt(svc, mode, now) < 0) {
          return (entry.external ? "waiting for endpoint " : "waiting for Service ") + entry.name + " (still waiting)";
        }
      }
      if (pod_.containerType(c) == api::ContainerType::Init) return "running init container " + nm + " (still running)";
      if (!s.started) return "startup probe of " + nm + " (not passed)";
      if (!s.ready) return "readiness probe of " + nm + " (not passed)";
      return nm + " running";
    }
    if (st.hasPrev && s.state.kind == StateKind::Waiting && s.state.reason != api::Reason::None) {
      return fmt::format("{} waiting ({})", nm, api::toString(s.state.reason));
    }
    return nm + " not progressing";
  }

  Explanation longestPath() {
    using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    boost::property<boost::edge_weight_t, Time>>;
    const std::size_t n = vs_.size();
    // Each edge weighs the time from the event's last-arriving cause to the event: the chain of
    // last-arriving causes is then the only longest path, and its weights add up to the time to Ready.
    std::vector<Time> lastCause(n, std::numeric_limits<Time>::min());
    for (const Edg& e : es_) lastCause[e.v] = std::max(lastCause[e.v], vs_[e.u].t);
    G g(n);
    for (const Edg& e : es_) boost::add_edge(e.u, e.v, -(vs_[e.v].t - lastCause[e.v]), g);
    std::vector<Time> dist(n);
    std::vector<std::size_t> pred(n);
    for (std::size_t i = 0; i < n; ++i) pred[i] = i;
    const auto index = boost::get(boost::vertex_index, g);
    boost::dag_shortest_paths(g, root_,
                              boost::weight_map(boost::get(boost::edge_weight, g))
                                  .distance_map(boost::make_iterator_property_map(dist.begin(), index))
                                  .predecessor_map(boost::make_iterator_property_map(pred.begin(), index)));
    Explanation x;
    x.pod = pod_.name;
    x.ready = ready_;
    x.createdAt = createdAt_;
    x.readyAt = vs_[sink_].t;
    std::vector<CriticalStep> rev;
    for (std::size_t v = sink_; v != root_ && pred[v] != v; v = pred[v]) {
      const std::size_t u = pred[v];
      std::string label = kReaction;
      for (const Edg& e : es_) {
        if (e.u == u && e.v == v) {
          label = e.label;
          break;
        }
      }
      rev.push_back({vs_[u].t, vs_[v].t, std::move(label), vs_[v].what});
    }
    x.path.assign(rev.rbegin(), rev.rend());
    for (const auto& s : x.path) {
      const Time d = s.to - s.from;
      if (d <= 0) continue;
      auto it = std::find_if(x.totals.begin(), x.totals.end(), [&](const ActivityTotal& a) { return a.activity == s.activity; });
      if (it == x.totals.end()) {
        x.totals.push_back({s.activity, d});
      } else {
        it->duration += d;
      }
    }
    std::stable_sort(x.totals.begin(), x.totals.end(),
                     [](const ActivityTotal& a, const ActivityTotal& b) { return a.duration > b.duration; });
    std::string head = x.ready ? "Ready at " + secondsText(x.readyAt)
                               : "Not Ready by the end of the run at " + secondsText(x.readyAt);
    if (x.createdAt > 0) head += ", " + secondsText(x.readyAt - x.createdAt) + " after the pod was created";
    std::string parts;
    for (const auto& a : x.totals) {
      if (a.duration < 50 * sim::kMillisecond) continue;  // rounds to 0.0 s
      if (!parts.empty()) parts += ", ";
      parts += secondsText(a.duration) + " " + a.activity;
    }
    if (parts.empty()) parts = "no step took measurable time";
    x.sentence = head + ": " + parts;
    return x;
  }

  const engine::Simulation& sim_;
  const scenario::Scenario& sc_;
  std::int32_t p_;
  const api::Pod& pod_;
  DependencyGraph g_;
  report::PodTimeline timeline_;  // the pod's records, walked in order
  std::vector<Vtx> vs_;
  std::vector<Edg> es_;
  std::vector<Ctr> ctr_;
  std::vector<long> readyOk_;
  std::vector<std::vector<Time>> created_;
  std::vector<std::vector<Time>> podReady_;
  std::size_t root_ = 0;
  std::size_t sink_ = 0;
  long scheduled_ = -1;
  bool unschedulable_ = false;
  bool ready_ = false;
  Time createdAt_ = 0;
};

}  // namespace

Explanation explainRun(const engine::Simulation& sim, std::int32_t pod) {
  if (pod < 0 || static_cast<std::size_t>(pod) >= sim.scenario().pods.size()) {
    throw std::out_of_range("explain: no pod with index " + std::to_string(pod));
  }
  return Builder(sim, pod).build();
}

Explanation explainPod(const scenario::Scenario& scenario, const std::string& podName, const engine::RunOptions& options) {
  std::int32_t index = -1;
  for (std::size_t i = 0; i < scenario.pods.size(); ++i) {
    const api::Pod& p = scenario.pods[i].pod;
    if (p.name == podName || p.key() == podName) {
      index = static_cast<std::int32_t>(i);
      break;
    }
  }
  if (index < 0) {
    std::string names;
    for (const auto& e : scenario.pods) names += (names.empty() ? "" : ", ") + e.pod.name;
    throw std::invalid_argument(fmt::format("{}: no pod named \"{}\" (pods: {})", scenario.file, podName, names));
  }
  engine::RunOptions o = options;
  o.recordTrace = true;
  engine::Simulation sim(scenario, o);
  sim.run();
  return explainRun(sim, index);
}

}  // namespace podsim::graph
