// models/trace/views.hpp: the kubectl views of a pod at any simulated time, rebuilt from a run's trace:
// `kubectl get pods` (plain, `-o wide`, `-o yaml`) and `kubectl describe pod`.
//
// Owns the replay of the trace up to a moment (PodAt) and the kubectl text forms of it. Does not run
// anything: it reads a finished Simulation with its trace on. Simulated time 0 is printed as
// 1970-01-01T00:00:00Z wherever kubectl prints a timestamp; pod and node IPs are not simulated, so made-up
// stable addresses stand in for them (podIP, hostIP).
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "models/trace/trace.hpp"

namespace podsim::engine {
class Simulation;
}

namespace podsim::trace {

/// One pod as the API held it at a simulated time, replayed from the trace (records with t <= at).
struct PodAt {
  std::int32_t pod = -1;          // index in Scenario::pods
  bool exists = false;            // created (a first PodStatus record) and not yet removed
  bool removed = false;           // a PodRemoved record at or before `at`
  sim::Time at = 0;               // the moment, ns
  sim::Time createdAt = -1;       // ns; -1 when not yet created
  sim::Time deletingSince = -1;   // ns: first record with deletionTimestamp set; -1 none
  PodStatusRecord status;         // the last PodStatus record in force
  std::size_t statusRecord = static_cast<std::size_t>(-1);  // its position in Trace::records(); npos none
  std::vector<kubelet::ApiContainerStatus> containers;      // by unified index
  std::vector<bool> reported;     // whether the kubelet has written a status for container i
  std::vector<std::size_t> containerRecord;  // position of each container's last status record (npos none)
  std::array<sim::Time, static_cast<std::size_t>(kubelet::ConditionType::Count)> conditionSince{};  // lastTransitionTime, ns
  std::vector<std::size_t> events;  // positions in Trace::records() of this pod's Events up to `at`
  sim::Time sandboxSince = -1;    // ns: first moment the pod had a sandbox (so an IP); -1 never
};

/// The pod IP kubectl shows (`-o wide` IP, `-o yaml` podIP): "<none>" before the pod has a sandbox.
/// Simplification: IPs are not simulated; a pod with a sandbox gets 10.244.<node index>.<pod index + 2>.
std::string podIP(const engine::Simulation& sim, const PodAt& p);

/// The IP of node `node` (index) as `hostIP` and describe's "Node: name/IP" show it; "" for -1.
/// Simplification: node addresses are not simulated; node i has 192.168.49.<i + 2>.
std::string hostIP(const engine::Simulation& sim, std::int32_t node);

/// Replays the trace of `sim` for pod `pod` (index in Scenario::pods) up to and including time `at` (ns).
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

/// A simulated time (ns) as an RFC 3339 timestamp with 1970-01-01T00:00:00Z as time 0, whole seconds.
std::string rfc3339(sim::Time t);

}  // namespace podsim::trace
