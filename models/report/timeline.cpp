// models/report/timeline.cpp: the SVG timeline of each pod and the HTML page around it.
//
// Owns layout and colours only; what the bars mean comes from the trace records and the rule behind each
// (models/report/rules.hpp), shown in the hover titles. The text is built with fmt, numbers with fixed
// precision, so that the output is byte-for-byte the same for the same trace.
#include "models/report/logs.hpp"
#include "models/report/timeline.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "models/engine/simulation.hpp"
#include "models/scenario/duration.hpp"
#include "models/report/output.hpp"
#include "models/report/pod_timeline.hpp"
#include "models/report/rules.hpp"

namespace podsim::trace {

namespace {

using Kind = kubelet::ContainerStateValue::Kind;

// Layout, in px.
constexpr double kLeft = 180;       // container names
constexpr double kPlot = 810;       // the time axis (the whole picture is 1,014 px: it fits a 1,024 px screen)
constexpr double kRight = 24;
constexpr double kLane = 22;
constexpr double kLaneGap = 6;
constexpr double kBand = 18;        // phase and STATUS rows
constexpr double kCond = 11;        // one condition row

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string dur(sim::Time t) { return scenario::formatDuration(t - t % sim::kMillisecond); }

/// What the picture shows of a container status: changes in anything else do not split a bar.
bool sameLook(const kubelet::ApiContainerStatus& a, const kubelet::ApiContainerStatus& b) {
  return a.state.kind == b.state.kind && a.state.reason == b.state.reason && a.state.exitCode == b.state.exitCode &&
         a.restartCount == b.restartCount && a.ready == b.ready && a.started == b.started && a.containerID == b.containerID;
}

std::string stateLabel(const kubelet::ApiContainerStatus& s) {
  switch (s.state.kind) {
    case Kind::Waiting: return s.state.reason == api::Reason::None ? "Waiting" : std::string(api::toString(s.state.reason));
    case Kind::Running:
      return !s.started ? "Running (not started)" : s.ready ? "Running (ready)" : "Running (not ready)";
    case Kind::Terminated:
      return fmt::format("{} ({})", s.state.reason == api::Reason::None ? "Terminated" : api::toString(s.state.reason), s.state.exitCode);
  }
  return "";
}

/// The label of a bar too narrow for stateLabel(): the reason alone ("CrashLoopBackOff", "Error") or "Running".
std::string shortLabel(const kubelet::ApiContainerStatus& s) {
  if (s.state.kind == Kind::Running) return "Running";
  return s.state.reason == api::Reason::None ? std::string(s.state.kind == Kind::Waiting ? "Waiting" : "Terminated")
                                             : std::string(api::toString(s.state.reason));
}

/// Colour of the STATUS band for a kubectl STATUS.
std::string statusColour(const kubelet::PrintedPod& p) {
  using PK = kubelet::PrintedPod::Kind;
  if (p.kind == PK::InitProgress) return "#9db4c0";
  if (p.kind == PK::InitSignal || p.kind == PK::InitExitCode || p.kind == PK::Signal || p.kind == PK::ExitCode) return "#d62828";
  switch (p.reason) {
    case api::Reason::Running: return p.ready < p.total ? stateColour("running:not-ready") : "#2a9d8f";
    case api::Reason::Pending: return "#e9ecef";
    case api::Reason::Terminating: return "#6c757d";
    case api::Reason::NotReady: return "#90caf9";
    default: break;
  }
  const std::string cls = "waiting:" + std::string(api::toString(p.reason));
  const std::string c = stateColour(cls);
  if (c != "#cccccc") return c;
  return stateColour("terminated:" + std::string(api::toString(p.reason)));
}

std::string phaseColour(api::PodPhase p) {
  switch (p) {
    case api::PodPhase::Pending: return "#f4e285";
    case api::PodPhase::Running: return "#8fd19e";
    case api::PodPhase::Succeeded: return "#6c8ebf";
    case api::PodPhase::Failed: return "#d9534f";
    case api::PodPhase::Unknown: return "#999999";
  }
  return "#999999";
}

/// "Nice" tick spacing so that about 6 to 12 ticks cover `span` ns.
sim::Time tickStep(sim::Time span) {
  static const sim::Time steps[] = {
      sim::kSecond,      2 * sim::kSecond,  5 * sim::kSecond,  10 * sim::kSecond, 15 * sim::kSecond, 30 * sim::kSecond,
      sim::kMinute,      2 * sim::kMinute,  5 * sim::kMinute,  10 * sim::kMinute, 15 * sim::kMinute, 30 * sim::kMinute,
      sim::kHour,        2 * sim::kHour,    3 * sim::kHour,    6 * sim::kHour,    12 * sim::kHour,   24 * sim::kHour};
  for (const sim::Time s : steps) {
    if (span / s <= 12) return s;
  }
  return 48 * sim::kHour;
}

std::string tickLabel(sim::Time t) {
  if (t == 0) return "0";
  if (t % sim::kHour == 0) return fmt::format("{}h", t / sim::kHour);
  if (t % sim::kMinute == 0) {
    return t >= sim::kHour ? fmt::format("{}h{}m", t / sim::kHour, t % sim::kHour / sim::kMinute) : fmt::format("{}m", t / sim::kMinute);
  }
  return scenario::formatDuration(t);
}

struct Canvas {
  std::string body;
  double height = 0;
  std::set<std::string> classesUsed;
};

/// A run of consecutive pod intervals that look the same in one band row (merged for the picture).
struct Span {
  sim::Time begin = 0, end = 0;
  std::size_t first = 0;  // index of its first PodInterval
};

template <class Same>
std::vector<Span> spans(const std::vector<PodInterval>& ivs, Same same) {
  std::vector<Span> out;
  for (std::size_t i = 0; i < ivs.size(); ++i) {
    if (!out.empty() && same(ivs[out.back().first], ivs[i])) {
      out.back().end = ivs[i].end;
      continue;
    }
    out.push_back({ivs[i].begin, ivs[i].end, i});
  }
  return out;
}

/// Rounds a window end up to a tick-friendly value (ns): 10 s, 15 s, 20 s, 30 s, 40 s, 1m, 90 s, 2m, 3m, 5m, 10m.
sim::Time roundWindow(sim::Time t) {
  static const sim::Time steps[] = {10 * sim::kSecond, 15 * sim::kSecond, 20 * sim::kSecond, 30 * sim::kSecond,
                                    40 * sim::kSecond, sim::kMinute,      90 * sim::kSecond, 2 * sim::kMinute,
                                    3 * sim::kMinute,  5 * sim::kMinute,  10 * sim::kMinute};
  for (const sim::Time w : steps) {
    if (t <= w) return w;
  }
  return t;
}

class Painter {
 public:
  explicit Painter(const engine::Simulation& sim) : sim_(sim), rules_(explainTrace(sim)), end_(std::max<sim::Time>(sim.now(), 1)) {}

