// models/graph/lint.cpp: the lint findings and their sentences (kubelet-semantics §3, §4, §6, §7, §8, §11).
#include "models/graph/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "models/graph/dependency_graph.hpp"
#include "models/graph/script_walk.hpp"
#include "models/scenario/duration.hpp"
#include "models/scenario/image_catalogue.hpp"
#include "models/scenario/shell.hpp"

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

// ---------------------------------------------------------------- issue 14 item 7

/// Services that exist at some moment of the run: a Service document, an endpoint (spec.endpoints) or a
/// createService action. A name only a script or a dependsOn mentions is none of these.
std::vector<char> createdServices(const scenario::Scenario& sc) {
  std::vector<char> created(sc.services.size(), 0);
  for (std::size_t i = 0; i < sc.services.size(); ++i) {
    created[i] = sc.services[i].existsAtStart || sc.services[i].external ? 1 : 0;
  }
  for (const auto& a : sc.actions) {
    if (a.kind == scenario::ActionKind::CreateService && a.service >= 0) created[static_cast<std::size_t>(a.service)] = 1;
  }
  return created;
}

/// "a", "a and b", "a, b and c".
std::string andList(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += i + 1 == names.size() ? " and " : ", ";
    s += names[i];
  }
  return s;
}

/// What the kubelet does when container c fails on every run with exit code 2, as kubectl shows it.
/// Source: pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions (restart decisions),
/// pkg/kubelet/kuberuntime/kuberuntime_container.go (init containers under restartPolicy Never fail the pod).
std::string failureOutcome(const api::Pod& pod, std::size_t c) {
  const auto type = pod.containerType(c);
  if (type == api::ContainerType::Init) {
    return pod.restartPolicy == api::RestartPolicy::Never
               ? "the pod fails at once (Init:Error, phase Failed)"
               : "it fails on every run (Init:Error, then Init:CrashLoopBackOff) and the app containers never start";
  }
  if (type == api::ContainerType::Regular && pod.restartPolicy == api::RestartPolicy::Never) {
    return "it ends in Error and the pod fails";
  }
  return "it fails on every run (Error, then CrashLoopBackOff)";
}

/// `Init:i/N` as kubectl prints it while init container i waits (printers.go printPod), or empty when the
/// pod has sidecars (kubectl then counts differently).
std::string initStatus(const api::Pod& pod, std::size_t c) {
  for (std::size_t i = 0; i < pod.initContainers.size(); ++i) {
    if (pod.containerType(i) == api::ContainerType::Sidecar) return {};
  }
  return fmt::format("Init:{}/{}", c, pod.initContainers.size());
}

/// The tools of a script that connect (wget, curl, nc), as written, for a sentence; "wget, curl or nc"
/// when none is found by name.
std::string connectTools(const std::string& source) {
  std::vector<std::string> found;
  for (const char* tool : {"wget", "curl", "nc"}) {
    const std::string t(tool);
    for (std::size_t at = source.find(t); at != std::string::npos; at = source.find(t, at + 1)) {
      const bool startOk = at == 0 || std::string(" \t;&|(`'\"").find(source[at - 1]) != std::string::npos;
      const std::size_t end = at + t.size();
      const bool endOk = end == source.size() || std::string(" \t;&|)`'\"").find(source[end]) != std::string::npos;
      if (startOk && endOk) {
        found.push_back(t);
        break;
      }
    }
  }
  if (found.empty()) return "wget, curl or nc";
  std::string s;
  for (std::size_t i = 0; i < found.size(); ++i) s += (i == 0 ? "" : i + 1 == found.size() ? " or " : ", ") + found[i];
  return s;
}

