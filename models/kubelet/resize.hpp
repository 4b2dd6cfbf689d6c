// models/kubelet/resize.hpp: in-place pod resize (KEP-1287, gate InPlacePodVerticalScaling) as pure
// functions: whether the API server of a version serves the resize at all, its validation of a resize
// (ValidatePodResize, the PodResizeValidator admission plugin), the kubelet's allocation decision
// (canResizePod: allocate, Infeasible or Deferred), and what the runtime does to a running container
// (computePodResizeAction: nothing, update in place, or kill and restart), and whether a resize is still in
// progress (isPodResizeInProgress).
//
// Sources (v1.33.13 .. v1.37.2): pkg/features/kube_features.go (InPlacePodVerticalScaling: alpha off 1.27,
// beta on 1.33, GA locked 1.35); pkg/registry/core/rest/storage_core.go (pods/resize only with the gate on,
// from 1.32); pkg/apis/core/validation/validation.go ValidatePodResize, validateContainerResize,
// validateResizePolicy; plugin/pkg/admission/podresize/admission.go (1.36+); pkg/kubelet/kubelet.go
// canResizePod / handlePodResourcesResize (1.33), pkg/kubelet/allocation/allocation_manager.go (1.34+);
// pkg/kubelet/lifecycle/predicate.go (InsufficientResourceError); pkg/kubelet/kuberuntime/kuberuntime_manager.go
// computePodResizeAction, isPodResizeInProgress.
// Owns no state and no clock; the engine's models/engine/resize.ipp acts on these decisions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/api/types.hpp"
#include "models/cluster/scheduling.hpp"
#include "models/kubelet/config.hpp"
#include "models/kubelet/feature_gates.hpp"
#include "models/kubelet/runtime_status.hpp"

