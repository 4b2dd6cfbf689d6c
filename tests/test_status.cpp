// tests/test_status.cpp: getPhase, conditions and the kubectl columns as tables of cases against one
// base pod (kubelet-semantics §1.2, §1.3, §12).
#include <doctest/doctest.h>

#include "models/kubelet/status.hpp"

using namespace podsim;
using kubelet::ApiContainerStatus;
using Kind = kubelet::ContainerStateValue::Kind;
using api::Reason;

namespace {

constexpr kubelet::KubernetesVersion kV135{1, 35};

api::Container container(const std::string& name) {
  api::Container c;
  c.name = name;
  c.image = "busybox";
  return c;
}

// Base pod: two init containers, one regular container.
api::Pod basePod(api::RestartPolicy policy = api::RestartPolicy::Always) {
  api::Pod p;
  p.name = "myapp-pod";
  p.initContainers = {container("init-myservice"), container("init-mydb")};
  p.containers = {container("myapp-container")};
  p.restartPolicy = policy;
  return p;
}

ApiContainerStatus waiting(Reason r = Reason::PodInitializing) {
  ApiContainerStatus s;
  s.state.kind = Kind::Waiting;
  s.state.reason = r;
  return s;
}
ApiContainerStatus running(bool ready = true) {
  ApiContainerStatus s;
  s.state.kind = Kind::Running;
  s.state.startedAt = 0;
  s.started = true;
  s.ready = ready;
  return s;
}
ApiContainerStatus terminated(int code, Reason r) {
  ApiContainerStatus s;
  s.state.kind = Kind::Terminated;
  s.state.exitCode = code;
  s.state.reason = r;
  s.ready = code == 0;
  return s;
}
ApiContainerStatus backoff(int lastCode, int restarts) {
  ApiContainerStatus s = waiting(Reason::CrashLoopBackOff);
  s.hasLastState = true;
  s.lastState.kind = Kind::Terminated;
  s.lastState.exitCode = lastCode;
  s.lastState.reason = lastCode == 0 ? Reason::Completed : Reason::Error;
  s.lastState.finishedAt = 0;
  s.restartCount = restarts;
  return s;
}

kubelet::ApiPodStatus status(const api::Pod& pod, std::vector<ApiContainerStatus> cs) {
  kubelet::ApiPodStatus s;
  s.containers = std::move(cs);
  s.hasContainerStatuses = true;
  s.phase = kubelet::getPhase(pod, s.containers, false);
  // Initialized as generate.go computes it, for printPod.
  bool init = kubelet::hasAnyRegularContainerStarted(pod, s.containers);
  if (!init) {
    init = true;
    for (std::size_t i = 0; i < pod.initContainers.size(); ++i) init = init && s.containers[i].ready;
  }
  s.condition(kubelet::ConditionType::Initialized) = {true, init, Reason::None};
  return s;
}

}  // namespace

TEST_CASE("getPhase and kubectl STATUS for a pod with two init containers (kubelet-semantics 1.2, 12)") {
  struct Case {
    const char* name;
    api::RestartPolicy policy;
    std::vector<ApiContainerStatus> cs;
    api::PodPhase phase;
    std::string printed;
    int ready, restarts;
  };
  const std::vector<Case> cases = {
      {"first init container running", api::RestartPolicy::Always, {running(false), waiting(), waiting()},
       api::PodPhase::Pending, "Init:0/2", 0, 0},
      {"first init done, second running", api::RestartPolicy::Always,
       {terminated(0, Reason::Completed), running(false), waiting()}, api::PodPhase::Pending, "Init:1/2", 0, 0},
      {"all init done, app not started", api::RestartPolicy::Always,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), waiting()}, api::PodPhase::Pending,
       "PodInitializing", 0, 0},
      {"app running and ready", api::RestartPolicy::Always,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), running()}, api::PodPhase::Running,
       "Running", 1, 0},
      {"init failed under Never", api::RestartPolicy::Never, {terminated(1, Reason::Error), waiting(), waiting()},
       api::PodPhase::Failed, "Init:Error", 0, 0},
      {"init failed under OnFailure, in back-off", api::RestartPolicy::OnFailure, {backoff(1, 2), waiting(), waiting()},
       api::PodPhase::Pending, "Init:CrashLoopBackOff", 0, 2},
      {"app in CrashLoopBackOff after init", api::RestartPolicy::Always,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), backoff(1, 3)}, api::PodPhase::Running,
       "CrashLoopBackOff", 0, 3},
      {"app exited 1 under Never", api::RestartPolicy::Never,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), terminated(1, Reason::Error)},
       api::PodPhase::Failed, "Error", 0, 0},
      {"app exited 0 under OnFailure", api::RestartPolicy::OnFailure,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), terminated(0, Reason::Completed)},
       api::PodPhase::Succeeded, "Completed", 0, 0},
      {"app exited 0 under Always is restarting, not Succeeded", api::RestartPolicy::Always,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), terminated(0, Reason::Completed)},
       api::PodPhase::Running, "Completed", 0, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const api::Pod pod = basePod(c.policy);
    const auto s = status(pod, c.cs);
    CHECK(std::string(api::toString(s.phase)) == std::string(api::toString(c.phase)));
    const auto p = kubelet::printPod(pod, s, false, kV135);
    CHECK(p.status() == c.printed);
    CHECK(p.ready == c.ready);
    CHECK(p.total == 1);
    CHECK(p.restarts == c.restarts);
  }
}

