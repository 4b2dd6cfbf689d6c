// tests/test_pod_actions.cpp: computePodActions as one table of named cases against ONE base pod and status,
// the way the kubelet tests it (pkg/kubelet/kuberuntime/kuberuntime_manager_test.go TestComputePodActions,
// TestComputePodActionsWithInitContainers, TestComputePodActionsWithRestartableInitContainers): each case mutates
// the pod, mutates the observed status, and states the whole expected podActions.
//
// Owns: the decision table of models/kubelet/pod_actions.hpp. Does not own: carrying the actions out (the engine's
// SyncPod) or the status a sync writes (tests/test_status.cpp).
//
// Left out, because podsim's model has no input for them (Simplification:, see pod_actions.hpp):
// - the sandbox without an IP, the network namespace changed, several ready sandboxes (PodSandboxChanged): podsim's
//   sandbox is only "exists" and "ready";
// - ephemeral containers, in-place resize (ContainersToUpdate, UpdatePodResources), RestartAllContainers: not
//   modelled; container-level restart policies and rules (ContainerRestartRules) are tested in
//   tests/test_restart_rules_engine.cpp;
// - a stale regular container from a previous sandbox (ActiveContainerStatuses): podsim keeps one pod cache per pod,
//   and the engine clears it when it creates a new sandbox;
// - a sandbox removed after it existed: podsim never removes one (only its readiness changes). The kubelet starts
//   again at attempt 0 when no sandbox status is left; podsim's rule would give the last attempt + 1 (a latent
//   difference, listed in the report);
// - the sandbox attempt when the sandbox is unchanged (the kubelet returns the current attempt; podsim leaves 0,
//   and the engine reads `attempt` only when createSandbox is set).
// Rules of the kubelet that podsim decides differently are not asserted here; they are listed in the report of
// issue 12: an init container whose status says OOMKilled with exit code 0 (isInitContainerFailed counts it as
// failed; podsim looks at the exit code only); v1.37's computeInitContainerActions, where any regular container
// status of the current sandbox (HasAnyActiveRegularContainerStarted, Exited included) means initialized, while
// v1.34-v1.36 count only Created and Running ones (the case "v1.34-1.36: ..." pins the older rule, the table's
// PodActionsInputs default; the engine passes Features::anyActiveRegularContainerInitializes, true from 1.37).
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "models/kubelet/pod_actions.hpp"

using namespace podsim;
using kubelet::ContainerState;
using kubelet::KillReason;
using kubelet::ProbeResult;

namespace {

// Unified indices of the base pod (init containers first, then regular containers, in spec order).
constexpr std::int32_t kInit = 0;    // a regular init container
constexpr std::int32_t kProxy = 1;   // a sidecar (restartPolicy: Always) with startup and liveness probes
constexpr std::int32_t kApp = 2;     // a regular container with a liveness probe
constexpr std::int32_t kWorker = 3;  // a regular container without probes

/// The spec hash of a container as the kubelet's HashContainer would see it: here, of its image only.
std::uint32_t specHashOf(const api::Container& c) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (const char ch : c.image) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

api::Container container(const std::string& name, const std::string& image) {
  api::Container c;
  c.name = name;
  c.image = image;
  return c;
}

/// Everything computePodActions reads besides the pod: the runtime's pod cache, the probe results, deletion.
struct Observed {
  kubelet::RuntimePodStatus rt;
  std::vector<kubelet::ContainerProbeResults> probes;
  bool deleting = false;

