// models/trace/views.cpp: `kubectl get pods` and `kubectl describe pod` at any moment, from the trace.
//
// Owns the replay and the text; the wording and layout follow kubectl (pkg/printers/internalversion
// printers.go printPod, staging/src/k8s.io/kubectl/pkg/describe/describe.go describePod).
#include "models/trace/views.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

#include "models/engine/simulation.hpp"
#include "models/scenario/duration.hpp"
#include "models/trace/output.hpp"

namespace podsim::trace {

namespace {

using Kind = kubelet::ContainerStateValue::Kind;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second, weekday;
};

Civil civil(sim::Time t) {
  const std::int64_t secs = t / sim::kSecond;
  const std::int64_t days = secs / 86400;
  const std::int64_t rem = secs % 86400;
  Civil c{};
  civilFromDays(days, c.year, c.month, c.day);
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>(rem / 60 % 60);
  c.second = static_cast<unsigned>(rem % 60);
  c.weekday = static_cast<unsigned>((4 + days) % 7);  // 1970-01-01 was a Thursday
  return c;
}

/// kubectl describe's time format: "Mon, 02 Jan 2006 15:04:05 -0700" (time.RFC1123Z).
std::string rfc1123z(sim::Time t) {
  static const char* const days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Civil c = civil(t);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[c.weekday], c.day, months[c.month - 1], c.year, c.hour,
                     c.minute, c.second);
}

const api::Pod& podSpec(const engine::Simulation& sim, std::int32_t p) {
  return sim.scenario().pods.at(static_cast<std::size_t>(p)).pod;
}

std::string imageOf(const engine::Simulation& sim, const api::Pod& pod, std::size_t ci, const kubelet::ApiContainerStatus* s) {
  const auto& images = sim.scenario().images;
  if (s != nullptr && s->imageId >= 0 && static_cast<std::size_t>(s->imageId) < images.size()) {
    return images[static_cast<std::size_t>(s->imageId)];
  }
  return pod.container(ci).image;
}

std::string nodeName(const engine::Simulation& sim, std::int32_t node) {
  return node >= 0 ? sim.nodeNames()[static_cast<std::size_t>(node)] : std::string();
}

/// YAML double-quoted string (kubectl quotes strings that would read as other types).
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

/// A YAML scalar for a plain string, quoted only where a plain scalar would read as something else (as
/// go-yaml, which kubectl's `-o yaml` uses, does): `busybox:1.28` stays plain, `"True"` or `"8080"` do not.
std::string scalar(std::string_view s) {
  if (s.empty()) return quote(s);
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const special[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  for (const char* w : special) {
    if (l == w) return quote(s);
  }
  const bool numeric = s.find_first_not_of("0123456789.+-eE_") == std::string_view::npos;
  const bool indicator = std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos;
  if (numeric || indicator || s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos ||
      s.back() == ':' || s.front() == ' ' || s.back() == ' ') {
    return quote(s);
  }
  return std::string(s);
}

std::string crashMessage(const engine::Simulation& sim, std::int32_t p, const api::Pod& pod, std::size_t ci,
                         const kubelet::ContainerStateValue& s) {
  return fmt::format("back-off {} restarting failed container={} pod={}", scenario::formatDuration(s.backoff), pod.container(ci).name,
                     sim.podRef(p));
}

void yamlState(std::ostream& out, const std::string& indent, const kubelet::ContainerStateValue& s, const std::string& crashMsg) {
  switch (s.kind) {
    case Kind::Waiting:
      out << indent << "waiting:\n";
      if (s.reason == api::Reason::CrashLoopBackOff) out << indent << "  message: " << quote(crashMsg) << '\n';
      if (s.reason != api::Reason::None) out << indent << "  reason: " << api::toString(s.reason) << '\n';
      break;
    case Kind::Running:
      out << indent << "running:\n";
      out << indent << "  startedAt: " << quote(rfc3339(std::max<sim::Time>(s.startedAt, 0))) << '\n';
      break;
    case Kind::Terminated:
      out << indent << "terminated:\n";
      out << indent << "  exitCode: " << s.exitCode << '\n';
      if (s.finishedAt >= 0) out << indent << "  finishedAt: " << quote(rfc3339(s.finishedAt)) << '\n';
      if (s.reason != api::Reason::None) out << indent << "  reason: " << api::toString(s.reason) << '\n';
      if (s.startedAt >= 0) out << indent << "  startedAt: " << quote(rfc3339(s.startedAt)) << '\n';
      break;
  }
}

/// A describe field line: `indent` + key, padded so that values start at column `width`.
std::string field(std::string_view indent, std::string_view key, std::string_view value, std::size_t width) {
  std::string k = std::string(indent) + std::string(key) + ":";
  if (k.size() + 1 < width) k.resize(width, ' ');
  else k += ' ';
  return k + std::string(value) + "\n";
}

}  // namespace

