// models/scenario/loader.cpp: the orchestrator: scenario files -> Scenario (see loader.hpp).
//
// Phase 1 here (read the main file and the files of `spec.manifests` into documents, with limits and
// cycle checks); then build(): Services, Nodes, Pods (manifests.cpp), the Scenario document
// (scenario_spec.cpp, behaviours.cpp, faults.cpp, actions.cpp, expectations.cpp) and the behaviour of
// each remaining container from its command (behaviours.cpp). Every error is an InputError.
#include "models/scenario/loader.hpp"

#include "models/scenario/loader_impl.hpp"

namespace podsim::scenario {
namespace detail {
namespace {

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

}  // namespace

Scenario Loader::run(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
             const std::string& canonical) {
  sc_.file = fileLabel;
  totalBytes_ = text.size();
  stack_.push_back(canonical);
  readDocuments(text, fileLabel, dir, 0);
  stack_.pop_back();
  build();
  return std::move(sc_);
}

void Loader::readDocuments(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
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
      // The parser cannot go on, but every other tab of the indentation is known now: all at once, so
      // that a note pasted with tabs is fixed in one go.
      std::vector<InputError> all{InputError(fileLabel, line, column, "", msg)};
      int current = 1;
      for (std::size_t start = 0; start < text.size() && all.size() < kMaxErrors; ++current) {
        const auto end = std::min(text.find('\n', start), text.size());
        for (std::size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i) {
          if (text[i] == '\t') {
            if (current != line) {
              all.emplace_back(fileLabel, current, static_cast<int>(i - start) + 1, "",
                               "invalid YAML: a tab in the indentation (YAML indents with spaces only)");
            }
            break;
          }
        }
        start = end + 1;
      }
      if (all.size() > 1) throw InputError(all, fileLabel);
    }
    throw InputError(fileLabel, line, column, "", msg);
  }
  for (const auto& doc : docs) {
    if (doc.IsNull()) continue;  // an empty document (a trailing `---`)
    if (++documents_ > kMaxDocuments) {
      stop(doc, "", "more than " + std::to_string(kMaxDocuments) + " documents in the scenario and its manifests");
    }
    guardTree(doc);
    document("", [&] { readDocument(doc, fileLabel, dir, depth); });
  }
  file_ = savedFile;
}

namespace {

/// The value of `key` in the map `n`, or an undefined node (`n` need not be a map); `keyNode` (if given)
/// receives the key.
YAML::Node entryOf(const YAML::Node& n, std::string_view key, YAML::Node* keyNode = nullptr) {
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) {
        if (keyNode != nullptr) *keyNode = it->first;
        return it->second;
      }
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

void Loader::readDocument(const YAML::Node& doc, const std::string& fileLabel, const std::filesystem::path& dir, int depth) {
  if (!doc.IsMap()) fail(doc, "", "expected a Kubernetes object (a map with apiVersion and kind), got " + describe(doc));
  std::string apiVersion, kind;
  YAML::Node kindNode, apiVersionNode;
  forEachEntry(doc, "", [&](const std::string& key, const YAML::Node&, const YAML::Node& v) {
    if (key == "apiVersion") {
      apiVersionNode = v;
      apiVersion = str(v, "apiVersion");
    }
    if (key == "kind") {
      kindNode = v;
      kind = str(v, "kind");
    }
  });
  if (apiVersion.empty()) soft([&] { fail(doc, "apiVersion", "Required value"); });
  if (kind.empty()) fail(doc, "kind", "Required value");
  object_ = kind;
  // The kinds a Pod's template lives in (kubectl explain deployment.spec.template, cronjob.spec.jobTemplate):
  // podsim runs Pods, so it says where the template is rather than guess what the controller would do.
  static const char* const kWorkloads[] = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"};
  for (const char* w : kWorkloads) {
    if (!sameIgnoringCase(kind, w)) continue;
    const std::string workload = w;
    const bool cron = workload == "CronJob";
    const std::string where = cron ? "spec.jobTemplate.spec.template" : "spec.template";
    const YAML::Node spec = entryOf(doc, "spec");
    YAML::Node tmplKey;
    const YAML::Node tmpl = cron ? entryOf(entryOf(entryOf(spec, "jobTemplate"), "spec"), "template", &tmplKey)
                                 : entryOf(spec, "template", &tmplKey);
    std::string m = "Unsupported value: \"" + kind + "\": podsim runs Pods, not " + workload + "s; ";
    if (tmpl.IsDefined() && tmpl.IsMap()) {
      m += "the pod template of this " + workload + " is " + where + " (line " + std::to_string(tmplKey.Mark().line + 1) +
           "): to run it, copy the template's metadata and spec into a document of apiVersion: v1 and kind: Pod, "
           "and give it a metadata.name";
    } else {
      m += "a " + workload + "'s pod template is " + where + ", and this one has none: write the pod as a document of " +
           "apiVersion: v1 and kind: Pod";
    }
    fail(kindNode, "kind", m);
  }
  // Case slips of the kinds podsim reads, and apiVersions those kinds do not exist in: the words of kubectl
  // (`no matches for kind "pod" in version "v1"`), which reports them before the API server sees the object.
  static const char* const kKinds[] = {"Pod", "Node", "Service", "Scenario"};
  for (const char* k : kKinds) {
    if (!sameIgnoringCase(kind, k)) continue;
    const std::string wanted = std::string(k) == "Scenario" ? "podsim/v1alpha1" : "v1";
    const bool wrongVersion = apiVersion != wanted && !apiVersion.empty() && (std::string(k) == "Scenario" || apiVersion != "podsim/v1alpha1");
    if (wrongVersion) {
      soft([&] {
        fail(apiVersionNode, "apiVersion", "no matches for kind \"" + kind + "\" in version \"" + apiVersion +
                                               "\", did you mean \"" + wanted + "\"?");
      });
    }
    if (kind != k) {
      fail(kindNode, "kind", "no matches for kind \"" + kind + "\" in version \"" + (apiVersion == "podsim/v1alpha1" ? apiVersion : wanted) +
                                 "\", did you mean \"" + k + "\"?");
    }
    if (wrongVersion || apiVersion.empty()) return;  // reported above
    kind = k;
  }
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

void Loader::readManifests(const Document& d, int depth) {
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
    if (listed > kMaxTotalBytes) stop(item, idx("spec.manifests", i), "the scenario and its manifests are larger than 64 MiB in all");
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
      stop(item, path, "include cycle: " + join(cycle, " -> "));
    }
    if (depth + 1 > kMaxIncludeDepth) stop(item, path, "manifests nested more than 16 deep");
    const std::string label = p.lexically_normal().string();
    const std::string text = readFileText(p, item, path);
    stack_.push_back(canonical);
    try {
      readDocuments(text, label, p.parent_path(), depth + 1);
    } catch (const StopError&) {
      throw;
    } catch (const InputError& e) {
      throw StopError(e);  // an included file's YAML or its limits: its own errors, not this list's
    }
    stack_.pop_back();
  });
}

