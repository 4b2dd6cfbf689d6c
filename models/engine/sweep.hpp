// models/engine/sweep.hpp: many runs of one scenario, variants x seeds, on a pool of threads.
//
// Owns the sweep that `podsim sweep` and the Python `podsim.sweep` share: the scenario text is parsed
// once (scenario::PreparedScenario); each variant (a list of `PATH=VALUE` overrides) is made from it on the
// worker thread that first needs it (overrides applied to the loaded model where they can be, else the
// text loaded again), every (variant, seed) run is a run of the thread's Simulation for that variant
// (reset between runs: Simulation::reset) with the trace off, and each run reports one row of per-pod
// summary figures. A run that fails (bad variant,
// event limit) fills its row's error and the sweep goes on. Rows come back in a fixed order (variant
// major, then seeds in the order given), whatever the number of threads. Does not own output (CSV,
// DataFrames) nor the scenario format.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/scenario/overrides.hpp"
#include "models/trace/metrics.hpp"

namespace podsim::engine {

/// One variant of the scenario: overrides applied to its text before loading (none: the scenario as is).
struct SweepVariant {
  std::vector<scenario::Override> overrides;
};

/// One pod's figures in one run. Times in ns, -1 when never reached; fractionReady = readyTime / duration.
struct SweepPod {
  std::string name;
  std::string phase;
  std::string status;
  std::int32_t ready = 0;
  std::int32_t total = 0;
  std::int32_t restarts = 0;
  Time initializedAt = -1;
  Time readyAt = -1;
  Time readyTime = 0;
  double fractionReady = 0;
};

/// The result of one run: which variant and seed, its pods' figures, or the error that stopped it.
struct SweepRow {
  std::size_t variant = 0;
  std::uint64_t seed = 0;
  Time duration = 0;                 // ns simulated
  std::uint64_t events = 0;          // events processed
  std::vector<SweepPod> pods;        // in the scenario's pod order; empty on error
  std::vector<trace::MetricValue> metrics;  // the metrics asked for (SweepOptions::metrics), by key
  std::string error;                 // empty when the run succeeded
};

/// Threads (0: one per hardware thread) and the run options every run shares (the trace is always off).
struct SweepOptions {
  unsigned threads = 0;
  RunOptions run;
  /// Metrics to compute during each run (docs/metrics.md); 0: none. With any, each run makes its
  /// records as with the trace on (the same run as `podsim run`) and hands them to a trace::Metrics.
  trace::MetricMask metrics = 0;
};

/// Counters a caller may watch from another thread while a sweep runs (`done` counts runs as they
/// finish, from the first one), and a flag to stop it early: checked before each run, so a sweep stops
/// within one run per thread; runs not yet started are then left with error "cancelled".
struct SweepProgress {
  std::atomic<std::size_t> done{0};
  std::atomic<bool> cancel{false};
};

/// Runs every variant x seed of the scenario given as YAML text (`fileLabel` names it in messages and
/// resolves `spec.manifests`). Returns variants.size() x seeds.size() rows, variant major. With no
/// variants, runs the scenario as is (one variant). Never throws for bad input: each affected row
/// carries the message (InputError's `file:line:col: path: detail`).
std::vector<SweepRow> runSweep(const std::string& yaml, const std::string& fileLabel, std::vector<SweepVariant> variants,
                               const std::vector<std::uint64_t>& seeds, const SweepOptions& options,
                               SweepProgress* progress = nullptr);

/// A metric's wide column name: `<namespace>/<pod>.<metric>` for the pod, `<namespace>/<pod>.<container>.<metric>`
/// for a container (names from `scenario`, the sweep's base; `?` for an index it does not have).
std::string metricColumn(const scenario::Scenario& scenario, const trace::MetricKey& key);
/// The pod (`namespace/name`) and container name (empty for the pod) of a metric key.
std::pair<std::string, std::string> metricOwner(const scenario::Scenario& scenario, const trace::MetricKey& key);
/// Metric names (`restarts`, `timeIn`, ...) as a mask. Throws InputError (file "<command line>", field
/// `field`) naming the supported values for an unknown name.
trace::MetricMask metricMask(const std::vector<std::string>& names, const std::string& field = "--metric");

/// One run's row from a finished Simulation (for callers that run on their own).
std::vector<SweepPod> sweepPods(const Simulation& sim);

}  // namespace podsim::engine
