// models/kubelet/status.cpp: status decisions. Each function names its Kubernetes source.
#include "models/kubelet/status.hpp"

#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/restart_rules.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "models/kubelet/printer.hpp"

namespace podsim::kubelet {

using api::Reason;
using api::RestartPolicy;
using Kind = ContainerStateValue::Kind;

std::string_view toString(ConditionType c) noexcept {
  switch (c) {
    case ConditionType::PodReadyToStartContainers: return "PodReadyToStartContainers";
    case ConditionType::Initialized: return "Initialized";
    case ConditionType::Ready: return "Ready";
    case ConditionType::ContainersReady: return "ContainersReady";
    case ConditionType::PodScheduled: return "PodScheduled";
    case ConditionType::DisruptionTarget: return "DisruptionTarget";
    case ConditionType::AllContainersRestarting: return "AllContainersRestarting";
    case ConditionType::PodResizePending: return "PodResizePending";
    case ConditionType::PodResizeInProgress: return "PodResizeInProgress";
    case ConditionType::Count: break;
  }
  return "";
}

RestartPolicy effectiveRestartPolicy(const api::Pod& pod, std::size_t i) {
  const auto& c = pod.container(i);
  return c.restartPolicy ? *c.restartPolicy : pod.restartPolicy;
}

// pkg/kubelet/container/helpers.go ShouldContainerBeRestarted (the gate branch: 1.34+, on by default 1.35+):
// restart_rules.hpp ShouldContainerBeRestarted, with the pod-policy case inline (hot path).
bool shouldContainerBeRestarted(const api::Pod& pod, std::size_t i, const RuntimePodStatus& runtime,
                                bool deleting, bool containerRestartRules, bool restartAllContainers) {
  if (deleting) return false;  // once a pod has been marked deleted, it is never restarted
  const RuntimeContainerSlot& slot = runtime.containers[i];
  if (!slot.hasLatest) return true;  // never started (or every instance GC'd): start it
  const RuntimeContainerStatus& s = slot.latest;
  if (s.state == ContainerState::Running) return false;
  if (s.state == ContainerState::Unknown || s.state == ContainerState::Created) return true;
  const api::Container& c = pod.container(i);
  if (containerRestartRules && c.restartPolicy) {
    return ContainerShouldRestart(c, pod.restartPolicy, s.exitCode, restartAllContainers);
  }
  switch (pod.restartPolicy) {  // gate off, or no container policy: ContainerShouldRestart reads the pod's
    case RestartPolicy::Never: return false;
    case RestartPolicy::OnFailure: return s.exitCode != 0;
    case RestartPolicy::Always: return true;
  }
  return true;
}

namespace {

ContainerStateValue convertState(const RuntimeContainerStatus& cs, const ApiContainerStatus* old,
                                 bool deleting, std::int32_t& restartCount) {
  ContainerStateValue v;
  switch (cs.state) {
    case ContainerState::Running:
      v.kind = Kind::Running;
      v.startedAt = cs.startedAt;
      break;
    case ContainerState::Created:
      v.kind = Kind::Waiting;  // created but not running: "waiting to be running"
      break;
    case ContainerState::Exited:
      v.kind = Kind::Terminated;
      v.exitCode = cs.exitCode;
      v.reason = cs.reason;
      v.startedAt = cs.startedAt;
      v.finishedAt = cs.finishedAt;
      break;
    case ContainerState::Unknown:
      if (old != nullptr && old->state.kind == Kind::Running) {
        v.kind = Kind::Terminated;
        v.reason = Reason::ContainerStatusUnknown;
        v.exitCode = 137;
        if (!deleting) ++restartCount;
      } else {
        v.kind = Kind::Waiting;
      }
      break;
  }
  return v;
}

bool hasProbe(const api::Container& c, int which) {
  return which == 0 ? c.startupProbe.has_value() : c.readinessProbe.has_value();
}

}  // namespace

// pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses (one container), then prober_manager.go
// UpdatePodStatus. Built in place in `st` (no temporaries: this runs at every status generation).
void convertContainerStatus(const StatusInputs& in, std::size_t i, ApiContainerStatus& st) {
  const api::Pod& pod = *in.pod;
  const RuntimePodStatus& rt = *in.runtime;
  const std::size_t nInit = pod.initContainers.size();
  const Reason defaultReason = nInit != 0 ? Reason::PodInitializing : Reason::ContainerCreating;
  const bool haveOld = in.previous != nullptr && in.previous->hasContainerStatuses;
  const api::Container& spec = i < nInit ? pod.initContainers[i] : pod.containers[i - nInit];
  const api::ContainerType type = pod.containerType(i);
  const ApiContainerStatus* old = haveOld ? &in.previous->containers[i] : nullptr;
  const RuntimeContainerSlot& slot = rt.containers[i];
  if (slot.hasLatest) {
    st.restartCount = slot.latest.restartCount;
    st.state = convertState(slot.latest, old, in.deleting, st.restartCount);
    st.imageId = slot.latest.imageId;
    st.containerID = slot.latest.id;
    st.hasLastState = slot.hasPrevious;
    if (slot.hasPrevious) {
      std::int32_t ignored = 0;
      st.lastState = convertState(slot.previous, nullptr, in.deleting, ignored);
    } else {
      st.lastState = ContainerStateValue{};
    }
  } else if (in.restartAllContainers && in.podRestarting && old != nullptr && old->state.kind != Kind::Waiting) {
    // Removed by RestartAllContainers: waiting, lastState terminated 137, one restart more.
    // Source: pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses (v1.36.3, v1.37.2).
    // Simplification: the message "The container is removed because RestartAllContainers in place" is not kept.
    const std::int32_t restarts = old->restartCount + 1;
    st = ApiContainerStatus{};
    st.state.kind = Kind::Waiting;
    st.state.reason = Reason::RestartingAllContainers;
    st.restartCount = restarts;
    st.hasLastState = true;
    st.lastState = ContainerStateValue{Kind::Terminated, Reason::RestartingAllContainers, 137, -1, -1, 0};
    st.imageId = spec.imageId;
  } else {
    if (old != nullptr && old->state.kind == Kind::Terminated) {
      st = *old;  // a terminated status is carried forward as is
    } else {
      st = ApiContainerStatus{};
      st.state.kind = Kind::Waiting;
      st.state.reason = defaultReason;
      if (old != nullptr) {
        st.restartCount = old->restartCount;
        st.hasLastState = old->hasLastState;
        st.lastState = old->lastState;
      }
    }
    st.imageId = spec.imageId;
    // A container that was running and has vanished from the runtime is shown as stopped
    // (ContainerStatusUnknown), not waiting, so the pod does not fall back to Pending.
    const bool isDefault = st.state.kind == Kind::Waiting && st.state.reason == defaultReason;
    if (old != nullptr && old->state.kind == Kind::Running && isDefault && !st.hasLastState) {
      st.hasLastState = true;
      st.lastState = ContainerStateValue{Kind::Terminated, Reason::ContainerStatusUnknown, 137, -1, -1, 0};
      if (!in.deleting) ++st.restartCount;
    }
  }
  // Containers that will be restarted and whose last start failed show the failure as waiting.
  const bool initDoneOk = type == api::ContainerType::Init && slot.hasLatest &&
                          slot.latest.state == ContainerState::Exited && slot.latest.exitCode == 0;
  if (!initDoneOk && in.reasons != nullptr && (*in.reasons)[i].present &&
      shouldContainerBeRestarted(pod, i, rt, in.deleting, in.containerRestartRules, in.restartAllContainers)) {
    if (st.state.kind == Kind::Terminated) {
      st.hasLastState = true;
      st.lastState = st.state;
    }
    st.state = ContainerStateValue{};
    st.state.kind = Kind::Waiting;
    st.state.reason = (*in.reasons)[i].reason;
    st.state.backoff = (*in.reasons)[i].backoff;
  }
  // started / ready (prober_manager.go UpdatePodStatus; kubelet-semantics §1.1).
  const ContainerProbeResults* pr = in.probes != nullptr ? &(*in.probes)[i] : nullptr;
  const bool running = st.state.kind == Kind::Running;
  bool started = running;
  if (running && hasProbe(spec, 0)) started = pr != nullptr && pr->startupFound && pr->startup == ProbeResult::Success;
  st.started = started;
  if (type == api::ContainerType::Init) {
    st.ready = st.state.kind == Kind::Terminated && st.state.exitCode == 0;
  } else if (!running || !started) {
    st.ready = false;
  } else if (hasProbe(spec, 1)) {
    st.ready = pr != nullptr && pr->readinessFound && pr->readiness == ProbeResult::Success;
  } else {
    st.ready = true;
  }
}

// pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses, then prober_manager.go UpdatePodStatus.
void convertToAPIContainerStatuses(const StatusInputs& in, std::vector<ApiContainerStatus>& out) {
  const std::size_t n = in.pod->containerCount();
  const bool haveOld = in.previous != nullptr && in.previous->hasContainerStatuses;
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (haveOld && i < 64 && ((in.regenerate >> i) & 1U) == 0) {
      out[i] = in.previous->containers[i];
      continue;
    }
    convertContainerStatus(in, i, out[i]);
  }
}

