// tests/test_metrics.cpp: trace::Metrics against a trace-on run of the same scenario, and the sweep's
// direct overrides (PreparedScenario) against a reload of the overridden text.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "models/report/check.hpp"
#include "models/engine/sweep.hpp"
#include "models/scenario/overrides.hpp"
#include "models/trace/metrics.hpp"
#include "tests/support.hpp"

namespace {

using podsim::engine::RunOptions;
using podsim::trace::Metric;
using podsim::trace::Metrics;

std::vector<std::int32_t> containerCounts(const podsim::scenario::Scenario& sc) {
  std::vector<std::int32_t> out;
  for (const auto& p : sc.pods) out.push_back(static_cast<std::int32_t>(p.pod.containerCount()));
  return out;
}

/// Values by "pod/container/name" (container "-" for the pod).
std::map<std::string, double> byName(const std::vector<podsim::trace::MetricValue>& v) {
  std::map<std::string, double> out;
  for (const auto& m : v) {
    out[std::to_string(m.key.pod) + "/" + (m.key.container < 0 ? std::string("-") : std::to_string(m.key.container)) + "/" +
        m.key.name()] = m.value;
  }
  return out;
}

/// Runs the scenario twice: trace stored and the Metrics plugged in, then trace off with only the
/// Metrics; returns both runs' values and the first run's Simulation for reference figures.
struct Pair {
  std::vector<podsim::trace::MetricValue> withTrace, withoutTrace;
  podsim::testing::Run* reference = nullptr;
};

void checkScenario(const std::string& rel) {
  CAPTURE(rel);
  Metrics on;
  const auto sc = podsim::scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/" + rel);
  on.begin(containerCounts(sc));
  RunOptions o;
  o.traceSink = &on;
  podsim::testing::Run ref(sc, o);
  on.finish(ref.sim->duration());
  Metrics off;
  off.begin(containerCounts(sc));
  RunOptions o2;
  o2.recordTrace = false;
  o2.traceSink = &off;
  podsim::testing::Run quiet(sc, o2);
  off.finish(quiet.sim->duration());
  // The run with only the sink is the trace-on run: same figures, and the same summaries.
  const auto a = byName(on.values());
  const auto b = byName(off.values());
  CHECK(a.size() == b.size());
  for (const auto& [k, v] : a) {
    CAPTURE(k);
    REQUIRE(b.count(k) == 1);
    if (std::isnan(v)) CHECK(std::isnan(b.at(k)));
    else CHECK(b.at(k) == v);
  }
  // Against the engine's own per-pod summary and the stored trace.
  const auto summaries = ref.sim->summaries();
  const auto& tr = ref.sim->trace();
  const double duration = static_cast<double>(ref.sim->duration()) / 1e9;
  for (std::size_t p = 0; p < summaries.size(); ++p) {
    const std::string pre = std::to_string(p) + "/-/";
    CAPTURE(p);
    CHECK(a.at(pre + "restarts") == summaries[p].restarts);
    const auto sec = [](podsim::sim::Time t) { return t < 0 ? -1.0 : static_cast<double>(t) / 1e9; };
    CHECK((std::isnan(a.at(pre + "timeToReady")) ? -1.0 : a.at(pre + "timeToReady")) == sec(summaries[p].readyAt));
    CHECK((std::isnan(a.at(pre + "timeToInitialized")) ? -1.0 : a.at(pre + "timeToInitialized")) == sec(summaries[p].initializedAt));
    CHECK(a.at(pre + "fractionReady") == doctest::Approx(static_cast<double>(summaries[p].readyTime) / 1e9 / duration));
    // Time in each STATUS: from the first PodStatus record to the end or the removal.
    double first = -1, removed = -1, timeIn = 0;
    std::map<std::string, int> events;
    int probeFailures = 0;
    for (const auto& r : tr.records()) {
      if (r.pod != static_cast<std::int32_t>(p)) continue;
      if (r.type == podsim::trace::RecordType::PodStatus && first < 0) first = static_cast<double>(r.t) / 1e9;
      if (r.type == podsim::trace::RecordType::PodRemoved && removed < 0) removed = static_cast<double>(r.t) / 1e9;
      if (r.type == podsim::trace::RecordType::Event) {
        ++events[std::string(podsim::api::toString(tr.eventAt(r).reason))];
        if (tr.eventAt(r).reason == podsim::api::EventReason::Unhealthy) ++probeFailures;
      }
    }
    for (const auto& [k, v] : a) {
      if (k.rfind(pre + "timeIn:", 0) == 0) timeIn += v;
    }
    if (first >= 0) CHECK(timeIn == doctest::Approx((removed >= 0 ? removed : duration) - first));
    for (const auto& [reason, n] : events) CHECK(a.at(pre + "events:" + reason) == n);
    CHECK(a.at(pre + "probeFailures") == probeFailures);
    // Each container: restarts as its final restartCount; time in its states sums to the time it has a status.
    const auto views = ref.sim->views();
    for (std::size_t c = 0; c < views[p].status.containers.size(); ++c) {
      CAPTURE(c);
      CHECK(a.at(std::to_string(p) + "/" + std::to_string(c) + "/restarts") == views[p].status.containers[c].restartCount);
    }
  }
}

}  // namespace

TEST_CASE("Metrics computed with the trace off equal the trace-on run's: restarts, readiness and init times, time in STATUS, Events by reason") {
  for (const char* rel : {"scenarios/bench/r1-web-pod.yaml", "scenarios/rules/crashloop-always.yaml", "scenarios/course/simple-webapp-init.yaml",
                          "scenarios/lifecycle/liveness-restart.yaml", "scenarios/faults/probe-flaky.yaml",
                          "scenarios/nodes/two-nodes-ten-pods.yaml", "scenarios/lifecycle/update-image.yaml"}) {
    checkScenario(rel);
  }
}

