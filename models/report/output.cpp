// models/report/output.cpp: JSON lines and kubectl-style tables from a run's trace.
#include "models/report/output.hpp"

#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/stop_signal.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "models/report/logs.hpp"
#include "models/cluster/scheduling.hpp"
#include "models/kubelet/active_deadline.hpp"
#include "models/kubelet/event_messages.hpp"
#include "models/kubelet/printer.hpp"
#include "models/kubelet/resize.hpp"
#include "models/api/quantity.hpp"
#include "models/scenario/duration.hpp"
#include "models/report/rules.hpp"

namespace podsim::trace {

namespace {

using json = nlohmann::ordered_json;
using Kind = kubelet::ContainerStateValue::Kind;

double seconds(sim::Time t) { return sim::toSeconds(t); }

// Simulated time for the TIME column: Go duration syntax, truncated to milliseconds.
std::string clock(sim::Time t) { return scenario::formatDuration(t - t % sim::kMillisecond); }

std::string fieldPath(const api::Pod& pod, std::int32_t c) {
  if (c < 0) return "";
  const auto ci = static_cast<std::size_t>(c);
  const bool init = ci < pod.initContainers.size();
  return std::string(init ? "spec.initContainers{" : "spec.containers{") + pod.container(ci).name + "}";
}

json stateJson(const kubelet::ContainerStateValue& s) {
  json j;
  j["state"] = s.kind == Kind::Waiting ? "waiting" : s.kind == Kind::Running ? "running" : "terminated";
  j["reason"] = s.reason == api::Reason::None ? json(nullptr) : json(std::string(api::toString(s.reason)));
  j["exitCode"] = s.kind == Kind::Terminated ? json(s.exitCode) : json(nullptr);
  j["startedAt"] = s.startedAt >= 0 ? json(seconds(s.startedAt)) : json(nullptr);
  j["finishedAt"] = s.kind == Kind::Terminated && s.finishedAt >= 0 ? json(seconds(s.finishedAt)) : json(nullptr);
  return j;
}

std::string imageName(const engine::Simulation& sim, std::int32_t image) {
  const auto& images = sim.scenario().images;
  return image >= 0 && static_cast<std::size_t>(image) < images.size() ? images[static_cast<std::size_t>(image)] : "";
}

std::string readyColumn(const kubelet::PrintedPod& p) { return fmt::format("{}/{}", p.ready, p.total); }

/// The Event's source component (the From column): who records an Event of this reason.
const char* eventSource(api::EventReason r) {
  switch (r) {
    case api::EventReason::Scheduled:
    case api::EventReason::FailedScheduling: return "default-scheduler";
    case api::EventReason::NodeNotReady: return "node-controller";
    case api::EventReason::TaintManagerEviction: return "taint-eviction-controller";
    default: return "kubelet";
  }
}

}  // namespace

// apimachinery/pkg/util/duration/duration.go HumanDuration.
std::string humanDuration(sim::Time d) {
  const std::int64_t secs = d / sim::kSecond;
  if (secs < -1) return "<invalid>";
  if (secs < 0) return "0s";
  if (secs < 60 * 2) return fmt::format("{}s", secs);
  const std::int64_t minutes = d / sim::kMinute;
  if (minutes < 10) {
    const std::int64_t s = secs % 60;
    return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
  }
  if (minutes < 60 * 3) return fmt::format("{}m", minutes);
  const std::int64_t hours = d / sim::kHour;
  if (hours < 8) {
    const std::int64_t m = minutes % 60;
    return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
  }
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) {
    const std::int64_t h = hours % 24;
    return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  return fmt::format("{}y", hours / 24 / 365);
}

std::string goQuote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\v': out += "\\v"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\x{:02x}", u);
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string execHookFailureMessage(const engine::Simulation& sim, std::int32_t podIndex, std::int32_t container, bool preStop) {
  const api::Pod& pod = sim.scenario().pods[static_cast<std::size_t>(podIndex)].pod;
  const api::Container& ctr = pod.container(static_cast<std::size_t>(container));
  const api::LifecycleHandler& h = preStop ? ctr.lifecycle.preStop : ctr.lifecycle.postStart;
  if (h.kind != api::HandlerKind::Exec) return "";
  const trace::Trace& tr = sim.trace();
  const trace::HookRecord* found = nullptr;
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::Hook || rec.pod != podIndex) continue;
    const trace::HookRecord& hr = tr.hookAt(rec);
    if (hr.container == container && hr.state == trace::HookState::Failed && hr.exitCode >= 0 &&
        (hr.hook == trace::HookKind::PreStop) == preStop) {
      found = &hr;
    }
  }
  if (found == nullptr) return "";
  std::string stdoutText, stderrText;
  for (std::int32_t i = 0; i < found->outCount; ++i) {
    const trace::HookOutputLine& l = tr.hookOutput()[static_cast<std::size_t>(found->outFirst + i)];
    (l.isStderr ? stderrText : stdoutText) += sim.scenario().logTexts[static_cast<std::size_t>(l.text)] + "\n";
  }
  std::string joined;
  for (const auto& w : h.command) joined += (joined.empty() ? "" : " ") + w;
  return fmt::format("Exec lifecycle hook ([{}]) for Container \"{}\" in Pod \"{}\" failed - error: command '{}' exited with {}: {}, "
                     "message: {}",
                     joined, ctr.name, sim.podRef(podIndex), joined, found->exitCode, stderrText,
                     goQuote(stdoutText + stderrText));
}

