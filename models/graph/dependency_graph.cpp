// models/graph/dependency_graph.cpp: building the dependency graph and finding the wait cycles that
// can never resolve (Boost.Graph strong components). The only file of models/graph/ besides
// explain.cpp that includes Boost.Graph.
#include "models/graph/dependency_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

namespace podsim::graph {
namespace {

using scenario::ShellOp;

bool selects(const std::vector<std::pair<std::string, std::string>>& selector,
             const std::map<std::string, std::string>& labels) {
  if (selector.empty()) return false;  // a Service without selector has no endpoints from pods
  return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
    const auto it = labels.find(kv.first);
    return it != labels.end() && it->second == kv.second;
  });
}

}  // namespace

Ending firstRunEnding(const scenario::ProcessBehavior& b) {
  if (!b.script) return b.attempt(0).run == sim::kForever ? Ending::RunsForever : Ending::Exits;
  // Run the program with every Service answering: the execution is then a function of (pc, $?),
  // so a state seen twice is an endless loop.
  const auto& ops = b.script->ops;
  std::set<std::pair<std::size_t, std::int64_t>> seen;
  std::size_t pc = 0;
  std::int64_t status = 0;
  while (pc < ops.size()) {
    if (!seen.insert({pc, status}).second) return Ending::RunsForever;
    const ShellOp& op = ops[pc];
    switch (op.kind) {
      case ShellOp::Kind::Sleep:
        if (op.value >= sim::kForever) return Ending::RunsForever;
        status = 0;
        ++pc;
        break;
      case ShellOp::Kind::Exit: return Ending::Exits;
      case ShellOp::Kind::Status:
        status = op.value;
        ++pc;
        break;
      case ShellOp::Kind::Lookup:
      case ShellOp::Kind::Connect:
        status = 0;
        ++pc;
        break;
      case ShellOp::Kind::Jump: pc = static_cast<std::size_t>(op.value); break;
      case ShellOp::Kind::JumpIfZero: pc = status == 0 ? static_cast<std::size_t>(op.value) : pc + 1; break;
      case ShellOp::Kind::JumpIfNonZero: pc = status != 0 ? static_cast<std::size_t>(op.value) : pc + 1; break;
      case ShellOp::Kind::Forever: return Ending::RunsForever;
    }
  }
  return Ending::Exits;
}

