// models/engine/randomness.hpp: whether a scenario's runs can differ by seed at all.
//
// Owns the list of every random draw a run makes (each sim::RandomStream use in the engine and in
// models/faults), so that a sweep over seeds of a deterministic scenario can say its runs are identical.
// Does not own the draws themselves (simulation.cpp, pod_worker.ipp, models/faults/faults.cpp).
#pragma once

#include <string>
#include <vector>

#include "models/scenario/overrides.hpp"
#include "models/scenario/scenario.hpp"

namespace podsim::engine {

/// Whether a run of `sc` draws from the seed, so that two seeds may give different traces. The draws:
/// - `spec.timing: kubelet`: each node's Lease renewal, PLEG relist and sync-ticker phases
///   (simulation.cpp setup), and the pod workers' requeue jitter (pod_worker.ipp; kubelet::requeuePlan
///   draws only outside ideal timing);
/// - `spec.faults.crashes` with a mean time between failures above 0 (exponential running times);
/// - `spec.faults.probes` and `spec.faults.imagePulls` with a probability strictly between 0 and 1
///   (0 never fails, 1 always: no draw decides anything);
/// - `spec.faults.nodes` (exponential times up and down).
/// Registry outages and memory growth (OOM kills) are fixed times: no draw. Ideal timing with none of
/// the above: every seed gives the same trace but for the pod uids (podRef: "name_namespace(uid)", and
/// the container IDs hashed from it), which are names made from the seed, not behaviour. No errors.
[[nodiscard]] bool usesRandomness(const scenario::Scenario& sc) noexcept;

/// Whether the runs of a sweep of `base` (loaded from `text`, named `label`) over `variants` may differ
/// by seed: `base` uses randomness, or a variant that overrides `spec`, `spec.timing…` or `spec.faults…`
/// (the only fields usesRandomness reads) loads into a scenario that does. A variant that does not load
/// is skipped (its rows carry the error). Loads only those variants. Errors: none (load errors skipped).
/// What `podsim sweep` and `podsim.sweep` use to say once that every seed gives the same run.
[[nodiscard]] bool sweepUsesRandomness(const scenario::Scenario& base, const std::string& text, const std::string& label,
                                       const std::vector<std::vector<scenario::Override>>& variants);

}  // namespace podsim::engine
