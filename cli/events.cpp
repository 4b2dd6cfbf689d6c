// cli/events.cpp: `podsim events FILE [--at T] [--for POD]`: `kubectl get events` as it was at a simulated time.
//
// Owns the `events` subcommand only; the view (columns, order, aggregation) is models/report/output.hpp
// writeGetEvents.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "models/report/output.hpp"
#include "models/report/views.hpp"

namespace podsim::cli {

namespace {

struct EventsArgs {
  std::string file, at, forObject, duration, timing;
  std::optional<std::uint64_t> seed;
};

int runEvents(const EventsArgs& a) {
  const sim::Time at = a.at.empty() ? -1 : parseAt(a.at);
  const auto run = loadAndRun(a.file, a.duration, a.seed, std::max<sim::Time>(at, 0), a.timing);
  const sim::Time when = at < 0 ? run->sim->now() : std::min(at, run->sim->now());
  std::int32_t pod = -1;
  if (!a.forObject.empty()) {
    // kubectl get events --for pod/NAME (or NAME, a pod).
    const std::string name = a.forObject.rfind("pod/", 0) == 0 ? a.forObject.substr(4) : a.forObject;
    pod = trace::findPod(*run->sim, name);
    if (pod < 0) {
      std::cout << "Error from server (NotFound): pods \"" << name << "\" not found\n";
      return 1;
    }
  }
  trace::writeGetEvents(std::cout, *run->sim, when, pod);
  return 0;
}

}  // namespace

void addEventsCommand(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<EventsArgs>();
  CLI::App* cmd = app.add_subcommand("events", "print `kubectl get events` as it was at a simulated time of the run");
  cmd->add_option("file", args->file, "scenario file (YAML)")->required();
  cmd->add_option("--at", args->at, "simulated time (Go duration, e.g. 45s); default: the end of the run");
  cmd->add_option("--for", args->forObject, "only the events of this pod (pod/NAME or NAME), as kubectl get events --for");
  cmd->add_option("--duration", args->duration, "simulated time to run (default: the scenario's, at least --at)");
  cmd->add_option("--seed", args->seed, "seed of every random draw");
  addTimingOption(cmd, args->timing);
  cmd->callback([args, &action] { action = [args] { return runEvents(*args); }; });
}

}  // namespace podsim::cli