namespace podsim::kubelet {

/// What the API server of a release does with `kubectl patch pod --subresource resize`.
enum class ResizeSupport : std::uint8_t {
  NoSubresource,     // the gate is off: there is no pods/resize subresource (404 NotFound)
  AlphaNotModelled,  // the gate is on before 1.33 (alpha: status.resize, no conditions): podsim does not model it
  Supported,         // 1.33+ with the gate on: the conditions PodResizePending / PodResizeInProgress
};

/// The support of `version` with the scenario's gate overrides. Throws std::invalid_argument for a version
/// outside 1.28..1.37 (feature_gates.hpp gateSpec). Source: kube_features.go InPlacePodVerticalScaling;
/// storage_core.go registers pods/resize only when the gate is on (from 1.32; no such subresource before).
ResizeSupport resizeSupport(KubernetesVersion version, const FeatureGateOverrides& gates);

/// The error text for a version that does not serve the resize (NoSubresource, AlphaNotModelled); "" for
/// Supported. NoSubresource quotes kubectl: `Error from server (NotFound): the server could not find the
/// requested resource`.
std::string resizeUnsupportedMessage(ResizeSupport support, KubernetesVersion version);

/// One container's cpu and memory as the kubelet compares them: millicores and bytes, 0 when not set
/// (kuberuntime_manager.go containerResourcesFromRequirements, resourceRequirements).
struct ContainerResources {
  std::int64_t cpuRequest = 0;
  std::int64_t cpuLimit = 0;
  std::int64_t memoryRequest = 0;
  std::int64_t memoryLimit = 0;
  bool operator==(const ContainerResources&) const = default;
};

/// The kubelet's view of `r` (-1, not set, becomes 0). Never throws.
ContainerResources containerResourcesFromRequirements(const api::ResourceRequirements& r) noexcept;

/// The container's resources after a resize patch: each field the patch sets (>= 0) replaces the old one;
/// the others keep their value (a strategic merge patch of `resources`). Never throws.
api::ResourceRequirements applyResize(const api::ResourceRequirements& old, const api::ResourceRequirements& patch) noexcept;

/// Whether container `i` (unified index) of `pod` can be resized: regular containers and sidecars always;
/// non-sidecar init containers only with InPlacePodVerticalScalingInitContainers (beta on 1.36, GA 1.37).
/// Source: pkg/kubelet/allocation/allocation_manager.go IsResizableContainer (v1.37.2).
bool isResizableContainer(const api::Pod& pod, std::size_t i, bool initContainersResizable) noexcept;

/// The API server's validation of a resize of container `container` (unified index) from `oldPod` to
/// `newPod` (the same pod with that container's resources changed): each error as the API prints it,
/// "<field path>: <Type>: <detail>", in the order ValidatePodResize finds them; empty when it is accepted.
/// Checks: the new resources' spec validation (requests <= limits); the QoS class may not change; 1.33
/// only: a memory limit may not be decreased (nor added) unless the memory resizePolicy is RestartContainer;
/// a non-sidecar init container is immutable unless `initContainersResizable`, and then not with a
/// RestartContainer policy. Source: validation.go ValidatePodResize, validateContainerResize (v1.33.13 has
/// the memory rule, v1.34.3+ not), ValidateContainerResourceRequirements.
std::vector<std::string> validatePodResize(const api::Pod& oldPod, const api::Pod& newPod, std::size_t container,
                                           KubernetesVersion version, bool initContainersResizable);

/// The PodResizeValidator admission plugin (1.36+): "" when the pod's requests fit the node's allocatable
/// (-1: unlimited), else the error kubectl prints: `pods "web" is forbidden: node didn't have enough
/// allocatable resources: memory, requested: 536870912, allocatable: 268435456` (cpu in millicores, both
/// parts joined by "; " when both exceed). Source: plugin/pkg/admission/podresize/admission.go
/// validateRequestsWithinAllocatable; apimachinery errors.NewForbidden.
std::string validateResizeAgainstAllocatable(const std::string& podName, const cluster::Resources& requests,
                                             const api::ResourceList& allocatable);

/// The kubelet's answer to a resize it has not allocated yet.
enum class ResizeDecision : std::uint8_t { Allocate, Infeasible, Deferred };

/// canResizePod's result: the decision and the PodResizePending condition's message (empty for Allocate).
/// The numbers of the message too: the resource named (memory or cpu), what the pod asks for, what the other
/// pods use (Deferred; 0 for Infeasible) and the node's allocatable (millicores or bytes).
struct ResizeVerdict {
  ResizeDecision decision = ResizeDecision::Allocate;
  std::string message;
  bool memory = false;
  std::int64_t requested = 0;
  std::int64_t used = 0;
  std::int64_t capacity = 0;
};

/// What canResizePod reads: the pod's requests with the desired resources (PodRequests), the node's
/// allocatable (-1: unlimited) and what the node's other admitted pods request (their allocations).
struct ResizeFitInputs {
  cluster::Resources desired;
  api::ResourceList allocatable;
  cluster::Resources others;
  KubernetesVersion version;
};

/// The kubelet's allocation decision. Before 1.36: Infeasible when the desired requests exceed the node's
/// allocatable ("Node didn't have enough capacity: memory, requested: X, capacity: Y", memory named first);
/// from 1.36 the API server rejects that case (validateResizeAgainstAllocatable). Then Deferred when they do
/// not fit beside the other pods (the predicate admit handler's first InsufficientResourceError, cpu before
/// memory: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000"). Else
/// Allocate. Source: kubelet.go canResizePod (v1.33.13), allocation_manager.go canResizePod (v1.34.3,
/// v1.35.4) and canAdmitPod with the resize admit handlers (v1.36.3+), lifecycle/predicate.go.
/// Simplification: the CPU/Memory Manager static policies and swap are not modelled.
ResizeVerdict canResizePod(const ResizeFitInputs& in);

/// What a sync does to one running container whose allocated resources differ from those it runs with.
enum class ResizeAction : std::uint8_t { None, UpdateInPlace, Restart };

/// computePodResizeAction for a running container: None when `desired` equals `actuated`; Restart when a
/// changed resource (cpu: request or limit; memory: request or limit) has resizePolicy RestartContainer
/// ("Container <name> resize requires restart"); else UpdateInPlace (UpdateContainerResources, no restart).
/// Source: kuberuntime_manager.go computePodResizeAction (v1.33.13 .. v1.37.2).
ResizeAction computePodResizeAction(const api::Container& c, const ContainerResources& desired,
                                    const ContainerResources& actuated) noexcept;

/// isPodResizeInProgress: some resizable container is running (in `runtime`, the pod cache) with actuated
/// resources other than its allocated ones. `allocated` and `actuated` are by unified index.
/// Source: kubelet.go isPodResizeInProgress (v1.33.13); kuberuntime_manager.go
/// isContainerResourceResizeInProgress (v1.35.4+).
bool isPodResizeInProgress(const api::Pod& pod, const std::vector<ContainerResources>& allocated,
                           const std::vector<ContainerResources>& actuated, const RuntimePodStatus& runtime,
                           bool initContainersResizable);

}  // namespace podsim::kubelet
