// tests/test_backoff.cpp: the crash-loop and image-pull back-off state machine (kubelet-semantics §8.2-8.4, §9).
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "models/kubelet/backoff.hpp"

using namespace podsim;
using kubelet::BackoffEntry;
using sim::kSecond;

namespace {
// Restart waits of a container that crashes `run` after each start, restarted as soon as allowed.
std::vector<sim::Time> waits(const kubelet::BackoffPolicy& p, sim::Time run, int n) {
  BackoffEntry e;
  std::vector<sim::Time> out;
  sim::Time now = 0;
  for (int k = 0; k < n; ++k) {
    now += run;  // the instance exits
    const sim::Time finished = now;
    // The first instant out of back-off: FinishedAt + backoff for a live entry, else at once.
    sim::Time t = finished;
    if (e.present && !kubelet::hasExpired(e, p, finished)) t = finished + e.backoff;
    CHECK_FALSE(kubelet::isInBackOffSince(e, p, finished, t));
    if (t > finished) CHECK(kubelet::isInBackOffSince(e, p, finished, t - 1));
    kubelet::next(e, p, finished, t);
    out.push_back((t - finished) / kSecond);
    now = t;
  }
  return out;
}
}  // namespace

TEST_CASE("CrashLoopBackOff: no wait before the first restart, then 10 s doubling to 300 s (kubelet-semantics 8.3)") {
  const auto p = kubelet::crashLoopBackOffPolicy({}, kubelet::resolveFeatures({1, 35}, {}));
  CHECK(waits(p, 5 * kSecond, 9) == std::vector<sim::Time>{0, 10, 20, 40, 80, 160, 300, 300, 300});
}

TEST_CASE("CrashLoopBackOff with maxContainerRestartPeriod 30s caps at 30 s (KubeletCrashLoopBackOffMax)") {
  kubelet::KubeletConfig c;
  c.maxContainerRestartPeriod = 30 * kSecond;
  CHECK(waits(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 35}, c)), kSecond, 6) == std::vector<sim::Time>{0, 10, 20, 30, 30, 30});
  c.maxContainerRestartPeriod = 2 * kSecond;
  CHECK(waits(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 35}, c)), kSecond, 4) == std::vector<sim::Time>{0, 2, 2, 2});
}

TEST_CASE("ReduceDefaultCrashLoopBackOffDecay starts at 1 s and caps at 60 s") {
  kubelet::KubeletConfig c;
  c.reduceDefaultCrashLoopBackOffDecay = true;
  CHECK(waits(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 35}, c)), kSecond, 10) ==
        std::vector<sim::Time>{0, 1, 2, 4, 8, 16, 32, 60, 60, 60});
}

TEST_CASE("CrashLoopBackOff resets when a container ran more than 600 s after the last start decision (8.4)") {
  const auto p = kubelet::crashLoopBackOffPolicy({}, kubelet::resolveFeatures({1, 35}, {}));
  BackoffEntry e;
  kubelet::next(e, p, 0, 0);
  kubelet::next(e, p, 10 * kSecond, 10 * kSecond);
  CHECK(e.backoff == 20 * kSecond);
  // The next exit comes 601 s after the last start decision: the entry has expired.
  const sim::Time finished = 10 * kSecond + 601 * kSecond;
  CHECK_FALSE(kubelet::isInBackOffSince(e, p, finished, finished));
  kubelet::next(e, p, finished, finished);
  CHECK(e.backoff == 10 * kSecond);
}

TEST_CASE("Before 1.32 the crash-loop entry expires after 2 x max") {
  kubelet::KubeletConfig c;
  c.maxContainerRestartPeriod = 30 * kSecond;
  c.featureGates.emplace_back("KubeletCrashLoopBackOffMax", true);
  // 1.31 does not know KubeletCrashLoopBackOffMax (the loader rejects the setting): max stays 300 s.
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 31}, c)).expiry == 600 * kSecond);
  c.maxContainerRestartPeriod = -1;
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 31}, c)).expiry == 600 * kSecond);
  c.maxContainerRestartPeriod = 30 * kSecond;
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 32}, c)).expiry == 600 * kSecond);
}

TEST_CASE("Image pull back-off is measured from the last failure: 10, 20, 40 s (kubelet-semantics 9)") {
  const auto p = kubelet::imagePullBackOffPolicy();
  BackoffEntry e;
  kubelet::next(e, p, 0, 0);
  CHECK(kubelet::isInBackOffSinceUpdate(e, p, 9 * kSecond));
  CHECK_FALSE(kubelet::isInBackOffSinceUpdate(e, p, 10 * kSecond));
  kubelet::next(e, p, 10 * kSecond, 10 * kSecond);
  CHECK(e.backoff == 20 * kSecond);
  kubelet::gc(e, p, 10 * kSecond + 601 * kSecond);
  CHECK_FALSE(e.present);
}

TEST_CASE("maxContainerRestartPeriod needs KubeletCrashLoopBackOffMax: off by default before 1.35, on from 1.35") {
  kubelet::KubeletConfig c;
  c.maxContainerRestartPeriod = 30 * kSecond;
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 34}, c)).max == 300 * kSecond);
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 35}, c)).max == 30 * kSecond);
  c.featureGates.emplace_back("KubeletCrashLoopBackOffMax", true);
  CHECK(kubelet::crashLoopBackOffPolicy(c, kubelet::resolveFeatures({1, 33}, c)).max == 30 * kSecond);
}
