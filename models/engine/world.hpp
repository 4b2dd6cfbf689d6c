// models/engine/world.hpp: the state of the simulated world that the engine's components share: one
// PodState per pod (its runtime state, pod cache, API status, pod worker, probe workers, processes), one
// NodeState per node (PLEG, image puller, the control plane's view), and the engine's constants.
//
// Owns the shapes only; each component file (models/engine/*.cpp) says which part it acts on. Does not
// own any decision (models/kubelet) nor the event loop (sim/).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/api/types.hpp"
#include "models/cluster/node_search.hpp"
#include "models/cluster/scheduling.hpp"
#include "models/engine/memos.hpp"
#include "models/kubelet/api_status.hpp"
#include "models/kubelet/backoff.hpp"
#include "models/kubelet/pod_actions.hpp"
#include "models/kubelet/prober.hpp"
#include "models/kubelet/resize.hpp"
#include "models/kubelet/runtime_status.hpp"
#include "models/kubelet/status.hpp"
#include "models/scenario/scenario.hpp"
#include "models/trace/trace.hpp"
#include "sim/environment.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace podsim::engine {

using sim::Time;

using api::Reason;
using kubelet::ApiPodStatus;
using kubelet::ContainerState;
using kubelet::KillReason;
using scenario::Timing;
using sim::EventId;
using sim::kSecond;

inline constexpr std::uint32_t kStreamPodWorker = 1;
inline constexpr std::uint32_t kStreamNode = 2;
inline constexpr Time kRelistPeriod = 1 * kSecond;       // kubelet.go genericPlegRelistPeriod
inline constexpr Time kSyncTickPeriod = 1 * kSecond;     // kubelet.go syncLoop syncTicker
inline constexpr std::uint32_t kShellStepsPerInstant = 100'000;  // a loop that never sleeps is a busy loop



/// Where a kill of a container stands (kuberuntime_container.go killContainer).
enum class KillPhase : std::uint8_t { None, PreStop, Ordered, Term };

/// A container's live process (of its newest instance).
struct Proc {
  Time killStart = 0;
  Time killGrace = 0;
  EventId killTimer;
  std::int32_t pc = 0;           // shell program counter
  std::int32_t status = 0;       // shell $?
  std::uint32_t steps = 0;       // shell steps taken at the current instant
  KillPhase kill = KillPhase::None;
  // Flags as bits, in the padding: the struct is 64 bytes (one per container of every pod).
  bool alive : 1 = false;
  bool killWaiter : 1 = false;   // a kill in this pod's sync or termination waits for its exit
  bool ignoresSigterm : 1 = false;
  bool sigtermSent : 1 = false;
  bool orderedKill : 1 = false;  // a sidecar in ordered termination (kuberuntime_termination_order.go)
  Time stepsAt = -1;
  EventId exitEvent;
  EventId wakeEvent;
};
static_assert(sizeof(Proc) <= 64, "a pod keeps one per container: mind the memory per pod (README, Performance)");

/// An exec lifecycle hook's command running in a container, interpreted as a container's shell script is
/// (runtime.ipp runHook). One per container; a new hook replaces an unfinished one.
struct HookRun {
  const scenario::ShellProgram* prog = nullptr;
  std::int32_t pc = 0;        // shell program counter
  std::int32_t status = 0;    // shell $?
  std::uint32_t steps = 0;    // steps taken at stepsAt
  Time stepsAt = -1;
  EventId wakeEvent;
  bool active = false;
  bool preStop = false;       // false: postStart
  /// What the command wrote: index of its buffer in SimulationImpl::hookOut (taken at its first line, only
  /// when the trace is stored); -1: nothing written.
  std::int32_t outBuf = -1;
};

/// How one container start of the current sync ended (the reason cache's input).
enum class StartOutcome : std::uint8_t { None, Started, Failed };

