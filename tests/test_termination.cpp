// tests/test_termination.cpp: the grace-period rules and the sidecar termination turn
// (models/kubelet/termination; kuberuntime_container.go setTerminationGracePeriod, killContainer;
// kuberuntime_termination_order.go; pod_workers.go calculateEffectiveGracePeriod) as tables of cases.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "models/kubelet/termination.hpp"

using namespace podsim;
using kubelet::KillReason;
using sim::kSecond;

namespace {

api::Container container(const std::string& name) {
  api::Container c;
  c.name = name;
  c.image = std::string("busybox");
  return c;
}

/// The base pod: grace 30 s; init container "init", sidecars "proxy" and "log" (restartPolicy Always),
/// regular "app" and "web"; a liveness and a startup probe on "app", without their own grace.
api::Pod basePod() {
  api::Pod pod;
  pod.name = std::string("p");
  pod.terminationGracePeriodSeconds = 30;
  pod.initContainers = {container("init"), container("proxy"), container("log")};
  pod.initContainers[1].restartPolicy = api::RestartPolicy::Always;
  pod.initContainers[2].restartPolicy = api::RestartPolicy::Always;
  pod.containers = {container("app"), container("web")};
  pod.containers[0].livenessProbe = api::Probe{};
  pod.containers[0].startupProbe = api::Probe{};
  return pod;
}

constexpr std::size_t kApp = 3;

}  // namespace

TEST_CASE("setTerminationGracePeriod: deletion grace first, then the failed probe's own grace, else the pod's (kuberuntime_container.go)") {
  struct Case {
    const char* name;
    std::function<void(api::Pod&)> mutate;
    KillReason reason;
    bool deleting;
    sim::Time expected;
  };
  const std::vector<Case> cases = {
      {"a kill without a reason: the pod's grace", [](api::Pod&) {}, KillReason::None, false, 30 * kSecond},
      {"liveness failure without probe grace: the pod's", [](api::Pod&) {}, KillReason::LivenessProbe, false, 30 * kSecond},
      {"liveness failure with probe grace 5 s", [](api::Pod& p) { p.containers[0].livenessProbe->terminationGracePeriodSeconds = 5; },
       KillReason::LivenessProbe, false, 5 * kSecond},
      {"liveness probe grace 0 is honoured", [](api::Pod& p) { p.containers[0].livenessProbe->terminationGracePeriodSeconds = 0; },
       KillReason::LivenessProbe, false, 0},
      {"startup failure with probe grace 7 s", [](api::Pod& p) { p.containers[0].startupProbe->terminationGracePeriodSeconds = 7; },
       KillReason::StartupProbe, false, 7 * kSecond},
      {"the liveness grace does not apply to a startup failure",
       [](api::Pod& p) { p.containers[0].livenessProbe->terminationGracePeriodSeconds = 5; }, KillReason::StartupProbe, false, 30 * kSecond},
      {"a definition change ignores probe grace", [](api::Pod& p) { p.containers[0].livenessProbe->terminationGracePeriodSeconds = 5; },
       KillReason::DefinitionChanged, false, 30 * kSecond},
      {"deleting: the deletion's grace wins over the probe's",
       [](api::Pod& p) { p.containers[0].livenessProbe->terminationGracePeriodSeconds = 5; }, KillReason::LivenessProbe, true, 12 * kSecond},
      {"pod grace 0", [](api::Pod& p) { p.terminationGracePeriodSeconds = 0; }, KillReason::None, false, 0},
  };
  for (const auto& c : cases) {
    api::Pod pod = basePod();
    c.mutate(pod);
    CAPTURE(c.name);
    CHECK(kubelet::setTerminationGracePeriod(pod, kApp, c.reason, c.deleting, 12 * kSecond) == c.expected);
  }
}

TEST_CASE("calculateEffectiveGracePeriod: the request's grace, else the pod's, never below 1 s (pod_workers.go)") {
  struct Case {
    const char* name;
    std::int64_t requested;
    std::int64_t podGrace;
    sim::Time expected;
  };
  const std::vector<Case> cases = {
      {"no grace in the request: the pod's", -1, 30, 30 * kSecond},
      {"the request's grace", 5, 30, 5 * kSecond},
      {"a longer request is taken as given", 60, 30, 60 * kSecond},
      {"grace 0 becomes 1 s", 0, 30, 1 * kSecond},
      {"pod grace 0 and no request: 1 s", -1, 0, 1 * kSecond},
  };
  for (const auto& c : cases) {
    api::Pod pod = basePod();
    pod.terminationGracePeriodSeconds = c.podGrace;
    CAPTURE(c.name);
    CHECK(kubelet::calculateEffectiveGracePeriod(c.requested, pod) == c.expected);
  }
}

