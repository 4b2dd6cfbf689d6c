// models/report/timeline.hpp: a picture of each pod's lifecycle: `podsim run --output svg|html`.
//
// Owns the picture's state intervals of containers and pods (PodTimeline's intervals merged while they
// look the same; shared with the Chrome trace of models/report/chrome.hpp), their colours, and the SVG/HTML text: one lane per container in spec order
// (init, sidecar, regular) coloured by state and reason, with restarts, probe failures, Killing decisions,
// each container's SIGTERM and SIGKILL (trace Signal records) and hook spans marked, the scenario's actions
// in a row on top, the pod's phase, STATUS and conditions on a band above, an axis in simulated time and a
// legend of every colour and mark.
// Output is deterministic: the same trace gives the same bytes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "models/trace/trace.hpp"

namespace podsim::engine {
class Simulation;
}

namespace podsim::trace {

/// One interval during which a container's API status did not change state (times in ns, end exclusive).
struct ContainerInterval {
  std::int32_t container = -1;     // unified index
  sim::Time begin = 0;
  sim::Time end = 0;
  kubelet::ApiContainerStatus status;
  std::size_t record = 0;          // position in Trace::records() of the status record that began it
};

/// One interval during which a pod's status record (phase, STATUS, conditions) did not change.
struct PodInterval {
  sim::Time begin = 0;
  sim::Time end = 0;
  PodStatusRecord status;
  std::size_t record = 0;          // position in Trace::records()
};

/// The container intervals of pod `pod` (index in Scenario::pods), by container then time; the last of
/// each ends at the pod's removal or at the end of the run. Consecutive records that differ only in
/// fields the picture does not show (e.g. lastState) are merged.
std::vector<ContainerInterval> containerIntervals(const engine::Simulation& sim, std::int32_t pod);

/// The pod-status intervals of pod `pod`, in time order (merged while phase, STATUS, READY and
/// conditions stay the same).
std::vector<PodInterval> podIntervals(const engine::Simulation& sim, std::int32_t pod);

/// The colour class of a container status: "waiting:<Reason>", "running:not-started",
/// "running:not-ready", "running:ready" or "terminated:<Reason>" (Reason as Kubernetes spells it).
std::string stateClass(const kubelet::ApiContainerStatus& s);

/// The fill colour ("#rrggbb") of a state class of stateClass().
std::string stateColour(const std::string& stateClass);

/// Writes an SVG image of the run (px: 1,014 wide, to fit a 1,024 px screen; as tall as the pods need): per pod a panel of the whole
/// run and, when the run is at least six times longer, a start-up detail (until Ready=True, rounded up) and
/// a termination detail (deletion request to removal). Each panel: a row of the scenario's actions on this
/// pod or on no pod (flag, name and arguments, a dashed line across the panel), phase, STATUS READY and
/// condition rows,
/// one lane per container in spec order with state bars (hover title: state, times, rule), restart,
/// probe-failure marks (bottom row of the lane), Killing marks (under the lane), SIGTERM and SIGKILL crosses
/// at the signal's real time (middle row), preStop and postStart spans (top strip: from the handler's sleep
/// or the `behaviors` duration until Hook records exist) and a sidecar's wait for the containers it
/// outlives, process exits not yet in the API status, the removal line, and an axis in simulated time; a
/// sidecar that ended on the kubelet's SIGTERM is drawn as "terminated:stopped", not as an error. Marks of
/// different kinds are in different rows so none covers another. Elements carry data-* attributes (data-container, data-state, data-status...)
/// that tests read. Deterministic. Requires a run with the trace on.
void writeSvg(std::ostream& out, const engine::Simulation& sim);

/// Writes a self-contained HTML page: writeSvg's image at the page's width (width 100%, the viewBox keeps
/// its proportions) (hover any bar or mark for its state, times and
/// rule; move the pointer over a panel and a box shows `kubectl get pods` at that moment, as printPod
/// prints it, from the pod's status intervals embedded in the page), the `kubectl get pods -w` table and
/// Events, and a script that writes what the browser laid
/// out (per pod: lanes with their sizes and restart marks, STATUS values, phases, probe failures, kills,
/// hooks) as JSON into the hidden element #render-check, which the browser test reads from the DOM.
void writeHtml(std::ostream& out, const engine::Simulation& sim);

}  // namespace podsim::trace