std::string containerStateMessage(const engine::Simulation& sim, std::int32_t podIndex, std::int32_t container,
                                  const kubelet::ContainerStateValue& s) {
  const api::Pod& pod = sim.scenario().pods[static_cast<std::size_t>(podIndex)].pod;
  switch (s.reason) {
    case api::Reason::PostStartHookError:
      return s.kind == Kind::Waiting ? execHookFailureMessage(sim, podIndex, container, false) : "";
    case api::Reason::CrashLoopBackOff:
      if (s.kind != Kind::Waiting) return "";
      return fmt::format("back-off {} restarting failed container={} pod={}", scenario::formatDuration(s.backoff),
                         pod.container(static_cast<std::size_t>(container)).name, sim.podRef(podIndex));
    case api::Reason::ContainerStatusUnknown:
      return s.kind == Kind::Terminated ? "The container could not be located when the pod was terminated" : "";
    default: return "";
  }
}

std::string restartsColumn(const kubelet::PrintedPod& p, sim::Time now) {
  if (p.restarts != 0 && p.lastRestart >= 0) {
    return fmt::format("{} ({} ago)", p.restarts, humanDuration(kubelet::printPodRestartAge(now, p.lastRestart)));
  }
  return std::to_string(p.restarts);
}

namespace {

/// The Pod's metadata.generation at `t`: 1 at creation, one more for each spec change the scenario's actions
/// made by then (updateImage, updatePod, resizeContainer). Source: pkg/registry/core/pod/strategy.go
/// PrepareForCreate, updatePodGeneration.
std::int64_t podGeneration(const scenario::Scenario& sc, std::int32_t pod, sim::Time t) {
  std::int64_t g = 1;
  for (const auto& a : sc.actions) {
    if (a.pod != pod || a.at > t) continue;
    if (a.kind == scenario::ActionKind::UpdateImage || a.kind == scenario::ActionKind::UpdatePod ||
        a.kind == scenario::ActionKind::ResizeContainer) {
      ++g;
    }
  }
  return g;
}

/// json.Marshal of pkg/kubelet/events/resize.go podResourceSummary (1.35+; 1.34's allocation_manager.go has
/// only the containers): every container's spec resources at `t` (the manifest's, with the resizes fired by
/// then), the generation and the error. Keys as Go writes them: limits before requests, cpu before memory.
std::string resizeSummary(const engine::Simulation& sim, std::int32_t podIndex, sim::Time t, std::int64_t generation,
                          const std::string& error) {
  const scenario::Scenario& sc = sim.scenario();
  const api::Pod& pod = sc.pods[static_cast<std::size_t>(podIndex)].pod;
  const bool withGeneration = sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 35};
  auto list = [](const api::ResourceList& l) {
    std::string s;
    if (l.cpuMilli >= 0) s += "\"cpu\":\"" + api::canonicalQuantity(l.cpuMilli, 3, "") + "\"";
    if (l.memoryBytes >= 0) s += std::string(s.empty() ? "" : ",") + "\"memory\":\"" + api::canonicalQuantity(l.memoryBytes, 0, "Mi") + "\"";
    return s;
  };
  auto containers = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to; ++i) {
      api::ResourceRequirements r = pod.container(i).resources;
      for (const auto& a : sc.actions) {
        if (a.kind == scenario::ActionKind::ResizeContainer && a.pod == podIndex && a.container == static_cast<std::int32_t>(i) && a.at <= t) {
          r = kubelet::applyResize(r, a.resources);
        }
      }
      const std::string lim = list(r.limits), req = list(r.requests);
      std::string res;
      if (!lim.empty()) res += "\"limits\":{" + lim + "}";
      if (!req.empty()) res += std::string(res.empty() ? "" : ",") + "\"requests\":{" + req + "}";
      s += std::string(s.empty() ? "" : ",") + "{\"name\":\"" + pod.container(i).name + "\",\"resources\":{" + res + "}}";
    }
    return s;
  };
  const std::size_t nInit = pod.initContainers.size();
  std::string j;
  if (nInit != 0) j += "\"initContainers\":[" + containers(0, nInit) + "]";
  if (!pod.containers.empty()) j += std::string(j.empty() ? "" : ",") + "\"containers\":[" + containers(nInit, pod.containerCount()) + "]";
  if (withGeneration) {
    j += std::string(j.empty() ? "" : ",") + "\"generation\":" + std::to_string(generation);
    if (!error.empty()) j += ",\"error\":\"" + error + "\"";
  }
  return "{" + j + "}";
}

}  // namespace

