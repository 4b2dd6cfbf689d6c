// models/kubelet/images.hpp: the image manager's decision (pkg/kubelet/images/image_manager.go
// EnsureImageExists, shouldPullImage) as a pure function of plain values.
//
// Owns: what a container start does about its image: fail on a bad reference or a missing image it may
// not pull, use the image present, wait out the pull back-off, or pull. Does not own: the puller's queue
// and timing (models/engine/image_puller.ipp), the back-off entries (models/kubelet/backoff.hpp), parsing
// image references (models/api).
#pragma once

#include <cstdint>

#include "models/api/types.hpp"

namespace podsim::kubelet {

/// shouldPullImage: PullAlways pulls always, PullNever never, PullIfNotPresent when the image is
/// missing. Source: pkg/kubelet/images/image_manager.go shouldPullImage.
[[nodiscard]] constexpr bool shouldPullImage(api::PullPolicy policy, bool present) noexcept {
  if (policy == api::PullPolicy::Never) return false;
  if (policy == api::PullPolicy::Always) return true;
  return !present;
}

/// What EnsureImageExists does for one container start.
enum class ImageDecision : std::uint8_t {
  InvalidImageName,   // the reference does not parse: InspectFailed event, retried at every sync, no back-off
  ErrImageNeverPull,  // PullNever and the image is missing: ErrImageNeverPull event
  UsePresent,         // the image is present and need not be pulled: "already present" Pulled event
  ImagePullBackOff,   // a pull is needed but the image's back-off is in force: BackOff event
  Pull,               // pull now
};

/// EnsureImageExists in its order: reference, PullNever, shouldPullImage, back-off. `inBackOff` is read
/// only when a pull is needed (the caller may compute it lazily; it is IsInBackOffSinceUpdate of the
/// pod's entry for the image). Simplification: Always with the image present pulls (no digest check).
/// Source: pkg/kubelet/images/image_manager.go EnsureImageExists.
[[nodiscard]] constexpr ImageDecision ensureImageExists(bool referenceValid, api::PullPolicy policy, bool present,
                                                        bool inBackOff) noexcept {
  if (!referenceValid) return ImageDecision::InvalidImageName;
  if (policy == api::PullPolicy::Never && !present) return ImageDecision::ErrImageNeverPull;
  if (!shouldPullImage(policy, present)) return ImageDecision::UsePresent;
  return inBackOff ? ImageDecision::ImagePullBackOff : ImageDecision::Pull;
}

}  // namespace podsim::kubelet
