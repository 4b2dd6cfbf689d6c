// cli/get.cpp: `podsim get FILE [POD] --at T [-o wide|yaml]`: `kubectl get pods` as it was at a simulated time.
//
// Owns the `get` subcommand and the load-and-run helper the other view commands share
// (cli/commands.hpp). The view is models/report/views.hpp writeGet.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/views.hpp"

namespace podsim::cli {

std::vector<std::string> expandFiles(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::error_code ec;
    if (!fs::is_directory(a, ec)) {
      out.push_back(a);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(a, ec)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(e.path().string());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}


std::unique_ptr<LoadedRun> loadAndRun(const std::string& file, const std::string& duration, std::optional<std::uint64_t> seed,
                                      sim::Time atLeast, const std::string& timing) {
  auto run = std::make_unique<LoadedRun>();
  run->scenario = scenario::loadScenarioFile(file);
  for (const auto& w : run->scenario.warnings) std::cerr << "warning: " << w << '\n';
  engine::RunOptions o;
  if (!duration.empty()) {
    try {
      o.duration = scenario::parseDuration(duration);
    } catch (const std::exception& e) {
      throw scenario::InputError("<command line>", 0, 0, "--duration", e.what());
    }
  } else {
    o.duration = std::max(run->scenario.duration, atLeast);
  }
  if (seed) {
    o.overrideSeed = true;
    o.seed = *seed;
  }
  applyTiming(timing, o);
  run->sim = std::make_unique<engine::Simulation>(run->scenario, o);
  run->sim->run();
  return run;
}

void addTimingOption(CLI::App* cmd, std::string& timing) {
  cmd->add_option("--timing", timing,
                  "ideal (every kubelet reaction instant: the textbook numbers) or kubelet (PLEG relist, sync and "
                  "status delays with jitter); default: the scenario's spec.timing")
      ->check(CLI::IsMember({"ideal", "kubelet"}));
}

void applyTiming(const std::string& timing, engine::RunOptions& o) {
  if (timing.empty()) return;
  o.overrideTiming = true;
  o.timing = timing == "ideal" ? scenario::Timing::Ideal : scenario::Timing::Kubelet;
}

sim::Time parseAt(const std::string& text) {
  try {
    return scenario::parseDuration(text);
  } catch (const std::exception& e) {
    throw scenario::InputError("<command line>", 0, 0, "--at", e.what());
  }
}

namespace {

struct GetArgs {
  std::string file, pod, at, output, duration, timing;
  std::optional<std::uint64_t> seed;
};

int runGet(const GetArgs& a) {
  const sim::Time at = a.at.empty() ? -1 : parseAt(a.at);
  const auto run = loadAndRun(a.file, a.duration, a.seed, std::max<sim::Time>(at, 0), a.timing);
  const sim::Time when = at < 0 ? run->sim->now() : std::min(at, run->sim->now());
  const trace::GetFormat f = a.output == "wide" ? trace::GetFormat::Wide : a.output == "yaml" ? trace::GetFormat::Yaml : trace::GetFormat::Table;
  return trace::writeGet(std::cout, *run->sim, when, f, a.pod) ? 0 : 1;
}

}  // namespace

void addGetCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<GetArgs>();
  CLI::App* cmd = app.add_subcommand("get", "print `kubectl get pods` as it was at a simulated time of the run");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("pod", args->pod, "only this pod (name or namespace/name)");
  cmd->add_option("--at", args->at, "simulated time (Go duration, e.g. 45s); default: the end of the run");
  cmd->add_option("--output,-o", args->output, "wide or yaml (the full Pod status)")->check(CLI::IsMember({"", "wide", "yaml"}));
  cmd->add_option("--duration", args->duration, "simulated time to run (default: the scenario's, at least --at)");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  addTimingOption(cmd, args->timing);
  cmd->callback([args, &action] { action = [args] { return runGet(*args); }; });
}

}  // namespace podsim::cli
