// models/trace/timeline.cpp: the SVG timeline of each pod and the HTML page around it.
//
// Owns layout and colours only; what the bars mean comes from the trace records and the rule behind each
// (models/trace/rules.hpp), shown in the hover titles. The text is built with fmt, numbers with fixed
// precision, so that the output is byte-for-byte the same for the same trace.
#include "models/trace/timeline.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "models/engine/simulation.hpp"
#include "models/scenario/duration.hpp"
#include "models/trace/output.hpp"
#include "models/trace/rules.hpp"

namespace podsim::trace {

namespace {

using Kind = kubelet::ContainerStateValue::Kind;

// Layout, in px.
constexpr double kLeft = 190;       // container names
constexpr double kPlot = 1000;      // the time axis
constexpr double kRight = 30;
constexpr double kLane = 22;
constexpr double kLaneGap = 6;
constexpr double kBand = 18;        // phase and STATUS rows
constexpr double kCond = 9;         // one condition row

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

const char* typeName(api::ContainerType t) {
  switch (t) {
    case api::ContainerType::Init: return "init";
    case api::ContainerType::Sidecar: return "sidecar";
    case api::ContainerType::Regular: return "regular";
  }
  return "regular";
}

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

/// Colour of the STATUS band for a kubectl STATUS.
std::string statusColour(const kubelet::PrintedPod& p) {
  using PK = kubelet::PrintedPod::Kind;
  if (p.kind == PK::InitProgress) return "#9db4c0";
  if (p.kind == PK::InitSignal || p.kind == PK::InitExitCode || p.kind == PK::Signal || p.kind == PK::ExitCode) return "#d62828";
  switch (p.reason) {
    case api::Reason::Running: return "#2a9d8f";
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

class Painter {
 public:
  Painter(const engine::Simulation& sim) : sim_(sim), rules_(explainTrace(sim)), end_(std::max<sim::Time>(sim.now(), 1)) {}

  double x(sim::Time t) const { return kLeft + kPlot * static_cast<double>(t) / static_cast<double>(end_); }

  void pod(Canvas& c, std::int32_t p) {
    const api::Pod& spec = sim_.scenario().pods[static_cast<std::size_t>(p)].pod;
    std::string& o = c.body;
    double y = c.height;
    o += fmt::format("<g class=\"pod\" data-pod=\"{}\">\n", esc(spec.namespace_ + "/" + spec.name));
    o += fmt::format("<text class=\"pod-title\" x=\"10\" y=\"{:.1f}\" font-size=\"15\" font-weight=\"bold\">pod {}</text>\n", y + 16,
                     esc(spec.name));
    y += 26;
    const double top = y;
    // Band above: phase, STATUS, conditions.
    const auto pods = podIntervals(sim_, p);
    o += label(y + kBand / 2, "phase", 11, "#333");
    for (const PodInterval& iv : pods) {
      o += rect(x(iv.begin), y, x(iv.end) - x(iv.begin), kBand - 2, phaseColour(iv.status.phase), "phase",
                fmt::format("phase {} {}–{}", api::toString(iv.status.phase), dur(iv.begin), dur(iv.end)), "");
      o += inlineText(iv.begin, iv.end, y + kBand / 2, std::string(api::toString(iv.status.phase)), "#222");
    }
    y += kBand;
    o += label(y + kBand / 2, "STATUS (READY)", 11, "#333");
    for (const PodInterval& iv : pods) {
      const std::string st = iv.status.printed.status();
      const std::string ready = fmt::format("{}/{}", iv.status.printed.ready, iv.status.printed.total);
      const std::string col = statusColour(iv.status.printed);
      o += rect(x(iv.begin), y, x(iv.end) - x(iv.begin), kBand - 2, col, "status",
                fmt::format("STATUS {} READY {} RESTARTS {}, {}–{}\n{}", st, ready, iv.status.printed.restarts, dur(iv.begin),
                            dur(iv.end), rules_[iv.record]),
                fmt::format(" data-status=\"{}\"", esc(st)));
      o += inlineText(iv.begin, iv.end, y + kBand / 2, fmt::format("{} {}", st, ready), textColour(col));
    }
    y += kBand;
    for (std::size_t ci = 0; ci < static_cast<std::size_t>(kubelet::ConditionType::Count); ++ci) {
      const auto type = static_cast<kubelet::ConditionType>(ci);
      o += label(y + kCond / 2 + 0.5, std::string(kubelet::toString(type)), 8, "#555");
      for (const PodInterval& iv : pods) {
        const kubelet::PodCondition& cond = iv.status.conditions[ci];
        if (!cond.present) continue;
        o += rect(x(iv.begin), y + 1, x(iv.end) - x(iv.begin), kCond - 2, cond.status ? "#2a9d8f" : "#e0e0e0", "condition",
                  fmt::format("{}={} {}–{}", kubelet::toString(type), cond.status ? "True" : "False", dur(iv.begin), dur(iv.end)), "");
      }
      y += kCond;
    }
    y += 6;
    // One lane per container, spec order.
    const auto ivs = containerIntervals(sim_, p);
    std::vector<double> laneY(spec.containerCount());
    for (std::size_t ci = 0; ci < spec.containerCount(); ++ci) {
      laneY[ci] = y;
      const api::Container& cs = spec.container(ci);
      o += fmt::format("<g class=\"lane\" data-container=\"{}\" data-type=\"{}\">\n", esc(cs.name), typeName(spec.containerType(ci)));
      o += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"#f8f9fa\"/>\n", kLeft, y, kPlot, kLane);
      o += fmt::format("<text class=\"lane-label\" x=\"{:.1f}\" y=\"{:.2f}\" font-size=\"12\" text-anchor=\"end\" dominant-baseline=\"middle\">{}"
                       "<tspan fill=\"#777\" font-size=\"10\"> {}</tspan></text>\n",
                       kLeft - 8, y + kLane / 2, esc(cs.name), typeName(spec.containerType(ci)));
      std::int32_t lastRestart = 0;
      for (const ContainerInterval& iv : ivs) {
        if (static_cast<std::size_t>(iv.container) != ci) continue;
        const std::string cls = stateClass(iv.status);
        c.classesUsed.insert(cls);
        const std::string col = stateColour(cls);
        o += rect(x(iv.begin), y, x(iv.end) - x(iv.begin), kLane, col, "seg",
                  fmt::format("{}: {}, {}–{} ({}), restartCount {}\n{}", cs.name, stateLabel(iv.status), dur(iv.begin), dur(iv.end),
                              dur(iv.end - iv.begin), iv.status.restartCount, rules_[iv.record]),
                  fmt::format(" data-state=\"{}\"", esc(cls)));
        o += inlineText(iv.begin, iv.end, y + kLane / 2, stateLabel(iv.status), textColour(col));
        if (iv.status.restartCount > lastRestart) {
          // A restart: a tick above the lane with the new count.
          lastRestart = iv.status.restartCount;
          const double rx = x(iv.begin);
          o += fmt::format("<path class=\"restart\" d=\"M{:.2f},{:.2f} l-3,-5 l6,0 z\" fill=\"#333\"><title>restart {} of {} at {}</title></path>\n",
                           rx, y, lastRestart, esc(cs.name), dur(iv.begin));
        }
      }
      o += "</g>\n";
      y += kLane + kLaneGap;
    }
    // Markers from Events: probe failures, kills, hooks.
    const Trace& tr = sim_.trace();
    const auto& recs = tr.records();
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const Record& r = recs[i];
      if (r.pod != p || r.type != RecordType::Event) continue;
      const EventRecord& e = tr.eventAt(r);
      if (e.container < 0) continue;
      const auto ci = static_cast<std::size_t>(e.container);
      const double ly = laneY[ci];
      const double ex = x(r.t);
      const std::string title = esc(fmt::format("{} at {}: {}\n{}", api::toString(e.reason), dur(r.t), eventMessage(sim_, p, e), rules_[i]));
      const api::Container& cs = spec.container(ci);
      switch (e.reason) {
        case api::EventReason::Unhealthy:
          o += fmt::format("<circle class=\"probe-failure\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.6\" fill=\"#c1121f\" stroke=\"#fff\" stroke-width=\"0.6\"><title>{}</title></circle>\n",
                           ex, ly + kLane - 4, title);
          c.classesUsed.insert("~probe");
          break;
        case api::EventReason::Killing:
          o += fmt::format("<path class=\"kill\" d=\"M{0:.2f},{1:.2f} l-4,-4 m4,4 l4,-4 m-4,4 l-4,4 m4,-4 l4,4\" stroke=\"#000\" stroke-width=\"1.6\"><title>{2}</title></path>\n",
                           ex, ly + kLane / 2, title);
          c.classesUsed.insert("~kill");
          if (cs.lifecycle.preStop.present()) {
            o += hook(ex, ly, "preStop", title, false);
            c.classesUsed.insert("~hook");
          }
          break;
        case api::EventReason::Started:
          if (cs.lifecycle.postStart.present()) {
            o += hook(ex, ly, "postStart", title, false);
            c.classesUsed.insert("~hook");
          }
          break;
        case api::EventReason::FailedPostStartHook:
        case api::EventReason::FailedPreStopHook:
          o += hook(ex, ly, e.reason == api::EventReason::FailedPostStartHook ? "postStart failed" : "preStop failed", title, true);
          c.classesUsed.insert("~hook");
          break;
        default: break;
      }
    }
    // Axis: grid lines across the pod, tick labels below.
    const sim::Time step = tickStep(end_);
    for (sim::Time t = 0; t <= end_; t += step) {
      o += fmt::format("<line class=\"grid\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#000\" stroke-opacity=\"0.12\"/>\n",
                       x(t), top, y);
      o += fmt::format("<text class=\"tick\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#444\">{}</text>\n", x(t),
                       y + 10, tickLabel(t));
    }
    o += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" text-anchor=\"end\" fill=\"#444\">simulated time (end {})</text>\n",
                     kLeft + kPlot, y + 24, dur(sim_.now()));
    o += "</g>\n";
    c.height = y + 36;
  }

