// Bindings for include/wifund/forecast/: ETS fitting, selection and batch fitting, trend models,
// back-testing. Arrays cross the boundary as float64 C-order; the GIL is released only after all
// arguments are cast into C++ objects.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wifund/forecast/backtest.hpp"
#include "wifund/forecast/ets.hpp"
#include "wifund/forecast/ets_fit.hpp"
#include "wifund/forecast/trend.hpp"

namespace py = pybind11;
namespace fc = wifund::forecast;

namespace wifund::bindings {
namespace {

using darray = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// A 1-d float64 array as an owned vector (the caller's array may be a slice or (1, N)).
std::vector<double> to_vector(const darray& a, const char* name) {
  // forcecast + c_style made a contiguous float64 copy if needed; (1, N) and (N, 1) are one series.
  const bool one_d = a.ndim() == 1 || (a.ndim() == 2 && (a.shape(0) == 1 || a.shape(1) == 1));
  if (!one_d)
    throw invalid_input(std::string(name) + ": expected a 1-d array, got " +
                        std::to_string(a.ndim()) + " dimensions");
  return {a.data(), a.data() + a.size()};
}

fc::error_type parse_error(const std::string& s) {
  if (s == "add" || s == "additive") return fc::error_type::additive;
  if (s == "mul" || s == "multiplicative") return fc::error_type::multiplicative;
  throw invalid_input("ets: error = '" + s + "' must be 'add' or 'mul'");
}

fc::trend_type parse_trend(const std::optional<std::string>& s) {
  if (!s) return fc::trend_type::none;
  if (*s == "add" || *s == "additive") return fc::trend_type::additive;
  if (*s == "mul" || *s == "multiplicative") return fc::trend_type::multiplicative;
  throw invalid_input("ets: trend = '" + *s + "' must be None, 'add' or 'mul'");
}

fc::init_method parse_init(const std::string& s) {
  if (s == "estimated") return fc::init_method::estimated;
  if (s == "heuristic") return fc::init_method::heuristic;
  if (s == "legacy-heuristic") return fc::init_method::legacy_heuristic;
  throw invalid_input("ets: initialization = '" + s +
                      "' must be 'estimated', 'heuristic' or 'legacy-heuristic'");
}

fc::criterion parse_criterion(const std::string& s) {
  if (s == "aicc") return fc::criterion::aicc;
  if (s == "aic") return fc::criterion::aic;
  if (s == "bic") return fc::criterion::bic;
  throw invalid_input("ets auto: criterion = '" + s + "' must be 'aicc', 'aic' or 'bic'");
}

/// A fixed parameter or NaN (= estimate it). A NaN given by the caller is rejected: in the C++
/// options it would silently mean "estimate".
double opt_or_nan(const std::optional<double>& v, const char* name) {
  if (v && std::isnan(*v))
    throw invalid_input(
        check_message("ets", name, *v, "must be a number, not NaN (pass None to estimate it)"));
  return v ? *v : std::numeric_limits<double>::quiet_NaN();
}

fc::ets_options make_options(const std::string& init, std::optional<double> alpha,
                             std::optional<double> beta, std::optional<double> phi) {
  return {parse_init(init),
          {opt_or_nan(alpha, "alpha"), opt_or_nan(beta, "beta"), opt_or_nan(phi, "phi")}};
}

py::dict interval_dict(const fc::forecast_interval& f) {
  py::dict d;
  d["mean"] = f.mean;
  d["lower"] = f.lower;
  d["upper"] = f.upper;
  d["level"] = f.level;
  d["simulated"] = f.simulated;
  return d;
}

}  // namespace

void bind_forecast(py::module_& m) {
  py::enum_<fc::error_type>(m, "EtsError")
      .value("add", fc::error_type::additive)
      .value("mul", fc::error_type::multiplicative);
  py::enum_<fc::trend_type>(m, "EtsTrend")
      .value("none", fc::trend_type::none)
      .value("add", fc::trend_type::additive)
      .value("mul", fc::trend_type::multiplicative);

  py::class_<fc::ets_fit_result>(m, "EtsFit")
      .def_property_readonly("short_name",
                             [](const fc::ets_fit_result& r) { return r.spec.short_name(); })
      .def_property_readonly("error",
                             [](const fc::ets_fit_result& r) {
                               return r.spec.error == fc::error_type::additive ? "add" : "mul";
                             })
      .def_property_readonly(
          "trend",
          [](const fc::ets_fit_result& r) -> std::optional<std::string> {
            if (!r.spec.has_trend()) return std::nullopt;
            return std::string(r.spec.trend == fc::trend_type::additive ? "add" : "mul");
          })
      .def_property_readonly("damped", [](const fc::ets_fit_result& r) { return r.spec.damped; })
      .def_property_readonly(
          "initialization",
          [](const fc::ets_fit_result& r) {
            return r.init == fc::init_method::estimated
                       ? "estimated"
                       : (r.init == fc::init_method::heuristic ? "heuristic" : "legacy-heuristic");
          })
      .def_property_readonly("alpha", [](const fc::ets_fit_result& r) { return r.params.alpha; })
      .def_property_readonly("beta", [](const fc::ets_fit_result& r) { return r.params.beta; })
      .def_property_readonly("phi", [](const fc::ets_fit_result& r) { return r.params.phi; })
      .def_property_readonly("initial_level",
                             [](const fc::ets_fit_result& r) { return r.params.level0; })
      .def_property_readonly("initial_trend",
                             [](const fc::ets_fit_result& r) { return r.params.trend0; })
      .def_readonly("nobs", &fc::ets_fit_result::nobs)
      .def_readonly("df_model", &fc::ets_fit_result::df_model)
      .def_readonly("loglik", &fc::ets_fit_result::loglik)
      .def_readonly("aic", &fc::ets_fit_result::aic)
      .def_readonly("aicc", &fc::ets_fit_result::aicc)
      .def_readonly("bic", &fc::ets_fit_result::bic)
      .def_readonly("mse", &fc::ets_fit_result::mse)
      .def_readonly("fitted", &fc::ets_fit_result::fitted)
      .def_readonly("residuals", &fc::ets_fit_result::residuals)
      .def_readonly("level", &fc::ets_fit_result::level)
      .def_readonly("slope", &fc::ets_fit_result::trend)
      .def_readonly("n_evals", &fc::ets_fit_result::n_evals)
      .def(
          "forecast",
          [](const fc::ets_fit_result& r, int steps, double level, int reps, std::uint64_t seed) {
            fc::forecast_interval f;
            {
              py::gil_scoped_release release;
              f = fc::ets_forecast(r, steps, level, reps, seed);
            }
            return interval_dict(f);
          },
          py::arg("steps"), py::arg("level") = 0.95, py::arg("reps") = 5000,
          py::arg("seed") = 20240601)
      .def(
          "simulate",
          [](const fc::ets_fit_result& r, int steps, int reps, std::uint64_t seed, int threads) {
            Matrix out;
            {
              py::gil_scoped_release release;
              out = fc::ets_simulate(r.spec, r.params, r.last_level(), r.last_trend(),
                                     std::sqrt(r.mse), steps, reps, seed, threads);
            }
            return out;
          },
          py::arg("steps"), py::arg("reps"), py::arg("seed"), py::arg("threads") = 1)
      .def("analytic_variance",
           [](const fc::ets_fit_result& r, int steps) {
             return fc::ets_analytic_variance(r.spec, r.params, r.mse, steps);
           })
      // Pickling (for multiprocessing and Dask), with a format version checked on load.
      .def(py::pickle(
          [](const fc::ets_fit_result& r) {
            const auto& p = r.params;
            return py::make_tuple(1, int(r.spec.error), int(r.spec.trend), r.spec.damped,
                                  int(r.init),
                                  py::make_tuple(p.alpha, p.beta, p.phi, p.level0, p.trend0),
                                  py::make_tuple(r.nobs, r.df_model, r.loglik, r.aic, r.aicc, r.bic,
                                                 r.mse, r.n_evals),
                                  r.fitted, r.residuals, r.level, r.trend);
          },
          [](const py::tuple& t) {
            if (t.size() != 11 || t[0].cast<int>() != 1)
              throw invalid_input("EtsFit: unsupported pickle format (expected version 1)");
            fc::ets_fit_result r;
            r.spec = {static_cast<fc::error_type>(t[1].cast<int>()),
                      static_cast<fc::trend_type>(t[2].cast<int>()), t[3].cast<bool>()};
            r.init = static_cast<fc::init_method>(t[4].cast<int>());
            const auto p = t[5].cast<py::tuple>();
            r.params = {p[0].cast<double>(), p[1].cast<double>(), p[2].cast<double>(),
                        p[3].cast<double>(), p[4].cast<double>()};
            const auto s = t[6].cast<py::tuple>();
            r.nobs = s[0].cast<int>();
            r.df_model = s[1].cast<int>();
            r.loglik = s[2].cast<double>();
            r.aic = s[3].cast<double>();
            r.aicc = s[4].cast<double>();
            r.bic = s[5].cast<double>();
            r.mse = s[6].cast<double>();
            r.n_evals = s[7].cast<int>();
            r.fitted = t[7].cast<Vector>();
            r.residuals = t[8].cast<Vector>();
            r.level = t[9].cast<Vector>();
            r.trend = t[10].cast<Vector>();
            return r;
          }));

  m.def(
      "ets_fit",
      [](const darray& y, const std::string& error, std::optional<std::string> trend, bool damped,
         std::optional<double> alpha, std::optional<double> beta, std::optional<double> phi,
         const std::string& init) {
        auto v = to_vector(y, "y");
        const fc::ets_spec spec{parse_error(error), parse_trend(trend), damped};
        const auto o = make_options(init, alpha, beta, phi);
        py::gil_scoped_release release;
        return fc::fit_ets(v, spec, o);
      },
      py::arg("y"), py::arg("error") = "add", py::arg("trend") = py::none(),
      py::arg("damped") = false, py::arg("alpha") = py::none(), py::arg("beta") = py::none(),
      py::arg("phi") = py::none(), py::arg("initialization") = "estimated");

  m.def(
      "ets_smooth",
      [](const darray& y, const std::string& error, std::optional<std::string> trend, bool damped,
         double alpha, double beta, double phi, double level0, double trend0,
         const std::string& init) {
        auto v = to_vector(y, "y");
        const fc::ets_spec spec{parse_error(error), parse_trend(trend), damped};
        const fc::ets_params p{alpha, beta, phi, level0, trend0};
        const fc::ets_options o{parse_init(init), {}};
        py::gil_scoped_release release;
        return fc::ets_with_params(v, spec, p, o);
      },
      py::arg("y"), py::arg("error"), py::arg("trend"), py::arg("damped"), py::arg("alpha"),
      py::arg("beta"), py::arg("phi"), py::arg("initial_level"), py::arg("initial_trend"),
      py::arg("initialization") = "estimated");

  m.def(
      "ets_auto",
      [](const darray& y, const std::string& init, const std::string& crit) {
        auto v = to_vector(y, "y");
        const fc::ets_options o{parse_init(init), {}};
        const auto c = parse_criterion(crit);
        py::gil_scoped_release release;
        return fc::auto_ets(v, o, c);
      },
      py::arg("y"), py::arg("initialization") = "estimated", py::arg("criterion") = "aicc");

  m.def(
      "ets_fit_many",
      [](const std::vector<darray>& ys, const std::vector<std::string>& names,
         const std::string& error, std::optional<std::string> trend, bool damped, bool automatic,
         std::optional<double> alpha, std::optional<double> beta, std::optional<double> phi,
         const std::string& init, const std::string& crit, int threads) {
        std::vector<std::vector<double>> v;
        v.reserve(ys.size());
        for (const auto& a : ys) v.push_back(to_vector(a, "series"));
        const fc::ets_spec spec{parse_error(error), parse_trend(trend), damped};
        if (!automatic) spec.validate("fit_many");
        const auto o = make_options(init, alpha, beta, phi);
        const auto c = parse_criterion(crit);
        std::vector<fc::ets_batch_item> out;
        {
          py::gil_scoped_release release;
          out = fc::fit_ets_many(v, spec, automatic, o, c, threads, names);
        }
        py::list res;
        for (auto& item : out) {
          if (item.ok)
            res.append(py::cast(std::move(item.fit)));
          else
            res.append(py::str(item.error));
        }
        return res;
      },
      py::arg("series"), py::arg("names"), py::arg("error") = "add", py::arg("trend") = py::none(),
      py::arg("damped") = false, py::arg("automatic") = false, py::arg("alpha") = py::none(),
      py::arg("beta") = py::none(), py::arg("phi") = py::none(),
      py::arg("initialization") = "estimated", py::arg("criterion") = "aicc",
      py::arg("threads") = 0);

  m.def(
      "forecast_model",
      [](const darray& y, const std::string& model, int steps, double level, std::uint64_t seed) {
        auto v = to_vector(y, "y");
        const auto kind = fc::parse_model_kind(model);
        fc::forecast_interval f;
        {
          py::gil_scoped_release release;
          f = fc::forecast_with(kind, v, steps, level, seed);
        }
        return interval_dict(f);
      },
      py::arg("y"), py::arg("model"), py::arg("steps"), py::arg("level") = 0.95,
      py::arg("seed") = 20240601);

  py::class_<fc::loglinear_trend_result>(m, "LogLinearTrend")
      .def_readonly("intercept", &fc::loglinear_trend_result::intercept)
      .def_readonly("slope", &fc::loglinear_trend_result::slope)
      .def_readonly("sigma", &fc::loglinear_trend_result::sigma)
      .def_readonly("nobs", &fc::loglinear_trend_result::nobs)
      .def_readonly("fitted", &fc::loglinear_trend_result::fitted)
      .def(
          "forecast",
          [](const fc::loglinear_trend_result& r, int steps, double level) {
            return interval_dict(fc::loglinear_forecast(r, steps, level));
          },
          py::arg("steps"), py::arg("level") = 0.95);
  m.def(
      "loglinear_trend", [](const darray& y) { return fc::fit_loglinear_trend(to_vector(y, "y")); },
      py::arg("y"));

  py::class_<fc::growth_rw_result>(m, "GrowthRandomWalk")
      .def_readonly("drift", &fc::growth_rw_result::drift)
      .def_readonly("sigma", &fc::growth_rw_result::sigma)
      .def_readonly("nobs", &fc::growth_rw_result::nobs)
      .def_readonly("last", &fc::growth_rw_result::last)
      .def(
          "forecast",
          [](const fc::growth_rw_result& r, int steps, double level) {
            return interval_dict(fc::growth_rw_forecast(r, steps, level));
          },
          py::arg("steps"), py::arg("level") = 0.95);
  m.def(
      "growth_random_walk", [](const darray& y) { return fc::fit_growth_rw(to_vector(y, "y")); },
      py::arg("y"));

  m.def(
      "backtest",
      [](const std::vector<darray>& ys, const std::vector<std::string>& models, int horizon,
         int min_train, double level, std::uint64_t seed, int threads) {
        std::vector<std::vector<double>> v;
        for (const auto& a : ys) v.push_back(to_vector(a, "series"));
        std::vector<fc::model_kind> kinds;
        for (const auto& s : models) kinds.push_back(fc::parse_model_kind(s));
        std::vector<fc::backtest_row> rows;
        {
          py::gil_scoped_release release;
          rows = fc::rolling_origin(v, kinds, horizon, min_train, level, seed, threads);
        }
        // Columns as arrays for a pandas DataFrame.
        const auto n = static_cast<py::ssize_t>(rows.size());
        py::array_t<long> series(n), model(n), origin(n), h(n);
        py::array_t<double> actual(n), fcst(n), lower(n), upper(n), scale(n);
        for (py::ssize_t i = 0; i < n; ++i) {
          const auto& r = rows[static_cast<std::size_t>(i)];
          series.mutable_at(i) = r.series;
          model.mutable_at(i) = r.model;
          origin.mutable_at(i) = r.origin;
          h.mutable_at(i) = r.h;
          actual.mutable_at(i) = r.actual;
          fcst.mutable_at(i) = r.forecast;
          lower.mutable_at(i) = r.lower;
          upper.mutable_at(i) = r.upper;
          scale.mutable_at(i) = r.mase_scale;
        }
        py::dict d;
        d["series"] = series;
        d["model"] = model;
        d["origin"] = origin;
        d["h"] = h;
        d["actual"] = actual;
        d["forecast"] = fcst;
        d["lower"] = lower;
        d["upper"] = upper;
        d["mase_scale"] = scale;
        return d;
      },
      py::arg("series"), py::arg("models"), py::arg("horizon"), py::arg("min_train"),
      py::arg("level") = 0.95, py::arg("seed") = 20240601, py::arg("threads") = 0);
}

}  // namespace wifund::bindings
