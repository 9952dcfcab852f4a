// Bindings for include/wifund/reserving/: one entry point that runs any deterministic method over a
// stack of triangles (a single triangle is a stack of one), the payment patterns of a stack, and
// the ODP bootstrap model. Options arrive as strings and are mapped to the C++ enums here, so that
// an unknown convention is a ValueError naming the allowed values. Arguments are cast and checked
// with the GIL held; the GIL is released only around the pure C++ work.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "wifund/reserving/batch.hpp"
#include "wifund/reserving/bootstrap.hpp"
#include "wifund/reserving/chain_ladder.hpp"
#include "wifund/reserving/payment_pattern.hpp"

namespace py = pybind11;
namespace wr = wifund::reserving;

namespace wifund::bindings {
using Index = Eigen::Index;
namespace {
using array_d = py::array_t<double, py::array::c_style | py::array::forcecast>;

template <class E>
E parse_option(const std::string& what, const std::string& value,
               std::initializer_list<std::pair<const char*, E>> choices) {
  std::string allowed;
  for (const auto& [name, e] : choices) {
    if (value == name) return e;
    allowed += (allowed.empty() ? "" : ", ") + std::string("'") + name + "'";
  }
  throw invalid_input(what + " = '" + value + "' is not one of " + allowed);
}

/// A 2-D array as an owned row-major matrix (empty when None).
Matrix to_matrix(const std::optional<array_d>& a, const char* name) {
  if (!a) return Matrix();
  if (a->ndim() != 2) throw invalid_input(std::string(name) + " must be a 2-D array");
  return Eigen::Map<const Matrix>(a->data(), a->shape(0), a->shape(1));
}

Vector to_vector(const array_d& a, const char* name) {
  if (a.ndim() != 1) throw invalid_input(std::string(name) + " must be a 1-D array");
  return Eigen::Map<const Vector>(a.data(), a.shape(0));
}

py::dict reserve(const array_d& values, const std::string& method, const std::string& average,
                 Index n_periods, const std::optional<array_d>& exclude, const std::string& tail,
                 double tail_factor, int extrap_periods, const std::string& sigma,
                 const std::optional<array_d>& apriori, int n_iter,
                 const std::optional<array_d>& exposure, double trend, double decay,
                 double origin_step_years, std::vector<std::string> origins,
                 std::vector<std::string> ages, std::vector<std::string> segments, int threads) {
  if (values.ndim() != 3)
    throw invalid_input("reserve: values must have shape (segments, origins, ages)");
  const Index n_seg = values.shape(0), n_o = values.shape(1), n_d = values.shape(2);
  wr::batch_options o;
  o.method = parse_option<wr::batch_method>("method", method,
                                            {{"chain_ladder", wr::batch_method::chain_ladder},
                                             {"mack", wr::batch_method::mack},
                                             {"benktander", wr::batch_method::benktander},
                                             {"cape_cod", wr::batch_method::cape_cod}});
  o.dev.average = parse_option<wr::average_kind>("average", average,
                                                 {{"volume", wr::average_kind::volume},
                                                  {"simple", wr::average_kind::simple},
                                                  {"regression", wr::average_kind::regression}});
  o.dev.n_periods = n_periods;
  o.dev.exclude = to_matrix(exclude, "exclude");
  o.dev.tail.kind = parse_option<wr::tail_kind>("tail", tail,
                                                {{"none", wr::tail_kind::none},
                                                 {"constant", wr::tail_kind::constant},
                                                 {"exponential", wr::tail_kind::exponential},
                                                 {"inverse_power", wr::tail_kind::inverse_power}});
  o.dev.tail.factor = tail_factor;
  o.dev.tail.extrap_periods = extrap_periods;
  o.sigma =
      parse_option<wr::sigma_extrapolation>("sigma_extrapolation", sigma,
                                            {{"log-linear", wr::sigma_extrapolation::log_linear},
                                             {"mack", wr::sigma_extrapolation::mack}});
  o.apriori = to_matrix(apriori, "apriori");
  o.n_iter = n_iter;
  o.exposure = to_matrix(exposure, "exposure");
  o.cape_cod = {trend, decay, origin_step_years};
  o.threads = threads;
  const wr::triangle_axes axes{std::move(origins), std::move(ages), ""};
  wr::batch_result r;
  {
    py::gil_scoped_release release;
    r = wr::reserve_batch(values.data(), n_seg, n_o, n_d, o, axes, segments);
  }
  // Fields the method did not fill have no rows and are left out of the dict (tail_ldfs, possibly
  // with zero columns, is always there).
  py::dict d;
  d["tail_ldfs"] = py::cast(r.tail_ldfs);
  const std::pair<const char*, const Matrix*> matrices[] = {{"latest", &r.latest},
                                                            {"ultimate", &r.ultimate},
                                                            {"ibnr", &r.ibnr},
                                                            {"ldf", &r.ldf},
                                                            {"cdf", &r.cdf},
                                                            {"apriori", &r.apriori},
                                                            {"elr", &r.elr},
                                                            {"se", &r.se},
                                                            {"process_se", &r.process_se},
                                                            {"sigma", &r.sigma},
                                                            {"parameter_se", &r.parameter_se},
                                                            {"f_se", &r.f_se}};
  for (const auto& [key, m] : matrices)
    if (m->rows()) d[key] = py::cast(*m);  // filled fields have a row per segment (maybe 0 columns)
  const std::pair<const char*, const Vector*> vectors[] = {
      {"tail", &r.tail},
      {"total_se", &r.total_se},
      {"total_process_se", &r.total_process_se},
      {"total_parameter_se", &r.total_parameter_se}};
  for (const auto& [key, v] : vectors)
    if (v->size()) d[key] = py::cast(*v);
  return d;
}

/// The fitted bootstrap models of the segments of a stack (a named type: pybind11/stl.h would
/// otherwise convert a std::vector to a Python list).
struct stack_models {
  std::vector<wr::odp_bootstrap_model> models;
};

py::tuple payment_pattern_batch(
    const array_d& cdf, const array_d& tail_ldfs,
    const py::array_t<Index, py::array::c_style | py::array::forcecast>& lengths,
    const array_d& ibnr, Index max_tail_periods) {
  const Matrix c = to_matrix(cdf, "cdf"), t = to_matrix(tail_ldfs, "tail_ldfs"),
               r = to_matrix(ibnr, "ibnr");
  if (lengths.ndim() != 2) throw invalid_input("payment_pattern: lengths must be a 2-D array");
  const Eigen::MatrixX<Index> len =
      Eigen::Map<const Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          lengths.data(), lengths.shape(0), lengths.shape(1));
  for (Index k = 0; k < len.size(); ++k)
    if (len.data()[k] < 1 || len.data()[k] > c.cols())
      throw invalid_input("payment_pattern: observed lengths must lie in [1, ages]");
  std::pair<Matrix, Matrix> out;
  {
    py::gil_scoped_release release;
    out = wr::payment_pattern_batch(c, t, len, r, max_tail_periods);
  }
  return py::make_tuple(out.first, out.second);
}

}  // namespace

