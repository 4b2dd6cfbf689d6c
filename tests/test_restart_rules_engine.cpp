// tests/test_restart_rules_engine.cpp: container restart rules (KEP-5307) and Kubernetes versions wired into
// the loader, status generation, computePodActions, the prober and a whole run.
//
// Owns: the tests that the pure decisions of restart_rules.* / restart_rules_validation.* / feature_gates.* reach
// the places that act on them. Does not own the decision tables themselves (tests/test_restart_rules.cpp,
// tests/test_feature_gates.cpp) nor computePodActions' base table (tests/test_pod_actions.cpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/kubelet/pod_actions.hpp"
#include "models/kubelet/restart_rules.hpp"
#include "models/kubelet/status.hpp"
#include "models/scenario/loader.hpp"
#include "support.hpp"

using namespace podsim;
using kubelet::ContainerState;
using Kind = kubelet::ContainerStateValue::Kind;

namespace {

/// The Pod of scenarios/rules/restart-rules-exit-42.yaml behind a Scenario document of `version`
/// (and `gates`, a flow map, when not empty).
std::string restartRulesPod(const std::string& version, const std::string& gates = "",
                            const std::string& action = "Restart") {
  std::string y = "apiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  duration: 1m\n"
                  "  timing: ideal\n  kubernetesVersion: \"" + version + "\"\n";
  if (!gates.empty()) y += "  kubelet:\n    featureGates: " + gates + "\n";
  y += "  images:\n    busybox:1.36: {present: true}\n"
       "  behaviors:\n    retry-42:\n      task:\n        attempts:\n"
       "          - {run: 5s, exitCode: 42}\n          - {run: 5s, exitCode: 42}\n          - {run: 5s, exitCode: 1}\n"
       "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: retry-42\nspec:\n  restartPolicy: Never\n  containers:\n"
       "  - name: task\n    image: busybox:1.36\n    restartPolicy: Never\n    restartPolicyRules:\n"
       "    - action: " + action + "\n      exitCodes:\n        operator: In\n        values: [42]\n";
  return y;
}

std::string errorOf(const std::string& yaml) {
  try {
    scenario::loadScenarioString(yaml, "t.yaml");
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

api::Pod oneContainerPod(api::RestartPolicy podPolicy) {
  api::Pod pod;
  pod.name = std::string(1, 'p');  // not a literal: GCC 12 -Wrestrict false positive
  pod.restartPolicy = podPolicy;
  api::Container c;
  c.name = "task";
  c.image = "busybox:1.36";
  pod.containers.push_back(c);
  return pod;
}

api::ContainerRestartRule restartOn(std::vector<std::int32_t> codes) {
  return {api::ContainerRestartRuleAction::Restart,
          api::ContainerRestartRuleOnExitCodes{api::ContainerRestartRuleOnExitCodesOperator::In, std::move(codes)}};
}

kubelet::ApiContainerStatus terminated(std::int32_t code) {
  kubelet::ApiContainerStatus s;
  s.state.kind = Kind::Terminated;
  s.state.exitCode = code;
  return s;
}

}  // namespace

TEST_CASE("Versions: 1.28 to 1.37 are accepted, 1.37 is the default, and --kubernetes-version overrides the "
          "scenario's") {
  CHECK(scenario::parseKubernetesVersion("1.28") == kubelet::KubernetesVersion{1, 28});
  CHECK(scenario::parseKubernetesVersion("v1.37.2") == kubelet::KubernetesVersion{1, 37});
  CHECK_FALSE(scenario::parseKubernetesVersion("1.38"));
  CHECK_FALSE(scenario::parseKubernetesVersion("1.27"));
  CHECK_FALSE(scenario::parseKubernetesVersion("one.two"));
  CHECK(kubelet::KubernetesVersion{} == kubelet::KubernetesVersion{1, 37});
  const std::string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: a}\n";
  CHECK(scenario::loadScenarioString(pod).kubernetesVersion == kubelet::KubernetesVersion{1, 37});
  scenario::setKubernetesVersionOverride(kubelet::KubernetesVersion{1, 33});
  CHECK(scenario::loadScenarioString(pod).kubernetesVersion ==
        kubelet::KubernetesVersion{1, 33});
  // Validation follows the overriding version: the 1.37 Pod with restart rules is refused as 1.33 refuses it.
  CHECK(errorOf(restartRulesPod("1.37")) ==
        "t.yaml:28:5: spec.containers[0].restartPolicyRules: strict decoding error: unknown field "
        "\"spec.containers[0].restartPolicyRules\"");
  scenario::setKubernetesVersionOverride(std::nullopt);
  CHECK(errorOf(restartRulesPod("1.37")).empty());
}

TEST_CASE("Restart-rule validation follows the version: 1.33 refuses, 1.34 drops them with a warning, 1.35+ "
          "models them") {
  // 1.33: the API server does not know restartPolicyRules (strict decoding) nor a regular container's policy.
  CHECK(errorOf(restartRulesPod("1.33")) ==
        "t.yaml:28:5: spec.containers[0].restartPolicyRules: strict decoding error: unknown field "
        "\"spec.containers[0].restartPolicyRules\"");
  // 1.34, gate off by default: dropContainerRestartRules clears both fields, no error; one warning.
  {
    const auto sc = scenario::loadScenarioString(restartRulesPod("1.34"), "t.yaml");
    const api::Container& c = sc.pods[0].pod.containers[0];
    CHECK_FALSE(c.restartPolicy.has_value());
    CHECK(c.restartPolicyRules.empty());
    REQUIRE(sc.warnings.size() == 1);
    CHECK(sc.warnings[0] ==
          "t.yaml:27:20: spec.containers[0].restartPolicy: dropped by the API server (ContainerRestartRules off in "
          "Kubernetes 1.34): restartPolicy and restartPolicyRules of regular containers are ignored");
  }
  // 1.34 with the alpha gate on: modelled.
  {
    const auto sc = scenario::loadScenarioString(restartRulesPod("1.34", "{ContainerRestartRules: true}"), "t.yaml");
    const api::Container& c = sc.pods[0].pod.containers[0];
    REQUIRE(c.restartPolicy.has_value());
    CHECK(*c.restartPolicy == api::RestartPolicy::Never);
    REQUIRE(c.restartPolicyRules.size() == 1);
    CHECK(c.restartPolicyRules[0].exitCodes->values == std::vector<std::int32_t>{42});
  }
  // 1.35: RestartAllContainers is alpha and off, so the action is Unsupported (1.35 lists only "Restart").
  CHECK(errorOf(restartRulesPod("1.35", "", "RestartAllContainers")) ==
        "t.yaml:29:15: spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"RestartAllContainers\": "
        "supported values: \"Restart\"");
  // 1.37: accepted and modelled (KEP-5532): no warning.
  {
    const auto sc = scenario::loadScenarioString(restartRulesPod("1.37", "", "RestartAllContainers"), "t.yaml");
    CHECK(sc.warnings.empty());
  }
  // An unknown gate of the release is the kubelet's error; a gate the release does not know yet, too.
  CHECK(errorOf(restartRulesPod("1.33", "{ContainerRestartRules: true}")) ==
        "t.yaml:9:20: spec.kubelet.featureGates.ContainerRestartRules: unrecognized feature gate: ContainerRestartRules");
}

TEST_CASE("ShouldContainerBeRestarted in status generation: a sidecar under pod Never follows the pod's policy "
          "with ContainerRestartRules off (before 1.35) and its own Always with it on") {
  api::Pod pod = oneContainerPod(api::RestartPolicy::Never);
  api::Container sidecar;
  sidecar.name = "proxy";
  sidecar.restartPolicy = api::RestartPolicy::Always;
  pod.initContainers.push_back(sidecar);
  kubelet::RuntimePodStatus rt;
  rt.containers.resize(2);
  rt.containers[0].hasLatest = true;
  rt.containers[0].latest.state = ContainerState::Exited;
  rt.containers[0].latest.exitCode = 1;
  CHECK_FALSE(kubelet::shouldContainerBeRestarted(pod, 0, rt, false, false, false));
  CHECK(kubelet::shouldContainerBeRestarted(pod, 0, rt, false, true, true));
}

TEST_CASE("getPhase with ContainerRestartRules: a stopped container that a rule restarts keeps the pod Running "
          "under pod Never") {
  api::Pod pod = oneContainerPod(api::RestartPolicy::Never);
  pod.containers[0].restartPolicy = api::RestartPolicy::Never;
  pod.containers[0].restartPolicyRules = {restartOn({42})};
  CHECK((kubelet::getPhase(pod, {terminated(42)}, false, true) == api::PodPhase::Running));
  CHECK((kubelet::getPhase(pod, {terminated(1)}, false, true) == api::PodPhase::Failed));
  CHECK((kubelet::getPhase(pod, {terminated(0)}, false, true) == api::PodPhase::Succeeded));
  CHECK((kubelet::getPhase(pod, {terminated(42)}, false, false) == api::PodPhase::Failed));  // gate off: pod policy
  CHECK((kubelet::getPhase(pod, {terminated(42)}, true, true) == api::PodPhase::Failed));    // terminal pod
}

TEST_CASE("computePodActions with ContainerRestartRules: the first matching rule, then the container's policy, "
          "then the pod's decide whether an exited container starts again") {
  struct Case {
    const char* name;
    api::RestartPolicy podPolicy;
    std::optional<api::RestartPolicy> containerPolicy;
    std::int32_t exitCode;
    bool gate;
    bool wantStart;
  };
  const std::vector<Case> cases = {
      {"rule In [42] matches under pod Never: start", api::RestartPolicy::Never, api::RestartPolicy::Never, 42, true, true},
      {"no rule matches, container Never: kill the pod", api::RestartPolicy::Never, api::RestartPolicy::Never, 1, true, false},
      {"container Never under pod Always, no match: kill the pod", api::RestartPolicy::Always, api::RestartPolicy::Never, 1, true, false},
      {"container OnFailure under pod Never, exit 3: start", api::RestartPolicy::Never, api::RestartPolicy::OnFailure, 3, true, true},
      {"gate off: the pod's Never decides even on 42", api::RestartPolicy::Never, api::RestartPolicy::Never, 42, false, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    api::Pod pod = oneContainerPod(c.podPolicy);
    pod.containers[0].restartPolicy = c.containerPolicy;
    pod.containers[0].restartPolicyRules = {restartOn({42})};
    kubelet::RuntimePodStatus rt;
    rt.sandboxExists = rt.sandboxReady = true;
    rt.containers.resize(1);
    rt.containers[0].hasLatest = true;
    rt.containers[0].latest.state = ContainerState::Exited;
    rt.containers[0].latest.exitCode = c.exitCode;
    kubelet::PodActionsInputs in;
    in.pod = &pod;
    in.runtime = &rt;
    in.containerRestartRules = c.gate;
    kubelet::PodActions out;
    kubelet::computePodActions(in, out);
    CHECK(out.containersToStart == (c.wantStart ? std::vector<std::int32_t>{0} : std::vector<std::int32_t>{}));
    CHECK(out.killPod == !c.wantStart);
  }
}

TEST_CASE("computeInitContainerActions: from 1.37 an exited regular container of the sandbox means initialized "
          "(HasAnyActiveRegularContainerStarted)") {
  api::Pod pod = oneContainerPod(api::RestartPolicy::Never);
  api::Container init;
  init.name = "setup";
  pod.initContainers.push_back(init);
  kubelet::RuntimePodStatus rt;
  rt.sandboxExists = rt.sandboxReady = true;
  rt.sandboxAttempt = 0;    // the regular container's instance belongs to this sandbox (ActiveContainerStatuses)
  rt.containers.resize(2);  // the init container's status was garbage-collected; the regular one exited 0
  rt.containers[1].hasLatest = true;
  rt.containers[1].latest.state = ContainerState::Exited;
  kubelet::PodActionsInputs in;
  in.pod = &pod;
  in.runtime = &rt;
  kubelet::PodActions out;
  in.anyActiveRegularContainerInitializes = false;  // v1.34..v1.36: not initialized, start the init container
  kubelet::computePodActions(in, out);
  CHECK(out.initContainersToStart == std::vector<std::int32_t>{0});
  in.anyActiveRegularContainerInitializes = true;  // v1.37: initialized; nothing to start, the pod is done
  kubelet::computePodActions(in, out);
  CHECK(out.initContainersToStart.empty());
  CHECK(out.killPod);
}

TEST_CASE("ProbeWorkerKeepsRunning: probes stop on a container that will not restart (worker.go doProbe)") {
  api::Container c;
  c.restartPolicy = api::RestartPolicy::Never;
  c.restartPolicyRules = {restartOn({42})};
  const auto never = api::RestartPolicy::Never;
  // 1.35+, gate on: the rule decides on the terminated exit code.
  CHECK(kubelet::ProbeWorkerKeepsRunning(c, false, never, true, 42, true, true, false, false));
  CHECK_FALSE(kubelet::ProbeWorkerKeepsRunning(c, false, never, true, 1, true, true, false, false));
  CHECK(kubelet::ProbeWorkerKeepsRunning(c, false, never, false, 0, true, true, false, false));  // waiting
  // Gate off: the pod's Never stops it, except for a sidecar.
  api::Container plain;
  CHECK_FALSE(kubelet::ProbeWorkerKeepsRunning(plain, false, never, true, 42, false, false, false, false));
  CHECK(kubelet::ProbeWorkerKeepsRunning(plain, true, never, true, 1, false, false, false, false));
}

TEST_CASE("A run of rules/restart-rules-exit-42: exits 42, 42, 1 under pod Never run three times and end Failed") {
  const testing::Run r = testing::runFile("scenarios/rules/restart-rules-exit-42.yaml");
  const auto views = r.sim->views();
  REQUIRE(views.size() == 1);
  const kubelet::ApiPodStatus& st = views[0].status;
  CHECK((st.phase == api::PodPhase::Failed));
  CHECK(views[0].printed.status() == "Error");
  REQUIRE(st.containers.size() == 1);
  CHECK(st.containers[0].restartCount == 2);
  CHECK(st.containers[0].state.kind == Kind::Terminated);
  CHECK(st.containers[0].state.exitCode == 1);
}

TEST_CASE("RestartAllContainers (KEP-5532, kuberuntime_manager.go computePodActions/SyncPod, status/generate.go "
          "GenerateAllContainersRestartingCondition): a run of rules/restart-all-containers") {
  const testing::Run r = testing::runFile("scenarios/rules/restart-all-containers.yaml");
  const auto views = r.sim->views();
  REQUIRE(views.size() == 1);
  const kubelet::ApiPodStatus& st = views[0].status;
  // At the end: Running again, the condition False again, every container once more.
  CHECK((st.phase == api::PodPhase::Running));
  CHECK(views[0].printed.status() == "Running");
  const kubelet::PodCondition& cond = st.condition(kubelet::ConditionType::AllContainersRestarting);
  CHECK(cond.present);
  CHECK_FALSE(cond.status);
  REQUIRE(st.containers.size() == 3);
  for (const auto& c : st.containers) CHECK(c.restartCount == 1);
  CHECK(st.containers[0].state.kind == Kind::Terminated);  // setup ran again and completed
  CHECK(st.containers[1].state.kind == Kind::Running);     // proxy
  CHECK(st.containers[2].state.kind == Kind::Running);     // app
  CHECK(st.condition(kubelet::ConditionType::Ready).status);
}

TEST_CASE("GenerateAllContainersRestartingCondition in status generation: True with reason "
          "RestartAllContainersStarted while restarting, False once every container is removed") {
  api::Pod pod = oneContainerPod(api::RestartPolicy::Always);
  kubelet::RuntimePodStatus rt;
  rt.sandboxExists = rt.sandboxReady = true;
  rt.containers.resize(1);
  kubelet::StatusInputs in;
  in.pod = &pod;
  in.runtime = &rt;
  in.hasRestartAllRule = true;
  in.podRestarting = true;
  in.restartAllCleanedUp = false;
  kubelet::ApiPodStatus s = kubelet::generateAPIPodStatus(in);
  const auto& c = s.condition(kubelet::ConditionType::AllContainersRestarting);
  CHECK(c.present);
  CHECK(c.status);
  CHECK((c.reason == api::Reason::RestartAllContainersStarted));
  in.restartAllCleanedUp = true;
  s = kubelet::generateAPIPodStatus(in);
  CHECK_FALSE(bool(s.condition(kubelet::ConditionType::AllContainersRestarting).status));
  in.restartAllContainers = false;  // gate off: no condition
  s = kubelet::generateAPIPodStatus(in);
  CHECK_FALSE(bool(s.condition(kubelet::ConditionType::AllContainersRestarting).present));
}
