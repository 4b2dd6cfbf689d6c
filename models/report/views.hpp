// models/report/views.hpp: the kubectl views of a pod at any simulated time, rebuilt from a run's trace:
// `kubectl get pods` (plain, `-o wide`, `-o yaml`) and `kubectl describe pod`.
//
// Owns the kubectl text forms of a pod at a moment (PodAt, replayed by models/report/pod_timeline.hpp).
// Does not run anything: it reads a finished Simulation with its trace on. Simulated time 0 is printed as
// 2025-01-01T00:00:00Z (kRunStartUnix, a fixed date so that every view is deterministic) wherever kubectl
// prints a timestamp; pod and node IPs are not simulated, so made-up
// stable addresses stand in for them (podIP, hostIP).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "models/report/pod_timeline.hpp"

namespace podsim::engine {
class Simulation;
}

namespace podsim::trace {

/// One pod as the API held it at a simulated time (models/report/pod_timeline.hpp).
using report::PodAt;

/// The pod IP kubectl shows (`-o wide` IP, `-o yaml` podIP): "<none>" before the pod has a sandbox.
/// Simplification: IPs are not simulated; a pod with a sandbox gets 10.244.<node index>.<pod index + 2>.
std::string podIP(const engine::Simulation& sim, const PodAt& p);

/// The IP of node `node` (index) as `hostIP` and describe's "Node: name/IP" show it; "" for -1.
/// Simplification: node addresses are not simulated; node i has 192.168.49.<i + 2>.
std::string hostIP(const engine::Simulation& sim, std::int32_t node);

/// Pod `pod` (index in Scenario::pods) at time `at` (ns): PodTimeline(sim, pod).at(at).
/// Errors: std::out_of_range when `pod` is not a pod of the scenario.
PodAt podAt(const engine::Simulation& sim, std::int32_t pod, sim::Time at);

/// The index of the pod named `name` ("name" or "namespace/name") in the scenario, or -1.
std::int32_t findPod(const engine::Simulation& sim, std::string_view name);

/// Output format of writeGet: `kubectl get pods`, `-o wide`, `-o yaml`.
enum class GetFormat : std::uint8_t { Table, Wide, Yaml };

/// Prints what `kubectl get pods [POD] [-o wide|yaml]` shows at simulated time `at` (ns), as printers.go
/// printPod lays it out (columns NAME READY STATUS RESTARTS AGE, and with wide IP NODE NOMINATED NODE
/// READINESS GATES, separated by three spaces): the pods that
/// exist then (all of them, or only `pod` when not empty). With none: kubectl's "No resources found"
/// line. Yaml prints a `kind: List` of Pods with their full status (phase, conditions,
/// initContainerStatuses, containerStatuses with state, lastState, restartCount, ready, started, image).
/// Returns false when `pod` is named but does not exist at `at` (kubectl's NotFound), after printing
/// kubectl's error line to `out`.
bool writeGet(std::ostream& out, const engine::Simulation& sim, sim::Time at, GetFormat format, std::string_view pod = "");

/// Prints what `kubectl describe pod POD` shows at simulated time `at` (ns), laid out as describe.go
/// describePod does (one text/tabwriter): Name, Namespace, Priority, Service Account, Node, Start Time,
/// Labels, Annotations, Status, IP(s), Init Containers and Containers (Container ID, Image, Image ID,
/// Port, Command, State, Last State, Ready, Restart Count, Limits/Requests, Liveness/Readiness/Startup
/// probes, Environment, Mounts),
/// Conditions, Volumes, QoS Class, Node-Selectors, Tolerations (with the DefaultTolerationSeconds ones)
/// and the Events up to `at` (Age relative to `at`, repeats aggregated). Simplifications: no service
/// account token volume is mounted (Mounts and Volumes <none>), container and image ids are stable made-up
/// hashes. Returns false,
/// after printing kubectl's NotFound line, when the pod does not exist at `at`.
bool writeDescribe(std::ostream& out, const engine::Simulation& sim, std::int32_t pod, sim::Time at);

/// The `kubectl get pods` columns of a pod at a moment: READY, STATUS, RESTARTS (as printed at `at`).
struct GetColumns {
  std::string ready, status, restarts;
};

/// READY, STATUS and RESTARTS of `p` as `kubectl get pods` prints them at p.at.
GetColumns getColumns(const PodAt& p);

/// The wall-clock date of simulated time 0, in Unix seconds: 2025-01-01T00:00:00Z. A run has no real start
/// date; a fixed one keeps `describe`'s Start Time and `-o yaml`'s timestamps deterministic and plausible.
inline constexpr std::int64_t kRunStartUnix = 1735689600;

/// A simulated time (ns) as an RFC 3339 timestamp with kRunStartUnix (2025-01-01T00:00:00Z) as time 0,
/// whole seconds.
std::string rfc3339(sim::Time t);

}  // namespace podsim::trace
