// models/scenario/scenario_spec.cpp: the Scenario document's `spec`: duration, seed, timing, version, kubelet, images, endpoints.
#include "models/scenario/loader_impl.hpp"
#include "models/scenario/loader.hpp"

#include "models/kubelet/config.hpp"
#include "models/scenario/duration.hpp"

namespace podsim::scenario::detail {

std::int32_t Loader::podIndex(const YAML::Node& at, const std::string& path, const std::string& name) const {
  for (std::size_t i = 0; i < sc_.pods.size(); ++i) {
    if (sc_.pods[i].pod.name == name) return static_cast<std::int32_t>(i);
  }
  std::vector<std::string> names;
  for (const auto& p : sc_.pods) names.push_back(p.pod.name);
  fail(at, path, "no pod \"" + name + "\" in the scenario (pods: " + join(names, ", ") + ")" + didYouMean(name, names));
}

std::int32_t Loader::containerIndex(const YAML::Node& at, const std::string& path, std::int32_t pod, const std::string& name) const {
  const auto& p = sc_.pods[static_cast<std::size_t>(pod)].pod;
  for (std::size_t i = 0; i < p.containerCount(); ++i) {
    if (p.container(i).name == name) return static_cast<std::int32_t>(i);
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < p.containerCount(); ++i) names.push_back(p.container(i).name);
  fail(at, path, "no container \"" + name + "\" in pod \"" + p.name + "\"" + didYouMean(name, names));
}

void Loader::checkKnown(const std::string& key, const YAML::Node& k, const std::string& path, const std::vector<std::string>& known,
                        Section s) const {
  if (std::find(known.begin(), known.end(), key) == known.end()) failUnknown(k, child(path, key), key, s, &known);
}

void Loader::readScenario(const Document& d) {
  file_ = d.file;
  forEachEntry(d.node, "", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, "", {"apiVersion", "kind", "metadata", "spec"}, Section::ScenarioDocument);
    if (key == "metadata") {
      forEachEntry(v, "metadata", [&](const std::string& mk, const YAML::Node& mkn, const YAML::Node& mv) {
        checkKnown(mk, mkn, "metadata", {"name", "description"});
        (mk == "name" ? sc_.name : sc_.description) = str(mv, child("metadata", mk));
      });
    } else if (key == "spec") {
      readScenarioSpec(v);
    }
  });
}

void Loader::readScenarioSpec(const YAML::Node& spec) {
  static const std::vector<std::string> known = {"duration", "seed", "manifests", "kubernetesVersion", "timing", "kubelet",
                                                 "images", "behaviors", "actions", "expect", "faults", "endpoints",
                                                 "imagePullBandwidth"};
  std::optional<YAML::Node> behaviors, actions, expect, faults, endpoints;
  forEachEntry(spec, "spec", [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, "spec", known, Section::ScenarioSpec);
    const auto p = child("spec", key);
    if (key == "duration") {
      sc_.duration = duration(v, p, ForeverAllowed::No, kMaxDuration, "720h (30 days)");
      if (sc_.duration <= 0) fail(v, p, "Invalid value: \"" + v.Scalar() + "\": must be greater than 0");
      if (sc_.duration > kMaxDuration) fail(v, p, "Invalid value: \"" + v.Scalar() + "\": must be at most 720h (30 days)");
    } else if (key == "seed") {
      const auto s = int64(v, p);
      if (s < 0) fail(v, p, "Invalid value: " + std::to_string(s) + ": must be greater than or equal to 0");
      sc_.seed = static_cast<std::uint64_t>(s);
    } else if (key == "kubernetesVersion") {
      readVersion(v, p);
    } else if (key == "timing") {
      const auto s = str(v, p);
      if (s == "kubelet") sc_.timing = Timing::Kubelet;
      else if (s == "ideal") sc_.timing = Timing::Ideal;
      else fail(v, p, "Unsupported value: \"" + s + "\": supported values: \"kubelet\", \"ideal\"");
    } else if (key == "kubelet") {
      readKubelet(v, p);
    } else if (key == "images") {
      readImages(v, p);
    } else if (key == "imagePullBandwidth") {
      // Bytes per second (a Quantity: 40M, 100Mi); a pull takes the catalogue's latency plus size / bandwidth.
      sc_.imagePullBandwidth = quantity(v, p, 0);
      if (sc_.imagePullBandwidth <= 0) fail(v, p, "Invalid value: must be greater than 0");
    } else if (key == "behaviors") {
      behaviors = v;
    } else if (key == "actions") {
      actions = v;
    } else if (key == "expect") {
      expect = v;
    } else if (key == "faults") {
      faults = v;
    } else if (key == "endpoints") {
      endpoints = v;
    }
    // manifests: read in phase 1
  });
  // Each part's errors are collected, so that one bad part does not hide the next.
  if (endpoints) soft([&] { readEndpoints(*endpoints); });
  if (faults) soft([&] { readFaults(*faults); });
  if (behaviors) soft([&] { readBehaviors(*behaviors); });
  if (actions) soft([&] { readActions(*actions); });
  if (expect) soft([&] { readExpect(*expect); });
}

