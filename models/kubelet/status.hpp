// models/kubelet/status.hpp: the kubelet's status decisions, as pure functions of spec and observed state.
//
// Owns: which container should be restarted (ShouldContainerBeRestarted), the API container statuses
// (convertToAPIContainerStatuses), `started`/`ready` (prober_manager UpdatePodStatus), the pod phase
// (getPhase), the conditions (status/generate.go) and the `kubectl get pods` columns (printPod).
// No clock, no randomness, no simulation access: tested by tables of cases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/api/types.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/config.hpp"
#include "models/kubelet/runtime_status.hpp"

namespace podsim::kubelet {

/// A probe result as the prober's results manager stores it. Source: pkg/kubelet/prober/results.
enum class ProbeResult : std::uint8_t { Unknown, Success, Failure };

/// Probe results of one container's current instance; `*Found` false: no result stored yet.
struct ContainerProbeResults {
  bool startupFound = false;
  ProbeResult startup = ProbeResult::Unknown;
  bool livenessFound = false;
  ProbeResult liveness = ProbeResult::Success;
  bool readinessFound = false;
  ProbeResult readiness = ProbeResult::Failure;
};

/// The kubelet's reason cache entry for a container: the error of its last failed start
/// (CrashLoopBackOff, ErrImagePull, ...). Source: pkg/kubelet/reason_cache.go.
struct ReasonCacheEntry {
  bool present = false;
  api::Reason reason = api::Reason::None;
  Time backoff = 0;  // for CrashLoopBackOff: the back-off in force (message "back-off 20s ...")
};

/// Everything status generation reads. Vectors are by unified container index.
struct StatusInputs {
  const api::Pod* pod = nullptr;
  const RuntimePodStatus* runtime = nullptr;          // the pod cache (what the PLEG last saw)
  const ApiPodStatus* previous = nullptr;             // the status the API holds now
  const std::vector<ReasonCacheEntry>* reasons = nullptr;
  const std::vector<ContainerProbeResults>* probes = nullptr;
  bool deleting = false;      // deletionTimestamp set
  bool podIsTerminal = false; // the pod worker finished terminating the pod (SyncTerminatingPod)
  bool scheduled = true;
  bool readyToStartContainersCondition = true;  // PodReadyToStartContainersCondition gate (1.29+)
  bool containerRestartRules = true;            // ContainerRestartRules gate (beta, on, 1.35+)
  bool restartAllContainers = true;             // RestartAllContainersOnContainerExits gate (beta, on, 1.36+)
  /// activeDeadlineSeconds has passed (models/kubelet/active_deadline pastActiveDeadline): ShouldEvict
  /// turns the phase Failed with reason DeadlineExceeded.
  bool pastActiveDeadline = false;
  /// KEP-5532, only read with restartAllContainers: the pod has a RestartAllContainers rule (the condition
  /// is generated for it only); ShouldAllContainersRestart's answer (kubelet_pods.go generateAPIPodStatus
  /// `podRestarting`); AllContainersRestartCleanedUp's answer. See models/kubelet/restart_rules.hpp.
  bool hasRestartAllRule = false;
  bool podRestarting = false;
  bool restartAllCleanedUp = false;
  /// In-place resize (1.33+): the status manager's PodResizePending condition (reason Infeasible or
  /// Deferred; None: absent) and whether PodResizeInProgress is set. Both are True while present.
  /// Source: pkg/kubelet/status/status_manager.go podResizeConditions, kubelet_pods.go generateAPIPodStatus.
  api::Reason resizePending = api::Reason::None;
  bool resizeInProgress = false;
  /// Containers whose inputs (runtime slot, reason cache entry, probe results, spec) may have changed
  /// since `previous` was generated: bit i for unified index i < 64 (containers from 64 on are always
  /// regenerated). The others are copied from `previous`, which gives the same result because
  /// generation is a fixed point of its own output while the runtime reports no Unknown state.
  /// ~0 (the default): regenerate every container.
  std::uint64_t regenerate = ~0ULL;
};

/// Effective restart policy of container i: its own `restartPolicy` when set (sidecars: Always),
/// else the pod's. Source: pkg/api/v1/pod/util.go ContainerShouldRestart (1.34+), helpers.go.
api::RestartPolicy effectiveRestartPolicy(const api::Pod& pod, std::size_t i);

/// Whether a non-running container i will be (re)started by a coming sync: with ContainerRestartRules on,
/// ContainerShouldRestart (the first matching rule, the container's policy, then the pod's); with it off
/// (before 1.35 by default) the POD's policy only, so a sidecar under pod Never is not restarted here.
/// Source: pkg/kubelet/container/helpers.go ShouldContainerBeRestarted (v1.34.3..v1.37.2), via
/// restart_rules.hpp ShouldContainerBeRestarted.
bool shouldContainerBeRestarted(const api::Pod& pod, std::size_t i, const RuntimePodStatus& runtime,
                                bool deleting, bool containerRestartRules = true, bool restartAllContainers = true);

/// The API container statuses (unified index order) from the runtime status, the previous API
/// status and the reason cache; `started` and `ready` from the probe results.
/// Source: pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses;
/// pkg/kubelet/prober/prober_manager.go UpdatePodStatus.
void convertToAPIContainerStatuses(const StatusInputs& in, std::vector<ApiContainerStatus>& out);

/// The same for container i alone, into `out`, which must not be in.previous->containers[i].
void convertContainerStatus(const StatusInputs& in, std::size_t i, ApiContainerStatus& out);

/// The pod phase from the API container statuses. Source: pkg/kubelet/kubelet_pods.go getPhase
/// (sidecar-aware, 1.28+).
/// With ContainerRestartRules on (`containerRestartRules`), stopped regular containers count as restarting
/// when ContainerShouldRestart says so for their (last) exit code, whatever the pod's policy (v1.35.4+ getPhase;
/// the same as the pod policy for pods without container policies).
api::PodPhase getPhase(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses,
                       bool podIsTerminal, bool containerRestartRules = true, bool restartAllContainers = true);

/// Whether some regular container's current state is running or terminated.
/// Source: pkg/kubelet/container/helpers.go HasAnyRegularContainerStarted.
bool hasAnyRegularContainerStarted(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses);

/// Whether TerminatePod treats the pod as initialized (its regular containers without a terminated state
/// become ContainerStatusUnknown): no init containers; or a regular container that left waiting or has a
/// terminated lastState; or the last init container running and started (a sidecar) or terminated with 0
/// now or in its lastState (a regular init container). `statuses`: unified index order.
/// Source: pkg/kubelet/status/status_manager.go hasPodInitialized (v1.28..v1.37).
bool hasPodInitialized(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses);

/// The message of the Initialized condition when it is False: "containers with incomplete status: [a b]"
/// naming, in spec order, each init container not initialized (a plain init container not ready, a sidecar
/// not started); empty when every init container is initialized or a regular container has started (the
/// condition is then True). `statuses`: unified index order, one per container (podsim always reports one,
/// so the "containers with unknown status" part never applies). Made only for reports and tests, never in
/// the kubelet step. Source: pkg/kubelet/status/generate.go GeneratePodInitializedCondition and
/// isInitContainerInitialized (v1.28..v1.37).
std::string podInitializedConditionMessage(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses);

/// How many leading init containers TerminatePod marks ContainerStatusUnknown when not terminated: up to
/// the last one that left waiting or has a terminated lastState, and always at least the first (0 without
/// init containers). Source: pkg/kubelet/status/status_manager.go initializedContainers (v1.28..v1.37).
std::size_t initializedContainers(const api::Pod& pod, const std::vector<ApiContainerStatus>& statuses);

/// The whole API status as the kubelet generates it at the start of a sync: container statuses,
/// phase (terminal phases are sticky), conditions. Source: pkg/kubelet/kubelet_pods.go
/// generateAPIPodStatus; pkg/kubelet/status/generate.go.
ApiPodStatus generateAPIPodStatus(const StatusInputs& in);

/// The same, into `out` (its vector's capacity is reused: no allocation once sized).
void generateAPIPodStatus(const StatusInputs& in, ApiPodStatus& out);

/// The pod-level half of generateAPIPodStatus: reason, phase and conditions of `out` from its container
/// statuses (already in `out.containers`, e.g. from convertToAPIContainerStatuses) and the inputs; with
/// in.podIsTerminal, also TerminatePod's changes to the container statuses. `out` may be *in.previous.
void generatePodLevelStatus(const StatusInputs& in, ApiPodStatus& out);

/// Regenerates Ready and ContainersReady after a container's `ready` changed, as the status manager
/// does when a readiness result arrives. Source: pkg/kubelet/status/status_manager.go SetContainerReadiness.
void updateReadinessConditions(const api::Pod& pod, ApiPodStatus& status);

/// Regenerates Initialized after a container's `started` changed (status_manager.go SetContainerStartup).
void updateInitializedCondition(const api::Pod& pod, ApiPodStatus& status);

/// The status the kubelet's OnPodSandboxReady callback writes (1.36+): `status` (the status manager's
/// cached status) with PodReadyToStartContainers True, replaced or appended; nothing else changes. Returns
/// whether the condition changed. The runtime calls it in SyncPod right after the sandbox and its network
/// are ready, before image pulls, and the status manager takes the result at once.
/// Source: pkg/kubelet/kubelet.go OnPodSandboxReady (v1.36.3, v1.37.2; absent in v1.35.4), called from
/// pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod step 5 (kubernetes PR #134660).
bool OnPodSandboxReady(ApiPodStatus& status);

/// What `kubectl get pods` prints for a pod: READY, STATUS, RESTARTS.
/// Source: pkg/printers/internalversion/printers.go printPod.
struct PrintedPod {
  // Ordered by size: 32 bytes without padding (every pod keeps one in its last record).
  Time lastRestart = -1;  // newest lastState.finishedAt among counted containers, ns; -1 none
  std::int32_t ready = 0;
  std::int32_t total = 0;
  std::int32_t restarts = 0;
  std::int32_t number = 0;  // signal, exit code, or init index i
  std::int32_t of = 0;      // N for Init:i/N
  /// STATUS: `prefix` + reason / "Signal:n" / "ExitCode:n" / "i/N". Kinds:
  enum class Kind : std::uint8_t { Reason, InitReason, InitSignal, InitExitCode, InitProgress, Signal, ExitCode };
  Kind kind = Kind::Reason;
  api::Reason reason = api::Reason::Pending;
  bool operator==(const PrintedPod&) const = default;
  /// The STATUS column text, e.g. "Init:0/2", "CrashLoopBackOff", "Init:ExitCode:3".
  [[nodiscard]] std::string status() const;
};

/// Computes the kubectl columns as kubectl of `version` prints them (the "Completed" fix-up changed in 1.35,
/// see printer.hpp). `deleting`: the pod has a deletionTimestamp. `byName`: optional, the unified indices of
/// the regular containers sorted by name (containers.size() entries), to spare the sort.
PrintedPod printPod(const api::Pod& pod, const ApiPodStatus& status, bool deleting, KubernetesVersion version,
                    const std::int32_t* byName = nullptr);

/// The unified indices of the pod's regular containers in name order (the API's sort of containerStatuses).
std::vector<std::int32_t> regularContainersByName(const api::Pod& pod);

}  // namespace podsim::kubelet