std::string rfc3339(sim::Time t) {
  const Civil c = civil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

PodAt podAt(const engine::Simulation& sim, std::int32_t pod, sim::Time at) {
  const api::Pod& spec = podSpec(sim, pod);
  PodAt p;
  p.pod = pod;
  p.at = at;
  const std::size_t n = spec.containerCount();
  p.containers.resize(n);
  p.reported.assign(n, false);
  p.containerRecord.assign(n, npos);
  const Trace& tr = sim.trace();
  const auto& recs = tr.records();
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.t > at) break;
    if (r.pod != pod) continue;
    switch (r.type) {
      case RecordType::PodStatus: {
        const PodStatusRecord& s = tr.podStatusAt(r);
        if (p.createdAt < 0) {
          p.createdAt = r.t;
          p.exists = true;
          for (auto& since : p.conditionSince) since = r.t;
        } else {
          for (std::size_t c = 0; c < s.conditions.size(); ++c) {
            if (s.conditions[c].present != p.status.conditions[c].present || s.conditions[c].status != p.status.conditions[c].status) {
              p.conditionSince[c] = r.t;
            }
          }
        }
        if (s.deleting && p.deletingSince < 0) p.deletingSince = r.t;
        {
          const auto& sandbox = s.conditions[static_cast<std::size_t>(kubelet::ConditionType::PodReadyToStartContainers)];
          if (p.sandboxSince < 0 && sandbox.present && sandbox.status) p.sandboxSince = r.t;
        }
        p.status = s;
        p.statusRecord = i;
        break;
      }
      case RecordType::ContainerStatus: {
        const ContainerStatusRecord& c = tr.containerStatusAt(r);
        const auto ci = static_cast<std::size_t>(c.container);
        // Without the PodReadyToStartContainers condition, a container that ran shows that a sandbox existed.
        if (p.sandboxSince < 0 && (c.status.state.kind != Kind::Waiting || c.status.hasLastState)) p.sandboxSince = r.t;
        p.containers[ci] = c.status;
        p.reported[ci] = true;
        p.containerRecord[ci] = i;
        break;
      }
      case RecordType::PodRemoved:
        p.removed = true;
        p.exists = false;
        break;
      case RecordType::Event: p.events.push_back(i); break;
      case RecordType::Action: break;
    }
  }
  return p;
}