// (8) An init container that loops until a Service answers, where nothing ever creates the Service:
// kubelet-semantics §3 (init containers run in order, each to completion, before the app containers)
// and interface.md §1 (nslookup needs the Service to exist; wget/curl/nc a ready endpoint).
void neverCreatedFindings(const scenario::Scenario& sc, const scenario::PodEntry& e, const std::vector<char>& created,
                          std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.initContainers.size(); ++c) {
    if (pod.containerType(c) != api::ContainerType::Init || !e.behaviors[c].script) continue;
    const auto& program = *e.behaviors[c].script;
    // Walk again with each Service found missing taken as created, so that `until nslookup a && nslookup
    // b` names both a and b: the loop needs every one of them.
    std::vector<std::int32_t> missing;
    for (std::size_t round = 0; round <= sc.services.size(); ++round) {
      const ScriptWalk w = walkScript(program, [&](std::int32_t s) {
        return created[static_cast<std::size_t>(s)] != 0 || std::find(missing.begin(), missing.end(), s) != missing.end();
      });
      if (w.end != ScriptWalk::End::Loops || w.failingWaitsInLoop.empty()) break;
      missing.insert(missing.end(), w.failingWaitsInLoop.begin(), w.failingWaitsInLoop.end());
    }
    if (missing.empty()) continue;
    bool lookup = false, connect = false;
    for (const auto& op : program.ops) {
      if (op.kind == scenario::ShellOp::Kind::Lookup) lookup = true;
      if (op.kind == scenario::ShellOp::Kind::Connect) connect = true;
    }
    std::vector<std::string> names;
    for (const std::int32_t s : missing) names.push_back(sc.services[static_cast<std::size_t>(s)].name);
    const std::string how = lookup && connect ? "nslookup, " + connectTools(program.source)
                            : lookup          ? std::string("nslookup")
                                              : connectTools(program.source);
    const auto& ctr = pod.container(c);
    const std::string status = initStatus(pod, c);
    const std::string& first = names.front();
    out.push_back(make(
        FindingKind::ServiceNeverCreated, pod, scriptPath(pod, c), ctr.where,
        fmt::format("init container {} waits in a loop for {} {} ({}), but no Service document, endpoint or "
                    "createService action of the scenario creates {}, so {} never completes and the pod never "
                    "starts its app containers{}. Create {}: a `kind: Service` document named {}, or an action "
                    "such as `{{at: 30s, createService: {{name: {}}}}}` under the Scenario's spec.actions.",
                    ctr.name, names.size() == 1 ? "Service" : "Services", andList(names), how,
                    names.size() == 1 ? "it" : "them", ctr.name,
                    status.empty() ? "" : fmt::format(" (it stays Pending, {}{})", status, c == 0 ? "" : " at best"),
                    names.size() == 1 ? "the Service" : "the Services", andList(names), first)));
  }
}

// (9) A script the shell rejects as a whole: a shell parses the script before it runs any of it, so a
// syntax error exits 2 with nothing run (busybox ash: `sh: syntax error: unexpected ...`).
void syntaxFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    if (ctr.command.empty() && ctr.args.empty()) continue;
    const auto r = scenario::compileContainerCommand(ctr.command, ctr.args, [](const std::string&) { return 0; });
    if (r.kind != scenario::ShellParse::Kind::SyntaxError) continue;
    const std::string shell = r.message.substr(0, r.message.find(':'));
    out.push_back(make(
        FindingKind::ShellSyntaxError, pod, scriptPath(pod, c), ctr.where,
        fmt::format("{} rejects the script of {} before running any of it: it prints `{}` and exits with code 2, so "
                    "{}. Fix the script: quotes must be balanced, every `do` needs its `done`, every `if` its `fi`, "
                    "and `<`, `>`, `|`, `&` are shell operators unless quoted.",
                    shell == "sh" ? "busybox sh" : shell, ctr.name, r.message, failureOutcome(pod, c))));
  }
}

// (10) A probe that depends on a name nothing creates never passes (the loader warns; lint says what follows).
// Source of what follows: pkg/kubelet/prober/worker.go doProbe (readiness: not ready; liveness/startup:
// the container is killed and restarted after failureThreshold failures).
void dependsOnFindings(const scenario::Scenario& sc, const scenario::PodEntry& e, const std::vector<char>& created,
                       std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    const auto& b = e.behaviors[c];
    struct P {
      const char* name;
      const char* field;
      const scenario::ProbeBehavior* behavior;
      bool present;
    };
    const P probes[3] = {{"startup", "startupProbe", &b.startup, ctr.startupProbe.has_value()},
                         {"liveness", "livenessProbe", &b.liveness, ctr.livenessProbe.has_value()},
                         {"readiness", "readinessProbe", &b.readiness, ctr.readinessProbe.has_value()}};
    for (const P& p : probes) {
      for (const std::int32_t s : p.behavior->dependsOn) {
        if (created[static_cast<std::size_t>(s)] != 0) continue;
        const std::string& name = sc.services[static_cast<std::size_t>(s)].name;
        std::string outcome;
        if (!p.present) {
          outcome = fmt::format("{} has no {} probe, so the entry has no effect", ctr.name, p.name);
        } else if (std::string_view(p.name) == "readiness") {
          outcome = fmt::format("the probe never passes and {} is never Ready (the pod stays out of its Services)", ctr.name);
        } else {
          outcome = fmt::format("the probe never passes and the kubelet kills and restarts {} after failureThreshold "
                                "failures, again and again (CrashLoopBackOff)",
                                ctr.name);
        }
        out.push_back(make(
            FindingKind::DependsOnNothing, pod, containerPath(pod, c) + "." + p.field, ctr.where,
            fmt::format("the {} probe of {} depends on \"{}\" (behaviors probes.{}.dependsOn), but the scenario has no "
                        "Service document, no spec.endpoints entry and no createService action of that name, so {}. "
                        "Check the spelling, or declare {}: a `kind: Service` document, an entry under spec.endpoints, "
                        "or a createService action.",
                        p.name, ctr.name, name, p.name, outcome, name)));
      }
    }
  }
}

