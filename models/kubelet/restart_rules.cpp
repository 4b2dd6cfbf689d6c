// models/kubelet/restart_rules.cpp: KEP-5307 restart rules and KEP-5532 restart-all decisions (pure).
#include "models/kubelet/restart_rules.hpp"

#include <algorithm>

namespace podsim::kubelet {

namespace {
bool byPodPolicy(PodRestartPolicy p, std::int32_t exitCode) noexcept {
  switch (p) {
    case PodRestartPolicy::Always: return true;
    case PodRestartPolicy::OnFailure: return exitCode != 0;
    case PodRestartPolicy::Never: return false;
  }
  return true;  // util.go: "Default policy is Always"
}
}  // namespace

const ContainerRestartRule* FindMatchingContainerRestartRule(const ContainerRestartSpec& container,
                                                             std::int32_t exitCode) noexcept {
  for (const auto& rule : container.restartPolicyRules) {
    if (!rule.exitCodes) continue;
    const auto& v = rule.exitCodes->values;
    const bool listed = std::find(v.begin(), v.end(), exitCode) != v.end();
    switch (rule.exitCodes->op) {
      case ContainerRestartRuleOnExitCodesOperator::In:
        if (listed) return &rule;
        break;
      case ContainerRestartRuleOnExitCodesOperator::NotIn:
        if (!listed) return &rule;
        break;
      case ContainerRestartRuleOnExitCodesOperator::Unknown: break;
    }
  }
  return nullptr;
}

bool ContainerShouldRestart(const ContainerRestartSpec& container, PodRestartPolicy podPolicy, std::int32_t exitCode,
                            bool restartAllContainersEnabled) noexcept {
  if (container.restartPolicy) {
    if (const ContainerRestartRule* rule = FindMatchingContainerRestartRule(container, exitCode)) {
      if (rule->action == ContainerRestartRuleAction::Restart) return true;
      if (rule->action == ContainerRestartRuleAction::RestartAllContainers && restartAllContainersEnabled) return true;
      // Any other action (or RestartAllContainers with its gate off): the container policy decides.
    }
    switch (*container.restartPolicy) {
      case ContainerRestartPolicy::Always: return true;
      case ContainerRestartPolicy::OnFailure: return exitCode != 0;
      case ContainerRestartPolicy::Never: return false;
    }
  }
  return byPodPolicy(podPolicy, exitCode);
}

bool IsContainerRestartable(const ContainerRestartSpec& container, PodRestartPolicy podPolicy) noexcept {
  if (container.restartPolicy) {
    for (const auto& rule : container.restartPolicyRules) {
      if (rule.action == ContainerRestartRuleAction::Restart) return true;
    }
    return *container.restartPolicy != ContainerRestartPolicy::Never;
  }
  return podPolicy != PodRestartPolicy::Never;
}

bool ShouldContainerBeRestarted(const ContainerRestartSpec& container, PodRestartPolicy podPolicy,
                                bool deletionTimestampSet, RuntimeContainerState state, std::int32_t exitCode,
                                bool containerRestartRulesEnabled, bool restartAllContainersEnabled) noexcept {
  if (deletionTimestampSet) return false;
  switch (state) {
    case RuntimeContainerState::None: return true;
    case RuntimeContainerState::Running: return false;
    case RuntimeContainerState::Unknown:
    case RuntimeContainerState::Created: return true;
    case RuntimeContainerState::Exited: break;
  }
  if (containerRestartRulesEnabled) {
    return ContainerShouldRestart(container, podPolicy, exitCode, restartAllContainersEnabled);
  }
  return byPodPolicy(podPolicy, exitCode);
}

bool ShouldAllContainersRestart(bool apiConditionAllContainersRestartingTrue, bool haveRuntimeStatus,
                                std::span<const ContainerExitView> containers) noexcept {
  if (apiConditionAllContainersRestartingTrue) return true;
  const auto restartsAll = [](const ContainerRestartSpec& spec, std::int32_t code) {
    const ContainerRestartRule* rule = FindMatchingContainerRestartRule(spec, code);
    return rule != nullptr && rule->action == ContainerRestartRuleAction::RestartAllContainers;
  };
  for (const auto& c : containers) {
    if (c.spec == nullptr) continue;
    if (haveRuntimeStatus) {
      // helpers.go: `continue` when the runtime has no Exited instance, before the API status is read.
      if (c.runtimeState != RuntimeContainerState::Exited) continue;
      if (restartsAll(*c.spec, c.runtimeExitCode)) return true;
    }
    if (c.apiTerminatedExitCode && restartsAll(*c.spec, *c.apiTerminatedExitCode)) return true;
  }
  return false;
}

AllContainersRestartingCondition GenerateAllContainersRestartingCondition(PhaseForCondition phase, bool shouldRestartAll,
                                                                          bool cleanedUp) noexcept {
  if (phase == PhaseForCondition::Succeeded) return {false, "PodCompleted", ""};
  if (phase == PhaseForCondition::Failed) return {false, "PodFailed", ""};
  if (!shouldRestartAll || cleanedUp) return {false, "", ""};
  return {true, "RestartAllContainersStarted", "container exited with restart policy rule"};
}

}  // namespace podsim::kubelet
