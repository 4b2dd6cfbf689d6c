// models/engine/simulation_impl.hpp: SimulationImpl, the one object that holds a run's state (world.hpp)
// and whose member functions, one file per kubelet component, act on it:
//   simulation.cpp       construction, reset, run, the public facade
//   control_plane.ipp    API object life (create, delete), scheduler loop, node lifecycle, taint eviction
//   pod_worker.ipp       pod_workers.go: the worker's queue, requeue, termination
//   sync_pod.ipp         kuberuntime_manager.go SyncPod: advance through the steps, complete
//   container_start.ipp  kuberuntime_container.go startContainer: back-off check, image, create, start, postStart
//   kill.ipp             killContainer, preStop, SIGTERM/SIGKILL, sidecar termination order
//   prober_workers.ipp   prober/: workers, ticks and tick skipping, results manager
//   pleg.ipp             pleg/generic.go: relist, pod cache
//   image_puller.ipp     images/puller.go: the node's pull queue
//   runtime.ipp          the container runtime: processes, injected faults, the shell interpreter
//   status_manager.ipp   status/status_manager.go: status writes and trace records
//   actions.ipp          the scenario's actions
// The decisions are the pure functions of models/kubelet. Internal to models/engine.
#pragma once

#include <bit>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "models/engine/event_records.hpp"
#include "models/engine/events.hpp"
#include "models/engine/simulation.hpp"
#include "models/engine/world.hpp"
#include "models/api/image_reference.hpp"
#include "models/faults/faults.hpp"
#include "models/kubelet/active_deadline.hpp"
#include "models/kubelet/images.hpp"
#include "models/kubelet/kubelet_restart.hpp"
#include "models/kubelet/pod_workers.hpp"
#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/status_merge.hpp"
#include "models/kubelet/termination.hpp"

namespace podsim::engine {

/// One run's state and the kubelet components acting on it (see the file comment for which file holds
/// which member functions). Built and driven by Simulation.
class SimulationImpl {
 public:
  // ---- events: each kind bound to one handler taking its typed key (events.hpp) -------------------

  /// The kernel's callback for handler `H`: decodes the key and calls the handler.
  template <auto H, class Key>
  static void bound(void* ctx, std::uint64_t arg) {
    (static_cast<SimulationImpl*>(ctx)->*H)(Key::decode(arg));
  }
  /// Schedules handler `H` with `key` at time `t` (ns).
  template <auto H, class Key>
  EventId eventAt(Time t, Key key) {
    return env.schedule(t, &bound<H, Key>, this, key.encode());
  }
  /// Schedules handler `H` with `key` after `delay` (ns).
  template <auto H, class Key>
  EventId eventAfter(Time delay, Key key) {
    return env.scheduleIn(delay, &bound<H, Key>, this, key.encode());
  }
  /// Schedules handler `H` with `key` as a tick at `t` (ns), in the fixed place `order` (Environment::scheduleTick).
  template <auto H, class Key>
  EventId tickAt(Time t, std::uint64_t order, Key key) {
    return env.scheduleTick(t, order, &bound<H, Key>, this, key.encode());
  }

  SimulationImpl(const scenario::Scenario& s, const RunOptions& o);

  /// Back to the state of a Simulation just constructed with `o`, keeping every buffer's capacity
  /// (the scenario-only parts computed by the constructor are kept).
  void setup(const RunOptions& o);

  /// Puts a node back to a default NodeState, keeping its vectors' capacity.
  static void recycle(NodeState& n);

  /// Puts a pod back to a default PodState, keeping its vectors' capacity, its container order by
  /// name and its effective requests (both depend on the scenario only).
  static void recycle(PodState& ps, bool resized = false);  // resized: an in-place resize changed ps.requests

  // ---- setup --------------------------------------------------------------------------------------

  void initPod(std::int32_t p);

  /// "name_namespace(uid)" with the pod's uid, a UUID drawn from the seed (made only when output asks).
  std::string podRef(std::int32_t p) const;

  // ---- run ----------------------------------------------------------------------------------------

  void run();

  bool createdByAction(std::int32_t p) const { return createdByActionFlags[static_cast<std::size_t>(p)] != 0; }

  // ---- API server and scheduler -------------------------------------------------------------------

  void createPod(std::int32_t p);

