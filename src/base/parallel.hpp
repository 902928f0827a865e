// Runs independent work items on as many threads as the caller's options say; items are
// claimed in small blocks so that documents of very different lengths still balance.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace neardup::detail {

// The threads an option asks for: 0 means one per core.
inline unsigned thread_count(unsigned requested) { return requested ? requested : std::max(1u, std::thread::hardware_concurrency()); }

// Calls body(i) for every i in [0, n), from up to thread_count(requested) threads. The first
// exception thrown by any call is rethrown here after all threads stop.
template <class Body>
void parallel_for(unsigned requested, std::size_t n, Body&& body, std::size_t block = 16) {
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(thread_count(requested), (n + block - 1) / block));
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t start; (start = next.fetch_add(block)) < n;)
        for (std::size_t i = start; i < std::min(n, start + block); ++i) body(i);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace neardup::detail
