// A queue between one producing thread and one consuming thread that holds at most `capacity`
// items, so that the producer (a reader) stays only a little ahead of the consumer and memory is
// bounded by the items waiting, not by the input.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace neardup::detail {

template <typename T>
class BoundedQueue {
 public:
  // Thrown by a producer that finds the queue closed, to unwind out of its loop.
  struct Closed {};

  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  // Waits for room; false once closed (the consumer gave up).
  bool push(T item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || waiting_.size() < capacity_; });
    if (closed_) return false;
    waiting_.push_back(std::move(item));
    changed_.notify_all();
    return true;
  }
  // Waits for an item; empty once closed and drained.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || !waiting_.empty(); });
    if (waiting_.empty()) return std::nullopt;
    T item = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return item;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> waiting_;
  bool closed_ = false;
};

}  // namespace neardup::detail