  void set(std::int32_t i, ContainerState s, std::int32_t exitCode = 0) {
    auto& slot = rt.containers[static_cast<std::size_t>(i)];
    slot.hasLatest = true;
    slot.latest.state = s;
    slot.latest.exitCode = exitCode;
  }
  /// The runtime has no instance of container i (never created, or garbage-collected).
  void drop(std::int32_t i) { rt.containers[static_cast<std::size_t>(i)].hasLatest = false; }
  void dropAll() {
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(rt.containers.size()); ++i) drop(i);
  }
  void startup(std::int32_t i, ProbeResult r) {
    probes[static_cast<std::size_t>(i)].startupFound = true;
    probes[static_cast<std::size_t>(i)].startup = r;
  }
  void startupNotRun(std::int32_t i) { probes[static_cast<std::size_t>(i)].startupFound = false; }
  void liveness(std::int32_t i, ProbeResult r) {
    probes[static_cast<std::size_t>(i)].livenessFound = true;
    probes[static_cast<std::size_t>(i)].liveness = r;
  }
  /// Removes the slots of the first n containers (after the pod lost its n init containers).
  void eraseFirst(std::size_t n) {
    rt.containers.erase(rt.containers.begin(), rt.containers.begin() + static_cast<std::ptrdiff_t>(n));
    probes.erase(probes.begin(), probes.begin() + static_cast<std::ptrdiff_t>(n));
  }
};

/// The base pod: init containers [init, proxy (sidecar)], containers [app, worker], restartPolicy Always.
api::Pod makeBasePod() {
  api::Pod pod;
  pod.name = "base";
  pod.initContainers = {container("init", "busybox:1.36"), container("proxy", "envoy:1.30")};
  pod.initContainers[1].restartPolicy = api::RestartPolicy::Always;
  pod.initContainers[1].startupProbe = api::Probe{};
  pod.initContainers[1].livenessProbe = api::Probe{};
  pod.containers = {container("app", "nginx:1.27"), container("worker", "busybox:1.36")};
  pod.containers[0].livenessProbe = api::Probe{};
  pod.restartPolicy = api::RestartPolicy::Always;
  return pod;
}

/// The base status: a ready sandbox (attempt 0); init exited 0; proxy running, its startup and liveness probes
/// succeeded; app and worker running; every instance created from the current spec. Nothing to do.
Observed makeBaseStatus(const api::Pod& pod) {
  Observed o;
  o.rt.sandboxExists = o.rt.sandboxReady = true;
  o.rt.sandboxAttempt = 0;
  o.rt.containers.resize(pod.containerCount());
  o.probes.resize(pod.containerCount());
  for (std::size_t i = 0; i < pod.containerCount(); ++i) o.rt.containers[i].latest.specHash = specHashOf(pod.container(i));
  o.set(kInit, ContainerState::Exited, 0);
  o.set(kProxy, ContainerState::Running);
  o.startup(kProxy, ProbeResult::Success);
  o.liveness(kProxy, ProbeResult::Success);
  o.set(kApp, ContainerState::Running);
  o.liveness(kApp, ProbeResult::Success);
  o.set(kWorker, ContainerState::Running);
  return o;
}

struct Kill {
  std::int32_t container;
  KillReason reason;
  bool willRestart;
};

/// The expected podActions; `attempt` only matters when the sandbox is (re)created.
struct Expected {
  bool killPod = false;
  bool createSandbox = false;
  std::int32_t attempt = 0;
  std::vector<std::int32_t> initContainersToStart;
  std::vector<std::int32_t> containersToStart;
  std::vector<Kill> containersToKill;
};

const char* reasonName(KillReason r) {
  switch (r) {
    case KillReason::None: return "None";
    case KillReason::DefinitionChanged: return "DefinitionChanged";
    case KillReason::LivenessProbe: return "LivenessProbe";
    case KillReason::StartupProbe: return "StartupProbe";
    case KillReason::Unknown: return "Unknown";
    case KillReason::FailedPostStartHook: return "FailedPostStartHook";
    case KillReason::ResizeRestart: return "ResizeRestart";
  }
  return "?";
}

