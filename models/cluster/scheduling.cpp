// models/cluster/scheduling.cpp: effective requests, filters, scores, FitError messages.
#include "models/cluster/scheduling.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

namespace podsim::cluster {

namespace {
std::int64_t value(std::int64_t v) { return v < 0 ? 0 : v; }
Resources requestsOf(const api::Container& c) {
  return {value(c.resources.requests.cpuMilli), value(c.resources.requests.memoryBytes)};
}
}  // namespace

// component-helpers/resource/helpers.go PodRequests (KEP-753).
Resources podRequests(const api::Pod& pod) {
  Resources steady;
  for (const auto& c : pod.containers) steady += requestsOf(c);
  Resources sidecars, initPeak;
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    const Resources r = requestsOf(pod.initContainers[i]);
    if (pod.containerType(i) == api::ContainerType::Sidecar) {
      steady += r;
      sidecars += r;
      initPeak.cpuMilli = std::max(initPeak.cpuMilli, sidecars.cpuMilli);
      initPeak.memoryBytes = std::max(initPeak.memoryBytes, sidecars.memoryBytes);
    } else {
      initPeak.cpuMilli = std::max(initPeak.cpuMilli, r.cpuMilli + sidecars.cpuMilli);
      initPeak.memoryBytes = std::max(initPeak.memoryBytes, r.memoryBytes + sidecars.memoryBytes);
    }
  }
  return {std::max(steady.cpuMilli, initPeak.cpuMilli), std::max(steady.memoryBytes, initPeak.memoryBytes)};
}

namespace {
bool matches(const api::Toleration& t, const api::Toleration& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (t.key.empty()) return t.op == "Exists";
  if (t.key != taint.key) return false;
  if (t.op == "Exists") return true;
  return t.value == taint.value;
}
}  // namespace

bool toleratesTaint(const std::vector<api::Toleration>& tolerations, const api::Toleration& taint) {
  return std::any_of(tolerations.begin(), tolerations.end(), [&](const api::Toleration& t) { return matches(t, taint); });
}

bool noExecuteToleration(const std::vector<api::Toleration>& tolerations, const api::Toleration& taint,
                         std::int64_t& tolerationSeconds) {
  bool found = false;
  tolerationSeconds = -1;
  for (const auto& t : tolerations) {
    if (!matches(t, taint)) continue;
    // The shortest tolerationSeconds among matching tolerations wins; unset means forever.
    if (!found || (t.tolerationSeconds >= 0 && (tolerationSeconds < 0 || t.tolerationSeconds < tolerationSeconds))) {
      if (!found || t.tolerationSeconds >= 0) tolerationSeconds = t.tolerationSeconds;
    }
    found = true;
  }
  return found;
}

