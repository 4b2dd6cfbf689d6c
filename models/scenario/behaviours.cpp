// models/scenario/behaviours.cpp: `spec.behaviors` and the behaviour decided from a container's shell command.
#include "models/scenario/loader_impl.hpp"

#include <fmt/format.h>

#include "models/api/image_reference.hpp"
#include "models/api/quantity.hpp"
#include "models/scenario/image_catalogue.hpp"
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
    else if (key == "exitCodeOnSigterm") {
      b.exitCodeOnSigterm = exitCodeOf(v, p);
      exitCodeWritten_.insert({pod, c});
    }
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
        hb.written = true;
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

std::int32_t Loader::internLogText(const std::string& text) {
  const auto [it, added] = logTextIndex_.try_emplace(text, static_cast<std::int32_t>(sc_.logTexts.size()));
  if (added) sc_.logTexts.push_back(text);
  return it->second;
}

namespace {

/// The shell's context for a container of `image` in `ns`: its image's network tools from the catalogue
/// (busybox:latest's when the image is not catalogued or has none).
ShellContext shellContext(const std::string& image, const std::string& ns) {
  ShellContext ctx;
  ctx.namespaceName = ns.empty() ? "default" : ns;
  const auto img = lookup(image);
  static const auto busybox = lookup("busybox:latest");
  const auto pick = [&](const std::optional<NetworkTool> CatalogueImage::*tool) {
    if (img && (*img).*tool) return (*img).*tool;
    return busybox ? (*busybox).*tool : std::optional<NetworkTool>{};
  };
  ctx.nslookup = pick(&CatalogueImage::nslookup);
  ctx.wget = pick(&CatalogueImage::wget);
  ctx.nc = pick(&CatalogueImage::nc);
  // The catalogue (a static, parsed once) owns the list for the program's lifetime; the copy shares it.
  if (img && img->commands) ctx.commands = img->commands.get();
  return ctx;
}

}  // namespace

/// Exec lifecycle hooks run their command as a container's runs (interface.md §1): compiled here unless
/// `behaviors` describes the hook. A command the simulator does not model keeps the behaviour's duration
/// (0 s: the hook succeeds at once). Source of the handler: pkg/kubelet/lifecycle/handlers.go Run.
void Loader::compileHooks(std::size_t p, std::size_t c) {
  const auto& pod = sc_.pods[p].pod;
  const auto& ctr = pod.container(c);
  auto& b = sc_.pods[p].behaviors[c];
  const std::pair<const api::LifecycleHandler*, HookBehavior*> hooks[] = {{&ctr.lifecycle.postStart, &b.postStart},
                                                                            {&ctr.lifecycle.preStop, &b.preStop}};
  for (const auto& [h, hb] : hooks) {
    if (h->kind != api::HandlerKind::Exec || hb->written || h->command.empty()) continue;
    ShellContext ctx = shellContext(ctr.image, pod.namespace_);
    ctx.serviceIndex = [this](const std::string& s) { return internService(s); };
    ctx.text = [this](const std::string& s) { return internLogText(s); };
    const auto r = compileContainerCommand(h->command, {}, ctx);
    if (r.kind == ShellParse::Kind::Program) {
      hb->script = r.program;
    } else if (r.kind == ShellParse::Kind::SyntaxError) {
      // The shell rejects it: the hook fails at once with exit status 2.
      auto prog = std::make_shared<ShellProgram>();
      prog->lines.push_back({internLogText(r.message), LogStream::Stderr});
      prog->outputs.push_back(ShellOutput{LogRange{0, 1}, {}, {}});
      prog->ops = {ShellOp{ShellOp::Kind::Status, 2, 0}, ShellOp{ShellOp::Kind::Exit, 2, -1}};
      hb->script = std::move(prog);
    }  // NotUnderstood: the behaviour's duration (0 s: the hook succeeds at once), as before
  }
}

