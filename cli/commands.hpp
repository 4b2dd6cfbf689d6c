// cli/commands.hpp: the subcommands that look at one run after it ended: get, describe, quiz.
//
// Owns their registration on the CLI11 app, a helper that loads and runs one scenario, and the expansion
// of FILE|DIR arguments that every command taking several scenarios shares. The views
// themselves are in models/report/views.hpp; main.cpp owns exit statuses for bad input (2).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/scenario/scenario.hpp"

namespace CLI {
class App;
}

namespace podsim::cli {

/// A scenario and its finished run (the Simulation refers to the Scenario, so both live here).
struct LoadedRun {
  scenario::Scenario scenario;
  std::unique_ptr<engine::Simulation> sim;
};

/// Loads `file`, runs it with the trace on until `duration` (a Go duration; empty: the scenario's, but
/// at least `atLeast` ns) and returns the run. Errors: scenario::InputError on bad input.
/// `timing`: "ideal" or "kubelet" overrides the scenario's spec.timing (`--timing`); "" keeps it.
std::unique_ptr<LoadedRun> loadAndRun(const std::string& file, const std::string& duration, std::optional<std::uint64_t> seed,
                                      sim::Time atLeast, const std::string& timing = "");

/// Adds `--timing ideal|kubelet` to `cmd`, stored in `timing` ("" when not given).
void addTimingOption(CLI::App* cmd, std::string& timing);

/// Sets `o` to run with the timing named by `timing` ("ideal" or "kubelet"; "" leaves `o` as it is).
void applyTiming(const std::string& timing, engine::RunOptions& o);

/// Files named on the command line, directories expanded to their *.yaml/*.yml files (recursive, sorted
/// by path so that output order is the same everywhere); other arguments are kept as given.
std::vector<std::string> expandFiles(const std::vector<std::string>& args);

/// Parses a `--at` value (Go duration or seconds) into ns. Errors: scenario::InputError naming `--at`.
sim::Time parseAt(const std::string& text);

/// Adds `podsim get FILE [POD] --at T [-o wide|yaml]`; when it is the chosen command, `action` is set to run it.
void addGetCommand(CLI::App& app, std::function<int()>& action);

/// Adds `podsim describe FILE POD --at T`; when chosen, `action` is set to run it.
void addDescribeCommand(CLI::App& app, std::function<int()>& action);

/// Adds `podsim events FILE [--at T] [--for POD]` (`kubectl get events`); when chosen, `action` is set to run it.
void addEventsCommand(CLI::App& app, std::function<int()>& action);
/// Adds `podsim logs FILE POD [-c C] [--previous] [--at T] [--timestamps] [--tail N]`; when chosen, `action`
/// is set to run it (cli/logs.cpp).
void addLogsCommand(CLI::App& app, std::function<int()>& action);

/// Adds `podsim quiz FILE [--at T,...] [--pod POD] [--ask status,ready,restarts]`; when chosen, `action`
/// is set to run it (questions on stdout, answers from stdin, one per line; exit status 0).
void addQuizCommand(CLI::App& app, std::function<int()>& action);

}  // namespace podsim::cli