  /// x of simulated time `t` (ns) in the current panel, clamped to it.
  double x(sim::Time t) const {
    const sim::Time c = std::clamp(t, from_, to_);
    return kLeft + kPlot * static_cast<double>(c - from_) / static_cast<double>(to_ - from_);
  }
  bool visible(sim::Time b, sim::Time e) const { return e >= from_ && b <= to_ && !(e == b && (b < from_ || b > to_)); }

  void pod(Canvas& c, std::int32_t p) {
    const api::Pod& spec = sim_.scenario().pods[static_cast<std::size_t>(p)].pod;
    const auto pods = podIntervals(sim_, p);
    const auto ivs = containerIntervals(sim_, p);
    sigterms_.assign(spec.containerCount(), {});
    for (const Record& r : sim_.trace().records()) {
      if (r.pod != p || r.type != RecordType::Signal) continue;
      const SignalRecord sr = Trace::signalAt(r);
      if (!sr.kill) sigterms_[static_cast<std::size_t>(sr.container)].push_back(r.t);
    }
    std::string& o = c.body;
    o += fmt::format("<g class=\"pod\" data-pod=\"{}\">\n", esc(spec.key()));
    std::string summary;
    if (!pods.empty()) {
      const PodStatusRecord& last = pods.back().status;
      summary = fmt::format("at {}: phase {}, STATUS {}, READY {}/{}, RESTARTS {}", dur(pods.back().end), api::toString(last.phase),
                            last.printed.status(), last.printed.ready, last.printed.total, last.printed.restarts);
    }
    o += fmt::format("<text class=\"pod-title\" x=\"10\" y=\"{:.1f}\" font-size=\"15\" font-weight=\"bold\">pod {}"
                     "<tspan font-size=\"11\" font-weight=\"normal\" fill=\"#555\" dx=\"12\">{}</tspan></text>\n",
                     c.height + 16, esc(spec.name), esc(summary));
    c.height += 24;
    // The whole run; then, when the run is long and the start-up is short, a detail of the start-up, where
    // init containers, sidecar start-up and first probes would otherwise be thinner than a pixel.
    panel(c, p, spec, pods, ivs, 0, end_, "whole run", true);
    sim::Time settled = -1;
    for (const PodInterval& iv : pods) {
      const auto& ready = iv.status.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
      if (ready.present && ready.status) {
        settled = iv.begin;
        break;
      }
    }
    if (settled < 0 && !pods.empty()) settled = pods.size() > 1 ? pods[1].begin : pods[0].end;
    const sim::Time window = roundWindow(std::max<sim::Time>(settled + settled / 4, 10 * sim::kSecond));
    if (settled > 0 && window * 6 <= end_) panel(c, p, spec, pods, ivs, 0, window, "start-up detail", false);
    // Likewise the termination, from the deletion request to the removal of the Pod object.
    sim::Time deleting = -1;
    for (const PodInterval& iv : pods) {
      if (iv.status.deleting) {
        deleting = iv.begin;
        break;
      }
    }
    if (deleting >= 0) {
      const sim::Time gone = pods.back().end;
      const sim::Time span = roundWindow(std::max<sim::Time>((gone - deleting) * 3 / 2, 10 * sim::kSecond));
      const sim::Time step = tickStep(span);
      sim::Time from = std::max<sim::Time>(0, deleting - span / 6);
      from -= from % step;
      if (span * 6 <= end_) panel(c, p, spec, pods, ivs, from, from + span, "termination detail", false);
    }
    o += "</g>\n";
  }

