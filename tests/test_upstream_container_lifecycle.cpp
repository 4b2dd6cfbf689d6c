// tests/test_upstream_container_lifecycle.cpp: the upstream kubelet e2e suite
// test/e2e_node/container_lifecycle_test.go (kubernetes v1.37.2, SIGDescribe "Containers Lifecycle"),
// ported to podsim runs. Each TEST_CASE is named after the e2e's When/It path; a ginkgo.Ordered group (one
// pod, several Its reading its log) is one TEST_CASE with one SUBCASE per It. The pods are the e2e's pods:
// each container's execCommand (Delay, ExitCode, StartDelay, TerminationSeconds) becomes its behaviour
// (tests/upstream_support.hpp), and every check is the e2e's own (containerOutputList's StartsBefore,
// ExitsBefore, RunTogether, HasRestarted, ... and the pod status it waits for). Which Its are covered and
// why the others are not: docs/upstream-e2e.md.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "upstream_support.hpp"

using namespace podsim;
using upstream::Exec;
using upstream::PodCase;
using upstream::ctr;
using upstream::sidecar;
using Kind = kubelet::ContainerStateValue::Kind;
using sim::kSecond;

namespace {

#define E2E "e2e_node container_lifecycle: Containers Lifecycle "
// The file's SIGDescribes: "Containers Lifecycle" with NodeConformance (lines 140 and 2169 on), with Serial
// (1712 and 6117 on), and "Not Change Container Status" (6401 on, Serial, feature gate
// ChangeContainerStatusOnKubeletRestart named: its 1.37 default, off, is what it asserts).
#define E2E_SERIAL "e2e_node container_lifecycle: [Serial] Containers Lifecycle "
#define E2E_NOCHANGE "e2e_node container_lifecycle: [Serial] Not Change Container Status "

const char* kBadImage = "invalid.registry.k8s.io/invalid/alpine:3.1";
const std::string kBadImageSpec =
    "  images:\n    \"invalid.registry.k8s.io/invalid/alpine:3.1\": {pullError: ErrImagePull}\n";
const std::string kStartupProbe = "startupProbe: {exec: {command: [test, -f, started]}}";

testing::Run runCase(const PodCase& p) { return testing::run(upstream::yaml(p)); }

/// The image a container's status shows (ContainerStatus.Image), by the scenario's interned names.
std::string imageOf(const testing::Run& r, const kubelet::ApiContainerStatus& s) {
  return s.imageId < 0 ? "" : r.sc.images.at(static_cast<std::size_t>(s.imageId));
}
const char* kNewImage = "busybox:1.37";

}  // namespace

// ---- When Running a pod with init containers and regular containers, restartPolicy=Never ----

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when A pod "
              "initializes successfully should launch init container serially before a regular container") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {ctr("init-1", {.delay = 1}), ctr("init-2", {.delay = 1}), ctr("init-3", {.delay = 1})};
  p.regular = {ctr("regular-1", {.startDelay = 5, .delay = 1}, kStartupProbe)};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));  // WaitTimeoutForPodNoLongerRunning
  CHECK(o.startsBefore("init-1", "init-2"));
  CHECK(o.exitsBefore("init-1", "init-2"));
  CHECK(o.startsBefore("init-2", "init-3"));
  CHECK(o.exitsBefore("init-2", "init-3"));
  CHECK(o.startsBefore("init-3", "regular-1"));
  CHECK(o.exitsBefore("init-3", "regular-1"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when an init "
              "container fails should not launch regular containers if an init container fails") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {ctr("init-1", {.exitCode = 1, .delay = 1})};
  p.regular = {ctr("regular-1", {.delay = 1})};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));  // WaitForPodFailedReason
  CHECK(o.starts("init-1"));
  CHECK(o.exits("init-1"));
  CHECK(o.doesntStart("regular-1"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when The regular "
              "container has a PostStart hook should run Init container to completion before call to PostStart of "
              "regular container") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {ctr("init-1", {.delay = 1})};
  p.regular = {ctr("regular-1", {.delay = 10}, "lifecycle: {postStart: {exec: {command: [sh, -c, 'sleep 1']}}}")};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  CHECK(o.startsBefore("init-1", "PostStart-regular-1"));
  CHECK(o.exitsBefore("init-1", "PostStart-regular-1"));
  CHECK(o.runTogether("regular-1", "PostStart-regular-1"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when running a "
              "Pod with a failed regular container should restart failing container when pod restartPolicy is Always") {
  PodCase p;
  p.restartPolicy = "Always";
  p.regular = {ctr("regular-1", {.exitCode = 1, .delay = 1})};
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "regular-1").restartCount >= 3);  // WaitForPodContainerRestartCount(..., 3, 2m)
  CHECK(o.starts("regular-1"));
  CHECK(o.startsBefore("regular-1", "regular-1"));
  CHECK(o.exitsBefore("regular-1", "regular-1"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when Running a "
              "pod with multiple containers and a PostStart hook should not launch second container before PostStart "
              "of the first container completed") {
  PodCase p;
  p.restartPolicy = "Never";
  p.regular = {ctr("regular-1", {.delay = 10}, "lifecycle: {postStart: {exec: {command: [sh, -c, 'sleep 1']}}}"),
               ctr("regular-2", {.delay = 1})};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(o.startsBefore("PostStart-regular-1", "regular-2"));
  CHECK(o.exitsBefore("PostStart-regular-1", "regular-2"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when have init "
              "container in a Pod with restartPolicy=Never when an init container fails to start because of a bad image") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {ctr("init1-1", {.delay = 600})};
  p.init[0].image = kBadImage;
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.scenarioExtra = kBadImageSpec;
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  SUBCASE("should mark a Pod as failed and produce log") {
    // WaitForPodInitContainerToFail(..., 0, "ImagePullBackOff"): the init container waits in ImagePullBackOff.
    const auto s = upstream::statusOf(r, "init1-1");
    CHECK((s.state.kind == Kind::Waiting));
    CHECK((s.state.reason == api::Reason::ImagePullBackOff));
  }
  SUBCASE("should not start an init container") { CHECK(o.doesntStart("init1-1")); }
  SUBCASE("should not start a regular container") { CHECK(o.doesntStart("regular-1")); }
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when A regular "
              "container restarts with init containers shouldn't restart init containers upon regular container restart") {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = 1}), ctr("init-2", {.delay = 1}), ctr("init-3", {.delay = 1})};
  p.regular = {ctr("regular-1", {.exitCode = 255, .delay = 10})};  // ExitCode -1: exit 255
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "regular-1").restartCount >= 3);
  CHECK(o.startsBefore("init-1", "init-2"));
  CHECK(o.exitsBefore("init-1", "init-2"));
  CHECK(o.startsBefore("init-2", "init-3"));
  CHECK(o.exitsBefore("init-2", "init-3"));
  CHECK(o.startsBefore("init-3", "regular-1"));
  CHECK(o.exitsBefore("init-3", "regular-1"));
  CHECK(o.hasNotRestarted("init-1"));
  CHECK(o.hasNotRestarted("init-2"));
  CHECK(o.hasNotRestarted("init-3"));
  CHECK(o.hasRestarted("regular-1"));
}

namespace {
/// testPod of "a pod cannot terminate gracefully": `sleep 10000` (ignores SIGTERM as PID 1), deleted once
/// Running; the pod must be gone within gracePeriod + 30 s.
sim::Time removalAfterDelete(bool preStop) {
  std::string pod =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: pod-termination-grace-period}\nspec:\n"
      "  terminationGracePeriodSeconds: 30\n  containers:\n  - name: regular1\n    image: busybox:1.36\n"
      "    command: [sleep, \"10000\"]\n";
  if (preStop) pod += "    lifecycle: {preStop: {exec: {command: [sleep, \"10000\"]}}}\n";
  const auto r = testing::run(pod +
                              "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"
                              "  duration: 3m\n  actions:\n  - {at: 10s, deletePod: {pod: pod-termination-grace-period}}\n");
  const report::PodTimeline tl(*r.sim, 0);
  return tl.removedAt();
}
}  // namespace

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when a pod "
              "cannot terminate gracefully should respect termination grace period seconds") {
  const sim::Time removed = removalAfterDelete(false);
  REQUIRE(removed >= 0);
  CHECK(removed <= 10 * kSecond + (30 + 30) * kSecond);  // WaitForPodNotFound(grace + bufferSeconds)
  CHECK(removed >= 10 * kSecond + 30 * kSecond);         // sleep ignores SIGTERM: SIGKILL at the grace period
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when a pod "
              "cannot terminate gracefully should respect termination grace period seconds with long-running preStop hook") {
  const sim::Time removed = removalAfterDelete(true);
  REQUIRE(removed >= 0);
  CHECK(removed <= 10 * kSecond + (30 + 30) * kSecond);
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when A regular "
              "container has a PreStop hook when A regular container fails a startup probe should call the "
              "container's preStop hook and terminate it if its startup probe fails") {
  PodCase p;
  p.restartPolicy = "Never";
  p.regular = {ctr("regular-1", {.delay = 100, .terminationSeconds = 15},
                   "startupProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 10, failureThreshold: 1}\n"
                   "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}",
                   "probes: {startup: {succeedAfter: never}}")};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase != api::PodPhase::Running));  // WaitForPodNoLongerRunning
  CHECK(o.runTogether("regular-1", "PreStop-regular-1"));
  CHECK(o.starts("PreStop-regular-1"));
  CHECK(o.exits("regular-1"));
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Never when A regular "
              "container has a PreStop hook when A regular container fails a liveness probe should call the "
              "container's preStop hook and terminate it if its liveness probe fails") {
  PodCase p;
  p.restartPolicy = "Never";
  p.regular = {ctr("regular-1", {.delay = 100, .terminationSeconds = 15},
                   "livenessProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 10, failureThreshold: 1}\n"
                   "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}",
                   "probes: {liveness: {failAfter: 0s}}")};
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase != api::PodPhase::Running));
  CHECK(o.runTogether("regular-1", "PreStop-regular-1"));
  CHECK(o.starts("PreStop-regular-1"));
  CHECK(o.exits("regular-1"));
}