/// The message of an in-place resize Event recorded at `t` (pkg/kubelet/events/resize.go).
static std::string resizeEventMessage(const engine::Simulation& sim, std::int32_t podIndex, const EventRecord& ev, sim::Time t) {
  const scenario::Scenario& sc = sim.scenario();
  switch (ev.reason) {
    case api::EventReason::ResizeCompleted:
      return "Pod resize completed: " + resizeSummary(sim, podIndex, t, podGeneration(sc, podIndex, ev.a), "");
    case api::EventReason::ResizeDeferred:
    case api::EventReason::ResizeInfeasible: {
      std::int64_t capacity = 0;
      if (ev.node >= 0 && static_cast<std::size_t>(ev.node) < sc.nodes.size()) {
        const api::ResourceList& a = sc.nodes[static_cast<std::size_t>(ev.node)].allocatable;
        capacity = ev.willRestart ? a.memoryBytes : a.cpuMilli;
      }
      const char* resource = ev.willRestart ? "memory" : "cpu";
      const std::string error =
          ev.reason == api::EventReason::ResizeInfeasible
              ? fmt::format("Node didn't have enough capacity: {}, requested: {}, capacity: {}", resource, ev.a, capacity)
              : fmt::format("Node didn't have enough resource: {}, requested: {}, used: {}, capacity: {}", resource, ev.a, ev.b, capacity);
      return fmt::format("Pod resize {}: {}", ev.reason == api::EventReason::ResizeInfeasible ? "Infeasible" : "Deferred",
                         resizeSummary(sim, podIndex, t, podGeneration(sc, podIndex, t), error));
    }
    default:
      return "Pod resize started: " + resizeSummary(sim, podIndex, t, podGeneration(sc, podIndex, t), "");
  }
}

