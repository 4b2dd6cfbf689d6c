// models/scenario/scenario.hpp: a loaded scenario, immutable once loaded and shared by every run of it.
//
// Owns what Kubernetes has no field for (interface.md §1, the `podsim/v1alpha1 Scenario` document):
// duration, seed, timing, kubelet configuration, image pull behaviour, container process behaviour,
// actions and expectations. The loader (loader.hpp) is the only code that knows YAML; everything
// here is plain values with names interned to indices, so a run does no string work.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/api/reason.hpp"
#include "models/api/types.hpp"
#include "models/kubelet/config.hpp"
#include "sim/time.hpp"

namespace podsim::scenario {

using sim::Time;

/// Bad input: a message that starts with `file:line:col: ` and names the field path, in the words of
/// the Kubernetes API where it has such a check. Raised by the loader; never by a run.
///
/// All field errors of one document come at once, as the API server reports a field.ErrorList
/// (`Pod "x" is invalid: [a, b]`): then `errors` holds each (two or more, in the order they were
/// found), file, line, column, fieldPath and detail are the first one's, and what() is one
/// `file:line:col: path: detail` line per error followed by a line `Pod "x" is invalid: N errors`
/// (its first line is what a single error's message would be). `errors` is empty for a single error.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, int column, std::string fieldPath, const std::string& message);
  /// The aggregate of `all` (two or more errors); `summary` names the object (`Pod "web"`, `Scenario`).
  InputError(const std::vector<InputError>& all, const std::string& summary);
  std::string file;
  int line;
  int column;
  std::string fieldPath;
  std::string detail;  // the message without the location prefix
  std::vector<InputError> errors;  // every error of the document when there are several; else empty
};

/// `spec.timing`: `kubelet` adds the PLEG relist, sync-ticker and pod-worker delays with their jitter
/// (kubelet-semantics §10); `ideal` makes every reaction instant (the textbook numbers).
enum class Timing : std::uint8_t { Kubelet, Ideal };

/// `spec.images[name]`: how a pull of this image behaves on every node.
struct ImageBehavior {
  Time pullDuration = 0;           // ns the registry takes for one pull
  api::Reason pullError = api::Reason::None;  // ErrImagePull or RegistryUnavailable when pulls fail
  std::string pullErrorMessage;    // the runtime's error text (for the `Failed` event)
  bool present = false;            // the node has the image from the start
  bool pullDurationWritten = false;  // `pullDuration` given; else a catalogued image's size decides it
  /// Compressed size in bytes (`size`, else the image catalogue's, else the catalogue's
  /// `uncataloguedSizeBytes`, 50 MB); -1 only before the loader decides. The Pulled Event says it (from 1.30).
  std::int64_t sizeBytes = -1;
  /// ns a pull takes when the node already has the image (imagePullPolicy Always re-pulls it): no layer
  /// moves, only the registry round trips (the catalogue's pullLatency), unless `pullDuration` is written.
  Time repullDuration = 0;
  bool sizeAssumed = false;  // sizeBytes is the default for an image neither catalogued nor sized
  bool described = false;    // the scenario lists the image under spec.images
};

/// One operation of a course-style shell script compiled for the simulated process.
/// Ops run in sequence from index 0; `status` is the shell's `$?`.
struct ShellOp {
  enum class Kind : std::uint8_t {
    Sleep,          // value: ns to sleep; status := 0
    Exit,           // value: exit code; the process exits
    Status,         // value: new $? (echo/true: 0, false: 1); echo/printf write `out`'s ok lines
    Lookup,         // value: service index; $? := 0 if the Service exists now, else 1 (nslookup)
    Connect,        // value: service index; $? := 0 if the Service has a ready endpoint (wget/curl/nc)
    Jump,           // value: op index
    JumpIfZero,     // value: op index, taken when $? == 0
    JumpIfNonZero,  // value: op index, taken when $? != 0
    Forever,        // the process runs until killed (sleep infinity, tail -f)
  };
  Kind kind;
  std::int64_t value = 0;
  /// Index into ShellProgram::outputs of what this op writes (Status: echo/printf, a command's error;
  /// Lookup/Connect: their tool's output); -1: it writes nothing.
  std::int32_t out = -1;
};

