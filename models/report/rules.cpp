// models/report/rules.cpp: the rule behind each trace record, derived from the record and the ones before it.
//
// Owns the wording only; every Kubernetes source named here is the one the engine's or models/kubelet's
// code names for the same decision. Does not re-decide anything.
#include "models/report/rules.hpp"

#include "models/kubelet/readiness_gates.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "models/engine/simulation.hpp"
#include "models/kubelet/config.hpp"
#include "models/kubelet/restart_rules.hpp"
#include "models/scenario/duration.hpp"

namespace podsim::trace {

namespace {

using Kind = kubelet::ContainerStateValue::Kind;
using api::Reason;

constexpr const char* kConvert = "pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses";
constexpr const char* kPrintPod = "pkg/printers/internalversion/printers.go printPod";
constexpr const char* kGetPhase = "pkg/kubelet/kubelet_pods.go getPhase";
constexpr const char* kBackOff = "pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff";
constexpr const char* kImages = "pkg/kubelet/images/image_manager.go EnsureImageExists";
constexpr const char* kStart = "pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer";
constexpr const char* kKill = "pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer";
constexpr const char* kRestart = "pkg/kubelet/container/helpers.go ShouldContainerBeRestarted";
constexpr const char* kShouldRestart = "pkg/api/v1/pod/util.go ContainerShouldRestart";
constexpr const char* kProber = "pkg/kubelet/prober/prober_manager.go UpdatePodStatus";
constexpr const char* kGenerate = "pkg/kubelet/status/generate.go";

std::string dur(sim::Time t) { return scenario::formatDuration(t); }

/// A back-off as the kubelet's rule states it: "40 s" (whole seconds), else Go duration syntax.
std::string secs(sim::Time t) { return t % sim::kSecond == 0 ? fmt::format("{} s", t / sim::kSecond) : dur(t); }

const char* typeWord(api::ContainerType t) {
  switch (t) {
    case api::ContainerType::Init: return "init container";
    case api::ContainerType::Sidecar: return "sidecar";
    case api::ContainerType::Regular: return "container";
  }
  return "container";
}

const char* killWhy(kubelet::KillReason k) {
  switch (k) {
    case kubelet::KillReason::None: return "the pod is terminating";
    case kubelet::KillReason::DefinitionChanged: return "its definition (image) changed";
    case kubelet::KillReason::LivenessProbe: return "its liveness probe failed failureThreshold times";
    case kubelet::KillReason::StartupProbe: return "its startup probe failed failureThreshold times";
    case kubelet::KillReason::Unknown: return "its state is unknown";
    case kubelet::KillReason::FailedPostStartHook: return "its postStart hook failed";
    case kubelet::KillReason::ResizeRestart: return "an in-place resize changed a resource whose resizePolicy is RestartContainer";
  }
  return "the pod is terminating";
}

/// What decided whether a sidecar or regular container that exited with `exitCode` restarts, and the decision,
/// as kubelet::ShouldContainerBeRestarted makes it under the version's gates (ContainerRestartRules,
/// RestartAllContainersOnContainerExits): a matching `restartPolicyRules` entry, else the container's own
/// restartPolicy, else the pod's. A sidecar is always restarted (kuberuntime_container.go
/// computeInitContainerActions restarts a restartable init container whatever its exit code).
/// `because` is the words for it: "restartPolicyRules[0] (Restart on exit codes In [42]) matches exit code 42",
/// "restartPolicy Never". Source: pkg/api/v1/pod/util.go ContainerShouldRestart, FindMatchingContainerRestartRule.
struct RestartReading {
  bool restarts = false;
  bool restartsAll = false;  // the matching rule's action is RestartAllContainers
  std::string because;
};

RestartReading readRestart(const api::Pod& pod, std::size_t ci, std::int32_t exitCode, const kubelet::Features& f) {
  const api::Container& c = pod.container(ci);
  if (pod.containerType(ci) == api::ContainerType::Sidecar) return {true, false, "restartPolicy Always (a sidecar)"};
  RestartReading r;
  r.restarts = kubelet::ShouldContainerBeRestarted(c, pod.restartPolicy, false, kubelet::RuntimeContainerState::Exited,
                                                   exitCode, f.containerRestartRules, f.restartAllContainers);
  if (f.containerRestartRules && c.restartPolicy) {
    if (const api::ContainerRestartRule* rule = kubelet::FindMatchingContainerRestartRule(c, exitCode)) {
      const bool all = rule->action == api::ContainerRestartRuleAction::RestartAllContainers;
      if (rule->action == api::ContainerRestartRuleAction::Restart || (all && f.restartAllContainers)) {
        r.restartsAll = all;
        r.because = fmt::format("restartPolicyRules[{}] ({} on exit codes {} [{}]) matches exit code {}",
                                rule - c.restartPolicyRules.data(), all ? "RestartAllContainers" : "Restart",
                                rule->exitCodes->op == api::ContainerRestartRuleOnExitCodesOperator::NotIn ? "NotIn" : "In",
                                fmt::join(rule->exitCodes->values, ", "), exitCode);
        return r;
      }
    }
    r.because = c.restartPolicyRules.empty()
                    ? fmt::format("the container's own restartPolicy {}", api::apiName(*c.restartPolicy))
                    : fmt::format("no restartPolicyRules entry matches exit code {}, so the container's own restartPolicy {} "
                                  "decides",
                                  exitCode, api::apiName(*c.restartPolicy));
    return r;
  }
  r.because = fmt::format("restartPolicy {}", api::apiName(pod.restartPolicy));
  return r;
}

}  // namespace

/// Per-pod memory of the records seen so far.
struct PodMemory {
  std::vector<kubelet::ApiContainerStatus> containers;
  std::vector<bool> seen;
  std::vector<bool> killed;                     // a Killing event since the last start
  std::vector<kubelet::KillReason> killReason;
  bool havePod = false;
  PodStatusRecord pod;
  bool deleteRequested = false;
};

class RuleExplainerState {
 public:
  explicit RuleExplainerState(const engine::Simulation& s) : sim(s) {
    const auto& sc = sim.scenario();
    pods.resize(sc.pods.size());
    for (std::size_t p = 0; p < sc.pods.size(); ++p) {
      const std::size_t n = sc.pods[p].pod.containerCount();
      pods[p].containers.resize(n);
      pods[p].seen.assign(n, false);
      pods[p].killed.assign(n, false);
      pods[p].killReason.assign(n, kubelet::KillReason::None);
    }
  }

