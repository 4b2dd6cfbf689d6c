// models/api/defaults.hpp: the API server's defaults that podsim applies to a Pod's fields.
//
// Source: pkg/apis/core/v1/defaults.go (SetDefaults_Container, SetDefaults_Probe, SetDefaults_PodSpec).
// Most defaults are the initial values of the value types in types.hpp (restartPolicy Always,
// terminationGracePeriodSeconds 30, probe period 10 s ...); what depends on another field is here.
// Does not read YAML and does not validate (validation.hpp).
#pragma once

#include <string_view>

#include "models/api/types.hpp"

namespace podsim::api {

/// SetDefaults_Container's `imagePullPolicy`: `:latest` or no tag (and no digest) pulls Always,
/// anything else IfNotPresent (a digest with tag `latest` also Always). The tag is taken with the one
/// image reference parser (image_reference.hpp), valid reference or not. Never throws.
PullPolicy defaultImagePullPolicy(std::string_view image) noexcept;

/// SetDefaults_Container on a read container: `imagePullPolicy` from the image when it was not written.
/// `pullPolicyWritten` says whether the manifest set it. Never throws.
void SetDefaults_Container(Container& c, bool pullPolicyWritten) noexcept;

}  // namespace podsim::api
