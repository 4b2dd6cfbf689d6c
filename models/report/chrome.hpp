// models/report/chrome.hpp: the run as a Trace Event Format file (`podsim run --output chrome`), which
// Perfetto (ui.perfetto.dev) and chrome://tracing open; meant for large runs where an SVG is too dense.
//
// Owns the mapping only: one process per pod, one thread per container (plus thread 0 for the pod's
// STATUS), complete events ("ph":"X") for state intervals, instant events ("ph":"i") for Events and
// scenario Actions. Intervals come from models/report/timeline.hpp.
#pragma once

#include <iosfwd>

namespace podsim::engine {
class Simulation;
}

namespace podsim::trace {

/// Writes, streamed event by event, the Trace Event Format JSON object ({"traceEvents": [...], "displayTimeUnit": "ms"}) of the
/// run; timestamps are simulated microseconds. Requires a run with the trace on. Deterministic.
void writeChromeTrace(std::ostream& out, const engine::Simulation& sim);

}  // namespace podsim::trace
