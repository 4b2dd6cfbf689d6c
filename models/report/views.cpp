// models/report/views.cpp: `kubectl get pods` and `kubectl describe pod` at any moment, from the trace.
//
// Owns the text (the replay is models/report/pod_timeline.hpp); the wording and layout follow kubectl (pkg/printers/internalversion
// printers.go printPod, staging/src/k8s.io/kubectl/pkg/describe/describe.go describePod).
#include "models/report/views.hpp"

#include "models/kubelet/resize.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

#include "models/api/helpers.hpp"
#include "models/api/image_reference.hpp"
#include "models/engine/simulation.hpp"
#include "models/scenario/duration.hpp"
#include "models/report/output.hpp"

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

/// The calendar moment of simulated time `t` (ns), time 0 being kRunStartUnix.
Civil civil(sim::Time t) {
  const std::int64_t secs = kRunStartUnix + t / sim::kSecond;
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
    if (ch == '\n') {  // a YAML double-quoted scalar escapes its line breaks (go-yaml does)
      out += "\\n";
      continue;
    }
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
      // The kubelet's waiting message: CrashLoopBackOff's back-off, PostStartHookError's handler message.
      if (!crashMsg.empty()) out << indent << "  message: " << quote(crashMsg) << '\n';
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

}  // namespace

