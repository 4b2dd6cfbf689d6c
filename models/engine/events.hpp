// models/engine/events.hpp: the typed keys of the engine's events. Each kind of event has its own key
// struct (what it is about, in named fields) and is bound to one handler of SimulationImpl (see
// SimulationImpl::at / after / tickAt); the kernel carries the key as its 64-bit argument, so an event
// costs no allocation.
//
// Owns the keys and their one encoding. Does not own the handlers (the component files) nor the event
// loop (sim/environment.hpp).
#pragma once

#include <cstdint>

#include "models/kubelet/prober.hpp"

namespace podsim::engine {

/// The one layout every key is carried in: 32 bits of subject (a pod, node or action index), 16 bits of
/// container index and 16 bits of detail. Fields wider than their slot are cut to it, as they always
/// were: a container index above 32,767, or a node index or restart count above 65,535, would wrap.
struct EventArg {
  std::int32_t subject = 0;
  std::int32_t container = 0;
  std::uint32_t detail = 0;

  [[nodiscard]] constexpr std::uint64_t encode() const noexcept {
    return static_cast<std::uint32_t>(subject) |
           (static_cast<std::uint64_t>(static_cast<std::uint16_t>(container)) << 32) |
           (static_cast<std::uint64_t>(detail & 0xffffu) << 48);
  }
  [[nodiscard]] static constexpr EventArg decode(std::uint64_t a) noexcept {
    return {static_cast<std::int32_t>(a & 0xffffffffu), static_cast<std::int16_t>((a >> 32) & 0xffffu),
            static_cast<std::uint32_t>(a >> 48)};
  }
};

/// A pod's event: a deferred sync, a requeue, a taint eviction.
struct PodKey {
  std::int32_t pod = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return EventArg{pod, 0, 0}.encode(); }
  [[nodiscard]] static constexpr PodKey decode(std::uint64_t a) noexcept { return {EventArg::decode(a).subject}; }
};

/// A container's event (unified index): a hook's end, a kill's timer, a shell's wake-up.
struct ContainerKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return EventArg{pod, container, 0}.encode(); }
  [[nodiscard]] static constexpr ContainerKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container};
  }
};

/// A probe worker's tick, or a manual trigger (a readiness probe asked for by status generation).
struct ProbeTickKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  kubelet::ProbeType type = kubelet::ProbeType::Startup;
  bool manual = false;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept {
    return EventArg{pod, container, static_cast<std::uint32_t>(type) | (manual ? 4u : 0u)}.encode();
  }
  [[nodiscard]] static constexpr ProbeTickKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container, static_cast<kubelet::ProbeType>(e.detail & 3u), (e.detail & 4u) != 0};
  }
};

/// The end of a preStop hook; `hookFailed`: the hook ran to its end and failed (FailedPreStopHook).
struct PreStopKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  bool hookFailed = false;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return EventArg{pod, container, hookFailed ? 1u : 0u}.encode(); }
  [[nodiscard]] static constexpr PreStopKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container, e.detail != 0};
  }
};

/// The natural exit of the process of a container's instance number `restartCount`.
struct ProcessExitKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  std::int32_t restartCount = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept {
    return EventArg{pod, container, static_cast<std::uint32_t>(restartCount)}.encode();
  }
  [[nodiscard]] static constexpr ProcessExitKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container, static_cast<std::int32_t>(e.detail)};
  }
};

/// An injected crash (exit code 0..255) or OOM kill of a container's process (models/faults).
struct FaultExitKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  std::int32_t exitCode = 0;
  bool oomKilled = false;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept {
    return EventArg{pod, container, static_cast<std::uint32_t>(exitCode & 0xff) | (oomKilled ? 0x100u : 0u)}.encode();
  }
  [[nodiscard]] static constexpr FaultExitKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container, static_cast<std::int32_t>(e.detail & 0xffu), (e.detail & 0x100u) != 0};
  }
};

/// The end of an image pull for a container's start, on a node.
struct PullKey {
  std::int32_t pod = 0;
  std::int32_t container = 0;
  std::int32_t node = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept {
    return EventArg{pod, container, static_cast<std::uint32_t>(node)}.encode();
  }
  [[nodiscard]] static constexpr PullKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.container, static_cast<std::int32_t>(e.detail)};
  }
};

/// A node's event: a PLEG relist, the node lifecycle controller's NotReady.
struct NodeKey {
  std::int32_t node = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return static_cast<std::uint64_t>(node); }
  [[nodiscard]] static constexpr NodeKey decode(std::uint64_t a) noexcept { return {static_cast<std::int32_t>(a)}; }
};

/// An injected node outage's start (`fails`) or end.
struct NodeFaultKey {
  std::int32_t node = 0;
  bool fails = false;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return EventArg{node, 0, fails ? 1u : 0u}.encode(); }
  [[nodiscard]] static constexpr NodeFaultKey decode(std::uint64_t a) noexcept {
    const EventArg e = EventArg::decode(a);
    return {e.subject, e.detail != 0};
  }
};

/// One of the scenario's actions (its index in spec.actions).
struct ActionKey {
  std::size_t index = 0;
  [[nodiscard]] constexpr std::uint64_t encode() const noexcept { return static_cast<std::uint64_t>(index); }
  [[nodiscard]] static constexpr ActionKey decode(std::uint64_t a) noexcept { return {static_cast<std::size_t>(a)}; }
};

}  // namespace podsim::engine