TEST_CASE("After preStop the whole seconds spent are subtracted, and StopContainer gives at least 2 s (killContainer)") {
  struct Case {
    const char* name;
    sim::Time grace, spent, remaining, timeout;
  };
  const std::vector<Case> cases = {
      {"no preStop", 30 * kSecond, 0, 30 * kSecond, 30 * kSecond},
      {"2.9 s of preStop count as 2 s", 30 * kSecond, 2900 * sim::kMillisecond, 28 * kSecond, 28 * kSecond},
      {"preStop used the whole grace: 2 s minimum", 10 * kSecond, 10 * kSecond, 0, 2 * kSecond},
      {"1 s left: still 2 s", 10 * kSecond, 9 * kSecond, 1 * kSecond, 2 * kSecond},
      {"grace 0: 2 s", 0, 0, 0, 2 * kSecond},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const sim::Time remaining = kubelet::remainingGracePeriod(c.grace, c.spent);
    CHECK(remaining == c.remaining);
    CHECK(kubelet::stopTimeout(remaining) == c.timeout);
  }
}

TEST_CASE("A sidecar's turn comes once every regular container and every later sidecar has exited (kuberuntime_termination_order.go)") {
  // Unified indices: 0 init, 1 proxy (sidecar), 2 log (sidecar), 3 app, 4 web.
  struct Case {
    const char* name;
    std::size_t sidecar;
    std::vector<bool> alive;
    bool expected;
  };
  const std::vector<Case> cases = {
      {"all running: log waits", 2, {false, true, true, true, true}, false},
      {"regular containers gone: log's turn", 2, {false, true, true, false, false}, true},
      {"one regular still running: log waits", 2, {false, true, true, false, true}, false},
      {"regulars gone, log running: proxy waits for the later sidecar", 1, {false, true, true, false, false}, false},
      {"regulars and log gone: proxy's turn", 1, {false, true, false, false, false}, true},
      {"an earlier sidecar does not block a later one", 2, {false, true, true, false, false}, true},
      {"a plain init container never blocks", 1, {true, true, false, false, false}, true},
  };
  const api::Pod pod = basePod();
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::sidecarTurn(pod, c.sidecar, c.alive.size(), [&](std::size_t i) { return c.alive[i]; }) == c.expected);
  }
  CHECK(kubelet::hasSidecars(pod));
  api::Pod plain;
  plain.initContainers.emplace_back();
  plain.containers.emplace_back();
  CHECK_FALSE(kubelet::hasSidecars(plain));
}

TEST_CASE("A sidecar's wait for its turn starts after its preStop, and preStop and wait are each truncated to whole seconds (killContainer)") {
  struct Case {
    const char* name;
    sim::Time grace;     // the kill's grace period
    sim::Time preStop;   // how long preStop took
    sim::Time waited;    // how long the turn wait took
    bool waits;          // sidecarWaitsForTurn
    sim::Time want;      // grace left for StopContainer
  };
  const std::vector<Case> cases = {
      {"1.6 s preStop and 1.6 s wait take 2 s, not 3 s", 10 * kSecond, 1600 * sim::kMillisecond, 1600 * sim::kMillisecond,
       true, 8 * kSecond},
      {"0.9 s preStop and 0.9 s wait take nothing", 10 * kSecond, 900 * sim::kMillisecond, 900 * sim::kMillisecond, true,
       10 * kSecond},
      {"no preStop, a 2.5 s wait", 10 * kSecond, 0, 2500 * sim::kMillisecond, true, 8 * kSecond},
      {"preStop used all the grace: no wait", 3 * kSecond, 3 * kSecond, 0, false, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const sim::Time afterPreStop = kubelet::remainingGracePeriod(c.grace, c.preStop);
    CHECK(kubelet::sidecarWaitsForTurn(true, afterPreStop) == c.waits);
    CHECK(kubelet::graceAfterTurn(afterPreStop, c.waited) == c.want);
  }
  CHECK_FALSE(kubelet::sidecarWaitsForTurn(false, 10 * kSecond));  // kills without sidecars are not ordered
}