void Loader::readVersion(const YAML::Node& v, const std::string& p) {
  const std::string written = str(v, p);
  const auto version = parseKubernetesVersion(written);
  if (!version) fail(v, p, "Unsupported value: \"" + written + "\": supported values: \"1.28\" to \"1.37\"");
  sc_.kubernetesVersion = *version;
}

void Loader::readKubelet(const YAML::Node& n, const std::string& path) {
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, path, {"serializeImagePulls", "maxParallelImagePulls", "crashLoopBackOff", "featureGates"});
    const auto p = child(path, key);
    if (key == "serializeImagePulls") {
      sc_.kubelet.serializeImagePulls = boolean(v, p);
    } else if (key == "maxParallelImagePulls") {
      sc_.kubelet.maxParallelImagePulls = int32(v, p);
      if (sc_.kubelet.maxParallelImagePulls < 0) fail(v, p, "Invalid value: " + v.Scalar() + ": must be greater than or equal to 0");
    } else if (key == "crashLoopBackOff") {
      forEachEntry(v, p, [&](const std::string& ck, const YAML::Node& ckn, const YAML::Node& cv) {
        checkKnown(ck, ckn, p, {"maxContainerRestartPeriod"});
        const auto cp = child(p, ck);
        const auto t = duration(cv, cp);
        if (t < sim::kSecond || t > 300 * sim::kSecond) fail(cv, cp, "Invalid value: \"" + cv.Scalar() + "\": must be between 1s and 300s");
        sc_.kubelet.maxContainerRestartPeriod = t;
      });
    } else if (key == "featureGates") {
      forEachEntry(v, p, [&](const std::string& g, const YAML::Node& gk, const YAML::Node& gv) {
        // Checked against the version's gate table in checkVersionedFields (validateFeatureGates).
        gateNodes_.emplace_back(g, gk);
        const bool on = boolean(gv, child(p, g));
        if (g == "ReduceDefaultCrashLoopBackOffDecay") sc_.kubelet.reduceDefaultCrashLoopBackOffDecay = on;
        sc_.kubelet.featureGates.emplace_back(g, on);
      });
    }
  });
}

void Loader::readImages(const YAML::Node& n, const std::string& path) {
  forEachEntry(n, path, [&](const std::string& image, const YAML::Node&, const YAML::Node& v) {
    const auto p = child(path, image);
    ImageBehavior b;
    b.described = true;
    forEachEntry(v, p, [&](const std::string& key, const YAML::Node& k, const YAML::Node& iv) {
      checkKnown(key, k, p, {"pullDuration", "pullError", "message", "present", "size"});
      const auto ip = child(p, key);
      if (key == "pullDuration") {
        b.pullDuration = duration(iv, ip);
        b.pullDurationWritten = true;
      } else if (key == "size") {
        b.sizeBytes = quantity(iv, ip, 0);
      } else if (key == "pullError") {
        const auto s = str(iv, ip);
        b.pullError = api::reasonFromString(s);
        if (b.pullError != api::Reason::ErrImagePull && b.pullError != api::Reason::RegistryUnavailable) {
          fail(iv, ip, "Unsupported value: \"" + s + "\": supported values: \"ErrImagePull\", \"RegistryUnavailable\"");
        }
      } else if (key == "message") {
        b.pullErrorMessage = str(iv, ip);
      } else if (key == "present") {
        b.present = boolean(iv, ip);
      }
    });
    const auto id = internImage(image);
    sc_.imageBehaviors[static_cast<std::size_t>(id)] = b;
    describedImages_.insert(id);
  });
}

