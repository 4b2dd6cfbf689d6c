// models/scenario/manifests.cpp: Pod, Node and Service manifests: read, defaulted and validated through models/api/
// (pkg/apis/core/v1/defaults.go, pkg/apis/core/validation/validation.go), with the API's messages.
#include "models/scenario/loader_impl.hpp"

#include "models/api/defaults.hpp"
#include "models/api/quantity.hpp"
#include "models/api/validation.hpp"
#include "models/kubelet/config.hpp"

namespace podsim::scenario::detail {

void Loader::readMetadata(const YAML::Node& n, std::string& name, std::string* ns, std::map<std::string, std::string>* labels,
                  const YAML::Node& doc) {
  bool hasGenerateName = false;
  YAML::Node nameNode;
  forEachEntry(n, "metadata", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto path = child("metadata", key);
    if (key == "name") {
      name = str(v, path);
      nameNode = v;
    } else if (key == "namespace") {
      const auto s = str(v, path);
      if (!api::IsDNS1123Label(s)) fail(v, path, "Invalid value: \"" + s + "\": " + api::kDNS1123LabelErrorMsg);
      if (ns != nullptr) *ns = s;
    } else if (key == "labels") {
      auto m = stringMap(v, path);
      if (labels != nullptr) *labels = std::move(m);
    } else if (kUnmodelledMeta.count(key) != 0) {
      if (key == "generateName") hasGenerateName = true;
      warnUnmodelled(path);
    } else {
      failUnknown(k, path, key, Section::Metadata);
    }
  });
  if (name.empty()) {
    fail(n.IsDefined() && !n.IsNull() ? n : doc, "metadata.name",
         hasGenerateName ? "Required value: podsim needs a name (generateName is not modelled)"
                         : "Required value: name or generateName is required");
  }
  if (!api::IsDNS1123Subdomain(name)) fail(nameNode, "metadata.name", "Invalid value: \"" + name + "\": " + api::kDNS1123SubdomainErrorMsg);
  if (object_.find('"') == std::string::npos) object_ += " \"" + name + "\"";  // names the aggregate of errors
}

void Loader::readService(const Document& d) {
  file_ = d.file;
  ServiceEntry s;
  s.existsAtStart = true;
  YAML::Node metadata;
  forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    if (key == "apiVersion" || key == "kind") return;
    if (key == "metadata") {
      metadata = v;
    } else if (key == "spec") {
      forEachEntry(v, "spec", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
        if (sk == "selector") {
          for (auto& [lk, lv] : stringMap(sv, "spec.selector")) s.selector.emplace_back(lk, lv);
        } else {
          warnUnmodelled("Service spec." + sk);
        }
      });
    } else if (key == "status") {
      warnUnmodelled("Service status");
    } else {
      failUnknown(k, key, key, Section::ServiceDocument);
    }
  });
  readMetadata(metadata, s.name, nullptr, nullptr, d.node);
  for (const auto& e : sc_.services) {
    if (e.name == s.name) fail(d.node, "metadata.name", "Duplicate value: \"" + s.name + "\": a Service of this name is already defined");
  }
  sc_.services.push_back(std::move(s));
}

void Loader::readNode(const Document& d) {
  file_ = d.file;
  api::Node node;
  const auto m = d.node.Mark();
  node.where = {d.file, m.line + 1, m.column + 1};
  YAML::Node metadata;
  forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    if (key == "apiVersion" || key == "kind") return;
    if (key == "metadata") {
      metadata = v;
    } else if (key == "spec") {
      forEachEntry(v, "spec", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
        if (sk == "taints") {
          forEachItem(sv, "spec.taints", [&](std::size_t i, const YAML::Node& t) {
            node.taints.push_back(readToleration(t, idx("spec.taints", i), true));
          });
        } else {
          warnUnmodelled("Node spec." + sk);
        }
      });
    } else if (key == "status") {
      api::ResourceList capacity;
      bool hasAllocatable = false;
      forEachEntry(v, "status", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
        if (sk == "capacity") {
          capacity = readResourceList(sv, "status.capacity");
        } else if (sk == "allocatable") {
          node.allocatable = readResourceList(sv, "status.allocatable");
          hasAllocatable = true;
        } else {
          warnUnmodelled("Node status." + sk);
        }
      });
      if (!hasAllocatable) node.allocatable = capacity;
    } else {
      failUnknown(k, key, key, Section::NodeDocument);
    }
  });
  readMetadata(metadata, node.name, nullptr, &node.labels, d.node);
  for (const auto& e : sc_.nodes) {
    if (e.name == node.name) fail(d.node, "metadata.name", "Duplicate value: \"" + node.name + "\"");
  }
  sc_.nodes.push_back(std::move(node));
}

api::Toleration Loader::readToleration(const YAML::Node& n, const std::string& path, bool taint) {
  api::Toleration t;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto p = child(path, key);
    if (key == "key") {
      t.key = str(v, p);
    } else if (key == "value") {
      t.value = str(v, p);
    } else if (key == "effect") {
      t.effect = str(v, p);
      if (!t.effect.empty() && t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute") {
        fail(v, p, "Unsupported value: \"" + t.effect + "\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
      }
    } else if (!taint && key == "operator") {
      t.op = str(v, p);
      if (t.op != "Equal" && t.op != "Exists") fail(v, p, "Unsupported value: \"" + t.op + "\": supported values: \"Equal\", \"Exists\"");
    } else if (!taint && key == "tolerationSeconds") {
      t.tolerationSeconds = int64(v, p);
      // Negative means evict at once (as the API treats it); only the upper end is bounded.
      if (t.tolerationSeconds > kMaxSeconds) seconds(v, p);
    } else if (taint && key == "timeAdded") {
      warnUnmodelled(p);
    } else {
      failUnknown(k, p, key, Section::Toleration);
    }
  });
  if (taint && t.effect.empty()) fail(n, child(path, "effect"), "Required value");
  return t;
}

