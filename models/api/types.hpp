// models/api/types.hpp: the Pod spec value types the simulator reads, with the API's field names.
//
// Only what the kubelet model needs; the loader (models/scenario) fills these from YAML with the API
// server's defaults (pkg/apis/core/v1/defaults.go) and rejects what its validation would reject.
// Names are the API's JSON spelling: `initContainers`, `restartPolicy`, `terminationGracePeriodSeconds`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace podsim::api {

/// Where a value came from in the scenario files, for error messages (1-based line and column).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  bool operator==(const SourceLocation&) const = default;
};

/// `restartPolicy` of a Pod or (since 1.28) of a container. Source: pkg/apis/core/types.go.
enum class RestartPolicy : std::uint8_t { Always, OnFailure, Never };

/// The API's spelling of a restart policy ("Always", "OnFailure", "Never").
constexpr const char* apiName(RestartPolicy p) noexcept {
  return p == RestartPolicy::OnFailure ? "OnFailure" : p == RestartPolicy::Never ? "Never" : "Always";
}

/// `restartPolicyRules[].action` (core/v1 ContainerRestartRuleAction, KEP-5307/5532). `Unknown` stands for any
/// other string (validation rejects it; the kubelet's switch falls through to the container policy).
enum class ContainerRestartRuleAction : std::uint8_t { Restart, RestartAllContainers, Unknown };

/// `restartPolicyRules[].exitCodes.operator` (core/v1 ContainerRestartRuleOnExitCodesOperator).
enum class ContainerRestartRuleOnExitCodesOperator : std::uint8_t { In, NotIn, Unknown };

/// `restartPolicyRules[].exitCodes`: the operator and its exit codes (at most 255, any order, duplicates
/// allowed by the API).
struct ContainerRestartRuleOnExitCodes {
  ContainerRestartRuleOnExitCodesOperator op = ContainerRestartRuleOnExitCodesOperator::In;
  std::vector<std::int32_t> values;
  bool operator==(const ContainerRestartRuleOnExitCodes&) const = default;
};

/// One `restartPolicyRules[]` entry. `exitCodes` absent: the API rejects it; the kubelet never matches it.
/// Source: staging/src/k8s.io/api/core/v1/types.go ContainerRestartRule (v1.34+).
struct ContainerRestartRule {
  ContainerRestartRuleAction action = ContainerRestartRuleAction::Restart;
  std::optional<ContainerRestartRuleOnExitCodes> exitCodes;
  bool operator==(const ContainerRestartRule&) const = default;
};

/// The restart fields of one container spec (init, sidecar or regular): a base of Container, so the
/// kubelet's restart decisions (models/kubelet/restart_rules.hpp) read a Container without a copy.
struct ContainerRestartSpec {
  /// Container-level `restartPolicy`; set to Always on an init container it makes a sidecar; on a regular
  /// container (ContainerRestartRules, 1.34+) it overrides the pod's. Absent: the pod's policy applies.
  std::optional<RestartPolicy> restartPolicy;
  /// `restartPolicyRules` (ContainerRestartRules, 1.34+), in spec order; only read with restartPolicy set.
  std::vector<ContainerRestartRule> restartPolicyRules;
  bool operator==(const ContainerRestartSpec&) const = default;
};

/// `imagePullPolicy`; the API defaults it from the tag (`:latest` or none: Always, else IfNotPresent).
/// Source: pkg/apis/core/v1/defaults.go SetDefaults_Container.
enum class PullPolicy : std::uint8_t { Always, IfNotPresent, Never };

/// The three kinds of container in a pod, as the trace names them (`containerType`).
enum class ContainerType : std::uint8_t { Init, Sidecar, Regular };

/// The trace's spelling of a container type (`containerType`: "init", "sidecar", "regular").
constexpr const char* traceName(ContainerType t) noexcept {
  return t == ContainerType::Init ? "init" : t == ContainerType::Sidecar ? "sidecar" : "regular";
}

/// Kind of a probe or lifecycle handler (`exec`, `httpGet`, `tcpSocket`, `grpc`, `sleep`).
enum class HandlerKind : std::uint8_t { None, Exec, HttpGet, TcpSocket, Grpc, Sleep };

/// A lifecycle hook handler. `sleepSeconds` is used for `sleep` handlers (seconds).
struct LifecycleHandler {
  HandlerKind kind = HandlerKind::None;
  std::int64_t sleepSeconds = 0;
  std::vector<std::string> command;  // exec.command (Exec only): what the kubelet runs in the container
  [[nodiscard]] bool present() const noexcept { return kind != HandlerKind::None; }
  bool operator==(const LifecycleHandler&) const = default;
};

