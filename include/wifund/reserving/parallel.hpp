#pragma once
// The one threading primitive of the reserving kernels: run f(k) for k = 0..n-1 on up to
// `threads` std::threads that take the next index from an atomic counter. Work items must write
// disjoint outputs; the first exception is rethrown on the calling thread after all have joined.
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"

namespace wifund::reserving {

template <class F>
void parallel_for(Eigen::Index n, int threads, F&& f) {
  check_in_range("reserving", "threads", threads, 1, 1024);
  std::atomic<Eigen::Index> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (Eigen::Index k = next++; k < n && !failed; k = next++) f(k);
    } catch (...) {
      if (!failed.exchange(true)) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (Eigen::Index t = 1; t < std::min<Eigen::Index>(threads, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace wifund::reserving
