// models/scenario/duration.hpp: reading and printing durations of scenario files.
//
// Owns the text form of durations: Go's time.ParseDuration syntax or a plain number of seconds on
// input, Go's time.Duration.String() on output. Knows nothing of YAML or of where a value came from:
// callers wrap std::invalid_argument into an InputError that carries file, line and column.
#pragma once

#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace podsim::scenario {

/// Whether `never` / `forever` are accepted (and mean sim::kForever) by parseDuration.
enum class ForeverAllowed : bool { No = false, Yes = true };

/// Parses a non-negative duration into integer nanoseconds, exactly (decimals are read digit by digit,
/// digits past nanosecond precision are truncated as Go does).
/// Accepts Go duration syntax (`300ms`, `1m30s`, `2h`, `1.5s`, `0`; units ns, us, µs, μs, ms, s, m, h;
/// optional leading `+`), a plain number of seconds (`30`, `0.5`), and, when `forever` is Yes,
/// `never`/`forever` (returns sim::kForever).
/// Throws std::invalid_argument naming the text on anything else, on negative values and on overflow
/// (more than about 292 years).
sim::Time parseDuration(std::string_view text, ForeverAllowed forever = ForeverAllowed::No);

/// Formats nanoseconds as Go's time.Duration.String() does: "1m30s", "300ms", "1.5µs", "0s", "2h0m0s".
/// Negative values get a leading '-'. sim::kForever is printed as the Go number it is.
std::string formatDuration(sim::Time t);

}  // namespace podsim::scenario
