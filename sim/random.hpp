// sim/random.hpp: seeded random numbers whose streams are the same on every platform.
//
// Engines and distributions come from Boost.Random, whose code is the same on every platform
// (std:: distributions are not: their output differs between standard libraries). Each consumer
// draws from its own stream, derived from (seed, stream key) by a SplitMix64 mix, so that adding a
// new consumer never shifts the numbers another one sees. The engine is taus88: 12 bytes of
// state, so a run can give every pod its own stream.
#pragma once

#include <cstdint>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/taus88.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "sim/time.hpp"

namespace podsim::sim {

/// SplitMix64 finaliser: a bijective 64-bit mix used to derive stream seeds from (seed, key).
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Builds a stream key from a purpose tag and an index (e.g. purpose "pod worker", index = pod).
constexpr std::uint64_t streamKey(std::uint32_t purpose, std::uint32_t index) noexcept {
  return (static_cast<std::uint64_t>(purpose) << 32) | index;
}

/// One independent random stream. Same (seed, key) gives the same numbers on every platform.
class RandomStream {
 public:
  RandomStream() : RandomStream(0, 0) {}
  RandomStream(std::uint64_t seed, std::uint64_t key) {
    const std::uint64_t s = mix64(mix64(seed) ^ key);
    // taus88 needs seeds above small thresholds for each component; the engine's own seeding
    // from one 32-bit value handles that.
    engine_.seed(static_cast<std::uint32_t>(s ^ (s >> 32)) | 0x100u);
  }

  /// Uniform integer in [lo, hi] (inclusive), e.g. nanoseconds. Requires lo <= hi.
  std::int64_t uniformInt(std::int64_t lo, std::int64_t hi) {
    return boost::random::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }

  /// Uniform duration in [lo, hi) nanoseconds (hi > lo), as Go's wait.Jitter draws.
  Time uniformTime(Time lo, Time hi) { return hi <= lo ? lo : uniformInt(lo, hi - 1); }

  /// Uniform real in [0, 1).
  double uniform01() { return boost::random::uniform_01<double>()(engine_); }

  /// Exponential duration with the given mean (ns), rounded to whole nanoseconds.
  Time exponential(Time mean) {
    const double x = boost::random::exponential_distribution<double>(1.0)(engine_);
    return static_cast<Time>(x * static_cast<double>(mean));
  }

 private:
  boost::random::taus88 engine_;
};

}  // namespace podsim::sim