 private:
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

  static std::string hook(double x0, double y, const char* what, const std::string& title, bool failed) {
    return fmt::format("<path class=\"hook\" data-hook=\"{}\" d=\"M{:.2f},{:.2f} l4,4 l-4,4 l-4,-4 z\" fill=\"{}\" stroke=\"#5a189a\" stroke-width=\"1\"><title>{}</title></path>\n",
                       what, x0, y + 1, failed ? "#c1121f" : "#c77dff", title);
  }

  const engine::Simulation& sim_;
  std::vector<std::string> rules_;
  sim::Time end_;
};

/// Legend entries, in a fixed order; only the classes used are drawn.
struct LegendEntry {
  const char* cls;
  const char* text;
};

std::string legend(const std::set<std::string>& used, double y) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const std::string& c : used) {
    if (c.empty() || c[0] == '~') continue;
    std::string text = c;
    if (c == "running:ready") text = "running, ready";
    else if (c == "running:not-ready") text = "running, not ready";
    else if (c == "running:not-started") text = "running, not started";
    else text = c.substr(c.find(':') + 1) + (c.rfind("waiting:", 0) == 0 ? " (waiting)" : " (terminated)");
    entries.emplace_back(c, text);
  }
  std::string o = "<g class=\"legend\">\n";
  double x0 = 10, yy = y;
  for (const auto& [cls, text] : entries) {
    const double w = 22 + 6.2 * static_cast<double>(text.size()) + 14;
    if (x0 + w > kLeft + kPlot + kRight) {
      x0 = 10;
      yy += 18;
    }
    o += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"12\" fill=\"{}\" stroke=\"#888\" stroke-width=\"0.5\"/>"
                     "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" dominant-baseline=\"middle\">{}</text>\n",
                     x0, yy, stateColour(cls), x0 + 18, yy + 6, esc(text));
    x0 += w;
  }
  yy += 18;
  x0 = 10;
  const auto mark = [&](const char* key, const std::string& shape, const char* text) {
    if (used.count(key) == 0) return;
    o += shape + fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" dominant-baseline=\"middle\">{}</text>\n", x0 + 14, yy + 6, text);
    x0 += 14 + 6.2 * static_cast<double>(std::string_view(text).size()) + 18;
  };
  o += fmt::format("<path d=\"M{:.1f},{:.1f} l-3,-5 l6,0 z\" fill=\"#333\"/><text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" dominant-baseline=\"middle\">restart</text>\n",
                   x0 + 5, yy + 9, x0 + 14, yy + 6);
  x0 += 70;
  mark("~probe", fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"#c1121f\"/>", x0 + 5, yy + 6), "probe failure (Unhealthy)");
  mark("~kill", fmt::format("<path d=\"M{0:.1f},{1:.1f} l-4,-4 m4,4 l4,-4 m-4,4 l-4,4 m4,-4 l4,4\" stroke=\"#000\" stroke-width=\"1.6\"/>", x0 + 5, yy + 6),
       "Killing");
  mark("~hook", fmt::format("<path d=\"M{:.1f},{:.1f} l4,4 l-4,4 l-4,-4 z\" fill=\"#c77dff\" stroke=\"#5a189a\"/>", x0 + 5, yy + 2),
       "lifecycle hook (red: failed)");
  o += "</g>\n";
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
  const api::Pod& spec = sim.scenario().pods.at(static_cast<std::size_t>(pod)).pod;
  const Trace& tr = sim.trace();
  const auto& recs = tr.records();
  std::vector<std::vector<ContainerInterval>> by(spec.containerCount());
  sim::Time end = sim.now();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.pod != pod) continue;
    if (r.type == RecordType::PodRemoved) {
      end = r.t;
      break;
    }
    if (r.type != RecordType::ContainerStatus) continue;
    const ContainerStatusRecord& c = tr.containerStatusAt(r);
    auto& lane = by[static_cast<std::size_t>(c.container)];
    if (!lane.empty() && sameLook(lane.back().status, c.status)) {
      lane.back().status = c.status;  // same picture; keep the newest details
      continue;
    }
    if (!lane.empty()) lane.back().end = r.t;
    lane.push_back({c.container, r.t, -1, c.status, i});
  }
  std::vector<ContainerInterval> out;
  for (auto& lane : by) {
    for (auto& iv : lane) {
      if (iv.end < 0) iv.end = end;
      out.push_back(iv);
    }
  }
  return out;
}

