// tests/test_readiness_gates.cpp: pod readiness gates (spec.readinessGates) and the setPodCondition action.
// Rules: pkg/kubelet/status/generate.go GeneratePodReadyCondition (v1.28.15 = v1.37.2), status_manager.go
// NeedToReconcilePodReadiness, kubelet_pods.go generateAPIPodStatus (keeps conditions it does not own),
// printers.go printPod (READY counts containers only); apimachinery IsQualifiedName for conditionType.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/api/validation.hpp"
#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/status.hpp"
#include "models/scenario/loader.hpp"
#include "models/trace/trace.hpp"
#include "support.hpp"

using namespace podsim;
using kubelet::CustomConditionStatus;
using kubelet::PodCondition;

namespace {

/// A pod whose gates name slots 0 and 1 ("example.com/a", "example.com/b").
api::Pod gatedPod() {
  api::Pod p;
  p.name = "web";
  p.readinessGates = {{"example.com/a", 0}, {"example.com/b", 1}};
  return p;
}

std::uint32_t bits(CustomConditionStatus a, CustomConditionStatus b) {
  return kubelet::withCustomCondition(kubelet::withCustomCondition(0, 0, a), 1, b);
}

std::string errorOf(const std::string& yaml) {
  try {
    (void)scenario::loadScenarioString(yaml, "test.yaml");
  } catch (const scenario::InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kPod =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  readinessGates:\n  - conditionType: example.com/feature-1\n"
    "  containers:\n  - name: app\n    image: example.com/app:1.0\n";

}  // namespace

TEST_CASE("GeneratePodReadyCondition: Ready is ContainersReady AND every gate's condition True") {
  using S = CustomConditionStatus;
  const PodCondition crTrue{true, true, api::Reason::None};
  const PodCondition crFalse{true, false, api::Reason::ContainersNotReady};
  const PodCondition gatesNotReady{true, false, api::Reason::ReadinessGatesNotReady};
  struct Case {
    const char* name;
    PodCondition containersReady;
    std::uint32_t custom;
    PodCondition want;
  };
  const std::vector<Case> cases = {
      {"containers not ready: ContainersReady's status and reason, whatever the gates", crFalse, bits(S::True, S::True), crFalse},
      {"both gates True and containers ready: True", crTrue, bits(S::True, S::True), crTrue},
      {"a gate's condition absent: False, ReadinessGatesNotReady", crTrue, bits(S::True, S::Absent), gatesNotReady},
      {"a gate's condition False: False", crTrue, bits(S::False, S::True), gatesNotReady},
      {"a gate's condition Unknown counts as not True", crTrue, bits(S::True, S::Unknown), gatesNotReady},
      {"no condition at all", crTrue, 0, gatesNotReady},
  };
  const api::Pod pod = gatedPod();
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::GeneratePodReadyCondition(pod, c.containersReady, c.custom) == c.want);
  }
  // A pod without gates: Ready = ContainersReady, whatever conditions the API holds.
  const api::Pod plain;
  CHECK(kubelet::GeneratePodReadyCondition(plain, crTrue, 0) == crTrue);
  CHECK(kubelet::GeneratePodReadyCondition(plain, crFalse, bits(S::True, S::True)) == crFalse);
}

TEST_CASE("GeneratePodReadyCondition's message: one part per gate not met, in spec order") {
  using S = CustomConditionStatus;
  const api::Pod pod = gatedPod();
  CHECK(kubelet::readinessGatesMessage(pod, bits(S::True, S::True)).empty());
  CHECK(kubelet::readinessGatesMessage(pod, bits(S::Absent, S::True)) ==
        "corresponding condition of pod readiness gate \"example.com/a\" does not exist.");
  CHECK(kubelet::readinessGatesMessage(pod, bits(S::False, S::Unknown)) ==
        "the status of pod readiness gate \"example.com/a\" is not \"True\", but False, "
        "the status of pod readiness gate \"example.com/b\" is not \"True\", but Unknown");
}

