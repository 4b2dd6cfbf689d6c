// models/kubelet/event_messages.hpp: the texts of the kubelet's container Events that changed between
// releases, as a per-version decision. Owns: which form the Created and Started messages take. Does not own:
// formatting the text (models/report/output.cpp eventMessage) nor recording the Event (the engine).
#pragma once

#include <cstdint>

#include "models/kubelet/config.hpp"

namespace podsim::kubelet {

/// The form of the Created / Started Event messages of a release.
enum class ContainerEventText : std::uint8_t {
  NamedNoColon,  // "Created container NAME" / "Started container NAME" (1.28)
  Named,         // "Created container: NAME" / "Started container NAME" (1.29 .. 1.34)
  Plain,         // "Container created" / "Container started" (1.35 on)
};

/// Which form `version`'s kubelet writes. Source: pkg/kubelet/kuberuntime/kuberuntime_container.go
/// startContainer (recordContainerEvent of events.CreatedContainer / events.StartedContainer) at v1.28.15,
/// v1.29.15 .. v1.34.3 and v1.35.4 .. v1.37.2.
constexpr ContainerEventText containerEventText(KubernetesVersion version) noexcept {
  if (version >= KubernetesVersion{1, 35}) return ContainerEventText::Plain;
  if (version >= KubernetesVersion{1, 29}) return ContainerEventText::Named;
  return ContainerEventText::NamedNoColon;
}

/// Whether `version`'s Pulled Event ends with ". Image size: N bytes." (the runtime's size of the pulled
/// image). Source: pkg/kubelet/images/image_manager.go EnsureImageExists: v1.28.15 and v1.29.15 write
/// "Successfully pulled image %q in %v (%v including waiting)"; v1.30.14 .. v1.37.2 append
/// ". Image size: %v bytes.".
constexpr bool pulledMessageHasImageSize(KubernetesVersion version) noexcept {
  return version >= KubernetesVersion{1, 30};
}

}  // namespace podsim::kubelet