std::string eventMessage(const engine::Simulation& sim, std::int32_t podIndex, const EventRecord& ev, sim::Time t) {
  const auto& entry = sim.scenario().pods[static_cast<std::size_t>(podIndex)];
  const api::Pod& pod = entry.pod;
  const std::string cname = ev.container >= 0 ? pod.container(static_cast<std::size_t>(ev.container)).name : "";
  const bool init = ev.container >= 0 && static_cast<std::size_t>(ev.container) < pod.initContainers.size();
  const std::string image = imageName(sim, ev.image);
  switch (ev.message) {
    case EventMessage::Scheduled:
      return fmt::format("Successfully assigned {} to {}", pod.key(), sim.nodeNames()[static_cast<std::size_t>(ev.node)]);
    case EventMessage::Pulling: return fmt::format("Pulling image \"{}\"", image);
    case EventMessage::PulledPresent: return fmt::format("Container image \"{}\" already present on machine", image);
    case EventMessage::PulledSuccess: {
      // pkg/kubelet/images/image_manager.go EnsureImageExists: both durations truncated to ms (the pull's own
      // is whole ms already), time.Duration's String form; the size from 1.30 (pulledMessageHasImageSize).
      const sim::Time waited = ev.b - ev.b % sim::kMillisecond;
      std::string m = fmt::format("Successfully pulled image \"{}\" in {} ({} including waiting)", image,
                                  scenario::formatDuration(ev.a), scenario::formatDuration(waited));
      const std::int64_t size = ev.image >= 0 ? sim.scenario().imageBehaviors[static_cast<std::size_t>(ev.image)].sizeBytes : -1;
      if (size >= 0 && kubelet::pulledMessageHasImageSize(sim.scenario().kubernetesVersion)) {
        m += fmt::format(". Image size: {} bytes.", size);
      }
      return m;
    }
    case EventMessage::PullFailed: {
      const auto& ib = sim.scenario().imageBehaviors[static_cast<std::size_t>(ev.image)];
      if (!ib.pullErrorMessage.empty()) return fmt::format("Failed to pull image \"{}\": {}", image, ib.pullErrorMessage);
      if (ev.detail == api::Reason::RegistryUnavailable) {
        return fmt::format("Failed to pull image \"{}\": failed to resolve reference \"{}\": registry unavailable", image, image);
      }
      if (ev.a == 1) {  // an injected transient failure (spec.faults): the registry answered, but with an error
        return fmt::format("Failed to pull image \"{}\": rpc error: code = Unknown desc = failed to pull and unpack image \"{}\": "
                           "failed to resolve reference \"{}\": unexpected status from HEAD request: 503 Service Unavailable",
                           image, image, image);
      }
      return fmt::format("Failed to pull image \"{}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{}\": not found",
                         image, image);
    }
    case EventMessage::StartError: return fmt::format("Error: {}", api::toString(ev.detail));
    case EventMessage::PullBackOff: return fmt::format("Back-off pulling image \"{}\"", image);
    case EventMessage::NeverPull:
      return fmt::format("Container image \"{}\" is not present with pull policy of Never", image);
    case EventMessage::Created:
      switch (kubelet::containerEventText(sim.scenario().kubernetesVersion)) {
        case kubelet::ContainerEventText::Plain: return "Container created";
        case kubelet::ContainerEventText::Named: return fmt::format("Created container: {}", cname);
        case kubelet::ContainerEventText::NamedNoColon: return fmt::format("Created container {}", cname);
      }
      return "Container created";
    case EventMessage::Started:
      if (kubelet::containerEventText(sim.scenario().kubernetesVersion) == kubelet::ContainerEventText::Plain) {
        return "Container started";
      }
      return fmt::format("Started container {}", cname);
    case EventMessage::Killing: {
      // kuberuntime_manager.go computePodActions / kuberuntime_container.go killContainer messages.
      const char* who = init ? "Init container" : "Container";
      std::string m;
      switch (ev.kill) {
        case kubelet::KillReason::None: return fmt::format("Stopping container {}", cname);
        case kubelet::KillReason::DefinitionChanged: m = fmt::format("{} {} definition changed", who, cname); break;
        case kubelet::KillReason::LivenessProbe: m = fmt::format("{} {} failed liveness probe", who, cname); break;
        case kubelet::KillReason::StartupProbe: m = fmt::format("{} {} failed startup probe", who, cname); break;
        case kubelet::KillReason::Unknown:
          m = init ? "Init container is in \"Unknown\" state, try killing it before restart"
                   : "Container is in unknown state, try killing it before restart";
          break;
        case kubelet::KillReason::FailedPostStartHook: return "FailedPostStartHook";
        case kubelet::KillReason::ResizeRestart: return fmt::format("Container {} resize requires restart", cname);
      }
      if (ev.willRestart && !init) m += ", will be restarted";
      return m;
    }
    case EventMessage::InspectFailed:
      return fmt::format(
          "Failed to apply default image tag \"{}\": couldn't parse image name \"{}\": invalid reference format: "
          "repository name must be lowercase",
          image, image);
    case EventMessage::ProbeFailed: {
      static const char* const kinds[3] = {"Startup", "Liveness", "Readiness"};
      const api::Container& spec = pod.container(static_cast<std::size_t>(ev.container));
      const std::optional<api::Probe>* probes[3] = {&spec.startupProbe, &spec.livenessProbe, &spec.readinessProbe};
      const auto type = static_cast<std::size_t>(ev.a);
      const api::HandlerKind h = probes[type]->has_value() ? (*probes[type])->kind : api::HandlerKind::Exec;
      std::string output;
      if (ev.b != 0) {
        output = h == api::HandlerKind::Exec ? "command timed out" : "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
      } else {
        switch (h) {
          case api::HandlerKind::HttpGet: output = "HTTP probe failed with statuscode: 503"; break;
          case api::HandlerKind::TcpSocket: output = "dial tcp: connect: connection refused"; break;
          case api::HandlerKind::Grpc: output = "service unhealthy (responded with \"NOT_SERVING\")"; break;
          default: output = ""; break;
        }
      }
      return fmt::format("{} probe failed: {}", kinds[type], output);
    }
    case EventMessage::PostStartFailed: return "PostStartHook failed";
    case EventMessage::FailedScheduling: {
      std::vector<cluster::FitFailure> perNode;
      for (int f = 1; f <= 5; ++f) {
        const auto n = static_cast<int>((ev.a >> (12 * (f - 1))) & 0xfff);
        for (int k = 0; k < n; ++k) perNode.push_back(static_cast<cluster::FitFailure>(f));
      }
      while (perNode.size() < static_cast<std::size_t>(ev.b)) perNode.push_back(cluster::FitFailure::None);
      return cluster::failedSchedulingMessage(perNode);
    }
    case EventMessage::NodeNotReady: return "Node is not ready";
    case EventMessage::TaintEviction: return fmt::format("Marking for deletion Pod {}", pod.key());
    case EventMessage::DeadlineExceeded: return std::string(kubelet::kDeadlineExceededMessage);
    case EventMessage::Resize: return resizeEventMessage(sim, podIndex, ev, t);
    case EventMessage::PreStopFailed: return "PreStopHook failed";
    case EventMessage::RestartBackOff:
      return fmt::format("Back-off restarting failed container {} in pod {}", cname, sim.podRef(podIndex));
  }
  return "";
}

