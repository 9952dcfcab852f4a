#pragma once
// Argument checks in the Stan Math style: check_xxx(function, name, value) throws
// wifund::invalid_input with a message naming the function, the argument and the bad value.
#include <cmath>
#include <sstream>
#include <string>
#include <string_view>

#include "wifund/core/errors.hpp"

namespace wifund {

/// Builds "function: name = value (reason)" messages.
template <typename T>
[[nodiscard]] inline std::string check_message(std::string_view function, std::string_view name,
                                               const T& value, std::string_view reason) {
  std::ostringstream os;
  os.precision(17);
  os << function << ": " << name << " = " << value << " " << reason;
  return os.str();
}

inline void check_finite(std::string_view function, std::string_view name, double value) {
  if (!std::isfinite(value)) throw invalid_input(check_message(function, name, value, "is not finite"));
}

inline void check_nonnegative(std::string_view function, std::string_view name, double value) {
  if (!(value >= 0.0) || !std::isfinite(value))
    throw invalid_input(check_message(function, name, value, "must be finite and >= 0"));
}

inline void check_positive(std::string_view function, std::string_view name, double value) {
  if (!(value > 0.0) || !std::isfinite(value))
    throw invalid_input(check_message(function, name, value, "must be finite and > 0"));
}

/// A probability or rate that must lie in [0, 1].
inline void check_unit_interval(std::string_view function, std::string_view name, double value) {
  if (!(value >= 0.0 && value <= 1.0))
    throw invalid_input(check_message(function, name, value, "must lie in [0, 1]"));
}

template <typename I>
inline void check_in_range(std::string_view function, std::string_view name, I value, I lo, I hi) {
  if (value < lo || value > hi) {
    std::ostringstream os;
    os << "must lie in [" << lo << ", " << hi << "]";
    throw invalid_input(check_message(function, name, value, os.str()));
  }
}

}  // namespace wifund
