// models/scenario/loader.cpp: YAML documents -> Scenario, with the API server's defaults and messages.
//
// Phases: (1) read the main file and the files of `spec.manifests` into documents; (2) read Services,
// Nodes and Pods (defaults and validation of pkg/apis/core/v1/defaults.go and
// pkg/apis/core/validation/validation.go); (3) read the Scenario document, whose behaviours and
// actions refer to the pods; (4) decide each remaining container's behaviour from its command.
// Every error is an InputError carrying file, 1-based line and column and the field path.
#include "models/scenario/loader.hpp"

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

namespace podsim::scenario {
namespace {

__extension__ typedef __int128 Wide;  // exact products of decimal digits and unit factors

constexpr int kMaxIncludeDepth = 16;

// Bounds on what one scenario may hold, so that no input makes podsim use unbounded time or memory.
// A file larger than kMaxFileBytes is not parsed; a document whose tree, with YAML aliases expanded,
// has more than kMaxNodes nodes (an "alias bomb") or is nested deeper than kMaxDepth is rejected
// before any field is read.
// A file is at most 32 MiB (the benchmark's 10,000-pod scenario is about 21 MB), and a scenario with
// all the manifests it includes at most 64 MiB (the same big file named many times in spec.manifests).
constexpr std::uintmax_t kMaxFileBytes = 32u * 1024u * 1024u;
constexpr const char* kMaxFileText = "32 MiB";
constexpr std::uintmax_t kMaxTotalBytes = 64u * 1024u * 1024u;
constexpr std::size_t kMaxNodes = 1'000'000;
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxDocuments = 100'000;
constexpr std::size_t kMaxPods = 100'000;
constexpr std::size_t kMaxContainersPerPod = 100;
constexpr std::size_t kMaxActions = 10'000;
constexpr std::size_t kMaxExpectations = 10'000;
constexpr sim::Time kMaxDuration = 30 * 24 * sim::kHour;  // spec.duration: 30 days of simulated time
// Any other finite time (a behaviour's durations, an action's `at`, a grace period in seconds) is at most
// ten years, so that sums of a few of them stay far inside int64 nanoseconds (292 years).
// Simplification: the API allows longer grace periods; podsim rejects them rather than overflow.
constexpr sim::Time kMaxFinite = 87600 * sim::kHour;
constexpr std::int64_t kMaxSeconds = kMaxFinite / sim::kSecond;  // 315,360,000

// ---------------------------------------------------------------- field lists

/// PodSpec fields of the API that podsim accepts and ignores (one warning each).
const std::set<std::string, std::less<>> kUnmodelledPodSpec = {
    "volumes", "ephemeralContainers", "dnsPolicy", "serviceAccountName", "serviceAccount",
    "automountServiceAccountToken", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace",
    "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName",
    "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
    "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
    "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    "hostnameOverride"};

/// Container fields of the API that podsim accepts and ignores.
const std::set<std::string, std::less<>> kUnmodelledContainer = {
    "workingDir", "envFrom", "env", "resizePolicy", "restartPolicyRules", "volumeMounts", "volumeDevices",
    "terminationMessagePath", "terminationMessagePolicy", "securityContext", "stdin", "stdinOnce", "tty"};

/// ObjectMeta fields podsim accepts and ignores.
const std::set<std::string, std::less<>> kUnmodelledMeta = {
    "annotations", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields",
    "selfLink"};

// ---------------------------------------------------------------- small helpers

std::size_t editDistance(std::string_view a, std::string_view b) {
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
std::string unknownFieldMessage(const std::string& key, const std::vector<std::string>& known) {
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

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

std::string quotedList(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& x : v) q.push_back("\"" + x + "\"");
  return join(q, ", ");
}

/// spec.containers[1].volumeMounts -> spec.containers[].volumeMounts (one warning per field name).
std::string genericPath(const std::string& path) {
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
std::pair<int, int> leadingTab(const std::string& text, int line) {
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

std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// ---------------------------------------------------------------- documents

/// Receives the parse events of a YAML stream and only remembers where each document starts: the
/// pre-pass that finds a stream on which yaml-cpp 0.7 stops making progress (a `,` where a block node
/// is expected yields an endless run of empty documents at the same place, so LoadAll never returns).
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start;
};

/// The first byte of `text` that is not part of valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), or npos. Manifests are JSON to the API server, so they are UTF-8 text.
std::size_t invalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + n >= text.size()) return i;  // cut short by the end of the text
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

/// Parses `text` once without building nodes and returns the mark where the parser stops advancing
/// (two documents starting at the same place), or a null mark when the whole stream parses.
/// YAML::Exception passes through, as from LoadAll.
YAML::Mark stalledAt(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts h;
  int previous = -1;
  while (parser.HandleNextDocument(h)) {
    if (h.start.pos == previous) return h.start;
    previous = h.start.pos;
  }
  return YAML::Mark::null_mark();
}

struct Document {
  YAML::Node node;
  std::string file;  // label used in messages
  std::filesystem::path dir;  // where relative manifest paths of this document are resolved
};

/// Reads the YAML node tree of a scenario, raising InputErrors with positions and field paths.
class Loader {
 public:
  Scenario run(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
               const std::string& canonical) {
    sc_.file = fileLabel;
    totalBytes_ = text.size();
    stack_.push_back(canonical);
    readDocuments(text, fileLabel, dir, 0);
    stack_.pop_back();
    build();
    return std::move(sc_);
  }

 private:
  // -------------------------------------------------------------- errors and types

  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& detail) const {
    int line = 1, column = 1;
    if (at.IsDefined()) {
      const auto m = at.Mark();
      if (m.line >= 0) line = m.line + 1;
      if (m.column >= 0) column = m.column + 1;
    }
    throw InputError(file_, line, column, path, detail);
  }

  /// Walks a document as the readers will, counting every node reached (a node shared through YAML
  /// aliases counts each time it is reached), and rejects an alias bomb or too deep a nesting before
  /// any reader walks it. yaml-cpp keeps aliased nodes shared, so parsing itself stays linear.
  void guardTree(const YAML::Node& doc) {
    std::size_t visited = 0;
    std::vector<std::string> path;
    guardNode(doc, 0, visited, path);
  }

  void guardNode(const YAML::Node& n, int depth, std::size_t& visited, std::vector<std::string>& path) {
    auto where = [&] {
      std::string s;
      for (const auto& seg : path) s += (seg.front() == '[' || s.empty()) ? seg : "." + seg;
      return s;
    };
    if (++visited > kMaxNodes) {
      fail(n, where(), "the document has more than " + std::to_string(kMaxNodes) +
                           " nodes, counting each use of a YAML alias (an alias bomb?)");
    }
    if (depth > kMaxDepth) fail(n, where(), "nested more than " + std::to_string(kMaxDepth) + " levels deep");
    if (n.IsSequence()) {
      std::size_t i = 0;
      for (auto it = n.begin(); it != n.end(); ++it, ++i) {
        path.push_back("[" + std::to_string(i) + "]");
        guardNode(*it, depth + 1, visited, path);
        path.pop_back();
      }
    } else if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        const YAML::Node k = it->first;
        path.push_back(k.IsScalar() && !k.Scalar().empty() ? k.Scalar().substr(0, 64) : "<key>");
        guardNode(k, depth + 1, visited, path);
        guardNode(it->second, depth + 1, visited, path);
        path.pop_back();
      }
    }
  }

  static std::string describe(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a map";
      case YAML::NodeType::Scalar:
        return "\"" + (n.Scalar().size() > 80 ? n.Scalar().substr(0, 80) + "..." : n.Scalar()) + "\"";
      default: return "null";
    }
  }

  void warnUnmodelled(const std::string& path) {
    const auto g = genericPath(path);
    if (warned_.insert(g).second) sc_.warnings.push_back(file_ + ": field " + g + " is not modelled; ignored");
  }

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

  std::string str(const YAML::Node& n, const std::string& path) const {
    if (!n.IsScalar()) fail(n, path, "expected a string, got " + describe(n));
    // kubectl reads manifests as YAML 1.1 (sigs.k8s.io/yaml): an unquoted 1.0, 8080, yes or null there is
    // no string, and the API server rejects it; taking it as text would be a silent guess.
    if (manifest_ && n.Tag() == "?") {
      if (const char* what = yaml11Type(n.Scalar())) {
        fail(n, path, std::string("expected a string, got ") + what + " " + n.Scalar().substr(0, 80) + " (quote it: \"" +
                          n.Scalar().substr(0, 80) + "\")");
      }
    }
    return n.Scalar();
  }