std::string list(const std::vector<std::int32_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

/// One line that names every field, so that a failed case shows expected and actual side by side.
std::string describe(bool killPod, bool createSandbox, std::int32_t attempt, const std::vector<std::int32_t>& init,
                     const std::vector<std::int32_t>& start, const std::vector<Kill>& kill) {
  std::string s = std::string("killPod=") + (killPod ? "true" : "false") +
                  " createSandbox=" + (createSandbox ? "true" : "false") +
                  " attempt=" + (createSandbox ? std::to_string(attempt) : "-") + " initContainersToStart=" + list(init) +
                  " containersToStart=" + list(start) + " containersToKill=[";
  for (std::size_t i = 0; i < kill.size(); ++i) {
    s += (i ? "," : "") + std::to_string(kill[i].container) + ":" + reasonName(kill[i].reason) +
         (kill[i].willRestart ? ":restart" : ":no-restart");
  }
  return s + "]";
}

std::string describe(const Expected& e) {
  return describe(e.killPod, e.createSandbox, e.attempt, e.initContainersToStart, e.containersToStart,
                  e.containersToKill);
}

std::string describe(const kubelet::PodActions& a) {
  std::vector<Kill> kill;
  for (const auto& k : a.containersToKill) kill.push_back({k.container, k.reason, k.willRestart});
  return describe(a.killPod, a.createSandbox, a.attempt, a.initContainersToStart, a.containersToStart, kill);
}

struct Case {
  const char* name;  // the rule, as a sentence
  std::function<void(api::Pod&)> mutatePod;
  std::function<void(Observed&)> mutateStatus;
  Expected actions;
};

void policy(api::Pod& p, api::RestartPolicy r) { p.restartPolicy = r; }
const auto Always = [](api::Pod& p) { policy(p, api::RestartPolicy::Always); };
const auto OnFailure = [](api::Pod& p) { policy(p, api::RestartPolicy::OnFailure); };
const auto Never = [](api::Pod& p) { policy(p, api::RestartPolicy::Never); };
/// The pod without init containers: app is then index 0, worker index 1 (the status must drop two slots too).
const auto NoInitContainers = [](api::Pod& p) { p.initContainers.clear(); };
/// Regular containers have no instance yet: the state while initialization runs.
void noRegularContainers(Observed& o) {
  o.drop(kApp);
  o.drop(kWorker);
}

// The table. Container indices are unified indices of the (mutated) pod. Sources: kuberuntime_manager.go
// computePodActions; kuberuntime_container.go computeInitContainerActions; pkg/kubelet/container/helpers.go
// ShouldContainerBeRestarted; pkg/kubelet/kuberuntime/util/util.go PodSandboxChanged.
const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      // --- nothing to do
      {"everything is good: do nothing", nullptr, nullptr, {}},

      // --- the sandbox (PodSandboxChanged; the createPodSandbox branch of computePodActions)
      {"a new pod (no sandbox, no container): create the sandbox and start only the first init container",
       nullptr,
       [](Observed& o) {
         o.rt.sandboxExists = o.rt.sandboxReady = false;
         o.rt.sandboxAttempt = -1;
         o.dropAll();
       },
       {true, true, 0, {kInit}, {}, {}}},
      {"a new pod without init containers: create the sandbox and start every regular container",
       NoInitContainers,
       [](Observed& o) {
         o.eraseFirst(2);
         o.rt.sandboxExists = o.rt.sandboxReady = false;
         o.rt.sandboxAttempt = -1;
         o.dropAll();
       },
       {true, true, 0, {}, {0, 1}, {}}},
      {"a sandbox that is not ready under Always: kill the pod, create the next sandbox attempt, restart from the "
       "first init container",
       Always, [](Observed& o) { o.rt.sandboxReady = false; },
       {true, true, 1, {kInit}, {}, {}}},
      {"a dead sandbox under Never after containers ran: kill the pod and create no new sandbox",
       Never, [](Observed& o) { o.rt.sandboxReady = false; },
       {true, false, 1, {}, {}, {}}},
      {"a dead sandbox under Never with no container status at all: create a new sandbox (it never ran)",
       Never,
       [](Observed& o) {
         o.rt.sandboxReady = false;
         o.rt.sandboxAttempt = 2;
         o.dropAll();
       },
       {true, true, 3, {kInit}, {}, {}}},
      {"a dead sandbox under OnFailure after every regular container succeeded: kill the pod, no new sandbox",
       OnFailure,
       [](Observed& o) {
         o.rt.sandboxReady = false;
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 0);
       },
       {true, false, 1, {}, {}, {}}},
      {"a dead sandbox under OnFailure with a failed regular container: recreate the sandbox from the first init "
       "container",
       OnFailure,
       [](Observed& o) {
         o.rt.sandboxReady = false;
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 1);
       },
       {true, true, 1, {kInit}, {}, {}}},
      {"a dead sandbox under OnFailure without init containers: restart all regular containers except the one that "
       "succeeded",
       [](api::Pod& p) {
         NoInitContainers(p);
         OnFailure(p);
       },
       [](Observed& o) {
         o.eraseFirst(2);
         o.rt.sandboxReady = false;
         o.set(0, ContainerState::Exited, 0);
         o.set(1, ContainerState::Exited, 1);
       },
       {true, true, 1, {}, {1}, {}}},
      // Simplification: the kubelet never runs SyncPod for a pod with a deletionTimestamp (the pod worker calls
      // SyncTerminatingPod, pod_workers.go); podsim passes `deleting` and gets the same effect: no new sandbox.
      {"a deleted pod whose sandbox died gets no new sandbox, only the pod kill",
       nullptr,
       [](Observed& o) {
         o.deleting = true;
         o.rt.sandboxReady = false;
       },
       {true, false, 1, {}, {}, {}}},

      // --- regular containers (the loop over pod.Spec.Containers; ShouldContainerBeRestarted)
      {"exited regular containers are restarted under Always, whatever their exit code",
       Always,
       [](Observed& o) {
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 111);
       },
       {false, false, 0, {}, {kApp, kWorker}, {}}},
      {"only the failed regular container is restarted under OnFailure",
       OnFailure,
       [](Observed& o) {
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 111);
       },
       {false, false, 0, {}, {kWorker}, {}}},
      {"a regular container that exited stays down under Never while another keeps running: do nothing",
       Never, [](Observed& o) { o.set(kWorker, ContainerState::Exited, 1); },
       {}},
      {"under Never, once every regular container exited the pod is killed and its sidecar is not restarted",
       Never,
       [](Observed& o) {
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 111);
       },
       {true, false, 0, {}, {}, {}}},
      {"a regular container created but never started is started again, even under Never",
       Never, [](Observed& o) { o.set(kWorker, ContainerState::Created); },
       {false, false, 0, {}, {kWorker}, {}}},
      {"a regular container in Unknown state is killed and started again, even under Never",
       Never, [](Observed& o) { o.set(kWorker, ContainerState::Unknown); },
       {false, false, 0, {}, {kWorker}, {{kWorker, KillReason::Unknown, true}}}},
      {"a regular container without any instance (never created, or garbage-collected) is started",
       nullptr, [](Observed& o) { o.drop(kWorker); },
       {false, false, 0, {}, {kWorker}, {}}},
      {"a running regular container whose image changed (spec hash) is killed and restarted, even under Never",
       [](api::Pod& p) {
         Never(p);
         p.containers[0].image = "nginx:1.28";
       },
       nullptr,
       {false, false, 0, {}, {kApp}, {{kApp, KillReason::DefinitionChanged, true}}}},
      {"a running regular container that failed its liveness probe is killed and restarted under Always",
       Always, [](Observed& o) { o.liveness(kApp, ProbeResult::Failure); },
       {false, false, 0, {}, {kApp}, {{kApp, KillReason::LivenessProbe, true}}}},
      {"a liveness failure under Never kills the container without restart; the pod lives on while another runs",
       Never, [](Observed& o) { o.liveness(kApp, ProbeResult::Failure); },
       {false, false, 0, {}, {}, {{kApp, KillReason::LivenessProbe, false}}}},
      {"a liveness failure under Never of the last running container kills the container and the pod",
       Never,
       [](Observed& o) {
         o.set(kWorker, ContainerState::Exited, 0);
         o.liveness(kApp, ProbeResult::Failure);
       },
       {true, false, 0, {}, {}, {{kApp, KillReason::LivenessProbe, false}}}},
      {"a running regular container that failed its startup probe is killed and restarted",
       [](api::Pod& p) { p.containers[1].startupProbe = api::Probe{}; },
       [](Observed& o) { o.startup(kWorker, ProbeResult::Failure); },
       {false, false, 0, {}, {kWorker}, {{kWorker, KillReason::StartupProbe, true}}}},
      {"a liveness result that is Unknown keeps the running container",
       nullptr, [](Observed& o) { o.liveness(kApp, ProbeResult::Unknown); },
       {}},
      {"a spec change wins over a failed liveness probe: the kill says the definition changed",
       [](api::Pod& p) { p.containers[0].image = "nginx:1.28"; },
       [](Observed& o) { o.liveness(kApp, ProbeResult::Failure); },
       {false, false, 0, {}, {kApp}, {{kApp, KillReason::DefinitionChanged, true}}}},
      {"a deleted pod restarts no exited container; with nothing running the pod is killed",
       nullptr,
       [](Observed& o) {
         o.deleting = true;
         o.set(kApp, ContainerState::Exited, 1);
         o.set(kWorker, ContainerState::Exited, 0);
       },
       {true, false, 0, {}, {}, {}}},

      // --- init containers (computeInitContainerActions)
      {"no init container has started yet: start the first one", nullptr, [](Observed& o) { o.dropAll(); },
       {false, false, 0, {kInit}, {}, {}}},
      {"an init container is running: wait, start nothing",
       nullptr,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Running);
       },
       {}},
      {"an init container exited 0: start the next init container",
       nullptr,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Exited, 0);
       },
       {false, false, 0, {kProxy}, {}, {}}},
      {"a failed init container is restarted under Always",
       Always,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Exited, 1);
       },
       {false, false, 0, {kInit}, {}, {}}},
      {"a failed init container is restarted under OnFailure",
       OnFailure,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Exited, 137);
       },
       {false, false, 0, {kInit}, {}, {}}},
      {"a failed init container under Never kills the pod and starts nothing",
       Never,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Exited, 1);
       },
       {true, false, 0, {}, {}, {}}},
      {"an init container in Unknown state is killed and started again under Always",
       Always,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Unknown);
       },
       {false, false, 0, {kInit}, {}, {{kInit, KillReason::Unknown, true}}}},
      {"an init container in Unknown state is killed and started again under OnFailure",
       OnFailure,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Unknown);
       },
       {false, false, 0, {kInit}, {}, {{kInit, KillReason::Unknown, true}}}},
      {"an init container in Unknown state under Never kills the pod",
       Never,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Unknown);
       },
       {true, false, 0, {}, {}, {}}},
      {"an init container stuck in Created is started again",
       nullptr,
       [](Observed& o) {
         o.dropAll();
         o.set(kInit, ContainerState::Created);
       },
       {false, false, 0, {kInit}, {}, {}}},
      {"after initialization a completed init container whose status was garbage-collected is not run again",
       nullptr, [](Observed& o) { o.drop(kInit); },
       {}},
      {"a later init container's status means the earlier ones are done: a failed earlier one is not rerun",
       Never,
       [](Observed& o) {
         noRegularContainers(o);
         o.set(kInit, ContainerState::Exited, 1);
         o.startupNotRun(kProxy);
       },
       {}},

      // --- sidecars (restartable init containers)
      {"a sidecar whose startup probe has not run yet: wait, start nothing after it",
       nullptr,
       [](Observed& o) {
         noRegularContainers(o);
         o.startupNotRun(kProxy);
       },
       {}},
      {"a sidecar whose startup probe result is Unknown: wait, start nothing after it",
       nullptr,
       [](Observed& o) {
         noRegularContainers(o);
         o.startup(kProxy, ProbeResult::Unknown);
       },
       {}},
      {"the last sidecar started (startup probe succeeded): initialization is done, start the regular containers",
       nullptr, noRegularContainers,
       {false, false, 0, {}, {kApp, kWorker}, {}}},
      {"a sidecar without a startup probe counts as started once running",
       [](api::Pod& p) { p.initContainers[1].startupProbe.reset(); },
       [](Observed& o) {
         noRegularContainers(o);
         o.startupNotRun(kProxy);
       },
       {false, false, 0, {}, {kApp, kWorker}, {}}},
      {"a sidecar that started for the first time and is not the last init container: start the next one",
       [](api::Pod& p) { std::swap(p.initContainers[0], p.initContainers[1]); },  // [proxy, init]
       [](Observed& o) {
         std::swap(o.rt.containers[0], o.rt.containers[1]);  // the instances follow their containers
         noRegularContainers(o);
         o.drop(1);
         o.set(0, ContainerState::Running);
         o.startup(0, ProbeResult::Success);
         o.liveness(0, ProbeResult::Success);
       },
       {false, false, 0, {1}, {}, {}}},
      {"a sidecar that failed its startup probe is killed and started again; nothing after it starts",
       nullptr,
       [](Observed& o) {
         noRegularContainers(o);
         o.startup(kProxy, ProbeResult::Failure);
       },
       {false, false, 0, {kProxy}, {}, {{kProxy, KillReason::StartupProbe, true}}}},
      {"a sidecar that failed its liveness probe is killed and started again; the regular containers still start",
       nullptr,
       [](Observed& o) {
         noRegularContainers(o);
         o.liveness(kProxy, ProbeResult::Failure);
       },
       {false, false, 0, {kProxy}, {kApp, kWorker}, {{kProxy, KillReason::LivenessProbe, true}}}},
      {"a sidecar whose image changed is killed and started again",
       [](api::Pod& p) { p.initContainers[1].image = "envoy:1.31"; },
       nullptr,
       {false, false, 0, {kProxy}, {}, {{kProxy, KillReason::DefinitionChanged, true}}}},
      {"an exited sidecar is restarted while the regular containers run, even under Never",
       Never, [](Observed& o) { o.set(kProxy, ContainerState::Exited, 137); },
       {false, false, 0, {kProxy}, {}, {}}},
      {"a sidecar in Unknown state is killed and started again, even under Never",
       Never, [](Observed& o) { o.set(kProxy, ContainerState::Unknown); },
       {false, false, 0, {kProxy}, {}, {{kProxy, KillReason::Unknown, true}}}},
      {"a sidecar stuck in Created is started again",
       nullptr, [](Observed& o) { o.set(kProxy, ContainerState::Created); },
       {false, false, 0, {kProxy}, {}, {}}},
      {"a sidecar whose status vanished after initialization is started again",
       nullptr, [](Observed& o) { o.drop(kProxy); },
       {false, false, 0, {kProxy}, {}, {}}},
      {"a Job-style pod under Never whose regular containers all succeeded: kill the pod, its running sidecar is "
       "stopped with it and not restarted",
       Never,
       [](Observed& o) {
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 0);
       },
       {true, false, 0, {}, {}, {}}},
      // v1.34-v1.36 (the inputs' default): exited regular containers do not mark the pod initialized, so an
      // exited last sidecar is restarted first. v1.37 (HasAnyActiveRegularContainerStarted) would kill the pod
      // at once; see the header.
      {"v1.34-1.36: a Job-style pod under Never whose last init container is an exited sidecar: restart the "
       "sidecar first, exited regular containers do not count as initialized",
       Never,
       [](Observed& o) {
         o.set(kProxy, ContainerState::Exited, 143);
         o.set(kApp, ContainerState::Exited, 0);
         o.set(kWorker, ContainerState::Exited, 0);
       },
       {false, false, 0, {kProxy}, {}, {}}},
      {"a dead sandbox of a pod with sidecars under Always: recreate it from the first init container",
       Always,
       [](Observed& o) {
         o.rt.sandboxReady = false;
         o.set(kProxy, ContainerState::Exited, 137);
       },
       {true, true, 1, {kInit}, {}, {}}},
  };
  return table;
}

}  // namespace

