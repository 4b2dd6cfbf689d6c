// bench/podsim_bench.cpp: prints the headline figures of ../shared/bench/README.md, each the median
// of several repetitions with its spread (min..max). Speed is measured here, never in tests.
//
// Usage: podsim_bench [--quick] [--r1 PATH] [--simpy PATH]
//   --quick  fewer repetitions and smaller sweeps (for a smoke run)
// Figures: R1 runs/s on one thread (trace off/on x ideal/kubelet); kernel events/s and model events/s;
// a sweep of 10,000 R1 runs (seeds 1..10000) on 1 and 2 threads, ideal and kubelet; heap bytes per
// run and per pod (10,000 pods of R1's shape on 100 nodes, one hour); run time for 1..10,000 pods;
// the SimPy peer (../shared/bench/simpy_r1.py) measured in the same run, and the ratio.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
#include "models/trace/output.hpp"
#include "sim/environment.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using podsim::engine::RunOptions;
using podsim::engine::Simulation;
using podsim::scenario::Scenario;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct Stat {
  double median, min, max;
};

Stat stat(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

std::string fmtStat(const Stat& s, const char* unit, int precision = 0) {
  return fmt::format("{:.{}f} {} (min {:.{}f}, max {:.{}f})", s.median, precision, unit, s.min, precision, s.max, precision);
}

/// Runs R1 `n` times with seeds 1..n on one thread; returns runs per second.
double r1RunsPerSecond(const Scenario& sc, int n, bool trace, std::uint64_t* events = nullptr) {
  RunOptions o;
  o.recordTrace = trace;
  o.overrideSeed = true;
  std::uint64_t ev = 0;
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    o.seed = static_cast<std::uint64_t>(i + 1);
    Simulation s(sc, o);
    s.run();
    ev += s.processedEvents();
  }
  const double dt = seconds(t0, Clock::now());
  if (events != nullptr) *events = ev;
  return n / dt;
}

/// A sweep of seeds 1..n split over `threads` threads (each run independent); returns wall seconds.
double sweepSeconds(const Scenario& sc, int n, int threads) {
  std::atomic<int> next{1};
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      RunOptions o;
      o.recordTrace = false;
      o.overrideSeed = true;
      for (int i = next++; i <= n; i = next++) {
        o.seed = static_cast<std::uint64_t>(i);
        Simulation s(sc, o);
        s.run();
      }
    });
  }
  for (auto& th : pool) th.join();
  return seconds(t0, Clock::now());
}

/// The kernel alone: a ring of self-rescheduling timers (no model), events per second.
double kernelEventsPerSecond(std::uint64_t n) {
  podsim::sim::Environment env;
  struct Ctx {
    podsim::sim::Environment* env;
    std::uint64_t left;
  } ctx{&env, n};
  // 64 concurrent timers, each rescheduling itself: a heap of realistic size.
  struct Ring {
    static void fire(void* c, std::uint64_t a) {
      auto* x = static_cast<Ctx*>(c);
      if (x->left == 0) return;
      --x->left;
      x->env->scheduleIn(static_cast<podsim::sim::Time>(1000 + (a * 7919) % 5000), &Ring::fire, c, a + 1);
    }
  };
  for (std::uint64_t i = 0; i < 64; ++i) env.schedule(static_cast<podsim::sim::Time>(i), &Ring::fire, &ctx, i);
  const auto t0 = Clock::now();
  env.run(podsim::sim::kForever - 1);
  const double dt = seconds(t0, Clock::now());
  return static_cast<double>(env.processedEvents()) / dt;
}

