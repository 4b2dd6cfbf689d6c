// models/scenario/expectations.cpp: `spec.expect`: the conditions `podsim check` evaluates on a finished run.
#include "models/scenario/loader_impl.hpp"

#include "models/api/validation.hpp"

namespace podsim::scenario::detail {

/// A one-line flow rendering of a node for messages, cut at about 160 characters (bounded even for
/// alias bombs, unlike an emitter).
void Loader::flow(const YAML::Node& v, std::string& out) {
  if (out.size() > 160) return;
  if (v.IsScalar()) {
    out += v.Scalar().size() > 60 ? v.Scalar().substr(0, 60) + "..." : v.Scalar();
  } else if (v.IsSequence()) {
    out += "[";
    bool first = true;
    for (auto it = v.begin(); it != v.end() && out.size() <= 160; ++it) {
      out += first ? "" : ", ";
      first = false;
      flow(*it, out);
    }
    out += "]";
  } else if (v.IsMap()) {
    out += "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end() && out.size() <= 160; ++it) {
      out += first ? "" : ", ";
      first = false;
      flow(it->first, out);
      out += ": ";
      flow(it->second, out);
    }
    out += "}";
  } else {
    out += "null";
  }
}

/// The entries of a map as (key node, value node) by key, in written order; types and duplicates checked.
std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> Loader::entries(const YAML::Node& n, const std::string& path) {
  std::vector<std::pair<std::string, std::pair<YAML::Node, YAML::Node>>> out;
  forEachEntry(n, path, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) { out.push_back({key, {k, v}}); });
  return out;
}

const std::vector<std::string>& Loader::stateKeys() {
  static const std::vector<std::string> keys = {"status", "ready", "restarts", "phase", "removed", "conditions",
                                                "state", "reason", "exitCode", "restartCount", "started"};
  return keys;
}

/// Reads `pod:` (or takes the only pod) and `container:` (or the only container when `needContainer`).
void Loader::expectTarget(Expectation& x, const YAML::Node* podNode, const YAML::Node* containerNode, const YAML::Node& item,
                  const std::string& path, bool needContainer) {
  if (podNode != nullptr) {
    x.pod = podIndex(*podNode, child(path, "pod"), str(*podNode, child(path, "pod")));
  } else if (sc_.pods.size() == 1) {
    x.pod = 0;
  } else {
    fail(item, child(path, "pod"), "Required value: the scenario has more than one pod");
  }
  const auto& pod = sc_.pods[static_cast<std::size_t>(x.pod)].pod;
  if (containerNode != nullptr) {
    x.container = containerIndex(*containerNode, child(path, "container"), x.pod, str(*containerNode, child(path, "container")));
  } else if (needContainer) {
    if (pod.containerCount() != 1) fail(item, child(path, "container"), "Required value: pod \"" + pod.name + "\" has more than one container");
    x.container = 0;
  }
}