std::string rfc3339(sim::Time t) {
  const Civil c = civil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

PodAt podAt(const engine::Simulation& sim, std::int32_t pod, sim::Time at) { return report::PodTimeline(sim, pod).at(at); }

std::int32_t findPod(const engine::Simulation& sim, std::string_view name) {
  const auto& pods = sim.scenario().pods;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    const api::Pod& pod = pods[i].pod;
    if (name == pod.name || name == pod.key()) return static_cast<std::int32_t>(i);
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
    if (!pod.empty() && pod != spec.name && pod != spec.key()) continue;
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
          const std::string msg = cs.state.kind == Kind::Waiting && cs.state.reason == api::Reason::CrashLoopBackOff
                                      ? crashMessage(sim, p.pod, spec, ci, cs.state)
                                      : cs.state.kind == Kind::Waiting
                                      ? containerStateMessage(sim, p.pod, static_cast<std::int32_t>(ci), cs.state)
                                      : std::string();
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
      if (s.node >= 0) {  // status fields in the API's (alphabetical) order
        out << in << "  hostIP: " << hostIP(sim, s.node) << '\n';
        out << in << "  hostIPs:\n" << in << "  - ip: " << hostIP(sim, s.node) << '\n';
      }
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

namespace {

/// Go's text/tabwriter as describe.go sets it up (tabbedString: minwidth 0, tabwidth 8, padding 2, padchar
/// ' ', no flags): text is cut into tab-terminated cells; a column of cells is aligned over the run of
/// consecutive lines that have a cell in it, each cell padded to the widest plus 2; the last cell of a line
/// is not aligned. Source: go/src/text/tabwriter/tabwriter.go (Writer.format, writeLines).
class TabWriter {
 public:
  explicit TabWriter(std::ostream& out) : out_(out) {}
  ~TabWriter() { flush(); }
  TabWriter(const TabWriter&) = delete;
  TabWriter& operator=(const TabWriter&) = delete;

  /// Appends text; complete lines ('\n') are kept for alignment until flush().
  void write(std::string_view text) {
    for (const char c : text) {
      if (c == '\n') {
        std::vector<std::string> cells;
        std::size_t from = 0;
        for (std::size_t i = 0; i <= pending_.size(); ++i) {
          if (i == pending_.size() || pending_[i] == '\t') {
            cells.push_back(pending_.substr(from, i - from));
            from = i + 1;
          }
        }
        lines_.push_back(std::move(cells));
        pending_.clear();
      } else {
        pending_ += c;
      }
    }
  }

  /// Writes the kept lines, aligned.
  void flush() {
    std::vector<std::size_t> widths;
    format(0, lines_.size(), widths);
    lines_.clear();
  }

 private:
  void writeLines(std::size_t line0, std::size_t line1, const std::vector<std::size_t>& widths) {
    for (std::size_t i = line0; i < line1; ++i) {
      const auto& line = lines_[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        out_ << line[j];
        if (j + 1 < line.size() && j < widths.size()) out_ << std::string(widths[j] - line[j].size(), ' ');
      }
      out_ << '\n';
    }
  }

  void format(std::size_t line0, std::size_t line1, std::vector<std::size_t>& widths) {
    const std::size_t column = widths.size();
    for (std::size_t t = line0; t < line1; ++t) {
      if (column + 1 >= lines_[t].size()) continue;
      // A block of lines with a cell in this column begins here.
      writeLines(line0, t, widths);
      line0 = t;
      std::size_t width = 0;
      for (; t < line1 && column + 1 < lines_[t].size(); ++t) width = std::max(width, lines_[t][column].size() + 2);
      widths.push_back(width);
      format(line0, t, widths);
      widths.pop_back();
      line0 = t;
      if (t == line1) return;
    }
    writeLines(line0, line1, widths);
  }

  std::ostream& out_;
  std::string pending_;
  std::vector<std::vector<std::string>> lines_;
};

/// A stable 64-hex-digit id for runtime objects podsim does not have (container and image ids): FNV-1a.
std::string hexId(std::string_view what) {
  std::string out;
  std::uint64_t h = 1469598103934665603ULL;
  for (int round = 0; round < 4; ++round) {
    for (const char c : what) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    h = (h ^ static_cast<std::uint64_t>(round)) * 1099511628211ULL;
    out += fmt::format("{:016x}", h);
  }
  return out;
}

/// A resource quantity as the API prints it: cpu "500m" or "2", memory "128Mi", "1G" or bytes.
std::string cpuQuantity(std::int64_t milli) { return milli % 1000 == 0 ? std::to_string(milli / 1000) : fmt::format("{}m", milli); }
std::string memoryQuantity(std::int64_t b) {
  static const char* const bin[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  static const char* const dec[] = {"E", "P", "T", "G", "M", "k"};
  for (int i = 0; i < 6; ++i) {
    const std::int64_t unit = std::int64_t{1} << (10 * (6 - i));
    if (b != 0 && b % unit == 0) return fmt::format("{}{}", b / unit, bin[i]);
  }
  std::int64_t unit = 1'000'000'000'000'000'000;
  for (int i = 0; i < 6; ++i, unit /= 1000) {
    if (b != 0 && b % unit == 0) return fmt::format("{}{}", b / unit, dec[i]);
  }
  return std::to_string(b);
}

/// The pod's QoS class (pkg/apis/core/v1/helper/qos GetPodQOS): BestEffort without requests and limits,
/// Guaranteed when every container limits cpu and memory and requests (defaulted to limits) equal them.
const char* qosClass(const api::Pod& pod) { return api::apiName(api::GetPodQOS(pod)); }

/// The runtime's image id: the fully qualified repository (docker.io/library/ for short names) and a digest.
std::string imageDigest(const std::string& image) {
  const auto ref = api::parseImageReference(image);
  // With a digest the runtime's "repository" is cut at the digest's ':' as before issue 12 (kept as is).
  std::string_view repo = ref.repository;
  if (ref.hasDigest) {
    repo = image;
    if (const auto colon = repo.rfind(':'); colon != std::string_view::npos && (repo.rfind('/') == std::string_view::npos || colon > repo.rfind('/'))) repo = repo.substr(0, colon);
  }
  return api::normalizedName(repo) + "@sha256:" + hexId(image);
}

}  // namespace

std::string hostIP(const engine::Simulation& sim, std::int32_t node) {
  (void)sim;
  return node >= 0 ? fmt::format("192.168.49.{}", node + 2) : std::string();
}

bool writeDescribe(std::ostream& out, const engine::Simulation& sim, std::int32_t pod, sim::Time at) {
  const api::Pod& spec = podSpec(sim, pod);
  const PodAt p = podAt(sim, pod, at);
  if (!p.exists) {
    out << fmt::format("Error from server (NotFound): pods \"{}\" not found\n", spec.name);
    return false;
  }
  const PodStatusRecord& s = p.status;
  TabWriter w(out);
  const auto line = [&](std::string_view text) { w.write(text); };
  line(fmt::format("Name:\t{}\n", spec.name));
  line(fmt::format("Namespace:\t{}\n", spec.namespace_));
  line("Priority:\t0\n");                   // the Priority admission plugin's default
  line("Service Account:\tdefault\n");      // the ServiceAccount admission plugin's default
  line(s.node >= 0 ? fmt::format("Node:\t{}/{}\n", nodeName(sim, s.node), hostIP(sim, s.node)) : std::string("Node:\t<none>\n"));
  if (s.node >= 0 && p.statusRecord != npos) line(fmt::format("Start Time:\t{}\n", rfc1123z(p.createdAt)));
  if (spec.labels.empty()) {
    line("Labels:\t<none>\n");
  } else {
    bool first = true;
    for (const auto& [k, v] : spec.labels) {  // std::map: sorted by key, as printLabelsMultiline sorts
      line(fmt::format("{}\t{}={}\n", first ? "Labels:" : "", k, v));
      first = false;
    }
  }
  line("Annotations:\t<none>\n");
  if (s.deleting) {
    // The deletionTimestamp is the request plus the grace period; "lasts" is the time since it, which is
    // "<invalid>" (negative) while the grace period runs (describe.go translateTimestampSince).
    std::int64_t grace = spec.terminationGracePeriodSeconds;
    sim::Time requested = p.deletingSince;
    for (const auto& a : sim.scenario().actions) {
      if (a.kind == scenario::ActionKind::DeletePod && a.pod == pod && a.at <= at) {
        grace = a.gracePeriodSeconds >= 0 ? a.gracePeriodSeconds : spec.terminationGracePeriodSeconds;
        requested = a.at;
      }
    }
    line(fmt::format("Status:\tTerminating (lasts {})\n", humanDuration(at - (requested + grace * sim::kSecond))));
    line(fmt::format("Termination Grace Period:\t{}s\n", grace));
  } else {
    line(fmt::format("Status:\t{}\n", api::toString(s.phase)));
  }
  if (s.reason != api::Reason::None) line(fmt::format("Reason:\t{}\n", api::toString(s.reason)));
  const std::string ip = p.sandboxSince >= 0 && s.node >= 0 ? podIP(sim, p) : "";
  line(fmt::format("IP:\t{}\n", ip));
  if (ip.empty()) {
    line("IPs:\t<none>\n");
  } else {
    line("IPs:\n");
    line(fmt::format("  IP:\t{}\n", ip));
  }
  const auto describeState = [&](const char* label, const kubelet::ContainerStateValue& st) {
    switch (st.kind) {
      case Kind::Waiting:
        line(fmt::format("    {}:\tWaiting\n", label));
        if (st.reason != api::Reason::None) line(fmt::format("      Reason:\t{}\n", api::toString(st.reason)));
        break;
      case Kind::Running:
        line(fmt::format("    {}:\tRunning\n", label));
        line(fmt::format("      Started:\t{}\n", rfc1123z(std::max<sim::Time>(st.startedAt, 0))));
        break;
      case Kind::Terminated:
        line(fmt::format("    {}:\tTerminated\n", label));
        if (st.reason != api::Reason::None) line(fmt::format("      Reason:\t{}\n", api::toString(st.reason)));
        line(fmt::format("      Exit Code:\t{}\n", st.exitCode));
        line(fmt::format("      Started:\t{}\n", rfc1123z(std::max<sim::Time>(st.startedAt, 0))));
        line(fmt::format("      Finished:\t{}\n", rfc1123z(std::max<sim::Time>(st.finishedAt, 0))));
        break;
    }
  };
  const auto describeContainers = [&](const char* title, std::size_t from, std::size_t to) {
    line(fmt::format("{}:\n", title));
    for (std::size_t ci = from; ci < to; ++ci) {
      const api::Container& c = spec.container(ci);
      line(fmt::format("  {}:\n", c.name));
      const kubelet::ApiContainerStatus* cs = p.reported[ci] ? &p.containers[ci] : nullptr;
      if (cs != nullptr) {
        line(fmt::format("    Container ID:\t{}\n",
                         cs->containerID != 0 ? "containerd://" + hexId(fmt::format("{}/{}/{}", sim.podRef(pod), c.name, cs->containerID)) : ""));
      }
      line(fmt::format("    Image:\t{}\n", c.image));
      if (cs != nullptr) {
        line(fmt::format("    Image ID:\t{}\n", cs->containerID != 0 ? imageDigest(imageOf(sim, spec, ci, cs)) : ""));
      }
      std::string ports, hostPorts;
      for (const std::int32_t port : c.containerPorts) {
        ports += fmt::format("{}{}/TCP", ports.empty() ? "" : ", ", port);
        hostPorts += fmt::format("{}0/TCP", hostPorts.empty() ? "" : ", ");
      }
      const bool many = c.containerPorts.size() > 1;
      line(fmt::format("    {}:\t{}\n", many ? "Ports" : "Port", ports.empty() ? "<none>" : ports));
      line(fmt::format("    {}:\t{}\n", many ? "Host Ports" : "Host Port", hostPorts.empty() ? "<none>" : hostPorts));
      if (!c.command.empty()) {
        line("    Command:\n");
        for (const auto& a : c.command) line(fmt::format("      {}\n", a));
      }
      if (!c.args.empty()) {
        line("    Args:\n");
        for (const auto& a : c.args) line(fmt::format("      {}\n", a));
      }
      if (cs != nullptr) {
        describeState("State", cs->state);
        if (cs->hasLastState) describeState("Last State", cs->lastState);
        line(fmt::format("    Ready:\t{}\n", cs->ready ? "True" : "False"));
        line(fmt::format("    Restart Count:\t{}\n", cs->restartCount));
      }
      const auto resources = [&](const char* what, const api::ResourceList& r) {
        if (r.cpuMilli < 0 && r.memoryBytes < 0) return;
        line(fmt::format("    {}:\n", what));
        if (r.cpuMilli >= 0) line(fmt::format("      cpu:\t{}\n", cpuQuantity(r.cpuMilli)));
        if (r.memoryBytes >= 0) line(fmt::format("      memory:\t{}\n", memoryQuantity(r.memoryBytes)));
      };
      // The spec as the API holds it at `at`: the manifest's resources with every resizeContainer patch
      // fired by then (kubectl describe prints spec.containers[*].resources).
      api::ResourceRequirements r = c.resources;
      for (const auto& a : sim.scenario().actions) {
        if (a.kind == scenario::ActionKind::ResizeContainer && a.pod == pod && a.container == static_cast<std::int32_t>(ci) && a.at <= at) {
          r = kubelet::applyResize(r, a.resources);
        }
      }
      resources("Limits", r.limits);
      resources("Requests", r.requests);
      // describe.go describeContainerProbe / DescribeProbe.
      const std::pair<const char*, const std::optional<api::Probe>*> probes[3] = {
          {"Liveness", &c.livenessProbe}, {"Readiness", &c.readinessProbe}, {"Startup", &c.startupProbe}};
      for (const auto& [what, probe] : probes) {
        if (!probe->has_value()) continue;
        const api::Probe& pr = **probe;
        line(fmt::format("    {}:\t{} delay={}s timeout={}s period={}s #success={} #failure={}\n", what,
                         [&] { auto t = api::probeHandlerText(pr); return t.empty() ? std::string("unknown") : t; }(), pr.initialDelaySeconds, pr.timeoutSeconds, pr.periodSeconds,
                         pr.successThreshold, pr.failureThreshold));
      }
      line("    Environment:\t<none>\n");
      line("    Mounts:\t<none>\n");
    }
  };
  if (!spec.initContainers.empty()) describeContainers("Init Containers", 0, spec.initContainers.size());
  describeContainers("Containers", spec.initContainers.size(), spec.containerCount());
  bool anyCondition = false;
  for (const auto& c : s.conditions) anyCondition = anyCondition || c.present;
  if (anyCondition) {
    line("Conditions:\n  Type\tStatus\n");
    for (std::size_t c = 0; c < s.conditions.size(); ++c) {
      if (!s.conditions[c].present) continue;
      line(fmt::format("  {} \t{} \n", kubelet::toString(static_cast<kubelet::ConditionType>(c)), s.conditions[c].status ? "True" : "False"));
    }
  }
  line("Volumes:\t<none>\n");
  line(fmt::format("QoS Class:\t{}\n", qosClass(spec)));
  if (spec.nodeSelector.empty()) {
    line("Node-Selectors:\t<none>\n");
  } else {
    bool first = true;
    for (const auto& [k, v] : spec.nodeSelector) {
      line(fmt::format("{}\t{}={}\n", first ? "Node-Selectors:" : "", k, v));
      first = false;
    }
  }
  // The pod's tolerations and, unless it has its own, the not-ready/unreachable NoExecute ones for 300 s
  // that the DefaultTolerationSeconds admission plugin adds; sorted by key (describe.go printTolerationsMultiline).
  std::vector<api::Toleration> tolerations = spec.tolerations;
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    bool has = false;
    for (const auto& t : spec.tolerations) has = has || ((t.key == key || t.key.empty()) && (t.effect == "NoExecute" || t.effect.empty()));
    if (!has) tolerations.push_back({key, "Exists", "", "NoExecute", 300});
  }
  std::stable_sort(tolerations.begin(), tolerations.end(), [](const api::Toleration& a, const api::Toleration& b) { return a.key < b.key; });
  for (std::size_t i = 0; i < tolerations.size(); ++i) {
    const api::Toleration& t = tolerations[i];
    std::string text = t.key;
    if (!t.value.empty()) text += "=" + t.value;
    if (!t.effect.empty()) text += ":" + t.effect;
    if (t.op == "Exists" && t.value.empty()) text += !t.key.empty() || !t.effect.empty() ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds >= 0) text += fmt::format(" for {}s", t.tolerationSeconds);
    line(fmt::format("{}\t{}\n", i == 0 ? "Tolerations:" : "", text));
  }
  const std::vector<DescribedEvent> events = describeEvents(sim, pod, at);
  if (events.empty()) {
    line("Events:\t<none>\n");  // aligned with the lines above it (same tabwriter block)
    return true;
  }
  w.flush();  // DescribeEvents flushes before its table
  writeEvents(out, events);
  return true;
}

}  // namespace podsim::trace
