// models/graph/dependency_graph.hpp: who waits on whom in a scenario, before anything runs.
//
// Owns the static dependency graph of issue 5 item 5: containers, Services, pods and nodes as
// vertices; "waits for" (an init container's nslookup/wget/curl/nc loop on a Service, an init
// container on the one before it, a regular container on the last init container or sidecar, a pod's
// readiness on its containers, a Service's endpoint on the pods its selector matches) and "runs on"
// (pod -> node) as edges; and the wait cycles that can never resolve. Boost.Graph stays inside the
// .cpp file. It does not run the scenario (explain.hpp does) and does not word findings (lint.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace podsim::graph {

/// What a vertex stands for.
enum class VertexKind : std::uint8_t { Container, Service, Pod, Node };

/// One vertex; indices are into Scenario::pods, the pod's unified container index,
/// Scenario::services and the node list (-1 when not applicable).
struct Vertex {
  VertexKind kind = VertexKind::Pod;
  std::int32_t pod = -1;
  std::int32_t container = -1;
  std::int32_t service = -1;
  std::int32_t node = -1;
  std::string name;  // the object's name ("init-mydb", "mydb", "myapp-pod", "node-1")
};

/// What an edge says: `from` waits for `to`, or `from` runs on `to`.
enum class EdgeKind : std::uint8_t {
  WaitsForService,    // a container's script loops until the Service answers (mode says how)
  WaitsForContainer,  // init container i on init container i-1; a regular container on the last init entry
  PodWaitsForContainer,  // the pod is Ready only after this container completed (init) or is ready
  ServiceWaitsForPod,    // the Service has a ready endpoint once one of the pods it selects is Ready (OR)
  RunsOn,                // pod -> node: spec.nodeName, or the only node of the scenario
  ProbeDependsOn,        // a container's startup or readiness probe passes only while the Service answers
                         // (behaviors probes.<probe>.dependsOn; mode Connect)
};

/// How a script waits for a Service: `nslookup` needs the Service to exist; `wget`/`curl`/`nc` need a
/// ready endpoint behind it (interface.md §1).
enum class WaitMode : std::uint8_t { None, Lookup, Connect };

/// One edge `from` -> `to` (vertex indices).
struct Edge {
  std::size_t from = 0;
  std::size_t to = 0;
  EdgeKind kind = EdgeKind::WaitsForService;
  WaitMode mode = WaitMode::None;
};

/// How a container waits for a Service in a wait cycle: its script (wget/curl/nc), or one of its
/// probes that `dependsOn` the Service.
enum class WaitVia : std::uint8_t { Script, StartupProbe, ReadinessProbe };

/// One link of a wait cycle: container `container` of pod `pod` waits (`via` its script or a probe) for
/// Service `service`, whose only possible endpoints are `servingPods` (all of them blocked as well).
struct WaitLink {
  std::int32_t pod = -1;
  std::int32_t container = -1;
  std::int32_t service = -1;
  std::vector<std::int32_t> servingPods;
  WaitVia via = WaitVia::Script;
};

/// A set of waits that can never resolve: the pods in it can never become Ready.
struct WaitCycle {
  std::vector<std::int32_t> pods;  // in Scenario::pods order
  std::vector<WaitLink> links;     // in pod, then container order
};

/// The dependency graph of one scenario. Built once; read-only afterwards.
class DependencyGraph {
 public:
  /// Builds the graph of `scenario` (which must outlive the graph). Never throws except std::bad_alloc.
  explicit DependencyGraph(const scenario::Scenario& scenario);

  /// Every vertex: pods, then their containers, then Services, then nodes.
  [[nodiscard]] const std::vector<Vertex>& vertices() const noexcept { return vertices_; }
  /// Every edge, in the order built (by pod, then container).
  [[nodiscard]] const std::vector<Edge>& edges() const noexcept { return edges_; }

  /// Vertex index of pod `pod` (index in Scenario::pods). Throws std::out_of_range for a bad index.
  [[nodiscard]] std::size_t podVertex(std::int32_t pod) const;
  /// Vertex index of container `container` (unified index) of pod `pod`. Throws std::out_of_range.
  [[nodiscard]] std::size_t containerVertex(std::int32_t pod, std::int32_t container) const;
  /// Vertex index of Service `service` (index in Scenario::services). Throws std::out_of_range.
  [[nodiscard]] std::size_t serviceVertex(std::int32_t service) const;

  /// Pods whose labels match the selector of Service `service` (none when it has no selector).
  [[nodiscard]] const std::vector<std::int32_t>& servingPods(std::int32_t service) const;

  /// Services a container's script waits for, with how (Lookup or Connect), in order of first mention.
  [[nodiscard]] std::vector<std::pair<std::int32_t, WaitMode>> serviceWaits(std::int32_t pod,
                                                                            std::int32_t container) const;

  /// Wait cycles that can never resolve (Boost.Graph strong components of the blocked part of the
  /// graph): pods whose init containers wait, through wget/curl/nc, or whose containers' startup or
  /// readiness probes depend (`dependsOn`), on Services that only pods of the same cycle could serve.
  /// A cycle of one pod is a pod waiting for a Service only it could serve.
  /// Waits on a Service that nobody serves, or that `nslookup` resolves, are not cycles.
  [[nodiscard]] std::vector<WaitCycle> waitCycles() const;

  /// Names of the node names used for "runs on": the scenario's nodes, or "node-1" when it has none.
  [[nodiscard]] const std::vector<std::string>& nodeNames() const noexcept { return nodeNames_; }

 private:
  const scenario::Scenario* sc_;
  std::vector<Vertex> vertices_;
  std::vector<Edge> edges_;
  std::vector<std::size_t> podVertex_;
  std::vector<std::vector<std::size_t>> containerVertex_;
  std::vector<std::size_t> serviceVertex_;
  std::vector<std::vector<std::int32_t>> servingPods_;
  std::vector<std::string> nodeNames_;
};

/// Whether a ProcessBehavior ends by itself: Exits (reaches an exit), RunsForever (`sleep infinity`,
/// an endless loop, `run: forever`), judged with every nslookup/wget/curl/nc assumed to succeed.
enum class Ending : std::uint8_t { Exits, RunsForever };

/// How the first run of a container's process ends, from its script or its first `attempts` entry.
Ending firstRunEnding(const scenario::ProcessBehavior& behavior);

}  // namespace podsim::graph
