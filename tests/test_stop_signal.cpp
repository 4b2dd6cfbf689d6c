// tests/test_stop_signal.cpp: container stop signals (KEP-4960, lifecycle.stopSignal, gate ContainerStopSignals).
// Rules: pkg/apis/core/validation/validation.go validateStopSignal (v1.33.13..v1.37.2), pkg/api/pod/util.go
// dropContainerStopSignals, kube_features.go (alpha, off, from 1.33), the KEP's order spec > image STOPSIGNAL >
// SIGTERM, pid_namespaces(7) for a container's PID 1, and the wiring into behaviours and the trace.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/kubelet/stop_signal.hpp"
#include "models/scenario/loader.hpp"
#include "support.hpp"

using namespace podsim;
using kubelet::KubernetesVersion;
using kubelet::StopOutcome;

TEST_CASE("Stop signal names and numbers: the API's 65 Linux names, aliases included") {
  struct Case {
    const char* name;
    int number;
  };
  const std::vector<Case> cases = {{"SIGTERM", 15}, {"SIGQUIT", 3},   {"SIGKILL", 9},      {"SIGINT", 2},
                                   {"SIGWINCH", 28}, {"SIGIOT", 6},   {"SIGABRT", 6},      {"SIGRTMIN", 34},
                                   {"SIGRTMIN+15", 49}, {"SIGRTMAX-14", 50}, {"SIGRTMAX", 64}, {"SIGSTOP", 19}};
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto id = kubelet::stopSignalId(c.name);
    REQUIRE(id > 0);
    CHECK(kubelet::stopSignalNumber(id) == c.number);
    CHECK(kubelet::stopSignalName(id) == c.name);  // the name as written round-trips (SIGIOT stays SIGIOT)
  }
  CHECK(kubelet::stopSignalId("sigterm") == 0);  // case-sensitive, as the API's Signal constants
  CHECK(kubelet::stopSignalId("SIGRTMIN+16") == 0);
  CHECK(kubelet::stopSignalName(0).empty());
}