TEST_CASE("NeedToReconcilePodReadiness: a sync only when the Ready condition's status or message is now wrong") {
  using S = CustomConditionStatus;
  const api::Pod pod = gatedPod();
  kubelet::ApiPodStatus st;
  st.condition(kubelet::ConditionType::ContainersReady) = {true, true, api::Reason::None};
  st.condition(kubelet::ConditionType::Ready) = {true, false, api::Reason::ReadinessGatesNotReady};
  struct Case {
    const char* name;
    std::uint32_t before, now;
    bool want;
  };
  const std::vector<Case> cases = {
      {"the last gate turns True: Ready should be True", bits(S::True, S::False), bits(S::True, S::True), true},
      {"absent -> False: still False, but the message changes", bits(S::Absent, S::True), bits(S::False, S::True), true},
      {"no change of any gate", bits(S::False, S::True), bits(S::False, S::True), false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::NeedToReconcilePodReadiness(pod, st, c.before, c.now) == c.want);
  }
  // ContainersReady False: Ready is ContainersReady's whatever the gates; nothing to reconcile.
  kubelet::ApiPodStatus notReady = st;
  notReady.condition(kubelet::ConditionType::ContainersReady) = {true, false, api::Reason::ContainersNotReady};
  notReady.condition(kubelet::ConditionType::Ready) = {true, false, api::Reason::ContainersNotReady};
  CHECK_FALSE(kubelet::NeedToReconcilePodReadiness(pod, notReady, bits(S::False, S::True), bits(S::True, S::True)));
  // No Ready condition yet (the kubelet has not written a status), or no gates: never.
  CHECK_FALSE(kubelet::NeedToReconcilePodReadiness(pod, kubelet::ApiPodStatus{}, 0, bits(S::True, S::True)));
  CHECK_FALSE(kubelet::NeedToReconcilePodReadiness(api::Pod{}, st, 0, bits(S::True, S::True)));
}

TEST_CASE("generateAPIPodStatus keeps the conditions it does not own and applies the gates to Ready") {
  using S = CustomConditionStatus;
  api::Pod pod = gatedPod();
  api::Container c;
  c.name = "app";
  pod.containers.push_back(c);
  kubelet::RuntimePodStatus rt;
  rt.sandboxReady = true;
  rt.containers.resize(1);
  rt.containers[0].hasLatest = true;
  rt.containers[0].latest.state = kubelet::ContainerState::Running;
  std::vector<kubelet::ReasonCacheEntry> reasons(1);
  std::vector<kubelet::ContainerProbeResults> probes(1);
  kubelet::ApiPodStatus previous;
  previous.customConditions = bits(S::True, S::False);
  kubelet::StatusInputs in;
  in.pod = &pod;
  in.runtime = &rt;
  in.previous = &previous;
  in.reasons = &reasons;
  in.probes = &probes;
  kubelet::ApiPodStatus s = kubelet::generateAPIPodStatus(in);
  CHECK(s.customConditions == previous.customConditions);
  CHECK(static_cast<bool>(s.condition(kubelet::ConditionType::ContainersReady).status));
  CHECK(s.condition(kubelet::ConditionType::Ready) == PodCondition{true, false, api::Reason::ReadinessGatesNotReady});
  // printPod's READY counts containers only: 1/1 although the pod is not Ready.
  const auto printed = kubelet::printPod(pod, s, false, kubelet::KubernetesVersion{1, 37});
  CHECK(printed.ready == 1);
  CHECK(printed.total == 1);
  previous.customConditions = bits(S::True, S::True);
  s = kubelet::generateAPIPodStatus(in);
  CHECK(s.condition(kubelet::ConditionType::Ready) == PodCondition{true, true, api::Reason::None});
}

