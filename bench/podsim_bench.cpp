// bench/podsim_bench.cpp: prints the headline figures of the benchmark workloads (shared/bench/README.md),
// each the median of several repetitions with its spread (min, max). Speed is measured here, never in tests.
//
// Usage: ./build/podsim_bench [--quick] [--r1 PATH] [--simpy PATH] [--loop N [--kubelet] [--trace] [--fresh]] [--pods N]
//                             [--fleet N[,N...]]
//   (run from the repository root)
//   --quick  fewer repetitions, sweeps of 2,000 runs and no 10,000-pod scenario (a smoke run, seconds)
//   --loop N only run R1 N times with seeds 1..N and print runs/s (for profilers such as callgrind); one
//            Simulation reset between runs, or with --fresh a new one per run
//   --pods N only run N pods of R1's shape (on min(N, 100) nodes) once
//   --fleet N[,N...]  only run fleets: for each N, N pods of R1's shape, each requesting 100m and 128Mi (so
//            that the scheduler spreads them), placed by the scheduler on max(1, N/100) nodes with room for
//            110 such pods each, one simulated hour, trace off; one line per N:
//            `fleet: N pods, M nodes, 3600 s simulated: T s, B bytes/pod` (T wall seconds of the run,
//            construction included; B peak heap per pod, as for --pods), a warning on stderr when a pod
//            stayed unbound, then the growth exponent between the smallest and the largest N
// Figures: R1 runs/s on one thread (trace off/on x timing ideal/kubelet), by the wall clock and per second
// of the thread's CPU time (the machine may be shared); events/s of the kernel alone and of the whole
// model; a sweep of 10,000 R1 runs (seeds 1..10000, engine::runSweep as `podsim sweep` uses it) on 1 and 2
// threads with the speed-up; peak heap of one R1 run and per pod of a 10,000-pod, 100-node, one-hour
// scenario; run time for 1..10,000 pods of R1's shape with the growth exponent; the SimPy peer
// (bench/simpy_r1.py, R1 as a SimPy 4 user would write it) measured in the same run, and the ratio.
#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "models/engine/simulation.hpp"
#include "models/engine/sweep.hpp"
#include "models/scenario/loader.hpp"
#include "sim/environment.hpp"

// ---- heap accounting: every operator new of this program is counted (current and peak bytes) ----------