/// A container without `command` and `args` runs its image's ENTRYPOINT + CMD: for a catalogued image, what
/// that default process does with no TTY and stdin closed (data/images.yaml `process`, chosen by the
/// container's `env`): busybox's `sh` exits 0 at once, nginx serves until stopped, postgres without its
/// password exits 1 with its error. Its start lines and its lines on the stop signal are logged. An image not
/// in the catalogue keeps the default behaviour (runs until stopped; an init container completes at once).
void Loader::imageProcess(std::size_t p, std::size_t c, bool keepTermination) {
  const auto& ctr = sc_.pods[p].pod.container(c);
  auto& b = sc_.pods[p].behaviors[c];
  const auto img = lookup(ctr.image);
  if (!img) return;
  const ImageProcess& proc = defaultProcess(*img, ctr.env);
  const auto fillLine = [&](const std::string& l) {
    std::string s = l;
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{version}", img->version}, {"{podIP}", "10.244.0.2"}}) {
      for (auto at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) s.replace(at, key.size(), value);
    }
    return internLogText(s);
  };
  auto prog = std::make_shared<ShellProgram>();
  const auto addLines = [&](const std::vector<std::string>& out, const std::vector<std::string>& err) {
    LogRange r{static_cast<std::int32_t>(prog->lines.size()), 0};
    for (const auto& l : out) prog->lines.push_back({fillLine(l), LogStream::Stdout}), ++r.count;
    for (const auto& l : err) prog->lines.push_back({fillLine(l), LogStream::Stderr}), ++r.count;
    prog->outputs.push_back(ShellOutput{r, {}, {}});
    return static_cast<std::int32_t>(prog->outputs.size() - 1);
  };
  prog->ops.push_back(ShellOp{ShellOp::Kind::Status, 0, addLines(proc.stdoutLines, proc.stderrLines)});
  if (proc.kind == ImageProcessKind::RunsForever) {
    prog->ops.push_back(ShellOp{ShellOp::Kind::Forever, 0, -1});
  } else {
    if (proc.runsAfter > 0) prog->ops.push_back(ShellOp{ShellOp::Kind::Sleep, proc.runsAfter, -1});
    prog->ops.push_back(ShellOp{ShellOp::Kind::Exit, proc.exitCode, -1});
  }
  // The signal that stops it: the spec's lifecycle.stopSignal (KEP-4960, the gate on) or the image's STOPSIGNAL.
  // The catalogue says what the process does on its STOPSIGNAL and on SIGTERM; SIGKILL kills it at once; any
  // other signal has no handler known to podsim: as PID 1 it ignores it (kubelet/stop_signal.hpp pid1StopOutcome).
  const std::int32_t signal = kubelet::effectiveStopSignal(ctr.stopSignal, img->stopSignal);
  const StopBehaviour* on = &proc.onStopSignal;
  if (ctr.stopSignal != 0 && signal != kubelet::stopSignalId(img->stopSignal)) {
    on = signal == kubelet::stopSignalId("SIGTERM") && proc.onSigterm ? &*proc.onSigterm : nullptr;
  }
  const auto outcome = kubelet::pid1StopOutcome(signal, on != nullptr && on->exitCode.has_value());
  if (outcome == kubelet::StopOutcome::Handled) prog->stopOutput = addLines(on->stdoutLines, on->stderrLines);
  std::string source;
  for (const auto& part : {img->entrypoint, img->cmd}) {
    for (const auto& w : part) source += (source.empty() ? "" : " ") + w;
  }
  prog->source = source;
  b.script = std::move(prog);
  b.startDelay = proc.startDelay;
  if (!keepTermination) {
    // The kubelet's stop sends that signal; without a handler the process waits for SIGKILL.
    switch (outcome) {
      case kubelet::StopOutcome::Handled:
        b.terminationDelay = on->after;
        b.exitCodeOnSigterm = *on->exitCode;
        break;
      case kubelet::StopOutcome::Ignored: b.terminationDelay = sim::kForever; break;
      case kubelet::StopOutcome::KilledAtOnce:
        b.terminationDelay = 0;
        b.exitCodeOnSigterm = kubelet::exitCodeBySignal(signal);
        break;
    }
  }
}

