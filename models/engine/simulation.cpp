// models/engine/simulation.cpp: the acting half of the kubelet model, on the event kernel.
//
// Flow of one pod (kubelet-semantics §2): a trigger (pod add, PLEG event, requeue) reaches the pod
// worker; a sync writes the status generated from the pod cache (one sync behind the runtime, as in
// the kubelet), decides its actions with computePodActions, and carries them out in SyncPod's step
// order: kill, sandbox, init containers, regular containers. A start runs the crash-loop back-off
// check, the image pull (serialized per node), create, start; it may block the sync on a pull.
// In `timing: ideal` the PLEG sees every change at once, requeues land exactly at back-off expiry and
// the status is also written at the end of each sync; in `timing: kubelet` the PLEG relists every
// 1 s, requeues are jittered and dispatched by the 1 s sync ticker (kubelet-semantics §10).
#include "models/engine/simulation.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "models/cluster/scheduling.hpp"
#include "models/faults/faults.hpp"
#include "models/kubelet/backoff.hpp"
#include "models/kubelet/images.hpp"
#include "models/kubelet/pod_actions.hpp"
#include "models/kubelet/pod_workers.hpp"
#include "models/kubelet/prober.hpp"
#include "models/kubelet/termination.hpp"
#include "sim/environment.hpp"
#include "sim/random.hpp"