// Kubernetes resource.Quantity in units * 10^scaleExp rounded up (models/api/quantity.hpp).
std::int64_t Loader::quantity(const YAML::Node& n, const std::string& path, int scaleExp) const {
  if (!n.IsScalar()) fail(n, path, "expected a quantity, got " + describe(n));
  auto q = api::parseQuantity(n.Scalar(), scaleExp);
  if (!q.error.empty()) fail(n, path, q.error);
  return q.value;
}

api::ResourceList Loader::readResourceList(const YAML::Node& n, const std::string& path) {
  api::ResourceList r;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    const auto p = path + "[" + key + "]";  // a ResourceList is a map: the API writes requests[cpu]
    if (key == "cpu") {
      r.cpuMilli = quantity(v, p, 3);
    } else if (key == "memory") {
      r.memoryBytes = quantity(v, p, 0);
    } else {
      quantity(v, p, 0);  // validated, not modelled (ephemeral-storage, pods, extended resources)
    }
  });
  return r;
}

api::HandlerKind Loader::readHandler(const YAML::Node& n, const std::string& path, bool lifecycle, std::int64_t* sleepSeconds,
                             const std::function<bool(const std::string&, const YAML::Node&, const YAML::Node&)>& extra) {
  api::HandlerKind kind = api::HandlerKind::None;
  int count = 0;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto p = child(path, key);
    std::vector<std::string> known;
    api::HandlerKind here = api::HandlerKind::None;
    if (key == "exec") {
      here = api::HandlerKind::Exec;
      known = {"command"};
    } else if (key == "httpGet") {
      here = api::HandlerKind::HttpGet;
      known = {"path", "port", "host", "scheme", "httpHeaders"};
    } else if (key == "tcpSocket") {
      here = api::HandlerKind::TcpSocket;
      known = {"port", "host"};
    } else if (!lifecycle && key == "grpc") {
      here = api::HandlerKind::Grpc;
      known = {"port", "service"};
    } else if (lifecycle && key == "sleep") {
      here = api::HandlerKind::Sleep;
      known = {"seconds"};
      sleepNodes_.push_back({file_, k, p});
    } else if (extra && extra(key, k, v)) {
      return;
    } else {
      failUnknown(k, p, key, lifecycle ? Section::LifecycleHandler : Section::Probe);
    }
    ++count;
    if (count > 1) fail(k, p, "Forbidden: may not specify more than 1 handler type");
    kind = here;
    handler_ = api::ProbeHandler{};  // the handler's fields, for a probe (api::Probe::handler)
    forEachEntry(v, p, [&](const std::string& hk, const YAML::Node& hkn, const YAML::Node& hv) {
      if (std::find(known.begin(), known.end(), hk) == known.end()) failUnknown(hkn, child(p, hk), hk, Section::HandlerFields, &known);
      if (hv.IsScalar()) {
        std::string* field = hk == "path" ? &handler_.path : hk == "host" ? &handler_.host : hk == "scheme" ? &handler_.scheme
                             : hk == "port" ? &handler_.port : hk == "service" ? &handler_.service : nullptr;
        if (field != nullptr) *field = hv.Scalar();
      }
      if (hk == "command") handler_.command = stringList(hv, child(p, hk));
      if (hk == "seconds" && sleepSeconds != nullptr) {
        *sleepSeconds = seconds(hv, child(p, hk));
        sleepSecondNodes_.push_back({file_, hv, p});
      }
    });
  });
  if (count == 0) fail(n, path, "Required value: must specify a handler type");
  return kind;
}

api::Probe Loader::readProbe(const YAML::Node& n, const std::string& path, bool mustSucceedOnce) {
  api::Probe probe;
  auto field = [&](const YAML::Node& v, const std::string& p, std::int32_t& out, std::int32_t dflt) {
    const auto x = int32(v, p);
    if (x < 0) fail(v, p, "Invalid value: " + std::to_string(x) + ": must be greater than or equal to 0");
    out = x == 0 ? dflt : x;  // the API defaults a zero value (SetDefaults_Probe)
  };
  YAML::Node successNode;
  probe.kind = readHandler(n, path, false, nullptr, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    const auto p = child(path, key);
    if (key == "initialDelaySeconds") field(v, p, probe.initialDelaySeconds, 0);
    else if (key == "periodSeconds") field(v, p, probe.periodSeconds, 10);
    else if (key == "timeoutSeconds") field(v, p, probe.timeoutSeconds, 1);
    else if (key == "successThreshold") { field(v, p, probe.successThreshold, 1); successNode = v; }
    else if (key == "failureThreshold") field(v, p, probe.failureThreshold, 3);
    else if (key == "terminationGracePeriodSeconds") {
      probe.terminationGracePeriodSeconds = int64(v, p);
      if (probe.terminationGracePeriodSeconds <= 0) fail(v, p, "Invalid value: " + std::to_string(probe.terminationGracePeriodSeconds) + ": must be greater than 0");
      seconds(v, p);
    } else return false;
    return true;
  });
  probe.handler = std::move(handler_);
  if (mustSucceedOnce && probe.successThreshold != 1) {
    fail(successNode, child(path, "successThreshold"), "Invalid value: " + std::to_string(probe.successThreshold) + ": must be 1");
  }
  return probe;
}

