// models/scenario/faults.cpp: `spec.faults`: crashes, image pull failures, registry outages, probe failures, node faults.
#include "models/scenario/loader_impl.hpp"

namespace podsim::scenario::detail {

/// A probability: a number in [0, 1] (`0.25`, `1`, `2.5e-2`).
double Loader::probability(const YAML::Node& n, const std::string& path) const {
  if (!n.IsScalar() || n.Tag() == "!") fail(n, path, "expected a number between 0 and 1, got " + describe(n));
  const std::string& s = n.Scalar();
  double v = -1;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0.0 && v <= 1.0)) {
    fail(n, path, "Invalid value: \"" + s + "\": must be a number between 0 and 1, inclusive");
  }
  return v;
}

/// `spec.faults`: crashes, imagePulls, registryOutages, probes (models/faults/faults.hpp).
void Loader::readFaults(const YAML::Node& n) {
  const std::string path = "spec.faults";
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    checkKnown(key, k, path, {"crashes", "imagePulls", "registryOutages", "probes", "nodes"});
    const auto p = child(path, key);
    forEachItem(v, p, [&](std::size_t i, const YAML::Node& item) {
      const auto ip = idx(p, i);
      if (!item.IsMap()) fail(item, ip, "expected a map, got " + describe(item));
      if (key == "registryOutages") {
        RegistryOutage o;
        const TimeWindow w = window(item, ip, {"registry"});
        o.from = w.from;
        o.to = w.to;
        forEachEntry(item, ip, [&](const std::string& rk, const YAML::Node&, const YAML::Node& rv) {
          if (rk == "registry") o.registry = str(rv, child(ip, rk));
        });
        sc_.faults.registryOutages.push_back(std::move(o));
        return;
      }
      if (key == "nodes") {
        NodeFault f;
        bool hasUp = false, hasDown = false;
        forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
          checkKnown(fk, fkn, ip, {"node", "meanTimeBetweenFailures", "meanTimeToRecovery"});
          const auto fp = child(ip, fk);
          if (fk == "node") {
            const auto name = str(fv, fp);
            if (sc_.nodes.empty()) {
              if (name != "node-1") fail(fv, fp, "no node \"" + name + "\" (without Node documents the only node is \"node-1\")");
              f.node = 0;
            } else {
              for (std::size_t ni = 0; ni < sc_.nodes.size(); ++ni) {
                if (sc_.nodes[ni].name == name) f.node = static_cast<std::int32_t>(ni);
              }
              if (f.node < 0) fail(fv, fp, "no node \"" + name + "\" in the scenario");
            }
            return;
          }
          const Time t = duration(fv, fp);
          if (t <= 0) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be greater than 0");
          if (t > kMaxDuration) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be at most 720h (30 days)");
          if (fk == "meanTimeBetweenFailures") {
            f.meanTimeBetweenFailures = t;
            hasUp = true;
          } else {
            f.meanTimeToRecovery = t;
            hasDown = true;
          }
        });
        if (!hasUp) fail(item, child(ip, "meanTimeBetweenFailures"), "Required value");
        if (!hasDown) fail(item, child(ip, "meanTimeToRecovery"), "Required value");
        sc_.faults.nodes.push_back(f);
        return;
      }
      if (key == "imagePulls") {
        ImagePullFault f;
        bool hasP = false;
        forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
          checkKnown(fk, fkn, ip, {"image", "failureProbability"});
          const auto fp = child(ip, fk);
          if (fk == "image") {
            const auto name = str(fv, fp);
            const auto it = std::find(sc_.images.begin(), sc_.images.end(), name);
            if (it == sc_.images.end()) fail(fv, fp, "no image \"" + name + "\" in the scenario's pods");
            f.image = static_cast<std::int32_t>(it - sc_.images.begin());
          } else {
            f.probability = probability(fv, fp);
            hasP = true;
          }
        });
        if (!hasP) fail(item, child(ip, "failureProbability"), "Required value");
        sc_.faults.imagePulls.push_back(f);
        return;
      }
      // crashes and probes: {pod, container, ...}; pod and container optional (every one).
      std::int32_t pod = -1, container = -1;
      YAML::Node containerNode;
      bool hasContainer = false;
      std::string containerName;
      const bool crash = key == "crashes";
      CrashFault cf;
      ProbeFault pf;
      bool hasValue = false;
      forEachEntry(item, ip, [&](const std::string& fk, const YAML::Node& fkn, const YAML::Node& fv) {
        if (crash) checkKnown(fk, fkn, ip, {"pod", "container", "meanTimeBetweenFailures", "exitCode"});
        else checkKnown(fk, fkn, ip, {"pod", "container", "probe", "failureProbability"});
        const auto fp = child(ip, fk);
        if (fk == "pod") {
          pod = podIndex(fv, fp, str(fv, fp));
        } else if (fk == "container") {
          containerName = str(fv, fp);
          containerNode = fv;
          hasContainer = true;
        } else if (fk == "meanTimeBetweenFailures") {
          cf.meanTimeBetweenFailures = duration(fv, fp);
          if (cf.meanTimeBetweenFailures <= 0) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be greater than 0");
          if (cf.meanTimeBetweenFailures > kMaxDuration) fail(fv, fp, "Invalid value: \"" + fv.Scalar() + "\": must be at most 720h (30 days)");
          hasValue = true;
        } else if (fk == "exitCode") {
          cf.exitCode = exitCodeOf(fv, fp);
          if (cf.exitCode == 0) fail(fv, fp, "Invalid value: 0: a crash exits with a non-zero code");
        } else if (fk == "probe") {
          const auto s = str(fv, fp);
          if (s == "startup") pf.probes = 1;
          else if (s == "liveness") pf.probes = 2;
          else if (s == "readiness") pf.probes = 4;
          else fail(fv, fp, "Unsupported value: \"" + s + "\": supported values: \"startup\", \"liveness\", \"readiness\"");
        } else {
          pf.probability = probability(fv, fp);
          hasValue = true;
        }
      });
      if (!hasValue) fail(item, child(ip, crash ? "meanTimeBetweenFailures" : "failureProbability"), "Required value");
      if (hasContainer) {
        if (pod < 0) fail(containerNode, child(ip, "container"), "Forbidden: a container is named only together with its pod");
        container = containerIndex(containerNode, child(ip, "container"), pod, containerName);
      }
      if (crash) {
        cf.pod = pod;
        cf.container = container;
        sc_.faults.crashes.push_back(cf);
      } else {
        pf.pod = pod;
        pf.container = container;
        sc_.faults.probes.push_back(pf);
      }
    });
  });
}

}  // namespace podsim::scenario::detail
