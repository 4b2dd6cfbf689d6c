// tests/test_status_merge.cpp: status_manager.go mergePodStatus holds a terminal phase back while a
// container may still run (pod_workers.go CouldHaveRunningContainers).
#include <doctest/doctest.h>

#include <vector>

#include "models/kubelet/status_merge.hpp"

using namespace podsim::kubelet;

TEST_CASE("mergePodStatus keeps the old phase, reason and message while a container could still run") {
  using P = MergePhase;
  struct Case {
    const char* name;
    PhaseReasonMessage oldStatus;
    PhaseReasonMessage newStatus;
    bool couldRun;
    PhaseReasonMessage want;
  };
  const PhaseReasonMessage running{P::Running, "", ""};
  const PhaseReasonMessage failed{P::Failed, "", ""};
  const PhaseReasonMessage deadline{P::Failed, "DeadlineExceeded",
                                    "Pod was active on the node longer than the specified deadline"};
  const std::vector<Case> cases = {
      {"init container failed under Never, sidecar still stopping: stays Pending",
       {P::Pending, "", ""}, failed, true, {P::Pending, "", ""}},
      {"sidecar has exited: Failed goes out", {P::Pending, "", ""}, failed, false, failed},
      {"deadline while containers are being killed: stays Running", running, deadline, true, running},
      {"deadline once everything stopped", running, deadline, false, deadline},
      {"non-terminal changes pass while containers run", {P::Pending, "", ""}, running, true, running},
      {"terminal to terminal passes (no transition)", failed, {P::Succeeded, "", ""}, true, {P::Succeeded, "", ""}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(mergePodStatusPhase(c.oldStatus, c.newStatus, c.couldRun) == c.want);
  }
}

TEST_CASE("CouldHaveRunningContainers: until the pod worker finished terminating; unknown pods until all synced") {
  CHECK(CouldHaveRunningContainers(true, false, true));
  CHECK_FALSE(CouldHaveRunningContainers(true, true, true));
  CHECK(CouldHaveRunningContainers(false, false, false));
  CHECK_FALSE(CouldHaveRunningContainers(false, false, true));
}

TEST_CASE("DisruptionTarget is sent only together with the terminal phase") {
  CHECK(mergeSendsDisruptionTarget(MergePhase::Running, MergePhase::Failed, false));
  CHECK_FALSE(mergeSendsDisruptionTarget(MergePhase::Running, MergePhase::Failed, true));
  CHECK_FALSE(mergeSendsDisruptionTarget(MergePhase::Failed, MergePhase::Failed, false));
}