// pkg/kubelet/container/helpers.go HasAnyRegularContainerStarted.
bool hasAnyRegularContainerStarted(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses) {
  for (std::size_t i = pod.initContainers.size(); i < statuses.size(); ++i) {
    const auto k = statuses[i].state.kind;
    if (k == Kind::Running || k == Kind::Terminated) return true;
  }
  return false;
}

// pkg/kubelet/kubelet_pods.go getPhase (sidecar-aware branch, 1.28+).
api::PodPhase getPhase(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses,
                       bool podIsTerminal, bool containerRestartRules, bool restartAllContainers) {
  int pendingInit = 0, failedInit = 0, unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  const std::size_t nInit = pod.initContainers.size();
  for (std::size_t i = 0; i < nInit; ++i) {
    const ApiContainerStatus& s = statuses[i];
    if (pod.containerType(i) == api::ContainerType::Sidecar) {
      switch (s.state.kind) {
        case Kind::Running:
          ++running;
          if (!s.started) ++pendingInit;
          break;
        case Kind::Terminated: break;
        case Kind::Waiting:
          if (!s.hasLastState) {
            ++pendingInit;
            ++waiting;
          }
          break;
      }
      continue;
    }
    switch (s.state.kind) {
      case Kind::Running: ++pendingInit; break;
      case Kind::Terminated:  // RestartingAllContainers: restartable (v1.36.3+ getPhase)
        if (s.state.exitCode != 0 && s.state.reason != Reason::RestartingAllContainers) ++failedInit;
        break;
      case Kind::Waiting:
        if (s.hasLastState) {
          if (s.lastState.exitCode != 0 && s.lastState.reason != Reason::RestartingAllContainers) ++failedInit;
        } else {
          ++pendingInit;
        }
        break;
    }
  }
  for (std::size_t i = nInit; i < statuses.size(); ++i) {
    const ApiContainerStatus& s = statuses[i];
    switch (s.state.kind) {
      case Kind::Running: ++running; break;
      case Kind::Terminated:
        ++stopped;
        if (s.state.exitCode == 0) ++succeeded;
        break;
      case Kind::Waiting:
        if (s.hasLastState) {
          ++stopped;  // restarting; not counted as succeeded even after exit 0
        } else {
          ++waiting;
        }
        break;
    }
  }
  if (failedInit > 0 && pod.restartPolicy == RestartPolicy::Never) return api::PodPhase::Failed;
  if ((pendingInit > 0 && !hasAnyRegularContainerStarted(pod, statuses)) || waiting > 0) {
    return api::PodPhase::Pending;
  }
  if (running > 0 && unknown == 0) return api::PodPhase::Running;
  if (running == 0 && stopped > 0 && unknown == 0) {
    if (podIsTerminal) return stopped == succeeded ? api::PodPhase::Succeeded : api::PodPhase::Failed;
    if (containerRestartRules) {  // v1.35.4+ getPhase: restartable containers keep the pod Running
      // Counted only here (every regular container is stopped): stoppedNotRestartable of the source.
      for (std::size_t i = nInit; i < statuses.size(); ++i) {
        const ApiContainerStatus& s = statuses[i];
        const bool counted = s.state.kind == Kind::Terminated || (s.state.kind == Kind::Waiting && s.hasLastState);
        if (!counted) continue;
        const std::int32_t exitCode = s.state.kind == Kind::Terminated ? s.state.exitCode : s.lastState.exitCode;
        const Reason why = s.state.kind == Kind::Terminated ? s.state.reason : s.lastState.reason;
        if (restartAllContainers && why == Reason::RestartingAllContainers) return api::PodPhase::Running;  // v1.36.3+
        if (ContainerShouldRestart(pod.container(i), pod.restartPolicy, exitCode, restartAllContainers)) {
          return api::PodPhase::Running;  // at least one container is in the process of restarting
        }
      }
      return stopped == succeeded ? api::PodPhase::Succeeded : api::PodPhase::Failed;
    }
    if (pod.restartPolicy == RestartPolicy::Always) return api::PodPhase::Running;
    if (stopped == succeeded) return api::PodPhase::Succeeded;
    if (pod.restartPolicy == RestartPolicy::Never) return api::PodPhase::Failed;
    return api::PodPhase::Running;
  }
  return api::PodPhase::Pending;
}