/// Notes (once per fully qualified reference) an image that neither the catalogue nor `spec.images`
/// describes: podsim assumes it exists, has the catalogue's default size and runs its command; a cluster
/// pulls it from its registry (distribution/reference ParseNormalizedNamed names it in full). `b` is its
/// decided pull (size and duration, named in the note); `bandwidth` in bytes/s. An invalid reference gets
/// no note (the kubelet's InvalidImageName says it).
void Loader::noteUncataloguedImage(const std::string& image, const ImageBehavior& b, std::int64_t bandwidth) {
  const auto ref = normalisedName(image);
  if (!ref) return;
  std::string full = api::normalizedName(ref->name);
  if (!ref->tag.empty()) full += ":" + ref->tag;
  if (!ref->digest.empty()) full += "@" + ref->digest;
  for (const auto& n : sc_.imageNotices) {
    if (n.ends_with("(" + full + ")")) return;
  }
  const auto mb = [](std::int64_t bytes) { return fmt::format("{:g} MB", static_cast<double>(bytes) / 1e6); };
  const std::string note = fmt::format(
      "podsim: image \"{}\" is not in podsim's catalogue and not described under spec.images: it is assumed to "
      "exist, to be {} compressed (pulled in {}: {} latency + {} at {}/s; set spec.images.<image>.size or "
      "pullDuration, or spec.imagePullBandwidth) and to run as its command says; a cluster pulls it from a "
      "registry the node must reach ({})",
      image, mb(b.sizeBytes), formatDuration(b.pullDuration), formatDuration(catalogueDefaults().pullLatency),
      mb(b.sizeBytes), mb(bandwidth), full);
  sc_.imageNotices.push_back(note);
}

/// Every pull takes the catalogue's latency (`pullLatency`, 500 ms) plus the image's size at the pull
/// bandwidth (`spec.imagePullBandwidth`, else the catalogue's 40 MB/s), unless `spec.images[x].pullDuration`
/// says. The size is `spec.images[x].size`, else the catalogue's, else the catalogue's
/// `uncataloguedSizeBytes` (50 MB; the run names such an image on stderr). A pull of an image the node
/// already has (imagePullPolicy Always) takes only the latency, and so does one that fails (`pullError`). The Pulled Event names the size from 1.30
/// (pkg/kubelet/images/image_manager.go EnsureImageExists: "Image size: N bytes."). The kubelet prints the
/// durations truncated to ms, so they are whole ms here.
void Loader::decideImagePulls() {
  const CatalogueDefaults& d = catalogueDefaults();
  const std::int64_t bandwidth = sc_.imagePullBandwidth > 0 ? sc_.imagePullBandwidth : d.pullBandwidthBytesPerSecond;
  for (std::size_t i = 0; i < sc_.images.size(); ++i) {
    ImageBehavior& b = sc_.imageBehaviors[i];
    const auto img = lookup(sc_.images[i]);
    const bool described = describedImages_.count(static_cast<std::int32_t>(i)) != 0;
    if (b.sizeBytes < 0 && img && img->sizeBytes) b.sizeBytes = *img->sizeBytes;
    if (b.sizeBytes < 0) {
      b.sizeBytes = d.uncataloguedSizeBytes;
      b.sizeAssumed = true;
    }
    if (b.pullDurationWritten) {
      b.repullDuration = b.pullDuration;
    } else {
      const __int128 ns = static_cast<__int128>(b.sizeBytes) * sim::kSecond / std::max<std::int64_t>(bandwidth, 1);
      b.pullDuration = d.pullLatency + static_cast<Time>(std::min<__int128>(ns, 24 * sim::kHour));
      b.pullDuration -= b.pullDuration % sim::kMillisecond;  // the kubelet prints it truncated to ms
      b.repullDuration = d.pullLatency;
      // A pull that fails (manifest unknown, registry down) fails on its first round trip: no layer moves.
      if (b.pullError != api::Reason::None) b.pullDuration = d.pullLatency;
    }
    if (!img && !described) noteUncataloguedImage(sc_.images[i], b, bandwidth);
  }
}

void Loader::decideBehaviors(std::size_t p) {
  auto& entry = sc_.pods[p];
  const auto& pod = entry.pod;
  file_ = pod.where.file;
  for (std::size_t c = 0; c < pod.containerCount(); ++c) {
    decideBehavior(p, c);
    applyStopSignal(p, c);
  }
}

