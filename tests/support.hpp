// tests/support.hpp: the fixture most engine tests share: a scenario loaded and run to its end.
//
// Owns nothing else. The Simulation refers to its Scenario, so a Run is never moved or copied: the
// helpers return it as a prvalue (guaranteed copy elision), and the Scenario stays where the
// Simulation saw it.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"

namespace podsim::testing {

/// A scenario and its finished run (run to spec.duration, or RunOptions' overrides).
struct Run {
  explicit Run(scenario::Scenario s, engine::RunOptions opts = {})
      : sc(std::move(s)), sim(std::make_unique<engine::Simulation>(sc, opts)) {
    sim->run();
  }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

/// Loads YAML text (labelled "test.yaml" in messages) and runs it. Errors: scenario::InputError.
inline Run run(const std::string& yaml, engine::RunOptions opts = {}) {
  return Run(scenario::loadScenarioString(yaml, "test.yaml"), opts);
}

/// Loads a file given relative to the repository root and runs it. Errors: scenario::InputError.
inline Run runFile(const std::string& rel, engine::RunOptions opts = {}) {
  return Run(scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/" + rel), opts);
}

}  // namespace podsim::testing