  /// What YAML 1.1 (go-yaml v2, as kubectl reads manifests) makes of a plain scalar that is no string:
  /// "a number", "a boolean" or "null"; nullptr for a string.
  static const char* yaml11Type(const std::string& s) {
    static const std::set<std::string, std::less<>> kBool = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                                             "true", "True", "TRUE", "false", "False", "FALSE",
                                                             "on", "On", "ON", "off", "Off", "OFF"};
    static const std::set<std::string, std::less<>> kNull = {"", "~", "null", "Null", "NULL"};
    static const std::set<std::string, std::less<>> kSpecial = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                                                "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
    if (kBool.count(s) != 0) return "a boolean";
    if (kNull.count(s) != 0) return "null";
    if (kSpecial.count(s) != 0) return "a number";
    // [-+]? then digits (with _), an optional fraction, an optional exponent; or 0x / 0o integers.
    std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
      const char* digits = s[i + 1] == 'x' ? "0123456789abcdefABCDEF_" : "01234567_";
      return s.find_first_not_of(digits, i + 2) == std::string::npos ? "a number" : nullptr;
    }
    std::size_t mantissa = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i, ++mantissa;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i, ++mantissa;
    }
    if (mantissa == 0) return nullptr;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
      const std::size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return nullptr;
    }
    return i == s.size() ? "a number" : nullptr;
  }

  std::int64_t int64(const YAML::Node& n, const std::string& path) const {
    if (!n.IsScalar() || n.Tag() == "!") fail(n, path, "expected an integer, got " + describe(n));
    const std::string& s = n.Scalar();
    std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == s.size() || s.find_first_not_of("0123456789", i) != std::string::npos) {
      fail(n, path, "expected an integer, got " + describe(n));
    }
    // Digits beyond int64 are a number the API's decoder would reject too, not a reason to wrap around.
    Wide v = 0;
    for (std::size_t j = i; j < s.size(); ++j) {
      v = v * 10 + (s[j] - '0');
      if (v > static_cast<Wide>(INT64_MAX)) fail(n, path, "Invalid value: " + s.substr(0, 40) + ": must fit in 64 bits");
    }
    return static_cast<std::int64_t>(s[0] == '-' ? -v : v);
  }

  std::int32_t int32(const YAML::Node& n, const std::string& path) const {
    const auto v = int64(n, path);
    if (v < INT32_MIN || v > INT32_MAX) fail(n, path, "Invalid value: " + std::to_string(v) + ": must fit in 32 bits");
    return static_cast<std::int32_t>(v);
  }

  bool boolean(const YAML::Node& n, const std::string& path) const {
    if (n.IsScalar() && n.Tag() != "!") {
      const auto& s = n.Scalar();
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    fail(n, path, "expected true or false, got " + describe(n));
  }

  sim::Time duration(const YAML::Node& n, const std::string& path, ForeverAllowed forever = ForeverAllowed::No,
                     sim::Time max = kMaxFinite, const char* maxText = "87600h (10 years)") const {
    if (!n.IsScalar()) fail(n, path, "expected a duration, got " + describe(n));
    sim::Time t = 0;
    try {
      t = parseDuration(n.Scalar(), forever);
    } catch (const std::invalid_argument& e) {
      fail(n, path, e.what());
    }
    if (t != sim::kForever && t > max) fail(n, path, "Invalid value: \"" + n.Scalar() + "\": must be at most " + maxText);
    return t;
  }

  /// A count of seconds (a grace period, tolerationSeconds, a sleep): an integer in [0, kMaxSeconds].
  std::int64_t seconds(const YAML::Node& n, const std::string& path) const {
    const auto v = int64(n, path);
    if (v < 0) fail(n, path, "Invalid value: " + std::to_string(v) + ": must be greater than or equal to 0");
    if (v > kMaxSeconds) {
      fail(n, path, "Invalid value: " + std::to_string(v) + ": must be at most " + std::to_string(kMaxSeconds) +
                        " (10 years; podsim counts time in int64 nanoseconds)");
    }
    return v;
  }

  std::map<std::string, std::string> stringMap(const YAML::Node& n, const std::string& path) {
    std::map<std::string, std::string> m;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      m[key] = v.IsNull() ? std::string() : str(v, child(path, key));
    });
    return m;
  }

  std::vector<std::string> stringList(const YAML::Node& n, const std::string& path) {
    std::vector<std::string> v;
    forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) { v.push_back(str(item, idx(path, i))); });
    return v;
  }

  // -------------------------------------------------------------- phase 1: documents

  void readDocuments(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
                     int depth) {
    const std::string savedFile = file_;
    file_ = fileLabel;
    std::vector<YAML::Node> docs;
    if (const auto bad = invalidUtf8(text); bad != std::string_view::npos) {
      // 1-based line, and column in characters, as an editor shows them.
      int line = 1, column = 1;
      for (std::size_t i = 0; i < bad; ++i) {
        if (text[i] == '\n') {
          ++line;
          column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
          ++column;
        }
      }
      throw InputError(fileLabel, line, column, "",
                       fmt::format("invalid UTF-8 (byte 0x{:02X}): a scenario is UTF-8 text", static_cast<unsigned char>(text[bad])));
    }
    try {
      if (const auto stall = stalledAt(text); !stall.is_null()) {
        const auto pos = static_cast<std::size_t>(stall.pos);
        const std::string what = pos < text.size() ? "'" + std::string(1, text[pos]) + "'" : "end of file";
        throw InputError(fileLabel, stall.line + 1, stall.column + 1, "",
                         "invalid YAML: unexpected " + what + " where a value or a new document should start");
      }
      docs = YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
      int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
      int column = e.mark.column >= 0 ? e.mark.column + 1 : 1;
      std::string msg = "invalid YAML: " + e.msg;
      // yaml-cpp stops at 2000 nested collections with the words "bad file".
      if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) msg = "invalid YAML: nested more than 2000 levels deep";
      // yaml-cpp does not say so, but the usual cause in copied course notes is a tab in the indentation.
      if (const auto tab = leadingTab(text, line); tab.first > 0) {
        line = tab.first;
        column = tab.second;
        msg += " (a tab in the indentation: YAML indents with spaces only)";
      }
      throw InputError(fileLabel, line, column, "", msg);
    }
    for (const auto& doc : docs) {
      if (doc.IsNull()) continue;  // an empty document (a trailing `---`)
      if (++documents_ > kMaxDocuments) {
        fail(doc, "", "more than " + std::to_string(kMaxDocuments) + " documents in the scenario and its manifests");
      }
      guardTree(doc);
      if (!doc.IsMap()) fail(doc, "", "expected a Kubernetes object (a map with apiVersion and kind), got " + describe(doc));
      std::string apiVersion, kind;
      YAML::Node kindNode;
      forEachEntry(doc, "", [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
        if (key == "apiVersion") apiVersion = str(v, "apiVersion");
        if (key == "kind") {
          kind = str(v, "kind");
          kindNode = v;
        }
      });
      if (apiVersion.empty()) fail(doc, "apiVersion", "Required value");
      if (kind.empty()) fail(doc, "kind", "Required value");
      Document d{doc, fileLabel, dir};
      if (apiVersion == "podsim/v1alpha1") {
        if (kind != "Scenario") fail(kindNode, "kind", "Unsupported value: \"" + kind + "\": supported values: \"Scenario\"");
        if (scenarioDoc_) {
          fail(doc, "", "a second Scenario document (the first is in " + scenarioDoc_->file + "); at most one is allowed");
        }
        scenarioDoc_ = d;
        readManifests(d, depth);
        file_ = fileLabel;
      } else if (apiVersion == "v1" && kind == "Pod") {
        podDocs_.push_back(d);
      } else if (apiVersion == "v1" && kind == "Node") {
        nodeDocs_.push_back(d);
      } else if (apiVersion == "v1" && kind == "Service") {
        serviceDocs_.push_back(d);
      } else {
        const auto m = doc.Mark();
        sc_.warnings.push_back(fileLabel + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                               ": " + apiVersion + " " + kind +
                               " is not modelled (podsim reads v1 Pod, Node and Service); ignored");
      }
    }
    file_ = savedFile;
  }

  void readManifests(const Document& d, int depth) {
    std::optional<YAML::Node> manifests;
    forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      if (key != "spec") return;
      if (!v.IsMap()) return;  // reported by the Scenario reader
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "manifests") manifests = it->second;
      }
    });
    if (!manifests) return;
    // Sizes first, so that a list naming one big file many times fails before any of it is parsed.
    std::uintmax_t listed = totalBytes_;
    forEachItem(*manifests, "spec.manifests", [&](std::size_t i, const YAML::Node& item) {
      if (!item.IsScalar() || item.Scalar().empty()) return;  // reported below
      const std::filesystem::path p = std::filesystem::path(item.Scalar()).is_absolute() ? std::filesystem::path(item.Scalar()) : d.dir / item.Scalar();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(p, ec)) return;
      const auto size = std::filesystem::file_size(p, ec);
      listed += ec ? 0 : size;
      if (listed > kMaxTotalBytes) fail(item, idx("spec.manifests", i), "the scenario and its manifests are larger than 64 MiB in all");
    });
    forEachItem(*manifests, "spec.manifests", [&](std::size_t i, const YAML::Node& item) {
      const auto path = idx("spec.manifests", i);
      const std::string rel = str(item, path);
      if (rel.empty()) fail(item, path, "Required value");
      const std::filesystem::path p = std::filesystem::path(rel).is_absolute() ? std::filesystem::path(rel) : d.dir / rel;
      std::error_code ec;
      auto canonical = std::filesystem::weakly_canonical(p, ec).string();
      if (ec) canonical = p.lexically_normal().string();
      if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end()) {
        std::vector<std::string> cycle(stack_.begin() + (std::find(stack_.begin(), stack_.end(), canonical) - stack_.begin()), stack_.end());
        cycle.push_back(canonical);
        fail(item, path, "include cycle: " + join(cycle, " -> "));
      }
      if (depth + 1 > kMaxIncludeDepth) fail(item, path, "manifests nested more than 16 deep");
      const std::string label = p.lexically_normal().string();
      const std::string text = readFileText(p, item, path);
      stack_.push_back(canonical);
      readDocuments(text, label, p.parent_path(), depth + 1);
      stack_.pop_back();
    });
  }

  std::string readFileText(const std::filesystem::path& p, const YAML::Node& at, const std::string& path) {
    std::error_code ec;
    // Devices and pipes (/dev/zero, /dev/stdin) could be read forever.
    if (!std::filesystem::exists(p, ec)) fail(at, path, "cannot read " + p.string() + ": no such file");
    if (!std::filesystem::is_regular_file(p, ec)) fail(at, path, "cannot read " + p.string() + ": not a regular file");
    const auto size = std::filesystem::file_size(p, ec);
    if (ec) fail(at, path, "cannot read " + p.string() + ": " + ec.message());
    if (size > kMaxFileBytes) fail(at, path, "file " + p.string() + " is larger than " + kMaxFileText);
    totalBytes_ += size;
    if (totalBytes_ > kMaxTotalBytes) fail(at, path, "the scenario and its manifests are larger than 64 MiB in all");
    std::ifstream in(p, std::ios::binary);
    if (!in) fail(at, path, "cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // -------------------------------------------------------------- phase 2: Services, Nodes, Pods

  void build() {
    manifest_ = true;
    for (const auto& d : serviceDocs_) readService(d);
    for (const auto& d : nodeDocs_) readNode(d);
    for (const auto& d : podDocs_) readPod(d);
    manifest_ = false;
    if (sc_.pods.empty()) {
      file_ = sc_.file;
      throw InputError(sc_.file, 1, 1, "", "no Pod document");
    }
    behaviorSet_.assign(sc_.pods.size(), {});
    for (std::size_t p = 0; p < sc_.pods.size(); ++p) {
      sc_.pods[p].behaviors.assign(sc_.pods[p].pod.containerCount(), ProcessBehavior{});
      behaviorSet_[p].assign(sc_.pods[p].pod.containerCount(), nullptr);
    }
    if (scenarioDoc_) readScenario(*scenarioDoc_);
    warnUnreachableDependencies();
    checkVersionedFields();
    for (std::size_t p = 0; p < sc_.pods.size(); ++p) decideBehaviors(p);
    std::stable_sort(sc_.actions.begin(), sc_.actions.end(), [](const Action& a, const Action& b) { return a.at < b.at; });
  }

  void readMetadata(const YAML::Node& n, std::string& name, std::string* ns, std::map<std::string, std::string>* labels,
                    const YAML::Node& doc) {
    bool hasGenerateName = false;
    YAML::Node nameNode;
    forEachEntry(n, "metadata", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto path = child("metadata", key);
      if (key == "name") {
        name = str(v, path);
        nameNode = v;
      } else if (key == "namespace") {
        const auto s = str(v, path);
        if (!api::IsDNS1123Label(s)) fail(v, path, "Invalid value: \"" + s + "\": " + api::kDNS1123LabelErrorMsg);
        if (ns != nullptr) *ns = s;
      } else if (key == "labels") {
        auto m = stringMap(v, path);
        if (labels != nullptr) *labels = std::move(m);
      } else if (kUnmodelledMeta.count(key) != 0) {
        if (key == "generateName") hasGenerateName = true;
        warnUnmodelled(path);
      } else {
        fail(k, path, "unknown field \"" + key + "\"");
      }
    });
    if (name.empty()) {
      fail(n.IsDefined() && !n.IsNull() ? n : doc, "metadata.name",
           hasGenerateName ? "Required value: podsim needs a name (generateName is not modelled)"
                           : "Required value: name or generateName is required");
    }
    if (!api::IsDNS1123Subdomain(name)) fail(nameNode, "metadata.name", "Invalid value: \"" + name + "\": " + api::kDNS1123SubdomainErrorMsg);
  }

  void readService(const Document& d) {
    file_ = d.file;
    ServiceEntry s;
    s.existsAtStart = true;
    YAML::Node metadata;
    forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      if (key == "apiVersion" || key == "kind") return;
      if (key == "metadata") {
        metadata = v;
      } else if (key == "spec") {
        forEachEntry(v, "spec", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
          if (sk == "selector") {
            for (auto& [lk, lv] : stringMap(sv, "spec.selector")) s.selector.emplace_back(lk, lv);
          } else {
            warnUnmodelled("Service spec." + sk);
          }
        });
      } else if (key == "status") {
        warnUnmodelled("Service status");
      } else {
        fail(k, key, "unknown field \"" + key + "\"");
      }
    });
    readMetadata(metadata, s.name, nullptr, nullptr, d.node);
    for (const auto& e : sc_.services) {
      if (e.name == s.name) fail(d.node, "metadata.name", "Duplicate value: \"" + s.name + "\": a Service of this name is already defined");
    }
    sc_.services.push_back(std::move(s));
  }

  void readNode(const Document& d) {
    file_ = d.file;
    api::Node node;
    const auto m = d.node.Mark();
    node.where = {d.file, m.line + 1, m.column + 1};
    YAML::Node metadata;
    forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      if (key == "apiVersion" || key == "kind") return;
      if (key == "metadata") {
        metadata = v;
      } else if (key == "spec") {
        forEachEntry(v, "spec", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
          if (sk == "taints") {
            forEachItem(sv, "spec.taints", [&](std::size_t i, const YAML::Node& t) {
              node.taints.push_back(readToleration(t, idx("spec.taints", i), true));
            });
          } else {
            warnUnmodelled("Node spec." + sk);
          }
        });
      } else if (key == "status") {
        api::ResourceList capacity;
        bool hasAllocatable = false;
        forEachEntry(v, "status", [&](const std::string& sk, const YAML::Node&, const YAML::Node& sv) {
          if (sk == "capacity") {
            capacity = readResourceList(sv, "status.capacity");
          } else if (sk == "allocatable") {
            node.allocatable = readResourceList(sv, "status.allocatable");
            hasAllocatable = true;
          } else {
            warnUnmodelled("Node status." + sk);
          }
        });
        if (!hasAllocatable) node.allocatable = capacity;
      } else {
        fail(k, key, "unknown field \"" + key + "\"");
      }
    });
    readMetadata(metadata, node.name, nullptr, &node.labels, d.node);
    for (const auto& e : sc_.nodes) {
      if (e.name == node.name) fail(d.node, "metadata.name", "Duplicate value: \"" + node.name + "\"");
    }
    sc_.nodes.push_back(std::move(node));
  }

  api::Toleration readToleration(const YAML::Node& n, const std::string& path, bool taint) {
    api::Toleration t;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto p = child(path, key);
      if (key == "key") {
        t.key = str(v, p);
      } else if (key == "value") {
        t.value = str(v, p);
      } else if (key == "effect") {
        t.effect = str(v, p);
        if (!t.effect.empty() && t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute") {
          fail(v, p, "Unsupported value: \"" + t.effect + "\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
        }
      } else if (!taint && key == "operator") {
        t.op = str(v, p);
        if (t.op != "Equal" && t.op != "Exists") fail(v, p, "Unsupported value: \"" + t.op + "\": supported values: \"Equal\", \"Exists\"");
      } else if (!taint && key == "tolerationSeconds") {
        t.tolerationSeconds = int64(v, p);
        // Negative means evict at once (as the API treats it); only the upper end is bounded.
        if (t.tolerationSeconds > kMaxSeconds) seconds(v, p);
      } else if (taint && key == "timeAdded") {
        warnUnmodelled(p);
      } else {
        fail(k, p, "unknown field \"" + key + "\"");
      }
    });
    if (taint && t.effect.empty()) fail(n, child(path, "effect"), "Required value");
    return t;
  }

  // Kubernetes resource.Quantity in units * 10^scaleExp rounded up (models/api/quantity.hpp).
  std::int64_t quantity(const YAML::Node& n, const std::string& path, int scaleExp) const {
    if (!n.IsScalar()) fail(n, path, "expected a quantity, got " + describe(n));
    auto q = api::parseQuantity(n.Scalar(), scaleExp);
    if (!q.error.empty()) fail(n, path, q.error);
    return q.value;
  }

  api::ResourceList readResourceList(const YAML::Node& n, const std::string& path) {
    api::ResourceList r;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      const auto p = path + "[" + key + "]";  // a ResourceList is a map: the API writes requests[cpu]
      if (key == "cpu") {
        r.cpuMilli = quantity(v, p, 3);
      } else if (key == "memory") {
        r.memoryBytes = quantity(v, p, 0);
      } else {
        quantity(v, p, 0);  // validated, not modelled (ephemeral-storage, pods, extended resources)
      }
    });
    return r;
  }

  api::HandlerKind readHandler(const YAML::Node& n, const std::string& path, bool lifecycle, std::int64_t* sleepSeconds,
                               const std::function<bool(const std::string&, const YAML::Node&, const YAML::Node&)>& extra) {
    api::HandlerKind kind = api::HandlerKind::None;
    int count = 0;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto p = child(path, key);
      std::vector<std::string> known;
      api::HandlerKind here = api::HandlerKind::None;
      if (key == "exec") {
        here = api::HandlerKind::Exec;
        known = {"command"};
      } else if (key == "httpGet") {
        here = api::HandlerKind::HttpGet;
        known = {"path", "port", "host", "scheme", "httpHeaders"};
      } else if (key == "tcpSocket") {
        here = api::HandlerKind::TcpSocket;
        known = {"port", "host"};
      } else if (!lifecycle && key == "grpc") {
        here = api::HandlerKind::Grpc;
        known = {"port", "service"};
      } else if (lifecycle && key == "sleep") {
        here = api::HandlerKind::Sleep;
        known = {"seconds"};
        sleepNodes_.push_back({file_, k, p});
      } else if (extra && extra(key, k, v)) {
        return;
      } else {
        fail(k, p, "unknown field \"" + key + "\"");
      }
      ++count;
      if (count > 1) fail(k, p, "Forbidden: may not specify more than 1 handler type");
      kind = here;
      handler_ = api::ProbeHandler{};  // the handler's fields, for a probe (api::Probe::handler)
      forEachEntry(v, p, [&](const std::string& hk, const YAML::Node& hkn, const YAML::Node& hv) {
        if (std::find(known.begin(), known.end(), hk) == known.end()) fail(hkn, child(p, hk), "unknown field \"" + hk + "\"");
        if (hv.IsScalar()) {
          std::string* field = hk == "path" ? &handler_.path : hk == "host" ? &handler_.host : hk == "scheme" ? &handler_.scheme
                               : hk == "port" ? &handler_.port : hk == "service" ? &handler_.service : nullptr;
          if (field != nullptr) *field = hv.Scalar();
        }
        if (hk == "command") handler_.command = stringList(hv, child(p, hk));
        if (hk == "seconds" && sleepSeconds != nullptr) {
          *sleepSeconds = seconds(hv, child(p, hk));
          sleepSecondNodes_.push_back({file_, hv, p});
        }
      });
    });
    if (count == 0) fail(n, path, "Required value: must specify a handler type");
    return kind;
  }

  api::Probe readProbe(const YAML::Node& n, const std::string& path, bool mustSucceedOnce) {
    api::Probe probe;
    auto field = [&](const YAML::Node& v, const std::string& p, std::int32_t& out, std::int32_t dflt) {
      const auto x = int32(v, p);
      if (x < 0) fail(v, p, "Invalid value: " + std::to_string(x) + ": must be greater than or equal to 0");
      out = x == 0 ? dflt : x;  // the API defaults a zero value (SetDefaults_Probe)
    };
    YAML::Node successNode;
    probe.kind = readHandler(n, path, false, nullptr, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      const auto p = child(path, key);
      if (key == "initialDelaySeconds") field(v, p, probe.initialDelaySeconds, 0);
      else if (key == "periodSeconds") field(v, p, probe.periodSeconds, 10);
      else if (key == "timeoutSeconds") field(v, p, probe.timeoutSeconds, 1);
      else if (key == "successThreshold") { field(v, p, probe.successThreshold, 1); successNode = v; }
      else if (key == "failureThreshold") field(v, p, probe.failureThreshold, 3);
      else if (key == "terminationGracePeriodSeconds") {
        probe.terminationGracePeriodSeconds = int64(v, p);
        if (probe.terminationGracePeriodSeconds <= 0) fail(v, p, "Invalid value: " + std::to_string(probe.terminationGracePeriodSeconds) + ": must be greater than 0");
        seconds(v, p);
      } else return false;
      return true;
    });
    probe.handler = std::move(handler_);
    if (mustSucceedOnce && probe.successThreshold != 1) {
      fail(successNode, child(path, "successThreshold"), "Invalid value: " + std::to_string(probe.successThreshold) + ": must be 1");
    }
    return probe;
  }

  api::Container readContainer(const YAML::Node& n, const std::string& path, bool init) {
    api::Container c;
    const auto m = n.Mark();
    c.where = {file_, m.line + 1, m.column + 1};
    if (!n.IsMap()) fail(n, path, "expected a map, got " + describe(n));
    bool hasImage = false, hasPullPolicy = false;
    std::optional<YAML::Node> probeNodes[3], lifecycleNode;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto p = child(path, key);
      if (key == "name") {
        c.name = str(v, p);
      } else if (key == "image") {
        c.image = str(v, p);
        hasImage = !c.image.empty();
      } else if (key == "imagePullPolicy") {
        const auto s = str(v, p);
        if (s == "Always") c.imagePullPolicy = api::PullPolicy::Always;
        else if (s == "IfNotPresent") c.imagePullPolicy = api::PullPolicy::IfNotPresent;
        else if (s == "Never") c.imagePullPolicy = api::PullPolicy::Never;
        else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\", \"IfNotPresent\", \"Never\"");
        hasPullPolicy = true;
      } else if (key == "command") {
        c.command = stringList(v, p);
      } else if (key == "args") {
        c.args = stringList(v, p);
      } else if (key == "restartPolicy") {
        const auto s = str(v, p);
        if (!init) fail(v, p, "Forbidden: may not be set for non-init containers");
        if (s != "Always") fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\"");
        c.restartPolicy = api::RestartPolicy::Always;
        sidecarNodes_.push_back({file_, v, p});
      } else if (key == "startupProbe" || key == "livenessProbe" || key == "readinessProbe") {
        const int which = key == "startupProbe" ? 0 : key == "livenessProbe" ? 1 : 2;
        probeNodes[which] = k;
        auto probe = readProbe(v, p, which != 2);
        (which == 0 ? c.startupProbe : which == 1 ? c.livenessProbe : c.readinessProbe) = probe;
      } else if (key == "lifecycle") {
        lifecycleNode = k;
        forEachEntry(v, p, [&](const std::string& lk, const YAML::Node& lkn, const YAML::Node& lv) {
          const auto lp = child(p, lk);
          if (lk == "postStart" || lk == "preStop") {
            auto& h = lk == "postStart" ? c.lifecycle.postStart : c.lifecycle.preStop;
            h.kind = readHandler(lv, lp, true, &h.sleepSeconds, nullptr);
          } else if (lk == "stopSignal") {
            warnUnmodelled(lp);
          } else {
            fail(lkn, lp, "unknown field \"" + lk + "\"");
          }
        });
      } else if (key == "resources") {
        forEachEntry(v, p, [&](const std::string& rk, const YAML::Node& rkn, const YAML::Node& rv) {
          const auto rp = child(p, rk);
          if (rk == "requests") c.resources.requests = readResourceList(rv, rp);
          else if (rk == "limits") c.resources.limits = readResourceList(rv, rp);
          else if (rk == "claims") warnUnmodelled(rp);
          else fail(rkn, rp, "unknown field \"" + rk + "\"");
        });
      } else if (key == "ports") {
        std::set<std::string> portNames;
        forEachItem(v, p, [&](std::size_t i, const YAML::Node& port) {
          const auto pp = idx(p, i);
          bool hasPort = false;
          forEachEntry(port, pp, [&](const std::string& pk, const YAML::Node& pkn, const YAML::Node& pv) {
            const auto ppp = child(pp, pk);
            if (pk == "containerPort") {
              const auto x = int64(pv, ppp);
              if (x < 1 || x > 65535) fail(pv, ppp, "Invalid value: " + std::to_string(x) + ": must be between 1 and 65535, inclusive");
              c.containerPorts.push_back(static_cast<std::int32_t>(x));
              hasPort = true;
            } else if (pk == "name") {
              const auto name = str(pv, ppp);
              if (const auto why = api::validatePortName(name); !why.empty()) fail(pv, ppp, "Invalid value: \"" + name + "\": " + why);
              if (!portNames.insert(name).second) fail(pv, ppp, "Duplicate value: \"" + name + "\"");
            } else if (pk == "protocol") {
              const auto proto = str(pv, ppp);
              if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
                fail(pv, ppp, "Unsupported value: \"" + proto + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
              }
            } else if (pk == "hostIP") {
              str(pv, ppp);
            } else if (pk == "hostPort") {
              const auto x = int64(pv, ppp);
              if (x < 0 || x > 65535) fail(pv, ppp, "Invalid value: " + std::to_string(x) + ": must be between 1 and 65535, inclusive");
            } else {
              fail(pkn, ppp, "unknown field \"" + pk + "\"");
            }
          });
          if (!hasPort) fail(port, child(pp, "containerPort"), "Required value");
        });
      } else if (kUnmodelledContainer.count(key) != 0) {
        warnUnmodelled(p);
      } else {
        fail(k, p, "unknown field \"" + key + "\"");
      }
    });
    if (c.name.empty()) fail(n, child(path, "name"), "Required value");
    if (!api::IsDNS1123Label(c.name)) fail(n, child(path, "name"), "Invalid value: \"" + c.name + "\": " + api::kDNS1123LabelErrorMsg);
    if (!hasImage) fail(n, child(path, "image"), "Required value");
    if (!hasPullPolicy) c.imagePullPolicy = api::defaultImagePullPolicy(c.image);
    if (init && !c.restartPolicy) {
      static const char* const names[3] = {"startupProbe", "livenessProbe", "readinessProbe"};
      for (int i = 0; i < 3; ++i) {
        if (probeNodes[i]) {
          fail(*probeNodes[i], child(path, names[i]), "Forbidden: may not be set for init containers without restartPolicy=Always");
        }
      }
      if (lifecycleNode) {
        fail(*lifecycleNode, child(path, "lifecycle"), "Forbidden: may not be set for init containers without restartPolicy=Always");
      }
    }
    // A request defaults to the limit when only the limit is given (SetDefaults_Container... resources).
    if (c.resources.requests.cpuMilli < 0) c.resources.requests.cpuMilli = c.resources.limits.cpuMilli;
    if (c.resources.requests.memoryBytes < 0) c.resources.requests.memoryBytes = c.resources.limits.memoryBytes;
    // The API prints both quantities in their canonical form (resource.Quantity.String()).
    const YAML::Node res = n["resources"];
    auto written = [&](const char* list, const char* name) {
      const YAML::Node l = res.IsMap() ? res[list] : YAML::Node();
      const YAML::Node q = l.IsMap() ? l[name] : YAML::Node();
      return q.IsScalar() ? q.Scalar() : std::string();
    };
    if (c.resources.limits.cpuMilli >= 0 && c.resources.requests.cpuMilli > c.resources.limits.cpuMilli) {
      fail(n, child(path, "resources.requests"), "Invalid value: \"" + api::canonicalQuantity(c.resources.requests.cpuMilli, 3, written("requests", "cpu")) +
                                                   "\": must be less than or equal to cpu limit of " +
                                                   api::canonicalQuantity(c.resources.limits.cpuMilli, 3, written("limits", "cpu")));
    }
    if (c.resources.limits.memoryBytes >= 0 && c.resources.requests.memoryBytes > c.resources.limits.memoryBytes) {
      fail(n, child(path, "resources.requests"), "Invalid value: \"" + api::canonicalQuantity(c.resources.requests.memoryBytes, 0, written("requests", "memory")) +
                                                   "\": must be less than or equal to memory limit of " +
                                                   api::canonicalQuantity(c.resources.limits.memoryBytes, 0, written("limits", "memory")));
    }
    c.imageId = internImage(c.image);
    return c;
  }

  std::int32_t internImage(const std::string& image) {
    for (std::size_t i = 0; i < sc_.images.size(); ++i) {
      if (sc_.images[i] == image) return static_cast<std::int32_t>(i);
    }
    sc_.images.push_back(image);
    sc_.imageBehaviors.emplace_back();
    return static_cast<std::int32_t>(sc_.images.size() - 1);
  }

  std::int32_t internService(const std::string& name) {
    for (std::size_t i = 0; i < sc_.services.size(); ++i) {
      if (sc_.services[i].name == name) return static_cast<std::int32_t>(i);
    }
    ServiceEntry e;
    e.name = name;
    sc_.services.push_back(std::move(e));
    return static_cast<std::int32_t>(sc_.services.size() - 1);
  }

  void readPod(const Document& d) {
    file_ = d.file;
    if (sc_.pods.size() >= kMaxPods) fail(d.node, "", "more than " + std::to_string(kMaxPods) + " Pods in the scenario");
    PodEntry entry;
    api::Pod& pod = entry.pod;
    const auto m = d.node.Mark();
    pod.where = {d.file, m.line + 1, m.column + 1};
    YAML::Node metadata, spec;
    forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      if (key == "apiVersion" || key == "kind") return;
      if (key == "metadata") metadata = v;
      else if (key == "spec") spec = v;
      else if (key == "status") warnUnmodelled("status");
      else fail(k, key, "unknown field \"" + key + "\"");
    });
    readMetadata(metadata, pod.name, &pod.namespace_, &pod.labels, d.node);
    for (const auto& other : sc_.pods) {
      if (other.pod.name == pod.name && other.pod.namespace_ == pod.namespace_) {
        fail(metadata, "metadata.name", "Duplicate value: \"" + pod.name + "\": a Pod of this name is already defined in " +
                                            other.pod.where.file + ":" + std::to_string(other.pod.where.line));
      }
    }
    if (!spec.IsDefined() || spec.IsNull()) fail(d.node, "spec.containers", "Required value");
    bool hasContainers = false;
    std::map<std::string, std::string> names;  // container name -> its path, for Duplicate value
    auto readList = [&](const YAML::Node& v, const std::string& p, bool init) {
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
        if (pod.containerCount() >= kMaxContainersPerPod) {
          fail(item, idx(p, i), "Too many: more than " + std::to_string(kMaxContainersPerPod) + " containers in one pod");
        }
        auto c = readContainer(item, idx(p, i), init);
        if (names.count(c.name) != 0) fail(item, child(idx(p, i), "name"), "Duplicate value: \"" + c.name + "\"");
        names[c.name] = idx(p, i);
        (init ? pod.initContainers : pod.containers).push_back(std::move(c));
      });
    };
    YAML::Node containersNode;
    forEachEntry(spec, "spec", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto p = child("spec", key);
      if (key == "initContainers") {
        readList(v, p, true);
      } else if (key == "containers") {
        containersNode = v;
        hasContainers = true;
      } else if (key == "restartPolicy") {
        const auto s = str(v, p);
        if (s == "Always") pod.restartPolicy = api::RestartPolicy::Always;
        else if (s == "OnFailure") pod.restartPolicy = api::RestartPolicy::OnFailure;
        else if (s == "Never") pod.restartPolicy = api::RestartPolicy::Never;
        else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
      } else if (key == "terminationGracePeriodSeconds") {
        pod.terminationGracePeriodSeconds = seconds(v, p);
      } else if (key == "activeDeadlineSeconds") {
        pod.activeDeadlineSeconds = int64(v, p);
        if (pod.activeDeadlineSeconds < 1 || pod.activeDeadlineSeconds > INT32_MAX) {
          fail(v, p, "Invalid value: " + std::to_string(pod.activeDeadlineSeconds) + ": must be between 1 and 2147483647, inclusive");
        }
      } else if (key == "nodeName") {
        pod.nodeName = str(v, p);
      } else if (key == "nodeSelector") {
        pod.nodeSelector = stringMap(v, p);
      } else if (key == "tolerations") {
        forEachItem(v, p, [&](std::size_t i, const YAML::Node& t) { pod.tolerations.push_back(readToleration(t, idx(p, i), false)); });
      } else if (key == "affinity") {
        readAffinity(v, p, pod);
      } else if (kUnmodelledPodSpec.count(key) != 0) {
        warnUnmodelled(p);
      } else {
        fail(k, p, "unknown field \"" + key + "\"");
      }
    });
    // Containers after init containers, whatever the written order, so duplicate names point at the later list.
    if (hasContainers) readList(containersNode, "spec.containers", false);
    if (pod.containers.empty()) fail(hasContainers && !containersNode.IsNull() ? containersNode : spec, "spec.containers", "Required value");
    // validateSleepAction: a sleep hook may not outlast the pod's grace period.
    for (const auto& at : sleepSecondNodes_) {
      const auto secs = int64(at.node, at.path);
      if (secs > pod.terminationGracePeriodSeconds) {
        fail(at.node, at.path, "Invalid value: " + std::to_string(secs) + ": must be non-negative and less than terminationGracePeriodSeconds (" +
                                   std::to_string(pod.terminationGracePeriodSeconds) + ")");
      }
    }
    sleepSecondNodes_.clear();
    sc_.pods.push_back(std::move(entry));
  }

  /// `affinity`: the required node affinity is modelled (the scheduler's NodeAffinity filter); preferred
  /// terms, podAffinity and podAntiAffinity are accepted and ignored with a warning. Validation as
  /// pkg/apis/core/validation ValidateNodeSelector, ValidateNodeSelectorRequirement and
  /// ValidateNodeFieldSelectorRequirement.
  void readAffinity(const YAML::Node& n, const std::string& path, api::Pod& pod) {
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      const auto p = child(path, key);
      checkKnown(key, k, path, {"nodeAffinity", "podAffinity", "podAntiAffinity"});
      if (key != "nodeAffinity") {
        warnUnmodelled(p);
        return;
      }
      forEachEntry(v, p, [&](const std::string& nk, const YAML::Node& nkn, const YAML::Node& nv) {
        const auto np = child(p, nk);
        checkKnown(nk, nkn, p, {"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"});
        if (nk != "requiredDuringSchedulingIgnoredDuringExecution") {
          warnUnmodelled(np);
          return;
        }
        bool hasTerms = false;
        YAML::Node termsNode;
        forEachEntry(nv, np, [&](const std::string& tk, const YAML::Node& tkn, const YAML::Node& tv) {
          checkKnown(tk, tkn, np, {"nodeSelectorTerms"});
          termsNode = tv;
          hasTerms = true;
          const auto tp = child(np, tk);
          forEachItem(tv, tp, [&](std::size_t i, const YAML::Node& term) {
            const auto ip = idx(tp, i);
            api::NodeSelectorTerm t;
            forEachEntry(term, ip, [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
              checkKnown(mk, mkn, ip, {"matchExpressions", "matchFields"});
              const bool fields = mk == "matchFields";
              const auto mp = child(ip, mk);
              forEachItem(mv, mp, [&](std::size_t j, const YAML::Node& req) {
                (fields ? t.matchFields : t.matchExpressions).push_back(readNodeSelectorRequirement(req, idx(mp, j), fields));
              });
            });
            pod.requiredNodeAffinity.push_back(std::move(t));
          });
        });
        if (!hasTerms || pod.requiredNodeAffinity.empty()) {
          fail(hasTerms && termsNode.IsDefined() && !termsNode.IsNull() ? termsNode : nv, child(np, "nodeSelectorTerms"),
               "Required value: must have at least one node selector term");
        }
      });
    });
  }

  api::NodeSelectorRequirement readNodeSelectorRequirement(const YAML::Node& n, const std::string& path, bool field) {
    api::NodeSelectorRequirement r;
    YAML::Node opNode, valuesNode;
    bool hasKey = false, hasOp = false, hasValues = false;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, path, {"key", "operator", "values"});
      const auto p = child(path, key);
      if (key == "key") {
        r.key = str(v, p);
        hasKey = true;
      } else if (key == "operator") {
        r.op = str(v, p);
        opNode = v;
        hasOp = true;
      } else {
        r.values = stringList(v, p);
        valuesNode = v;
        hasValues = true;
      }
    });
    const YAML::Node& at = hasValues ? valuesNode : n;
    const YAML::Node& opAt = hasOp ? opNode : n;
    const auto vp = child(path, "values");
    if (field) {
      if (r.op != "In" && r.op != "NotIn") {
        fail(opAt, child(path, "operator"), "Invalid value: \"" + r.op + "\": not a valid selector operator");
      }
      if (r.values.size() != 1) fail(at, vp, "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
      if (r.key != "metadata.name") fail(n, child(path, "key"), "Invalid value: \"" + r.key + "\": not a valid field selector key");
      return r;
    }
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty()) fail(at, vp, "Required value: must be specified when `operator` is 'In' or 'NotIn'");
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty()) fail(at, vp, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (r.op == "Gt" || r.op == "Lt") {
      if (r.values.size() != 1) fail(at, vp, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
    } else {
      fail(opAt, child(path, "operator"), "Invalid value: \"" + r.op + "\": not a valid selector operator");
    }
    if (!hasKey || r.key.empty()) fail(n, child(path, "key"), "Invalid value: \"\": name part must be non-empty");
    return r;
  }

  /// Fields and feature gates that exist only from some Kubernetes version, checked once
  /// spec.kubernetesVersion and spec.kubelet.featureGates are known.
  void checkVersionedFields() {
    const auto v = sc_.kubernetesVersion;
    const std::string version = std::to_string(v.major) + "." + std::to_string(v.minor);
    auto info = [](std::string_view name) -> const kubelet::FeatureGateInfo& {
      for (const auto& g : kubelet::knownFeatureGates()) {
        if (g.name == name) return g;
      }
      throw std::logic_error("checkVersionedFields: no feature gate " + std::string(name));
    };
    auto text = [](kubelet::KubernetesVersion k) { return std::to_string(k.major) + "." + std::to_string(k.minor); };
    for (const auto& [name, node] : gateNodes_) {
      const auto& g = info(name);
      if (v < g.alpha) {
        file_ = scenarioDoc_ ? scenarioDoc_->file : sc_.file;
        fail(node, "spec.kubelet.featureGates." + name, "unrecognized feature gate: " + name + " (it exists from Kubernetes " +
                                                          text(g.alpha) + "; kubernetesVersion is " + version + ")");
      }
    }
    const kubelet::Features f = kubelet::resolveFeatures(v, sc_.kubelet);
    auto reject = [&](const Placed& at, std::string_view gate, const std::string& what) {
      const auto& g = info(gate);
      file_ = at.file;
      std::string m = "Forbidden: " + what + " " + (v < g.alpha ? "do not exist before Kubernetes " + text(g.alpha)
                                                                : "are off by default in Kubernetes " + version);
      m += "; use kubernetesVersion \"" + text(g.onByDefault) + "\" or later";
      if (v >= g.alpha) m += ", or set spec.kubelet.featureGates " + std::string(gate) + ": true";
      fail(at.node, at.path, m);
    };
    if (!f.sidecarContainers && !sidecarNodes_.empty()) {
      reject(sidecarNodes_.front(), "SidecarContainers", "sidecar containers (init containers with restartPolicy: Always)");
    }
    if (!f.podLifecycleSleepAction && !sleepNodes_.empty()) {
      reject(sleepNodes_.front(), "PodLifecycleSleepAction", "sleep lifecycle handlers");
    }
  }

  // -------------------------------------------------------------- phase 3: the Scenario document

  std::int32_t podIndex(const YAML::Node& at, const std::string& path, const std::string& name) const {
    for (std::size_t i = 0; i < sc_.pods.size(); ++i) {
      if (sc_.pods[i].pod.name == name) return static_cast<std::int32_t>(i);
    }
    std::vector<std::string> names;
    for (const auto& p : sc_.pods) names.push_back(p.pod.name);
    fail(at, path, "no pod \"" + name + "\" in the scenario (pods: " + join(names, ", ") + ")");
  }

  std::int32_t containerIndex(const YAML::Node& at, const std::string& path, std::int32_t pod, const std::string& name) const {
    const auto& p = sc_.pods[static_cast<std::size_t>(pod)].pod;
    for (std::size_t i = 0; i < p.containerCount(); ++i) {
      if (p.container(i).name == name) return static_cast<std::int32_t>(i);
    }
    fail(at, path, "no container \"" + name + "\" in pod \"" + p.name + "\"");
  }

  void checkKnown(const std::string& key, const YAML::Node& k, const std::string& path, const std::vector<std::string>& known) const {
    if (std::find(known.begin(), known.end(), key) == known.end()) fail(k, child(path, key), unknownFieldMessage(key, known));
  }

  void readScenario(const Document& d) {
    file_ = d.file;
    forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, "", {"apiVersion", "kind", "metadata", "spec"});
      if (key == "metadata") {
        forEachEntry(v, "metadata", [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
          checkKnown(mk, mkn, "metadata", {"name", "description"});
          (mk == "name" ? sc_.name : sc_.description) = str(mv, child("metadata", mk));
        });
      } else if (key == "spec") {
        readScenarioSpec(v);
      }
    });
  }

  void readScenarioSpec(const YAML::Node& spec) {
    static const std::vector<std::string> known = {"duration", "seed", "manifests", "kubernetesVersion", "timing", "kubelet",
                                                   "images", "behaviors", "actions", "expect", "faults", "endpoints"};
    std::optional<YAML::Node> behaviors, actions, expect, faults, endpoints;
    forEachEntry(spec, "spec", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, "spec", known);
      const auto p = child("spec", key);
      if (key == "duration") {
        sc_.duration = duration(v, p, ForeverAllowed::No, kMaxDuration, "720h (30 days)");
        if (sc_.duration <= 0) fail(v, p, "Invalid value: \"" + v.Scalar() + "\": must be greater than 0");
        if (sc_.duration > kMaxDuration) fail(v, p, "Invalid value: \"" + v.Scalar() + "\": must be at most 720h (30 days)");
      } else if (key == "seed") {
        const auto s = int64(v, p);
        if (s < 0) fail(v, p, "Invalid value: " + std::to_string(s) + ": must be greater than or equal to 0");
        sc_.seed = static_cast<std::uint64_t>(s);
      } else if (key == "kubernetesVersion") {
        readVersion(v, p);
      } else if (key == "timing") {
        const auto s = str(v, p);
        if (s == "kubelet") sc_.timing = Timing::Kubelet;
        else if (s == "ideal") sc_.timing = Timing::Ideal;
        else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"kubelet\", \"ideal\"");
      } else if (key == "kubelet") {
        readKubelet(v, p);
      } else if (key == "images") {
        readImages(v, p);
      } else if (key == "behaviors") {
        behaviors = v;
      } else if (key == "actions") {
        actions = v;
      } else if (key == "expect") {
        expect = v;
      } else if (key == "faults") {
        faults = v;
      } else if (key == "endpoints") {
        endpoints = v;
      }
      // manifests: read in phase 1
    });
    if (endpoints) readEndpoints(*endpoints);
    if (faults) readFaults(*faults);
    if (behaviors) readBehaviors(*behaviors);
    if (actions) readActions(*actions);
    if (expect) readExpect(*expect);
  }

  void readVersion(const YAML::Node& v, const std::string& p) {
    std::string s = str(v, p);
    const std::string written = s;
    if (!s.empty() && s[0] == 'v') s.erase(0, 1);
    const auto dot = s.find('.');
    bool ok = dot != std::string::npos && dot > 0 && dot <= 2;
    int major = 0, minor = 0;
    if (ok) {
      const auto rest = s.substr(dot + 1);
      const auto minorText = rest.substr(0, rest.find('.'));
      ok = minorText.size() >= 1 && minorText.size() <= 3 && s.substr(0, dot).find_first_not_of("0123456789") == std::string::npos &&
           minorText.find_first_not_of("0123456789") == std::string::npos;
      if (ok) {
        major = std::stoi(s.substr(0, dot));
        minor = std::stoi(minorText);
      }
    }
    if (!ok || major != 1 || minor < 28 || minor > 36) {
      fail(v, p, "Unsupported value: \"" + written + "\": supported values: \"1.28\" to \"1.36\"");
    }
    sc_.kubernetesVersion = {major, minor};
  }

  void readKubelet(const YAML::Node& n, const std::string& path) {
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, path, {"serializeImagePulls", "maxParallelImagePulls", "crashLoopBackOff", "featureGates"});
      const auto p = child(path, key);
      if (key == "serializeImagePulls") {
        sc_.kubelet.serializeImagePulls = boolean(v, p);
      } else if (key == "maxParallelImagePulls") {
        sc_.kubelet.maxParallelImagePulls = int32(v, p);
        if (sc_.kubelet.maxParallelImagePulls < 0) fail(v, p, "Invalid value: " + v.Scalar() + ": must be greater than or equal to 0");
      } else if (key == "crashLoopBackOff") {
        forEachEntry(v, p, [&](const std::string& ck, const YAML::Node& ckn, const YAML::Node& cv) {
          checkKnown(ck, ckn, p, {"maxContainerRestartPeriod"});
          const auto cp = child(p, ck);
          const auto t = duration(cv, cp);
          if (t < sim::kSecond || t > 300 * sim::kSecond) fail(cv, cp, "Invalid value: \"" + cv.Scalar() + "\": must be between 1s and 300s");
          sc_.kubelet.maxContainerRestartPeriod = t;
        });
      } else if (key == "featureGates") {
        forEachEntry(v, p, [&](const std::string& g, const YAML::Node& gk, const YAML::Node& gv) {
          std::vector<std::string> known;
          for (const auto& info : kubelet::knownFeatureGates()) known.emplace_back(info.name);
          if (std::find(known.begin(), known.end(), g) == known.end()) {
            auto m = unknownFieldMessage(g, known);  // `unknown field "X", did you mean "Y"?`
            fail(gk, child(p, g), "unrecognized feature gate: " + g + m.substr(m.find('"', 15) + 1));
          }
          gateNodes_.emplace_back(g, gk);
          const bool on = boolean(gv, child(p, g));
          if (g == "ReduceDefaultCrashLoopBackOffDecay") sc_.kubelet.reduceDefaultCrashLoopBackOffDecay = on;
          sc_.kubelet.featureGates.emplace_back(g, on);
        });
      }
    });
  }

  void readImages(const YAML::Node& n, const std::string& path) {
    forEachEntry(n, path, [&](const std::string& image, const YAML::Node&, const YAML::Node& v) {
      const auto p = child(path, image);
      ImageBehavior b;
      forEachEntry(v, p, [&](const std::string& key, const YAML::Node& k, const YAML::Node& iv) {
        checkKnown(key, k, p, {"pullDuration", "pullError", "message", "present"});
        const auto ip = child(p, key);
        if (key == "pullDuration") {
          b.pullDuration = duration(iv, ip);
        } else if (key == "pullError") {
          const auto s = str(iv, ip);
          b.pullError = api::reasonFromString(s);
          if (b.pullError != api::Reason::ErrImagePull && b.pullError != api::Reason::RegistryUnavailable) {
            fail(iv, ip, "Unsupported value: \"" + s + "\": supported values: \"ErrImagePull\", \"RegistryUnavailable\"");
          }
        } else if (key == "message") {
          b.pullErrorMessage = str(iv, ip);
        } else if (key == "present") {
          b.present = boolean(iv, ip);
        }
      });
      sc_.imageBehaviors[static_cast<std::size_t>(internImage(image))] = b;
    });
  }

  void readBehaviors(const YAML::Node& n) {
    const std::string path = "spec.behaviors";
    forEachEntry(n, path, [&](const std::string& podName, const YAML::Node& pk, const YAML::Node& pv) {
      const auto pp = child(path, podName);
      const auto pod = podIndex(pk, pp, podName);
      forEachEntry(pv, pp, [&](const std::string& cName, const YAML::Node& ck, const YAML::Node& cv) {
        const auto cp = child(pp, cName);
        const auto c = containerIndex(ck, cp, pod, cName);
        readBehavior(cv, cp, static_cast<std::size_t>(pod), static_cast<std::size_t>(c));
      });
    });
  }

  Attempt readAttempt(const YAML::Node* run, const YAML::Node* exitCode, const std::string& path) {
    Attempt a;
    // Without `run`, an attempt that names an exit code exits at once; one without either runs forever.
    a.run = run != nullptr ? duration(*run, child(path, "run"), ForeverAllowed::Yes) : (exitCode != nullptr ? 0 : sim::kForever);
    if (exitCode != nullptr) a.exitCode = exitCodeOf(*exitCode, child(path, "exitCode"));
    return a;
  }

  std::int32_t exitCodeOf(const YAML::Node& v, const std::string& p) const {
    const auto x = int64(v, p);
    if (x < 0 || x > 255) fail(v, p, "Invalid value: " + std::to_string(x) + ": must be between 0 and 255, inclusive");
    return static_cast<std::int32_t>(x);
  }

  void readBehavior(const YAML::Node& n, const std::string& path, std::size_t pod, std::size_t c) {
    ProcessBehavior& b = sc_.pods[pod].behaviors[c];
    b.origin = "behaviors";
    behaviorSet_[pod][c] = &b;
    std::optional<YAML::Node> run, exitCode, attempts;
    bool terminationWritten = false;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, path, {"startDelay", "run", "exitCode", "attempts", "terminationDelay", "exitCodeOnSigterm", "probes", "hooks",
                                "memory"});
      const auto p = child(path, key);
      if (key == "startDelay") b.startDelay = duration(v, p);
      else if (key == "run") run = v;
      else if (key == "exitCode") exitCode = v;
      else if (key == "attempts") attempts = v;
      else if (key == "terminationDelay") {
        b.terminationDelay = duration(v, p, ForeverAllowed::Yes);
        terminationWritten = true;
      }
      else if (key == "exitCodeOnSigterm") b.exitCodeOnSigterm = exitCodeOf(v, p);
      else if (key == "probes") {
        forEachEntry(v, p, [&](const std::string& pk, const YAML::Node& pkn, const YAML::Node& pv) {
          checkKnown(pk, pkn, p, {"readiness", "liveness", "startup"});
          auto& pb = pk == "readiness" ? b.readiness : pk == "liveness" ? b.liveness : b.startup;
          const auto ppath = child(p, pk);
          forEachEntry(pv, ppath, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
            checkKnown(fk, fkn, ppath, {"succeedAfter", "failAfter", "duration", "dependsOn"});
            const auto fp = child(ppath, fk);
            if (fk == "succeedAfter") pb.succeedAfter = duration(fv, fp, ForeverAllowed::Yes);
            else if (fk == "failAfter") pb.failAfter = duration(fv, fp, ForeverAllowed::Yes);
            else if (fk == "dependsOn") pb.dependsOn = serviceList(fv, fp);
            else pb.duration = duration(fv, fp, ForeverAllowed::Yes);
          });
        });
      } else if (key == "memory") {
        // Memory use of the process since its launch: `use` plus `growthPerMinute` per minute (a leak).
        forEachEntry(v, p, [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
          checkKnown(mk, mkn, p, {"use", "growthPerMinute"});
          (mk == "use" ? b.memory.useBytes : b.memory.growthPerMinuteBytes) = quantity(mv, child(p, mk), 0);
        });
        if (b.memory.useBytes < 0) {
          if (b.memory.growthPerMinuteBytes > 0) b.memory.useBytes = 0;
          else fail(v, child(p, "use"), "Required value");
        }
      } else if (key == "hooks") {
        forEachEntry(v, p, [&](const std::string& hk, const YAML::Node& hkn, const YAML::Node& hv) {
          checkKnown(hk, hkn, p, {"postStart", "preStop"});
          auto& hb = hk == "postStart" ? b.postStart : b.preStop;
          const auto hp = child(p, hk);
          forEachEntry(hv, hp, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
            checkKnown(fk, fkn, hp, {"duration", "fails"});
            if (fk == "duration") hb.duration = duration(fv, child(hp, fk), ForeverAllowed::Yes);
            else hb.fails = boolean(fv, child(hp, fk));
          });
        });
      }
    });
    if (attempts) {
      if (run || exitCode) {
        fail(*attempts, child(path, "attempts"), "Forbidden: may not be set together with run or exitCode");
      }
      b.attempts.clear();
      forEachItem(*attempts, child(path, "attempts"), [&](std::size_t i, const YAML::Node& item) {
        const auto ap = idx(child(path, "attempts"), i);
        std::optional<YAML::Node> ar, ae;
        forEachEntry(item, ap, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
          checkKnown(key, k, ap, {"run", "exitCode"});
          (key == "run" ? ar : ae) = v;
        });
        b.attempts.push_back(readAttempt(ar ? &*ar : nullptr, ae ? &*ae : nullptr, ap));
      });
      if (b.attempts.empty()) fail(*attempts, child(path, "attempts"), "Required value: at least one attempt");
      b.script = nullptr;
    } else if (run || exitCode) {
      b.attempts = {readAttempt(run ? &*run : nullptr, exitCode ? &*exitCode : nullptr, path)};
    } else {
      processSet_.insert({pod, c});  // only probes/hooks/delays given: the process still comes from the command
    }
    writtenTermination_[{pod, c}] = terminationWritten;
  }

  /// A probe that `dependsOn` a name that is neither a Service document, an endpoint, nor created by an
  /// action never passes: most likely a typo, so it is worth a warning (not an error: it may be meant).
  void warnUnreachableDependencies() {
    std::vector<char> reachable(sc_.services.size(), 0);
    for (std::size_t i = 0; i < sc_.services.size(); ++i) reachable[i] = sc_.services[i].existsAtStart ? 1 : 0;
    for (const auto& a : sc_.actions) {
      if (a.kind == ActionKind::CreateService && a.service >= 0) reachable[static_cast<std::size_t>(a.service)] = 1;
    }
    static const char* const probeNames[3] = {"startup", "liveness", "readiness"};
    for (const auto& e : sc_.pods) {
      for (std::size_t c = 0; c < e.behaviors.size(); ++c) {
        const auto& b = e.behaviors[c];
        const ProbeBehavior* probes[3] = {&b.startup, &b.liveness, &b.readiness};
        for (int t = 0; t < 3; ++t) {
          for (const std::int32_t s : probes[t]->dependsOn) {
            if (reachable[static_cast<std::size_t>(s)] != 0) continue;
            sc_.warnings.push_back(file_ + ": spec.behaviors." + e.pod.name + "." + e.pod.container(c).name + ".probes." +
                                   probeNames[t] + ".dependsOn: \"" + sc_.services[static_cast<std::size_t>(s)].name +
                                   "\" is no Service, endpoint or createService action of the scenario, so the probe never passes");
          }
        }
      }
    }
  }

  /// A list of Service or endpoint names (DNS labels), interned as Services.
  std::vector<std::int32_t> serviceList(const YAML::Node& n, const std::string& path) {
    std::vector<std::int32_t> out;
    forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) {
      const auto s = str(item, idx(path, i));
      if (!api::IsDNS1123Label(s)) fail(item, idx(path, i), "Invalid value: \"" + s + "\": " + api::kDNS1123LabelErrorMsg);
      out.push_back(internService(s));
    });
    return out;
  }

  /// A probability: a number in [0, 1] (`0.25`, `1`, `2.5e-2`).
  double probability(const YAML::Node& n, const std::string& path) const {
    if (!n.IsScalar() || n.Tag() == "!") fail(n, path, "expected a number between 0 and 1, got " + describe(n));
    const std::string& s = n.Scalar();
    double v = -1;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0.0 && v <= 1.0)) {
      fail(n, path, "Invalid value: \"" + s + "\": must be a number between 0 and 1, inclusive");
    }
    return v;
  }

  /// `[{from: D, to: D}, ...]`: windows of simulated time; `to` defaults to the end of the run.
  std::vector<TimeWindow> windows(const YAML::Node& n, const std::string& path) {
    std::vector<TimeWindow> out;
    forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) {
      const auto ip = idx(path, i);
      out.push_back(window(item, ip, {}));
    });
    return out;
  }

  /// One window `{from: D, to: D}` (`to` optional: forever); `extra` keys are allowed and skipped.
  TimeWindow window(const YAML::Node& item, const std::string& ip, const std::vector<std::string>& extra) {
    TimeWindow w;
    bool hasFrom = false;
    YAML::Node toNode;
    std::vector<std::string> known = {"from", "to"};
    known.insert(known.end(), extra.begin(), extra.end());
    forEachEntry(item, ip, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, ip, known);
      if (key == "from") {
        w.from = duration(v, child(ip, key));
        hasFrom = true;
      } else if (key == "to") {
        w.to = duration(v, child(ip, key), ForeverAllowed::Yes);
        toNode = v;
      }
    });
    if (!hasFrom) fail(item, child(ip, "from"), "Required value");
    if (w.to <= w.from) fail(toNode, child(ip, "to"), "Invalid value: \"" + toNode.Scalar() + "\": must be later than from");
    return w;
  }

  /// `spec.endpoints`: Services and endpoints outside the cluster, with the windows when they do not answer.
  void readEndpoints(const YAML::Node& n) {
    const std::string path = "spec.endpoints";
    forEachEntry(n, path, [&](const std::string& name, const YAML::Node& nk, const YAML::Node& v) {
      const auto p = child(path, name);
      if (!api::IsDNS1123Label(name)) fail(nk, p, "Invalid value: \"" + name + "\": " + api::kDNS1123LabelErrorMsg);
      const auto s = static_cast<std::size_t>(internService(name));
      bool hasUp = false, hasDown = false;
      forEachEntry(v, p, [&](const std::string& key, const YAML::Node& k, const YAML::Node& ev) {
        checkKnown(key, k, p, {"external", "down", "up"});
        const auto ep = child(p, key);
        if (key == "external") {
          const bool external = boolean(ev, ep);
          if (external && sc_.services[s].existsAtStart && !sc_.services[s].external) {
            fail(ev, ep, "Forbidden: a Service named \"" + name + "\" is declared by a Service document");
          }
          sc_.services[s].external = external;
          if (external) sc_.services[s].existsAtStart = true;  // outside the cluster: no createService
        } else if (key == "down") {
          if (hasUp) fail(k, ep, "Forbidden: may not be set together with up");
          hasDown = true;
          sc_.services[s].down = windows(ev, ep);
        } else {
          if (hasDown) fail(k, ep, "Forbidden: may not be set together with down");
          hasUp = true;
          sc_.services[s].down = complement(windows(ev, ep));
        }
      });
    });
  }

  /// The gaps of [0, forever) between `up` windows: when the name does not answer.
  static std::vector<TimeWindow> complement(std::vector<TimeWindow> up) {
    std::sort(up.begin(), up.end(), [](const TimeWindow& a, const TimeWindow& b) { return a.from < b.from; });
    std::vector<TimeWindow> down;
    Time at = 0;
    for (const auto& w : up) {
      if (w.from > at) down.push_back({at, w.from});
      at = std::max(at, w.to);
      if (at == sim::kForever) return down;
    }
    down.push_back({at, sim::kForever});
    return down;
  }

  /// `spec.faults`: crashes, imagePulls, registryOutages, probes (models/faults/faults.hpp).
  void readFaults(const YAML::Node& n) {
    const std::string path = "spec.faults";
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, path, {"crashes", "imagePulls", "registryOutages", "probes", "nodes"});
      const auto p = child(path, key);
      forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
        const auto ip = idx(p, i);
        if (!item.IsMap()) fail(item, ip, "expected a map, got " + describe(item));
        if (key == "registryOutages") {
          RegistryOutage o;
          const TimeWindow w = window(item, ip, {"registry"});
          o.from = w.from;
          o.to = w.to;
          forEachEntry(item, ip, [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) {
            if (rk == "registry") o.registry = str(rv, child(ip, rk));
          });
          sc_.faults.registryOutages.push_back(std::move(o));
          return;
        }
        if (key == "nodes") {
          NodeFault f;
          bool hasUp = false, hasDown = false;
          forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
            checkKnown(fk, fkn, ip, {"node", "meanTimeBetweenFailures", "meanTimeToRecovery"});
            const auto fp = child(ip, fk);
            if (fk == "node") {
              const auto name = str(fv, fp);
              if (sc_.nodes.empty()) {
                if (name != "node-1") fail(fv, fp, "no node \"" + name + "\" (without Node documents the only node is \"node-1\")");
                f.node = 0;
              } else {
                for (std::size_t ni = 0; ni < sc_.nodes.size(); ++ni) {
                  if (sc_.nodes[ni].name == name) f.node = static_cast<std::int32_t>(ni);
                }
                if (f.node < 0) fail(fv, fp, "no node \"" + name + "\" in the scenario");
              }
              return;
            }
            const Time t = duration(fv, fp);
            if (t <= 0) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be greater than 0");
            if (t > kMaxDuration) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be at most 720h (30 days)");
            if (fk == "meanTimeBetweenFailures") {
              f.meanTimeBetweenFailures = t;
              hasUp = true;
            } else {
              f.meanTimeToRecovery = t;
              hasDown = true;
            }
          });
          if (!hasUp) fail(item, child(ip, "meanTimeBetweenFailures"), "Required value");
          if (!hasDown) fail(item, child(ip, "meanTimeToRecovery"), "Required value");
          sc_.faults.nodes.push_back(f);
          return;
        }
        if (key == "imagePulls") {
          ImagePullFault f;
          bool hasP = false;
          forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
            checkKnown(fk, fkn, ip, {"image", "failureProbability"});
            const auto fp = child(ip, fk);
            if (fk == "image") {
              const auto name = str(fv, fp);
              const auto it = std::find(sc_.images.begin(), sc_.images.end(), name);
              if (it == sc_.images.end()) fail(fv, fp, "no image \"" + name + "\" in the scenario's pods");
              f.image = static_cast<std::int32_t>(it - sc_.images.begin());
            } else {
              f.probability = probability(fv, fp);
              hasP = true;
            }
          });
          if (!hasP) fail(item, child(ip, "failureProbability"), "Required value");
          sc_.faults.imagePulls.push_back(f);
          return;
        }
        // crashes and probes: {pod, container, ...}; pod and container optional (every one).
        std::int32_t pod = -1, container = -1;
        YAML::Node containerNode;
        bool hasContainer = false;
        std::string containerName;
        const bool crash = key == "crashes";
        CrashFault cf;
        ProbeFault pf;
        bool hasValue = false;
        forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
          if (crash) checkKnown(fk, fkn, ip, {"pod", "container", "meanTimeBetweenFailures", "exitCode"});
          else checkKnown(fk, fkn, ip, {"pod", "container", "probe", "failureProbability"});
          const auto fp = child(ip, fk);
          if (fk == "pod") {
            pod = podIndex(fv, fp, str(fv, fp));
          } else if (fk == "container") {
            containerName = str(fv, fp);
            containerNode = fv;
            hasContainer = true;
          } else if (fk == "meanTimeBetweenFailures") {
            cf.meanTimeBetweenFailures = duration(fv, fp);
            if (cf.meanTimeBetweenFailures <= 0) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be greater than 0");
            if (cf.meanTimeBetweenFailures > kMaxDuration) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be at most 720h (30 days)");
            hasValue = true;
          } else if (fk == "exitCode") {
            cf.exitCode = exitCodeOf(fv, fp);
            if (cf.exitCode == 0) fail(fv, fp, "Invalid value: 0: a crash exits with a non-zero code");
          } else if (fk == "probe") {
            const auto s = str(fv, fp);
            if (s == "startup") pf.probes = 1;
            else if (s == "liveness") pf.probes = 2;
            else if (s == "readiness") pf.probes = 4;
            else fail(fv, fp, "Unsupported value: \"" + s + "\": supported values: \"startup\", \"liveness\", \"readiness\"");
          } else {
            pf.probability = probability(fv, fp);
            hasValue = true;
          }
        });
        if (!hasValue) fail(item, child(ip, crash ? "meanTimeBetweenFailures" : "failureProbability"), "Required value");
        if (hasContainer) {
          if (pod < 0) fail(containerNode, child(ip, "container"), "Forbidden: a container is named only together with its pod");
          container = containerIndex(containerNode, child(ip, "container"), pod, containerName);
        }
        if (crash) {
          cf.pod = pod;
          cf.container = container;
          sc_.faults.crashes.push_back(cf);
        } else {
          pf.pod = pod;
          pf.container = container;
          sc_.faults.probes.push_back(pf);
        }
      });
    });
  }

  Action readAction(const YAML::Node& item, const std::string& path) {
    Action a;
    const auto m = item.Mark();
    a.where = {file_, m.line + 1, m.column + 1};
    static const std::vector<std::string> kNames = {"createService", "deleteService", "killContainer", "deletePod", "updateImage",
                                                    "failNode", "recoverNode", "restartKubelet", "createPod"};
    std::vector<std::string> known = kNames;
    known.insert(known.begin(), "at");
    bool hasAt = false;
    YAML::Node argsNode, nameNode;
    forEachEntry(item, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
      checkKnown(key, k, path, known);
      if (key == "at") {
        a.at = duration(v, child(path, "at"));
        hasAt = true;
        return;
      }
      if (!a.name.empty()) fail(k, child(path, key), "Forbidden: one action per entry (already \"" + a.name + "\")");
      a.name = key;
      argsNode = v;
      nameNode = k;
    });
    if (!hasAt) fail(item, child(path, "at"), "Required value");
    if (a.name.empty()) fail(item, path, "Required value: one of " + quotedList(kNames));
    a.kind = static_cast<ActionKind>(std::find(kNames.begin(), kNames.end(), a.name) - kNames.begin());
    const auto ap = child(path, a.name);
    std::map<std::string, YAML::Node> args;
    forEachEntry(argsNode, ap, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
      if (!v.IsScalar()) fail(v, child(ap, key), "expected a string, got " + describe(v));
      args[key] = v;
      a.arguments.emplace_back(key, v.Scalar());
    });
    std::vector<std::string> allowed;
    auto need = [&](const std::string& key) -> const YAML::Node& {
      const auto it = args.find(key);
      if (it == args.end()) fail(argsNode.IsDefined() && !argsNode.IsNull() ? argsNode : nameNode, child(ap, key), "Required value");
      return it->second;
    };
    auto podArg = [&] {
      const auto& v = need("pod");
      a.pod = podIndex(v, child(ap, "pod"), v.Scalar());
    };
    auto containerArg = [&] {
      const auto it = args.find("container");
      const auto& pod = sc_.pods[static_cast<std::size_t>(a.pod)].pod;
      if (it == args.end() && pod.containerCount() == 1) {
        a.container = 0;
        return;
      }
      const auto& v = need("container");
      a.container = containerIndex(v, child(ap, "container"), a.pod, v.Scalar());
    };
    auto nodeArg = [&] {
      const auto it = args.find("node");
      if (it == args.end() && sc_.nodes.size() <= 1) {
        a.node = 0;
        return;
      }
      const auto& v = need("node");
      const auto name = v.Scalar();
      if (sc_.nodes.empty()) {
        if (name != "node-1") fail(v, child(ap, "node"), "no node \"" + name + "\" (without Node documents the only node is \"node-1\")");
        a.node = 0;
        return;
      }
      for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
        if (sc_.nodes[i].name == name) {
          a.node = static_cast<std::int32_t>(i);
          return;
        }
      }
      fail(v, child(ap, "node"), "no node \"" + name + "\" in the scenario");
    };
    switch (a.kind) {
      case ActionKind::CreateService:
      case ActionKind::DeleteService: {
        allowed = {"name"};
        const auto& v = need("name");
        if (!api::IsDNS1123Label(v.Scalar())) fail(v, child(ap, "name"), "Invalid value: \"" + v.Scalar() + "\": " + api::kDNS1123LabelErrorMsg);
        a.service = internService(v.Scalar());
        break;
      }
      case ActionKind::KillContainer: {
        allowed = {"pod", "container", "reason", "exitCode"};
        podArg();
        containerArg();
        a.reason = api::Reason::Error;
        if (const auto it = args.find("reason"); it != args.end()) {
          a.reason = api::reasonFromString(it->second.Scalar());
          if (a.reason != api::Reason::Error && a.reason != api::Reason::OOMKilled && a.reason != api::Reason::Completed) {
            fail(it->second, child(ap, "reason"), "Unsupported value: \"" + it->second.Scalar() +
                                                      "\": supported values: \"Error\", \"OOMKilled\", \"Completed\"");
          }
        }
        if (const auto it = args.find("exitCode"); it != args.end()) a.exitCode = exitCodeOf(it->second, child(ap, "exitCode"));
        break;
      }
      case ActionKind::DeletePod: {
        allowed = {"pod", "gracePeriodSeconds"};
        podArg();
        if (const auto it = args.find("gracePeriodSeconds"); it != args.end()) {
          a.gracePeriodSeconds = seconds(it->second, child(ap, "gracePeriodSeconds"));
        }
        break;
      }
      case ActionKind::UpdateImage: {
        allowed = {"pod", "container", "image"};
        podArg();
        containerArg();
        const auto& v = need("image");
        if (v.Scalar().empty()) fail(v, child(ap, "image"), "Required value");
        a.image = internImage(v.Scalar());
        break;
      }
      case ActionKind::FailNode:
      case ActionKind::RecoverNode:
      case ActionKind::RestartKubelet:
        allowed = {"node"};
        nodeArg();
        break;
      case ActionKind::CreatePod:
        allowed = {"pod"};
        podArg();
        for (const auto& other : sc_.actions) {
          if (other.kind == ActionKind::CreatePod && other.pod == a.pod) fail(need("pod"), child(ap, "pod"), "Duplicate value: \"" + need("pod").Scalar() + "\": the pod is already created by an action");
        }
        break;
    }
    forEachEntry(argsNode, ap, [&](const std::string& key, const YAML::Node& k, const YAML::Node&) { checkKnown(key, k, ap, allowed); });
    return a;
  }

  void readActions(const YAML::Node& n) {
    forEachItem(n, "spec.actions", [&](std::size_t i, const YAML::Node& item) {
      const auto p = idx("spec.actions", i);
      if (!item.IsMap()) fail(item, p, "expected a map, got " + describe(item));
      if (i >= kMaxActions) fail(item, p, "Too many: more than " + std::to_string(kMaxActions) + " actions");
      sc_.actions.push_back(readAction(item, p));
    });
  }

  /// A one-line flow rendering of a node for messages, cut at about 160 characters (bounded even for
  /// alias bombs, unlike an emitter).
  static void flow(const YAML::Node& v, std::string& out) {
    if (out.size() > 160) return;
    if (v.IsScalar()) {
      out += v.Scalar().size() > 60 ? v.Scalar().substr(0, 60) + "..." : v.Scalar();
    } else if (v.IsSequence()) {
      out += "[";
      bool first = true;
      for (auto it = v.begin(); it != v.end() && out.size() <= 160; ++it) {
        out += first ? "" : ", ";
        first = false;
        flow(*it, out);
      }
      out += "]";
    } else if (v.IsMap()) {
      out += "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end() && out.size() <= 160; ++it) {
        out += first ? "" : ", ";
        first = false;
        flow(it->first, out);
        out += ": ";
        flow(it->second, out);
      }
      out += "}";
    } else {
      out += "null";
    }
  }

  /// The entries of a map as (key node, value node) by key, in written order; types and duplicates checked.
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> entries(const YAML::Node& n, const std::string& path) {
    std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> out;
    forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) { out.push_back({key, {k, v}}); });
    return out;
  }

  static const std::vector<std::string>& stateKeys() {
    static const std::vector<std::string> keys = {"status", "ready", "restarts", "phase", "removed", "conditions",
                                                  "state", "reason", "exitCode", "restartCount", "started"};
    return keys;
  }

  /// Reads `pod:` (or takes the only pod) and `container:` (or the only container when `needContainer`).
  void expectTarget(Expectation& x, const YAML::Node* podNode, const YAML::Node* containerNode, const YAML::Node& item,
                    const std::string& path, bool needContainer) {
    if (podNode != nullptr) {
      x.pod = podIndex(*podNode, child(path, "pod"), str(*podNode, child(path, "pod")));
    } else if (sc_.pods.size() == 1) {
      x.pod = 0;
    } else {
      fail(item, child(path, "pod"), "Required value: the scenario has more than one pod");
    }
    const auto& pod = sc_.pods[static_cast<std::size_t>(x.pod)].pod;
    if (containerNode != nullptr) {
      x.container = containerIndex(*containerNode, child(path, "container"), x.pod, str(*containerNode, child(path, "container")));
    } else if (needContainer) {
      if (pod.containerCount() != 1) fail(item, child(path, "container"), "Required value: pod \"" + pod.name + "\" has more than one container");
      x.container = 0;
    }
  }

  /// Reads the state fields of an `at`, `eventually`, `never` or `always` entry from the map `n`
  /// (keys not among stateKeys, `pod`, `container` and `extra` are errors).
  void readStateFields(Expectation& x, const YAML::Node& n, const std::string& path, const std::vector<std::string>& extra,
                       const YAML::Node* outerPod, const YAML::Node* outerContainer) {
    std::vector<std::string> known = extra;
    known.insert(known.end(), {"pod", "container"});
    known.insert(known.end(), stateKeys().begin(), stateKeys().end());
    const auto es = entries(n, path);
    std::optional<YAML::Node> podNode, containerNode;
    if (outerPod != nullptr) podNode = *outerPod;
    if (outerContainer != nullptr) containerNode = *outerContainer;
    bool needContainer = false;
    for (const auto& [key, kv] : es) {
      checkKnown(key, kv.first, path, known);
      if (key == "pod") podNode = kv.second;
      if (key == "container") containerNode = kv.second;
      if (key == "state" || key == "reason" || key == "exitCode" || key == "restartCount" || key == "started") needContainer = true;
    }
    expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, n, path, needContainer);
    using K = StateField::Kind;
    for (const auto& entry : es) {
      const std::string& key = entry.first;
      const YAML::Node& v = entry.second.second;
      const auto p = child(path, key);
      auto add = [&](K kind, std::string value) { x.fields.push_back({kind, key, std::move(value)}); };
      // Expected booleans may be written quoted ("true"), as kubectl prints them.
      auto flag = [&] { return (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) ? v.Scalar() == "true" : boolean(v, p); };
      auto count = [&] {
        const auto c = int64(v, p);
        if (c < 0) fail(v, p, "Invalid value: " + std::to_string(c) + ": must be greater than or equal to 0");
        return std::to_string(c);
      };
      if (key == "status") add(K::Status, str(v, p));
      else if (key == "ready") {
        const auto r = str(v, p);
        const auto slash = r.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == r.size() ||
            r.find_first_not_of("0123456789/") != std::string::npos || r.find('/', slash + 1) != std::string::npos) {
          fail(v, p, "Invalid value: \"" + r + "\": expected READY as kubectl prints it, e.g. \"1/2\"");
        }
        add(K::Ready, r);
      } else if (key == "restarts") add(K::Restarts, count());
      else if (key == "phase") {
        const auto ph = str(v, p);
        if (ph != "Pending" && ph != "Running" && ph != "Succeeded" && ph != "Failed" && ph != "Unknown") {
          fail(v, p, "Unsupported value: \"" + ph + "\": supported values: \"Pending\", \"Running\", \"Succeeded\", \"Failed\", \"Unknown\"");
        }
        add(K::Phase, ph);
      } else if (key == "removed") add(K::Removed, flag() ? "true" : "false");
      else if (key == "conditions") {
        static const std::vector<std::string> types = {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                                                       "PodScheduled", "DisruptionTarget"};
        forEachEntry(v, p, [&](const std::string& t, const YAML::Node& tk, const YAML::Node& tv) {
          checkKnown(t, tk, p, types);
          const auto cp = child(p, t);
          std::string value = tv.IsScalar() ? tv.Scalar() : "";
          if (value == "true" || value == "True") value = "True";
          else if (value == "false" || value == "False") value = "False";
          else fail(tv, cp, "Unsupported value: " + describe(tv) + ": supported values: \"True\", \"False\"");
          x.fields.push_back({K::Condition, "conditions." + t, value});
        });
      } else if (key == "state") {
        const auto st = str(v, p);
        if (st != "waiting" && st != "running" && st != "terminated") {
          fail(v, p, "Unsupported value: \"" + st + "\": supported values: \"waiting\", \"running\", \"terminated\"");
        }
        add(K::State, st);
      } else if (key == "reason") add(K::Reason, str(v, p));
      else if (key == "exitCode") add(K::ExitCode, std::to_string(exitCodeOf(v, p)));
      else if (key == "restartCount") add(K::RestartCount, count());
      else if (key == "started") add(K::Started, flag() ? "true" : "false");
    }
    if (x.fields.empty()) fail(n, path, "Required value: at least one of " + quotedList(stateKeys()));
  }

  static Expectation::Moment moment(const std::string& s) {
    return (s == "Exited" || s == "exited") ? Expectation::Moment::Exited : Expectation::Moment::Started;
  }

  void readExpectation(const YAML::Node& item, const std::string& p) {
    Expectation x;
    const auto m = item.Mark();
    x.where = {file_, m.line + 1, m.column + 1};
    flow(item, x.written);
    if (!item.IsMap()) fail(item, p, "expected a map, got " + describe(item));
    static const std::vector<std::pair<std::string, Expectation::Kind>> kinds = {
        {"eventually", Expectation::Kind::Eventually}, {"never", Expectation::Kind::Never},
        {"always", Expectation::Kind::Always},         {"order", Expectation::Kind::Order},
        {"together", Expectation::Kind::Together},     {"backoff", Expectation::Kind::Backoff},
        {"event", Expectation::Kind::Event},           {"fingerprint", Expectation::Kind::Fingerprint}};
    const auto es = entries(item, p);
    std::string kindKey;
    YAML::Node body;
    std::map<std::string, YAML::Node> outer;
    for (const auto& [key, kv] : es) {
      outer[key] = kv.second;
      for (const auto& [name, kind] : kinds) {
        if (key != name) continue;
        if (!kindKey.empty()) fail(kv.first, child(p, key), "Forbidden: one expectation per entry (already \"" + kindKey + "\")");
        kindKey = key;
        x.kind = kind;
        body = kv.second;
      }
    }
    auto get = [&](const std::string& key) -> const YAML::Node* {
      const auto it = outer.find(key);
      return it == outer.end() ? nullptr : &it->second;
    };
    auto allow = [&](std::vector<std::string> known) {
      for (const auto& [key, kv] : es) checkKnown(key, kv.first, p, known);
    };
    auto window = [&](const char* fromKey, const char* toKey) {
      if (const auto* f = get(fromKey)) x.from = duration(*f, child(p, fromKey));
      if (const auto* t = get(toKey)) {
        x.to = duration(*t, child(p, toKey));
        if (x.to < x.from) fail(*t, child(p, toKey), "Invalid value: \"" + t->Scalar() + "\": must not be before " + fromKey);
      }
    };
    const std::string bp = child(p, kindKey);
    switch (x.kind) {
      case Expectation::Kind::At: {
        const auto* at = get("at");
        if (at == nullptr) fail(item, child(p, "at"), "Required value: `at`, or one of \"eventually\", \"never\", \"always\", \"order\", \"together\", \"backoff\", \"event\", \"fingerprint\"");
        x.at = duration(*at, child(p, "at"));
        readStateFields(x, item, p, {"at"}, nullptr, nullptr);
        break;
      }
      case Expectation::Kind::Eventually: {
        allow({"eventually", "within", "after", "pod", "container"});
        if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
        readStateFields(x, body, bp, {}, get("pod"), get("container"));
        if (const auto* a = get("after")) x.from = duration(*a, child(p, "after"));
        if (const auto* w = get("within")) x.to = x.from + duration(*w, child(p, "within"));
        break;
      }
      case Expectation::Kind::Never:
      case Expectation::Kind::Always: {
        allow({kindKey, "from", "to", "pod", "container"});
        if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
        readStateFields(x, body, bp, {}, get("pod"), get("container"));
        window("from", "to");
        break;
      }
      case Expectation::Kind::Order: {
        allow({"order", "pod"});
        std::optional<YAML::Node> podNode, first, then;
        if (const auto* pn = get("pod")) podNode = *pn;
        std::string firstEvent, thenEvent;
        forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
          checkKnown(key, k, bp, {"first", "then", "event", "firstEvent", "thenEvent", "pod"});
          const auto kp = child(bp, key);
          if (key == "pod") podNode = v;
          else if (key == "first") first = v;
          else if (key == "then") then = v;
          else {
            const auto e = str(v, kp);
            if (e != "Started" && e != "started" && e != "Exited" && e != "exited") {
              fail(v, kp, "Unsupported value: \"" + e + "\": supported values: \"Started\", \"Exited\"");
            }
            if (key != "thenEvent") x.firstMoment = moment(e);
            if (key != "firstEvent") x.thenMoment = moment(e);
            (key == "firstEvent" ? firstEvent : key == "thenEvent" ? thenEvent : firstEvent) = e;
          }
        });
        if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
        if (!first) fail(body, child(bp, "first"), "Required value");
        if (!then) fail(body, child(bp, "then"), "Required value");
        expectTarget(x, podNode ? &*podNode : nullptr, &*first, body, bp, false);
        x.container = containerIndex(*first, child(bp, "first"), x.pod, str(*first, child(bp, "first")));
        x.other = containerIndex(*then, child(bp, "then"), x.pod, str(*then, child(bp, "then")));
        break;
      }
      case Expectation::Kind::Together: {
        allow({"together", "pod"});
        const auto names = stringList(body, bp);
        if (!body.IsSequence() || names.size() != 2) fail(body, bp, "Invalid value: expected two container names, e.g. [app, log-agent]");
        expectTarget(x, get("pod"), nullptr, item, p, false);
        x.container = containerIndex(body[0], idx(bp, 0), x.pod, names[0]);
        x.other = containerIndex(body[1], idx(bp, 1), x.pod, names[1]);
        break;
      }
      case Expectation::Kind::Backoff: {
        allow({"backoff", "pod"});
        std::optional<YAML::Node> podNode, containerNode, waits;
        if (const auto* pn = get("pod")) podNode = *pn;
        x.tolerance = sim::kSecond;
        forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
          checkKnown(key, k, bp, {"container", "waits", "tolerance", "pod"});
          if (key == "pod") podNode = v;
          else if (key == "container") containerNode = v;
          else if (key == "waits") waits = v;
          else x.tolerance = duration(v, child(bp, key));
        });
        if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
        expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, body, bp, true);
        if (!waits) fail(body, child(bp, "waits"), "Required value");
        forEachItem(*waits, child(bp, "waits"), [&](std::size_t i, const YAML::Node& w) {
          if (i >= 1000) fail(w, idx(child(bp, "waits"), i), "Too many: more than 1000 waits");
          x.waits.push_back(duration(w, idx(child(bp, "waits"), i)));
        });
        if (x.waits.empty()) fail(*waits, child(bp, "waits"), "Required value: at least one wait");
        break;
      }
      case Expectation::Kind::Event: {
        allow({"event", "pod"});
        std::optional<YAML::Node> podNode, containerNode, reasonNode;
        if (const auto* pn = get("pod")) podNode = *pn;
        forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
          checkKnown(key, k, bp, {"reason", "container", "atLeast", "atMost", "from", "to", "pod"});
          const auto kp = child(bp, key);
          if (key == "pod") podNode = v;
          else if (key == "container") containerNode = v;
          else if (key == "reason") reasonNode = v;
          else if (key == "atLeast" || key == "atMost") {
            const auto n = int64(v, kp);
            if (n < 0) fail(v, kp, "Invalid value: " + std::to_string(n) + ": must be greater than or equal to 0");
            (key == "atLeast" ? x.atLeast : x.atMost) = n;
          } else if (key == "from") x.from = duration(v, kp);
          else x.to = duration(v, kp);
        });
        if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
        if (!reasonNode) fail(body, child(bp, "reason"), "Required value");
        x.reason = str(*reasonNode, child(bp, "reason"));
        std::vector<std::string> reasons;
        for (int r = 0; r < static_cast<int>(api::EventReason::Count); ++r) {
          reasons.emplace_back(api::toString(static_cast<api::EventReason>(r)));
        }
        if (std::find(reasons.begin(), reasons.end(), x.reason) == reasons.end()) {
          auto msg = unknownFieldMessage(x.reason, reasons);
          fail(*reasonNode, child(bp, "reason"), "Unsupported value: \"" + x.reason + "\"" + msg.substr(msg.find('"', 15) + 1) +
                                                      (msg.find("did you mean") == std::string::npos ? ": not an Event reason podsim records" : ""));
        }
        if (x.atLeast >= 0 && x.atMost >= 0 && x.atMost < x.atLeast) {
          fail(body, child(bp, "atMost"), "Invalid value: " + std::to_string(x.atMost) + ": must be greater than or equal to atLeast");
        }
        if (x.to >= 0 && x.to < x.from) fail(body, child(bp, "to"), "Invalid value: must not be before from");
        expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, body, bp, false);
        break;
      }
      case Expectation::Kind::Fingerprint: {
        allow({"fingerprint"});
        auto f = str(body, bp);
        std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (f.size() != 16 || f.find_first_not_of("0123456789abcdef") != std::string::npos) {
          fail(body, bp, "Invalid value: \"" + f.substr(0, 40) + "\": expected 16 hexadecimal digits (FNV-1a 64 of the JSONL trace)");
        }
        x.fingerprint = f;
        break;
      }
    }
    sc_.expectations.push_back(std::move(x));
  }

  void readExpect(const YAML::Node& n) {
    forEachItem(n, "spec.expect", [&](std::size_t i, const YAML::Node& item) {
      const auto p = idx("spec.expect", i);
      if (i >= kMaxExpectations) fail(item, p, "Too many: more than " + std::to_string(kMaxExpectations) + " expectations");
      readExpectation(item, p);
    });
  }

  // -------------------------------------------------------------- phase 4: behaviour from the command

  void decideBehaviors(std::size_t p) {
    auto& entry = sc_.pods[p];
    const auto& pod = entry.pod;
    file_ = pod.where.file;
    for (std::size_t c = 0; c < pod.containerCount(); ++c) {
      const bool fromBehaviors = behaviorSet_[p][c] != nullptr;
      if (fromBehaviors && processSet_.count({p, c}) == 0) continue;  // run/exitCode/attempts given
      auto& b = entry.behaviors[c];
      const auto& ctr = pod.container(c);
      const auto type = pod.containerType(c);
      if (!fromBehaviors) {
        b = ProcessBehavior{};
        b.origin = "default";
      }
      // Default process: an init container completes at once with 0, others run until stopped.
      b.attempts = {type == api::ContainerType::Init ? Attempt{0, 0} : Attempt{sim::kForever, 0}};
      if (ctr.command.empty() && ctr.args.empty()) continue;
      const auto where = "pod " + pod.name + " container " + ctr.name + ": ";
      const auto r = compileContainerCommand(ctr.command, ctr.args, [this](const std::string& s) { return internService(s); });
      const bool keepTermination = fromBehaviors && writtenTermination_[{p, c}];
      switch (r.kind) {
        case ShellParse::Kind::Program:
          b.script = r.program;
          if (!fromBehaviors) b.origin = "script";
          // A shell (or sleep) as PID 1 has no SIGTERM handler: the signal is ignored until SIGKILL.
          if (!keepTermination) b.terminationDelay = sim::kForever;
          break;
        case ShellParse::Kind::SyntaxError:
          b.script = nullptr;
          b.attempts = {Attempt{0, 2}};
          if (!fromBehaviors) b.origin = "script";
          sc_.warnings.push_back(pod.where.file + ": " + where + r.message + "; the container exits with code 2 at once");
          break;
        case ShellParse::Kind::NotUnderstood:
          sc_.warnings.push_back(pod.where.file + ": " + where + "command not modelled (" + r.message + "); " +
                                 (type == api::ContainerType::Init ? "the init container completes at once with exit code 0"
                                                                   : "the container runs until it is stopped"));
          break;
      }
    }
  }

  Scenario sc_;
  std::string file_;
  bool manifest_ = false;  // reading Kubernetes manifests (YAML 1.1 string rules apply), not the Scenario
  std::vector<std::string> stack_;  // files being read, for include cycles
  std::optional<Document> scenarioDoc_;
  std::vector<Document> podDocs_, nodeDocs_, serviceDocs_;
  std::set<std::string> warned_;
  std::size_t documents_ = 0;
  std::uintmax_t totalBytes_ = 0;  // bytes of the main file and every manifest read so far
  struct Placed {
    std::string file;
    YAML::Node node;
    std::string path;
  };
  std::vector<Placed> sidecarNodes_, sleepNodes_;  // fields that exist only from some Kubernetes version
  api::ProbeHandler handler_;  // the fields of the last handler read (api::Probe::handler)
  std::vector<Placed> sleepSecondNodes_;           // sleep hooks' seconds of the pod being read
  std::vector<std::pair<std::string, YAML::Node>> gateNodes_;
  std::vector<std::vector<const ProcessBehavior*>> behaviorSet_;  // non-null: has a `behaviors` entry
  std::set<std::pair<std::size_t, std::size_t>> processSet_;     // entries without run/exitCode/attempts
  std::map<std::pair<std::size_t, std::size_t>, bool> writtenTermination_;
};

}  // namespace