void writeJsonl(std::ostream& out, const engine::Simulation& sim, bool withRules) {
  const auto& sc = sim.scenario();
  const Trace& tr = sim.trace();
  RuleExplainer rules(sim);
  for (const Record& r : tr.records()) {
    if (r.type == RecordType::Signal) continue;  // podsim's own record (the timeline's), not in interface.md §2
    json j;
    j["t"] = seconds(r.t);
    const api::Pod* pod = r.pod >= 0 ? &sc.pods[static_cast<std::size_t>(r.pod)].pod : nullptr;
    switch (r.type) {
      case RecordType::ContainerStatus: {
        const ContainerStatusRecord& c = tr.containerStatusAt(r);
        const auto ci = static_cast<std::size_t>(c.container);
        j["type"] = "ContainerStatus";
        j["pod"] = pod->key();
        j["container"] = pod->container(ci).name;
        j["containerType"] = api::traceName(pod->containerType(ci));
        j["image"] = imageName(sim, c.status.imageId);
        const json state = stateJson(c.status.state);
        for (const auto& [k, v] : state.items()) j[k] = v;
        j["restartCount"] = c.status.restartCount;
        j["started"] = c.status.started;
        j["ready"] = c.status.ready;
        if (std::string m = containerStateMessage(sim, r.pod, c.container, c.status.state); !m.empty()) j["message"] = m;
        // ContainerStopSignals on: the runtime's stop signal, for a container the runtime has (toKubeContainerStatus).
        if (const auto& stop = sc.pods[static_cast<std::size_t>(r.pod)].statusStopSignals; !stop.empty() && c.status.containerID != 0) {
          j["stopSignal"] = std::string(kubelet::stopSignalName(stop[ci]));
        }
        if (c.status.hasLastState) {
          j["lastState"] = stateJson(c.status.lastState);
          if (std::string m = containerStateMessage(sim, r.pod, c.container, c.status.lastState); !m.empty()) {
            j["lastState"]["message"] = m;
          }
        }
        break;
      }
      case RecordType::PodStatus: {
        const PodStatusRecord& p = tr.podStatusAt(r);
        j["type"] = "PodStatus";
        j["pod"] = pod->key();
        j["phase"] = std::string(api::toString(p.phase));
        j["reason"] = p.reason == api::Reason::None ? json(nullptr) : json(std::string(api::toString(p.reason)));
        j["status"] = p.printed.status();
        j["ready"] = readyColumn(p.printed);
        j["restarts"] = p.printed.restarts;
        j["node"] = p.node >= 0 ? json(sim.nodeNames()[static_cast<std::size_t>(p.node)]) : json(nullptr);
        json conds = json::object();
        for (std::size_t i = 0; i < p.conditions.size(); ++i) {
          if (!p.conditions[i].present) continue;
          conds[std::string(kubelet::toString(static_cast<kubelet::ConditionType>(i)))] =
              p.conditions[i].status ? "True" : "False";
        }
        // The conditions outside controllers set (setPodCondition; spec.readinessGates), only when present.
        for (std::size_t slot = 0; p.customConditions != 0 && slot < sc.podConditionTypes.size(); ++slot) {
          const auto st = kubelet::customCondition(p.customConditions, slot);
          if (st != kubelet::CustomConditionStatus::Absent) conds[sc.podConditionTypes[slot]] = std::string(kubelet::toString(st));
        }
        j["conditions"] = conds;
        if (p.reason == api::Reason::DeadlineExceeded) j["message"] = std::string(kubelet::kDeadlineExceededMessage);
        break;
      }
      case RecordType::PodRemoved:
        j["type"] = "PodRemoved";
        j["pod"] = pod->key();
        break;
      case RecordType::Event: {
        const EventRecord& e = tr.eventAt(r);
        j["type"] = "Event";
        j["pod"] = pod->key();
        j["container"] = e.container >= 0 ? json(pod->container(static_cast<std::size_t>(e.container)).name) : json(nullptr);
        j["reason"] = std::string(api::toString(e.reason));
        j["message"] = eventMessage(sim, r.pod, e, r.t);
        j["eventType"] = e.warning ? "Warning" : "Normal";
        j["fieldPath"] = e.container >= 0 ? json(fieldPath(*pod, e.container)) : json(nullptr);
        break;
      }
      case RecordType::Signal: break;
      case RecordType::Action: {
        const scenario::Action& a = sc.actions[r.row];
        j["type"] = "Action";
        j["pod"] = pod != nullptr ? json(pod->key()) : json(nullptr);
        j["action"] = a.name;
        for (const auto& [k, v] : a.arguments) {
          // setPodCondition's `type` would replace the record's own `type`: written as the API's conditionType.
          if (k == "resources" && a.kind == scenario::ActionKind::ResizeContainer) j[k] = json::parse(v);  // an object
          else if (k != "pod") j[k == "type" ? "conditionType" : k] = v;
        }
        break;
      }
      case RecordType::Log: {
        const LogRecord& l = tr.logAt(r);
        j["type"] = "Log";
        j["pod"] = pod->key();
        j["container"] = pod->container(static_cast<std::size_t>(l.container)).name;
        j["restartCount"] = l.restartCount;
        j["stream"] = l.isStderr ? "stderr" : "stdout";
        j["text"] = logLine(sc, l.text, r.t);
        break;
      }
      case RecordType::Hook: {
        const HookRecord& h = tr.hookAt(r);
        j["type"] = "Hook";
        j["pod"] = pod->key();
        j["container"] = pod->container(static_cast<std::size_t>(h.container)).name;
        j["hook"] = h.hook == HookKind::PostStart ? "postStart" : "preStop";
        j["state"] = h.state == HookState::Started ? "started" : h.state == HookState::Finished ? "finished" : "failed";
        break;
      }
    }
    if (withRules) j["rule"] = rules.explain(r);
    out << j.dump() << '\n';
  }
}

