// models/scenario/image_catalogue.cpp: parsing the embedded data/images.yaml and looking images up in it.
//
// The text comes from the source file the build generates from data/images.yaml (CMakeLists.txt);
// it is parsed once, on first use, into plain values, so lookups share no yaml-cpp state between threads.
#include "models/scenario/image_catalogue.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "models/api/image_reference.hpp"
#include "models/scenario/duration.hpp"

namespace podsim::scenario {

// Defined in the build's generated images_yaml.cpp: the whole of data/images.yaml.
extern const std::string_view kImagesYaml;

namespace {

bool lowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool hexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

/// One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* (distribution/reference regexp.go pathComponent).
bool pathComponent(std::string_view s) {
  std::size_t i = 0;
  const auto run = [&] {
    const std::size_t start = i;
    while (i < s.size() && lowerAlnum(s[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

/// host[:port]: dot-separated labels of letters, digits and inner '-' (regexp.go domainAndPort;
/// Simplification: IPv6 literals are not accepted).
bool domainAndPort(std::string_view s) {
  const auto colon = s.find(':');
  std::string_view host = s.substr(0, colon);
  if (colon != std::string_view::npos) {
    const auto port = s.substr(colon + 1);
    if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  }
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    const auto label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || !alnum(label.front()) || !alnum(label.back())) return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return alnum(c) || c == '-'; })) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

/// [\w][\w.-]{0,127} (regexp.go tag).
bool validTag(std::string_view t) {
  const auto word = [](char c) { return alnum(c) || c == '_'; };
  if (t.empty() || t.size() > 128 || !word(t.front())) return false;
  return std::all_of(t.begin(), t.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

/// algorithm:hex with at least 32 hex digits (regexp.go digestPat; Simplification: the algorithm's
/// inner grammar is reduced to letters, digits and + . _ -).
bool validDigest(std::string_view d) {
  const auto colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto alg = d.substr(0, colon);
  const auto hex = d.substr(colon + 1);
  if (!std::all_of(alg.begin(), alg.end(), [](char c) { return alnum(c) || c == '+' || c == '.' || c == '_' || c == '-'; })) {
    return false;
  }
  return hex.size() >= 32 && std::all_of(hex.begin(), hex.end(), hexDigit);
}

}  // namespace

// TODO(merge): use api::parseImageReference (models/api/image_reference.hpp) and keep only the familiar-name step.
std::optional<NormalisedReference> normalisedName(std::string_view ref) {
  if (ref.empty() || ref.size() > 4096) return std::nullopt;
  NormalisedReference out;
  // The lexical split is api::parseImageReference's (domain, repository, tag, digest); the grammar of
  // each part is checked here.
  const api::ImageReference parts = api::parseImageReference(ref);
  if (parts.hasDigest) {
    out.digest = std::string(parts.digest);
    if (!validDigest(out.digest)) return std::nullopt;
  }
  if (parts.hasTag) {
    out.tag = std::string(parts.tag);
    if (!validTag(out.tag)) return std::nullopt;
  } else if (out.digest.empty()) {
    out.tag = "latest";
  }
  const std::string_view name = parts.repository;
  // splitDockerDomain: the first component is a registry when it has '.' or ':', is "localhost", or has
  // upper case (the last is one of parseImageReference's simplifications, so it is checked here);
  // otherwise the image is on docker.io, and a one-component name is under library/.
  std::string domain = "docker.io";
  std::string_view remainder = name;
  if (const auto first = name.find('/'); first != std::string_view::npos) {
    const auto head = name.substr(0, first);
    const bool isDomain = !parts.domain.empty() ||
                          std::any_of(head.begin(), head.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (isDomain) {
      if (!domainAndPort(head)) return std::nullopt;
      domain = std::string(head);
      remainder = name.substr(first + 1);
    }
  }
  if (domain == "index.docker.io") domain = "docker.io";
  if (remainder.empty() || name.size() > 255) return std::nullopt;
  for (std::size_t start = 0;;) {
    const auto next = remainder.find('/', start);
    if (!pathComponent(remainder.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start))) {
      return std::nullopt;
    }
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  // FamiliarName: docker.io and library/ are left out.
  if (domain == "docker.io") {
    std::string_view familiar = remainder;
    if (familiar.substr(0, 8) == "library/" && familiar.find('/', 8) == std::string_view::npos) familiar.remove_prefix(8);
    out.name = std::string(familiar);
  } else {
    out.name = domain + "/" + std::string(remainder);
  }
  return out;
}

namespace {

/// The catalogue as plain values: one CatalogueImage per (repository, tag), and how names find them.
struct Catalogue {
  CatalogueDefaults defaults;
  struct Entry {
    std::map<std::string, CatalogueImage> tags;  // by tag
    std::string fallbackTag;                     // empty: none
  };
  std::vector<Entry> entries;
  std::map<std::string, std::size_t> byName;  // normalised repository and aliases -> entry
};

/// Reads the embedded YAML; every error names data/images.yaml, the line and column, and the field.
class CatalogueReader {
 public:
  Catalogue read() {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(kImagesYaml));
    } catch (const YAML::Exception& e) {
      throw std::logic_error("data/images.yaml:" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    Catalogue c;
    if (integer(need(root, "schemaVersion", ""), "schemaVersion") != 1) fail(root["schemaVersion"], "schemaVersion", "expected 1");
    const YAML::Node d = need(root, "defaults", "");
    c.defaults.pullBandwidthBytesPerSecond = integer(need(d, "pullBandwidthBytesPerSecond", "defaults"), "defaults.pullBandwidthBytesPerSecond");
    c.defaults.pullLatency = duration(need(d, "pullLatency", "defaults"), "defaults.pullLatency");
    c.defaults.uncataloguedSizeBytes = integer(need(d, "uncataloguedSizeBytes", "defaults"), "defaults.uncataloguedSizeBytes");
    const YAML::Node images = need(root, "images", "");
    if (!images.IsSequence()) fail(images, "images", "expected a list");
    for (std::size_t i = 0; i < images.size(); ++i) readEntry(images[i], "images[" + std::to_string(i) + "]", c);
    return c;
  }

 private:
  [[noreturn]] static void fail(const YAML::Node& n, const std::string& path, const std::string& msg) {
    const auto m = n.Mark();
    throw std::logic_error("data/images.yaml:" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": " +
                           path + ": " + msg);
  }
  static std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
  static YAML::Node need(const YAML::Node& map, const std::string& key, const std::string& path) {
    if (!map.IsMap() || !map[key]) fail(map, join(path, key), "Required value");
    return map[key];
  }
  static std::string text(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) fail(n, path, "expected a string");
    return n.Scalar();
  }
  static std::int64_t integer(const YAML::Node& n, const std::string& path) {
    try {
      if (n.IsScalar()) return n.as<std::int64_t>();
    } catch (const YAML::Exception&) {
    }
    fail(n, path, "expected an integer");
  }
  static sim::Time duration(const YAML::Node& n, const std::string& path) {
    try {
      return parseDuration(text(n, path));
    } catch (const std::invalid_argument& e) {
      fail(n, path, e.what());
    }
  }
  static std::vector<std::string> strings(const YAML::Node& n, const std::string& path) {
    std::vector<std::string> out;
    if (!n) return out;
    if (!n.IsSequence()) fail(n, path, "expected a list of strings");
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(text(n[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }

  static StopBehaviour stop(const YAML::Node& n, const std::string& path) {
    StopBehaviour s;
    if (!n.IsMap()) fail(n, path, "expected a map");
    const YAML::Node code = n["exitCode"];
    if (code && !code.IsNull()) s.exitCode = static_cast<std::int32_t>(integer(code, path + ".exitCode"));
    if (!code) fail(n, path + ".exitCode", "Required value");
    if (n["after"]) s.after = duration(n["after"], path + ".after");
    s.stdoutLines = strings(n["stdout"], path + ".stdout");
    s.stderrLines = strings(n["stderr"], path + ".stderr");
    return s;
  }

  /// A `process` map, each field taken from `over` (a tag's `process:`) when written there, else from `base`.
  static ImageProcess process(const YAML::Node& base, const YAML::Node& over, const std::string& path) {
    const auto pick = [&](const char* key) { return over && over.IsMap() && over[key] ? over[key] : base[key]; };
    ImageProcess p;
    const YAML::Node kind = pick("kind");
    const std::string k = kind ? text(kind, path + ".kind") : std::string();
    if (k == "exitsAtOnce") p.kind = ImageProcessKind::ExitsAtOnce;
    else if (k == "runsForever") p.kind = ImageProcessKind::RunsForever;
    else if (k == "exitsWithError") p.kind = ImageProcessKind::ExitsWithError;
    else if (k == "printsUsageAndExits") p.kind = ImageProcessKind::PrintsUsageAndExits;
    else fail(kind ? kind : base, path + ".kind", "expected exitsAtOnce, runsForever, exitsWithError or printsUsageAndExits");
    if (const YAML::Node n = pick("exitCode")) p.exitCode = static_cast<std::int32_t>(integer(n, path + ".exitCode"));
    if (const YAML::Node n = pick("runsAfter")) p.runsAfter = duration(n, path + ".runsAfter");
    if (const YAML::Node n = pick("startDelay")) p.startDelay = duration(n, path + ".startDelay");
    p.stdoutLines = strings(pick("stdout"), path + ".stdout");
    p.stderrLines = strings(pick("stderr"), path + ".stderr");
    if (const YAML::Node n = pick("onStopSignal")) p.onStopSignal = stop(n, path + ".onStopSignal");
    if (const YAML::Node n = pick("onSigterm")) p.onSigterm = stop(n, path + ".onSigterm");
    return p;
  }

  static std::optional<NetworkTool> tool(const YAML::Node& tools, const char* name, const std::string& path) {
    if (!tools || !tools[name]) return std::nullopt;
    const YAML::Node n = tools[name];
    const std::string p = path + "." + name;
    NetworkTool t;
    t.success = strings(n["success"], p + ".success");
    t.failure = strings(n["failure"], p + ".failure");
    if (n["exitCodeOnFailure"]) t.exitCodeOnFailure = static_cast<std::int32_t>(integer(n["exitCodeOnFailure"], p + ".exitCodeOnFailure"));
    return t;
  }

  void readEntry(const YAML::Node& e, const std::string& path, Catalogue& c) {
    Catalogue::Entry entry;
    const std::string repository = text(need(e, "repository", path), path + ".repository");
    CatalogueImage common;
    common.repository = repository;
    common.entrypoint = strings(e["entrypoint"], path + ".entrypoint");
    common.cmd = strings(e["cmd"], path + ".cmd");
    if (e["commands"]) {
      auto cmds = strings(e["commands"], path + ".commands");
      std::sort(cmds.begin(), cmds.end());
      common.commands = std::make_shared<const std::vector<std::string>>(std::move(cmds));
    }
    if (e["stopSignal"]) common.stopSignal = text(e["stopSignal"], path + ".stopSignal");
    const YAML::Node proc = need(e, "process", path);
    if (const YAML::Node req = proc["requiredEnv"]) {
      if (!req.IsSequence()) fail(req, path + ".process.requiredEnv", "expected a list of lists");
      for (std::size_t i = 0; i < req.size(); ++i) {
        common.requiredEnv.push_back(strings(req[i], path + ".process.requiredEnv[" + std::to_string(i) + "]"));
      }
    }
    if (const YAML::Node w = proc["whenEnvSet"]) common.whenEnvSet = process(w, YAML::Node(), path + ".process.whenEnvSet");
    const YAML::Node tags = need(e, "tags", path);
    if (!tags.IsMap() || tags.size() == 0) fail(tags, path + ".tags", "expected a map of at least one tag");
    for (const auto& kv : tags) {
      const std::string tag = text(kv.first, path + ".tags");
      const std::string tp = path + ".tags." + tag;
      const YAML::Node& t = kv.second;
      CatalogueImage img = common;
      img.tag = tag;
      const YAML::Node size = need(t, "sizeBytes", tp);
      if (!size.IsNull()) img.sizeBytes = integer(size, tp + ".sizeBytes");
      img.sizeExact = t["sizeExact"] && t["sizeExact"].as<bool>(false);
      if (t["digest"]) img.digest = text(t["digest"], tp + ".digest");
      if (t["version"]) img.version = text(t["version"], tp + ".version");
      if (t["source"]) img.source = text(t["source"], tp + ".source");
      img.process = process(proc, t["process"], path + ".process");
      const YAML::Node tagTools = e["tagTools"] && e["tagTools"][tag] ? e["tagTools"][tag] : e["tools"];
      const std::string toolPath = e["tagTools"] && e["tagTools"][tag] ? path + ".tagTools." + tag : path + ".tools";
      img.nslookup = tool(tagTools, "nslookup", toolPath);
      img.wget = tool(tagTools, "wget", toolPath);
      img.nc = tool(tagTools, "nc", toolPath);
      entry.tags.emplace(tag, std::move(img));
    }
    if (e["fallbackTag"]) {
      entry.fallbackTag = text(e["fallbackTag"], path + ".fallbackTag");
      if (entry.tags.count(entry.fallbackTag) == 0) fail(e["fallbackTag"], path + ".fallbackTag", "no such tag under tags");
    }
    const std::size_t index = c.entries.size();
    c.entries.push_back(std::move(entry));
    std::vector<std::string> names{repository};
    for (auto& a : strings(e["aliases"], path + ".aliases")) names.push_back(std::move(a));
    for (const auto& n : names) {
      const auto norm = normalisedName(n);
      if (!norm) fail(e, path, "\"" + n + "\" is no valid repository name");
      if (!c.byName.emplace(norm->name, index).second && c.byName[norm->name] != index) {
        fail(e, path, "\"" + n + "\" is already another entry's name");
      }
    }
  }
};

const Catalogue& catalogue() {
  static const Catalogue c = CatalogueReader().read();  // thread-safe initialisation (C++11 magic static)
  return c;
}

}  // namespace

std::optional<CatalogueImage> lookup(std::string_view reference) {
  const auto ref = normalisedName(reference);
  if (!ref) return std::nullopt;
  const Catalogue& c = catalogue();
  const auto it = c.byName.find(ref->name);
  if (it == c.byName.end()) return std::nullopt;
  const Catalogue::Entry& e = c.entries[it->second];
  if (!ref->tag.empty()) {
    if (const auto t = e.tags.find(ref->tag); t != e.tags.end()) return t->second;
  } else {
    for (const auto& [tag, img] : e.tags) {
      if (!img.digest.empty() && img.digest == ref->digest) return img;
    }
  }
  if (e.fallbackTag.empty()) return std::nullopt;
  CatalogueImage img = e.tags.at(e.fallbackTag);
  img.viaFallback = true;
  return img;
}

const CatalogueDefaults& catalogueDefaults() { return catalogue().defaults; }

const ImageProcess& defaultProcess(const CatalogueImage& image,
                                   const std::vector<std::pair<std::string, std::string>>& env) {
  if (!image.whenEnvSet || image.requiredEnv.empty()) return image.process;
  const auto isSet = [&](const std::string& want) {
    const auto eq = want.find('=');
    const std::string name = want.substr(0, eq);
    const std::string* value = nullptr;  // the last entry of a name wins, as in the kubelet's environment
    for (const auto& [k, v] : env) {
      if (k == name) value = &v;
    }
    if (value == nullptr) return false;
    return eq == std::string::npos ? !value->empty() : *value == want.substr(eq + 1);
  };
  for (const auto& alternative : image.requiredEnv) {
    if (std::all_of(alternative.begin(), alternative.end(), isSet)) return *image.whenEnvSet;
  }
  return image.process;
}

}  // namespace podsim::scenario