/// `restartPolicyRules` (core/v1 ContainerRestartRule): `action` and `exitCodes` {`operator`, `values`}; every
/// string kept raw for validateContainerRestartFields, unknown strings mapped to Unknown.
void Loader::readRestartPolicyRules(const YAML::Node& k, const YAML::Node& v, const std::string& p, api::Container& c,
                                    PendingRestartFields& pending) {
  pending.raw.restartPolicyRulesWritten = true;
  pending.nodes.push_back({file_, k, p});
  forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
    const auto rp = idx(p, i);
    api::ContainerRestartRule rule;
    kubelet::RawContainerRestartRule raw;
    pending.nodes.push_back({file_, item, rp});
    forEachEntry(item, rp, [&](const std::string& rk, const YAML::Node& rkn, const YAML::Node& rv) {
      const auto fp = child(rp, rk);
      if (rk == "action") {
        raw.action = str(rv, fp);
        pending.nodes.push_back({file_, rv, fp});
        rule.action = raw.action == "Restart"                ? api::ContainerRestartRuleAction::Restart
                      : raw.action == "RestartAllContainers" ? api::ContainerRestartRuleAction::RestartAllContainers
                                                             : api::ContainerRestartRuleAction::Unknown;
      } else if (rk == "exitCodes") {
        raw.hasExitCodes = true;
        pending.nodes.push_back({file_, rkn, fp});
        api::ContainerRestartRuleOnExitCodes codes;
        forEachEntry(rv, fp, [&](const std::string& ek, const YAML::Node& ekn, const YAML::Node& ev) {
          const auto ep = child(fp, ek);
          if (ek == "operator") {
            raw.exitCodesOperator = str(ev, ep);
            pending.nodes.push_back({file_, ev, ep});
            codes.op = raw.exitCodesOperator == "In"      ? api::ContainerRestartRuleOnExitCodesOperator::In
                       : raw.exitCodesOperator == "NotIn" ? api::ContainerRestartRuleOnExitCodesOperator::NotIn
                                                          : api::ContainerRestartRuleOnExitCodesOperator::Unknown;
          } else if (ek == "values") {
            pending.nodes.push_back({file_, ekn, ep});
            forEachItem(ev, ep, [&](std::size_t j, const YAML::Node& x) { codes.values.push_back(int32(x, idx(ep, j))); });
            raw.exitCodesValueCount = codes.values.size();
          } else {
            fail(ekn, ep, "unknown field \"" + ek + "\"");
          }
        });
        rule.exitCodes = std::move(codes);
      } else {
        fail(rkn, fp, "unknown field \"" + rk + "\"");
      }
    });
    c.restartPolicyRules.push_back(std::move(rule));
    pending.raw.restartPolicyRules.push_back(std::move(raw));
  });
}

/// `resizePolicy` (core/v1 ContainerResizePolicy): the values and duplicates are checked here as
/// validateResizePolicy does; the checks that depend on the version and the pod wait for checkResizes.
void Loader::readResizePolicy(const YAML::Node& v, const std::string& p, api::Container& c, bool init, const std::string& containerPath) {
  PendingResizePolicy pending;
  pending.pod = sc_.pods.size();  // the pod being read is appended after its containers
  pending.path = containerPath;
  pending.init = init;
  pending.field = {file_, v, p};
  std::set<std::string> seen;
  forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
    const auto ip = idx(p, i);
    std::string resource, policy;
    YAML::Node policyNode = item;
    forEachEntry(item, ip, [&](const std::string& k, const YAML::Node& kn, const YAML::Node& kv) {
      checkKnown(k, kn, ip, {"resourceName", "restartPolicy"});
      if (k == "resourceName") {
        resource = str(kv, child(ip, k));
      } else {
        policy = str(kv, child(ip, k));
        policyNode.reset(kv);
      }
    });
    if (!seen.insert(resource).second) fail(item, ip, "Duplicate value: \"" + resource + "\"");
    if (resource.empty()) fail(item, p, "Required value");
    if (resource != "cpu" && resource != "memory") {
      fail(item, p, "Unsupported value: \"" + resource + "\": supported values: \"cpu\", \"memory\"");
    }
    if (policy.empty()) fail(item, p, "Required value");
    if (policy != "NotRequired" && policy != "RestartContainer") {
      fail(policyNode, p, "Unsupported value: \"" + policy + "\": supported values: \"NotRequired\", \"RestartContainer\"");
    }
    const auto rp = policy == "RestartContainer" ? api::ResizeRestartPolicy::RestartContainer : api::ResizeRestartPolicy::NotRequired;
    (resource == "cpu" ? c.cpuResizePolicy : c.memoryResizePolicy) = rp;
    pending.restartPolicies.push_back({{file_, policyNode, child(ip, "restartPolicy")}, policy});
  });
  resizePolicies_.push_back(std::move(pending));
}

