// tests/test_randomness.cpp: engine::usesRandomness, the rule a sweep uses to say its seeds cannot differ.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include "models/engine/randomness.hpp"
#include "models/engine/simulation.hpp"
#include "models/report/output.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;

namespace {
scenario::Scenario idealPod(const std::string& specExtra, const std::string& timing = "ideal") {
  const std::string yaml = "apiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: r}\nspec:\n  timing: " + timing +
                           "\n  duration: 5m\n" + specExtra +
                           "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
                           "    - name: app\n      image: busybox:1.36\n"
                           "      readinessProbe: {exec: {command: [\"true\"]}, periodSeconds: 5}\n";
  return scenario::loadScenarioString(yaml, "test.yaml");
}

std::string traceOf(const scenario::Scenario& sc, std::uint64_t seed) {
  engine::RunOptions o;
  o.overrideSeed = true;
  o.seed = seed;
  engine::Simulation s(sc, o);
  s.run();
  std::ostringstream out;
  trace::writeJsonl(out, s);
  // The pod's uid (in messages, and the container IDs hashed from it) is made from the seed: a name,
  // not behaviour. Everything else must be equal.
  static const std::regex uid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|containerd://[0-9a-f]+");
  return std::regex_replace(out.str(), uid, "<uid>");
}
}  // namespace

TEST_CASE("usesRandomness: kubelet timing and faults drawn from the seed make runs differ by seed; ideal timing alone does not") {
  struct Case {
    const char* name;
    std::string extra;
    std::string timing;
    bool want;
  };
  const Case cases[] = {
      {"ideal timing, no faults", "", "ideal", false},
      {"kubelet timing (phases and requeue jitter)", "", "kubelet", true},
      {"crash faults with a mean time between failures", "  faults:\n    crashes:\n      - {pod: web, container: app, meanTimeBetweenFailures: 10m}\n", "ideal", true},
      {"probe faults with probability 0.2", "  faults:\n    probes:\n      - {pod: web, container: app, probe: readiness, failureProbability: 0.2}\n", "ideal", true},
      {"probe faults with probability 1: always fail, no draw decides", "  faults:\n    probes:\n      - {pod: web, container: app, probe: readiness, failureProbability: 1}\n", "ideal", false},
      {"image pull faults with probability 0.5", "  faults:\n    imagePulls:\n      - {image: busybox:1.36, failureProbability: 0.5}\n", "ideal", true},
      {"registry outage: fixed times", "  faults:\n    registryOutages:\n      - {registry: docker.io, from: 0s, to: 1m}\n", "ideal", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const scenario::Scenario sc = idealPod(c.extra, c.timing);
    CHECK(engine::usesRandomness(sc) == c.want);
    if (!c.want) CHECK(traceOf(sc, 1) == traceOf(sc, 2));
  }
}

TEST_CASE("usesRandomness is false only where seeds 1 and 2 give the same trace: every scenario under scenarios/") {
  int deterministic = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(PODSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    scenario::Scenario sc;
    try {
      sc = scenario::loadScenarioFile(entry.path().string());
    } catch (const scenario::InputError&) {
      continue;  // manifests included by another file, not scenarios of their own
    }
    if (engine::usesRandomness(sc)) continue;
    CAPTURE(entry.path().string());
    ++deterministic;
    CHECK(traceOf(sc, 1) == traceOf(sc, 2));
  }
  CHECK(deterministic > 10);
}

TEST_CASE("sweepUsesRandomness: a variant that sets kubelet timing or random faults makes the seeds matter; other paths do not") {
  const std::string text = "apiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: r}\nspec:\n  timing: ideal\n"
                           "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
                           "    - name: app\n      image: busybox:1.36\n";
  const scenario::Scenario base = scenario::loadScenarioString(text, "test.yaml");
  using V = std::vector<std::vector<scenario::Override>>;
  CHECK_FALSE(engine::sweepUsesRandomness(base, text, "test.yaml", {}));
  CHECK_FALSE(engine::sweepUsesRandomness(base, text, "test.yaml", V{{{"spec.duration", "1m"}}, {{"spec.timing", "ideal"}}}));
  CHECK(engine::sweepUsesRandomness(base, text, "test.yaml", V{{{"spec.timing", "ideal"}}, {{"spec.timing", "kubelet"}}}));
  CHECK(engine::sweepUsesRandomness(base, text, "test.yaml",
                                    V{{{"spec.faults", "{crashes: [{pod: web, container: app, meanTimeBetweenFailures: 5m}]}"}}}));
  // A variant that does not load is skipped: its rows carry the error.
  CHECK_FALSE(engine::sweepUsesRandomness(base, text, "test.yaml", V{{{"spec.timing", "sometimes"}}}));
}