/// A stream of a container's log (what `kubectl logs` merges).
enum class LogStream : std::uint8_t { Stdout, Stderr };

/// One line a process writes: `text` indexes Scenario::logTexts (made at load time; no string work in a run).
struct LogLine {
  std::int32_t text = -1;
  LogStream stream = LogStream::Stdout;
};

/// A run of lines in ShellProgram::lines: [first, first + count).
struct LogRange {
  std::int32_t first = 0;
  std::int32_t count = 0;
};

/// What one op writes: `ok` when it succeeds (or always, for Status); for Lookup/Connect `noName` when the
/// name does not resolve (no such Service, or in a `down` window) and `refused` when the Service exists
/// but has no ready endpoint (kube-proxy rejects the connection).
struct ShellOutput {
  LogRange ok;
  LogRange noName;
  LogRange refused;
};

/// A shell script compiled to ShellOps. Reaching the end exits with the last `$?`.
struct ShellProgram {
  std::vector<ShellOp> ops;
  std::vector<LogLine> lines;        // every line the program can write
  std::vector<ShellOutput> outputs;  // ShellOp::out indexes this
  /// An image's default process (the catalogue's `onStopSignal`): the lines it writes when it exits on the
  /// stop signal (outputs[stopOutput].ok); -1: none.
  std::int32_t stopOutput = -1;
  std::string source;  // the script text, for messages
};

/// One run of a container's process (`attempts[i]`); `run` from up until it exits by itself.
struct Attempt {
  Time run = sim::kForever;
  std::int32_t exitCode = 0;
  bool operator==(const Attempt&) const = default;
};

/// A window of simulated time [from, to), in ns (`to` kForever: until the end of the run).
struct TimeWindow {
  Time from = 0;
  Time to = sim::kForever;
};

/// `behaviors.<pod>.<container>.memory`: the process's memory use since its launch, in bytes:
/// `use + growthPerMinute x minutes` (a leak when growthPerMinute > 0). Past the container's
/// `resources.limits.memory` the process is OOMKilled (models/faults/faults.hpp oomAfter).
struct MemoryBehavior {
  std::int64_t useBytes = -1;            // -1: not declared (no OOM from the behaviour)
  std::int64_t growthPerMinuteBytes = 0;
  bool operator==(const MemoryBehavior&) const = default;
};

/// Result of one probe over time since the process was launched (`probes.readiness` etc.):
/// Failure before `succeedAfter`, Success from `succeedAfter` until `failAfter`, Failure after.
struct ProbeBehavior {
  Time succeedAfter = 0;
  Time failAfter = sim::kForever;
  Time duration = 0;  // how long one probe takes; longer than timeoutSeconds fails
  /// `dependsOn`: Services or endpoints (indices in Scenario::services) the probe's target needs: the
  /// probe fails while any of them does not answer (not created, or in a `down` window).
  std::vector<std::int32_t> dependsOn;
  bool operator==(const ProbeBehavior&) const = default;
};

/// How a lifecycle hook behaves (`hooks.postStart` / `hooks.preStop`). `duration` kForever: never ends.
struct HookBehavior {
  Time duration = 0;
  bool fails = false;
  bool written = false;  // given under `behaviors` (then `script` is not used)
  /// An exec hook's command compiled as a container's is (models/scenario/shell): the kubelet runs it in
  /// the container; its end (exit status 0 or not) ends the hook. Null: `duration`/`fails` decide.
  std::shared_ptr<const ShellProgram> script;  // compared by identity (operator==)
  bool operator==(const HookBehavior&) const = default;
};

/// What a container's process does (interface.md §1 `behaviors`), or what its shell script does.
struct ProcessBehavior {
  Time startDelay = 0;                   // from launch until up (probes that need it fail before)
  std::vector<Attempt> attempts{Attempt{}};  // one per run of the container; the last one repeats
  Time terminationDelay = 0;             // from SIGTERM to exit; kForever: ignores SIGTERM
  std::int32_t exitCodeOnSigterm = 143;
  ProbeBehavior startup;
  ProbeBehavior liveness;
  ProbeBehavior readiness;
  HookBehavior postStart;
  HookBehavior preStop;
  MemoryBehavior memory;
  /// Set when the behaviour comes from the container's shell command; then `attempts` is unused.
  std::shared_ptr<const ShellProgram> script;  // compared by identity (operator==)
  /// How the behaviour was decided, for `podsim validate` and warnings: "behaviors", "script", "default".
  std::string origin = "default";

