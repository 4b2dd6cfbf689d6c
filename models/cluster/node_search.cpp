// models/cluster/node_search.cpp: see node_search.hpp.
#include "models/cluster/node_search.hpp"

#include <stdexcept>
#include <string>

namespace podsim::cluster {

void NodeSearch::reset(std::size_t nodes) {
  n_ = nodes;
  leaves_ = 1;
  while (leaves_ < nodes) leaves_ *= 2;
  count_.assign(2 * leaves_, 0);
  best_.assign(2 * leaves_, Best{});
}

void NodeSearch::set(std::size_t node, std::int64_t score) {
  if (node >= n_) throw std::out_of_range("NodeSearch::set: node " + std::to_string(node) + " of " + std::to_string(n_));
  std::size_t i = leaves_ + node;
  count_[i] = score >= 0 ? 1 : 0;
  best_[i] = score >= 0 ? Best{score, static_cast<std::int32_t>(node)} : Best{};
  for (i /= 2; i >= 1; i /= 2) {
    count_[i] = count_[2 * i] + count_[2 * i + 1];
    best_[i] = better(best_[2 * i], best_[2 * i + 1]);  // the left one (first visited) on ties
  }
}

std::size_t NodeSearch::countBelow(std::size_t end) const noexcept {
  std::size_t total = 0;
  for (std::size_t lo = leaves_, hi = leaves_ + end; lo < hi; lo /= 2, hi /= 2) {
    if (lo & 1) total += static_cast<std::size_t>(count_[lo++]);
    if (hi & 1) total += static_cast<std::size_t>(count_[--hi]);
  }
  return total;
}

std::size_t NodeSearch::kth(std::size_t k) const noexcept {
  std::size_t i = 1;
  while (i < leaves_) {
    const auto left = static_cast<std::size_t>(count_[2 * i]);
    if (k <= left) {
      i = 2 * i;
    } else {
      k -= left;
      i = 2 * i + 1;
    }
  }
  return i - leaves_;
}

NodeSearch::Best NodeSearch::best(std::size_t from, std::size_t to) const noexcept {
  // Left and right parts kept apart, so that a tie goes to the node of the lower index.
  Best left, right;
  for (std::size_t lo = leaves_ + from, hi = leaves_ + to; lo < hi; lo /= 2, hi /= 2) {
    if (lo & 1) left = better(left, best_[lo++]);
    if (hi & 1) right = better(best_[--hi], right);
  }
  return better(left, right);
}

NodeSearch::Pick NodeSearch::pick(std::size_t start, std::size_t toFind) const {
  if (start >= n_) throw std::out_of_range("NodeSearch::pick: start " + std::to_string(start) + " of " + std::to_string(n_));
  const std::size_t before = countBelow(start);
  const std::size_t fromStart = feasible() - before;  // feasible nodes in [start, n)
  Pick p;
  if (toFind == 0) return p;  // nothing to find: nothing visited
  if (feasible() < toFind) {
    // Every node is visited: [start, n) first, then [0, start).
    p.processed = n_;
    const Best b = better(best(start, n_), best(0, start));
    p.node = b.node;
    return p;
  }
  if (fromStart >= toFind) {
    const std::size_t last = kth(before + toFind);
    p.processed = last - start + 1;
    p.node = best(start, last + 1).node;
  } else {
    const std::size_t last = kth(toFind - fromStart);
    p.processed = (n_ - start) + last + 1;
    p.node = better(best(start, n_), best(0, last + 1)).node;
  }
  return p;
}

}  // namespace podsim::cluster
