// models/graph/script_walk.hpp: how a container's compiled shell script ends, told without running it.
//
// Owns one walk of a ShellProgram (models/scenario/shell.hpp) under a fixed answer for each Service it
// names: whether it exits (with which code, after how much sleeping) or never ends, and which failing
// waits keep it in an endless loop. `podsim lint` (lint.cpp) words findings from it; the engine runs
// scripts itself and does not use it.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace podsim::graph {

/// How a walk of a script ended.
struct ScriptWalk {
  enum class End : std::uint8_t {
    Exits,        // reached `exit` or the end of the script
    RunsForever,  // `sleep infinity`, `tail -f` and the like
    Loops,        // came back to a state it had been in: an endless loop
  };
  End end = End::Exits;
  std::int32_t exitCode = 0;  // Exits: the code (`exit N`, or the last $? at the end of the script)
  sim::Time elapsed = 0;      // ns slept before the end (Exits, RunsForever) or before the loop closed
  /// Loops: the Services whose nslookup (Lookup) or wget/curl/nc (Connect) failed inside the loop, in the
  /// order first met (indices in Scenario::services). Empty when the loop does not wait for a Service.
  std::vector<std::int32_t> failingWaitsInLoop;
};

/// Walks `program` from its first op with $? = 0, taking a Lookup/Connect of Service s as succeeding when
/// `answers(s)` is true. The walk is a function of (op index, $?), so a state seen twice is an endless
/// loop; it takes at most (ops + 1) x (distinct $? values) steps. Never throws except std::bad_alloc.
ScriptWalk walkScript(const scenario::ShellProgram& program, const std::function<bool(std::int32_t service)>& answers);

}  // namespace podsim::graph
