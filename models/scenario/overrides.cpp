// models/scenario/overrides.cpp: `PATH=VALUE` overrides applied to parsed YAML documents, re-emitted as text.
#include "models/scenario/overrides.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/scenario/duration.hpp"
#include "models/scenario/loader.hpp"

namespace podsim::scenario {
namespace {

constexpr const char* kOverrideFile = "<override>";

/// One step of a path: a map key, optionally followed by selectors `[x]`.
struct Segment {
  std::string key;                     // empty when the segment is only selectors
  std::vector<std::string> selectors;  // `[x]` texts
  int column = 1;                      // 1-based column of the segment in the path, for messages
};

[[noreturn]] void fail(const Override& o, int column, const std::string& detail) {
  throw InputError(kOverrideFile, 1, column, o.path, detail);
}

std::vector<Segment> splitPath(const Override& o) {
  std::vector<Segment> out;
  const std::string& p = o.path;
  std::size_t i = 0;
  if (p.empty()) fail(o, 1, "Required value: an override needs a path (PATH=VALUE)");
  while (i <= p.size()) {
    Segment s;
    s.column = static_cast<int>(i) + 1;
    while (i < p.size() && p[i] != '.' && p[i] != '[') s.key += p[i++];
    while (i < p.size() && p[i] == '[') {
      const std::size_t close = p.find(']', i);
      if (close == std::string::npos) fail(o, static_cast<int>(i) + 1, "Invalid value: unclosed '[' in the path");
      s.selectors.push_back(p.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    if (s.key.empty() && s.selectors.empty()) fail(o, s.column, "Invalid value: empty step in the path");
    out.push_back(std::move(s));
    if (i == p.size()) break;
    if (p[i] != '.') fail(o, static_cast<int>(i) + 1, "Invalid value: expected '.' or '[' in the path");
    ++i;
    if (i == p.size()) fail(o, static_cast<int>(i), "Invalid value: the path ends with '.'");
  }
  return out;
}

bool isIndex(const std::string& s) {
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string scalarOf(const YAML::Node& n, const char* key) {
  if (!n.IsMap()) return "";
  const YAML::Node c = n;  // const access does not create the key
  const YAML::Node v = c[key];
  return v && v.IsScalar() ? v.Scalar() : "";
}

/// Steps from `node` by one selector `[x]`: list element by name or index, or map key.
YAML::Node select(const Override& o, const Segment& s, YAML::Node node, const std::string& sel, const std::string& where) {
  if (node.IsSequence()) {
    if (isIndex(sel)) {
      const std::size_t i = std::stoul(sel);
      if (i >= node.size()) fail(o, s.column, "Not found: " + where + "[" + sel + "]: the list has " + std::to_string(node.size()) + " elements");
      return node[i];
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      YAML::Node e = node[i];
      if (scalarOf(e, "name") == sel) return e;
    }
    fail(o, s.column, "Not found: " + where + "[" + sel + "]: no element with name \"" + sel + "\"");
  }
  if (node.IsMap()) return node[sel];
  if (!node.IsDefined() || node.IsNull()) {
    fail(o, s.column, "Not found: " + where + "[" + sel + "]: " + where + " does not exist");
  }
  fail(o, s.column, "Invalid value: " + where + " is a scalar; cannot select [" + sel + "] in it");
}

/// Follows `segments[from..]` from `node`, creating missing map keys, and sets the last one to `value`.
void assign(const Override& o, YAML::Node node, const std::vector<Segment>& segments, std::size_t from, const YAML::Node& value) {
  std::string where;
  for (std::size_t i = 0; i < from; ++i) where += (where.empty() ? "" : ".") + segments[i].key;
  for (std::size_t i = from; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    const bool last = i + 1 == segments.size();
    if (!s.key.empty()) {
      if (node.IsScalar() || node.IsSequence()) {
        fail(o, s.column, "Invalid value: " + (where.empty() ? std::string("the document") : where) + " is a " +
                              (node.IsScalar() ? "scalar" : "list") + "; it has no field \"" + s.key + "\"");
      }
      where += (where.empty() ? "" : ".") + s.key;
      if (last && s.selectors.empty()) {
        node[s.key] = value;
        return;
      }
      YAML::Node next = node[s.key];
      if (!next.IsDefined() || next.IsNull()) {
        if (!s.selectors.empty()) {
          // A selector needs an existing list (or map); only a map key can be made on the way.
          if (!isIndex(s.selectors.front()) && !next.IsDefined()) {
            node[s.key] = YAML::Node(YAML::NodeType::Map);
            next.reset(node[s.key]);
          } else {
            fail(o, s.column, "Not found: " + where + " does not exist");
          }
        } else {
          node[s.key] = YAML::Node(YAML::NodeType::Map);
          next.reset(node[s.key]);
        }
      }
      // reset(), not `=`: assigning a Node rewrites the node it refers to (the parent document) in yaml-cpp.
      node.reset(next);
    }
    for (std::size_t k = 0; k < s.selectors.size(); ++k) {
      const std::string& sel = s.selectors[k];
      if (last && k + 1 == s.selectors.size()) {
        if (node.IsMap()) {
          node[sel] = value;
          return;
        }
        YAML::Node target = select(o, s, node, sel, where);
        // Replacing a list element in place keeps its place in the list.
        if (node.IsSequence() && isIndex(sel)) {
          node[std::stoul(sel)] = value;
        } else {
          for (std::size_t e = 0; e < node.size(); ++e) {
            if (node[e].is(target)) {
              node[e] = value;
              break;
            }
          }
        }
        return;
      }
      node.reset(select(o, s, node, sel, where));
      where += "[" + sel + "]";
    }
  }
}

/// Emits a node in block style; scalars that were quoted stay quoted, so that the loader still tells
/// the string "5" from the integer 5.
void emit(YAML::Emitter& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (auto it = n.begin(); it != n.end(); ++it) {
        out << YAML::Key;
        emit(out, it->first);
        out << YAML::Value;
        emit(out, it->second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& e : n) emit(out, e);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!") out << YAML::DoubleQuoted << n.Scalar();
      else if (n.Scalar().empty()) out << YAML::DoubleQuoted << "";
      else out << n.Scalar();
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << YAML::Null;
      break;
  }
}

YAML::Node parseValue(const Override& o) {
  try {
    YAML::Node v = YAML::Load(o.value);
    if (!v.IsDefined()) return YAML::Node(YAML::NodeType::Null);
    return v;
  } catch (const YAML::Exception&) {
    return YAML::Node(o.value);  // not YAML by itself (e.g. `a: b: c`): the plain text
  }
}

}  // namespace

Override parseOverride(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    throw InputError("<command line>", 0, 0, "--set", "Invalid value: \"" + text + "\": expected PATH=VALUE");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string applyOverrides(const std::string& yaml, const std::vector<Override>& overrides, const std::string& fileLabel) {
  if (overrides.empty()) return yaml;
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(yaml);
  } catch (const YAML::Exception& e) {
    throw InputError(fileLabel, e.mark.line + 1, e.mark.column + 1, "", e.msg);
  }
  docs.erase(std::remove_if(docs.begin(), docs.end(), [](const YAML::Node& d) { return !d.IsDefined() || d.IsNull(); }),
             docs.end());
  for (const Override& o : overrides) {
    const std::vector<Segment> segs = splitPath(o);
    const Segment& head = segs.front();
    const YAML::Node value = parseValue(o);
    if (head.key == "spec" || head.key == "metadata") {
      YAML::Node scenarioDoc;
      for (auto& d : docs) {
        if (scalarOf(d, "kind") == "Scenario" && scalarOf(d, "apiVersion") == "podsim/v1alpha1") scenarioDoc.reset(d);
      }
      if (!scenarioDoc.IsDefined() || scenarioDoc.IsNull()) {
        scenarioDoc.reset(YAML::Node(YAML::NodeType::Map));
        scenarioDoc["apiVersion"] = "podsim/v1alpha1";
        scenarioDoc["kind"] = "Scenario";
        docs.insert(docs.begin(), scenarioDoc);
      }
      assign(o, scenarioDoc, segs, 0, value);
    } else if (head.key == "pods") {
      std::string name;
      std::size_t rest = 1;
      if (!head.selectors.empty()) {
        if (head.selectors.size() > 1) fail(o, head.column, "Invalid value: pods[NAME] takes one name");
        name = head.selectors.front();
      } else {
        if (segs.size() < 2 || !segs[1].selectors.empty() || segs[1].key.empty()) {
          fail(o, head.column, "Invalid value: expected pods.NAME.FIELD");
        }
        name = segs[1].key;
        rest = 2;
      }
      if (rest >= segs.size()) fail(o, head.column, "Invalid value: expected pods.NAME.FIELD");
      YAML::Node podDoc;
      for (auto& d : docs) {
        if (scalarOf(d, "kind") != "Pod") continue;
        const YAML::Node cd = d;
        const YAML::Node meta = cd["metadata"];
        if (meta && scalarOf(meta, "name") == name) podDoc.reset(d);
      }
      if (!podDoc.IsDefined() || podDoc.IsNull()) {
        fail(o, segs[rest - 1].column, "Not found: no Pod named \"" + name + "\" in " + fileLabel);
      }
      assign(o, podDoc, segs, rest, value);
    } else {
      fail(o, 1, "Unsupported value: \"" + head.key + "\": supported values: \"spec\", \"metadata\", \"pods\"");
    }
  }
  YAML::Emitter out;
  out.SetIndent(2);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    out << YAML::BeginDoc;
    emit(out, docs[i]);
  }
  return std::string(out.c_str()) + "\n";
}

// ---- PreparedScenario: variants without a parse -------------------------------------------------------

namespace {

/// What the base text declares under `spec.behaviors.P.C` (the keys that decide how `run` and
/// `exitCode` are read: loader.cpp readBehavior, readAttempt).
struct BehaviorKeys {
  bool run = false;
  bool exitCode = false;
  bool attempts = false;
};

constexpr sim::Time kMaxFiniteDuration = 87600 * sim::kHour;  // the loader's bound on a finite duration

/// A positive int32 literal the loader reads as itself (no sign, no leading zero, no YAML 1.1 forms).
bool positiveInt(const std::string& v, std::int32_t& out) {
  if (v.empty() || v.size() > 9 || v[0] == '0') return false;
  if (!std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) return false;
  out = static_cast<std::int32_t>(std::stol(v));
  return true;
}

/// A duration literal that YAML reads as the same plain text and the loader accepts (else false).
bool durationLiteral(const std::string& text, ForeverAllowed forever, sim::Time& out) {
  // A double-quoted duration ("30s", as Python passes strings) is the same scalar to the loader's duration().
  const bool quoted = text.size() >= 2 && text.front() == '"' && text.back() == '"';
  const std::string v = quoted ? text.substr(1, text.size() - 2) : text;
  if (v.empty() || v.size() > 40) return false;
  if (!std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0 || c == '.' || (c >= 'a' && c <= 'z'); })) {
    return false;
  }
  if (std::isdigit(static_cast<unsigned char>(v[0])) == 0 && v != "forever") return false;
  try {
    out = parseDuration(v, forever);
  } catch (const std::invalid_argument&) {
    return false;
  }
  return out == sim::kForever || out <= kMaxFiniteDuration;
}

}  // namespace

struct PreparedScenario::Impl {
  std::string yaml;
  std::string fileLabel;
  Scenario base;
  std::map<std::pair<std::string, std::string>, BehaviorKeys> behaviorKeys;  // (pod, container) as written
  std::set<std::string> declaredImages;                                       // keys of spec.images

