// parallel_for: every index runs exactly once for any thread count, and the first exception reaches
// the caller after all threads have joined.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "wifund/core/parallel.hpp"

TEST(ParallelFor, EveryIndexOnceForAnyThreadCount) {
  for (int threads : {-1, 0, 1, 2, 3, 64}) {
    std::vector<std::atomic<int>> hits(1000);
    wifund::parallel_for(std::size_t{1000}, threads, [&](std::size_t i) { hits[i]++; });
    for (const auto& h : hits) EXPECT_EQ(h.load(), 1) << "threads " << threads;
  }
  wifund::parallel_for(0L, 4, [](long) { FAIL(); });
}

TEST(ParallelFor, ExceptionReachesCaller) {
  EXPECT_THROW(wifund::parallel_for(100L, 2,
                                    [](long i) {
                                      if (i == 37) throw std::runtime_error("item 37");
                                    }),
               std::runtime_error);
  EXPECT_THROW(wifund::parallel_for(10L, 5000, [](long) {}), wifund::invalid_input);
}
