// Bindings for include/wifund/stochastic/: the sources of randomness, the scenario generator and
// the Monte Carlo kernel. The kernel runs with the GIL released; Python calls it block by block
// (wifund.simulate), so Ctrl-C and the progress bar act between blocks.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "wifund/stochastic/simulate.hpp"

namespace py = pybind11;

namespace wifund::bindings {
namespace {

py::tuple sources_state(const stochastic_sources& s) {
  return py::make_tuple(s.economy, s.sd, s.corr, s.ar, s.level_sd, s.claims,
                        static_cast<int>(s.claim_counts), s.dispersion, s.severity,
                        static_cast<int>(s.severity_law), s.severity_cv, s.catastrophes,
                        py::make_tuple(s.catastrophe_rate, s.catastrophe_min_deaths,
                                       s.catastrophe_alpha, s.catastrophe_max_deaths),
                        s.mortality);
}

stochastic_sources sources_from_state(const py::tuple& t) {
  // 13 values before binomial mortality (mortality off), 14 since.
  if (t.size() != 13 && t.size() != 14) throw invalid_input("Sources: bad pickled state");
  stochastic_sources s;
  s.economy = t[0].cast<bool>();
  s.sd = t[1].cast<Vector>();
  s.corr = t[2].cast<Matrix>();
  s.ar = t[3].cast<Matrix>();
  s.level_sd = t[4].cast<Vector>();
  s.claims = t[5].cast<bool>();
  s.claim_counts = static_cast<ClaimCounts>(t[6].cast<int>());
  s.dispersion = t[7].cast<double>();
  s.severity = t[8].cast<bool>();
  s.severity_law = static_cast<Severity>(t[9].cast<int>());
  s.severity_cv = t[10].cast<double>();
  s.catastrophes = t[11].cast<bool>();
  const auto c = t[12].cast<py::tuple>();
  s.catastrophe_rate = c[0].cast<double>();
  s.catastrophe_min_deaths = c[1].cast<double>();
  s.catastrophe_alpha = c[2].cast<double>();
  s.catastrophe_max_deaths = c[3].cast<double>();
  s.mortality = t.size() == 14 && t[13].cast<bool>();
  return s;
}

}  // namespace

void bind_stochastic(py::module_& m) {
  py::list names;
  for (auto n : economy_variables) names.append(std::string(n));
  m.attr("economy_variables") = names;
  py::list vectors;
  for (auto n : sim_vector_names) vectors.append(std::string(n));
  m.attr("simulation_vectors") = vectors;

  py::enum_<ClaimCounts>(m, "ClaimCounts")
      .value("poisson", ClaimCounts::poisson)
      .value("negative_binomial", ClaimCounts::negative_binomial);
  py::enum_<Severity>(m, "Severity")
      .value("lognormal", Severity::lognormal)
      .value("gamma", Severity::gamma);

  py::class_<stochastic_sources>(m, "Sources",
                                 "Sources of randomness (stochastic/generator.hpp); every value "
                                 "set by wifund.stochastic.Sources.")
      .def(py::init<>())
      .def_readwrite("economy", &stochastic_sources::economy)
      .def_readwrite("sd", &stochastic_sources::sd)
      .def_readwrite("corr", &stochastic_sources::corr)
      .def_readwrite("ar", &stochastic_sources::ar)
      .def_readwrite("level_sd", &stochastic_sources::level_sd)
      .def_readwrite("claims", &stochastic_sources::claims)
      .def_readwrite("claim_counts", &stochastic_sources::claim_counts)
      .def_readwrite("dispersion", &stochastic_sources::dispersion)
      .def_readwrite("severity", &stochastic_sources::severity)
      .def_readwrite("severity_law", &stochastic_sources::severity_law)
      .def_readwrite("severity_cv", &stochastic_sources::severity_cv)
      .def_readwrite("catastrophes", &stochastic_sources::catastrophes)
      .def_readwrite("catastrophe_rate", &stochastic_sources::catastrophe_rate)
      .def_readwrite("catastrophe_min_deaths", &stochastic_sources::catastrophe_min_deaths)
      .def_readwrite("catastrophe_alpha", &stochastic_sources::catastrophe_alpha)
      .def_readwrite("catastrophe_max_deaths", &stochastic_sources::catastrophe_max_deaths)
      .def_readwrite("mortality", &stochastic_sources::mortality,
                     "Binomial deaths of beneficiaries (False: expected deaths).")
      .def(
          "validate", [](const stochastic_sources& s) { (void)validate(s); },
          "Raises ValueError naming the bad field and value.")
      .def(py::pickle([](const stochastic_sources& s) { return sources_state(s); },
                      [](const py::tuple& t) { return sources_from_state(t); }));

  py::class_<scenario_generator>(
      m, "Generator",
      "A validated scenario generator for one Context and deterministic Scenario (the expected "
      "injuries and deaths computed once); picklable as (context, scenario, sources).")
      .def(py::init([](const py_context& c, const scenario& base, const stochastic_sources& s) {
             py::gil_scoped_release release;
             return scenario_generator(c.ptr, base, s);
           }),
           py::arg("context"), py::arg("scenario"), py::arg("sources"))
      .def_property_readonly(
          "context", [](const scenario_generator& g) { return py_context{g.context_ptr()}; })
      .def_property_readonly("scenario", [](const scenario_generator& g) { return g.base(); })
      .def_property_readonly("sources", [](const scenario_generator& g) { return g.sources(); })
      .def_property_readonly("expected_injuries",
                             [](const scenario_generator& g) { return g.expected_injuries(); })
      .def_property_readonly(
          "lean_reason", [](const scenario_generator& g) { return g.lean_reason(); },
          "Why the lean kernel (stochastic/lean.hpp) is not exact for this generator; empty when "
          "it is (simulate's method='auto' then uses it).")
      .def(
          "deaths",
          [](const scenario_generator& g, std::uint64_t seed, std::uint64_t index, bool binomial) {
            py::gil_scoped_release release;
            return scenario_deaths(g.context(), g.draw(seed, index), binomial, seed, index);
          },
          py::arg("seed"), py::arg("index"), py::arg("binomial"),
          "3 x T deaths of beneficiaries of scenario `index` of `seed` (stochastic/mortality.hpp "
          "scenario_deaths): among the cohorts in the book at each roll, of the dependants the "
          "roll awarded, and the variance of the first's binomial draws given the year's counts; "
          "binomial=False: expected deaths.")
      .def(
          "draw",
          [](const scenario_generator& g, std::uint64_t seed, std::uint64_t index) {
            return g.draw(seed, index);
          },
          py::arg("seed"), py::arg("index"), "Scenario `index` of `seed` (the kernel's draw).")
      .def(py::pickle(
          [](const scenario_generator& g) {
            return py::make_tuple(py_context{g.context_ptr()}, g.base(), g.sources());
          },
          [](const py::tuple& t) {
            if (t.size() != 3) throw invalid_input("Generator: bad pickled state");
            return scenario_generator(t[0].cast<py_context>().ptr, t[1].cast<scenario>(),
                                      t[2].cast<stochastic_sources>());
          }));

  m.def(
      "simulate",
      [](const scenario_generator& g, std::uint64_t seed, std::uint64_t first, std::size_t count,
         int threads, bool keep_city, const std::string& method) {
        sim_method m = sim_method::automatic;
        if (method == "lean")
          m = sim_method::lean;
        else if (method == "full")
          m = sim_method::full;
        else if (method != "auto")
          throw invalid_input("simulate: method = '" + method +
                              "' is unknown (expected 'auto', 'lean' or 'full')");
        simulation_block b;
        {
          py::gil_scoped_release release;
          b = simulate(g, seed, first, count, threads, keep_city, m);
        }
        py::dict d;
        d["start_year"] = b.start_year;
        d["years"] = b.years;
        d["cities"] = b.cities;
        d["first"] = b.first;
        d["method"] = b.lean ? "lean" : "full";
        for (std::size_t v = 0; v < sim_vector_names.size(); ++v)
          d[py::str(std::string(sim_vector_names[v]))] = py::cast(std::move(b.values[v]));
        if (keep_city) {
          d["city_expenditure"] = py::cast(std::move(b.city_expenditure));
          d["city_contributions"] = py::cast(std::move(b.city_contributions));
        }
        return d;
      },
      py::arg("generator"), py::arg("seed"), py::arg("first"), py::arg("count"),
      py::arg("threads") = 1, py::arg("keep_city") = false, py::arg("method") = "auto",
      "Scenarios first..first+count-1 of seed: S x T arrays of simulation_vectors (and S x (C x "
      "T) city_expenditure and city_contributions with keep_city); independent of threads and "
      "of the blocking. method: 'auto' (the lean kernel where exact, Generator.lean_reason), "
      "'lean' or 'full'; the kernel used is under 'method'.");

  m.def(
      "city_detail_bytes",
      [](double scenarios, int cities, int years) {
        return city_detail_bytes(scenarios, cities, years);
      },
      py::arg("scenarios"), py::arg("cities"), py::arg("years"),
      "Bytes of keep='city' detail (two S x C x T float64 arrays).");

  m.def(
      "draw_stream",
      [](std::uint64_t seed, std::uint64_t scenario_index, std::uint64_t stream,
         const std::string& law, double a, double b, std::size_t n) {
        Vector out(static_cast<Eigen::Index>(n));
        random_stream r(seed, scenario_index, stream);
        for (Eigen::Index i = 0; i < out.size(); ++i) {
          if (law == "uniform")
            out[i] = r.uniform();
          else if (law == "normal")
            out[i] = a + b * r.normal();
          else if (law == "poisson")
            out[i] = r.poisson(a);
          else if (law == "gamma")
            out[i] = r.gamma(a, b);
          else if (law == "negative_binomial")
            out[i] = r.negative_binomial(a, b);
          else if (law == "lognormal")
            out[i] = r.lognormal(a, b);
          else if (law == "pareto")
            out[i] = r.pareto(a, b);
          else if (law == "binomial")
            out[i] = binomial(r, a, b);
          else if (law == "cohort_deaths")
            out[i] = cohort_deaths(r, a, b);
          else
            throw invalid_input("draw_stream: law = '" + law + "' is unknown");
        }
        return out;
      },
      py::arg("seed"), py::arg("scenario"), py::arg("stream"), py::arg("law"), py::arg("a") = 0.0,
      py::arg("b") = 1.0, py::arg("n") = 1,
      "n draws of one stream of core/random.hpp (for tests): uniform, normal(a, b), poisson(a), "
      "gamma(shape a, scale b), negative_binomial(mean a, phi b), lognormal(mu a, sigma b), "
      "pareto(x_m a, alpha b), binomial(n a, p b), cohort_deaths(count a, p b).");
}

}  // namespace wifund::bindings