std::int32_t findPod(const engine::Simulation& sim, std::string_view name) {
  const auto& pods = sim.scenario().pods;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    const api::Pod& pod = pods[i].pod;
    if (name == pod.name || name == pod.namespace_ + "/" + pod.name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::string podIP(const engine::Simulation& sim, const PodAt& p) {
  if (p.sandboxSince < 0 || p.status.node < 0) return "<none>";
  (void)sim;
  return fmt::format("10.244.{}.{}", p.status.node, p.pod + 2);
}

GetColumns getColumns(const PodAt& p) {
  const kubelet::PrintedPod& pp = p.status.printed;
  return {fmt::format("{}/{}", pp.ready, pp.total), pp.status(), restartsColumn(pp, p.at)};
}

bool writeGet(std::ostream& out, const engine::Simulation& sim, sim::Time at, GetFormat format, std::string_view pod) {
  std::vector<PodAt> shown;
  const auto& pods = sim.scenario().pods;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    const api::Pod& spec = pods[i].pod;
    if (!pod.empty() && pod != spec.name && pod != spec.namespace_ + "/" + spec.name) continue;
    PodAt p = podAt(sim, static_cast<std::int32_t>(i), at);
    if (p.exists) shown.push_back(std::move(p));
  }
  if (shown.empty()) {
    if (!pod.empty()) {
      out << fmt::format("Error from server (NotFound): pods \"{}\" not found\n", pod);
      return false;
    }
    out << "No resources found in default namespace.\n";
    return true;
  }
  if (format == GetFormat::Yaml) {
    const bool list = pod.empty();
    const std::string in = list ? "  " : "";
    if (list) out << "apiVersion: v1\nitems:\n";
    for (const PodAt& p : shown) {
      const api::Pod& spec = podSpec(sim, p.pod);
      const PodStatusRecord& s = p.status;
      out << (list ? "- " : "") << "apiVersion: v1\n";
      out << in << "kind: Pod\n" << in << "metadata:\n";
      out << in << "  creationTimestamp: " << quote(rfc3339(p.createdAt)) << '\n';
      if (p.deletingSince >= 0) out << in << "  deletionTimestamp: " << quote(rfc3339(p.deletingSince)) << '\n';
      if (!spec.labels.empty()) {
        out << in << "  labels:\n";
        for (const auto& [k, v] : spec.labels) out << in << "    " << scalar(k) << ": " << scalar(v) << '\n';
      }
      out << in << "  name: " << scalar(spec.name) << '\n' << in << "  namespace: " << scalar(spec.namespace_) << '\n';
      out << in << "spec:\n";
      if (s.node >= 0) out << in << "  nodeName: " << scalar(nodeName(sim, s.node)) << '\n';
      out << in << "  restartPolicy: "
          << (spec.restartPolicy == api::RestartPolicy::Always ? "Always" : spec.restartPolicy == api::RestartPolicy::OnFailure ? "OnFailure" : "Never")
          << '\n';
      out << in << "status:\n";
      bool anyCondition = false;
      for (const auto& c : s.conditions) anyCondition = anyCondition || c.present;
      if (anyCondition) {
        out << in << "  conditions:\n";
        for (std::size_t c = 0; c < s.conditions.size(); ++c) {
          if (!s.conditions[c].present) continue;
          out << in << "  - lastProbeTime: null\n";
          out << in << "    lastTransitionTime: " << quote(rfc3339(p.conditionSince[c])) << '\n';
          if (s.conditions[c].reason != api::Reason::None) out << in << "    reason: " << api::toString(s.conditions[c].reason) << '\n';
          out << in << "    status: " << quote(s.conditions[c].status ? "True" : "False") << '\n';
          out << in << "    type: " << kubelet::toString(static_cast<kubelet::ConditionType>(c)) << '\n';
        }
      }
      const auto writeStatuses = [&](const char* key, std::vector<std::size_t> idx) {
        bool any = false;
        for (const std::size_t ci : idx) any = any || p.reported[ci];
        if (!any) return;
        out << in << "  " << key << ":\n";
        for (const std::size_t ci : idx) {
          if (!p.reported[ci]) continue;
          const kubelet::ApiContainerStatus& cs = p.containers[ci];
          const std::string msg = crashMessage(sim, p.pod, spec, ci, cs.state);
          out << in << "  - image: " << scalar(imageOf(sim, spec, ci, &cs)) << '\n';
          out << in << "    lastState:";
          if (cs.hasLastState) {
            out << '\n';
            yamlState(out, in + "      ", cs.lastState, msg);
          } else {
            out << " {}\n";
          }
          out << in << "    name: " << scalar(spec.container(ci).name) << '\n';
          out << in << "    ready: " << (cs.ready ? "true" : "false") << '\n';
          out << in << "    restartCount: " << cs.restartCount << '\n';
          out << in << "    started: " << (cs.started ? "true" : "false") << '\n';
          out << in << "    state:\n";
          yamlState(out, in + "      ", cs.state, msg);
        }
      };
      std::vector<std::size_t> regular;
      for (std::size_t ci = spec.initContainers.size(); ci < spec.containerCount(); ++ci) regular.push_back(ci);
      // The API lists containerStatuses sorted by name.
      std::sort(regular.begin(), regular.end(),
                [&](std::size_t a, std::size_t b) { return spec.container(a).name < spec.container(b).name; });
      writeStatuses("containerStatuses", regular);
      std::vector<std::size_t> init;
      for (std::size_t ci = 0; ci < spec.initContainers.size(); ++ci) init.push_back(ci);
      writeStatuses("initContainerStatuses", init);
      out << in << "  phase: " << api::toString(s.phase) << '\n';
      if (p.sandboxSince >= 0 && s.node >= 0) {
        out << in << "  podIP: " << podIP(sim, p) << '\n';
        out << in << "  podIPs:\n" << in << "  - ip: " << podIP(sim, p) << '\n';
      }
      if (s.reason != api::Reason::None) out << in << "  reason: " << api::toString(s.reason) << '\n';
      if (s.node >= 0 && p.statusRecord != npos) out << in << "  startTime: " << quote(rfc3339(p.createdAt)) << '\n';
    }
    if (list) out << "kind: List\nmetadata:\n  resourceVersion: \"\"\n";
    return true;
  }
  // Table (printers.go printPod); kubectl separates columns by three spaces.
  std::vector<std::vector<std::string>> rows;
  if (format == GetFormat::Wide) {
    rows.push_back({"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"});
  } else {
    rows.push_back({"NAME", "READY", "STATUS", "RESTARTS", "AGE"});
  }
  for (const PodAt& p : shown) {
    const GetColumns c = getColumns(p);
    std::vector<std::string> row{podSpec(sim, p.pod).name, c.ready, c.status, c.restarts, humanDuration(at - p.createdAt)};
    if (format == GetFormat::Wide) {
      const std::string node = nodeName(sim, p.status.node);
      row.insert(row.end(), {podIP(sim, p), node.empty() ? "<none>" : node, "<none>", "<none>"});
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> w(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(w[i] - row[i].size() + 3, ' ');
    }
    out << line << '\n';
  }
  return true;
}

bool writeDescribe(std::ostream& out, const engine::Simulation& sim, std::int32_t pod, sim::Time at) {
  const api::Pod& spec = podSpec(sim, pod);
  const PodAt p = podAt(sim, pod, at);
  if (!p.exists) {
    out << fmt::format("Error from server (NotFound): pods \"{}\" not found\n", spec.name);
    return false;
  }
  const PodStatusRecord& s = p.status;
  constexpr std::size_t W0 = 18;
  out << field("", "Name", spec.name, W0);
  out << field("", "Namespace", spec.namespace_, W0);
  const std::string node = nodeName(sim, s.node);
  out << field("", "Node", node.empty() ? "<none>" : node, W0);
  if (s.node >= 0) out << field("", "Start Time", rfc1123z(p.createdAt), W0);
  if (spec.labels.empty()) {
    out << field("", "Labels", "<none>", W0);
  } else {
    bool first = true;
    for (const auto& [k, v] : spec.labels) {
      out << field("", first ? "Labels" : "", k + "=" + v, W0);
      first = false;
    }
  }
  if (s.deleting) {
    // describe.go: "Terminating (lasts <until deletionTimestamp>)"; the deletionTimestamp is the request plus the grace.
    sim::Time deadline = p.deletingSince + spec.terminationGracePeriodSeconds * sim::kSecond;
    for (const auto& a : sim.scenario().actions) {
      if (a.kind == scenario::ActionKind::DeletePod && a.pod == pod && a.at <= at) {
        deadline = a.at + (a.gracePeriodSeconds >= 0 ? a.gracePeriodSeconds : spec.terminationGracePeriodSeconds) * sim::kSecond;
      }
    }
    out << field("", "Status", fmt::format("Terminating (lasts {})", humanDuration(deadline - at)), W0);
  } else {
    out << field("", "Status", api::toString(s.phase), W0);
  }
  if (s.reason != api::Reason::None) out << field("", "Reason", api::toString(s.reason), W0);
  const auto describeState = [&](const char* label, const kubelet::ContainerStateValue& st) {
    constexpr std::size_t W2 = 20;
    switch (st.kind) {
      case Kind::Waiting:
        out << field("    ", label, "Waiting", W2);
        if (st.reason != api::Reason::None) out << field("      ", "Reason", api::toString(st.reason), W2);
        break;
      case Kind::Running:
        out << field("    ", label, "Running", W2);
        out << field("      ", "Started", rfc1123z(std::max<sim::Time>(st.startedAt, 0)), W2);
        break;
      case Kind::Terminated:
        out << field("    ", label, "Terminated", W2);
        if (st.reason != api::Reason::None) out << field("      ", "Reason", api::toString(st.reason), W2);
        out << field("      ", "Exit Code", std::to_string(st.exitCode), W2);
        if (st.startedAt >= 0) out << field("      ", "Started", rfc1123z(st.startedAt), W2);
        if (st.finishedAt >= 0) out << field("      ", "Finished", rfc1123z(st.finishedAt), W2);
        break;
    }
  };
  const auto describeContainers = [&](const char* title, std::size_t from, std::size_t to) {
    if (from == to) return;
    out << title << ":\n";
    for (std::size_t ci = from; ci < to; ++ci) {
      const api::Container& c = spec.container(ci);
      out << "  " << c.name << ":\n";
      constexpr std::size_t W1 = 19;
      const kubelet::ApiContainerStatus* cs = p.reported[ci] ? &p.containers[ci] : nullptr;
      out << field("    ", "Image", imageOf(sim, spec, ci, cs), W1);
      if (!c.command.empty()) {
        out << "    Command:\n";
        for (const auto& a : c.command) out << "      " << a << '\n';
      }
      if (!c.args.empty()) {
        out << "    Args:\n";
        for (const auto& a : c.args) out << "      " << a << '\n';
      }
      if (cs != nullptr) {
        describeState("State", cs->state);
        if (cs->hasLastState) describeState("Last State", cs->lastState);
        constexpr std::size_t W2 = 20;
        out << field("    ", "Ready", cs->ready ? "True" : "False", W2);
        out << field("    ", "Restart Count", std::to_string(cs->restartCount), W2);
      }
    }
  };
  describeContainers("Init Containers", 0, spec.initContainers.size());
  describeContainers("Containers", spec.initContainers.size(), spec.containerCount());
  bool anyCondition = false;
  for (const auto& c : s.conditions) anyCondition = anyCondition || c.present;
  if (anyCondition) {
    out << "Conditions:\n  Type                        Status\n";
    for (std::size_t c = 0; c < s.conditions.size(); ++c) {
      if (!s.conditions[c].present) continue;
      out << fmt::format("  {:<28}{} \n", kubelet::toString(static_cast<kubelet::ConditionType>(c)), s.conditions[c].status ? "True" : "False");
    }
  }
  // describe.go DescribeEvents; "Events:\t<none>" shares its tab column with the lines above it.
  writeEvents(out, describeEvents(sim, pod, at), 22);
  return true;
}

}  // namespace podsim::trace