namespace podsim::engine {

using api::Reason;
using kubelet::ApiPodStatus;
using kubelet::ContainerState;
using kubelet::KillReason;
using scenario::Timing;
using sim::EventId;
using sim::kSecond;

namespace {

constexpr std::uint32_t kStreamPodWorker = 1;
constexpr std::uint32_t kStreamNode = 2;
constexpr Time kRelistPeriod = 1 * kSecond;       // kubelet.go genericPlegRelistPeriod
constexpr Time kSyncTickPeriod = 1 * kSecond;     // kubelet.go syncLoop syncTicker
constexpr std::uint32_t kShellStepsPerInstant = 100'000;  // a loop that never sleeps is a busy loop

std::uint64_t pack(std::int32_t pod, std::int32_t container = 0, std::uint32_t extra = 0) {
  return static_cast<std::uint32_t>(pod) | (static_cast<std::uint64_t>(static_cast<std::uint16_t>(container)) << 32) |
         (static_cast<std::uint64_t>(extra & 0xffffu) << 48);
}
std::int32_t podOf(std::uint64_t a) { return static_cast<std::int32_t>(a & 0xffffffffu); }
std::int32_t containerOf(std::uint64_t a) { return static_cast<std::int16_t>((a >> 32) & 0xffffu); }
std::uint32_t extraOf(std::uint64_t a) { return static_cast<std::uint32_t>(a >> 48); }

}  // namespace

/// Whether an image reference parses as the runtime's reference grammar requires: repository path
/// components in lower case ([a-z0-9] separated by '.', '_', '__' or '-'), an optional registry host
/// (with a '.' or ':' or "localhost"), an optional tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) and digest.
/// Source: github.com/distribution/reference (regexp.go), used by the kubelet's applyDefaultImageTag.
bool validImageReference(std::string_view ref) {
  if (ref.empty()) return false;
  if (const auto at = ref.find('@'); at != std::string_view::npos) ref = ref.substr(0, at);
  std::string_view name = ref;
  const auto slash = ref.rfind('/');
  if (const auto colon = ref.rfind(':'); colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    const std::string_view tag = ref.substr(colon + 1);
    if (tag.empty() || tag.size() > 128) return false;
    for (std::size_t i = 0; i < tag.size(); ++i) {
      const char ch = tag[i];
      const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
      if (!word && (i == 0 || (ch != '.' && ch != '-'))) return false;
    }
    name = ref.substr(0, colon);
  }
  std::size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    const auto end = name.find('/', start);
    const std::string_view comp = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    const bool isHost = first && end != std::string_view::npos &&
                        (comp.find('.') != std::string_view::npos || comp.find(':') != std::string_view::npos || comp == "localhost");
    if (comp.empty()) return false;
    if (!isHost) {
      for (std::size_t i = 0; i < comp.size(); ++i) {
        const char ch = comp[i];
        const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        const bool sep = ch == '.' || ch == '_' || ch == '-';
        if (!alnum && !sep) return false;
        if (sep && (i == 0 || i + 1 == comp.size())) return false;
      }
    }
    first = false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

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

/// Result of one container start in the current sync (reason cache input).
struct StartResult {
  std::uint8_t kind = 0;  // 0 none, 1 success, 2 failure
  Reason reason = Reason::None;
  Time backoff = 0;
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
  std::uint32_t containerID = 0;
  std::int32_t resultRun = 0;
  std::uint16_t container = 0;  // unified index of the probed container
  ProbeType type = ProbeType::Startup;
  kubelet::ProbeResult lastResult = kubelet::ProbeResult::Unknown;
  bool exists : 1 = false;
  bool stopped : 1 = false;
  bool onHold : 1 = false;
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

struct PodState {
  std::int32_t index = -1;
  const scenario::PodEntry* entry = nullptr;
  std::int32_t node = -1;
  bool created = false;
  bool scheduled = false;
  bool unschedulable = false;      // waiting in the scheduler's unschedulable queue
  bool holdsResources = false;     // its requests count on its node
  cluster::Resources requests;     // effective requests (§13), computed once
  bool deleting = false;
  bool removed = false;
  bool terminal = false;
  bool dirty = false;              // waiting in its node's PLEG dirty list
  bool pullFailed = false;
  bool syncError = false;
  Stage stage = Stage::Done;
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
  std::vector<EventId> faultEvents;  // per container: its injected crash or OOM kill (models/faults); empty without faults
  std::vector<kubelet::ReasonCacheEntry> reasons;
  std::vector<kubelet::BackoffEntry> crash;
  std::vector<PullBackoff> pullBackoffs;
  std::vector<kubelet::ContainerProbeResults> probes;
  std::vector<std::uint32_t> specHash;
  std::vector<std::int32_t> imageIds;
  ApiPodStatus api;
  // Bumped at every change of api.containers or api.hasContainerStatuses (writeStatus,
  // setProbeResult): emitPodRecord skips printPod while it and the record's other inputs are unchanged.
  std::uint64_t apiSerial = 0;
  std::uint64_t recordSerial = 0;
  // Status generation is skipped when none of its inputs changed since the last one (the result
  // would be the same: generateAPIPodStatus is a fixed point of its own output).
  // Use statusInputsChanged(), never these directly: it also says which containers' inputs changed.
  std::uint64_t statusVersion = 1;
  std::uint64_t generatedVersion = 0;
  std::uint64_t statusContainers = ~0ULL;  // containers to regenerate at the next generation (bit per index)
  bool statusPodLevel = true;              // a pod-level input changed (sandbox, deletion, scheduling, ...)
  // What the last pod-level generation produced, and the apiSerial it produced it at: while both
  // still hold and no container status changes, the pod-level part would give the same again.
  api::PodPhase genPhase = api::PodPhase::Pending;
  Reason genReason = Reason::None;
  std::array<kubelet::PodCondition, static_cast<std::size_t>(kubelet::ConditionType::Count)> genConditions{};
  std::uint64_t genApiSerial = ~0ULL;
  std::vector<std::int32_t> byName;  // regular containers in name order (printPod)
  trace::PodStatusRecord lastRecord;
  bool hasRecord = false;
  bool printedStale = false;  // trace off: lastRecord.printed not computed (printedOf computes it)
  // pod worker
  WorkerMode mode = WorkerMode::Idle;
  bool pending = false;
  Time lastSyncEnd = -1;
  EventId requeueEvent;
  EventId deferredEvent;
  kubelet::PodActions actions;
  // Bumped by statusInputsChanged at every change of what computePodActions reads (the cache, the
  // startup and liveness results, spec hashes, deletion); `actions` were computed at actionsFor.
  // 32 bits: a false match would take 2^32 changes of one pod's inputs between two of its syncs (each
  // change comes with at least one event; the default event limit is 2 x 10^8 for the whole run).
  std::uint32_t actionsVersion = 0;
  std::uint32_t actionsFor = ~0U;  // ~0: never computed
  std::size_t cursor = 0;
  Wait wait = Wait::None;
  bool killIssued = false;
  std::int32_t pendingKills = 0;
  std::vector<ProbeWorker> workers;      // one per probe in the spec, in container then type order
  std::vector<std::int16_t> workerAt;   // 3 per container (startup, liveness, readiness): index in workers, -1 none
  Time probeAnchor = 0;  // when the workers were created: each ticks at probeAnchor + k * its period
  bool workersCreated = false;
  std::uint8_t startPhase = 0;        // where the start of the current container stands
  bool hookFailed = false;
  std::int32_t pulling = -1;  // container whose pull the sync waits for
  Time pullRequestedAt = 0;
  std::vector<StartResult> results;
  Time errorDue = sim::kForever;  // earliest requeue asked for by a back-off error
  bool plainError = false;        // an error that is not a crash-loop back-off
  bool pullFailedThisSync = false;  // ideal timing: look again at once, to show ImagePullBackOff
  bool anyResult = false;           // some entry of `results` is set (else all are StartResult{})
  Reason pullFault = Reason::None;  // the current pull fails by an injected fault (models/faults)
  sim::RandomStream rng;
  // summary
  Time readySince = -1;
  Time readyTime = 0;
  Time readyAt = -1;
  Time initializedAt = -1;
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

class SimulationImpl {
 public:
  SimulationImpl(const scenario::Scenario& s, const RunOptions& o) : sc(s), trace(o.recordTrace) {
    // What depends on the scenario alone is worked out once, here; setup() does the rest, and again
    // at each reset.
    imageInvalid.resize(s.images.size());
    for (std::size_t im = 0; im < s.images.size(); ++im) imageInvalid[im] = validImageReference(s.images[im]) ? 0 : 1;
    // Endpoints: the pods each Service's selector picks (Services without a selector have none here).
    for (std::size_t i = 0; i < s.services.size(); ++i) {
      const auto& sel = s.services[i].selector;
      if (sel.empty()) continue;
      servingPods.resize(s.services.size());
      for (std::size_t p = 0; p < s.pods.size(); ++p) {
        const auto& labels = s.pods[p].pod.labels;
        const bool all = std::all_of(sel.begin(), sel.end(), [&](const auto& kv) {
          const auto it = labels.find(kv.first);
          return it != labels.end() && it->second == kv.second;
        });
        if (all) servingPods[i].push_back(static_cast<std::int32_t>(p));
      }
    }
    createdByActionFlags.assign(s.pods.size(), 0);
    for (const auto& a : s.actions) {
      if (a.kind == scenario::ActionKind::CreatePod && a.pod >= 0) createdByActionFlags[static_cast<std::size_t>(a.pod)] = 1;
    }
    pods.resize(s.pods.size());
    for (std::size_t p = 0; p < s.pods.size(); ++p) {
      PodState& ps = pods[p];
      ps.byName = kubelet::regularContainersByName(s.pods[p].pod);
      ps.requests = cluster::podRequests(s.pods[p].pod);
    }
    setup(o);
  }

  /// Back to the state of a Simulation just constructed with `o`, keeping every buffer's capacity
  /// (the scenario-only parts computed by the constructor are kept).
  void setup(const RunOptions& o) {
    const scenario::Scenario& s = sc;
    opts = o;
    ideal = s.timing == Timing::Ideal;
    if (trace.enabled() != o.recordTrace || !trace.records().empty()) trace = trace::Trace(o.recordTrace);
    seed = o.overrideSeed ? o.seed : s.seed;
    duration = o.duration >= 0 ? o.duration : s.duration;
    env.reset();
    env.setEventLimit(o.eventLimit);
    features = scenario::resolveFeatures(s.kubernetesVersion, s.kubelet);
    crashPolicy = kubelet::crashLoopBackOffPolicy(s.kubelet, features);
    pullPolicy = kubelet::imagePullBackOffPolicy();
    backoffAwareRequeue = features.backoffAwareRequeue;
    nextContainerID = 0;
    // Nodes: the scenario's, or one default node.
    const std::size_t nodeCount = s.nodes.empty() ? 1 : s.nodes.size();
    if (nodeNames.size() != nodeCount) {
      nodeNames.clear();
      if (s.nodes.empty()) {
        nodeNames.emplace_back("node-1");
      } else {
        for (const auto& n : s.nodes) nodeNames.push_back(n.name);
      }
    }
    nodes.resize(nodeNames.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      NodeState& n = nodes[i];
      recycle(n);
      n.name = nodeNames[i];
      n.rng = sim::RandomStream(seed, sim::streamKey(kStreamNode, static_cast<std::uint32_t>(i)));
      if (s.nodes.empty()) {
        n.spec.name = n.name;  // the default node: no limits, no labels, no taints
      } else {
        n.spec = s.nodes[i];
      }
      n.lease.renewPhase = ideal ? 0 : n.rng.uniformTime(0, 10 * kSecond);
      n.imagePresent.resize(s.images.size());
      for (std::size_t im = 0; im < s.images.size(); ++im) n.imagePresent[im] = s.imageBehaviors[im].present ? 1 : 0;
      if (!ideal) {
        // The PLEG relist and the sync ticker run on their own 1 s clocks, whose phase is unknown.
        n.relistPhase = n.rng.uniformTime(0, kRelistPeriod);
        n.tickPhase = n.rng.uniformTime(0, kSyncTickPeriod);
      }
    }
    serviceExists.resize(s.services.size());
    for (std::size_t i = 0; i < s.services.size(); ++i) serviceExists[i] = s.services[i].existsAtStart ? 1 : 0;
    injector.reset();
    if (faults::needed(s)) injector = std::make_unique<faults::FaultInjector>(s, seed);  // before initPod: it sizes faultEvents
    for (std::size_t p = 0; p < s.pods.size(); ++p) {
      recycle(pods[p]);
      initPod(static_cast<std::int32_t>(p));
    }
  }

  /// Puts a node back to a default NodeState, keeping its vectors' capacity.
  static void recycle(NodeState& n) {
    auto imagePresent = std::move(n.imagePresent);
    auto pullQueue = std::move(n.pullQueue);
    auto dirty = std::move(n.dirty);
    auto name = std::move(n.name);
    imagePresent.clear();
    pullQueue.clear();
    dirty.clear();
    n = NodeState{};
    n.imagePresent = std::move(imagePresent);
    n.pullQueue = std::move(pullQueue);
    n.dirty = std::move(dirty);
    n.name = std::move(name);
  }

  /// Puts a pod back to a default PodState, keeping its vectors' capacity, its container order by
  /// name and its effective requests (both depend on the scenario only).
  static void recycle(PodState& ps) {
    struct Kept {
      decltype(ps.runtime.containers) runtime, cache;
      decltype(ps.procs) procs;
      decltype(ps.faultEvents) faultEvents;
      decltype(ps.reasons) reasons;
      decltype(ps.crash) crash;
      decltype(ps.pullBackoffs) pullBackoffs;
      decltype(ps.probes) probes;
      decltype(ps.specHash) specHash;
      decltype(ps.imageIds) imageIds;
      decltype(ps.api.containers) api;
      decltype(ps.byName) byName;
      decltype(ps.actions.initContainersToStart) init, start;
      decltype(ps.actions.containersToKill) kill;
      decltype(ps.workers) workers;
      decltype(ps.workerAt) workerAt;
      decltype(ps.results) results;
    } k{std::move(ps.runtime.containers), std::move(ps.cache.containers), std::move(ps.procs), std::move(ps.faultEvents),
        std::move(ps.reasons), std::move(ps.crash), std::move(ps.pullBackoffs), std::move(ps.probes),
        std::move(ps.specHash), std::move(ps.imageIds), std::move(ps.api.containers), std::move(ps.byName),
        std::move(ps.actions.initContainersToStart), std::move(ps.actions.containersToStart),
        std::move(ps.actions.containersToKill), std::move(ps.workers), std::move(ps.workerAt), std::move(ps.results)};
    const cluster::Resources requests = ps.requests;
    ps = PodState{};
    const auto back = [](auto& to, auto& from) {
      from.clear();
      to = std::move(from);
    };
    back(ps.runtime.containers, k.runtime);
    back(ps.cache.containers, k.cache);
    back(ps.procs, k.procs);
    back(ps.faultEvents, k.faultEvents);
    back(ps.reasons, k.reasons);
    back(ps.crash, k.crash);
    back(ps.pullBackoffs, k.pullBackoffs);
    back(ps.probes, k.probes);
    back(ps.specHash, k.specHash);
    back(ps.imageIds, k.imageIds);
    back(ps.api.containers, k.api);
    back(ps.actions.initContainersToStart, k.init);
    back(ps.actions.containersToStart, k.start);
    back(ps.actions.containersToKill, k.kill);
    back(ps.workers, k.workers);
    back(ps.workerAt, k.workerAt);
    back(ps.results, k.results);
    ps.byName = std::move(k.byName);  // not cleared: the scenario's
    ps.requests = requests;
  }

  // ---- setup --------------------------------------------------------------------------------------

  void initPod(std::int32_t p) {
    PodState& ps = pods[p];
    ps.index = p;
    ps.entry = &sc.pods[static_cast<std::size_t>(p)];
    const api::Pod& pod = ps.entry->pod;
    const std::size_t n = pod.containerCount();
    ps.runtime.containers.assign(n, {});
    ps.cache = ps.runtime;
    statusInputsChanged(ps);
    ps.procs.assign(n, {});
    if (injector) ps.faultEvents.assign(n, {});
    ps.reasons.assign(n, {});
    ps.crash.assign(n, {});
    ps.probes.assign(n, {});
    ps.workers.clear();
    ps.workerAt.assign(n * 3, -1);
    for (std::size_t c = 0; c < n; ++c) {
      const api::Container& spec = pod.container(c);
      const bool present[3] = {spec.startupProbe.has_value(), spec.livenessProbe.has_value(), spec.readinessProbe.has_value()};
      for (std::size_t t = 0; t < 3; ++t) {
        if (!present[t]) continue;
        if (ps.workers.size() >= 0x7fff || c > 0xffff) throw std::logic_error("too many probes in one pod");
        ps.workerAt[c * 3 + t] = static_cast<std::int16_t>(ps.workers.size());
        ProbeWorker& w = ps.workers.emplace_back();
        w.container = static_cast<std::uint16_t>(c);
        w.type = static_cast<ProbeType>(t);
      }
    }
    ps.results.assign(n, {});
    ps.specHash.resize(n);
    ps.imageIds.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      ps.imageIds[i] = pod.container(i).imageId;
      ps.specHash[i] = static_cast<std::uint32_t>(sim::mix64(static_cast<std::uint64_t>(i) * 1315423911u +
                                                              static_cast<std::uint64_t>(ps.imageIds[i])));
    }
    ps.actions.initContainersToStart.reserve(n);
    ps.actions.containersToStart.reserve(n);
    ps.actions.containersToKill.reserve(n);
    ps.rng = sim::RandomStream(seed, sim::streamKey(kStreamPodWorker, static_cast<std::uint32_t>(p)));
    ps.api.containers.reserve(n);
  }

  /// "name_namespace(uid)" with the pod's uid, a UUID drawn from the seed (made only when output asks).
  std::string podRef(std::int32_t p) const {
    const api::Pod& pod = pods[static_cast<std::size_t>(p)].entry->pod;
    const std::uint64_t u1 = sim::mix64(seed ^ (0xa5a5a5a5ULL + static_cast<std::uint64_t>(p)));
    const std::uint64_t u2 = sim::mix64(u1);
    char uid[40];
    std::snprintf(uid, sizeof uid, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(u1 >> 32),
                  static_cast<unsigned>((u1 >> 16) & 0xffff), static_cast<unsigned>(u1 & 0xfff),
                  static_cast<unsigned>(0x8000 | ((u2 >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(u2 & 0xffffffffffffULL));
    return pod.name + "_" + pod.namespace_ + "(" + uid + ")";
  }

  // ---- run ----------------------------------------------------------------------------------------

  void run() {
    // Actions first: at equal times an action fires before the pod reactions scheduled after it.
    for (std::size_t a = 0; a < sc.actions.size(); ++a) {
      env.schedule(sc.actions[a].at, &SimulationImpl::onAction, this, a);
    }
    for (std::size_t p = 0; p < pods.size(); ++p) {
      if (!createdByAction(static_cast<std::int32_t>(p))) createPod(static_cast<std::int32_t>(p));
    }
    if (injector) scheduleNodeFaults();
    env.run(duration);
    // Close the open Ready interval for the summary.
    for (auto& ps : pods) {
      if (ps.readySince >= 0) {
        ps.readyTime += env.now() - ps.readySince;
        ps.readySince = env.now();
      }
    }
  }

  bool createdByAction(std::int32_t p) const { return createdByActionFlags[static_cast<std::size_t>(p)] != 0; }

  // ---- API server and scheduler -------------------------------------------------------------------

  void createPod(std::int32_t p) {
    PodState& ps = pods[p];
    if (ps.created) return;
    ps.created = true;
    ps.createdAt = env.now();
    emitPodRecord(ps);
    const api::Pod& pod = ps.entry->pod;
    if (!pod.nodeName.empty()) {
      // A pod with spec.nodeName skips the scheduler: the kubelet of that node admits it.
      for (std::size_t i = 0; i < nodeNames.size(); ++i) {
        if (nodeNames[i] == pod.nodeName) bind(ps, static_cast<std::int32_t>(i), false);
      }
      return;
    }
    schedule(ps);
  }

  // ---- scheduler (pkg/scheduler: filter, score, bind; unschedulable queue) ----------------------

  /// The taints the node lifecycle controller adds to a NotReady node (kubelet-semantics §14).
  static const std::vector<api::Toleration>& unreachableTaints() {
    static const std::vector<api::Toleration> t = {
        {"node.kubernetes.io/unreachable", "Exists", "", "NoSchedule", -1},
        {"node.kubernetes.io/unreachable", "Exists", "", "NoExecute", -1},
    };
    return t;
  }

  /// Filters every node, scores the feasible ones by least allocated (ties: the first in order), and
  /// binds; a pod that fits nowhere stays Pending with PodScheduled=False (Unschedulable) and a
  /// FailedScheduling event, and waits until room appears.
  void schedule(PodState& ps) {
    const api::Pod& pod = ps.entry->pod;
    static const std::vector<api::Toleration> none;
    std::int32_t best = -1;
    std::int64_t bestScore = -1;
    std::vector<cluster::FitFailure>& failures = fitScratch;
    failures.assign(nodes.size(), cluster::FitFailure::None);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const NodeState& n = nodes[i];
      failures[i] = cluster::filterNode(pod, ps.requests, n.spec, n.notReady ? unreachableTaints() : none, n.requested);
      if (failures[i] != cluster::FitFailure::None) continue;
      cluster::Resources after = n.requested;
      after += ps.requests;
      const std::int64_t score = cluster::leastAllocatedScore(n.spec, after);
      if (score > bestScore) {
        bestScore = score;
        best = static_cast<std::int32_t>(i);
      }
    }
    if (best >= 0) {
      ps.unschedulable = false;
      bind(ps, best, true);
      return;
    }
    const bool first = !ps.unschedulable;
    ps.unschedulable = true;
    ps.api.condition(kubelet::ConditionType::PodScheduled) = {true, false, Reason::Unschedulable};
    emitPodRecord(ps);
    if (first) {
      trace::EventRecord ev;
      ev.reason = api::EventReason::FailedScheduling;
      ev.message = trace::EventMessage::FailedScheduling;
      ev.warning = true;
      for (const auto f : failures) {
        if (f != cluster::FitFailure::None) ev.a += Time{1} << (12 * (static_cast<int>(f) - 1));
      }
      ev.b = static_cast<Time>(failures.size());
      trace.event(env.now(), ps.index, ev);
    }
  }

  void bind(PodState& ps, std::int32_t node, bool byScheduler) {
    ps.node = node;
    ps.scheduled = true;
    ps.holdsResources = true;
    nodes[node].requested += ps.requests;
    statusInputsChanged(ps);
    ps.api.condition(kubelet::ConditionType::PodScheduled) = {true, true, Reason::None};
    if (byScheduler) {
      trace::EventRecord ev;
      ev.reason = api::EventReason::Scheduled;
      ev.message = trace::EventMessage::Scheduled;
      ev.node = node;
      trace.event(env.now(), ps.index, ev);
    }
    emitPodRecord(ps);
    podWorkerUpdate(ps);  // the kubelet's watch sees the pod bound to its node
  }

  /// A pod that reached a terminal phase or is gone no longer holds its requests; pods waiting for
  /// room are tried again, in the order they were created (AssignedPodDelete moves them to activeQ).
  void releaseResources(PodState& ps) {
    if (!ps.holdsResources) return;
    ps.holdsResources = false;
    nodes[ps.node].requested -= ps.requests;
    retryUnschedulable();
  }

  void retryUnschedulable() {
    for (auto& other : pods) {
      if (other.unschedulable && other.created && !other.removed) schedule(other);
    }
  }

  // ---- node lifecycle (pkg/controller/nodelifecycle, taint-eviction controller) ------------------

  /// `--node-monitor-grace-period`: 50 s since 1.32, 40 s before (PR #126287).
  Time nodeMonitorGrace() const {
    return sc.kubernetesVersion >= scenario::KubernetesVersion{1, 32} ? 50 * kSecond : 40 * kSecond;
  }

  /// failNode: the kubelet stops (crash or partition); containers are not reported any more. The
  /// controller marks the node NotReady once the last Lease renewal is older than the grace period
  /// (node monitor period 5 s in kubelet timing; exact in ideal timing).
  void failNode(std::int32_t node) {
    NodeState& n = nodes[node];
    if (n.kubeletDown) return;
    n.kubeletDown = true;
    env.cancel(n.relistEvent);
    for (auto& ps : pods) {
      if (ps.node != node || ps.removed) continue;
      env.cancel(ps.requeueEvent);
      env.cancel(ps.deferredEvent);
      for (auto& w : ps.workers) env.cancel(w.tick);
    }
    const Time lastRenewal = ideal ? env.now() : sim::lastTickAtOrBefore(env.now(), n.lease.renewPhase, 10 * kSecond);
    Time at = lastRenewal + nodeMonitorGrace();
    if (!ideal) at = sim::nextTickAtOrAfter(at, n.lease.renewPhase % (5 * kSecond), 5 * kSecond);
    n.monitorEvent = env.schedule(std::max(at, env.now()), &SimulationImpl::onNodeNotReady, this, static_cast<std::uint64_t>(node));
  }

  static void onNodeNotReady(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    self->markNodeNotReady(static_cast<std::int32_t>(a));
  }

  /// NotReady: unreachable NoSchedule/NoExecute taints; pods' Ready condition set False (NodeNotReady);
  /// the taint-eviction controller deletes each pod when its toleration of the NoExecute taint runs out
  /// (300 s by the admission default, or the pod's own tolerationSeconds).
  void markNodeNotReady(std::int32_t node) {
    NodeState& n = nodes[node];
    n.notReady = true;
    n.taintedAt = env.now();
    for (auto& ps : pods) {
      if (ps.node != node || ps.removed || !ps.created) continue;
      trace::EventRecord ev;
      ev.reason = api::EventReason::NodeNotReady;
      ev.message = trace::EventMessage::NodeNotReady;
      ev.warning = true;
      trace.event(env.now(), ps.index, ev);
      ps.api.condition(kubelet::ConditionType::Ready) = {true, false, Reason::None};
      emitPodRecord(ps);
      std::int64_t seconds = -1;
      const api::Toleration& noExecute = unreachableTaints()[1];
      const bool explicitToleration = cluster::noExecuteToleration(ps.entry->pod.tolerations, noExecute, seconds);
      if (!explicitToleration) seconds = 300;  // DefaultTolerationSeconds admission plugin
      if (seconds < 0) continue;               // tolerates the taint forever
      env.scheduleIn(seconds * kSecond, &SimulationImpl::onTaintEviction, this, pack(ps.index, 0, 0));
    }
  }

  static void onTaintEviction(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    NodeState& n = self->nodes[ps.node];
    if (!n.notReady || ps.deleting || ps.removed) return;
    trace::EventRecord ev;
    ev.reason = api::EventReason::TaintManagerEviction;
    ev.message = trace::EventMessage::TaintEviction;
    self->trace.event(self->env.now(), ps.index, ev);
    ps.api.condition(kubelet::ConditionType::DisruptionTarget) = {true, true, Reason::DeletionByTaintManager};
    self->deletePod(ps, -1);
  }

  /// restartKubelet: what the kubelet keeps only in memory is lost — crash-loop and image back-off
  /// entries, the reason cache, probe workers and their results (kubelet-semantics §8.4, §7) — while
  /// running containers keep running; the new kubelet syncs every pod and recreates the probe workers.
  void restartKubelet(std::int32_t node) {
    if (nodes[node].kubeletDown) return;
    for (auto& ps : pods) {
      if (ps.node != node || ps.removed || !ps.created) continue;
      for (auto& e : ps.crash) e = {};
      ps.pullBackoffs.clear();
      for (auto& r : ps.reasons) r = {};
      for (auto& w : ps.workers) {
        env.cancel(w.tick);
        w.clear();
      }
      ps.workersCreated = false;
      for (auto& pr : ps.probes) pr = {};
      statusInputsChanged(ps);
      podWorkerUpdate(ps);
    }
  }

  /// recoverNode: the kubelet reports again; the taints go; its pods are synced (deleted ones are
  /// terminated and removed), and pods waiting for room may now fit.
  void recoverNode(std::int32_t node) {
    NodeState& n = nodes[node];
    if (!n.kubeletDown) return;
    n.kubeletDown = false;
    n.notReady = false;
    n.taintedAt = -1;
    env.cancel(n.monitorEvent);
    for (auto& ps : pods) {
      if (ps.node != node || ps.removed || !ps.created) continue;
      for (ProbeWorker& w : ps.workers) {
        if (!w.exists || w.stopped) continue;
        w.idle = true;
        wakeWorker(ps, w.container, w.type);
      }
      markDirty(ps);
      statusInputsChanged(ps);
      podWorkerUpdate(ps);
    }
    retryUnschedulable();
  }

  // ---- status -------------------------------------------------------------------------------------

  using Conditions = std::array<kubelet::PodCondition, static_cast<std::size_t>(kubelet::ConditionType::Count)>;

  void emitPodRecord(PodState& ps) {
    const api::Pod& pod = ps.entry->pod;
    if (ps.hasRecord && ps.recordSerial == ps.apiSerial && ps.lastRecord.phase == ps.api.phase &&
        ps.lastRecord.reason == ps.api.reason && sameConditions(ps.lastRecord.conditions, ps.api.conditions) &&
        ps.lastRecord.node == ps.node && ps.lastRecord.deleting == ps.deleting) {
      return;  // printPod reads nothing else: the record would be the last one again
    }
    ps.recordSerial = ps.apiSerial;
    if (!trace.enabled()) {
      // No trace to write: the kubectl columns are only read at the end (summaries, views), where
      // printedOf computes them from the final status, which is the one of this last record (every
      // change of the API status, deletion or node is followed by an emitPodRecord).
      ps.lastRecord.phase = ps.api.phase;
      ps.lastRecord.reason = ps.api.reason;
      ps.lastRecord.conditions = ps.api.conditions;
      ps.lastRecord.node = ps.node;
      ps.lastRecord.deleting = ps.deleting;
      ps.hasRecord = true;
      ps.printedStale = true;
      trackConditions(ps, ps.lastRecord.conditions);
      return;
    }
    trace::PodStatusRecord r;
    r.phase = ps.api.phase;
    r.reason = ps.api.reason;
    r.printed = kubelet::printPod(pod, ps.api, ps.deleting, ps.byName.data());
    r.conditions = ps.api.conditions;
    r.node = ps.node;
    r.deleting = ps.deleting;
    if (ps.hasRecord && r == ps.lastRecord) return;
    trackConditions(ps, r.conditions);
    ps.lastRecord = r;
    ps.hasRecord = true;
    trace.podStatus(env.now(), ps.index, r);
  }

  /// The summary's Ready and Initialized times, from the conditions of a new record (the same
  /// conditions again change nothing).
  void trackConditions(PodState& ps, const Conditions& conditions) {
    const Time now = env.now();
    const auto& ready = conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
    const bool isReady = ready.present && ready.status;
    if (isReady && ps.readySince < 0) {
      ps.readySince = now;
      if (ps.readyAt < 0) ps.readyAt = now;
    } else if (!isReady && ps.readySince >= 0) {
      ps.readyTime += now - ps.readySince;
      ps.readySince = -1;
    }
    const auto& init = conditions[static_cast<std::size_t>(kubelet::ConditionType::Initialized)];
    if (init.present && init.status && ps.initializedAt < 0) ps.initializedAt = now;
  }

  /// The kubectl columns of the pod's last record (computed here when the trace is off).
  kubelet::PrintedPod printedOf(const PodState& ps) const {
    if (!ps.printedStale) return ps.lastRecord.printed;
    return kubelet::printPod(ps.entry->pod, ps.api, ps.deleting, ps.byName.data());
  }

  kubelet::StatusInputs statusInputs(const PodState& ps, const kubelet::RuntimePodStatus& runtime) const {
    kubelet::StatusInputs in;
    in.pod = &ps.entry->pod;
    in.runtime = &runtime;
    in.previous = &ps.api;
    in.reasons = &ps.reasons;
    in.probes = &ps.probes;
    in.deleting = ps.deleting;
    in.podIsTerminal = ps.terminal;
    in.scheduled = ps.scheduled;
    in.readyToStartContainersCondition = features.podReadyToStartContainersCondition;
    return in;
  }

  /// Writes a freshly generated status (status manager SetPodStatus): trace records for every change.
  void writeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime) {
    if (opts.skipUnchangedStatus && ps.generatedVersion == ps.statusVersion && ps.api.hasContainerStatuses) {
      emitPodRecord(ps);
      return;
    }
    ps.generatedVersion = ps.statusVersion;
    // Only what changed is regenerated: the containers whose inputs changed, and the pod-level part
    // when one of its inputs or a container status changed (TerminatePod touches every container).
    const bool full = !opts.skipUnchangedStatus || !ps.api.hasContainerStatuses || ps.terminal ||
                      ps.api.containers.size() != ps.entry->pod.containerCount();
    if (full) {
      ps.statusContainers = 0;
      ps.statusPodLevel = false;
      writeWholeStatus(ps, runtime);
      return;
    }
    const std::uint64_t regenerate = ps.statusContainers;
    const bool podLevel = ps.statusPodLevel;
    ps.statusContainers = 0;
    ps.statusPodLevel = false;
    const kubelet::StatusInputs in = statusInputs(ps, runtime);
    // Each container whose inputs changed is regenerated beside the API's status and replaces it
    // when it differs (a container's status reads no other container's).
    std::uint64_t changedContainers = 0;
    const std::size_t n = ps.api.containers.size();
    const auto regenerateOne = [&](std::size_t i) {
      kubelet::ApiContainerStatus& st = containerScratch;
      kubelet::convertContainerStatus(in, i, st);
      // The image shown is the spec's current image until an instance of another one exists.
      if (!runtime.containers[i].hasLatest) st.imageId = ps.imageIds[i];
      if (!(st == ps.api.containers[i])) {
        ps.api.containers[i] = st;
        changedContainers |= containerBit(i);
        trace.containerStatus(env.now(), ps.index, {static_cast<std::int32_t>(i), st});
      }
    };
    for (std::uint64_t bits = regenerate & (n >= 64 ? ~0ULL : (1ULL << n) - 1); bits != 0; bits &= bits - 1) {
      const auto i = static_cast<std::size_t>(std::countr_zero(bits));
      if (i < 63 || n <= 63) regenerateOne(i);
    }
    for (std::size_t i = 63; i < n; ++i) regenerateOne(i);  // from 63 on: always regenerated
    if (changedContainers != 0) ++ps.apiSerial;
    const bool same = !podLevel && changedContainers == 0 && ps.genApiSerial == ps.apiSerial && ps.api.phase == ps.genPhase &&
                      ps.api.reason == ps.genReason && sameConditions(ps.api.conditions, ps.genConditions);
    if (!same) {
      // The pod-level part, in place (it reads the previous reason, phase and DisruptionTarget first).
      kubelet::generatePodLevelStatus(in, ps.api);
      ps.genPhase = ps.api.phase;
      ps.genReason = ps.api.reason;
      ps.genConditions = ps.api.conditions;
      ps.genApiSerial = ps.apiSerial;
    }
    emitPodRecord(ps);
    if (changedContainers != 0) wakeProbeWorkers(ps, changedContainers);
  }

  /// writeStatus without shortcuts: the whole status generated beside the API's, then swapped in.
  void writeWholeStatus(PodState& ps, const kubelet::RuntimePodStatus& runtime) {
    ApiPodStatus& s = statusScratch;  // shared by all pods: its buffer is swapped with the pod's
    kubelet::generateAPIPodStatus(statusInputs(ps, runtime), s);
    bool changed = !ps.api.hasContainerStatuses || s.containers.size() != ps.api.containers.size();
    std::uint64_t wake = changed ? ~0ULL : 0;  // whose probe workers may now act differently
    for (std::size_t i = 0; i < s.containers.size(); ++i) {
      // The image shown is the spec's current image until an instance of another one exists.
      if (!runtime.containers[i].hasLatest) s.containers[i].imageId = ps.imageIds[i];
      if (!ps.api.hasContainerStatuses || !(s.containers[i] == ps.api.containers[i])) {
        changed = true;
        wake |= containerBit(i);
        trace.containerStatus(env.now(), ps.index, {static_cast<std::int32_t>(i), s.containers[i]});
      }
    }
    const bool headerChanged = s.phase != ps.api.phase || s.reason != ps.api.reason || !sameConditions(s.conditions, ps.api.conditions);
    if (changed) {
      std::swap(ps.api, s);
      ++ps.apiSerial;
    } else if (headerChanged) {
      ps.api.phase = s.phase;
      ps.api.reason = s.reason;
      ps.api.conditions = s.conditions;
    }
    ps.genPhase = ps.api.phase;
    ps.genReason = ps.api.reason;
    ps.genConditions = ps.api.conditions;
    ps.genApiSerial = ps.apiSerial;
    emitPodRecord(ps);
    if (wake != 0) wakeProbeWorkers(ps, wake);
  }

  /// Conditions compared as bytes: PodCondition is three one-byte fields without padding.
  static bool sameConditions(const Conditions& a, const Conditions& b) {
    static_assert(sizeof(kubelet::PodCondition) == 3 && std::has_unique_object_representations_v<kubelet::PodCondition>);
    return std::memcmp(a.data(), b.data(), sizeof(Conditions)) == 0;
  }


  void event(PodState& ps, trace::EventRecord ev) { trace.event(env.now(), ps.index, ev); }

  // ---- pod worker (pod_workers.go) ----------------------------------------------------------------

  void podWorkerUpdate(PodState& ps) {
    if (ps.node < 0 || nodes[ps.node].kubeletDown) return;  // no kubelet to act
    switch (ps.mode) {
      case WorkerMode::Idle: startSync(ps); break;
      case WorkerMode::WaitingCache:
      case WorkerMode::Syncing:
      case WorkerMode::Terminating: ps.pending = true; break;  // coalesced into one pending update
      case WorkerMode::Terminated: break;
    }
  }

  void startSync(PodState& ps) {
    ps.pending = false;
    if (!ideal && ps.lastSyncEnd >= 0) {
      // The worker waits until the pod cache is newer than the end of its previous sync
      // (pod_workers.go: cache.GetNewerThan), i.e. for the next PLEG relist.
      const NodeState& n = nodes[ps.node];
      const Time lastRelist = sim::lastTickAtOrBefore(env.now(), n.relistPhase, kRelistPeriod);
      if (lastRelist <= ps.lastSyncEnd) {
        const Time at = sim::nextTickAtOrAfter(ps.lastSyncEnd + 1, n.relistPhase, kRelistPeriod);
        ps.mode = WorkerMode::WaitingCache;
        ps.deferredEvent = env.schedule(at, &SimulationImpl::onDeferredSync, this, pack(ps.index));
        return;
      }
    }
    beginSync(ps);
  }

  static void onDeferredSync(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    self->relistNode(ps.node);  // the relist of this tick lands before the sync reads the cache
    if (ps.mode != WorkerMode::WaitingCache) return;
    self->beginSync(ps);
  }

  /// Kubelet.SyncPod: write the status generated from the cache, then the runtime's SyncPod.
  void beginSync(PodState& ps) {
    ps.mode = WorkerMode::Syncing;
    if (ideal) refreshCache(ps);  // the PLEG sees every change at once
    writeStatus(ps, ps.cache);
    triggerReadinessProbes(ps);
    if (ps.deleting || kubelet::isPodPhaseTerminal(ps.api.phase)) {
      beginTerminating(ps);
      return;
    }
    addPodProbes(ps);
    kubelet::PodActionsInputs in;
    in.pod = &ps.entry->pod;
    in.runtime = &ps.cache;
    in.probes = &ps.probes;
    in.specHashes = &ps.specHash;
    in.deleting = ps.deleting;
    // The actions are a pure function of these inputs: while none changed (actionsVersion), the last
    // ones hold (a sync after a readiness result, say). advanceSync only reads them.
    if (ps.actionsFor != ps.actionsVersion) {
      kubelet::computePodActions(in, ps.actions);
      ps.actionsFor = ps.actionsVersion;
    }
    ps.stage = Stage::Kill;
    ps.cursor = 0;
    ps.wait = Wait::None;
    ps.killIssued = false;
    ps.pendingKills = 0;
    ps.syncError = false;
    ps.plainError = false;
    ps.errorDue = sim::kForever;
    ps.pullFailedThisSync = false;
    if (ps.anyResult) {
      std::fill(ps.results.begin(), ps.results.end(), StartResult{});
      ps.anyResult = false;
    }
    advanceSync(ps);
  }

  /// Carries out the actions in kuberuntime_manager.go SyncPod's step order; returns when blocked.
  void advanceSync(PodState& ps) {
    const api::Pod& pod = ps.entry->pod;
    for (;;) {
      switch (ps.stage) {
        case Stage::Kill: {
          if (ps.pendingKills > 0) {
            ps.wait = Wait::Kill;
            return;
          }
          if (ps.actions.killPod) {
            if (!ps.killIssued) {
              ps.killIssued = true;
              killAllRunning(ps, podGrace(ps));
              if (ps.pendingKills > 0) {
                ps.wait = Wait::Kill;
                return;
              }
            }
            ps.runtime.sandboxReady = false;  // StopPodSandbox
            markDirty(ps);
            if (ps.actions.createSandbox && ps.runtime.sandboxAttempt >= 0) purgeInitContainers(ps);
            ps.stage = Stage::Sandbox;
          } else {
            while (ps.cursor < ps.actions.containersToKill.size()) {
              const kubelet::ContainerToKill k = ps.actions.containersToKill[ps.cursor++];
              if (killContainer(ps, k.container, k.reason, k.willRestart, killGrace(ps, k.container, k.reason))) {
                ps.wait = Wait::Kill;
                return;  // kills are sequential and blocking
              }
            }
            ps.stage = Stage::Sandbox;
          }
          ps.cursor = 0;
          break;
        }
        case Stage::Sandbox:
          if (ps.actions.createSandbox) {
            ps.runtime.sandboxExists = true;
            ps.runtime.sandboxReady = true;
            ps.runtime.sandboxAttempt = ps.actions.attempt;
            markDirty(ps);
          }
          ps.stage = Stage::Init;
          ps.cursor = 0;
          break;
        case Stage::Init:
          while (ps.cursor < ps.actions.initContainersToStart.size()) {
            const std::int32_t c = ps.actions.initContainersToStart[ps.cursor];
            const int r = startContainer(ps, c);
            if (r < 0) return;  // blocked on a pull
            ++ps.cursor;
            if (r == 0 && pod.containerType(static_cast<std::size_t>(c)) != api::ContainerType::Sidecar) {
              ps.stage = Stage::Done;  // a regular init container failed to start: abort the sync
              break;
            }
          }
          if (ps.stage == Stage::Init) {
            ps.stage = Stage::Regular;
            ps.cursor = 0;
          }
          break;
        case Stage::Regular:
          while (ps.cursor < ps.actions.containersToStart.size()) {
            const int r = startContainer(ps, ps.actions.containersToStart[ps.cursor]);
            if (r < 0) return;
            ++ps.cursor;
          }
          ps.stage = Stage::Done;
          break;
        case Stage::Done:
          completeSync(ps);
          return;
      }
    }
  }

  /// End of a sync: reason cache update, requeue (pod_workers.go completeWork), next pending update.
  void completeSync(PodState& ps) {
    for (std::size_t i = 0; ps.anyResult && i < ps.results.size(); ++i) {  // none: nothing to update
      const StartResult& r = ps.results[i];
      // Status generation reads the reason cache: only an entry that really changes is an input change.
      kubelet::ReasonCacheEntry& e = ps.reasons[i];
      if (r.kind == 1) {
        if (e.present || e.reason != Reason::None || e.backoff != 0) {
          e = {};
          statusInputsChanged(ps, containerBit(i), false, false);
        }
      } else if (r.kind == 2) {
        if (!e.present || e.reason != r.reason || e.backoff != r.backoff) {
          e = {true, r.reason, r.backoff};
          statusInputsChanged(ps, containerBit(i), false, false);
        }
      }
    }
    ps.lastSyncEnd = env.now();
    ps.mode = WorkerMode::Idle;
    scheduleRequeue(ps);
    if (ideal) {
      // The ideal status manager sees the sync's own effects at once.
      if (refreshCache(ps)) ps.pending = true;
      writeStatus(ps, ps.cache);
    }
    if (ps.pending) startSync(ps);
  }

  /// When the work queue hands the pod back (kubelet-semantics §10.3).
  void scheduleRequeue(PodState& ps) {
    env.cancel(ps.requeueEvent);
    ps.requeueEvent = {};
    kubelet::SyncOutcome outcome;
    outcome.error = ps.syncError;
    outcome.plainError = ps.plainError;
    outcome.errorDue = ps.errorDue;
    outcome.pullFailedThisSync = ps.pullFailedThisSync;
    const kubelet::RequeuePlan plan = kubelet::requeuePlan(outcome, {ideal, backoffAwareRequeue}, env.now());
    if (!plan.requeue) return;
    // The pod's own stream draws the jitter only when the plan asks for one.
    const Time due = kubelet::requeueAt(plan, plan.draw ? ps.rng.uniformTime(plan.jitterLow, plan.jitterHigh) : 0);
    Time at = due;
    if (!ideal) at = sim::nextTickAtOrAfter(due, nodes[ps.node].tickPhase, kSyncTickPeriod);
    ps.requeueEvent = env.schedule(at, &SimulationImpl::onRequeue, this, pack(ps.index));
  }

  static void onRequeue(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    ps.requeueEvent = {};
    self->podWorkerUpdate(ps);
  }

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
  void addPodProbes(PodState& ps) {
    if (ps.workersCreated) return;
    ps.workersCreated = true;
    ps.probeAnchor = env.now();  // every worker of the pod is created now: their ticks share this grid origin
    const api::Pod& pod = ps.entry->pod;
    for (ProbeWorker& w : ps.workers) {
      const api::Container& spec = pod.container(w.container);
      const std::optional<api::Probe>* probes[3] = {&spec.startupProbe, &spec.livenessProbe, &spec.readinessProbe};
      const auto c = static_cast<std::int32_t>(w.container);
      const auto t = static_cast<std::uint32_t>(w.type);
      w.exists = true;
      w.spec = &probes[t]->value();
      const scenario::ProcessBehavior& b = behavior(ps, c);
      const scenario::ProbeBehavior& pb = t == 0 ? b.startup : t == 1 ? b.liveness : b.readiness;
      w.unforeseeable = !pb.dependsOn.empty() || (injector && injector->probeFaulty(ps.index, c, static_cast<int>(t)));
      w.tick = env.scheduleTick(env.now(), tickKey(ps, c, t), &SimulationImpl::onProbeTick, this, pack(ps.index, c, t));
    }
  }

  /// The fixed place of a worker's ticks among the events of an instant (Environment::scheduleTick).
  static std::uint64_t tickKey(const PodState& ps, std::int32_t c, std::uint32_t t) {
    return (static_cast<std::uint64_t>(ps.index) << 24) | (static_cast<std::uint64_t>(c) * 3 + t);
  }

  static void onProbeTick(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    const auto t = static_cast<ProbeType>(extraOf(a) & 3u);
    ProbeWorker& w = self->worker(ps, c, t);
    if (w.stopped || self->nodes[ps.node].kubeletDown) return;
    const bool manual = (extraOf(a) & 4u) != 0;
    if (!manual) {
      w.tick = {};
      w.idle = false;
      w.lastTick = self->env.now();
    } else {
      w.manualPending = false;
    }
    if (!self->doProbe(ps, c, t)) {
      w.stopped = true;
      self->env.cancel(w.tick);
      return;
    }
    if (manual) {
      self->wakeWorker(ps, c, t);  // the manual probe may have changed what the coming ticks do
      return;
    }
    if (w.tick.valid()) return;  // a wake during this probe already re-armed the ticker
    self->armTicker(ps, c, t);
  }

  /// Schedules the worker's next tick: the next one on its grid, or, when the ticks until some time
  /// are known to change nothing, the first that may (the trace is the same either way).
  void armTicker(PodState& ps, std::int32_t c, ProbeType t) {
    ProbeWorker& w = worker(ps, c, t);
    const Time period = static_cast<Time>(w.spec->periodSeconds) * kSecond;
    const Time next = sim::nextTickAtOrAfter(env.now() + 1, ps.probeAnchor, period);
    Time at = next;
    const Time interesting = opts.skipIdleProbeTicks ? firstInterestingTime(ps, c, t, next) : next;
    if (interesting > next) {
      w.idle = true;
      if (interesting == sim::kForever) return;  // nothing can happen until the pod's state changes
      at = sim::nextTickAtOrAfter(interesting, ps.probeAnchor, period);
    }
    w.tick = env.scheduleTick(at, tickKey(ps, c, static_cast<std::uint32_t>(t)), &SimulationImpl::onProbeTick, this,
                              pack(ps.index, c, static_cast<std::uint32_t>(t)));
  }

  /// Re-arms an idle worker after a change of its pod's state, at the next tick of its grid that has
  /// not yet had its turn, or, when that tick and the ones after it are known to change nothing in the
  /// new state, at the first that may (the same look-ahead as armTicker: every change of what
  /// firstInterestingTime reads wakes the worker again, so the answer holds until the tick).
  void wakeWorker(PodState& ps, std::int32_t c, ProbeType t) {
    ProbeWorker& w = worker(ps, c, t);
    if (!w.exists || w.stopped || !w.idle) return;
    w.idle = false;
    env.cancel(w.tick);
    w.tick = {};
    const Time period = static_cast<Time>(w.spec->periodSeconds) * kSecond;
    const std::uint64_t key = tickKey(ps, c, static_cast<std::uint32_t>(t));
    Time at = sim::nextTickAtOrAfter(env.now(), ps.probeAnchor, period);
    // Its turn at this instant passed: events scheduled by the tick itself (a kill's SIGTERM exit, say)
    // run after it in the same instant with a lower order, so the order alone cannot tell.
    if (at == env.now() && (env.currentOrder() >= sim::Environment::tickOrder(key) || w.lastTick == at)) at += period;
    if (opts.skipIdleProbeTicks) {
      const Time interesting = firstInterestingTime(ps, c, t, at);
      if (interesting > at) {
        w.idle = true;
        if (interesting == sim::kForever) return;  // nothing can happen until the pod's state changes
        at = sim::nextTickAtOrAfter(interesting, ps.probeAnchor, period);
      }
    }
    w.tick = env.scheduleTick(at, key, &SimulationImpl::onProbeTick, this, pack(ps.index, c, static_cast<std::uint32_t>(t)));
  }

  /// Wakes the idle workers of the containers in `containers` (containerBit mask; default: all). A
  /// worker's look-ahead reads only its own container's state and pod-wide flags, so a change of one
  /// container's state wakes that container's workers only.
  void wakeProbeWorkers(PodState& ps, std::uint64_t containers = ~0ULL) {
    if (!ps.workersCreated) return;
    const std::size_t n = ps.workerAt.size() / 3;
    if (containers == ~0ULL) {
      for (std::size_t i = 0; i < ps.workers.size(); ++i) {
        const ProbeWorker& w = ps.workers[i];
        if (w.idle) wakeWorker(ps, w.container, w.type);
      }
      return;
    }
    while (containers != 0) {
      const auto bit = static_cast<std::size_t>(std::countr_zero(containers));
      containers &= containers - 1;
      const std::size_t last = bit == 63 ? n : std::min(bit + 1, n);  // the top bit stands for 63 and above
      for (std::size_t c = bit; c < last; ++c) {
        for (std::size_t t = 0; t < 3; ++t) {
          const ProbeWorker* w = findWorker(ps, c, static_cast<ProbeType>(t));
          if (w != nullptr && w->idle) wakeWorker(ps, static_cast<std::int32_t>(c), static_cast<ProbeType>(t));
        }
      }
    }
  }

  /// The earliest time >= `from` at which a tick of this worker may do something observable, given the
  /// pod's state stays as it is (any change wakes the worker); `from` itself when it cannot tell.
  /// Mirrors doProbe: a tick is idle when it returns before probing, or when it probes with the
  /// result it already holds past its threshold and nothing to record (a success, or any result of
  /// a readiness probe when no trace is kept).
  Time firstInterestingTime(const PodState& ps, std::int32_t c, ProbeType t, Time from) const {
    const auto ci = static_cast<std::size_t>(c);
    const ProbeWorker& w = worker(ps, c, t);
    const kubelet::ProbeTarget target = probeTarget(ps, c, t);
    kubelet::ProbeOutlook outlook;
    // The result is foreseeable from the behaviour while the probed process is the container's newest.
    outlook.foreseeable = ps.api.hasContainerStatuses && ps.procs[ci].alive &&
                          ps.runtime.containers[ci].latest.id == target.containerID && !w.unforeseeable;
    if (outlook.foreseeable) {
      const scenario::ProcessBehavior& b = behavior(ps, c);
      const scenario::ProbeBehavior& pb = t == ProbeType::Startup ? b.startup : t == ProbeType::Liveness ? b.liveness : b.readiness;
      const bool timedOut = pb.duration > static_cast<Time>(w.spec->timeoutSeconds) * kSecond;
      const Time launch = ps.runtime.containers[ci].latest.startedAt;
      outlook.successFrom = timedOut ? sim::kForever : launch + std::max(b.startDelay, pb.succeedAfter);
      outlook.failureFrom = timedOut || pb.failAfter == sim::kForever ? sim::kForever : launch + pb.failAfter;
    }
    return kubelet::firstInterestingProbeTime(memoryOf(w), t, *w.spec, target, outlook,
                                              t != ProbeType::Readiness || trace.enabled(), from);
  }

  /// The worker's memory as the pure prober reads it.
  static kubelet::ProbeWorkerMemory memoryOf(const ProbeWorker& w) {
    return {w.containerID, w.resultRun, w.lastResult, w.onHold};
  }

  /// The API view of container c that worker t reads (its status, and the stored result of the probe).
  kubelet::ProbeTarget probeTarget(const PodState& ps, std::int32_t c, ProbeType t) const {
    kubelet::ProbeTarget target;
    target.hasContainerStatuses = ps.api.hasContainerStatuses;
    if (!target.hasContainerStatuses) return target;
    target.podTerminal = kubelet::isPodPhaseTerminal(ps.api.phase);
    fillTarget(target, ps, ps.api.containers[static_cast<std::size_t>(c)], c, t);
    return target;
  }
  void fillTarget(kubelet::ProbeTarget& target, const PodState& ps, const kubelet::ApiContainerStatus& cs, std::int32_t c,
                  ProbeType t) const {
    target.containerID = cs.containerID;
    target.state = cs.state.kind;
    target.started = cs.started;
    target.startedAt = cs.state.startedAt;
    target.deleting = ps.deleting;
    target.restartNever = ps.entry->pod.restartPolicy == api::RestartPolicy::Never;
    const kubelet::ContainerProbeResults& pr = ps.probes[static_cast<std::size_t>(c)];
    target.storedFound = t == ProbeType::Startup ? pr.startupFound : t == ProbeType::Liveness ? pr.livenessFound : pr.readinessFound;
    target.stored = t == ProbeType::Startup ? pr.startup : t == ProbeType::Liveness ? pr.liveness : pr.readiness;
  }

  /// The probe's result for the process of container c at this moment, from its behaviour.
  kubelet::ProbeResult probeOutcome(const PodState& ps, std::int32_t c, ProbeType t, bool& timedOut) const {
    const auto ci = static_cast<std::size_t>(c);
    const scenario::ProcessBehavior& b = behavior(ps, c);
    const scenario::ProbeBehavior& pb = t == ProbeType::Startup ? b.startup : t == ProbeType::Liveness ? b.liveness : b.readiness;
    const api::Probe& spec = *worker(ps, c, t).spec;
    timedOut = pb.duration > static_cast<Time>(spec.timeoutSeconds) * kSecond;
    if (timedOut) return kubelet::ProbeResult::Failure;
    if (!ps.procs[ci].alive) return kubelet::ProbeResult::Failure;
    const Time since = env.now() - ps.runtime.containers[ci].latest.startedAt;
    bool ok = since >= b.startDelay && since >= pb.succeedAfter && since < pb.failAfter;
    if (worker(ps, c, t).unforeseeable) ok = dependentProbeResult(ps, c, t, pb, ok);
    return ok ? kubelet::ProbeResult::Success : kubelet::ProbeResult::Failure;
  }

  /// The probe's target answers only while the Services and endpoints it depends on answer, and an
  /// injected fault may fail it (models/faults). Kept out of line: most probes have neither.
  [[gnu::noinline]] bool dependentProbeResult(const PodState& ps, std::int32_t c, ProbeType t,
                                              const scenario::ProbeBehavior& pb, bool ok) const {
    for (const std::int32_t d : pb.dependsOn) ok = ok && serviceAnswers(d, true);
    if (injector && injector->probeFails(ps.index, c, static_cast<int>(t))) ok = false;
    return ok;
  }

  /// worker.go doProbe, decided by models/kubelet/prober: returns whether the worker keeps going.
  bool doProbe(PodState& ps, std::int32_t c, ProbeType t) {
    const auto ci = static_cast<std::size_t>(c);
    ProbeWorker& w = worker(ps, c, t);
    kubelet::ProbeTarget target = probeTarget(ps, c, t);
    switch (kubelet::probeGate(memoryOf(w), target)) {
      case kubelet::ProbeGate::NoStatus:
      case kubelet::ProbeGate::NotCreated: return true;  // wait for more information
      case kubelet::ProbeGate::PodTerminal: return false;
      case kubelet::ProbeGate::NewContainer:
      case kubelet::ProbeGate::Same: break;
    }
    // Read through this reference after the results manager's side effects too (they may sync the pod).
    const kubelet::ApiContainerStatus& cs = ps.api.containers[ci];
    if (w.containerID != cs.containerID) {
      w.containerID = cs.containerID;
      setProbeResult(ps, c, t, kubelet::initialProbeResult(t), true);
      w.onHold = false;  // a new container: resume probing
    }
    fillTarget(target, ps, cs, c, t);
    const kubelet::ProbeStep step = kubelet::probeStep(memoryOf(w), t, *w.spec, target, env.now());
    switch (step.action) {
      case kubelet::ProbeAction::Wait: return true;
      case kubelet::ProbeAction::RecordFailure:
        setProbeResult(ps, c, t, kubelet::ProbeResult::Failure, false);
        return step.keepGoing;
      case kubelet::ProbeAction::StopTerminating:
        setProbeResult(ps, c, t, kubelet::ProbeResult::Success, false);
        return step.keepGoing;  // no liveness or startup kills during termination
      case kubelet::ProbeAction::Probe: break;
    }
    bool timedOut = false;
    const kubelet::ProbeResult result = probeOutcome(ps, c, t, timedOut);
    const kubelet::ProbeResultChange change = kubelet::probeResultStep(memoryOf(w), t, *w.spec, result);
    if (change.recordUnhealthy) {
      trace::EventRecord ev = containerEvent(api::EventReason::Unhealthy, trace::EventMessage::ProbeFailed, c, true);
      ev.a = static_cast<Time>(t);
      ev.b = timedOut ? 1 : 0;
      event(ps, ev);
    }
    w.lastResult = change.counted.lastResult;
    w.resultRun = change.counted.resultRun;
    if (!change.store) return true;
    setProbeResult(ps, c, t, result, false);
    if (change.hold) {
      w.onHold = true;
      w.resultRun = 0;
    }
    return true;
  }

  /// results manager Set; a change reaches the kubelet's sync loop (kubelet.go syncLoopIteration):
  /// readiness and startup go straight into the status manager and sync the pod; a liveness
  /// failure syncs the pod.
  void setProbeResult(PodState& ps, std::int32_t c, ProbeType t, kubelet::ProbeResult r, bool fresh) {
    kubelet::ContainerProbeResults& pr = ps.probes[static_cast<std::size_t>(c)];
    bool* found = t == ProbeType::Startup ? &pr.startupFound : t == ProbeType::Liveness ? &pr.livenessFound : &pr.readinessFound;
    kubelet::ProbeResult* value = t == ProbeType::Startup ? &pr.startup : t == ProbeType::Liveness ? &pr.liveness : &pr.readiness;
    if (*found && *value == r && !fresh) return;
    if (*found && *value == r) return;
    *found = true;
    *value = r;
    statusInputsChanged(ps, containerBit(static_cast<std::size_t>(c)), false, t != ProbeType::Readiness);
    kubelet::ApiContainerStatus& cs = ps.api.containers[static_cast<std::size_t>(c)];
    const api::Pod& pod = ps.entry->pod;
    switch (t) {
      case ProbeType::Readiness: {
        const bool ready = r == kubelet::ProbeResult::Success;
        if (cs.ready != ready && cs.containerID == worker(ps, c, t).containerID) {
          cs.ready = ready;
          ++ps.apiSerial;
          kubelet::updateReadinessConditions(pod, ps.api);
          trace.containerStatus(env.now(), ps.index, {c, cs});
          emitPodRecord(ps);
          wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
        }
        podWorkerUpdate(ps);
        break;
      }
      case ProbeType::Startup: {
        const bool started = r == kubelet::ProbeResult::Success;
        if (cs.started != started && cs.containerID == worker(ps, c, t).containerID) {
          cs.started = started;
          ++ps.apiSerial;
          kubelet::updateInitializedCondition(pod, ps.api);
          trace.containerStatus(env.now(), ps.index, {c, cs});
          emitPodRecord(ps);
          wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
        }
        podWorkerUpdate(ps);
        break;
      }
      case ProbeType::Liveness:
        if (r == kubelet::ProbeResult::Failure) podWorkerUpdate(ps);
        break;
    }
  }

  /// Status generation fires an immediate readiness probe for every started container whose
  /// readiness is not Success yet (prober_manager.go UpdatePodStatus, manualTriggerCh).
  void triggerReadinessProbes(PodState& ps) {
    for (std::size_t c = 0; c < ps.api.containers.size(); ++c) {
      ProbeWorker* found = findWorker(ps, c, ProbeType::Readiness);
      if (found == nullptr) continue;
      ProbeWorker& w = *found;
      if (!w.exists || w.stopped) continue;
      const kubelet::ApiContainerStatus& cs = ps.api.containers[c];
      if (!cs.started || cs.state.kind != kubelet::ContainerStateValue::Kind::Running) continue;
      const kubelet::ContainerProbeResults& pr = ps.probes[c];
      if (pr.readinessFound && pr.readiness == kubelet::ProbeResult::Success) continue;
      if (w.manualPending) continue;  // select { case manualTriggerCh <- struct{}{}: default: }
      w.manualPending = true;
      env.schedule(env.now(), &SimulationImpl::onProbeTick, this,
                   pack(ps.index, static_cast<std::int32_t>(c), 2u | 4u));
    }
  }

  // ---- termination (kubelet.go SyncTerminatingPod / SyncTerminatedPod) ----------------------------

  void beginTerminating(PodState& ps) {
    ps.mode = WorkerMode::Terminating;
    env.cancel(ps.requeueEvent);
    ps.requeueEvent = {};
    ps.wait = Wait::None;
    ps.pendingKills = 0;
    killAllRunning(ps, ps.deleting ? ps.deletionGrace : podGrace(ps));
    if (ps.pendingKills == 0) finishTerminating(ps);
  }

  void finishTerminating(PodState& ps) {
    ps.runtime.sandboxReady = false;
    ++ps.runtimeVersion;
    ps.terminal = true;
    statusInputsChanged(ps);
    ps.cache = ps.runtime;
    ps.cacheVersion = ps.runtimeVersion;
    ps.runtimeTouched = 0;
    statusInputsChanged(ps);
    writeStatus(ps, ps.cache);
    ps.mode = WorkerMode::Terminated;
    if (ps.deleting && !ps.removed) {
      ps.removed = true;
      trace.podRemoved(env.now(), ps.index);
    }
    releaseResources(ps);
  }

  // ---- kills --------------------------------------------------------------------------------------

  Time podGrace(const PodState& ps) const { return kubelet::podGracePeriod(ps.entry->pod); }

  /// The grace of a kill in this sync (models/kubelet/termination: setTerminationGracePeriod).
  Time killGrace(const PodState& ps, std::int32_t c, KillReason reason) const {
    return kubelet::setTerminationGracePeriod(ps.entry->pod, static_cast<std::size_t>(c), reason, ps.deleting, ps.deletionGrace);
  }

  /// killPodWithSyncResult: every running container is killed at once; with sidecars, the sidecars
  /// wait for the regular containers and for the sidecars after them (kubelet-semantics §11.3).
  void killAllRunning(PodState& ps, Time grace) {
    const bool ordered = kubelet::hasSidecars(ps.entry->pod);
    const api::Pod& pod = ps.entry->pod;
    for (std::size_t c = 0; c < ps.procs.size(); ++c) {
      Proc& pr = ps.procs[c];
      if (!pr.alive) continue;
      if (pr.kill != KillPhase::None) {
        // Already being killed (a probe kill, say): this termination waits for it too.
        if (!pr.killWaiter) {
          pr.killWaiter = true;
          ++ps.pendingKills;
        }
        continue;
      }
      const bool sidecar = pod.containerType(c) == api::ContainerType::Sidecar;
      killContainer(ps, static_cast<std::int32_t>(c), KillReason::None, false, grace, ordered && sidecar);
    }
    if (ps.pendingKills > 0 && ps.mode == WorkerMode::Syncing) ps.wait = Wait::Kill;
  }

  /// killContainer: `Killing` event, preStop (bounded by the grace period), SIGTERM, then SIGKILL after
  /// max(remaining grace, 2 s). Returns whether a running process is now being waited for.
  /// Source: kuberuntime_container.go killContainer, executePreStopHook.
  bool killContainer(PodState& ps, std::int32_t c, KillReason reason, bool willRestart, Time grace, bool ordered = false) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    if (!pr.alive) return false;
    trace::EventRecord ev;
    ev.reason = api::EventReason::Killing;
    ev.message = trace::EventMessage::Killing;
    ev.container = c;
    ev.kill = reason;
    ev.willRestart = willRestart;
    event(ps, ev);
    if (!pr.killWaiter) {
      pr.killWaiter = true;
      ++ps.pendingKills;
    }
    if (pr.kill != KillPhase::None) return true;
    pr.killStart = env.now();
    pr.killGrace = grace;
    pr.orderedKill = ordered;
    const api::LifecycleHandler& preStop = ps.entry->pod.container(static_cast<std::size_t>(c)).lifecycle.preStop;
    if (preStop.present() && grace > 0) {
      const scenario::HookBehavior& hb = behavior(ps, c).preStop;
      const Time d = preStop.kind == api::HandlerKind::Sleep ? preStop.sleepSeconds * kSecond : hb.duration;
      pr.kill = KillPhase::PreStop;
      ps.hookFailed = false;
      pr.killTimer = env.scheduleIn(std::min(d, grace), &SimulationImpl::onPreStopDone, this,
                                    pack(ps.index, c, d <= grace && hb.fails && preStop.kind != api::HandlerKind::Sleep ? 1u : 0u));
      return true;
    }
    afterPreStop(ps, c);
    return true;
  }

  static void onPreStopDone(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    if (extraOf(a) != 0) {
      trace::EventRecord ev = self->containerEvent(api::EventReason::FailedPreStopHook, trace::EventMessage::PreStopFailed, c, true);
      self->event(ps, ev);
    }
    self->afterPreStop(ps, c);
  }

  /// After preStop: the grace left (whole seconds spent are subtracted), then SIGTERM, unless a
  /// sidecar must first wait for the containers it outlives.
  void afterPreStop(PodState& ps, std::int32_t c) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    if (!pr.alive) return;
    const Time remaining = kubelet::remainingGracePeriod(pr.killGrace, env.now() - pr.killStart);
    if (pr.orderedKill && !orderSatisfied(ps, c)) {
      pr.kill = KillPhase::Ordered;
      // The wait is bounded by the sidecar's own remaining grace; then SIGTERM with the 2 s minimum.
      pr.killTimer = env.scheduleIn(std::max(remaining, Time{0}), &SimulationImpl::onOrderTimeout, this, pack(ps.index, c));
      return;
    }
    sendSigterm(ps, c, remaining);
  }

  /// A sidecar gets SIGTERM once every regular container and every later sidecar has exited.
  bool orderSatisfied(const PodState& ps, std::int32_t c) const {
    return kubelet::sidecarTurn(ps.entry->pod, static_cast<std::size_t>(c), ps.procs.size(),
                                [&](std::size_t i) { return ps.procs[i].alive; });
  }

  static void onOrderTimeout(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    if (ps.procs[static_cast<std::size_t>(c)].kill == KillPhase::Ordered) self->sendSigterm(ps, c, 0);
  }

  void releaseOrderedSidecars(PodState& ps) {
    for (std::size_t c = ps.procs.size(); c-- > 0;) {
      Proc& pr = ps.procs[c];
      if (pr.alive && pr.kill == KillPhase::Ordered && orderSatisfied(ps, static_cast<std::int32_t>(c))) {
        env.cancel(pr.killTimer);
        sendSigterm(ps, static_cast<std::int32_t>(c), kubelet::remainingGracePeriod(pr.killGrace, env.now() - pr.killStart));
      }
    }
  }

  /// StopContainer(timeout = max(remaining, 2 s)): SIGTERM now, SIGKILL (exit 137) at the timeout.
  void sendSigterm(PodState& ps, std::int32_t c, Time remaining) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    pr.kill = KillPhase::Term;
    pr.sigtermSent = true;
    const Time timeout = kubelet::stopTimeout(remaining);
    const scenario::ProcessBehavior& b = behavior(ps, c);
    env.cancel(pr.killTimer);
    if (!pr.ignoresSigterm && b.terminationDelay < timeout) {
      pr.killTimer = env.scheduleIn(b.terminationDelay, &SimulationImpl::onSigtermExit, this, pack(ps.index, c));
    } else {
      pr.killTimer = env.scheduleIn(timeout, &SimulationImpl::onSigkill, this, pack(ps.index, c));
    }
  }

  static void onSigtermExit(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    const std::int32_t code = self->behavior(ps, c).exitCodeOnSigterm;
    self->processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
  }

  static void onSigkill(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    self->processExit(self->pods[podOf(a)], containerOf(a), 137, Reason::Error);
  }

  void purgeInitContainers(PodState& ps) {
    for (std::size_t i = 0; i < ps.entry->pod.initContainers.size(); ++i) {
      ps.runtime.containers[i] = {};
      ps.runtimeTouched |= containerBit(i);
    }
  }

  // ---- container start (kuberuntime_container.go startContainer) ----------------------------------

  const scenario::ProcessBehavior& behavior(const PodState& ps, std::int32_t c) const {
    return ps.entry->behaviors[static_cast<std::size_t>(c)];
  }

  void fail(PodState& ps, std::int32_t c, Reason reason, Time backoff, Time due, bool crashBackoff) {
    ps.results[static_cast<std::size_t>(c)] = {2, reason, backoff};
    ps.anyResult = true;
    ps.syncError = true;
    if (crashBackoff) {
      ps.errorDue = std::min(ps.errorDue, due);
    } else {
      ps.plainError = true;
      if (due < sim::kForever) ps.errorDue = std::min(ps.errorDue, due);
    }
  }

  trace::EventRecord containerEvent(api::EventReason reason, trace::EventMessage message, std::int32_t c,
                                    bool warning = false) const {
    trace::EventRecord ev;
    ev.reason = reason;
    ev.message = message;
    ev.container = c;
    ev.warning = warning;
    return ev;
  }

  /// Starts container c: 1 started, 0 failed, -1 blocked (on an image pull, a postStart hook, or the
  /// kill after a failed postStart); the sync resumes the start where it stopped (ps.startPhase).
  int startContainer(PodState& ps, std::int32_t c) {
    const auto ci = static_cast<std::size_t>(c);
    const api::Container& spec = ps.entry->pod.container(ci);
    const std::int32_t image = ps.imageIds[ci];
    NodeState& node = nodes[ps.node];
    switch (ps.startPhase) {
      case 0: {
        // 1. Crash-loop back-off (kuberuntime_manager.go doBackOff), measured from FinishedAt.
        if (const kubelet::RuntimeContainerStatus* exited = ps.cache.containers[ci].newestExited()) {
          kubelet::BackoffEntry& e = ps.crash[ci];
          if (e.present && e.specHash != ps.specHash[ci]) e = {};
          const Time ts = exited->finishedAt;
          if (kubelet::isInBackOffSince(e, crashPolicy, ts, env.now())) {
            trace::EventRecord ev = containerEvent(api::EventReason::BackOff, trace::EventMessage::RestartBackOff, c, true);
            ev.a = e.backoff;
            event(ps, ev);
            fail(ps, c, Reason::CrashLoopBackOff, e.backoff, ts + e.backoff, true);
            return 0;
          }
          kubelet::next(e, crashPolicy, ts, env.now());
          e.specHash = ps.specHash[ci];
        }
        // 2. Image (images/image_manager.go EnsureImageExists): a reference that does not parse fails
        //    with InvalidImageName and is retried at every sync, without back-off.
        const bool present = node.imagePresent[static_cast<std::size_t>(image)] != 0;
        const api::PullPolicy policy = spec.imagePullPolicy;
        const bool valid = imageInvalid[static_cast<std::size_t>(image)] == 0;
        // The pull back-off entry is looked up (and made) only when a pull is needed.
        const bool inBackOff = valid && kubelet::shouldPullImage(policy, present) &&
                               kubelet::isInBackOffSinceUpdate(pullBackoff(ps, image), pullPolicy, env.now());
        const kubelet::ImageDecision decision = kubelet::ensureImageExists(valid, policy, present, inBackOff);
        switch (decision) {
          case kubelet::ImageDecision::InvalidImageName: {
            trace::EventRecord ev = containerEvent(api::EventReason::InspectFailed, trace::EventMessage::InspectFailed, c, true);
            ev.image = image;
            event(ps, ev);
            startError(ps, c, Reason::InvalidImageName);
            fail(ps, c, Reason::InvalidImageName, 0, sim::kForever, false);
            return 0;
          }
          case kubelet::ImageDecision::ErrImageNeverPull: {
            trace::EventRecord ev = containerEvent(api::EventReason::ErrImageNeverPull, trace::EventMessage::NeverPull, c, true);
            ev.image = image;
            event(ps, ev);
            startError(ps, c, Reason::ErrImageNeverPull);
            fail(ps, c, Reason::ErrImageNeverPull, 0, sim::kForever, false);
            return 0;
          }
          case kubelet::ImageDecision::UsePresent: {
            trace::EventRecord ev = containerEvent(api::EventReason::Pulled, trace::EventMessage::PulledPresent, c);
            ev.image = image;
            event(ps, ev);
            break;
          }
          case kubelet::ImageDecision::ImagePullBackOff: {
            const kubelet::BackoffEntry& pe = pullBackoff(ps, image);
            trace::EventRecord ev = containerEvent(api::EventReason::BackOff, trace::EventMessage::PullBackOff, c);
            ev.image = image;
            event(ps, ev);
            startError(ps, c, Reason::ImagePullBackOff);
            fail(ps, c, Reason::ImagePullBackOff, pe.backoff, pe.lastUpdate + pe.backoff, false);
            return 0;
          }
          case kubelet::ImageDecision::Pull: break;
        }
        if (decision == kubelet::ImageDecision::UsePresent) break;  // on to create and start
        trace::EventRecord ev = containerEvent(api::EventReason::Pulling, trace::EventMessage::Pulling, c);
        ev.image = image;
        event(ps, ev);
        ps.wait = Wait::Pull;
        ps.pulling = c;
        ps.pullRequestedAt = env.now();
        ps.pullFailed = false;
        ps.startPhase = 1;
        requestPull(ps.node, ps.index, c);
        return -1;
      }
      case 1:  // the pull finished
        ps.pulling = -1;
        if (ps.pullFailed) {
          ps.startPhase = 0;
          return failPull(ps, c, image);
        }
        break;
      case 2:  // postStart finished
        if (!ps.hookFailed) {
          ps.startPhase = 0;
          ps.results[ci] = {1, Reason::None, 0};
          ps.anyResult = true;
          return 1;
        }
        // A failed postStart kills the container, with the pod's grace period and its preStop hook.
        event(ps, containerEvent(api::EventReason::FailedPostStartHook, trace::EventMessage::PostStartFailed, c, true));
        ps.startPhase = 3;
        if (killContainer(ps, c, KillReason::FailedPostStartHook, false, podGrace(ps))) {
          ps.wait = Wait::Kill;
          return -1;
        }
        [[fallthrough]];
      case 3:
        ps.startPhase = 0;
        fail(ps, c, Reason::PostStartHookError, 0, sim::kForever, false);
        return 0;
      default: break;
    }
    ps.startPhase = 0;
    // 3.-5. restartCount, CreateContainer, StartContainer.
    const kubelet::RuntimeContainerSlot& cached = ps.cache.containers[ci];
    const std::int32_t restartCount = cached.hasLatest ? cached.latest.restartCount + 1 : 0;
    kubelet::RuntimeContainerSlot& slot = ps.runtime.containers[ci];
    if (slot.hasLatest) {
      slot.previous = slot.latest;
      slot.hasPrevious = true;
    }
    slot.hasLatest = true;
    slot.latest = kubelet::RuntimeContainerStatus{};
    slot.latest.state = ContainerState::Created;
    slot.latest.createdAt = env.now();
    slot.latest.restartCount = restartCount;
    slot.latest.specHash = ps.specHash[ci];
    slot.latest.imageId = image;
    slot.latest.id = ++nextContainerID;
    ps.probes[ci] = {};  // the new container ID has no probe results yet
    statusInputsChanged(ps, containerBit(ci), false);
    event(ps, containerEvent(api::EventReason::Created, trace::EventMessage::Created, c));
    slot.latest.state = ContainerState::Running;
    slot.latest.startedAt = env.now();
    launchProcess(ps, c, restartCount);
    event(ps, containerEvent(api::EventReason::Started, trace::EventMessage::Started, c));
    markDirty(ps, containerBit(ci));
    wakeProbeWorkers(ps, containerBit(ci));
    // 6. postStart (kuberuntime_container.go startContainer): the sync waits for it.
    const api::LifecycleHandler& postStart = spec.lifecycle.postStart;
    if (postStart.present()) {
      const scenario::HookBehavior& hb = behavior(ps, c).postStart;
      const Time d = postStart.kind == api::HandlerKind::Sleep ? postStart.sleepSeconds * kSecond : hb.duration;
      ps.hookFailed = hb.fails && postStart.kind != api::HandlerKind::Sleep;
      ps.startPhase = 2;
      ps.wait = Wait::PostStart;
      if (d != sim::kForever) env.scheduleIn(d, &SimulationImpl::onPostStartDone, this, pack(ps.index, c));
      return -1;
    }
    ps.results[ci] = {1, Reason::None, 0};
    ps.anyResult = true;
    return 1;
  }

  static void onPostStartDone(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    if (ps.mode != WorkerMode::Syncing || ps.wait != Wait::PostStart) return;
    ps.wait = Wait::None;
    self->advanceSync(ps);
  }

  void startError(PodState& ps, std::int32_t c, Reason reason) {
    trace::EventRecord ev = containerEvent(api::EventReason::Failed, trace::EventMessage::StartError, c, true);
    ev.detail = reason;
    event(ps, ev);
  }

  kubelet::BackoffEntry& pullBackoff(PodState& ps, std::int32_t image) {
    for (auto& b : ps.pullBackoffs) {
      if (b.image == image) return b.entry;
    }
    ps.pullBackoffs.push_back({image, {}});
    return ps.pullBackoffs.back().entry;
  }

  int failPull(PodState& ps, std::int32_t c, std::int32_t image) {
    const scenario::ImageBehavior& ib = sc.imageBehaviors[static_cast<std::size_t>(image)];
    // The scenario's declared pull error, else the injected one (models/faults).
    const Reason err = ib.pullError != Reason::None ? ib.pullError : ps.pullFault;
    ps.pullFault = Reason::None;
    trace::EventRecord ev = containerEvent(api::EventReason::Failed, trace::EventMessage::PullFailed, c, true);
    ev.image = image;
    ev.detail = err;
    ev.a = ib.pullError == Reason::None ? 1 : 0;  // 1: an injected, transient failure (the registry answered 503)
    event(ps, ev);
    kubelet::BackoffEntry& pe = pullBackoff(ps, image);
    kubelet::next(pe, pullPolicy, env.now(), env.now());
    const Reason r = err == Reason::RegistryUnavailable ? Reason::RegistryUnavailable : Reason::ErrImagePull;
    startError(ps, c, r);
    fail(ps, c, r, pe.backoff, pe.lastUpdate + pe.backoff, false);
    ps.pullFailedThisSync = true;
    return 0;
  }

  // ---- image puller (images/puller.go: serial or parallel) ----------------------------------------

  void requestPull(std::int32_t node, std::int32_t pod, std::int32_t c) {
    NodeState& n = nodes[node];
    n.pullQueue.push_back({pod, c});
    pumpPulls(node);
  }

  std::int32_t pullSlots() const {
    if (sc.kubelet.serializeImagePulls) return 1;
    return sc.kubelet.maxParallelImagePulls > 0 ? sc.kubelet.maxParallelImagePulls : 1 << 20;
  }

  void pumpPulls(std::int32_t node) {
    NodeState& n = nodes[node];
    while (n.pullHead < n.pullQueue.size() && n.activePulls < pullSlots()) {
      const PullRequest r = n.pullQueue[n.pullHead++];
      ++n.activePulls;
      PodState& ps = pods[r.pod];
      const std::int32_t image = ps.imageIds[static_cast<std::size_t>(r.container)];
      Time d = sc.imageBehaviors[static_cast<std::size_t>(image)].pullDuration;
      if (injector) {  // an injected failure ends the pull early (registry outage) or at its end
        const faults::PullOutcome o = injector->onPull(r.pod, r.container, image, env.now(), d);
        d = o.duration;
        ps.pullFault = o.failed ? o.reason : Reason::None;
      }
      env.scheduleIn(d, &SimulationImpl::onPullDone, this, pack(r.pod, r.container, static_cast<std::uint32_t>(node)));
    }
    if (n.pullHead == n.pullQueue.size()) {
      n.pullQueue.clear();
      n.pullHead = 0;
    }
  }

  static void onPullDone(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    const auto node = static_cast<std::int32_t>(extraOf(a));
    NodeState& n = self->nodes[node];
    --n.activePulls;
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    const std::int32_t image = ps.imageIds[static_cast<std::size_t>(c)];
    const scenario::ImageBehavior& ib = self->sc.imageBehaviors[static_cast<std::size_t>(image)];
    if (ib.pullError == Reason::None && ps.pullFault == Reason::None) {
      n.imagePresent[static_cast<std::size_t>(image)] = 1;
      trace::EventRecord ev = self->containerEvent(api::EventReason::Pulled, trace::EventMessage::PulledSuccess, c);
      ev.image = image;
      ev.a = ib.pullDuration;
      ev.b = self->env.now() - ps.pullRequestedAt;
      self->event(ps, ev);
      ps.pullFailed = false;
    } else {
      ps.pullFailed = true;
    }
    self->pumpPulls(node);
    if (ps.mode == WorkerMode::Syncing && ps.wait == Wait::Pull && ps.pulling == c) {
      ps.wait = Wait::None;
      self->advanceSync(ps);
    }
  }

  // ---- processes ----------------------------------------------------------------------------------

  void launchProcess(PodState& ps, std::int32_t c, std::int32_t restartCount) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    pr = Proc{};
    pr.alive = true;
    const scenario::ProcessBehavior& b = behavior(ps, c);
    pr.ignoresSigterm = b.terminationDelay == sim::kForever;
    if (injector) armFault(ps, c);
    if (b.script) {
      pr.pc = 0;
      pr.status = 0;
      pr.wakeEvent = env.scheduleIn(b.startDelay, &SimulationImpl::onShellWake, this, pack(ps.index, c));
      return;
    }
    const scenario::Attempt& at = b.attempt(restartCount);
    if (at.run != sim::kForever) {
      pr.exitEvent = env.scheduleIn(b.startDelay + at.run, &SimulationImpl::onProcessExit, this,
                                    pack(ps.index, c, static_cast<std::uint32_t>(restartCount)));
    }
  }

