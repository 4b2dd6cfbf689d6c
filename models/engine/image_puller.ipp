// models/engine/image_puller.ipp: the image puller (pkg/kubelet/images/puller.go: serial or parallel pulls
// per node) and, until models/api has its one parser, the image reference check.
// Does not own: whether to pull (models/kubelet/images), the pull back-off (container_start.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {

// TODO(merge): use api::parseImageReference
/// Whether an image reference parses as the runtime's reference grammar requires: repository path
/// components in lower case ([a-z0-9] separated by '.', '_', '__' or '-'), an optional registry host
/// (with a '.' or ':' or "localhost"), an optional tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) and digest.
/// Source: github.com/distribution/reference (regexp.go), used by the kubelet's applyDefaultImageTag.
bool validImageReference(std::string_view ref) {
  if (ref.empty()) return false;
  if (const auto at = ref.find('@'); at != std::string_view::npos) ref = ref.substr(0, at);
  std::string_view name = ref;
  const auto slash = ref.rfind('/');
  if (const auto colon = ref.rfind(':'); colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    const std::string_view tag = ref.substr(colon + 1);
    if (tag.empty() || tag.size() > 128) return false;
    for (std::size_t i = 0; i < tag.size(); ++i) {
      const char ch = tag[i];
      const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
      if (!word && (i == 0 || (ch != '.' && ch != '-'))) return false;
    }
    name = ref.substr(0, colon);
  }
  std::size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    const auto end = name.find('/', start);
    const std::string_view comp = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    const bool isHost = first && end != std::string_view::npos &&
                        (comp.find('.') != std::string_view::npos || comp.find(':') != std::string_view::npos || comp == "localhost");
    if (comp.empty()) return false;
    if (!isHost) {
      for (std::size_t i = 0; i < comp.size(); ++i) {
        const char ch = comp[i];
        const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        const bool sep = ch == '.' || ch == '_' || ch == '-';
        if (!alnum && !sep) return false;
        if (sep && (i == 0 || i + 1 == comp.size())) return false;
      }
    }
    first = false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}


// ---- image puller (images/puller.go: serial or parallel) ----------------------------------------

inline void SimulationImpl::requestPull(std::int32_t node, std::int32_t pod, std::int32_t c) {
  NodeState& n = nodes[node];
  n.pullQueue.push_back({pod, c});
  pumpPulls(node);
}


inline void SimulationImpl::pumpPulls(std::int32_t node) {
  NodeState& n = nodes[node];
  while (n.pullHead < n.pullQueue.size() && n.activePulls < pullSlots()) {
    const PullRequest r = n.pullQueue[n.pullHead++];
    ++n.activePulls;
    PodState& ps = pods[r.pod];
    const std::int32_t image = ps.imageIds[static_cast<std::size_t>(r.container)];
    Time d = sc.imageBehaviors[static_cast<std::size_t>(image)].pullDuration;
    if (injector) {  // an injected failure ends the pull early (registry outage) or at its end
      const faults::PullOutcome o = injector->onPull(r.pod, r.container, image, env.now(), d);
      d = o.duration;
      ps.pullFault = o.failed ? o.reason : Reason::None;
    }
    eventAfter<&SimulationImpl::onPullDone>(d, PullKey{r.pod, r.container, node});
  }
  if (n.pullHead == n.pullQueue.size()) {
    n.pullQueue.clear();
    n.pullHead = 0;
  }
}


inline void SimulationImpl::onPullDone(PullKey key) {
  const auto node = key.node;
  NodeState& n = nodes[node];
  --n.activePulls;
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  const std::int32_t image = ps.imageIds[static_cast<std::size_t>(c)];
  const scenario::ImageBehavior& ib = sc.imageBehaviors[static_cast<std::size_t>(image)];
  if (ib.pullError == Reason::None && ps.pullFault == Reason::None) {
    n.imagePresent[static_cast<std::size_t>(image)] = 1;
    event(ps, records::pulled(c, image, ib.pullDuration, env.now() - ps.pullRequestedAt));
    ps.pullFailed = false;
  } else {
    ps.pullFailed = true;
  }
  pumpPulls(node);
  if (ps.mode == WorkerMode::Syncing && ps.wait == Wait::Pull && ps.pulling == c) {
    ps.wait = Wait::None;
    advanceSync(ps);
  }
}

}  // namespace podsim::engine