// ---- When using a Pod with restartPolicy=Never, three init container and two restartable init containers ----

TEST_CASE(E2E "when using a Pod with restartPolicy=Never, three init container and two restartable init containers") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {ctr("init-1", {.delay = 1}), sidecar("restartable-init-1", {.delay = 600}), ctr("init-2", {.delay = 1}),
            sidecar("restartable-init-2", {.delay = 600}), ctr("init-3", {.delay = 1})};
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  SUBCASE("should finish and produce log") { CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded)); }
  SUBCASE("should run the first init container to completion before starting first restartable init container") {
    CHECK(o.startsBefore("init-1", "restartable-init-1"));
    CHECK(o.exitsBefore("init-1", "restartable-init-1"));
  }
  SUBCASE("should run first init container and first restartable init container together") {
    CHECK(o.runTogetherLhsFirst("restartable-init-1", "init-2"));
  }
  SUBCASE("should run second init container to completion before starting second restartable init container") {
    CHECK(o.startsBefore("init-2", "restartable-init-2"));
    CHECK(o.exitsBefore("init-2", "restartable-init-2"));
  }
  SUBCASE("should start second restartable init container before third init container") {
    CHECK(o.startsBefore("restartable-init-2", "init-3"));
  }
  SUBCASE("should run both restartable init containers and third init container together") {
    CHECK(o.runTogether("restartable-init-1", "restartable-init-2"));
    CHECK(o.runTogether("restartable-init-1", "init-3"));
    CHECK(o.runTogether("restartable-init-2", "init-3"));
  }
  SUBCASE("should run third init container to completion before starting regular container") {
    CHECK(o.startsBefore("init-3", "regular-1"));
    CHECK(o.exitsBefore("init-3", "regular-1"));
  }
  SUBCASE("should run both restartable init containers and a regular container together") {
    CHECK(o.runTogether("restartable-init-1", "regular-1"));
    CHECK(o.runTogether("restartable-init-2", "regular-1"));
  }
}

// ---- When using a restartable init container in a Pod with restartPolicy=Never / OnFailure / Always ----
// The three groups build the same pods; what the pod's restartPolicy changes is what the e2e waits for.

namespace {

/// "a restartable init container runs continuously": sidecar (Delay 600), regular (Delay 1, exit 0).
void sidecarRunsContinuously(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {sidecar("restartable-init-1", {.delay = 600})};
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  if (policy == "Always") {
    SUBCASE("should keep running a Pod continuously and produce log") {
      // WaitForPodContainerRestartCount(..., 0, 2, 2m): the regular container restarted twice within 2 min.
      CHECK(upstream::podAt(r, 2 * sim::kMinute).containers.at(1).restartCount >= 2);
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Running));
    }
    SUBCASE("should not restart a restartable init container") { CHECK(o.hasNotRestarted("restartable-init-1")); }
    SUBCASE("should start a regular container") { CHECK(o.starts("regular-1")); }
  } else {
    SUBCASE("should complete a Pod successfully and produce log") {
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
    }
    SUBCASE("should not restart a restartable init container") { CHECK(o.hasNotRestarted("restartable-init-1")); }
    SUBCASE("should run a regular container to completion") { CHECK(o.exits("regular-1")); }
  }
}

/// "a restartable init container fails to start because of a bad image".
void sidecarBadImage(const std::string& policy) {
  PodCase p;
  // Upstream's restartPolicy=Always group builds this pod with RestartPolicyNever (container_lifecycle_test.go
  // line 3722 on); the port keeps that.
  p.restartPolicy = policy == "Always" ? "Never" : policy;
  p.init = {sidecar("restartable-init-1", {.delay = 600})};
  p.init[0].image = kBadImage;
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.scenarioExtra = kBadImageSpec;
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  SUBCASE("the pod waits with the restartable init container in ImagePullBackOff") {
    // "should mark a Pod as failed and produce log" / "should continuously run Pod keeping it Pending and
    // produce log": both wait for WaitForPodInitContainerToFail(..., 0, "ImagePullBackOff"); the pod stays Pending.
    const auto s = upstream::statusOf(r, "restartable-init-1");
    CHECK((s.state.kind == Kind::Waiting));
    CHECK((s.state.reason == api::Reason::ImagePullBackOff));
    CHECK((upstream::podStatus(r).phase == api::PodPhase::Pending));
  }
  SUBCASE("should not start a restartable init container") { CHECK(o.doesntStart("restartable-init-1")); }
  SUBCASE("should not start a regular container") { CHECK(o.doesntStart("regular-1")); }
}

/// "a restartable init container starts and exits with exit code N continuously": sidecar (Delay 5, exit N),
/// init (Delay 5), regular (Delay 60).
void sidecarExitsContinuously(const std::string& policy, int exitCode) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {sidecar("restartable-init-1", {.exitCode = exitCode, .delay = 5}), ctr("init-1", {.delay = 5})};
  p.regular = {ctr("regular-1", {.delay = 60})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  if (policy == "Always") {
    SUBCASE("should keep running a Pod continuously and produce log") {
      // WaitForPodContainerRestartCount(..., 0, 1, 2m) on the regular container (its Delay is 60 s).
      CHECK(upstream::podAt(r, 2 * sim::kMinute + 30 * kSecond).containers.at(2).restartCount >= 1);
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Running));
    }
    SUBCASE("should start a regular container") { CHECK(o.starts("regular-1")); }
  } else {
    SUBCASE("should complete a Pod successfully and produce log") {
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
    }
    SUBCASE("should run a regular container to completion") { CHECK(o.exits("regular-1")); }
  }
  SUBCASE("should restart a restartable init container before the regular container started") {
    CHECK(o.startsBefore("restartable-init-1", "regular-1"));
  }
  SUBCASE("should restart a restartable init container after the regular container started") {
    CHECK(o.startsBefore("regular-1", "restartable-init-1"));
  }
}

/// "an Init container before restartable init container fails": init (Delay 1, exit 1), sidecar, regular.
void initBeforeSidecarFails(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {ctr("init-1", {.exitCode = 1, .delay = 1}), sidecar("restartable-init-1", {.delay = 600})};
  p.regular = {ctr("regular-1", {.delay = 600})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  if (policy == "Never") {
    SUBCASE("should mark a Pod as failed and produce log") {
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));
    }
    SUBCASE("should mark an Init container as failed") { CHECK(o.exits("init-1")); }
  } else {
    SUBCASE("should continuously run Pod keeping it Pending") {
      // WaitForPodCondition(5 min): Pending throughout, until the init container's restartCount >= 3.
      bool reached = false;
      for (sim::Time t = 0; t <= 5 * sim::kMinute && !reached; t += kSecond) {
        const auto at = upstream::podAt(r, t);
        if (!at.exists) continue;
        CHECK((at.status.phase == api::PodPhase::Pending));
        reached = at.containers.at(0).restartCount >= 3;
      }
      CHECK(reached);
    }
    SUBCASE("should have Init container restartCount greater than 0") { CHECK(o.hasRestarted("init-1")); }
  }
  SUBCASE("should not start restartable init container") { CHECK(o.doesntStart("restartable-init-1")); }
}

/// "an Init container after restartable init container fails": sidecar (Delay 5, exit 1), init (Delay 1,
/// exit 1), regular.
void initAfterSidecarFails(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {sidecar("restartable-init-1", {.exitCode = 1, .delay = 5}), ctr("init-1", {.exitCode = 1, .delay = 1})};
  p.regular = {ctr("regular-1", {.delay = 600})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  if (policy == "Never") {
    SUBCASE("should mark a Pod as failed and produce log") {
      CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));
    }
    SUBCASE("should mark an Init container as failed") { CHECK(o.exits("init-1")); }
  } else {
    SUBCASE("should continuously run Pod keeping it Pending") {
      bool reached = false;
      for (sim::Time t = 0; t <= 5 * sim::kMinute && !reached; t += kSecond) {
        const auto at = upstream::podAt(r, t);
        if (!at.exists) continue;
        CHECK((at.status.phase == api::PodPhase::Pending));
        reached = at.containers.at(1).restartCount >= 3;
      }
      CHECK(reached);
    }
    SUBCASE("should have Init container restartCount greater than 0") { CHECK(o.hasRestarted("init-1")); }
  }
  SUBCASE("should be running restartable init container and a failed Init container in parallel") {
    CHECK(o.runTogether("restartable-init-1", "init-1"));
  }
}

}  // namespace

#define SIDECAR_POLICY_GROUP(POLICY, BEFORE)                                                                            \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when a restartable init container runs continuously") {                                         \
    sidecarRunsContinuously(POLICY);                                                                              \
  }                                                                                                               \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when a restartable init container fails to start because of a bad image") {                     \
    sidecarBadImage(POLICY);                                                                                      \
  }                                                                                                               \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when a restartable init container starts and exits with exit code 0 continuously") {            \
    sidecarExitsContinuously(POLICY, 0);                                                                          \
  }                                                                                                               \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when a restartable init container starts and exits with exit code 1 continuously") {            \
    sidecarExitsContinuously(POLICY, 1);                                                                          \
  }                                                                                                               \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when an Init container before restartable init container " BEFORE) {                          \
    initBeforeSidecarFails(POLICY);                                                                               \
  }                                                                                                               \
  TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=" POLICY                    \
                " when an Init container after restartable init container fails") {                               \
    initAfterSidecarFails(POLICY);                                                                                \
  }