  // ---- scheduler (pkg/scheduler: filter, score, bind; unschedulable queue) ----------------------

  /// The taints the node lifecycle controller adds to a NotReady node (kubelet-semantics §14).
  static const std::vector<api::Toleration>& unreachableTaints() {
    static const std::vector<api::Toleration> t = {
        {"node.kubernetes.io/unreachable", "Exists", "", "NoSchedule", -1},
        {"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", -1},
    };
    return t;
  }

  /// Filters the nodes from nextStartNodeIndex until numFeasibleNodesToFind fit, scores those by least
  /// allocated (ties: the first visited), and binds; a pod that fits nowhere stays Pending with
  /// PodScheduled=False (Unschedulable) and a FailedScheduling event, in the unschedulable queue.
  void schedule(PodState& ps);
  cluster::FitFailure nodeFilter(const api::Pod& pod, const cluster::Resources& requests, std::size_t i) const;
  std::int64_t nodeScore(const api::Pod& pod, const cluster::Resources& requests, std::size_t i) const;
  void nodeChanged(std::int32_t i);

  void bind(PodState& ps, std::int32_t node, bool byScheduler);

  /// A pod that reached a terminal phase or is gone no longer holds its requests; pods waiting for
  /// room are tried again, in the order they were created (AssignedPodDelete moves them to activeQ).
  void releaseResources(PodState& ps);

  /// Tries the pods of the unschedulable queue again, in pod order.
  void retryUnschedulable();

  // ---- node lifecycle (pkg/controller/nodelifecycle, taint-eviction controller) ------------------

  /// `--node-monitor-grace-period`: 50 s since 1.32, 40 s before (PR #126287).
  Time nodeMonitorGrace() const {
    return sc.kubernetesVersion >= kubelet::KubernetesVersion{1, 32} ? 50 * kSecond : 40 * kSecond;
  }

  /// failNode: the kubelet stops (crash or partition); containers are not reported any more. The
  /// controller marks the node NotReady once the last Lease renewal is older than the grace period
  /// (node monitor period 5 s in kubelet timing; exact in ideal timing).
  void failNode(std::int32_t node);

  void onNodeNotReady(NodeKey key);

  /// NotReady: unreachable NoSchedule/NoExecute taints; pods' Ready condition set False (NodeNotReady);
  /// the taint-eviction controller deletes each pod when its toleration of the NoExecute taint runs out
  /// (300 s by the admission default, or the pod's own tolerationSeconds).
  void markNodeNotReady(std::int32_t node);

  void onTaintEviction(PodKey key);

  /// restartKubelet: what the kubelet keeps only in memory is lost — crash-loop and image back-off
  /// entries, the reason cache, probe workers and their results (kubelet-semantics §8.4, §7) — while
  /// running containers keep running; the new kubelet syncs every pod and recreates the probe workers.
  void restartKubelet(std::int32_t node);
  /// What a new kubelet process starts without (back-off, reason cache, probe workers and results).
  void loseKubeletMemory(PodState& ps);
  /// stopKubelet / startKubelet actions: the kubelet process down, then up again.
  void stopKubelet(std::int32_t node);
  void startKubelet(std::int32_t node);
  /// rebootNode action: every container and sandbox on the node dies at once; the kubelet comes back.
  void rebootNode(std::int32_t node);
  /// removeExitedContainers action: the runtime forgets the pod's exited containers.
  void removeExitedContainers(PodState& ps);
  /// setPodCondition action: a controller sets condition `slot` (Scenario::podConditionTypes) to `status`.
  void setPodCondition(PodState& ps, std::size_t slot, kubelet::CustomConditionStatus status);

  /// recoverNode: the kubelet reports again; the taints go; its pods are synced (deleted ones are
  /// terminated and removed), and pods waiting for room may now fit.
  void recoverNode(std::int32_t node);

  // ---- status -------------------------------------------------------------------------------------


  void emitPodRecord(PodState& ps);

  /// The summary's Ready and Initialized times, from the conditions of a new record (the same
  /// conditions again change nothing).
  void trackConditions(PodState& ps, const Conditions& conditions);

