// sim/environment.cpp: the event loop. See environment.hpp for the contract.
#include "sim/environment.hpp"

#include <algorithm>
#include <string>

namespace podsim::sim {

void Environment::scheduleError(Time at, bool tick) const {
  const char* what = tick ? "Environment::scheduleTick" : "Environment::schedule";
  if (at < now_) {
    throw std::logic_error(std::string(what) + ": event at " + std::to_string(at) + " ns is before now (" +
                           std::to_string(now_) + " ns)");
  }
  if (at >= now_ && !tick && sequence_ < kTickOrder) throw std::logic_error(std::string(what) + ": null callback");
  throw std::logic_error(std::string(what) + (tick ? ": key out of range or null callback" : ": sequence numbers exhausted"));
}

inline void Environment::removeTop() noexcept {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  Entry* h = heap_.data();
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = kArity * hole + 1;
    if (first >= n) break;
    std::size_t child = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (before(h[c], h[child])) child = c;
    }
    if (!before(h[child], last)) break;
    h[hole] = h[child];
    hole = child;
  }
  h[hole] = last;
}

inline void Environment::popStale() noexcept {
  while (!heap_.empty() && stale(heap_.front())) removeTop();
}

void Environment::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return stale(e); });
  // Rebuild by sifting every entry up in turn (the heap is 4-ary, so std::make_heap does not apply).
  for (std::size_t i = 1; i < heap_.size(); ++i) siftUp(i, heap_[i]);
}

Time Environment::peek() noexcept {
  popStale();
  return heap_.empty() ? kForever : heap_.front().time;
}

// Fires the event at the top of the heap, which must be live.
inline void Environment::fireTop() {
  const Entry e = heap_.front();
  removeTop();
  Slot& s = slots_[e.slot];
  if (e.time < now_) throw std::logic_error("Environment::step: time went backwards");
  now_ = e.time;
  currentOrder_ = e.sequence;
  const Callback callback = s.callback;
  void* const context = s.context;
  const std::uint64_t argument = s.argument;
  // Free the slot before the callback runs, so the callback may schedule into it.
  ++s.generation;
  freeSlots_.push_back(e.slot);
  --live_;
  ++processed_;
  if (eventLimit_ != 0 && processed_ > eventLimit_) {
    throw SimulationLimitError("simulation stopped: more than " + std::to_string(eventLimit_) +
                               " events (raise the limit or shorten spec.duration)");
  }
  callback(context, argument);
}

bool Environment::step() {
  popStale();
  if (heap_.empty()) return false;
  fireTop();
  return true;
}

void Environment::run(Time until) {
  for (;;) {
    popStale();
    if (heap_.empty() || heap_.front().time > until) break;
    fireTop();
  }
  if (until > now_) now_ = until;
}

void Environment::reserve(std::size_t events) {
  heap_.reserve(events);
  slots_.reserve(events);
  freeSlots_.reserve(events);
}

void Environment::reset() {
  // Every slot's generation moves on, so no id or entry from before the reset is pending.
  for (auto& s : slots_) ++s.generation;
  heap_.clear();
  freeSlots_.clear();
  freeSlots_.reserve(slots_.size());
  for (std::size_t i = slots_.size(); i-- > 0;) freeSlots_.push_back(static_cast<std::uint32_t>(i));
  now_ = 0;
  sequence_ = 0;
  currentOrder_ = 0;
  processed_ = 0;
  live_ = 0;
}

}  // namespace podsim::sim
