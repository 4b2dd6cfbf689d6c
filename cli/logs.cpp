// cli/logs.cpp: `podsim logs FILE POD [-c CONTAINER] [--previous] [--at T] [--timestamps] [--tail N]
// [--timing ideal|kubelet]`: what
// `kubectl logs` would print at a simulated time (interface.md §3).
//
// Owns the `logs` subcommand only; the choice of container and run and kubectl's messages are
// models/report/logs.hpp kubectlLogs. Exit 0 with the lines on stdout; 1 with kubectl's error on stderr.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "models/report/logs.hpp"
#include "models/report/views.hpp"

namespace podsim::cli {

namespace {

struct LogsArgs {
  std::string file, pod, container, at, duration, timing;
  bool previous = false;
  bool timestamps = false;
  std::int64_t tail = -1;
  std::optional<std::uint64_t> seed;
};

int runLogs(const LogsArgs& a) {
  const sim::Time at = a.at.empty() ? -1 : parseAt(a.at);
  const auto run = loadAndRun(a.file, a.duration, a.seed, std::max<sim::Time>(at, 0), a.timing);
  const sim::Time when = at < 0 ? run->sim->now() : std::min(at, run->sim->now());
  const std::int32_t pod = trace::findPod(*run->sim, a.pod);
  if (pod < 0) {
    std::cerr << "Error from server (NotFound): pods \"" << a.pod << "\" not found\n";
    return 1;
  }
  const trace::LogsAnswer ans = trace::kubectlLogs(*run->sim, pod, a.container, a.previous, when, a.tail);
  if (!ans.error.empty()) {
    std::cerr << ans.error << '\n';
    return 1;
  }
  for (const auto& l : ans.lines) {
    if (a.timestamps) std::cout << trace::rfc3339Nano(l.t) << ' ';
    std::cout << l.text << '\n';
  }
  return 0;
}

}  // namespace

void addLogsCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<LogsArgs>();
  CLI::App* cmd = app.add_subcommand("logs", "print what `kubectl logs POD` would print at a simulated time of the run");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("pod", args->pod, "pod name (or namespace/name)")->required();
  cmd->add_option("-c,--container", args->container, "container (default: the pod's only container)");
  cmd->add_flag("-p,--previous", args->previous, "the previous run of the container (after a restart)");
  cmd->add_option("--at", args->at, "simulated time (Go duration, e.g. 45s); default: the end of the run");
  cmd->add_flag("--timestamps", args->timestamps, "prefix each line with its time (RFC3339Nano, time 0 = 2025-01-01T00:00:00Z, the run start of every view)");
  cmd->add_option("--tail", args->tail, "only the last N lines (-1: all)");
  cmd->add_option("--duration", args->duration, "simulated time to run (default: the scenario's, at least --at)");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  addTimingOption(cmd, args->timing);
  cmd->callback([args, &action] { action = [args] { return runLogs(*args); }; });
}

}  // namespace podsim::cli
