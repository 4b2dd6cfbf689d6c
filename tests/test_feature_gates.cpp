// tests/test_feature_gates.cpp: the feature-gate table (pkg/features/kube_features.go of 1.28..1.37) and the
// kubelet's featureGates checks (component-base featuregate).
#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/kubelet/feature_gates.hpp"

using namespace podsim::kubelet;

namespace {
struct StageCase {
  const char* name;
  Gate gate;
  int minor;
  std::optional<Stage> stage;
  bool enabledByDefault;
};
}  // namespace

TEST_CASE("Each gate has the stage and default that kube_features.go of the release gives it") {
  const std::vector<StageCase> cases = {
      {"SidecarContainers alpha off in 1.28", Gate::SidecarContainers, 28, Stage::Alpha, false},
      {"SidecarContainers beta on in 1.29", Gate::SidecarContainers, 29, Stage::Beta, true},
      {"SidecarContainers GA in 1.33", Gate::SidecarContainers, 33, Stage::GA, true},
      {"SidecarContainers removed in 1.37, behaviour stays on", Gate::SidecarContainers, 37, std::nullopt, true},
      {"ContainerRestartRules unknown in 1.33", Gate::ContainerRestartRules, 33, std::nullopt, false},
      {"ContainerRestartRules alpha off in 1.34", Gate::ContainerRestartRules, 34, Stage::Alpha, false},
      {"ContainerRestartRules beta on in 1.35", Gate::ContainerRestartRules, 35, Stage::Beta, true},
      {"ContainerRestartRules still beta in 1.37", Gate::ContainerRestartRules, 37, Stage::Beta, true},
      {"RestartAllContainersOnContainerExits unknown in 1.34", Gate::RestartAllContainersOnContainerExits, 34,
       std::nullopt, false},
      {"RestartAllContainersOnContainerExits alpha off in 1.35", Gate::RestartAllContainersOnContainerExits, 35,
       Stage::Alpha, false},
      {"RestartAllContainersOnContainerExits beta on in 1.36", Gate::RestartAllContainersOnContainerExits, 36,
       Stage::Beta, true},
      {"NodeDeclaredFeatures GA in 1.37", Gate::NodeDeclaredFeatures, 37, Stage::GA, true},
      {"ReduceDefaultCrashLoopBackOffDecay alpha off in 1.37", Gate::ReduceDefaultCrashLoopBackOffDecay, 37,
       Stage::Alpha, false},
      {"KubeletCrashLoopBackOffMax alpha off in 1.32", Gate::KubeletCrashLoopBackOffMax, 32, Stage::Alpha, false},
      {"KubeletCrashLoopBackOffMax beta on in 1.35", Gate::KubeletCrashLoopBackOffMax, 35, Stage::Beta, true},
      {"ChangeContainerStatusOnKubeletRestart: before 1.35 the status always changed",
       Gate::ChangeContainerStatusOnKubeletRestart, 34, std::nullopt, true},
      {"ChangeContainerStatusOnKubeletRestart deprecated and off in 1.35", Gate::ChangeContainerStatusOnKubeletRestart,
       35, Stage::Deprecated, false},
      {"ContainerStopSignals still alpha in 1.37", Gate::ContainerStopSignals, 37, Stage::Alpha, false},
      {"InPlacePodVerticalScaling beta on in 1.33", Gate::InPlacePodVerticalScaling, 33, Stage::Beta, true},
      {"InPlacePodVerticalScaling GA in 1.35", Gate::InPlacePodVerticalScaling, 35, Stage::GA, true},
      {"PodReadyToStartContainersCondition alpha in 1.28", Gate::PodReadyToStartContainersCondition, 28, Stage::Alpha,
       false},
      {"PodReadyToStartContainersCondition GA in 1.37", Gate::PodReadyToStartContainersCondition, 37, Stage::GA, true},
      {"PodLifecycleSleepAction unknown in 1.28", Gate::PodLifecycleSleepAction, 28, std::nullopt, false},
      {"PodLifecycleSleepAction beta on in 1.30", Gate::PodLifecycleSleepAction, 30, Stage::Beta, true},
      {"PodLifecycleSleepAction removed in 1.37, behaviour stays on", Gate::PodLifecycleSleepAction, 37, std::nullopt,
       true},
      {"PodLifecycleSleepActionAllowZero beta on in 1.33", Gate::PodLifecycleSleepActionAllowZero, 33, Stage::Beta,
       true},
      {"PodObservedGenerationTracking GA in 1.35", Gate::PodObservedGenerationTracking, 35, Stage::GA, true},
      {"PLEGOnDemandRelist beta on in 1.36", Gate::PLEGOnDemandRelist, 36, Stage::Beta, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const KubernetesVersion v{1, c.minor};
    CHECK(gateStage(c.gate, v) == c.stage);
    CHECK(featureEnabled(c.gate, v, {}) == c.enabledByDefault);
  }
}

TEST_CASE("An override sets a gate the release knows; the last one written wins") {
  CHECK(featureEnabled(Gate::ContainerRestartRules, {1, 34}, {{"ContainerRestartRules", true}}));
  CHECK_FALSE(featureEnabled(Gate::ContainerRestartRules, {1, 35}, {{"ContainerRestartRules", false}}));
  CHECK(featureEnabled(Gate::ContainerRestartRules, {1, 34},
                       {{"ContainerRestartRules", false}, {"ContainerRestartRules", true}}));
  // A release that does not know the gate ignores the override (validation refuses it).
  CHECK_FALSE(featureEnabled(Gate::ContainerRestartRules, {1, 33}, {{"ContainerRestartRules", true}}));
}

TEST_CASE("Gate names round-trip and an unknown name has no gate") {
  for (int g = 0; g < kGateCount; ++g) {
    const Gate gate = static_cast<Gate>(g);
    CHECK(gateByName(gateName(gate)) == gate);
  }
  CHECK_FALSE(gateByName("containerRestartRules").has_value());
}

TEST_CASE("A version outside 1.28..1.37 is refused with its message") {
  CHECK_THROWS_WITH_AS(gateSpec(Gate::SidecarContainers, {1, 27}), "Kubernetes version 1.27 is not supported (1.28 to 1.37)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(featureEnabled(Gate::SidecarContainers, {1, 38}, {}),
                       "Kubernetes version 1.38 is not supported (1.28 to 1.37)", std::invalid_argument);
}

namespace {
struct ValidationCase {
  const char* name;
  int minor;
  FeatureGateOverrides overrides;
  std::vector<std::string> messages;
};
}  // namespace

TEST_CASE("featureGates are checked as component-base SetFromMap and Validate check them, with their messages") {
  const std::vector<ValidationCase> cases = {
      {"a beta gate may be switched off", 35, {{"ContainerRestartRules", false}}, {}},
      {"an alpha gate may be switched on", 34, {{"ContainerRestartRules", true}}, {}},
      {"a gate the release does not know is unrecognized",
       33,
       {{"ContainerRestartRules", true}},
       {"unrecognized feature gate: ContainerRestartRules"}},
      {"a gate removed after GA is unrecognized", 37, {{"SidecarContainers", true}},
       {"unrecognized feature gate: SidecarContainers"}},
      {"a locked GA gate cannot be switched off",
       35,
       {{"InPlacePodVerticalScaling", false}},
       {"cannot set feature gate InPlacePodVerticalScaling to false, feature is locked to true"}},
      {"a locked GA gate may be set to its default, with the kubelet's warning",
       35,
       {{"InPlacePodVerticalScaling", true}},
       {"Warning: setting GA feature gate. It will be removed in a future release. "
        "featureGate=InPlacePodVerticalScaling value=true"}},
      {"a deprecated gate is accepted with the kubelet's warning",
       35,
       {{"ChangeContainerStatusOnKubeletRestart", true}},
       {"Warning: setting deprecated feature gate. It will be removed in a future release. "
        "featureGate=ChangeContainerStatusOnKubeletRestart value=true"}},
      {"switching ContainerRestartRules off under 1.36 breaks RestartAllContainersOnContainerExits",
       36,
       {{"ContainerRestartRules", false}},
       {"RestartAllContainersOnContainerExits is enabled, but depends on features that are disabled: "
        "[ContainerRestartRules]"}},
      {"both dependencies off in 1.35 once the alpha gate is on",
       35,
       {{"RestartAllContainersOnContainerExits", true}, {"ContainerRestartRules", false}},
       {"RestartAllContainersOnContainerExits is enabled, but depends on features that are disabled: "
        "[ContainerRestartRules NodeDeclaredFeatures]"}},
      {"a gate podsim does not model is only noted",
       37,
       {{"SomeOtherGate", true}},
       {"feature gate SomeOtherGate is not modelled by podsim; its setting has no effect"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::vector<std::string> got;
    for (const auto& f : validateFeatureGates({1, c.minor}, c.overrides)) got.push_back(f.message);
    CHECK(got == c.messages);
  }
}

TEST_CASE("The dependency table holds RestartAllContainersOnContainerExits -> ContainerRestartRules from 1.35") {
  bool found = false;
  for (const auto& d : gateDependencies()) {
    if (d.gate == Gate::RestartAllContainersOnContainerExits && d.dependency == Gate::ContainerRestartRules) {
      found = true;
      CHECK(d.sinceMinor == 35);
    }
  }
  CHECK(found);
}
