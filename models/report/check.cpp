// models/report/check.cpp: evaluating expectations against a trace, and the `podsim check` reports.
#include "models/report/check.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "models/kubelet/readiness_gates.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"
#include "models/report/pod_timeline.hpp"
#include "sim/environment.hpp"

namespace podsim::engine {
namespace {

using scenario::Expectation;
using scenario::StateField;
using trace::RecordType;
using Kind = kubelet::ContainerStateValue::Kind;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string dur(Time t) { return scenario::formatDuration(t); }

std::string stateName(Kind k) {
  switch (k) {
    case Kind::Waiting: return "waiting";
    case Kind::Running: return "running";
    case Kind::Terminated: return "terminated";
  }
  return "?";
}

/// The run's text for a field, in the same form the expectation writes it; `container`: the expectation's
/// container (unified index) or -1.
std::string actualOf(const StateField& f, const report::PodAt& s, std::int32_t container) {
  using K = StateField::Kind;
  switch (f.kind) {
    case K::Removed: return s.removed ? "true" : "false";
    case K::Status:
    case K::Ready:
    case K::Restarts:
    case K::Phase:
    case K::Condition: {
      if (s.statusRecord == report::kNoRecord) return "<the pod has no status yet>";
      const auto& p = s.status;
      if (f.kind == K::Status) return p.printed.status();
      if (f.kind == K::Ready) return fmt::format("{}/{}", p.printed.ready, p.printed.total);
      if (f.kind == K::Restarts) return std::to_string(p.printed.restarts);
      if (f.kind == K::Phase) return std::string(api::toString(p.phase));
      if (f.conditionSlot >= 0) {
        const auto st = kubelet::customCondition(p.customConditions, static_cast<std::size_t>(f.conditionSlot));
        return st == kubelet::CustomConditionStatus::Absent ? "<absent>" : std::string(kubelet::toString(st));
      }
      const std::string type = f.name.substr(f.name.find('.') + 1);
      for (std::size_t c = 0; c < p.conditions.size(); ++c) {
        if (kubelet::toString(static_cast<kubelet::ConditionType>(c)) != type) continue;
        if (!p.conditions[c].present) return "<absent>";
        return p.conditions[c].status ? "True" : "False";
      }
      return "<absent>";
    }
    case K::State:
    case K::Reason:
    case K::ExitCode:
    case K::RestartCount:
    case K::Started: {
      const auto ci = static_cast<std::size_t>(container);
      if (container < 0 || !s.reported[ci]) return "<the container has no status yet>";
      const auto& st = s.containers[ci];
      if (f.kind == K::State) return stateName(st.state.kind);
      if (f.kind == K::Reason) return st.state.reason == api::Reason::None ? "" : std::string(api::toString(st.state.reason));
      if (f.kind == K::ExitCode) return st.state.kind == Kind::Terminated ? std::to_string(st.state.exitCode) : "<not terminated>";
      if (f.kind == K::RestartCount) return std::to_string(st.restartCount);
      return st.started ? "true" : "false";
    }
  }
  return "?";
}

std::string fieldsText(const std::vector<StateField>& fields) {
  std::string s;
  for (const auto& f : fields) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", f.name, f.value);
  return s;
}

/// Whether all fields hold; `actual` gets the run's values of those that do not (or of all fields).
bool holds(const Expectation& e, const report::PodAt& s, std::string* actual, bool allFields = false) {
  bool ok = true;
  std::string text;
  for (const auto& f : e.fields) {
    const auto a = actualOf(f, s, e.container);
    const bool same = a == f.value;
    ok = ok && same;
    if (!same || allFields) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", f.name, a.empty() ? "\"\"" : a);
  }
  if (actual != nullptr) *actual = text;
  return ok;
}

/// A result plus the trace record it is about (kNone: the last record of the pod before `near`).
struct Outcome {
  CheckResult result;
  std::size_t focus = kNone;
  Time near = -1;
};

class Checker {
 public:
  explicit Checker(const Simulation& sim) : sim_(sim), sc_(sim.scenario()), tr_(sim.trace()) {}

  std::vector<CheckResult> run() {
    if (!tr_.enabled()) throw std::logic_error("checkExpectations: the run was made without its trace");
    std::vector<CheckResult> out;
    for (const auto& e : sc_.expectations) {
      Outcome o = check(e);
      o.result.where = e.where;
      if (!o.result.passed) o.result.context = context(e.pod, o.focus, o.near);
      out.push_back(std::move(o.result));
    }
    return out;
  }

