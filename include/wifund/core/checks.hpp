#pragma once
// Argument checks in the Stan Math style: check_xxx(function, name, value) throws
// wifund::invalid_input with a message naming the function, the argument and the bad value.
// Checks run where a value enters the library, so that no inverted pair reaches std::clamp (whose
// precondition lo <= hi is undefined behaviour when broken) and no request reaches an allocation
// that the machine cannot satisfy (a std::bad_alloc names nothing).
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include "wifund/core/errors.hpp"

namespace wifund {

/// A number as its shortest round-trip text ("0.6", "1e+200", "-inf", "nan"), as Python's repr.
[[nodiscard]] inline std::string format_value(double value) {
  if (std::isnan(value)) return "nan";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

/// Builds "function: name = value (reason)" messages.
template <typename T>
[[nodiscard]] inline std::string check_message(std::string_view function, std::string_view name,
                                               const T& value, std::string_view reason) {
  std::ostringstream os;
  os << function << ": " << name << " = ";
  if constexpr (std::is_floating_point_v<T>)
    os << format_value(static_cast<double>(value));
  else
    os << value;
  os << " " << reason;
  return os.str();
}

inline void check_finite(std::string_view function, std::string_view name, double value) {
  if (!std::isfinite(value))
    throw invalid_input(check_message(function, name, value, "is not finite"));
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

/// Largest magnitude accepted for amounts whose squares and cross products are formed (Mack's
/// variances, the regression average, the bootstrap's Pearson residuals): squares stay below
/// 1e300, so sums of them over any triangle remain finite.
inline constexpr double max_squarable = 1e150;

/// A finite value whose square does not overflow: |value| <= max_squarable.
inline void check_squarable(std::string_view function, std::string_view name, double value) {
  if (!std::isfinite(value))
    throw invalid_input(check_message(function, name, value, "is not finite"));
  if (std::abs(value) > max_squarable)
    throw invalid_input(check_message(function, name, value,
                                      "exceeds 1e+150 in magnitude (its square would overflow)"));
}

/// A pair (lo, hi) that must be ordered, lo <= hi, both finite: e.g. the bounds of a clamp. Rejects
/// an inverted pair where it enters, before it can reach std::clamp.
inline void check_ordered(std::string_view function, std::string_view lo_name, double lo,
                          std::string_view hi_name, double hi) {
  check_finite(function, lo_name, lo);
  check_finite(function, hi_name, hi);
  if (!(lo <= hi)) {
    std::ostringstream os;
    os << function << ": " << lo_name << " = " << format_value(lo) << " exceeds " << hi_name
       << " = " << format_value(hi) << " (the pair is inverted)";
    throw invalid_input(os.str());
  }
}

/// Total physical memory in bytes, 0 when unknown.
[[nodiscard]] inline std::uint64_t physical_memory_bytes() noexcept {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGE_SIZE)
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0)
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
#endif
  return 0;
}

/// Checks, before allocating, that `count` elements of `element_size` bytes fit in memory: throws
/// insufficient_memory naming the request (`what`, e.g. "n_sims = 1000000000") and the GiB it
/// would need when the size overflows or exceeds the machine's physical memory (`limit_bytes`
/// overrides the machine's, for tests).
inline void check_allocation(std::string_view function, std::string_view what, double count,
                             std::size_t element_size, std::uint64_t limit_bytes = 0) {
  const double bytes = count * static_cast<double>(element_size);
  const std::uint64_t limit = limit_bytes ? limit_bytes : physical_memory_bytes();
  const double max_bytes = limit ? static_cast<double>(limit)
                                 : static_cast<double>(std::numeric_limits<std::ptrdiff_t>::max());
  if (!(count >= 0.0) || !(bytes <= max_bytes)) {
    std::ostringstream os;
    os.precision(3);
    os << function << ": " << what << " needs " << std::fixed << bytes / 1073741824.0
       << " GiB for its result";
    if (limit)
      os << ", more than this machine's " << static_cast<double>(limit) / 1073741824.0 << " GiB";
    throw insufficient_memory(os.str());
  }
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
