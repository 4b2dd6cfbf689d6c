// models/scenario/actions.cpp: `spec.actions`: what happens at a time (createService, killContainer, deletePod ...).
#include "models/scenario/loader_impl.hpp"

#include "models/api/validation.hpp"
#include "models/cluster/scheduling.hpp"
#include "models/kubelet/feature_gates.hpp"
#include "models/kubelet/resize.hpp"

#include <algorithm>
#include <map>

namespace podsim::scenario::detail {

Action Loader::readAction(const YAML::Node& item, const std::string& path) {
  Action a;
  const auto m = item.Mark();
  a.where = {file_, m.line + 1, m.column + 1};
  static const std::vector<std::string> kNames = {"createService", "deleteService", "killContainer", "deletePod", "updateImage",
                                                  "failNode", "recoverNode", "restartKubelet", "createPod",
                                                  "updatePod", "stopKubelet", "startKubelet", "rebootNode",
                                                  "removeExitedContainers", "setPodCondition", "resizeContainer"};
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
    args[key] = v;
    if (a.kind == ActionKind::ResizeContainer && key == "resources") {
      a.arguments.emplace_back(key, "");  // filled below, as JSON text (the trace writes it as an object)
      return;
    }
    if (!v.IsScalar()) fail(v, child(ap, key), "expected a string, got " + describe(v));
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
    case ActionKind::ResizeContainer: {
      // kubectl patch pod POD --subresource resize --patch '{"spec":{"containers":[{"name":C,"resources":{...}}]}}':
      // only cpu and memory of requests and limits (ValidatePodResize: "only cpu and memory resources are
      // mutable"). What the version's API server says of it is checked in checkResizes.
      allowed = {"pod", "container", "resources"};
      podArg();
      containerArg();
      const auto& res = need("resources");
      const auto rp = child(ap, "resources");
      if (!res.IsMap()) fail(res, rp, "expected a map, got " + describe(res));
      std::string json;
      forEachEntry(res, rp, [&](const std::string& lk, const YAML::Node& lkn, const YAML::Node& lv) {
        checkKnown(lk, lkn, rp, {"requests", "limits"});
        const auto lp = child(rp, lk);
        if (!lv.IsMap()) fail(lv, lp, "expected a map, got " + describe(lv));
        api::ResourceList& list = lk == "requests" ? a.resources.requests : a.resources.limits;
        std::string inner;
        forEachEntry(lv, lp, [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) {
          const auto qp = lp + "[" + rk + "]";
          if (rk == "cpu") list.cpuMilli = quantity(rv, qp, 3);
          else if (rk == "memory") list.memoryBytes = quantity(rv, qp, 0);
          else fail(rv, qp, "Forbidden: only cpu and memory resources are mutable");
          inner += std::string(inner.empty() ? "" : ",") + "\"" + rk + "\":\"" + rv.Scalar() + "\"";
        });
        json += std::string(json.empty() ? "" : ",") + "\"" + lk + "\":{" + inner + "}";
      });
      if (a.resources.requests.cpuMilli < 0 && a.resources.requests.memoryBytes < 0 && a.resources.limits.cpuMilli < 0 &&
          a.resources.limits.memoryBytes < 0) {
        fail(res, rp, "Required value: a cpu or memory request or limit");
      }
      for (auto& [k, v] : a.arguments) {
        if (k == "resources") v = "{" + json + "}";
      }
      const auto cit = args.find("container");
      resizeActions_.push_back({sc_.actions.size(), {file_, res, rp},
                                {file_, cit != args.end() ? cit->second : res, child(ap, "container")}});
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

namespace podsim::scenario::detail {

// The version-dependent part of in-place resize: `resizePolicy` fields (validateResizePolicy and the
// init-container rules of validateInitContainers) and each `resizeContainer` action as the API server of
// the version answers it (models/kubelet/resize.hpp). Actions are taken in time order, each seeing the
// resources the earlier ones left.
void Loader::checkResizes() {
  using kubelet::Gate;
  const auto v = sc_.kubernetesVersion;
  const auto& gates = sc_.kubelet.featureGates;
  const std::string version = std::to_string(v.major) + "." + std::to_string(v.minor);
  const bool gateOn = kubelet::featureEnabled(Gate::InPlacePodVerticalScaling, v, gates);
  const bool initResizable = kubelet::featureEnabled(Gate::InPlacePodVerticalScalingInitContainers, v, gates);
  auto where = [](const Placed& at) {
    const auto m = at.node.Mark();
    return at.file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  };
  auto containerOf = [](api::Pod& pod, std::size_t i) -> api::Container& {
    return i < pod.initContainers.size() ? pod.initContainers[i] : pod.containers[i - pod.initContainers.size()];
  };
  bool warnedDropped = false;
  for (const auto& r : resizePolicies_) {
    if (r.pod >= sc_.pods.size()) continue;
    api::Pod& pod = sc_.pods[r.pod].pod;
    const auto k = std::stoul(r.path.substr(r.path.rfind('[') + 1));
    api::Container& c = r.init ? pod.initContainers[k] : pod.containers[k];
    if (!gateOn) {
      // pkg/api/pod/util.go dropDisabledFields: the API server drops resizePolicy with the gate off.
      c.cpuResizePolicy = c.memoryResizePolicy = api::ResizeRestartPolicy::NotRequired;
      if (!warnedDropped) {
        warnedDropped = true;
        sc_.warnings.push_back(where(r.field) + ": " + r.field.path + ": dropped by the API server (InPlacePodVerticalScaling off in Kubernetes " +
                               version + "): resizePolicy is ignored");
      }
      continue;
    }
    for (std::size_t j = 0; j < r.restartPolicies.size(); ++j) {
      const auto& [at, value] = r.restartPolicies[j];
      if (pod.restartPolicy == api::RestartPolicy::Never && value != "NotRequired") {
        file_ = at.file;
        fail(at.node, r.path + ".resizePolicy",
             "Invalid value: \"" + value + "\": must be 'NotRequired' when " + (v >= kubelet::KubernetesVersion{1, 36} ? "pod " : "") +
                 "`restartPolicy` is 'Never'");
      }
      if (v >= kubelet::KubernetesVersion{1, 36} && r.init && !c.restartPolicy && value == "RestartContainer") {
        file_ = at.file;
        fail(at.node, r.path + ".resizePolicy[" + std::to_string(j) + "].restartPolicy",
             "Invalid value: \"RestartContainer\": must not be set to 'RestartContainer' for non-sidecar initContainers");
      }
    }
  }
  if (resizeActions_.empty()) return;
  const auto support = kubelet::resizeSupport(v, gates);
  std::vector<const PendingResize*> order;
  for (const auto& r : resizeActions_) {
    if (r.action < sc_.actions.size() && sc_.actions[r.action].kind == ActionKind::ResizeContainer) order.push_back(&r);
  }
  std::stable_sort(order.begin(), order.end(), [&](const PendingResize* x, const PendingResize* y) {
    return sc_.actions[x->action].at < sc_.actions[y->action].at;
  });
  std::map<std::int32_t, api::Pod> current;  // pods resized by an earlier action: their resources since
  bool warnedRuntimeCheck = false;
  for (const PendingResize* r : order) {
    const Action& a = sc_.actions[r->action];
    const std::string ap = r->resources.path.substr(0, r->resources.path.rfind('.'));
    file_ = r->resources.file;
    if (support != kubelet::ResizeSupport::Supported) fail(r->resources.node, ap, kubelet::resizeUnsupportedMessage(support, v));
    const PodEntry& entry = sc_.pods[static_cast<std::size_t>(a.pod)];
    const auto ci = static_cast<std::size_t>(a.container);
    const api::Pod oldPod = current.count(a.pod) != 0 ? current.at(a.pod) : entry.pod;
    api::Pod newPod = oldPod;
    api::Container& nc = containerOf(newPod, ci);
    nc.resources = kubelet::applyResize(nc.resources, a.resources);
    const auto errs = kubelet::validatePodResize(oldPod, newPod, ci, v, initResizable);
    if (!errs.empty()) {
      std::string m = "the API server rejects the resize: The Pod \"" + newPod.name + "\" is invalid: ";
      if (errs.size() == 1) {
        m += errs.front();
      } else {
        m += "[";
        for (std::size_t i = 0; i < errs.size(); ++i) m += (i != 0 ? ", " : "") + errs[i];
        m += "]";
      }
      fail(r->resources.node, r->resources.path, m);
    }
    // 1.36+: the PodResizeValidator admission plugin against the allocatable of the pod's node, known here
    // when the pod names its node or the cluster has one node; otherwise the engine asks it at run time.
    if (v >= kubelet::KubernetesVersion{1, 36}) {
      const api::Node* node = nullptr;
      for (const auto& n : sc_.nodes) {
        if (!newPod.nodeName.empty() ? n.name == newPod.nodeName : sc_.nodes.size() == 1) node = &n;
      }
      if (node != nullptr) {
        const auto m = kubelet::validateResizeAgainstAllocatable(newPod.name, cluster::podRequests(newPod), node->allocatable);
        if (!m.empty()) fail(r->resources.node, r->resources.path, "the API server rejects the resize: " + m);
      } else if (sc_.nodes.size() > 1 && !warnedRuntimeCheck) {
        warnedRuntimeCheck = true;
        sc_.warnings.push_back(where(r->resources) + ": " + ap +
                               ": the API server checks a resize against the allocatable of the pod's node (PodResizeValidator, "
                               "1.36+); that node is known only at run time, where a rejected resize changes nothing");
      }
    }
    const MemoryBehavior& mem = entry.behaviors[ci].memory;
    if (mem.useBytes >= 0 && newPod.container(ci).resources.limits.memoryBytes != oldPod.container(ci).resources.limits.memoryBytes) {
      sc_.warnings.push_back(where(r->resources) + ": " + ap +
                             ": behaviors.memory: the OOM kill keeps the manifest's memory limit; a resized limit is not modelled for it");
    }
    current[a.pod] = std::move(newPod);
  }
}

}  // namespace podsim::scenario::detail
