// sim/time.hpp: simulated time. Owns the Time type and its units; knows nothing of Kubernetes.
//
// Simulated time is an integer count of nanoseconds since the start of a run. Integers keep runs
// reproducible on every platform (no floating-point drift when adding periods for an hour).
#pragma once

#include <cstdint>
#include <limits>

namespace podsim::sim {

/// Simulated time or duration: an integer count of nanoseconds.
using Time = std::int64_t;

inline constexpr Time kNanosecond = 1;
inline constexpr Time kMicrosecond = 1'000;
inline constexpr Time kMillisecond = 1'000'000;
inline constexpr Time kSecond = 1'000'000'000;
inline constexpr Time kMinute = 60 * kSecond;
inline constexpr Time kHour = 60 * kMinute;

/// A time that never comes: "forever", "never". Larger than any reachable simulated time.
inline constexpr Time kForever = std::numeric_limits<Time>::max();

/// Converts nanoseconds to seconds as a double, for output only (never for arithmetic in the model).
constexpr double toSeconds(Time t) noexcept { return static_cast<double>(t) / 1e9; }

/// Whole seconds of a duration, truncated toward zero, as Go's `int(d.Seconds())` does.
constexpr std::int64_t wholeSeconds(Time t) noexcept { return t / kSecond; }

/// The smallest multiple of `period` past `phase` that is >= t: when a periodic loop whose ticks fall
/// at phase + k*period (k integer) next fires at or after t. `period` > 0, all values in nanoseconds.
constexpr Time nextTickAtOrAfter(Time t, Time phase, Time period) noexcept {
  if (t <= phase) return phase;
  Time k = (t - phase + period - 1) / period;
  return phase + k * period;
}

/// The largest tick phase + k*period that is <= t (k >= 0), or phase - period if t < phase.
constexpr Time lastTickAtOrBefore(Time t, Time phase, Time period) noexcept {
  if (t < phase) return phase - period;
  return phase + ((t - phase) / period) * period;
}

}  // namespace podsim::sim