SIDECAR_POLICY_GROUP("Never", "fails")
// The OnFailure and Always groups call it "an Init container before restartable init container continuously fails".
SIDECAR_POLICY_GROUP("OnFailure", "continuously fails")
SIDECAR_POLICY_GROUP("Always", "continuously fails")

// ---- When initializing an init container after a restartable init container ----

namespace {
/// init-1 (Delay 1), restartable-init-1 (Delay 600, TerminationSeconds 5), init-2 (Delay 600),
/// restartable-init-2, regular-1; once init-2 runs and is started, restartable-init-1's image changes.
void initAfterRestartableImageUpdate(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  // The Never variant runs init-2 with Delay 30 and ExitCode 1 (container_lifecycle_test.go line 2505), so the
  // pod fails at the end.
  const Exec init2 = policy == "Never" ? Exec{.exitCode = 1, .delay = 30} : Exec{.delay = 600};
  p.init = {ctr("init-1", {.delay = 1}), sidecar("restartable-init-1", {.delay = 600, .terminationSeconds = 5}),
            ctr("init-2", init2), sidecar("restartable-init-2", {.delay = 1, .terminationSeconds = 1})};
  p.regular = {ctr("regular-1", {.delay = 1, .terminationSeconds = 1})};
  p.duration = "2m";
  p.actions = "  - {at: 20s, updateImage: {pod: e2e, container: restartable-init-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  // WaitForPodCondition "the second init container is running but not started", phase Pending, before the update.
  const auto before = upstream::podAt(r, 20 * kSecond - 1);
  CHECK((before.status.phase == api::PodPhase::Pending));
  CHECK((before.containers.at(2).state.kind == Kind::Running));
  CHECK(before.containers.at(2).started);
  // "the restartable init container image changed": running again, restartCount > 0, the new image, within 1 min.
  bool changed = false;
  for (sim::Time t = 20 * kSecond; t <= 80 * kSecond && !changed; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(1);
    changed = s.state.kind == Kind::Running && s.restartCount > 0 && imageOf(r, s) == kNewImage;
  }
  CHECK(changed);
  CHECK(o.startsBefore("init-1", "restartable-init-1"));
  CHECK(o.startsBefore("restartable-init-1", "init-2"));
  CHECK(o.starts("init-1"));
  CHECK(o.starts("restartable-init-1"));
  CHECK(o.starts("init-2"));
  CHECK(o.doesntStart("restartable-init-2"));
  CHECK(o.doesntStart("regular-1"));
  CHECK(o.hasNotRestarted("init-1"));
  CHECK(o.hasNotRestarted("init-2"));
  CHECK(o.hasRestarted("restartable-init-1"));
  if (policy == "Never") {
    // "Waiting for the pod to fail" (WaitForPodTerminatedInNamespace, reason ""), then "terminated init
    // containers in reverse order".
    CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));
    CHECK(o.exits("init-2"));
    CHECK(o.exits("restartable-init-1"));
    CHECK(o.exits("init-1"));
    CHECK(o.exitsBefore("init-2", "restartable-init-1"));
  }
}
}  // namespace

TEST_CASE(E2E "when initializing an init container after a restartable init container Should begin initializing the pod, restartPolicy=Always") {
  initAfterRestartableImageUpdate("Always");
}
TEST_CASE(E2E "when initializing an init container after a restartable init container Should begin initializing the pod, restartPolicy=OnFailure") {
  initAfterRestartableImageUpdate("OnFailure");
}
TEST_CASE(E2E "when initializing an init container after a restartable init container Should begin initializing the pod, restartPolicy=Never") {
  initAfterRestartableImageUpdate("Never");
}

// ---- When running restartable init containers with startup probes / liveness probes ----

TEST_CASE(E2E "when running restartable init containers with startup probes should launch restartable init "
              "containers serially considering the startup probe") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {sidecar("restartable-init-1", {.startDelay = 10, .delay = 600}, kStartupProbe),
            sidecar("restartable-init-2", {.startDelay = 10, .delay = 600}, kStartupProbe)};
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-2"));
  CHECK(o.startsBefore("restartable-init-2", "regular-1"));
}

TEST_CASE(E2E "when running restartable init containers with startup probes when using a PreStop hook should call "
              "the container's preStop hook and not launch next container if the restartable init container's "
              "startup probe fails") {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {sidecar("restartable-init-1", {.delay = 600, .terminationSeconds = 15},
                    "startupProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 5, failureThreshold: 1}\n"
                    "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}",
                    "probes: {startup: {succeedAfter: never}}")};
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "restartable-init-1").restartCount >= 2);  // WaitForPodInitContainerRestartCount(2, 2m)
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Pending));
  CHECK(o.runTogether("restartable-init-1", "PreStop-restartable-init-1"));
  CHECK(o.starts("PreStop-restartable-init-1"));
  CHECK(o.exits("restartable-init-1"));
  CHECK(o.doesntStart("regular-1"));
}

TEST_CASE(E2E "when running restartable init containers with liveness probes should call the container's preStop "
              "hook and start the next container if the restartable init container's liveness probe fails") {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {sidecar("restartable-init-1", {.delay = 600, .terminationSeconds = 15},
                    "livenessProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 5, failureThreshold: 1}\n"
                    "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}",
                    "probes: {liveness: {failAfter: 0s}}")};
  p.regular = {ctr("regular-1", {.delay = 1})};
  p.duration = "2m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "restartable-init-1").restartCount >= 2);
  CHECK(upstream::statusOf(r, "regular-1").restartCount >= 1);
  CHECK(o.runTogether("restartable-init-1", "PreStop-restartable-init-1"));
  CHECK(o.starts("PreStop-restartable-init-1"));
  CHECK(o.exits("restartable-init-1"));
  CHECK(o.starts("regular-1"));
}

