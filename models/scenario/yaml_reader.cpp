// models/scenario/yaml_reader.cpp: typed reads of YAML nodes with positions (see yaml_reader.hpp).
#include "models/scenario/yaml_reader.hpp"

#include "models/scenario/duration.hpp"

namespace podsim::scenario::detail {

[[noreturn]] void YamlReader::fail(const YAML::Node& at, const std::string& path, const std::string& detail) const {
  int line = 1, column = 1;
  if (at.IsDefined()) {
    const auto m = at.Mark();
    if (m.line >= 0) line = m.line + 1;
    if (m.column >= 0) column = m.column + 1;
  }
  throw InputError(file_, line, column, path, detail);
}

[[noreturn]] void YamlReader::stop(const YAML::Node& at, const std::string& path, const std::string& detail) const {
  try {
    fail(at, path, detail);
  } catch (const InputError& e) {
    throw StopError(e);
  }
}

[[noreturn]] void YamlReader::failUnknown(const YAML::Node& k, const std::string& path, const std::string& key, Section s,
                                          const std::vector<std::string>* known) const {
  fail(k, path, unknownFieldMessage(path, key, known != nullptr ? *known : fieldsOf(s), s));
}

namespace {

/// Whether two field paths are the same field or one lies inside the other (`spec.containers` and
/// `spec.containers[0].name`); an empty path (a whole document) is related to none.
bool relatedPaths(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  if (longer.compare(0, shorter.size(), shorter) != 0) return false;
  return longer.size() == shorter.size() || longer[shorter.size()] == '.' || longer[shorter.size()] == '[';
}

}  // namespace

void YamlReader::collect(const InputError& e) {
  if (!e.errors.empty()) throw StopError(e);  // an aggregate is never collected again
  for (const auto& c : errors_) {
    if (c.file == e.file && (relatedPaths(c.fieldPath, e.fieldPath) || (c.fieldPath == e.fieldPath && c.detail == e.detail))) return;
  }
  errors_.push_back(e);
  if (errors_.size() >= kMaxErrors) raiseCollected();
}

void YamlReader::raiseCollected() {
  if (errors_.empty()) return;
  auto all = std::exchange(errors_, {});
  if (all.size() == 1) throw StopError(all.front());
  throw StopError(InputError(all, object_.empty() ? "the document" : object_));
}

/// Walks a document as the readers will, counting every node reached (a node shared through YAML
/// aliases counts each time it is reached), and rejects an alias bomb or too deep a nesting before
/// any reader walks it. yaml-cpp keeps aliased nodes shared, so parsing itself stays linear.
void YamlReader::guardTree(const YAML::Node& doc) {
  std::size_t visited = 0;
  std::vector<std::string> path;
  guardNode(doc, 0, visited, path);
}

void YamlReader::guardNode(const YAML::Node& n, int depth, std::size_t& visited, std::vector<std::string>& path) {
  auto where = [&] {
    std::string s;
    for (const auto& seg : path) s += (seg.front() == '[' || s.empty()) ? seg : "." + seg;
    return s;
  };
  if (++visited > kMaxNodes) {
    stop(n, where(), "the document has more than " + std::to_string(kMaxNodes) +
                         " nodes, counting each use of a YAML alias (an alias bomb?)");
  }
  if (depth > kMaxDepth) stop(n, where(), "nested more than " + std::to_string(kMaxDepth) + " levels deep");
  if (n.IsSequence()) {
    std::size_t i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) {
      std::string seg = "[";  // appended piecewise: GCC 12's -Wrestrict misfires on "[" + to_string(i) here
      seg += std::to_string(i);
      seg += ']';
      path.push_back(std::move(seg));
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

std::string YamlReader::describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Scalar:
      return "\"" + (n.Scalar().size() > 80 ? n.Scalar().substr(0, 80) + "..." : n.Scalar()) + "\"";
    default: return "null";
  }
}

void YamlReader::warnUnmodelled(const std::string& path) {
  const auto g = genericPath(path);
  if (warned_.insert(g).second) warnings_->push_back(file_ + ": field " + g + " is not modelled; ignored");
}

std::string YamlReader::str(const YAML::Node& n, const std::string& path) const {
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
const char* YamlReader::yaml11Type(const std::string& s) {
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

std::int64_t YamlReader::int64(const YAML::Node& n, const std::string& path) const {
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

std::int32_t YamlReader::int32(const YAML::Node& n, const std::string& path) const {
  const auto v = int64(n, path);
  if (v < INT32_MIN || v > INT32_MAX) fail(n, path, "Invalid value: " + std::to_string(v) + ": must fit in 32 bits");
  return static_cast<std::int32_t>(v);
}

bool YamlReader::boolean(const YAML::Node& n, const std::string& path) const {
  if (n.IsScalar() && n.Tag() != "!") {
    const auto& s = n.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  fail(n, path, "expected true or false, got " + describe(n));
}

sim::Time YamlReader::duration(const YAML::Node& n, const std::string& path, ForeverAllowed forever,
                   sim::Time max, const char* maxText) const {
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
std::int64_t YamlReader::seconds(const YAML::Node& n, const std::string& path) const {
  const auto v = int64(n, path);
  if (v < 0) fail(n, path, "Invalid value: " + std::to_string(v) + ": must be greater than or equal to 0");
  if (v > kMaxSeconds) {
    fail(n, path, "Invalid value: " + std::to_string(v) + ": must be at most " + std::to_string(kMaxSeconds) +
                      " (10 years; podsim counts time in int64 nanoseconds)");
  }
  return v;
}

std::map<std::string, std::string> YamlReader::stringMap(const YAML::Node& n, const std::string& path) {
  std::map<std::string, std::string> m;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    m[key] = v.IsNull() ? std::string() : str(v, child(path, key));
  });
  return m;
}

std::vector<std::string> YamlReader::stringList(const YAML::Node& n, const std::string& path) {
  std::vector<std::string> v;
  forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) { v.push_back(str(item, idx(path, i))); });
  return v;
}

}  // namespace podsim::scenario::detail
