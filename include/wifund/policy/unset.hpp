#pragma once
// "Not set" for the parameter structs. The C++ structs carry no policy or claims defaults of their
// own: the values live in the policy TOML files and in wifund.assumptions, and Python sets every
// field (wifund._bridge). A numeric field left unset is NaN, which make_context() rejects naming
// it, instead of silently using a number that differs from the documented default.
#include <array>
#include <cstddef>
#include <limits>

namespace wifund {

inline constexpr double unset = std::numeric_limits<double>::quiet_NaN();
inline constexpr int unset_int = std::numeric_limits<int>::min();

template <std::size_t N>
[[nodiscard]] constexpr std::array<double, N> unset_array() noexcept {
  std::array<double, N> a{};
  for (auto& v : a) v = unset;
  return a;
}

}  // namespace wifund
