// cli/graph_commands.hpp: the subcommands built on the dependency graph: lint and explain.
//
// Owns their registration on the CLI11 app. The analyses are in models/graph/ (lint.hpp, explain.hpp);
// main.cpp owns exit statuses for bad input that escapes a command (2).
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace podsim::cli {

/// Adds `podsim lint FILE|DIR...`: prints what can never work in each scenario, one finding per line
/// (file:line:col: pod NAME: field path: sentence [kind]). When chosen, `action` is set to run it;
/// its exit status is 0 with no findings, 1 with findings, 2 when a file is bad input (the other
/// files are still linted).
void addLintCommand(CLI::App& app, std::function<int()>& action);

/// Adds `podsim explain FILE POD [--duration D] [--seed N]`: runs the scenario and prints the critical
/// path of the pod's time to Ready, dominating step first, then the path step by step. When chosen,
/// `action` is set to run it (exit status 0; bad input and unknown pods: 2).
void addExplainCommand(CLI::App& app, std::function<int()>& action);

}  // namespace podsim::cli
