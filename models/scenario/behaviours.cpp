// models/scenario/behaviours.cpp: `spec.behaviors` and the behaviour decided from a container's shell command.
#include "models/scenario/loader_impl.hpp"

#include "models/api/quantity.hpp"
#include "models/scenario/shell.hpp"

namespace podsim::scenario::detail {

void Loader::readBehaviors(const YAML::Node& n) {
  const std::string path = "spec.behaviors";
  forEachEntry(n, path, [&](const std::string& podName, const YAML::Node& pk, const YAML::Node& pv) {
    const auto pp = child(path, podName);
    const auto pod = podIndex(pk, pp, podName);
    forEachEntry(pv, pp, [&](const std::string& cName, const YAML::Node& ck, const YAML::Node& cv) {
      const auto cp = child(pp, cName);
      const auto c = containerIndex(ck, cp, pod, cName);
      readBehavior(cv, cp, static_cast<std::size_t>(pod), static_cast<std::size_t>(c));
    });
  });
}

Attempt Loader::readAttempt(const YAML::Node* run, const YAML::Node* exitCode, const std::string& path) {
  Attempt a;
  // Without `run`, an attempt that names an exit code exits at once; one without either runs forever.
  a.run = run != nullptr ? duration(*run, child(path, "run"), ForeverAllowed::Yes) : (exitCode != nullptr ? 0 : sim::kForever);
  if (exitCode != nullptr) a.exitCode = exitCodeOf(*exitCode, child(path, "exitCode"));
  return a;
}

std::int32_t Loader::exitCodeOf(const YAML::Node& v, const std::string& p) const {
  const auto x = int64(v, p);
  if (x < 0 || x > 255) fail(v, p, "Invalid value: " + std::to_string(x) + ": must be between 0 and 255, inclusive");
  return static_cast<std::int32_t>(x);
}

void Loader::readBehavior(const YAML::Node& n, const std::string& path, std::size_t pod, std::size_t c) {
  ProcessBehavior& b = sc_.pods[pod].behaviors[c];
  b.origin = "behaviors";
  behaviorSet_[pod][c] = &b;
  std::optional<YAML::Node> run, exitCode, attempts;
  bool terminationWritten = false;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, path, {"startDelay", "run", "exitCode", "attempts", "terminationDelay", "exitCodeOnSigterm", "probes", "hooks",
                              "memory"}, Section::Behavior);
    const auto p = child(path, key);
    if (key == "startDelay") b.startDelay = duration(v, p);
    else if (key == "run") run = v;
    else if (key == "exitCode") exitCode = v;
    else if (key == "attempts") attempts = v;
    else if (key == "terminationDelay") {
      b.terminationDelay = duration(v, p, ForeverAllowed::Yes);
      terminationWritten = true;
    }
    else if (key == "exitCodeOnSigterm") b.exitCodeOnSigterm = exitCodeOf(v, p);
    else if (key == "probes") {
      forEachEntry(v, p, [&](const std::string& pk, const YAML::Node& pkn, const YAML::Node& pv) {
        checkKnown(pk, pkn, p, {"readiness", "liveness", "startup"});
        auto& pb = pk == "readiness" ? b.readiness : pk == "liveness" ? b.liveness : b.startup;
        const auto ppath = child(p, pk);
        forEachEntry(pv, ppath, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
          checkKnown(fk, fkn, ppath, {"succeedAfter", "failAfter", "duration", "dependsOn"});
          const auto fp = child(ppath, fk);
          if (fk == "succeedAfter") pb.succeedAfter = duration(fv, fp, ForeverAllowed::Yes);
          else if (fk == "failAfter") pb.failAfter = duration(fv, fp, ForeverAllowed::Yes);
          else if (fk == "dependsOn") pb.dependsOn = serviceList(fv, fp);
          else pb.duration = duration(fv, fp, ForeverAllowed::Yes);
        });
      });
    } else if (key == "memory") {
      // Memory use of the process since its launch: `use` plus `growthPerMinute` per minute (a leak).
      forEachEntry(v, p, [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
        checkKnown(mk, mkn, p, {"use", "growthPerMinute"});
        (mk == "use" ? b.memory.useBytes : b.memory.growthPerMinuteBytes) = quantity(mv, child(p, mk), 0);
      });
      if (b.memory.useBytes < 0) {
        if (b.memory.growthPerMinuteBytes > 0) b.memory.useBytes = 0;
        else fail(v, child(p, "use"), "Required value");
      }
    } else if (key == "hooks") {
      forEachEntry(v, p, [&](const std::string& hk, const YAML::Node& hkn, const YAML::Node& hv) {
        checkKnown(hk, hkn, p, {"postStart", "preStop"}, Section::BehaviorHooks);
        auto& hb = hk == "postStart" ? b.postStart : b.preStop;
        const auto hp = child(p, hk);
        forEachEntry(hv, hp, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
          checkKnown(fk, fkn, hp, {"duration", "fails"});
          if (fk == "duration") hb.duration = duration(fv, child(hp, fk), ForeverAllowed::Yes);
          else hb.fails = boolean(fv, child(hp, fk));
        });
      });
    }
  });
  if (attempts) {
    if (run || exitCode) {
      fail(*attempts, child(path, "attempts"), "Forbidden: may not be set together with run or exitCode");
    }
    b.attempts.clear();
    forEachItem(*attempts, child(path, "attempts"), [&](std::size_t i, const YAML::Node& item) {
      const auto ap = idx(child(path, "attempts"), i);
      std::optional<YAML::Node> ar, ae;
      forEachEntry(item, ap, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
        checkKnown(key, k, ap, {"run", "exitCode"});
        (key == "run" ? ar : ae) = v;
      });
      b.attempts.push_back(readAttempt(ar ? &*ar : nullptr, ae ? &*ae : nullptr, ap));
    });
    if (b.attempts.empty()) fail(*attempts, child(path, "attempts"), "Required value: at least one attempt");
    b.script = nullptr;
  } else if (run || exitCode) {
    b.attempts = {readAttempt(run ? &*run : nullptr, exitCode ? &*exitCode : nullptr, path)};
  } else {
    processSet_.insert({pod, c});  // only probes/hooks/delays given: the process still comes from the command
  }
  writtenTermination_[{pod, c}] = terminationWritten;
}

