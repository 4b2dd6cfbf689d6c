// models/cluster/scheduling.hpp: the scheduler's decisions as pure functions: a pod's effective
// requests, whether a node fits it, how a node scores, and the FailedScheduling message.
//
// Sources: staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests (KEP-753, sidecar-aware);
// pkg/scheduler/framework/plugins/{noderesources (Fit, LeastAllocated), nodeaffinity, tainttoleration};
// pkg/scheduler/schedule_one.go (FitError message, numFeasibleNodesToFind). No clock, no randomness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/api/types.hpp"

namespace podsim::cluster {

/// Requests of one resource dimension pair: cpu in millicores, memory in bytes (0 when not requested).
struct Resources {
  std::int64_t cpuMilli = 0;
  std::int64_t memoryBytes = 0;
  Resources& operator+=(const Resources& o) {
    cpuMilli += o.cpuMilli;
    memoryBytes += o.memoryBytes;
    return *this;
  }
  Resources& operator-=(const Resources& o) {
    cpuMilli -= o.cpuMilli;
    memoryBytes -= o.memoryBytes;
    return *this;
  }
  bool operator==(const Resources&) const = default;
};

/// A pod's effective requests (kubelet-semantics §13): per dimension, max(sum of regular containers
/// and sidecars, the peak of each init container plus the sidecars started before it).
/// Source: component-helpers/resource/helpers.go PodRequests.
Resources podRequests(const api::Pod& pod);

/// Whether `tolerations` tolerate `taint` (key, value, effect; operator Exists/Equal; empty key with
/// Exists tolerates everything). Source: staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint.
bool toleratesTaint(const std::vector<api::Toleration>& tolerations, const api::Toleration& taint);

/// The toleration, if any, that tolerates a NoExecute taint, for its tolerationSeconds (-1: forever).
/// Returns false when no toleration matches.
bool noExecuteToleration(const std::vector<api::Toleration>& tolerations, const api::Toleration& taint,
                         std::int64_t& tolerationSeconds);

/// Whether `node` meets one node selector requirement of a `matchExpressions` list: In (the label exists
/// and its value is listed), NotIn (absent, or not listed), Exists, DoesNotExist, Gt/Lt (the label's value
/// and the single listed value both parse as integers and compare so; otherwise no match).
/// Source: staging/src/k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches, reached from
/// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go.
bool matchesExpression(const api::NodeSelectorRequirement& requirement, const api::Node& node);

/// Whether `node` meets a node selector term: every matchExpression and every matchField (`metadata.name`
/// In/NotIn). A term with neither matches no node.
/// Source: component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go nodeSelectorTerm.match.
bool matchesTerm(const api::NodeSelectorTerm& term, const api::Node& node);

/// Whether `node` meets the pod's required node affinity: any of its terms (ORed); true without terms.
/// Source: component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go GetRequiredNodeAffinity,
/// used by pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go Filter together with nodeSelector.
bool matchesRequiredNodeAffinity(const api::Pod& pod, const api::Node& node);

/// Why a node was filtered out (the FitError reasons, counted per node).
enum class FitFailure : std::uint8_t { None, InsufficientCpu, InsufficientMemory, NodeSelector, Taint, NodeUnschedulable };

/// Filter: whether `pod` (effective requests `req`) fits `node` given what is already requested on it:
/// NodeAffinity (nodeSelector and required node affinity), TaintToleration (NoSchedule/NoExecute taints of
/// the node and `extraTaints`), NodeResourcesFit (cpu, memory against allocatable; -1: unlimited).
/// Reports the first failing plugin as the scheduler's message would.
FitFailure filterNode(const api::Pod& pod, const Resources& req, const api::Node& node,
                      const std::vector<api::Toleration>& extraTaints, const Resources& requested);

/// LeastAllocated score in [0, 100]: the mean over cpu and memory of (allocatable - requested) / allocatable.
/// A node without a set allocatable counts as empty. Source: noderesources/least_allocated.go.
std::int64_t leastAllocatedScore(const api::Node& node, const Resources& requestedWithPod);

/// How many feasible nodes the scheduler looks for before it stops filtering and scores those: every node
/// below 100 nodes; else `percentage` % of them (0: the adaptive default 50 - numAllNodes/125, at least
/// 5), at least 100. With the round-robin start (the engine's nextStartNodeIndex) this keeps the cost of
/// scheduling one pod bounded in a large cluster: at most about 500 nodes scored up to 10,000 nodes.
/// Source: pkg/scheduler/schedule_one.go numFeasibleNodesToFind (v1.37.2; minFeasibleNodesToFind 100,
/// minFeasibleNodesPercentageToFind 5; percentageOfNodesToScore defaults to 0 = adaptive).
std::size_t numFeasibleNodesToFind(std::size_t numAllNodes, std::int32_t percentage = 0);

/// "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption
/// victims found for incoming pod." Source: schedule_one.go FitError.Error (reasons sorted).
std::string failedSchedulingMessage(const std::vector<FitFailure>& perNode);

}  // namespace podsim::cluster
