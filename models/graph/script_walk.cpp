// models/graph/script_walk.cpp: one walk of a compiled shell script under fixed Service answers.
#include "models/graph/script_walk.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace podsim::graph {

using scenario::ShellOp;

ScriptWalk walkScript(const scenario::ShellProgram& program, const std::function<bool(std::int32_t)>& answers) {
  ScriptWalk w;
  const auto& ops = program.ops;
  // Each state (pc, $?) with the step at which it was first entered; a failing wait is noted with its step.
  std::map<std::pair<std::size_t, std::int64_t>, std::size_t> seen;
  std::vector<std::pair<std::size_t, std::int32_t>> failures;  // (step, service)
  std::size_t pc = 0;
  std::int64_t status = 0;
  for (std::size_t step = 0; pc < ops.size(); ++step) {
    const auto [it, fresh] = seen.emplace(std::make_pair(pc, status), step);
    if (!fresh) {
      w.end = ScriptWalk::End::Loops;
      for (const auto& [at, service] : failures) {
        if (at >= it->second && std::find(w.failingWaitsInLoop.begin(), w.failingWaitsInLoop.end(), service) ==
                                    w.failingWaitsInLoop.end()) {
          w.failingWaitsInLoop.push_back(service);
        }
      }
      return w;
    }
    const ShellOp& op = ops[pc];
    switch (op.kind) {
      case ShellOp::Kind::Sleep:
        if (op.value >= sim::kForever) {
          w.end = ScriptWalk::End::RunsForever;
          return w;
        }
        w.elapsed += op.value;
        status = 0;
        ++pc;
        break;
      case ShellOp::Kind::Exit:
        w.exitCode = static_cast<std::int32_t>(op.value);
        return w;
      case ShellOp::Kind::Status:
        status = op.value;
        ++pc;
        break;
      case ShellOp::Kind::Lookup:
      case ShellOp::Kind::Connect: {
        const auto service = static_cast<std::int32_t>(op.value);
        const bool ok = answers(service);
        if (!ok) failures.emplace_back(step, service);
        status = ok ? 0 : 1;
        ++pc;
        break;
      }
      case ShellOp::Kind::Jump: pc = static_cast<std::size_t>(op.value); break;
      case ShellOp::Kind::JumpIfZero: pc = status == 0 ? static_cast<std::size_t>(op.value) : pc + 1; break;
      case ShellOp::Kind::JumpIfNonZero: pc = status != 0 ? static_cast<std::size_t>(op.value) : pc + 1; break;
      case ShellOp::Kind::Forever: w.end = ScriptWalk::End::RunsForever; return w;
    }
  }
  w.exitCode = static_cast<std::int32_t>(status);
  return w;
}

}  // namespace podsim::graph
