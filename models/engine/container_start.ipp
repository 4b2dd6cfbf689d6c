// models/engine/container_start.ipp: one container start (kuberuntime_container.go startContainer): the
// crash-loop back-off check, the image (decided by models/kubelet/images EnsureImageExists), create, start
// and postStart.
// Does not own: the pull queue (image_puller.ipp), the process (runtime.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


/// Starts container c: Started, Failed, or Blocked (on an image pull, a postStart hook, or the kill
/// after a failed postStart); the sync resumes the start where it stopped (ps.startPhase).
inline StartStep SimulationImpl::startContainer(PodState& ps, std::int32_t c) {
  const auto ci = static_cast<std::size_t>(c);
  const api::Container& spec = ps.spec->pod.container(ci);
  const std::int32_t image = ps.imageIds[ci];
  NodeState& node = nodes[ps.node];
  switch (ps.startPhase) {
    case StartPhase::Begin: {
      // 1. Crash-loop back-off (kuberuntime_manager.go doBackOff), measured from FinishedAt.
      if (const kubelet::RuntimeContainerStatus* exited = ps.cache.containers[ci].newestExited()) {
        kubelet::BackoffEntry& e = ps.crash[ci];
        if (e.present && e.specHash != ps.specHash[ci]) e = {};
        const Time ts = exited->finishedAt;
        if (kubelet::isInBackOffSince(e, crashPolicy, ts, env.now())) {
          event(ps, records::restartBackOff(c, e.backoff));
          fail(ps, c, Reason::CrashLoopBackOff, e.backoff, ts + e.backoff, true);
          return StartStep::Failed;
        }
        kubelet::next(e, crashPolicy, ts, env.now());
        e.specHash = ps.specHash[ci];
      }
      // 2. Image (images/image_manager.go EnsureImageExists): a reference that does not parse fails
      //    with InvalidImageName and is retried at every sync, without back-off.
      const bool present = node.imagePresent[static_cast<std::size_t>(image)] != 0;
      const api::PullPolicy policy = spec.imagePullPolicy;
      const bool valid = imageInvalid[static_cast<std::size_t>(image)] == 0;
      // The pull back-off entry is looked up only when a pull is needed, and made only by a failed pull
      // (failPull): a missing entry is not in back-off (isInBackOffSinceUpdate of an absent key).
      const kubelet::BackoffEntry* pullEntry =
          valid && kubelet::shouldPullImage(policy, present) ? findPullBackoff(ps, image) : nullptr;
      const bool inBackOff = pullEntry != nullptr && kubelet::isInBackOffSinceUpdate(*pullEntry, pullPolicy, env.now());
      const kubelet::ImageDecision decision = kubelet::ensureImageExists(valid, policy, present, inBackOff);
      switch (decision) {
        case kubelet::ImageDecision::InvalidImageName: {
          trace::EventRecord ev = containerEvent(api::EventReason::InspectFailed, trace::EventMessage::InspectFailed, c, true);
          ev.image = image;
          event(ps, ev);
          startError(ps, c, Reason::InvalidImageName);
          fail(ps, c, Reason::InvalidImageName, 0, sim::kForever, false);
          return StartStep::Failed;
        }
        case kubelet::ImageDecision::ErrImageNeverPull: {
          trace::EventRecord ev = containerEvent(api::EventReason::ErrImageNeverPull, trace::EventMessage::NeverPull, c, true);
          ev.image = image;
          event(ps, ev);
          startError(ps, c, Reason::ErrImageNeverPull);
          fail(ps, c, Reason::ErrImageNeverPull, 0, sim::kForever, false);
          return StartStep::Failed;
        }
        case kubelet::ImageDecision::UsePresent: {
          trace::EventRecord ev = containerEvent(api::EventReason::Pulled, trace::EventMessage::PulledPresent, c);
          ev.image = image;
          event(ps, ev);
          break;
        }
        case kubelet::ImageDecision::ImagePullBackOff: {
          const kubelet::BackoffEntry& pe = pullBackoff(ps, image);
          trace::EventRecord ev = containerEvent(api::EventReason::BackOff, trace::EventMessage::PullBackOff, c);
          ev.image = image;
          event(ps, ev);
          startError(ps, c, Reason::ImagePullBackOff);
          fail(ps, c, Reason::ImagePullBackOff, pe.backoff, pe.lastUpdate + pe.backoff, false);
          return StartStep::Failed;
        }
        case kubelet::ImageDecision::Pull: break;
      }
      if (decision == kubelet::ImageDecision::UsePresent) break;  // on to create and start
      trace::EventRecord ev = containerEvent(api::EventReason::Pulling, trace::EventMessage::Pulling, c);
      ev.image = image;
      event(ps, ev);
      ps.wait = Wait::Pull;
      ps.pulling = c;
      ps.pullRequestedAt = env.now();
      ps.pullFailed = false;
      ps.startPhase = StartPhase::AwaitPull;
      requestPull(ps.node, ps.index, c);
      return StartStep::Blocked;
    }
    case StartPhase::AwaitPull:  // the pull finished
      ps.pulling = -1;
      if (ps.pullFailed) {
        ps.startPhase = StartPhase::Begin;
        return failPull(ps, c, image);
      }
      break;
    case StartPhase::AwaitPostStart:  // postStart finished
      if (!ps.hookFailed) {
        ps.startPhase = StartPhase::Begin;
        ps.results[ci] = {StartOutcome::Started, Reason::None, 0};
        ps.anyResult = true;
        return StartStep::Started;
      }
      // A failed postStart kills the container, with the pod's grace period and its preStop hook.
      event(ps, containerEvent(api::EventReason::FailedPostStartHook, trace::EventMessage::PostStartFailed, c, true));
      ps.startPhase = StartPhase::AwaitPostStartKill;
      if (killContainer(ps, c, KillReason::FailedPostStartHook, false, podGrace(ps))) {
        ps.wait = Wait::Kill;
        return StartStep::Blocked;
      }
      [[fallthrough]];
    case StartPhase::AwaitPostStartKill:
      ps.startPhase = StartPhase::Begin;
      fail(ps, c, Reason::PostStartHookError, 0, sim::kForever, false);
      return StartStep::Failed;
  }
  ps.startPhase = StartPhase::Begin;
  // 3.-5. restartCount, CreateContainer, StartContainer.
  const kubelet::RuntimeContainerSlot& cached = ps.cache.containers[ci];
  std::int32_t restartCount = cached.hasLatest ? cached.latest.restartCount + 1 : 0;
  // Removed by RestartAllContainers: the count goes on from the logs the kubelet kept (calcRestartCountByLogDir).
  if (!cached.hasLatest && ci < ps.restartsAfterReset.size() && ps.restartsAfterReset[ci] > 0) restartCount = ps.restartsAfterReset[ci];
  kubelet::RuntimeContainerSlot& slot = ps.runtime.containers[ci];
  if (slot.hasLatest) {
    slot.previous = slot.latest;
    slot.hasPrevious = true;
  }
  slot.hasLatest = true;
  slot.latest = kubelet::RuntimeContainerStatus{};
  slot.latest.state = ContainerState::Created;
  slot.latest.createdAt = env.now();
  slot.latest.restartCount = restartCount;
  slot.latest.specHash = ps.specHash[ci];
  slot.latest.imageId = image;
  slot.latest.id = ++nextContainerID;
  slot.latest.sandboxAttempt = static_cast<std::uint16_t>(ps.runtime.sandboxAttempt);
  if (!resizes.empty()) resizeContainerCreated(ps, ci);  // created with the allocated resources
  ps.probes[ci] = {};  // the new container ID has no probe results yet
  ps.keptOnRestart &= ~containerBit(ci);
  ps.readinessUnprobed &= ~containerBit(ci);
  statusInputsChanged(ps, containerBit(ci), false);
  event(ps, containerEvent(api::EventReason::Created, trace::EventMessage::Created, c));
  slot.latest.state = ContainerState::Running;
  slot.latest.startedAt = env.now();
  launchProcess(ps, c, restartCount);
  event(ps, containerEvent(api::EventReason::Started, trace::EventMessage::Started, c));
  markDirty(ps, containerBit(ci));
  wakeProbeWorkers(ps, containerBit(ci));
  // 6. postStart (kuberuntime_container.go startContainer): the sync waits for it.
  const api::LifecycleHandler& postStart = spec.lifecycle.postStart;
  if (postStart.present()) {
    const scenario::HookBehavior& hb = behavior(ps, c).postStart;
    hookRecord(ps, c, trace::HookKind::PostStart, trace::HookState::Started);
    if (hb.script && postStart.kind == api::HandlerKind::Exec) {
      ps.hookFailed = false;
      ps.startPhase = StartPhase::AwaitPostStart;
      ps.wait = Wait::PostStart;
      startHookScript(ps, c, *hb.script, false);
      return StartStep::Blocked;
    }
    const Time d = postStart.kind == api::HandlerKind::Sleep ? postStart.sleepSeconds * kSecond : hb.duration;
    ps.hookFailed = hb.fails && postStart.kind != api::HandlerKind::Sleep;
    ps.startPhase = StartPhase::AwaitPostStart;
    ps.wait = Wait::PostStart;
    if (d != sim::kForever) eventAfter<&SimulationImpl::onPostStartDone>(d, ContainerKey{ps.index, c});
    return StartStep::Blocked;
  }
  ps.results[ci] = {StartOutcome::Started, Reason::None, 0};
  ps.anyResult = true;
  return StartStep::Started;
}