/// A container's own lifecycle.stopSignal (KEP-4960, gate on) on a process that is not an image's default one
/// (imageProcess decides those): SIGKILL kills it at once (137); a process that ignores SIGTERM (a shell as
/// PID 1) has no handler for the other signals either; one that handles the stop (`behaviors` terminationDelay,
/// or the default process that exits at once) exits, by default with 128 + the signal's number.
/// Source: models/kubelet/stop_signal.hpp pid1StopOutcome, exitCodeBySignal.
void Loader::applyStopSignal(std::size_t p, std::size_t c) {
  const auto& ctr = sc_.pods[p].pod.container(c);
  if (kubelet::featureEnabled(kubelet::Gate::ContainerStopSignals, sc_.kubernetesVersion, sc_.kubelet.featureGates)) {
    // The ContainerStatus shows the signal the runtime reports (kubelet_pods.go convertToAPIContainerStatuses).
    auto& shown = sc_.pods[p].statusStopSignals;
    shown.resize(sc_.pods[p].pod.containerCount());
    const auto img = lookup(ctr.image);
    shown[c] = kubelet::effectiveStopSignal(ctr.stopSignal, img ? std::string_view(img->stopSignal) : std::string_view());
  }
  if (ctr.stopSignal == 0 || (ctr.command.empty() && ctr.args.empty() && lookup(ctr.image))) return;
  auto& b = sc_.pods[p].behaviors[c];
  switch (kubelet::pid1StopOutcome(ctr.stopSignal, b.terminationDelay != sim::kForever)) {
    case kubelet::StopOutcome::KilledAtOnce:
      b.terminationDelay = 0;
      b.exitCodeOnSigterm = kubelet::exitCodeBySignal(ctr.stopSignal);
      break;
    case kubelet::StopOutcome::Handled:
      if (exitCodeWritten_.count({p, c}) == 0) b.exitCodeOnSigterm = kubelet::exitCodeBySignal(ctr.stopSignal);
      break;
    case kubelet::StopOutcome::Ignored: break;
  }
}

void Loader::decideBehavior(std::size_t p, std::size_t c) {
  auto& entry = sc_.pods[p];
  const auto& pod = entry.pod;
  {
    const bool fromBehaviors = behaviorSet_[p][c] != nullptr;
    if (fromBehaviors && processSet_.count({p, c}) == 0) {  // run/exitCode/attempts given
      compileHooks(p, c);
      return;
    }
    auto& b = entry.behaviors[c];
    const auto& ctr = pod.container(c);
    const auto type = pod.containerType(c);
    if (!fromBehaviors) {
      b = ProcessBehavior{};
      b.origin = "default";
    }
    compileHooks(p, c);
    // Default process: an init container completes at once with 0, others run until stopped.
    b.attempts = {type == api::ContainerType::Init ? Attempt{0, 0} : Attempt{sim::kForever, 0}};
    if (ctr.command.empty() && ctr.args.empty()) {
      imageProcess(p, c, fromBehaviors && writtenTermination_[{p, c}]);
      return;
    }
    const auto where = "pod " + pod.name + " container " + ctr.name + ": ";
    ShellContext ctx = shellContext(ctr.image, pod.namespace_);
    ctx.serviceIndex = [this](const std::string& s) { return internService(s); };
    ctx.text = [this](const std::string& s) { return internLogText(s); };
    const auto r = compileContainerCommand(ctr.command, ctr.args, ctx);
    const bool keepTermination = fromBehaviors && writtenTermination_[{p, c}];
    switch (r.kind) {
      case ShellParse::Kind::Program:
        b.script = r.program;
        if (!fromBehaviors) b.origin = "script";
        // A shell (or sleep) as PID 1 has no SIGTERM handler: the signal is ignored until SIGKILL.
        if (!keepTermination) b.terminationDelay = sim::kForever;
        break;
      case ShellParse::Kind::SyntaxError: {
        // The shell writes its error on stderr and exits 2 at once: a two-op program, so the line is logged.
        auto prog = std::make_shared<ShellProgram>();
        prog->lines.push_back({internLogText(r.message), LogStream::Stderr});
        prog->outputs.push_back(ShellOutput{LogRange{0, 1}, {}, {}});
        prog->ops = {ShellOp{ShellOp::Kind::Status, 2, 0}, ShellOp{ShellOp::Kind::Exit, 2, -1}};
        prog->source = ctr.command.empty() ? std::string() : ctr.command.back();
        b.script = std::move(prog);
        b.attempts = {Attempt{0, 2}};
        if (!fromBehaviors) b.origin = "script";
        sc_.warnings.push_back(pod.where.file + ": " + where + r.message + "; the container exits with code 2 at once");
        break;
      }
      case ShellParse::Kind::NotUnderstood:
        sc_.warnings.push_back(pod.where.file + ": " + where + "command not modelled (" + r.message + "); " +
                               (type == api::ContainerType::Init ? "the init container completes at once with exit code 0"
                                                                 : "the container runs until it is stopped"));
        break;
    }
  }
}

}  // namespace podsim::scenario::detail