 private:
  void panel(Canvas& c, std::int32_t p, const api::Pod& spec, const std::vector<PodInterval>& pods,
             const std::vector<ContainerInterval>& ivs, sim::Time from, sim::Time to, const char* what, bool main) {
    from_ = from;
    to_ = std::max(to, from + 1);
    std::string& o = c.body;
    double y = c.height;
    o += fmt::format("<g class=\"panel\" data-panel=\"{}\" data-from=\"{:.3f}\" data-to=\"{:.3f}\" data-x0=\"{:.0f}\" data-width=\"{:.0f}\">\n",
                     main ? "run" : "detail", sim::toSeconds(from_), sim::toSeconds(to_), kLeft, kPlot);
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.2f}\" font-size=\"11\" font-style=\"italic\" fill=\"#555\">{}: {} to {}</text>\n", kLeft,
                     y + 10, what, tickLabel(from_), tickLabel(to_));
    y += 16;
    const double top = y;
    const std::vector<double> actionXs = actions(c, p, y);
    // Band above: phase, STATUS (READY), conditions.
    o += label(y + kBand / 2, "phase", 11, "#333");
    for (const Span& sp : spans(pods, [](const PodInterval& a, const PodInterval& b) { return a.status.phase == b.status.phase; })) {
      if (!visible(sp.begin, sp.end)) continue;
      const PodInterval& iv = pods[sp.first];
      o += rect(x(sp.begin), y, x(sp.end) - x(sp.begin), kBand - 2, phaseColour(iv.status.phase), "phase",
                fmt::format("phase {} {}–{}", api::toString(iv.status.phase), dur(sp.begin), dur(sp.end)),
                fmt::format(" data-phase=\"{}\"", api::toString(iv.status.phase)));
      o += inlineText(sp.begin, sp.end, y + kBand / 2 - 1, std::string(api::toString(iv.status.phase)), "#222");
    }
    y += kBand;
    o += label(y + kBand / 2, "STATUS  READY", 11, "#333");
    const auto sameStatus = [](const PodInterval& a, const PodInterval& b) {
      return a.status.printed.status() == b.status.printed.status() && a.status.printed.ready == b.status.printed.ready &&
             a.status.printed.total == b.status.printed.total;
    };
    for (const Span& sp : spans(pods, sameStatus)) {
      if (!visible(sp.begin, sp.end)) continue;
      const PodInterval& iv = pods[sp.first];
      const std::string st = iv.status.printed.status();
      const std::string ready = fmt::format("{}/{}", iv.status.printed.ready, iv.status.printed.total);
      const std::string col = statusColour(iv.status.printed);
      o += rect(x(sp.begin), y, x(sp.end) - x(sp.begin), kBand - 2, col, "status",
                fmt::format("STATUS {}  READY {}  RESTARTS {}, {}–{}\n{}", st, ready, iv.status.printed.restarts, dur(sp.begin),
                            dur(sp.end), rules_[iv.record]),
                fmt::format(" data-status=\"{}\" data-ready=\"{}\"", esc(st), ready));
      const std::string both = inlineText(sp.begin, sp.end, y + kBand / 2 - 1, fmt::format("{}  {}", st, ready), textColour(col));
      o += !both.empty() ? both : inlineText(sp.begin, sp.end, y + kBand / 2 - 1, st, textColour(col));
    }
    y += kBand;
    for (std::size_t ci = 0; ci < static_cast<std::size_t>(kubelet::ConditionType::Count); ++ci) {
      const auto type = static_cast<kubelet::ConditionType>(ci);
      bool any = false;
      for (const PodInterval& iv : pods) any = any || iv.status.conditions[ci].present;
      if (!any) continue;  // e.g. DisruptionTarget: only drawn when a pod has it
      o += label(y + kCond / 2, std::string(kubelet::toString(type)), 9, "#555");
      const auto sameCond = [ci](const PodInterval& a, const PodInterval& b) {
        return a.status.conditions[ci].present == b.status.conditions[ci].present && a.status.conditions[ci].status == b.status.conditions[ci].status;
      };
      for (const Span& sp : spans(pods, sameCond)) {
        const kubelet::PodCondition& cond = pods[sp.first].status.conditions[ci];
        if (!cond.present || !visible(sp.begin, sp.end)) continue;
        o += rect(x(sp.begin), y + 1, x(sp.end) - x(sp.begin), kCond - 2, cond.status ? "#2a9d8f" : "#e3e3e3", "condition",
                  fmt::format("{}={} {}–{}", kubelet::toString(type), cond.status ? "True" : "False", dur(sp.begin), dur(sp.end)),
                  fmt::format(" data-condition=\"{}\" data-value=\"{}\"", kubelet::toString(type), cond.status ? "True" : "False"));
      }
      y += kCond;
    }
    y += 8;
    // One lane per container, in spec order: init containers, sidecars among them, then regular containers.
    std::vector<double> laneY(spec.containerCount());
    for (std::size_t ci = 0; ci < spec.containerCount(); ++ci) {
      laneY[ci] = y;
      const api::Container& cs = spec.container(ci);
      const api::ContainerType type = spec.containerType(ci);
      o += fmt::format("<g class=\"lane\" data-container=\"{}\" data-type=\"{}\">\n", esc(cs.name), api::traceName(type));
      o += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"#f4f5f7\"/>\n", kLeft, y, kPlot, kLane);
      o += fmt::format("<text class=\"lane-type\" x=\"10\" y=\"{:.2f}\" font-size=\"10\" dominant-baseline=\"middle\" fill=\"{}\">{}</text>\n",
                       y + kLane / 2, type == api::ContainerType::Init ? "#457b9d" : type == api::ContainerType::Sidecar ? "#7b2cbf" : "#555",
                       api::traceName(type));
      o += fmt::format("<text class=\"lane-label\" x=\"{:.1f}\" y=\"{:.2f}\" font-size=\"12\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
                       kLeft - 8, y + kLane / 2, esc(cs.name));
      std::int32_t lastRestart = 0;
      for (const ContainerInterval& iv : ivs) {
        if (static_cast<std::size_t>(iv.container) != ci) continue;
        const bool restart = iv.status.restartCount > lastRestart;
        if (restart) lastRestart = iv.status.restartCount;
        if (!visible(iv.begin, iv.end)) continue;
        const bool stopped = type == api::ContainerType::Sidecar && stoppedByKubelet(ci, iv.status);
        const std::string cls = stopped ? "terminated:stopped" : stateClass(iv.status);
        c.classesUsed.insert(cls);
        const std::string col = stateColour(cls);
        o += rect(x(iv.begin), y, x(iv.end) - x(iv.begin), kLane, col, "seg",
                  fmt::format("{}: {}{}, {}–{} ({}), restartCount {}\n{}", cs.name, stateLabel(iv.status),
                              stopped ? ": stopped by the kubelet (SIGTERM when the pod ended; kubectl shows the exit code)" : "",
                              dur(iv.begin), dur(iv.end), dur(iv.end - iv.begin), iv.status.restartCount, rules_[iv.record]) +
                      logHover(p, static_cast<std::int32_t>(ci), iv.begin, iv.end),
                  fmt::format(" data-state=\"{}\"", esc(cls)));
        const std::string full =
            inlineText(iv.begin, iv.end, y + kLane / 2, stopped ? "Stopped" : stateLabel(iv.status), textColour(col));
        std::string label = !full.empty() ? full : inlineText(iv.begin, iv.end, y + kLane / 2, shortLabel(iv.status), textColour(col));
        if (label.empty() && iv.status.state.reason == api::Reason::CrashLoopBackOff) {
          // Narrow back-off bars still say how long the back-off is: the growing gaps, in numbers.
          label = inlineText(iv.begin, iv.end, y + kLane / 2, scenario::formatDuration(iv.status.state.backoff), textColour(col));
        }
        o += label;
        const auto& st = iv.status.state;
        if (st.kind == Kind::Terminated && st.finishedAt >= 0 && st.finishedAt < iv.begin && visible(st.finishedAt, iv.begin)) {
          // The process had exited before the API status said so (PLEG relist, or a sync that was busy killing).
          o += fmt::format("<rect class=\"exited\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"4\" fill=\"#111\">"
                           "<title>{}: the process exited at {} (exit code {}); the API status showed it at {}</title></rect>\n",
                           x(st.finishedAt), y + kLane - 4, std::max(x(iv.begin) - x(st.finishedAt), 1.0), esc(cs.name),
                           dur(st.finishedAt), st.exitCode, dur(iv.begin));
          c.classesUsed.insert("~exited");
        }
        if (restart && iv.begin >= from_ && iv.begin <= to_) {
          c.classesUsed.insert("~restart");
          // A restart: a tick above the lane, numbered when there is room.
          const double rx = x(iv.begin);
          o += fmt::format("<path class=\"restart\" data-count=\"{}\" d=\"M{:.2f},{:.2f} l-3.5,-6 l7,0 z\" fill=\"#222\"><title>restart {} of {} at {}</title></path>\n",
                           lastRestart, rx, y, lastRestart, esc(cs.name), dur(iv.begin));
        }
      }
      o += "</g>\n";
      y += kLane + kLaneGap;
    }
    // Marks, each in its own row of the lane so that none sits on another: hook spans in a strip at the
    // top, SIGTERM (✕) and SIGKILL (red ✕) in the middle, probe failures at the bottom, the kubelet's Killing
    // decision (△) under the lane.
    const Trace& tr = sim_.trace();
    const auto& recs = tr.records();
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const Record& r = recs[i];
      if (r.pod != p || r.t < from_ || r.t > to_) continue;
      if (r.type == RecordType::Signal) {
        const SignalRecord sr = Trace::signalAt(r);
        const auto ci = static_cast<std::size_t>(sr.container);
        const double ly = laneY[ci];
        o += fmt::format("<path class=\"{0}\" d=\"M{1:.2f},{2:.2f} l-4,-4 m4,4 l4,-4 m-4,4 l-4,4 m4,-4 l4,4\" stroke=\"{3}\" stroke-width=\"{4}\">"
                         "<title>{5}</title></path>\n",
                         sr.kill ? "sigkill" : "sigterm", x(r.t), ly + kLane / 2, sr.kill ? "#c1121f" : "#000", sr.kill ? "2.4" : "1.8",
                         esc(fmt::format("{} to {} at {}\n{}", sr.kill ? "SIGKILL" : "SIGTERM", spec.container(ci).name, dur(r.t), rules_[i])));
        c.classesUsed.insert(sr.kill ? "~sigkill" : "~sigterm");
        continue;
      }
      if (r.type != RecordType::Event) continue;
      const EventRecord& e = tr.eventAt(r);
      if (e.container < 0) continue;
      const auto ci = static_cast<std::size_t>(e.container);
      const double ly = laneY[ci];
      const double ex = x(r.t);
      const std::string title = esc(fmt::format("{} at {}: {}\n{}", api::toString(e.reason), dur(r.t), eventMessage(sim_, p, e, r.t), rules_[i]));
      const api::Container& cs = spec.container(ci);
      switch (e.reason) {
        case api::EventReason::Unhealthy: {
          static const char* const kinds[3] = {"startup", "liveness", "readiness"};
          o += fmt::format("<circle class=\"probe-failure\" data-probe=\"{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.8\" fill=\"#c1121f\" stroke=\"#fff\" stroke-width=\"0.7\"><title>{}</title></circle>\n",
                           kinds[std::min<std::size_t>(static_cast<std::size_t>(e.a), 2)], ex, ly + kLane - 4, title);
          c.classesUsed.insert("~probe");
          break;
        }
        case api::EventReason::Killing: {
          // The kubelet's decision; the process gets SIGTERM later when a preStop hook or the sidecar order
          // comes first (the ✕ marks).
          o += fmt::format("<path class=\"kill\" d=\"M{0:.2f},{1:.2f} l-3.5,5 l7,0 z\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.2\"><title>{2}</title></path>\n",
                           ex, ly + kLane + 0.5, title);
          c.classesUsed.insert("~kill");
          const sim::Time term = nextSigterm(ci, r.t);
          sim::Time hookEnd = r.t;
          if (cs.lifecycle.preStop.present()) {
            hookEnd = hookSpanEnd(p, ci, r.t, false, term);
            o += hookSpan(r.t, hookEnd, ly, "preStop", failedHookBetween(p, ci, r.t, hookEnd, false), cs.name);
            c.classesUsed.insert("~hook");
          }
          if (term > hookEnd && spec.containerType(ci) == api::ContainerType::Sidecar && visible(hookEnd, term)) {
            // A sidecar waits for the containers it outlives before its SIGTERM (sidecar termination order).
            o += fmt::format("<rect class=\"order-wait\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"4\" fill=\"#343a40\">"
                             "<title>{}: waits {} for the containers it outlives to exit, then SIGTERM at {} "
                             "(kuberuntime_container.go killContainersWithSyncResult, sidecar termination order)</title></rect>\n",
                             x(hookEnd), ly + 1, std::max(x(term) - x(hookEnd), 1.0), esc(cs.name), dur(term - hookEnd), dur(term));
            c.classesUsed.insert("~order");
          }
          break;
        }
        case api::EventReason::Started:
          if (cs.lifecycle.postStart.present()) {
            const sim::Time end = hookSpanEnd(p, ci, r.t, true, -1);
            o += hookSpan(r.t, end, ly, "postStart", failedHookBetween(p, ci, r.t, end, true), cs.name);
            c.classesUsed.insert("~hook");
          }
          break;
        default: break;
      }
    }
    // The Pod object's removal from the API (deletion finished).
    for (const Record& r : recs) {
      if (r.pod != p || r.type != RecordType::PodRemoved || r.t < from_ || r.t > to_) continue;
      o += fmt::format("<line class=\"removed\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#222\" stroke-width=\"1.2\" "
                       "stroke-dasharray=\"4,3\"><title>PodRemoved at {3}</title></line>\n",
                       x(r.t), top, y - kLaneGap, dur(r.t));
      o += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" fill=\"#222\">removed</text>\n", x(r.t) + 3, y - kLaneGap - 3);
    }
    for (const double ax : actionXs) {
      o += fmt::format("<line class=\"action-line\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#e76f51\" "
                       "stroke-width=\"1\" stroke-dasharray=\"2,3\" pointer-events=\"none\"/>\n",
                       ax, top, y - kLaneGap);
    }
    // Axis: grid lines across the panel, tick labels below.
    const sim::Time step = tickStep(to_ - from_);
    for (sim::Time t = from_; t <= to_; t += step) {
      o += fmt::format("<line class=\"grid\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#000\" stroke-opacity=\"0.13\"/>\n",
                       x(t), top, y - kLaneGap);
      o += fmt::format("<text class=\"tick\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#444\">{}</text>\n", x(t),
                       y + 9, tickLabel(t));
    }
    o += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" text-anchor=\"end\" fill=\"#444\">simulated time</text>\n",
                     kLeft + kPlot, y + 20);
    o += "</g>\n";
    c.height = y + 30;
  }

  static std::string textColour(const std::string& fill) {
    // Dark fills get white text.
    static const std::set<std::string> dark = {"#2a9d8f", "#d62828", "#7b2cbf", "#6c757d", "#9d0208", "#457b9d", "#e76f51", "#264653"};
    return dark.count(fill) != 0 ? "#fff" : "#222";
  }

  static std::string label(double y, const std::string& text, int size, const char* colour) {
    return fmt::format("<text x=\"{:.1f}\" y=\"{:.2f}\" font-size=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{}\">{}</text>\n",
                       kLeft - 8, y, size, colour, esc(text));
  }

  /// A bar at least 1 px wide (a 2 s run in a one-hour picture must still show).
  static std::string rect(double x0, double y, double w, double h, const std::string& fill, const char* cls, const std::string& title,
                          const std::string& extra) {
    return fmt::format("<rect class=\"{}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"{}><title>{}</title></rect>\n", cls,
                       x0, y, std::max(w, 1.0), h, fill, extra, esc(title));
  }

  /// A label inside a bar when it fits (about 6.2 px per character at 10 px).
  std::string inlineText(sim::Time b, sim::Time e, double y, const std::string& text, const std::string& colour) const {
    const double w = x(e) - x(b);
    if (w < 6.2 * static_cast<double>(text.size()) + 6) return "";
    return fmt::format("<text class=\"in\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" dominant-baseline=\"middle\" fill=\"{}\" pointer-events=\"none\">{}</text>\n",
                       x(b) + 3, y, colour, esc(text));
  }

  /// The scenario's actions on pod `p` or on no pod (createService, failNode...) in the panel: a row of
  /// flags with their names (staggered over rows when they would overlap), from `y` on; returns their x
  /// positions, for the lines drawn across the panel once its height is known. Advances `y`.
  std::vector<double> actions(Canvas& c, std::int32_t p, double& y) {
    struct Mark {
      sim::Time t;
      double x;
      std::string text, title, name;
      int row = 0;
    };
    std::vector<Mark> marks;
    const auto& sc = sim_.scenario();
    const auto& recs = sim_.trace().records();
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const Record& r = recs[i];
      if (r.type != RecordType::Action || (r.pod != p && r.pod >= 0) || r.t < from_ || r.t > to_) continue;
      const scenario::Action& a = sc.actions[r.row];
      std::string text = a.name;
      for (const auto& [k, v] : a.arguments) {
        if (k != "pod") text += " " + v;
      }
      marks.push_back({r.t, x(r.t), text, fmt::format("action {} at {}\n{}", text, dur(r.t), rules_[i]), a.name});
    }
    if (marks.empty()) return {};
    // Rows: a label goes in the first row where it does not overlap the one before it.
    std::vector<double> rowEnd;
    for (Mark& m : marks) {
      const double w = 6.0 * static_cast<double>(m.text.size()) + 12;
      std::size_t row = 0;
      while (row < rowEnd.size() && rowEnd[row] > m.x) ++row;
      if (row == rowEnd.size()) rowEnd.push_back(0);
      rowEnd[row] = m.x + w;
      m.row = static_cast<int>(row);
    }
    std::string& o = c.body;
    o += label(y + 7, "actions", 11, "#333");
    std::vector<double> xs;
    for (const Mark& m : marks) {
      const double my = y + 13 * m.row;
      // Labels near the right edge run leftwards from their flag.
      const bool leftwards = m.x + 6.0 * static_cast<double>(m.text.size()) + 8 > kLeft + kPlot + kRight;
      o += fmt::format("<g class=\"action\" data-action=\"{}\" data-t=\"{:.3f}\"><title>{}</title>"
                       "<path d=\"M{:.2f},{:.2f} l0,11 M{:.2f},{:.2f} l6,2.5 l-6,2.5 z\" stroke=\"#e76f51\" fill=\"#e76f51\" stroke-width=\"1.2\"/>"
                       "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\"{} fill=\"#9c3d1f\">{}</text></g>\n",
                       esc(m.name), sim::toSeconds(m.t),
                       esc(m.title), m.x, my, m.x, my, leftwards ? m.x - 3 : m.x + 8, my + 9, leftwards ? " text-anchor=\"end\"" : "",
                       esc(m.text));
      xs.push_back(m.x);
    }
    c.classesUsed.insert("~action");
    y += 13 * static_cast<double>(rowEnd.size()) + 3;
    return xs;
  }

  /// Whether a terminated status of container `ci` is the end of a run the kubelet stopped with SIGTERM
  /// (a sidecar at the end of a Job or at deletion): drawn as a stop, not as a failure.
  bool stoppedByKubelet(std::size_t ci, const kubelet::ApiContainerStatus& s) const {
    if (s.state.kind != Kind::Terminated || s.state.finishedAt < 0) return false;
    for (const sim::Time t : sigterms_[ci]) {
      if (t >= s.state.startedAt && t <= s.state.finishedAt) return true;
    }
    return false;
  }

  /// The first SIGTERM to container `ci` at or after `t` (ns), or -1.
  sim::Time nextSigterm(std::size_t ci, sim::Time t) const {
    for (const sim::Time s : sigterms_[ci]) {
      if (s >= t) return s;
    }
    return -1;
  }

  /// The end (ns) of a hook that began at `begin`: the first Hook record of that container and hook
  /// (finished or failed) at or after `begin`; without one (the hook was cut short or the run ended),
  /// the handler's sleep or the `behaviors` duration of an exec/httpGet hook. A preStop also ends at the
  /// SIGTERM that follows it (`term`, -1 none) when that is earlier (the grace period cut it short).
  sim::Time hookSpanEnd(std::int32_t p, std::size_t ci, sim::Time begin, bool postStart, sim::Time term) const {
    const Trace& tr = sim_.trace();
    const trace::HookKind kind = postStart ? trace::HookKind::PostStart : trace::HookKind::PreStop;
    sim::Time end = -1;
    for (const Record& r : tr.records()) {
      if (r.pod != p || r.type != RecordType::Hook || r.t < begin) continue;
      const trace::HookRecord& h = tr.hookAt(r);
      if (h.container == static_cast<std::int32_t>(ci) && h.hook == kind && h.state != trace::HookState::Started) {
        end = r.t;
        break;
      }
    }
    if (end < 0) {
      const auto& entry = sim_.scenario().pods[static_cast<std::size_t>(p)];
      const api::LifecycleHandler& h = postStart ? entry.pod.container(ci).lifecycle.postStart : entry.pod.container(ci).lifecycle.preStop;
      const scenario::HookBehavior& hb = postStart ? entry.behaviors[ci].postStart : entry.behaviors[ci].preStop;
      end = begin + (h.kind == api::HandlerKind::Sleep ? h.sleepSeconds * sim::kSecond : hb.duration);
    }
    if (term >= begin) end = std::min(end, term);
    return end;
  }

  /// Whether a FailedPostStartHook / FailedPreStopHook Event of container `ci` falls in [begin, end].
  bool failedHookBetween(std::int32_t p, std::size_t ci, sim::Time begin, sim::Time end, bool postStart) const {
    const Trace& tr = sim_.trace();
    for (const Record& r : tr.records()) {
      if (r.t > end) break;
      if (r.pod != p || r.type != RecordType::Event || r.t < begin) continue;
      const EventRecord& e = tr.eventAt(r);
      if (e.container == static_cast<std::int32_t>(ci) &&
          e.reason == (postStart ? api::EventReason::FailedPostStartHook : api::EventReason::FailedPreStopHook)) {
        return true;
      }
    }
    return false;
  }

  /// A hook's span in the strip at the top of its lane (at least 3 px wide; red when it failed).
  std::string hookSpan(sim::Time b, sim::Time e, double laneTop, const char* what, bool failed, const std::string& container) const {
    if (!visible(b, e)) return "";
    return fmt::format("<rect class=\"hook\" data-hook=\"{}{}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"5\" fill=\"{}\" "
                       "stroke=\"#5a189a\" stroke-width=\"0.6\"><title>{}: {} hook {}–{} ({}){}</title></rect>\n",
                       what, failed ? " failed" : "", x(b), laneTop + 1, std::max(x(e) - x(b), 3.0), failed ? "#c1121f" : "#c77dff",
                       esc(container), what, dur(b), dur(e), dur(e - b),
                       failed ? ": it failed (the kubelet records a Failed" + std::string(what[1] == 'o' ? "PostStart" : "PreStop") + "Hook Event)" : "");
  }

  /// The log lines container c of pod p wrote in [begin, end) (trace Log records), for a hover: at most
  /// 8, then how many more.
  std::string logHover(std::int32_t p, std::int32_t c, sim::Time begin, sim::Time end) const {
    std::string s;
    std::size_t n = 0;
    const Trace& tr = sim_.trace();
    const auto& recs = tr.records();
    // Records are in time order: start at the interval's beginning.
    auto it = std::lower_bound(recs.begin(), recs.end(), begin, [](const Record& r, sim::Time t) { return r.t < t; });
    for (; it != recs.end() && it->t < end; ++it) {
      const Record& r = *it;
      if (r.type != RecordType::Log || r.pod != p) continue;
      const LogRecord& l = tr.logAt(r);
      if (l.container != c) continue;
      if (n++ == 0) s += "\nlogs:";
      if (n <= 8) s += fmt::format("\n  {} {}", dur(r.t), trace::logLine(sim_.scenario(), l.text, r.t));
    }
    if (n > 8) s += fmt::format("\n  … {} more lines", n - 8);
    return s;
  }

  const engine::Simulation& sim_;
  std::vector<std::string> rules_;
  sim::Time end_;
  sim::Time from_ = 0, to_ = 1;  // the current panel's window, ns
  std::vector<std::vector<sim::Time>> sigterms_;  // per container of the current pod: its SIGTERM times, ns
};

