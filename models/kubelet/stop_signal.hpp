// models/kubelet/stop_signal.hpp: container stop signals (KEP-4960, `lifecycle.stopSignal`, gate
// ContainerStopSignals: alpha and off from 1.33 to 1.37, unknown before 1.33).
//
// Owns: the API's signal names and their Linux numbers, the API server's treatment of the field per release
// and gate (refused, dropped, validated), the effective stop signal (spec > image STOPSIGNAL > SIGTERM), and
// how a container's PID 1 meets it. Does not own: the kill's timing (termination.hpp, engine kill.ipp), the
// image catalogue (models/scenario/image_catalogue), file:line:col (the loader).
// Pure functions: tested by tables (tests/test_stop_signal.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/kubelet/feature_gates.hpp"

namespace podsim::kubelet {

/// The API's name of stop signal `id` (1-based index into the supported Linux names: "SIGABRT", ...,
/// "SIGRTMAX"); "" for 0 or out of range. Source: pkg/apis/core/types.go Signal constants.
std::string_view stopSignalName(std::int32_t id) noexcept;

/// The 1-based id of the API's signal name `name` (case-sensitive, "SIGRTMIN+1", "SIGRTMAX-14"), or 0 when the
/// API has no such Signal. Source: pkg/apis/core/validation/validation.go supportedStopSignalsLinux.
std::int32_t stopSignalId(std::string_view name) noexcept;

/// The Linux signal number of stop signal `id` (SIGQUIT 3, SIGKILL 9, SIGTERM 15, SIGRTMIN 34, SIGRTMAX 64;
/// the aliases SIGIOT 6, SIGCLD 17, SIGPOLL 29); 0 for id 0. Source: signal(7) on x86-64, and the CRI's
/// runtimeapi.Signal enum that kuberuntime/helpers.go signalNameToRuntimeEnum maps each name to.
int stopSignalNumber(std::int32_t id) noexcept;

/// What the API server of a release does with a container's `lifecycle.stopSignal`.
struct StopSignalVerdict {
  std::string error;     // "<detail>" after the field path (or the whole strict-decoding message); "" accepted
  bool pathless = false;  // `error` is strict decoding's `unknown field "<path>"` message: no path in front
  bool dropped = false;  // accepted and silently cleared (the gate off: pkg/api/pod/util.go dropContainerStopSignals)
};

/// Validates `stopSignal` (as written) of the container at `path` ("spec.containers[0]") as the API server of
/// `version` with `gates` does on create, for a pod whose `spec.os.name` is `osName` (nullopt: no spec.os):
/// - before 1.33 the field does not exist: strict decoding's `unknown field "<path>.lifecycle.stopSignal"`;
/// - 1.33+ with ContainerStopSignals off: dropped before validation (`dropped`);
/// - with it on: "Forbidden: may not be set for containers with empty `spec.os.name`" without spec.os; on
///   windows only SIGKILL and SIGTERM (`Unsupported value: "X": supported values: "SIGKILL", "SIGTERM"`); on
///   linux the 65 names of supportedStopSignalsLinux (the Unsupported message lists them sorted).
/// Source: pkg/apis/core/validation/validation.go validateStopSignal / validateLifecycle and pkg/api/pod/util.go
/// dropContainerStopSignals (v1.33.13 .. v1.37.2: the same); kube_features.go ContainerStopSignals.
StopSignalVerdict validateContainerStopSignal(KubernetesVersion version, const FeatureGateOverrides& gates,
                                              const std::string& path, const std::string& stopSignal,
                                              const std::optional<std::string>& osName);

/// The signal the runtime sends to stop the container: the spec's (`specId`, when the gate let it through),
/// else the image's STOPSIGNAL (`imageStopSignal`, "" when unknown), else SIGTERM; as a stop-signal id.
/// This is also what the ContainerStatus `stopSignal` shows (the runtime reports it; only with the gate on).
/// Source: KEP-4960 design details; pkg/kubelet/kuberuntime/kuberuntime_container.go generateContainerConfig
/// (config.StopSignal), toKubeContainerStatus (status.StopSignal); containerd's StopContainer.
std::int32_t effectiveStopSignal(std::int32_t specId, std::string_view imageStopSignal) noexcept;

/// How a container's PID 1 meets its stop signal.
enum class StopOutcome : std::uint8_t {
  Handled,     // its handler runs: it exits as its program says
  Ignored,     // no handler: the kernel does not deliver it to a namespace's init; SIGKILL at the grace period's end
  KilledAtOnce // SIGKILL: cannot be caught; the process dies at once, exit code 137
};

/// The outcome for signal `id` given whether PID 1 installed a handler for it (`handles`): SIGKILL always
/// kills; any other signal without a handler is ignored (pid_namespaces(7): only signals for which the init
/// process has a handler are delivered to it, SIGKILL and SIGSTOP from an ancestor namespace excepted; a
/// SIGSTOP only stops it, so it too waits for SIGKILL). A shell as PID 1 installs none.
StopOutcome pid1StopOutcome(std::int32_t id, bool handles) noexcept;

/// The exit code of a process that the signal `id` terminated by its default action: 128 + its number (143
/// for SIGTERM, 131 for SIGQUIT, 137 for SIGKILL), as the runtime reports a signalled exit.
std::int32_t exitCodeBySignal(std::int32_t id) noexcept;

}  // namespace podsim::kubelet
