#pragma once
// Exception types of the wifund core. The Python bindings translate them:
//   invalid_input     -> ValueError      (bad argument or data value; message names field, place,
//   value;
//                                        insufficient_memory: a result too large for the machine)
//   std::out_of_range -> IndexError      (age, year or index outside a table)
//   convergence_error -> wifund.ConvergenceError (an iterative method did not converge;
//                        _core.core.ConvergenceError)
//   reserving::triangle_error (reserving/triangle.hpp, an invalid_input carrying the segment,
//                        origin and age of a bad cell) -> wifund.reserving.TriangleError
//                        (ValueError)
#include <stdexcept>
#include <string>

namespace wifund {

/// A value supplied by the caller breaks a documented precondition.
class invalid_input : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A request whose result would not fit in memory (checked before allocating, so the message says
/// how much it needs instead of a bare std::bad_alloc).
class insufficient_memory : public invalid_input {
 public:
  using invalid_input::invalid_input;
};

/// An iterative solver or optimiser stopped without meeting its tolerance.
class convergence_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wifund