/// A probe that `dependsOn` a name that is neither a Service document, an endpoint, nor created by an
/// action never passes: most likely a typo, so it is worth a warning (not an error: it may be meant).
void Loader::warnUnreachableDependencies() {
  std::vector<char> reachable(sc_.services.size(), 0);
  for (std::size_t i = 0; i < sc_.services.size(); ++i) reachable[i] = sc_.services[i].existsAtStart ? 1 : 0;
  for (const auto& a : sc_.actions) {
    if (a.kind == ActionKind::CreateService && a.service >= 0) reachable[static_cast<std::size_t>(a.service)] = 1;
  }
  static const char* const probeNames[3] = {"startup", "liveness", "readiness"};
  for (const auto& e : sc_.pods) {
    for (std::size_t c = 0; c < e.behaviors.size(); ++c) {
      const auto& b = e.behaviors[c];
      const ProbeBehavior* probes[3] = {&b.startup, &b.liveness, &b.readiness};
      for (int t = 0; t < 3; ++t) {
        for (const std::int32_t s : probes[t]->dependsOn) {
          if (reachable[static_cast<std::size_t>(s)] != 0) continue;
          sc_.warnings.push_back(file_ + ": spec.behaviors." + e.pod.name + "." + e.pod.container(c).name + ".probes." +
                                 probeNames[t] + ".dependsOn: \"" + sc_.services[static_cast<std::size_t>(s)].name +
                                 "\" is no Service, endpoint or createService action of the scenario, so the probe never passes");
        }
      }
    }
  }
}

void Loader::decideBehaviors(std::size_t p) {
  auto& entry = sc_.pods[p];
  const auto& pod = entry.pod;
  file_ = pod.where.file;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    const bool fromBehaviors = behaviorSet_[p][c] != nullptr;
    if (fromBehaviors && processSet_.count({p, c}) == 0) continue;  // run/exitCode/attempts given
    auto& b = entry.behaviors[c];
    const auto& ctr = pod.container(c);
    const auto type = pod.containerType(c);
    if (!fromBehaviors) {
      b = ProcessBehavior{};
      b.origin = "default";
    }
    // Default process: an init container completes at once with 0, others run until stopped.
    b.attempts = {type == api::ContainerType::Init ? Attempt{0, 0} : Attempt{sim::kForever, 0}};
    if (ctr.command.empty() && ctr.args.empty()) continue;
    const auto where = "pod " + pod.name + " container " + ctr.name + ": ";
    const auto r = compileContainerCommand(ctr.command, ctr.args, [this](const std::string& s) { return internService(s); });
    const bool keepTermination = fromBehaviors && writtenTermination_[{p, c}];
    switch (r.kind) {
      case ShellParse::Kind::Program:
        b.script = r.program;
        if (!fromBehaviors) b.origin = "script";
        // A shell (or sleep) as PID 1 has no SIGTERM handler: the signal is ignored until SIGKILL.
        if (!keepTermination) b.terminationDelay = sim::kForever;
        break;
      case ShellParse::Kind::SyntaxError:
        b.script = nullptr;
        b.attempts = {Attempt{0, 2}};
        if (!fromBehaviors) b.origin = "script";
        sc_.warnings.push_back(pod.where.file + ": " + where + r.message + "; the container exits with code 2 at once");
        break;
      case ShellParse::Kind::NotUnderstood:
        sc_.warnings.push_back(pod.where.file + ": " + where + "command not modelled (" + r.message + "); " +
                               (type == api::ContainerType::Init ? "the init container completes at once with exit code 0"
                                                                 : "the container runs until it is stopped"));
        break;
    }
  }
}

}  // namespace podsim::scenario::detail