  std::string explain(const Record& r) {
    switch (r.type) {
      case RecordType::ContainerStatus: return containerStatus(r, sim.trace().containerStatusAt(r));
      case RecordType::PodStatus: return podStatus(r, sim.trace().podStatusAt(r));
      case RecordType::PodRemoved:
        return "PodRemoved: the kubelet finished terminating the pod and the status manager let the API delete it "
               "(pkg/kubelet/status/status_manager.go syncPod, canBeDeleted)";
      case RecordType::Event: return event(r, sim.trace().eventAt(r));
      case RecordType::Action: return action(r);
      case RecordType::Signal:
        return trace::Trace::signalAt(r).kill
                   ? "SIGKILL: the stop timeout max(grace left, 2 s) ran out before the process exited "
                     "(pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, StopContainer timeout)"
                   : "SIGTERM: the runtime's StopContainer, after preStop and, for a sidecar, after the containers "
                     "it outlives exited (kuberuntime_container.go killContainer, killContainersWithSyncResult)";
      case RecordType::Log:
        return "Log: a line the container's process wrote, kept by the container runtime per run of the container "
               "(CRI log file; kubectl logs reads it through pkg/kubelet/kubelet_pods.go GetKubeletContainerLogs)";
      case RecordType::Hook:
        return "Hook: the kubelet runs the lifecycle handler (pkg/kubelet/lifecycle/handlers.go HandlerRunner.Run): "
               "postStart after StartContainer, preStop before the stop signal "
               "(pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer, executePreStopHook)";
    }
    return "";
  }

 private:
  const api::Pod& podOf(std::int32_t p) const { return sim.scenario().pods[static_cast<std::size_t>(p)].pod; }