  /// The attempt for the run with this restartCount (0 for the first run): the last one repeats.
  [[nodiscard]] const Attempt& attempt(std::int32_t restartCount) const {
    const auto i = static_cast<std::size_t>(restartCount < 0 ? 0 : restartCount);
    return attempts[i < attempts.size() ? i : attempts.size() - 1];
  }
  bool operator==(const ProcessBehavior&) const = default;
};

/// What a scenario action does when it fires (interface.md §1 `actions`).
enum class ActionKind : std::uint8_t {
  CreateService,
  DeleteService,
  KillContainer,
  DeletePod,
  UpdateImage,
  FailNode,
  RecoverNode,
  RestartKubelet,
  CreatePod,
  UpdatePod,       // updatePod: the mutable spec fields of a running Pod (activeDeadlineSeconds)
  StopKubelet,     // stopKubelet: the kubelet stops; nothing on the node reacts until startKubelet
  StartKubelet,    // startKubelet: the kubelet starts again (relist, resync, in-memory state lost)
  RebootNode,      // rebootNode: every container and sandbox of the node dies at once; the kubelet comes back
  RemoveExitedContainers,  // removeExitedContainers: the runtime forgets the pod's exited containers
  SetPodCondition,         // setPodCondition: a controller sets a pod condition (spec.readinessGates)
  ResizeContainer, // resizeContainer: kubectl patch --subresource resize of one container's cpu/memory (1.33+)
};

/// One entry of `spec.actions`, with names resolved to indices (-1 when not applicable).
struct Action {
  Time at = 0;
  ActionKind kind = ActionKind::CreateService;
  std::int32_t pod = -1;
  std::int32_t container = -1;  // unified index (init containers first)
  std::int32_t service = -1;
  std::int32_t node = -1;
  std::int32_t image = -1;       // updateImage: index in Scenario::images
  api::Reason reason = api::Reason::None;  // killContainer: OOMKilled, Error, ...
  std::int32_t exitCode = 137;   // killContainer
  std::int64_t gracePeriodSeconds = -1;  // deletePod: -1 = the pod's own
  bool force = false;                    // deletePod: --force (the API object goes at once)
  std::int64_t activeDeadlineSeconds = -1;  // updatePod: the new spec.activeDeadlineSeconds
  std::int32_t conditionSlot = -1;          // setPodCondition: the type's index in Scenario::podConditionTypes
  std::uint8_t conditionStatus = 0;         // setPodCondition: kubelet::CustomConditionStatus (True/False/Unknown)
  /// resizeContainer: the patch (-1: a field it leaves as it is); the loader has checked it as the API
  /// server of the version would (models/kubelet/resize.hpp validatePodResize).
  api::ResourceRequirements resources;
  std::string name;              // the action's name as written ("createService", ...)
  std::vector<std::pair<std::string, std::string>> arguments;  // as written, for the trace
  api::SourceLocation where;
};

/// One condition on the state of a pod at an instant, as an `expect` entry writes it: a pod field
/// (`status: Running`, `ready: 1/1`, `restarts: 2`, `phase: Running`, `removed: true`,
/// `conditions: {Ready: "True"}`) or, with `container:`, a field of that container's status
/// (`state: running`, `reason: CrashLoopBackOff`, `exitCode: 1`, `restartCount: 3`, `started: true`).
struct StateField {
  enum class Kind : std::uint8_t { Status, Ready, Restarts, Phase, Removed, Condition, State, Reason, ExitCode,
                                   RestartCount, Started };
  Kind kind = Kind::Status;
  std::string name;   // as written ("status", "conditions.Ready", "state", ...), for messages
  std::string value;  // expected text, compared with the run's text form of the field
  /// Condition only: a condition type set outside the kubelet (`conditions: {example.com/gate: "True"}`): its
  /// index in Scenario::podConditionTypes; -1 for the kubelet's own types.
  std::int32_t conditionSlot = -1;
};

