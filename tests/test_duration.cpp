// tests/test_duration.cpp: Go duration syntax in and out (models/scenario/duration.hpp).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "models/scenario/duration.hpp"

using podsim::scenario::ForeverAllowed;
using podsim::scenario::formatDuration;
using podsim::scenario::parseDuration;
namespace sim = podsim::sim;

TEST_CASE("Go duration syntax reads to exact integer nanoseconds") {
  CHECK(parseDuration("300ms") == 300 * sim::kMillisecond);
  CHECK(parseDuration("1m30s") == 90 * sim::kSecond);
  CHECK(parseDuration("2h") == 2 * sim::kHour);
  CHECK(parseDuration("1.5s") == 1'500'000'000);
  CHECK(parseDuration("0") == 0);
  CHECK(parseDuration("0s") == 0);
  CHECK(parseDuration("+5s") == 5 * sim::kSecond);
  CHECK(parseDuration("1h2m3.5s") == sim::kHour + 2 * sim::kMinute + 3'500'000'000);
  CHECK(parseDuration("10us") == 10'000);
  CHECK(parseDuration("10\xC2\xB5s") == 10'000);
  CHECK(parseDuration("10\xCE\xBCs") == 10'000);
  CHECK(parseDuration("7ns") == 7);
  CHECK(parseDuration(".5s") == 500'000'000);
  CHECK(parseDuration("0.1s") == 100'000'000);
  CHECK(parseDuration("1.000000001s") == 1'000'000'001);
  CHECK(parseDuration("0.3m") == 18 * sim::kSecond);
  CHECK(parseDuration("1.0000000019s") == 1'000'000'001);  // past a nanosecond: truncated, as Go does
}

TEST_CASE("A plain number is a number of seconds") {
  CHECK(parseDuration("30") == 30 * sim::kSecond);
  CHECK(parseDuration("0.5") == 500'000'000);
  CHECK(parseDuration(" 2 ") == 2 * sim::kSecond);
}

TEST_CASE("never and forever mean kForever only where the caller allows them") {
  CHECK(parseDuration("never", ForeverAllowed::Yes) == sim::kForever);
  CHECK(parseDuration("forever", ForeverAllowed::Yes) == sim::kForever);
  CHECK_THROWS_WITH_AS(parseDuration("never"), "invalid duration \"never\": \"never\" is not allowed here",
                       std::invalid_argument);
}

TEST_CASE("Bad durations throw invalid_argument naming the text") {
  CHECK_THROWS_WITH_AS(parseDuration(""), "invalid duration \"\": empty", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseDuration("-1s"), "invalid duration \"-1s\": must not be negative", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseDuration("5x"),
                       "invalid duration \"5x\": unknown unit \"x\" (use ns, us, ms, s, m, h, or a number of seconds)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseDuration("1m30"), "invalid duration \"1m30\": missing unit (use ns, us, ms, s, m or h)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseDuration("abc"), "invalid duration \"abc\": expected a number", std::invalid_argument);
  CHECK_THROWS_AS(parseDuration("1.2.3s"), std::invalid_argument);
  CHECK_THROWS_AS(parseDuration("."), std::invalid_argument);
  CHECK_THROWS_AS(parseDuration("s"), std::invalid_argument);
  CHECK_THROWS_AS(parseDuration("+"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parseDuration("9999999999h"), "invalid duration \"9999999999h\": value out of range",
                       std::invalid_argument);
  CHECK_THROWS_AS(parseDuration("99999999999999999999999999s"), std::invalid_argument);
}

TEST_CASE("formatDuration prints what Go's Duration.String prints") {
  CHECK(formatDuration(0) == "0s");
  CHECK(formatDuration(90 * sim::kSecond) == "1m30s");
  CHECK(formatDuration(300 * sim::kMillisecond) == "300ms");
  CHECK(formatDuration(10 * sim::kSecond) == "10s");
  CHECK(formatDuration(2 * sim::kHour) == "2h0m0s");
  CHECK(formatDuration(5 * sim::kMinute) == "5m0s");
  CHECK(formatDuration(1'500) == "1.5\xC2\xB5s");
  CHECK(formatDuration(1) == "1ns");
  CHECK(formatDuration(90 * sim::kSecond + 500 * sim::kMillisecond) == "1m30.5s");
  CHECK(formatDuration(1'500'000) == "1.5ms");
  CHECK(formatDuration(-sim::kSecond) == "-1s");
  CHECK(formatDuration(sim::kForever) == "2562047h47m16.854775807s");
}

TEST_CASE("formatDuration output parses back to the same nanoseconds") {
  for (const sim::Time t : {sim::Time{1}, sim::Time{999}, sim::Time{1'234'567}, 61 * sim::kSecond + 1, 3 * sim::kHour + 7}) {
    CHECK(parseDuration(formatDuration(t)) == t);
  }
}
