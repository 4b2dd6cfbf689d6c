// models/report/output.hpp: the text forms of a run: JSON lines (interface.md §2) and the table that
// `kubectl get pods -w` and `kubectl describe pod` would show. The only code that turns trace records
// into strings.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"

namespace podsim::trace {

/// Writes one JSON object per line for every record of the run's trace, in order (interface.md §2).
/// Times `t`, `startedAt`, `finishedAt` are seconds (numbers). Requires a run with the trace on.
/// With `withRules` false the `rule` field is left out: the canonical trace that fingerprints hash, so that
/// rewording an explanation changes no pinned fingerprint.
void writeJsonl(std::ostream& out, const engine::Simulation& sim, bool withRules = true);

/// Writes the `kubectl get pods -w` lines (with a TIME column of simulated time) on every change of
/// READY, STATUS or RESTARTS, the `kubectl get pods` view at the end, and each pod's Events as
/// `kubectl describe pod` lists them (Age relative to the end of the run, repeats aggregated).
/// `explain`: print beside each `get pods -w` line the rule that produced it (models/report/rules.hpp).
void writeTable(std::ostream& out, const engine::Simulation& sim, bool explain = false);

/// The text of an Event's message, with the kubelet's wording (sources in EventMessage).
/// `t`: when the Event was recorded (the resize Events' messages name the Pod's spec at that time).
std::string eventMessage(const engine::Simulation& sim, std::int32_t pod, const EventRecord& ev, sim::Time t);

/// `kubectl`'s age format (apimachinery duration.HumanDuration): "45s", "2m30s", "6m", "3h20m".
std::string humanDuration(sim::Time d);

/// The `message` of a container state (waiting or terminated) as the kubelet writes it, "" when it writes
/// none: CrashLoopBackOff's "back-off 10s restarting failed container=NAME pod=NAME_NAMESPACE(UID)"
/// (kuberuntime_manager.go doBackOff), ContainerStatusUnknown's "The container could not be located when
/// the pod was terminated" (status_manager.go TerminatePod). `container` is the unified index.
/// PostStartHookError's message is the exec handler's (lifecycle/handlers.go Run; postStartHookMessage).
/// Simplification: ErrImagePull / ImagePullBackOff messages (the runtime's pull error) are not written.
std::string containerStateMessage(const engine::Simulation& sim, std::int32_t podIndex, std::int32_t container,
                                  const kubelet::ContainerStateValue& s);

/// Go's %q of `s` (strconv.Quote): "..." with \" \\ \n \t \r \a \b \f \v and \xNN for other control bytes;
/// printable UTF-8 is kept. Never throws except std::bad_alloc.
std::string goQuote(std::string_view s);

/// The message of the newest failed exec postStart (`preStop` true: preStop) hook of container `container` of
/// pod `podIndex` in the run's trace, as the kubelet's handler runner writes it (pkg/kubelet/lifecycle/
/// handlers.go Run): `Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "p_default(UID)" failed
/// - error: command 'sh -c exit 1' exited with 1: STDERR, message: "STDOUT+STDERR"` (the error text is the
/// runtime client's ExecSync, pkg/kubelet/cri/remote/remote_runtime.go at v1.28.15; the output is stdout then
/// stderr, kuberuntime_container.go RunInContainer). "" when no exec hook of that container failed.
/// The kubelet puts a failed postStart's message into the container's waiting state (startContainer returns
/// it; the reason cache keeps it) and neither into an Event (those say "PostStartHook failed").
std::string execHookFailureMessage(const engine::Simulation& sim, std::int32_t podIndex, std::int32_t container, bool preStop);

/// kubectl's RESTARTS column: "3" or "3 (45s ago)".
std::string restartsColumn(const kubelet::PrintedPod& p, sim::Time now);

/// One row of the Events table of `kubectl describe pod`: Type, Reason, Age, From, Message.
struct DescribedEvent {
  std::string type, reason, age, from, message;
};

/// The Events of pod `pod` (index in Scenario::pods) recorded at or before `now` (ns), as `kubectl
/// describe pod` lists them at `now`: identical events aggregated into one row with a count, as the
/// kubelet's event recorder does (client-go tools/record/events_cache.go getEventKey: the key is source
/// component, involved object with its fieldPath, type, reason and message, so two containers' events with
/// the same text stay apart), Age "45s" or "10s (x3 over 2m)" (describe.go DescribeEvents), sorted by last
/// seen (describe.go SortableEvents). Simplification: the correlator's "combined from similar events"
/// aggregation and spam filter (events_cache.go EventAggregator, spamFilter) are not applied.
/// Errors: std::out_of_range when `pod` is not a pod of the scenario.
std::vector<DescribedEvent> describeEvents(const engine::Simulation& sim, std::int32_t pod, sim::Time now);

/// One Kubernetes Event object after the event recorder's aggregation (client-go tools/record
/// events_cache.go getEventKey: source, involved object with its fieldPath, type, reason and message):
/// its first and last occurrence (ns) and count.
struct AggregatedEvent {
  std::int32_t pod = -1;  // index in Scenario::pods
  std::string type, reason, from, message, fieldPath;
  sim::Time first = 0, last = 0;
  int count = 0;
};

/// The Events of pod `pod` (-1: of every pod) recorded at or before `now` (ns), aggregated, in order of
/// first occurrence. The one aggregation behind describeEvents and writeGetEvents. Simplification: the
/// correlator's "combined from similar events" aggregation and spam filter are not applied.
/// Errors: std::out_of_range when `pod` is not -1 or a pod of the scenario.
std::vector<AggregatedEvent> aggregateEvents(const engine::Simulation& sim, std::int32_t pod, sim::Time now);

/// Prints what `kubectl get events` shows at `now` (ns): printers.go printEvent's columns LAST SEEN, TYPE,
/// REASON, OBJECT ("pod/<name>"), MESSAGE, three spaces apart; rows in the API server's list order (event
/// names "<pod>.<hex first timestamp>": by pod name, then first occurrence; kubectl get does not sort);
/// "No resources found in default namespace." when there are none. `pod` >= 0: only that pod's
/// (`--for pod/NAME`). Simplification: every pod's events are listed, whatever its namespace.
void writeGetEvents(std::ostream& out, const engine::Simulation& sim, sim::Time now, std::int32_t pod = -1);

/// Writes the `Events:` block of `kubectl describe pod` (describe.go DescribeEvents): a tab-aligned table
/// (text/tabwriter, padding 2, so each column is as wide as its widest cell, the "----" rule included), or
/// "Events:" + `nonePadding` spaces + "<none>" when there are none.
void writeEvents(std::ostream& out, const std::vector<DescribedEvent>& events, std::size_t nonePadding = 2);

}  // namespace podsim::trace
