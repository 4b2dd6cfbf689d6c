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

inline void Environment::removeTop(std::vector<Entry>& heap) noexcept {
  const Entry last = heap.back();
  heap.pop_back();
  const std::size_t n = heap.size();
  if (n == 0) return;
  Entry* h = heap.data();
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

void Environment::file(const Entry& e) {
  const std::uint64_t b = bucketOf(e.time);
  if (b - current_ < kBuckets) {
    wheel_[b % kBuckets].push_back(e);
    ++wheelCount_;
  } else {
    overflow_.emplace_back();
    siftUp(overflow_, overflow_.size() - 1, e);
  }
}

void Environment::startCalendar() {
  wheel_.resize(kBuckets);
  current_ = bucketOf(now_);
  // Re-file the heap: the current bucket's events stay, later ones go to the wheel or beyond. A sorted
  // array is a heap, so the kept ones are sorted back in place.
  std::vector<Entry> all;
  all.swap(heap_);
  for (const Entry& e : all) {
    if (stale(e)) continue;
    if (bucketOf(e.time) <= current_) {
      heap_.push_back(e);
    } else {
      file(e);
    }
  }
  std::sort(heap_.begin(), heap_.end(), before);
}

bool Environment::advance() {
  if (current_ == kNoCalendar) return false;
  while (!overflow_.empty() && stale(overflow_.front())) removeTop(overflow_);
  std::uint64_t next = UINT64_MAX;
  if (wheelCount_ > 0) {
    for (std::uint64_t k = 1; k < kBuckets; ++k) {
      if (!wheel_[(current_ + k) % kBuckets].empty()) {
        next = current_ + k;
        break;
      }
    }
  }
  if (!overflow_.empty()) next = std::min(next, bucketOf(overflow_.front().time));
  if (next == UINT64_MAX) return false;
  current_ = next;
  // The heap is empty: the bucket's live entries move into it, sorted (a sorted array is a heap). The
  // bucket's memory is given back: a bucket holds a second's events of a fleet at most once a lap of the
  // wheel, and 8,192 buckets each keeping its largest size would hold far more than the pending events.
  std::vector<Entry>& bucket = wheel_[next % kBuckets];
  wheelCount_ -= bucket.size();
  for (const Entry& e : bucket) {
    if (!stale(e)) heap_.push_back(e);
  }
  std::vector<Entry>().swap(bucket);
  std::sort(heap_.begin(), heap_.end(), before);
  // The overflow heap's entries of this bucket join it.
  while (!overflow_.empty() && bucketOf(overflow_.front().time) <= current_) {
    const Entry e = overflow_.front();
    removeTop(overflow_);
    if (stale(e)) continue;
    heap_.emplace_back();
    siftUp(heap_, heap_.size() - 1, e);
  }
  return true;
}

inline bool Environment::settle() {
  for (;;) {
    while (!heap_.empty() && stale(heap_.front())) removeTop(heap_);
    if (!heap_.empty()) return true;
    if (!advance()) return false;
  }
}

void Environment::compact() {
  const auto isStale = [this](const Entry& e) { return stale(e); };
  // Rebuild each heap by sifting every entry up in turn (the heap is 4-ary, so std::make_heap does not apply).
  std::erase_if(heap_, isStale);
  for (std::size_t i = 1; i < heap_.size(); ++i) siftUp(heap_, i, heap_[i]);
  if (current_ == kNoCalendar) return;
  std::erase_if(overflow_, isStale);
  for (std::size_t i = 1; i < overflow_.size(); ++i) siftUp(overflow_, i, overflow_[i]);
  wheelCount_ = 0;
  for (auto& bucket : wheel_) {
    std::erase_if(bucket, isStale);
    wheelCount_ += bucket.size();
  }
}

Time Environment::peek() {
  return settle() ? heap_.front().time : kForever;
}

// Fires the event at the top of the heap, which must be live.
inline void Environment::fireTop() {
  const Entry e = heap_.front();
  removeTop(heap_);
  // The next event's slot is read right after this callback: with a fleet's million slots it is rarely
  // in the caches, so its load starts now and overlaps the callback's work (no effect on order).
  if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot]);
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
  if (!settle()) return false;
  fireTop();
  return true;
}

void Environment::run(Time until) {
  for (;;) {
    if (!settle() || heap_.front().time > until) break;
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
  for (auto& bucket : wheel_) std::vector<Entry>().swap(bucket);
  wheelCount_ = 0;
  overflow_.clear();
  current_ = kNoCalendar;
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