  std::string action(const Record& r) {
    const scenario::Action& a = sim.scenario().actions[r.row];
    if (a.kind == scenario::ActionKind::DeletePod && a.pod >= 0) pods[static_cast<std::size_t>(a.pod)].deleteRequested = true;
    std::string what;
    switch (a.kind) {
      case scenario::ActionKind::CreateService:
        what = "the Service object is created in the API and cluster DNS answers for its name, so scripts waiting on "
               "nslookup of it succeed (pkg/registry/core/service/storage/storage.go Create)";
        break;
      case scenario::ActionKind::DeleteService:
        what = "the Service object is deleted from the API and its name no longer resolves (pkg/registry/core/service/storage/storage.go Delete)";
        break;
      case scenario::ActionKind::KillContainer:
        what = "the container's process dies; the runtime reports it exited and the next PLEG relist tells the kubelet "
               "(pkg/kubelet/pleg/generic.go relist)";
        break;
      case scenario::ActionKind::DeletePod:
        what = "the API sets deletionTimestamp; the kubelet kills the containers with the grace period "
               "(pkg/kubelet/kubelet.go SyncTerminatingPod)";
        break;
      case scenario::ActionKind::UpdateImage:
        what = "the container's spec hash changes; computePodActions kills and restarts it "
               "(pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions)";
        break;
      case scenario::ActionKind::FailNode:
        what = "the node stops renewing its lease and posting status; the node lifecycle controller notices after the "
               "grace period (pkg/controller/nodelifecycle/node_lifecycle_controller.go monitorNodeHealth)";
        break;
      case scenario::ActionKind::RecoverNode:
        what = "the node posts Ready status again (pkg/controller/nodelifecycle/node_lifecycle_controller.go monitorNodeHealth)";
        break;
      case scenario::ActionKind::RestartKubelet:
        what = "the kubelet restarts: its back-off and probe state is in memory and starts empty, containers keep running "
               "(pkg/kubelet/kubelet.go Run)";
        break;
      case scenario::ActionKind::CreatePod:
        what = "the Pod object is created in the API in phase Pending (pkg/registry/core/pod/strategy.go PrepareForCreate)";
        break;
      case scenario::ActionKind::UpdatePod:
        what = "the Pod's spec.activeDeadlineSeconds is set or lowered; the kubelet fails the pod once it has been active that "
               "long (pkg/kubelet/active_deadline.go)";
        break;
      case scenario::ActionKind::StopKubelet:
        what = "the kubelet process stops: nothing on the node reacts, containers keep running, the Lease is not renewed "
               "(pkg/kubelet/kubelet.go Run)";
        break;
      case scenario::ActionKind::RebootNode:
        what = "the node reboots: every container and pod sandbox dies at once, without grace; the kubelet comes back, "
               "finds the sandboxes not ready and creates new ones, running the init containers again "
               "(pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions podSandboxChanged)";
        break;
      case scenario::ActionKind::RemoveExitedContainers:
        what = "the container runtime forgets the pod's exited containers (container GC, crictl rm); the kubelet sees "
               "them gone at its next relist (pkg/kubelet/pleg/generic.go relist)";
        break;
      case scenario::ActionKind::ResizeContainer:
        what = "kubectl patch --subresource resize: the container's cpu/memory in the Pod spec change; the kubelet "
               "allocates them if the node fits (else PodResizePending Infeasible/Deferred) and applies them in place, "
               "or restarts the container where its resizePolicy says RestartContainer "
               "(pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize, "
               "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodResizeAction)";
        break;
      case scenario::ActionKind::StartKubelet:
        what = "the kubelet process starts again: its in-memory state starts empty, it relists the runtime and syncs every "
               "pod (pkg/kubelet/kubelet.go Run)";
        break;
      case scenario::ActionKind::SetPodCondition:
        what = "a controller sets the pod condition in the API status; the kubelet keeps conditions it does not own and, when "
               "the pod's Ready condition no longer matches its readiness gates, syncs the pod and regenerates Ready "
               "(pkg/kubelet/status/status_manager.go NeedToReconcilePodReadiness, status/generate.go GeneratePodReadyCondition)";
        break;
    }
    return fmt::format("Action {}: scenario spec.actions at {}: {}", a.name, dur(a.at), what);
  }