/// The legend: the container states used, the pod bands (phase, STATUS, conditions) and the marks used.
/// `bottom` is set to where the legend ends (px).
std::string legend(const std::set<std::string>& used, double y, double& bottom) {
  std::string o = "<g class=\"legend\">\n";
  double x0 = 10, yy = y;
  const auto entry = [&](const std::string& fill, const std::string& text) {
    const double w = 22 + 6.2 * static_cast<double>(text.size()) + 14;
    if (x0 + w > kLeft + kPlot + kRight) {
      x0 = 10;
      yy += 18;
    }
    o += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"12\" fill=\"{}\" stroke=\"#888\" stroke-width=\"0.5\"/>"
                     "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" dominant-baseline=\"middle\">{}</text>\n",
                     x0, yy, fill, x0 + 18, yy + 6, esc(text));
    x0 += w;
  };
  const auto heading = [&](const char* text) {
    if (x0 > 10) {
      x0 = 10;
      yy += 18;
    }
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" font-weight=\"bold\" dominant-baseline=\"middle\">{}</text>\n", x0, yy + 6,
                     text);
    x0 += 6.8 * static_cast<double>(std::string_view(text).size()) + 10;
  };
  heading("containers:");
  for (const std::string& c : used) {
    if (c.empty() || c[0] == '~') continue;
    std::string text;
    if (c == "running:ready") text = "running, ready";
    else if (c == "running:not-ready") text = "running, not ready";
    else if (c == "running:not-started") text = "running, not started";
    else if (c == "terminated:stopped") text = "stopped by the kubelet (sidecar)";
    else text = c.substr(c.find(':') + 1) + (c.rfind("waiting:", 0) == 0 ? " (waiting)" : " (terminated)");
    entry(stateColour(c), text);
  }
  heading("phase:");
  for (const api::PodPhase ph : {api::PodPhase::Pending, api::PodPhase::Running, api::PodPhase::Succeeded, api::PodPhase::Failed}) {
    entry(phaseColour(ph), std::string(api::toString(ph)));
  }
  heading("conditions:");
  entry("#2a9d8f", "True");
  entry("#e3e3e3", "False");
  heading("STATUS:");
  entry("#2a9d8f", "Running, all ready");
  entry(stateColour("running:not-ready"), "Running, not all ready");
  yy += 18;
  x0 = 10;
  const auto mark = [&](const char* key, const std::string& shape, const char* text) {
    if (used.count(key) == 0) return;
    const double w = 14 + 6.2 * static_cast<double>(std::string_view(text).size()) + 18;
    if (x0 + w > kLeft + kPlot + kRight) {
      x0 = 10;
      yy += 18;
    }
    o += fmt::format(fmt::runtime(shape), x0 + 5, yy + 6);
    o += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" dominant-baseline=\"middle\">{}</text>\n", x0 + 14, yy + 6, text);
    x0 += w;
  };
  mark("~action", "<path d=\"M{0:.1f},{1:.1f} m0,-6 l0,11 m0,-11 l6,2.5 l-6,2.5 z\" stroke=\"#e76f51\" fill=\"#e76f51\"/>", "scenario action");
  mark("~restart", "<path d=\"M{0:.1f},{1:.1f} m0,3 l-3.5,-6 l7,0 z\" fill=\"#222\"/>", "restart");
  mark("~probe", "<circle cx=\"{0:.1f}\" cy=\"{1:.1f}\" r=\"3\" fill=\"#c1121f\"/>", "probe failure (Unhealthy)");
  mark("~kill", "<path d=\"M{0:.1f},{1:.1f} m0,-3 l-3.5,5 l7,0 z\" fill=\"#fff\" stroke=\"#000\"/>", "Killing (the kubelet decides)");
  mark("~sigterm", "<path d=\"M{0:.1f},{1:.1f} l-4,-4 m4,4 l4,-4 m-4,4 l-4,4 m4,-4 l4,4\" stroke=\"#000\" stroke-width=\"1.6\"/>", "SIGTERM");
  mark("~sigkill", "<path d=\"M{0:.1f},{1:.1f} l-4,-4 m4,4 l4,-4 m-4,4 l-4,4 m4,-4 l4,4\" stroke=\"#c1121f\" stroke-width=\"2.4\"/>", "SIGKILL");
  mark("~hook", "<rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"10\" height=\"5\" transform=\"translate(-5,-3)\" fill=\"#c77dff\" stroke=\"#5a189a\"/>",
       "postStart / preStop hook (red: failed)");
  mark("~order", "<rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"10\" height=\"4\" transform=\"translate(-5,-2)\" fill=\"#343a40\"/>",
       "sidecar waits for the containers it outlives");
  mark("~exited", "<rect x=\"{0:.1f}\" y=\"{1:.1f}\" width=\"10\" height=\"4\" transform=\"translate(-5,-2)\" fill=\"#111\"/>",
       "process exited, API status not yet updated");
  o += "</g>\n";
  bottom = yy + 18;
  return o;
}

}  // namespace