 private:
  /// The replay of pod `pod`, built on first use.
  const report::PodTimeline& timeline(std::int32_t pod) {
    if (timelines_.empty()) timelines_.resize(sc_.pods.size());
    auto& tl = timelines_.at(static_cast<std::size_t>(pod));
    if (!tl) tl = std::make_unique<report::PodTimeline>(sim_, pod);
    return *tl;
  }

  [[nodiscard]] std::string podName(std::int32_t pod) const { return sc_.pods[static_cast<std::size_t>(pod)].pod.name; }
  [[nodiscard]] std::string containerName(std::int32_t pod, std::int32_t c) const {
    return sc_.pods[static_cast<std::size_t>(pod)].pod.container(static_cast<std::size_t>(c)).name;
  }
  [[nodiscard]] std::string target(const Expectation& e) const {
    return e.container >= 0 ? fmt::format("pod {} container {}", podName(e.pod), containerName(e.pod, e.container))
                            : fmt::format("pod {}", podName(e.pod));
  }
  [[nodiscard]] Time end(const Expectation& e) const {
    const Time runEnd = sim_.now();
    return e.to < 0 || e.to > runEnd ? runEnd : e.to;
  }

  Outcome check(const Expectation& e) {
    switch (e.kind) {
      case Expectation::Kind::At: return at(e);
      case Expectation::Kind::Eventually:
      case Expectation::Kind::Never:
      case Expectation::Kind::Always: return overTime(e);
      case Expectation::Kind::Order: return order(e);
      case Expectation::Kind::Together: return together(e);
      case Expectation::Kind::Backoff: return backoff(e);
      case Expectation::Kind::Event: return events(e);
      case Expectation::Kind::Fingerprint: return fingerprint(e);
    }
    return {};
  }

  Outcome at(const Expectation& e) {
    Outcome o;
    o.result.description = fmt::format("at {} {}: {}", dur(e.at), target(e), fieldsText(e.fields));
    const report::PodAt s = timeline(e.pod).at(e.at);
    o.focus = s.lastRecord;
    o.near = e.at;
    o.result.passed = holds(e, s, &o.result.actual);
    if (!o.result.passed && s.statusRecord == report::kNoRecord && !s.removed) o.result.actual += " (the pod did not exist yet)";
    return o;
  }

  /// eventually / never / always: the state after each instant with records in [from, to].
  Outcome overTime(const Expectation& e) {
    Outcome o;
    const Time to = end(e);
    const char* word = e.kind == Expectation::Kind::Eventually ? "eventually" : e.kind == Expectation::Kind::Never ? "never" : "always";
    o.result.description = fmt::format("{} between {} and {}: {}: {}", word, dur(e.from), e.to < 0 ? "the end" : dur(e.to),
                                       target(e), fieldsText(e.fields));
    report::PodTimeline::Replay w(timeline(e.pod));
    Time t = e.from;
    w.advanceTo(t);
    for (;;) {
      std::string actual;
      const bool h = holds(e, w.state(), &actual);
      if (e.kind == Expectation::Kind::Eventually && h) {
        o.result.passed = true;
        return o;
      }
      if (e.kind == Expectation::Kind::Never && h) {
        holds(e, w.state(), &actual, true);
        o.result.actual = fmt::format("at {}: {}", dur(t), actual);
        o.focus = w.state().lastRecord;
        return o;
      }
      if (e.kind == Expectation::Kind::Always && !h) {
        o.result.actual = fmt::format("at {}: {}", dur(t), actual);
        o.focus = w.state().lastRecord;
        return o;
      }
      const Time next = w.nextTime();
      if (next < 0 || next > to) break;
      t = next;
      w.advanceTo(t);
    }
    if (e.kind == Expectation::Kind::Eventually) {
      std::string actual;
      holds(e, w.state(), &actual, true);
      o.result.actual = fmt::format("never held; at {}: {}", dur(to), actual);
      o.near = to;
      return o;
    }
    o.result.passed = true;
    return o;
  }

  /// The index of the first record where the container is running (Started) or terminated (Exited).
  [[nodiscard]] std::size_t firstMoment(std::int32_t pod, std::int32_t c, Expectation::Moment m) {
    for (const auto& iv : timeline(pod).containerIntervals(static_cast<std::size_t>(c))) {
      const auto k = iv.status.state.kind;
      if (m == Expectation::Moment::Started ? k == Kind::Running : (k == Kind::Terminated || iv.status.hasLastState)) return iv.record;
    }
    return kNone;
  }

