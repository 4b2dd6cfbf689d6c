// models/api/helpers.hpp: derived facts about API objects, as pkg/apis/core/helper computes them.
//
// Pure functions of a Pod's spec; no display text beyond the API's own enum spellings.
#pragma once

#include <cstdint>
#include <string>

#include "models/api/types.hpp"

namespace podsim::api {

/// `status.qosClass`. Source: pkg/apis/core/helper/qos/qos.go.
enum class PodQOSClass : std::uint8_t { BestEffort, Burstable, Guaranteed };

/// The API's spelling of a QoS class ("BestEffort", "Burstable", "Guaranteed").
constexpr const char* apiName(PodQOSClass q) noexcept {
  return q == PodQOSClass::BestEffort ? "BestEffort" : q == PodQOSClass::Guaranteed ? "Guaranteed" : "Burstable";
}

/// GetPodQOS: BestEffort without any cpu or memory request or limit; Guaranteed when every container
/// limits cpu and memory and its requests (defaulted to the limits) equal them; else Burstable.
/// Source: pkg/apis/core/helper/qos/qos.go GetPodQOS (ComputePodQOS). Simplification: only cpu and
/// memory are considered and pod-level resources are not modelled. Never throws.
PodQOSClass GetPodQOS(const Pod& pod) noexcept;

/// What a probe probes, as `kubectl describe` prints it: "exec [test -f /tmp/up]",
/// "http-get http://:8080/healthz", "tcp-socket :6379", "grpc <pod>:9090 "; "" for another kind.
/// Source: staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribeProbe. A pure function of the
/// API type for the describe view (models/trace/views.cpp); the API type holds no display text.
std::string probeHandlerText(const Probe& probe);

}  // namespace podsim::api
