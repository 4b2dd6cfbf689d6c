// models/scenario/overrides.cpp: `PATH=VALUE` overrides applied to parsed YAML documents, re-emitted as text.
#include "models/scenario/overrides.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string readScenarioText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 1, 1, "", "cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace podsim::scenario
