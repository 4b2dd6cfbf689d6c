// models/api/image_reference.hpp: the one parser of container image references ("busybox:1.36",
// "registry.k8s.io:5000/pause@sha256:...").
//
// Modelled on github.com/distribution/reference (normalize.go splitDockerDomain, ParseNormalizedNamed,
// FamiliarName; regexp.go ReferenceRegexp), which the kubelet uses in applyDefaultImageTag and the
// runtime in pulls. Owns the lexical split (domain, path, tag, digest), the grammar check and the
// docker.io normalisation. Does not pull, resolve or hash anything; no display text beyond the names.
#pragma once

#include <string>
#include <string_view>

namespace podsim::api {

/// The parts of an image reference, as views into the text it was parsed from (which must outlive it).
/// The split is lexical and never fails: `valid` says whether the text also meets the grammar.
struct ImageReference {
  /// Registry host as written ("registry.k8s.io", "localhost:5000"); empty when the first path
  /// component is not a host (then the registry is docker.io). distribution splitDockerDomain: the text
  /// before the first '/' when it contains '.' or ':' or is "localhost".
  /// Simplification: distribution also takes an upper-case first component as a domain; podsim does not.
  std::string_view domain;
  /// Everything before the first '@', without the tag: the repository name as written ("busybox",
  /// "docker.io/library/busybox", "localhost:5000/app").
  std::string_view repository;
  /// The tag after the last ':' that follows the last '/' before the digest; empty when none.
  std::string_view tag;
  /// The digest after the first '@' ("sha256:..."); empty when none.
  std::string_view digest;
  /// Whether a tag was written (":" present), even an empty one.
  bool hasTag = false;
  /// Whether a digest was written ("@" present).
  bool hasDigest = false;
  /// Whether the text meets the reference grammar (validImageReference).
  bool valid = false;
};

/// Splits `ref` into domain, repository, tag and digest (see ImageReference). Never throws.
ImageReference parseImageReference(std::string_view ref) noexcept;

/// Whether `ref` parses as the runtime's reference grammar requires: repository path components in
/// lower case ([a-z0-9] separated by '.', '_', '__' or '-'), an optional registry host (with a '.' or
/// ':' or "localhost"), an optional tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) and digest.
/// Source: github.com/distribution/reference regexp.go (ReferenceRegexp), reached from the kubelet's
/// applyDefaultImageTag (pkg/kubelet/images/image_manager.go). Simplification: the digest's own
/// grammar (algorithm:hex) is not checked; an upper-case letter anywhere in the path is "must be
/// lowercase". Never throws.
bool validImageReference(std::string_view ref) noexcept;

/// The registry a pull of `ref` goes to: its domain, or "docker.io". distribution splitDockerDomain.
std::string registryOf(std::string_view ref);

/// The fully qualified name of a repository without tag or digest: a single component gets
/// "docker.io/library/", a path whose first component is not a host gets "docker.io/", a path with a
/// host is kept ("busybox" -> "docker.io/library/busybox", "fluent/fluent-bit" ->
/// "docker.io/fluent/fluent-bit", "quay.io/x/y" -> "quay.io/x/y"). distribution ParseNormalizedNamed.
/// Simplification: "docker.io/busybox" stays as written (distribution adds "library/").
std::string normalizedName(std::string_view repository);

/// The short name the Docker CLI shows: normalizedName without "docker.io/" and "docker.io/library/".
/// distribution FamiliarName.
std::string familiarName(std::string_view repository);

}  // namespace podsim::api
