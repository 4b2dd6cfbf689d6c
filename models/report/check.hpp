// models/report/check.hpp: evaluates a scenario's `expect` entries against a finished run, and the
// `podsim check` report (text and JUnit XML).
//
// Owns the meaning of each Expectation kind (scenario.hpp): the state of a pod at an instant (the
// PodTimeline replay of models/report/pod_timeline.hpp: every record at or before it), over a window,
// the order of container starts and exits, overlap of running containers, back-off waits, Event counts,
// and the trace fingerprint. Does not parse YAML (the loader does:
// every expectation here is already valid) and never changes the run.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"

namespace podsim::engine {

/// The outcome of one expectation: whether it held, and expected versus actual in words.
struct CheckResult {
  bool passed = false;
  std::string description;  // what was expected, e.g. "at 45s pod myapp-pod: status Running, ready 1/1"
  std::string actual;       // what the run showed instead (empty when passed)
  std::vector<std::string> context;  // JSONL trace lines around the failure (empty when passed)
  api::SourceLocation where;
};

/// Checks every expectation of the run's scenario, in the order written. Requires a run with the
/// trace on (throws std::logic_error otherwise).
std::vector<CheckResult> checkExpectations(const Simulation& sim);

/// FNV-1a 64 of the run's canonical JSONL trace (trace::writeJsonl without the `rule` explanations), as 16
/// lowercase hex digits.
/// FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3, over every byte of the text.
std::string traceFingerprint(const Simulation& sim);

/// The result of `podsim check` on one file: its expectation results, or the error that stopped it
/// (bad input or a run past its limits; then `results` is empty).
struct FileReport {
  std::string file;
  std::vector<CheckResult> results;
  std::string error;      // non-empty: the file could not be checked (exit status 2)
  std::string fingerprint;
  double seconds = 0;     // wall time to load, run and check
};

/// The message for a run stopped by its event limit (sim::SimulationLimitError): the file, the simulated
/// time reached and the limit, e.g. "r1.yaml: the run stopped at 3m12s of simulated time: more than
/// 1000 events (raise --max-events, or shorten spec.duration)".
std::string runLimitMessage(const std::string& file, const Simulation& sim, const RunOptions& options);

/// Loads, runs and checks one scenario file; never throws for bad input or run limits (they end in
/// FileReport::error).
FileReport checkFile(const std::string& file, const RunOptions& options);

/// Prints each failure of a report: location, expected versus actual, and the trace lines around it.
void printFailures(std::ostream& out, const FileReport& report);

/// Writes JUnit XML: one <testsuite> per scenario file, one <testcase> per expectation; a failed
/// expectation is a <failure>, a file that could not be checked one <testcase> with an <error>.
void writeJUnit(std::ostream& out, const std::vector<FileReport>& reports);

}  // namespace podsim::engine
