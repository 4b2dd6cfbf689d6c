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
  run_.clear();
  runHead_ = 0;
  tail_.clear();
  tailHead_ = 0;
  for (const Entry& e : all) {
    if (stale(e)) continue;
    if (bucketOf(e.time) <= current_) {
      run_.push_back(e);
    } else {
      file(e);
    }
  }
  std::sort(run_.begin(), run_.end(), before);
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
  // The run, the tail and the heap are used up: the bucket's live entries become the run, sorted. The
  // bucket's memory is given back: a bucket holds a second's events of a fleet at most once a lap of the
  // wheel, and 8,192 buckets each keeping its largest size would hold far more than the pending events.
  run_.clear();
  runHead_ = 0;
  tail_.clear();
  tailHead_ = 0;
  std::vector<Entry>& bucket = wheel_[next % kBuckets];
  wheelCount_ -= bucket.size();
  for (const Entry& e : bucket) {
    if (!stale(e)) run_.push_back(e);
  }
  std::vector<Entry>().swap(bucket);
  std::sort(run_.begin(), run_.end(), before);
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
  if (current_ == kNoCalendar) [[likely]] {
    // One heap (every run of a scenario or a sweep): its top.
    while (!heap_.empty() && stale(heap_.front())) removeTop(heap_);
    if (heap_.empty()) return false;
    from_ = Source::Heap;
    next_ = &heap_.front();
    return true;
  }
  for (;;) {
    while (!heap_.empty() && stale(heap_.front())) removeTop(heap_);
    const Entry* best = heap_.empty() ? nullptr : &heap_.front();
    from_ = Source::Heap;
    if (current_ != kNoCalendar) {
      while (runHead_ < run_.size() && stale(run_[runHead_])) ++runHead_;
      while (tailHead_ < tail_.size() && stale(tail_[tailHead_])) ++tailHead_;
      if (runHead_ < run_.size() && (best == nullptr || before(run_[runHead_], *best))) {
        best = &run_[runHead_];
        from_ = Source::Run;
      }
      if (tailHead_ < tail_.size()) {
        if (best == nullptr || before(tail_[tailHead_], *best)) {
          best = &tail_[tailHead_];
          from_ = Source::Tail;
        }
      } else if (!tail_.empty()) {
        tail_.clear();  // used up: the next one starts at the front
        tailHead_ = 0;
      }
    }
    if (best != nullptr) {
      next_ = best;
      return true;
    }
    if (!advance()) return false;
  }
}

void Environment::compact() {
  const auto isStale = [this](const Entry& e) { return stale(e); };
  // Rebuild each heap by sifting every entry up in turn (the heap is 4-ary, so std::make_heap does not apply).
  std::erase_if(heap_, isStale);
  for (std::size_t i = 1; i < heap_.size(); ++i) siftUp(heap_, i, heap_[i]);
  if (current_ == kNoCalendar) return;
  // The run and the tail stay sorted when entries are taken out.
  run_.erase(run_.begin(), run_.begin() + static_cast<std::ptrdiff_t>(runHead_));
  runHead_ = 0;
  std::erase_if(run_, isStale);
  tail_.erase(tail_.begin(), tail_.begin() + static_cast<std::ptrdiff_t>(tailHead_));
  tailHead_ = 0;
  std::erase_if(tail_, isStale);
  std::erase_if(overflow_, isStale);
  for (std::size_t i = 1; i < overflow_.size(); ++i) siftUp(overflow_, i, overflow_[i]);
  wheelCount_ = 0;
  for (auto& bucket : wheel_) {
    std::erase_if(bucket, isStale);
    wheelCount_ += bucket.size();
  }
}

Time Environment::peek() {
  return settle() ? next_->time : kForever;
}

// Fires the event settle() found, which is live.
inline void Environment::fireTop() {
  Entry e;
  switch (from_) {
    case Source::Heap:
      e = heap_.front();
      removeTop(heap_);
      break;
    case Source::Run:
      e = run_[runHead_++];
      break;
    case Source::Tail:
      e = tail_[tailHead_++];
      break;
  }
  // The next event's slot is read right after this callback: with a fleet's million slots it is rarely
  // in the caches, so its load starts now and overlaps the callback's work (no effect on order).
  if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot]);
  if (current_ != kNoCalendar) {
    if (runHead_ < run_.size()) __builtin_prefetch(&slots_[run_[runHead_].slot]);
    if (tailHead_ < tail_.size()) __builtin_prefetch(&slots_[tail_[tailHead_].slot]);
  }
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
    if (!settle() || next_->time > until) break;
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
  run_.clear();
  runHead_ = 0;
  tail_.clear();
  tailHead_ = 0;
  next_ = nullptr;
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
