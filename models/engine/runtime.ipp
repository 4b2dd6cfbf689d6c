// models/engine/runtime.ipp: the simulated container runtime: processes of container instances, their natural
// and injected exits (models/faults), the shell interpreter running the compiled scripts
// (models/scenario/shell), and the Services and endpoints scripts and probes reach.
// Does not own: the kubelet's view of the runtime (pleg.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


// ---- processes ----------------------------------------------------------------------------------

inline void SimulationImpl::launchProcess(PodState& ps, std::int32_t c, std::int32_t restartCount) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  pr = Proc{};
  pr.alive = true;
  const scenario::ProcessBehavior& b = behavior(ps, c);
  pr.ignoresSigterm = b.terminationDelay == sim::kForever;
  if (injector) armFault(ps, c);
  if (b.script) {
    pr.pc = 0;
    pr.status = 0;
    pr.wakeEvent = eventAfter<&SimulationImpl::onShellWake>(b.startDelay, ContainerKey{ps.index, c});
    return;
  }
  const scenario::Attempt& at = b.attempt(restartCount);
  if (at.run != sim::kForever) {
    pr.exitEvent = eventAfter<&SimulationImpl::onProcessExit>(b.startDelay + at.run, ProcessExitKey{ps.index, c, restartCount});
  }
}


/// Draws this run's injected crash or OOM kill (models/faults) and schedules it; the natural exit,
/// if it comes first, cancels it. The exit goes through processExit like any other.
inline void SimulationImpl::armFault(PodState& ps, std::int32_t c) {
  const faults::ProcessFailure f = injector->onLaunch(ps.index, c);
  if (f.after == sim::kForever) return;
  ps.faultEvents[static_cast<std::size_t>(c)] =
      eventAfter<&SimulationImpl::onFaultExit>(f.after, FaultExitKey{ps.index, c, f.exitCode, f.reason == Reason::OOMKilled});
}


inline void SimulationImpl::onFaultExit(FaultExitKey key) {
  processExit(pods[key.pod], key.container, key.exitCode, key.oomKilled ? Reason::OOMKilled : Reason::Error);
}


inline void SimulationImpl::onProcessExit(ProcessExitKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  const std::int32_t code = behavior(ps, c).attempt(key.restartCount).exitCode;
  processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
}


inline void SimulationImpl::onShellWake(ContainerKey key) {
  PodState& ps = pods[key.pod];
  const std::int32_t c = key.container;
  ps.procs[static_cast<std::size_t>(c)].wakeEvent = {};
  runShell(ps, c);
}


/// Interprets the compiled shell script until it sleeps, blocks forever or exits.
inline void SimulationImpl::runShell(PodState& ps, std::int32_t c) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  const scenario::ShellProgram& prog = *behavior(ps, c).script;
  if (pr.stepsAt != env.now()) {
    pr.stepsAt = env.now();
    pr.steps = 0;
  }
  using K = scenario::ShellOp::Kind;
  while (pr.alive) {
    if (pr.pc < 0 || static_cast<std::size_t>(pr.pc) >= prog.ops.size()) {
      processExit(ps, c, pr.status, pr.status == 0 ? Reason::Completed : Reason::Error);
      return;
    }
    if (++pr.steps > kShellStepsPerInstant) return;  // a loop that never sleeps: spins forever
    const scenario::ShellOp& op = prog.ops[static_cast<std::size_t>(pr.pc)];
    ++pr.pc;
    switch (op.kind) {
      case K::Sleep:
        pr.status = 0;
        pr.wakeEvent = eventAfter<&SimulationImpl::onShellWake>(op.value, ContainerKey{ps.index, c});
        return;
      case K::Exit: {
        const auto code = static_cast<std::int32_t>(op.value & 0xff);
        processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
        return;
      }
      case K::Status:
        pr.status = static_cast<std::int32_t>(op.value);
        if (op.out >= 0 && trace.stored()) writeLog(ps, c, prog, prog.outputs[static_cast<std::size_t>(op.out)].ok);
        break;
      case K::Lookup:
      case K::Connect: {
        const Reach reach = serviceReach(op.value, op.kind == K::Connect);
        pr.status = reach == Reach::Answers ? 0 : 1;
        if (op.out >= 0 && trace.stored()) {
          const scenario::ShellOutput& o = prog.outputs[static_cast<std::size_t>(op.out)];
          writeLog(ps, c, prog, reach == Reach::Answers ? o.ok : reach == Reach::NoName ? o.noName : o.refused);
        }
        break;
      }
      case K::Jump: pr.pc = static_cast<std::int32_t>(op.value); break;
      case K::JumpIfZero:
        if (pr.status == 0) pr.pc = static_cast<std::int32_t>(op.value);
        break;
      case K::JumpIfNonZero:
        if (pr.status != 0) pr.pc = static_cast<std::int32_t>(op.value);
        break;
      case K::Forever: return;
    }
  }
}


// ---- exec lifecycle hooks ----------------------------------------------------------------------