void writeTable(std::ostream& out, const engine::Simulation& sim, bool explain) {
  const auto& sc = sim.scenario();
  const Trace& tr = sim.trace();
  struct Line {
    std::string time, name, ready, status, restarts, age, rule;
  };
  const std::vector<std::string> rules = explain ? explainTrace(sim) : std::vector<std::string>{};
  std::vector<Line> lines;
  std::vector<std::int32_t> lastIndex(sc.pods.size(), -1);
  std::vector<kubelet::PrintedPod> last(sc.pods.size());
  std::vector<sim::Time> createdAt(sc.pods.size(), 0);
  for (std::size_t ri = 0; ri < tr.records().size(); ++ri) {
    const Record& r = tr.records()[ri];
    if (r.type != RecordType::PodStatus && r.type != RecordType::PodRemoved) continue;
    const auto p = static_cast<std::size_t>(r.pod);
    if (r.type == RecordType::PodRemoved) {
      // kubectl get.go watch prints the object of every watch event, DELETED included, with the same
      // printer and no marker (the event type shows only with --output-watch-events): the last row again.
      lines.push_back({clock(r.t), sc.pods[p].pod.name, readyColumn(last[p]),
                       last[p].status(), restartsColumn(last[p], r.t), humanDuration(r.t - createdAt[p]),
                       explain ? rules[ri] : ""});
      continue;
    }
    const PodStatusRecord& ps = tr.podStatusAt(r);
    if (lastIndex[p] < 0) createdAt[p] = r.t;
    if (lastIndex[p] >= 0 && ps.printed.status() == last[p].status() && ps.printed.ready == last[p].ready &&
        ps.printed.total == last[p].total && ps.printed.restarts == last[p].restarts) {
      last[p] = ps.printed;
      continue;
    }
    last[p] = ps.printed;
    lastIndex[p] = 1;
    lines.push_back({clock(r.t), sc.pods[p].pod.name, readyColumn(ps.printed), ps.printed.status(),
                     restartsColumn(ps.printed, r.t), humanDuration(r.t - createdAt[p]), explain ? rules[ri] : ""});
  }
  const auto views = sim.views();
  const sim::Time end = sim.now();
  std::vector<Line> final;
  for (const auto& v : views) {
    if (v.removed) continue;
    final.push_back({clock(end), v.pod->name, readyColumn(v.printed), v.printed.status(),
                     restartsColumn(v.printed, end), humanDuration(end - v.createdAt), ""});
  }
  std::size_t w[6] = {4, 4, 5, 6, 8, 3};
  for (const auto* set : {&lines, &final}) {
    for (const Line& l : *set) {
      w[0] = std::max(w[0], l.time.size());
      w[1] = std::max(w[1], l.name.size());
      w[2] = std::max(w[2], l.ready.size());
      w[3] = std::max(w[3], l.status.size());
      w[4] = std::max(w[4], l.restarts.size());
    }
  }
  const auto row = [&](const Line& l) {
    out << fmt::format("{:<{}}   {:<{}}   {:<{}}   {:<{}}   {:<{}}   {}", l.time, w[0], l.name, w[1], l.ready, w[2],
                       l.status, w[3], l.restarts, w[4], l.age);
    if (explain && !l.rule.empty()) out << fmt::format("{:<{}}   # {}", "", l.age.size() < 6 ? 6 - l.age.size() : 0, l.rule);
    out << '\n';
  };
  const Line header{"TIME", "NAME", "READY", "STATUS", "RESTARTS", "AGE", ""};
  out << fmt::format("# {}: kubectl get pods -w\n", sc.name.empty() ? sc.file : sc.name);
  // podsim's own additions are marked as such: kubectl prints neither the TIME column nor the rules.
  out << "# TIME is podsim's column (simulated time of each line); kubectl get pods -w has no such column\n";
  if (explain) out << "# after each line, after '#': podsim --explain, the kubelet rule behind it (not kubectl output)\n";
  row(header);
  for (const Line& l : lines) row(l);
  out << fmt::format("\n# at the end of the run ({}): kubectl get pods\n", scenario::formatDuration(end));
  row(header);
  for (const Line& l : final) row(l);

  // kubectl describe pod: Events at the end of the run.
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    out << fmt::format("\n# kubectl describe pod {}\n", sc.pods[p].pod.name);
    writeEvents(out, describeEvents(sim, static_cast<std::int32_t>(p), end));
  }
}