/// `lifecycle` of a container: postStart and preStop hooks.
struct Lifecycle {
  LifecycleHandler postStart;
  LifecycleHandler preStop;
  bool operator==(const Lifecycle&) const = default;
};

/// The fields of a probe's handler, as written (ExecAction, HTTPGetAction, TCPSocketAction, GRPCAction).
/// Scalars keep their written text ("8080" or a port name); a field not written is empty.
struct ProbeHandler {
  std::vector<std::string> command;  // exec.command
  std::string path;                  // httpGet.path
  std::string host;                  // httpGet.host, tcpSocket.host
  std::string scheme = "HTTP";       // httpGet.scheme (SetDefaults_HTTPGetAction: HTTP)
  std::string port;                  // httpGet.port, tcpSocket.port, grpc.port
  std::string service;               // grpc.service
  bool operator==(const ProbeHandler&) const = default;
};

/// A probe with the API defaults applied (SetDefaults_Probe): all times in whole seconds as in the API.
struct Probe {
  HandlerKind kind = HandlerKind::Exec;
  std::int32_t initialDelaySeconds = 0;
  std::int32_t periodSeconds = 10;
  std::int32_t timeoutSeconds = 1;
  std::int32_t successThreshold = 1;
  std::int32_t failureThreshold = 3;
  /// Probe-level `terminationGracePeriodSeconds` (GA 1.28); -1 when unset.
  std::int64_t terminationGracePeriodSeconds = -1;
  /// What it probes (the handler's fields as written): `kind` says which of them apply.
  ProbeHandler handler;
  bool operator==(const Probe&) const = default;
};

/// Requests or limits: cpu in millicores, memory in bytes; -1 when not set.
struct ResourceList {
  std::int64_t cpuMilli = -1;
  std::int64_t memoryBytes = -1;
  bool operator==(const ResourceList&) const = default;
};

/// `resources` of a container.
struct ResourceRequirements {
  ResourceList requests;
  ResourceList limits;
  bool operator==(const ResourceRequirements&) const = default;
};

/// `resizePolicy[].restartPolicy` (core/v1 ResourceResizeRestartPolicy): what an in-place resize of that
/// resource does to the running container. Absent: NotRequired (computePodResizeAction's implicit default).
enum class ResizeRestartPolicy : std::uint8_t { NotRequired, RestartContainer };

/// One container of a pod (`spec.initContainers[i]` or `spec.containers[i]`).
/// The restart fields are in the base ContainerRestartSpec (`restartPolicy`, `restartPolicyRules`).
struct Container : ContainerRestartSpec {
  std::string name;
  std::string image;
  PullPolicy imagePullPolicy = PullPolicy::IfNotPresent;
  std::vector<std::string> command;
  std::vector<std::string> args;
  /// `env`: NAME and VALUE pairs in order (a `valueFrom` entry has the value "$(valueFrom)": set, not known).
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<Probe> startupProbe;
  std::optional<Probe> livenessProbe;
  std::optional<Probe> readinessProbe;
  Lifecycle lifecycle;
  ResourceRequirements resources;
  /// `resizePolicy` per resource (InPlacePodVerticalScaling, beta 1.33): cpu and memory. Source:
  /// staging/src/k8s.io/api/core/v1/types.go ContainerResizePolicy.
  ResizeRestartPolicy cpuResizePolicy = ResizeRestartPolicy::NotRequired;
  ResizeRestartPolicy memoryResizePolicy = ResizeRestartPolicy::NotRequired;
  std::vector<std::int32_t> containerPorts;
  /// `lifecycle.stopSignal` (KEP-4960, gate ContainerStopSignals) as its Linux signal number; 0: not set (or
  /// dropped by the API server: the gate off). See models/kubelet/stop_signal.hpp.
  std::int32_t stopSignal = 0;
  /// Index of `image` in Scenario::images (interned at load time).
  std::int32_t imageId = -1;
  SourceLocation where;
  bool operator==(const Container&) const = default;
};

/// A pod toleration (`spec.tolerations[i]`); `tolerationSeconds` -1 when unset.
struct Toleration {
  std::string key;
  std::string op = "Equal";
  std::string value;
  std::string effect;
  std::int64_t tolerationSeconds = -1;
  bool operator==(const Toleration&) const = default;
};

/// One requirement of a node selector term (`matchExpressions[i]` or `matchFields[i]`): `operator` is
/// In, NotIn, Exists, DoesNotExist, Gt or Lt (matchFields: In or NotIn on `metadata.name`).
/// Source: staging/src/k8s.io/api/core/v1/types.go NodeSelectorRequirement.
struct NodeSelectorRequirement {
  std::string key;
  std::string op;
  std::vector<std::string> values;
  bool operator==(const NodeSelectorRequirement&) const = default;
};

