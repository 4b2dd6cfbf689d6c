// tests/upstream_support.hpp: the upstream kubelet e2e suite's container-ordering checks, over a podsim run.
//
// The e2e suites (kubernetes test/e2e_node/container_lifecycle_test.go, v1.37.2) run containers whose
// script (container_lifecycle_pod_construction.go ExecCommand) logs "Starting" at launch, "Started" after
// its StartDelay, sleeps Delay seconds (or loops forever), logs "Exiting" and exits with ExitCode; on
// SIGTERM it sleeps TerminationSeconds, logs "Exiting" and exits with ExitCode (a SIGKILL logs nothing).
// The test then reads every container's log, in time order, and asserts orderings on it
// (containerOutputList: StartsBefore, ExitsBefore, RunTogether, Starts, DoesntStart, Exits, HasRestarted,
// HasNotRestarted). Here the same list is built from the run: each run of a container (one startedAt in its
// API status) gives "Starting" at its startedAt, "Started" at startedAt + the behaviour's startDelay, and,
// when it ended without SIGKILL (exit code not 137), "Exiting" at its finishedAt. Ties: Exiting before
// Starting before Started (a podsim instant is shared; on a node the log lines a second apart).
//
// `Exec` mirrors execCommand, and `ctr` / `pod` write the Pod and Scenario YAML the test runs: the
// behaviour gives the same timings and exit codes (startDelay, run: Delay or never for LoopForever, exitCode,
// terminationDelay: TerminationSeconds, exitCodeOnSigterm: ExitCode). Times are simulated ns.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "models/report/pod_timeline.hpp"
#include "support.hpp"