  Outcome order(const Expectation& e) {
    Outcome o;
    auto word = [](Expectation::Moment m) { return m == Expectation::Moment::Started ? "started" : "exited"; };
    const auto x = containerName(e.pod, e.container), y = containerName(e.pod, e.other);
    o.result.description = fmt::format("pod {}: {} {} before {} {}", podName(e.pod), x, word(e.firstMoment), y, word(e.thenMoment));
    const auto a = firstMoment(e.pod, e.container, e.firstMoment);
    const auto b = firstMoment(e.pod, e.other, e.thenMoment);
    const auto& recs = tr_.records();
    auto when = [&](std::size_t i, const std::string& name, Expectation::Moment m) {
      return i == kNone ? fmt::format("{} never {}", name, word(m)) : fmt::format("{} {} at {}", name, word(m), dur(recs[i].t));
    };
    o.result.passed = a != kNone && (b == kNone || a < b);
    if (!o.result.passed) {
      o.result.actual = when(a, x, e.firstMoment) + ", " + when(b, y, e.thenMoment);
      o.focus = b != kNone ? b : a;
      if (o.focus == kNone) o.near = sim_.now();
    }
    return o;
  }

  /// The intervals [start, end) in which the container was running.
  /// The intervals [start, end) in which the container was running: from a running status to the next status
  /// that is not, or to the end of the run.
  [[nodiscard]] std::vector<std::pair<Time, Time>> running(std::int32_t pod, std::int32_t c) {
    std::vector<std::pair<Time, Time>> out;
    Time since = -1;
    for (const auto& iv : timeline(pod).containerIntervals(static_cast<std::size_t>(c))) {
      const bool run = iv.status.state.kind == Kind::Running;
      if (run && since < 0) since = iv.begin;
      if (!run && since >= 0) {
        out.emplace_back(since, iv.begin);
        since = -1;
      }
    }
    if (since >= 0) out.emplace_back(since, sim_.now());
    return out;
  }

  Outcome together(const Expectation& e) {
    Outcome o;
    const auto x = containerName(e.pod, e.container), y = containerName(e.pod, e.other);
    o.result.description = fmt::format("pod {}: {} and {} ran at the same time", podName(e.pod), x, y);
    const auto a = running(e.pod, e.container), b = running(e.pod, e.other);
    for (const auto& [s1, e1] : a) {
      for (const auto& [s2, e2] : b) {
        if (std::max(s1, s2) < std::min(e1, e2)) {
          o.result.passed = true;
          return o;
        }
      }
    }
    auto list = [](const std::vector<std::pair<Time, Time>>& v) {
      std::string s;
      for (const auto& [from, to] : v) s += fmt::format("{}[{}, {})", s.empty() ? "" : " ", dur(from), dur(to));
      return s.empty() ? std::string("never") : s;
    };
    o.result.actual = fmt::format("{} ran {}; {} ran {}", x, list(a), y, list(b));
    o.near = sim_.now();
    return o;
  }

  Outcome backoff(const Expectation& e) {
    Outcome o;
    std::string want;
    for (const auto w : e.waits) want += (want.empty() ? "" : ", ") + dur(w);
    o.result.description = fmt::format("{}: waits between exit and restart [{}] within {}", target(e), want, dur(e.tolerance));
    // Each exit (a terminated state or lastState with a new finishedAt) and the next start after it.
    std::vector<Time> waits;
    std::vector<std::size_t> at;
    Time lastExit = -1;
    bool pending = false;
    for (const auto& iv : timeline(e.pod).containerIntervals(static_cast<std::size_t>(e.container))) {
      const auto& st = iv.status;
      const std::size_t i = iv.record;
      Time finished = -1;
      if (st.state.kind == Kind::Terminated) finished = st.state.finishedAt;
      else if (st.hasLastState && st.lastState.kind == Kind::Terminated) finished = st.lastState.finishedAt;
      if (finished > lastExit) {
        lastExit = finished;
        pending = true;
      }
      if (pending && st.state.kind == Kind::Running && st.state.startedAt >= lastExit) {
        waits.push_back(st.state.startedAt - lastExit);
        at.push_back(i);
        pending = false;
      }
    }
    std::string got;
    for (const auto w : waits) got += (got.empty() ? "" : ", ") + dur(w);
    o.result.passed = waits.size() >= e.waits.size();
    for (std::size_t i = 0; o.result.passed && i < e.waits.size(); ++i) {
      const Time diff = waits[i] > e.waits[i] ? waits[i] - e.waits[i] : e.waits[i] - waits[i];
      if (diff > e.tolerance) {
        o.result.passed = false;
        o.focus = at[i];
      }
    }
    if (!o.result.passed) {
      o.result.actual = fmt::format("waits [{}] ({} restart{})", got, waits.size(), waits.size() == 1 ? "" : "s");
      if (o.focus == kNone) o.near = sim_.now();
    }
    return o;
  }