api::Container Loader::readContainer(const YAML::Node& n, const std::string& path, bool init) {
  api::Container c;
  const auto m = n.Mark();
  c.where = {file_, m.line + 1, m.column + 1};
  if (!n.IsMap()) fail(n, path, "expected a map, got " + describe(n));
  bool hasImage = false, hasPullPolicy = false;
  std::optional<YAML::Node> probeNodes[3], lifecycleNode;
  PendingRestartFields pending;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto p = child(path, key);
    if (key == "name") {
      c.name = str(v, p);
    } else if (key == "image") {
      c.image = str(v, p);
      hasImage = !c.image.empty();
    } else if (key == "imagePullPolicy") {
      const auto s = str(v, p);
      if (s == "Always") c.imagePullPolicy = api::PullPolicy::Always;
      else if (s == "IfNotPresent") c.imagePullPolicy = api::PullPolicy::IfNotPresent;
      else if (s == "Never") c.imagePullPolicy = api::PullPolicy::Never;
      else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\", \"IfNotPresent\", \"Never\"");
      hasPullPolicy = true;
    } else if (key == "command") {
      c.command = stringList(v, p);
    } else if (key == "args") {
      c.args = stringList(v, p);
    } else if (key == "restartPolicy") {
      const auto s = str(v, p);
      if (!init) {
        // A regular container's policy (ContainerRestartRules, 1.34+): validated once the version is known.
        pending.raw.restartPolicy = s;
        pending.nodes.push_back({file_, v, p});
        if (s == "Always") c.restartPolicy = api::RestartPolicy::Always;
        else if (s == "OnFailure") c.restartPolicy = api::RestartPolicy::OnFailure;
        else if (s == "Never") c.restartPolicy = api::RestartPolicy::Never;
        return;
      }
      if (s != "Always") fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\"");
      c.restartPolicy = api::RestartPolicy::Always;
      sidecarNodes_.push_back({file_, v, p});
    } else if (key == "restartPolicyRules" && !init) {
      readRestartPolicyRules(k, v, p, c, pending);
    } else if (key == "startupProbe" || key == "livenessProbe" || key == "readinessProbe") {
      const int which = key == "startupProbe" ? 0 : key == "livenessProbe" ? 1 : 2;
      probeNodes[which] = k;
      auto probe = readProbe(v, p, which != 2);
      (which == 0 ? c.startupProbe : which == 1 ? c.livenessProbe : c.readinessProbe) = probe;
    } else if (key == "lifecycle") {
      lifecycleNode = k;
      forEachEntry(v, p, [&](const std::string& lk, const YAML::Node& lkn, const YAML::Node& lv) {
        const auto lp = child(p, lk);
        if (lk == "postStart" || lk == "preStop") {
          auto& h = lk == "postStart" ? c.lifecycle.postStart : c.lifecycle.preStop;
          h.kind = readHandler(lv, lp, true, &h.sleepSeconds, nullptr);
          h.command = handler_.command;
        } else if (lk == "stopSignal") {
          // KEP-4960: checked in checkVersionedFields once the version, the gates and spec.os are known.
          PendingStopSignal ps;
          ps.pod = sc_.pods.size();  // the pod being read is appended after its containers
          ps.init = init;
          ps.index = std::stoul(path.substr(path.rfind('[') + 1));
          ps.path = path;
          ps.signal = str(lv, lp);
          ps.at = {file_, lv, lp};
          stopSignals_.push_back(std::move(ps));
        } else {
          failUnknown(lkn, lp, lk, Section::Lifecycle);
        }
      });
    } else if (key == "resources") {
      forEachEntry(v, p, [&](const std::string& rk, const YAML::Node& rkn, const YAML::Node& rv) {
        const auto rp = child(p, rk);
        if (rk == "requests") c.resources.requests = readResourceList(rv, rp);
        else if (rk == "limits") c.resources.limits = readResourceList(rv, rp);
        else if (rk == "claims") warnUnmodelled(rp);
        else failUnknown(rkn, rp, rk, Section::Resources);
      });
    } else if (key == "ports") {
      std::set<std::string> portNames;
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& port) {
        const auto pp = idx(p, i);
        bool hasPort = false;
        forEachEntry(port, pp, [&](const std::string& pk, const YAML::Node& pkn, const YAML::Node& pv) {
          const auto ppp = child(pp, pk);
          if (pk == "containerPort") {
            const auto x = int64(pv, ppp);
            if (x < 1 || x > 65535) fail(pv, ppp, "Invalid value: " + std::to_string(x) + ": must be between 1 and 65535, inclusive");
            c.containerPorts.push_back(static_cast<std::int32_t>(x));
            hasPort = true;
          } else if (pk == "name") {
            const auto name = str(pv, ppp);
            if (const auto why = api::validatePortName(name); !why.empty()) fail(pv, ppp, "Invalid value: \"" + name + "\": " + why);
            if (!portNames.insert(name).second) fail(pv, ppp, "Duplicate value: \"" + name + "\"");
          } else if (pk == "protocol") {
            const auto proto = str(pv, ppp);
            if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
              fail(pv, ppp, "Unsupported value: \"" + proto + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
            }
          } else if (pk == "hostIP") {
            str(pv, ppp);
          } else if (pk == "hostPort") {
            const auto x = int64(pv, ppp);
            if (x < 0 || x > 65535) fail(pv, ppp, "Invalid value: " + std::to_string(x) + ": must be between 1 and 65535, inclusive");
          } else {
            failUnknown(pkn, ppp, pk, Section::ContainerPort);
          }
        });
        if (!hasPort) fail(port, child(pp, "containerPort"), "Required value");
      });
    } else if (key == "env") {
      // Read for the images' default processes (postgres, mysql need their variables; data/images.yaml).
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
        const auto ip = idx(p, i);
        std::string name, value;
        bool hasName = false;
        forEachEntry(item, ip, [&](const std::string& ek, const YAML::Node& ekn, const YAML::Node& ev) {
          if (ek == "name") {
            name = str(ev, child(ip, ek));
            hasName = true;
          } else if (ek == "value") {
            value = str(ev, child(ip, ek));
          } else if (ek == "valueFrom") {
            value = "$(valueFrom)";
          } else {
            fail(ekn, child(ip, ek), "unknown field \"" + ek + "\"");
          }
        });
        if (!hasName || name.empty()) fail(item, child(ip, "name"), "Required value");
        c.env.emplace_back(std::move(name), std::move(value));
      });
    } else if (key == "resizePolicy") {
      readResizePolicy(v, p, c, init, path);
    } else if (kUnmodelledContainer.count(key) != 0) {
      warnUnmodelled(p);
    } else {
      failUnknown(k, p, key, Section::Container);
    }
  });
  // Each check is collected, so that a missing name does not hide a missing image.
  soft([&] {
    if (c.name.empty()) fail(n, child(path, "name"), "Required value");
    if (!api::IsDNS1123Label(c.name)) fail(n, child(path, "name"), "Invalid value: \"" + c.name + "\": " + api::kDNS1123LabelErrorMsg);
  });
  if (!hasImage) fail(n, child(path, "image"), "Required value");
  api::SetDefaults_Container(c, hasPullPolicy);
  if (!pending.nodes.empty()) {
    pending.pod = sc_.pods.size();  // the pod being read is appended after its containers
    pending.container = std::stoul(path.substr(path.rfind('[') + 1));
    restartFields_.push_back(std::move(pending));
  }
  if (init && !c.restartPolicy) {
    static const char* const names[3] = {"startupProbe", "livenessProbe", "readinessProbe"};
    for (int i = 0; i < 3; ++i) {
      if (probeNodes[i]) {
        fail(*probeNodes[i], child(path, names[i]), "Forbidden: may not be set for init containers without restartPolicy=Always");
      }
    }
    if (lifecycleNode) {
      fail(*lifecycleNode, child(path, "lifecycle"), "Forbidden: may not be set for init containers without restartPolicy=Always");
    }
  }
  // A request defaults to the limit when only the limit is given (SetDefaults_Container... resources).
  if (c.resources.requests.cpuMilli < 0) c.resources.requests.cpuMilli = c.resources.limits.cpuMilli;
  if (c.resources.requests.memoryBytes < 0) c.resources.requests.memoryBytes = c.resources.limits.memoryBytes;
  // The API prints both quantities in their canonical form (resource.Quantity.String()).
  const YAML::Node res = n["resources"];
  auto written = [&](const char* list, const char* name) {
    const YAML::Node l = res.IsMap() ? res[list] : YAML::Node();
    const YAML::Node q = l.IsMap() ? l[name] : YAML::Node();
    return q.IsScalar() ? q.Scalar() : std::string();
  };
  if (c.resources.limits.cpuMilli >= 0 && c.resources.requests.cpuMilli > c.resources.limits.cpuMilli) {
    fail(n, child(path, "resources.requests"), "Invalid value: \"" + api::canonicalQuantity(c.resources.requests.cpuMilli, 3, written("requests", "cpu")) +
                                                 "\": must be less than or equal to cpu limit of " +
                                                 api::canonicalQuantity(c.resources.limits.cpuMilli, 3, written("limits", "cpu")));
  }
  if (c.resources.limits.memoryBytes >= 0 && c.resources.requests.memoryBytes > c.resources.limits.memoryBytes) {
    fail(n, child(path, "resources.requests"), "Invalid value: \"" + api::canonicalQuantity(c.resources.requests.memoryBytes, 0, written("requests", "memory")) +
                                                 "\": must be less than or equal to memory limit of " +
                                                 api::canonicalQuantity(c.resources.limits.memoryBytes, 0, written("limits", "memory")));
  }
  c.imageId = internImage(c.image);
  return c;
}