// ---- When A pod with restartable init containers is terminating ----

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The containers exit successfully "
              "should terminate sidecars in reverse order after all main containers have exited") {
  PodCase p;
  p.restartPolicy = "Never";
  p.init = {sidecar("restartable-init-1", {.delay = 60, .terminationSeconds = 5}),
            sidecar("restartable-init-2", {.delay = 60, .terminationSeconds = 5}),
            sidecar("restartable-init-3", {.delay = 60, .terminationSeconds = 5})};
  p.regular = {ctr("regular-1", {.delay = 5})};
  p.duration = "5m";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  for (const char* n : {"restartable-init-1", "restartable-init-2", "restartable-init-3"}) {
    CAPTURE(n);
    const auto s = upstream::statusOf(r, n);
    CHECK((s.state.kind == Kind::Terminated));
    CHECK(s.state.exitCode == 0);
    CHECK((s.state.reason == api::Reason::Completed));
  }
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-2"));
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-2", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-1", "regular-1"));
  CHECK(o.startsBefore("restartable-init-2", "regular-1"));
  CHECK(o.startsBefore("restartable-init-3", "regular-1"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-1"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-2"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-3"));
  CHECK(o.exitsBefore("restartable-init-3", "restartable-init-2"));
  CHECK(o.exitsBefore("restartable-init-2", "restartable-init-1"));
}

namespace {
/// The pod of "The PreStop hooks don't exit" and "have multiple PreStop hooks": three sidecars (Delay 60,
/// TerminationSeconds 5) with a preStop hook each, and regular-1 (Delay 5); restartPolicy Never.
PodCase threeSidecarsWithPreStop(const std::string& preStopBehaviour) {
  PodCase p;
  p.restartPolicy = "Never";
  const std::string hook = "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}";
  for (const char* n : {"restartable-init-1", "restartable-init-2", "restartable-init-3"})
    p.init.push_back(sidecar(n, {.delay = 60, .terminationSeconds = 5}, hook, "hooks: {preStop: " + preStopBehaviour + "}"));
  p.regular = {ctr("regular-1", {.delay = 5})};
  p.duration = "5m";
  return p;
}
}  // namespace

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The PreStop hooks don't exit should "
              "terminate sidecars simultaneously if prestop doesn't exit") {
  const auto r = runCase(threeSidecarsWithPreStop("{duration: never}"));
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  for (const char* n : {"restartable-init-1", "restartable-init-2", "restartable-init-3"}) {
    CAPTURE(n);
    const auto s = upstream::statusOf(r, n);
    CHECK((s.state.kind == Kind::Terminated));
    CHECK(s.state.exitCode == 137);
    CHECK((s.state.reason == api::Reason::Error));
  }
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-2"));
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-2", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-1", "regular-1"));
  CHECK(o.startsBefore("restartable-init-2", "regular-1"));
  CHECK(o.startsBefore("restartable-init-3", "regular-1"));
  // TimeOfStart of each preStop, and its last loop: the hook loops until its container is killed (SIGKILL,
  // the container's finishedAt): all three at once (± 1 s), each ~32 s after it began (± 1.5 s): the 30 s
  // grace period, then the 2 s minimum grace the kubelet gives after a preStop that overran
  // (kuberuntime_container.go killContainer, minimumGracePeriodInSeconds).
  const sim::Time ps1 = o.timeOf("PreStop-restartable-init-1", "Starting");
  const sim::Time ps2 = o.timeOf("PreStop-restartable-init-2", "Starting");
  const sim::Time ps3 = o.timeOf("PreStop-restartable-init-3", "Starting");
  REQUIRE(ps1 >= 0);
  REQUIRE(ps2 >= 0);
  REQUIRE(ps3 >= 0);
  const sim::Time l1 = upstream::statusOf(r, "restartable-init-1").state.finishedAt;
  const sim::Time l2 = upstream::statusOf(r, "restartable-init-2").state.finishedAt;
  const sim::Time l3 = upstream::statusOf(r, "restartable-init-3").state.finishedAt;
  const sim::Time ms = sim::kSecond / 1000;
  CHECK(std::llabs(l1 - l2) <= 1000 * ms);
  CHECK(std::llabs(l1 - l3) <= 1000 * ms);
  CHECK(std::llabs(l2 - l3) <= 1000 * ms);
  CHECK(std::llabs((l1 - ps1) - 32000 * ms) <= 1500 * ms);
  CHECK(std::llabs((l2 - ps2) - 32000 * ms) <= 1500 * ms);
  CHECK(std::llabs((l3 - ps3) - 32000 * ms) <= 1500 * ms);
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when the restartable init containers have "
              "multiple PreStop hooks should call sidecar container PreStop hook simultaneously") {
  const auto r = runCase(threeSidecarsWithPreStop("{duration: 1s}"));
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  for (const char* n : {"restartable-init-1", "restartable-init-2", "restartable-init-3"}) {
    CAPTURE(n);
    const auto s = upstream::statusOf(r, n);
    CHECK((s.state.kind == Kind::Terminated));
    CHECK(s.state.exitCode == 0);
    CHECK((s.state.reason == api::Reason::Completed));
  }
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-2"));
  CHECK(o.startsBefore("restartable-init-1", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-2", "restartable-init-3"));
  CHECK(o.startsBefore("restartable-init-1", "regular-1"));
  CHECK(o.startsBefore("restartable-init-2", "regular-1"));
  CHECK(o.startsBefore("restartable-init-3", "regular-1"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-1"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-2"));
  CHECK(o.exitsBefore("regular-1", "restartable-init-3"));
  CHECK(o.exitsBefore("restartable-init-3", "restartable-init-2"));
  CHECK(o.exitsBefore("restartable-init-2", "restartable-init-1"));
  const sim::Time ps1 = o.timeOf("PreStop-restartable-init-1", "Starting");
  const sim::Time ps2 = o.timeOf("PreStop-restartable-init-2", "Starting");
  const sim::Time ps3 = o.timeOf("PreStop-restartable-init-3", "Starting");
  REQUIRE(ps1 >= 0);
  REQUIRE(ps2 >= 0);
  REQUIRE(ps3 >= 0);
  const sim::Time ms = sim::kSecond / 1000;
  CHECK(std::llabs(ps1 - ps2) <= 1000 * ms);
  CHECK(std::llabs(ps1 - ps3) <= 1000 * ms);
  CHECK(std::llabs(ps2 - ps3) <= 1000 * ms);
}

// ---- The pod is deleted (grace period G) once Running; the e2e's finalizer keeps the object, so the test
// reads the final status: here the status the kubelet last wrote before the pod's removal. ----

namespace {
struct Term {
  int terminationSeconds;
  int preStopSeconds = -1;  // -1: no preStop hook
  bool preStopFails = false;
  int exitCode = 0;
};
/// restartable-init-1..3 and regular-1 (Delay 600 each), deleted at 20 s with gracePeriodSeconds `grace`.
testing::Run deletedWith(int grace, const std::vector<Term>& t) {
  PodCase p;
  p.restartPolicy = "Never";
  p.terminationGracePeriodSeconds = grace;
  auto make = [&](const std::string& name, const Term& x, bool restartable) {
    std::string extra, behaviour;
    if (x.preStopSeconds >= 0) {
      extra = "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep " + std::to_string(x.preStopSeconds) + "']}}}";
      behaviour = "hooks: {preStop: {duration: " + std::to_string(x.preStopSeconds) + "s" +
                  (x.preStopFails ? ", fails: true" : "") + "}}";
    }
    Exec e{.exitCode = x.exitCode, .delay = 600, .terminationSeconds = x.terminationSeconds};
    return restartable ? sidecar(name, e, extra, behaviour) : ctr(name, e, extra, behaviour);
  };
  p.init = {make("restartable-init-1", t[0], true), make("restartable-init-2", t[1], true),
            make("restartable-init-3", t[2], true)};
  p.regular = {make("regular-1", t[3], false)};
  p.duration = "3m";
  p.actions = "  - {at: 20s, deletePod: {pod: e2e, gracePeriodSeconds: " + std::to_string(grace) + "}}\n";
  return runCase(p);
}
/// expectPodTerminationContainerStatuses: each container terminated with this exit code and reason.
void expectTerminated(const testing::Run& r, const std::vector<std::pair<const char*, int>>& want) {
  for (const auto& [name, code] : want) {
    CAPTURE(name);
    const auto s = upstream::statusOf(r, name);
    CHECK((s.state.kind == Kind::Terminated));
    CHECK(s.state.exitCode == code);
    CHECK((s.state.reason == (code == 0 ? api::Reason::Completed : api::Reason::Error)));
  }
}
}  // namespace

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The restartable init containers exit "
              "with non-zero exit code should mark pod as succeeded if any of the restartable init containers have "
              "terminated with non-zero exit code") {
  const auto r = deletedWith(30, {{1}, {1, -1, false, 1}, {1}, {1}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  expectTerminated(r, {{"regular-1", 0}, {"restartable-init-1", 0}, {"restartable-init-2", 1}, {"restartable-init-3", 0}});
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The restartable init containers exit "
              "with non-zero exit code by prestop hook should mark pod as succeeded if any of the restartable init "
              "containers have terminated with non-zero exit code by prestop hook") {
  const auto r = deletedWith(30, {{1, 1}, {1, 1, true}, {1, 1}, {1}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  expectTerminated(r, {{"regular-1", 0}, {"restartable-init-1", 0}, {"restartable-init-2", 0}, {"restartable-init-3", 0}});
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The regular container has exceeded "
              "its termination grace period seconds should mark pod as failed if regular container has exceeded its "
              "termination grace period seconds") {
  const auto r = deletedWith(5, {{20}, {1}, {20}, {20}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));
  expectTerminated(r, {{"regular-1", 137}, {"restartable-init-1", 137}, {"restartable-init-2", 0}, {"restartable-init-3", 137}});
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The restartable init containers have "
              "exceeded its termination grace period seconds should mark pod as succeeded if any of the restartable "
              "init containers have exceeded its termination grace period seconds") {
  const auto r = deletedWith(5, {{1}, {20}, {1}, {1}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  expectTerminated(r, {{"regular-1", 0}, {"restartable-init-1", 0}, {"restartable-init-2", 137}, {"restartable-init-3", 0}});
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The regular containers have exceeded "
              "its termination grace period seconds by prestop hook should mark pod as failed if any of the prestop "
              "hook in regular container has exceeded its termination grace period seconds") {
  const auto r = deletedWith(5, {{1}, {20}, {1}, {20, 20}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Failed));
  expectTerminated(r, {{"regular-1", 137}, {"restartable-init-1", 0}, {"restartable-init-2", 137}, {"restartable-init-3", 0}});
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when The restartable init containers have "
              "exceeded its termination grace period seconds by prestop hook should mark pod as succeeded if any of "
              "the prestop hook in restartable init containers have exceeded its termination grace period seconds") {
  const auto r = deletedWith(5, {{1, 1}, {20, 30}, {1, 1}, {1}});
  CHECK((upstream::podStatus(r).phase == api::PodPhase::Succeeded));
  expectTerminated(r, {{"regular-1", 0}, {"restartable-init-1", 0}, {"restartable-init-2", 137}, {"restartable-init-3", 0}});
}

// ---- When A node reboots / The kubelet restarts ----

namespace {
/// FindIndex(name, "Started", 0) and the next "Started" after it (the restart after the reboot).
struct StartedTwice {
  int first;
  int again;
};
StartedTwice startedTwice(const upstream::Outputs& o, const std::string& n) {
  const int a = o.find(n, "Started");
  return {a, a == -1 ? -1 : o.find(n, "Started", a + 1)};
}
/// The node reboot of the e2e: the kubelet stopped, the pod sandbox stopped, the kubelet started again;
/// in podsim rebootNode (every container and the sandbox die at once, the kubelet comes back).
const std::string kReboot = "  - {at: 40s, rebootNode: {node: node-1}}\n";
}  // namespace

TEST_CASE(E2E_SERIAL "when A node reboots should restart the containers in right order after the node reboot") {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = 5}), ctr("init-2", {.delay = 5}), ctr("init-3", {.delay = 5})};
  p.regular = {ctr("regular-1", {.delay = 30})};
  p.duration = "4m";
  p.actions = kReboot;
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "regular-1").restartCount >= 2);  // "re-initialized": RestartCount >= 2
  const auto i1 = startedTwice(o, "init-1"), i2 = startedTwice(o, "init-2"), i3 = startedTwice(o, "init-3"),
             r1 = startedTwice(o, "regular-1");
  REQUIRE(i1.again != -1);
  REQUIRE(i2.again != -1);
  REQUIRE(i3.again != -1);
  REQUIRE(r1.again != -1);
  CHECK(i1.first < i2.first);
  CHECK(i2.first < i3.first);
  CHECK(i3.first < r1.first);
  CHECK(i1.again < i2.again);
  CHECK(i2.again < i3.again);
  CHECK(i3.again < r1.again);
}

TEST_CASE(E2E_SERIAL "when A node running restartable init containers reboots should restart the containers in right "
              "order after the node reboot") {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = 5}), sidecar("restartable-init-2", {.delay = 300}), ctr("init-3", {.delay = 5})};
  p.regular = {ctr("regular-1", {.delay = 300})};
  p.duration = "4m";
  p.actions = kReboot;
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::statusOf(r, "init-1").restartCount >= 1);
  const auto i1 = startedTwice(o, "init-1"), s2 = startedTwice(o, "restartable-init-2"), i3 = startedTwice(o, "init-3"),
             r1 = startedTwice(o, "regular-1");
  REQUIRE(i1.again != -1);
  REQUIRE(s2.again != -1);
  REQUIRE(i3.again != -1);
  REQUIRE(r1.again != -1);
  CHECK(i1.first < s2.first);
  CHECK(s2.first < i3.first);
  CHECK(i3.first < r1.first);
  CHECK(i1.again < s2.again);
  CHECK(s2.again < i3.again);
  CHECK(i3.again < r1.again);
}

