// models/scenario/yaml_reader.hpp: reading YAML node trees with positions, typed reads and limits.
//
// Owns the bounds on what one scenario may hold, the error of bad input (file:line:col and the field
// path, as InputError) and the gathering of all field errors of one document (document, soft, collect;
// StopError for what cannot be read past), the typed reads of scalars (string, int, bool, duration, seconds) with YAML 1.1
// rules for manifests, map and list walks that reject duplicates, and the field-path helpers. Does not
// know Pods or the Scenario document (manifests.cpp, scenario_spec.cpp ... read those). Internal to
// models/scenario/: nothing outside includes it.
#pragma once

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "models/api/defaults.hpp"
#include "models/api/quantity.hpp"
#include "models/api/validation.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/field_names.hpp"
#include "models/kubelet/config.hpp"
#include "models/scenario/shell.hpp"

namespace podsim::scenario::detail {

__extension__ typedef __int128 Wide;  // exact products of decimal digits and unit factors

inline constexpr int kMaxIncludeDepth = 16;

// Bounds on what one scenario may hold, so that no input makes podsim use unbounded time or memory.
// A file larger than kMaxFileBytes is not parsed; a document whose tree, with YAML aliases expanded,
// has more than kMaxNodes nodes (an "alias bomb") or is nested deeper than kMaxDepth is rejected
// before any field is read.
// A file is at most 32 MiB (the benchmark's 10,000-pod scenario is about 21 MB), and a scenario with
// all the manifests it includes at most 64 MiB (the same big file named many times in spec.manifests).
inline constexpr std::uintmax_t kMaxFileBytes = 32u * 1024u * 1024u;
inline constexpr const char* kMaxFileText = "32 MiB";
inline constexpr std::uintmax_t kMaxTotalBytes = 64u * 1024u * 1024u;
inline constexpr std::size_t kMaxNodes = 1'000'000;
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxDocuments = 100'000;
inline constexpr std::size_t kMaxPods = 100'000;
inline constexpr std::size_t kMaxContainersPerPod = 100;
inline constexpr std::size_t kMaxActions = 10'000;
inline constexpr std::size_t kMaxExpectations = 10'000;
inline constexpr sim::Time kMaxDuration = 30 * 24 * sim::kHour;  // spec.duration: 30 days of simulated time
// Any other finite time (a behaviour's durations, an action's `at`, a grace period in seconds) is at most
// ten years, so that sums of a few of them stay far inside int64 nanoseconds (292 years).
// Simplification: the API allows longer grace periods; podsim rejects them rather than overflow.
inline constexpr sim::Time kMaxFinite = 87600 * sim::kHour;
inline constexpr std::int64_t kMaxSeconds = kMaxFinite / sim::kSecond;  // 315,360,000

// ---------------------------------------------------------------- field lists

/// PodSpec fields of the API that podsim accepts and ignores (one warning each).
inline const std::set<std::string, std::less<>> kUnmodelledPodSpec = {
    "volumes", "ephemeralContainers", "dnsPolicy", "serviceAccountName", "serviceAccount",
    "automountServiceAccountToken", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace",
    "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName",
    "hostAliases", "priorityClassName", "priority", "dnsConfig", "runtimeClassName",
    "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
    "setHostnameAsFQDN", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    "hostnameOverride"};

/// Container fields of the API that podsim accepts and ignores.
inline const std::set<std::string, std::less<>> kUnmodelledContainer = {
    "workingDir", "envFrom", "restartPolicyRules", "volumeMounts", "volumeDevices",
    "terminationMessagePath", "terminationMessagePolicy", "securityContext", "stdin", "stdinOnce", "tty"};

/// ObjectMeta fields podsim accepts and ignores.
inline const std::set<std::string, std::less<>> kUnmodelledMeta = {
    "annotations", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields",
    "selfLink"};

// ---------------------------------------------------------------- small helpers

/// `unknown field "key"` with podsim's did-you-mean (field_names.hpp); for names that are no field path.
inline std::string unknownFieldMessage(const std::string& key, const std::vector<std::string>& known) {
  return "unknown field \"" + key + "\"" + didYouMean(key, known);
}

inline std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

inline std::string quotedList(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& x : v) q.push_back("\"" + x + "\"");
  return join(q, ", ");
}

