// tests/test_pod_workers.cpp: the pod worker's requeue decision (models/kubelet/pod_workers;
// pod_workers.go completeWork) as a table of named cases against one base sync outcome.
#include <doctest/doctest.h>

#include <functional>
#include <vector>

#include "models/kubelet/pod_workers.hpp"

using namespace podsim;
using sim::kForever;
using sim::kSecond;

namespace {

/// The base: a sync without error at t = 100 s, kubelet timing, back-off-aware requeue (>= 1.35).
struct Input {
  kubelet::SyncOutcome outcome;
  kubelet::RequeuePolicy policy{false, true};
  sim::Time now = 100 * kSecond;
};

}  // namespace

TEST_CASE("completeWork requeues at the resync interval, at the back-off expiry or after backOffPeriod, jittered by a factor from 1 to 1.5 (pod_workers.go)") {
  struct Case {
    const char* name;
    std::function<void(Input&)> mutate;
    bool requeue;
    sim::Time base;
    bool draw;
    sim::Time low, high;
  };
  const auto backoffError = [](Input& in, sim::Time due) {
    in.outcome.error = true;
    in.outcome.errorDue = due;
  };
  const std::vector<Case> cases = {
      {"no error: resync 60 s, jitter 0.5", [](Input&) {}, true, 100 * kSecond, true, 60 * kSecond, 90 * kSecond},
      {"back-off error due in 20 s: its expiry x U[1, 1.5)", [&](Input& in) { backoffError(in, 120 * kSecond); },
       true, 120 * kSecond, true, 0, 10 * kSecond},
      {"back-off due in 5 min: clamped to the resync interval", [&](Input& in) { backoffError(in, 400 * kSecond); },
       true, 160 * kSecond, true, 0, 30 * kSecond},
      {"back-off already expired: at once, no draw", [&](Input& in) { backoffError(in, 90 * kSecond); }, true, 100 * kSecond, false, 0, 0},
      {"a plain error: backOffPeriod 10 s, jitter 0.5",
       [&](Input& in) { backoffError(in, 120 * kSecond); in.outcome.plainError = true; }, true, 100 * kSecond, true, 10 * kSecond, 15 * kSecond},
      {"an error without expiry: backOffPeriod", [&](Input& in) { backoffError(in, kForever); }, true, 100 * kSecond, true, 10 * kSecond, 15 * kSecond},
      {"before 1.35: backOffPeriod even for a back-off",
       [&](Input& in) { backoffError(in, 120 * kSecond); in.policy.backoffAwareRequeue = false; }, true, 100 * kSecond, true, 10 * kSecond, 15 * kSecond},
      {"ideal, no error: no requeue", [](Input& in) { in.policy.ideal = true; }, false, 0, false, 0, 0},
      {"ideal, back-off error: exactly at expiry", [&](Input& in) { in.policy.ideal = true; backoffError(in, 120 * kSecond); },
       true, 120 * kSecond, false, 0, 0},
      {"ideal, expiry passed: now", [&](Input& in) { in.policy.ideal = true; backoffError(in, 50 * kSecond); }, true, 100 * kSecond, false, 0, 0},
      {"ideal, an error without expiry: after backOffPeriod", [&](Input& in) { in.policy.ideal = true; backoffError(in, kForever); },
       true, 110 * kSecond, false, 0, 0},
      {"ideal, a pull failed in this sync: look again at once",
       [&](Input& in) { in.policy.ideal = true; backoffError(in, 120 * kSecond); in.outcome.pullFailedThisSync = true; },
       true, 100 * kSecond, false, 0, 0},
  };
  for (const auto& c : cases) {
    Input in;
    c.mutate(in);
    CAPTURE(c.name);
    const kubelet::RequeuePlan p = kubelet::requeuePlan(in.outcome, in.policy, in.now);
    CHECK(p.requeue == c.requeue);
    if (!p.requeue) continue;
    CHECK(p.base == c.base);
    CHECK(p.draw == c.draw);
    if (p.draw) {
      CHECK(p.jitterLow == c.low);
      CHECK(p.jitterHigh == c.high);
    }
  }
}

TEST_CASE("The requeue time adds the jitter draw only when the plan draws one (pod_workers.go completeWork)") {
  kubelet::RequeuePlan p;
  p.requeue = true;
  p.base = 100 * kSecond;
  CHECK(kubelet::requeueAt(p, 7 * kSecond) == 100 * kSecond);
  p.draw = true;
  CHECK(kubelet::requeueAt(p, 7 * kSecond) == 107 * kSecond);
}

TEST_CASE("Succeeded and Failed are the terminal phases (IsPodPhaseTerminal)") {
  CHECK(kubelet::isPodPhaseTerminal(api::PodPhase::Succeeded));
  CHECK(kubelet::isPodPhaseTerminal(api::PodPhase::Failed));
  CHECK_FALSE(kubelet::isPodPhaseTerminal(api::PodPhase::Pending));
  CHECK_FALSE(kubelet::isPodPhaseTerminal(api::PodPhase::Running));
  CHECK_FALSE(kubelet::isPodPhaseTerminal(api::PodPhase::Unknown));
}