/// Result of one container start in the current sync: Failed carries the reason and back-off (ns)
/// that the reason cache keeps (kuberuntime_manager.go SyncPod's startContainerResult).
struct StartResult {
  StartOutcome outcome = StartOutcome::None;
  Reason reason = Reason::None;
  Time backoff = 0;
};

/// What SimulationImpl::startContainer returned: the container failed to start, started, or the start
/// is blocked (on an image pull, a postStart hook, or the kill after a failed postStart).
enum class StartStep : std::uint8_t { Failed, Started, Blocked };

/// Where the start of the sync's current container stands, so that a blocked start resumes there.
enum class StartPhase : std::uint8_t {
  Begin,              // back-off check and image decision still to come
  AwaitPull,          // waiting for its image pull
  AwaitPostStart,     // started; waiting for its postStart hook
  AwaitPostStartKill, // postStart failed; waiting for the kill that follows
};

enum class WorkerMode : std::uint8_t { Idle, WaitingCache, Syncing, Terminating, Terminated };
enum class Stage : std::uint8_t { Kill, Sandbox, Init, Regular, Done };
enum class Wait : std::uint8_t { None, Pull, Kill, PostStart };

using kubelet::ProbeType;

/// One probe worker (pkg/kubelet/prober/worker.go): created at the pod's first sync, ticking every
/// periodSeconds from its creation, keyed on the container ID it last saw. A pod holds one per probe of
/// its spec (PodState::workers, in container then type order), 40 bytes each.
struct ProbeWorker {
  const api::Probe* spec = nullptr;
  EventId tick;
  kubelet::ProbeWorkerMemory memory;  // what doProbe keeps between ticks (models/kubelet/prober)
  std::uint16_t container = 0;  // unified index of the probed container
  ProbeType type = ProbeType::Startup;
  bool exists : 1 = false;
  bool stopped : 1 = false;
  bool idle : 1 = false;           // ticks known to change nothing are skipped; woken when the pod's state changes
  bool manualPending : 1 = false;  // a manual trigger waits (the kubelet's channel holds one)
  bool unforeseeable : 1 = false;  // results depend on other objects or random draws: no tick is skipped
  Time lastTick = -1;              // when the ticker last fired (a wake in that instant must not fire it again)

  /// Back to a worker not yet created (a kubelet restart), for the same container and probe.
  void clear() {
    const std::uint16_t c = container;
    const ProbeType t = type;
    *this = ProbeWorker{};
    container = c;
    type = t;
  }
};
static_assert(sizeof(ProbeWorker) <= 40, "a pod keeps one per probe: mind the memory per pod (README, Performance)");

struct PullBackoff {
  std::int32_t image = -1;
  kubelet::BackoffEntry entry;
};

