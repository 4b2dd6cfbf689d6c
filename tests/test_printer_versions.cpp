// tests/test_printer_versions.cpp: printPod's version differences (printers.go v1.34.3 vs v1.35.4+).
#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "models/kubelet/event_messages.hpp"
#include "models/kubelet/printer.hpp"

using namespace podsim;
using kubelet::KubernetesVersion;
using sim::kSecond;

TEST_CASE("printPod's Completed fix-up: from 1.35 a non-zero exit beside a zero one shows its reason (PR #124766)") {
  struct Case {
    const char* name;
    std::string_view reason;
    bool hasRunning;
    bool podReady;
    std::string_view errorReason;
    int minor;
    std::string_view want;
  };
  const std::vector<Case> cases = {
      {"1.34: Completed and Error, nothing running -> Completed", "Completed", false, false, "Error", 34, "Completed"},
      {"1.35: Completed and Error, nothing running -> Error", "Completed", false, false, "Error", 35, "Error"},
      {"1.37: Completed and OOMKilled -> OOMKilled", "Completed", false, false, "OOMKilled", 37, "OOMKilled"},
      {"1.34: Completed beside a ready running one, pod Ready -> Running", "Completed", true, true, "", 34, "Running"},
      {"1.35: same -> Running", "Completed", true, true, "", 35, "Running"},
      {"1.34: Completed beside running, pod not Ready -> NotReady", "Completed", true, false, "", 34, "NotReady"},
      {"1.35: Completed, Error and running, pod not Ready -> Error", "Completed", true, false, "Error", 35, "Error"},
      {"1.35: Completed, Error and running, pod Ready -> Running", "Completed", true, true, "Error", 35, "Running"},
      {"1.35: all Completed -> Completed", "Completed", false, false, "", 35, "Completed"},
      {"other reasons pass unchanged", "CrashLoopBackOff", true, true, "Error", 37, "CrashLoopBackOff"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(kubelet::printPodCompletedFixup(c.reason, c.hasRunning, c.podReady, c.errorReason,
                                          KubernetesVersion{1, c.minor}) == c.want);
  }
}

TEST_CASE("RESTARTS (Xs ago) counts from finishedAt truncated to whole seconds, as the API stores it") {
  // Exited at 10.7 s, viewed at 20.5 s: the API holds 10 s, so 10.5 s ago -> "10s"; not 9.8 s -> "9s".
  CHECK(kubelet::printPodRestartAge(20 * kSecond + kSecond / 2, 10 * kSecond + 7 * kSecond / 10) ==
        10 * kSecond + kSecond / 2);
  CHECK(kubelet::printPodRestartAge(20 * kSecond, 20 * kSecond) == 0);
  CHECK(kubelet::printPodRestartAge(21 * kSecond, 20 * kSecond + 999'999'999) == kSecond);
}

TEST_CASE("Created and Started Event messages as each version's startContainer writes them (kuberuntime_container.go)") {
  struct Case {
    const char* name;
    int minor;
    kubelet::ContainerEventText want;
  };
  const std::vector<Case> cases = {
      {"1.28: Created container NAME", 28, kubelet::ContainerEventText::NamedNoColon},
      {"1.29: Created container: NAME", 29, kubelet::ContainerEventText::Named},
      {"1.34: Created container: NAME", 34, kubelet::ContainerEventText::Named},
      {"1.35: Container created / Container started", 35, kubelet::ContainerEventText::Plain},
      {"1.37: Container created / Container started", 37, kubelet::ContainerEventText::Plain},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK((kubelet::containerEventText(KubernetesVersion{1, c.minor}) == c.want));
  }
}