namespace {
/// "a Pod is initialized and running" (inits Delay 1, regular Delay 300) or "a Pod is initializing the
/// long-running init container" (init-3 Delay 300): the kubelet stopped at 30 s, optionally the completed
/// init containers removed from the runtime, the kubelet started at 40 s; then for 1 min no completed init
/// container restarts.
void kubeletRestartKeepsCompletedInits(bool longRunningInit, bool removeStatuses) {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = 1}), ctr("init-2", {.delay = 1}), ctr("init-3", {.delay = longRunningInit ? 300 : 1})};
  p.regular = {ctr("regular-1", {.delay = 300})};
  p.duration = "2m";
  p.actions = "  - {at: 30s, stopKubelet: {node: node-1}}\n";
  if (removeStatuses) p.actions += "  - {at: 35s, removeExitedContainers: {pod: e2e}}\n";
  p.actions += "  - {at: 40s, startKubelet: {node: node-1}}\n";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  // Consistently for 1 min after the restart: no init container terminated with 0 has restartCount > 0.
  for (sim::Time t = 40 * kSecond; t <= 100 * kSecond; t += kSecond) {
    const auto at = upstream::podAt(r, t);
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& s = at.containers.at(i);
      if (s.state.kind == Kind::Terminated && s.state.exitCode == 0) CHECK(s.restartCount == 0);
    }
  }
  const auto end = upstream::podAt(r, 100 * kSecond);
  const std::size_t completed = longRunningInit ? 2 : 3;
  for (std::size_t i = 0; i < completed; ++i) CHECK(end.containers.at(i).restartCount == 0);
  if (!longRunningInit && !removeStatuses) {
    CHECK(o.startsBefore("init-1", "init-2"));
    CHECK(o.exitsBefore("init-1", "init-2"));
    CHECK(o.startsBefore("init-2", "init-3"));
    CHECK(o.exitsBefore("init-2", "init-3"));
  }
  if (!longRunningInit && removeStatuses) CHECK((end.containers.at(3).state.kind == Kind::Running));
}
}  // namespace

TEST_CASE(E2E_SERIAL "when The kubelet restarts when a Pod is initialized and running should not restart any completed "
              "init container after the kubelet restart") {
  kubeletRestartKeepsCompletedInits(false, false);
}
TEST_CASE(E2E_SERIAL "when The kubelet restarts when a Pod is initialized and running should not restart any completed "
              "init container, even after the completed init container statuses have been removed and the kubelet restarted") {
  kubeletRestartKeepsCompletedInits(false, true);
}
TEST_CASE(E2E_SERIAL "when The kubelet restarts when a Pod is initializing the long-running init container should not "
              "restart any completed init container after the kubelet restart") {
  kubeletRestartKeepsCompletedInits(true, false);
}
TEST_CASE(E2E_SERIAL "when The kubelet restarts when a Pod is initializing the long-running init container should not "
              "restart any completed init container, even after the completed init container statuses have been "
              "removed and the kubelet restarted") {
  kubeletRestartKeepsCompletedInits(true, true);
}

TEST_CASE(E2E "when A restartable init container with startup probe fails initially should continue probing and "
              "allow regular container to start after the restartable init container recovers") {
  // The first run finds no marker file and exits 1; the second runs 120 s. Both startup probes are /bin/true.
  const auto r = testing::run(R"(apiVersion: v1
kind: Pod
metadata: {name: restartable-init-startup-probe-fix}
spec:
  restartPolicy: Never
  initContainers:
  - name: buggy-restartable-init
    image: busybox:1.36
    restartPolicy: Always
    startupProbe: {initialDelaySeconds: 3, periodSeconds: 2, failureThreshold: 10, exec: {command: [/bin/true]}}
  containers:
  - name: regular-container
    image: registry.k8s.io/pause:3.10
    startupProbe: {initialDelaySeconds: 5, periodSeconds: 5, exec: {command: [/bin/true]}}
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  duration: 5m
  behaviors:
    restartable-init-startup-probe-fix:
      buggy-restartable-init:
        attempts: [{run: 0s, exitCode: 1}, {run: 120s}]
)");
  sim::Time restarted = -1, runningAgain = -1, regularRunning = -1;
  for (sim::Time t = 0; t <= 5 * sim::kMinute; t += 100 * sim::kSecond / 1000) {
    const auto at = upstream::podAt(r, t);
    if (!at.exists) continue;
    if (restarted < 0 && at.containers.at(0).restartCount > 0) restarted = t;
    if (restarted >= 0 && runningAgain < 0 && at.containers.at(0).state.kind == Kind::Running) runningAgain = t;
    if (regularRunning < 0 && at.containers.at(1).state.kind == Kind::Running) regularRunning = t;
  }
  REQUIRE(restarted >= 0);
  CHECK(restarted <= 90 * kSecond);                 // "restartable init restarted" within 90 s
  REQUIRE(runningAgain >= 0);
  CHECK(runningAgain - restarted <= 90 * kSecond);  // "restartable init running" within 90 s more
  REQUIRE(regularRunning >= 0);
  CHECK(regularRunning - runningAgain <= 120 * kSecond);  // "regular container running" within 120 s more
}

// ---- When A pod is running only regular containers ----

namespace {

/// "the regular container has its image updated": two containers (Delay 60, pull Always); once Running,
/// regular-1's image changes; within 20 s it runs again with the new image and restartCount > 0, and
/// regular-2 runs without a restart.
void validImageUpdateTest(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.regular = {ctr("regular-1", {.delay = 60}, "imagePullPolicy: Always"),
               ctr("regular-2", {.delay = 60}, "imagePullPolicy: Always")};
  p.duration = "1m";
  p.actions = "  - {at: 10s, updateImage: {pod: e2e, container: regular-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK((upstream::podAt(r, 10 * kSecond - 1).status.phase == api::PodPhase::Running));
  bool restarted = false;
  for (sim::Time t = 10 * kSecond; t <= 30 * kSecond && !restarted; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    restarted = s.state.kind == Kind::Running && imageOf(r, s) == kNewImage && s.restartCount > 0;
  }
  CHECK(restarted);
  const auto other = upstream::podAt(r, 40 * kSecond).containers.at(1);
  CHECK((other.state.kind == Kind::Running));
  CHECK(other.restartCount < 1);
}

/// "the regular container has its image updated during initialization": init-1 (Delay 60), regular-1 and
/// regular-2 (Delay 10); regular-1's image changes while init-1 runs: no regular container starts during
/// the next 50 s; then within 1 min both run once (restartCount 0), regular-1 with the new image.
void regularContainerImgUpdateInitTest(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {ctr("init-1", {.delay = 60})};
  p.regular = {ctr("regular-1", {.delay = 10, .terminationSeconds = 1}),
               ctr("regular-2", {.delay = 10, .terminationSeconds = 1})};
  p.duration = "3m";
  p.actions = "  - {at: 5s, updateImage: {pod: e2e, container: regular-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  const auto before = upstream::podAt(r, 5 * kSecond - 1);
  CHECK((before.status.phase == api::PodPhase::Pending));
  CHECK((before.containers.at(0).state.kind == Kind::Running));
  for (sim::Time t = 5 * kSecond; t <= 55 * kSecond; t += kSecond) {
    const auto at = upstream::podAt(r, t);
    CAPTURE(t);
    CHECK((at.status.phase == api::PodPhase::Pending));
    for (std::size_t i = 1; i < 3; ++i) {
      CHECK(at.containers.at(i).restartCount == 0);
      CHECK((at.containers.at(i).state.kind != Kind::Running));
    }
  }
  bool ranOnce = false;
  for (sim::Time t = 55 * kSecond; t <= 115 * kSecond && !ranOnce; t += kSecond / 10) {
    const auto at = upstream::podAt(r, t);
    if (at.status.phase != api::PodPhase::Running) continue;
    bool ok = true;
    for (std::size_t i = 1; i < 3; ++i)
      ok = ok && at.containers.at(i).restartCount == 0 && at.containers.at(i).state.kind == Kind::Running;
    ranOnce = ok && imageOf(r, at.containers.at(1)) == kNewImage;
  }
  CHECK(ranOnce);
}
}  // namespace

TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated should "
              "successfully restart when the image is updated, restartPolicy=Always") {
  validImageUpdateTest("Always");
}
TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated should "
              "successfully restart when the image is updated and restartPolicy=OnFailure") {
  validImageUpdateTest("OnFailure");
}
TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated should "
              "successfully restart when the image is updated and restartPolicy=Never") {
  validImageUpdateTest("Never");
}
TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated during "
              "initialization Should not start a regular container, restartPolicy=Always") {
  regularContainerImgUpdateInitTest("Always");
}
TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated during "
              "initialization Should not start a regular container, restartPolicy=OnFailure") {
  regularContainerImgUpdateInitTest("OnFailure");
}
TEST_CASE(E2E "when A pod is running only regular containers when the regular container has its image updated during "
              "initialization Should not start a regular container, restartPolicy=Never") {
  regularContainerImgUpdateInitTest("Never");
}