std::string stateClass(const kubelet::ApiContainerStatus& s) {
  switch (s.state.kind) {
    case Kind::Waiting: return "waiting:" + std::string(s.state.reason == api::Reason::None ? "Waiting" : api::toString(s.state.reason));
    case Kind::Running: return !s.started ? "running:not-started" : s.ready ? "running:ready" : "running:not-ready";
    case Kind::Terminated:
      return "terminated:" + std::string(s.state.reason == api::Reason::None ? "Terminated" : api::toString(s.state.reason));
  }
  return "";
}

std::string stateColour(const std::string& cls) {
  static const std::map<std::string, std::string> colours = {
      {"waiting:ContainerCreating", "#bdbdbd"},
      {"waiting:PodInitializing", "#dedede"},
      {"waiting:Waiting", "#dedede"},
      {"waiting:CrashLoopBackOff", "#f4a261"},
      {"waiting:ErrImagePull", "#e9c46a"},
      {"waiting:ImagePullBackOff", "#f6d860"},
      {"waiting:ErrImageNeverPull", "#e9c46a"},
      {"waiting:InvalidImageName", "#e9c46a"},
      {"waiting:RegistryUnavailable", "#e9c46a"},
      {"waiting:CreateContainerConfigError", "#e76f51"},
      {"waiting:CreateContainerError", "#e76f51"},
      {"waiting:RunContainerError", "#e76f51"},
      {"waiting:PostStartHookError", "#e76f51"},
      {"running:not-started", "#cdb4db"},
      {"running:not-ready", "#90caf9"},
      {"running:ready", "#2a9d8f"},
      {"terminated:Completed", "#457b9d"},
      {"terminated:stopped", "#8d99ae"},
      {"terminated:Error", "#d62828"},
      {"terminated:OOMKilled", "#7b2cbf"},
      {"terminated:ContainerStatusUnknown", "#6c757d"},
      {"terminated:StartError", "#9d0208"},
      {"terminated:ContainerCannotRun", "#9d0208"},
      {"terminated:Terminated", "#9d0208"},
  };
  const auto it = colours.find(cls);
  return it != colours.end() ? it->second : "#cccccc";
}

