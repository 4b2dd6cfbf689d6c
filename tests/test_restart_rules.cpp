// tests/test_restart_rules.cpp: KEP-5307 restart rules (ContainerShouldRestart and friends) and the
// KEP-5532 restart-all decisions, as pkg/api/v1/pod/util.go and pkg/kubelet/container/helpers.go have them.
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "models/kubelet/restart_rules.hpp"

using namespace podsim::kubelet;
using Op = ContainerRestartRuleOnExitCodesOperator;
using Action = ContainerRestartRuleAction;

namespace {
ContainerRestartRule rule(Action a, Op op, std::vector<std::int32_t> codes) {
  return {a, ContainerRestartRuleOnExitCodes{op, std::move(codes)}};
}
ContainerRestartSpec spec(std::optional<ContainerRestartPolicy> p, std::vector<ContainerRestartRule> rules = {}) {
  return {p, std::move(rules)};
}

struct ShouldRestartCase {
  const char* name;
  ContainerRestartSpec container;
  PodRestartPolicy pod;
  std::int32_t exitCode;
  bool restartAllEnabled;
  bool want;
};
}  // namespace

TEST_CASE("ContainerShouldRestart: the first matching rule, then the container policy, then the pod policy") {
  using CP = ContainerRestartPolicy;
  using PP = PodRestartPolicy;
  const auto restartOn42 = rule(Action::Restart, Op::In, {42});
  const std::vector<ShouldRestartCase> cases = {
      {"no container policy, pod Always, exit 0", spec(std::nullopt), PP::Always, 0, true, true},
      {"no container policy, pod OnFailure, exit 0", spec(std::nullopt), PP::OnFailure, 0, true, false},
      {"no container policy, pod OnFailure, exit 1", spec(std::nullopt), PP::OnFailure, 1, true, true},
      {"no container policy, pod Never, exit 1", spec(std::nullopt), PP::Never, 1, true, false},
      {"rules without a container policy are ignored", spec(std::nullopt, {restartOn42}), PP::Never, 42, true, false},
      {"container Never overrides pod Always", spec(CP::Never), PP::Always, 1, true, false},
      {"container Always overrides pod Never, exit 0", spec(CP::Always), PP::Never, 0, true, true},
      {"container OnFailure under pod Never, exit 3", spec(CP::OnFailure), PP::Never, 3, true, true},
      {"container OnFailure under pod Always, exit 0", spec(CP::OnFailure), PP::Always, 0, true, false},
      {"Never with Restart In [42], exit 42 restarts", spec(CP::Never, {restartOn42}), PP::Never, 42, true, true},
      {"Never with Restart In [42], exit 1 does not", spec(CP::Never, {restartOn42}), PP::Never, 1, true, false},
      {"Never with Restart NotIn [0], exit 137 restarts", spec(CP::Never, {rule(Action::Restart, Op::NotIn, {0})}),
       PP::Never, 137, true, true},
      {"Never with Restart NotIn [0], exit 0 does not", spec(CP::Never, {rule(Action::Restart, Op::NotIn, {0})}),
       PP::Never, 0, true, false},
      {"Always with a non-matching rule still restarts", spec(CP::Always, {restartOn42}), PP::Never, 7, true, true},
      {"In [] never matches", spec(CP::Never, {rule(Action::Restart, Op::In, {})}), PP::Never, 0, true, false},
      {"NotIn [] matches every code", spec(CP::Never, {rule(Action::Restart, Op::NotIn, {})}), PP::Never, 5, true,
       true},
      {"a rule without exitCodes never matches", spec(CP::Never, {ContainerRestartRule{Action::Restart, std::nullopt}}),
       PP::Never, 0, true, false},
      {"an unknown operator never matches", spec(CP::Never, {rule(Action::Restart, Op::Unknown, {1})}), PP::Never, 1,
       true, false},
      {"RestartAllContainers restarts with its gate on", spec(CP::Never, {rule(Action::RestartAllContainers, Op::In, {88})}),
       PP::Never, 88, true, true},
      {"RestartAllContainers with its gate off falls through to Never (1.34 form)",
       spec(CP::Never, {rule(Action::RestartAllContainers, Op::In, {88})}), PP::Never, 88, false, false},
      {"RestartAllContainers with its gate off falls through to OnFailure",
       spec(CP::OnFailure, {rule(Action::RestartAllContainers, Op::In, {88})}), PP::Never, 88, false, true},
      {"an unknown action falls through to the container policy", spec(CP::Never, {rule(Action::Unknown, Op::In, {1})}),
       PP::Always, 1, true, false},
      {"the first matching rule wins, even when a later one would restart",
       spec(CP::Never, {rule(Action::Unknown, Op::In, {1}), rule(Action::Restart, Op::In, {1})}), PP::Never, 1, true,
       false},
      {"an earlier non-matching rule is skipped",
       spec(CP::Never, {rule(Action::Restart, Op::In, {2}), rule(Action::Restart, Op::In, {1})}), PP::Never, 1, true,
       true},
      {"duplicate exit codes match once", spec(CP::Never, {rule(Action::Restart, Op::In, {42, 42})}), PP::Never, 42, true,
       true},
      {"negative exit codes are plain values", spec(CP::Never, {rule(Action::Restart, Op::In, {-1})}), PP::Never, -1,
       true, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(ContainerShouldRestart(c.container, c.pod, c.exitCode, c.restartAllEnabled) == c.want);
  }
}

TEST_CASE("Exits 42, 42, 1 under pod Never with a Restart In [42] rule: two restarts, then the container stays down") {
  const auto c = spec(ContainerRestartPolicy::Never, {rule(Action::Restart, Op::In, {42})});
  std::vector<bool> restarts;
  for (std::int32_t code : {42, 42, 1}) restarts.push_back(ContainerShouldRestart(c, PodRestartPolicy::Never, code, true));
  CHECK(restarts == std::vector<bool>{true, true, false});
}

TEST_CASE("FindMatchingContainerRestartRule returns the first match in spec order, of any action") {
  const auto c = spec(ContainerRestartPolicy::Never, {rule(Action::Restart, Op::In, {1}),
                                                      rule(Action::RestartAllContainers, Op::NotIn, {1}),
                                                      rule(Action::Restart, Op::NotIn, {})});
  CHECK(FindMatchingContainerRestartRule(c, 1) == &c.restartPolicyRules[0]);
  CHECK(FindMatchingContainerRestartRule(c, 2) == &c.restartPolicyRules[1]);
  CHECK(FindMatchingContainerRestartRule(spec(ContainerRestartPolicy::Never), 2) == nullptr);
}

TEST_CASE("IsContainerRestartable: any Restart rule or a container policy other than Never, else the pod's policy") {
  struct Case {
    const char* name;
    ContainerRestartSpec container;
    PodRestartPolicy pod;
    bool want;
  };
  const std::vector<Case> cases = {
      {"pod Never, no container policy", spec(std::nullopt), PodRestartPolicy::Never, false},
      {"pod OnFailure, no container policy", spec(std::nullopt), PodRestartPolicy::OnFailure, true},
      {"container Never under pod Always", spec(ContainerRestartPolicy::Never), PodRestartPolicy::Always, false},
      {"container Never with a Restart rule", spec(ContainerRestartPolicy::Never, {rule(Action::Restart, Op::In, {42})}),
       PodRestartPolicy::Never, true},
      {"container Never with only a RestartAllContainers rule",
       spec(ContainerRestartPolicy::Never, {rule(Action::RestartAllContainers, Op::In, {88})}), PodRestartPolicy::Never,
       false},
      {"container OnFailure under pod Never", spec(ContainerRestartPolicy::OnFailure), PodRestartPolicy::Never, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(IsContainerRestartable(c.container, c.pod) == c.want);
  }
}

TEST_CASE("ShouldContainerBeRestarted: deletion, missing, running, unknown states, then the gate picks the rule") {
  using S = RuntimeContainerState;
  const auto sidecar = spec(ContainerRestartPolicy::Always);
  const auto never42 = spec(ContainerRestartPolicy::Never, {rule(Action::Restart, Op::In, {42})});
  struct Case {
    const char* name;
    ContainerRestartSpec container;
    PodRestartPolicy pod;
    bool deleting;
    S state;
    std::int32_t code;
    bool rulesGate;
    bool want;
  };
  const std::vector<Case> cases = {
      {"a pod being deleted never restarts", sidecar, PodRestartPolicy::Always, true, S::Exited, 1, true, false},
      {"no instance: start", never42, PodRestartPolicy::Never, false, S::None, 0, true, true},
      {"running: nothing to do", never42, PodRestartPolicy::Always, false, S::Running, 0, true, false},
      {"unknown: start again", never42, PodRestartPolicy::Never, false, S::Unknown, 0, true, true},
      {"created: start", never42, PodRestartPolicy::Never, false, S::Created, 0, true, true},
      {"sidecar under pod Never before 1.35 (gate off): not restarted by this check", sidecar, PodRestartPolicy::Never,
       false, S::Exited, 1, false, false},
      {"sidecar under pod Never from 1.35 (gate on): restarted", sidecar, PodRestartPolicy::Never, false, S::Exited, 1,
       true, true},
      {"rule Restart on 42 with the gate on", never42, PodRestartPolicy::Never, false, S::Exited, 42, true, true},
      {"rule Restart on 42 with the gate off: pod Never wins", never42, PodRestartPolicy::Never, false, S::Exited, 42,
       false, false},
      {"gate off, pod OnFailure, exit 0", never42, PodRestartPolicy::OnFailure, false, S::Exited, 0, false, false},
      {"gate off, pod Always, exit 0", never42, PodRestartPolicy::Always, false, S::Exited, 0, false, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(ShouldContainerBeRestarted(c.container, c.pod, c.deleting, c.state, c.code, c.rulesGate, true) == c.want);
  }
}

TEST_CASE("ShouldAllContainersRestart: the condition, an exited instance or an API terminated state with a matching rule") {
  using S = RuntimeContainerState;
  const auto all88 = spec(ContainerRestartPolicy::Never, {rule(Action::RestartAllContainers, Op::In, {88})});
  const auto plain = spec(std::nullopt);
  const auto restart88 = spec(ContainerRestartPolicy::Never, {rule(Action::Restart, Op::In, {88})});
  struct Case {
    const char* name;
    bool condition;
    bool haveRuntime;
    std::vector<ContainerExitView> containers;
    bool want;
  };
  const std::vector<Case> cases = {
      {"condition already True", true, true, {}, true},
      {"runtime instance exited 88", false, true, {{&plain, S::Running, 0, {}}, {&all88, S::Exited, 88, {}}}, true},
      {"runtime instance exited 1", false, true, {{&all88, S::Exited, 1, {}}}, false},
      {"exited 1 in the runtime but 88 in the API status", false, true, {{&all88, S::Exited, 1, 88}}, true},
      {"runtime instance gone: the API status is not read", false, true, {{&all88, S::None, 0, 88}}, false},
      {"runtime instance running: the API status is not read", false, true, {{&all88, S::Running, 0, 88}}, false},
      {"prober's call without runtime status reads the API status", false, false, {{&all88, S::None, 0, 88}}, true},
      {"a Restart rule is not a restart-all", false, true,
       {{&restart88, S::Exited, 88, {}}},
       false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(ShouldAllContainersRestart(c.condition, c.haveRuntime, c.containers) == c.want);
  }
}

TEST_CASE("GenerateAllContainersRestartingCondition: terminal phases, not restarting, cleaned up, restarting") {
  struct Case {
    const char* name;
    PhaseForCondition phase;
    bool should;
    bool cleanedUp;
    bool status;
    std::string_view reason;
    std::string_view message;
  };
  const std::vector<Case> cases = {
      {"Succeeded", PhaseForCondition::Succeeded, true, false, false, "PodCompleted", ""},
      {"Failed", PhaseForCondition::Failed, true, false, false, "PodFailed", ""},
      {"nothing to restart", PhaseForCondition::Running, false, false, false, "", ""},
      {"every container removed: False again, startup reruns", PhaseForCondition::Running, true,
       AllContainersRestartCleanedUp(0), false, "", ""},
      {"still removing containers", PhaseForCondition::Running, true, AllContainersRestartCleanedUp(2), true,
       "RestartAllContainersStarted", "container exited with restart policy rule"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto got = GenerateAllContainersRestartingCondition(c.phase, c.should, c.cleanedUp);
    CHECK(got.status == c.status);
    CHECK(got.reason == c.reason);
    CHECK(got.message == c.message);
  }
}

// ---- validation (restart_rules_validation.hpp) ----
#include <string>

#include "models/kubelet/restart_rules_validation.hpp"

TEST_CASE("The API server validates a regular container's restartPolicy and restartPolicyRules per release, with its messages") {
  using R = RawContainerRestartRule;
  const RawContainerRestartFields never42{"Never", {R{"Restart", true, "In", 1}}, true};
  struct Case {
    const char* name;
    int minor;
    FeatureGateOverrides gates;
    RawContainerRestartFields fields;
    std::vector<std::string> errors;
    bool dropped;
  };
  const std::vector<Case> cases = {
      {"1.37 accepts Never with a Restart rule", 37, {}, never42, {}, false},
      {"1.33: restartPolicyRules is unknown, restartPolicy forbidden",
       33,
       {},
       never42,
       {"strict decoding error: unknown field \"spec.containers[0].restartPolicyRules\"",
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"},
       false},
      {"1.33: restartPolicy alone is forbidden",
       33,
       {},
       {"Always", {}, false},
       {"spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"},
       false},
      {"1.34 with the alpha gate off drops both fields silently", 34, {}, never42, {}, true},
      {"1.34 with the gate on accepts", 34, {{"ContainerRestartRules", true}}, never42, {}, false},
      {"1.35 with the gate switched off drops", 35, {{"ContainerRestartRules", false}}, never42, {}, true},
      {"rules without restartPolicy",
       37,
       {},
       {std::nullopt, {R{"Restart", true, "In", 1}}, true},
       {"spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used"},
       false},
      {"unsupported restartPolicy",
       37,
       {},
       {"Sometimes", {}, false},
       {"spec.containers[0].restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", "
        "\"OnFailure\""},
       false},
      {"RestartAllContainers refused in 1.35 (alpha off)",
       35,
       {},
       {"Never", {R{"RestartAllContainers", true, "In", 1}}, true},
       {"spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"RestartAllContainers\": supported "
        "values: \"Restart\""},
       false},
      {"RestartAllContainers accepted in 1.36", 36, {}, {"Never", {R{"RestartAllContainers", true, "In", 1}}, true}, {},
       false},
      {"1.37 lists both actions",
       37,
       {},
       {"Never", {R{"Reboot", true, "In", 1}}, true},
       {"spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"Reboot\": supported values: \"Restart\", "
        "\"RestartAllContainers\""},
       false},
      {"1.35 with the alpha gate on lists only Restart",
       35,
       {{"RestartAllContainersOnContainerExits", true}},
       {"Never", {R{"Reboot", true, "In", 1}}, true},
       {"spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"Reboot\": supported values: \"Restart\""},
       false},
      {"missing exitCodes",
       37,
       {},
       {"Never", {R{"Restart", false, "", 0}}, true},
       {"spec.containers[0].restartPolicyRules[0].exitCodes: Required value: must be specified"},
       false},
      {"unsupported operator",
       37,
       {},
       {"Never", {R{"Restart", true, "Equals", 1}}, true},
       {"spec.containers[0].restartPolicyRules[0].exitCodes.operator: Unsupported value: \"Equals\": supported values: "
        "\"In\", \"NotIn\""},
       false},
      {"256 exit codes in 1.37",
       37,
       {},
       {"Never", {R{"Restart", true, "In", 256}}, true},
       {"spec.containers[0].restartPolicyRules[0].exitCodes.values: Too many: 256: must have at most 255 items"},
       false},
      {"256 exit codes in 1.35 (Too long, in bytes)",
       35,
       {},
       {"Never", {R{"Restart", true, "In", 256}}, true},
       {"spec.containers[0].restartPolicyRules[0].exitCodes.values: Too long: may not be more than 255 bytes"},
       false},
      {"21 rules in 1.37",
       37,
       {},
       {"Never", std::vector<R>(21, R{"Restart", true, "In", 1}), true},
       {"spec.containers[0].restartPolicyRules: Too many: 21: must have at most 20 items"},
       false},
      {"21 rules in 1.34 with the gate on",
       34,
       {{"ContainerRestartRules", true}},
       {"Never", std::vector<R>(21, R{"Restart", true, "In", 1}), true},
       {"spec.containers[0].restartPolicyRules: Too long: may not be more than 20 bytes"},
       false},
      {"20 rules of 255 codes each are fine", 37, {}, {"Never", std::vector<R>(20, R{"Restart", true, "NotIn", 255}), true},
       {}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto v = validateContainerRestartFields({1, c.minor}, c.gates, 0, c.fields);
    CHECK(v.errors == c.errors);
    CHECK(v.dropped == c.dropped);
  }
}