TEST_CASE("computePodActions: every named case of the table (one base pod, a mutation each) gives its expected "
          "actions") {
  for (const Case& c : cases()) {
    api::Pod pod = makeBasePod();
    Observed observed = makeBaseStatus(pod);  // instances created from the base spec
    if (c.mutatePod) c.mutatePod(pod);
    if (c.mutateStatus) c.mutateStatus(observed);
    REQUIRE(observed.rt.containers.size() == pod.containerCount());
    std::vector<std::uint32_t> hashes;  // the current spec's hashes: a mutated image no longer matches
    for (std::size_t i = 0; i < pod.containerCount(); ++i) hashes.push_back(specHashOf(pod.container(i)));
    kubelet::PodActions actions;
    kubelet::computePodActions({&pod, &observed.rt, &observed.probes, &hashes, observed.deleting}, actions);
    INFO("case: ", std::string(c.name));
    CHECK(describe(actions) == describe(c.actions));
  }
}

TEST_CASE("computePodActions table: at least 30 cases, each with its own name") {
  std::set<std::string> names;
  for (const Case& c : cases()) CHECK_MESSAGE(names.insert(c.name).second, "duplicate case name: ", c.name);
  CHECK(names.size() >= 30);
}

TEST_CASE("computePodActions clears the previous sync's actions before deciding") {
  api::Pod pod = makeBasePod();
  Observed observed = makeBaseStatus(pod);
  std::vector<std::uint32_t> hashes;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) hashes.push_back(specHashOf(pod.container(i)));
  kubelet::PodActions actions;
  actions.killPod = actions.createSandbox = true;
  actions.attempt = 5;
  actions.initContainersToStart = {0};
  actions.containersToStart = {2};
  actions.containersToKill = {{3, KillReason::Unknown, true}};
  kubelet::computePodActions({&pod, &observed.rt, &observed.probes, &hashes, false}, actions);
  CHECK(describe(actions) == describe(Expected{}));
}

