// tests/test_exec_hooks.cpp: exec lifecycle hooks run their command through the container shell interpreter
// (issue 14; pkg/kubelet/lifecycle/handlers.go Run; kuberuntime_container.go startContainer, executePreStopHook),
// `behaviors` still overrides, and the trace's Hook records.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"

using namespace podsim;
using sim::kSecond;

namespace {

struct Run {
  scenario::Scenario sc;
  std::unique_ptr<engine::Simulation> sim;
};

std::unique_ptr<Run> run(const std::string& yaml) {
  auto r = std::make_unique<Run>();
  r->sc = scenario::loadScenarioString(yaml, "test.yaml");
  engine::RunOptions o;
  o.duration = 90 * kSecond;
  r->sim = std::make_unique<engine::Simulation>(r->sc, o);
  r->sim->run();
  return r;
}

struct HookAt {
  sim::Time t;
  trace::HookKind hook;
  trace::HookState state;
  bool operator==(const HookAt&) const = default;
};

std::vector<HookAt> hooks(const Run& r) {
  std::vector<HookAt> out;
  for (const auto& rec : r.sim->trace().records()) {
    if (rec.type != trace::RecordType::Hook) continue;
    const auto& h = r.sim->trace().hookAt(rec);
    out.push_back({rec.t, h.hook, h.state});
  }
  return out;
}

std::string pod(const std::string& lifecycle, const std::string& behaviors = "") {
  return R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: app
    image: busybox
    command: ['sh', '-c', 'sleep 3600']
    lifecycle:
)" + lifecycle + R"(
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: hooks}
spec:
  timing: ideal
  images: {busybox: {present: true}}
  actions: [{at: 20s, deletePod: {pod: web}}]
)" + behaviors;
}

}  // namespace

TEST_CASE("exec preStop `sh -c \"sleep 10\"` runs 10 s and delays SIGTERM (executePreStopHook)") {
  const auto r = run(pod(R"(      preStop: {exec: {command: ["sh", "-c", "sleep 10"]}})"));
  using K = trace::HookKind;
  using S = trace::HookState;
  CHECK(hooks(*r) == std::vector<HookAt>{{20 * kSecond, K::PreStop, S::Started}, {30 * kSecond, K::PreStop, S::Finished}});
}

TEST_CASE("exec preStop `exit 1` fails at once: Hook failed and FailedPreStopHook (executePreStopHook)") {
  const auto r = run(pod(R"(      preStop: {exec: {command: ["sh", "-c", "exit 1"]}})"));
  using K = trace::HookKind;
  using S = trace::HookState;
  CHECK(hooks(*r) == std::vector<HookAt>{{20 * kSecond, K::PreStop, S::Started}, {20 * kSecond, K::PreStop, S::Failed}});
  int failed = 0;
  for (const auto& rec : r->sim->trace().records()) {
    if (rec.type == trace::RecordType::Event && r->sim->trace().eventAt(rec).reason == api::EventReason::FailedPreStopHook) ++failed;
  }
  CHECK(failed == 1);
}

TEST_CASE("exec postStart `sleep 3` blocks the start 3 s; behaviors.hooks still overrides the command") {
  const auto r = run(pod(R"(      postStart: {exec: {command: ["sh", "-c", "sleep 3"]}})"));
  using K = trace::HookKind;
  using S = trace::HookState;
  const auto h = hooks(*r);
  REQUIRE(h.size() == 2);
  CHECK(h[1].t - h[0].t == 3 * kSecond);
  CHECK(h[1] == HookAt{h[1].t, K::PostStart, S::Finished});
  const auto o = run(pod(R"(      postStart: {exec: {command: ["sh", "-c", "sleep 3"]}})",
                         "  behaviors: {web: {app: {hooks: {postStart: {duration: 7s}}}}}\n"));
  const auto ho = hooks(*o);
  REQUIRE(ho.size() == 2);
  CHECK(ho[1].t - ho[0].t == 7 * kSecond);
}