TEST_CASE("Metrics of R1 name the kubectl STATUS values and container states as documented in docs/metrics.md") {
  Metrics m(podsim::trace::bit(Metric::timeIn) | podsim::trace::bit(Metric::events) | podsim::trace::bit(Metric::status));
  const auto sc = podsim::scenario::loadScenarioFile(std::string(PODSIM_SOURCE_DIR) + "/scenarios/bench/r1-web-pod.yaml");
  m.begin(containerCounts(sc));
  RunOptions o;
  o.recordTrace = false;
  o.traceSink = &m;
  podsim::testing::Run run(sc, o);
  m.finish(run.sim->duration());
  const auto v = byName(m.values());
  CHECK(v.at("0/-/timeIn:Init:0/3") == 3.0);
  CHECK(v.at("0/-/timeIn:CrashLoopBackOff") == 2710.0);
  CHECK(v.at("0/-/timeIn:Running") == 870.0);
  CHECK(v.at("0/3/timeIn:CrashLoopBackOff") == 2710.0);
  CHECK(v.at("0/0/timeIn:Completed") == 3597.0);
  CHECK(v.at("0/-/events:BackOff") == 39.0);
  for (const auto& x : m.values()) {
    if (x.key.metric == Metric::status) CHECK(x.key.text() == "Running");
  }
}

TEST_CASE("A direct override of the loaded model gives the same run as the overridden text loaded anew") {
  const std::string path = std::string(PODSIM_SOURCE_DIR) + "/scenarios/bench/r1-web-pod.yaml";
  const std::string text = podsim::scenario::readScenarioText(path);
  const podsim::scenario::PreparedScenario prepared(text, path);
  const std::vector<std::vector<podsim::scenario::Override>> cases = {
      {{"pods.web.spec.containers[app].readinessProbe.periodSeconds", "3"}},
      {{"pods.web.spec.containers[app].livenessProbe.failureThreshold", "1"}, {"pods.web.spec.initContainers[log-shipper].startupProbe.initialDelaySeconds", "4"}},
      {{"spec.behaviors.web.app.run", "45s"}},
      {{"spec.behaviors.web.app.run", "\"45500ms\""}},
      {{"spec.behaviors.web.app.exitCode", "0"}},
      {{"spec.behaviors.web.app.probes.readiness.succeedAfter", "2500ms"}},
      {{"spec.behaviors.web.proxy.startDelay", "7s"}},
      {{"spec.images[example/app:1.0].pullDuration", "12s"}},
  };
  for (const auto& overrides : cases) {
    CAPTURE(overrides.front().path);
    podsim::scenario::Scenario direct;
    REQUIRE(prepared.applyDirect(overrides, direct));
    const auto reloaded = podsim::scenario::loadScenarioString(podsim::scenario::applyOverrides(text, overrides, path), path);
    podsim::testing::Run a(direct), b(reloaded);
    CHECK(podsim::engine::traceFingerprint(*a.sim) == podsim::engine::traceFingerprint(*b.sim));
  }
}

TEST_CASE("Overrides without a direct form, or with doubtful values, take the full route with the loader's message") {
  const std::string path = std::string(PODSIM_SOURCE_DIR) + "/scenarios/bench/r1-web-pod.yaml";
  const podsim::scenario::PreparedScenario prepared(podsim::scenario::readScenarioText(path), path);
  podsim::scenario::Scenario out;
  CHECK_FALSE(prepared.applyDirect({{"pods.web.spec.containers[app].readinessProbe.periodSeconds", "0"}}, out));
  CHECK_FALSE(prepared.applyDirect({{"pods.web.spec.containers[app].livenessProbe.successThreshold", "2"}}, out));
  CHECK_FALSE(prepared.applyDirect({{"pods.web.spec.containers[app].image", "app:2"}}, out));
  CHECK_FALSE(prepared.applyDirect({{"spec.behaviors.web.app.run", "5 s"}}, out));
  bool direct = true;
  CHECK_THROWS_WITH(static_cast<void>(prepared.variant({{"pods.web.spec.containers[app].livenessProbe.successThreshold", "2"}}, &direct)),
                    doctest::Contains("spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"));
  CHECK_FALSE(direct);
}

TEST_CASE("A sweep with metrics reports them per run; an unknown metric name is an input error naming the supported values") {
  const std::string path = std::string(PODSIM_SOURCE_DIR) + "/scenarios/bench/r1-web-pod.yaml";
  podsim::engine::SweepOptions options;
  options.threads = 2;
  options.metrics = podsim::engine::metricMask({"restarts"});
  const auto rows = podsim::engine::runSweep(podsim::scenario::readScenarioText(path), path,
                                             {{{{"spec.behaviors.web.app.run", "30s"}}}, {}}, {1, 2}, options);
  REQUIRE(rows.size() == 4);
  for (const auto& r : rows) {
    CHECK(r.error.empty());
    REQUIRE(!r.metrics.empty());
    CHECK(r.metrics.front().key.name() == "restarts");
    CHECK(r.metrics.front().value == r.pods.front().restarts);
  }
  CHECK_THROWS_WITH(podsim::engine::metricMask({"restart"}),
                    "<command line>:0:0: --metric: Unsupported value: \"restart\": supported values: \"restarts\", \"timeIn\", "
                    "\"events\", \"probeFailures\", \"timeToReady\", \"timeToInitialized\", \"timeToFirstRestart\", "
                    "\"fractionReady\", \"phase\", \"status\"");
}