void bind_reserving(py::module_& m) {
  py::module_& r = m;  // _core.reserving (module.cpp)
  // wr::triangle_error -> TriangleError(ValueError) with the place as attributes: segment, origin
  // and age (0-based positions, None where the error concerns no particular one) and reason (the
  // message without the "segment #k: " prefix). wifund.reserving replaces the positions by labels.
  static py::exception<wr::triangle_error> triangle_exc(r, "TriangleError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const wr::triangle_error& e) {
      const auto place = [](Index k) -> py::object {
        if (k < 0) return py::none();
        return py::int_(k);
      };
      py::object err = py::handle(triangle_exc.ptr())(e.what());
      err.attr("segment") = place(e.segment());
      err.attr("origin") = place(e.origin());
      err.attr("age") = place(e.age());
      err.attr("reason") = e.reason();
      py::set_error(triangle_exc, err);
    }
  });
  r.attr("bootstrap_block") = wr::bootstrap_block;
  r.def("reserve", &reserve, py::arg("values"), py::arg("method"), py::arg("average"),
        py::arg("n_periods"), py::arg("exclude"), py::arg("tail"), py::arg("tail_factor"),
        py::arg("extrap_periods"), py::arg("sigma"), py::arg("apriori"), py::arg("n_iter"),
        py::arg("exposure"), py::arg("trend"), py::arg("decay"), py::arg("origin_step_years"),
        py::arg("origins"), py::arg("ages"), py::arg("segments"), py::arg("threads"),
        "Runs a reserving method over a (segments, origins, ages) stack of cumulative triangles.");
  r.def(
      "validate",
      [](const array_d& values, const std::vector<std::string>& origins,
         const std::vector<std::string>& ages, const std::string& segment) {
        if (values.ndim() != 2) throw invalid_input("validate: values must be 2-D");
        const Eigen::Map<const Matrix> tri(values.data(), values.shape(0), values.shape(1));
        return wr::observed_lengths(tri, {origins, ages, segment}, "Triangle");
      },
      py::arg("values"), py::arg("origins"), py::arg("ages"), py::arg("segment") = "",
      "Observed ages per origin; raises ValueError on holes and non-finite values.");
  // The triangle operations of include/wifund/reserving/{triangle,chain_ladder}.hpp, so that
  // wifund.reserving keeps no copy of them. Each takes one (origins, ages) triangle.
  r.def(
      "to_incremental",
      [](const array_d& values) { return wr::to_incremental(to_matrix(values, "values")); },
      py::arg("values"), "Incremental amounts from cumulative ones (NaN cells stay NaN).");
  r.def(
      "to_cumulative",
      [](const array_d& values) { return wr::to_cumulative(to_matrix(values, "values")); },
      py::arg("values"), "Cumulative amounts from incremental ones (NaN cells stay NaN).");
  r.def(
      "link_ratios",
      [](const array_d& values) { return wr::link_ratios(to_matrix(values, "values")); },
      py::arg("values"),
      "Individual link ratios C(i, j+1) / C(i, j); NaN where a cell is unobserved or C(i, j) = 0.");
  r.def(
      "full_triangle",
      [](const array_d& cum, const array_d& ldf, const std::vector<Index>& lengths) {
        const Matrix c = to_matrix(cum, "cum");
        wr::development_fit d;
        d.ldf = to_vector(ldf, "ldf");
        if (d.ldf.size() + 1 != c.cols() || static_cast<Index>(lengths.size()) != c.rows())
          throw invalid_input("full_triangle: ldf must have ages - 1 and lengths origins entries");
        for (const Index n : lengths)
          if (n < 1 || n > c.cols())
            throw invalid_input("full_triangle: observed lengths must lie in [1, ages]");
        d.len = lengths;
        return wr::project(c, d);
      },
      py::arg("cum"), py::arg("ldf"), py::arg("lengths"),
      "The completed cumulative triangle: observed cells kept, each future cell = previous x f_j.");
  r.def(
      "validate_stack",
      [](const array_d& values, const std::vector<std::string>& origins,
         const std::vector<std::string>& ages) {
        if (values.ndim() != 3)
          throw invalid_input("validate_stack: values must have shape (segments, origins, ages)");
        const Index n_seg = values.shape(0), n_o = values.shape(1), n_d = values.shape(2);
        const wr::triangle_axes axes{origins, ages, ""};
        std::vector<Index> len;
        for (Index s = 0; s < n_seg; ++s) {
          const Eigen::Map<const Matrix> tri(values.data() + s * n_o * n_d, n_o, n_d);
          try {
            wr::observed_lengths_into(tri, axes, "Triangle", len);
          } catch (const wr::triangle_error& e) {
            throw wr::triangle_error("segment " + wr::triangle_axes::position(s) + ": " + e.what(),
                                     s, e.origin(), e.age(), e.what());
          }
        }
      },
      py::arg("values"), py::arg("origins"), py::arg("ages"),
      "Checks every cell of a (segments, origins, ages) stack: finite, squarable, observed on a "
      "prefix of ages, at least one value per origin. Raises TriangleError naming the place.");
  r.def("payment_pattern_batch", &payment_pattern_batch, py::arg("cdf"), py::arg("tail_ldfs"),
        py::arg("lengths"), py::arg("ibnr"), py::arg("max_tail_periods"));

  py::class_<wr::odp_bootstrap_model>(r, "OdpBootstrapModel")
      .def(py::init([](const array_d& values, bool hat_adjust, std::vector<std::string> origins,
                       std::vector<std::string> ages) {
             if (values.ndim() != 2) throw invalid_input("odp_bootstrap: values must be 2-D");
             const Eigen::Map<const Matrix> tri(values.data(), values.shape(0), values.shape(1));
             const wr::triangle_axes axes{std::move(origins), std::move(ages), ""};
             py::gil_scoped_release release;
             return wr::fit_odp_bootstrap(tri, hat_adjust, axes);
           }),
           py::arg("values"), py::arg("hat_adjust"), py::arg("origins"), py::arg("ages"))
      .def_readonly("scale", &wr::odp_bootstrap_model::scale)
      .def_readonly("fitted", &wr::odp_bootstrap_model::fitted)
      .def_readonly("residuals", &wr::odp_bootstrap_model::residuals)
      .def_readonly("hat", &wr::odp_bootstrap_model::hat)
      .def_readonly("pool", &wr::odp_bootstrap_model::pool)
      .def_readonly("ldf", &wr::odp_bootstrap_model::ldf)
      .def_readonly("n_obs", &wr::odp_bootstrap_model::n_obs)
      .def_readonly("n_params", &wr::odp_bootstrap_model::n_params)
      .def(
          "simulate",
          [](const wr::odp_bootstrap_model& self, const std::string& process, std::uint64_t seed,
             Index begin, Index end, int threads) {
            const auto kind = parse_option<wr::process_kind>(
                "process", process,
                {{"odp", wr::process_kind::odp}, {"gamma", wr::process_kind::gamma}});
            py::gil_scoped_release release;
            return wr::simulate_odp_bootstrap(self, kind, seed, begin, end, threads);
          },
          py::arg("process"), py::arg("seed"), py::arg("begin"), py::arg("end"), py::arg("threads"),
          "Simulated IBNR by origin for simulations [begin, end).");

  // The models of every segment of a stack, fitted in C++; simulated over (segment, block) pairs.
  py::class_<stack_models>(r, "OdpBootstrapStack")
      .def(py::init([](const array_d& values, bool hat_adjust, std::vector<std::string> origins,
                       std::vector<std::string> ages) {
             if (values.ndim() != 3)
               throw invalid_input(
                   "odp_bootstrap: values must have shape (segments, origins, ages)");
             const Index n_seg = values.shape(0), n_o = values.shape(1), n_d = values.shape(2);
             const wr::triangle_axes axes{std::move(origins), std::move(ages), ""};
             py::gil_scoped_release release;
             stack_models models;
             models.models.resize(static_cast<std::size_t>(n_seg));
             for (Index s = 0; s < n_seg; ++s) {
               const Eigen::Map<const Matrix> tri(values.data() + s * n_o * n_d, n_o, n_d);
               try {
                 models.models[static_cast<std::size_t>(s)] =
                     wr::fit_odp_bootstrap(tri, hat_adjust, axes);
               } catch (const invalid_input& e) {
                 const auto* cell = dynamic_cast<const wr::triangle_error*>(&e);
                 throw wr::triangle_error(
                     "segment " + wr::triangle_axes::position(s) + ": " + e.what(), s,
                     cell ? cell->origin() : -1, cell ? cell->age() : -1, e.what());
               }
             }
             return models;
           }),
           py::arg("values"), py::arg("hat_adjust"), py::arg("origins"), py::arg("ages"))
      .def_property_readonly("scale",
                             [](const stack_models& self) {
                               std::vector<double> v;
                               for (const auto& m : self.models) v.push_back(m.scale);
                               return v;
                             })
      .def(
          "simulate",
          [](const stack_models& self, const std::string& process, std::uint64_t seed, Index first,
             Index last, Index n_sims, int threads) {
            const auto kind = parse_option<wr::process_kind>(
                "process", process,
                {{"odp", wr::process_kind::odp}, {"gamma", wr::process_kind::gamma}});
            if (first < 0 || last < first || last > static_cast<Index>(self.models.size()))
              throw invalid_input("odp_bootstrap: segments [first, last) out of range");
            const std::vector<wr::odp_bootstrap_model> part(self.models.begin() + first,
                                                            self.models.begin() + last);
            py::gil_scoped_release release;
            return wr::simulate_odp_bootstrap_stack(part, kind, seed, first, n_sims, threads);
          },
          py::arg("process"), py::arg("seed"), py::arg("first"), py::arg("last"), py::arg("n_sims"),
          py::arg("threads"),
          "Simulated IBNR by origin of segments [first, last): rows segment-major, n_sims each.");
}
}  // namespace wifund::bindings