  /// The pod named `name`, when exactly one has it (-1 otherwise); `mainText`: it must also come from
  /// the main text (where `pods.NAME` overrides look).
  [[nodiscard]] std::int32_t pod(const std::string& name, bool mainText) const {
    std::int32_t found = -1;
    for (std::size_t p = 0; p < base.pods.size(); ++p) {
      if (base.pods[p].pod.name != name) continue;
      if (found >= 0) return -1;
      found = static_cast<std::int32_t>(p);
    }
    if (found >= 0 && mainText && base.pods[static_cast<std::size_t>(found)].pod.where.file != fileLabel) return -1;
    return found;
  }
  /// Unified index of the container named `name` in pod p, -1 when none.
  [[nodiscard]] std::int32_t container(std::int32_t p, const std::string& name) const {
    const api::Pod& pod = base.pods[static_cast<std::size_t>(p)].pod;
    for (std::size_t c = 0; c < pod.containerCount(); ++c) {
      if (pod.container(c).name == name) return static_cast<std::int32_t>(c);
    }
    return -1;
  }
};

PreparedScenario::PreparedScenario(std::string yaml, std::string fileLabel) : impl_(std::make_unique<Impl>()) {
  impl_->base = loadScenarioString(yaml, fileLabel);
  impl_->yaml = std::move(yaml);
  impl_->fileLabel = std::move(fileLabel);
  // The keys of spec.behaviors and spec.images as written (the text loaded, so it is YAML).
  const std::vector<YAML::Node> docs = YAML::LoadAll(impl_->yaml);
  YAML::Node scenarioDoc;
  for (const auto& d : docs) {
    if (d.IsMap() && scalarOf(d, "kind") == "Scenario" && scalarOf(d, "apiVersion") == "podsim/v1alpha1") scenarioDoc.reset(d);
  }
  if (!scenarioDoc.IsDefined() || !scenarioDoc.IsMap()) return;
  const YAML::Node doc = scenarioDoc;
  const YAML::Node spec = doc["spec"];
  if (!spec || !spec.IsMap()) return;
  if (const YAML::Node b = spec["behaviors"]; b && b.IsMap()) {
    for (auto pit = b.begin(); pit != b.end(); ++pit) {
      if (!pit->first.IsScalar() || !pit->second.IsMap()) continue;
      for (auto cit = pit->second.begin(); cit != pit->second.end(); ++cit) {
        if (!cit->first.IsScalar() || !cit->second.IsMap()) continue;
        const YAML::Node e = cit->second;
        impl_->behaviorKeys[{pit->first.Scalar(), cit->first.Scalar()}] = {bool(e["run"]), bool(e["exitCode"]), bool(e["attempts"])};
      }
    }
  }
  if (const YAML::Node im = spec["images"]; im && im.IsMap()) {
    for (auto it = im.begin(); it != im.end(); ++it) {
      if (it->first.IsScalar()) impl_->declaredImages.insert(it->first.Scalar());
    }
  }
}

PreparedScenario::~PreparedScenario() = default;

const Scenario& PreparedScenario::base() const noexcept { return impl_->base; }

bool PreparedScenario::applyDirect(const std::vector<Override>& overrides, Scenario& out) const {
  const Impl& m = *impl_;
  out = m.base;
  std::set<std::pair<std::int32_t, std::int32_t>> attemptsSet;  // (pod, container) whose run or exitCode was set
  for (const Override& o : overrides) {
    std::vector<Segment> segs;
    try {
      segs = splitPath(o);
    } catch (const InputError&) {
      return false;  // the full route gives the message
    }
    auto plain = [&](std::size_t i) { return i < segs.size() && segs[i].selectors.empty() && !segs[i].key.empty(); };
    auto is = [&](std::size_t i, const char* key) { return plain(i) && segs[i].key == key; };
    const std::string& v = o.value;
    if (segs.size() == 6 && is(0, "pods") && plain(1) && is(2, "spec") && segs[3].selectors.size() == 1 && plain(4) &&
        plain(5) && (segs[3].key == "containers" || segs[3].key == "initContainers")) {
      // pods.P.spec.containers[C].<kind>Probe.<field>: loader.cpp readProbe. A zero (defaulted by the
      // API) or any value that is not a positive integer literal takes the full route.
      const std::int32_t p = m.pod(segs[1].key, true);
      if (p < 0) return false;
      api::Pod& pod = out.pods[static_cast<std::size_t>(p)].pod;
      const bool regular = segs[3].key == "containers";
      auto& list = regular ? pod.containers : pod.initContainers;
      const std::string& cname = segs[3].selectors.front();
      if (std::count_if(list.begin(), list.end(), [&](const api::Container& x) { return x.name == cname; }) != 1) return false;
      api::Container& c = *std::find_if(list.begin(), list.end(), [&](const api::Container& x) { return x.name == cname; });
      const std::string& kind = segs[4].key;
      std::optional<api::Probe>* probe = kind == "readinessProbe" ? &c.readinessProbe
                                         : kind == "livenessProbe" ? &c.livenessProbe
                                         : kind == "startupProbe"  ? &c.startupProbe
                                                                   : nullptr;
      if (probe == nullptr || !probe->has_value()) return false;
      std::int32_t x = 0;
      if (!positiveInt(v, x)) return false;
      api::Probe& pr = **probe;
      const std::string& field = segs[5].key;
      if (field == "initialDelaySeconds") pr.initialDelaySeconds = x;
      else if (field == "periodSeconds") pr.periodSeconds = x;
      else if (field == "timeoutSeconds") pr.timeoutSeconds = x;
      else if (field == "failureThreshold") pr.failureThreshold = x;
      else if (field == "successThreshold" && (x == 1 || (regular && kind == "readinessProbe"))) pr.successThreshold = x;
      else return false;
      continue;
    }
    if (segs.size() >= 5 && is(0, "spec") && is(1, "behaviors") && plain(2) && plain(3) && plain(4)) {
      // spec.behaviors.P.C.<field> and spec.behaviors.P.C.probes.<kind>.<field>: loader.cpp readBehavior.
      const auto keys = m.behaviorKeys.find({segs[2].key, segs[3].key});
      if (keys == m.behaviorKeys.end() || keys->second.attempts) return false;
      const std::int32_t p = m.pod(segs[2].key, false);
      if (p < 0) return false;
      const std::int32_t ci = m.container(p, segs[3].key);
      if (ci < 0) return false;
      ProcessBehavior& b = out.pods[static_cast<std::size_t>(p)].behaviors[static_cast<std::size_t>(ci)];
      if (b.origin != "behaviors" || b.attempts.size() != 1) return false;
      const std::string& field = segs[4].key;
      Time t = 0;
      if (segs.size() == 5) {
        // `run` and `exitCode` make one attempt (readAttempt); only where the entry already has one of
        // them (an entry with neither takes its process from the container's command).
        const BehaviorKeys& k = keys->second;
        if (field == "startDelay") {
          if (!durationLiteral(v, ForeverAllowed::No, t)) return false;
          b.startDelay = t;
          continue;
        }
        if (!(k.run || k.exitCode) || !attemptsSet.insert({p, ci}).second) return false;
        if (field == "run") {
          if (!durationLiteral(v, ForeverAllowed::Yes, t)) return false;
          b.attempts.front() = Attempt{t, k.exitCode ? b.attempts.front().exitCode : 0};
        } else if (field == "exitCode") {
          std::int32_t code = 0;
          if (v == "0") code = 0;
          else if (!positiveInt(v, code) || code > 255) return false;
          b.attempts.front() = Attempt{k.run ? b.attempts.front().run : 0, code};
        } else {
          return false;
        }
        continue;
      }
      if (segs.size() == 7 && field == "probes" && plain(5) && plain(6)) {
        const std::string& kind = segs[5].key;
        ProbeBehavior* pb = kind == "readiness" ? &b.readiness : kind == "liveness" ? &b.liveness : kind == "startup" ? &b.startup : nullptr;
        if (pb == nullptr || !durationLiteral(v, ForeverAllowed::Yes, t)) return false;
        const std::string& f = segs[6].key;
        if (f == "succeedAfter") pb->succeedAfter = t;
        else if (f == "failAfter") pb->failAfter = t;
        else if (f == "duration") pb->duration = t;
        else return false;
        continue;
      }
      return false;
    }
    if (segs.size() == 3 && is(0, "spec") && segs[1].key == "images" && segs[1].selectors.size() == 1 && is(2, "pullDuration")) {
      // spec.images[I].pullDuration: loader.cpp readImages.
      const std::string& image = segs[1].selectors.front();
      if (m.declaredImages.count(image) == 0) return false;
      const auto it = std::find(out.images.begin(), out.images.end(), image);
      Time t = 0;
      if (it == out.images.end() || !durationLiteral(v, ForeverAllowed::No, t)) return false;
      out.imageBehaviors[static_cast<std::size_t>(it - out.images.begin())].pullDuration = t;
      continue;
    }
    return false;
  }
  return true;
}

Scenario PreparedScenario::variant(const std::vector<Override>& overrides, bool* direct) const {
  if (overrides.empty()) {
    if (direct != nullptr) *direct = true;
    return impl_->base;
  }
  Scenario s;
  if (applyDirect(overrides, s)) {
    if (direct != nullptr) *direct = true;
    return s;
  }
  if (direct != nullptr) *direct = false;
  return loadScenarioString(applyOverrides(impl_->yaml, overrides, impl_->fileLabel), impl_->fileLabel);
}

std::string readScenarioText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "", "cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace podsim::scenario
