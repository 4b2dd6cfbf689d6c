// models/faults/faults.cpp: resolving fault entries to containers and drawing the faults of a run.
#include "models/faults/faults.hpp"

#include <algorithm>

#include "models/api/image_reference.hpp"

namespace podsim::faults {

namespace {
constexpr std::uint32_t kFaultPurpose = 0x46000000u;  // 'F' in the top byte: above the engine's purposes
// 128-bit integers (GCC and Clang) for bytes x ns products, which overflow 64 bits.
__extension__ typedef __int128 Wide;
}

std::uint64_t faultStreamKey(FaultKind kind, std::int32_t pod, std::int32_t container) noexcept {
  const std::uint32_t purpose = kFaultPurpose | (static_cast<std::uint32_t>(kind) << 16) |
                                (static_cast<std::uint32_t>(container) & 0xffffu);
  return sim::streamKey(purpose, static_cast<std::uint32_t>(pod));
}

Time oomAfter(const scenario::MemoryBehavior& m, std::int64_t limit) noexcept {
  if (m.useBytes < 0 || limit < 0) return sim::kForever;
  if (m.useBytes > limit) return 0;
  if (m.growthPerMinuteBytes <= 0) return sim::kForever;
  // Smallest t (ns) with use + growth * t / 1 min > limit, in integer arithmetic (128-bit to be safe).
  const auto room = static_cast<Wide>(limit - m.useBytes);
  const Wide t = (room * sim::kMinute) / m.growthPerMinuteBytes + 1;
  return t >= static_cast<Wide>(sim::kForever) ? sim::kForever : static_cast<Time>(t);
}

bool inWindow(const std::vector<scenario::TimeWindow>& windows, Time t) noexcept {
  return std::any_of(windows.begin(), windows.end(), [t](const scenario::TimeWindow& w) { return t >= w.from && t < w.to; });
}

std::string registryOf(std::string_view image) { return api::registryOf(image); }

bool needed(const scenario::Scenario& sc) noexcept {
  if (!sc.faults.empty()) return true;
  for (const auto& e : sc.pods) {
    for (const auto& b : e.behaviors) {
      if (b.memory.useBytes >= 0) return true;
    }
  }
  return false;
}

FaultInjector::FaultInjector(const scenario::Scenario& sc, std::uint64_t seed) : sc_(&sc), seed_(seed) {
  pods_.resize(sc.pods.size());
  for (std::size_t p = 0; p < sc.pods.size(); ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    auto& cs = pods_[p];
    cs.resize(pod.containerCount());
    for (std::size_t c = 0; c < cs.size(); ++c) {
      const auto pi = static_cast<std::int32_t>(p);
      const auto ci = static_cast<std::int32_t>(c);
      ContainerFaults& f = cs[c];
      f.crash = sim::RandomStream(seed, faultStreamKey(FaultKind::Crash, pi, ci));
      for (int t = 0; t < 3; ++t) {
        f.probe[t] = sim::RandomStream(seed, faultStreamKey(static_cast<FaultKind>(2 + t), pi, ci));
      }
      f.pull = sim::RandomStream(seed, faultStreamKey(FaultKind::ImagePull, pi, ci));
      f.oomAfter = oomAfter(sc.pods[p].behaviors[c].memory, pod.container(c).resources.limits.memoryBytes);
    }
  }
  const auto applies = [](std::int32_t wantPod, std::int32_t wantContainer, std::size_t p, std::size_t c) {
    return (wantPod < 0 || static_cast<std::size_t>(wantPod) == p) &&
           (wantContainer < 0 || static_cast<std::size_t>(wantContainer) == c);
  };
  for (const auto& crash : sc.faults.crashes) {
    for (std::size_t p = 0; p < pods_.size(); ++p) {
      for (std::size_t c = 0; c < pods_[p].size(); ++c) {
        if (!applies(crash.pod, crash.container, p, c)) continue;
        pods_[p][c].crashMean = crash.meanTimeBetweenFailures;
        pods_[p][c].crashExitCode = crash.exitCode;
      }
    }
  }
  for (const auto& pf : sc.faults.probes) {
    for (std::size_t p = 0; p < pods_.size(); ++p) {
      for (std::size_t c = 0; c < pods_[p].size(); ++c) {
        if (!applies(pf.pod, pf.container, p, c)) continue;
        for (int t = 0; t < 3; ++t) {
          if ((pf.probes & (1u << t)) != 0) pods_[p][c].probeProbability[t] = pf.probability;
        }
      }
    }
  }
  pullProbability_.assign(sc.images.size(), 0.0);
  for (const auto& ip : sc.faults.imagePulls) {
    for (std::size_t i = 0; i < pullProbability_.size(); ++i) {
      if (ip.image < 0 || static_cast<std::size_t>(ip.image) == i) pullProbability_[i] = ip.probability;
    }
  }
  outages_.assign(sc.images.size(), {});
  for (std::size_t i = 0; i < sc.images.size(); ++i) {
    const std::string registry = registryOf(sc.images[i]);
    for (const auto& o : sc.faults.registryOutages) {
      if (o.registry.empty() || o.registry == registry) outages_[i].push_back({o.from, o.to});
    }
  }
}

ProcessFailure FaultInjector::onLaunch(std::int32_t p, std::int32_t c) {
  ContainerFaults& f = at(p, c);
  ProcessFailure out;
  if (f.crashMean > 0) {
    out.after = f.crash.exponential(f.crashMean);
    out.reason = api::Reason::Error;
    out.exitCode = f.crashExitCode;
  }
  if (f.oomAfter < out.after) {
    out.after = f.oomAfter;
    out.reason = api::Reason::OOMKilled;
    out.exitCode = 137;
  }
  return out;
}

bool FaultInjector::probeFaulty(std::int32_t p, std::int32_t c, int probe) const noexcept {
  return pods_[static_cast<std::size_t>(p)][static_cast<std::size_t>(c)].probeProbability[probe] > 0;
}

bool FaultInjector::probeFails(std::int32_t p, std::int32_t c, int probe) {
  ContainerFaults& f = at(p, c);
  const double q = f.probeProbability[probe];
  if (q <= 0) return false;
  return f.probe[probe].uniform01() < q;
}

PullOutcome FaultInjector::onPull(std::int32_t p, std::int32_t c, std::int32_t image, Time start, Time duration) {
  PullOutcome out;
  out.duration = duration;
  const auto i = static_cast<std::size_t>(image);
  // A registry outage met during the pull cuts it off when it begins (at once when already in one).
  // The pull occupies [start, start + duration) (a pull of no duration: the instant `start`).
  const Time len = std::max(duration, Time{1});
  const Time end = len > sim::kForever - start ? sim::kForever : start + len;
  Time cut = sim::kForever;
  for (const auto& w : outages_[i]) {
    if (w.to <= start || w.from >= end) continue;
    cut = std::min(cut, std::max(w.from, start));
  }
  if (cut != sim::kForever) {
    out.duration = cut - start;
    out.failed = true;
    out.reason = api::Reason::RegistryUnavailable;
    return out;
  }
  const double q = pullProbability_[i];
  if (q > 0 && at(p, c).pull.uniform01() < q) {
    out.failed = true;
    out.reason = api::Reason::ErrImagePull;
  }
  return out;
}

std::vector<scenario::TimeWindow> FaultInjector::nodeOutages(std::int32_t node, Time until) const {
  std::vector<scenario::TimeWindow> out;
  const scenario::NodeFault* fault = nullptr;
  for (const auto& f : sc_->faults.nodes) {
    if (f.node < 0 || f.node == node) fault = &f;  // the last entry for this node applies
  }
  if (fault == nullptr) return out;
  sim::RandomStream rng(seed_, faultStreamKey(FaultKind::Node, node, 0));
  Time t = 0;
  for (;;) {
    const Time up = rng.exponential(fault->meanTimeBetweenFailures);
    if (up >= until - t) break;
    t += up;
    const Time down = std::max<Time>(rng.exponential(fault->meanTimeToRecovery), 1);
    const Time to = down >= sim::kForever - t ? sim::kForever : t + down;
    out.push_back({t, to});
    if (to >= until) break;
    t = to;
  }
  return out;
}

}  // namespace podsim::faults
