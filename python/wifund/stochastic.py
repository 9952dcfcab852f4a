"""Sources of randomness of the Monte Carlo (issue #12): a typed, validated description of the scenario
generator of ``include/wifund/stochastic/generator.hpp``.

* **economy** — a VAR(1) of deviations ``z_j = A z_{j-1} + L e_j`` around the deterministic paths of
  :data:`ECONOMY_VARIABLES` (read from ``_core.stochastic.economy_variables``) with ``L L' = D R D``
  (``D = diag(sd)``, ``R`` = ``corr``) plus one level shift per scenario with standard deviations
  ``level_sd`` (parameter uncertainty); the same provincial deviation moves every city; drawn paths are
  clipped to the ranges the engine accepts (growth rates in [-0.5, 1], collection rate in [0, 1]).
* **claims** — injuries by city × class × year Poisson or negative binomial (variance λ + φλ²) around the
  expected injuries of the deterministic projection.
* **severity** — one multiplier a year, mean 1, coefficient of variation ``severity_cv``, lognormal or
  gamma, on the medical-type short-term costs (medical, rehabilitation, assistive devices, hospital food,
  appraisal); the statutory lump sums are not scaled.
* **catastrophes** — accidents with ten or more deaths (重大/特别重大事故, 安全生产法 / 国务院令第493号
  grading): a Poisson number a year, each ``min(floor(Pareto(min_deaths, alpha)), max_deaths)`` deaths in a
  city drawn by its share of expected deaths; the deaths bring the funeral and death grants and the
  dependants' pensions through the engine's own cohort code (条例 Art. 39).

* **mortality** — deaths of beneficiaries in payment (disability allowances, care, dependants' pensions)
  binomial instead of expected (off by default in :meth:`Sources.default`): each cohort's deaths in a year
  are ``Binomial(floor(n), p) + f·Bernoulli(p)`` for its count ``n = floor(n) + f`` (the book holds
  expected, fractional counts; the fractional remainder is one partial member) and ``p`` = its table
  probability × exposure, drawn in the kernel's cohort roll from Philox stream 6
  (``include/wifund/stochastic/mortality.hpp``): mean ``n p`` exactly, variance
  ``(floor(n) + f²) p (1 − p)``, never more deaths than members; the deaths of grade 1-4 recipients bring
  the funeral grant and the dependants' pensions through the same cohort code (条例 Art. 39 ¶3).

Defaults (:meth:`Sources.default`): the wage-growth and employment-growth rows are calibrated from the
national series of :mod:`wifund.datasets` (:meth:`Sources.from_history`: AR(1) coefficient, innovation
standard deviation and the correlation of the innovations, 2006-2024); the other rows, the claims
dispersion, the severity cv and the catastrophe frequency are judgement (tagged [U] in the README: no
published calibration was found) and should be set from the province's own history where it has one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from . import _core
from ._checks import check_array, check_bool, check_choice, check_number

__all__ = ["ECONOMY_VARIABLES", "SOURCES", "Sources"]

#: The economic paths the VAR(1) moves, in the order of its vectors and matrices.
ECONOMY_VARIABLES: list[str] = list(_core.stochastic.economy_variables)
#: The sources that can be switched on one at a time (:meth:`Sources.only`).
SOURCES: tuple[str, ...] = ("economy", "claims", "severity", "catastrophes", "mortality")

_N = len(ECONOMY_VARIABLES)
# Judgement values [U] of the rows not calibrated from the national series (annual fractions).
_SD_JUDGEMENT = {
    "coverage_growth": 0.005,
    "collection_rate": 0.01,
    "interest_rate": 0.003,
    "cpi": 0.01,
    "medical_inflation": 0.015,
}
_AR_JUDGEMENT = 0.6
_CORR_JUDGEMENT = {("interest_rate", "cpi"): 0.5, ("cpi", "medical_inflation"): 0.5, ("wage_growth", "cpi"): 0.3}


def _matrix(name: str, value: Any, where: str = "") -> npt.NDArray[np.float64]:
    arr = check_array(name, value)
    if arr.ndim == 1 and name.endswith("ar"):
        arr = np.diag(arr)
    if arr.shape != (_N, _N):
        raise ValueError(f"{name} = shape {arr.shape}: must be {_N} x {_N} over {ECONOMY_VARIABLES}{where}")
    return np.asarray(arr, dtype=np.float64)


def _vector(name: str, value: Any) -> npt.NDArray[np.float64]:
    if isinstance(value, Mapping):
        unknown = set(value) - set(ECONOMY_VARIABLES)
        if unknown:
            raise ValueError(f"{name}: unknown variable(s) {sorted(unknown)}; known: {ECONOMY_VARIABLES}")
        value = [value.get(v, 0.0) for v in ECONOMY_VARIABLES]
    arr = check_array(name, value, 0.0, 1.0, label=lambda i: f"[{ECONOMY_VARIABLES[i[0]]}]")
    if arr.shape != (_N,):
        raise ValueError(f"{name} = shape {arr.shape}: must have {_N} values, one per {ECONOMY_VARIABLES}")
    return np.asarray(arr, dtype=np.float64)


@dataclasses.dataclass(frozen=True)
class Sources:
    """Which sources of randomness are on, and their parameters (see the module docstring).

    Build with :meth:`default`, :meth:`from_history` or :meth:`off`, then adjust with
    :func:`dataclasses.replace` or :meth:`only`; every value is checked on construction (the message names
    the field and the value).
    """

    economy: bool
    sd: npt.NDArray[np.float64]
    corr: npt.NDArray[np.float64]
    ar: npt.NDArray[np.float64]
    level_sd: npt.NDArray[np.float64]
    claims: bool
    claim_counts: Literal["poisson", "negative_binomial"]
    dispersion: float
    severity: bool
    severity_law: Literal["lognormal", "gamma"]
    severity_cv: float
    catastrophes: bool
    catastrophe_rate: float
    catastrophe_min_deaths: float = 10.0
    catastrophe_alpha: float = 1.5
    catastrophe_max_deaths: float = 500.0
    mortality: bool = False

    def __post_init__(self) -> None:
        f = "stochastic.Sources"
        for flag in SOURCES:
            object.__setattr__(self, flag, check_bool(f"{f}: {flag}", getattr(self, flag)))
        object.__setattr__(self, "sd", _vector(f"{f}: sd", self.sd))
        object.__setattr__(self, "level_sd", _vector(f"{f}: level_sd", self.level_sd))
        corr = _matrix(f"{f}: corr", self.corr)
        if not np.allclose(corr, corr.T, atol=1e-12, rtol=0) or not np.allclose(np.diag(corr), 1, atol=1e-12):
            raise ValueError(f"{f}: corr must be symmetric with a unit diagonal")
        smallest = float(np.linalg.eigvalsh(corr).min())
        if smallest <= 1e-10:
            raise ValueError(
                f"{f}: corr is not positive definite (smallest eigenvalue {smallest:.3g}); "
                "a correlation matrix must be positive definite"
            )
        object.__setattr__(self, "corr", corr)
        ar = _matrix(f"{f}: ar", self.ar)
        radius = float(np.abs(np.linalg.eigvals(ar)).max())
        if radius >= 1:
            raise ValueError(f"{f}: ar has spectral radius {radius:.4g}: must be below 1 (a stationary VAR(1))")
        object.__setattr__(self, "ar", ar)
        check_choice(f"{f}: claim_counts", self.claim_counts, ["poisson", "negative_binomial"])
        object.__setattr__(self, "dispersion", check_number(f"{f}: dispersion", self.dispersion, 0.0, 100.0))
        check_choice(f"{f}: severity_law", self.severity_law, ["lognormal", "gamma"])
        object.__setattr__(self, "severity_cv", check_number(f"{f}: severity_cv", self.severity_cv, 0.0, 10.0))
        rate = check_number(f"{f}: catastrophe_rate", self.catastrophe_rate, 0.0, 1000.0)
        object.__setattr__(self, "catastrophe_rate", rate)
        lo = check_number(f"{f}: catastrophe_min_deaths", self.catastrophe_min_deaths, 1.0, 1e6)
        object.__setattr__(self, "catastrophe_min_deaths", lo)
        a = check_number(f"{f}: catastrophe_alpha", self.catastrophe_alpha, 0.0, 100.0, lo_open=True)
        object.__setattr__(self, "catastrophe_alpha", a)
        hi = check_number(f"{f}: catastrophe_max_deaths", self.catastrophe_max_deaths, lo, 1e6)
        object.__setattr__(self, "catastrophe_max_deaths", hi)

    # ------------------------------------------------------------------------------------------ builders
    @classmethod
    def from_history(
        cls,
        wage: Any = None,
        insured: Any = None,
        *,
        first_year: int = 2006,
    ) -> Sources:
        """Defaults with the wage-growth and employment-growth rows fitted on yearly level series.

        ``wage`` and ``insured`` are yearly series (pandas Series indexed by year, or arrays) of the average
        wage and the insured headcount; default the national series of :mod:`wifund.datasets`
        (``avg_wage_urban_nonprivate`` and ``participants_insured``). On the growth rates from
        ``first_year``: AR(1) coefficient ``phi`` = lag-1 OLS slope of the demeaned rates (clipped to
        [0, 0.95]), innovation sd = sd of the residuals, and their correlation.
        """
        from . import datasets

        if wage is None:
            wage = datasets.national_series("avg_wage_urban_nonprivate")
        if insured is None:
            insured = datasets.national_series("participants_insured")
        rates = []
        for name, series in (("wage", wage), ("insured", insured)):
            s = series
            if hasattr(s, "index"):
                s = s[s.index >= first_year - 1].sort_index().to_numpy(dtype=float)
            arr = check_array(f"Sources.from_history: {name}", s, 0.0, lo_open=True)
            if arr.ndim != 1 or arr.size < 6:
                raise ValueError(f"Sources.from_history: {name} needs at least 6 yearly values, got {arr.size}")
            rates.append(np.diff(np.log(arr)))
        n = min(len(r) for r in rates)
        phis, resid = [], []
        for r in rates:
            x = r[-n:] - r[-n:].mean()
            phi = float(np.clip(np.dot(x[1:], x[:-1]) / np.dot(x[:-1], x[:-1]), 0.0, 0.95))
            phis.append(phi)
            resid.append(x[1:] - phi * x[:-1])
        base = cls.default(calibrated=False)
        sd, ar, corr = base.sd.copy(), base.ar.copy(), base.corr.copy()
        iw, ie = ECONOMY_VARIABLES.index("wage_growth"), ECONOMY_VARIABLES.index("employment_growth")
        for i, phi, e in ((iw, phis[0], resid[0]), (ie, phis[1], resid[1])):
            sd[i] = float(np.std(e, ddof=1))
            ar[i, i] = phi
        rho = float(np.clip(np.corrcoef(resid[0], resid[1])[0, 1], -0.9, 0.9))
        corr[iw, ie] = corr[ie, iw] = rho
        return dataclasses.replace(base, sd=sd, ar=ar, corr=corr, level_sd=0.5 * sd)

    @classmethod
    def default(cls, calibrated: bool = True) -> Sources:
        """Every source on except binomial mortality (``mortality``, opt-in: it adds little variance to the
        fund and a binomial draw per cohort and year to the kernel). ``calibrated``: wage and employment rows
        from :meth:`from_history` on the national series (else judgement values like the other rows)."""
        if calibrated:
            return cls.from_history()
        sd = np.array([_SD_JUDGEMENT.get(v, 0.01) for v in ECONOMY_VARIABLES])
        corr = np.eye(_N)
        for (a, b), rho in _CORR_JUDGEMENT.items():
            i, k = ECONOMY_VARIABLES.index(a), ECONOMY_VARIABLES.index(b)
            corr[i, k] = corr[k, i] = rho
        return cls(
            economy=True,
            sd=sd,
            corr=corr,
            ar=np.diag(np.full(_N, _AR_JUDGEMENT)),
            level_sd=0.5 * sd,
            claims=True,
            claim_counts="negative_binomial",
            dispersion=0.02,
            severity=True,
            severity_law="lognormal",
            severity_cv=0.05,
            catastrophes=True,
            catastrophe_rate=0.1,
        )

    @classmethod
    def off(cls) -> Sources:
        """Every source off: the simulation repeats the deterministic projection."""
        return cls.default(calibrated=False).only()

    def only(self, *sources: str) -> Sources:
        """These sources on (names from :data:`SOURCES`), the others off; parameters kept."""
        for s in sources:
            check_choice("Sources.only: source", s, list(SOURCES))
        return dataclasses.replace(
            self,
            economy="economy" in sources,
            claims="claims" in sources,
            severity="severity" in sources,
            catastrophes="catastrophes" in sources,
            mortality="mortality" in sources,
        )

    @property
    def any(self) -> bool:
        """Whether any source is on."""
        return any(getattr(self, s) for s in SOURCES)

    def to_core(self) -> _core.stochastic.Sources:
        """The C++ value (``_core.stochastic.Sources``)."""
        c = _core.stochastic.Sources()
        c.economy, c.claims, c.severity, c.catastrophes = self.economy, self.claims, self.severity, self.catastrophes
        c.sd, c.corr, c.ar, c.level_sd = self.sd, self.corr, self.ar, self.level_sd
        c.claim_counts = getattr(_core.stochastic.ClaimCounts, self.claim_counts)
        c.dispersion = self.dispersion
        c.severity_law = getattr(_core.stochastic.Severity, self.severity_law)
        c.severity_cv = self.severity_cv
        c.catastrophe_rate = self.catastrophe_rate
        c.catastrophe_min_deaths = self.catastrophe_min_deaths
        c.catastrophe_alpha = self.catastrophe_alpha
        c.catastrophe_max_deaths = self.catastrophe_max_deaths
        c.mortality = self.mortality
        c.validate()
        return c