/// One entry of `spec.expect`, parsed and checked by the loader; evaluated by `podsim check`
/// (models/engine/check.hpp). The engine never reads it. Times in ns; -1 when not written.
struct Expectation {
  enum class Kind : std::uint8_t {
    At,           // {at: D, pod:, <fields>}: the fields hold at D
    Eventually,   // {eventually: {<fields>}, within: D, after: D}: hold at some instant in [after, after+within]
    Never,        // {never: {<fields>}, from: D, to: D}: hold at no instant of [from, to]
    Always,       // {always: {<fields>}, from: D, to: D}: hold at every instant of [from, to]
    Order,        // {order: {first: X, then: Y, event: Started|Exited}}
    Together,     // {together: [X, Y]}: X and Y were running at the same time
    Backoff,      // {backoff: {container: X, waits: [0, 10s], tolerance: 2s}}
    Event,        // {event: {reason: R, container: X, atLeast: N, atMost: M}}
    Fingerprint,  // {fingerprint: HEX}: FNV-1a 64 of the JSONL trace
  };
  /// Which moment of a container `order` compares: its first start or its first exit.
  enum class Moment : std::uint8_t { Started, Exited };

  Kind kind = Kind::At;
  std::int32_t pod = -1;        // index in Scenario::pods (-1: fingerprint only)
  std::int32_t container = -1;  // unified index: the container of the fields, backoff, event, order's first
  std::int32_t other = -1;      // order's `then`, together's second container
  Time at = -1;                 // At
  Time from = 0;                // Eventually (after), Never, Always: start of the window
  Time to = -1;                 // end of the window (inclusive); -1: the end of the run
  std::vector<StateField> fields;  // At, Eventually, Never, Always
  Moment firstMoment = Moment::Started;
  Moment thenMoment = Moment::Started;
  std::vector<Time> waits;      // Backoff
  Time tolerance = 0;           // Backoff
  std::string reason;           // Event: the Event reason as Kubernetes prints it
  std::int64_t atLeast = -1;    // Event: -1 when not written (then at least 1)
  std::int64_t atMost = -1;     // Event: -1 when not written
  std::string fingerprint;      // Fingerprint: 16 lowercase hex digits
  std::string written;          // the entry as written, one line, for messages
  api::SourceLocation where;
};

/// A Service known to the scenario: declared by a `kind: Service` document (exists from t=0) or
/// only named by an action or a shell script (exists once created).
struct ServiceEntry {
  std::string name;
  bool existsAtStart = false;
  std::vector<std::pair<std::string, std::string>> selector;
  /// `spec.endpoints[name].external`: an endpoint outside the cluster (a database host, say); exists from t=0.
  bool external = false;
  /// `spec.endpoints[name].down`: windows when nothing answers under this name (nslookup, wget/curl/nc
  /// and probes that depend on it all fail).
  std::vector<TimeWindow> down;
};

/// `spec.faults.crashes[i]`: the container's process crashes after an exponentially distributed
/// running time with mean `meanTimeBetweenFailures` (ns), drawn anew for every run. pod/container -1: all.
struct CrashFault {
  std::int32_t pod = -1;
  std::int32_t container = -1;  // unified index
  Time meanTimeBetweenFailures = 0;
  std::int32_t exitCode = 1;
};

/// `spec.faults.imagePulls[i]`: each pull of `image` (-1: every image) fails with `probability`.
struct ImagePullFault {
  std::int32_t image = -1;
  double probability = 0;
};

/// `spec.faults.registryOutages[i]`: pulls from `registry` (empty: every registry) fail in [from, to).
struct RegistryOutage {
  std::string registry;
  Time from = 0;
  Time to = sim::kForever;
};

/// `spec.faults.probes[i]`: each execution of the selected probes fails with `probability`.
struct ProbeFault {
  std::int32_t pod = -1;
  std::int32_t container = -1;
  std::uint8_t probes = 7;  // bit 0 startup, 1 liveness, 2 readiness
  double probability = 0;
};

/// `spec.faults.nodes[i]`: the node (-1: every node) fails (as failNode) after an exponentially
/// distributed time up with mean `meanTimeBetweenFailures`, and recovers (as recoverNode) after an
/// exponentially distributed time down with mean `meanTimeToRecovery` (ns), again and again.
struct NodeFault {
  std::int32_t node = -1;
  Time meanTimeBetweenFailures = 0;
  Time meanTimeToRecovery = 0;
};