std::vector<PodInterval> podIntervals(const engine::Simulation& sim, std::int32_t pod) {
  const Trace& tr = sim.trace();
  const auto& recs = tr.records();
  std::vector<PodInterval> out;
  sim::Time end = sim.now();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.pod != pod) continue;
    if (r.type == RecordType::PodRemoved) {
      end = r.t;
      break;
    }
    if (r.type != RecordType::PodStatus) continue;
    const PodStatusRecord& s = tr.podStatusAt(r);
    if (!out.empty()) {
      const PodStatusRecord& b = out.back().status;
      if (b.phase == s.phase && b.printed.status() == s.printed.status() && b.printed.ready == s.printed.ready &&
          b.printed.total == s.printed.total && b.printed.restarts == s.printed.restarts && b.conditions == s.conditions &&
          b.deleting == s.deleting) {
        continue;
      }
      out.back().end = r.t;
    }
    out.push_back({r.t, -1, s, i});
  }
  for (auto& iv : out) {
    if (iv.end < 0) iv.end = end;
  }
  return out;
}

void writeSvg(std::ostream& out, const engine::Simulation& sim) {
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
  canvas.body += legend(canvas.classesUsed, canvas.height);
  const double height = canvas.height + 50;
  const double width = kLeft + kPlot + kRight;
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"podsim-timeline\" width=\"{:.0f}\" height=\"{:.0f}\" "
                     "viewBox=\"0 0 {:.0f} {:.0f}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
                     width, height, width, height);
  out << fmt::format("<rect width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n", width, height);
  out << canvas.body << "</svg>\n";
}