std::int32_t Loader::internImage(const std::string& image) {
  for (std::size_t i = 0; i < sc_.images.size(); ++i) {
    if (sc_.images[i] == image) return static_cast<std::int32_t>(i);
  }
  sc_.images.push_back(image);
  sc_.imageBehaviors.emplace_back();
  return static_cast<std::int32_t>(sc_.images.size() - 1);
}

std::int32_t Loader::internPodConditionType(const YAML::Node& at, const std::string& path, const std::string& type) {
  for (std::size_t i = 0; i < sc_.podConditionTypes.size(); ++i) {
    if (sc_.podConditionTypes[i] == type) return static_cast<std::int32_t>(i);
  }
  if (sc_.podConditionTypes.size() >= kubelet::kMaxCustomConditionTypes) {
    fail(at, path, "Too many: more than " + std::to_string(kubelet::kMaxCustomConditionTypes) +
                       " pod condition types set outside the kubelet in one scenario (podsim's limit)");
  }
  sc_.podConditionTypes.push_back(type);
  return static_cast<std::int32_t>(sc_.podConditionTypes.size() - 1);
}

std::int32_t Loader::internService(const std::string& name) {
  for (std::size_t i = 0; i < sc_.services.size(); ++i) {
    if (sc_.services[i].name == name) return static_cast<std::int32_t>(i);
  }
  ServiceEntry e;
  e.name = name;
  sc_.services.push_back(std::move(e));
  return static_cast<std::int32_t>(sc_.services.size() - 1);
}