TEST_CASE("validateContainerStopSignal: refused before 1.33, dropped with the gate off, validated with it on") {
  const kubelet::FeatureGateOverrides on = {{"ContainerStopSignals", true}};
  const std::string path = "spec.containers[0]";
  const std::optional<std::string> linux = "linux", windows = "windows", none;
  struct Case {
    const char* name;
    KubernetesVersion version;
    kubelet::FeatureGateOverrides gates;
    std::string signal;
    std::optional<std::string> os;
    std::string error;
    bool dropped;
  };
  const std::vector<Case> cases = {
      {"1.32 does not know the field: strict decoding", {1, 32}, on, "SIGQUIT", linux,
       "strict decoding error: unknown field \"spec.containers[0].lifecycle.stopSignal\"", false},
      {"1.28 likewise", {1, 28}, {}, "SIGQUIT", linux,
       "strict decoding error: unknown field \"spec.containers[0].lifecycle.stopSignal\"", false},
      {"1.33 gate off by default: dropped before validation, even a bad value", {1, 33}, {}, "SIGFOO", none, "", true},
      {"1.37 gate off by default: dropped", {1, 37}, {}, "SIGQUIT", linux, "", true},
      {"gate on, linux, SIGQUIT: accepted", {1, 37}, on, "SIGQUIT", linux, "", false},
      {"gate on, linux, real-time signal: accepted", {1, 33}, on, "SIGRTMAX-3", linux, "", false},
      {"gate on, no spec.os: Forbidden", {1, 37}, on, "SIGQUIT", none,
       "Forbidden: may not be set for containers with empty `spec.os.name`", false},
      {"gate on, windows: only SIGKILL and SIGTERM", {1, 37}, on, "SIGQUIT", windows,
       "Unsupported value: \"SIGQUIT\": supported values: \"SIGKILL\", \"SIGTERM\"", false},
      {"gate on, windows, SIGKILL: accepted", {1, 37}, on, "SIGKILL", windows, "", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto v = kubelet::validateContainerStopSignal(c.version, c.gates, path, c.signal, c.os);
    CHECK(v.error == c.error);
    CHECK(v.dropped == c.dropped);
  }
  // An unknown name on linux: every supported name, sorted as sets.List sorts strings.
  const auto bad = kubelet::validateContainerStopSignal({1, 37}, on, path, "SIGFOO", linux);
  CHECK(bad.error.rfind("Unsupported value: \"SIGFOO\": supported values: \"SIGABRT\", \"SIGALRM\", \"SIGBUS\"", 0) == 0);
  CHECK(bad.error.find("\"SIGRTMAX\", \"SIGRTMAX-1\", \"SIGRTMAX-10\"") != std::string::npos);
  CHECK(bad.error.size() > 500);
}

TEST_CASE("effectiveStopSignal: the spec's, else the image's STOPSIGNAL, else SIGTERM") {
  const auto quit = kubelet::stopSignalId("SIGQUIT");
  const auto kill = kubelet::stopSignalId("SIGKILL");
  CHECK(kubelet::effectiveStopSignal(kill, "SIGQUIT") == kill);
  CHECK(kubelet::effectiveStopSignal(0, "SIGQUIT") == quit);
  CHECK(kubelet::effectiveStopSignal(0, "") == kubelet::stopSignalId("SIGTERM"));
}

TEST_CASE("A container's PID 1 and its stop signal: SIGKILL kills at once, an unhandled signal is not delivered") {
  struct Case {
    const char* name;
    const char* signal;
    bool handles;
    StopOutcome want;
    int exitCode;  // of a death by the signal
  };
  const std::vector<Case> cases = {
      {"SIGKILL cannot be caught, even by a handler", "SIGKILL", true, StopOutcome::KilledAtOnce, 137},
      {"SIGKILL kills a shell as PID 1", "SIGKILL", false, StopOutcome::KilledAtOnce, 137},
      {"a shell as PID 1 has no SIGQUIT handler: ignored until SIGKILL", "SIGQUIT", false, StopOutcome::Ignored, 131},
      {"SIGSTOP only stops it: it waits for SIGKILL too", "SIGSTOP", false, StopOutcome::Ignored, 147},
      {"an app with a handler exits as it says", "SIGQUIT", true, StopOutcome::Handled, 131},
      {"SIGTERM with a handler", "SIGTERM", true, StopOutcome::Handled, 143},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto id = kubelet::stopSignalId(c.signal);
    CHECK(kubelet::pid1StopOutcome(id, c.handles) == c.want);
    CHECK(kubelet::exitCodeBySignal(id) == c.exitCode);
  }
}

namespace {

std::string stopPod(const std::string& version, bool gate, const std::string& signal) {
  std::string y = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  os: {name: linux}\n  terminationGracePeriodSeconds: 10\n"
                  "  containers:\n  - name: nginx\n    image: nginx:1.27\n    lifecycle: {stopSignal: " + signal + "}\n"
                  "  - name: shell\n    image: busybox:1.36\n    command: [sh, -c, sleep 3600]\n    lifecycle: {stopSignal: " + signal + "}\n"
                  "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 1m\n  timing: ideal\n"
                  "  kubernetesVersion: \"" + version + "\"\n";
  if (gate) y += "  kubelet:\n    featureGates: {ContainerStopSignals: true}\n";
  y += "  images:\n    nginx:1.27: {present: true}\n    busybox:1.36: {present: true}\n  actions:\n    - {at: 20s, deletePod: {pod: web}}\n";
  return y;
}

/// The terminated state (exit code, finishedAt in s) each container last had in the run.
std::vector<std::pair<int, double>> ends(const testing::Run& r) {
  std::vector<std::pair<int, double>> out(2, {-1, -1});
  const auto& tr = r.sim->trace();
  for (const auto& rec : tr.records()) {
    if (rec.type != trace::RecordType::ContainerStatus) continue;
    const auto& c = tr.containerStatusAt(rec);
    if (c.status.state.kind == kubelet::ContainerStateValue::Kind::Terminated) {
      out[static_cast<std::size_t>(c.container)] = {c.status.state.exitCode, static_cast<double>(c.status.state.finishedAt) / sim::kSecond};
    }
  }
  return out;
}

}  // namespace

TEST_CASE("The stop signal reaches the process: gate on SIGKILL kills both at once; gate off the image's STOPSIGNAL") {
  {
    const auto r = testing::run(stopPod("1.37", true, "SIGKILL"));
    const auto e = ends(r);
    CHECK(e[0] == std::pair<int, double>{137, 20.0});  // nginx: no graceful shutdown
    CHECK(e[1] == std::pair<int, double>{137, 20.0});  // the shell dies at once instead of after the grace period
  }
  {
    // Gate off: the field is dropped (one warning); nginx gets its STOPSIGNAL SIGQUIT (exit 0), the shell
    // ignores SIGTERM and dies of SIGKILL at the end of its 10 s grace period.
    const auto r = testing::run(stopPod("1.37", false, "SIGKILL"));
    int dropped = 0;
    for (const auto& w : r.sc.warnings) dropped += w.find("dropped by the API server (ContainerStopSignals off") != std::string::npos ? 1 : 0;
    CHECK(dropped == 1);
    CHECK(r.sc.pods[0].pod.containers[0].stopSignal == 0);
    CHECK(r.sc.pods[0].statusStopSignals.empty());  // no ContainerStatus stopSignal with the gate off
    const auto e = ends(r);
    CHECK(e[0] == std::pair<int, double>{0, 20.0});
    CHECK(e[1] == std::pair<int, double>{137, 30.0});
  }
  {
    // Gate on, SIGTERM on nginx: the catalogue's SIGTERM reaction (fast shutdown, exit 0); the status shows SIGTERM.
    const auto r = testing::run(stopPod("1.37", true, "SIGTERM"));
    REQUIRE(r.sc.pods[0].statusStopSignals.size() == 2);
    CHECK(kubelet::stopSignalName(r.sc.pods[0].statusStopSignals[0]) == "SIGTERM");
    CHECK(ends(r)[0] == std::pair<int, double>{0, 20.0});
  }
}

TEST_CASE("ContainerStatus stopSignal without a spec value: the image's STOPSIGNAL, else SIGTERM (gate on)") {
  const std::string y =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n"
      "  - name: app\n    image: example.com/app:1.0\n---\napiVersion: podsim/v1alpha1\nkind: Scenario\nspec:\n  duration: 10s\n"
      "  kubelet:\n    featureGates: {ContainerStopSignals: true}\n";
  const auto sc = scenario::loadScenarioString(y, "test.yaml");
  REQUIRE(sc.pods[0].statusStopSignals.size() == 2);
  CHECK(kubelet::stopSignalName(sc.pods[0].statusStopSignals[0]) == "SIGQUIT");
  CHECK(kubelet::stopSignalName(sc.pods[0].statusStopSignals[1]) == "SIGTERM");
}