namespace {
/// Parses a whole decimal int64 as Go's strconv.ParseInt(s, 10, 64) does (sign allowed); false on failure.
bool parseInt64(const std::string& s, std::int64_t& out) {
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  const auto [end, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && end == e && b != e;
}
}  // namespace

// labels/selector.go Requirement.Matches.
bool matchesExpression(const api::NodeSelectorRequirement& r, const api::Node& node) {
  const auto it = node.labels.find(r.key);
  const bool has = it != node.labels.end();
  const auto listed = [&] { return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end(); };
  if (r.op == "In") return listed();
  if (r.op == "NotIn") return !listed();
  if (r.op == "Exists") return has;
  if (r.op == "DoesNotExist") return !has;
  if (r.op == "Gt" || r.op == "Lt") {
    std::int64_t labelValue = 0, bound = 0;
    if (!has || r.values.size() != 1 || !parseInt64(it->second, labelValue) || !parseInt64(r.values[0], bound)) return false;
    return r.op == "Gt" ? labelValue > bound : labelValue < bound;
  }
  return false;
}

// nodeaffinity.go nodeSelectorTerm.match: expressions and fields both hold; an empty term matches nothing.
bool matchesTerm(const api::NodeSelectorTerm& term, const api::Node& node) {
  if (term.matchExpressions.empty() && term.matchFields.empty()) return false;
  for (const auto& r : term.matchExpressions) {
    if (!matchesExpression(r, node)) return false;
  }
  for (const auto& f : term.matchFields) {
    // metadata.name is the only node field a selector may name (validated by the loader).
    const bool listed = std::find(f.values.begin(), f.values.end(), node.name) != f.values.end();
    if (f.op == "In" ? !listed : listed) return false;
  }
  return true;
}

bool matchesRequiredNodeAffinity(const api::Pod& pod, const api::Node& node) {
  if (pod.requiredNodeAffinity.empty()) return true;
  return std::any_of(pod.requiredNodeAffinity.begin(), pod.requiredNodeAffinity.end(),
                     [&](const api::NodeSelectorTerm& t) { return matchesTerm(t, node); });
}

FitFailure filterNode(const api::Pod& pod, const Resources& req, const api::Node& node,
                      const std::vector<api::Toleration>& extraTaints, const Resources& requested) {
  // NodeAffinity (nodeSelector).
  for (const auto& [k, v] : pod.nodeSelector) {
    const auto it = node.labels.find(k);
    if (it == node.labels.end() || it->second != v) return FitFailure::NodeSelector;
  }
  // NodeAffinity (required terms), reported with the same reason as nodeSelector.
  if (!matchesRequiredNodeAffinity(pod, node)) return FitFailure::NodeSelector;
  // TaintToleration: NoSchedule and NoExecute taints must be tolerated.
  for (const auto* taints : {&node.taints, &extraTaints}) {
    for (const auto& taint : *taints) {
      if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
      if (!toleratesTaint(pod.tolerations, taint)) return FitFailure::Taint;
    }
  }
  // NodeResourcesFit.
  if (node.allocatable.cpuMilli >= 0 && requested.cpuMilli + req.cpuMilli > node.allocatable.cpuMilli) {
    return FitFailure::InsufficientCpu;
  }
  if (node.allocatable.memoryBytes >= 0 && requested.memoryBytes + req.memoryBytes > node.allocatable.memoryBytes) {
    return FitFailure::InsufficientMemory;
  }
  return FitFailure::None;
}

std::int64_t leastAllocatedScore(const api::Node& node, const Resources& r) {
  const auto part = [](std::int64_t alloc, std::int64_t used) -> std::int64_t {
    if (alloc <= 0) return 100;
    if (used > alloc) return 0;
    return (alloc - used) * 100 / alloc;
  };
  return (part(node.allocatable.cpuMilli, r.cpuMilli) + part(node.allocatable.memoryBytes, r.memoryBytes)) / 2;
}

// schedule_one.go numFeasibleNodesToFind (int32 arithmetic there; the same values here).
std::size_t numFeasibleNodesToFind(std::size_t numAllNodes, std::int32_t percentage) {
  constexpr std::size_t kMinFeasibleNodesToFind = 100;
  constexpr std::int64_t kMinFeasibleNodesPercentageToFind = 5;
  if (numAllNodes < kMinFeasibleNodesToFind) return numAllNodes;
  const auto all = static_cast<std::int64_t>(numAllNodes);
  std::int64_t pct = percentage;
  if (pct == 0) pct = std::max<std::int64_t>(50 - all / 125, kMinFeasibleNodesPercentageToFind);
  const std::int64_t n = all * pct / 100;
  return n < static_cast<std::int64_t>(kMinFeasibleNodesToFind) ? kMinFeasibleNodesToFind : static_cast<std::size_t>(n);
}

std::string failedSchedulingMessage(const std::vector<FitFailure>& perNode) {
  // FitError.Error: "<count> <reason>" strings sorted as strings; the preemption part says, per node,
  // whether evicting lower-priority pods could help: not for UnschedulableAndUnresolvable filters
  // (NodeAffinity, TaintToleration, NodeUnschedulable), and for resources there are no victims (every
  // pod here has the same priority). Source: pkg/scheduler/framework/types.go FitError.Error,
  // pkg/scheduler/framework/preemption/preemption.go nodesWherePreemptionMightHelp.
  std::map<std::string, int> reasons, preemption;
  for (const FitFailure f : perNode) {
    switch (f) {
      case FitFailure::InsufficientCpu: ++reasons["Insufficient cpu"]; break;
      case FitFailure::InsufficientMemory: ++reasons["Insufficient memory"]; break;
      case FitFailure::NodeSelector: ++reasons["node(s) didn't match Pod's node affinity/selector"]; break;
      case FitFailure::Taint: ++reasons["node(s) had untolerated taint(s)"]; break;
      case FitFailure::NodeUnschedulable: ++reasons["node(s) were unschedulable"]; break;
      case FitFailure::None: break;
    }
    if (f == FitFailure::InsufficientCpu || f == FitFailure::InsufficientMemory) {
      ++preemption["No preemption victims found for incoming pod"];
    } else if (f != FitFailure::None) {
      ++preemption["Preemption is not helpful for scheduling"];
    }
  }
  const auto histogram = [](const std::map<std::string, int>& m) {
    std::vector<std::string> parts;
    for (const auto& [text, n] : m) parts.push_back(fmt::format("{} {}", n, text));
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
  };
  return fmt::format("0/{} nodes are available: {}. preemption: 0/{} nodes are available: {}.", perNode.size(),
                     histogram(reasons), perNode.size(), histogram(preemption));
}

}  // namespace podsim::cluster
