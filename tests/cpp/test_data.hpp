#pragma once
// Helpers for the C++ tests: read the small CSV files shipped in python/wifund/data and tests/data.
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "wifund/life/life_table.hpp"

namespace wifund::testing {

/// Reads a numeric CSV with a header row into columns by name.
inline std::map<std::string, std::vector<double>> read_csv_columns(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  {
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) names.push_back(cell);
  }
  std::map<std::string, std::vector<double>> cols;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string cell;
    for (std::size_t j = 0; std::getline(ss, cell, ','); ++j)
      cols[names.at(j)].push_back(std::stod(cell));
  }
  return cols;
}

/// One of the China Life Insurance Experience Tables 2010-2013 ("CL1".."CL6").
inline life_table china_life_table(const std::string& column) {
  auto cols = read_csv_columns(std::string(WIFUND_DATA_DIR) + "/life_tables/cl2010_2013_qx.csv");
  return life_table(column, 0, cols.at(column));
}

}  // namespace wifund::testing
