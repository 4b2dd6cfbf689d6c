// cli/quiz.cpp: `podsim quiz FILE`: a teaching mode that asks what `kubectl get pods` shows at chosen
// moments of a run, reads the answers from stdin and scores them, explaining each wrong answer in plain
// words (what caused the state: an action, an exit, a back-off, a probe) and with the kubelet rule that
// applied (models/report/rules.hpp). `?` or `hint` asks for a hint; a score summary ends the quiz.
//
// Owns the choice of moments and questions, the dialogue, the plain-word causes and the scoring. Works with a terminal or with
// piped stdin (answers then are echoed, so that a transcript reads like a session).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/pod_timeline.hpp"
#include "models/report/rules.hpp"
#include "models/report/views.hpp"

namespace podsim::cli {

namespace {

struct QuizArgs {
  std::string file, pod, at, ask = "status", duration, timing;
  std::optional<std::uint64_t> seed;
  int count = 6;
};

std::string trim(std::string s) {
  const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

/// The column's value as kubectl prints it, from a PodStatus record.
std::string columnOf(const std::string& column, const trace::PodStatusRecord& s) {
  if (column == "ready") return fmt::format("{}/{}", s.printed.ready, s.printed.total);
  if (column == "restarts") return std::to_string(s.printed.restarts);
  return s.printed.status();
}

/// Moments at which the STATUS has held for at least 2 s (whole seconds: the first whole second 2 s after
/// a change, if the STATUS still holds a second later), at most `count`, spread over the run; with ideal
/// timing the textbook moments: the change itself (rounded up to a whole second), for a STATUS that then
/// holds at least 2 s. So no answer hinges on a sub-second, jittered moment.
std::vector<sim::Time> defaultMoments(const engine::Simulation& sim, const report::PodTimeline& tl, int count, bool ideal) {
  struct Held {
    sim::Time begin, end;
  };
  std::vector<Held> spans;
  std::string last;
  const trace::Trace& tr = tl.trace();
  for (const report::PodStatusInterval& iv : tl.statusIntervals()) {
    const std::string st = tr.podStatusAt(tr.records()[iv.record]).printed.status();
    if (!spans.empty() && st == last) {
      spans.back().end = iv.end;
      continue;
    }
    last = st;
    spans.push_back({iv.begin, iv.end});
  }
  const auto ceilSecond = [](sim::Time t) { return (t + sim::kSecond - 1) / sim::kSecond * sim::kSecond; };
  std::vector<sim::Time> changes;
  for (const Held& h : spans) {
    const sim::Time m = ideal ? ceilSecond(h.begin) : ceilSecond(h.begin + 2 * sim::kSecond);
    const bool holds = ideal ? h.end - h.begin >= 2 * sim::kSecond && m < h.end : m + sim::kSecond <= h.end || h.end >= sim.now();
    if (holds && m <= sim.now() && (changes.empty() || changes.back() != m)) changes.push_back(m);
  }
  if (static_cast<int>(changes.size()) <= count || count <= 1) return changes;
  std::vector<sim::Time> picked;
  const std::size_t n = changes.size();
  for (int i = 0; i < count; ++i) {
    const sim::Time m = changes[static_cast<std::size_t>(i) * (n - 1) / static_cast<std::size_t>(count - 1)];
    if (picked.empty() || picked.back() != m) picked.push_back(m);
  }
  return picked;
}

/// Simulated time for the dialogue: Go duration syntax, truncated to milliseconds ("30.81s").
std::string clock(sim::Time t) { return scenario::formatDuration(t - t % sim::kMillisecond); }

/// The parts of a PodStatus rule ("STATUS ...; phase ...; READY ...") about one column, or all of it.
std::string rulePart(const std::string& rule, const std::string& column) {
  std::string out;
  std::size_t from = 0;
  while (from <= rule.size()) {
    std::size_t to = rule.find("; ", from);
    if (to == std::string::npos) to = rule.size();
    const std::string part = rule.substr(from, to - from);
    if (part.rfind(column + " ", 0) == 0) out += (out.empty() ? "" : "; ") + part;
    from = to + 2;
  }
  return out.empty() ? rule : out;
}

bool matches(const std::string& column, const std::string& answer, const std::string& expected) {
  const std::string a = lower(trim(answer));
  if (a.empty()) return false;
  if (column == "restarts") {
    // "3" and "3 (45s ago)" both name the count.
    return a.substr(0, a.find(' ')) == expected.substr(0, expected.find(' '));
  }
  return a == lower(expected);
}

std::string ordinal(int n) {
  const int m100 = n % 100, m10 = n % 10;
  const char* suffix = (m100 >= 11 && m100 <= 13) ? "th" : m10 == 1 ? "st" : m10 == 2 ? "nd" : m10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

/// A container's state in plain words ("init-mydb is running", "app exited with code 1 (Error)").
/// `init`: an init container that is not a sidecar (it is never ready while it runs: it has no probes).
std::string plainState(const std::string& name, const kubelet::ApiContainerStatus& c, bool init) {
  using Kind = kubelet::ContainerStateValue::Kind;
  const auto& st = c.state;
  switch (st.kind) {
    case Kind::Running:
      if (init) return name + " is running (an init container runs to completion)";
      return fmt::format("{} is running{}", name, !c.started ? " (not started yet: its startup probe has not passed)"
                                                   : c.ready ? " and ready" : " but not ready (its readiness probe has not passed)");
    case Kind::Terminated:
      return fmt::format("{} exited with code {} ({}){}", name, st.exitCode, api::toString(st.reason),
                         st.finishedAt >= 0 ? " at " + clock(st.finishedAt) : "");
    case Kind::Waiting:
      if (st.reason == api::Reason::CrashLoopBackOff) {
        return fmt::format("{} crashed for the {} time and waits out a {} back-off before its next start", name,
                           ordinal(c.restartCount + 1), scenario::formatDuration(st.backoff));
      }
      return fmt::format("{} is waiting ({})", name, st.reason == api::Reason::None ? "not started yet" : api::toString(st.reason));
  }
  return name;
}

/// What caused the change of the record at `changedAt` (position in Trace::records()) of pod `pod`, in plain
/// words: the scenario's actions and the failed probes since the previous change (`since`, ns), and the
/// container statuses the kubelet wrote at that instant.
std::vector<std::string> plainCauses(const engine::Simulation& sim, const report::PodTimeline& tl, std::int32_t pod, std::size_t changedAt,
                                     sim::Time since) {
  const trace::Trace& tr = sim.trace();
  const auto& sc = sim.scenario();
  const api::Pod& spec = sc.pods[static_cast<std::size_t>(pod)].pod;
  const sim::Time when = tr.records()[changedAt].t;
  std::vector<std::string> out;
  for (const trace::Record& r : tr.records()) {
    if (r.t > when) break;
    if (r.t <= since || r.type != trace::RecordType::Action || (r.pod != pod && r.pod >= 0)) continue;
    const scenario::Action& act = sc.actions[r.row];
    std::string arg;
    for (const auto& [k, v] : act.arguments) {
      if (k != "pod" && arg.empty()) arg = v;
    }
    switch (act.kind) {
      case scenario::ActionKind::CreateService: out.push_back(fmt::format("the Service {} appeared at {}", arg, clock(r.t))); break;
      case scenario::ActionKind::DeleteService: out.push_back(fmt::format("the Service {} was deleted at {}", arg, clock(r.t))); break;
      case scenario::ActionKind::DeletePod: out.push_back(fmt::format("the pod was deleted at {} (deletePod)", clock(r.t))); break;
      case scenario::ActionKind::KillContainer: out.push_back(fmt::format("container {} was killed at {} (killContainer)", arg, clock(r.t))); break;
      case scenario::ActionKind::FailNode: out.push_back(fmt::format("node {} failed at {}", arg, clock(r.t))); break;
      default: out.push_back(fmt::format("the action {}{} ran at {}", act.name, arg.empty() ? "" : " " + arg, clock(r.t)));
    }
  }
  std::string lastProbe;
  for (const std::size_t i : tl.records()) {
    const trace::Record& r = tr.records()[i];
    if (r.t > when) break;
    if (r.t <= since || r.type != trace::RecordType::Event) continue;
    const trace::EventRecord& e = tr.eventAt(r);
    if (e.reason != api::EventReason::Unhealthy || e.container < 0) continue;
    static const char* const kinds[3] = {"startup", "liveness", "readiness"};
    lastProbe = fmt::format("the {} probe of {} failed at {}", kinds[std::min<std::size_t>(static_cast<std::size_t>(e.a), 2)],
                            spec.container(static_cast<std::size_t>(e.container)).name, clock(r.t));
  }
  if (!lastProbe.empty()) out.push_back(lastProbe);
  for (const std::size_t i : tl.records()) {
    if (i >= changedAt) break;
    const trace::Record& r = tr.records()[i];
    if (r.t != when || r.type != trace::RecordType::ContainerStatus) continue;
    const trace::ContainerStatusRecord& c = tr.containerStatusAt(r);
    const auto ci = static_cast<std::size_t>(c.container);
    out.push_back(plainState(spec.container(ci).name, c.status, spec.containerType(ci) == api::ContainerType::Init));
  }
  return out;
}

/// A hint for `column` at the moment `p`: how kubectl computes the column, and each container's state.
std::string hint(const std::string& column, const api::Pod& spec, const report::PodAt& p) {
  std::string h = column == "ready"      ? "READY counts the ready regular containers (and started sidecars) over their number."
                  : column == "restarts" ? "RESTARTS adds up the containers' restartCount (with the last restart's age)."
                                         : "STATUS is Init:<done>/<all> while init containers run, PodInitializing after them, else "
                                           "the reason of a waiting or terminated container (CrashLoopBackOff, Error, Completed...), "
                                           "else the phase (Running).";
  if (!p.exists) return h + " The pod does not exist at that moment.";
  for (std::size_t i = 0; i < spec.containerCount(); ++i) {
    h += "\n    " + (p.reported[i] ? plainState(spec.container(i).name, p.containers[i], spec.containerType(i) == api::ContainerType::Init) : spec.container(i).name + " has no status yet");
  }
  return h;
}

int runQuiz(const QuizArgs& a) {
  std::vector<sim::Time> moments;
  for (const auto& t : split(a.at)) moments.push_back(parseAt(t));
  const sim::Time latest = moments.empty() ? 0 : *std::max_element(moments.begin(), moments.end());
  const auto run = loadAndRun(a.file, a.duration, a.seed, latest, a.timing);
  const engine::Simulation& sim = *run->sim;
  const std::int32_t pod = a.pod.empty() ? 0 : trace::findPod(sim, a.pod);
  if (pod < 0 || sim.scenario().pods.empty()) {
    std::cout << fmt::format("Error from server (NotFound): pods \"{}\" not found\n", a.pod);
    return 1;
  }
  const std::string podName = sim.scenario().pods[static_cast<std::size_t>(pod)].pod.name;
  const report::PodTimeline timeline(sim, pod);
  const bool ideal = a.timing.empty() ? sim.scenario().timing == scenario::Timing::Ideal : a.timing == "ideal";
  if (moments.empty()) moments = defaultMoments(sim, timeline, a.count, ideal);
  std::vector<std::string> columns;
  for (const auto& c : split(lower(a.ask))) {
    if (c != "status" && c != "ready" && c != "restarts") {
      throw scenario::InputError("<command line>", 0, 0, "--ask", fmt::format("Unsupported value: \"{}\": supported values: \"status\", \"ready\", \"restarts\"", c));
    }
    columns.push_back(c);
  }
  if (columns.empty()) columns.push_back("status");
  const std::vector<std::string> rules = trace::explainTrace(sim);
  const bool tty = isatty(STDIN_FILENO) != 0;

  const std::string title = sim.scenario().name.empty() ? sim.scenario().file : sim.scenario().name;
  std::cout << fmt::format("podsim quiz: {}: pod {}, {} moment{}.\n", title, podName, moments.size(), moments.size() == 1 ? "" : "s");
  if (!sim.scenario().description.empty()) std::cout << "  " << sim.scenario().description << '\n';
  std::cout << "Answer each question as `kubectl get pods` would print the column (e.g. Init:0/2, 1/2, 0); `?` or `hint` "
               "for a hint.\n";
  int asked = 0, right = 0, hints = 0;
  std::vector<std::string> summary;
  const api::Pod& podSpec = sim.scenario().pods[static_cast<std::size_t>(pod)].pod;
  bool eof = false;
  for (const sim::Time at : moments) {
    const report::PodAt p = timeline.at(std::min(at, sim.now()));
    for (const auto& column : columns) {
      ++asked;
      const std::string upper = column == "status" ? "STATUS" : column == "ready" ? "READY" : "RESTARTS";
      std::cout << fmt::format("\nQ{}. At {}, what {} does `kubectl get pods` show for {}?\n", asked,
                               scenario::formatDuration(at), upper, podName);
      if (!p.exists) {
        // Not there (yet, or any more): kubectl lists nothing.
        std::cout << "  (the pod does not exist at that moment: answer \"none\")\n";
      }
      // As kubectl prints it ("1 (63s ago)" for RESTARTS); a RESTARTS answer is scored on its count.
      const trace::GetColumns shown = trace::getColumns(p);
      std::string expected = !p.exists ? "none" : column == "ready" ? shown.ready : column == "restarts" ? shown.restarts : shown.status;
      std::string answer;
      bool hinted = false;
      const auto read = [&] {
        if (eof) return;
        std::cout << "> " << std::flush;
        if (!std::getline(std::cin, answer)) {
          eof = true;
          answer.clear();
          std::cout << '\n';
        } else if (!tty) {
          std::cout << answer << '\n';
        }
      };
      read();
      while (!eof && !hinted && (trim(answer) == "?" || lower(trim(answer)) == "hint")) {
        hinted = true;
        ++hints;
        std::cout << "  hint: " << hint(column, podSpec, p) << '\n';
        read();
      }
      const std::string q = fmt::format("Q{} at {}, {}: {}", asked, scenario::formatDuration(at), upper, expected);
      if (eof) {
        std::cout << fmt::format("  (no answer) it shows {}.\n", expected);
        summary.push_back(q + ": no answer");
        continue;
      }
      if (matches(column, answer, expected)) {
        ++right;
        std::cout << (hinted ? "  correct (with a hint).\n" : "  correct.\n");
        summary.push_back(q + (hinted ? ": right, with a hint" : ": right"));
        continue;
      }
      std::cout << fmt::format("  not quite: it shows {}.\n", expected);
      summary.push_back(q + ": you said " + trim(answer));
      if (!p.exists) continue;
      // The rule of the record that last changed this column (only its part about the column), then the
      // container records of that same instant, which say what the kubelet saw happen.
      std::size_t changedAt = p.statusRecord;
      std::string prev;
      const trace::Trace& tr = sim.trace();
      for (const std::size_t i : timeline.records()) {
        if (i > p.statusRecord) break;
        const trace::Record& r = tr.records()[i];
        if (r.type != trace::RecordType::PodStatus) continue;
        const std::string v = columnOf(column, tr.podStatusAt(r));
        if (v != prev) changedAt = i;
        prev = v;
      }
      const sim::Time when = tr.records()[changedAt].t;
      // The previous change of the column, from which actions and probe failures count as causes.
      sim::Time since = -1;
      {
        std::string before;
        sim::Time prevChange = -1;
        for (const std::size_t i : timeline.records()) {
          if (i >= changedAt) break;
          const trace::Record& r = tr.records()[i];
          if (r.type != trace::RecordType::PodStatus) continue;
          const std::string v = columnOf(column, tr.podStatusAt(r));
          if (v != before) prevChange = r.t;
          before = v;
        }
        since = prevChange;
      }
      const std::vector<std::string> causes = plainCauses(sim, timeline, pod, changedAt, since);
      if (!causes.empty()) {
        std::string why;
        for (const auto& c : causes) why += (why.empty() ? "" : "; ") + c;
        std::cout << fmt::format("  why: since {}, because {}.\n", clock(when), why);
      }
      std::cout << fmt::format("  kubelet rule: {}\n", rulePart(rules[changedAt], upper));
      const api::Pod& spec = sim.scenario().pods[static_cast<std::size_t>(pod)].pod;
      for (const std::size_t i : timeline.records()) {
        if (i >= changedAt) break;
        const trace::Record& r = tr.records()[i];
        if (r.t != when || r.type != trace::RecordType::ContainerStatus) continue;
        const auto ci = static_cast<std::size_t>(tr.containerStatusAt(r).container);
        std::cout << fmt::format("  {}: {}\n", spec.container(ci).name, rules[i]);
      }
    }
  }
  std::cout << fmt::format("\nScore: {}/{} ({}%){}\n", right, asked, asked > 0 ? (100 * right + asked / 2) / asked : 0,
                           hints > 0 ? fmt::format(", {} hint{} used", hints, hints == 1 ? "" : "s") : "");
  for (const auto& line : summary) std::cout << "  " << line << '\n';
  return 0;
}

}  // namespace

void addQuizCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<QuizArgs>();
  CLI::App* cmd = app.add_subcommand("quiz", "ask what kubectl get pods shows at moments of a run, and score the answers");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("--at", args->at, "moments to ask about, comma-separated (default: once each STATUS has held 2 s; "
                  "with --timing ideal, at the change)");
  cmd->add_option("--pod", args->pod, "the pod to ask about (default: the first)");
  cmd->add_option("--ask", args->ask, "columns to ask, comma-separated: status, ready, restarts (default: status)");
  cmd->add_option("--questions", args->count, "how many default moments at most (default 6)");
  cmd->add_option("--duration", args->duration, "simulated time to run");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  addTimingOption(cmd, args->timing);
  cmd->callback([args, &action] { action = [args] { return runQuiz(*args); }; });
}

}  // namespace podsim::cli
