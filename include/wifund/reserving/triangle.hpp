#pragma once
// Loss development triangles: a matrix of cumulative amounts with one row per origin period
// (injury year or quarter) and one column per development age. Cells not yet observed are NaN.
// Every row must be observed on a prefix of ages (no holes); rows may have different lengths, so
// square, rectangular (more origins than ages) and "wide" (ages beyond the origins) triangles are
// all accepted. Functions here are pure and take Eigen::Ref views so that one segment of a
// stacked (segments x origins x ages) buffer is read without a copy.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "wifund/core/checks.hpp"
#include "wifund/core/types.hpp"

namespace wifund::reserving {

using Index = Eigen::Index;
using MatrixRef = Eigen::Ref<const Matrix>;

/// Labels used only in error messages: origin periods, development ages and (in a stack) the
/// segment. Missing labels fall back to 0-based positions, e.g. "origin #3".
struct triangle_axes {
  std::vector<std::string> origins;
  std::vector<std::string> ages;
  std::string segment;

  [[nodiscard]] std::string origin(Index i) const {
    const auto k = static_cast<std::size_t>(i);
    return k < origins.size() ? origins[k] : position(i);
  }
  [[nodiscard]] std::string age(Index j) const {
    const auto k = static_cast<std::size_t>(j);
    return k < ages.size() ? ages[k] : position(j);
  }
  /// "#k". (Built with append rather than "#" + std::to_string(k), which trips GCC 12's false
  /// -Wrestrict positive, PR 105651.)
  [[nodiscard]] static std::string position(Index k) {
    return std::string("#").append(std::to_string(k));
  }
  /// "segment S, origin O, age A" — the place of one cell in a message.
  [[nodiscard]] std::string cell(Index i, Index j) const {
    return where() + "origin " + origin(i) + ", age " + age(j);
  }
  [[nodiscard]] std::string where() const {
    return segment.empty() ? "" : "segment " + segment + ", ";
  }
};

/// An error in one triangle, with its place as data: the 0-based positions of the segment (in a
/// stack), the origin and the age, each -1 where the error concerns no particular one, and the
/// reason (the message without the "segment S: " prefix a batch puts before it). The bindings
/// translate it to wifund.reserving.TriangleError (a ValueError) whose attributes carry the place,
/// so that Python names a segment by its label without parsing the message.
class triangle_error : public invalid_input {
 public:
  triangle_error(const std::string& message, Index segment, Index origin, Index age,
                 std::string reason)
      : invalid_input(message),
        segment_(segment),
        origin_(origin),
        age_(age),
        reason_(std::move(reason)) {}
  /// An error at (origin, age) of a triangle not (yet) placed in a stack.
  triangle_error(const std::string& message, Index origin, Index age)
      : triangle_error(message, -1, origin, age, message) {}
  [[nodiscard]] Index segment() const noexcept { return segment_; }
  [[nodiscard]] Index origin() const noexcept { return origin_; }
  [[nodiscard]] Index age() const noexcept { return age_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  Index segment_, origin_, age_;
  std::string reason_;
};

/// Index of the last observed age of each origin, after checking that the observed cells of each
/// row form a prefix (a NaN followed by a number is a hole) and that every row has at least one
/// observed value. Infinite values, and values beyond 1e150 in magnitude (whose squares would
/// overflow in Mack's variances and the regression average), are rejected.
/// The in-place form reuses the storage of `len` (batch runs allocate nothing per segment).
inline void observed_lengths_into(const MatrixRef& tri, const triangle_axes& axes, const char* fn,
                                  std::vector<Index>& len) {
  const Index n_o = tri.rows(), n_d = tri.cols();
  if (n_o < 1 || n_d < 1) throw invalid_input(std::string(fn) + ": the triangle is empty");
  len.resize(static_cast<std::size_t>(n_o));
  for (Index i = 0; i < n_o; ++i) {
    Index n = 0;
    while (n < n_d && !std::isnan(tri(i, n))) {
      try {
        check_squarable(fn, axes.cell(i, n), tri(i, n));
      } catch (const invalid_input& e) {
        throw triangle_error(e.what(), i, n);
      }
      ++n;
    }
    for (Index j = n; j < n_d; ++j)
      if (!std::isnan(tri(i, j)))
        throw triangle_error(std::string(fn) + ": the triangle has a hole at " + axes.cell(i, n) +
                                 " (missing) while " + axes.cell(i, j) + " is observed",
                             i, n);
    if (n == 0)
      throw triangle_error(std::string(fn) + ": " + axes.where() + "origin " + axes.origin(i) +
                               " has no observed value",
                           i, -1);
    len[static_cast<std::size_t>(i)] = n;
  }
}

[[nodiscard]] inline std::vector<Index> observed_lengths(const MatrixRef& tri,
                                                         const triangle_axes& axes,
                                                         const char* fn) {
  std::vector<Index> len;
  observed_lengths_into(tri, axes, fn, len);
  return len;
}

/// Incremental amounts from cumulative ones (NaN cells stay NaN).
[[nodiscard]] inline Matrix to_incremental(const MatrixRef& cum) {
  Matrix inc = cum;
  for (Index j = cum.cols() - 1; j >= 1; --j) inc.col(j) = cum.col(j) - cum.col(j - 1);
  return inc;
}

/// Cumulative amounts from incremental ones (NaN cells stay NaN).
[[nodiscard]] inline Matrix to_cumulative(const MatrixRef& inc) {
  Matrix cum = inc;
  for (Index j = 1; j < inc.cols(); ++j) cum.col(j) = cum.col(j - 1) + inc.col(j);
  return cum;
}

/// Latest observed (diagonal) value of each origin.
inline void latest_diagonal_into(const MatrixRef& tri, const std::vector<Index>& len, Vector& v) {
  v.resize(tri.rows());
  for (Index i = 0; i < tri.rows(); ++i) v(i) = tri(i, len[static_cast<std::size_t>(i)] - 1);
}

[[nodiscard]] inline Vector latest_diagonal(const MatrixRef& tri, const std::vector<Index>& len) {
  Vector v;
  latest_diagonal_into(tri, len, v);
  return v;
}

/// Individual link ratios C(i, j+1) / C(i, j): an origins x (ages - 1) matrix, NaN where either
/// cell is unobserved or the denominator is 0.
[[nodiscard]] inline Matrix link_ratios(const MatrixRef& cum) {
  const Index n_o = cum.rows(), n_d = cum.cols();
  Matrix r = Matrix::Constant(n_o, n_d > 1 ? n_d - 1 : 0, std::nan(""));
  for (Index i = 0; i < n_o; ++i)
    for (Index j = 0; j + 1 < n_d; ++j) {
      const double a = cum(i, j), b = cum(i, j + 1);
      if (!std::isnan(a) && !std::isnan(b) && a != 0.0) r(i, j) = b / a;
    }
  return r;
}

}  // namespace wifund::reserving
