#pragma once
// Reads the long-format triangles of tests/data/triangles (origin, development as a calendar
// year, cumulative value) into an origins x ages matrix with NaN for unobserved cells.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "../test_data.hpp"
#include "wifund/reserving/triangle.hpp"

namespace wifund::testing {

inline Matrix load_triangle(const std::string& file) {
  auto cols = read_csv_columns(std::string(WIFUND_SHARED_DATA_DIR) + "/triangles/" + file);
  const auto& o = cols.at("origin");
  const auto& d = cols.at("development");
  const auto& v = cols.at("values");
  const int o0 = static_cast<int>(*std::min_element(o.begin(), o.end()));
  const int n_o = static_cast<int>(*std::max_element(o.begin(), o.end())) - o0 + 1;
  int n_d = 0;
  for (std::size_t k = 0; k < o.size(); ++k) n_d = std::max(n_d, static_cast<int>(d[k] - o[k]) + 1);
  Matrix m = Matrix::Constant(n_o, n_d, std::nan(""));
  for (std::size_t k = 0; k < o.size(); ++k)
    m(static_cast<int>(o[k]) - o0, static_cast<int>(d[k] - o[k])) = v[k];
  return m;
}

}  // namespace wifund::testing