  Outcome events(const Expectation& e) {
    Outcome o;
    const std::int64_t atLeast = e.atLeast < 0 && e.atMost < 0 ? 1 : std::max<std::int64_t>(e.atLeast, 0);
    std::string bounds = e.atMost < 0 ? fmt::format("at least {}", atLeast)
                         : e.atLeast < 0 ? fmt::format("at most {}", e.atMost)
                                         : fmt::format("between {} and {}", atLeast, e.atMost);
    const Time to = end(e);
    const std::int64_t bound = e.atMost >= 0 ? e.atMost : atLeast;
    o.result.description = fmt::format("{}: {} {} Event{}{}", target(e), bounds, e.reason, bound == 1 ? "" : "s",
                                       e.from > 0 || e.to >= 0 ? fmt::format(" between {} and {}", dur(e.from), dur(to)) : "");
    std::int64_t n = 0;
    std::size_t firstExtra = kNone;
    const auto& recs = tr_.records();
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const auto& r = recs[i];
      if (r.t > to) break;
      if (r.pod != e.pod || r.type != RecordType::Event || r.t < e.from) continue;
      const auto& ev = tr_.eventAt(r);
      if (api::toString(ev.reason) != e.reason) continue;
      if (e.container >= 0 && ev.container != e.container) continue;
      ++n;
      if (e.atMost >= 0 && n == e.atMost + 1) firstExtra = i;
    }
    o.result.passed = n >= atLeast && (e.atMost < 0 || n <= e.atMost);
    if (!o.result.passed) {
      o.result.actual = fmt::format("{} such Event{}", n, n == 1 ? "" : "s");
      o.focus = firstExtra;
      o.near = to;
    }
    return o;
  }

  Outcome fingerprint(const Expectation& e) {
    Outcome o;
    o.result.description = "trace fingerprint " + e.fingerprint;
    const auto f = traceFingerprint(sim_);
    o.result.passed = f == e.fingerprint;
    if (!o.result.passed) o.result.actual = "fingerprint " + f + " (the trace changed; pin the new value if the change is intended)";
    return o;
  }

  /// Up to 3 trace lines of the pod before the focus record and 3 after (or the last 6 before `near`).
  std::vector<std::string> context(std::int32_t pod, std::size_t focus, Time near) {
    if (lines_.empty()) {
      std::ostringstream ss;
      trace::writeJsonl(ss, sim_);
      std::string line;
      std::istringstream in(ss.str());
      // One entry per record: Signal records (the timeline's, not in the JSON lines) get an empty one.
      for (const trace::Record& r : tr_.records()) {
        if (r.type == trace::RecordType::Signal) lines_.emplace_back();
        else if (std::getline(in, line)) lines_.push_back(line);
      }
    }
    const auto& recs = tr_.records();
    if (lines_.size() != recs.size()) return {};
    auto mine = [&](std::size_t i) { return recs[i].type != trace::RecordType::Signal && (pod < 0 || recs[i].pod == pod); };
    std::vector<std::size_t> before, after;
    std::size_t pivot = focus;
    if (pivot == kNone) {
      // The last record of the pod at or before `near`.
      for (std::size_t i = 0; i < recs.size() && recs[i].t <= near; ++i) {
        if (mine(i)) pivot = i;
      }
      if (pivot == kNone) return {};
    }
    for (std::size_t i = pivot; i-- > 0 && before.size() < (focus == kNone ? 5u : 3u);) {
      if (mine(i)) before.push_back(i);
    }
    for (std::size_t i = pivot + 1; i < recs.size() && after.size() < 3 && focus != kNone; ++i) {
      if (mine(i)) after.push_back(i);
    }
    std::vector<std::string> out;
    for (auto it = before.rbegin(); it != before.rend(); ++it) out.push_back("  " + shortLine(*it));
    out.push_back("> " + shortLine(pivot));
    for (const auto i : after) out.push_back("  " + shortLine(i));
    return out;
  }