  /// Draws this run's injected crash or OOM kill (models/faults) and schedules it; the natural exit,
  /// if it comes first, cancels it. The exit goes through processExit like any other.
  void armFault(PodState& ps, std::int32_t c) {
    const faults::ProcessFailure f = injector->onLaunch(ps.index, c);
    if (f.after == sim::kForever) return;
    const std::uint32_t extra = static_cast<std::uint32_t>(f.exitCode & 0xff) | (f.reason == Reason::OOMKilled ? 0x100u : 0u);
    ps.faultEvents[static_cast<std::size_t>(c)] = env.scheduleIn(f.after, &SimulationImpl::onFaultExit, this, pack(ps.index, c, extra));
  }

  /// Node failures drawn from the seed (spec.faults.nodes): failNode and recoverNode as the actions do.
  void scheduleNodeFaults() {
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      for (const auto& w : injector->nodeOutages(static_cast<std::int32_t>(n), duration)) {
        env.schedule(w.from, &SimulationImpl::onNodeFault, this, pack(static_cast<std::int32_t>(n), 0, 1));
        if (w.to < duration) env.schedule(w.to, &SimulationImpl::onNodeFault, this, pack(static_cast<std::int32_t>(n), 0, 0));
      }
    }
  }

  static void onNodeFault(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    if (extraOf(a) != 0) {
      self->failNode(podOf(a));
    } else {
      self->recoverNode(podOf(a));
    }
  }

  static void onFaultExit(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    const std::uint32_t extra = extraOf(a);
    const auto code = static_cast<std::int32_t>(extra & 0xffu);
    self->processExit(self->pods[podOf(a)], containerOf(a), code, (extra & 0x100u) != 0 ? Reason::OOMKilled : Reason::Error);
  }

  static void onProcessExit(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    const std::int32_t code = self->behavior(ps, c).attempt(static_cast<std::int32_t>(extraOf(a))).exitCode;
    self->processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
  }

  static void onShellWake(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    PodState& ps = self->pods[podOf(a)];
    const std::int32_t c = containerOf(a);
    ps.procs[static_cast<std::size_t>(c)].wakeEvent = {};
    self->runShell(ps, c);
  }

  /// Interprets the compiled shell script until it sleeps, blocks forever or exits.
  void runShell(PodState& ps, std::int32_t c) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    const scenario::ShellProgram& prog = *behavior(ps, c).script;
    if (pr.stepsAt != env.now()) {
      pr.stepsAt = env.now();
      pr.steps = 0;
    }
    using K = scenario::ShellOp::Kind;
    while (pr.alive) {
      if (pr.pc < 0 || static_cast<std::size_t>(pr.pc) >= prog.ops.size()) {
        processExit(ps, c, pr.status, pr.status == 0 ? Reason::Completed : Reason::Error);
        return;
      }
      if (++pr.steps > kShellStepsPerInstant) return;  // a loop that never sleeps: spins forever
      const scenario::ShellOp& op = prog.ops[static_cast<std::size_t>(pr.pc)];
      ++pr.pc;
      switch (op.kind) {
        case K::Sleep:
          pr.status = 0;
          pr.wakeEvent = env.scheduleIn(op.value, &SimulationImpl::onShellWake, this, pack(ps.index, c));
          return;
        case K::Exit: {
          const auto code = static_cast<std::int32_t>(op.value & 0xff);
          processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
          return;
        }
        case K::Status: pr.status = static_cast<std::int32_t>(op.value); break;
        case K::Lookup:
        case K::Connect:
          pr.status = serviceAnswers(op.value, op.kind == K::Connect) ? 0 : 1;
          break;
        case K::Jump: pr.pc = static_cast<std::int32_t>(op.value); break;
        case K::JumpIfZero:
          if (pr.status == 0) pr.pc = static_cast<std::int32_t>(op.value);
          break;
        case K::JumpIfNonZero:
          if (pr.status != 0) pr.pc = static_cast<std::int32_t>(op.value);
          break;
        case K::Forever: return;
      }
    }
  }

  /// Whether Service or endpoint `s` answers now: it exists (declared, external or created) and is not
  /// in one of its `down` windows (spec.endpoints). A connection (`connect`: wget/curl/nc, a probe's
  /// dependency) to a Service whose selector picks pods of the scenario also needs one of them Ready
  /// (its endpoints; pkg/controller/endpointslice); `nslookup` needs only the Service.
  bool serviceAnswers(std::int64_t s, bool connect) const {
    if (s < 0 || static_cast<std::size_t>(s) >= serviceExists.size()) return false;
    const auto i = static_cast<std::size_t>(s);
    if (serviceExists[i] == 0 || (!sc.services[i].down.empty() && faults::inWindow(sc.services[i].down, env.now()))) return false;
    if (!connect || i >= servingPods.size() || servingPods[i].empty()) return true;
    for (const std::int32_t p : servingPods[i]) {
      const PodState& ps = pods[p];
      const auto& ready = ps.api.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
      if (ps.created && !ps.removed && !ps.deleting && ready.present && ready.status) return true;
    }
    return false;
  }

  /// The process of container c's newest instance exits: the runtime records it; the PLEG will see it.
  void processExit(PodState& ps, std::int32_t c, std::int32_t exitCode, Reason reason) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    if (!pr.alive) return;
    pr.alive = false;
    pr.kill = KillPhase::None;
    env.cancel(pr.exitEvent);
    env.cancel(pr.wakeEvent);
    env.cancel(pr.killTimer);
    if (injector) env.cancel(ps.faultEvents[static_cast<std::size_t>(c)]);
    kubelet::RuntimeContainerStatus& s = ps.runtime.containers[static_cast<std::size_t>(c)].latest;
    s.state = ContainerState::Exited;
    s.exitCode = exitCode;
    s.reason = reason;
    s.finishedAt = env.now();
    markDirty(ps, containerBit(static_cast<std::size_t>(c)));
    wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
    releaseOrderedSidecars(ps);
    if (pr.killWaiter) {
      pr.killWaiter = false;
      if (--ps.pendingKills == 0) {
        if (ps.mode == WorkerMode::Syncing && ps.wait == Wait::Kill) {
          ps.wait = Wait::None;
          advanceSync(ps);
        } else if (ps.mode == WorkerMode::Terminating) {
          finishTerminating(ps);
        }
      }
    }
  }

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
    ++ps.statusVersion;
    if (actionInputs) ++ps.actionsVersion;
    ps.statusContainers |= containers;
    ps.statusPodLevel = ps.statusPodLevel || podLevel;
  }

  /// The PLEG's look at the runtime: copies it into the pod cache when it changed; returns whether it did.
  bool refreshCache(PodState& ps) {
    if (ps.cacheVersion == ps.runtimeVersion) return false;
    ps.cacheVersion = ps.runtimeVersion;
    // One pass: each container slot that differs is copied and marked (the cache and the runtime always
    // hold the same containers), then the sandbox's fields.
    static_assert(sizeof(kubelet::RuntimePodStatus) == 8 + sizeof(std::vector<kubelet::RuntimeContainerSlot>),
                  "refreshCache copies RuntimePodStatus field by field: copy a new field there too");
    // Only the slots written since the last refresh (runtimeTouched) can differ.
    std::uint64_t changed = 0;
    bool any = false;
    const auto compare = [&](std::size_t i) {
      if (!(ps.cache.containers[i] == ps.runtime.containers[i])) {
        ps.cache.containers[i] = ps.runtime.containers[i];
        changed |= containerBit(i);
        any = true;
      }
    };
    const std::size_t n = ps.cache.containers.size();
    const std::uint64_t touched = ps.runtimeTouched;
    ps.runtimeTouched = 0;
    for (std::uint64_t bits = touched & ~(1ULL << 63); bits != 0; bits &= bits - 1) {
      const auto i = static_cast<std::size_t>(std::countr_zero(bits));
      if (i < n) compare(i);
    }
    if ((touched >> 63) != 0) {
      for (std::size_t i = 63; i < n; ++i) compare(i);  // the top bit stands for 63 and above
    }
    const bool sandboxChanged = ps.cache.sandboxExists != ps.runtime.sandboxExists ||
                                ps.cache.sandboxReady != ps.runtime.sandboxReady ||
                                ps.cache.sandboxAttempt != ps.runtime.sandboxAttempt;
    if (!any && !sandboxChanged) return false;
    ps.cache.sandboxExists = ps.runtime.sandboxExists;
    ps.cache.sandboxReady = ps.runtime.sandboxReady;
    ps.cache.sandboxAttempt = ps.runtime.sandboxAttempt;
    statusInputsChanged(ps, changed, sandboxChanged);  // the sandbox's state is read by the pod-level part only
    return true;
  }

  /// The runtime's state of the pod changed (its sandbox, or the slots of the containers in `touched`,
  /// a containerBit mask): the PLEG will see it at its next relist.
  void markDirty(PodState& ps, std::uint64_t touched = 0) {
    ++ps.runtimeVersion;
    ps.runtimeTouched |= touched;
    if (ps.dirty || ps.node < 0) return;
    ps.dirty = true;
    NodeState& n = nodes[ps.node];
    n.dirty.push_back(ps.index);
    if (!n.kubeletDown && !env.pending(n.relistEvent)) {
      const Time at = ideal ? env.now() : sim::nextTickAtOrAfter(env.now() + 1, n.relistPhase, kRelistPeriod);
      n.relistEvent = env.schedule(at, &SimulationImpl::onRelist, this, static_cast<std::uint64_t>(ps.node));
    }
  }

  static void onRelist(void* ctx, std::uint64_t a) {
    static_cast<SimulationImpl*>(ctx)->relistNode(static_cast<std::int32_t>(a));
  }

  /// Relist: every pod whose runtime state changed gets its cache refreshed and a PLEG event.
  void relistNode(std::int32_t node) {
    NodeState& n = nodes[node];
    if (n.dirty.empty()) return;
    env.cancel(n.relistEvent);
    // Swap out the list: a sync started below may mark pods dirty again for the next relist.
    std::vector<std::int32_t> dirty;
    dirty.swap(n.dirty);
    for (const std::int32_t p : dirty) {
      PodState& ps = pods[p];
      ps.dirty = false;
      if (!refreshCache(ps)) continue;
      podWorkerUpdate(ps);
    }
    if (n.dirty.empty()) {
      dirty.clear();
      n.dirty.swap(dirty);  // keep the capacity
    }
  }

  // ---- actions ------------------------------------------------------------------------------------

  static void onAction(void* ctx, std::uint64_t a) {
    auto* self = static_cast<SimulationImpl*>(ctx);
    self->doAction(self->sc.actions[a], static_cast<std::uint32_t>(a));
  }

  void doAction(const scenario::Action& a, std::uint32_t index) {
    using AK = scenario::ActionKind;
    trace.action(env.now(), a.pod, index);
    switch (a.kind) {
      case AK::CreateService:
        if (a.service >= 0) serviceExists[static_cast<std::size_t>(a.service)] = 1;
        break;
      case AK::DeleteService:
        if (a.service >= 0) serviceExists[static_cast<std::size_t>(a.service)] = 0;
        break;
      case AK::KillContainer: {
        PodState& ps = pods[a.pod];
        if (ps.created && !ps.removed) {
          const Reason r = a.reason != Reason::None ? a.reason : (a.exitCode == 0 ? Reason::Completed : Reason::Error);
          processExit(ps, a.container, a.exitCode, r);
        }
        break;
      }
      case AK::DeletePod: deletePod(pods[a.pod], a.gracePeriodSeconds); break;
      case AK::UpdateImage: {
        PodState& ps = pods[a.pod];
        const auto ci = static_cast<std::size_t>(a.container);
        ps.imageIds[ci] = a.image;
        statusInputsChanged(ps);
        ps.specHash[ci] = static_cast<std::uint32_t>(sim::mix64(ps.specHash[ci] ^ (static_cast<std::uint64_t>(a.image) << 20)));
        if (ps.created && !ps.removed) podWorkerUpdate(ps);
        break;
      }
      case AK::CreatePod: createPod(a.pod); break;
      case AK::RestartKubelet: restartKubelet(a.node); break;
      case AK::FailNode: failNode(a.node); break;
      case AK::RecoverNode: recoverNode(a.node); break;
    }
  }

  /// API delete: deletionTimestamp and grace (kubelet-semantics §11.1); the kubelet then terminates it.
  void deletePod(PodState& ps, std::int64_t graceSeconds) {
    if (!ps.created || ps.removed || ps.deleting) return;
    ps.deleting = true;
    statusInputsChanged(ps);
    // The API server deletes at once a pod that is unscheduled or already terminal.
    const bool terminal = kubelet::isPodPhaseTerminal(ps.api.phase);
    ps.deletionGrace = kubelet::calculateEffectiveGracePeriod(graceSeconds, ps.entry->pod);
    emitPodRecord(ps);
    wakeProbeWorkers(ps);
    if (!ps.scheduled || terminal || ps.mode == WorkerMode::Terminated) {
      if (ps.mode != WorkerMode::Terminated) {
        for (std::size_t c = 0; c < ps.procs.size(); ++c) processExit(ps, static_cast<std::int32_t>(c), 137, Reason::Error);
      }
      ps.removed = true;
      ps.unschedulable = false;
      ps.mode = WorkerMode::Terminated;
      env.cancel(ps.requeueEvent);
      trace.podRemoved(env.now(), ps.index);
      if (ps.node >= 0) releaseResources(ps);
      return;
    }
    podWorkerUpdate(ps);
  }

  // ---- state --------------------------------------------------------------------------------------

  const scenario::Scenario& sc;
  RunOptions opts;
  sim::Environment env;
  trace::Trace trace;
  bool ideal = true;
  bool backoffAwareRequeue = true;
  std::uint64_t seed = 0;
  Time duration = 0;
  scenario::Features features;
  kubelet::BackoffPolicy crashPolicy;
  kubelet::BackoffPolicy pullPolicy;
  std::vector<std::string> nodeNames;
  std::vector<NodeState> nodes;
  std::vector<PodState> pods;
  std::vector<std::uint8_t> serviceExists;
  std::vector<std::uint8_t> imageInvalid;            // by image: the reference does not parse (scenario only)
  std::vector<std::uint8_t> createdByActionFlags;    // by pod: a createPod action creates it (scenario only)
  std::vector<cluster::FitFailure> fitScratch;
  std::unique_ptr<faults::FaultInjector> injector;  // null when the scenario injects nothing
  std::vector<std::vector<std::int32_t>> servingPods;  // by Service: pods its selector picks (empty: none)
  ApiPodStatus statusScratch;  // reused by writeStatus: no allocation per status write
  kubelet::ApiContainerStatus containerScratch;  // one regenerated container status (writeStatus)
  std::uint32_t nextContainerID = 0;
};