namespace {
// Counting is switched on only around the memory figures: shared counters would otherwise make the
// threads of a sweep contend on one cache line at every allocation.
std::atomic<bool> gCounting{false};
std::atomic<std::int64_t> gHeapNow{0};
std::atomic<std::int64_t> gHeapPeak{0};

void* countedAlloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  if (!gCounting.load(std::memory_order_relaxed)) return p;
  const auto size = static_cast<std::int64_t>(malloc_usable_size(p));
  const std::int64_t now = gHeapNow.fetch_add(size, std::memory_order_relaxed) + size;
  std::int64_t peak = gHeapPeak.load(std::memory_order_relaxed);
  while (now > peak && !gHeapPeak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return p;
}
void countedFree(void* p) noexcept {
  if (p == nullptr) return;
  if (!gCounting.load(std::memory_order_relaxed)) {
    std::free(p);
    return;
  }
  gHeapNow.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return countedAlloc(n); }
void* operator new[](std::size_t n) { return countedAlloc(n); }
void operator delete(void* p) noexcept { countedFree(p); }
void operator delete[](void* p) noexcept { countedFree(p); }
void operator delete(void* p, std::size_t) noexcept { countedFree(p); }
void operator delete[](void* p, std::size_t) noexcept { countedFree(p); }

namespace {

using Clock = std::chrono::steady_clock;
using podsim::engine::RunOptions;
using podsim::engine::Simulation;
using podsim::scenario::Scenario;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

/// CPU time of the calling thread, in seconds.
double threadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Heap bytes in use now, and a fresh start for the peak.
std::int64_t heapNow() { return gHeapNow.load(); }
void resetPeak() { gHeapPeak.store(gHeapNow.load()); }
std::int64_t heapPeak() { return gHeapPeak.load(); }

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

struct Rate {
  double wall;  // runs per second of wall time
  double cpu;   // runs per second of the thread's CPU time
};

/// Runs R1 `n` times with seeds 1..n on this thread: one Simulation reset between runs, as a sweep
/// does (`fresh`: each run constructs its own Simulation instead).
Rate r1RunsPerSecond(const Scenario& sc, int n, bool trace, std::uint64_t* events = nullptr, bool fresh = false) {
  RunOptions o;
  o.recordTrace = trace;
  o.overrideSeed = true;
  o.seed = 1;
  std::uint64_t ev = 0;
  const double c0 = threadCpu();
  const auto t0 = Clock::now();
  if (fresh) {
    for (int i = 0; i < n; ++i) {
      o.seed = static_cast<std::uint64_t>(i + 1);
      Simulation s(sc, o);
      s.run();
      ev += s.processedEvents();
    }
  } else {
    Simulation s(sc, o);
    for (int i = 0; i < n; ++i) {
      if (i > 0) {
        o.seed = static_cast<std::uint64_t>(i + 1);
        s.reset(o);
      }
      s.run();
      ev += s.processedEvents();
    }
  }
  const double dt = seconds(t0, Clock::now());
  const double dc = threadCpu() - c0;
  if (events != nullptr) *events = ev;
  return {n / dt, n / dc};
}

/// CPU time of the whole process (every thread), in seconds.
double processCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/// `podsim sweep`'s engine: seeds 1..n on `threads` threads, trace off; returns wall seconds and adds
/// the process's CPU seconds to `cpu` (CPU / wall: how many cores the sweep really had).
double sweepSeconds(const std::string& yaml, const std::string& label, int n, unsigned threads, double* cpu = nullptr) {
  std::vector<std::uint64_t> seeds(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) seeds[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(i + 1);
  podsim::engine::SweepOptions o;
  o.threads = threads;
  const double c0 = processCpu();
  const auto t0 = Clock::now();
  const auto rows = podsim::engine::runSweep(yaml, label, {}, seeds, o);
  const double dt = seconds(t0, Clock::now());
  if (cpu != nullptr) *cpu += processCpu() - c0;
  for (const auto& r : rows) {
    if (!r.error.empty()) {
      std::fprintf(stderr, "sweep run %llu failed: %s\n", static_cast<unsigned long long>(r.seed), r.error.c_str());
      std::exit(1);
    }
  }
  return dt;
}

/// The kernel alone: 64 self-rescheduling timers (no model), events per second.
double kernelEventsPerSecond(std::uint64_t n) {
  podsim::sim::Environment env;
  struct Ctx {
    podsim::sim::Environment* env;
    std::uint64_t left;
  } ctx{&env, n};
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

/// R1's nodes as YAML: R1's Scenario and Pod documents with `nodes` Node documents between them (64 CPUs,
/// 256 GiB each) and the pod bound to node-0.
std::string withNodes(const std::string& r1, int nodes) {
  const auto podAt = r1.find("apiVersion: v1\nkind: Pod");
  std::string podDoc = r1.substr(podAt);
  podDoc.replace(podDoc.find("spec:\n"), 6, "spec:\n  nodeName: node-0\n");
  std::ostringstream out;
  out << r1.substr(0, podAt);
  for (int n = 0; n < nodes; ++n) {
    out << "apiVersion: v1\nkind: Node\nmetadata: {name: node-" << n
        << "}\nstatus: {allocatable: {cpu: \"64\", memory: 256Gi}}\n---\n";
  }
  out << podDoc;
  return out.str();
}

/// `pods` pods of R1's shape (its pod and behaviours) bound round-robin to `nodes` nodes. Built from
/// the loaded one-pod scenario by copying its pod (a 10,000-pod YAML file would pass the loader's 8 MiB
/// limit, and loading is not what is measured).
Scenario manyPods(const std::string& r1, int pods, int nodes) {
  Scenario sc = podsim::scenario::loadScenarioString(withNodes(r1, nodes), "many-pods");
  const podsim::scenario::PodEntry first = sc.pods.front();
  sc.pods.clear();
  sc.pods.reserve(static_cast<std::size_t>(pods));
  for (int p = 0; p < pods; ++p) {
    podsim::scenario::PodEntry e = first;
    e.pod.name = "web-" + std::to_string(p);
    e.pod.nodeName = "node-" + std::to_string(p % nodes);
    sc.pods.push_back(std::move(e));
  }
  return sc;
}

/// A fleet: `pods` pods of R1's shape placed by the scheduler on `nodes` nodes. Each pod's app container
/// requests 100m and 128Mi (R1 requests nothing, and pods without requests all tie on the first node);
/// each node has room for 110 of them (the kubelet's default maxPods), so every pod fits.
Scenario fleet(const std::string& r1, int pods, int nodes) {
  const auto podAt = r1.find("apiVersion: v1\nkind: Pod");
  std::ostringstream yaml;
  yaml << r1.substr(0, podAt);
  for (int n = 0; n < nodes; ++n) {
    yaml << "apiVersion: v1\nkind: Node\nmetadata: {name: node-" << n
         << "}\nstatus: {allocatable: {cpu: 11000m, memory: 14080Mi}}\n---\n";
  }
  yaml << r1.substr(podAt);
  Scenario sc = podsim::scenario::loadScenarioString(yaml.str(), "fleet");
  podsim::scenario::PodEntry first = sc.pods.front();
  first.pod.nodeName.clear();
  for (auto& c : first.pod.containers) {
    if (c.name == "app") c.resources.requests = {100, 128LL * 1024 * 1024};
  }
  sc.pods.clear();
  sc.pods.reserve(static_cast<std::size_t>(pods));
  for (int p = 0; p < pods; ++p) {
    podsim::scenario::PodEntry e = first;
    e.pod.name = "web-" + std::to_string(p);
    sc.pods.push_back(std::move(e));
  }
  return sc;
}

struct RunFigures {
  double seconds;
  std::uint64_t events;
  std::int64_t peakHeap;  // bytes above what was in use before the Simulation was made
};

/// One run of a scenario with the trace off: wall time (construction included), events, peak heap.
RunFigures oneRun(const Scenario& sc, bool trace = false) {
  RunOptions o;
  o.recordTrace = trace;
  gCounting = true;  // everything the Simulation allocates is freed while counting is on
  const std::int64_t before = heapNow();
  resetPeak();
  const auto t0 = Clock::now();
  std::uint64_t events = 0;
  {
    Simulation s(sc, o);
    s.run();
    events = s.processedEvents();
  }
  const double dt = seconds(t0, Clock::now());
  gCounting = false;
  return {dt, events, heapPeak() - before};
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string loadAverage() {
  std::string s = readFile("/proc/loadavg");
  const auto cut = s.find(' ', s.find(' ', s.find(' ') + 1) + 1);
  return cut == std::string::npos ? s : s.substr(0, cut);
}

std::string cpuModel() {
  std::istringstream in(readFile("/proc/cpuinfo"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int loopRuns = 0;
  bool loopKubelet = false;
  bool loopTrace = false;
  bool loopFresh = false;
  int podsRun = 0;  // --pods N: only run N pods of R1's shape on min(N, 100) nodes once (for profilers)
  std::vector<int> fleets;  // --fleet N[,N...]
  std::string r1Path = "scenarios/bench/r1-web-pod.yaml";
  std::string simpyPath = "bench/simpy_r1.py";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--r1" && i + 1 < argc) r1Path = argv[++i];
    else if (a == "--simpy" && i + 1 < argc) simpyPath = argv[++i];
    else if (a == "--loop" && i + 1 < argc) loopRuns = std::atoi(argv[++i]);
    else if (a == "--kubelet") loopKubelet = true;
    else if (a == "--trace") loopTrace = true;
    else if (a == "--fresh") loopFresh = true;
    else if (a == "--pods" && i + 1 < argc) podsRun = std::atoi(argv[++i]);
    else if (a == "--fleet" && i + 1 < argc) {
      std::istringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) fleets.push_back(std::atoi(item.c_str()));
      if (fleets.empty() || *std::min_element(fleets.begin(), fleets.end()) <= 0) {
        std::fprintf(stderr, "--fleet wants pod counts above 0, separated by commas (e.g. 1000,100000)\n");
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: podsim_bench [--quick] [--r1 PATH] [--simpy PATH] [--loop N [--kubelet] [--trace] [--fresh]] [--pods N]"
                           " [--fleet N[,N...]]\n");
      return 2;
    }
  }
  const std::string r1Text = readFile(r1Path);
  if (r1Text.empty()) {
    std::fprintf(stderr, "cannot read %s (run from the repository root, or pass --r1 PATH)\n", r1Path.c_str());
    return 2;
  }
  const Scenario ideal = podsim::scenario::loadScenarioString(r1Text, r1Path);
  Scenario kubelet = ideal;
  kubelet.timing = podsim::scenario::Timing::Kubelet;
  std::string kubeletText = r1Text;
  kubeletText.replace(kubeletText.find("timing: ideal"), 13, "timing: kubelet");

  if (loopRuns > 0) {
    std::uint64_t ev = 0;
    const Rate r = r1RunsPerSecond(loopKubelet ? kubelet : ideal, loopRuns, loopTrace, &ev, loopFresh);
    std::printf("%d R1 runs: %.0f runs/s (%.0f per CPU-second), %llu events\n", loopRuns, r.wall, r.cpu,
                static_cast<unsigned long long>(ev));
    return 0;
  }

  if (!fleets.empty()) {
    std::vector<double> ns, wall, cpu;
    std::uint64_t events = 0;
    for (const int pods : fleets) {
      const int nodes = std::max(1, pods / 100);
      const Scenario sc = fleet(r1Text, pods, nodes);
      RunOptions o;
      o.recordTrace = false;
      // Small fleets take milliseconds: the median of a few runs (5 up to 1,000 pods, 3 up to 10,000, else 1).
      const int reps = pods <= 1000 ? 5 : pods <= 10000 ? 3 : 1;
      std::vector<double> wallRuns, cpuRuns;
      std::int64_t peak = 0;
      int unbound = 0;
      podsim::sim::Time simulated = 0;
      for (int r = 0; r < reps; ++r) {
        gCounting = true;
        const std::int64_t before = heapNow();
        resetPeak();
        const double c0 = threadCpu();
        const auto t0 = Clock::now();
        auto s = std::make_unique<Simulation>(sc, o);
        s->run();
        wallRuns.push_back(seconds(t0, Clock::now()));
        cpuRuns.push_back(threadCpu() - c0);
        gCounting = false;
        peak = heapPeak() - before;
        events = s->processedEvents();
        simulated = s->duration();
        unbound = 0;
        for (const auto& v : s->views()) unbound += v.node < 0 ? 1 : 0;
        gCounting = true;  // the Simulation's memory is given back while counting
        s.reset();
        gCounting = false;
      }
      const double dt = stat(wallRuns).median;
      const double dc = stat(cpuRuns).median;
      std::printf("fleet: %d pods, %d nodes, %.0f s simulated: %.3f s, %.0f bytes/pod\n", pods, nodes,
                  static_cast<double>(simulated) / 1e9, dt, static_cast<double>(peak) / pods);
      std::fflush(stdout);
      if (unbound > 0) std::fprintf(stderr, "warning: fleet of %d pods: %d pods never bound to a node\n", pods, unbound);
      ns.push_back(pods);
      wall.push_back(dt);
      cpu.push_back(dc);
    }
    if (ns.size() >= 2) {
      // Growth exponent k (time ~ n^k) between the first and the last size; n log n is 1 + log(ratio of logs)/log(ratio).
      const std::size_t b = ns.size() - 1;
      const double r = std::log(ns[b] / ns[0]);
      std::printf("fleet growth from %.0f to %.0f pods: time ~ n^%.2f by the wall clock, n^%.2f by the thread's CPU time "
                  "(%.3f s to %.3f s; n log n would be n^%.2f); %.0f events per pod-hour at %.0f pods\n",
                  ns[0], ns[b], std::log(wall[b] / wall[0]) / r, std::log(cpu[b] / cpu[0]) / r, cpu[0], cpu[b],
                  1 + std::log(std::log(ns[b]) / std::log(ns[0])) / r, static_cast<double>(events) / ns[b], ns[b]);
    }
    return 0;
  }

  if (podsRun > 0) {
    const Scenario sc = manyPods(r1Text, podsRun, std::min(100, podsRun));
    const RunFigures f = oneRun(sc);
    std::printf("%d pods: %.4f s, %llu events, peak heap %.1f bytes/pod\n", podsRun, f.seconds,
                static_cast<unsigned long long>(f.events), static_cast<double>(f.peakHeap) / podsRun);
    return 0;
  }
  const int reps = quick ? 3 : 7;
  const int runs = quick ? 500 : 3000;
  std::printf("podsim benchmark (%s): %s, %u hardware threads, load average %s\n", quick ? "quick" : "full",
              cpuModel().c_str(), std::thread::hardware_concurrency(), loadAverage().c_str());
  std::printf("each figure: median of %d repetitions (min, max); R1 = %s\n\n", reps, r1Path.c_str());

  // 1. R1 runs per second on one thread.
  double r1IdealOff = 0;
  const Scenario* const timings[] = {&ideal, &kubelet};
  for (const Scenario* sc : timings) {
    for (bool trace : {false, true}) {
      std::vector<double> wall, cpu;
      for (int r = 0; r < reps; ++r) {
        const Rate x = r1RunsPerSecond(*sc, runs, trace);
        wall.push_back(x.wall);
        cpu.push_back(x.cpu);
      }
      const Stat w = stat(wall);
      if (sc == &ideal && !trace) r1IdealOff = w.median;
      std::printf("R1 runs/s, 1 thread, timing %-7s trace %-3s: %s; %.0f per CPU-second\n", sc == &ideal ? "ideal" : "kubelet",
                  trace ? "on" : "off", fmtStat(w, "runs/s").c_str(), stat(cpu).median);
    }
  }
  {
    // The same as the first line, but with a new Simulation for each run instead of one reset.
    std::vector<double> wall;
    for (int r = 0; r < reps; ++r) wall.push_back(r1RunsPerSecond(ideal, runs, false, nullptr, true).wall);
    std::printf("R1 runs/s, 1 thread, timing ideal   trace off, new Simulation per run: %s\n",
                fmtStat(stat(wall), "runs/s").c_str());
  }
  // 2. Events per second: the kernel alone, the whole model.
  {
    std::vector<double> k, m;
    double perRun = 0;
    for (int r = 0; r < reps; ++r) {
      k.push_back(kernelEventsPerSecond(quick ? 2'000'000 : 10'000'000));
      std::uint64_t ev = 0;
      const Rate x = r1RunsPerSecond(ideal, runs, false, &ev);
      perRun = static_cast<double>(ev) / runs;
      m.push_back(x.wall * perRun);
    }
    std::printf("kernel events/s (64 timers, no model)          : %s\n", fmtStat(stat(k), "events/s").c_str());
    std::printf("model events/s (R1, ideal, trace off)          : %s (%.0f events per run)\n",
                fmtStat(stat(m), "events/s").c_str(), perRun);
  }
  // 3. A sweep of 10,000 R1 runs, seeds 1..10000, on 1 and 2 threads.
  const int sweepRuns = quick ? 2000 : 10000;
  const std::string* const texts[] = {&r1Text, &kubeletText};
  for (const std::string* text : texts) {
    std::vector<double> one, two;
    double cpuTwo = 0;
    const int sweepReps = quick ? 1 : 3;
    for (int r = 0; r < sweepReps; ++r) {
      one.push_back(sweepSeconds(*text, r1Path, sweepRuns, 1));
      two.push_back(sweepSeconds(*text, r1Path, sweepRuns, 2, &cpuTwo));
    }
    const Stat s1 = stat(one), s2 = stat(two);
    double wallTwo = 0;
    for (const double t : two) wallTwo += t;
    std::printf("sweep of %d R1 runs, timing %-7s: 1 thread %s, 2 threads %s, speed-up %.2fx "
                "(2 threads had %.2f cores on average)\n",
                sweepRuns, text == &r1Text ? "ideal" : "kubelet", fmtStat(s1, "s", 3).c_str(), fmtStat(s2, "s", 3).c_str(),
                s1.median / s2.median, cpuTwo / wallTwo);
  }
  // 3b. The same number of distinct variants, one seed each (spec.behaviors.web.app.run = 50 s + 10 ms x i:
  // a design over a continuous parameter), on 2 threads, against that many seeds of one variant.
  {
    std::vector<podsim::engine::SweepVariant> variants(static_cast<std::size_t>(sweepRuns));
    for (int i = 0; i < sweepRuns; ++i) {
      variants[static_cast<std::size_t>(i)].overrides.push_back({"spec.behaviors.web.app.run", std::to_string(50000 + 10 * i) + "ms"});
    }
    std::vector<double> vt, st;
    for (int r = 0; r < (quick ? 1 : 3); ++r) {
      podsim::engine::SweepOptions o;
      o.threads = 2;
      const auto t0 = Clock::now();
      const auto rows = podsim::engine::runSweep(r1Text, r1Path, variants, {1}, o);
      vt.push_back(seconds(t0, Clock::now()));
      for (const auto& row : rows) {
        if (!row.error.empty()) {
          std::fprintf(stderr, "variant %zu failed: %s\n", row.variant, row.error.c_str());
          std::exit(1);
        }
      }
      st.push_back(sweepSeconds(r1Text, r1Path, sweepRuns, 2));
    }
    const Stat sv = stat(vt), ss = stat(st);
    std::printf("sweep of %d distinct R1 variants x 1 seed, 2 threads: %s, %.0f runs/s; %d seeds: %.0f runs/s; ratio %.2f\n",
                sweepRuns, fmtStat(sv, "s", 3).c_str(), sweepRuns / sv.median, sweepRuns, sweepRuns / ss.median,
                ss.median / sv.median);
  }
  // 4. Peak heap of one R1 run.
  std::printf("peak heap of one R1 run, trace off             : %lld bytes\n", static_cast<long long>(oneRun(ideal).peakHeap));
  std::printf("peak heap of one R1 run, trace on              : %lld bytes\n", static_cast<long long>(oneRun(ideal, true).peakHeap));
  // 5. Run time with the number of pods (one simulated hour, at most 100 nodes), peak heap per pod.
  std::vector<double> ns, ts, tmin;
  for (int pods : {1, 10, 100, 1000, 10000}) {
    if (quick && pods > 1000) break;
    const int nodes = std::min(100, pods);
    const Scenario sc = manyPods(r1Text, pods, nodes);
    const int n = pods >= 10000 ? 3 : pods >= 1000 ? 5 : 7;
    std::vector<double> t;
    RunFigures f{};
    for (int r = 0; r < n; ++r) {
      f = oneRun(sc);
      t.push_back(f.seconds);
    }
    const Stat s = stat(t);
    ns.push_back(pods);
    ts.push_back(s.median);
    tmin.push_back(s.min);
    std::printf("%5d pods on %3d nodes, 1 h: %s, %9llu events, peak heap %6.0f bytes/pod\n", pods, nodes,
                fmtStat(s, "s", 4).c_str(), static_cast<unsigned long long>(f.events), static_cast<double>(f.peakHeap) / pods);
  }
  if (ns.size() >= 2) {
    // Growth exponent k (time ~ n^k) between the two largest sizes; n log n between them is 1 + log(ratio of logs)/log(ratio).
    const std::size_t a = ns.size() - 2, b = ns.size() - 1;
    const double k = std::log(ts[b] / ts[a]) / std::log(ns[b] / ns[a]);
    const double kMin = std::log(tmin[b] / tmin[a]) / std::log(ns[b] / ns[a]);
    const double nlogn = 1 + std::log(std::log(ns[b]) / std::log(ns[a])) / std::log(ns[b] / ns[a]);
    std::printf("growth from %.0f to %.0f pods: time ~ n^%.2f by the medians, n^%.2f by the fastest runs "
                "(n log n would be n^%.2f)\n", ns[a], ns[b], k, kMin, nlogn);
  }
  {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("max resident set size of this benchmark process: %ld KiB\n", ru.ru_maxrss);
  }
  // 6. The SimPy peer, measured now, and the ratio to R1 ideal trace off.
  {
    std::vector<double> v;
    for (int r = 0; r < (quick ? 1 : 3); ++r) {
      const std::string cmd = "python3 " + simpyPath + " " + std::to_string(quick ? 50 : 200) + " 2>&1";
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
      if (simpy <= 0) break;
      v.push_back(simpy);
    }
    if (!v.empty()) {
      const Stat s = stat(v);
      std::printf("SimPy peer (%s), R1 runs/s: %s; podsim R1 ideal trace off %.0f runs/s: %.0fx the peer\n",
                  simpyPath.c_str(), fmtStat(s, "runs/s", 1).c_str(), r1IdealOff, r1IdealOff / s.median);
    } else {
      std::printf("SimPy peer: not measured (python3 -m pip install simpy)\n");
    }
  }
  std::printf("\nload average at the end: %s\n", loadAverage().c_str());
  return 0;
}
