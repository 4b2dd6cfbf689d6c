// sim/environment.hpp: the event kernel. Owns the clock and the event queue; knows nothing of Kubernetes.
//
// A 4-ary heap keyed by (time, sequence): events at the same time fire in the order they were
// scheduled (FIFO), so a run is deterministic. Cancelling is lazy, as in ns-3: a cancelled event
// stays in the queue with a stale generation and is skipped when popped. Once many events are pending
// (a fleet of pods: calendarFrom, 4,096 by default), the queue becomes a calendar (a timer wheel, as in
// Brown's calendar queue and the kernel's timer wheel): only the events of the current bucket of time
// (2^27 ns, about 134 ms) are sorted, later ones wait unsorted in their bucket of a wheel of 8,192
// buckets (about 1,100 s), and those beyond the wheel in a second heap. A bucket is sorted when the clock
// reaches it and consumed front to back, beside a sorted tail and a small heap for the events scheduled
// into it meanwhile, so taking the next event costs O(1) however many events a fleet keeps pending;
// every event still fires in (time, sequence) order, exactly as from one heap. Events are plain callbacks
// (function pointer, context pointer, 64-bit argument) kept in a slot table that is recycled, so
// scheduling allocates nothing once the tables have grown to the run's peak size. There is no global
// state: many Environments run side by side on many threads.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/time.hpp"

namespace podsim::sim {

/// What an event does when it fires: `callback(context, argument)`. No allocation, no captures.
using Callback = void (*)(void* context, std::uint64_t argument);

/// Handle to a scheduled event, used to cancel it. A default-constructed id refers to no event.
struct EventId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  [[nodiscard]] constexpr bool valid() const noexcept { return slot != UINT32_MAX; }
};

