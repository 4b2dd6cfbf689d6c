// models/faults/faults.hpp: faults injected into the simulated runtime, registry and probe targets.
//
// Owns the draws and rules of the Scenario's `spec.faults` section and of the memory-use behaviour:
// container crashes with a mean time between failures (exponential), OOMKilled when a container's memory
// use grows past its limit, image pulls that fail with a probability or during a registry outage, probes
// that fail with a probability, node failures and recoveries (exponential times up and down), and
// Service/endpoint down windows. The engine asks it at a few hooks (run start, process launch, probe
// execution, pull start, a script's lookup/connect) and acts on the answer through the same paths as a
// natural failure or a failNode action, so the kubelet model cannot tell the two apart.
//
// Determinism: one Boost.Random stream per (seed, pod, container, fault kind) (sim/random.hpp), so that
// adding a fault to one container never shifts the draws of another; no std:: distributions.
// Does not own YAML (models/scenario/loader.cpp) nor the kubelet's reactions (models/engine).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/api/reason.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace podsim::faults {

using sim::Time;

/// Stream purposes of fault draws (the high part of sim::streamKey's purpose), one per fault kind.
enum class FaultKind : std::uint32_t { Crash = 1, StartupProbe = 2, LivenessProbe = 3, ReadinessProbe = 4, ImagePull = 5, Node = 6 };

/// The stream key of fault `kind` for container `container` (unified index, < 65536) of pod `pod`.
/// Distinct for every (kind, pod, container) and from the engine's own streams (purposes < 2^24).
std::uint64_t faultStreamKey(FaultKind kind, std::int32_t pod, std::int32_t container) noexcept;

/// How a run of a container ends by an injected fault: after `after` ns from its launch, with `reason`
/// (Error for a crash, OOMKilled) and `exitCode` (the crash's code; 137 for OOMKilled).
struct ProcessFailure {
  Time after = sim::kForever;  // kForever: no injected failure in this run
  api::Reason reason = api::Reason::None;
  std::int32_t exitCode = 0;
};

/// How one image pull goes: it ends `duration` ns after it starts, failed or not, with `reason`
/// (ErrImagePull for a failure drawn from `failureProbability`, RegistryUnavailable in an outage).
struct PullOutcome {
  Time duration = 0;
  bool failed = false;
  api::Reason reason = api::Reason::None;
};

/// When, after launch, memory use first exceeds the limit: `use + growthPerMinute x t / 1 min > limit`.
/// kForever when the behaviour declares no memory use, the container has no memory limit, or use never
/// exceeds it. All quantities in bytes, the result in ns (rounded up to the first ns past the limit).
/// Source of the rule: the cgroup v2 memory.max OOM killer; the runtime reports reason OOMKilled
/// (pkg/kubelet/kuberuntime/kuberuntime_container.go toKubeContainerStatus), exit code 137.
Time oomAfter(const scenario::MemoryBehavior& memory, std::int64_t limitBytes) noexcept;

/// Whether `t` (ns) falls in one of `windows` (each [from, to)).
bool inWindow(const std::vector<scenario::TimeWindow>& windows, Time t) noexcept;

/// The registry host of an image reference, as the container runtime resolves it: the first path
/// component when it has a '.' or ':' or is "localhost", else "docker.io".
/// Source: github.com/distribution/reference normalize.go splitDockerDomain.
std::string registryOf(std::string_view image);

/// Whether a scenario needs a FaultInjector: it declares faults or a memory-use behaviour.
bool needed(const scenario::Scenario& scenario) noexcept;

/// The faults of one run. Built once per run from the scenario and the run's seed; the engine calls it
/// only when `needed(scenario)`, so a scenario without faults pays nothing.
class FaultInjector {
 public:
  /// Resolves each fault entry to the containers it applies to (a later entry replaces an earlier one
  /// for the same container and kind). `scenario` must outlive the injector.
  FaultInjector(const scenario::Scenario& scenario, std::uint64_t seed);

  /// Draws how the run of container `c` of pod `p` that is being launched ends by an injected fault:
  /// the earlier of an exponential crash time (mean `meanTimeBetweenFailures`, one draw per run from the
  /// container's crash stream) and the OOM time of its memory behaviour. No allocation.
  ProcessFailure onLaunch(std::int32_t p, std::int32_t c);

  /// Whether probes of kind `probe` (0 startup, 1 liveness, 2 readiness) of container `c` of pod `p` may
  /// fail at random: then the engine must run every tick (it cannot skip ticks known to change nothing).
  [[nodiscard]] bool probeFaulty(std::int32_t p, std::int32_t c, int probe) const noexcept;

  /// Draws whether this execution of the probe fails by injection (probability `failureProbability`).
  bool probeFails(std::int32_t p, std::int32_t c, int probe);

  /// How the pull of `image` for container `c` of pod `p`, starting at `start` and taking `duration` ns
  /// by itself, goes: it fails at the start of a registry outage that it meets (or at once when it starts
  /// inside one), else at its end with probability `failureProbability` (one draw per pull).
  PullOutcome onPull(std::int32_t p, std::int32_t c, std::int32_t image, Time start, Time duration);

  /// The outages of node `node` (index in the run's node list) before `until` (ns), drawn at once from
  /// the node's own stream: alternating exponential times up (mean meanTimeBetweenFailures) and down (mean
  /// meanTimeToRecovery). Each window [from, to) is a failNode at `from` and a recoverNode at `to` (to may
  /// be past `until`). Empty without a node fault. Called once per node at the start of a run.
  [[nodiscard]] std::vector<scenario::TimeWindow> nodeOutages(std::int32_t node, Time until) const;

 private:
  struct ContainerFaults {
    Time crashMean = 0;                 // ns; 0: no crash fault
    std::int32_t crashExitCode = 1;
    double probeProbability[3] = {0, 0, 0};
    Time oomAfter = sim::kForever;      // from the memory behaviour and the limit, the same every run
    sim::RandomStream crash;
    sim::RandomStream probe[3];
    sim::RandomStream pull;
  };
  ContainerFaults& at(std::int32_t p, std::int32_t c) { return pods_[static_cast<std::size_t>(p)][static_cast<std::size_t>(c)]; }

  const scenario::Scenario* sc_;
  std::uint64_t seed_ = 0;
  std::vector<std::vector<ContainerFaults>> pods_;
  std::vector<double> pullProbability_;                       // by image index
  std::vector<std::vector<scenario::TimeWindow>> outages_;    // by image index: its registry's outages
};

}  // namespace podsim::faults
