// models/kubelet/restart_rules_validation.cpp: validateContainerRestartPolicy and its release differences.
#include "models/kubelet/restart_rules_validation.hpp"

namespace podsim::kubelet {

RestartFieldsVerdict validateContainerRestartFields(KubernetesVersion version, const FeatureGateOverrides& gates,
                                                    std::size_t index, const RawContainerRestartFields& fields) {
  RestartFieldsVerdict out;
  const std::string path = "spec.containers[" + std::to_string(index) + "]";
  if (!gateSpec(Gate::ContainerRestartRules, version).known) {
    if (fields.restartPolicyRulesWritten) {
      out.errors.push_back("strict decoding error: unknown field \"" + path + ".restartPolicyRules\"");
    }
    if (fields.restartPolicy) {
      out.errors.push_back(path + ".restartPolicy: Forbidden: may not be set for non-init containers");
    }
    return out;
  }
  if (!featureEnabled(Gate::ContainerRestartRules, version, gates)) {
    out.dropped = fields.restartPolicy.has_value() || !fields.restartPolicyRules.empty();
    return out;
  }
  const bool restartAll = featureEnabled(Gate::RestartAllContainersOnContainerExits, version, gates);
  const bool tooMany = version >= KubernetesVersion{1, 36};  // field.TooMany replaced field.TooLong in 1.36
  if (!fields.restartPolicy) {
    if (fields.restartPolicyRules.empty()) return out;
    out.errors.push_back(path + ".restartPolicy: Required value: must specify restartPolicy when restart rules are used");
  } else if (*fields.restartPolicy != "Always" && *fields.restartPolicy != "Never" &&
             *fields.restartPolicy != "OnFailure") {
    out.errors.push_back(path + ".restartPolicy: Unsupported value: \"" + *fields.restartPolicy +
                         "\": supported values: \"Always\", \"Never\", \"OnFailure\"");
  }
  const std::size_t n = fields.restartPolicyRules.size();
  if (n > 20) {
    out.errors.push_back(tooMany ? path + ".restartPolicyRules: Too many: " + std::to_string(n) +
                                       ": must have at most 20 items"
                                 : path + ".restartPolicyRules: Too long: may not be more than 20 bytes");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = fields.restartPolicyRules[i];
    const std::string rp = path + ".restartPolicyRules[" + std::to_string(i) + "]";
    const bool allowed = r.action == "Restart" || (restartAll && r.action == "RestartAllContainers");
    if (!allowed) {
      // 1.35 lists only "Restart" even with the gate on (validation.go v1.35.4 passes the smaller set).
      const bool listBoth = restartAll && version >= KubernetesVersion{1, 36};
      out.errors.push_back(rp + ".action: Unsupported value: \"" + r.action + "\": supported values: \"Restart\"" +
                           (listBoth ? ", \"RestartAllContainers\"" : ""));
    }
    if (!r.hasExitCodes) {
      out.errors.push_back(rp + ".exitCodes: Required value: must be specified");
      continue;
    }
    if (r.exitCodesOperator != "In" && r.exitCodesOperator != "NotIn") {
      out.errors.push_back(rp + ".exitCodes.operator: Unsupported value: \"" + r.exitCodesOperator +
                           "\": supported values: \"In\", \"NotIn\"");
    }
    if (r.exitCodesValueCount > 255) {
      out.errors.push_back(tooMany ? rp + ".exitCodes.values: Too many: " + std::to_string(r.exitCodesValueCount) +
                                         ": must have at most 255 items"
                                   : rp + ".exitCodes.values: Too long: may not be more than 255 bytes");
    }
  }
  return out;
}

}  // namespace podsim::kubelet