/// Raised when a run exceeds a limit set on the Environment (event count): the run is stopped
/// rather than left to hang. Message names the limit.
class SimulationLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The simulation environment: clock, scheduler and event loop (SimPy's Environment).
///
/// Time is in integer nanoseconds (sim::Time). Errors: scheduling in the past throws
/// std::logic_error (a broken invariant, never user input); exceeding the event limit throws
/// SimulationLimitError.
class Environment {
 public:
  Environment() = default;
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  /// Current simulated time in nanoseconds.
  [[nodiscard]] Time now() const noexcept { return now_; }

  /// Schedules `callback(context, argument)` at absolute time `at` (ns, >= now()).
  /// Throws std::logic_error if `at` < now().
  EventId schedule(Time at, Callback callback, void* context, std::uint64_t argument = 0) {
    if (at < now_ || sequence_ >= kTickOrder || callback == nullptr) [[unlikely]] scheduleError(at, false);
    return push(at, sequence_++, callback, context, argument);
  }

  /// Schedules after `delay` nanoseconds (>= 0) from now().
  EventId scheduleIn(Time delay, Callback callback, void* context, std::uint64_t argument = 0) {
    return schedule(now_ + delay, callback, context, argument);
  }

  /// Schedules a periodic-tick event at `at` with a fixed place among the events of its instant: after
  /// every ordinary event of that time, ordered among ticks by `key` (< 2^63). Where a tick lands thus
  /// never depends on when it was scheduled, so a process may skip ticks it knows to be idle and
  /// re-arm them later without changing the order of anything (ns-3 and SimPy have no such need; a
  /// kubelet's probe tickers do). Throws std::logic_error if `at` < now().
  EventId scheduleTick(Time at, std::uint64_t key, Callback callback, void* context, std::uint64_t argument = 0) {
    if (at < now_ || key >= kTickOrder || callback == nullptr) [[unlikely]] scheduleError(at, true);
    return push(at, tickOrder(key), callback, context, argument);
  }

  /// The ordering key of the event being processed (ticks: kTickOrder | key; others: a sequence number).
  [[nodiscard]] std::uint64_t currentOrder() const noexcept { return currentOrder_; }

  /// The ordering key scheduleTick gives to tick `key`.
  static constexpr std::uint64_t tickOrder(std::uint64_t key) noexcept { return kTickOrder | key; }
  static constexpr std::uint64_t kTickOrder = 1ULL << 63;

  /// Cancels a pending event. Returns true if it was pending; false for an id that already fired,
  /// was cancelled before, or is invalid. Never throws.
  bool cancel(EventId id) noexcept {
    if (!pending(id)) return false;
    Slot& s = slots_[id.slot];
    ++s.generation;  // the heap entry now carries a stale generation and will be skipped
    freeSlots_.push_back(id.slot);
    --live_;
    // Lazy cancellation keeps cancel O(1); rebuild when stale entries dominate the queue.
    if (entries() > 64 && entries() > 4 * (live_ + 1)) [[unlikely]] compact();
    return true;
  }

  /// Whether `id` is scheduled and has neither fired nor been cancelled.
  [[nodiscard]] bool pending(EventId id) const noexcept {
    return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation;
  }

  /// Time of the next live event, or kForever when the queue is empty.
  [[nodiscard]] Time peek();

  /// Processes the next live event. Returns false (and does nothing) when the queue is empty.
  bool step();

  /// Processes every event with time <= `until` (ns), then sets the clock to `until`.
  /// Events scheduled exactly at `until` do fire. Throws SimulationLimitError past the event limit.
  void run(Time until);

  /// Number of events processed so far (cancelled ones excluded).
  [[nodiscard]] std::uint64_t processedEvents() const noexcept { return processed_; }

  /// Number of live events waiting in the queue.
  [[nodiscard]] std::size_t pendingCount() const noexcept { return live_; }

  /// Stops a run with SimulationLimitError after this many processed events (0: no limit).
  void setEventLimit(std::uint64_t limit) noexcept { eventLimit_ = limit; }

  /// Pre-sizes the queue and slot table for `events` simultaneously pending events.
  void reserve(std::size_t events);

  /// From this many pending events on, the queue runs as a calendar (see the file comment); 0: always.
  /// The order of events is the same either way; only the speed with many pending events differs.
  void setCalendarFrom(std::size_t pending) noexcept { calendarFrom_ = pending; }

  /// Whether the queue runs as a calendar now (it switches at calendarFrom pending events; reset() ends it).
  [[nodiscard]] bool calendarOn() const noexcept { return current_ != kNoCalendar; }

  /// Empties the queue and sets the clock and the counters back to zero (the event limit stays), keeping
  /// the tables' capacity: an Environment reused for the next run of a sweep allocates nothing once
  /// grown. No id from before the reset is pending after it.
  void reset();

 private:
  struct Entry {
    Time time;
    std::uint64_t sequence;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  // A slot holds what a pending event does. Its generation is bumped when the event fires or is
  // cancelled, so a heap entry (or an EventId) whose generation differs is stale.
  struct Slot {
    Callback callback = nullptr;
    void* context = nullptr;
    std::uint64_t argument = 0;
    std::uint32_t generation = 0;
  };

  static constexpr std::size_t kArity = 4;  // children per node of the heap
  // The calendar: bucket b holds times [b << kBucketShift, (b + 1) << kBucketShift).
  static constexpr unsigned kBucketShift = 27;          // 134,217,728 ns a bucket
  static constexpr std::uint64_t kBuckets = 8192;       // the wheel spans 8,192 buckets (about 1,100 s)
  static constexpr std::uint64_t kNoCalendar = UINT64_MAX;  // current_ while the queue is one heap
  static std::uint64_t bucketOf(Time t) noexcept { return static_cast<std::uint64_t>(t) >> kBucketShift; }
  static bool before(const Entry& a, const Entry& b) noexcept {
    return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
  }
  [[nodiscard]] bool stale(const Entry& e) const noexcept { return slots_[e.slot].generation != e.generation; }
  // The hot paths (schedule, cancel) are inline: a run of R1 schedules ~200 events and cancels ~100.
  EventId push(Time at, std::uint64_t order, Callback callback, void* context, std::uint64_t argument) {
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
    const Entry e{at, order, slot, s.generation};
    ++live_;
    if (current_ == kNoCalendar) {
      // One heap holds every event.
      heap_.emplace_back();
      siftUp(heap_, heap_.size() - 1, e);
      if (heap_.size() >= calendarFrom_) [[unlikely]] startCalendar();
    } else if (bucketOf(at) <= current_) {
      // The current bucket's: appended to the sorted tail when it sorts after the tail's last entry (events
      // scheduled for now, or a fleet's pods each scheduling the same delay), else into the heap.
      if (tailHead_ == tail_.size()) {
        tail_.clear();  // used up: start again at the front
        tailHead_ = 0;
        tail_.push_back(e);
      } else if (!before(e, tail_.back())) {
        tail_.push_back(e);
      } else {
        heap_.emplace_back();
        siftUp(heap_, heap_.size() - 1, e);
      }
    } else {
      file(e);
    }
    return EventId{slot, s.generation};
  }
  // The heap is a 4-ary min-heap on (time, sequence): half the levels of a binary heap, and the four
  // children of a node share a cache line or two, which matters once 10,000 pods keep ~50,000 events
  // pending. Sifted with a moving hole (one copy per level instead of a swap) and an inlined comparison.
  static void siftUp(std::vector<Entry>& heap, std::size_t hole, Entry e) noexcept {
    Entry* h = heap.data();
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!before(e, h[parent])) break;
      h[hole] = h[parent];
      hole = parent;
    }
    h[hole] = e;
  }
  /// Throws the std::logic_error of a schedule in the past (or of exhausted sequence numbers, a tick
  /// key out of range, a null callback).
  [[noreturn, gnu::cold]] void scheduleError(Time at, bool tick) const;
  static void removeTop(std::vector<Entry>& heap) noexcept;
  /// Finds the next live event (dropping stale fronts, taking the next bucket in when the current one is
  /// used up) and records where it is (next_, from_); false when nothing is pending.
  bool settle();
  /// Moves the calendar to its next bucket holding events (the wheel's or the overflow heap's) and puts
  /// that bucket's live events, sorted, into the empty run (the overflow heap's ones into the empty heap);
  /// false when neither holds any.
  bool advance();
  /// Files an event of a later bucket than the current one: in the wheel, or beyond it in the overflow heap.
  void file(const Entry& e);
  /// Turns the one heap into a calendar whose current bucket is the clock's.
  void startCalendar();
  void fireTop();
  void compact();
  [[nodiscard]] std::size_t entries() const noexcept {
    return heap_.size() + (run_.size() - runHead_) + (tail_.size() - tailHead_) + wheelCount_ + overflow_.size();
  }

  Time now_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t currentOrder_ = 0;
  std::uint64_t processed_ = 0;
  std::uint64_t eventLimit_ = 0;
  std::size_t live_ = 0;
  // Without a calendar every event is in heap_. With one, the current bucket's events are in three sorted
  // sources, and the next event is the least of their fronts: the run (the bucket as taken in, sorted,
  // consumed from runHead_), the tail (events scheduled into the current bucket after the tail's last
  // one, consumed from tailHead_) and heap_ (the others). A fleet's bucket of 100,000 events is then
  // consumed in O(1) per event instead of a heap's O(log n).
  enum class Source : std::uint8_t { Heap, Run, Tail };
  std::vector<Entry> heap_;
  std::vector<Entry> run_;
  std::size_t runHead_ = 0;
  std::vector<Entry> tail_;
  std::size_t tailHead_ = 0;
  const Entry* next_ = nullptr;  // set by settle: the next live event
  Source from_ = Source::Heap;   // and where it is
  std::uint64_t current_ = kNoCalendar;  // the calendar's current bucket; every event of a bucket <= it is in heap_, run_ or tail_
  std::size_t calendarFrom_ = 4096;
  std::vector<std::vector<Entry>> wheel_;  // bucket b (current_ < b < current_ + kBuckets) at b % kBuckets, unsorted
  std::size_t wheelCount_ = 0;             // entries in the wheel
  std::vector<Entry> overflow_;            // a 4-ary heap of the entries filed beyond the wheel
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> freeSlots_;
};

}  // namespace podsim::sim
