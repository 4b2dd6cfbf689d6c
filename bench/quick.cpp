#include <chrono>
#include <cstdio>
#include "models/engine/simulation.hpp"
#include "models/scenario/loader.hpp"
int main(int argc, char** argv) {
  auto sc = podsim::scenario::loadScenarioFile(argv[1]);
  int n = argc > 2 ? atoi(argv[2]) : 1000;
  podsim::engine::RunOptions o; o.recordTrace = false;
  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t ev = 0;
  for (int i = 0; i < n; ++i) { o.overrideSeed = true; o.seed = i + 1; podsim::engine::Simulation s(sc, o); s.run(); ev += s.processedEvents(); }
  double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("runs/s %.0f events/run %.0f events/s %.0f\n", n / dt, double(ev) / n, ev / dt);
}