  std::string event(const Record& r, const EventRecord& e) {
    PodMemory& m = pods[static_cast<std::size_t>(r.pod)];
    const api::Pod& pod = podOf(r.pod);
    const auto ci = static_cast<std::size_t>(e.container);
    const std::string cname = e.container >= 0 ? pod.container(ci).name : "";
    switch (e.reason) {
      case api::EventReason::Scheduled:
        return "Scheduled: the scheduler bound the pod to a node that fits it (pkg/scheduler/schedule_one.go bind)";
      case api::EventReason::FailedScheduling:
        return "FailedScheduling: no node fits the pod (pkg/scheduler/schedule_one.go handleSchedulingFailure)";
      case api::EventReason::Pulling:
        return fmt::format("Pulling: image absent (or imagePullPolicy Always), the kubelet pulls it before creating {} ({})", cname, kImages);
      case api::EventReason::Pulled:
        if (e.message == EventMessage::PulledPresent) {
          return fmt::format("Pulled: the image is on the node and imagePullPolicy is not Always: no pull ({})", kImages);
        }
        return fmt::format("Pulled: the pull finished ({}; serializeImagePulls queues pulls one at a time)", kImages);
      case api::EventReason::Failed:
        if (e.message == EventMessage::PullFailed) {
          return fmt::format("Failed: the pull failed; ErrImagePull now, then ImagePullBackOff while the pull back-off runs ({})", kImages);
        }
        return fmt::format("Failed: starting {} failed with {} ({})", cname, api::toString(e.detail), kStart);
      case api::EventReason::BackOff:
        if (e.message == EventMessage::RestartBackOff) {
          return fmt::format("BackOff: {} exited and its restart is still inside its back-off of {} after FinishedAt ({})",
                             cname, secs(e.a), kBackOff);
        }
        return fmt::format("BackOff: the image pull of {} waits out its pull back-off ({}; client-go/util/flowcontrol/backoff.go)", cname, kImages);
      case api::EventReason::ErrImageNeverPull:
        return fmt::format("ErrImageNeverPull: imagePullPolicy Never and the image is not on the node ({})", kImages);
      case api::EventReason::InspectFailed:
        return fmt::format("InspectFailed: the image reference does not parse: InvalidImageName, retried at every sync ({})", kImages);
      case api::EventReason::Created:
        return fmt::format("Created: SyncPod step {}: the runtime created {} {} ({})",
                           pod.containerType(ci) == api::ContainerType::Regular ? "7" : "6", typeWord(pod.containerType(ci)),
                           cname, kStart);
      case api::EventReason::Started: {
        std::string s = fmt::format("Started: the runtime started {} {} ({})", typeWord(pod.containerType(ci)), cname, kStart);
        if (pod.container(ci).lifecycle.postStart.present()) {
          s += "; its postStart hook runs now and the sync waits for it before starting the next container";
        }
        return s;
      }
      case api::EventReason::Killing: {
        if (e.container >= 0) {
          m.killed[ci] = true;
          m.killReason[ci] = e.kill;
        }
        std::string s = fmt::format("Killing: {} is stopped because {}", cname, killWhy(e.kill));
        if (pod.container(ci).lifecycle.preStop.present()) s += "; preStop runs first, within the grace period";
        s += "; SIGTERM, then SIGKILL when the grace period ends (";
        s += e.kill == kubelet::KillReason::None ? std::string(kKill)
                                                 : "pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions; " + std::string(kKill);
        return s + ")";
      }
      case api::EventReason::Unhealthy: {
        static const char* const kinds[3] = {"startup", "liveness", "readiness"};
        const auto k = static_cast<std::size_t>(e.a) < 3 ? static_cast<std::size_t>(e.a) : 2;
        const char* then = k == 2 ? "after failureThreshold failures the container becomes not ready"
                                  : "after failureThreshold failures in a row the container is killed and restarted";
        return fmt::format("Unhealthy: a {} probe of {} failed{}; {} (pkg/kubelet/prober/worker.go doProbe, prober.go runProbe)",
                           kinds[k], cname, e.b != 0 ? " (timeoutSeconds passed)" : "", then);
      }
      case api::EventReason::FailedPostStartHook:
        return fmt::format("FailedPostStartHook: the postStart hook of {} failed; the kubelet kills the container ({})", cname, kStart);
      case api::EventReason::FailedPreStopHook:
        return fmt::format("FailedPreStopHook: the preStop hook of {} failed; termination goes on with SIGTERM ({} executePreStopHook)",
                           cname, kKill);
      case api::EventReason::NodeNotReady:
        return "NodeNotReady: the node stopped posting status; the node lifecycle controller marks its pods not ready "
               "(pkg/controller/nodelifecycle/node_lifecycle_controller.go, MarkPodsNotReady)";
      case api::EventReason::TaintManagerEviction:
        return "TaintManagerEviction: the pod does not tolerate the node's NoExecute taint (not-ready/unreachable, "
               "tolerationSeconds 300 by default) and is deleted (pkg/controller/tainteviction/taint_eviction.go)";
      case api::EventReason::Evicted:
        return "Evicted: the kubelet's eviction manager evicted the pod under node pressure (pkg/kubelet/eviction/eviction_manager.go)";
      case api::EventReason::DeadlineExceeded:
        return "DeadlineExceeded: activeDeadlineSeconds passed since the pod started; the pod fails (pkg/kubelet/active_deadline.go)";
      case api::EventReason::ExceededGracePeriod:
        return fmt::format("ExceededGracePeriod: a container outlived the grace period and gets SIGKILL ({})", kKill);
      case api::EventReason::ResizeStarted:
        return "ResizeStarted: the kubelet allocated the in-place resize; the pod's running containers get the new resources "
               "(pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize, pkg/kubelet/events/resize.go)";
      case api::EventReason::ResizeCompleted:
        return "ResizeCompleted: every running container has its allocated resources; PodResizeInProgress is cleared "
               "(pkg/kubelet/kubelet.go SyncPod, pkg/kubelet/events/resize.go)";
      case api::EventReason::ResizeDeferred:
        return "ResizeDeferred: the resize does not fit beside the node's other pods now; retried when room frees "
               "(pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize, pkg/kubelet/lifecycle/predicate.go)";
      case api::EventReason::ResizeInfeasible:
        return "ResizeInfeasible: the resize asks for more than the node's allocatable; it stays pending "
               "(pkg/kubelet/allocation/allocation_manager.go canResizePod)";
      case api::EventReason::SandboxChanged:
        return "SandboxChanged: the pod sandbox is gone and is re-created with all containers "
               "(pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions)";
      default:
        return fmt::format("{}: recorded by the kubelet (pkg/kubelet/events/event.go)", api::toString(e.reason));
    }
  }