namespace {

bool isTerminal(api::PodPhase p) { return p == api::PodPhase::Succeeded || p == api::PodPhase::Failed; }

// pkg/kubelet/status/generate.go GeneratePodInitializedCondition.
PodCondition initializedCondition(const api::Pod& pod, const std::vector<ApiContainerStatus>& st,
                                  api::PodPhase phase) {
  if (pod.initContainers.empty()) return {true, true, Reason::None};
  if (hasAnyRegularContainerStarted(pod, st)) return {true, true, Reason::None};
  bool incomplete = false;
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    if (pod.containerType(i) == api::ContainerType::Sidecar) {
      if (!st[i].started) incomplete = true;
    } else if (!st[i].ready) {
      incomplete = true;
    }
  }
  if (phase == api::PodPhase::Succeeded) return {true, true, Reason::PodCompleted};
  if (incomplete) return {true, false, Reason::ContainersNotInitialized};
  return {true, true, Reason::None};
}

// pkg/kubelet/status/generate.go GenerateContainersReadyCondition.
PodCondition containersReadyCondition(const api::Pod& pod, const std::vector<ApiContainerStatus>& st,
                                      api::PodPhase phase) {
  bool unready = false;
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (pod.containerType(i) == api::ContainerType::Init) continue;
    if (!st[i].ready) unready = true;
  }
  if (phase == api::PodPhase::Succeeded) return {true, false, Reason::PodCompleted};
  if (phase == api::PodPhase::Failed) return {true, false, Reason::PodFailed};
  if (unready) return {true, false, Reason::ContainersNotReady};
  return {true, true, Reason::None};
}

}  // namespace

