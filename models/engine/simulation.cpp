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
#include <array>
#include <cstdio>
#include <stdexcept>

#include "models/engine/simulation_impl.hpp"
#include "models/kubelet/feature_gates.hpp"

// The components' member functions (see simulation_impl.hpp), compiled in this one translation unit and
// defined `inline`, so that calls between components inline as they did when they were one class body
// (whose member functions were implicitly inline): as separate translation units R1 ran about 20%
// slower, and without `inline` it took 10% more instructions (callgrind, podsim_bench --loop 3000).
#include "models/engine/actions.ipp"
#include "models/engine/container_start.ipp"
#include "models/engine/control_plane.ipp"
#include "models/engine/image_puller.ipp"
#include "models/engine/kill.ipp"
#include "models/engine/pleg.ipp"
#include "models/engine/pod_worker.ipp"
#include "models/engine/resize.ipp"
#include "models/engine/prober_workers.ipp"
#include "models/engine/runtime.ipp"
#include "models/engine/status_manager.ipp"
#include "models/engine/sync_pod.ipp"

namespace podsim::engine {

inline SimulationImpl::SimulationImpl(const scenario::Scenario& s, const RunOptions& o) : sc(s), trace(o.recordTrace, o.traceSink) {
  // What depends on the scenario alone is worked out once, here; setup() does the rest, and again
  // at each reset.
  imageInvalid.resize(s.images.size());
  for (std::size_t im = 0; im < s.images.size(); ++im) imageInvalid[im] = api::validImageReference(s.images[im]) ? 0 : 1;
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
  // Pods with the same spec and behaviours share the first one's (PodState::spec): a fleet of replicas
  // then reads one copy of its spec, which stays in the CPU's caches. A new spec is looked for among
  // the last few distinct ones (replicas come in runs), so this costs O(pods) comparisons.
  specOf.resize(s.pods.size());
  {
    std::array<std::int32_t, 8> recent;
    recent.fill(-1);
    std::size_t next = 0;
    for (std::size_t p = 0; p < s.pods.size(); ++p) {
      std::int32_t twin = static_cast<std::int32_t>(p);
      for (const std::int32_t r : recent) {
        if (r >= 0 && scenario::sameSpec(s.pods[static_cast<std::size_t>(r)], s.pods[p])) {
          twin = r;
          break;
        }
      }
      if (twin == static_cast<std::int32_t>(p)) {
        recent[next] = twin;
        next = (next + 1) % recent.size();
      }
      specOf[p] = twin;
    }
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
inline void SimulationImpl::setup(const RunOptions& o) {
  const scenario::Scenario& s = sc;
  opts = o;
  ideal = (o.overrideTiming ? o.timing : s.timing) == Timing::Ideal;
  trace.reset(o.recordTrace, o.traceSink);
  seed = o.overrideSeed ? o.seed : s.seed;
  duration = o.duration >= 0 ? o.duration : s.duration;
  env.reset();
  env.setEventLimit(o.eventLimit);
  nextStartNodeIndex = 0;  // the scheduler's round-robin start and its unschedulable queue
  unschedulableQueue.clear();
  features = kubelet::resolveFeatures(s.kubernetesVersion, s.kubelet);
  crashPolicy = kubelet::crashLoopBackOffPolicy(s.kubelet, features);
  pullPolicy = kubelet::imagePullBackOffPolicy();
  backoffAwareRequeue = features.backoffAwareRequeue;
  changeContainerStatusOnKubeletRestart = kubelet::featureEnabled(kubelet::Gate::ChangeContainerStatusOnKubeletRestart,
                                                                  s.kubernetesVersion, s.kubelet.featureGates);
  nextContainerID = 0;
  initContainersResizable = kubelet::featureEnabled(kubelet::Gate::InPlacePodVerticalScalingInitContainers, s.kubernetesVersion,
                                                    s.kubelet.featureGates);
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
  searchPod = nullptr;  // every node is scored again for the first pod
  changedNodes.clear();
  nodeChangedFlags.assign(nodes.size(), 0);
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
    recycle(pods[p], resizes.count(static_cast<std::int32_t>(p)) != 0);
    initPod(static_cast<std::int32_t>(p));
  }
  resizes.clear();  // after recycle, which reads it
}


/// Puts a node back to a default NodeState, keeping its vectors' capacity.
inline void SimulationImpl::recycle(NodeState& n) {
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
inline void SimulationImpl::recycle(PodState& ps, bool resized) {
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
  // The scenario's requests (an in-place resize of the last run changed ps.requests).
  const cluster::Resources requests = resized ? cluster::podRequests(ps.spec->pod) : ps.requests;
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

inline void SimulationImpl::initPod(std::int32_t p) {
  PodState& ps = pods[p];
  ps.index = p;
  ps.spec = &sc.pods[static_cast<std::size_t>(specOf[static_cast<std::size_t>(p)])];
  const api::Pod& pod = ps.spec->pod;
  const std::size_t n = pod.containerCount();
  ps.runtime.containers.assign(n, {});
  ps.cache = ps.runtime;
  statusInputsChanged(ps);
  ps.procs.assign(n, {});
  // hookRuns: made by the first exec hook (startHookScript); a pod without one keeps none.
  if (injector) ps.faultEvents.assign(n, {});
  ps.reasons.assign(n, {});
  ps.crash.assign(n, {});
  ps.probes.assign(n, {});
  ps.workers.clear();
  ps.workerAt.assign(n * 3, -1);
  {
    std::size_t probes = 0;  // exactly one worker per probe: no spare capacity (40 bytes each, per pod)
    for (std::size_t c = 0; c < n; ++c) {
      const api::Container& spec = pod.container(c);
      probes += (spec.startupProbe.has_value() ? 1 : 0) + (spec.livenessProbe.has_value() ? 1 : 0) +
                (spec.readinessProbe.has_value() ? 1 : 0);
    }
    if (ps.workers.capacity() < probes) ps.workers.reserve(probes);
  }
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
  ps.hasRestartAllRule = false;
  for (std::size_t c = 0; c < n; ++c) {
    for (const api::ContainerRestartRule& r : pod.container(c).restartPolicyRules) {
      if (r.action == api::ContainerRestartRuleAction::RestartAllContainers) ps.hasRestartAllRule = true;
    }
  }
  ps.restartsAfterReset.assign(ps.hasRestartAllRule ? n : 0, -1);
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
inline std::string SimulationImpl::podRef(std::int32_t p) const {
  const api::Pod& pod = sc.pods[static_cast<std::size_t>(p)].pod;
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

inline void SimulationImpl::run() {
  // Actions first: at equal times an action fires before the pod reactions scheduled after it.
  for (std::size_t a = 0; a < sc.actions.size(); ++a) {
    eventAt<&SimulationImpl::onAction>(sc.actions[a].at, ActionKey{a});
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
    s.name = impl_->sc.pods[static_cast<std::size_t>(ps.index)].pod.name;
    s.phase = SimulationImpl::apiPhase(ps);
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
    v.pod = &impl_->sc.pods[static_cast<std::size_t>(ps.index)].pod;
    v.status = impl_->apiStatusOf(ps);
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