std::vector<ContainerInterval> containerIntervals(const engine::Simulation& sim, std::int32_t pod) {
  const report::PodTimeline tl(sim, pod);
  std::vector<ContainerInterval> out;
  for (std::size_t ci = 0; ci < tl.containerCount(); ++ci) {
    const std::size_t first = out.size();
    for (const report::ContainerStatusInterval& iv : tl.containerIntervals(ci)) {
      if (out.size() > first && sameLook(out.back().status, iv.status)) {
        out.back().status = iv.status;  // same picture; keep the newest details
        out.back().end = iv.end;
        continue;
      }
      out.push_back({iv.container, iv.begin, iv.end, iv.status, iv.record});
    }
  }
  return out;
}

std::vector<PodInterval> podIntervals(const engine::Simulation& sim, std::int32_t pod) {
  const report::PodTimeline tl(sim, pod);
  const Trace& tr = sim.trace();
  std::vector<PodInterval> out;
  for (const report::PodStatusInterval& iv : tl.statusIntervals()) {
    const PodStatusRecord& s = tr.podStatusAt(tr.records()[iv.record]);
    if (!out.empty()) {
      const PodStatusRecord& b = out.back().status;
      if (b.phase == s.phase && b.printed.status() == s.printed.status() && b.printed.ready == s.printed.ready &&
          b.printed.total == s.printed.total && b.printed.restarts == s.printed.restarts && b.conditions == s.conditions &&
          b.deleting == s.deleting) {
        out.back().end = iv.end;
        continue;
      }
    }
    out.push_back({iv.begin, iv.end, s, iv.record});
  }
  return out;
}

