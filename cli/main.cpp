// cli/main.cpp: the `podsim` command (interface.md §3): run, validate, check.
//
// Owns argument parsing (CLI11) and exit statuses: 0 success, 1 an expectation failed (check),
// 2 bad input. Everything else is in models/.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/sweep.hpp"
#include "cli/commands.hpp"
#include "cli/graph_commands.hpp"
#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/chrome.hpp"
#include "models/report/output.hpp"
#include "models/report/timeline.hpp"
#include "sim/environment.hpp"

namespace {

using podsim::scenario::InputError;

struct Common {
  std::vector<std::string> files;
  std::string duration;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> maxEvents;
  std::string timing;  // --timing ideal|kubelet; "" the scenario's
};

podsim::engine::RunOptions runOptions(const Common& c) {
  podsim::engine::RunOptions o;
  if (!c.duration.empty()) {
    try {
      o.duration = podsim::scenario::parseDuration(c.duration);
    } catch (const std::exception& e) {
      throw InputError("<command line>", 0, 0, "--duration", e.what());
    }
    // The same bounds as spec.duration: a run is at most 30 days of simulated time.
    if (o.duration <= 0 || o.duration > 720 * podsim::sim::kHour) {
      throw InputError("<command line>", 0, 0, "--duration",
                       "Invalid value: \"" + c.duration + "\": must be greater than 0 and at most 720h (30 days)");
    }
  }
  if (c.seed) {
    o.overrideSeed = true;
    o.seed = *c.seed;
  }
  if (c.maxEvents) {
    if (*c.maxEvents == 0) throw InputError("<command line>", 0, 0, "--max-events", "Invalid value: 0: must be greater than 0");
    o.eventLimit = *c.maxEvents;
  }
  podsim::cli::applyTiming(c.timing, o);
  return o;
}

int runCommand(const Common& c, const std::string& output, bool explain) {
  const podsim::engine::RunOptions opts = runOptions(c);
  if ((output == "svg" || output == "html" || output == "chrome") && c.files.size() > 1) {
    // One image, page or trace document per run: several would not make one valid file.
    throw InputError("<command line>", 0, 0, "--output", fmt::format("{} takes one scenario file, got {}", output, c.files.size()));
  }
  bool first = true;
  for (const auto& f : c.files) {
    const podsim::scenario::Scenario sc = podsim::scenario::loadScenarioFile(f);
    for (const auto& w : sc.warnings) std::cerr << "warning: " << w << '\n';
    for (const auto& n : sc.imageNotices) std::cerr << n << '\n';
    podsim::engine::Simulation sim(sc, opts);
    try {
      sim.run();
    } catch (const podsim::sim::SimulationLimitError&) {
      throw podsim::sim::SimulationLimitError(podsim::engine::runLimitMessage(f, sim, opts));
    }
    if (output == "jsonl") {
      podsim::trace::writeJsonl(std::cout, sim);
    } else if (output == "svg" || output == "html" || output == "chrome") {
      if (output == "svg") podsim::trace::writeSvg(std::cout, sim);
      if (output == "html") podsim::trace::writeHtml(std::cout, sim);
      if (output == "chrome") podsim::trace::writeChromeTrace(std::cout, sim);
    } else {
      if (!first) std::cout << '\n';
      podsim::trace::writeTable(std::cout, sim, explain);
    }
    first = false;
  }
  return 0;
}

int validateCommand(const Common& c) {
  for (const auto& f : podsim::cli::expandFiles(c.files)) {
    const podsim::scenario::Scenario sc = podsim::scenario::loadScenarioFile(f);
    for (const auto& w : sc.warnings) std::cerr << "warning: " << w << '\n';
    std::cout << fmt::format("{}: ok ({} pod{}, {} action{}, {} expectation{})\n", f, sc.pods.size(),
                             sc.pods.size() == 1 ? "" : "s", sc.actions.size(), sc.actions.size() == 1 ? "" : "s",
                             sc.expectations.size(), sc.expectations.size() == 1 ? "" : "s");
  }
  return 0;
}

int checkCommand(const Common& c, const std::string& junit) {
  const podsim::engine::RunOptions opts = runOptions(c);
  std::vector<podsim::engine::FileReport> reports;
  int failed = 0, passed = 0, errors = 0;
  for (const auto& f : podsim::cli::expandFiles(c.files)) {
    reports.push_back(podsim::engine::checkFile(f, opts));
    podsim::engine::printFailures(std::cout, reports.back());
    errors += reports.back().error.empty() ? 0 : 1;
    for (const auto& r : reports.back().results) ++(r.passed ? passed : failed);
  }
  if (!junit.empty()) {
    std::ofstream out(junit);
    podsim::engine::writeJUnit(out, reports);
    if (!out) throw InputError("<command line>", 0, 0, "--junit", "cannot write " + junit);
  }
  std::cout << fmt::format("{} passed, {} failed{}\n", passed, failed, errors ? fmt::format(", {} not checked (bad input)", errors) : "");
  return errors ? 2 : failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"podsim: a discrete-event simulator of Kubernetes pod lifecycles"};
  app.require_subcommand(1);
  Common common;
  std::string output = "table";