// pkg/kubelet/status/status_manager.go TerminatePod: once the pod is torn down, every container that
// should have run but has no terminated state is reported as ContainerStatusUnknown (137), and a
// phase still Pending or Running becomes Failed. Applied after the conditions were generated.
static Reason phaseReason(api::PodPhase p) {
  switch (p) {
    case api::PodPhase::Pending: return Reason::Pending;
    case api::PodPhase::Running: return Reason::Running;
    case api::PodPhase::Succeeded: return Reason::Succeeded;
    case api::PodPhase::Failed: return Reason::Failed;
    case api::PodPhase::Unknown: return Reason::Unknown;
  }
  return Reason::Unknown;
}

// pkg/kubelet/status/status_manager.go hasPodInitialized (v1.28..v1.37, same rule).
bool hasPodInitialized(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses) {
  const std::size_t nInit = pod.initContainers.size();
  if (nInit == 0) return true;  // a pod without init containers is always initialized
  for (std::size_t i = nInit; i < statuses.size(); ++i) {
    const ApiContainerStatus& c = statuses[i];
    if ((c.hasLastState && c.lastState.kind == Kind::Terminated) || c.state.kind != Kind::Waiting) return true;
  }
  const ApiContainerStatus& last = statuses[nInit - 1];
  if (pod.containerType(nInit - 1) == api::ContainerType::Sidecar) {
    return last.state.kind == Kind::Running && last.started;
  }
  if (last.hasLastState && last.lastState.kind == Kind::Terminated && last.lastState.exitCode == 0) return true;
  return last.state.kind == Kind::Terminated && last.state.exitCode == 0;
}