/// Starts an exec hook's command in container c (pkg/kubelet/lifecycle/handlers.go Run: RunInContainer), at
/// the next step of this instant so that the caller's own step ends first. Its end calls hookScriptEnded.
inline void SimulationImpl::startHookScript(PodState& ps, std::int32_t c, const scenario::ShellProgram& prog, bool preStop) {
  // Made at the pod's first exec hook: pods without one (most of a fleet) keep no HookRun at all.
  if (ps.hookRuns.empty()) ps.hookRuns.assign(ps.spec->pod.containerCount(), {});
  HookRun& hr = ps.hookRuns[static_cast<std::size_t>(c)];
  env.cancel(hr.wakeEvent);
  releaseHookOutput(hr);
  hr = HookRun{};
  hr.prog = &prog;
  hr.active = true;
  hr.preStop = preStop;
  hr.wakeEvent = eventAfter<&SimulationImpl::onHookWake>(0, ContainerKey{ps.index, c});
}


inline void SimulationImpl::onHookWake(ContainerKey key) {
  PodState& ps = pods[key.pod];
  ps.hookRuns[static_cast<std::size_t>(key.container)].wakeEvent = {};
  runHook(ps, key.container);
}


/// Interprets the hook's program as runShell does a container's, until it sleeps, blocks or ends. What it
/// writes goes to the kubelet (the hook's output), not to the container's log.
inline void SimulationImpl::runHook(PodState& ps, std::int32_t c) {
  HookRun& hr = ps.hookRuns[static_cast<std::size_t>(c)];
  const scenario::ShellProgram& prog = *hr.prog;
  if (hr.stepsAt != env.now()) {
    hr.stepsAt = env.now();
    hr.steps = 0;
  }
  using K = scenario::ShellOp::Kind;
  while (hr.active) {
    if (hr.pc < 0 || static_cast<std::size_t>(hr.pc) >= prog.ops.size()) {
      hookScriptEnded(ps, c, hr.status);
      return;
    }
    if (++hr.steps > kShellStepsPerInstant) return;  // spins forever: the hook never ends
    const scenario::ShellOp& op = prog.ops[static_cast<std::size_t>(hr.pc)];
    ++hr.pc;
    switch (op.kind) {
      case K::Sleep:
        hr.status = 0;
        hr.wakeEvent = eventAfter<&SimulationImpl::onHookWake>(op.value, ContainerKey{ps.index, c});
        return;
      case K::Exit:
        hookScriptEnded(ps, c, static_cast<std::int32_t>(op.value & 0xff));
        return;
      case K::Status:
        hr.status = static_cast<std::int32_t>(op.value);
        if (op.out >= 0 && trace.stored()) hookOutput(hr, prog, prog.outputs[static_cast<std::size_t>(op.out)].ok);
        break;
      case K::Lookup:
      case K::Connect: {
        const Reach reach = serviceReach(op.value, op.kind == K::Connect);
        hr.status = reach == Reach::Answers ? 0 : 1;
        if (op.out >= 0 && trace.stored()) {
          const scenario::ShellOutput& o = prog.outputs[static_cast<std::size_t>(op.out)];
          hookOutput(hr, prog, reach == Reach::Answers ? o.ok : reach == Reach::NoName ? o.noName : o.refused);
        }
        break;
      }
      case K::Jump: hr.pc = static_cast<std::int32_t>(op.value); break;
      case K::JumpIfZero:
        if (hr.status == 0) hr.pc = static_cast<std::int32_t>(op.value);
        break;
      case K::JumpIfNonZero:
        if (hr.status != 0) hr.pc = static_cast<std::int32_t>(op.value);
        break;
      case K::Forever: return;
    }
  }
}


/// Keeps the lines `range` of `prog` that a hook's command wrote: the kubelet gets them (RunInContainer's
/// output), not the container's log.
inline void SimulationImpl::hookOutput(HookRun& hr, const scenario::ShellProgram& prog, scenario::LogRange range) {
  if (range.count <= 0) return;
  if (hr.outBuf < 0) {
    if (freeHookOut.empty()) {
      hr.outBuf = static_cast<std::int32_t>(hookOut.size());
      hookOut.emplace_back();
    } else {
      hr.outBuf = freeHookOut.back();
      freeHookOut.pop_back();
    }
  }
  auto& out = hookOut[static_cast<std::size_t>(hr.outBuf)];
  for (std::int32_t i = 0; i < range.count; ++i) {
    const scenario::LogLine& l = prog.lines[static_cast<std::size_t>(range.first + i)];
    out.push_back({l.text, l.stream == scenario::LogStream::Stderr});
  }
}


/// Gives the hook's output buffer back (kept with its capacity for the next hook that writes).
inline void SimulationImpl::releaseHookOutput(HookRun& hr) {
  if (hr.outBuf < 0) return;
  hookOut[static_cast<std::size_t>(hr.outBuf)].clear();
  freeHookOut.push_back(hr.outBuf);
  hr.outBuf = -1;
}