TEST_CASE("A pod with a deletionTimestamp prints Terminating unless its phase is terminal (12)") {
  const api::Pod pod = basePod();
  auto s = status(pod, {terminated(0, Reason::Completed), terminated(0, Reason::Completed), running()});
  CHECK(kubelet::printPod(pod, s, true, kV135).status() == "Terminating");
  s.phase = api::PodPhase::Succeeded;
  CHECK(kubelet::printPod(pod, s, true, kV135).status() != "Terminating");
}

TEST_CASE("printPod: the alphabetically first regular container's reason wins, and Completed with a running one reads Running") {
  api::Pod pod;
  pod.name = "p";
  pod.containers = {container("b-app"), container("a-job")};
  // a-job completed, b-app running and ready, pod Ready=True.
  kubelet::ApiPodStatus s = status(pod, {running(), terminated(0, Reason::Completed)});
  s.condition(kubelet::ConditionType::Ready) = {true, true, Reason::None};
  CHECK(kubelet::printPod(pod, s, false, kV135).status() == "Running");
  s.condition(kubelet::ConditionType::Ready) = {true, false, Reason::ContainersNotReady};
  CHECK(kubelet::printPod(pod, s, false, kV135).status() == "NotReady");
  // b-app waiting in back-off, a-job errored: reverse name order visits b-app first, a-job last wins.
  s = status(pod, {backoff(1, 1), terminated(2, Reason::Error)});
  CHECK(kubelet::printPod(pod, s, false, kV135).status() == "Error");
}

TEST_CASE("printPod per version: Completed beside a non-zero exit shows Completed up to 1.34 and the errorReason from 1.35 (PR #124766)") {
  api::Pod pod;
  pod.name = "p";
  pod.containers = {container("b-agent"), container("a-job")};
  pod.restartPolicy = api::RestartPolicy::Never;
  struct Case {
    const char* name;
    ApiContainerStatus agent;  // b-agent, visited first
    ApiContainerStatus job;    // a-job, visited last: its "Completed" is the loop's reason
    int minor;
    const char* want;
  };
  ApiContainerStatus exit3 = terminated(3, Reason::None);
  const std::vector<Case> cases = {
      {"1.34: Completed and Error -> Completed", terminated(1, Reason::Error), terminated(0, Reason::Completed), 34,
       "Completed"},
      {"1.35: Completed and Error -> Error", terminated(1, Reason::Error), terminated(0, Reason::Completed), 35, "Error"},
      {"1.37: Completed and Error -> Error", terminated(1, Reason::Error), terminated(0, Reason::Completed), 37, "Error"},
      {"1.37: Completed and exit 3 without reason -> ExitCode:3", exit3, terminated(0, Reason::Completed), 37,
       "ExitCode:3"},
      {"1.37: both Completed -> Completed", terminated(0, Reason::Completed), terminated(0, Reason::Completed), 37,
       "Completed"},
      {"1.37: Completed beside a running container not ready -> Completed (hasRunning needs ready)", running(false),
       terminated(0, Reason::Completed), 37, "Completed"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    kubelet::ApiPodStatus s = status(pod, {c.agent, c.job});
    s.condition(kubelet::ConditionType::Ready) = {true, false, Reason::ContainersNotReady};
    CHECK(kubelet::printPod(pod, s, false, kubelet::KubernetesVersion{1, c.minor}).status() == c.want);
  }
}

TEST_CASE("ShouldContainerBeRestarted follows the restart policy and never restarts a deleted pod (8.1)") {
  api::Pod pod = basePod(api::RestartPolicy::OnFailure);
  kubelet::RuntimePodStatus rt;
  rt.containers.resize(3);
  CHECK(kubelet::shouldContainerBeRestarted(pod, 2, rt, false));  // never started
  CHECK_FALSE(kubelet::shouldContainerBeRestarted(pod, 2, rt, true));
  rt.containers[2].hasLatest = true;
  rt.containers[2].latest.state = kubelet::ContainerState::Exited;
  rt.containers[2].latest.exitCode = 0;
  CHECK_FALSE(kubelet::shouldContainerBeRestarted(pod, 2, rt, false));
  rt.containers[2].latest.exitCode = 1;
  CHECK(kubelet::shouldContainerBeRestarted(pod, 2, rt, false));
  pod.restartPolicy = api::RestartPolicy::Never;
  CHECK_FALSE(kubelet::shouldContainerBeRestarted(pod, 2, rt, false));
  pod.restartPolicy = api::RestartPolicy::Always;
  rt.containers[2].latest.exitCode = 0;
  CHECK(kubelet::shouldContainerBeRestarted(pod, 2, rt, false));  // exit 0 under Always restarts too
}

TEST_CASE("hasPodInitialized and initializedContainers decide which containers TerminatePod marks ContainerStatusUnknown") {
  api::Pod sidecarPod = basePod();
  sidecarPod.initContainers[1].restartPolicy = api::RestartPolicy::Always;  // init-mydb is a sidecar
  api::Pod noInit = basePod();
  noInit.initContainers.clear();
  ApiContainerStatus started = running();
  started.started = true;
  ApiContainerStatus runningNotStarted = running();
  runningNotStarted.started = false;
  struct Case {
    const char* name;
    const api::Pod* pod;
    std::vector<ApiContainerStatus> cs;
    bool initialized;
    std::size_t markedInit;
  };
  const api::Pod base = basePod();
  const std::vector<Case> cases = {
      {"no init containers: always initialized", &noInit, {waiting(Reason::ContainerCreating)}, true, 0},
      {"nothing started: not initialized, the first init container still marked", &base,
       {waiting(), waiting(), waiting()}, false, 1},
      {"second init container running: both init containers marked", &base,
       {terminated(0, Reason::Completed), running(), waiting()}, false, 2},
      {"last init container exited 0: initialized", &base,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), waiting()}, true, 2},
      {"last init container failed in back-off (lastState exit 1): not initialized", &base,
       {terminated(0, Reason::Completed), backoff(1, 2), waiting()}, false, 2},
      {"a regular container left waiting: initialized", &base,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), running()}, true, 2},
      {"last init container a started sidecar: initialized", &sidecarPod,
       {terminated(0, Reason::Completed), started, waiting()}, true, 2},
      {"last init container a sidecar running but not started: not initialized", &sidecarPod,
       {terminated(0, Reason::Completed), runningNotStarted, waiting()}, false, 2},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::hasPodInitialized(*c.pod, c.cs) == c.initialized);
    CHECK(kubelet::initializedContainers(*c.pod, c.cs) == c.markedInit);
  }
}