// pkg/kubelet/status/generate.go GeneratePodInitializedCondition: its unreadyMessage.
std::string podInitializedConditionMessage(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses) {
  if (hasAnyRegularContainerStarted(pod, statuses)) return {};
  std::string out = "containers with incomplete status: [";
  bool any = false;
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    const bool done = pod.containerType(i) == api::ContainerType::Sidecar ? statuses[i].started : statuses[i].ready;
    if (done) continue;
    if (any) out.push_back(' ');
    out.append(pod.container(i).name);
    any = true;
  }
  if (!any) return {};
  out.push_back(']');
  return out;
}

// pkg/kubelet/status/status_manager.go initializedContainers (v1.28..v1.37, same rule).
std::size_t initializedContainers(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses) {
  const std::size_t nInit = pod.initContainers.size();
  for (std::size_t i = nInit; i-- > 0;) {
    const ApiContainerStatus& c = statuses[i];
    if (c.state.kind != Kind::Waiting || (c.hasLastState && c.lastState.kind == Kind::Terminated)) return i + 1;
  }
  return nInit > 0 ? 1 : 0;  // always at least one
}

// Simplification: hasPodInitialized reads the status being terminated (the kubelet reads the pod object's
// status from the API server, which is the same once the status manager has written its last status).
static void terminatePod(const api::Pod& pod, ApiPodStatus& s) {
  const ContainerStateValue unknown{Kind::Terminated, Reason::ContainerStatusUnknown, 137, -1, -1, 0};
  const std::size_t nInit = pod.initContainers.size();
  // Once a pod has initialized, any missing regular container status is treated as a failure.
  if (hasPodInitialized(pod, s.containers)) {
    for (std::size_t i = nInit; i < s.containers.size(); ++i) {
      if (s.containers[i].state.kind != Kind::Terminated) s.containers[i].state = unknown;
    }
  }
  // All but the final suffix of init containers with no evidence of a start are marked failed.
  const std::size_t marked = initializedContainers(pod, s.containers);
  for (std::size_t i = 0; i < marked; ++i) {
    if (s.containers[i].state.kind != Kind::Terminated) s.containers[i].state = unknown;
  }
  for (auto& c : s.containers) {
    if (c.state.kind == Kind::Terminated) {
      c.started = false;
      if (c.state.reason == Reason::ContainerStatusUnknown) c.ready = false;
    }
  }
  if (!isTerminal(s.phase)) s.phase = api::PodPhase::Failed;
}

// pkg/kubelet/kubelet_pods.go generateAPIPodStatus; pkg/kubelet/status/generate.go.
ApiPodStatus generateAPIPodStatus(const StatusInputs& in) {
  ApiPodStatus s;
  generateAPIPodStatus(in, s);
  return s;
}