/// A list of Service or endpoint names (DNS labels), interned as Services.
std::vector<std::int32_t> Loader::serviceList(const YAML::Node& n, const std::string& path) {
  std::vector<std::int32_t> out;
  forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) {
    const auto s = str(item, idx(path, i));
    if (!api::IsDNS1123Label(s)) fail(item, idx(path, i), "Invalid value: \"" + s + "\": " + api::kDNS1123LabelErrorMsg);
    out.push_back(internService(s));
  });
  return out;
}

/// `[{from: D, to: D}, ...]`: windows of simulated time; `to` defaults to the end of the run.
std::vector<TimeWindow> Loader::windows(const YAML::Node& n, const std::string& path) {
  std::vector<TimeWindow> out;
  forEachItem(n, path, [&](std::size_t i, const YAML::Node& item) {
    const auto ip = idx(path, i);
    out.push_back(window(item, ip, {}));
  });
  return out;
}

/// One window `{from: D, to: D}` (`to` optional: forever); `extra` keys are allowed and skipped.
TimeWindow Loader::window(const YAML::Node& item, const std::string& ip, const std::vector<std::string>& extra) {
  TimeWindow w;
  bool hasFrom = false;
  YAML::Node toNode;
  std::vector<std::string> known = {"from", "to"};
  known.insert(known.end(), extra.begin(), extra.end());
  forEachEntry(item, ip, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, ip, known);
    if (key == "from") {
      w.from = duration(v, child(ip, key));
      hasFrom = true;
    } else if (key == "to") {
      w.to = duration(v, child(ip, key), ForeverAllowed::Yes);
      toNode = v;
    }
  });
  if (!hasFrom) fail(item, child(ip, "from"), "Required value");
  if (w.to <= w.from) fail(toNode, child(ip, "to"), "Invalid value: \"" + toNode.Scalar() + "\": must be later than from");
  return w;
}

/// `spec.endpoints`: Services and endpoints outside the cluster, with the windows when they do not answer.
void Loader::readEndpoints(const YAML::Node& n) {
  const std::string path = "spec.endpoints";
  forEachEntry(n, path, [&](const std::string& name, const YAML::Node& nk, const YAML::Node& v) {
    const auto p = child(path, name);
    if (!api::IsDNS1123Label(name)) fail(nk, p, "Invalid value: \"" + name + "\": " + api::kDNS1123LabelErrorMsg);
    const auto s = static_cast<std::size_t>(internService(name));
    bool hasUp = false, hasDown = false;
    forEachEntry(v, p, [&](const std::string& key, const YAML::Node& k, const YAML::Node& ev) {
      checkKnown(key, k, p, {"external", "down", "up"});
      const auto ep = child(p, key);
      if (key == "external") {
        const bool external = boolean(ev, ep);
        if (external && sc_.services[s].existsAtStart && !sc_.services[s].external) {
          fail(ev, ep, "Forbidden: a Service named \"" + name + "\" is declared by a Service document");
        }
        sc_.services[s].external = external;
        if (external) sc_.services[s].existsAtStart = true;  // outside the cluster: no createService
      } else if (key == "down") {
        if (hasUp) fail(k, ep, "Forbidden: may not be set together with up");
        hasDown = true;
        sc_.services[s].down = windows(ev, ep);
      } else {
        if (hasDown) fail(k, ep, "Forbidden: may not be set together with down");
        hasUp = true;
        sc_.services[s].down = complement(windows(ev, ep));
      }
    });
  });
}

/// The gaps of [0, forever) between `up` windows: when the name does not answer.
std::vector<TimeWindow> Loader::complement(std::vector<TimeWindow> up) {
  std::sort(up.begin(), up.end(), [](const TimeWindow& a, const TimeWindow& b) { return a.from < b.from; });
  std::vector<TimeWindow> down;
  Time at = 0;
  for (const auto& w : up) {
    if (w.from > at) down.push_back({at, w.from});
    at = std::max(at, w.to);
    if (at == sim::kForever) return down;
  }
  down.push_back({at, sim::kForever});
  return down;
}

}  // namespace podsim::scenario::detail