void writeHtml(std::ostream& out, const engine::Simulation& sim) {
  const auto& sc = sim.scenario();
  const std::string title = sc.name.empty() ? sc.file : sc.name;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out << fmt::format("<title>podsim: {}</title>\n", esc(title));
  out << "<style>\n"
         "body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 16px; color: #222; }\n"
         "svg rect.seg:hover, svg rect.status:hover { stroke: #000; stroke-width: 1.5; }\n"
         "#render-check { color: #666; font-size: 12px; }\n"
         "</style>\n</head>\n<body>\n";
  out << fmt::format("<h1>{}</h1>\n", esc(title));
  out << "<p>Simulated by podsim. Hover a bar for its state, its times and the kubelet rule behind it.</p>\n";
  writeSvg(out, sim);
  // Records in the page what the browser laid out: the browser test reads it from the DOM.
  out << "<p id=\"render-check\"></p>\n<script>\n"
         "(function () {\n"
         "  var lanes = document.querySelectorAll('g.lane');\n"
         "  var segs = document.querySelectorAll('rect.seg');\n"
         "  var drawn = 0;\n"
         "  segs.forEach(function (r) { var b = r.getBBox(); if (b.width > 0 && b.height > 0) drawn++; });\n"
         "  var names = [];\n"
         "  lanes.forEach(function (g) { names.push(g.getAttribute('data-container')); });\n"
         "  var statuses = {};\n"
         "  document.querySelectorAll('rect.status').forEach(function (r) { statuses[r.getAttribute('data-status')] = 1; });\n"
         "  var el = document.getElementById('render-check');\n"
         "  el.setAttribute('data-lanes', String(lanes.length));\n"
         "  el.setAttribute('data-drawn', String(drawn));\n"
         "  el.textContent = 'rendered ' + lanes.length + ' lanes (' + names.join(', ') + '), ' + drawn + ' of ' + segs.length +\n"
         "      ' state bars drawn; STATUS: ' + Object.keys(statuses).join(', ');\n"
         "})();\n"
         "</script>\n</body>\n</html>\n";
}

}  // namespace podsim::trace