TEST_CASE("IsQualifiedName for readinessGates[].conditionType, in the API's words") {
  CHECK(api::validateQualifiedName("example.com/feature-1").empty());
  CHECK(api::validateQualifiedName("MyGate").empty());
  CHECK(api::validateQualifiedName("/x") == std::vector<std::string>{"prefix part must be non-empty"});
  const auto bad = api::validateQualifiedName("example.com/-x");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].rfind("name part must consist of alphanumeric characters, '-', '_' or '.'", 0) == 0);
  CHECK(api::validateQualifiedName("a/b/c").front().rfind("a valid label key must consist", 0) == 0);
  CHECK(api::validateQualifiedName("Example.com/x").front().rfind("prefix part a lowercase RFC 1123 subdomain", 0) == 0);
}

TEST_CASE("readinessGates and setPodCondition are read and checked like the API server and the other actions") {
  // A bad conditionType: the API's Invalid value with the field path.
  const auto bad = errorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  readinessGates:\n  - conditionType: a/b/c\n"
                           "  containers:\n  - name: app\n    image: example.com/app:1.0\n");
  CHECK(bad.find("test.yaml:6:20: spec.readinessGates[0].conditionType: Invalid value: \"a/b/c\"") != std::string::npos);
  // setPodCondition on an unknown pod: file:line:col, the pods, did-you-mean.
  const auto unknownPod = errorOf(kPod + "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  actions:\n"
                                         "    - {at: 5s, setPodCondition: {pod: webb, type: example.com/feature-1, status: \"True\"}}\n");
  CHECK(unknownPod.find("test.yaml:15:39: spec.actions[0].setPodCondition.pod: no pod \"webb\" in the scenario (pods: web), did you mean \"web\"?") !=
        std::string::npos);
  const auto badStatus = errorOf(kPod + "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  actions:\n"
                                        "    - {at: 5s, setPodCondition: {pod: web, type: example.com/feature-1, status: \"Yes\"}}\n");
  CHECK(badStatus.find("Unsupported value: \"Yes\": supported values: \"False\", \"True\", \"Unknown\"") != std::string::npos);
  const auto owned = errorOf(kPod + "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  actions:\n"
                                    "    - {at: 5s, setPodCondition: {pod: web, type: Ready, status: \"True\"}}\n");
  CHECK(owned.find("setPodCondition.type: Invalid value: \"Ready\": a condition the kubelet or the control plane owns") != std::string::npos);
  // Nothing is warned as not modelled any more.
  const auto sc = scenario::loadScenarioString(kPod, "test.yaml");
  for (const auto& w : sc.warnings) CHECK(w.find("readinessGates") == std::string::npos);
  REQUIRE(sc.podConditionTypes.size() == 1);
  CHECK(sc.pods[0].pod.readinessGates[0].slot == 0);
}

TEST_CASE("A run: Running 1/1 but Ready False until setPodCondition sets the gate True, with kubelet timing") {
  const std::string yaml = kPod +
                           "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 1m\n"
                           "  images:\n    example.com/app:1.0: {present: true}\n  actions:\n"
                           "    - {at: 30s, setPodCondition: {pod: web, type: example.com/feature-1, status: \"True\"}}\n";
  const auto r = testing::run(yaml);
  const auto& tr = r.sim->trace();
  const std::size_t ready = static_cast<std::size_t>(kubelet::ConditionType::Ready);
  sim::Time readyAt = -1, conditionAt = -1;
  bool sawRunningNotReady = false;
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::PodStatus) continue;
    const auto& p = tr.podStatusAt(rec);
    if (p.conditions[ready].present && !p.conditions[ready].status && p.printed.ready == 1) {
      sawRunningNotReady = true;
      CHECK((p.conditions[ready].reason == api::Reason::ReadinessGatesNotReady));
    }
    if (conditionAt < 0 && kubelet::customCondition(p.customConditions, 0) == CustomConditionStatus::True) conditionAt = rec.t;
    if (readyAt < 0 && p.conditions[ready].status) readyAt = rec.t;
  }
  CHECK(sawRunningNotReady);
  CHECK(conditionAt == 30 * sim::kSecond);  // the API holds the condition at once
  // The kubelet's reconcile sync regenerates Ready: at or after the action, within the pod worker's delays.
  CHECK(readyAt >= conditionAt);
  CHECK(readyAt <= conditionAt + 2 * sim::kSecond);
}