std::vector<AggregatedEvent> aggregateEvents(const engine::Simulation& sim, std::int32_t pod, sim::Time now) {
  const auto& sc = sim.scenario();
  if (pod >= 0) (void)sc.pods.at(static_cast<std::size_t>(pod));
  const Trace& tr = sim.trace();
  std::vector<AggregatedEvent> aggs;
  std::map<std::string, std::size_t> byKey;  // ordered: output never depends on hashing
  for (const Record& r : tr.records()) {
    if (r.t > now) break;
    if (r.type != RecordType::Event || (pod >= 0 && r.pod != pod)) continue;
    const api::Pod& spec = sc.pods[static_cast<std::size_t>(r.pod)].pod;
    const EventRecord& e = tr.eventAt(r);
    AggregatedEvent a{r.pod, e.warning ? "Warning" : "Normal", std::string(api::toString(e.reason)), eventSource(e.reason),
                      eventMessage(sim, r.pod, e, r.t), fieldPath(spec, e.container), r.t, r.t, 1};
    // events_cache.go getEventKey: source, involved object (with fieldPath), type, reason, message.
    const std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", a.from, spec.key(), a.fieldPath, a.type, a.reason, a.message);
    const auto it = byKey.find(key);
    if (it == byKey.end()) {
      byKey.emplace(key, aggs.size());
      aggs.push_back(std::move(a));
    } else {
      aggs[it->second].last = r.t;
      ++aggs[it->second].count;
    }
  }
  return aggs;
}

