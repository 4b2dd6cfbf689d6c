// models/report/logs.hpp: `kubectl logs` of a finished run: which container and which run of it the
// command reads at a simulated time, kubectl's and the kubelet's errors, and the lines (trace `Log` records).
//
// Owns the choice of container (kubectl logsforobject.go) and of the run (pkg/kubelet/kubelet_pods.go
// validateContainerLogStatus) and the lines' text form (--timestamps, --tail). Does not own the lines
// themselves (the engine's runtime writes them: models/engine/runtime.ipp) nor printing (cli/logs.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/engine/simulation.hpp"

namespace podsim::trace {

/// One line of `kubectl logs`: when it was written (ns), its text and stream.
struct LogsLine {
  sim::Time t = 0;
  std::string text;
  bool isStderr = false;
};

/// What `kubectl logs POD [-c C] [--previous]` prints at a moment.
struct LogsAnswer {
  /// Empty when the logs are read; else kubectl's whole error line ("error: a container name must be
  /// specified ..." from kubectl, "Error from server (BadRequest): container ... is waiting to start: ..."
  /// from the kubelet), printed on stderr with exit status 1.
  std::string error;
  std::vector<LogsLine> lines;
  std::string container;  // the container read (after defaulting)
};

/// `kubectl logs` of pod `pod` (index) at `at` (ns): `container` empty defaults as kubectl does (the only
/// regular container; several: an error listing them and the init containers). `previous`: the run before
/// the current one. `tail` >= 0 keeps the last `tail` lines.
/// Sources: kubectl polymorphichelpers/logsforobject.go logsForObjectWithClient (container choice and its
/// messages); pkg/kubelet/kubelet_pods.go validateContainerLogStatus (which run; the waiting/not found errors).
/// Never throws except std::bad_alloc.
LogsAnswer kubectlLogs(const engine::Simulation& sim, std::int32_t pod, const std::string& container, bool previous,
                       sim::Time at, std::int64_t tail = -1);

/// The text of log line `text` (an index into Scenario::logTexts) as its program printed it at simulated
/// time `t` (ns): `{time:FORMAT}` becomes the wall-clock time, time 0 being 2025-01-01T00:00:00Z as in every
/// podsim view, in the program's own format (strftime-style %Y %m %d %H %M %S %a %b %T, and %3f / %6f for the
/// milli- / microseconds: data/images.yaml writes nginx's `{time:%Y/%m/%d %H:%M:%S}`); `{epoch}` becomes the
/// Unix seconds; any other text is kept as written. Lines without placeholders are returned as they are.
/// Throws std::out_of_range for an index outside logTexts; fmt::format_error for a bad FORMAT (a defect
/// of data/images.yaml, which tests/test_logs.cpp renders in full).
std::string logLine(const scenario::Scenario& sc, std::int32_t text, sim::Time t);

/// A simulated time (ns) as RFC 3339 with nanoseconds (`kubectl logs --timestamps`), time 0 being
/// 2025-01-01T00:00:00Z (the run start) as in every podsim view (models/report/views.hpp rfc3339).
std::string rfc3339Nano(sim::Time t);

}  // namespace podsim::trace
