// cli/describe.cpp: `podsim describe FILE POD --at T`: `kubectl describe pod` as it was at a simulated time.
//
// Owns the `describe` subcommand only; the view is models/report/views.hpp writeDescribe.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/views.hpp"

namespace podsim::cli {

namespace {

struct DescribeArgs {
  std::string file, pod, at, duration, timing;
  std::optional<std::uint64_t> seed;
};

int runDescribe(const DescribeArgs& a) {
  const sim::Time at = a.at.empty() ? -1 : parseAt(a.at);
  const auto run = loadAndRun(a.file, a.duration, a.seed, std::max<sim::Time>(at, 0), a.timing);
  const sim::Time when = at < 0 ? run->sim->now() : std::min(at, run->sim->now());
  const std::int32_t pod = trace::findPod(*run->sim, a.pod);
  if (pod < 0) {
    std::cout << "Error from server (NotFound): pods \"" << a.pod << "\" not found\n";
    return 1;
  }
  return trace::writeDescribe(std::cout, *run->sim, pod, when) ? 0 : 1;
}

}  // namespace

void addDescribeCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<DescribeArgs>();
  CLI::App* cmd = app.add_subcommand("describe", "print `kubectl describe pod POD` as it was at a simulated time of the run");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("pod", args->pod, "pod name (or namespace/name)")->required();
  cmd->add_option("--at", args->at, "simulated time (Go duration, e.g. 45s); default: the end of the run");
  cmd->add_option("--duration", args->duration, "simulated time to run (default: the scenario's, at least --at)");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  addTimingOption(cmd, args->timing);
  cmd->callback([args, &action] { action = [args] { return runDescribe(*args); }; });
}

}  // namespace podsim::cli