  /// The kubectl columns of the pod's last record (computed here when the trace is off).
  kubelet::PrintedPod printedOf(const PodState& ps) const;
  /// The phase and reason the API holds (mergePodStatus may hold the kubelet's terminal phase back).
  static api::PodPhase apiPhase(const PodState& ps) { return ps.phaseHeld ? ps.heldPhase : ps.api.phase; }
  static Reason apiReason(const PodState& ps) { return ps.phaseHeld ? ps.heldReason : ps.api.reason; }
  ApiPodStatus apiStatusOf(const PodState& ps) const;
  kubelet::PrintedPod printApiPod(const PodState& ps) const;
  void mergeApiPhase(PodState& ps, api::PodPhase oldPhase, Reason oldReason);
  /// spec.activeDeadlineSeconds as the API holds it now (updatePod may set it), -1: none.
  std::int64_t activeDeadlineOf(const PodState& ps) const {
    return ps.activeDeadlineSeconds > 0 ? ps.activeDeadlineSeconds : ps.spec->pod.activeDeadlineSeconds;
  }
  /// Schedules the sync at the first sync-loop tick at or after startTime + activeDeadlineSeconds.
  void scheduleActiveDeadline(PodState& ps);
  void onActiveDeadline(PodKey key);
  /// A DeadlineExceeded Event when the pod is past its deadline (ShouldEvict records one at each status
  /// generation). Source: pkg/kubelet/active_deadline.go ShouldEvict.
  void recordDeadlineEvent(PodState& ps);

  kubelet::StatusInputs statusInputs(const PodState& ps, const kubelet::RuntimePodStatus& runtime) const;

  /// Writes a freshly generated status (status manager SetPodStatus): trace records for every change.
  void writeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime);

