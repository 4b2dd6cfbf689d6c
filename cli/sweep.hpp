// cli/sweep.hpp: the `podsim sweep` command (interface.md §3), registered by cli/main.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace podsim::cli {

/// Adds the `sweep` subcommand to `app` and returns it; its options live until the program ends.
CLI::App* addSweepCommand(CLI::App& app);

/// Runs the parsed `sweep` subcommand: writes the CSV and returns the exit status (0). Throws
/// scenario::InputError on bad input (exit status 2 in main).
int sweepCommand();

}  // namespace podsim::cli