  std::string waitingRule(const api::Pod& pod, std::size_t ci, const kubelet::ApiContainerStatus& s) {
    const std::string& name = pod.container(ci).name;
    switch (s.state.reason) {
      case Reason::ContainerCreating:
        return fmt::format("ContainerCreating: {} has no container in the runtime yet; the kubelet is pulling and creating it ({})",
                           name, kConvert);
      case Reason::PodInitializing:
        if (ci < pod.initContainers.size()) {
          return fmt::format("PodInitializing: init container {} has not been started yet; init containers start one at a time in spec order ({})",
                             name, kConvert);
        }
        return fmt::format("PodInitializing: {} waits until every init container has completed and every sidecar has started ({})",
                           name, kConvert);
      case Reason::CrashLoopBackOff:
        return fmt::format("CrashLoopBackOff: restart {} waits {} after FinishedAt ({})", s.restartCount + 1, secs(s.state.backoff), kBackOff);
      case Reason::ErrImagePull: return fmt::format("ErrImagePull: the pull of the image of {} failed ({})", name, kImages);
      case Reason::ImagePullBackOff:
        return fmt::format("ImagePullBackOff: the pull of the image of {} waits out its back-off (10s doubling to 300s) ({})", name, kImages);
      case Reason::ErrImageNeverPull:
        return fmt::format("ErrImageNeverPull: imagePullPolicy Never and the image of {} is absent ({})", name, kImages);
      case Reason::InvalidImageName: return fmt::format("InvalidImageName: the image reference of {} does not parse ({})", name, kImages);
      case Reason::RegistryUnavailable: return fmt::format("RegistryUnavailable: the registry of the image of {} does not answer ({})", name, kImages);
      case Reason::PostStartHookError:
        return fmt::format("PostStartHookError: the postStart hook of {} failed and the container was killed ({})", name, kStart);
      case Reason::CreateContainerConfigError:
      case Reason::CreateContainerError:
      case Reason::RunContainerError:
        return fmt::format("{}: the runtime could not create or start {} ({})", api::toString(s.state.reason), name, kStart);
      default:
        return fmt::format("Waiting: {} is not running ({})", name, kConvert);
    }
  }