  /// writeStatus without shortcuts: the whole status generated beside the API's, then swapped in.
  void writeWholeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime);



  void event(PodState& ps, trace::EventRecord ev) { trace.event(env.now(), ps.index, ev); }
  /// A ContainerStatus record, unless the Pod object is gone from the API (a forced deletion): the
  /// status manager then has nothing to update.
  void containerRecord(PodState& ps, const trace::ContainerStatusRecord& r) {
    if (!ps.apiGone) trace.containerStatus(env.now(), ps.index, r);
  }

  // ---- pod worker (pod_workers.go) ----------------------------------------------------------------

  void podWorkerUpdate(PodState& ps);

  void startSync(PodState& ps);

  void onDeferredSync(PodKey key);

  /// Kubelet.SyncPod: write the status generated from the cache, then the runtime's SyncPod.
  void beginSync(PodState& ps);

  /// Carries out the actions in kuberuntime_manager.go SyncPod's step order; returns when blocked.
  void advanceSync(PodState& ps);

  /// End of a sync: reason cache update, requeue (pod_workers.go completeWork), next pending update.
  // always_inline: into advanceSync, as when it was defined in the class body (+1% instructions on R1 otherwise).
  [[gnu::always_inline]] void completeSync(PodState& ps);

  /// When the work queue hands the pod back (kubelet-semantics §10.3).
  void scheduleRequeue(PodState& ps);

  void onRequeue(PodKey key);

  // ---- probes (pkg/kubelet/prober: prober_manager.go, worker.go) ---------------------------------

  /// The worker of container c's probe t, which the spec must have (see findWorker).
  static ProbeWorker& worker(PodState& ps, std::int32_t c, ProbeType t) {
    return ps.workers[static_cast<std::size_t>(ps.workerAt[static_cast<std::size_t>(c) * 3 + static_cast<std::size_t>(t)])];
  }
  static const ProbeWorker& worker(const PodState& ps, std::int32_t c, ProbeType t) {
    return ps.workers[static_cast<std::size_t>(ps.workerAt[static_cast<std::size_t>(c) * 3 + static_cast<std::size_t>(t)])];
  }
  /// The worker of container c's probe t, or nullptr when the spec has no such probe.
  static ProbeWorker* findWorker(PodState& ps, std::size_t c, ProbeType t) {
    const std::int16_t i = ps.workerAt[c * 3 + static_cast<std::size_t>(t)];
    return i < 0 ? nullptr : &ps.workers[static_cast<std::size_t>(i)];
  }

  /// probeManager.AddPod: one worker per container and probe, created at the pod's first sync; the
  /// first check runs at once, then every periodSeconds.
  void addPodProbes(PodState& ps);

  /// The fixed place of a worker's ticks among the events of an instant (Environment::scheduleTick).
  static std::uint64_t tickKey(const PodState& ps, std::int32_t c, std::uint32_t t) {
    return (static_cast<std::uint64_t>(ps.index) << 24) | (static_cast<std::uint64_t>(c) * 3 + t);
  }

  void onProbeTick(ProbeTickKey key);

  /// Schedules the worker's next tick: the next one on its grid, or, when the ticks until some time
  /// are known to change nothing, the first that may (the trace is the same either way).
  void armTicker(PodState& ps, std::int32_t c, ProbeType t);

  /// Re-arms an idle worker after a change of its pod's state, at the next tick of its grid that has
  /// not yet had its turn, or, when that tick and the ones after it are known to change nothing in the
  /// new state, at the first that may (the same look-ahead as armTicker: every change of what
  /// firstInterestingTime reads wakes the worker again, so the answer holds until the tick).
  void wakeWorker(PodState& ps, std::int32_t c, ProbeType t);

  /// Wakes the idle workers of the containers in `containers` (containerBit mask; default: all). A
  /// worker's look-ahead reads only its own container's state and pod-wide flags, so a change of one
  /// container's state wakes that container's workers only.
  void wakeProbeWorkers(PodState& ps, std::uint64_t containers = ~0ULL);

  /// The earliest time >= `from` at which a tick of this worker may do something observable, given the
  /// pod's state stays as it is (any change wakes the worker); `from` itself when it cannot tell.
  /// Mirrors doProbe: a tick is idle when it returns before probing, or when it probes with the
  /// result it already holds past its threshold and nothing to record (a success, or any result of
  /// a readiness probe when no trace is kept).
  Time firstInterestingTime(const PodState& ps, std::int32_t c, ProbeType t, Time from) const;


  /// The API view of container c that its probe workers read (its status, and the results manager's results).
  kubelet::ProbeTarget probeTarget(const PodState& ps, std::int32_t c) const;

  /// The probe's result for the process of container c at this moment, from its behaviour.
  kubelet::ProbeResult probeOutcome(const PodState& ps, std::int32_t c, ProbeType t, bool& timedOut) const;

  /// The probe's target answers only while the Services and endpoints it depends on answer, and an
  /// injected fault may fail it (models/faults). Kept out of line: most probes have neither.
  [[gnu::noinline]] bool dependentProbeResult(const PodState& ps, std::int32_t c, ProbeType t,
                                              const scenario::ProbeBehavior& pb, bool ok) const;

  /// worker.go doProbe, decided by models/kubelet/prober: returns whether the worker keeps going.
  // always_inline: into onProbeTick, as when it was defined in the class body (+2% instructions on R1 otherwise).
  [[gnu::always_inline]] bool doProbe(PodState& ps, std::int32_t c, ProbeType t);

  /// results manager Set; a change reaches the kubelet's sync loop (kubelet.go syncLoopIteration):
  /// readiness and startup go straight into the status manager and sync the pod; a liveness
  /// failure syncs the pod.
  void setProbeResult(PodState& ps, std::int32_t c, ProbeType t, kubelet::ProbeResult r, bool fresh);

  /// Status generation fires an immediate readiness probe for every started container whose
  /// readiness is not Success yet (prober_manager.go UpdatePodStatus, manualTriggerCh).
  void triggerReadinessProbes(PodState& ps);

  // ---- termination (kubelet.go SyncTerminatingPod / SyncTerminatedPod) ----------------------------

  void beginTerminating(PodState& ps);

  void finishTerminating(PodState& ps);

  // ---- kills --------------------------------------------------------------------------------------

  Time podGrace(const PodState& ps) const { return kubelet::podGracePeriod(ps.spec->pod); }

  /// The grace of a kill in this sync (models/kubelet/termination: setTerminationGracePeriod).
  Time killGrace(const PodState& ps, std::int32_t c, KillReason reason) const {
    return kubelet::setTerminationGracePeriod(ps.spec->pod, static_cast<std::size_t>(c), reason, ps.deleting, ps.deletionGrace);
  }

  /// killPodWithSyncResult: every running container is killed at once; with sidecars, the sidecars
  /// wait for the regular containers and for the sidecars after them (kubelet-semantics §11.3).
  void killAllRunning(PodState& ps, Time grace);

  /// killContainer: `Killing` event, preStop (bounded by the grace period), SIGTERM, then SIGKILL after
  /// max(remaining grace, 2 s). Returns whether a running process is now being waited for.
  /// Source: kuberuntime_container.go killContainer, executePreStopHook.
  bool killContainer(PodState& ps, std::int32_t c, KillReason reason, bool willRestart, Time grace, bool ordered = false);

  void onPreStopDone(PreStopKey key);

  /// After preStop: the grace left (whole seconds spent are subtracted), then SIGTERM, unless a
  /// sidecar must first wait for the containers it outlives.
  void afterPreStop(PodState& ps, std::int32_t c);

  /// A sidecar gets SIGTERM once every regular container and every later sidecar has exited.
  bool orderSatisfied(const PodState& ps, std::int32_t c) const;

  void onOrderTimeout(ContainerKey key);

  void releaseOrderedSidecars(PodState& ps);

  /// StopContainer(timeout = max(remaining, 2 s)): SIGTERM now, SIGKILL (exit 137) at the timeout.
  void sendSigterm(PodState& ps, std::int32_t c, Time remaining);

  void onSigtermExit(ContainerKey key);

  void onSigkill(ContainerKey key);

  void purgeInitContainers(PodState& ps);
  bool podRestartingAll(const PodState& ps, const kubelet::RuntimePodStatus& runtime) const;
  void resetAllContainers(PodState& ps);

  // ---- container start (kuberuntime_container.go startContainer) ----------------------------------

  const scenario::ProcessBehavior& behavior(const PodState& ps, std::int32_t c) const {
    return ps.spec->behaviors[static_cast<std::size_t>(c)];
  }

  void fail(PodState& ps, std::int32_t c, Reason reason, Time backoff, Time due, bool crashBackoff);

  trace::EventRecord containerEvent(api::EventReason reason, trace::EventMessage message, std::int32_t c,
                                    bool warning = false) const {
    return records::containerEvent(reason, message, c, warning);
  }

  /// Starts container c: 1 started, 0 failed, -1 blocked (on an image pull, a postStart hook, or the
  /// kill after a failed postStart); the sync resumes the start where it stopped (ps.startPhase).
  StartStep startContainer(PodState& ps, std::int32_t c);

  void onPostStartDone(ContainerKey key);

  void startError(PodState& ps, std::int32_t c, Reason reason);

  /// The image's pull back-off entry, made (absent: not in back-off) when missing.
  kubelet::BackoffEntry& pullBackoff(PodState& ps, std::int32_t image);
  /// The image's pull back-off entry, or nullptr when no pull of it failed (no entry is made).
  static const kubelet::BackoffEntry* findPullBackoff(const PodState& ps, std::int32_t image);

  StartStep failPull(PodState& ps, std::int32_t c, std::int32_t image);

  // ---- image puller (images/puller.go: serial or parallel) ----------------------------------------

  void requestPull(std::int32_t node, std::int32_t pod, std::int32_t c);

  std::int32_t pullSlots() const {
    if (sc.kubelet.serializeImagePulls) return 1;
    return sc.kubelet.maxParallelImagePulls > 0 ? sc.kubelet.maxParallelImagePulls : 1 << 20;
  }

  void pumpPulls(std::int32_t node);

  void onPullDone(PullKey key);

  // ---- processes ----------------------------------------------------------------------------------

  void launchProcess(PodState& ps, std::int32_t c, std::int32_t restartCount);

  /// Draws this run's injected crash or OOM kill (models/faults) and schedules it; the natural exit,
  /// if it comes first, cancels it. The exit goes through processExit like any other.
  void armFault(PodState& ps, std::int32_t c);

  /// Node failures drawn from the seed (spec.faults.nodes): failNode and recoverNode as the actions do.
  void scheduleNodeFaults();

  void onNodeFault(NodeFaultKey key);

  void onFaultExit(FaultExitKey key);

  void onProcessExit(ProcessExitKey key);

  void onShellWake(ContainerKey key);

  /// Interprets the compiled shell script until it sleeps, blocks forever or exits.
  void runShell(PodState& ps, std::int32_t c);

  /// Whether Service or endpoint `s` answers now: it exists (declared, external or created) and is not
  /// in one of its `down` windows (spec.endpoints). A connection (`connect`: wget/curl/nc, a probe's
  /// dependency) to a Service whose selector picks pods of the scenario also needs one of them Ready
  /// (its endpoints; pkg/controller/endpointslice); `nslookup` needs only the Service.
  bool serviceAnswers(std::int64_t s, bool connect) const;
  /// Why a Service answers or not (serviceReach): what a tool prints depends on it.
  enum class Reach : std::uint8_t { Answers, NoName, Refused };
  Reach serviceReach(std::int64_t s, bool connect) const;
  void writeLog(PodState& ps, std::int32_t c, const scenario::ShellProgram& prog, scenario::LogRange range);
  // Exec lifecycle hooks through the shell interpreter (runtime.ipp).
  void startHookScript(PodState& ps, std::int32_t c, const scenario::ShellProgram& prog, bool preStop);
  void onHookWake(ContainerKey key);
  void runHook(PodState& ps, std::int32_t c);
  /// Keeps the lines of `range` a hook's command wrote, for the handler's message (runtime.ipp).
  void hookOutput(HookRun& hr, const scenario::ShellProgram& prog, scenario::LogRange range);
  void releaseHookOutput(HookRun& hr);
  std::vector<std::vector<trace::HookOutputLine>> hookOut;  // output buffers of running exec hooks
  std::vector<std::int32_t> freeHookOut;                     // indexes of hookOut not in use
  void hookScriptEnded(PodState& ps, std::int32_t c, std::int32_t status);
  void stopHookScript(PodState& ps, std::int32_t c);
  void hookRecord(PodState& ps, std::int32_t c, trace::HookKind hook, trace::HookState state) {
    HookRun* hr = ps.hookRuns.empty() ? nullptr : &ps.hookRuns[static_cast<std::size_t>(c)];
    const bool mine = hr != nullptr && hr->prog != nullptr && !hr->active && hr->preStop == (hook == trace::HookKind::PreStop);
    if (state == trace::HookState::Failed && mine) {
      // An exec hook's command failed: its exit code and output go with the record (the handler's message).
      static const std::vector<trace::HookOutputLine> kNone;
      trace.failedHook(env.now(), ps.index, trace::HookRecord{c, hook, state, hr->status},
                       hr->outBuf >= 0 ? hookOut[static_cast<std::size_t>(hr->outBuf)] : kNone);
    } else {
      trace.hook(env.now(), ps.index, trace::HookRecord{c, hook, state});
    }
    if (mine && state != trace::HookState::Started) releaseHookOutput(*hr);
  }

  /// The process of container c's newest instance exits: the runtime records it; the PLEG will see it.
  void processExit(PodState& ps, std::int32_t c, std::int32_t exitCode, Reason reason);

  // ---- PLEG (pleg/generic.go relist) --------------------------------------------------------------

  /// Bit of container i in a regeneration mask; containers from 64 on share the top bit (always
  /// regenerated by convertToAPIContainerStatuses).
  static std::uint64_t containerBit(std::size_t i) { return i < 64 ? 1ULL << i : 1ULL << 63; }

  /// Something status generation reads changed: for the containers in `containers` only, or for the
  /// whole pod (the default). The next writeStatus regenerates what changed.
  /// `actionInputs` false: the change is one computePodActions does not read (a readiness result, the
  /// reason cache), so the sync's actions computed before it still hold.
  static void statusInputsChanged(PodState& ps, std::uint64_t containers = ~0ULL, bool podLevel = true,
                                  bool actionInputs = true) {
    ps.statusMemo.invalidate(containers, podLevel);
    if (actionInputs) ps.actionsMemo.invalidate();
  }

  /// The PLEG's look at the runtime: copies it into the pod cache when it changed; returns whether it did.
  bool refreshCache(PodState& ps);

  /// The runtime's state of the pod changed (its sandbox, or the slots of the containers in `touched`,
  /// a containerBit mask): the PLEG will see it at its next relist.
  void markDirty(PodState& ps, std::uint64_t touched = 0);

  void onRelist(NodeKey key);

  /// Relist: every pod whose runtime state changed gets its cache refreshed and a PLEG event.
  void relistNode(std::int32_t node);

  // ---- actions ------------------------------------------------------------------------------------

  void onAction(ActionKey key);

  void doAction(const scenario::Action& a, std::uint32_t index);

  // ---- in-place resize (resize.ipp) ---------------------------------------------------------------

  /// resizeContainer: the API's spec changes; the kubelet allocates it (1.34+ at once, 1.33 at the next sync).
  void resizeContainer(const scenario::Action& a);
  /// The pod's resize state, made from the manifest the first time.
  ResizeState& resizeStateOf(PodState& ps);
  /// handlePodResourcesResize: allocate the desired resources, or set PodResizePending (Infeasible, Deferred).
  /// Returns whether it allocated.
  bool handlePodResourcesResize(PodState& ps, ResizeState& r);
  /// At the start of a sync (kubelet.go SyncPod): 1.33 retries the allocation; PodResizeInProgress is set or
  /// cleared; each running container's resize action is decided (in place now, or a restart by the sync).
  void resizeAtSync(PodState& ps);
  /// PodResizeInProgress from the pod cache (isPodResizeInProgress); marks the status changed when it changes.
  void updateResizeInProgress(PodState& ps, ResizeState& r);
  /// A container instance was created: it runs with the allocated resources.
  void resizeContainerCreated(PodState& ps, std::size_t c);
  /// A pod of `node` released its requests: pending (Deferred) resizes there are retried (1.34+
  /// allocation_manager.go RetryPendingResizes, TriggerReasonPodsRemoved).
  void retryPendingResizes(std::int32_t node);

  /// API delete: deletionTimestamp and grace (kubelet-semantics §11.1); the kubelet then terminates it.
  void deletePod(PodState& ps, std::int64_t graceSeconds, bool force = false);
  // ---- state --------------------------------------------------------------------------------------

  const scenario::Scenario& sc;
  RunOptions opts;
  sim::Environment env;
  trace::Trace trace;
  bool ideal = true;
  bool backoffAwareRequeue = true;
  bool changeContainerStatusOnKubeletRestart = true;  // gate of that name (on before 1.35: the old reset)
  std::uint64_t seed = 0;
  Time duration = 0;
  kubelet::Features features;
  kubelet::BackoffPolicy crashPolicy;
  kubelet::BackoffPolicy pullPolicy;
  std::vector<std::string> nodeNames;
  std::vector<NodeState> nodes;
  std::vector<PodState> pods;
  std::vector<std::uint8_t> serviceExists;
  std::vector<std::uint8_t> imageInvalid;            // by image: the reference does not parse (scenario only)
  std::vector<std::int32_t> specOf;  // by pod: the pod whose scenario entry is its PodState::spec (scenario only)
  std::vector<std::uint8_t> createdByActionFlags;    // by pod: a createPod action creates it (scenario only)
  std::vector<cluster::FitFailure> fitScratch;
  // The scheduler's node search (schedule): each node's score for the pod shape searchPod/searchRequests
  // (PodState::spec, shared by replicas, and the pod's requests); nodes changed since (nodeChanged) are
  // re-scored before the next pod, every node when a pod of another shape comes.
  cluster::NodeSearch nodeSearch;
  const api::Pod* searchPod = nullptr;
  cluster::Resources searchRequests;
  std::vector<std::int32_t> changedNodes;
  std::vector<std::uint8_t> nodeChangedFlags;  // by node: in changedNodes
  std::size_t nextStartNodeIndex = 0;               // the scheduler's round-robin start (schedule_one.go)
  std::vector<std::int32_t> unschedulableQueue;     // pods with unschedulable set, by index (may hold stale ones)
  std::unique_ptr<faults::FaultInjector> injector;  // null when the scenario injects nothing
  std::vector<std::vector<std::int32_t>> servingPods;  // by Service: pods its selector picks (empty: none)
  ApiPodStatus statusScratch;  // reused by writeStatus: no allocation per status write
  kubelet::ApiContainerStatus containerScratch;  // one regenerated container status (writeStatus)
  std::uint32_t nextContainerID = 0;
  /// In-place resize state by pod index (resize.ipp): empty unless a resizeContainer action fired, so a pod
  /// that is never resized pays one empty() test per sync and status write.
  std::map<std::int32_t, ResizeState> resizes;
  bool initContainersResizable = false;  // gate InPlacePodVerticalScalingInitContainers
};

}  // namespace podsim::engine