/// One of `nodeSelectorTerms`: the node must meet every expression and every field requirement.
struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> matchExpressions;
  std::vector<NodeSelectorRequirement> matchFields;
  bool operator==(const NodeSelectorTerm&) const = default;
};

/// One `spec.readinessGates[]` entry: the pod condition that must be True for the pod to be Ready.
/// `slot`: the condition type's index in Scenario::podConditionTypes (interned at load time), which is
/// also its 2-bit slot in kubelet::ApiPodStatus::customConditions. Source: core/v1 PodReadinessGate.
struct ReadinessGate {
  std::string conditionType;
  std::uint8_t slot = 0;
  bool operator==(const ReadinessGate&) const = default;
};

/// A Pod: metadata and spec with API defaults applied.
struct Pod {
  std::string name;
  std::string namespace_ = "default";
  std::map<std::string, std::string> labels;
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  RestartPolicy restartPolicy = RestartPolicy::Always;
  std::int64_t terminationGracePeriodSeconds = 30;
  std::int64_t activeDeadlineSeconds = -1;
  std::string nodeName;
  std::map<std::string, std::string> nodeSelector;
  std::vector<Toleration> tolerations;
  /// `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` (ORed);
  /// empty when the pod has no required node affinity.
  std::vector<NodeSelectorTerm> requiredNodeAffinity;
  /// `spec.readinessGates`, in spec order (empty for most pods: then Ready = ContainersReady).
  std::vector<ReadinessGate> readinessGates;
  SourceLocation where;

  /// The pod's key as Kubernetes writes it in messages and the trace's `pod`: "namespace/name".
  [[nodiscard]] std::string key() const { return namespace_ + "/" + name; }
  /// Number of containers in the unified index: initContainers first, then containers.
  [[nodiscard]] std::size_t containerCount() const noexcept {
    return initContainers.size() + containers.size();
  }
  /// Container by unified index (init containers first, in spec order, then regular containers).
  [[nodiscard]] const Container& container(std::size_t i) const {
    return i < initContainers.size() ? initContainers[i] : containers[i - initContainers.size()];
  }
  /// Kind of the container at unified index i: sidecar = init container with restartPolicy Always.
  [[nodiscard]] ContainerType containerType(std::size_t i) const {
    if (i >= initContainers.size()) return ContainerType::Regular;
    const auto& c = initContainers[i];
    return c.restartPolicy == RestartPolicy::Always ? ContainerType::Sidecar : ContainerType::Init;
  }
};

/// Whether two pods have the same spec: equal in every field but their metadata (name, namespace,
/// labels) and the document they were read from. The containers are compared whole, their source
/// locations included, so pods copied from one template (a fleet, podsim_bench --fleet) are the same,
/// and two identical Pod documents of a file are not. A run gives such pods one shared, read-only spec
/// (engine::PodState::spec), so that a fleet of replicas keeps one copy of it in the CPU's caches.
/// Pure; no errors.
[[nodiscard]] inline bool sameSpec(const Pod& a, const Pod& b) {
  // A field added to Pod must be compared here (or named above as metadata): this structured binding of
  // Pod's 14 fields stops compiling until then.
  [[maybe_unused]] const auto& [name, namespace_, labels, initContainers, containers, restartPolicy, grace, deadline,
                                nodeName, nodeSelector, tolerations, requiredNodeAffinity, readinessGates, where] = a;
  return a.restartPolicy == b.restartPolicy && a.terminationGracePeriodSeconds == b.terminationGracePeriodSeconds &&
         a.activeDeadlineSeconds == b.activeDeadlineSeconds && a.nodeName == b.nodeName &&
         a.initContainers == b.initContainers && a.containers == b.containers && a.nodeSelector == b.nodeSelector &&
         a.tolerations == b.tolerations && a.requiredNodeAffinity == b.requiredNodeAffinity &&
         a.readinessGates == b.readinessGates;
}

/// A Node document: only name, labels, capacity/allocatable and taints matter.
struct Node {
  std::string name;
  std::map<std::string, std::string> labels;
  ResourceList allocatable;
  std::vector<Toleration> taints;  // key, value, effect (op unused)
  SourceLocation where;
};

/// A Service document: name and selector.
struct Service {
  std::string name;
  std::string namespace_ = "default";
  std::map<std::string, std::string> selector;
  SourceLocation where;
};

}  // namespace podsim::api
