// models/graph/lint.cpp: the six lint findings and their sentences (kubelet-semantics §4, §6, §7, §11).
#include "models/graph/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "models/graph/dependency_graph.hpp"

namespace podsim::graph {
namespace {

using sim::kForever;
using sim::kSecond;
using sim::Time;

/// Seconds for a sentence: "30 s", "2.5 s", "never" for kForever.
std::string seconds(Time t) {
  if (t >= kForever) return "never";
  std::string s = fmt::format("{:.3f}", sim::toSeconds(t));
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + " s";
}

/// `spec.initContainers[i]` or `spec.containers[j]` for the unified index c.
std::string containerPath(const api::Pod& pod, std::size_t c) {
  return c < pod.initContainers.size() ? fmt::format("spec.initContainers[{}]", c)
                                       : fmt::format("spec.containers[{}]", c - pod.initContainers.size());
}

/// Where the script of a container is written: `command` (or `args` when only args are given).
std::string scriptPath(const api::Pod& pod, std::size_t c) {
  return containerPath(pod, c) + (pod.container(c).command.empty() ? ".args" : ".command");
}

std::string_view handlerName(api::HandlerKind k) {
  switch (k) {
    case api::HandlerKind::Exec: return "exec";
    case api::HandlerKind::HttpGet: return "httpGet";
    case api::HandlerKind::TcpSocket: return "tcpSocket";
    case api::HandlerKind::Grpc: return "grpc";
    case api::HandlerKind::Sleep: return "sleep";
    case api::HandlerKind::None: break;
  }
  return "none";
}

std::string podList(const scenario::Scenario& sc, const std::vector<std::int32_t>& pods) {
  std::string s;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (i > 0) s += i + 1 == pods.size() ? " and " : ", ";
    s += sc.pods[static_cast<std::size_t>(pods[i])].pod.name;
  }
  return s;
}

/// Where a wait of a cycle is written: the script, or the probe whose behaviour `dependsOn` the Service.
std::string linkPath(const api::Pod& pod, const WaitLink& l) {
  const auto c = static_cast<std::size_t>(l.container);
  switch (l.via) {
    case WaitVia::Script: return scriptPath(pod, c);
    case WaitVia::StartupProbe: return containerPath(pod, c) + ".startupProbe";
    case WaitVia::ReadinessProbe: return containerPath(pod, c) + ".readinessProbe";
  }
  return containerPath(pod, c);
}

/// "init container X waits for Service S" or "the readiness probe of X depends on Service S (behaviors ...)".
std::string linkWait(const scenario::Scenario& sc, const api::Pod& pod, const WaitLink& l, bool withPod) {
  const auto& ctr = pod.container(static_cast<std::size_t>(l.container));
  const auto& svc = sc.services[static_cast<std::size_t>(l.service)].name;
  const std::string of = withPod ? " of pod " + pod.name : "";
  if (l.via == WaitVia::Script) {
    const bool init = pod.containerType(static_cast<std::size_t>(l.container)) == api::ContainerType::Init;
    return fmt::format("{} {}{} waits for Service {}", init ? "init container" : "container", ctr.name, of, svc);
  }
  const char* probe = l.via == WaitVia::StartupProbe ? "startup" : "readiness";
  return fmt::format("the {} probe of {}{} depends on Service {} (behaviors probes.{}.dependsOn)", probe, ctr.name, of,
                     svc, probe);
}

Finding make(FindingKind kind, const api::Pod& pod, std::string path, const api::SourceLocation& where, std::string msg) {
  return Finding{kind, pod.name, std::move(path), where, std::move(msg)};
}

// (1) and (2): waits that can never resolve. kubelet-semantics §3 (init containers run to completion
// before the pod can be Ready) and interface.md §1 (wget/curl/nc need a ready endpoint).
void waitFindings(const scenario::Scenario& sc, const DependencyGraph& g, std::vector<Finding>& out) {
  for (const WaitCycle& cyc : g.waitCycles()) {
    if (cyc.pods.size() == 1) {
      for (const WaitLink& l : cyc.links) {
        const api::Pod& pod = sc.pods[static_cast<std::size_t>(l.pod)].pod;
        const auto& ctr = pod.container(static_cast<std::size_t>(l.container));
        const bool onlyOwn = l.servingPods.size() == 1;
        const std::string who = onlyOwn ? "only this pod could serve (its selector matches no other pod)"
                                        : "no other pod that can become Ready could serve";
        const std::string why =
            l.via == WaitVia::Script
                ? fmt::format("the pod cannot become Ready before its init containers finish, so the Service never "
                              "gets an endpoint and {} waits forever.",
                              ctr.name)
                : fmt::format("the pod cannot become Ready before {} is, so the Service never gets an endpoint and the "
                              "probe never passes.",
                              ctr.name);
        out.push_back(make(FindingKind::WaitsForOwnService, pod, linkPath(pod, l), ctr.where,
                           fmt::format("{}, which {}; {}", linkWait(sc, pod, l, false), who, why)));
      }
      continue;
    }
    // One finding per cycle, at its first link; the sentence walks the whole cycle.
    std::string chain;
    for (std::size_t i = 0; i < cyc.links.size(); ++i) {
      const WaitLink& l = cyc.links[i];
      const api::Pod& pod = sc.pods[static_cast<std::size_t>(l.pod)].pod;
      if (i > 0) chain += "; ";
      chain += fmt::format("{}, which only {} could serve", linkWait(sc, pod, l, true), podList(sc, l.servingPods));
    }
    const WaitLink& first = cyc.links.front();
    const bool scriptsOnly = std::all_of(cyc.links.begin(), cyc.links.end(), [](const WaitLink& l) { return l.via == WaitVia::Script; });
    const api::Pod& pod = sc.pods[static_cast<std::size_t>(first.pod)].pod;
    out.push_back(make(FindingKind::WaitCycle, pod, linkPath(pod, first),
                       pod.container(static_cast<std::size_t>(first.container)).where,
                       fmt::format("a cycle of waits: {}. A pod gets no endpoint before {}, "
                                   "so none of {} can ever become Ready.",
                                   chain, scriptsOnly ? "its init containers finish" : "it is Ready",
                                   podList(sc, cyc.pods))));
  }
}

// (3) §8.7 and §4 rule 10: with restartPolicy Never/OnFailure the pod completes only when every
// regular container is done; a helper that runs forever beside a task keeps it Running for good.
void sidecarFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  if (pod.restartPolicy == api::RestartPolicy::Always) return;
  std::optional<std::size_t> exiting;
  std::vector<std::size_t> forever;
  for (std::size_t c = pod.initContainers.size(); c < pod.containerCount(); ++c) {
    if (firstRunEnding(e.behaviors[c]) == Ending::Exits) {
      if (!exiting) exiting = c;
    } else {
      forever.push_back(c);
    }
  }
  if (!exiting) return;
  const std::string policy = pod.restartPolicy == api::RestartPolicy::Never ? "Never" : "OnFailure";
  for (const std::size_t c : forever) {
    const auto& ctr = pod.container(c);
    out.push_back(make(
        FindingKind::SidecarAsRegularContainer, pod, containerPath(pod, c), ctr.where,
        fmt::format("pod {} has restartPolicy {} and is meant to complete when {} exits, but the regular container {} "
                    "runs forever, so the pod never completes. If {} is a helper, declare it a sidecar: move it to "
                    "initContainers with restartPolicy: Always (Kubernetes 1.29+), and it is stopped when the "
                    "regular containers are done.",
                    pod.name, policy, pod.container(*exiting).name, ctr.name, ctr.name)));
  }
}