/// spec.containers[1].volumeMounts -> spec.containers[].volumeMounts (one warning per field name).
inline std::string genericPath(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') {
      const auto close = path.find(']', i);
      if (close != std::string::npos && path.find_first_not_of("0123456789", i + 1) == close) {
        out += "[]";
        i = close;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

/// The first tab in the leading whitespace of line `line` or the line before or after it (1-based):
/// {line, column}, or {0, 0} when there is none.
inline std::pair<int, int> leadingTab(const std::string& text, int line) {
  int current = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    if (current >= line - 1 && current <= line + 1) {
      for (std::size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i) {
        if (text[i] == '\t') return {current, static_cast<int>(i - start) + 1};
      }
    }
    if (current > line + 1 || end == text.size()) break;
    start = end + 1;
    ++current;
  }
  return {0, 0};
}

inline std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
inline std::string child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

/// At most this many errors of one document are collected; the next stops the reading.
inline constexpr std::size_t kMaxErrors = 100;

/// An error after which reading cannot go on: YAML syntax, a bound on size, an included file's errors,
/// or the errors of a document already gathered. forEachEntry and forEachItem pass it on instead of
/// collecting it.
class StopError : public InputError {
 public:
  explicit StopError(const InputError& e) : InputError(e) {}
};

/// Reads the values of one YAML node tree; every error is an InputError with file, position and path.
///
/// Errors are gathered per document, as the API server gathers a field.ErrorList: an error raised while
/// reading one entry of a map or one item of a list is collected and the walk goes on with the next;
/// `document` raises what was collected when the document is read (one InputError, or the aggregate of
/// several; see InputError::errors).
class YamlReader {
 protected:
  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& detail) const;

  /// As fail, but the reading stops there (StopError): for bounds on size and nesting.
  [[noreturn]] void stop(const YAML::Node& at, const std::string& path, const std::string& detail) const;

  /// fail with the unknown-field message of field_names.hpp for the key node `k` at the full path
  /// `path`: the known names are `known`, or the table of section `s` when `known` is null.
  [[noreturn]] void failUnknown(const YAML::Node& k, const std::string& path, const std::string& key, Section s,
                                const std::vector<std::string>* known = nullptr) const;

  /// Collects an error of the document being read, unless it repeats or follows from one already
  /// collected (the same field path, or one path inside the other: `spec.containers: Required value`
  /// after `spec.containers[0].name: Required value`). Raises everything at kMaxErrors errors.
  void collect(const InputError& e);

  /// Raises what was collected as one StopError (nothing when nothing was): the error itself when there
  /// is one, else the aggregate named by object_ (`Pod "web" is invalid: 3 errors`).
  void raiseCollected();

  /// Reads one document with fn(): errors of its entries are collected (an error fn raises directly ends
  /// it, and is collected too), then raised all at once. `object` names it in the aggregate (`Pod`; the
  /// readers add the name when they know it). Errors collected by an enclosing document are kept aside.
  template <class F>
  void document(std::string object, F&& fn) {
    auto outerErrors = std::exchange(errors_, {});
    auto outerObject = std::exchange(object_, std::move(object));
    try {
      fn();
    } catch (const StopError& e) {
      if (errors_.empty() || !e.errors.empty()) throw;
      collect(e);
    } catch (const InputError& e) {
      collect(e);
    }
    raiseCollected();
    errors_ = std::move(outerErrors);
    object_ = std::move(outerObject);
  }

  /// Runs fn(), collecting an InputError it raises (for checks after a walk, so that one failed check
  /// does not hide the next).
  template <class F>
  void soft(F&& fn) {
    try {
      fn();
    } catch (const StopError&) {
      throw;
    } catch (const InputError& e) {
      collect(e);
    }
  }

  /// Walks a document as the readers will, counting every node reached (a node shared through YAML
  /// aliases counts each time it is reached), and rejects an alias bomb or too deep a nesting before
  /// any reader walks it. yaml-cpp keeps aliased nodes shared, so parsing itself stays linear.
  void guardTree(const YAML::Node& doc);

  void guardNode(const YAML::Node& n, int depth, std::size_t& visited, std::vector<std::string>& path);

  static std::string describe(const YAML::Node& n);

  void warnUnmodelled(const std::string& path);

  /// Calls fn(key, keyNode, value) for each entry of a map (null counts as empty); rejects other
  /// types and duplicate keys.
  template <class F>
  void forEachEntry(const YAML::Node& n, const std::string& path, F&& fn) {
    if (n.IsNull()) return;
    if (!n.IsMap()) fail(n, path, "expected a map, got " + describe(n));
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      soft([&] {
        const YAML::Node k = it->first;
        if (!k.IsScalar()) fail(k, path, "expected a string key, got " + describe(k));
        const std::string key = k.Scalar();
        if (!seen.insert(key).second) fail(k, child(path, key), "duplicate field \"" + key + "\"");
        fn(key, k, it->second);
      });
    }
  }

  /// Calls fn(index, item) for each item of a list (null counts as empty).
  template <class F>
  void forEachItem(const YAML::Node& n, const std::string& path, F&& fn) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) fail(n, path, "expected a list, got " + describe(n));
    std::size_t i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) soft([&] { fn(i, *it); });
  }

  std::string str(const YAML::Node& n, const std::string& path) const;

  /// What YAML 1.1 (go-yaml v2, as kubectl reads manifests) makes of a plain scalar that is no string:
  /// "a number", "a boolean" or "null"; nullptr for a string.
  static const char* yaml11Type(const std::string& s);

  std::int64_t int64(const YAML::Node& n, const std::string& path) const;

  std::int32_t int32(const YAML::Node& n, const std::string& path) const;

  bool boolean(const YAML::Node& n, const std::string& path) const;

  sim::Time duration(const YAML::Node& n, const std::string& path, ForeverAllowed forever = ForeverAllowed::No,
                     sim::Time max = kMaxFinite, const char* maxText = "87600h (10 years)") const;

  /// A count of seconds (a grace period, tolerationSeconds, a sleep): an integer in [0, kMaxSeconds].
  std::int64_t seconds(const YAML::Node& n, const std::string& path) const;

  std::map<std::string, std::string> stringMap(const YAML::Node& n, const std::string& path);

  std::vector<std::string> stringList(const YAML::Node& n, const std::string& path);

  std::string file_;  // the file being read, for messages
  bool manifest_ = false;  // reading Kubernetes manifests (YAML 1.1 string rules apply), not the Scenario
  std::set<std::string> warned_;  // generic field paths already warned about
  std::vector<std::string>* warnings_ = nullptr;  // where warnUnmodelled adds its warnings
  std::vector<InputError> errors_;  // the errors of the document being read (see document)
  std::string object_;  // names the document being read in an aggregate: `Pod "web"`, `Scenario`
};

}  // namespace podsim::scenario::detail
