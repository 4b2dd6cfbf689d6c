// models/scenario/field_names.cpp: field tables and the did-you-mean (see field_names.hpp).
//
// Field names from staging/src/k8s.io/api/core/v1/types.go (Pod, ObjectMeta, PodSpec, Container, Probe,
// ProbeHandler, Lifecycle, LifecycleHandler, ResourceRequirements, ContainerPort, Toleration, Taint,
// Service, Node); the strict decoding message from
// staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json (strictErrs: `unknown field "PATH"`).
#include "models/scenario/field_names.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "models/scenario/yaml_reader.hpp"

namespace podsim::scenario::detail {
namespace {

std::vector<std::string> withUnmodelled(std::vector<std::string> modelled, const std::set<std::string, std::less<>>& more) {
  for (const auto& m : more) {
    if (std::find(modelled.begin(), modelled.end(), m) == modelled.end()) modelled.push_back(m);
  }
  return modelled;
}

struct Misplacement {
  Section section;
  const char* key;
  const char* meant;  // a path from the section
};

// Well-known misplacements: a field written one level too high or low, or in the wrong part.
constexpr Misplacement kMisplaced[] = {
    // A Pod's top level: metadata and spec fields written without their parent.
    {Section::PodDocument, "name", "metadata.name"},
    {Section::PodDocument, "labels", "metadata.labels"},
    {Section::PodDocument, "namespace", "metadata.namespace"},
    {Section::PodDocument, "annotations", "metadata.annotations"},
    {Section::PodDocument, "containers", "spec.containers"},
    {Section::PodDocument, "initContainers", "spec.initContainers"},
    {Section::PodDocument, "restartPolicy", "spec.restartPolicy"},
    {Section::PodDocument, "terminationGracePeriodSeconds", "spec.terminationGracePeriodSeconds"},
    {Section::ServiceDocument, "name", "metadata.name"},
    {Section::ServiceDocument, "labels", "metadata.labels"},
    {Section::ServiceDocument, "selector", "spec.selector"},
    {Section::ServiceDocument, "ports", "spec.ports"},
    {Section::NodeDocument, "name", "metadata.name"},
    {Section::NodeDocument, "labels", "metadata.labels"},
    {Section::NodeDocument, "taints", "spec.taints"},
    {Section::NodeDocument, "capacity", "status.capacity"},
    {Section::NodeDocument, "allocatable", "status.allocatable"},
    // ObjectMeta: the pod's spec indented under metadata.
    {Section::Metadata, "containers", "spec.containers"},
    // PodSpec: container fields written on the pod.
    {Section::PodSpec, "image", "containers[].image"},
    {Section::PodSpec, "command", "containers[].command"},
    {Section::PodSpec, "args", "containers[].args"},
    {Section::PodSpec, "ports", "containers[].ports"},
    {Section::PodSpec, "imagePullPolicy", "containers[].imagePullPolicy"},
    {Section::PodSpec, "lifecycle", "containers[].lifecycle"},
    {Section::PodSpec, "preStop", "containers[].lifecycle.preStop"},
    {Section::PodSpec, "postStart", "containers[].lifecycle.postStart"},
    {Section::PodSpec, "livenessProbe", "containers[].livenessProbe"},
    {Section::PodSpec, "readinessProbe", "containers[].readinessProbe"},
    {Section::PodSpec, "startupProbe", "containers[].startupProbe"},
    {Section::PodSpec, "labels", "metadata.labels"},
    // Container: fields of its parts, or of the pod.
    {Section::Container, "preStop", "lifecycle.preStop"},
    {Section::Container, "postStart", "lifecycle.postStart"},
    {Section::Container, "requests", "resources.requests"},
    {Section::Container, "limits", "resources.limits"},
    {Section::Container, "cpu", "resources.requests.cpu"},
    {Section::Container, "memory", "resources.requests.memory"},
    {Section::Container, "containerPort", "ports[].containerPort"},
    {Section::Container, "sleep", "lifecycle.preStop.sleep"},
    {Section::Container, "terminationGracePeriodSeconds", "spec.terminationGracePeriodSeconds"},
    {Section::Container, "initContainers", "spec.initContainers"},
    {Section::Container, "containers", "spec.containers"},
    // Probe: the handler's fields without the handler.
    {Section::Probe, "command", "exec.command"},
    {Section::Probe, "path", "httpGet.path"},
    {Section::Probe, "port", "httpGet.port"},
    {Section::Probe, "initialDelay", "initialDelaySeconds"},
    {Section::Probe, "period", "periodSeconds"},
    {Section::Probe, "timeout", "timeoutSeconds"},
    // Lifecycle: a handler without its hook.
    {Section::Lifecycle, "exec", "preStop.exec"},
    {Section::Lifecycle, "httpGet", "preStop.httpGet"},
    {Section::Lifecycle, "sleep", "preStop.sleep"},
    {Section::Lifecycle, "command", "preStop.exec.command"},
    {Section::LifecycleHandler, "command", "exec.command"},
    {Section::LifecycleHandler, "seconds", "sleep.seconds"},
    {Section::LifecycleHandler, "path", "httpGet.path"},
    {Section::Resources, "cpu", "requests.cpu"},
    {Section::Resources, "memory", "requests.memory"},
    {Section::ContainerPort, "port", "containerPort"},
    // The Scenario document: spec fields at the top, metadata fields in spec.
    {Section::ScenarioDocument, "name", "metadata.name"},
    {Section::ScenarioDocument, "description", "metadata.description"},
    {Section::ScenarioDocument, "duration", "spec.duration"},
    {Section::ScenarioDocument, "seed", "spec.seed"},
    {Section::ScenarioDocument, "manifests", "spec.manifests"},
    {Section::ScenarioDocument, "kubernetesVersion", "spec.kubernetesVersion"},
    {Section::ScenarioDocument, "timing", "spec.timing"},
    {Section::ScenarioDocument, "kubelet", "spec.kubelet"},
    {Section::ScenarioDocument, "images", "spec.images"},
    {Section::ScenarioDocument, "behaviors", "spec.behaviors"},
    {Section::ScenarioDocument, "actions", "spec.actions"},
    {Section::ScenarioDocument, "expect", "spec.expect"},
    {Section::ScenarioDocument, "faults", "spec.faults"},
    {Section::ScenarioDocument, "endpoints", "spec.endpoints"},
    {Section::ScenarioSpec, "name", "metadata.name"},
    {Section::ScenarioSpec, "description", "metadata.description"},
    {Section::ScenarioSpec, "version", "kubernetesVersion"},
    {Section::ScenarioSpec, "featureGates", "kubelet.featureGates"},
    {Section::ScenarioSpec, "serializeImagePulls", "kubelet.serializeImagePulls"},
    {Section::ScenarioSpec, "maxParallelImagePulls", "kubelet.maxParallelImagePulls"},
    {Section::ScenarioSpec, "crashLoopBackOff", "kubelet.crashLoopBackOff"},
    {Section::ScenarioSpec, "behaviours", "behaviors"},
    // Behaviors: the Pod's words for hooks and probes, and fields of a behaviour's parts.
    {Section::Behavior, "preStop", "hooks.preStop"},
    {Section::Behavior, "postStart", "hooks.postStart"},
    {Section::Behavior, "lifecycle", "hooks"},
    {Section::Behavior, "readiness", "probes.readiness"},
    {Section::Behavior, "liveness", "probes.liveness"},
    {Section::Behavior, "startup", "probes.startup"},
    {Section::Behavior, "readinessProbe", "probes.readiness"},
    {Section::Behavior, "livenessProbe", "probes.liveness"},
    {Section::Behavior, "startupProbe", "probes.startup"},
    {Section::Behavior, "succeedAfter", "probes.readiness.succeedAfter"},
    {Section::Behavior, "failAfter", "probes.liveness.failAfter"},
    {Section::Behavior, "dependsOn", "probes.readiness.dependsOn"},
    {Section::Behavior, "exit", "exitCode"},
    {Section::Behavior, "delay", "startDelay"},
    {Section::Behavior, "use", "memory.use"},
    {Section::Behavior, "growthPerMinute", "memory.growthPerMinute"},
    {Section::BehaviorHooks, "duration", "preStop.duration"},
    {Section::BehaviorHooks, "fails", "postStart.fails"},
};

}  // namespace

const std::vector<std::string>& fieldsOf(Section s) {
  static const std::vector<std::string> document = {"apiVersion", "kind", "metadata", "spec", "status"};
  static const std::vector<std::string> metadata = withUnmodelled({"name", "namespace", "labels"}, kUnmodelledMeta);
  static const std::vector<std::string> podSpec = withUnmodelled(
      {"initContainers", "containers", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
       "nodeName", "nodeSelector", "tolerations", "affinity"},
      kUnmodelledPodSpec);
  static const std::vector<std::string> container = withUnmodelled(
      {"name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
       "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe",
       "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
       "securityContext", "stdin", "stdinOnce", "tty"},
      kUnmodelledContainer);
  static const std::vector<std::string> probe = {"exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds",
                                                 "timeoutSeconds", "periodSeconds", "successThreshold",
                                                 "failureThreshold", "terminationGracePeriodSeconds"};
  static const std::vector<std::string> lifecycle = {"postStart", "preStop", "stopSignal"};
  static const std::vector<std::string> lifecycleHandler = {"exec", "httpGet", "tcpSocket", "sleep"};
  static const std::vector<std::string> resources = {"limits", "requests", "claims"};
  static const std::vector<std::string> port = {"name", "hostPort", "containerPort", "protocol", "hostIP"};
  static const std::vector<std::string> toleration = {"key", "operator", "value", "effect", "tolerationSeconds",
                                                      "timeAdded"};
  static const std::vector<std::string> none;
  switch (s) {
    case Section::PodDocument:
    case Section::ServiceDocument:
    case Section::NodeDocument: return document;
    case Section::Metadata: return metadata;
    case Section::PodSpec: return podSpec;
    case Section::Container: return container;
    case Section::Probe: return probe;
    case Section::Lifecycle: return lifecycle;
    case Section::LifecycleHandler: return lifecycleHandler;
    case Section::Resources: return resources;
    case Section::ContainerPort: return port;
    case Section::Toleration: return toleration;
    default: return none;
  }
}

bool sameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  // Three rows of the optimal-string-alignment table: i-2, i-1, i.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestField(std::string_view key, const std::vector<std::string>& known, Section s) {
  for (const auto& k : known) {
    if (sameIgnoringCase(k, key)) return k;
  }
  std::string best;
  std::size_t bestDistance = std::string::npos;
  for (const auto& k : known) {
    const auto d = editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  if (!best.empty() && bestDistance <= std::max<std::size_t>(1, std::min(key.size(), best.size()) / 3)) return best;
  for (const auto& m : kMisplaced) {
    if (m.section == s && sameIgnoringCase(m.key, key)) return m.meant;
  }
  return {};
}

std::string didYouMean(std::string_view key, const std::vector<std::string>& known, Section s) {
  const auto meant = suggestField(key, known, s);
  return meant.empty() ? std::string() : ", did you mean \"" + meant + "\"?";
}

std::string unknownFieldMessage(const std::string& path, std::string_view key, const std::vector<std::string>& known,
                                Section s) {
  return "unknown field \"" + path + "\"" + didYouMean(key, known, s);
}

}  // namespace podsim::scenario::detail