  std::string containerStatus(const Record& r, const ContainerStatusRecord& c) {
    PodMemory& m = pods[static_cast<std::size_t>(r.pod)];
    const api::Pod& pod = podOf(r.pod);
    const auto ci = static_cast<std::size_t>(c.container);
    const kubelet::ApiContainerStatus& s = c.status;
    const bool had = m.seen[ci];
    const kubelet::ApiContainerStatus prev = m.containers[ci];
    m.seen[ci] = true;
    m.containers[ci] = s;
    const std::string& name = pod.container(ci).name;
    const api::Container& spec = pod.container(ci);
    const bool stateChanged = !had || prev.state.kind != s.state.kind || prev.state.reason != s.state.reason ||
                              prev.restartCount != s.restartCount || prev.containerID != s.containerID;
    std::vector<std::string> parts;
    if (stateChanged) {
      switch (s.state.kind) {
        case Kind::Waiting: parts.push_back(waitingRule(pod, ci, s)); break;
        case Kind::Running: {
          if (s.restartCount > 0 && (!had || prev.restartCount != s.restartCount)) {
            const bool init = pod.containerType(ci) == api::ContainerType::Init;
            const std::string by =
                init ? fmt::format("restartPolicy {}", api::apiName(pod.restartPolicy))
                     : readRestart(pod, ci, s.hasLastState ? s.lastState.exitCode : 0, features).because;
            parts.push_back(fmt::format("Running: restart {} of {}: it exited and {}, so it is restarted ({}; {})",
                                        s.restartCount, name, by, kRestart, kStart));
          } else {
            parts.push_back(fmt::format("Running: the runtime started {} and the PLEG relist saw it ({})", name, kConvert));
          }
          m.killed[ci] = false;
          break;
        }
        case Kind::Terminated: {
          const auto code = s.state.exitCode;
          std::string why;
          if (m.killed[ci]) {
            why = fmt::format("killed by the kubelet because {}: exit code {}{}", killWhy(m.killReason[ci]), code,
                              code == 137 ? " (SIGKILL: the process outlived the grace period or ignores SIGTERM)"
                              : code == 143 ? " (SIGTERM)" : "");
            m.killed[ci] = false;
          } else if (s.state.reason == Reason::OOMKilled) {
            why = "the kernel's OOM killer ended the process (exit code 137)";
          } else if (s.state.reason == Reason::ContainerStatusUnknown) {
            why = "the runtime lost the container; its state cannot be known";
          } else {
            why = fmt::format("the process exited by itself with exit code {}", code);
          }
          std::string next;
          // A regular init container that completed is never run again; one that failed is, unless the pod's
          // policy is Never (computeInitContainerActions); any other container as ShouldContainerBeRestarted says.
          const bool init = pod.containerType(ci) == api::ContainerType::Init;
          RestartReading rr;
          if (init) {
            rr.restarts = code != 0 && pod.restartPolicy != api::RestartPolicy::Never;
            rr.because = fmt::format("restartPolicy {}", api::apiName(pod.restartPolicy));
          } else {
            rr = readRestart(pod, ci, code, features);
          }
          const bool restarts = rr.restarts;
          const char* source = rr.because.starts_with("restartPolicyRules") || rr.because.starts_with("no restartPolicyRules")
                                   ? kShouldRestart : kRestart;
          if (!m.deleteRequested && !(m.havePod && m.pod.deleting)) {
            if (init && code == 0) {
              next = "; a completed init container is not run again and the next one starts "
                     "(pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions)";
            } else {
              next = rr.restartsAll
                         ? fmt::format("; {}: every container of the pod is restarted in place, from the first init "
                                       "container ({}; pkg/kubelet/container/helpers.go ShouldAllContainersRestart)",
                                       rr.because, source)
                     : restarts && s.restartCount == 0
                         ? fmt::format("; {}: it is restarted at once, as a first exit has no back-off yet ({}; {})",
                                       rr.because, source, kBackOff)
                     : restarts ? fmt::format("; {}: it will be restarted after its back-off ({})", rr.because, source)
                              : fmt::format("; {}: it stays terminated ({})", rr.because, source);
            }
          }
          parts.push_back(fmt::format("{}: {} ({}){}", api::toString(s.state.reason), why, kConvert, next));
          break;
        }
      }
    }
    if (had && prev.started != s.started && s.state.kind == Kind::Running) {
      if (s.started) {
        parts.push_back(spec.startupProbe ? fmt::format("started: the startup probe of {} succeeded ({})", name, kProber)
                                          : fmt::format("started: {} has no startup probe, so it counts as started once running ({})", name, kProber));
      } else {
        parts.push_back(fmt::format("started=false: {} was restarted; started waits for its startup probe ({})", name, kProber));
      }
    }
    if (had && prev.ready != s.ready) {
      if (s.ready && s.state.kind == Kind::Terminated) {
        parts.push_back(fmt::format("ready: a completed init container counts as ready ({})", kConvert));
      } else if (s.ready) {
        parts.push_back(spec.readinessProbe
                            ? fmt::format("ready: the readiness probe of {} succeeded successThreshold times ({})", name, kProber)
                            : fmt::format("ready: {} has no readiness probe, so it is ready once started ({})", name, kProber));
      } else if (s.state.kind == Kind::Running) {
        parts.push_back(fmt::format("ready=false: the readiness probe of {} failed failureThreshold times ({})", name, kProber));
      } else {
        parts.push_back(fmt::format("ready=false: {} is not running ({})", name, kProber));
      }
    }
    if (parts.empty()) parts.push_back(fmt::format("status of {} regenerated at a sync ({})", name, kConvert));
    return join(parts);
  }