/// Reads the state fields of an `at`, `eventually`, `never` or `always` entry from the map `n`
/// (keys not among stateKeys, `pod`, `container` and `extra` are errors).
void Loader::readStateFields(Expectation& x, const YAML::Node& n, const std::string& path, const std::vector<std::string>& extra,
                     const YAML::Node* outerPod, const YAML::Node* outerContainer) {
  std::vector<std::string> known = extra;
  known.insert(known.end(), {"pod", "container"});
  known.insert(known.end(), stateKeys().begin(), stateKeys().end());
  const auto es = entries(n, path);
  std::optional<YAML::Node> podNode, containerNode;
  if (outerPod != nullptr) podNode = *outerPod;
  if (outerContainer != nullptr) containerNode = *outerContainer;
  bool needContainer = false;
  for (const auto& [key, kv] : es) {
    checkKnown(key, kv.first, path, known);
    if (key == "pod") podNode = kv.second;
    if (key == "container") containerNode = kv.second;
    if (key == "state" || key == "reason" || key == "exitCode" || key == "restartCount" || key == "started") needContainer = true;
  }
  expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, n, path, needContainer);
  using K = StateField::Kind;
  for (const auto& entry : es) {
    const std::string& key = entry.first;
    const YAML::Node& v = entry.second.second;
    const auto p = child(path, key);
    auto add = [&](K kind, std::string value) { x.fields.push_back({kind, key, std::move(value)}); };
    // Expected booleans may be written quoted ("true"), as kubectl prints them.
    auto flag = [&] { return (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) ? v.Scalar() == "true" : boolean(v, p); };
    auto count = [&] {
      const auto c = int64(v, p);
      if (c < 0) fail(v, p, "Invalid value: " + std::to_string(c) + ": must be greater than or equal to 0");
      return std::to_string(c);
    };
    if (key == "status") add(K::Status, str(v, p));
    else if (key == "ready") {
      const auto r = str(v, p);
      const auto slash = r.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == r.size() ||
          r.find_first_not_of("0123456789/") != std::string::npos || r.find('/', slash + 1) != std::string::npos) {
        fail(v, p, "Invalid value: \"" + r + "\": expected READY as kubectl prints it, e.g. \"1/2\"");
      }
      add(K::Ready, r);
    } else if (key == "restarts") add(K::Restarts, count());
    else if (key == "phase") {
      const auto ph = str(v, p);
      if (ph != "Pending" && ph != "Running" && ph != "Succeeded" && ph != "Failed" && ph != "Unknown") {
        fail(v, p, "Unsupported value: \"" + ph + "\": supported values: \"Pending\", \"Running\", \"Succeeded\", \"Failed\", \"Unknown\"");
      }
      add(K::Phase, ph);
    } else if (key == "removed") add(K::Removed, flag() ? "true" : "false");
    else if (key == "conditions") {
      static const std::vector<std::string> types = {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                                                     "PodScheduled", "DisruptionTarget", "AllContainersRestarting",
                                                     "PodResizePending", "PodResizeInProgress"};
      forEachEntry(v, p, [&](const std::string& t, const YAML::Node& tk, const YAML::Node& tv) {
        // A type with a domain prefix ("example.com/feature-1") is one that outside controllers set
        // (spec.readinessGates, setPodCondition); the others must be the kubelet's.
        const bool custom = t.find('/') != std::string::npos && api::validateQualifiedName(t).empty();
        if (!custom) checkKnown(t, tk, p, types);
        const auto cp = child(p, t);
        std::string value = tv.IsScalar() ? tv.Scalar() : "";
        if (value == "true" || value == "True") value = "True";
        else if (value == "false" || value == "False") value = "False";
        else if (custom && value == "Unknown") value = "Unknown";
        else fail(tv, cp, "Unsupported value: " + describe(tv) + ": supported values: \"True\", \"False\"" + (custom ? ", \"Unknown\"" : ""));
        x.fields.push_back({K::Condition, "conditions." + t, value, custom ? internPodConditionType(tk, cp, t) : -1});
      });
    } else if (key == "state") {
      const auto st = str(v, p);
      if (st != "waiting" && st != "running" && st != "terminated") {
        fail(v, p, "Unsupported value: \"" + st + "\": supported values: \"waiting\", \"running\", \"terminated\"");
      }
      add(K::State, st);
    } else if (key == "reason") add(K::Reason, str(v, p));
    else if (key == "exitCode") add(K::ExitCode, std::to_string(exitCodeOf(v, p)));
    else if (key == "restartCount") add(K::RestartCount, count());
    else if (key == "started") add(K::Started, flag() ? "true" : "false");
  }
  if (x.fields.empty()) fail(n, path, "Required value: at least one of " + quotedList(stateKeys()));
}

Expectation::Moment Loader::moment(const std::string& s) {
  return (s == "Exited" || s == "exited") ? Expectation::Moment::Exited : Expectation::Moment::Started;
}

