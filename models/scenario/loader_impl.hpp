// models/scenario/loader_impl.hpp: the reader of one scenario, shared by the files that read its parts.
//
// Internal to models/scenario/. The Loader reads in four phases (loader.cpp orchestrates): (1) the
// main file and the files of `spec.manifests` into documents (loader.cpp); (2) Services, Nodes and Pods
// with the API's defaults and validation (manifests.cpp, through models/api/); (3) the Scenario document:
// spec (scenario_spec.cpp), behaviours (behaviours.cpp), faults (faults.cpp), actions (actions.cpp),
// expectations (expectations.cpp); (4) each remaining container's behaviour from its command
// (behaviours.cpp). Every error is an InputError carrying file, 1-based line and column and field path;
// the errors of one document are gathered and raised together (YamlReader::document).
#pragma once

#include "models/kubelet/readiness_gates.hpp"
#include "models/kubelet/restart_rules_validation.hpp"
#include "models/kubelet/stop_signal.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/yaml_reader.hpp"

namespace podsim::scenario::detail {

/// The version set by setKubernetesVersionOverride (loader.hpp); nullopt: the scenario's own.
inline std::optional<kubelet::KubernetesVersion>& kubernetesVersionOverride() {
  static std::optional<kubelet::KubernetesVersion> version;
  return version;
}

/// One YAML document of the scenario and where it came from.
struct Document {
  YAML::Node node;
  std::string file;  // label used in messages
  std::filesystem::path dir;  // where relative manifest paths of this document are resolved
};

/// Reads the YAML node tree of a scenario into a Scenario, raising InputErrors with positions and field paths.
class Loader : public YamlReader {
 public:
  Loader() { warnings_ = &sc_.warnings; }
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  Scenario run(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
               const std::string& canonical);

 private:
  void readDocuments(const std::string& text, const std::string& fileLabel, const std::filesystem::path& dir,
                     int depth);

  /// One document of a file: apiVersion and kind checked (case slips, a workload kind with its pod
  /// template), then sorted into the Scenario, Pod, Node and Service documents.
  void readDocument(const YAML::Node& doc, const std::string& fileLabel, const std::filesystem::path& dir, int depth);

  void readManifests(const Document& d, int depth);

  std::string readFileText(const std::filesystem::path& p, const YAML::Node& at, const std::string& path);

  void build();

  void readMetadata(const YAML::Node& n, std::string& name, std::string* ns, std::map<std::string, std::string>* labels,
                    const YAML::Node& doc);

  void readService(const Document& d);

  void readNode(const Document& d);

  api::Toleration readToleration(const YAML::Node& n, const std::string& path, bool taint);

  // Kubernetes resource.Quantity in units * 10^scaleExp rounded up (models/api/quantity.hpp).
  std::int64_t quantity(const YAML::Node& n, const std::string& path, int scaleExp) const;

  api::ResourceList readResourceList(const YAML::Node& n, const std::string& path);

  api::HandlerKind readHandler(const YAML::Node& n, const std::string& path, bool lifecycle, std::int64_t* sleepSeconds,
                               const std::function<bool(const std::string&, const YAML::Node&, const YAML::Node&)>& extra);

  api::Probe readProbe(const YAML::Node& n, const std::string& path, bool mustSucceedOnce);

  api::Container readContainer(const YAML::Node& n, const std::string& path, bool init);

  std::int32_t internImage(const std::string& image);

  std::int32_t internService(const std::string& name);
  /// Interns a line a process may write into Scenario::logTexts; returns its index.
  std::int32_t internLogText(const std::string& text);
  /// Compiles container c's exec lifecycle hooks of pod p (behaviours.cpp).
  void compileHooks(std::size_t p, std::size_t c);
  /// Container c of pod p runs its catalogued image's default process (behaviours.cpp).
  void imageProcess(std::size_t p, std::size_t c, bool keepTermination);
  /// Pull durations and sizes of images from the catalogue, and the notice for images nobody describes.
  void decideImagePulls();
  std::set<std::int32_t> describedImages_;  // images under spec.images
  /// Adds the Scenario::imageNotices line of `image` (behaviours.cpp).
  void noteUncataloguedImage(const std::string& image, const ImageBehavior& b, std::int64_t bandwidth);