TEST_CASE("TerminatePod: a pod deleted before any container started shows ContainerStatusUnknown (137), not waiting") {
  const auto terminate = [](const api::Pod& pod, std::vector<ApiContainerStatus> cs) {
    kubelet::StatusInputs in;
    in.pod = &pod;
    in.podIsTerminal = true;
    in.readyToStartContainersCondition = false;
    kubelet::ApiPodStatus s;
    s.containers = std::move(cs);
    kubelet::generatePodLevelStatus(in, s);
    return s;
  };
  // Without init containers: every regular container (status_manager.go TerminatePod, hasPodInitialized).
  api::Pod noInit = basePod();
  noInit.initContainers.clear();
  auto s = terminate(noInit, {waiting(Reason::ContainerCreating)});
  CHECK((s.phase == api::PodPhase::Failed));
  CHECK((s.containers[0].state.kind == Kind::Terminated));
  CHECK((s.containers[0].state.reason == Reason::ContainerStatusUnknown));
  CHECK(s.containers[0].state.exitCode == 137);
  CHECK(kubelet::printPod(noInit, s, true, kV135).status() == "ContainerStatusUnknown");
  // With init containers, none started: the first init container only (initializedContainers).
  const api::Pod pod = basePod();
  s = terminate(pod, {waiting(), waiting(), waiting()});
  CHECK((s.containers[0].state.reason == Reason::ContainerStatusUnknown));
  CHECK((s.containers[1].state.kind == Kind::Waiting));
  CHECK((s.containers[2].state.kind == Kind::Waiting));
  CHECK(kubelet::printPod(pod, s, true, kV135).status() == "Init:ContainerStatusUnknown");
}