void Loader::readPod(const Document& d) {
  file_ = d.file;
  if (sc_.pods.size() >= kMaxPods) stop(d.node, "", "more than " + std::to_string(kMaxPods) + " Pods in the scenario");
  PodEntry entry;
  api::Pod& pod = entry.pod;
  const auto m = d.node.Mark();
  pod.where = {d.file, m.line + 1, m.column + 1};
  YAML::Node metadata, spec;
  forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    if (key == "apiVersion" || key == "kind") return;
    if (key == "metadata") metadata = v;
    else if (key == "spec") spec = v;
    else if (key == "status") warnUnmodelled("status");
    else failUnknown(k, key, key, Section::PodDocument);
  });
  soft([&] {  // metadata's errors are collected with spec's
    readMetadata(metadata, pod.name, &pod.namespace_, &pod.labels, d.node);
    for (const auto& other : sc_.pods) {
      if (other.pod.name == pod.name && other.pod.namespace_ == pod.namespace_) {
        fail(metadata, "metadata.name", "Duplicate value: \"" + pod.name + "\": a Pod of this name is already defined in " +
                                            other.pod.where.file + ":" + std::to_string(other.pod.where.line));
      }
    }
  });
  if (!spec.IsDefined() || spec.IsNull()) fail(d.node, "spec.containers", "Required value");
  bool hasContainers = false;
  std::map<std::string, std::string> names;  // container name -> its path, for Duplicate value
  auto readList = [&](const YAML::Node& v, const std::string& p, bool init) {
    forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
      if (pod.containerCount() >= kMaxContainersPerPod) {
        stop(item, idx(p, i), "Too many: more than " + std::to_string(kMaxContainersPerPod) + " containers in one pod");
      }
      auto c = readContainer(item, idx(p, i), init);
      if (names.count(c.name) != 0) fail(item, child(idx(p, i), "name"), "Duplicate value: \"" + c.name + "\"");
      names[c.name] = idx(p, i);
      (init ? pod.initContainers : pod.containers).push_back(std::move(c));
    });
  };
  YAML::Node containersNode;
  std::optional<std::string> podOs;
  forEachEntry(spec, "spec", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto p = child("spec", key);
    if (key == "initContainers") {
      readList(v, p, true);
    } else if (key == "containers") {
      containersNode = v;
      hasContainers = true;
    } else if (key == "restartPolicy") {
      const auto s = str(v, p);
      if (s == "Always") pod.restartPolicy = api::RestartPolicy::Always;
      else if (s == "OnFailure") pod.restartPolicy = api::RestartPolicy::OnFailure;
      else if (s == "Never") pod.restartPolicy = api::RestartPolicy::Never;
      else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    } else if (key == "terminationGracePeriodSeconds") {
      pod.terminationGracePeriodSeconds = seconds(v, p);
    } else if (key == "activeDeadlineSeconds") {
      pod.activeDeadlineSeconds = int64(v, p);
      if (pod.activeDeadlineSeconds < 1 || pod.activeDeadlineSeconds > INT32_MAX) {
        fail(v, p, "Invalid value: " + std::to_string(pod.activeDeadlineSeconds) + ": must be between 1 and 2147483647, inclusive");
      }
    } else if (key == "nodeName") {
      pod.nodeName = str(v, p);
    } else if (key == "nodeSelector") {
      pod.nodeSelector = stringMap(v, p);
    } else if (key == "tolerations") {
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& t) { pod.tolerations.push_back(readToleration(t, idx(p, i), false)); });
    } else if (key == "affinity") {
      readAffinity(v, p, pod);
    } else if (key == "os") {
      // spec.os: only `name` (linux | windows), which stopSignal's validation reads (validation.go validateOS).
      bool hasName = false;
      forEachEntry(v, p, [&](const std::string& ok, const YAML::Node& okn, const YAML::Node& ov) {
        checkKnown(ok, okn, p, {"name"});
        const auto np = child(p, ok);
        const auto name = str(ov, np);
        hasName = true;
        if (name.empty()) fail(ov, np, "Required value");
        if (name != "linux" && name != "windows") fail(ov, p, "Unsupported value: \"" + name + "\": supported values: \"linux\", \"windows\"");
        podOs = name;
        if (name == "windows") warnUnmodelled("spec.os.name: windows (podsim's nodes run Linux)");
      });
      if (!hasName) fail(v, child(p, "name"), "Required value");
    } else if (key == "readinessGates") {
      // validation.go validateReadinessGates: each conditionType is a qualified name (no duplicate check).
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& g) {
        const auto gp = idx(p, i);
        bool hasType = false;
        forEachEntry(g, gp, [&](const std::string& gk, const YAML::Node& gkn, const YAML::Node& gv) {
          checkKnown(gk, gkn, gp, {"conditionType"});
          const auto tp = child(gp, gk);
          const auto type = str(gv, tp);
          hasType = true;
          for (const auto& why : api::validateQualifiedName(type)) fail(gv, tp, "Invalid value: \"" + type + "\": " + why);
          pod.readinessGates.push_back({type, static_cast<std::uint8_t>(internPodConditionType(gv, tp, type))});
        });
        if (!hasType) fail(g, child(gp, "conditionType"), "Invalid value: \"\": name part must be non-empty");
      });
    } else if (kUnmodelledPodSpec.count(key) != 0) {
      warnUnmodelled(p);
    } else {
      failUnknown(k, p, key, Section::PodSpec);
    }
  });
  // Containers after init containers, whatever the written order, so duplicate names point at the later list.
  if (hasContainers) readList(containersNode, "spec.containers", false);
  if (pod.containers.empty()) fail(hasContainers && !containersNode.IsNull() ? containersNode : spec, "spec.containers", "Required value");
  // validateSleepAction: a sleep hook may not outlast the pod's grace period.
  for (const auto& at : sleepSecondNodes_) {
    const auto secs = int64(at.node, at.path);
    if (secs > pod.terminationGracePeriodSeconds) {
      fail(at.node, at.path, "Invalid value: " + std::to_string(secs) + ": must be non-negative and less than terminationGracePeriodSeconds (" +
                                 std::to_string(pod.terminationGracePeriodSeconds) + ")");
    }
  }
  sleepSecondNodes_.clear();
  for (auto& ss : stopSignals_) {
    if (ss.pod == sc_.pods.size()) ss.os = podOs;
  }
  sc_.pods.push_back(std::move(entry));
}

