// models/engine/randomness.cpp: whether a scenario's runs can differ by seed (see randomness.hpp).
#include "models/engine/randomness.hpp"

#include <algorithm>

#include "models/scenario/loader.hpp"

namespace podsim::engine {

bool usesRandomness(const scenario::Scenario& sc) noexcept {
  if (sc.timing != scenario::Timing::Ideal) return true;
  const auto drawn = [](double probability) { return probability > 0 && probability < 1; };
  const auto& f = sc.faults;
  if (std::any_of(f.crashes.begin(), f.crashes.end(), [](const scenario::CrashFault& c) { return c.meanTimeBetweenFailures > 0; })) return true;
  if (std::any_of(f.probes.begin(), f.probes.end(), [&](const scenario::ProbeFault& p) { return p.probes != 0 && drawn(p.probability); })) return true;
  if (std::any_of(f.imagePulls.begin(), f.imagePulls.end(), [&](const scenario::ImagePullFault& i) { return drawn(i.probability); })) return true;
  return !f.nodes.empty();
}

bool sweepUsesRandomness(const scenario::Scenario& base, const std::string& text, const std::string& label,
                         const std::vector<std::vector<scenario::Override>>& variants) {
  if (usesRandomness(base)) return true;
  const auto touches = [](const scenario::Override& o) {
    return o.path == "spec" || o.path.rfind("spec.timing", 0) == 0 || o.path.rfind("spec.faults", 0) == 0;
  };
  for (const auto& v : variants) {
    if (std::none_of(v.begin(), v.end(), touches)) continue;
    try {
      if (usesRandomness(scenario::loadScenarioString(scenario::applyOverrides(text, v, label), label))) return true;
    } catch (const std::exception&) {
      // The sweep reports this variant's error in its rows.
    }
  }
  return false;
}

}  // namespace podsim::engine