// (4) §7: a startup probe tolerates failures for at most initialDelaySeconds + failureThreshold x
// periodSeconds after the container starts (the last counted tick comes before that), then the
// kubelet kills the container.
void startupFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    if (!ctr.startupProbe) continue;
    const api::Probe& p = *ctr.startupProbe;
    const scenario::ProcessBehavior& b = e.behaviors[c];
    const Time budget = (static_cast<Time>(p.initialDelaySeconds) +
                         static_cast<Time>(p.failureThreshold) * static_cast<Time>(p.periodSeconds)) * kSecond;
    const Time need = std::max(b.startDelay, b.startup.succeedAfter);
    const std::string window =
        fmt::format("{} (initialDelaySeconds {} + failureThreshold {} x periodSeconds {})", seconds(budget),
                    p.initialDelaySeconds, p.failureThreshold, p.periodSeconds);
    std::string why;
    if (b.startup.duration > static_cast<Time>(p.timeoutSeconds) * kSecond) {
      why = fmt::format("each check takes {} (behaviors probes.startup.duration), longer than timeoutSeconds {}, so "
                        "every check times out",
                        seconds(b.startup.duration), p.timeoutSeconds);
    } else if (need >= kForever) {
      why = "the container never answers it (behaviors probes.startup.succeedAfter: never)";
    } else if (b.startup.failAfter <= need) {
      why = fmt::format("the container's probe starts failing at {}, before it could first succeed at {}",
                        seconds(b.startup.failAfter), seconds(need));
    } else if (need >= budget) {
      why = fmt::format("the container answers it only {} after it starts ({})", seconds(need),
                        b.startDelay >= b.startup.succeedAfter ? "behaviors startDelay"
                                                               : "behaviors probes.startup.succeedAfter");
    } else {
      continue;
    }
    out.push_back(make(FindingKind::StartupProbeCannotPass, pod, containerPath(pod, c) + ".startupProbe", ctr.where,
                       fmt::format("the startup probe of {} gives up within {}, but {}: the kubelet kills {} "
                                   "before it ever starts, on every run.",
                                   ctr.name, window, why, ctr.name)));
  }
}