/// `affinity`: the required node affinity is modelled (the scheduler's NodeAffinity filter); preferred
/// terms, podAffinity and podAntiAffinity are accepted and ignored with a warning. Validation as
/// pkg/apis/core/validation ValidateNodeSelector, ValidateNodeSelectorRequirement and
/// ValidateNodeFieldSelectorRequirement.
void Loader::readAffinity(const YAML::Node& n, const std::string& path, api::Pod& pod) {
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const auto p = child(path, key);
    checkKnown(key, k, path, {"nodeAffinity", "podAffinity", "podAntiAffinity"});
    if (key != "nodeAffinity") {
      warnUnmodelled(p);
      return;
    }
    forEachEntry(v, p, [&](const std::string& nk, const YAML::Node& nkn, const YAML::Node& nv) {
      const auto np = child(p, nk);
      checkKnown(nk, nkn, p, {"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"});
      if (nk != "requiredDuringSchedulingIgnoredDuringExecution") {
        warnUnmodelled(np);
        return;
      }
      bool hasTerms = false;
      YAML::Node termsNode;
      forEachEntry(nv, np, [&](const std::string& tk, const YAML::Node& tkn, const YAML::Node& tv) {
        checkKnown(tk, tkn, np, {"nodeSelectorTerms"});
        termsNode = tv;
        hasTerms = true;
        const auto tp = child(np, tk);
        forEachItem(tv, tp, [&](std::size_t i, const YAML::Node& term) {
          const auto ip = idx(tp, i);
          api::NodeSelectorTerm t;
          forEachEntry(term, ip, [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
            checkKnown(mk, mkn, ip, {"matchExpressions", "matchFields"});
            const bool fields = mk == "matchFields";
            const auto mp = child(ip, mk);
            forEachItem(mv, mp, [&](std::size_t j, const YAML::Node& req) {
              (fields ? t.matchFields : t.matchExpressions).push_back(readNodeSelectorRequirement(req, idx(mp, j), fields));
            });
          });
          pod.requiredNodeAffinity.push_back(std::move(t));
        });
      });
      if (!hasTerms || pod.requiredNodeAffinity.empty()) {
        fail(hasTerms && termsNode.IsDefined() && !termsNode.IsNull() ? termsNode : nv, child(np, "nodeSelectorTerms"),
             "Required value: must have at least one node selector term");
      }
    });
  });
}

