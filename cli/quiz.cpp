// cli/quiz.cpp: `podsim quiz FILE`: a teaching mode that asks what `kubectl get pods` shows at chosen
// moments of a run, reads the answers from stdin and scores them, explaining each wrong answer with the
// kubelet rule that applied (models/report/rules.hpp).
//
// Owns the choice of moments and questions, the dialogue and the scoring. Works with a terminal or with
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
  std::string file, pod, at, ask = "status", duration;
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

/// Moments just after each STATUS change of `pod` (whole seconds, one second after the change), at most `count`,
/// spread over the run.
std::vector<sim::Time> defaultMoments(const engine::Simulation& sim, const report::PodTimeline& tl, int count) {
  std::vector<sim::Time> changes;
  std::string last;
  const trace::Trace& tr = tl.trace();
  for (const std::size_t i : tl.records()) {
    const trace::Record& r = tr.records()[i];
    if (r.type != trace::RecordType::PodStatus) continue;
    const std::string st = tr.podStatusAt(r).printed.status();
    if (st == last) continue;
    last = st;
    const sim::Time m = (r.t / sim::kSecond + 1) * sim::kSecond;
    if (m <= sim.now() && (changes.empty() || changes.back() != m)) changes.push_back(m);
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

int runQuiz(const QuizArgs& a) {
  std::vector<sim::Time> moments;
  for (const auto& t : split(a.at)) moments.push_back(parseAt(t));
  const sim::Time latest = moments.empty() ? 0 : *std::max_element(moments.begin(), moments.end());
  const auto run = loadAndRun(a.file, a.duration, a.seed, latest);
  const engine::Simulation& sim = *run->sim;
  const std::int32_t pod = a.pod.empty() ? 0 : trace::findPod(sim, a.pod);
  if (pod < 0 || sim.scenario().pods.empty()) {
    std::cout << fmt::format("Error from server (NotFound): pods \"{}\" not found\n", a.pod);
    return 1;
  }
  const std::string podName = sim.scenario().pods[static_cast<std::size_t>(pod)].pod.name;
  const report::PodTimeline timeline(sim, pod);
  if (moments.empty()) moments = defaultMoments(sim, timeline, a.count);
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
  std::cout << "Answer each question as `kubectl get pods` would print the column (e.g. Init:0/2, 1/2, 0).\n";
  int asked = 0, right = 0;
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
      if (!eof) {
        std::cout << "> " << std::flush;
        if (!std::getline(std::cin, answer)) {
          eof = true;
          answer.clear();
          std::cout << '\n';
        } else if (!tty) {
          std::cout << answer << '\n';
        }
      }
      if (eof) {
        std::cout << fmt::format("  (no answer) it shows {}.\n", expected);
        continue;
      }
      if (matches(column, answer, expected)) {
        ++right;
        std::cout << "  correct.\n";
        continue;
      }
      std::cout << fmt::format("  not quite: it shows {}.\n", expected);
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
      std::cout << fmt::format("  why (since {}): {}\n", clock(when), rulePart(rules[changedAt], upper));
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
  std::cout << fmt::format("\nScore: {}/{}\n", right, asked);
  return 0;
}

}  // namespace

void addQuizCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<QuizArgs>();
  CLI::App* cmd = app.add_subcommand("quiz", "ask what kubectl get pods shows at moments of a run, and score the answers");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("--at", args->at, "moments to ask about, comma-separated (default: just after each STATUS change)");
  cmd->add_option("--pod", args->pod, "the pod to ask about (default: the first)");
  cmd->add_option("--ask", args->ask, "columns to ask, comma-separated: status, ready, restarts (default: status)");
  cmd->add_option("--questions", args->count, "how many default moments at most (default 6)");
  cmd->add_option("--duration", args->duration, "simulated time to run");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  cmd->callback([args, &action] { action = [args] { return runQuiz(*args); }; });
}

}  // namespace podsim::cli