namespace {

/// The SVG image; `fluid`: sized by its container (width 100%, the viewBox keeps the aspect), for the page.
void svgImage(std::ostream& out, const engine::Simulation& sim, bool fluid) {
  Painter painter(sim);
  Canvas canvas;
  const auto& sc = sim.scenario();
  const std::string title = sc.name.empty() ? sc.file : sc.name;
  canvas.body += fmt::format("<text x=\"10\" y=\"20\" font-size=\"17\" font-weight=\"bold\">{}</text>\n", esc(title));
  if (!sc.description.empty()) {
    canvas.body += fmt::format("<text x=\"10\" y=\"38\" font-size=\"12\" fill=\"#444\">{}</text>\n", esc(sc.description));
  }
  canvas.height = 46;
  for (std::size_t p = 0; p < sc.pods.size(); ++p) painter.pod(canvas, static_cast<std::int32_t>(p));
  double bottom = 0;
  canvas.body += legend(canvas.classesUsed, canvas.height, bottom);
  const double height = bottom + 10;
  const double width = kLeft + kPlot + kRight;
  const std::string size = fluid ? std::string("width=\"100%\" style=\"height: auto; max-width: 100%\"")
                                 : fmt::format("width=\"{:.0f}\" height=\"{:.0f}\"", width, height);
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"podsim-timeline\" {} "
                     "viewBox=\"0 0 {:.0f} {:.0f}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
                     size, width, height);
  out << fmt::format("<rect width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", width, height);
  out << canvas.body << "</svg>\n";
}

}  // namespace

void writeSvg(std::ostream& out, const engine::Simulation& sim) { svgImage(out, sim, false); }