/// R1's pod spec and behaviours repeated for `pods` pods spread over `nodes` nodes, as YAML.
std::string manyPods(const std::string& r1, int pods, int nodes) {
  const auto podAt = r1.find("apiVersion: v1\nkind: Pod");
  std::string scenarioDoc = r1.substr(0, podAt);
  std::string podDoc = r1.substr(podAt);
  const auto behaviorsAt = scenarioDoc.find("  behaviors:\n    web:\n");
  const auto behaviorsEnd = scenarioDoc.find("\n---", behaviorsAt);
  std::string webBehaviors = scenarioDoc.substr(behaviorsAt + std::string("  behaviors:\n    web:\n").size(),
                                                behaviorsEnd - behaviorsAt - std::string("  behaviors:\n    web:\n").size());
  std::ostringstream out;
  out << scenarioDoc.substr(0, behaviorsAt) << "  behaviors:\n";
  for (int p = 0; p < pods; ++p) out << "    web-" << p << ":\n" << webBehaviors << "\n";
  out << "---\n";
  for (int n = 0; n < nodes; ++n) {
    out << "apiVersion: v1\nkind: Node\nmetadata: {name: node-" << n << "}\nstatus: {allocatable: {cpu: \"64\", memory: 256Gi}}\n---\n";
  }
  for (int p = 0; p < pods; ++p) {
    std::string d = podDoc;
    d.replace(d.find("name: web\n"), 10, "name: web-" + std::to_string(p) + "\n");
    d.replace(d.find("spec:\n"), 6, "spec:\n  nodeName: node-" + std::to_string(p % nodes) + "\n");
    out << d << "\n---\n";
  }
  return out.str();
}

