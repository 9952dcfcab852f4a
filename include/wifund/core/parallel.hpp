#pragma once
// The one threading primitive of wifund's batch kernels (reserving stacks, ETS batches,
// back-tests): run f(k) for k = 0..n-1 on up to `threads` std::threads that take the next index
// from an atomic counter. Each work item must write only its own outputs (and draw random numbers
// from a stream seeded by its index), so results never depend on the thread count or the
// scheduling. The first exception thrown by any item is rethrown on the calling thread after all
// threads have joined.
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

#include "wifund/core/checks.hpp"

namespace wifund {

/// threads <= 0 means one thread per hardware core.
template <class Index, class F>
void parallel_for(Index n, int threads, F&& f) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  check_in_range("parallel_for", "threads", threads, 1, 1024);
  if (n <= 0) return;
  std::atomic<Index> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (Index k = next++; k < n && !failed; k = next++) f(k);
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  const Index extra = std::min<Index>(static_cast<Index>(threads), n) - 1;
  for (Index t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace wifund
