// models/scenario/actions.cpp: `spec.actions`: what happens at a time (createService, killContainer, deletePod ...).
#include "models/scenario/loader_impl.hpp"

#include "models/api/validation.hpp"

namespace podsim::scenario::detail {

Action Loader::readAction(const YAML::Node& item, const std::string& path) {
  Action a;
  const auto m = item.Mark();
  a.where = {file_, m.line + 1, m.column + 1};
  static const std::vector<std::string> kNames = {"createService", "deleteService", "killContainer", "deletePod", "updateImage",
                                                  "failNode", "recoverNode", "restartKubelet", "createPod",
                                                  "updatePod", "stopKubelet", "startKubelet", "rebootNode",
                                                  "removeExitedContainers", "setPodCondition"};
  std::vector<std::string> known = kNames;
  known.insert(known.begin(), "at");
  bool hasAt = false;
  YAML::Node argsNode, nameNode;
  forEachEntry(item, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, path, known);
    if (key == "at") {
      a.at = duration(v, child(path, "at"));
      hasAt = true;
      return;
    }
    if (!a.name.empty()) fail(k, child(path, key), "Forbidden: one action per entry (already \"" + a.name + "\")");
    a.name = key;
    argsNode = v;
    nameNode = k;
  });
  if (!hasAt) fail(item, child(path, "at"), "Required value");
  if (a.name.empty()) fail(item, path, "Required value: one of " + quotedList(kNames));
  a.kind = static_cast<ActionKind>(std::find(kNames.begin(), kNames.end(), a.name) - kNames.begin());
  const auto ap = child(path, a.name);
  std::map<std::string, YAML::Node> args;
  forEachEntry(argsNode, ap, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (!v.IsScalar()) fail(v, child(ap, key), "expected a string, got " + describe(v));
    args[key] = v;
    a.arguments.emplace_back(key, v.Scalar());
  });
  std::vector<std::string> allowed;
  auto need = [&](const std::string& key) -> const YAML::Node& {
    const auto it = args.find(key);
    if (it == args.end()) fail(argsNode.IsDefined() && !argsNode.IsNull() ? argsNode : nameNode, child(ap, key), "Required value");
    return it->second;
  };
  auto podArg = [&] {
    const auto& v = need("pod");
    a.pod = podIndex(v, child(ap, "pod"), v.Scalar());
  };
  auto containerArg = [&] {
    const auto it = args.find("container");
    const auto& pod = sc_.pods[static_cast<std::size_t>(a.pod)].pod;
    if (it == args.end() && pod.containerCount() == 1) {
      a.container = 0;
      return;
    }
    const auto& v = need("container");
    a.container = containerIndex(v, child(ap, "container"), a.pod, v.Scalar());
  };
  auto nodeArg = [&] {
    const auto it = args.find("node");
    if (it == args.end() && sc_.nodes.size() <= 1) {
      a.node = 0;
      return;
    }
    const auto& v = need("node");
    const auto name = v.Scalar();
    if (sc_.nodes.empty()) {
      if (name != "node-1") fail(v, child(ap, "node"), "no node \"" + name + "\" (without Node documents the only node is \"node-1\")");
      a.node = 0;
      return;
    }
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
      if (sc_.nodes[i].name == name) {
        a.node = static_cast<std::int32_t>(i);
        return;
      }
    }
    fail(v, child(ap, "node"), "no node \"" + name + "\" in the scenario");
  };
  switch (a.kind) {
    case ActionKind::CreateService:
    case ActionKind::DeleteService: {
      allowed = {"name"};
      const auto& v = need("name");
      if (!api::IsDNS1123Label(v.Scalar())) fail(v, child(ap, "name"), "Invalid value: \"" + v.Scalar() + "\": " + api::kDNS1123LabelErrorMsg);
      a.service = internService(v.Scalar());
      break;
    }
    case ActionKind::KillContainer: {
      allowed = {"pod", "container", "reason", "exitCode"};
      podArg();
      containerArg();
      a.reason = api::Reason::Error;
      if (const auto it = args.find("reason"); it != args.end()) {
        a.reason = api::reasonFromString(it->second.Scalar());
        if (a.reason != api::Reason::Error && a.reason != api::Reason::OOMKilled && a.reason != api::Reason::Completed) {
          fail(it->second, child(ap, "reason"), "Unsupported value: \"" + it->second.Scalar() +
                                                    "\": supported values: \"Error\", \"OOMKilled\", \"Completed\"");
        }
      }
      if (const auto it = args.find("exitCode"); it != args.end()) a.exitCode = exitCodeOf(it->second, child(ap, "exitCode"));
      break;
    }
    case ActionKind::DeletePod: {
      allowed = {"pod", "gracePeriodSeconds", "force"};
      podArg();
      if (const auto it = args.find("gracePeriodSeconds"); it != args.end()) {
        a.gracePeriodSeconds = seconds(it->second, child(ap, "gracePeriodSeconds"));
      }
      if (const auto it = args.find("force"); it != args.end()) {
        a.force = boolean(it->second, child(ap, "force"));
        // `kubectl delete --force --grace-period=0`: the API object goes at once, so a grace period above 0
        // contradicts it (podsim's own rule: the action models only the forced form).
        if (a.force && a.gracePeriodSeconds > 0) {
          fail(it->second, child(ap, "force"), "Invalid value: true: a forced deletion has grace period 0, not " +
                                                   std::to_string(a.gracePeriodSeconds) + " (remove gracePeriodSeconds)");
        }
        if (a.force) a.gracePeriodSeconds = 0;
      }
      break;
    }
    case ActionKind::UpdatePod: {
      allowed = {"pod", "activeDeadlineSeconds"};
      podArg();
      const auto& v = need("activeDeadlineSeconds");
      const auto vp = child(ap, "activeDeadlineSeconds");
      a.activeDeadlineSeconds = int64(v, vp);
      // The API server's update validation. Source: pkg/apis/core/validation/validation.go
      // ValidatePodSpec (1..MaxInt32) and ValidatePodUpdate (only set, or decreased).
      const auto value = std::to_string(a.activeDeadlineSeconds);
      if (a.activeDeadlineSeconds < 1 || a.activeDeadlineSeconds > INT32_MAX) {
        fail(v, vp, "Invalid value: " + value + ": must be between 1 and 2147483647, inclusive");
      }
      // The value the Pod holds at this time: the manifest's, or the last earlier updatePod's.
      std::int64_t old = sc_.pods[static_cast<std::size_t>(a.pod)].pod.activeDeadlineSeconds;
      Time oldAt = -1;
      for (const auto& other : sc_.actions) {
        if (other.kind == ActionKind::UpdatePod && other.pod == a.pod && other.at <= a.at && other.at >= oldAt) {
          old = other.activeDeadlineSeconds;
          oldAt = other.at;
        }
      }
      if (old > 0 && old < a.activeDeadlineSeconds) {
        fail(v, vp, "Invalid value: " + value + ": must be less than or equal to previous value (" + std::to_string(old) + ")");
      }
      break;
    }
    case ActionKind::UpdateImage: {
      allowed = {"pod", "container", "image"};
      podArg();
      containerArg();
      const auto& v = need("image");
      if (v.Scalar().empty()) fail(v, child(ap, "image"), "Required value");
      a.image = internImage(v.Scalar());
      break;
    }
    case ActionKind::FailNode:
    case ActionKind::RecoverNode:
    case ActionKind::RestartKubelet:
    case ActionKind::StopKubelet:
    case ActionKind::StartKubelet:
    case ActionKind::RebootNode:
      allowed = {"node"};
      nodeArg();
      break;
    case ActionKind::RemoveExitedContainers:
      allowed = {"pod"};
      podArg();
      break;
    case ActionKind::SetPodCondition: {
      // A controller's PATCH of the pod's status (e.g. a load balancer's readiness gate): `type` is a pod
      // condition type the kubelet does not own, `status` one of v1.ConditionStatus. The API server's
      // ValidatePodStatusUpdate checks the type as a qualified name (validatePodConditions); podsim also
      // refuses the kubelet's own types, whose value the kubelet overwrites at its next status write.
      allowed = {"pod", "type", "status"};
      podArg();
      const auto& tv = need("type");
      const auto tp = child(ap, "type");
      const std::string type = tv.Scalar();
      static const std::vector<std::string> kKubeletOwned = {"PodScheduled", "Ready", "Initialized", "ContainersReady",
                                                             "PodReadyToStartContainers", "DisruptionTarget",
                                                             "AllContainersRestarting", "PodResizePending", "PodResizeInProgress"};
      if (std::find(kKubeletOwned.begin(), kKubeletOwned.end(), type) != kKubeletOwned.end()) {
        fail(tv, tp, "Invalid value: \"" + type + "\": a condition the kubelet or the control plane owns; setPodCondition sets "
                     "conditions of outside controllers (spec.readinessGates)");
      }
      for (const auto& why : api::validateQualifiedName(type)) fail(tv, tp, "Invalid value: \"" + type + "\": " + why);
      const auto& sv = need("status");
      const std::string status = sv.Scalar();
      if (status == "True") a.conditionStatus = static_cast<std::uint8_t>(kubelet::CustomConditionStatus::True);
      else if (status == "False") a.conditionStatus = static_cast<std::uint8_t>(kubelet::CustomConditionStatus::False);
      else if (status == "Unknown") a.conditionStatus = static_cast<std::uint8_t>(kubelet::CustomConditionStatus::Unknown);
      else fail(sv, child(ap, "status"), "Unsupported value: \"" + status + "\": supported values: \"False\", \"True\", \"Unknown\"");
      a.conditionSlot = internPodConditionType(tv, tp, type);
      break;
    }
    case ActionKind::CreatePod:
      allowed = {"pod"};
      podArg();
      for (const auto& other : sc_.actions) {
        if (other.kind == ActionKind::CreatePod && other.pod == a.pod) fail(need("pod"), child(ap, "pod"), "Duplicate value: \"" + need("pod").Scalar() + "\": the pod is already created by an action");
      }
      break;
  }
  forEachEntry(argsNode, ap, [&](const std::string& key, const YAML::Node& k, const YAML::Node&) { checkKnown(key, k, ap, allowed); });
  return a;
}

void Loader::readActions(const YAML::Node& n) {
  forEachItem(n, "spec.actions", [&](std::size_t i, const YAML::Node& item) {
    const auto p = idx("spec.actions", i);
    if (!item.IsMap()) fail(item, p, "expected a map, got " + describe(item));
    if (i >= kMaxActions) fail(item, p, "Too many: more than " + std::to_string(kMaxActions) + " actions");
    sc_.actions.push_back(readAction(item, p));
  });
}

}  // namespace podsim::scenario::detail
