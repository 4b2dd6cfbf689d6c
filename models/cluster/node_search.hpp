// models/cluster/node_search.hpp: where kube-scheduler's node search ends and which node it picks, in
// O(log nodes) a pod instead of a scan of the nodes it visits.
//
// The search (pkg/scheduler/schedule_one.go findNodesThatPassFilters, v1.37.2): from a round-robin start
// (nextStartNodeIndex) the nodes are filtered in order, wrapping around, until numFeasibleNodesToFind of
// them fit or every node was visited; the feasible ones visited are scored (LeastAllocated) and the best
// one is picked (podsim: ties to the first visited; selectHost draws among them). With each node's
// feasibility and score for the pod at hand kept in a segment tree (feasible count, best score and its
// first node per range), the node where the search stops is found by descending on counts, and the best
// node of the visited range (two ranges when it wraps) by two range queries. No clock, no randomness.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace podsim::cluster {

/// Each node's feasibility and score for one pod (shape), and the scheduler's pick among them.
/// Nodes are numbered 0..size-1 in the scheduler's visiting order. Scores are integers >= 0.
class NodeSearch {
 public:
  /// `nodes` nodes, none feasible. O(nodes).
  void reset(std::size_t nodes);
  /// Node `node` fits with score `score` (>= 0), or does not fit (`score` < 0). O(log nodes).
  /// Throws std::out_of_range for a node not below size().
  void set(std::size_t node, std::int64_t score);
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// Nodes that fit.
  [[nodiscard]] std::size_t feasible() const noexcept { return n_ == 0 ? 0 : static_cast<std::size_t>(count_[1]); }

  /// The result of a search: the node picked (-1: none fits) and how many nodes were visited.
  struct Pick {
    std::int32_t node = -1;
    std::size_t processed = 0;
  };
  /// The search from `start` (< size()) that stops at the `toFind`-th feasible node (toFind >= 1) or
  /// after every node: the visited node of the highest score, the first visited among equal ones, and
  /// the number of nodes visited. O(log nodes). Throws std::out_of_range for a start not below size().
  [[nodiscard]] Pick pick(std::size_t start, std::size_t toFind) const;

 private:
  struct Best {
    std::int64_t score = -1;
    std::int32_t node = -1;
  };
  static Best better(const Best& a, const Best& b) noexcept { return b.score > a.score ? b : a; }
  [[nodiscard]] std::size_t countBelow(std::size_t end) const noexcept;  // feasible nodes in [0, end)
  [[nodiscard]] std::size_t kth(std::size_t k) const noexcept;           // the k-th (1-based) feasible node
  [[nodiscard]] Best best(std::size_t from, std::size_t to) const noexcept;  // over [from, to)
  std::size_t n_ = 0;
  std::size_t leaves_ = 1;  // a power of two >= n_
  std::vector<std::int32_t> count_;  // heap-ordered tree, root at 1
  std::vector<Best> best_;
};

}  // namespace podsim::cluster
