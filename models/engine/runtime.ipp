// models/engine/runtime.ipp: the simulated container runtime: processes of container instances, their natural and injected exits (models/faults), the shell interpreter running the compiled scripts (models/scenario/shell), and the Services and endpoints scripts and probes reach.
// Does not own: the kubelet's view of the runtime (pleg.ipp).
#pragma once  // included once, by simulation.cpp

#include <algorithm>
#include <bit>

#include "models/engine/simulation_impl.hpp"

namespace podsim::engine {


// ---- processes ----------------------------------------------------------------------------------

void SimulationImpl::launchProcess(PodState& ps, std::int32_t c, std::int32_t restartCount) {
  Proc& pr = ps.procs[static_cast<std::size_t>(c)];
  pr = Proc{};
  pr.alive = true;
  const scenario::ProcessBehavior& b = behavior(ps, c);
  pr.ignoresSigterm = b.terminationDelay == sim::kForever;
  if (injector) armFault(ps, c);
  if (b.script) {
    pr.pc = 0;
    pr.status = 0;
    pr.wakeEvent = env.scheduleIn(b.startDelay, &SimulationImpl::onShellWake, this, pack(ps.index, c));
    return;
  }
  const scenario::Attempt& at = b.attempt(restartCount);
  if (at.run != sim::kForever) {
    pr.exitEvent = env.scheduleIn(b.startDelay + at.run, &SimulationImpl::onProcessExit, this,
                                  pack(ps.index, c, static_cast<std::uint32_t>(restartCount)));
  }
}


/// Draws this run's injected crash or OOM kill (models/faults) and schedules it; the natural exit,
/// if it comes first, cancels it. The exit goes through processExit like any other.
void SimulationImpl::armFault(PodState& ps, std::int32_t c) {
  const faults::ProcessFailure f = injector->onLaunch(ps.index, c);
  if (f.after == sim::kForever) return;
  const std::uint32_t extra = static_cast<std::uint32_t>(f.exitCode & 0xff) | (f.reason == Reason::OOMKilled ? 0x100u : 0u);
  ps.faultEvents[static_cast<std::size_t>(c)] = env.scheduleIn(f.after, &SimulationImpl::onFaultExit, this, pack(ps.index, c, extra));
}


void SimulationImpl::onFaultExit(void* ctx, std::uint64_t a) {
  auto* self = static_cast<SimulationImpl*>(ctx);
  const std::uint32_t extra = extraOf(a);
  const auto code = static_cast<std::int32_t>(extra & 0xffu);
  self->processExit(self->pods[podOf(a)], containerOf(a), code, (extra & 0x100u) != 0 ? Reason::OOMKilled : Reason::Error);
}


void SimulationImpl::onProcessExit(void* ctx, std::uint64_t a) {
  auto* self = static_cast<SimulationImpl*>(ctx);
  PodState& ps = self->pods[podOf(a)];
  const std::int32_t c = containerOf(a);
  const std::int32_t code = self->behavior(ps, c).attempt(static_cast<std::int32_t>(extraOf(a))).exitCode;
  self->processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
}


void SimulationImpl::onShellWake(void* ctx, std::uint64_t a) {
  auto* self = static_cast<SimulationImpl*>(ctx);
  PodState& ps = self->pods[podOf(a)];
  const std::int32_t c = containerOf(a);
  ps.procs[static_cast<std::size_t>(c)].wakeEvent = {};
  self->runShell(ps, c);
}


/// Interprets the compiled shell script until it sleeps, blocks forever or exits.
void SimulationImpl::runShell(PodState& ps, std::int32_t c) {
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
        pr.wakeEvent = env.scheduleIn(op.value, &SimulationImpl::onShellWake, this, pack(ps.index, c));
        return;
      case K::Exit: {
        const auto code = static_cast<std::int32_t>(op.value & 0xff);
        processExit(ps, c, code, code == 0 ? Reason::Completed : Reason::Error);
        return;
      }
      case K::Status: pr.status = static_cast<std::int32_t>(op.value); break;
      case K::Lookup:
      case K::Connect:
        pr.status = serviceAnswers(op.value, op.kind == K::Connect) ? 0 : 1;
        break;
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


/// Whether Service or endpoint `s` answers now: it exists (declared, external or created) and is not
/// in one of its `down` windows (spec.endpoints). A connection (`connect`: wget/curl/nc, a probe's
/// dependency) to a Service whose selector picks pods of the scenario also needs one of them Ready
/// (its endpoints; pkg/controller/endpointslice); `nslookup` needs only the Service.
bool SimulationImpl::serviceAnswers(std::int64_t s, bool connect) const {
  if (s < 0 || static_cast<std::size_t>(s) >= serviceExists.size()) return false;
  const auto i = static_cast<std::size_t>(s);
  if (serviceExists[i] == 0 || (!sc.services[i].down.empty() && faults::inWindow(sc.services[i].down, env.now()))) return false;
  if (!connect || i >= servingPods.size() || servingPods[i].empty()) return true;
  for (const std::int32_t p : servingPods[i]) {
    const PodState& ps = pods[p];
    const auto& ready = ps.api.conditions[static_cast<std::size_t>(kubelet::ConditionType::Ready)];
    if (ps.created && !ps.removed && !ps.deleting && ready.present && ready.status) return true;
  }
  return false;
}


/// The process of container c's newest instance exits: the runtime records it; the PLEG will see it.
void SimulationImpl::processExit(PodState& ps, std::int32_t c, std::int32_t exitCode, Reason reason) {
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
