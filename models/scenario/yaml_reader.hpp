// models/scenario/yaml_reader.hpp: reading YAML node trees with positions, typed reads and limits.
//
// Owns the bounds on what one scenario may hold, the error of bad input (file:line:col and the field
// path, as InputError), the typed reads of scalars (string, int, bool, duration, seconds) with YAML 1.1
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
    "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
    "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
    "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    "hostnameOverride"};

/// Container fields of the API that podsim accepts and ignores.
inline const std::set<std::string, std::less<>> kUnmodelledContainer = {
    "workingDir", "envFrom", "resizePolicy", "restartPolicyRules", "volumeMounts", "volumeDevices",
    "terminationMessagePath", "terminationMessagePolicy", "securityContext", "stdin", "stdinOnce", "tty"};

/// ObjectMeta fields podsim accepts and ignores.
inline const std::set<std::string, std::less<>> kUnmodelledMeta = {
    "annotations", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields",
    "selfLink"};

// ---------------------------------------------------------------- small helpers

inline std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// `unknown field "x"`, with `, did you mean "y"?` when a known key is close.
inline std::string unknownFieldMessage(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t bestDistance = std::string::npos;
  for (const auto& k : known) {
    const auto d = editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  std::string m = "unknown field \"" + key + "\"";
  if (!best.empty() && bestDistance <= std::max<std::size_t>(2, best.size() / 3)) m += ", did you mean \"" + best + "\"?";
  return m;
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

/// Reads the values of one YAML node tree; every error is an InputError with file, position and path.
class YamlReader {
 protected:
  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& detail) const;

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
      const YAML::Node k = it->first;
      if (!k.IsScalar()) fail(k, path, "expected a string key, got " + describe(k));
      const std::string key = k.Scalar();
      if (!seen.insert(key).second) fail(k, child(path, key), "duplicate field \"" + key + "\"");
      fn(key, k, it->second);
    }
  }

  /// Calls fn(index, item) for each item of a list (null counts as empty).
  template <class F>
  void forEachItem(const YAML::Node& n, const std::string& path, F&& fn) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) fail(n, path, "expected a list, got " + describe(n));
    std::size_t i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) fn(i, *it);
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
};

}  // namespace podsim::scenario::detail