api::NodeSelectorRequirement Loader::readNodeSelectorRequirement(const YAML::Node& n, const std::string& path, bool field) {
  api::NodeSelectorRequirement r;
  YAML::Node opNode, valuesNode;
  bool hasKey = false, hasOp = false, hasValues = false;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, path, {"key", "operator", "values"});
    const auto p = child(path, key);
    if (key == "key") {
      r.key = str(v, p);
      hasKey = true;
    } else if (key == "operator") {
      r.op = str(v, p);
      opNode = v;
      hasOp = true;
    } else {
      r.values = stringList(v, p);
      valuesNode = v;
      hasValues = true;
    }
  });
  const YAML::Node& at = hasValues ? valuesNode : n;
  const YAML::Node& opAt = hasOp ? opNode : n;
  const auto vp = child(path, "values");
  if (field) {
    if (r.op != "In" && r.op != "NotIn") {
      fail(opAt, child(path, "operator"), "Invalid value: \"" + r.op + "\": not a valid selector operator");
    }
    if (r.values.size() != 1) fail(at, vp, "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
    if (r.key != "metadata.name") fail(n, child(path, "key"), "Invalid value: \"" + r.key + "\": not a valid field selector key");
    return r;
  }
  if (r.op == "In" || r.op == "NotIn") {
    if (r.values.empty()) fail(at, vp, "Required value: must be specified when `operator` is 'In' or 'NotIn'");
  } else if (r.op == "Exists" || r.op == "DoesNotExist") {
    if (!r.values.empty()) fail(at, vp, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  } else if (r.op == "Gt" || r.op == "Lt") {
    if (r.values.size() != 1) fail(at, vp, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
  } else {
    fail(opAt, child(path, "operator"), "Invalid value: \"" + r.op + "\": not a valid selector operator");
  }
  if (!hasKey || r.key.empty()) fail(n, child(path, "key"), "Invalid value: \"\": name part must be non-empty");
  return r;
}

/// Fields and feature gates that exist only from some Kubernetes version, checked once
/// spec.kubernetesVersion and spec.kubelet.featureGates are known: the gates as the kubelet checks them
/// (feature_gates.hpp validateFeatureGates), sidecars and sleep hooks against their gates, and regular
/// containers' restart fields as that version's API server validates them (restart_rules_validation.hpp).
void Loader::checkVersionedFields() {
  using kubelet::Gate;
  const auto v = sc_.kubernetesVersion;
  const std::string version = std::to_string(v.major) + "." + std::to_string(v.minor);
  const std::string gatesFile = scenarioDoc_ ? scenarioDoc_->file : sc_.file;
  auto where = [](const std::string& file, const YAML::Node& n) {
    const auto m = n.Mark();
    return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  };
  for (const auto& f : kubelet::validateFeatureGates(v, sc_.kubelet.featureGates)) {
    std::size_t at = f.index >= 0 ? static_cast<std::size_t>(f.index) : 0;
    if (f.index < 0) {  // a dependency: "X is enabled, but depends on ..."; point at X
      const auto name = f.message.substr(0, f.message.find(' '));
      for (std::size_t i = 0; i < gateNodes_.size(); ++i) {
        if (gateNodes_[i].first == name) at = i;
      }
    }
    if (at >= gateNodes_.size()) continue;  // a gate set outside the file (none today)
    const auto& [name, node] = gateNodes_[at];
    const std::string path = "spec.kubelet.featureGates." + name;
    switch (f.problem) {
      case kubelet::FeatureGateProblem::Unrecognized:
      case kubelet::FeatureGateProblem::Locked:
      case kubelet::FeatureGateProblem::Dependency:
        file_ = gatesFile;
        fail(node, path, f.message);
      case kubelet::FeatureGateProblem::NotModelled:
      case kubelet::FeatureGateProblem::SettingGA:
      case kubelet::FeatureGateProblem::SettingDeprecated:
        sc_.warnings.push_back(where(gatesFile, node) + ": " + path + ": " + f.message);
        break;
    }
  }
  // The first release that knows a gate, and the first where it is on by default (0.0: none).
  auto firstKnown = [](Gate g) {
    for (int m = kubelet::kFirstKubernetesVersion.minor; m <= kubelet::kLastKubernetesVersion.minor; ++m) {
      if (kubelet::gateSpec(g, {1, m}).known) return kubelet::KubernetesVersion{1, m};
    }
    return kubelet::KubernetesVersion{0, 0};
  };
  auto firstOn = [](Gate g) {
    for (int m = kubelet::kFirstKubernetesVersion.minor; m <= kubelet::kLastKubernetesVersion.minor; ++m) {
      if (kubelet::featureEnabled(g, {1, m}, {})) return kubelet::KubernetesVersion{1, m};
    }
    return kubelet::KubernetesVersion{0, 0};
  };
  auto text = [](kubelet::KubernetesVersion k) { return std::to_string(k.major) + "." + std::to_string(k.minor); };
  const kubelet::Features f = kubelet::resolveFeatures(v, sc_.kubelet);
  auto reject = [&](const Placed& at, Gate gate, const std::string& what) {
    const auto alpha = firstKnown(gate);
    file_ = at.file;
    std::string m = "Forbidden: " + what + " " + (v < alpha ? "do not exist before Kubernetes " + text(alpha)
                                                            : "are off by default in Kubernetes " + version);
    m += "; use kubernetesVersion \"" + text(firstOn(gate)) + "\" or later";
    if (v >= alpha) m += ", or set spec.kubelet.featureGates " + std::string(kubelet::gateName(gate)) + ": true";
    fail(at.node, at.path, m);
  };
  if (!f.sidecarContainers && !sidecarNodes_.empty()) {
    reject(sidecarNodes_.front(), Gate::SidecarContainers, "sidecar containers (init containers with restartPolicy: Always)");
  }
  if (!f.podLifecycleSleepAction && !sleepNodes_.empty()) {
    reject(sleepNodes_.front(), Gate::PodLifecycleSleepAction, "sleep lifecycle handlers");
  }
  checkResizes();
  bool warnedDropped = false;
  for (const auto& r : restartFields_) {
    const auto verdict = kubelet::validateContainerRestartFields(v, sc_.kubelet.featureGates, r.container, r.raw);
    if (!verdict.errors.empty()) {
      // "<path>: <Type>: <detail>", or strict decoding's `... unknown field "<path>"` (no path in front).
      const std::string& e = verdict.errors.front();
      std::string path, detail = e;
      if (const auto q = e.find("unknown field \""); q != std::string::npos && e.rfind("strict decoding", 0) == 0) {
        path = e.substr(q + 15, e.size() - q - 16);
      } else {
        path = e.substr(0, e.find(": "));
        detail = e.substr(path.size() + 2);
      }
      const Placed* at = &r.nodes.front();
      std::size_t best = 0;
      for (const auto& n : r.nodes) {  // the field itself, else its nearest parent written
        if (n.path.size() > best && path.rfind(n.path, 0) == 0) {
          at = &n;
          best = n.path.size();
        }
      }
      file_ = at->file;
      fail(at->node, path, detail);
    }
    if (verdict.dropped) {
      api::Container& c = sc_.pods[r.pod].pod.containers[r.container];
      c.restartPolicy.reset();
      c.restartPolicyRules.clear();
      if (!warnedDropped) {
        warnedDropped = true;
        sc_.warnings.push_back(where(r.nodes.front().file, r.nodes.front().node) + ": " + r.nodes.front().path +
                               ": dropped by the API server (ContainerRestartRules off in Kubernetes " + version +
                               "): restartPolicy and restartPolicyRules of regular containers are ignored");
      }
    }
  }
  // lifecycle.stopSignal (KEP-4960): refused before 1.33, dropped with the gate off (one warning), else
  // validated as validateStopSignal does (stop_signal.hpp).
  bool warnedStopSignal = false;
  for (const auto& ss : stopSignals_) {
    const auto verdict = kubelet::validateContainerStopSignal(v, sc_.kubelet.featureGates, ss.path, ss.signal, ss.os);
    if (!verdict.error.empty()) {
      file_ = ss.at.file;
      fail(ss.at.node, ss.at.path, verdict.error);  // strict decoding's message, too, behind the field's path
    }
    api::Pod& pod = sc_.pods[ss.pod].pod;
    api::Container& c = ss.init ? pod.initContainers[ss.index] : pod.containers[ss.index];
    if (verdict.dropped) {
      if (!warnedStopSignal) {
        warnedStopSignal = true;
        sc_.warnings.push_back(where(ss.at.file, ss.at.node) + ": " + ss.at.path + ": dropped by the API server (ContainerStopSignals off in Kubernetes " +
                               version + "): the containers stop with their image's STOPSIGNAL or SIGTERM; set spec.kubelet.featureGates "
                               "ContainerStopSignals: true to use it");
      }
      continue;
    }
    c.stopSignal = kubelet::stopSignalId(ss.signal);
  }

}

}  // namespace podsim::scenario::detail
