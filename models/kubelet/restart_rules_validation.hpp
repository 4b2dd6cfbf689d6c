// models/kubelet/restart_rules_validation.hpp: the API server's validation of a regular container's
// `restartPolicy` and `restartPolicyRules` (KEP-5307/5532), per release and gate, with its exact messages.
//
// Owns: the field errors (field.Error.Error() text: "<path>: <Type>: <detail>") and the decision whether the
// API server silently drops the fields (gate off). Does not own: init/sidecar container rules (TODO, see
// docs/dev/issue13-plan.md), file:line:col (the loader), the rest of Pod validation (models/api).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "models/kubelet/feature_gates.hpp"

namespace podsim::kubelet {

/// One rule as written (strings kept raw so unsupported values can be reported).
struct RawContainerRestartRule {
  std::string action;
  bool hasExitCodes = false;
  std::string exitCodesOperator;
  std::size_t exitCodesValueCount = 0;
};

/// A regular container's restart fields as written. `restartPolicyRulesWritten`: the key is present.
struct RawContainerRestartFields {
  std::optional<std::string> restartPolicy;
  std::vector<RawContainerRestartRule> restartPolicyRules;
  bool restartPolicyRulesWritten = false;
};

/// What the API server of a release does with the fields of `spec.containers[index]`.
struct RestartFieldsVerdict {
  std::vector<std::string> errors;  // field errors, in the validator's order; empty: accepted
  bool dropped = false;             // accepted, but dropPodFields cleared both fields (gate off, 1.34+)
};

/// Validates `spec.containers[index]` restart fields as the API server of `version` with `gates` does on
/// create:
/// - 1.28..1.33 (no ContainerRestartRules): `restartPolicyRules` is an unknown field (strict decoding:
///   `unknown field "spec.containers[0].restartPolicyRules"`); a restartPolicy is
///   "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers";
/// - 1.34+ with the gate off: both fields are dropped before validation (pkg/api/pod/util.go
///   dropContainerRestartRules), so nothing is reported and `dropped` is set;
/// - with the gate on: validateContainerRestartPolicy: Required restartPolicy when rules are used,
///   Unsupported restartPolicy / action / operator, at most 20 rules and 255 exit codes (Too long with
///   "bytes" in 1.34/1.35, Too many from 1.36), Required exitCodes. No duplicate or range check exists.
/// Source: pkg/apis/core/validation/validation.go validateContainers / validateContainerRestartPolicy
/// (v1.33.13, v1.34.3, v1.35.4, v1.36.3, v1.37.2); apimachinery field/errors.go (ErrorBody).
RestartFieldsVerdict validateContainerRestartFields(KubernetesVersion version, const FeatureGateOverrides& gates,
                                                    std::size_t index, const RawContainerRestartFields& fields);

}  // namespace podsim::kubelet