/// The hook's command exited with `status`: non-zero is the handler's error (FailedPostStartHook /
/// FailedPreStopHook). Source: pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer, executePreStopHook.
inline void SimulationImpl::hookScriptEnded(PodState& ps, std::int32_t c, std::int32_t status) {
  HookRun& hr = ps.hookRuns[static_cast<std::size_t>(c)];
  hr.active = false;
  hr.status = status;  // the exit code, for the handler's message
  env.cancel(hr.wakeEvent);
  if (hr.preStop) {
    Proc& pr = ps.procs[static_cast<std::size_t>(c)];
    if (pr.kill != KillPhase::PreStop) return;  // cut by the grace period or the process already gone
    env.cancel(pr.killTimer);
    onPreStopDone(PreStopKey{ps.index, c, status != 0});
    return;
  }
  ps.hookFailed = status != 0;
  onPostStartDone(ContainerKey{ps.index, c});
}


/// Abandons container c's running hook command (its preStop cut by the grace period).
inline void SimulationImpl::stopHookScript(PodState& ps, std::int32_t c) {
  if (ps.hookRuns.empty()) return;  // no exec hook ever ran in this pod
  HookRun& hr = ps.hookRuns[static_cast<std::size_t>(c)];
  if (!hr.active) return;
  hr.active = false;
  env.cancel(hr.wakeEvent);
}


/// Whether Service or endpoint `s` answers now: it exists (declared, external or created) and is not
/// in one of its `down` windows (spec.endpoints). A connection (`connect`: wget/curl/nc, a probe's
/// dependency) to a Service whose selector picks pods of the scenario also needs one of them Ready
/// (its endpoints; pkg/controller/endpointslice); `nslookup` needs only the Service.
inline bool SimulationImpl::serviceAnswers(std::int64_t s, bool connect) const {
  return serviceReach(s, connect) == Reach::Answers;
}


/// As serviceAnswers, saying why not: the name does not resolve (no Service, or a `down` window), or it
/// resolves but no Ready pod backs it (kube-proxy rejects the connection: "Connection refused").
inline SimulationImpl::Reach SimulationImpl::serviceReach(std::int64_t s, bool connect) const {
  if (s < 0 || static_cast<std::size_t>(s) >= serviceExists.size()) return Reach::NoName;
  const auto i = static_cast<std::size_t>(s);
  if (serviceExists[i] == 0 || (!sc.services[i].down.empty() && faults::inWindow(sc.services[i].down, env.now()))) return Reach::NoName;
  if (!connect || i >= servingPods.size() || servingPods[i].empty()) return Reach::Answers;
  for (const std::int32_t p : servingPods[i]) {
    const PodState& ps = pods[p];
    const auto& ready = ps.api.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
    if (ps.created && !ps.removed && !ps.deleting && ready.present && ready.status) return Reach::Answers;
  }
  return Reach::Refused;
}


/// Appends the lines `range` of `prog` to container c's log, as its current run (trace `Log` records).
/// Called only when the trace is stored: no work otherwise.
inline void SimulationImpl::writeLog(PodState& ps, std::int32_t c, const scenario::ShellProgram& prog, scenario::LogRange range) {
  const std::int32_t restartCount = ps.runtime.containers[static_cast<std::size_t>(c)].latest.restartCount;
  for (std::int32_t k = 0; k < range.count; ++k) {
    const scenario::LogLine& l = prog.lines[static_cast<std::size_t>(range.first + k)];
    trace.log(env.now(), ps.index, trace::LogRecord{c, restartCount, l.text, l.stream == scenario::LogStream::Stderr});
  }
}


/// The process of container c's newest instance exits: the runtime records it; the PLEG will see it.
inline void SimulationImpl::processExit(PodState& ps, std::int32_t c, std::int32_t exitCode, Reason reason) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  if (!pr.alive) return;
  pr.alive = false;
  pr.kill = KillPhase::None;
  env.cancel(pr.exitEvent);
  env.cancel(pr.wakeEvent);
  env.cancel(pr.killTimer);
  if (injector) env.cancel(ps.faultEvents[static_cast<std::size_t>(c)]);
  kubelet::RuntimeContainerStatus& s = ps.runtime.containers[static_cast<std::size_t>(c)].latest;
  s.state = ContainerState::Exited;
  s.exitCode = exitCode;
  s.reason = reason;
  s.finishedAt = env.now();
  markDirty(ps, containerBit(static_cast<std::size_t>(c)));
  wakeProbeWorkers(ps, containerBit(static_cast<std::size_t>(c)));
  releaseOrderedSidecars(ps);
  if (pr.killWaiter) {
    pr.killWaiter = false;
    if (--ps.pendingKills == 0) {
      if (ps.mode == WorkerMode::Syncing && ps.wait == Wait::Kill) {
        ps.wait = Wait::None;
        advanceSync(ps);
      } else if (ps.mode == WorkerMode::Terminating) {
        finishTerminating(ps);
      }
    }
  }
}

}  // namespace podsim::engine