/// One pod's state. Members are grouped by size (8-byte, then 4-, 2- and 1-byte ones) so that the struct
/// has no padding inside: a fleet keeps one per pod (README, Fleets).
struct PodState {
  // ---- 8-byte members (pointers, times, vectors, counters) ----
  // The pod's spec and behaviours: the scenario entry of the first pod with the same ones
  // (scenario::sameSpec), shared by all such pods so that a fleet of replicas reads one copy. Never
  // read the pod's metadata (name, namespace, labels) here: those are sc.pods[index].pod's.
  const scenario::PodEntry* spec = nullptr;
  cluster::Resources requests;     // effective requests (§13), computed once
  Time createdAt = 0;
  Time deletionGrace = -1;
  kubelet::RuntimePodStatus runtime;
  kubelet::RuntimePodStatus cache;
  // `runtime` changes only together with markDirty (the PLEG's only way to notice), which bumps
  // runtimeVersion; cacheVersion is the runtimeVersion `cache` was copied at. Equal versions mean an
  // equal cache, so the PLEG's comparison is skipped (refreshCache).
  std::uint64_t runtimeVersion = 0;
  std::uint64_t cacheVersion = 0;
  // Containers whose runtime slot was written since the cache was last refreshed (containerBit mask;
  // every write of ps.runtime.containers sets its bit): the others equal their cache slot.
  std::uint64_t runtimeTouched = 0;
  std::vector<Proc> procs;
  std::vector<HookRun> hookRuns;  // by unified index, made at the pod's first exec hook (empty: none ran)
  std::vector<EventId> faultEvents;  // per container: its injected crash or OOM kill (models/faults); empty without faults
  std::vector<kubelet::ReasonCacheEntry> reasons;
  std::vector<kubelet::BackoffEntry> crash;
  std::vector<PullBackoff> pullBackoffs;  // made by a failed pull only (failPull)
  std::vector<kubelet::ContainerProbeResults> probes;
  std::vector<std::uint32_t> specHash;
  std::vector<std::int32_t> imageIds;
  ApiPodStatus api;  // the kubelet's status (status manager cache); the API's phase differs while phaseHeld
  // activeDeadlineSeconds: when status.startTime was set (the first status write on the node), -1 before.
  Time startTime = -1;
  std::int64_t activeDeadlineSeconds = -1;  // set by updatePod; -1: the manifest's
  // Containers the new kubelet counts as running before its restart (ChangeContainerStatusOnKubeletRestart
  // off): their probe workers store no initial result (containerBit mask).
  std::uint64_t keptOnRestart = 0;
  std::uint64_t readinessUnprobed = 0;  // of those, no readiness result stored yet (manual triggers go on)
  // Bumped at every change of api.containers or api.hasContainerStatuses (writeStatus,
  // setProbeResult): emitPodRecord skips printPod while it and the record's other inputs are unchanged.
  std::uint64_t apiSerial = 0;
  std::uint64_t recordSerial = 0;
  StatusMemo statusMemo;  // invalidated only by SimulationImpl::statusInputsChanged
  std::vector<std::int32_t> byName;  // regular containers in name order (printPod)
  trace::PodStatusRecord lastRecord;
  // pod worker
  Time lastSyncEnd = -1;
  kubelet::PodActions actions;
  std::size_t cursor = 0;
  // KEP-5532 RestartAllContainers: the restart count each removed container's next instance gets
  // (kuberuntime_container.go startContainer, calcRestartCountByLogDir); empty without such a rule.
  std::vector<std::int32_t> restartsAfterReset;
  std::vector<ProbeWorker> workers;      // one per probe in the spec, in container then type order
  std::vector<std::int16_t> workerAt;   // 3 per container (startup, liveness, readiness): index in workers, -1 none
  Time probeAnchor = 0;  // when the workers were created: each ticks at probeAnchor + k * its period
  Time pullRequestedAt = 0;
  Time pullTook = 0;  // ns the current pull takes (a re-pull of a present image: only the round trips)
  std::vector<StartResult> results;
  Time errorDue = sim::kForever;  // earliest requeue asked for by a back-off error
  // summary
  Time readySince = -1;
  Time readyTime = 0;
  Time readyAt = -1;
  Time initializedAt = -1;
  // ---- 4-byte members ----
  std::int32_t index = -1;
  std::int32_t node = -1;
  EventId deadlineEvent;
  EventId requeueEvent;
  EventId deferredEvent;
  ActionsMemo actionsMemo;  // whether `actions` still hold; invalidated only by statusInputsChanged
  std::int32_t pendingKills = 0;
  std::int32_t pulling = -1;  // container whose pull the sync waits for
  sim::RandomStream rng;
  // ---- 1-byte members ----
  bool created = false;
  bool scheduled = false;
  bool unschedulable = false;      // waiting in the scheduler's unschedulable queue
  bool holdsResources = false;     // its requests count on its node
  bool deleting = false;
  bool removed = false;
  bool apiGone = false;            // forced deletion: the API object is gone, the kubelet still terminates
  bool terminal = false;
  bool dirty = false;              // waiting in its node's PLEG dirty list
  bool pullFailed = false;
  bool syncError = false;
  Stage stage = Stage::Done;
  // mergePodStatus (models/kubelet/status_merge): the terminal phase is held back from the API while a
  // container may still run; the API keeps heldPhase/heldReason meanwhile.
  bool phaseHeld = false;
  api::PodPhase heldPhase = api::PodPhase::Pending;
  Reason heldReason = Reason::None;
  bool hasRecord = false;
  bool printedStale = false;  // trace off: lastRecord.printed not computed (printedOf computes it)
  // pod worker
  WorkerMode mode = WorkerMode::Idle;
  bool pending = false;
  Wait wait = Wait::None;
  bool killIssued = false;
  // KEP-5532 RestartAllContainers (only pods with such a rule use these): the pod has a rule with that
  // action; the runtime SyncPod of this sync resets every container (restartingAllContainers); a container
  // was removed, so the pod worker is requeued at once (kubelet.go SyncPod).
  bool hasRestartAllRule = false;
  bool resetAll = false;
  bool resetRemoved = false;
  bool workersCreated = false;
  StartPhase startPhase = StartPhase::Begin;  // where the start of the current container stands
  bool hookFailed = false;
  bool plainError = false;        // an error that is not a crash-loop back-off
  bool pullFailedThisSync = false;  // ideal timing: look again at once, to show ImagePullBackOff
  bool anyResult = false;           // some entry of `results` is set (else all are StartResult{})
  Reason pullFault = Reason::None;  // the current pull fails by an injected fault (models/faults)
};