// ---- [Serial] When a Pod is running / with a restartable init container / transitions from Ready to NotReady
// before kubelet restart: a kubelet restart must not change the containers' started/ready/restartCount ----

namespace {
enum class Probes { None, Startup, Readiness, Both };
std::string probeYaml(Probes p) {
  const std::string s = "startupProbe: {exec: {command: [/bin/true]}, initialDelaySeconds: 1, periodSeconds: 1}";
  const std::string r = "readinessProbe: {exec: {command: [cat, /tmp/ready]}, initialDelaySeconds: 1, periodSeconds: 1}";
  switch (p) {
    case Probes::None: return "";
    case Probes::Startup: return s;
    case Probes::Readiness: return r;
    case Probes::Both: return s + "\n" + r;
  }
  return "";
}
/// The pod runs `sleep 3600` containers (`regular` of them, or one sidecar with the probes and one plain
/// regular container); once Ready (and, with `notReady`, NotReady after the readiness file is removed at
/// 15 s: `failAfter`), 11 s later the kubelet stops and starts (mustStopKubelet, restartKubelet: at 40 s and
/// 41 s); for the next 5 s every status the API holds keeps phase Running, restartCount 0, started true and
/// ready as before, for the watched containers (all regular ones; the sidecar in the sidecar group).
void testKubeletRestart(Probes probes, int regular, bool sidecarGroup, bool notReady) {
  PodCase p;
  p.restartPolicy = "Always";
  const std::string behaviour = notReady ? "probes: {readiness: {failAfter: 15s}}" : "";
  if (sidecarGroup) {
    p.init = {sidecar("restartable-init", {.loopForever = true}, probeYaml(probes), behaviour)};
    p.regular = {ctr("container", {.loopForever = true})};
  } else {
    for (int i = 0; i < regular; ++i)
      p.regular.push_back(ctr("container" + (regular > 1 ? std::to_string(i + 1) : std::string()), {.loopForever = true},
                              probeYaml(probes), behaviour));
  }
  p.duration = "2m";
  p.actions = "  - {at: 40s, stopKubelet: {node: node-1}}\n  - {at: 41s, startKubelet: {node: node-1}}\n";
  const auto r = runCase(p);
  std::vector<std::size_t> watched;
  if (sidecarGroup) watched = {0};
  else for (int i = 0; i < regular; ++i) watched.push_back(static_cast<std::size_t>(i));
  // WaitForPodCondition "PodReady" (and "PodNotReady"), then the statuses before the restart.
  const auto ready = upstream::podAt(r, 10 * kSecond);
  CHECK((ready.status.phase == api::PodPhase::Running));
  CHECK(ready.status.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)].status);
  const auto before = upstream::podAt(r, 39 * kSecond);
  if (notReady) CHECK_FALSE(before.status.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)].status);
  for (sim::Time t = 39 * kSecond; t <= 46 * kSecond; t += kSecond / 10) {
    const auto at = upstream::podAt(r, t);
    CAPTURE(t);
    CHECK((at.status.phase == api::PodPhase::Running));
    for (std::size_t i : watched) {
      CAPTURE(i);
      const auto& s = at.containers.at(i);
      CHECK(s.restartCount == 0);
      CHECK(s.started);
      CHECK(s.ready == !notReady);
    }
  }
}
}  // namespace

TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has no probe") { testKubeletRestart(Probes::None, 1, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has startupProbe") { testKubeletRestart(Probes::Startup, 1, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has readinessProbe") { testKubeletRestart(Probes::Readiness, 1, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has startupProbe and readinessProbe") { testKubeletRestart(Probes::Both, 1, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has multiple containers") { testKubeletRestart(Probes::None, 2, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has multiple containers with startupProbes") { testKubeletRestart(Probes::Startup, 2, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has multiple containers with readinessProbes") { testKubeletRestart(Probes::Readiness, 2, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running should not affect pod status when pod has multiple containers with startup and readiness probes") { testKubeletRestart(Probes::Both, 2, false, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running with a restartable init container should not affect pod status when restartable init container has no probe") { testKubeletRestart(Probes::None, 1, true, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running with a restartable init container should not affect pod status when restartable init container has startupProbe") { testKubeletRestart(Probes::Startup, 1, true, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running with a restartable init container should not affect pod status when restartable init container has readinessProbe") { testKubeletRestart(Probes::Readiness, 1, true, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod is running with a restartable init container should not affect pod status when restartable init container has startupProbe and readinessProbe") { testKubeletRestart(Probes::Both, 1, true, false); }
TEST_CASE(E2E_NOCHANGE "when a Pod transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when pod has readinessProbe") { testKubeletRestart(Probes::Readiness, 1, false, true); }
TEST_CASE(E2E_NOCHANGE "when a Pod transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when pod has startupProbe and readinessProbe") { testKubeletRestart(Probes::Both, 1, false, true); }
TEST_CASE(E2E_NOCHANGE "when a Pod transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when pod has multiple containers with readinessProbes") { testKubeletRestart(Probes::Readiness, 2, false, true); }
TEST_CASE(E2E_NOCHANGE "when a Pod transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when pod has multiple containers with startup and readiness probes") { testKubeletRestart(Probes::Both, 2, false, true); }
TEST_CASE(E2E_NOCHANGE "when a Pod with a restartable init container transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when restartable init container has readinessProbe") { testKubeletRestart(Probes::Readiness, 1, true, true); }
TEST_CASE(E2E_NOCHANGE "when a Pod with a restartable init container transitions from Ready to NotReady before kubelet restart should not affect NotReady pod status when restartable init container has startupProbe and readinessProbe") { testKubeletRestart(Probes::Both, 1, true, true); }

// ---- Image updates of init containers and sidecars ----

namespace {
/// "the init container is updated with a new image": init-1 (Delay 1 or 20), regular-1 (Delay 20, exit 0 or
/// 255); once Running, init-1's image changes (`image`); within 30 s init-1 shows terminated with 0, its old
/// image and restartCount 0, and never ran again.
void initImageUpdatedAfterFinishing(int initDelay, int regularExit, const std::string& image, const std::string& extra) {
  PodCase p;
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = initDelay})};
  p.regular = {ctr("regular-1", {.exitCode = regularExit, .delay = 20})};
  p.duration = "2m";
  p.scenarioExtra = extra;
  p.actions = "  - {at: 30s, updateImage: {pod: e2e, container: init-1, image: \"" + image + "\"}}\n";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podAt(r, 30 * kSecond - 1).status.phase == api::PodPhase::Running));  // WaitForPodNameRunning
  bool regularly = false;
  for (sim::Time t = 30 * kSecond; t <= 60 * kSecond && !regularly; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    regularly = s.state.kind == Kind::Terminated && s.state.exitCode == 0 && imageOf(r, s) != image && s.restartCount < 1;
  }
  CHECK(regularly);
  CHECK(o.hasNotRestarted("init-1"));
}

/// "a restartable init container runs continuously / should restart when updated with a new image":
/// restartable-init-1 and -2 (Delay 600), regular-1 (Delay `regularDelay`); once Running, restartable-init-1's
/// image changes; it runs again with the new image; restartable-init-2 (and, but for Always, regular-1) never
/// restarted.
void sidecarImageUpdate(const std::string& policy, int regularDelay) {
  PodCase p;
  p.restartPolicy = policy;
  p.init = {sidecar("restartable-init-1", {.delay = 600}), sidecar("restartable-init-2", {.delay = 600})};
  p.regular = {ctr("regular-1", {.delay = regularDelay})};
  p.duration = "3m";
  p.actions = "  - {at: 5s, updateImage: {pod: e2e, container: restartable-init-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK((upstream::podAt(r, 5 * kSecond - 1).status.phase == api::PodPhase::Running));
  if (policy == "Always")  // WaitForPodContainerRestartCount(..., 0, 2, 2m)
    CHECK(upstream::podAt(r, 2 * sim::kMinute + 5 * kSecond).containers.at(2).restartCount >= 2);
  bool updated = false;
  for (sim::Time t = 5 * kSecond; t <= 2 * sim::kMinute + 5 * kSecond && !updated; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    updated = s.state.kind == Kind::Running && imageOf(r, s) == kNewImage;
  }
  CHECK(updated);
  if (policy != "Always") CHECK(o.hasNotRestarted("regular-1"));
  CHECK(o.hasRestarted("restartable-init-1"));
  CHECK(o.hasNotRestarted("restartable-init-2"));
}
}  // namespace

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Always when the init "
              "container is updated with a new image should not restart init container when updated with a new image after finishing") {
  initImageUpdatedAfterFinishing(1, 0, "busybox:1.37", "");
}
TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Always when the init "
              "container is updated with a new image should not restart the init container if the image is updated during initialization") {
  initImageUpdatedAfterFinishing(20, 255, kBadImage, kBadImageSpec);
}
TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=Never when a restartable init "
              "container runs continuously should restart when updated with a new image") {
  sidecarImageUpdate("Never", 60);
}
TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=OnFailure when a restartable init "
              "container runs continuously should restart when updated with a new image") {
  sidecarImageUpdate("OnFailure", 30);
}
TEST_CASE(E2E "when using a restartable init container in a Pod with restartPolicy=Always when a restartable init "
              "container runs continuously should restart when updated with a new image") {
  sidecarImageUpdate("Always", 10);
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when Restartable init containers are "
              "terminated during initialization should not hang in termination if terminated during initialization") {
  PodCase p;
  p.name = "dont-hang-if-terminated-in-init";
  p.restartPolicy = "Never";
  const std::string hook = "lifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}";
  p.init = {ctr("start-init", {.delay = 300, .terminationSeconds = 0}),
            sidecar("restartable-init-1", {.delay = 60, .terminationSeconds = 5}, hook, "hooks: {preStop: {duration: 1s}}"),
            sidecar("restartable-init-2", {.delay = 60, .terminationSeconds = 5}, hook, "hooks: {preStop: {duration: 1s}}"),
            sidecar("restartable-init-3", {.delay = 60, .terminationSeconds = 5}, hook, "hooks: {preStop: {duration: 1s}}")};
  p.regular = {ctr("regular-1", {.delay = 5})};
  p.duration = "2m";
  p.actions = "  - {at: 10s, deletePod: {pod: dont-hang-if-terminated-in-init, gracePeriodSeconds: 3}}\n";
  const auto r = runCase(p);
  // "pod pending and init running": start-init started and running, the pod Pending, before the deletion.
  const auto before = upstream::podAt(r, 10 * kSecond - 1);
  CHECK((before.status.phase == api::PodPhase::Pending));
  CHECK((before.containers.at(0).state.kind == Kind::Running));
  CHECK(before.containers.at(0).started);
  const report::PodTimeline tl(*r.sim, 0);
  REQUIRE(tl.removedAt() >= 0);
  CHECK(tl.removedAt() - 10 * kSecond < (3 + 2) * kSecond);  // deleted in < grace + 2 s
}