  void readPod(const Document& d);

  /// `affinity`: the required node affinity is modelled (the scheduler's NodeAffinity filter); preferred
  /// terms, podAffinity and podAntiAffinity are accepted and ignored with a warning. Validation as
  /// pkg/apis/core/validation ValidateNodeSelector, ValidateNodeSelectorRequirement and
  /// ValidateNodeFieldSelectorRequirement.
  void readAffinity(const YAML::Node& n, const std::string& path, api::Pod& pod);

  api::NodeSelectorRequirement readNodeSelectorRequirement(const YAML::Node& n, const std::string& path, bool field);

  /// Fields and feature gates that exist only from some Kubernetes version, checked once
  /// spec.kubernetesVersion and spec.kubelet.featureGates are known.
  void checkVersionedFields();

  std::int32_t podIndex(const YAML::Node& at, const std::string& path, const std::string& name) const;

  /// The index of pod condition type `type` in Scenario::podConditionTypes (added when new). Fails ("Too
  /// many") past kubelet::kMaxCustomConditionTypes types.
  std::int32_t internPodConditionType(const YAML::Node& at, const std::string& path, const std::string& type);

  std::int32_t containerIndex(const YAML::Node& at, const std::string& path, std::int32_t pod, const std::string& name) const;

  /// Fails with the unknown-field message (field_names.hpp) unless `key` is one of `known`; `s` picks the
  /// misplacement table of the part being read.
  void checkKnown(const std::string& key, const YAML::Node& k, const std::string& path, const std::vector<std::string>& known,
                  Section s = Section::None) const;

  void readScenario(const Document& d);

  void readScenarioSpec(const YAML::Node& spec);

  void readVersion(const YAML::Node& v, const std::string& p);

  void readKubelet(const YAML::Node& n, const std::string& path);

  void readImages(const YAML::Node& n, const std::string& path);

  void readBehaviors(const YAML::Node& n);

  Attempt readAttempt(const YAML::Node* run, const YAML::Node* exitCode, const std::string& path);

  std::int32_t exitCodeOf(const YAML::Node& v, const std::string& p) const;

  void readBehavior(const YAML::Node& n, const std::string& path, std::size_t pod, std::size_t c);

  /// A probe that `dependsOn` a name that is neither a Service document, an endpoint, nor created by an
  /// action never passes: most likely a typo, so it is worth a warning (not an error: it may be meant).
  void warnUnreachableDependencies();

  /// A list of Service or endpoint names (DNS labels), interned as Services.
  std::vector<std::int32_t> serviceList(const YAML::Node& n, const std::string& path);

  /// A probability: a number in [0, 1] (`0.25`, `1`, `2.5e-2`).
  double probability(const YAML::Node& n, const std::string& path) const;

  /// `[{from: D, to: D}, ...]`: windows of simulated time; `to` defaults to the end of the run.
  std::vector<TimeWindow> windows(const YAML::Node& n, const std::string& path);

  /// One window `{from: D, to: D}` (`to` optional: forever); `extra` keys are allowed and skipped.
  TimeWindow window(const YAML::Node& item, const std::string& ip, const std::vector<std::string>& extra);

  /// `spec.endpoints`: Services and endpoints outside the cluster, with the windows when they do not answer.
  void readEndpoints(const YAML::Node& n);

  /// The gaps of [0, forever) between `up` windows: when the name does not answer.
  static std::vector<TimeWindow> complement(std::vector<TimeWindow> up);

  /// `spec.faults`: crashes, imagePulls, registryOutages, probes (models/faults/faults.hpp).
  void readFaults(const YAML::Node& n);

  Action readAction(const YAML::Node& item, const std::string& path);

  void readActions(const YAML::Node& n);

  /// A one-line flow rendering of a node for messages, cut at about 160 characters (bounded even for
  /// alias bombs, unlike an emitter).
  static void flow(const YAML::Node& v, std::string& out);

  /// The entries of a map as (key node, value node) by key, in written order; types and duplicates checked.
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> entries(const YAML::Node& n, const std::string& path);

  static const std::vector<std::string>& stateKeys();

  /// Reads `pod:` (or takes the only pod) and `container:` (or the only container when `needContainer`).
  void expectTarget(Expectation& x, const YAML::Node* podNode, const YAML::Node* containerNode, const YAML::Node& item,
                    const std::string& path, bool needContainer);