Scenario loadScenarioFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p(path);
  if (std::filesystem::exists(p, ec) && !std::filesystem::is_regular_file(p, ec)) {
    throw InputError(path, 1, 1, "", "cannot read file: not a regular file");
  }
  const auto size = std::filesystem::file_size(p, ec);
  if (ec) throw InputError(path, 1, 1, "", "cannot read file: " + ec.message());
  if (size > kMaxFileBytes) {
    throw InputError(path, 1, 1, "", "file is larger than " + std::string(kMaxFileText) + " (" + std::to_string(size) + " bytes)");
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "", "cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto canonical = std::filesystem::weakly_canonical(p, ec).string();
  if (ec) canonical = p.lexically_normal().string();
  try {
    return Loader{}.run(ss.str(), path, p.parent_path(), canonical);
  } catch (const YAML::Exception& e) {
    throw InputError(path, e.mark.line >= 0 ? e.mark.line + 1 : 1, e.mark.column >= 0 ? e.mark.column + 1 : 1, "", e.msg);
  }
}

Scenario loadScenarioString(const std::string& yaml, const std::string& fileLabel) {
  const std::filesystem::path p(fileLabel);
  const bool isPath = !fileLabel.empty() && fileLabel.front() != '<';
  const auto dir = isPath ? p.parent_path() : std::filesystem::path();
  if (yaml.size() > kMaxFileBytes) {
    throw InputError(fileLabel, 1, 1, "", "file is larger than " + std::string(kMaxFileText) + " (" + std::to_string(yaml.size()) + " bytes)");
  }
  try {
    return Loader{}.run(yaml, fileLabel, dir, isPath ? p.lexically_normal().string() : fileLabel);
  } catch (const YAML::Exception& e) {
    throw InputError(fileLabel, e.mark.line >= 0 ? e.mark.line + 1 : 1, e.mark.column >= 0 ? e.mark.column + 1 : 1, "", e.msg);
  }
}

bool createdAtStart(const Scenario& scenario, std::size_t podIndex) {
  if (podIndex >= scenario.pods.size()) throw std::out_of_range("createdAtStart: no pod " + std::to_string(podIndex));
  for (const auto& a : scenario.actions) {
    if (a.kind == ActionKind::CreatePod && a.pod == static_cast<std::int32_t>(podIndex)) return false;
  }
  return true;
}

}  // namespace podsim::scenario