std::string Loader::readFileText(const std::filesystem::path& p, const YAML::Node& at, const std::string& path) {
  std::error_code ec;
  // Devices and pipes (/dev/zero, /dev/stdin) could be read forever.
  if (!std::filesystem::exists(p, ec)) fail(at, path, "cannot read " + p.string() + ": no such file");
  if (!std::filesystem::is_regular_file(p, ec)) fail(at, path, "cannot read " + p.string() + ": not a regular file");
  const auto size = std::filesystem::file_size(p, ec);
  if (ec) fail(at, path, "cannot read " + p.string() + ": " + ec.message());
  if (size > kMaxFileBytes) stop(at, path, "file " + p.string() + " is larger than " + kMaxFileText);
  totalBytes_ += size;
  if (totalBytes_ > kMaxTotalBytes) stop(at, path, "the scenario and its manifests are larger than 64 MiB in all");
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(at, path, "cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Loader::build() {
  manifest_ = true;
  // Each document's field errors are reported together (YamlReader::document).
  for (const auto& d : serviceDocs_) document("Service", [&] { readService(d); });
  for (const auto& d : nodeDocs_) document("Node", [&] { readNode(d); });
  for (const auto& d : podDocs_) document("Pod", [&] { readPod(d); });
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
  if (scenarioDoc_) document("Scenario", [&] { readScenario(*scenarioDoc_); });
  if (const auto v = kubernetesVersionOverride()) sc_.kubernetesVersion = *v;
  warnUnreachableDependencies();
  checkVersionedFields();
  for (std::size_t p = 0; p < sc_.pods.size(); ++p) decideBehaviors(p);
  decideImagePulls();
  std::stable_sort(sc_.actions.begin(), sc_.actions.end(), [](const Action& a, const Action& b) { return a.at < b.at; });
}

}  // namespace detail

using detail::Loader;

void setKubernetesVersionOverride(std::optional<kubelet::KubernetesVersion> version) {
  detail::kubernetesVersionOverride() = version;
}

std::optional<kubelet::KubernetesVersion> parseKubernetesVersion(std::string_view text) {
  std::string s(text);
  if (!s.empty() && s[0] == 'v') s.erase(0, 1);
  const auto dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 2) return std::nullopt;
  const auto majorText = s.substr(0, dot);
  const auto rest = s.substr(dot + 1);
  const auto minorText = rest.substr(0, rest.find('.'));
  if (minorText.empty() || minorText.size() > 3 || majorText.find_first_not_of("0123456789") != std::string::npos ||
      minorText.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const kubelet::KubernetesVersion v{std::stoi(majorText), std::stoi(minorText)};
  if (!kubelet::isSupportedVersion(v)) return std::nullopt;
  return v;
}


Scenario loadScenarioFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p(path);
  if (std::filesystem::exists(p, ec) && !std::filesystem::is_regular_file(p, ec)) {
    throw InputError(path, 1, 1, "", "cannot read file: not a regular file");
  }
  const auto size = std::filesystem::file_size(p, ec);
  if (ec) throw InputError(path, 1, 1, "", "cannot read file: " + ec.message());
  if (size > detail::kMaxFileBytes) {
    throw InputError(path, 1, 1, "", "file is larger than " + std::string(detail::kMaxFileText) + " (" + std::to_string(size) + " bytes)");
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
  if (yaml.size() > detail::kMaxFileBytes) {
    throw InputError(fileLabel, 1, 1, "", "file is larger than " + std::string(detail::kMaxFileText) + " (" + std::to_string(yaml.size()) + " bytes)");
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