std::size_t heapInUse() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int loopRuns = 0;           // --loop N: only run R1 N times (for profilers), print nothing else
  bool loopKubelet = false;
  bool loopTrace = false;
  std::string r1Path = "../shared/bench/r1-web-pod.yaml";
  std::string simpyPath = "../shared/bench/simpy_r1.py";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--r1" && i + 1 < argc) r1Path = argv[++i];
    else if (a == "--simpy" && i + 1 < argc) simpyPath = argv[++i];
    else if (a == "--loop" && i + 1 < argc) loopRuns = std::atoi(argv[++i]);
    else if (a == "--kubelet") loopKubelet = true;
    else if (a == "--trace") loopTrace = true;
  }
  std::ifstream in(r1Path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s (run from the repository root, or pass --r1 PATH)\n", r1Path.c_str());
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string r1Text = buf.str();
  Scenario ideal = podsim::scenario::loadScenarioString(r1Text, r1Path);
  Scenario kubelet = ideal;
  kubelet.timing = podsim::scenario::Timing::Kubelet;
  if (loopRuns > 0) {
    std::uint64_t ev = 0;
    const double rps = r1RunsPerSecond(loopKubelet ? kubelet : ideal, loopRuns, loopTrace, &ev);
    std::printf("%d R1 runs: %.0f runs/s, %llu events\n", loopRuns, rps, static_cast<unsigned long long>(ev));
    return 0;
  }
  const int reps = quick ? 3 : 7;
  const int runs = quick ? 500 : 3000;
  std::printf("podsim benchmark (%s), %u hardware threads\n", quick ? "quick" : "full", std::thread::hardware_concurrency());

  // 1. R1 runs per second on one thread.
  for (const auto* sc : {&ideal, &kubelet}) {
    for (bool trace : {false, true}) {
      std::vector<double> v;
      for (int r = 0; r < reps; ++r) v.push_back(r1RunsPerSecond(*sc, runs, trace));
      std::printf("R1 runs/s, 1 thread, timing %-7s trace %-3s: %s\n", sc == &ideal ? "ideal" : "kubelet", trace ? "on" : "off",
                  fmtStat(stat(v), "runs/s").c_str());
    }
  }
  // 2. Events per second: kernel alone, whole model.
  {
    std::vector<double> k, m;
    for (int r = 0; r < reps; ++r) {
      k.push_back(kernelEventsPerSecond(quick ? 2'000'000 : 10'000'000));
      std::uint64_t ev = 0;
      const double rps = r1RunsPerSecond(ideal, runs, false, &ev);
      m.push_back(rps * static_cast<double>(ev) / runs);
    }
    std::printf("kernel events/s (64 timers, no model)   : %s\n", fmtStat(stat(k), "events/s").c_str());
    std::printf("model events/s (R1, ideal, trace off)   : %s\n", fmtStat(stat(m), "events/s").c_str());
  }
  // 3. Sweep of 10,000 R1 runs on 1 and 2 threads.
  const int sweepRuns = quick ? 2000 : 10000;
  for (const auto* sc : {&ideal, &kubelet}) {
    std::vector<double> one, two;
    for (int r = 0; r < (quick ? 1 : 3); ++r) {
      one.push_back(sweepSeconds(*sc, sweepRuns, 1));
      two.push_back(sweepSeconds(*sc, sweepRuns, 2));
    }
    const Stat s1 = stat(one), s2 = stat(two);
    std::printf("sweep of %d R1 runs, timing %-7s: 1 thread %s, 2 threads %s, speed-up %.2fx\n", sweepRuns,
                sc == &ideal ? "ideal" : "kubelet", fmtStat(s1, "s", 3).c_str(), fmtStat(s2, "s", 3).c_str(), s1.median / s2.median);
  }
  // 4. Memory: heap of one R1 run (trace off and on); per pod in a large scenario.
  {
    const std::size_t before = heapInUse();
    {
      RunOptions o;
      o.recordTrace = false;
      auto s = std::make_unique<Simulation>(ideal, o);
      s->run();
      std::printf("heap of one R1 run, trace off           : %zu bytes\n", heapInUse() - before);
    }
    {
      auto s = std::make_unique<Simulation>(ideal, RunOptions{});
      s->run();
      std::printf("heap of one R1 run, trace on            : %zu bytes\n", heapInUse() - before);
    }
  }
  // 5. Scaling with the number of pods (one simulated hour, 100 nodes or fewer), and memory per pod.
  for (int pods : {1, 10, 100, 1000, 10000}) {
    if (quick && pods > 1000) break;
    const int nodes = std::min(100, pods);
    const Scenario sc = podsim::scenario::loadScenarioString(manyPods(r1Text, pods, nodes), "many-pods");
    const std::size_t before = heapInUse();
    RunOptions o;
    o.recordTrace = false;
    const auto t0 = Clock::now();
    Simulation s(sc, o);
    s.run();
    const double dt = seconds(t0, Clock::now());
    const std::size_t heap = heapInUse() - before;  // the run's own state, the scenario excluded
    std::printf("%5d pods on %3d nodes, 1 h: %8.3f s, %10llu events, heap %.0f bytes/pod\n", pods, nodes, dt,
                static_cast<unsigned long long>(s.processedEvents()), static_cast<double>(heap) / pods);
  }
  // 6. The SimPy peer, measured now, and the ratio to R1 ideal trace off.
  {
    const std::string cmd = "python3 " + simpyPath + " " + std::to_string(quick ? 100 : 500) + " 2>/dev/null";
    std::FILE* p = popen(cmd.c_str(), "r");
    char line[512] = {0};
    double simpy = 0;
    if (p != nullptr) {
      while (std::fgets(line, sizeof line, p) != nullptr) {
        const char* at = std::strstr(line, "runs_per_s=");
        if (at != nullptr) simpy = std::atof(at + 11);
      }
      pclose(p);
    }
    std::vector<double> v;
    for (int r = 0; r < reps; ++r) v.push_back(r1RunsPerSecond(ideal, runs, false));
    const Stat s = stat(v);
    if (simpy > 0) {
      std::printf("SimPy peer R1 runs/s: %.1f; podsim %.0f; ratio %.1fx\n", simpy, s.median, s.median / simpy);
    } else {
      std::printf("SimPy peer: not measured (pip install simpy)\n");
    }
  }
  return 0;
}