  /// Reads the state fields of an `at`, `eventually`, `never` or `always` entry from the map `n`
  /// (keys not among stateKeys, `pod`, `container` and `extra` are errors).
  void readStateFields(Expectation& x, const YAML::Node& n, const std::string& path, const std::vector<std::string>& extra,
                       const YAML::Node* outerPod, const YAML::Node* outerContainer);

  static Expectation::Moment moment(const std::string& s);

  void readExpectation(const YAML::Node& item, const std::string& p);

  void readExpect(const YAML::Node& n);

  void decideBehaviors(std::size_t p);
  /// Container c's behaviour: `behaviors`, its shell command, its image's default process, or the default.
  void decideBehavior(std::size_t p, std::size_t c);
  /// The reaction of container c's process to its own lifecycle.stopSignal (see behaviours.cpp).
  void applyStopSignal(std::size_t p, std::size_t c);

  Scenario sc_;
  std::vector<std::string> stack_;  // files being read, for include cycles
  std::optional<Document> scenarioDoc_;
  std::vector<Document> podDocs_, nodeDocs_, serviceDocs_;
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
  /// A regular container's `restartPolicy` / `restartPolicyRules` as written, validated in
  /// checkVersionedFields once the version and gates are known (restart_rules_validation.hpp).
  struct PendingRestartFields {
    std::size_t pod = 0;        // index in sc_.pods
    std::size_t container = 0;  // index in spec.containers
    kubelet::RawContainerRestartFields raw;
    std::vector<Placed> nodes;  // the node of each field written (restartPolicy, restartPolicyRules, rules' fields)
  };
  std::vector<PendingRestartFields> restartFields_;
  /// A container's `lifecycle.stopSignal` as written, validated in checkVersionedFields (stop_signal.hpp).
  struct PendingStopSignal {
    std::size_t pod = 0;    // index in sc_.pods
    bool init = false;      // in spec.initContainers (else spec.containers)
    std::size_t index = 0;  // in that list
    std::string path;       // "spec.containers[0]"
    std::string signal;
    std::optional<std::string> os;  // spec.os.name of its pod
    Placed at;
  };
  std::vector<PendingStopSignal> stopSignals_;
  /// A `resizeContainer` action, checked in checkResizes once the version is known: its index in
  /// sc_.actions (before their sort) and the nodes of its arguments.
  struct PendingResize {
    std::size_t action = 0;
    Placed resources;
    Placed container;
  };
  std::vector<PendingResize> resizeActions_;
  /// A container's `resizePolicy` as written: checked in checkResizes (the messages depend on the version).
  struct PendingResizePolicy {
    std::size_t pod = 0;      // index in sc_.pods
    std::string path;         // spec.containers[i] or spec.initContainers[i]
    bool init = false;
    std::vector<std::pair<Placed, std::string>> restartPolicies;  // each item's restartPolicy node and value
    Placed field;
  };
  std::vector<PendingResizePolicy> resizePolicies_;
  /// Reads `resizePolicy` into `c` (NotRequired unless RestartContainer is written).
  void readResizePolicy(const YAML::Node& v, const std::string& p, api::Container& c, bool init, const std::string& containerPath);
  /// The version-dependent checks of resizePolicy fields and resizeContainer actions (models/kubelet/resize.hpp).
  void checkResizes();
  /// Reads `restartPolicyRules` of a regular container into `c` and `pending` (positions kept).
  void readRestartPolicyRules(const YAML::Node& k, const YAML::Node& v, const std::string& p, api::Container& c,
                              PendingRestartFields& pending);
  std::vector<std::vector<const ProcessBehavior*>> behaviorSet_;  // non-null: has a `behaviors` entry
  std::set<std::pair<std::size_t, std::size_t>> processSet_;     // entries without run/exitCode/attempts
  std::map<std::pair<std::size_t, std::size_t>, bool> writtenTermination_;
  std::set<std::pair<std::size_t, std::size_t>> exitCodeWritten_;  // `exitCodeOnSigterm` given under behaviors
  std::map<std::string, std::int32_t> logTextIndex_;  // Scenario::logTexts by text
};

}  // namespace podsim::scenario::detail
