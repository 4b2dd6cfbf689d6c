// tests/test_fingerprints.cpp: pins the trace of every scenario under scenarios/ (two seeds, both timings)
// so that performance work never changes what a run produces.
//
// The fingerprint is engine::traceFingerprint: FNV-1a (64 bit) of the JSON-lines trace. The table below
// was recorded before the first optimisation of issue 6; any change of a trace is a change of behaviour
// and must be deliberate. To print a fresh table (only after an intended change of the trace), run
//   PODSIM_PRINT_FINGERPRINTS=1 ./build/podsim_tests -tc='*fingerprint*'
// and paste its lines into tests/fingerprints.inc. A scenario without pinned lines is reported, not failed;
// every pinned line must still be found. The same runs with the trace off must end in the same per-pod
// summary.
//
// A speed guard only: one fast doctest case over every scenario that says "changed" and nothing more. The
// readable guard is the golden traces (tests/golden/, one ctest `golden/NAME` each): when a trace changes they
// print the record, the field and a unified diff. Re-record those with scripts/update-golden.sh in the same commit
// that re-pins this table (tests/golden/README.md).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;

namespace {

struct Pinned {
  const char* file;  // relative to the repository root
  std::uint64_t seed;
  scenario::Timing timing;
  const char* fingerprint;
};

constexpr auto I = scenario::Timing::Ideal;
constexpr auto K = scenario::Timing::Kubelet;

// clang-format off
const Pinned kPinned[] = {
#include "fingerprints.inc"
};
// clang-format on

std::vector<std::string> scenarioFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  const fs::path root(PODSIM_SOURCE_DIR);
  for (const auto& e : fs::recursive_directory_iterator(root / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(fs::relative(e.path(), root).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool sameSummaries(const std::vector<engine::PodSummary>& a, const std::vector<engine::PodSummary>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    if (x.name != y.name || x.phase != y.phase || x.status != y.status || x.ready != y.ready || x.total != y.total ||
        x.restarts != y.restarts || x.initializedAt != y.initializedAt || x.readyAt != y.readyAt || x.readyTime != y.readyTime) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("Every scenario's trace keeps its pinned fingerprint (seeds 1 and 2, ideal and kubelet timing)") {
  const bool print = std::getenv("PODSIM_PRINT_FINGERPRINTS") != nullptr;
  const auto files = scenarioFiles();
  REQUIRE(files.size() >= 10);
  std::size_t checked = 0;
  for (const auto& file : files) {
    scenario::Scenario sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/" + file);
    for (const auto timing : {I, K}) {
      sc.timing = timing;
      for (const std::uint64_t seed : {1ULL, 2ULL}) {
        CAPTURE(file);
        CAPTURE(seed);
        CAPTURE(timing == I ? "ideal" : "kubelet");
        engine::RunOptions o;
        o.overrideSeed = true;
        o.seed = seed;
        engine::Simulation sim(sc, o);
        sim.run();
        const std::string f = engine::traceFingerprint(sim);
        if (print) {
          std::printf("    {\"%s\", %llu, %s, \"%s\"},\n", file.c_str(), static_cast<unsigned long long>(seed),
                      timing == I ? "I" : "K", f.c_str());
          continue;
        }
        const Pinned* pinned = nullptr;
        for (const auto& p : kPinned) {
          if (file == p.file && p.seed == seed && p.timing == timing) pinned = &p;
        }
        // A scenario added after the pins has no "before" to compare with: it is reported, not failed.
        WARN_MESSAGE(pinned != nullptr, "no pinned fingerprint (a new scenario: add its lines to tests/fingerprints.inc)");
        if (pinned == nullptr) continue;
        CHECK(f == pinned->fingerprint);
        ++checked;
        // With the trace off, the run must end in the same place.
        engine::RunOptions off = o;
        off.recordTrace = false;
        engine::Simulation quiet(sc, off);
        quiet.run();
        CHECK(sameSummaries(quiet.summaries(), sim.summaries()));
        CHECK(quiet.now() == sim.now());
      }
    }
  }
  if (!print) CHECK(checked == std::size(kPinned));
}

TEST_CASE("A Simulation reset between runs gives the same trace and summaries as a new one (every scenario, both timings)") {
  // Sweeps and the benchmark reuse one Simulation per thread (Simulation::reset): whatever a run leaves
  // behind (pods, nodes, back-off entries, probe workers, the event queue, the trace) must not reach
  // the next run. Each scenario runs seeds 1, 2 and 1 again, trace on, off and on, on one Simulation,
  // and each run is compared with a new Simulation's.
  const auto files = scenarioFiles();
  REQUIRE(files.size() >= 10);
  for (const auto& file : files) {
    scenario::Scenario sc = scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/" + file);
    for (const auto timing : {I, K}) {
      sc.timing = timing;
      CAPTURE(file);
      CAPTURE(timing == I ? "ideal" : "kubelet");
      engine::RunOptions o;
      o.overrideSeed = true;
      o.seed = 1;
      engine::Simulation reused(sc, o);
      struct Step {
        std::uint64_t seed;
        bool trace;
      };
      for (const Step step : {Step{1, true}, Step{2, false}, Step{2, true}, Step{1, false}, Step{1, true}}) {
        CAPTURE(step.seed);
        CAPTURE(step.trace);
        o.seed = step.seed;
        o.recordTrace = step.trace;
        reused.reset(o);
        reused.run();
        engine::Simulation fresh(sc, o);
        fresh.run();
        CHECK(sameSummaries(reused.summaries(), fresh.summaries()));
        CHECK(reused.now() == fresh.now());
        CHECK(reused.processedEvents() == fresh.processedEvents());
        CHECK(reused.trace().records().size() == fresh.trace().records().size());
        if (step.trace) CHECK(engine::traceFingerprint(reused) == engine::traceFingerprint(fresh));
      }
    }
  }
}
