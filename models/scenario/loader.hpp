// models/scenario/loader.hpp: reading scenario files (interface.md §1) into a Scenario.
//
// The only code that knows YAML. Reads Pod, Node and Service manifests with the API server's defaults
// and validation messages, the optional `podsim/v1alpha1 Scenario` document, and the files it names
// under `spec.manifests`; decides each container's process behaviour (from `behaviors`, from its shell
// command, or the default) and interns every name to an index. It does not run anything.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "models/kubelet/config.hpp"

#include "models/scenario/scenario.hpp"

namespace podsim::scenario {

/// Reads a scenario file (all its YAML documents and the manifests it includes).
/// Throws InputError (message `file:line:col: fieldPath: detail`) on any bad input: unreadable file,
/// YAML syntax, unknown or mistyped fields (with a did-you-mean), values the Kubernetes API would reject,
/// a workload kind (Deployment .. CronJob: where its pod template is), no Pod document. All field errors
/// of the first bad document come at once (InputError::errors); a YAML syntax error stops at the first.
/// Fields the simulator does not model are accepted with one warning per field name in Scenario::warnings.
Scenario loadScenarioFile(const std::string& path);

/// Reads a scenario from YAML text; `fileLabel` names it in messages, and its directory is where the
/// paths of `spec.manifests` are resolved (the current directory for the default "<string>").
/// Errors as loadScenarioFile.
Scenario loadScenarioString(const std::string& yaml, const std::string& fileLabel = "<string>");

/// Sets (nullopt: clears) the Kubernetes version every later load uses instead of the scenario's
/// `spec.kubernetesVersion` (the CLI's `--kubernetes-version`); validation then follows that version. Set it
/// before loading: it is not synchronised with loads already running on other threads.
void setKubernetesVersionOverride(std::optional<kubelet::KubernetesVersion> version);

/// Parses a Kubernetes version as `spec.kubernetesVersion` takes it: "1.34", "v1.34" or "1.34.2" (the patch
/// is ignored). nullopt when malformed or outside 1.28..1.37 (feature_gates.hpp isSupportedVersion).
std::optional<kubelet::KubernetesVersion> parseKubernetesVersion(std::string_view text);

/// Whether the pod at this index of Scenario::pods exists from t=0: false when a `createPod` action
/// creates it later. Throws std::out_of_range for a bad index.
bool createdAtStart(const Scenario& scenario, std::size_t podIndex);

}  // namespace podsim::scenario
