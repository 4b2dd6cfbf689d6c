// models/scenario/field_names.hpp: the field names of every part of a scenario and the one did-you-mean.
//
// Owns the tables of field names of the manifests podsim reads (Pod, ObjectMeta, PodSpec, Container,
// Probe, Lifecycle, ResourceRequirements, ContainerPort, Toleration, Service, Node) and of the
// Scenario document, the table of well-known misplacements (`preStop` under behaviors is
// `hooks.preStop`), and the suggestion function every unknown-field check uses. Does not decide which
// fields are read or modelled (manifests.cpp and the Scenario readers do; a table here only feeds the
// suggestion), and reads no YAML. Internal to models/scenario/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace podsim::scenario::detail {

/// The parts of a scenario whose field names are checked; they key the misplacement table.
enum class Section : unsigned char {
  None,               // no misplacement entries (a list given by the caller only)
  PodDocument,        // a Pod's top level: apiVersion, kind, metadata, spec, status
  ServiceDocument,    // a Service's top level
  NodeDocument,       // a Node's top level
  Metadata,           // ObjectMeta
  PodSpec,            // PodSpec
  Container,          // Container (containers[] and initContainers[])
  Probe,              // Probe: handler and timing fields
  Lifecycle,          // Lifecycle: postStart, preStop
  LifecycleHandler,   // LifecycleHandler: exec, httpGet, tcpSocket, sleep
  HandlerFields,      // the fields of one handler (exec.command, httpGet.path, ...)
  Resources,          // ResourceRequirements
  ContainerPort,      // ContainerPort
  Toleration,         // Toleration (and a Node's Taint)
  ScenarioDocument,   // the Scenario document's top level
  ScenarioSpec,       // the Scenario's spec
  Behavior,           // spec.behaviors.POD.CONTAINER
  BehaviorHooks,      // spec.behaviors.POD.CONTAINER.hooks
};

/// The field names of a manifest section as the API defines them (modelled and accepted-but-ignored
/// alike), in the API's order; empty for the Scenario sections (their readers give their own lists).
const std::vector<std::string>& fieldsOf(Section s);

/// The one did-you-mean of podsim: what the unknown key `key` of section `s` most likely meant, or ""
/// when nothing is close. In order: a field of `known` that differs only in case (`restartpolicy` ->
/// `restartPolicy`, `pod` -> `Pod`); the nearest field of `known` by edit distance (insertions,
/// deletions, substitutions and swaps of two neighbours each cost 1, case ignored) when at most a third
/// of the shorter name differs (at least 1: `imaeg` -> `image`, `initContainer` -> `initContainers`);
/// then the table of well-known misplacements, whose answer is a path from the section (`preStop` in a
/// Behavior -> `hooks.preStop`, `requests` in a Container -> `resources.requests`). Ties go to the first
/// name of `known`.
std::string suggestField(std::string_view key, const std::vector<std::string>& known, Section s = Section::None);

/// `, did you mean "X"?` for suggestField's answer, or "" when there is none.
std::string didYouMean(std::string_view key, const std::vector<std::string>& known, Section s = Section::None);

/// The message of an unknown field, in the words of the API server's strict decoding with the whole
/// field path (`unknown field "spec.containers[0].imaeg"`), plus podsim's `, did you mean "image"?`.
/// `path` is the full path of the field, `key` its last segment.
std::string unknownFieldMessage(const std::string& path, std::string_view key, const std::vector<std::string>& known,
                                Section s = Section::None);

/// Whether two names are equal when case is ignored (ASCII).
bool sameIgnoringCase(std::string_view a, std::string_view b);

/// The edit distance of suggestField (optimal string alignment, case-insensitive).
std::size_t editDistance(std::string_view a, std::string_view b);

}  // namespace podsim::scenario::detail
