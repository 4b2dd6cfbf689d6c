// models/scenario/overrides.hpp: `PATH=VALUE` overrides of a scenario's YAML, applied before loading.
//
// Owns the override path syntax shared by `podsim sweep --set` and the Python API: edits the parsed YAML
// documents (yaml-cpp) and re-emits them as text for loadScenarioString. Knows nothing of what the fields
// mean: the loader validates the result as it validates any file. Does not run anything.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace podsim::scenario {

/// One override: a path into the scenario and a YAML value (`5`, `30s`, `{run: 5s}`, `"quoted"`).
///
/// Paths: `spec.…` and `metadata.…` address the `podsim/v1alpha1 Scenario` document (made when the
/// text has none); `pods.NAME.…` the Pod document whose metadata.name is NAME. Segments are map keys
/// separated by dots; `key[x]` picks the element of a list whose `name` is x (or the x-th element when x
/// is a number), or the map key x, so keys with dots stay addressable (`spec.images[busybox:1.36].pullDuration`).
/// Missing map keys on the way are created; a missing pod, list element or a step into a scalar is an error.
struct Override {
  std::string path;
  std::string value;
};

/// Splits `PATH=VALUE` at the first `=`. Throws InputError (file "<command line>") without one.
Override parseOverride(const std::string& text);

/// Applies the overrides, in order, to the YAML text of a scenario and returns the re-emitted text.
/// `fileLabel` names the text in messages. Throws InputError naming the override's path when the path
/// cannot be followed (unknown pod or container, index past the end, a scalar on the way) or the text
/// is not YAML. Without overrides the text is returned unchanged.
std::string applyOverrides(const std::string& yaml, const std::vector<Override>& overrides,
                           const std::string& fileLabel = "<string>");

/// Reads the whole file at `path`. Throws InputError (`cannot read file`) when it cannot.
std::string readScenarioText(const std::string& path);

}  // namespace podsim::scenario