TEST_CASE(E2E "when A pod with restartable init containers is terminating when there is a non-started restartable "
              "init container should terminate restartable init containers gracefully if there is a non-started "
              "restartable init container") {
  PodCase p;
  p.name = "terminate-restartable-init-gracefully";
  p.restartPolicy = "Never";
  p.terminationGracePeriodSeconds = 180;
  p.init = {ctr("init-1", {.delay = 1, .terminationSeconds = 5}),
            sidecar("restartable-init-2", {.delay = 600, .terminationSeconds = 1},
                    "startupProbe: {exec: {command: [\"false\"]}, failureThreshold: 600}",
                    "probes: {startup: {succeedAfter: never}}"),
            sidecar("restartable-init-3", {.delay = 600, .terminationSeconds = 1})};
  p.regular = {ctr("regular-1", {.delay = 600, .terminationSeconds = 1})};
  p.duration = "5m";
  p.actions = "  - {at: 20s, deletePod: {pod: terminate-restartable-init-gracefully, gracePeriodSeconds: 180}}\n";
  const auto r = runCase(p);
  // "the second init container is running but not started", the pod Pending.
  const auto before = upstream::podAt(r, 20 * kSecond - 1);
  CHECK((before.status.phase == api::PodPhase::Pending));
  CHECK((before.containers.at(1).state.kind == Kind::Running));
  CHECK_FALSE(before.containers.at(1).started);
  const report::PodTimeline tl(*r.sim, 0);
  REQUIRE(tl.removedAt() >= 0);
  CHECK(tl.removedAt() - 20 * kSecond <= (1 + 60) * kSecond);  // WaitForPodNotFound(containerTerminationSeconds + 60 s)
}

namespace {
/// "The regular container has its image updated after a failed startup / liveness probe": regular-1 (Delay
/// 600) whose probe (`sh -c "exit 1"`, initialDelaySeconds 20, failureThreshold 1) fails; once it restarted
/// (restartCount >= 1 within 2 min; the update at 60 s), its image changes; within 1 min its status shows
/// the new image with restartCount > 1.
void failedProbeImageUpdate(const std::string& policy, const std::string& probe) {
  PodCase p;
  p.restartPolicy = policy;
  p.regular = {ctr("regular-1", {.delay = 600},
                   probe + "Probe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 20, failureThreshold: 1}",
                   probe == "startup" ? "probes: {startup: {succeedAfter: never}}" : "probes: {liveness: {failAfter: 0s}}")};
  p.duration = "3m";
  p.actions = "  - {at: 60s, updateImage: {pod: e2e, container: regular-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK(upstream::podAt(r, 60 * kSecond - 1).containers.at(0).restartCount >= 1);
  bool updated = false;
  for (sim::Time t = 60 * kSecond; t <= 120 * kSecond && !updated; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    updated = imageOf(r, s) == kNewImage && s.restartCount > 1;
  }
  CHECK(updated);
}

/// "The regular container has its image updated during termination": regular-1 (Delay 10, TerminationSeconds
/// 60, exit 1), grace 120 s; deleted once Running (3 s), then its image changes: for 50 s it does not
/// restart, and the pod is gone within 60 s after that.
void terminationImageUpdate(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.terminationGracePeriodSeconds = 120;
  p.regular = {ctr("regular-1", {.exitCode = 1, .delay = 10, .terminationSeconds = 60})};
  p.duration = "4m";
  p.actions = "  - {at: 3s, deletePod: {pod: e2e, gracePeriodSeconds: 120}}\n"
              "  - {at: 3s, updateImage: {pod: e2e, container: regular-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK((upstream::podAt(r, 3 * kSecond - 1).status.phase == api::PodPhase::Running));
  const report::PodTimeline tl(*r.sim, 0);
  for (sim::Time t = 3 * kSecond; t <= 53 * kSecond && (tl.removedAt() < 0 || t < tl.removedAt()); t += kSecond) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    // The e2e fails only on a restart after an exit 0; here the stronger "no restart at all" holds.
    CHECK(s.restartCount == 0);
  }
  REQUIRE(tl.removedAt() >= 0);
  CHECK(tl.removedAt() <= 53 * kSecond + 60 * kSecond);
}
}  // namespace

TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated after a "
              "failed startup probe should update the image when restartPolicy=Always") {
  failedProbeImageUpdate("Always", "startup");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated after a "
              "failed startup probe should update the image when restartPolicy=OnFailure") {
  failedProbeImageUpdate("OnFailure", "startup");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated after a "
              "failed liveness probe should update the image when restartPolicy=Always") {
  failedProbeImageUpdate("Always", "liveness");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated after a "
              "failed liveness probe should update the image when restartPolicy=OnFailure") {
  failedProbeImageUpdate("OnFailure", "liveness");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated during "
              "termination should not update the image when restartPolicy=Always") {
  terminationImageUpdate("Always");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated during "
              "termination should not update the image when restartPolicy=OnFailure") {
  terminationImageUpdate("OnFailure");
}
TEST_CASE(E2E "when A pod is running only regular containers when The regular container has its image updated during "
              "termination should not update the image when restartPolicy=Never") {
  terminationImageUpdate("Never");
}

namespace {
/// "the image is updated after the restartable init container's startup probe fails" (startup) and "A
/// restartable init container has its image changed after its liveness probe fails" (liveness):
/// restartable-init-1 (Delay 600), restartable-init-2 (Delay 600) whose probe fails (startup: initialDelay
/// 20 s; liveness: 10 s; failureThreshold 1), regular-1 (startup: Delay 1; liveness: Delay 600, or 5 under
/// Always). Once restartable-init-2 restarted (>= 1 within 2 min; the update at 60 s), its image changes;
/// then it restarts again (>= 2 within 2 min) and shows the new image.
void sidecarFailedProbeImageUpdate(const std::string& policy, bool startup) {
  PodCase p;
  p.restartPolicy = policy;
  const std::string probe = startup ? "startupProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 20, failureThreshold: 1}"
                                    : "livenessProbe: {exec: {command: [sh, -c, exit 1]}, initialDelaySeconds: 10, failureThreshold: 1}";
  p.init = {sidecar("restartable-init-1", {.delay = 600}),
            sidecar("restartable-init-2", {.delay = 600}, probe,
                    startup ? "probes: {startup: {succeedAfter: never}}" : "probes: {liveness: {failAfter: 0s}}")};
  p.regular = {ctr("regular-1", {.delay = startup ? 1 : (policy == "Always" ? 5 : 600)})};
  p.duration = "5m";
  p.actions = "  - {at: 60s, updateImage: {pod: e2e, container: restartable-init-2, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  const upstream::Outputs o(r);
  INFO(o.str()); if (std::getenv("E2E_DUMP")) MESSAGE(o.str());
  CHECK(upstream::podAt(r, 60 * kSecond - 1).containers.at(1).restartCount >= 1);
  bool updated = false;
  for (sim::Time t = 60 * kSecond; t <= 180 * kSecond && !updated; t += kSecond / 10) {
    const auto at = upstream::podAt(r, t);
    const auto& s = at.containers.at(1);
    if (startup) CHECK((at.status.phase == api::PodPhase::Pending));  // "pod should be pending"
    updated = s.restartCount >= 2 && imageOf(r, s) == kNewImage && (!startup || s.restartCount > 1);
  }
  CHECK(updated);
  CHECK(o.hasNotRestarted("restartable-init-1"));
  if (startup) {
    CHECK(o.doesntStart("regular-1"));
  } else {
    CHECK(o.starts("regular-1"));
    if (policy == "Always") CHECK(o.hasRestarted("regular-1"));
    else CHECK(o.hasNotRestarted("regular-1"));
  }
}

/// "A restartable init container has its image updated during pod termination": init-1 (Delay 1,
/// TerminationSeconds 5), two sidecars (Delay 600, TerminationSeconds 10), grace 180 s; deleted once
/// Running, then the first sidecar's image changes: for 20 s no init container that exited 0 has
/// restarted, and the pod is gone within 10 + 60 s after that.
void sidecarTerminationImageUpdate(const std::string& policy) {
  PodCase p;
  p.restartPolicy = policy;
  p.terminationGracePeriodSeconds = 180;
  p.init = {ctr("init-1", {.delay = 1, .terminationSeconds = 5}),
            sidecar("restartable-init-1", {.delay = 600, .terminationSeconds = 10}),
            sidecar("restartable-init-2", {.delay = 600, .terminationSeconds = 10})};
  p.regular = {ctr("regular-1", {.delay = 600, .terminationSeconds = 10})};
  p.duration = "5m";
  p.actions = "  - {at: 10s, deletePod: {pod: e2e, gracePeriodSeconds: 180}}\n"
              "  - {at: 10s, updateImage: {pod: e2e, container: restartable-init-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK((upstream::podAt(r, 10 * kSecond - 1).status.phase == api::PodPhase::Running));
  const report::PodTimeline tl(*r.sim, 0);
  for (sim::Time t = 10 * kSecond; t <= 30 * kSecond && (tl.removedAt() < 0 || t < tl.removedAt()); t += kSecond / 2) {
    const auto at = upstream::podAt(r, t);
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& s = at.containers.at(i);
      if (s.state.kind == Kind::Terminated && s.state.exitCode == 0) CHECK(s.restartCount == 0);
    }
  }
  REQUIRE(tl.removedAt() >= 0);
  CHECK(tl.removedAt() <= 30 * kSecond + (10 + 60) * kSecond);
}
}  // namespace

