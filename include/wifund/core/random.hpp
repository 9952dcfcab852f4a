#pragma once
// Counter-based random streams for the Monte Carlo work (Random123's Philox4x64-10, Debian
// librandom123-dev). A stream is keyed by (seed, stream id) and counted by (scenario, draw): the
// n-th draw of stream `id` in scenario `s` is a pure function of (seed, s, id, n), so results never
// depend on the thread count, the blocking into tasks, the scheduling or the machine (up to the
// last ulp of libm's exp/log/cos, which are IEEE-correct to < 1 ulp on glibc).
//
// Stream ids (documented and fixed: changing one changes every seeded output that uses it):
//   1 economy (the VAR(1) innovations), 2 claim counts, 3 severities, 4 catastrophes,
//   5 parameter uncertainty (the per-scenario level shifts of the VAR(1)),
//   16 the reserving bootstrap, 17 the forecast simulations.
//
// Draws (standard transformations, no library quantiles in the inner loops):
//   uniform   (0, 1) from the top 53 bits, (k + 0.5) 2^-53: never 0 or 1;
//   normal    Box-Muller (two uniforms -> two normals);
//   Poisson   inversion by sequential search for lambda < 10, Hormann's PTRS transformed rejection
//             (1993, the algorithm numpy uses) above;
//   gamma     Marsaglia-Tsang (2000) squeeze, shape < 1 by the U^(1/a) boost;
//   negative binomial  Poisson(lambda G), G ~ gamma(1/phi, phi): mean lambda, variance
//             lambda + phi lambda^2 (phi = 0: Poisson);
//   lognormal exp(mu + sigma Z); Pareto  x_m U^(-1/alpha) (inversion).
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace wifund {

namespace stream_id {
inline constexpr std::uint64_t economy = 1;
inline constexpr std::uint64_t claims = 2;
inline constexpr std::uint64_t severity = 3;
inline constexpr std::uint64_t catastrophe = 4;
inline constexpr std::uint64_t parameters = 5;
inline constexpr std::uint64_t mortality = 6;  ///< deaths of beneficiaries (mortality.hpp)
inline constexpr std::uint64_t bootstrap = 16;
inline constexpr std::uint64_t forecast = 17;
}  // namespace stream_id

/// One random stream: Philox4x64-10 with key (seed, stream id), counter (scenario, block, 0, 0);
/// each block gives four 64-bit words.
class random_stream {
 public:
  random_stream(std::uint64_t seed, std::uint64_t scenario, std::uint64_t stream) {
    key_ = {{seed, stream}};
    ctr_ = {{scenario, 0, 0, 0}};
  }

  /// A uniform on (0, 1), never 0 or 1.
  double uniform() {
    if (used_ == 4) refill();
    const std::uint64_t w = block_.v[used_++];
    return (static_cast<double>(w >> 11) + 0.5) * 0x1.0p-53;
  }

  /// A standard normal (Box-Muller, the second of each pair kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform(), u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 6.283185307179586476925 * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return r * std::cos(a);
  }

  /// Poisson(lambda), lambda >= 0.
  double poisson(double lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      double p = std::exp(-lambda), f = p, k = 0;
      const double u = uniform();
      while (u > f && k < 1000) {
        k += 1;
        p *= lambda / k;
        f += p;
      }
      return k;
    }
    const double slam = std::sqrt(lambda), loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const double u = uniform() - 0.5, v = uniform();
      const double us = 0.5 - std::fabs(u);
      const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
          -lambda + k * loglam - std::lgamma(k + 1))
        return k;
    }
  }

  /// Gamma(shape, scale), shape > 0 (Marsaglia-Tsang).
  double gamma(double shape, double scale) {
    if (shape < 1) return gamma(shape + 1, scale) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v * scale;
    }
  }

  /// Negative binomial with mean lambda and variance lambda + phi lambda^2 (phi = 0: Poisson).
  double negative_binomial(double lambda, double phi) {
    if (phi <= 0) return poisson(lambda);
    return poisson(lambda * gamma(1 / phi, phi));
  }

  /// exp(mu + sigma Z).
  double lognormal(double mu, double sigma) { return std::exp(mu + sigma * normal()); }

  /// Pareto(x_m, alpha): x_m U^(-1/alpha) >= x_m.
  double pareto(double xm, double alpha) { return xm * std::pow(uniform(), -1.0 / alpha); }

 private:
  void refill() {
    block_ = r123::Philox4x64()(ctr_, key_);
    ctr_.v[1] += 1;
    used_ = 0;
  }
  r123::Philox4x64::key_type key_{};
  r123::Philox4x64::ctr_type ctr_{};
  r123::Philox4x64::ctr_type block_{};
  int used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace wifund
