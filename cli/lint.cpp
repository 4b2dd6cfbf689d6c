// cli/lint.cpp: `podsim lint FILE|DIR...`: what can never work, found without running the scenario.
//
// Owns the `lint` subcommand: expanding directories, loading each file and printing its findings
// (models/graph/lint.hpp). A file that is bad input is reported and skipped; the others are linted.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/graph_commands.hpp"
#include "models/graph/lint.hpp"
#include "models/scenario/loader.hpp"

namespace podsim::cli {
namespace {

int runLint(const std::vector<std::string>& args) {
  int findings = 0, bad = 0;
  const auto files = expandFiles(args);
  for (const auto& f : files) {
    try {
      const scenario::Scenario sc = scenario::loadScenarioFile(f);
      for (const auto& finding : graph::lintScenario(sc)) {
        std::cout << graph::formatFinding(finding) << '\n';
        ++findings;
      }
    } catch (const scenario::InputError& e) {
      std::cerr << "error: " << e.what() << '\n';
      ++bad;
    }
  }
  if (files.size() > 1 || findings > 0) {
    std::cerr << fmt::format("{} finding{} in {} file{}{}\n", findings, findings == 1 ? "" : "s", files.size(),
                             files.size() == 1 ? "" : "s", bad ? fmt::format(", {} not linted (bad input)", bad) : "");
  }
  return bad ? 2 : findings ? 1 : 0;
}

}  // namespace

void addLintCommand(CLI::App& app, std::function<int()>& action) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("lint", "report what can never work in scenarios (wait cycles, probes, hooks, ...)");
  cmd->add_option("files", *files, "scenario files or directories (YAML)")->required();
  cmd->callback([files, &action] { action = [files] { return runLint(*files); }; });
}

}  // namespace podsim::cli