TEST_CASE(E2E "when running restartable init containers with startup probes when the image is updated after the "
              "restartable init container's startup probe fails should update the image when restartPolicy=Never") {
  sidecarFailedProbeImageUpdate("Never", true);
}
TEST_CASE(E2E "when running restartable init containers with startup probes when the image is updated after the "
              "restartable init container's startup probe fails should update the image when restartPolicy=OnFailure") {
  sidecarFailedProbeImageUpdate("OnFailure", true);
}
TEST_CASE(E2E "when running restartable init containers with startup probes when the image is updated after the "
              "restartable init container's startup probe fails should update the image when restartPolicy=Always") {
  sidecarFailedProbeImageUpdate("Always", true);
}
TEST_CASE(E2E "when running restartable init containers with liveness probes when A restartable init container has its "
              "image changed after its liveness probe fails should update the image when restartPolicy=Never") {
  sidecarFailedProbeImageUpdate("Never", false);
}
TEST_CASE(E2E "when running restartable init containers with liveness probes when A restartable init container has its "
              "image changed after its liveness probe fails should update the image when restartPolicy=OnFailure") {
  sidecarFailedProbeImageUpdate("OnFailure", false);
}
TEST_CASE(E2E "when running restartable init containers with liveness probes when A restartable init container has its "
              "image changed after its liveness probe fails should update the image when restartPolicy=Always") {
  sidecarFailedProbeImageUpdate("Always", false);
}
TEST_CASE(E2E "when A pod with restartable init containers is terminating when The containers exit successfully when A "
              "restartable init container has its image updated during pod termination should terminate gracefully when restartPolicy=Always") {
  sidecarTerminationImageUpdate("Always");
}
TEST_CASE(E2E "when A pod with restartable init containers is terminating when The containers exit successfully when A "
              "restartable init container has its image updated during pod termination should terminate gracefully when restartPolicy=OnFailure") {
  sidecarTerminationImageUpdate("OnFailure");
}
TEST_CASE(E2E "when A pod with restartable init containers is terminating when The containers exit successfully when A "
              "restartable init container has its image updated during pod termination should terminate gracefully when restartPolicy=Never") {
  sidecarTerminationImageUpdate("Never");
}

TEST_CASE(E2E "when Running a pod with init containers and regular containers, restartPolicy=Always when the init "
              "container is updated with a new image should not restart the init container if the image is updated during termination") {
  // init-1 (Delay 1), regular-1 (Delay 20, TerminationSeconds 20, exit 1), restartPolicy Never; deleted once
  // Running (grace 30 s), then init-1's image changes: for 15 s the completed init-1 neither restarts nor
  // shows the new image.
  PodCase p;
  p.name = "initcontainer-update-img-termination";
  p.restartPolicy = "Never";
  p.init = {ctr("init-1", {.delay = 1})};
  p.regular = {ctr("regular-1", {.exitCode = 1, .delay = 20, .terminationSeconds = 20})};
  p.duration = "2m";
  p.actions = "  - {at: 5s, deletePod: {pod: initcontainer-update-img-termination}}\n"
              "  - {at: 5s, updateImage: {pod: initcontainer-update-img-termination, container: init-1, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK((upstream::podAt(r, 5 * kSecond - 1).status.phase == api::PodPhase::Running));
  for (sim::Time t = 5 * kSecond; t <= 20 * kSecond; t += kSecond / 2) {
    const auto s = upstream::podAt(r, t).containers.at(0);
    CAPTURE(t);
    CHECK((s.state.kind == Kind::Terminated));
    CHECK(s.state.exitCode == 0);
    CHECK(s.restartCount == 0);
    CHECK(imageOf(r, s) != kNewImage);
  }
}

TEST_CASE("e2e_node container_lifecycle: [Serial] Sidecar container restart after kubelet restart should restart "
          "regular containers when sidecar with startupProbe is running after kubelet restart") {
  // A sidecar with a startup probe (/bin/true, initialDelay 1 s, period 1 s) and `crasher`, which exits 0 on
  // SIGTERM; Ready, 11 s later the kubelet restarts, then `kill 1` in crasher: it restarts and runs again,
  // and the sidecar keeps running with restartCount 0.
  const auto r = testing::run(R"(apiVersion: v1
kind: Pod
metadata: {name: pod-with-sidecar-and-crashing-container}
spec:
  restartPolicy: Always
  initContainers:
  - name: sidecar
    image: busybox:1.36
    command: [sh, -c, "while true; do sleep 1; done"]
    restartPolicy: Always
    startupProbe: {exec: {command: [/bin/true]}, initialDelaySeconds: 1, periodSeconds: 1}
  containers:
  - name: crasher
    image: busybox:1.36
    command: [/bin/sh, -c, "trap 'exit 0' TERM; sleep 3600 & wait $!"]
---
apiVersion: podsim/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  duration: 3m
  behaviors:
    pod-with-sidecar-and-crashing-container:
      crasher: {run: never}
  actions:
  - {at: 30s, stopKubelet: {node: node-1}}
  - {at: 31s, startKubelet: {node: node-1}}
  - {at: 33s, killContainer: {pod: pod-with-sidecar-and-crashing-container, container: crasher, reason: Completed, exitCode: 0}}
)");
  const auto ready = upstream::podAt(r, 15 * kSecond);
  CHECK((ready.status.phase == api::PodPhase::Running));
  CHECK(ready.status.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)].status);
  bool again = false;
  sim::Time when = -1;
  for (sim::Time t = 33 * kSecond; t <= 3 * sim::kMinute && !again; t += kSecond / 10) {
    const auto s = upstream::podAt(r, t).containers.at(1);
    again = s.restartCount > 0 && s.state.kind == Kind::Running;
    when = t;
  }
  REQUIRE(again);
  const auto side = upstream::podAt(r, when).containers.at(0);
  CHECK((side.state.kind == Kind::Running));
  CHECK(side.restartCount == 0);
}

namespace {
/// "A node is rebooting and receives an update request": init-1 (Delay 5), restartable-init-2 (Delay 300),
/// init-3 (Delay 5), regular-1 (Delay 300); once Running the kubelet stops, (with a reboot) the sandbox
/// stops, the kubelet starts, then restartable-init-2's image changes. The pod runs again (after a reboot
/// with regular-1 restarted, after a kubelet restart without), and restartable-init-2 restarts with the new
/// image, each within the e2e's PodStart timeout (5 min).
void testPodUpdateOnReboot(bool nodeReboot) {
  PodCase p;
  p.name = "initialized-pod";
  p.restartPolicy = "Always";
  p.init = {ctr("init-1", {.delay = 5}), sidecar("restartable-init-2", {.delay = 300}), ctr("init-3", {.delay = 5})};
  p.regular = {ctr("regular-1", {.delay = 300})};
  p.duration = "8m";
  p.actions = nodeReboot ? "  - {at: 30s, rebootNode: {node: node-1}}\n"
                         : "  - {at: 30s, stopKubelet: {node: node-1}}\n  - {at: 31s, startKubelet: {node: node-1}}\n";
  p.actions += "  - {at: 32s, updateImage: {pod: initialized-pod, container: restartable-init-2, image: \"busybox:1.37\"}}\n";
  const auto r = runCase(p);
  CHECK((upstream::podAt(r, 30 * kSecond - 1).status.phase == api::PodPhase::Running));
  sim::Time reinit = -1, updated = -1;
  for (sim::Time t = 32 * kSecond; t <= 32 * kSecond + 6 * sim::kMinute; t += kSecond / 10) {
    const auto at = upstream::podAt(r, t);
    const bool restarted = at.containers.at(3).restartCount >= 1;
    if (reinit < 0 && at.status.phase == api::PodPhase::Running && restarted == nodeReboot) reinit = t;
    const auto& s = at.containers.at(1);
    if (updated < 0 && s.restartCount > 0 && imageOf(r, s) == kNewImage) updated = t;
  }
  REQUIRE(reinit >= 0);
  CHECK(reinit - 32 * kSecond <= 5 * sim::kMinute);
  REQUIRE(updated >= 0);
  CHECK(updated - reinit <= 6 * sim::kMinute);
}
}  // namespace

TEST_CASE(E2E_SERIAL "when A node running restartable init containers reboots when A node is rebooting and receives an "
                     "update request should handle an update during the node reboot") {
  testPodUpdateOnReboot(true);
}
TEST_CASE(E2E_SERIAL "when A node running restartable init containers reboots when A node is rebooting and receives an "
                     "update request should handle an update during the kubelet restart") {
  testPodUpdateOnReboot(false);
}