  static std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
      if (!out.empty()) out += "; ";
      out += p;
    }
    return out;
  }

  /// Which container's status printPod took STATUS from (its name), or "".
  std::string sourceContainer(const PodMemory& m, const api::Pod& pod, const kubelet::PrintedPod& pp, bool init) const {
    const std::size_t from = init ? 0 : pod.initContainers.size();
    const std::size_t to = init ? pod.initContainers.size() : pod.containerCount();
    std::string found;
    for (std::size_t i = from; i < to; ++i) {
      if (!m.seen[i]) continue;
      const auto& st = m.containers[i].state;
      if (st.kind != Kind::Running && st.reason == pp.reason) {
        if (init) return pod.container(i).name;
        if (found.empty() || pod.container(i).name < found) found = pod.container(i).name;  // alphabetically first wins
      }
    }
    return found;
  }

  std::string statusRule(const PodMemory& m, const api::Pod& pod, const PodStatusRecord& p) const {
    const kubelet::PrintedPod& pp = p.printed;
    const std::string st = pp.status();
    using PK = kubelet::PrintedPod::Kind;
    switch (pp.kind) {
      case PK::InitProgress:
        return fmt::format("STATUS {}: {} of {} init containers are done, and init container {} is neither completed nor a started sidecar ({})",
                           st, pp.number, pp.of, pod.initContainers[static_cast<std::size_t>(pp.number)].name, kPrintPod);
      case PK::InitReason: {
        const std::string c = sourceContainer(m, pod, pp, true);
        return fmt::format("STATUS {}: the first unfinished init container{}{} shows reason {} ({})", st, c.empty() ? "" : " ", c,
                           api::toString(pp.reason), kPrintPod);
      }
      case PK::InitSignal:
      case PK::InitExitCode:
        return fmt::format("STATUS {}: an init container terminated without a reason ({})", st, kPrintPod);
      case PK::Signal:
      case PK::ExitCode:
        return fmt::format("STATUS {}: a container terminated without a reason ({})", st, kPrintPod);
      case PK::Reason: break;
    }
    if (p.deleting && pp.reason == Reason::Terminating) {
      return fmt::format("STATUS Terminating: deletionTimestamp is set and the phase is not terminal ({})", kPrintPod);
    }
    switch (pp.reason) {
      case Reason::Pending:
      case Reason::Running:
      case Reason::Succeeded:
      case Reason::Failed:
      case Reason::Unknown:
        return fmt::format("STATUS {}: no container shows a waiting or terminated reason, so STATUS is the phase ({})", st, kPrintPod);
      case Reason::NotReady:
        return fmt::format("STATUS NotReady: a container Completed while another runs, and the pod's Ready is False ({})", kPrintPod);
      default: break;
    }
    const std::string c = sourceContainer(m, pod, pp, false);
    if (!c.empty()) {
      return fmt::format("STATUS {}: the reason of container {} (the alphabetically first container with a waiting or terminated reason) ({})",
                         st, c, kPrintPod);
    }
    return fmt::format("STATUS {}: the pod's status.reason or a container's reason ({})", st, kPrintPod);
  }

  std::string podStatus(const Record& r, const PodStatusRecord& p) {
    PodMemory& m = pods[static_cast<std::size_t>(r.pod)];
    const api::Pod& pod = podOf(r.pod);
    std::vector<std::string> parts;
    const bool first = !m.havePod;
    const PodStatusRecord prev = m.pod;
    m.havePod = true;
    m.pod = p;
    if (first) {
      parts.push_back("Pending: a new pod starts in phase Pending with no container statuses (pkg/registry/core/pod/strategy.go PrepareForCreate)");
    }
    if (!first && prev.printed.status() != p.printed.status()) parts.push_back(statusRule(m, pod, p));
    if (!first && prev.phase != p.phase) {
      std::string why;
      switch (p.phase) {
        case api::PodPhase::Running: why = "init containers are done and a regular container has started"; break;
        case api::PodPhase::Succeeded: why = "every regular container terminated with exit code 0 and none will restart"; break;
        case api::PodPhase::Failed:
          why = p.reason != Reason::None ? std::string("status.reason ") + std::string(api::toString(p.reason))
                : p.deleting || m.deleteRequested
                    ? "the pod was deleted and its containers stopped, not all with exit code 0 (a terminating pod "
                      "ends Succeeded only if every regular container exited 0)"
                    : "every regular container terminated, one with a failure, and none will restart";
          break;
        case api::PodPhase::Pending: why = "no regular container has started"; break;
        case api::PodPhase::Unknown: why = "the node stopped reporting"; break;
      }
      parts.push_back(fmt::format("phase {}: {} ({})", api::toString(p.phase), why, kGetPhase));
    }
    if (!first && (prev.printed.ready != p.printed.ready || prev.printed.total != p.printed.total)) {
      parts.push_back(fmt::format("READY {}/{}: ready regular containers and started ready sidecars, of regular containers plus sidecars ({})",
                                  p.printed.ready, p.printed.total, kPrintPod));
    }
    if (!first && prev.printed.restarts != p.printed.restarts) {
      parts.push_back(fmt::format("RESTARTS {}: the sum of restartCount (regular init containers only while initializing) ({})",
                                  p.printed.restarts, kPrintPod));
    }
    if (prev.node != p.node && p.node >= 0) parts.push_back("node: the scheduler bound the pod (pkg/scheduler/schedule_one.go bind)");
    if (!first && p.deleting && !prev.deleting) parts.push_back("deletionTimestamp set: the pod is being deleted (pkg/kubelet/kubelet.go SyncTerminatingPod)");
    for (std::size_t i = 0; i < p.conditions.size(); ++i) {
      const auto& now = p.conditions[i];
      const auto& was = prev.conditions[i];
      if (!now.present || (!first && was.present && was.status == now.status)) continue;
      if (first && !now.status) continue;
      const auto type = static_cast<kubelet::ConditionType>(i);
      const char* why = "";
      switch (type) {
        case kubelet::ConditionType::PodReadyToStartContainers:
          why = !now.status ? "no ready sandbox: not created yet, or stopped with the pod"
                : features.podReadyToStartContainersOnSandboxReady
                    ? "the sandbox and its network are ready, written before any image pull by the callback that "
                      "kuberuntime_manager.go SyncPod calls (1.36+)"
                    : "the sandbox is ready";
          break;
        case kubelet::ConditionType::Initialized:
          why = now.status ? "every init container completed and every sidecar started" : "an init container has not completed";
          break;
        case kubelet::ConditionType::Ready:
          why = now.reason == api::Reason::ReadinessGatesNotReady
                    ? "every container is ready, but a readiness gate's condition is absent or not True (spec.readinessGates)"
                : now.status ? "every container (and sidecar) is ready" : "a container is not ready";
          break;
        case kubelet::ConditionType::ContainersReady:
          why = now.status ? "every container (and sidecar) is ready" : "a container is not ready";
          break;
        case kubelet::ConditionType::PodScheduled: why = now.status ? "bound to a node" : "not bound yet"; break;
        case kubelet::ConditionType::DisruptionTarget: why = now.status ? "the pod is about to be deleted by a disruption" : ""; break;
        case kubelet::ConditionType::AllContainersRestarting:
          why = now.status ? "a container exited with a RestartAllContainers rule: every container is killed and removed"
                           : "no container restart pending, or every container removed: startup begins again";
          break;
        case kubelet::ConditionType::PodResizePending:
          why = now.reason == api::Reason::Infeasible ? "the node cannot fit the resize: it stays pending (Infeasible)"
                                                       : "the node cannot fit the resize now: retried when room frees (Deferred)";
          break;
        case kubelet::ConditionType::PodResizeInProgress:
          why = "the resize is allocated; a running container still has its old resources";
          break;
        case kubelet::ConditionType::Count: break;
      }
      parts.push_back(fmt::format("{}={}: {} ({})", kubelet::toString(type), now.status ? "True" : "False", why,
                                  type == kubelet::ConditionType::PodScheduled       ? "pkg/scheduler/schedule_one.go"
                                  : type == kubelet::ConditionType::PodReadyToStartContainers && now.status &&
                                          features.podReadyToStartContainersOnSandboxReady
                                      ? "pkg/kubelet/kubelet.go OnPodSandboxReady"
                                  : type == kubelet::ConditionType::DisruptionTarget ? "pkg/controller/tainteviction/taint_eviction.go"
                                  : type == kubelet::ConditionType::PodResizePending || type == kubelet::ConditionType::PodResizeInProgress
                                      ? "pkg/kubelet/allocation/allocation_manager.go handlePodResourcesResize"
                                      : kGenerate));
    }
    for (std::size_t slot = 0; slot < sim.scenario().podConditionTypes.size(); ++slot) {
      const auto now = kubelet::customCondition(p.customConditions, slot);
      if (now == kubelet::customCondition(prev.customConditions, slot) && !(first && now != kubelet::CustomConditionStatus::Absent)) continue;
      if (now == kubelet::CustomConditionStatus::Absent) continue;
      parts.push_back(fmt::format("{}={}: set by a controller outside the kubelet, which keeps it "
                                  "(pkg/kubelet/kubelet_pods.go generateAPIPodStatus)",
                                  sim.scenario().podConditionTypes[slot], kubelet::toString(now)));
    }
    if (parts.empty()) parts.push_back(fmt::format("pod status regenerated at a sync ({})", "pkg/kubelet/kubelet_pods.go generateAPIPodStatus"));
    return join(parts);
  }

  const engine::Simulation& sim;
  /// The version's gates, as the engine resolved them for this run (restart rules, restart-all).
  kubelet::Features features = kubelet::resolveFeatures(sim.scenario().kubernetesVersion, sim.scenario().kubelet);
  std::vector<PodMemory> pods;
};

RuleExplainer::RuleExplainer(const engine::Simulation& sim) : state_(std::make_unique<RuleExplainerState>(sim)) {}
RuleExplainer::~RuleExplainer() = default;

std::string RuleExplainer::explain(const Record& r) { return state_->explain(r); }

std::vector<std::string> explainTrace(const engine::Simulation& sim) {
  RuleExplainer ex(sim);
  std::vector<std::string> out;
  out.reserve(sim.trace().records().size());
  for (const Record& r : sim.trace().records()) out.push_back(ex.explain(r));
  return out;
}

}  // namespace podsim::trace
