// tests/test_active_deadline.cpp: pkg/kubelet/active_deadline.go pastActiveDeadline / ShouldEvict.
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "models/kubelet/active_deadline.hpp"

using namespace podsim;
using kubelet::pastActiveDeadline;
using sim::kSecond;

TEST_CASE("pastActiveDeadline: now - startTime >= activeDeadlineSeconds, never without a deadline or a startTime") {
  struct Case {
    const char* name;
    std::optional<std::int64_t> deadline;
    std::optional<sim::Time> start;
    sim::Time now;
    bool want;
  };
  const std::vector<Case> cases = {
      {"no deadline", std::nullopt, 0, 1000 * kSecond, false},
      {"no startTime yet", 30, std::nullopt, 1000 * kSecond, false},
      {"one ns before the deadline", 30, 2 * kSecond, 32 * kSecond - 1, false},
      {"exactly at the deadline (>=)", 30, 2 * kSecond, 32 * kSecond, true},
      {"after the deadline", 30, 2 * kSecond, 40 * kSecond, true},
      {"deadline 0 is past at once", 0, 5 * kSecond, 5 * kSecond, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(pastActiveDeadline(c.deadline, c.start, c.now) == c.want);
  }
}

TEST_CASE("activeDeadlineDue is startTime plus the deadline, the first instant a sync fails the pod") {
  CHECK(kubelet::activeDeadlineDue(30, 2 * kSecond) == 32 * kSecond);
  CHECK_FALSE(kubelet::activeDeadlineDue(std::nullopt, 2 * kSecond).has_value());
  CHECK_FALSE(kubelet::activeDeadlineDue(30, std::nullopt).has_value());
}

TEST_CASE("ShouldEvict past the deadline: reason DeadlineExceeded and the kubelet's message") {
  const auto r = kubelet::activeDeadlineShouldEvict(30, 0, 30 * kSecond);
  CHECK(r.evict);
  CHECK(r.reason == "DeadlineExceeded");
  CHECK(r.message == "Pod was active on the node longer than the specified deadline");
  CHECK_FALSE(kubelet::activeDeadlineShouldEvict(30, 0, 29 * kSecond).evict);
}
