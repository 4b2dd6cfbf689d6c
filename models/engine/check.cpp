// models/engine/check.cpp: point-in-time expectations.
#include "models/engine/check.hpp"

#include <fmt/format.h>

#include "models/scenario/duration.hpp"

namespace podsim::engine {

std::vector<CheckResult> checkExpectations(const Simulation& sim) {
  std::vector<CheckResult> results;
  const auto& sc = sim.scenario();
  const auto& tr = sim.trace();
  for (const auto& e : sc.expectations) {
    CheckResult r;
    r.where = e.where;
    std::int32_t pod = -1;
    for (std::size_t p = 0; p < sc.pods.size(); ++p) {
      if (sc.pods[p].pod.name == e.pod) pod = static_cast<std::int32_t>(p);
    }
    std::string wanted;
    for (const auto& [k, v] : e.fields) wanted += fmt::format("{}{} {}", wanted.empty() ? "" : ", ", k, v);
    r.description = fmt::format("at {} pod {}: {}", scenario::formatDuration(e.at), e.pod, wanted);
    if (pod < 0 || e.at < 0) {
      r.actual = pod < 0 ? fmt::format("no pod named \"{}\"", e.pod) : "expectation without `at`";
      results.push_back(r);
      continue;
    }
    const trace::PodStatusRecord* last = nullptr;
    bool removed = false;
    for (const auto& rec : tr.records()) {
      if (rec.t > e.at) break;
      if (rec.pod != pod) continue;
      if (rec.type == trace::RecordType::PodStatus) last = &tr.podStatusAt(rec);
      if (rec.type == trace::RecordType::PodRemoved) removed = true;
    }
    if (last == nullptr) {
      r.actual = "the pod did not exist yet";
      results.push_back(r);
      continue;
    }
    std::string mismatch;
    for (const auto& [k, v] : e.fields) {
      std::string actual;
      if (k == "status") {
        actual = last->printed.status();
      } else if (k == "ready") {
        actual = fmt::format("{}/{}", last->printed.ready, last->printed.total);
      } else if (k == "restarts") {
        actual = std::to_string(last->printed.restarts);
      } else if (k == "phase") {
        actual = std::string(api::toString(last->phase));
      } else if (k == "removed") {
        actual = removed ? "true" : "false";
      } else {
        actual = "<unsupported expectation key>";
      }
      if (actual != v) mismatch += fmt::format("{}{} {}", mismatch.empty() ? "" : ", ", k, actual);
    }
    r.passed = mismatch.empty();
    r.actual = mismatch;
    results.push_back(r);
  }
  return results;
}

}  // namespace podsim::engine
