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
  s.live = true;
  heap_.push_back(Entry{at, order, slot, s.generation});
  std::push_heap(heap_.begin(), heap_.end(), later);
  ++live_;
  return EventId{slot, s.generation};
}

bool Environment::cancel(EventId id) noexcept {
  if (!pending(id)) return false;
  Slot& s = slots_[id.slot];
  s.live = false;
  ++s.generation;  // the heap entry now carries a stale generation and will be skipped
  freeSlots_.push_back(id.slot);
  --live_;
  // Lazy cancellation keeps cancel O(1); rebuild when stale entries dominate the heap.
  if (heap_.size() > 64 && heap_.size() > 4 * (live_ + 1)) compact();
  return true;
}

bool Environment::pending(EventId id) const noexcept {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].live &&
         slots_[id.slot].generation == id.generation;
}

void Environment::popStale() noexcept {
  while (!heap_.empty()) {
    const Entry& top = heap_.front();
    const Slot& s = slots_[top.slot];
    if (s.live && s.generation == top.generation) return;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
  }
}

void Environment::compact() {
  std::erase_if(heap_, [this](const Entry& e) {
    const Slot& s = slots_[e.slot];
    return !(s.live && s.generation == e.generation);
  });
  std::make_heap(heap_.begin(), heap_.end(), later);
}

Time Environment::peek() noexcept {
  popStale();
  return heap_.empty() ? kForever : heap_.front().time;
}

bool Environment::step() {
  popStale();
  if (heap_.empty()) return false;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  const Entry e = heap_.back();
  heap_.pop_back();
  Slot& s = slots_[e.slot];
  if (e.time < now_) throw std::logic_error("Environment::step: time went backwards");
  now_ = e.time;
  currentOrder_ = e.sequence;
  const Callback callback = s.callback;
  void* const context = s.context;
  const std::uint64_t argument = s.argument;
  // Free the slot before the callback runs, so the callback may schedule into it.
  s.live = false;
  ++s.generation;
  freeSlots_.push_back(e.slot);
  --live_;
  ++processed_;
  if (eventLimit_ != 0 && processed_ > eventLimit_) {
    throw SimulationLimitError("simulation stopped: more than " + std::to_string(eventLimit_) +
                               " events (raise the limit or shorten spec.duration)");
  }
  callback(context, argument);
  return true;
}

void Environment::run(Time until) {
  while (peek() <= until) step();
  if (until > now_) now_ = until;
}

void Environment::reserve(std::size_t events) {
  heap_.reserve(events);
  slots_.reserve(events);
  freeSlots_.reserve(events);
}

}  // namespace podsim::sim