  /// A trace line without its `rule` (the kubelet rule's long explanation, in `podsim run --output jsonl`),
  /// so that a failure's context stays readable.
  std::string shortLine(std::size_t i) const {
    auto j = nlohmann::ordered_json::parse(lines_[i], nullptr, false);
    if (j.is_discarded() || !j.is_object()) return lines_[i];
    j.erase("rule");
    return j.dump();
  }

  const Simulation& sim_;
  const scenario::Scenario& sc_;
  const trace::Trace& tr_;
  std::vector<std::string> lines_;
  std::vector<std::unique_ptr<report::PodTimeline>> timelines_;  // by pod index
};

/// Escapes text for XML attributes and element content; drops characters XML 1.0 forbids.
std::string xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') break;
        out += ch;
    }
  }
  return out;
}

}  // namespace

std::vector<CheckResult> checkExpectations(const Simulation& sim) { return Checker(sim).run(); }

std::string traceFingerprint(const Simulation& sim) {
  std::ostringstream ss;
  trace::writeJsonl(ss, sim, /*withRules=*/false);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : ss.str()) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string runLimitMessage(const std::string& file, const Simulation& sim, const RunOptions& options) {
  return fmt::format("{}: the run stopped at {} of simulated time: more than {} events (raise --max-events, or shorten spec.duration)",
                     file, dur(sim.now()), options.eventLimit);
}

FileReport checkFile(const std::string& file, const RunOptions& options) {
  FileReport report;
  report.file = file;
  const auto start = std::chrono::steady_clock::now();
  try {
    const scenario::Scenario sc = scenario::loadScenarioFile(file);
    RunOptions o = options;
    o.recordTrace = true;
    Simulation sim(sc, o);
    try {
      sim.run();
    } catch (const sim::SimulationLimitError&) {
      report.error = runLimitMessage(file, sim, o);
    }
    if (report.error.empty()) {
      report.results = checkExpectations(sim);
      report.fingerprint = traceFingerprint(sim);
    }
  } catch (const scenario::InputError& e) {
    report.error = e.what();
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void printFailures(std::ostream& out, const FileReport& report) {
  if (!report.error.empty()) {
    out << "ERROR " << report.error << '\n';
    return;
  }
  for (const auto& r : report.results) {
    if (r.passed) continue;
    out << fmt::format("FAIL {}:{}:{}\n  expected: {}\n  actual:   {}\n", r.where.file, r.where.line, r.where.column,
                       r.description, r.actual);
    if (!r.context.empty()) {
      out << "  trace:\n";
      for (const auto& l : r.context) out << "  " << l << '\n';
    }
  }
}

void writeJUnit(std::ostream& out, const std::vector<FileReport>& reports) {
  std::size_t tests = 0, failures = 0, errors = 0;
  double seconds = 0;
  for (const auto& r : reports) {
    tests += r.error.empty() ? r.results.size() : 1;
    errors += r.error.empty() ? 0 : 1;
    for (const auto& c : r.results) failures += c.passed ? 0 : 1;
    seconds += r.seconds;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"podsim check\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n", tests,
                     failures, errors, seconds);
  for (const auto& r : reports) {
    std::size_t f = 0;
    for (const auto& c : r.results) f += c.passed ? 0 : 1;
    const std::size_t n = r.error.empty() ? r.results.size() : 1;
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3f}\">\n",
                       xml(r.file), n, f, r.error.empty() ? 0 : 1, r.seconds);
    if (!r.error.empty()) {
      out << fmt::format("    <testcase classname=\"{}\" name=\"load and run\" time=\"{:.3f}\">\n", xml(r.file), r.seconds);
      out << fmt::format("      <error message=\"{}\" type=\"InputError\">{}</error>\n", xml(r.error), xml(r.error));
      out << "    </testcase>\n";
    }
    const double each = r.results.empty() ? 0 : r.seconds / static_cast<double>(r.results.size());
    for (const auto& c : r.results) {
      out << fmt::format("    <testcase classname=\"{}\" name=\"line {}: {}\" file=\"{}\" line=\"{}\" time=\"{:.3f}\"",
                         xml(r.file), c.where.line, xml(c.description), xml(c.where.file), c.where.line, each);
      if (c.passed) {
        out << "/>\n";
        continue;
      }
      std::string body = "expected: " + c.description + "\nactual:   " + c.actual + "\n";
      for (const auto& l : c.context) body += l + "\n";
      out << ">\n"
          << fmt::format("      <failure message=\"expected {}; got {}\" type=\"ExpectationFailed\">{}</failure>\n",
                         xml(c.description), xml(c.actual), xml(body))
          << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace podsim::engine
