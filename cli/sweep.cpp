// cli/sweep.cpp: `podsim sweep FILE --seeds A..B [--threads N] [--set PATH=VALUE]... [-o FILE.csv]`.
//
// Owns the command's arguments and its CSV; the runs themselves are models/engine/sweep. A path given
// once with --set applies to every run; a path given several times makes one variant per value (and
// several such paths their product). One CSV row per run: the variant's values, the seed, each pod's
// figures (times in seconds, empty when never reached; POD the bare name, or namespace/name when pods of
// that name are in several namespaces, as in Python) and the error, empty when the run succeeded.
#include "cli/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/engine/randomness.hpp"
#include "models/engine/sweep.hpp"
#include "models/scenario/loader.hpp"
#include "models/scenario/overrides.hpp"

namespace podsim::cli {
namespace {

using scenario::InputError;

struct SweepArgs {
  std::string file;
  std::string seeds = "1..100";
  unsigned threads = 0;
  std::vector<std::string> sets;
  std::vector<std::string> metrics;
  std::string output;
};

SweepArgs& args() {
  static SweepArgs a;
  return a;
}

/// `--seeds`, with the same meaning as `seeds=` in Python (podsim.sweep): `N` is the N seeds 1..N, `A..B` the
/// seeds A to B inclusive, `A,B,C` exactly those seeds (in that order). Throws InputError naming `--seeds` for
/// anything else, for B < A, for N = 0 and for more than 100,000,000 seeds.
std::vector<std::uint64_t> parseSeeds(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return InputError("<command line>", 0, 0, "--seeds", "Invalid value: \"" + text + "\": " + why);
  };
  auto number = [&](const std::string& s) -> std::uint64_t {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19) {
      throw bad("expected N (seeds 1..N), A..B or A,B,C");
    }
    return std::stoull(s);
  };
  std::vector<std::uint64_t> out;
  if (text.find(',') != std::string::npos) {
    std::size_t from = 0;
    while (true) {
      const auto comma = text.find(',', from);
      out.push_back(number(text.substr(from, comma == std::string::npos ? std::string::npos : comma - from)));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    return out;
  }
  const auto dots = text.find("..");
  std::uint64_t a = 1;
  std::uint64_t b = 0;
  if (dots == std::string::npos) {
    b = number(text);
    if (b == 0) throw bad("N must be at least 1 (N means the seeds 1..N)");
  } else {
    a = number(text.substr(0, dots));
    b = number(text.substr(dots + 2));
  }
  if (b < a) throw bad("B is less than A");
  if (b - a >= 100'000'000) throw bad("more than 100000000 seeds");
  out.reserve(static_cast<std::size_t>(b - a + 1));
  for (std::uint64_t s = a; s <= b; ++s) out.push_back(s);
  return out;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string seconds(sim::Time t) { return t < 0 ? "" : fmt::format("{}", sim::toSeconds(t)); }

/// A pod column of the CSV: the pod's name and which pod of that name in a run it is (0, 1, ...).
struct PodColumn {
  std::string name;
  std::size_t occurrence = 0;
  friend bool operator==(const PodColumn&, const PodColumn&) = default;
};

/// The column prefix of each pod (`POD` of `POD.phase`), the rule of Python's podsim._sweep.pod_prefixes:
/// the bare name, unless pods of that name are in several namespaces: then `namespace/name` (the
/// scenario's pod of that name and occurrence; `default/name` for one it does not have).
std::vector<std::string> podPrefixes(const scenario::Scenario& base, const std::vector<PodColumn>& pods) {
  std::map<std::string, std::size_t> count;
  for (const auto& p : pods) ++count[p.name];
  std::vector<std::string> out;
  for (const auto& p : pods) {
    if (count[p.name] == 1) {
      out.push_back(p.name);
      continue;
    }
    std::size_t k = 0;
    std::string key;
    for (const auto& sp : base.pods) {
      if (sp.pod.name == p.name && k++ == p.occurrence) key = sp.pod.key();
    }
    out.push_back(key.empty() ? (p.occurrence == 0 ? "default/" : fmt::format("default#{}/", p.occurrence)) + p.name : key);
  }
  return out;
}

/// The running sweep's progress, for Ctrl-C: the first SIGINT cancels the runs not started (the rows
/// that finished are written, the others say "cancelled"); a lock-free atomic store is signal-safe.
std::atomic<engine::SweepProgress*> running{nullptr};
extern "C" void onInterrupt(int) {
  if (engine::SweepProgress* p = running.load()) p->cancel.store(true);
}

}  // namespace

CLI::App* addSweepCommand(CLI::App& app) {
  SweepArgs& a = args();
  CLI::App* cmd = app.add_subcommand("sweep", "run a scenario once per seed (and variant) in parallel; one CSV row per run");
  cmd->add_option("file", a.file, "scenario file (YAML)")->required();
  cmd->add_option("--seeds", a.seeds, "seeds to run: N (the seeds 1..N), A..B (inclusive) or A,B,C")->default_str("1..100");
  cmd->add_option("--threads", a.threads, "threads (default: one per hardware thread)");
  cmd->add_option("--set", a.sets, "override PATH=VALUE (e.g. spec.seed=3, pods.web.spec.containers[app].image=app:2); "
                                   "a PATH given several times makes one variant per value");
  cmd->add_option("--metric", a.metrics,
                  "compute these metrics during each run instead of the default columns, one column per "
                  "NAMESPACE/POD[.CONTAINER].METRIC (the vocabulary: docs/metrics.md): restarts (count), timeIn "
                  "(s per kubectl STATUS / container state: timeIn:Running, timeIn:CrashLoopBackOff, ...), events "
                  "(count per Event reason: events:BackOff, ...), probeFailures (count), timeToReady, "
                  "timeToInitialized, timeToFirstRestart (s, empty when never), fractionReady (0..1), phase, "
                  "status (final, text); the same figures as podsim.sweep(metrics=...)");
  cmd->add_option("-o,--output", a.output, "CSV file to write (default: standard output)");
  return cmd;
}

int sweepCommand() {
  const SweepArgs& a = args();
  const std::vector<std::uint64_t> seeds = parseSeeds(a.seeds);
  // Paths in the order first given, each with its values; the variants are the product of the values.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  for (const auto& s : a.sets) {
    const scenario::Override o = scenario::parseOverride(s);
    auto it = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == o.path; });
    if (it == params.end()) params.push_back({o.path, {o.value}});
    else it->second.push_back(o.value);
  }
  std::vector<engine::SweepVariant> variants(1);
  std::vector<std::vector<std::string>> variantValues(1);
  for (const auto& [path, values] : params) {
    std::vector<engine::SweepVariant> nextVariants;
    std::vector<std::vector<std::string>> nextValues;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      for (const auto& value : values) {
        engine::SweepVariant nv = variants[v];
        nv.overrides.push_back({path, value});
        nextVariants.push_back(std::move(nv));
        auto vals = variantValues[v];
        vals.push_back(value);
        nextValues.push_back(std::move(vals));
      }
    }
    variants = std::move(nextVariants);
    variantValues = std::move(nextValues);
  }
  // The file must be readable and valid as given: bad input is exit status 2, not a CSV of errors.
  const scenario::Scenario base = scenario::loadScenarioFile(a.file);
  for (const auto& w : base.warnings) std::cerr << "warning: " << w << '\n';
  const std::string text = scenario::readScenarioText(a.file);
  if (seeds.size() > 1) {
    std::vector<std::vector<scenario::Override>> overrides;
    for (const auto& v : variants) overrides.push_back(v.overrides);
    if (!engine::sweepUsesRandomness(base, text, a.file, overrides)) {
      std::cerr << "podsim sweep: note: nothing in this scenario is drawn from the seed (ideal timing, no random "
                   "faults): every seed gives the same run\n";
    }
  }

  engine::SweepOptions options;
  options.threads = a.threads;
  options.metrics = engine::metricMask(a.metrics);
  engine::SweepProgress progress;
  running.store(&progress);
  const auto previous = std::signal(SIGINT, onInterrupt);
  const std::vector<engine::SweepRow> rows = engine::runSweep(text, a.file, variants, seeds, options, &progress);
  std::signal(SIGINT, previous);
  running.store(nullptr);
  if (progress.cancel.load()) std::cerr << "podsim sweep: interrupted; rows of runs not started say \"cancelled\"\n";

  // Pod columns: the scenario's pods, then any other pod a run reported, in order of first appearance. A
  // pod is its name and which pod of that name it is (the rows carry bare names), so that `web` in
  // namespaces a and b stay apart; see podPrefixes for the column names.
  std::vector<PodColumn> pods;
  std::map<std::string, std::size_t> seen;
  for (const auto& p : base.pods) pods.push_back({p.pod.name, seen[p.pod.name]++});
  for (const auto& r : rows) {
    std::map<std::string, std::size_t> k;
    for (const auto& p : r.pods) {
      PodColumn c{p.name, k[p.name]++};
      if (std::find(pods.begin(), pods.end(), c) == pods.end()) pods.push_back(std::move(c));
    }
  }
  const std::vector<std::string> prefixes = podPrefixes(base, pods);
  std::unique_ptr<std::ofstream> file;
  if (!a.output.empty()) {
    file = std::make_unique<std::ofstream>(a.output);
    if (!*file) throw InputError("<command line>", 0, 0, "-o", "cannot write file \"" + a.output + "\"");
  }
  std::ostream& out = file ? *file : std::cout;
  std::string line;
  if (options.metrics != 0) {
    // Wide: one column per metric any run reported, in order of first appearance (rows in order, each
    // run's metrics in key order: pod, container, metric, value), the order of Python's wide frame.
    std::map<trace::MetricKey, std::size_t> columns;  // key -> its column
    std::size_t k = 0;
    for (const auto& [path, values] : params) line += csvField(path) + ",";
    line += "seed";
    // phase and status: one column each whatever the value (the key's code is the value).
    std::map<std::string, std::size_t> names;
    for (const auto& r : rows) {
      for (const auto& m : r.metrics) {
        if (columns.count(m.key) != 0) continue;
        trace::MetricKey named = m.key;
        if (m.key.metric == trace::Metric::phase || m.key.metric == trace::Metric::status) named.code = 0;
        const std::string name = engine::metricColumn(base, named);
        auto [it, added] = names.emplace(name, k);
        if (added) {
          line += "," + csvField(name);
          ++k;
        }
        columns.emplace(m.key, it->second);
      }
    }
    line += ",error\n";
    out << line;
    std::vector<std::string> cells(k);
    for (const auto& r : rows) {
      line.clear();
      for (const auto& v : variantValues[r.variant]) line += csvField(v) + ",";
      line += std::to_string(r.seed);
      for (auto& c : cells) c.clear();
      if (r.error.empty()) {
        for (const auto& [key, col] : columns) {
          if (key.metric == trace::Metric::timeIn || key.metric == trace::Metric::events) cells[col] = "0";
        }
      }
      for (const auto& m : r.metrics) {
        const std::string valueText = m.key.text();
        cells[columns.at(m.key)] = !valueText.empty() ? csvField(valueText) : std::isnan(m.value) ? "" : fmt::format("{}", m.value);
      }
      for (const auto& c : cells) line += "," + c;
      line += "," + csvField(r.error) + "\n";
      out << line;
    }
    out.flush();
    if (!out) throw InputError("<command line>", 0, 0, "-o", "cannot write the CSV");
    return progress.cancel.load() ? 130 : 0;
  }
  for (const auto& [path, values] : params) line += csvField(path) + ",";
  line += "seed";
  for (const auto& p : prefixes) {
    for (const char* m : {"phase", "status", "ready", "restarts", "timeToInitialized", "timeToReady", "readyTime", "fractionReady"}) {
      line += "," + csvField(p + "." + m);
    }
  }
  line += ",error\n";
  out << line;
  for (const auto& r : rows) {
    line.clear();
    for (const auto& v : variantValues[r.variant]) line += csvField(v) + ",";
    line += std::to_string(r.seed);
    for (const auto& col : pods) {
      std::size_t k = 0;
      auto it = std::find_if(r.pods.begin(), r.pods.end(), [&](const auto& p) { return p.name == col.name && k++ == col.occurrence; });
      if (it == r.pods.end()) {
        line += ",,,,,,,,";
        continue;
      }
      line += "," + it->phase + "," + csvField(it->status) + "," + fmt::format("{}/{}", it->ready, it->total) + "," +
              std::to_string(it->restarts) + "," + seconds(it->initializedAt) + "," + seconds(it->readyAt) + "," +
              seconds(it->readyTime) + "," + fmt::format("{}", it->fractionReady);
    }
    line += "," + csvField(r.error) + "\n";
    out << line;
  }
  out.flush();
  if (!out) throw InputError("<command line>", 0, 0, "-o", "cannot write the CSV");
  return progress.cancel.load() ? 130 : 0;
}

}  // namespace podsim::cli