/// In-place resize of one pod (models/engine/resize.ipp): kept beside the pods, only for pods some
/// resizeContainer action touched (SimulationImpl::resizes), so PodState does not grow. By unified index.
struct ResizeState {
  std::vector<api::ResourceRequirements> desired;    // the API's spec.containers[*].resources (after the patches)
  std::vector<api::ResourceRequirements> allocated;  // the kubelet's allocation checkpoint (allocation manager)
  std::vector<kubelet::ContainerResources> allocatedView;  // `allocated` as the kubelet compares it
  std::vector<kubelet::ContainerResources> actuated;  // what each container's current instance runs with
  std::vector<std::uint8_t> restart;  // computePodResizeAction answered Restart (PodActionsInputs::resizeRestart)
  bool anyRestart = false;
  Reason pending = Reason::None;      // PodResizePending: Infeasible or Deferred; None: absent
  bool inProgress = false;            // PodResizeInProgress
  std::int32_t patches = 0;           // resizes the API accepted (each bumps metadata.generation)
  std::int32_t pendingPatches = -1;   // `patches` when the pending Event was last recorded
  sim::Time allocatedAt = -1;         // when the last allocation was made (its generation: ResizeCompleted's)
};

struct PullRequest {
  std::int32_t pod;
  std::int32_t container;
};

/// The node's heartbeat as the node lifecycle controller sees it: the kubelet renews its Lease every
/// 10 s (duration 40 s x 0.25); `renewPhase` places those renewals. Source: kubelet nodeLeaseController.
struct Lease {
  Time renewPhase = 0;
};

struct NodeState {
  std::string name;
  std::vector<std::uint8_t> imagePresent;
  std::vector<PullRequest> pullQueue;
  std::size_t pullHead = 0;
  std::int32_t activePulls = 0;
  Time relistPhase = 0;
  Time tickPhase = 0;
  EventId relistEvent;
  std::vector<std::int32_t> dirty;
  sim::RandomStream rng;
  // Control plane's view of the node.
  api::Node spec;                    // labels, allocatable (-1: unlimited), taints
  cluster::Resources requested;      // sum of the effective requests of the non-terminal pods bound here
  bool kubeletDown = false;          // failNode: the kubelet stopped reporting (crash or partition)
  bool notReady = false;             // the node lifecycle controller marked it NotReady (unreachable)
  Time taintedAt = -1;               // when the unreachable NoExecute taint was added
  EventId monitorEvent;
  Lease lease;
};

}  // namespace podsim::engine