void writeHtml(std::ostream& out, const engine::Simulation& sim) {
  const auto& sc = sim.scenario();
  const std::string title = sc.name.empty() ? sc.file : sc.name;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out << fmt::format("<title>podsim: {}</title>\n", esc(title));
  out << "<style>\n"
         "body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 16px; color: #222; }\n"
         "svg rect.seg:hover, svg rect.status:hover, svg rect.phase:hover { stroke: #000; stroke-width: 1.5; }\n"
         "pre { font-size: 12px; background: #f6f8fa; padding: 8px; overflow-x: auto; }\n"
         "#cursor { font-family: DejaVu Sans Mono, monospace; font-size: 13px; white-space: pre; background: #f6f8fa;\n"
         "  padding: 6px 8px; min-height: 3.9em; position: sticky; top: 0; border-bottom: 1px solid #ddd; }\n"
         "#render-check { display: none; }\n"
         "</style>\n</head>\n<body>\n";
  out << fmt::format("<h1>{}</h1>\n", esc(title));
  out << "<p>Simulated by podsim. Hover a bar or a marker for its state, its times and the kubelet rule behind it.</p>\n";
  out << "<div id=\"cursor\">Move the pointer over a timeline to see what kubectl get pods shows at that moment.</div>\n";
  svgImage(out, sim, true);
  // Per pod, its kubectl columns over time: [begin s, end s, STATUS, READY, RESTARTS, last restart s or -1].
  out << "<script>\nvar podsimPods = {";
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    out << (p == 0 ? "" : ",") << "\n\"" << esc(pod.key()) << "\": {\"name\": \"" << esc(pod.name) << "\", \"rows\": [";
    bool first = true;
    for (const PodInterval& iv : podIntervals(sim, static_cast<std::int32_t>(p))) {
      const kubelet::PrintedPod& pp = iv.status.printed;
      out << (first ? "" : ",") << fmt::format("[{:.3f},{:.3f},\"{}\",\"{}/{}\",{},{:.3f}]", sim::toSeconds(iv.begin), sim::toSeconds(iv.end),
                                               esc(pp.status()), pp.ready, pp.total, pp.restarts,
                                               pp.lastRestart >= 0 ? sim::toSeconds(pp.lastRestart - pp.lastRestart % sim::kSecond) : -1.0);  // as the API stores finishedAt
      first = false;
    }
    out << "]}";
  }
  out << "};\n"
         "// apimachinery duration.HumanDuration, as kubectl prints AGE and \"(45s ago)\".\n"
         "function human(d) {\n"
         "  var s = Math.floor(d); if (s < 0) return '0s';\n"
         "  if (s < 120) return s + 's';\n"
         "  var m = Math.floor(s / 60); if (m < 10) return s % 60 ? m + 'm' + (s % 60) + 's' : m + 'm';\n"
         "  if (m < 180) return m + 'm';\n"
         "  var h = Math.floor(m / 60); if (h < 8) return m % 60 ? h + 'h' + (m % 60) + 'm' : h + 'h';\n"
         "  if (h < 48) return h + 'h';\n"
         "  return Math.floor(h / 24) + 'd';\n"
         "}\n"
         "function clock(t) { var m = Math.floor(t / 60), s = (t - 60 * m).toFixed(1); return m ? m + 'm' + s + 's' : s + 's'; }\n"
         "document.querySelectorAll('svg.podsim-timeline').forEach(function (svg) {\n"
         "  var line = document.createElementNS('http://www.w3.org/2000/svg', 'line');\n"
         "  line.setAttribute('stroke', '#d00'); line.setAttribute('stroke-width', '1'); line.setAttribute('visibility', 'hidden');\n"
         "  line.setAttribute('pointer-events', 'none');\n"
         "  svg.appendChild(line);\n"
         "  svg.addEventListener('mousemove', function (ev) {\n"
         "    var pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;\n"
         "    var p = pt.matrixTransform(svg.getScreenCTM().inverse());\n"
         "    var found = null;\n"
         "    svg.querySelectorAll('g.panel').forEach(function (g) {\n"
         "      var b = g.getBBox(), x0 = +g.dataset.x0, w = +g.dataset.width;\n"
         "      if (p.y >= b.y && p.y <= b.y + b.height && p.x >= x0 && p.x <= x0 + w) found = { g: g, b: b, x0: x0, w: w };\n"
         "    });\n"
         "    if (!found) { line.setAttribute('visibility', 'hidden'); return; }\n"
         "    var g = found.g, t = +g.dataset.from + (p.x - found.x0) / found.w * (+g.dataset.to - +g.dataset.from);\n"
         "    line.setAttribute('x1', p.x); line.setAttribute('x2', p.x);\n"
         "    line.setAttribute('y1', found.b.y); line.setAttribute('y2', found.b.y + found.b.height);\n"
         "    line.setAttribute('visibility', 'visible');\n"
         "    var pod = podsimPods[g.parentNode.getAttribute('data-pod')];\n"
         "    var row = null; pod.rows.forEach(function (r) { if (r[0] <= t && t < r[1]) row = r; });\n"
         "    var text = 'kubectl get pods at ' + clock(t) + ':\\n';\n"
         "    if (!row) { text += 'No resources found in default namespace.'; }\n"
         "    else {\n"
         "      // printers.go printPod columns, three spaces apart as kubectl's table printer sets them.\n"
         "      var cells = [['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],\n"
         "        [pod.name, row[3], row[2], row[4] + (row[4] > 0 && row[5] >= 0 ? ' (' + human(t - row[5]) + ' ago)' : ''), human(t - pod.rows[0][0])]];\n"
         "      text += cells.map(function (c) { return c.map(function (v, i) {\n"
         "        if (i == c.length - 1) return v;\n"
         "        var w = Math.max(cells[0][i].length, cells[1][i].length); return v + ' '.repeat(w - v.length + 3); }).join(''); }).join('\\n');\n"
         "    }\n"
         "    document.getElementById('cursor').textContent = text;\n"
         "  });\n"
         "});\n"
         "</script>\n";
  std::ostringstream table;
  writeTable(table, sim, false);
  out << "<details><summary>kubectl get pods -w and the Events</summary>\n<pre>" << esc(table.str()) << "</pre></details>\n";
  // What the browser laid out, per pod and lane of the whole-run panel, as JSON in the page (the browser
  // test reads it back from the DOM and compares it with the trace).
  out << "<pre id=\"render-check\"></pre>\n<script>\n"
         "(function () {\n"
         "  var report = { pods: [] }, svg0 = document.querySelector('svg.podsim-timeline');\n"
         "  document.querySelectorAll('g.pod').forEach(function (pod) {\n"
         "    var run = pod.querySelector('g.panel[data-panel=\"run\"]');\n"
         "    var entry = { pod: pod.getAttribute('data-pod'), lanes: [], statuses: [], phases: [], panels: pod.querySelectorAll('g.panel').length };\n"
         "    run.querySelectorAll('g.lane').forEach(function (lane) {\n"
         "      var drawn = 0, segs = lane.querySelectorAll('rect.seg');\n"
         "      segs.forEach(function (r) { var b = r.getBBox(); if (b.width > 0 && b.height > 0) drawn++; });\n"
         "      var label = lane.querySelector('text.lane-label').getBBox();\n"
         "      entry.lanes.push({ name: lane.getAttribute('data-container'), type: lane.getAttribute('data-type'),\n"
         "        segments: segs.length, drawn: drawn, labelWidth: Math.round(label.width),\n"
         "        restarts: lane.querySelectorAll('path.restart').length });\n"
         "    });\n"
         "    run.querySelectorAll('rect.status').forEach(function (r) {\n"
         "      var s = r.getAttribute('data-status');\n"
         "      if (entry.statuses.indexOf(s) < 0) entry.statuses.push(s);\n"
         "    });\n"
         "    run.querySelectorAll('rect.phase').forEach(function (r) { entry.phases.push(r.getAttribute('data-phase')); });\n"
         "    entry.probeFailures = run.querySelectorAll('circle.probe-failure').length;\n"
         "    entry.kills = run.querySelectorAll('path.kill').length;\n"
         "    entry.sigterms = run.querySelectorAll('path.sigterm').length;\n"
         "    entry.actions = run.querySelectorAll('g.action').length;\n"
         "    var box = svg0.getBoundingClientRect(); report.width = Math.round(box.width); report.viewBoxWidth = svg0.viewBox.baseVal.width;\n"
         "    entry.hooks = run.querySelectorAll('.hook').length;\n"
         "    report.pods.push(entry);\n"
         "  });\n"
         "  var el = document.getElementById('render-check');\n"
         "  el.setAttribute('data-rendered', 'true');\n"
         "  el.textContent = JSON.stringify(report);\n"
         "})();\n"
         "</script>\n</body>\n</html>\n";
}

}  // namespace podsim::trace