void Loader::readExpectation(const YAML::Node& item, const std::string& p) {
  Expectation x;
  const auto m = item.Mark();
  x.where = {file_, m.line + 1, m.column + 1};
  flow(item, x.written);
  if (!item.IsMap()) fail(item, p, "expected a map, got " + describe(item));
  static const std::vector<std::pair<std::string, Expectation::Kind>> kinds = {
      {"eventually", Expectation::Kind::Eventually}, {"never", Expectation::Kind::Never},
      {"always", Expectation::Kind::Always},         {"order", Expectation::Kind::Order},
      {"together", Expectation::Kind::Together},     {"backoff", Expectation::Kind::Backoff},
      {"event", Expectation::Kind::Event},           {"fingerprint", Expectation::Kind::Fingerprint}};
  const auto es = entries(item, p);
  std::string kindKey;
  YAML::Node body;
  std::map<std::string, YAML::Node> outer;
  for (const auto& [key, kv] : es) {
    outer[key] = kv.second;
    for (const auto& [name, kind] : kinds) {
      if (key != name) continue;
      if (!kindKey.empty()) fail(kv.first, child(p, key), "Forbidden: one expectation per entry (already \"" + kindKey + "\")");
      kindKey = key;
      x.kind = kind;
      body = kv.second;
    }
  }
  auto get = [&](const std::string& key) -> const YAML::Node* {
    const auto it = outer.find(key);
    return it == outer.end() ? nullptr : &it->second;
  };
  auto allow = [&](std::vector<std::string> known) {
    for (const auto& [key, kv] : es) checkKnown(key, kv.first, p, known);
  };
  auto window = [&](const char* fromKey, const char* toKey) {
    if (const auto* f = get(fromKey)) x.from = duration(*f, child(p, fromKey));
    if (const auto* t = get(toKey)) {
      x.to = duration(*t, child(p, toKey));
      if (x.to < x.from) fail(*t, child(p, toKey), "Invalid value: \"" + t->Scalar() + "\": must not be before " + fromKey);
    }
  };
  const std::string bp = child(p, kindKey);
  switch (x.kind) {
    case Expectation::Kind::At: {
      const auto* at = get("at");
      if (at == nullptr) fail(item, child(p, "at"), "Required value: `at`, or one of \"eventually\", \"never\", \"always\", \"order\", \"together\", \"backoff\", \"event\", \"fingerprint\"");
      x.at = duration(*at, child(p, "at"));
      readStateFields(x, item, p, {"at"}, nullptr, nullptr);
      break;
    }
    case Expectation::Kind::Eventually: {
      allow({"eventually", "within", "after", "pod", "container"});
      if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
      readStateFields(x, body, bp, {}, get("pod"), get("container"));
      if (const auto* a = get("after")) x.from = duration(*a, child(p, "after"));
      if (const auto* w = get("within")) x.to = x.from + duration(*w, child(p, "within"));
      break;
    }
    case Expectation::Kind::Never:
    case Expectation::Kind::Always: {
      allow({kindKey, "from", "to", "pod", "container"});
      if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
      readStateFields(x, body, bp, {}, get("pod"), get("container"));
      window("from", "to");
      break;
    }
    case Expectation::Kind::Order: {
      allow({"order", "pod"});
      std::optional<YAML::Node> podNode, first, then;
      if (const auto* pn = get("pod")) podNode = *pn;
      std::string firstEvent, thenEvent;
      forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
        checkKnown(key, k, bp, {"first", "then", "event", "firstEvent", "thenEvent", "pod"});
        const auto kp = child(bp, key);
        if (key == "pod") podNode = v;
        else if (key == "first") first = v;
        else if (key == "then") then = v;
        else {
          const auto e = str(v, kp);
          if (e != "Started" && e != "started" && e != "Exited" && e != "exited") {
            fail(v, kp, "Unsupported value: \"" + e + "\": supported values: \"Started\", \"Exited\"");
          }
          if (key != "thenEvent") x.firstMoment = moment(e);
          if (key != "firstEvent") x.thenMoment = moment(e);
          (key == "firstEvent" ? firstEvent : key == "thenEvent" ? thenEvent : firstEvent) = e;
        }
      });
      if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
      if (!first) fail(body, child(bp, "first"), "Required value");
      if (!then) fail(body, child(bp, "then"), "Required value");
      expectTarget(x, podNode ? &*podNode : nullptr, &*first, body, bp, false);
      x.container = containerIndex(*first, child(bp, "first"), x.pod, str(*first, child(bp, "first")));
      x.other = containerIndex(*then, child(bp, "then"), x.pod, str(*then, child(bp, "then")));
      break;
    }
    case Expectation::Kind::Together: {
      allow({"together", "pod"});
      const auto names = stringList(body, bp);
      if (!body.IsSequence() || names.size() != 2) fail(body, bp, "Invalid value: expected two container names, e.g. [app, log-agent]");
      expectTarget(x, get("pod"), nullptr, item, p, false);
      x.container = containerIndex(body[0], idx(bp, 0), x.pod, names[0]);
      x.other = containerIndex(body[1], idx(bp, 1), x.pod, names[1]);
      break;
    }
    case Expectation::Kind::Backoff: {
      allow({"backoff", "pod"});
      std::optional<YAML::Node> podNode, containerNode, waits;
      if (const auto* pn = get("pod")) podNode = *pn;
      x.tolerance = sim::kSecond;
      forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
        checkKnown(key, k, bp, {"container", "waits", "tolerance", "pod"});
        if (key == "pod") podNode = v;
        else if (key == "container") containerNode = v;
        else if (key == "waits") waits = v;
        else x.tolerance = duration(v, child(bp, key));
      });
      if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
      expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, body, bp, true);
      if (!waits) fail(body, child(bp, "waits"), "Required value");
      forEachItem(*waits, child(bp, "waits"), [&](std::size_t i, const YAML::Node& w) {
        if (i >= 1000) fail(w, idx(child(bp, "waits"), i), "Too many: more than 1000 waits");
        x.waits.push_back(duration(w, idx(child(bp, "waits"), i)));
      });
      if (x.waits.empty()) fail(*waits, child(bp, "waits"), "Required value: at least one wait");
      break;
    }
    case Expectation::Kind::Event: {
      allow({"event", "pod"});
      std::optional<YAML::Node> podNode, containerNode, reasonNode;
      if (const auto* pn = get("pod")) podNode = *pn;
      forEachEntry(body, bp, [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) {
        checkKnown(key, k, bp, {"reason", "container", "atLeast", "atMost", "from", "to", "pod"});
        const auto kp = child(bp, key);
        if (key == "pod") podNode = v;
        else if (key == "container") containerNode = v;
        else if (key == "reason") reasonNode = v;
        else if (key == "atLeast" || key == "atMost") {
          const auto n = int64(v, kp);
          if (n < 0) fail(v, kp, "Invalid value: " + std::to_string(n) + ": must be greater than or equal to 0");
          (key == "atLeast" ? x.atLeast : x.atMost) = n;
        } else if (key == "from") x.from = duration(v, kp);
        else x.to = duration(v, kp);
      });
      if (!body.IsMap()) fail(body, bp, "expected a map, got " + describe(body));
      if (!reasonNode) fail(body, child(bp, "reason"), "Required value");
      x.reason = str(*reasonNode, child(bp, "reason"));
      std::vector<std::string> reasons;
      for (int r = 0; r < static_cast<int>(api::EventReason::Count); ++r) {
        reasons.emplace_back(api::toString(static_cast<api::EventReason>(r)));
      }
      if (std::find(reasons.begin(), reasons.end(), x.reason) == reasons.end()) {
        const auto meant = didYouMean(x.reason, reasons);
        fail(*reasonNode, child(bp, "reason"), "Unsupported value: \"" + x.reason + "\"" +
                                                    (meant.empty() ? ": not an Event reason podsim records" : meant));
      }
      if (x.atLeast >= 0 && x.atMost >= 0 && x.atMost < x.atLeast) {
        fail(body, child(bp, "atMost"), "Invalid value: " + std::to_string(x.atMost) + ": must be greater than or equal to atLeast");
      }
      if (x.to >= 0 && x.to < x.from) fail(body, child(bp, "to"), "Invalid value: must not be before from");
      expectTarget(x, podNode ? &*podNode : nullptr, containerNode ? &*containerNode : nullptr, body, bp, false);
      break;
    }
    case Expectation::Kind::Fingerprint: {
      allow({"fingerprint"});
      auto f = str(body, bp);
      std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (f.size() != 16 || f.find_first_not_of("0123456789abcdef") != std::string::npos) {
        fail(body, bp, "Invalid value: \"" + f.substr(0, 40) + "\": expected 16 hexadecimal digits (FNV-1a 64 of the JSONL trace)");
      }
      x.fingerprint = f;
      break;
    }
  }
  sc_.expectations.push_back(std::move(x));
}

void Loader::readExpect(const YAML::Node& n) {
  forEachItem(n, "spec.expect", [&](std::size_t i, const YAML::Node& item) {
    const auto p = idx("spec.expect", i);
    if (i >= kMaxExpectations) fail(item, p, "Too many: more than " + std::to_string(kMaxExpectations) + " expectations");
    readExpectation(item, p);
  });
}

}  // namespace podsim::scenario::detail