void generateAPIPodStatus(const StatusInputs& in, ApiPodStatus& s) {
  convertToAPIContainerStatuses(in, s.containers);
  generatePodLevelStatus(in, s);
}

void generatePodLevelStatus(const StatusInputs& in, ApiPodStatus& s) {
  const api::Pod& pod = *in.pod;
  // Read what is kept from the previous status first: `s` may be the previous status itself.
  const Reason previousReason = in.previous != nullptr ? in.previous->reason : Reason::None;
  const PodCondition disruption = in.previous != nullptr ? in.previous->condition(ConditionType::DisruptionTarget) : PodCondition{};
  const std::uint32_t custom = in.previous != nullptr ? in.previous->customConditions : 0;
  const bool previousTerminal = in.previous != nullptr && isTerminal(in.previous->phase);
  const api::PodPhase previousPhase = in.previous != nullptr ? in.previous->phase : api::PodPhase::Pending;
  s.reason = previousReason;
  s.conditions = {};
  // Conditions the kubelet does not own are preserved (generateAPIPodStatus).
  if (in.previous != nullptr) s.condition(ConditionType::DisruptionTarget) = disruption;
  s.customConditions = custom;
  s.hasContainerStatuses = true;
  s.phase = getPhase(pod, s.containers, in.podIsTerminal, in.containerRestartRules, in.restartAllContainers);
  // Terminal phases are sticky: a pod that reached Succeeded/Failed never leaves it.
  if (previousTerminal && !isTerminal(s.phase)) s.phase = previousPhase;
  // An internal module asks for eviction (kubelet_pods.go generateAPIPodStatus, PodSyncHandlers
  // ShouldEvict: the active deadline handler, pkg/kubelet/active_deadline.go): phase Failed with its reason,
  // at every generation once past the deadline, whatever getPhase says: a pod failed for its deadline whose
  // containers then exit 0 on SIGTERM stays Failed (DeadlineExceeded), not Succeeded.
  // Simplification: a pod already Succeeded keeps its phase and reason (the kubelet forces the phase back to
  // the API's Succeeded but keeps the reason DeadlineExceeded; kubelet_pods.go "illegal phase transition").
  if (in.pastActiveDeadline && (!previousTerminal || previousPhase == api::PodPhase::Failed)) {
    s.phase = api::PodPhase::Failed;
    s.reason = Reason::DeadlineExceeded;
  }
  if (in.readyToStartContainersCondition) {
    s.condition(ConditionType::PodReadyToStartContainers) = {true, in.runtime->sandboxReady, Reason::None};
  }
  s.condition(ConditionType::Initialized) = initializedCondition(pod, s.containers, s.phase);
  const PodCondition cr = containersReadyCondition(pod, s.containers, s.phase);
  s.condition(ConditionType::ContainersReady) = cr;
  s.condition(ConditionType::Ready) = GeneratePodReadyCondition(pod, cr, custom);
  s.condition(ConditionType::PodScheduled) = {true, in.scheduled, in.scheduled ? Reason::None : Reason::Unschedulable};
  if (in.restartAllContainers && in.hasRestartAllRule) {
    // Simplification: the kubelet adds this condition to every pod with the gate on; podsim only to pods
    // with a RestartAllContainers rule (the others would always show it False).
    const PhaseForCondition ph = s.phase == api::PodPhase::Succeeded ? PhaseForCondition::Succeeded
                                 : s.phase == api::PodPhase::Failed  ? PhaseForCondition::Failed
                                                                     : PhaseForCondition::Running;
    const AllContainersRestartingCondition c = GenerateAllContainersRestartingCondition(ph, in.podRestarting, in.restartAllCleanedUp);
    s.condition(ConditionType::AllContainersRestarting) = {true, c.status, api::reasonFromString(c.reason)};
  }
  // The status manager's resize conditions (kubelet_pods.go determinePodResizeStatus): cleared once the pod is
  // terminal.
  if (!in.podIsTerminal) {
    if (in.resizePending != Reason::None) s.condition(ConditionType::PodResizePending) = {true, true, in.resizePending};
    if (in.resizeInProgress) s.condition(ConditionType::PodResizeInProgress) = {true, true, Reason::None};
  }
  if (in.podIsTerminal) terminatePod(pod, s);
}

