// fuzz/fuzz_scenario.cpp: libFuzzer target for the whole path from YAML text to a finished run.
//
// Each input is loaded as a scenario (models/scenario/loader.hpp), run for at most kMaxSimulated of
// simulated time and kEventLimit events, written as JSONL and as the kubectl table to a null stream,
// and checked against its expectations (the failure report and JUnit XML go to the same stream).
// Bad input (InputError) and a run past its limits (SimulationLimitError) are the expected outcomes
// of bad text; anything else escaping (a std::logic_error: a broken invariant), a crash, a sanitizer
// report, a hang or unbounded memory is a finding. Built and run by scripts/fuzz.sh; its findings become tests under tests/regressions/.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

#include "models/report/check.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/report/output.hpp"
#include "sim/environment.hpp"

namespace {

constexpr podsim::sim::Time kMaxSimulated = 30 * podsim::sim::kMinute;
constexpr std::uint64_t kEventLimit = 200'000;

/// A stream that discards everything written to it.
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

/// Loads, runs, prints and checks one scenario text; bad input and run limits end quietly.
/// Returns whether the loader rejected the text for not being UTF-8.
bool runOne(const std::string& text) {
  try {
    // The label has no directory: spec.manifests resolve against the working directory.
    const auto sc = podsim::scenario::loadScenarioString(text, "<fuzz>");
    podsim::engine::RunOptions options;
    options.duration = sc.duration < kMaxSimulated ? sc.duration : kMaxSimulated;
    options.eventLimit = kEventLimit;
    podsim::engine::Simulation sim(sc, options);
    sim.run();
    NullBuffer buffer;
    std::ostream out(&buffer);
    podsim::trace::writeJsonl(out, sim);
    podsim::trace::writeTable(out, sim);
    // The `podsim check` report of this run, as text and as JUnit XML.
    podsim::engine::FileReport report;
    report.file = "<fuzz>";
    report.results = podsim::engine::checkExpectations(sim);
    podsim::engine::printFailures(out, report);
    podsim::engine::writeJUnit(out, {report});
  } catch (const podsim::scenario::InputError& e) {
    return e.detail.rfind("invalid UTF-8", 0) == 0;
  } catch (const podsim::sim::SimulationLimitError&) {
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Byte-level mutations mostly break UTF-8, which the loader rejects before parsing; run such an
  // input once more with every non-ASCII byte made '?', so that the mutation still reaches the parser,
  // the validation and the run.
  if (runOne(text)) {
    for (auto& c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    runOne(text);
  }
  return 0;
}