  auto addCommon = [&](CLI::App* cmd, bool runFlags) {
    cmd->add_option("files", common.files, "scenario files (YAML)")->required();
    if (runFlags) {
      cmd->add_option("--duration", common.duration, "simulated time to run (Go duration, e.g. 10m)");
      cmd->add_option("--seed", common.seed, "seed of every random draw");
      cmd->add_option("--max-events", common.maxEvents,
                      "stop a run with an error past this many simulation events (default 200000000)");
      podsim::cli::addTimingOption(cmd, common.timing);
    }
  };
  CLI::App* run = app.add_subcommand("run", "run scenarios and print what kubectl would show");
  addCommon(run, true);
  bool explain = false;
  run->add_option("--output,-o", output,
                  "table (kubectl get pods -w and describe), jsonl (the trace), svg or html (a timeline per pod), "
                  "chrome (Trace Event format for Perfetto)")
      ->check(CLI::IsMember({"table", "jsonl", "svg", "html", "chrome"}));
  run->add_flag("--explain", explain, "table: print the kubelet rule behind each line");
  CLI::App* validate = app.add_subcommand("validate", "read and check scenario files only");
  addCommon(validate, false);
  CLI::App* check = app.add_subcommand("check", "run scenarios and check their expect entries");
  addCommon(check, true);
  std::string junit;
  check->add_option("--junit", junit, "also write the results as JUnit XML to this file");
  std::function<int()> viewAction;  // set by get, describe or quiz when chosen (cli/commands.hpp)
  podsim::cli::addGetCommand(app, viewAction);
  podsim::cli::addDescribeCommand(app, viewAction);
  podsim::cli::addLogsCommand(app, viewAction);
  podsim::cli::addQuizCommand(app, viewAction);
  podsim::cli::addEventsCommand(app, viewAction);
  podsim::cli::addLintCommand(app, viewAction);
  podsim::cli::addExplainCommand(app, viewAction);
  CLI::App* sweep = podsim::cli::addSweepCommand(app);
  // Every command that reads a scenario takes --kubernetes-version (overrides spec.kubernetesVersion).
  std::string kubernetesVersion;
  for (CLI::App* cmd : app.get_subcommands({})) {
    cmd->add_option("--kubernetes-version", kubernetesVersion,
                    "Kubernetes version to model, 1.28 to 1.37 (overrides the scenario's spec.kubernetesVersion)");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (!kubernetesVersion.empty()) {
      const auto v = podsim::scenario::parseKubernetesVersion(kubernetesVersion);
      if (!v) {
        throw InputError("<command line>", 0, 0, "--kubernetes-version",
                         "Unsupported value: \"" + kubernetesVersion + "\": supported values: \"1.28\" to \"1.37\"");
      }
      podsim::scenario::setKubernetesVersionOverride(v);
    }
    if (viewAction) return viewAction();
    if (run->parsed()) return runCommand(common, output, explain);
    if (validate->parsed()) return validateCommand(common);
    if (check->parsed()) return checkCommand(common, junit);
    if (sweep->parsed()) return podsim::cli::sweepCommand();
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const podsim::sim::SimulationLimitError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