bool OnPodSandboxReady(ApiPodStatus& status) {
  PodCondition& c = status.condition(ConditionType::PodReadyToStartContainers);
  const PodCondition ready{true, true, Reason::None};
  if (c == ready) return false;
  c = ready;
  return true;
}

void updateReadinessConditions(const api::Pod& pod, ApiPodStatus& status) {
  const PodCondition cr = containersReadyCondition(pod, status.containers, status.phase);
  status.condition(ConditionType::ContainersReady) = cr;
  status.condition(ConditionType::Ready) = GeneratePodReadyCondition(pod, cr, status.customConditions);
}

void updateInitializedCondition(const api::Pod& pod, ApiPodStatus& status) {
  status.condition(ConditionType::Initialized) = initializedCondition(pod, status.containers, status.phase);
}

std::vector<std::int32_t> regularContainersByName(const api::Pod& pod) {
  std::vector<std::int32_t> order(pod.containers.size());
  std::iota(order.begin(), order.end(), static_cast<std::int32_t>(pod.initContainers.size()));
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return pod.container(static_cast<std::size_t>(a)).name < pod.container(static_cast<std::size_t>(b)).name;
  });
  return order;
}

std::string PrintedPod::status() const {
  const std::string r(api::toString(reason));
  switch (kind) {
    case Kind::Reason: return r;
    case Kind::InitReason: return "Init:" + r;
    case Kind::InitSignal: return "Init:Signal:" + std::to_string(number);
    case Kind::InitExitCode: return "Init:ExitCode:" + std::to_string(number);
    case Kind::InitProgress: return "Init:" + std::to_string(number) + "/" + std::to_string(of);
    case Kind::Signal: return "Signal:" + std::to_string(number);
    case Kind::ExitCode: return "ExitCode:" + std::to_string(number);
  }
  return r;
}