TEST_CASE("hasAnyRegularContainerCreated: true once a regular container has any instance, whatever its state") {
  api::Pod pod = makeBasePod();
  Observed observed = makeBaseStatus(pod);
  CHECK(kubelet::hasAnyRegularContainerCreated(pod, observed.rt));
  observed.set(kApp, ContainerState::Exited, 0);
  observed.drop(kWorker);
  CHECK(kubelet::hasAnyRegularContainerCreated(pod, observed.rt));
  noRegularContainers(observed);
  CHECK_FALSE(kubelet::hasAnyRegularContainerCreated(pod, observed.rt));  // init and sidecar instances do not count
}

TEST_CASE("v1.37 HasAnyActiveRegularContainerStarted: only the current sandbox's regular containers mark the pod "
          "initialized, so after a node reboot the init containers run again before any regular container") {
  // Source: pkg/kubelet/container/helpers.go HasAnyActiveRegularContainerStarted (ActiveContainerStatuses),
  // kuberuntime_container.go computeInitContainerActions (v1.37.2).
  api::Pod pod = makeBasePod();
  std::vector<std::uint32_t> hashes;
  for (std::size_t i = 0; i < pod.containerCount(); ++i) hashes.push_back(specHashOf(pod.container(i)));
  struct Row {
    const char* name;
    std::uint16_t instancesSandbox;  // the sandbox attempt the exited regular containers were created in
    Expected actions;
  };
  const Row rows[] = {
      {"exited regular containers of an older sandbox (before a reboot): start the first init container", 0,
       {false, false, 0, {kInit}, {}, {}}},
      {"exited regular containers of the current sandbox: initialized; the sidecar and the app restart under "
       "Always", 1, {false, false, 0, {kProxy}, {kApp, kWorker}, {}}},
  };
  for (const Row& r : rows) {
    Observed o = makeBaseStatus(pod);
    o.rt.sandboxAttempt = 1;  // the sandbox was re-created after the reboot
    o.drop(kInit);            // the kubelet purged the old sandbox's init containers
    o.drop(kProxy);
    o.set(kApp, ContainerState::Exited, 255);
    o.set(kWorker, ContainerState::Exited, 255);
    for (std::int32_t c : {kApp, kWorker}) o.rt.containers[static_cast<std::size_t>(c)].latest.sandboxAttempt = r.instancesSandbox;
    kubelet::PodActionsInputs in{&pod, &o.rt, &o.probes, &hashes, false};
    in.anyActiveRegularContainerInitializes = true;
    kubelet::PodActions actions;
    kubelet::computePodActions(in, actions);
    INFO("case: ", std::string(r.name));
    CHECK(describe(actions) == describe(r.actions));
  }
}
