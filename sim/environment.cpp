// sim/environment.cpp: the event loop. See environment.hpp for the contract.
#include "sim/environment.hpp"

#include <algorithm>
#include <string>

namespace podsim::sim {

EventId Environment::schedule(Time at, Callback callback, void* context, std::uint64_t argument) {
  if (at < now_) {
    throw std::logic_error("Environment::schedule: event at " + std::to_string(at) +
                           " ns is before now (" + std::to_string(now_) + " ns)");
  }
  if (sequence_ >= kTickOrder) throw std::logic_error("Environment::schedule: sequence numbers exhausted");
  return push(at, sequence_++, callback, context, argument);
}

EventId Environment::scheduleTick(Time at, std::uint64_t key, Callback callback, void* context, std::uint64_t argument) {
  if (at < now_) {
    throw std::logic_error("Environment::scheduleTick: tick at " + std::to_string(at) +
                           " ns is before now (" + std::to_string(now_) + " ns)");
  }
  if (key >= kTickOrder) throw std::logic_error("Environment::scheduleTick: key out of range");
  return push(at, tickOrder(key), callback, context, argument);
}

EventId Environment::push(Time at, std::uint64_t order, Callback callback, void* context, std::uint64_t argument) {
  if (callback == nullptr) throw std::logic_error("Environment::schedule: null callback");
  std::uint32_t slot;
  if (!freeSlots_.empty()) {
    slot = freeSlots_.back();
    freeSlots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.callback = callback;
  s.context = context;
  s.argument = argument;
  heap_.emplace_back();
  siftUp(heap_.size() - 1, Entry{at, order, slot, s.generation});
  ++live_;
  return EventId{slot, s.generation};
}

// The heap is a 4-ary min-heap on (time, sequence): half the levels of a binary heap, and the four
// children of a node share a cache line or two, which matters once 10,000 pods keep ~50,000 events
// pending. Sifted with a moving hole (one copy per level instead of a swap) and an inlined comparison.
void Environment::siftUp(std::size_t hole, Entry e) noexcept {
  Entry* h = heap_.data();
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!before(e, h[parent])) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = e;
}

void Environment::removeTop() noexcept {
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

bool Environment::cancel(EventId id) noexcept {
  if (!pending(id)) return false;
  Slot& s = slots_[id.slot];
  ++s.generation;  // the heap entry now carries a stale generation and will be skipped
  freeSlots_.push_back(id.slot);
  --live_;
  // Lazy cancellation keeps cancel O(1); rebuild when stale entries dominate the heap.
  if (heap_.size() > 64 && heap_.size() > 4 * (live_ + 1)) compact();
  return true;
}

bool Environment::pending(EventId id) const noexcept {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation;
}

void Environment::popStale() noexcept {
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
void Environment::fireTop() {
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