DependencyGraph::DependencyGraph(const scenario::Scenario& sc) : sc_(&sc) {
  const auto nPods = sc.pods.size();
  // Vertices: pods, their containers, Services, nodes.
  for (std::size_t p = 0; p < nPods; ++p) {
    podVertex_.push_back(vertices_.size());
    vertices_.push_back({VertexKind::Pod, static_cast<std::int32_t>(p), -1, -1, -1, sc.pods[p].pod.name});
  }
  containerVertex_.resize(nPods);
  for (std::size_t p = 0; p < nPods; ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    for (std::size_t c = 0; c < pod.containerCount(); ++c) {
      containerVertex_[p].push_back(vertices_.size());
      vertices_.push_back({VertexKind::Container, static_cast<std::int32_t>(p), static_cast<std::int32_t>(c), -1, -1,
                           pod.container(c).name});
    }
  }
  servingPods_.resize(sc.services.size());
  for (std::size_t s = 0; s < sc.services.size(); ++s) {
    serviceVertex_.push_back(vertices_.size());
    vertices_.push_back({VertexKind::Service, -1, -1, static_cast<std::int32_t>(s), -1, sc.services[s].name});
    for (std::size_t p = 0; p < nPods; ++p) {
      if (selects(sc.services[s].selector, sc.pods[p].pod.labels)) servingPods_[s].push_back(static_cast<std::int32_t>(p));
    }
  }
  if (sc.nodes.empty()) {
    nodeNames_.push_back("node-1");  // the engine's default node
  } else {
    for (const auto& n : sc.nodes) nodeNames_.push_back(n.name);
  }
  const std::size_t firstNode = vertices_.size();
  for (std::size_t n = 0; n < nodeNames_.size(); ++n) {
    vertices_.push_back({VertexKind::Node, -1, -1, -1, static_cast<std::int32_t>(n), nodeNames_[n]});
  }

  // Edges.
  for (std::size_t p = 0; p < nPods; ++p) {
    const api::Pod& pod = sc.pods[p].pod;
    const auto pi = static_cast<std::int32_t>(p);
    const std::size_t nInit = pod.initContainers.size();
    for (std::size_t c = 0; c < pod.containerCount(); ++c) {
      const auto ci = static_cast<std::int32_t>(c);
      const std::size_t cv = containerVertex_[p][c];
      for (const auto& [s, mode] : serviceWaits(pi, ci)) {
        edges_.push_back({cv, serviceVertex_[static_cast<std::size_t>(s)], EdgeKind::WaitsForService, mode});
      }
      // Probes whose target needs a Service: a startup probe gates `started`, a readiness probe `ready`.
      const auto& b = sc.pods[p].behaviors[c];
      for (const auto* deps : {&b.startup.dependsOn, &b.readiness.dependsOn}) {
        const bool isStartup = deps == &b.startup.dependsOn;
        const auto& spec = pod.container(c);
        if (isStartup ? !spec.startupProbe : !spec.readinessProbe) continue;  // no such probe: no gate
        for (const std::int32_t s : *deps) {
          if (s < 0 || static_cast<std::size_t>(s) >= sc.services.size()) continue;
          edges_.push_back({cv, serviceVertex_[static_cast<std::size_t>(s)], EdgeKind::ProbeDependsOn, WaitMode::Connect});
        }
      }
      if (c < nInit && c > 0) edges_.push_back({cv, containerVertex_[p][c - 1], EdgeKind::WaitsForContainer, WaitMode::None});
      if (c >= nInit && nInit > 0) {
        edges_.push_back({cv, containerVertex_[p][nInit - 1], EdgeKind::WaitsForContainer, WaitMode::None});
      }
      edges_.push_back({podVertex_[p], cv, EdgeKind::PodWaitsForContainer, WaitMode::None});
    }
    // Runs on: the node named in the spec, or the only node there is.
    for (std::size_t n = 0; n < nodeNames_.size(); ++n) {
      if ((!pod.nodeName.empty() && pod.nodeName == nodeNames_[n]) || (pod.nodeName.empty() && nodeNames_.size() == 1)) {
        edges_.push_back({podVertex_[p], firstNode + n, EdgeKind::RunsOn, WaitMode::None});
      }
    }
  }
  for (std::size_t s = 0; s < sc.services.size(); ++s) {
    for (const auto p : servingPods_[s]) {
      edges_.push_back({serviceVertex_[s], podVertex_[static_cast<std::size_t>(p)], EdgeKind::ServiceWaitsForPod,
                        WaitMode::None});
    }
  }
}

std::size_t DependencyGraph::podVertex(std::int32_t pod) const { return podVertex_.at(static_cast<std::size_t>(pod)); }

std::size_t DependencyGraph::containerVertex(std::int32_t pod, std::int32_t container) const {
  return containerVertex_.at(static_cast<std::size_t>(pod)).at(static_cast<std::size_t>(container));
}

std::size_t DependencyGraph::serviceVertex(std::int32_t service) const {
  return serviceVertex_.at(static_cast<std::size_t>(service));
}

const std::vector<std::int32_t>& DependencyGraph::servingPods(std::int32_t service) const {
  return servingPods_.at(static_cast<std::size_t>(service));
}

std::vector<std::pair<std::int32_t, WaitMode>> DependencyGraph::serviceWaits(std::int32_t pod,
                                                                             std::int32_t container) const {
  std::vector<std::pair<std::int32_t, WaitMode>> out;
  const auto& b = sc_->pods.at(static_cast<std::size_t>(pod)).behaviors.at(static_cast<std::size_t>(container));
  if (!b.script) return out;
  for (const auto& op : b.script->ops) {
    if (op.kind != ShellOp::Kind::Lookup && op.kind != ShellOp::Kind::Connect) continue;
    if (op.value < 0 || static_cast<std::size_t>(op.value) >= sc_->services.size()) continue;
    const auto s = static_cast<std::int32_t>(op.value);
    const WaitMode mode = op.kind == ShellOp::Kind::Connect ? WaitMode::Connect : WaitMode::Lookup;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == s; });
    if (it == out.end()) {
      out.emplace_back(s, mode);
    } else if (mode == WaitMode::Connect) {
      it->second = WaitMode::Connect;  // the stronger wait decides
    }
  }
  return out;
}

