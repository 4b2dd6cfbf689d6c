// models/kubelet/backoff.hpp: the kubelet's per-item exponential back-off (client-go flowcontrol.Backoff)
// and its two uses: CrashLoopBackOff (per container) and image pull back-off (per pod and image).
//
// Source: staging/src/k8s.io/client-go/util/flowcontrol/backoff.go (IsInBackOffSince, Next, GC,
// hasExpired); pkg/kubelet/kubelet.go (initialCrashLoopBackOff, MaxCrashLoopBackOff, newCrashLoopBackOff,
// imageBackOffPeriod, MaxImageBackOff). Entries live in the kubelet's memory only: a kubelet restart
// loses them. No jitter (the kubelet builds both with jitter factor 0).
#pragma once

#include <cstdint>

#include "models/kubelet/config.hpp"
#include "sim/time.hpp"

namespace podsim::kubelet {

using sim::Time;

/// Parameters of one back-off: first delay, cap, and how long without an update resets it. ns.
struct BackoffPolicy {
  Time initial = 10 * sim::kSecond;
  Time max = 300 * sim::kSecond;
  Time expiry = 600 * sim::kSecond;
};

/// One back-off entry (`perItemBackoff[key]`). `present` false: no entry.
struct BackoffEntry {
  Time backoff = 0;
  Time lastUpdate = 0;
  std::uint32_t specHash = 0;  // part of the crash-loop key (podName_ns_uid_container_specHash)
  bool present = false;
};

/// CrashLoopBackOff parameters for a kubelet configuration and version (kubelet-semantics §0, §8.3):
/// 10 s / 300 s by default; 1 s / 60 s with ReduceDefaultCrashLoopBackOffDecay; a node's
/// `crashLoopBackOff.maxContainerRestartPeriod` M (KubeletCrashLoopBackOffMax) sets max = M and
/// initial = min(initial, M); expiry 600 s (HasExpiredFunc, 1.32+) or 2 x max before 1.32.
/// Source: pkg/kubelet/kubelet.go newCrashLoopBackOff.
BackoffPolicy crashLoopBackOffPolicy(const KubeletConfig& config, const Features& features);

/// Image pull back-off: 10 s doubling to 300 s, reset after 2 x 300 s. Source: pkg/kubelet/kubelet.go
/// imageBackOffPeriod, MaxImageBackOff.
BackoffPolicy imagePullBackOffPolicy();

/// flowcontrol hasExpired: the entry is stale when eventTime - lastUpdate > expiry.
constexpr bool hasExpired(const BackoffEntry& e, const BackoffPolicy& p, Time eventTime) noexcept {
  return eventTime - e.lastUpdate > p.expiry;
}

/// IsInBackOffSince(key, eventTime): an unexpired entry and now - eventTime < backoff.
constexpr bool isInBackOffSince(const BackoffEntry& e, const BackoffPolicy& p, Time eventTime, Time now) noexcept {
  if (!e.present) return false;
  if (hasExpired(e, p, eventTime)) return false;
  return now - eventTime < e.backoff;
}

/// IsInBackOffSinceUpdate(key, now): as above with eventTime = now, measured from lastUpdate.
constexpr bool isInBackOffSinceUpdate(const BackoffEntry& e, const BackoffPolicy& p, Time now) noexcept {
  if (!e.present) return false;
  if (hasExpired(e, p, now)) return false;
  return now - e.lastUpdate < e.backoff;
}

/// Next(key, eventTime): a missing or expired entry starts at `initial`, else doubles up to `max`;
/// lastUpdate := now.
constexpr void next(BackoffEntry& e, const BackoffPolicy& p, Time eventTime, Time now) noexcept {
  if (!e.present || hasExpired(e, p, eventTime)) {
    e.present = true;
    e.backoff = p.initial;
  } else {
    e.backoff = e.backoff * 2 < p.max ? e.backoff * 2 : p.max;
  }
  e.lastUpdate = now;
}

/// GC (housekeeping every 2 s): entries not updated for longer than the expiry are dropped.
constexpr void gc(BackoffEntry& e, const BackoffPolicy& p, Time now) noexcept {
  if (e.present && now - e.lastUpdate > p.expiry) e.present = false;
}

}  // namespace podsim::kubelet