/// Whether the kubelet restarts container c after it exits with `exitCode`: always for a sidecar; for a
/// regular container by the pod's restartPolicy. Source: pkg/kubelet/container/helpers.go
/// ShouldContainerBeRestarted. Simplification: container-level restart rules (1.34+) are not read.
bool restartedAfterExit(const api::Pod& pod, std::size_t c, std::int32_t exitCode) {
  const auto type = pod.containerType(c);
  if (type == api::ContainerType::Sidecar) return true;
  if (type != api::ContainerType::Regular) return false;
  return pod.restartPolicy == api::RestartPolicy::Always ||
         (pod.restartPolicy == api::RestartPolicy::OnFailure && exitCode != 0);
}

// (11) A command that ends by itself within 10 minutes in a container the kubelet always restarts: the
// back-off is reset only after 10 minutes without a failure, so it grows to CrashLoopBackOff.
// Source: pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff; pkg/kubelet/kubelet.go NewMainKubelet
// (crashLoopBackOff HasExpiredFunc: 600 s).
void exitsUnderAlwaysFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = pod.initContainers.size(); c < pod.containerCount(); ++c) {
    const auto& b = e.behaviors[c];
    if (!b.script || pod.restartPolicy != api::RestartPolicy::Always) continue;
    // Without a command the image's default process runs (issue 14): finding (12), not this one.
    if (pod.container(c).command.empty() && pod.container(c).args.empty()) continue;
    // A script the shell rejects is finding (9) (its program only writes the error and exits 2).
    if (scenario::compileContainerCommand(pod.container(c).command, pod.container(c).args, [](const std::string&) { return 0; }).kind ==
        scenario::ShellParse::Kind::SyntaxError) {
      continue;
    }
    const ScriptWalk w = walkScript(*b.script, [](std::int32_t) { return true; });
    if (w.end != ScriptWalk::End::Exits || w.elapsed >= 10 * sim::kMinute) continue;
    const auto& ctr = pod.container(c);
    const std::string when = w.elapsed == 0 ? "at once" : "after " + seconds(w.elapsed);
    out.push_back(make(
        FindingKind::ExitsUnderRestartAlways, pod, scriptPath(pod, c), ctr.where,
        fmt::format("the command of {} (`{}`) ends by itself {} with exit code {}, but the pod's restartPolicy is "
                    "Always: the kubelet restarts {} after every exit with a growing back-off, so the pod shows {}, "
                    "then CrashLoopBackOff, and RESTARTS keeps climbing. A container under Always must keep running "
                    "(end the script with the long-running process, e.g. `sleep 3600`); for a task meant to finish "
                    "use restartPolicy OnFailure or Never.",
                    ctr.name, b.script->source, when, w.exitCode, ctr.name, w.exitCode == 0 ? "Completed" : "Error")));
  }
}

// (12) No command: the container runs the image's ENTRYPOINT + CMD (the runtime's rule), which for
// busybox, alpine or ubuntu is a shell that reads end-of-file at once without a terminal and exits 0.
// Source: data/images.yaml `process`; pkg/kubelet/kuberuntime/kuberuntime_container.go generateContainerConfig
// (command and args empty: the image's own). Simplification: an image that exits with an error unless
// some environment is set (postgres, mysql) is not reported: podsim does not read `env` yet.
void defaultCommandFindings(const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  for (std::size_t c = pod.initContainers.size(); c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    if (!ctr.command.empty() || !ctr.args.empty() || e.behaviors[c].origin != "default") continue;
    const auto img = scenario::lookup(ctr.image);
    if (!img) continue;
    const auto& p = img->process;
    if (p.kind != scenario::ImageProcessKind::ExitsAtOnce && p.kind != scenario::ImageProcessKind::PrintsUsageAndExits) {
      continue;
    }
    if (!restartedAfterExit(pod, c, p.exitCode)) continue;
    std::vector<std::string> argv = img->entrypoint;
    argv.insert(argv.end(), img->cmd.begin(), img->cmd.end());
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    const std::string does = p.kind == scenario::ImageProcessKind::PrintsUsageAndExits
                                 ? fmt::format("prints its usage and exits with code {}", p.exitCode)
                                 : fmt::format("has no terminal to read from and exits with code {}", p.exitCode);
    const std::string when = p.runsAfter == 0 ? "at once" : "after " + seconds(p.runsAfter);
    out.push_back(make(
        FindingKind::DefaultCommandExits, pod, containerPath(pod, c), ctr.where,
        fmt::format("{} has no command, so it runs the default command of image {} (`{}`), which {} {}; the kubelet "
                    "restarts it after every exit, so on a cluster the pod shows {}, then CrashLoopBackOff. Give {} a "
                    "command that keeps running (e.g. `command: ['sh', '-c', 'sleep 3600']`), or use an image whose "
                    "default process serves (nginx, httpd, redis).",
                    ctr.name, ctr.image, cmd, does, when, p.exitCode == 0 ? "Completed" : "Error",
                    ctr.name)));
  }
}

