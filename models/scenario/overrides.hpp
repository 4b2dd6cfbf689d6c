// models/scenario/overrides.hpp: `PATH=VALUE` overrides of a scenario's YAML, applied before loading.
//
// Owns the override path syntax shared by `podsim sweep --set` and the Python API: edits the parsed YAML
// documents (yaml-cpp) and re-emits them as text for loadScenarioString. Knows nothing of what the fields
// mean: the loader validates the result as it validates any file. Does not run anything.
#pragma once

#include <memory>
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

/// A scenario parsed once, from which variants are made without parsing the text again where the
/// overrides allow it (what a sweep of thousands of variants needs: a full reload costs about 1.6 ms).
///
/// Overrides applied to the loaded model directly (each checked as the loader checks it; a value the
/// loader might reject or read otherwise takes the full route, so the messages stay the loader's):
/// - `pods.P.spec.{containers,initContainers}[C].{startup,liveness,readiness}Probe.{initialDelaySeconds,
///   periodSeconds,timeoutSeconds,successThreshold,failureThreshold}`: a positive integer literal, the pod
///   declared once in the main text, the container named, the probe declared;
/// - `spec.behaviors.P.C.probes.{startup,liveness,readiness}.{succeedAfter,failAfter,duration}` and
///   `spec.behaviors.P.C.{run,exitCode,startDelay,terminationDelay}`: a plain duration (or exit code)
///   literal, where the base text has a `spec.behaviors.P.C` entry without `attempts`;
/// - `spec.images[I].pullDuration` where the base text declares image I in `spec.images`.
/// Every other override (and any variant holding one) is applied to the YAML text, which is loaded anew:
/// the same result, at the cost of a parse. Thread-safe once constructed (variant() is const).
class PreparedScenario {
 public:
  /// Loads the text once. Throws InputError as loadScenarioString.
  PreparedScenario(std::string yaml, std::string fileLabel);
  ~PreparedScenario();
  PreparedScenario(const PreparedScenario&) = delete;
  PreparedScenario& operator=(const PreparedScenario&) = delete;

  /// The scenario as loaded without overrides.
  [[nodiscard]] const Scenario& base() const noexcept;
  /// The scenario with the overrides, as loadScenarioString(applyOverrides(text, overrides)) gives it
  /// (source locations aside: a direct variant keeps the base file's). Throws InputError as those do.
  /// `direct`, when given, tells whether the model was edited directly (true) or the text reloaded.
  [[nodiscard]] Scenario variant(const std::vector<Override>& overrides, bool* direct = nullptr) const;
  /// Applies the overrides to a copy of base() when every one of them has a direct form; false (and `out`
  /// unspecified) otherwise. Never throws for a value: a doubtful one returns false.
  [[nodiscard]] bool applyDirect(const std::vector<Override>& overrides, Scenario& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads the whole file at `path`. Throws InputError (`cannot read file`) when it cannot.
std::string readScenarioText(const std::string& path);

}  // namespace podsim::scenario
