// models/api/validation.hpp: the checks of the API server's validation that podsim applies, with the
// API's own messages.
//
// Source: k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label, IsDNS1123Subdomain,
// IsValidPortName) as called from pkg/apis/core/validation/validation.go (ValidatePodCreate,
// validateContainers, validateContainerPorts). Pure functions: the scenario reader calls them after
// reading and defaulting a manifest and adds file:line:col and the field path to the message. The checks
// that need the YAML position of a sub-field stay in the reader (models/scenario/manifests.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace podsim::api {

/// The message after `Invalid value: "<v>": ` for a name that is not a DNS-1123 subdomain
/// (validation.go dns1123SubdomainErrorMsg with RegexError).
extern const std::string kDNS1123SubdomainErrorMsg;
/// The message after `Invalid value: "<v>": ` for a name that is not a DNS-1123 label.
extern const std::string kDNS1123LabelErrorMsg;

/// IsDNS1123Label: 1..63 characters of [a-z0-9-], starting and ending with [a-z0-9]. Never throws.
bool IsDNS1123Label(std::string_view s);

/// IsDNS1123Subdomain: at most 253 characters, dot-separated DNS-1123 labels. Never throws.
bool IsDNS1123Subdomain(std::string_view s);

/// IsValidPortName: the first problem of a container port name as the API words it (e.g. "must be no
/// more than 15 characters"), or "" when it is valid (IANA_SVC_NAME).
std::string validatePortName(std::string_view n);

/// IsQualifiedName (a label key: an optional DNS-1123 subdomain prefix and '/', then a name of 1..63
/// characters of [-A-Za-z0-9_.] starting and ending with [A-Za-z0-9]): every problem as the API words it after
/// `Invalid value: "<v>": ` (e.g. "name part must consist of alphanumeric characters, ..."); empty when valid.
/// Used for `spec.readinessGates[].conditionType` (validation.go validateReadinessGates -> ValidateQualifiedName).
/// Source: k8s.io/apimachinery v0.37.2 pkg/api/validate/content/kube.go IsLabelKey (the same rule and words
/// as v0.28's util/validation IsQualifiedName, except its "a qualified name" for a value with two or more '/').
std::vector<std::string> validateQualifiedName(std::string_view value);

}  // namespace podsim::api