inline void SimulationImpl::onPostStartDone(ContainerKey key) {
  PodState& ps = pods[key.pod];
  hookRecord(ps, key.container, trace::HookKind::PostStart, ps.hookFailed ? trace::HookState::Failed : trace::HookState::Finished);
  if (ps.mode != WorkerMode::Syncing || ps.wait != Wait::PostStart) return;
  ps.wait = Wait::None;
  advanceSync(ps);
}


inline void SimulationImpl::startError(PodState& ps, std::int32_t c, Reason reason) {
  trace::EventRecord ev = containerEvent(api::EventReason::Failed, trace::EventMessage::StartError, c, true);
  ev.detail = reason;
  event(ps, ev);
}


inline const kubelet::BackoffEntry* SimulationImpl::findPullBackoff(const PodState& ps, std::int32_t image) {
  for (const auto& b : ps.pullBackoffs) {
    if (b.image == image) return &b.entry;
  }
  return nullptr;
}


inline kubelet::BackoffEntry& SimulationImpl::pullBackoff(PodState& ps, std::int32_t image) {
  for (auto& b : ps.pullBackoffs) {
    if (b.image == image) return b.entry;
  }
  ps.pullBackoffs.push_back({image, {}});
  return ps.pullBackoffs.back().entry;
}


inline StartStep SimulationImpl::failPull(PodState& ps, std::int32_t c, std::int32_t image) {
  const scenario::ImageBehavior& ib = sc.imageBehaviors[static_cast<std::size_t>(image)];
  // The scenario's declared pull error, else the injected one (models/faults).
  const Reason err = ib.pullError != Reason::None ? ib.pullError : ps.pullFault;
  ps.pullFault = Reason::None;
  event(ps, records::pullFailed(c, image, err, ib.pullError == Reason::None));
  kubelet::BackoffEntry& pe = pullBackoff(ps, image);
  kubelet::next(pe, pullPolicy, env.now(), env.now());
  const Reason r = err == Reason::RegistryUnavailable ? Reason::RegistryUnavailable : Reason::ErrImagePull;
  startError(ps, c, r);
  fail(ps, c, r, pe.backoff, pe.lastUpdate + pe.backoff, false);
  ps.pullFailedThisSync = true;
  return StartStep::Failed;
}

}  // namespace podsim::engine