/// `spec.faults`: what the scenario injects into the runtime, registry and probe targets, drawn from
/// the seed (models/faults/faults.hpp). A later entry replaces an earlier one for the same container.
struct Faults {
  std::vector<CrashFault> crashes;
  std::vector<ImagePullFault> imagePulls;
  std::vector<RegistryOutage> registryOutages;
  std::vector<ProbeFault> probes;
  std::vector<NodeFault> nodes;
  [[nodiscard]] bool empty() const noexcept {
    return crashes.empty() && imagePulls.empty() && registryOutages.empty() && probes.empty() && nodes.empty();
  }
};

/// A pod of the scenario: its manifest and each container's behaviour, by unified index.
struct PodEntry {
  api::Pod pod;
  std::vector<ProcessBehavior> behaviors;  // size pod.containerCount()
  /// With the gate ContainerStopSignals on: per container (unified index), the stop signal the runtime
  /// reports in ContainerStatus `stopSignal` (kubelet::effectiveStopSignal: spec > image STOPSIGNAL > SIGTERM,
  /// a kubelet::stopSignalName id). Empty with the gate off (no such status field).
  std::vector<std::int32_t> statusStopSignals;
};

/// Whether two pod entries have the same spec and behaviours (api::sameSpec: all but the pod's metadata),
/// so that a run may give them one shared copy (engine::PodState::spec). Behaviours' scripts compare by
/// identity (the same parsed program), so entries copied from one template are the same. Pure; no errors.
[[nodiscard]] inline bool sameSpec(const PodEntry& a, const PodEntry& b) {
  // A field added to PodEntry must be compared here: this binding of its 3 fields stops compiling until then.
  [[maybe_unused]] const auto& [pod, behaviors, stopSignals] = a;
  return a.behaviors == b.behaviors && a.statusStopSignals == b.statusStopSignals && api::sameSpec(a.pod, b.pod);
}

/// A whole scenario, ready to run. Every run reads it and never changes it, so threads share it.
struct Scenario {
  std::string name;
  std::string description;
  std::string file;                      // the main file, as given
  Time duration = 10 * sim::kMinute;     // `spec.duration`, default 10m
  std::uint64_t seed = 1;                // `spec.seed`, default 1
  Timing timing = Timing::Kubelet;       // `spec.timing`, default kubelet
  kubelet::KubernetesVersion kubernetesVersion;  // `spec.kubernetesVersion`, default 1.37
  kubelet::KubeletConfig kubelet;
  std::vector<PodEntry> pods;
  std::vector<api::Node> nodes;          // empty: one default node "node-1" is made
  std::vector<ServiceEntry> services;
  std::vector<std::string> images;       // interned image names
  std::vector<ImageBehavior> imageBehaviors;  // parallel to images
  /// `spec.imagePullBandwidth`: bytes/s of a pull of an image whose size is known; 0: the image
  /// catalogue's default (data/images.yaml defaults.pullBandwidthBytesPerSecond).
  std::int64_t imagePullBandwidth = 0;
  std::vector<Action> actions;           // sorted by `at`, ties in file order
  std::vector<Expectation> expectations;
  Faults faults;                         // `spec.faults`
  /// Every text a container's process can write (LogLine::text), made at load time: the trace's `Log`
  /// records carry indices into it.
  std::vector<std::string> logTexts;
  std::vector<std::string> warnings;     // one per unmodelled field name, etc.
  /// The pod condition types set outside the kubelet (spec.readinessGates[].conditionType, setPodCondition
  /// `type`), interned in first-use order: index = the 2-bit slot in kubelet::ApiPodStatus::customConditions
  /// (at most kubelet::kMaxCustomConditionTypes).
  std::vector<std::string> podConditionTypes;
  /// One note per image that is neither in the image catalogue nor under `spec.images` (by fully
  /// qualified reference, in first-use order): `podsim run` prints them on stderr. Not warnings: the
  /// scenario is fine, the image just runs as its command says.
  std::vector<std::string> imageNotices;
};

}  // namespace podsim::scenario