// (5) §6 rule 4 and §11.1: the kubelet waits for preStop at most the grace period, then stops the
// container with a 2 s minimum: the rest of the hook is cut off by SIGKILL.
void preStopFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  const std::int64_t grace = pod.terminationGracePeriodSeconds;
  if (grace <= 0) return;  // no preStop runs with a zero grace period
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    const api::LifecycleHandler& h = ctr.lifecycle.preStop;
    if (!h.present()) continue;
    Time hook = 0;
    std::string source;
    if (h.kind == api::HandlerKind::Sleep) {
      hook = h.sleepSeconds * kSecond;
      source = fmt::format("sleep {} s", h.sleepSeconds);
    } else {
      hook = e.behaviors[c].preStop.duration;
      source = fmt::format("{} hook taking {} (behaviors hooks.preStop.duration)", handlerName(h.kind), seconds(hook));
    }
    if (hook <= grace * kSecond) continue;
    out.push_back(make(FindingKind::PreStopLongerThanGrace, pod, containerPath(pod, c) + ".lifecycle.preStop",
                       ctr.where,
                       fmt::format("the preStop hook of {} ({}) is longer than the pod's terminationGracePeriodSeconds "
                                   "{}: the kubelet stops waiting for it after {} s and SIGKILLs {} about 2 s later, "
                                   "so the hook never finishes. Raise terminationGracePeriodSeconds or shorten the hook.",
                                   ctr.name, source, grace, grace, ctr.name)));
  }
}

// (6) §7 rules 10-11: liveness Failure kills, readiness Failure only takes the pod out of the Service.
// Identical probes fail together: a slow dependency then restarts the container.
void probeFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    if (!ctr.livenessProbe || !ctr.readinessProbe) continue;
    const api::Probe& l = *ctr.livenessProbe;
    const api::Probe& r = *ctr.readinessProbe;
    if (l.kind != r.kind || l.initialDelaySeconds != r.initialDelaySeconds || l.periodSeconds != r.periodSeconds ||
        l.timeoutSeconds != r.timeoutSeconds || l.failureThreshold != r.failureThreshold ||
        l.successThreshold != r.successThreshold) {
      continue;
    }
    out.push_back(make(FindingKind::LivenessEqualsReadiness, pod, containerPath(pod, c) + ".livenessProbe", ctr.where,
                       fmt::format("the liveness probe of {} is the readiness probe again ({} handler, periodSeconds "
                                   "{}, timeoutSeconds {}, failureThreshold {}): when a dependency is slow both fail "
                                   "together, and the kubelet restarts {} instead of only taking it out of the "
                                   "Service. Make liveness check only the process itself, with a longer period or "
                                   "higher failureThreshold.",
                                   ctr.name, handlerName(l.kind), l.periodSeconds, l.timeoutSeconds,
                                   l.failureThreshold, ctr.name)));
  }
}

// (7) A memory-use behaviour above the container's memory limit from the start: the kernel's OOM killer
// ends every run at once (reason OOMKilled, exit code 137), and the kubelet restarts it under back-off.
void memoryFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    const auto& m = e.behaviors[c].memory;
    const std::int64_t limit = ctr.resources.limits.memoryBytes;
    if (m.useBytes < 0 || limit < 0 || m.useBytes <= limit) continue;
    const auto mib = [](std::int64_t b) {
      std::string s = fmt::format("{:.1f}", static_cast<double>(b) / (1024.0 * 1024.0));
      if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
      return s + "Mi";
    };
    out.push_back(make(FindingKind::OutOfMemoryAtStart, pod, containerPath(pod, c) + ".resources.limits.memory", ctr.where,
                       fmt::format("{} uses {} from the start (behaviors memory.use) but its memory limit is {}: the "
                                   "kernel OOM-kills it as soon as it starts (OOMKilled, exit code 137), on every run. "
                                   "Raise the limit above what the process needs.",
                                   ctr.name, mib(m.useBytes), mib(limit))));
  }
}

}  // namespace

std::string_view toString(FindingKind kind) noexcept {
  switch (kind) {
    case FindingKind::WaitCycle: return "wait-cycle";
    case FindingKind::WaitsForOwnService: return "waits-for-own-service";
    case FindingKind::SidecarAsRegularContainer: return "sidecar-as-regular-container";
    case FindingKind::StartupProbeCannotPass: return "startup-probe-cannot-pass";
    case FindingKind::PreStopLongerThanGrace: return "prestop-longer-than-grace";
    case FindingKind::LivenessEqualsReadiness: return "liveness-equals-readiness";
    case FindingKind::OutOfMemoryAtStart: return "out-of-memory-at-start";
  }
  return "unknown";
}

std::vector<Finding> lintScenario(const scenario::Scenario& sc) {
  const DependencyGraph g(sc);
  std::vector<Finding> waits;
  waitFindings(sc, g, waits);
  std::vector<Finding> out;
  for (const auto& e : sc.pods) {
    for (const auto& f : waits) {
      if (f.pod == e.pod.name) out.push_back(f);
    }
    sidecarFindings(e, out);
    startupFindings(e, out);
    preStopFindings(e, out);
    probeFindings(e, out);
    memoryFindings(e, out);
  }
  return out;
}

std::string formatFinding(const Finding& f) {
  std::string s;
  if (f.where.line > 0) s = fmt::format("{}:{}:{}: ", f.where.file, f.where.line, f.where.column);
  s += fmt::format("pod {}: {}: {} [{}]", f.pod, f.fieldPath, f.message, toString(f.kind));
  return s;
}

}  // namespace podsim::graph