namespace podsim::upstream {

/// execCommand of container_lifecycle_pod_construction.go: seconds, and the exit code.
struct Exec {
  int exitCode = 0;
  int startDelay = 0;          // s before "Started" (a startup probe `test -f started` passes from then)
  int delay = 0;               // s from "Started" to "Exiting"
  bool loopForever = false;    // runs until stopped
  int terminationSeconds = 0;  // s from SIGTERM to "Exiting"
};

/// One container of an e2e pod: its name, its script, and YAML lines added to the container (probes,
/// lifecycle), each starting at the container's field indentation (6 spaces are added).
struct Ctr {
  std::string name;
  Exec exec;
  bool restartable = false;    // restartPolicy: Always on an init container (a sidecar)
  std::string extra;           // e.g. "startupProbe: {exec: {command: [test, -f, started]}, periodSeconds: 1}"
  std::string behaviorExtra;   // more behaviour fields, e.g. "hooks: {preStop: {duration: 5s}}"
  std::string image = "busybox:1.36";
};

inline Ctr ctr(std::string name, Exec e, std::string extra = "", std::string behaviorExtra = "") {
  return Ctr{std::move(name), e, false, std::move(extra), std::move(behaviorExtra)};
}
inline Ctr sidecar(std::string name, Exec e, std::string extra = "", std::string behaviorExtra = "") {
  return Ctr{std::move(name), e, true, std::move(extra), std::move(behaviorExtra)};
}

/// The pod of an e2e case and the Scenario around it.
struct PodCase {
  std::string name = "e2e";
  std::string restartPolicy = "Always";
  std::vector<Ctr> init;
  std::vector<Ctr> regular;
  int terminationGracePeriodSeconds = 30;
  std::string duration = "3m";
  std::string actions;        // lines of spec.actions, each "  - {...}"
  std::string scenarioExtra;  // more lines of spec (2-space indented)
};

/// The YAML of a PodCase: a Pod and a Scenario whose behaviours give each container its execCommand.
inline std::string yaml(const PodCase& p) {
  std::ostringstream y;
  auto container = [&](const Ctr& c) {
    y << "  - name: " << c.name << "\n    image: " << c.image << "\n";
    if (c.restartable) y << "    restartPolicy: Always\n";
    std::istringstream lines(c.extra);
    for (std::string l; std::getline(lines, l);) y << "    " << l << "\n";
  };
  y << "apiVersion: v1\nkind: Pod\nmetadata: {name: " << p.name << "}\nspec:\n  restartPolicy: " << p.restartPolicy
    << "\n  terminationGracePeriodSeconds: " << p.terminationGracePeriodSeconds << "\n";
  if (!p.init.empty()) {
    y << "  initContainers:\n";
    for (const auto& c : p.init) container(c);
  }
  y << "  containers:\n";
  for (const auto& c : p.regular) container(c);
  y << "---\napiVersion: podsim/v1alpha1\nkind: Scenario\nmetadata: {name: " << p.name << "}\nspec:\n  duration: "
    << p.duration << "\n" << p.scenarioExtra << "  behaviors:\n    " << p.name << ":\n";
  auto behavior = [&](const Ctr& c) {
    y << "      " << c.name << ": {startDelay: " << c.exec.startDelay << "s, run: ";
    if (c.exec.loopForever) y << "never";
    else y << c.exec.delay << "s";
    y << ", exitCode: " << c.exec.exitCode << ", terminationDelay: " << c.exec.terminationSeconds
      << "s, exitCodeOnSigterm: " << c.exec.exitCode;
    if (!c.behaviorExtra.empty()) y << ", " << c.behaviorExtra;
    y << "}\n";
  };
  for (const auto& c : p.init) behavior(c);
  for (const auto& c : p.regular) behavior(c);
  if (!p.actions.empty()) y << "  actions:\n" << p.actions;
  return y.str();
}

/// One log line of containerOutputList: when, which container, "Starting" / "Started" / "Exiting".
struct Output {
  sim::Time t = 0;
  std::string container;
  std::string command;
};

/// containerOutputList over a finished run of pod `pod`, in time order.
class Outputs {
 public:
  Outputs(const testing::Run& r, std::int32_t pod = 0) {
    const report::PodTimeline tl(*r.sim, pod);
    const auto& entry = r.sc.pods.at(static_cast<std::size_t>(pod));
    struct Run1 {
      sim::Time start;
      sim::Time finish;
      std::int32_t exitCode;
    };
    std::vector<std::tuple<sim::Time, int, std::string, std::string>> lines;
    for (std::size_t c = 0; c < tl.containerCount(); ++c) {
      std::vector<Run1> runs;
      auto note = [&](const kubelet::ContainerStateValue& s) {
        if (s.startedAt < 0) return;
        auto it = std::find_if(runs.begin(), runs.end(), [&](const Run1& x) { return x.start == s.startedAt; });
        if (it == runs.end()) it = runs.insert(runs.end(), Run1{s.startedAt, -1, 0});
        if (s.kind == kubelet::ContainerStateValue::Kind::Terminated) {
          it->finish = s.finishedAt;
          it->exitCode = s.exitCode;
        }
      };
      for (const auto& iv : tl.containerIntervals(c)) {
        note(iv.status.state);
        if (iv.status.hasLastState) note(iv.status.lastState);
      }
      const std::string& name = entry.pod.container(c).name;
      const sim::Time delay = entry.behaviors.at(c).startDelay;
      for (const auto& x : runs) {
        lines.emplace_back(x.start, 1, name, "Starting");
        lines.emplace_back(x.start + delay, 2, name, "Started");
        if (x.finish >= 0 && x.exitCode != 137) lines.emplace_back(x.finish, 0, name, "Exiting");
      }
    }
    // Hooks (the e2e's hook command logs under "PostStart-<name>" / "PreStop-<name>"): the Hook records.
    const auto& tr = r.sim->trace();
    for (const auto& rec : tr.records()) {
      if (rec.type != trace::RecordType::Hook || rec.pod != pod) continue;
      const auto& h = tr.hookAt(rec);
      const std::string name = std::string(h.hook == trace::HookKind::PostStart ? "PostStart-" : "PreStop-") +
                               entry.pod.container(static_cast<std::size_t>(h.container)).name;
      if (h.state == trace::HookState::Started) {
        lines.emplace_back(rec.t, 1, name, "Starting");
        lines.emplace_back(rec.t, 2, name, "Started");
      } else {
        lines.emplace_back(rec.t, 0, name, "Exiting");
      }
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    for (auto& [t, rank, name, cmd] : lines) out_.push_back(Output{t, name, cmd});
  }

  /// The list as the e2e prints it on a failure: "i) t container command".
  [[nodiscard]] std::string str() const {
    std::ostringstream s;
    for (std::size_t i = 0; i < out_.size(); ++i)
      s << i << ") " << static_cast<double>(out_[i].t) / 1e9 << "s " << out_[i].container << " " << out_[i].command << "\n";
    return s.str();
  }

  /// findIndex: the first line of `name` with `command` at or after `from`, or -1.
  [[nodiscard]] int find(const std::string& name, const std::string& command, int from = 0) const {
    for (int i = std::max(from, 0); i < static_cast<int>(out_.size()); ++i)
      if (out_[static_cast<std::size_t>(i)].container == name && out_[static_cast<std::size_t>(i)].command == command) return i;
    return -1;
  }
  /// StartsBefore: lhs "Started", then a later "Starting" of rhs (works for a restart of the same name).
  [[nodiscard]] bool startsBefore(const std::string& lhs, const std::string& rhs) const {
    const int l = find(lhs, "Started");
    return l != -1 && find(rhs, "Starting", l + 1) != -1;
  }
  /// ExitsBefore: lhs "Exiting", then a later "Exiting" of rhs.
  [[nodiscard]] bool exitsBefore(const std::string& lhs, const std::string& rhs) const {
    const int l = find(lhs, "Exiting");
    return l != -1 && find(rhs, "Exiting", l + 1) != -1;
  }
  /// RunTogetherLhsFirst: rhs started after lhs started and before lhs exited; both exited.
  [[nodiscard]] bool runTogetherLhsFirst(const std::string& lhs, const std::string& rhs) const {
    const int ls = find(lhs, "Started");
    if (ls == -1) return false;
    const int rs = find(rhs, "Started", ls + 1);
    if (rs == -1) return false;
    const int le = find(lhs, "Exiting", ls + 1);
    if (le == -1 || rs > le) return false;
    const int re = find(rhs, "Exiting", rs + 1);
    return re != -1 && ls <= re;
  }
  /// RunTogether: either order.
  [[nodiscard]] bool runTogether(const std::string& a, const std::string& b) const {
    return runTogetherLhsFirst(a, b) || runTogetherLhsFirst(b, a);
  }
  [[nodiscard]] bool starts(const std::string& n) const { return find(n, "Started") != -1; }
  [[nodiscard]] bool doesntStart(const std::string& n) const { return find(n, "Started") == -1; }
  [[nodiscard]] bool exits(const std::string& n) const { return find(n, "Exiting") != -1; }
  /// HasRestarted: two "Starting" lines.
  [[nodiscard]] bool hasRestarted(const std::string& n) const {
    const int i = find(n, "Starting");
    return i != -1 && find(n, "Starting", i + 1) != -1;
  }
  /// HasNotRestarted: one "Starting" line and no second.
  [[nodiscard]] bool hasNotRestarted(const std::string& n) const {
    const int i = find(n, "Starting");
    return i != -1 && find(n, "Starting", i + 1) == -1;
  }
  /// The time (ns) of the first line of `name` with `command`, or -1.
  [[nodiscard]] sim::Time timeOf(const std::string& name, const std::string& command, int from = 0) const {
    const int i = find(name, command, from);
    return i == -1 ? -1 : out_[static_cast<std::size_t>(i)].t;
  }
  /// Number of "Starting" lines of `name` (its runs).
  [[nodiscard]] int runs(const std::string& n) const {
    int k = 0;
    for (const auto& o : out_) k += (o.container == n && o.command == "Starting");
    return k;
  }
  [[nodiscard]] const std::vector<Output>& lines() const noexcept { return out_; }

 private:
  std::vector<Output> out_;
};

/// The unified index of container `name` in pod `pod`; -1 when none.
inline int indexOf(const testing::Run& r, const std::string& name, std::size_t pod = 0) {
  const auto& p = r.sc.pods.at(pod).pod;
  for (std::size_t i = 0; i < p.containerCount(); ++i)
    if (p.container(i).name == name) return static_cast<int>(i);
  return -1;
}

/// The API status of container `name` at the end of the run.
inline kubelet::ApiContainerStatus statusOf(const testing::Run& r, const std::string& name, std::size_t pod = 0) {
  const auto views = r.sim->views();
  const int i = indexOf(r, name, pod);
  REQUIRE(i >= 0);
  return views.at(pod).status.containers.at(static_cast<std::size_t>(i));
}

/// The pod's API status at the end of the run.
inline kubelet::ApiPodStatus podStatus(const testing::Run& r, std::size_t pod = 0) {
  return r.sim->views().at(pod).status;
}

/// The pod as the API held it at `t` (ns).
inline report::PodAt podAt(const testing::Run& r, sim::Time t, std::int32_t pod = 0) {
  return report::PodTimeline(*r.sim, pod).at(t);
}

}  // namespace podsim::upstream
