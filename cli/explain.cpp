// cli/explain.cpp: `podsim explain FILE POD`: the critical path of a pod's time to Ready.
//
// Owns the `explain` subcommand: runs the scenario (cli/commands.hpp loadAndRun) and prints the
// explanation of models/graph/explain.hpp: the sentence, then each step of the path.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/graph_commands.hpp"
#include "models/graph/explain.hpp"

namespace podsim::cli {
namespace {

struct ExplainArgs {
  std::string file, pod, duration;
  std::optional<std::uint64_t> seed;
};

int runExplain(const ExplainArgs& a) {
  const auto run = loadAndRun(a.file, a.duration, a.seed, 0);
  std::int32_t index = -1;
  const auto& pods = run->scenario.pods;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (pods[i].pod.name == a.pod || pods[i].pod.key() == a.pod) {
      index = static_cast<std::int32_t>(i);
      break;
    }
  }
  if (index < 0) {
    std::string names;
    for (const auto& e : pods) names += (names.empty() ? "" : ", ") + e.pod.name;
    std::cerr << fmt::format("error: {}: no pod named \"{}\" (pods: {})\n", a.file, a.pod, names);
    return 2;
  }
  const graph::Explanation x = graph::explainRun(*run->sim, index);
  std::cout << x.pod << ": " << x.sentence << '\n';
  for (const auto& s : x.path) {
    std::cout << fmt::format("  {:>9.3f} s  +{:<8.3f} {:<45} -> {}\n", sim::toSeconds(s.to), sim::toSeconds(s.to - s.from),
                             s.activity, s.event);
  }
  return 0;
}

}  // namespace

void addExplainCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* cmd = app.add_subcommand("explain", "run a scenario and explain what a pod's time to Ready went to");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("pod", args->pod, "pod name (or namespace/name)")->required();
  cmd->add_option("--duration", args->duration, "simulated time to run (Go duration, e.g. 10m)");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  cmd->callback([args, &action] { action = [args] { return runExplain(*args); }; });
}

}  // namespace podsim::cli