// pkg/printers/internalversion/printers.go printPod (sidecar-aware, kubelet-semantics §12).
PrintedPod printPod(const api::Pod& pod, const ApiPodStatus& status, bool deleting, KubernetesVersion version,
                    const std::int32_t* byName) {
  using PK = PrintedPod::Kind;
  PrintedPod p;
  const std::size_t nInit = pod.initContainers.size();
  const std::size_t n = pod.containerCount();
  p.total = static_cast<std::int32_t>(pod.containers.size());
  for (std::size_t i = 0; i < nInit; ++i) {
    if (pod.containerType(i) == api::ContainerType::Sidecar) ++p.total;
  }
  p.kind = PK::Reason;
  p.reason = status.reason != Reason::None ? status.reason
                                           : phaseReason(status.phase);
  if (!status.hasContainerStatuses) return p;

  std::int32_t sidecarRestarts = 0;
  Time sidecarLastRestart = -1;
  bool initializing = false;
  const auto track = [](Time& last, const ApiContainerStatus& cs) {
    if (cs.hasLastState && cs.lastState.kind == Kind::Terminated && cs.lastState.finishedAt > last) {
      last = cs.lastState.finishedAt;
    }
  };
  for (std::size_t i = 0; i < nInit; ++i) {
    const ApiContainerStatus& cs = status.containers[i];
    const bool sidecar = pod.containerType(i) == api::ContainerType::Sidecar;
    p.restarts += cs.restartCount;
    track(p.lastRestart, cs);
    if (sidecar) {
      sidecarRestarts += cs.restartCount;
      track(sidecarLastRestart, cs);
    }
    if (cs.state.kind == Kind::Terminated && cs.state.exitCode == 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ++p.ready;
      continue;
    }
    if (cs.state.kind == Kind::Terminated) {
      if (cs.state.reason != Reason::None) {
        p.kind = PK::InitReason;
        p.reason = cs.state.reason;
      } else {
        p.kind = PK::InitExitCode;
        p.number = cs.state.exitCode;
      }
    } else if (cs.state.kind == Kind::Waiting && cs.state.reason != Reason::None &&
               cs.state.reason != Reason::PodInitializing) {
      p.kind = PK::InitReason;
      p.reason = cs.state.reason;
    } else {
      p.kind = PK::InitProgress;
      p.number = static_cast<std::int32_t>(i);
      p.of = static_cast<std::int32_t>(nInit);
    }
    initializing = true;
    break;
  }
  const PodCondition& initialized = status.condition(ConditionType::Initialized);
  if (!initializing || (initialized.present && initialized.status)) {
    p.restarts = sidecarRestarts;
    p.lastRestart = sidecarLastRestart;
    // containerStatuses are sorted by name; printPod walks them in reverse.
    std::array<std::int32_t, 64> orderBuf;  // filled below when used
    std::vector<std::int32_t> orderVec;
    const std::int32_t* order = byName;
    const std::size_t nReg = n - nInit;
    if (order == nullptr) {
      std::int32_t* o = orderBuf.data();
      if (nReg > orderBuf.size()) {
        orderVec.resize(nReg);
        o = orderVec.data();
      }
      std::iota(o, o + nReg, static_cast<std::int32_t>(nInit));
      std::sort(o, o + nReg, [&](std::int32_t a, std::int32_t b) {
        return pod.container(static_cast<std::size_t>(a)).name < pod.container(static_cast<std::size_t>(b)).name;
      });
      order = o;
    }
    bool hasRunning = false;
    // errorReason (from 1.35): what the loop printed for the last-visited container terminated non-zero.
    bool hasErrorReason = false;
    PK errorKind = PK::Reason;
    Reason errorReason = Reason::None;
    std::int32_t errorNumber = 0;
    for (std::size_t k = nReg; k-- > 0;) {
      const ApiContainerStatus& cs = status.containers[static_cast<std::size_t>(order[k])];
      p.restarts += cs.restartCount;
      track(p.lastRestart, cs);
      if (cs.state.kind == Kind::Waiting && cs.state.reason != Reason::None) {
        p.kind = PK::Reason;
        p.reason = cs.state.reason;
      } else if (cs.state.kind == Kind::Terminated && cs.state.reason != Reason::None) {
        p.kind = PK::Reason;
        p.reason = cs.state.reason;
      } else if (cs.state.kind == Kind::Terminated) {
        p.kind = PK::ExitCode;
        p.number = cs.state.exitCode;
      } else if (cs.ready && cs.state.kind == Kind::Running) {
        hasRunning = true;
        ++p.ready;
      }
      if (cs.state.kind == Kind::Terminated && cs.state.exitCode != 0) {
        hasErrorReason = true;
        errorKind = p.kind;
        errorReason = p.reason;
        errorNumber = p.number;
      }
    }
    if (p.kind == PK::Reason && p.reason == Reason::Completed) {
      const PodCondition& ready = status.condition(ConditionType::Ready);
      switch (printPodCompletedFixupAction(hasRunning, ready.present && ready.status, hasErrorReason, version)) {
        case CompletedFixup::Keep: break;
        case CompletedFixup::Running: p.reason = Reason::Running; break;
        case CompletedFixup::NotReady: p.reason = Reason::NotReady; break;
        case CompletedFixup::ErrorReason:
          p.kind = errorKind;
          p.reason = errorReason;
          p.number = errorNumber;
          break;
      }
    }
  }
  if (deleting && status.reason == Reason::NodeLost) {
    p.kind = PK::Reason;
    p.reason = Reason::Unknown;
  } else if (deleting && status.phase != api::PodPhase::Succeeded && status.phase != api::PodPhase::Failed) {
    p.kind = PK::Reason;
    p.reason = Reason::Terminating;
  }
  return p;
}

}  // namespace podsim::kubelet