// ---- facade -----------------------------------------------------------------------------------------

Simulation::Simulation(const scenario::Scenario& s, const RunOptions& o)
    : impl_(std::make_unique<SimulationImpl>(s, o)) {}
Simulation::~Simulation() = default;
void Simulation::run() { impl_->run(); }
void Simulation::reset(const RunOptions& options) { impl_->setup(options); }
const trace::Trace& Simulation::trace() const { return impl_->trace; }
const std::vector<std::string>& Simulation::nodeNames() const { return impl_->nodeNames; }
std::string Simulation::podRef(std::int32_t pod) const { return impl_->podRef(pod); }
Time Simulation::now() const { return impl_->env.now(); }
Time Simulation::duration() const { return impl_->duration; }
std::uint64_t Simulation::processedEvents() const { return impl_->env.processedEvents(); }
const scenario::Scenario& Simulation::scenario() const { return impl_->sc; }

std::vector<PodSummary> Simulation::summaries() const {
  std::vector<PodSummary> out;
  for (const auto& ps : impl_->pods) {
    PodSummary s;
    s.name = ps.entry->pod.name;
    s.phase = ps.api.phase;
    const kubelet::PrintedPod printed = impl_->printedOf(ps);
    s.status = printed.status();
    s.ready = printed.ready;
    s.total = printed.total;
    s.restarts = printed.restarts;
    s.initializedAt = ps.initializedAt;
    s.readyAt = ps.readyAt;
    s.readyTime = ps.readyTime;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<PodView> Simulation::views() const {
  std::vector<PodView> out;
  for (const auto& ps : impl_->pods) {
    PodView v;
    v.pod = &ps.entry->pod;
    v.status = ps.api;
    v.printed = impl_->printedOf(ps);
    v.node = ps.node;
    v.deleting = ps.deleting;
    v.removed = ps.removed;
    v.createdAt = ps.createdAt;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace podsim::engine