std::vector<DescribedEvent> describeEvents(const engine::Simulation& sim, std::int32_t pod, sim::Time now) {
  std::vector<AggregatedEvent> aggs = aggregateEvents(sim, pod, now);
  std::stable_sort(aggs.begin(), aggs.end(), [](const AggregatedEvent& a, const AggregatedEvent& b) { return a.last < b.last; });
  std::vector<DescribedEvent> rows;
  rows.reserve(aggs.size());
  for (AggregatedEvent& a : aggs) {
    std::string age = humanDuration(now - a.last);
    if (a.count > 1) age += fmt::format(" (x{} over {})", a.count, humanDuration(now - a.first));
    rows.push_back({std::move(a.type), std::move(a.reason), std::move(age), std::move(a.from), std::move(a.message)});
  }
  return rows;
}

void writeGetEvents(std::ostream& out, const engine::Simulation& sim, sim::Time now, std::int32_t pod) {
  const auto& sc = sim.scenario();
  std::vector<AggregatedEvent> aggs = aggregateEvents(sim, pod, now);
  // The API server lists events by name, "<pod>.<first timestamp in hex>" (client-go record makeEvent), and
  // kubectl get does not sort them: by pod name, then by first occurrence.
  std::stable_sort(aggs.begin(), aggs.end(), [&](const AggregatedEvent& a, const AggregatedEvent& b) {
    const std::string& na = sc.pods[static_cast<std::size_t>(a.pod)].pod.name;
    const std::string& nb = sc.pods[static_cast<std::size_t>(b.pod)].pod.name;
    return na != nb ? na < nb : a.first < b.first;
  });
  if (aggs.empty()) {
    out << "No resources found in default namespace.\n";
    return;
  }
  struct Row {
    std::string seen, type, reason, object, message;
  };
  std::vector<Row> rows{{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}};
  for (const AggregatedEvent& a : aggs) {
    rows.push_back({humanDuration(now - a.last), a.type, a.reason, "pod/" + sc.pods[static_cast<std::size_t>(a.pod)].pod.name, a.message});
  }
  std::size_t w[4] = {0, 0, 0, 0};
  for (const Row& r : rows) {
    w[0] = std::max(w[0], r.seen.size());
    w[1] = std::max(w[1], r.type.size());
    w[2] = std::max(w[2], r.reason.size());
    w[3] = std::max(w[3], r.object.size());
  }
  // kubectl's table printer: columns three spaces apart, the last one unpadded.
  for (const Row& r : rows) {
    out << fmt::format("{:<{}}   {:<{}}   {:<{}}   {:<{}}   {}\n", r.seen, w[0], r.type, w[1], r.reason, w[2], r.object, w[3], r.message);
  }
}

void writeEvents(std::ostream& out, const std::vector<DescribedEvent>& events, std::size_t nonePadding) {
  if (events.empty()) {
    out << "Events:" << std::string(nonePadding, ' ') << "<none>\n";
    return;
  }
  // text/tabwriter: a column is as wide as its widest cell, header and "----" rule included, plus 2.
  std::size_t wt = 4, wr = 6, wa = 4, wf = 4;
  for (const DescribedEvent& e : events) {
    wt = std::max(wt, e.type.size());
    wr = std::max(wr, e.reason.size());
    wa = std::max(wa, e.age.size());
    wf = std::max(wf, e.from.size());
  }
  const auto row = [&](std::string_view t, std::string_view r, std::string_view a, std::string_view f, std::string_view m) {
    out << fmt::format("  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", t, wt, r, wr, a, wa, f, wf, m);
  };
  out << "Events:\n";
  row("Type", "Reason", "Age", "From", "Message");
  row("----", "------", "----", "----", "-------");
  for (const DescribedEvent& e : events) row(e.type, e.reason, e.age, e.from, e.message);
}

}  // namespace podsim::trace
