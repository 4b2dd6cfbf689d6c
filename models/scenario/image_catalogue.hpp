// models/scenario/image_catalogue.hpp: podsim's catalogue of common public images (data/images.yaml).
//
// Owns the reading of the catalogue, which the build embeds as text (CMakeLists.txt, the block that
// generates images_yaml.cpp), and the lookup of an image reference in it: what size the image is and
// what its default process (ENTRYPOINT + CMD, no `command`, no TTY) does. The file's schema is written
// at the top of data/images.yaml and in data/README.md. Parsed once, lazily, thread-safely, on first use.
// It does not decide anything for a run: the engine and the loader do not read it yet (issue 14 wires
// it in a later phase), and `podsim lint` (models/graph/lint.cpp) reads it only to word findings.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace podsim::scenario {

/// An image reference split as the container runtime normalises it (distribution/reference
/// ParseNormalizedNamed, then FamiliarName): `name` is the familiar repository ("busybox" for
/// docker.io/library/busybox, "fluent/fluent-bit", "registry.k8s.io/pause"), `tag` is the tag or
/// "latest" when neither a tag nor a digest is written, empty when only a digest is; `digest` is
/// "sha256:..." or empty.
struct NormalisedReference {
  std::string name;
  std::string tag;
  std::string digest;
  friend bool operator==(const NormalisedReference&, const NormalisedReference&) = default;
};

/// Normalises an image reference (`busybox`, `docker.io/busybox`, `library/busybox:latest` and
/// `docker.io/library/busybox:latest` are one image). Returns nullopt for what is no valid reference
/// (upper case in the repository, empty components, a bad tag or digest): the kubelet's InvalidImageName.
/// Source: github.com/distribution/reference normalize.go ParseNormalizedNamed, splitDockerDomain.
/// Never throws except std::bad_alloc.
std::optional<NormalisedReference> normalisedName(std::string_view reference);

/// What the default process of an image does (`process`, or `whenEnvSet`, of a catalogue entry).
enum class ImageProcessKind : std::uint8_t {
  ExitsAtOnce,          // exits by itself after `runsAfter` with `exitCode` (busybox/alpine/ubuntu `sh`, python)
  RunsForever,          // serves until stopped (nginx, httpd, redis)
  ExitsWithError,       // exits `exitCode` with its error on stderr unless `requiredEnv` is met (postgres, mysql)
  PrintsUsageAndExits,  // prints its help and exits `exitCode` (a CLI run without a subcommand)
};

/// What the process does on a stop signal: exit with `exitCode` after `after`, printing these lines.
struct StopBehaviour {
  std::optional<std::int32_t> exitCode;  // nullopt: the signal is ignored until the kubelet's SIGKILL (137)
  sim::Time after = 0;                   // ns from the signal to the exit
  std::vector<std::string> stdoutLines;
  std::vector<std::string> stderrLines;
};

/// The default process of an image, with no TTY and stdin closed. Lines may hold the placeholders
/// {time}, {epoch}, {version}, {podIP} (data/images.yaml, schema), kept as written.
struct ImageProcess {
  ImageProcessKind kind = ImageProcessKind::RunsForever;
  std::int32_t exitCode = 0;   // for every kind but RunsForever
  sim::Time runsAfter = 0;     // ns it runs before that exit
  sim::Time startDelay = 0;    // ns from launch until it serves (for probes)
  std::vector<std::string> stdoutLines;  // written on start, in order
  std::vector<std::string> stderrLines;  // written on start (for ExitsWithError: the error)
  StopBehaviour onStopSignal;            // on the image's STOPSIGNAL
  std::optional<StopBehaviour> onSigterm;  // on SIGTERM when the STOPSIGNAL is another one
};

/// What one of the image's network tools prints (`tools.nslookup` etc.); placeholders {name}, {fqdn},
/// {ip}, {dnsIP}, {port} kept as written.
struct NetworkTool {
  std::vector<std::string> success;
  std::vector<std::string> failure;
  std::int32_t exitCodeOnFailure = 1;
};

/// One image of the catalogue, for one tag: `lookup`'s answer.
struct CatalogueImage {
  std::string repository;      // the catalogue's normalised name ("busybox", "registry.k8s.io/pause")
  std::string tag;             // the catalogue tag the data is from ("1.28"; the fallback tag for an unlisted one)
  bool viaFallback = false;    // true: the tag asked for is not listed; the data is `fallbackTag`'s
  std::optional<std::int64_t> sizeBytes;  // compressed linux/amd64 size, bytes; nullopt: unknown
  bool sizeExact = false;      // false: an estimate (see `source`)
  std::string digest;          // may be empty
  std::string version;
  std::string source;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string stopSignal = "SIGTERM";
  ImageProcess process;        // the default process (tag overrides applied)
  /// ExitsWithError only: alternatives, each a list of NAME or NAME=VALUE that must all be set.
  std::vector<std::vector<std::string>> requiredEnv;
  std::optional<ImageProcess> whenEnvSet;  // what the process does once `requiredEnv` is met
  std::optional<NetworkTool> nslookup;     // tag's own tools when given, else the entry's
  std::optional<NetworkTool> wget;
  std::optional<NetworkTool> nc;
  /// The programs on the image's PATH (the entry's `commands`, sorted); empty: not known.
  std::shared_ptr<const std::vector<std::string>> commands;
};

/// The catalogue's defaults for a pull.
struct CatalogueDefaults {
  std::int64_t pullBandwidthBytesPerSecond = 0;
  sim::Time pullLatency = 0;  // ns
  /// Bytes assumed for an image that neither the catalogue nor the scenario sizes (an application image on
  /// a slim base; data/images.yaml explains the figure).
  std::int64_t uncataloguedSizeBytes = 0;
};

/// The image `reference` in the catalogue: its normalised name and tag, or the entry's `fallbackTag`
/// when the tag is not listed (a digest that matches a listed tag's digest selects that tag).
/// nullopt when the repository is not catalogued, the tag is unlisted and the entry has no fallbackTag,
/// or the reference is not valid. Parses the catalogue on first use (throws std::logic_error if the
/// embedded data/images.yaml is malformed, a build defect); otherwise never throws except std::bad_alloc.
std::optional<CatalogueImage> lookup(std::string_view reference);

/// The catalogue's `defaults`. Same errors as lookup.
const CatalogueDefaults& catalogueDefaults();

/// The process an image's default command runs given the container's environment (NAME, VALUE pairs):
/// `whenEnvSet` when `requiredEnv` is met by one of its alternatives (NAME: set and not empty;
/// NAME=VALUE: set to exactly VALUE), else `process`.
const ImageProcess& defaultProcess(const CatalogueImage& image,
                                   const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace podsim::scenario