TEST_CASE("OnPodSandboxReady sets PodReadyToStartContainers True, replacing or appending, and nothing else (kubelet.go OnPodSandboxReady, 1.36+)") {
  using kubelet::ConditionType;
  struct Case {
    const char* name;
    kubelet::PodCondition before;
    bool changed;
  };
  const Case cases[] = {
      {"absent: appended", {false, false, Reason::None}, true},
      {"False: replaced", {true, false, Reason::None}, true},
      {"already True: no change", {true, true, Reason::None}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    kubelet::ApiPodStatus s;
    s.phase = api::PodPhase::Pending;
    s.containers = {waiting(), waiting(), waiting(Reason::PodInitializing)};
    s.condition(ConditionType::PodReadyToStartContainers) = c.before;
    s.condition(ConditionType::PodScheduled) = {true, true, Reason::None};
    const kubelet::ApiPodStatus was = s;
    CHECK(kubelet::OnPodSandboxReady(s) == c.changed);
    CHECK(s.condition(ConditionType::PodReadyToStartContainers) == kubelet::PodCondition{true, true, Reason::None});
    kubelet::ApiPodStatus rest = s;
    rest.condition(ConditionType::PodReadyToStartContainers) = was.condition(ConditionType::PodReadyToStartContainers);
    CHECK(rest == was);  // phase, containers and the other conditions untouched
  }
}

TEST_CASE("Initialized condition message: generate.go GeneratePodInitializedCondition names every init container not initialized") {
  api::Pod sidecarPod = basePod();
  sidecarPod.initContainers[1].restartPolicy = api::RestartPolicy::Always;  // init-mydb is a sidecar
  const api::Pod base = basePod();
  ApiContainerStatus startedSidecar = running(false);  // a sidecar counts once started, ready or not
  struct Case {
    const char* name;
    const api::Pod* pod;
    std::vector<ApiContainerStatus> cs;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"nothing started: both named, in spec order", &base, {waiting(), waiting(), waiting()},
       "containers with incomplete status: [init-myservice init-mydb]"},
      {"the first failed (not ready): both named", &base, {terminated(1, Reason::Error), waiting(), waiting()},
       "containers with incomplete status: [init-myservice init-mydb]"},
      {"the first done (ready): only the second", &base, {terminated(0, Reason::Completed), running(false), waiting()},
       "containers with incomplete status: [init-mydb]"},
      {"all done: no message (the condition is True)", &base,
       {terminated(0, Reason::Completed), terminated(0, Reason::Completed), waiting()}, ""},
      {"a regular container started: no message (HasAnyRegularContainerStarted)", &base,
       {waiting(), waiting(), running()}, ""},
      {"a started sidecar is initialized though not ready", &sidecarPod,
       {terminated(0, Reason::Completed), startedSidecar, waiting()}, ""},
      {"a sidecar running but not started is not", &sidecarPod,
       {terminated(0, Reason::Completed), [] { auto s = running(false); s.started = false; return s; }(), waiting()},
       "containers with incomplete status: [init-mydb]"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::podInitializedConditionMessage(*c.pod, c.cs) == c.message);
  }
}

TEST_CASE("generateAPIPodStatus ShouldEvict: past the active deadline the phase is Failed (DeadlineExceeded) at every generation, even once every container exited 0") {
  // kubelet_pods.go generateAPIPodStatus: getPhase, then PodSyncHandlers ShouldEvict overrides phase and
  // reason; only an API phase already Succeeded is forced back (podsim keeps Succeeded and its reason).
  api::Pod pod = basePod();
  pod.initContainers.clear();
  struct Case {
    const char* name;
    bool hasPrevious;
    api::PodPhase previousPhase;
    Reason previousReason;
    ApiContainerStatus container;
    bool terminal;
    api::PodPhase phase;
    Reason reason;
  };
  const std::vector<Case> cases = {
      {"running, first generation past the deadline", false, api::PodPhase::Pending, Reason::None, running(), false,
       api::PodPhase::Failed, Reason::DeadlineExceeded},
      {"after the kill the container exited 0 (pause on SIGTERM): still Failed, not Succeeded", true,
       api::PodPhase::Failed, Reason::DeadlineExceeded, terminated(0, Reason::Completed), true, api::PodPhase::Failed,
       Reason::DeadlineExceeded},
      {"exited 143: Failed either way", true, api::PodPhase::Failed, Reason::DeadlineExceeded,
       terminated(143, Reason::Error), true, api::PodPhase::Failed, Reason::DeadlineExceeded},
      {"already Succeeded before: kept (simplification of the forced-back API phase)", true, api::PodPhase::Succeeded,
       Reason::None, terminated(0, Reason::Completed), true, api::PodPhase::Succeeded, Reason::None},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    kubelet::ApiPodStatus previous;
    previous.phase = c.previousPhase;
    previous.reason = c.previousReason;
    previous.containers = {c.container};
    kubelet::StatusInputs in;
    in.pod = &pod;
    in.previous = c.hasPrevious ? &previous : nullptr;
    in.podIsTerminal = c.terminal;
    in.readyToStartContainersCondition = false;
    in.pastActiveDeadline = true;
    in.scheduled = true;
    kubelet::ApiPodStatus s;
    s.containers = {c.container};
    kubelet::generatePodLevelStatus(in, s);
    CHECK((s.phase == c.phase));
    CHECK((s.reason == c.reason));
  }
}