std::vector<WaitCycle> DependencyGraph::waitCycles() const {
  const auto& sc = *sc_;
  const std::size_t nV = vertices_.size();
  // 1. Least fixpoint of "can happen": a Service gets a ready endpoint if some pod it selects can be
  //    Ready; an init container completes if the one before it does and every Service it connects to
  //    gets an endpoint; a pod is Ready if its init containers complete. Sidecars and regular
  //    containers are assumed to come up (their scripts do not gate readiness here).
  //    A container whose startup or readiness probe depends on a Service comes up only if it does.
  std::vector<char> probeGated(nV, 0);
  for (const Edge& e : edges_) {
    if (e.kind == EdgeKind::ProbeDependsOn) probeGated[e.from] = 1;
  }
  std::vector<char> ok(nV, 0);
  for (std::size_t v = 0; v < nV; ++v) {
    const Vertex& x = vertices_[v];
    if (x.kind == VertexKind::Node) ok[v] = 1;
    if (x.kind == VertexKind::Container && !probeGated[v] &&
        sc.pods[static_cast<std::size_t>(x.pod)].pod.containerType(static_cast<std::size_t>(x.container)) !=
            api::ContainerType::Init) {
      ok[v] = 1;
    }
  }
  // Edges that block: only waits on a ready endpoint (Connect), never an nslookup (the Service
  // resolves as soon as it exists, whoever serves it).
  auto blocking = [](const Edge& e) {
    return e.kind != EdgeKind::RunsOn && (e.kind != EdgeKind::WaitsForService || e.mode == WaitMode::Connect);
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t v = 0; v < nV; ++v) {
      if (ok[v]) continue;
      const Vertex& x = vertices_[v];
      bool any = false, all = true;
      for (const Edge& e : edges_) {
        if (e.from != v || !blocking(e)) continue;
        any = any || ok[e.to];
        all = all && ok[e.to];
      }
      const bool now = x.kind == VertexKind::Service ? any : all;
      if (now) {
        ok[v] = 1;
        changed = true;
      }
    }
  }
  // 2. Strong components of the blocked part: a component with a cycle in it can never resolve.
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  G g(nV);
  for (const Edge& e : edges_) {
    if (blocking(e) && !ok[e.from] && !ok[e.to]) boost::add_edge(e.from, e.to, g);
  }
  std::vector<int> component(nV, -1);
  const int nComp = boost::strong_components(g, boost::make_iterator_property_map(component.begin(),
                                                                                    boost::get(boost::vertex_index, g)));
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(nComp));
  for (std::size_t v = 0; v < nV; ++v) {
    if (!ok[v]) members[static_cast<std::size_t>(component[v])].push_back(v);
  }
  std::vector<WaitCycle> out;
  for (const auto& m : members) {
    if (m.size() < 2) continue;  // no self-loops exist in this graph: one vertex is no cycle
    WaitCycle cyc;
    const auto comp = component[m.front()];
    for (const std::size_t v : m) {
      if (vertices_[v].kind == VertexKind::Pod) cyc.pods.push_back(vertices_[v].pod);
    }
    for (const Edge& e : edges_) {
      const bool script = e.kind == EdgeKind::WaitsForService && e.mode == WaitMode::Connect;
      if (!script && e.kind != EdgeKind::ProbeDependsOn) continue;
      if (ok[e.from] || ok[e.to] || component[e.from] != comp || component[e.to] != comp) continue;
      const Vertex& c = vertices_[e.from];
      const auto s = vertices_[e.to].service;
      WaitVia via = WaitVia::Script;
      if (!script) {
        const auto& b = sc.pods[static_cast<std::size_t>(c.pod)].behaviors[static_cast<std::size_t>(c.container)];
        via = std::find(b.readiness.dependsOn.begin(), b.readiness.dependsOn.end(), s) != b.readiness.dependsOn.end()
                  ? WaitVia::ReadinessProbe
                  : WaitVia::StartupProbe;
      }
      const bool seen = std::any_of(cyc.links.begin(), cyc.links.end(), [&](const WaitLink& l) {
        return l.pod == c.pod && l.container == c.container && l.service == s;
      });
      if (!seen) cyc.links.push_back({c.pod, c.container, s, servingPods(s), via});
    }
    if (cyc.links.empty()) continue;
    std::sort(cyc.pods.begin(), cyc.pods.end());
    out.push_back(std::move(cyc));
  }
  std::sort(out.begin(), out.end(), [](const WaitCycle& a, const WaitCycle& b) { return a.pods < b.pods; });
  return out;
}

}  // namespace podsim::graph