/// Whether the scenario lists the image under spec.images.
bool described(const scenario::ImageBehavior& b) { return b.described; }

/// The repository in full, as the runtime pulls it: "docker.io/library/simple-webapp:latest".
std::string fullReference(const scenario::NormalisedReference& r) {
  const auto slash = r.name.find('/');
  const auto head = r.name.substr(0, slash);
  const bool registry = slash != std::string::npos &&
                        (head.find_first_of(".:") != std::string::npos || head == "localhost");
  std::string s = registry ? r.name : slash == std::string::npos ? "docker.io/library/" + r.name : "docker.io/" + r.name;
  if (!r.tag.empty()) s += ":" + r.tag;
  if (!r.digest.empty()) s += "@" + r.digest;
  return s;
}

// (13) An image neither the catalogue nor the scenario knows: podsim assumes it can be pulled at once;
// a node needs it in a registry it can reach, else ErrImagePull then ImagePullBackOff
// (pkg/kubelet/images/image_manager.go EnsureImageExists).
void imageFindings(const scenario::Scenario& sc, const scenario::PodEntry& e, std::vector<Finding>& out) {
  const api::Pod& pod = e.pod;
  std::set<std::string> seen;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const auto& ctr = pod.container(c);
    if (!seen.insert(ctr.image).second) continue;
    if (ctr.imageId >= 0 && static_cast<std::size_t>(ctr.imageId) < sc.imageBehaviors.size() &&
        described(sc.imageBehaviors[static_cast<std::size_t>(ctr.imageId)])) {
      continue;
    }
    const auto ref = scenario::normalisedName(ctr.image);
    if (!ref || scenario::lookup(ctr.image)) continue;  // invalid names are InvalidImageName, not this
    out.push_back(make(
        FindingKind::ImageNotInCatalogue, pod, containerPath(pod, c) + ".image", ctr.where,
        fmt::format("image {} is not in podsim's catalogue of public images and the scenario does not describe it "
                    "(spec.images): podsim assumes it exists ({} MB compressed, pulled in {}) and runs it, but on a cluster container {} runs only if the node can "
                    "pull {} from a registry it can reach; if no registry has it (images made for a course usually "
                    "are not public), the kubelet reports ErrImagePull, then ImagePullBackOff. Push the image to a "
                    "registry the node can reach and name it there, or describe it under spec.images (e.g. "
                    "`present: true`, or `pullError: ErrImagePull` to see the failure).",
                    ctr.image, ctr.imageId >= 0 ? sc.imageBehaviors[static_cast<std::size_t>(ctr.imageId)].sizeBytes / 1000000 : 0,
                    scenario::formatDuration(ctr.imageId >= 0 ? sc.imageBehaviors[static_cast<std::size_t>(ctr.imageId)].pullDuration : 0),
                    ctr.name, fullReference(*ref))));
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
    case FindingKind::ServiceNeverCreated: return "service-never-created";
    case FindingKind::ShellSyntaxError: return "shell-syntax-error";
    case FindingKind::DependsOnNothing: return "depends-on-nothing";
    case FindingKind::ExitsUnderRestartAlways: return "exits-under-restart-always";
    case FindingKind::DefaultCommandExits: return "default-command-exits";
    case FindingKind::ImageNotInCatalogue: return "image-not-in-catalogue";
  }
  return "unknown";
}

std::vector<Finding> lintScenario(const scenario::Scenario& sc) {
  const DependencyGraph g(sc);
  const std::vector<char> created = createdServices(sc);
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
    neverCreatedFindings(sc, e, created, out);
    syntaxFindings(e, out);
    dependsOnFindings(sc, e, created, out);
    exitsUnderAlwaysFindings(e, out);
    defaultCommandFindings(e, out);
    imageFindings(sc, e, out);
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
