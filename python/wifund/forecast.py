"""Forecasting the economic assumptions and back-testing the forecasts.

The models run in C++ (``include/wifund/forecast/``); this module is the pandas-facing layer.

* :func:`ets` -- exponential smoothing (simple, Holt, damped; additive or multiplicative error and
  trend) in the innovations state-space form, estimated by maximum likelihood with statsmodels'
  ``ETSModel`` conventions (likelihood, parameter bounds, initialisation), so the numbers agree.
* :func:`auto` -- automatic selection by AICc (or AIC/BIC).
* :func:`fit_many` -- many series at once (city x class x item), threaded in C++.
* :func:`loglinear`, :func:`growth_rw` -- log-linear trend and random walk with drift on growth rates.
* :func:`backtest` -- rolling-origin evaluation (MAPE, MASE, bias, interval coverage) against the
  naive and drift baselines.
* :func:`paths_from_forecasts` -- growth paths for the projection, with their intervals.
"""

from __future__ import annotations

import abc
import html
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _core, _progress
from .reserving import _count, _require_memory

if TYPE_CHECKING:
    from .assumptions import Assumptions
    from .stochastic import Sources

__all__ = [
    "EtsResult",
    "TrendResult",
    "BatchResult",
    "BacktestResult",
    "ForecastPaths",
    "ets",
    "auto",
    "fit_many",
    "loglinear",
    "growth_rw",
    "backtest",
    "paths_from_forecasts",
    "ScenarioSource",
    "ScenarioMisfitWarning",
    "scenario_source",
]

_SEED = 20240601


# ---------------------------------------------------------------------------------------------
# helpers
def _as_series(y: Any, name: str = "y") -> pd.Series:
    """A float Series from array-like or Series; leading/trailing NaNs are not trimmed here."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"{name}: expected one series, got a frame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        try:
            return y.astype(float)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{name}: the values cannot be read as numbers: {e}") from None
    try:
        arr = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as e:
        ragged = isinstance(y, (list, tuple)) and any(isinstance(v, (list, tuple, np.ndarray)) for v in y)
        raise ValueError(
            f"{name}: "
            + ("a ragged list is not one series" if ragged else f"the values cannot be read as numbers: {e}")
        ) from None
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d series, got shape {arr.shape}")
    return pd.Series(arr)


def _checked(s: pd.Series, fn: str, name: str = "y", positive: str | None = None) -> pd.Series:
    """Checks a series where it enters, naming time stamps rather than positions: at least one
    observation, a unique and increasing index, finite values (no NaN inside), and strictly positive
    values when `positive` gives the reason."""
    if len(s) == 0:
        raise ValueError(f"{fn}: {name} has 0 observations")
    idx = s.index
    if idx.has_duplicates:
        raise ValueError(f"{fn}: {name} has a duplicated time stamp {idx[idx.duplicated()][0]} in its index")
    try:
        increasing = idx.is_monotonic_increasing
    except TypeError:  # labels that cannot be ordered (mixed types): positions are the order
        increasing = True
    if not increasing:
        k = next(k for k in range(len(idx) - 1) if not idx[k] < idx[k + 1])
        raise ValueError(f"{fn}: {name}'s index must increase, but {idx[k]} is followed by {idx[k + 1]}")
    v = s.to_numpy(dtype=float)
    bad = ~np.isfinite(v)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{fn}: {name}[{k}] = {v[k]} is not finite (at {idx[k]}; missing values inside a series are not allowed)"
        )
    if positive is not None and not (v > 0).all():
        k = int(np.flatnonzero(~(v > 0))[0])
        raise ValueError(f"{fn}: {name}[{k}] = {v[k]} (at {idx[k]}) must be > 0 {positive}")
    return s


def _needs_positive(error: str, trend: str | None) -> str | None:
    if error in ("mul", "multiplicative") or trend in ("mul", "multiplicative"):
        return "for a multiplicative error or trend"
    return None


def _steps(fn: str, h: Any) -> int:
    return _count(fn, "h", h, 1, 100_000)


def _future_index(index: pd.Index, steps: int) -> pd.Index:
    """The index of the `steps` periods after `index` (years, periods, dates or positions)."""
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=steps, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        return pd.date_range(index[-1] + index.freq, periods=steps, freq=index.freq)
    if len(index) and pd.api.types.is_integer_dtype(index):
        last = int(index[-1])
        return pd.Index(np.arange(last + 1, last + steps + 1), name=index.name)
    return pd.RangeIndex(len(index), len(index) + steps, name=index.name)


def _interval_frame(d: Mapping[str, Any], index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"mean": d["mean"], "lower": d["lower"], "upper": d["upper"]}, index=index)


def _html_table(title: str, frame: pd.DataFrame, note: str = "") -> str:
    extra = f"<p>{html.escape(note)}</p>" if note else ""
    return f"<div><strong>{html.escape(title)}</strong>{extra}{frame.to_html(float_format=lambda v: f'{v:.6g}')}</div>"


# ---------------------------------------------------------------------------------------------
# fitted-model display shared by ETS and trend models
class _FittedModel(abc.ABC):
    """repr / _repr_html_ from ``params``, a one-line ``_headline()`` and a ``_summary()`` frame."""

    params: pd.Series

    @abc.abstractmethod
    def _headline(self) -> str:
        """One line naming the model (each fitted-model class says its own)."""

    def _summary(self) -> pd.DataFrame:
        return self.params.to_frame("value")

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        return f"<{type(self).__name__} {self._headline()}: {p}>"

    def _repr_html_(self) -> str:
        return _html_table(self._headline(), self._summary())


# ---------------------------------------------------------------------------------------------
# ETS
class EtsResult(_FittedModel):
    """A fitted ETS model (statsmodels' ETSResults conventions).

    Attributes
    ----------
    params : pandas.Series
        ``smoothing_level`` (alpha), ``smoothing_trend`` (beta), ``damping_trend`` (phi),
        ``initial_level``, ``initial_trend`` -- those the model has, named as in statsmodels.
    loglik, aic, aicc, bic : float
        Log-likelihood and information criteria (df = free parameters + 1 for sigma^2).
    mse : float
        sigma^2, the mean squared (relative, for multiplicative errors) one-step error.
    fitted, residuals : pandas.Series
        One-step-ahead predictions and errors, on the index of the data.
    """

    def __init__(self, fit: _core.forecast.EtsFit, y: pd.Series):
        self._fit = fit
        self.y = y

    # -- description
    @property
    def short_name(self) -> str:
        """statsmodels' name of the model form, e.g. ``"AAdN"``."""
        return self._fit.short_name

    @property
    def params(self) -> pd.Series:
        f = self._fit
        p = {"smoothing_level": f.alpha}
        if f.trend is not None:
            p["smoothing_trend"] = f.beta
        if f.damped:
            p["damping_trend"] = f.phi
        p["initial_level"] = f.initial_level
        if f.trend is not None:
            p["initial_trend"] = f.initial_trend
        return pd.Series(p, name=self.short_name)

    loglik = property(lambda self: self._fit.loglik)
    aic = property(lambda self: self._fit.aic)
    aicc = property(lambda self: self._fit.aicc)
    bic = property(lambda self: self._fit.bic)
    mse = property(lambda self: self._fit.mse)
    nobs = property(lambda self: self._fit.nobs)
    df_model = property(lambda self: self._fit.df_model)
    initialization = property(lambda self: self._fit.initialization)

    @property
    def fitted(self) -> pd.Series:
        return pd.Series(self._fit.fitted, index=self.y.index, name="fitted")

    @property
    def residuals(self) -> pd.Series:
        return pd.Series(self._fit.residuals, index=self.y.index, name="residuals")

    @property
    def states(self) -> pd.DataFrame:
        """Level (and slope) after each observation."""
        d = {"level": self._fit.level}
        if self._fit.trend is not None:
            d["slope"] = self._fit.slope
        return pd.DataFrame(d, index=self.y.index)

    # -- forecasts
    def forecast(self, h: int) -> pd.Series:
        """Point forecasts for the next `h` periods (the recursion with zero errors)."""
        h = _steps("forecast", h)
        d = self._fit.forecast(int(h), 0.95, 1, _SEED)
        return pd.Series(d["mean"], index=_future_index(self.y.index, int(h)), name="forecast")

    def interval(self, h: int, level: float = 0.95, reps: int = 5000, seed: int = _SEED) -> pd.DataFrame:
        """Point forecasts with a central prediction interval.

        Analytic for ANN, AAN and AAdN (as statsmodels); otherwise the quantiles of `reps` paths
        simulated from the state-space model (path r from the Philox stream (seed, r, 17) of
        ``wifund/core/random.hpp``: the same paths on every machine and thread count).

        Returns
        -------
        pandas.DataFrame
            Columns ``mean``, ``lower``, ``upper`` on the future index; ``attrs["simulated"]`` says
            which method was used.
        """
        h = _steps("interval", h)
        reps = _count("interval", "reps", reps, 1, 10_000_000)
        seed = _count("interval", "seed", seed, 0, 2**64 - 1)
        if self._fit.error == "mul" or self._fit.trend == "mul":  # simulated: an (h, reps) array of paths
            _require_memory("interval", f"h = {h} x reps = {reps}", 8.0 * h * reps)
        d = self._fit.forecast(int(h), float(level), int(reps), int(seed))
        out = _interval_frame(d, _future_index(self.y.index, int(h)))
        out.attrs.update(level=level, simulated=bool(d["simulated"]), model=self.short_name)
        return out

    def simulate(self, h: int, reps: int, seed: int = _SEED, threads: int = 1) -> np.ndarray:
        """Simulated future paths, shape ``(h, reps)``.

        Path ``r`` draws its errors from the Philox stream keyed by (``seed``, stream 17) and counted
        from ``r`` (``wifund/core/random.hpp``), so the array is the same whatever ``threads``.
        """
        h = _steps("simulate", h)
        reps = _count("simulate", "reps", reps, 1, 10_000_000)
        seed = _count("simulate", "seed", seed, 0, 2**64 - 1)
        threads = _count("simulate", "threads", threads, 1, 1024)
        _require_memory("simulate", f"h = {h} x reps = {reps}", 8.0 * h * reps)
        return np.asarray(self._fit.simulate(int(h), int(reps), int(seed), int(threads)))

    # -- statsmodels' names (ETSResults), beside ours
    llf = property(lambda self: self._fit.loglik, doc="statsmodels' name of ``loglik``.")

    @property
    def resid(self) -> pd.Series:
        """statsmodels' name of :attr:`residuals`."""
        return self.residuals

    @property
    def fittedvalues(self) -> pd.Series:
        """statsmodels' name of :attr:`fitted`."""
        return self.fitted

    def summary(self) -> Summary:
        """A printable summary (``print(res.summary())``, ``.as_text()``, ``.as_html()``, ``.tables``)."""
        return Summary(self._headline(), [self._summary()])

    def get_prediction(self, start: Any = None, end: Any = None) -> PredictionResults:
        """Predictions from ``start`` to ``end`` with prediction intervals (statsmodels' ETS API).

        ``start`` and ``end`` are labels of the data's index or, beyond the last observation, future
        labels (integer index: years after the last; otherwise positions ``nobs, nobs + 1, …``); the
        defaults are the first and the last observation. In-sample rows are the one-step-ahead
        predictions (:attr:`fitted`) with the one-step interval (``± z σ``, or ``× (1 ± z σ)`` for
        multiplicative errors, σ² = :attr:`mse`); out-of-sample rows are :meth:`interval`. The result's
        ``summary_frame(alpha=0.05)`` has statsmodels' columns ``mean``, ``pi_lower``, ``pi_upper``.
        """
        n = len(self.y)
        i0 = 0 if start is None else self._position("start", start)
        i1 = n - 1 if end is None else self._position("end", end)
        if i1 < i0:
            raise ValueError(f"get_prediction: end = {end!r} is before start = {start!r}")
        return PredictionResults(self, i0, i1)

    def _position(self, name: str, label: Any) -> int:
        idx = self.y.index
        n = len(idx)
        if label in idx:
            return int(idx.get_loc(label))
        # An integer index of labels (years) — not the default 0..n-1 positions.
        positional = isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1
        integer_index = pd.api.types.is_integer_dtype(idx) and not positional
        if integer_index and isinstance(label, (int, np.integer)) and int(label) > int(idx[-1]):
            return n - 1 + int(label) - int(idx[-1])
        if not integer_index and isinstance(label, (int, np.integer)) and int(label) >= 0:
            return int(label)
        raise ValueError(
            f"get_prediction: {name} = {label!r} is neither a label of the data's index "
            f"({idx[0]!r}..{idx[-1]!r}) nor a future period after it"
        )

    def _summary(self) -> pd.DataFrame:
        s = self.params.to_frame("value")
        for k in ("loglik", "aic", "aicc", "bic", "mse"):
            s.loc[k, "value"] = getattr(self, k)
        return s

    def _headline(self) -> str:
        return (
            f"ETS({self.short_name}) n={self.nobs} initialization={self.initialization} "
            f"loglik={self.loglik:.4f} aicc={self.aicc:.4f}"
        )


class Summary:
    """A fitted model's summary, printable like statsmodels' (``as_text``, ``as_html``, ``tables``)."""

    def __init__(self, title: str, tables: list[pd.DataFrame]):
        self.title = title
        self.tables = tables

    def as_text(self) -> str:
        return "\n\n".join([self.title, *(t.to_string(float_format=lambda v: f"{v:.6g}") for t in self.tables)])

    def as_html(self) -> str:
        return "".join(_html_table(self.title, t) for t in self.tables)

    def __str__(self) -> str:
        return self.as_text()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.as_html()


class PredictionResults:
    """Predictions with intervals from :meth:`EtsResult.get_prediction` (statsmodels' ETS names)."""

    def __init__(self, model: EtsResult, start: int, end: int):
        self._model = model
        self._start, self._end = start, end
        n = len(model.y)
        self._n_in = max(0, min(end, n - 1) - start + 1)
        self._h = max(0, end - max(start, n) + 1)
        future = _future_index(model.y.index, self._h) if self._h else pd.Index([])
        labels = list(model.y.index[start : min(end, n - 1) + 1]) + list(future[-self._h :] if self._h else [])
        self.row_labels = pd.Index(labels, name=model.y.index.name)
        fitted = model.fitted.to_numpy()[start : start + self._n_in]
        self._future_mean = model.forecast(end - n + 1).to_numpy()[-self._h :] if self._h else np.empty(0)
        self.predicted_mean = pd.Series(
            np.concatenate([fitted, self._future_mean]), index=self.row_labels, name="predicted_mean"
        )

    def pred_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Lower and upper limits of the central ``1 - alpha`` prediction interval."""
        if not (isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and 0 < float(alpha) < 1):
            raise ValueError(f"pred_int: alpha = {alpha!r}: must be a number strictly between 0 and 1")
        m = self._model
        z = statistics.NormalDist().inv_cdf(1 - alpha / 2)
        sigma = float(np.sqrt(m.mse))
        mean_in = self.predicted_mean.to_numpy()[: self._n_in]
        if m._fit.error == "mul":
            lo_in, hi_in = mean_in * (1 - z * sigma), mean_in * (1 + z * sigma)
        else:
            lo_in, hi_in = mean_in - z * sigma, mean_in + z * sigma
        lo, hi = [lo_in], [hi_in]
        if self._h:
            n = len(m.y)
            iv = m.interval(self._end - n + 1, level=1 - alpha).iloc[-self._h :]
            lo.append(iv["lower"].to_numpy())
            hi.append(iv["upper"].to_numpy())
        return pd.DataFrame({"lower": np.concatenate(lo), "upper": np.concatenate(hi)}, index=self.row_labels)

    conf_int = pred_int  # the name users of statsmodels' state-space predictions reach for

    def summary_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """``mean``, ``pi_lower``, ``pi_upper`` (statsmodels' columns)."""
        pi = self.pred_int(alpha)
        return pd.DataFrame(
            {"mean": self.predicted_mean.to_numpy(), "pi_lower": pi["lower"], "pi_upper": pi["upper"]},
            index=self.row_labels,
        )


def ets(
    y: Any,
    error: str = "add",
    trend: str | None = None,
    damped: bool = False,
    alpha: float | None = None,
    beta: float | None = None,
    phi: float | None = None,
    initialization: str = "estimated",
) -> EtsResult:
    """Fit an exponential-smoothing model by maximum likelihood.

    Parameters
    ----------
    y : array-like or pandas.Series
        The series, no missing values inside; strictly positive for multiplicative forms.
    error : {"add", "mul"}
    trend : {None, "add", "mul"}
    damped : bool
        Damped trend (0.8 <= phi <= 0.98 when estimated, statsmodels' bounds).
    alpha, beta, phi : float, optional
        Fix a parameter instead of estimating it (``beta`` is the trend smoothing itself, not
        beta/alpha, as in statsmodels).
    initialization : {"estimated", "heuristic", "legacy-heuristic"}
        statsmodels' meanings: estimate the initial states; fix them by the least-squares line through
        the first 10 observations; or fix them at ``y[0]`` and ``y[1] - y[0]`` (``y[1] / y[0]``).

    Returns
    -------
    EtsResult

    Raises
    ------
    ValueError
        Series too short for the model, NaN inside the series, duplicated or decreasing time
        stamps, non-positive values for multiplicative forms, bad option values, a fixed parameter
        outside its range or given as NaN (pass None to estimate it); the message names the time
        stamp of a bad value.
    wifund.ConvergenceError
        If no parameters with a finite likelihood exist.
    """
    s = _checked(_as_series(y), "ets", positive=_needs_positive(error, trend))
    return EtsResult(_core.forecast.ets_fit(s.to_numpy(), error, trend, damped, alpha, beta, phi, initialization), s)


def auto(y: Any, criterion: str = "aicc", initialization: str = "estimated") -> EtsResult:
    """Automatic ETS selection: the candidate with the smallest `criterion`.

    Candidates are ANN, AAN, AAdN and, for strictly positive data, MNN, MAN, MAdN, MMN, MMdN (as R's
    ``forecast::ets`` with ``restrict=TRUE``: no additive error with multiplicative trend); models
    with too many parameters for the series length are skipped.
    """
    s = _checked(_as_series(y), "auto")
    return EtsResult(_core.forecast.ets_auto(s.to_numpy(), initialization, criterion), s)


# ---------------------------------------------------------------------------------------------
# batch fitting
def _split_frame(
    frame: pd.DataFrame, by: str | Sequence[str] | None, time: str | None, value: str | None
) -> dict[Any, pd.Series]:
    """Series by name from a wide frame (one column per series) or a long one (`by`, `time`, `value`)."""
    if by is None:
        # One conversion for the whole frame (per-column pandas calls cost more than the fits).
        arr = frame.to_numpy(dtype=float)
        valid = ~np.isnan(arr)
        has = valid.any(axis=0)
        first = valid.argmax(axis=0)
        last = len(arr) - valid[::-1].argmax(axis=0)
        out = {}
        for j, col in enumerate(frame.columns):
            # trim leading/trailing NaN of ragged columns; inner NaNs stay (an error)
            lo, hi = (int(first[j]), int(last[j])) if has[j] else (0, len(arr))
            out[col] = pd.Series(arr[lo:hi, j], index=frame.index[lo:hi], name=col, copy=False)
        return out
    if time is None or value is None:
        raise ValueError("fit_many: a long frame needs by=, time= and value=")
    out = {}
    for key, g in frame.groupby(by, sort=False):
        out[key] = g.set_index(time)[value].sort_index().astype(float)
    return out


@dataclass
class BatchResult:
    """Models fitted to many series.

    Attributes
    ----------
    models : dict
        Series name -> :class:`EtsResult` for the series that could be fitted.
    errors : dict
        Series name -> error message for those that could not (only with ``errors="skip"``).
    """

    models: dict[str, Any]
    errors: dict[str, Any]

    @property
    def table(self) -> pd.DataFrame:
        """One row per fitted series: model form, parameters, log-likelihood and criteria."""
        rows = []
        for name, m in self.models.items():
            row = {"series": name, "model": m.short_name, "nobs": m.nobs}
            row.update(m.params.to_dict())
            row.update(loglik=m.loglik, aicc=m.aicc, aic=m.aic, bic=m.bic)
            rows.append(row)
        return pd.DataFrame(rows).set_index("series") if rows else pd.DataFrame()

    def forecast(self, h: int) -> pd.DataFrame:
        """Point forecasts, one column per series (future indices aligned by position)."""
        return pd.DataFrame(
            {k: m.forecast(h).to_numpy() for k, m in self.models.items()}, index=pd.RangeIndex(1, h + 1, name="h")
        )

    def __repr__(self) -> str:
        return f"<BatchResult {len(self.models)} fitted, {len(self.errors)} failed>"

    def _repr_html_(self) -> str:
        t = self.table
        return _html_table(
            f"{len(self.models)} series fitted, {len(self.errors)} failed",
            t.head(20),
            "first 20 rows" if len(t) > 20 else "",
        )


def fit_many(
    frame: pd.DataFrame | Mapping[Any, Any],
    error: str = "add",
    trend: str | None = None,
    damped: bool = False,
    automatic: bool = False,
    by: str | Sequence[str] | None = None,
    time: str | None = None,
    value: str | None = None,
    criterion: str = "aicc",
    initialization: str = "estimated",
    alpha: float | None = None,
    beta: float | None = None,
    phi: float | None = None,
    threads: int | None = None,
    errors: str = "raise",
    progress: bool | None = None,
    chunk: int = 256,
) -> BatchResult:
    """Fit one ETS form (or select one per series) for many series, in parallel C++ threads.

    Parameters
    ----------
    frame : pandas.DataFrame or mapping
        Wide (one column per series; leading/trailing NaNs of ragged columns are trimmed) or long
        with ``by`` (series key columns), ``time`` and ``value``; or a mapping name -> series.
    error, trend, damped, alpha, beta, phi, initialization
        As :func:`ets` (ignored for the form when ``automatic``).
    automatic : bool
        Select the model per series by `criterion` (as :func:`auto`).
    threads : int, optional
        Worker threads (default: all cores). Results do not depend on it.
    errors : {"raise", "skip"}
        Raise ValueError naming the first bad series, or collect messages in ``.errors``.
    progress : bool, optional
        Show a tqdm bar (series are sent to C++ in chunks of `chunk`); default: only for
        2,000 series or more (``wifund._progress.THRESHOLDS``).
    chunk : int
        Series per C++ call (>= 1).

    Raises
    ------
    ValueError
        No series at all; with ``errors="raise"`` the first bad series (named, with the time stamp
        of a bad value); ``chunk`` or ``threads`` not an integer >= 1.
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"fit_many: errors={errors!r} must be 'raise' or 'skip'")
    chunk = _count("fit_many", "chunk", chunk, 1)
    if threads is not None:
        threads = _count("fit_many", "threads", threads, 1, 1024)
    if isinstance(frame, pd.DataFrame):
        series = _split_frame(frame, by, time, value) if frame.shape[1] else {}
    else:
        series = {k: _as_series(v, f"fit_many: series {str(k)!r}") for k, v in frame.items()}
    if not series:
        raise ValueError("fit_many: frame has no series")
    models, errs = {}, {}
    positive = None if automatic else _needs_positive(error, trend)
    for k in list(series):
        try:
            _checked(series[k], "fit_many", f"series {str(k)!r}", positive)
        except ValueError as e:
            if errors == "raise":
                raise
            errs[k] = str(e)
            del series[k]
    names = list(series)
    bar = _progress.bar(progress, len(names), "fit_many", unit="series")
    try:
        for lo in range(0, len(names), chunk):
            part = names[lo : lo + chunk]
            arrays = [series[k].to_numpy() for k in part]
            out = _core.forecast.ets_fit_many(
                arrays,
                [str(k) for k in part],
                error,
                trend,
                damped,
                automatic,
                alpha,
                beta,
                phi,
                initialization,
                criterion,
                0 if threads is None else int(threads),
            )
            for k, r in zip(part, out):
                if isinstance(r, str):
                    if errors == "raise":
                        raise ValueError(r)
                    errs[k] = r
                else:
                    models[k] = EtsResult(r, series[k])
            if bar is not None:
                bar.update(len(part))
    finally:
        if bar is not None:
            bar.close()
    return BatchResult(models, errs)


# ---------------------------------------------------------------------------------------------
# trend models
class TrendResult(_FittedModel):
    """A log-linear trend or a random walk with drift on growth rates, fitted to a positive series."""

    def __init__(self, kind: str, fit: Any, y: pd.Series):
        self.kind = kind
        self._fit = fit
        self.y = y

    @property
    def short_name(self) -> str:
        return self.kind

    @property
    def growth(self) -> float:
        """Implied annual growth rate: exp(slope) - 1 or exp(drift) - 1."""
        return float(np.expm1(self._fit.slope if self.kind == "loglinear" else self._fit.drift))

    @property
    def params(self) -> pd.Series:
        f = self._fit
        if self.kind == "loglinear":
            return pd.Series({"intercept": f.intercept, "slope": f.slope, "sigma": f.sigma}, name=self.kind)
        return pd.Series({"drift": f.drift, "sigma": f.sigma}, name=self.kind)

    def forecast(self, h: int) -> pd.Series:
        """Point forecasts (medians on the original scale)."""
        return self.interval(h)["mean"].rename("forecast")

    def interval(self, h: int, level: float = 0.95) -> pd.DataFrame:
        """Point forecasts with a central prediction interval (normal / Student t on logs)."""
        h = _steps("interval", h)
        d = self._fit.forecast(int(h), float(level))
        out = _interval_frame(d, _future_index(self.y.index, int(h)))
        out.attrs.update(level=level, simulated=False, model=self.kind)
        return out

    def _headline(self) -> str:
        return f"{self.kind} n={len(self.y)} implied growth={self.growth:.4%}"


def loglinear(y: Any) -> TrendResult:
    """Log-linear trend regression ``log y_t = a + b t + e_t`` (OLS, t intervals, median forecasts)."""
    s = _checked(_as_series(y), "loglinear", positive="(the model works on logs)")
    return TrendResult("loglinear", _core.forecast.loglinear_trend(s.to_numpy()), s)


def growth_rw(y: Any) -> TrendResult:
    """Random walk with drift on log growth rates; intervals include the drift's estimation error."""
    s = _checked(_as_series(y), "growth_rw", positive="(the model works on logs)")
    return TrendResult("growth_rw", _core.forecast.growth_random_walk(s.to_numpy()), s)


# ---------------------------------------------------------------------------------------------
# back-testing
_BASELINES = ("naive", "drift")


class BacktestResult:
    """Rolling-origin forecasts and their accuracy.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        One row per (series, model, origin, h): ``origin`` is the first forecast period, with the
        actual value, forecast, interval bounds and the MASE scale of the training window.
    """

    def __init__(self, forecasts: pd.DataFrame, level: float, series: dict[str, Any]):
        self.forecasts = forecasts
        self.level = level
        self.series = series

    @staticmethod
    def _metrics(g: pd.DataFrame) -> pd.Series:
        err = g["forecast"] - g["actual"]
        inside = (g["actual"] >= g["lower"]) & (g["actual"] <= g["upper"])
        return pd.Series(
            {
                "MAPE": float(np.mean(np.abs(err / g["actual"])) * 100),
                "MASE": float(np.mean(np.abs(err) / g["mase_scale"])),
                "bias": float(np.mean(err / g["actual"]) * 100),
                "coverage": float(inside.mean()),
                "n": int(len(g)),
            }
        )

    @property
    def table(self) -> pd.DataFrame:
        """Accuracy by series and model: MAPE (%), MASE, bias (mean % error, forecast - actual;
        positive = over-forecast), interval coverage and the number of forecasts."""
        return self.forecasts.groupby(["series", "model"], sort=False).apply(self._metrics, include_groups=False)

    @property
    def by_horizon(self) -> pd.DataFrame:
        """The same measures by series, model and horizon h."""
        return self.forecasts.groupby(["series", "model", "h"], sort=False).apply(self._metrics, include_groups=False)

    def plot(self, series: Any = None, h: int = 1, ax: Any = None) -> Any:
        """Actuals with the h-step-ahead rolling forecasts of every model (one series); returns the Axes.
        ``ax``: one Axes, or None for new Axes in the active backend (never changed)."""
        from . import _plot

        name = next(iter(self.series)) if series is None else series
        (ax,) = _plot.user_axes("BacktestResult.plot", ax, 1, (8, 4))
        y = self.series[name]
        ax.plot(y.index, y.to_numpy(), "k-o", lw=2, ms=3, label="actual")
        f = self.forecasts[(self.forecasts["series"] == name) & (self.forecasts["h"] == h)]
        for model, g in f.groupby("model", sort=False):
            ax.plot(g["period"], g["forecast"], marker=".", label=str(model))
        ax.set_title(f"{name}: {h}-step-ahead rolling-origin forecasts")
        ax.legend(fontsize=8)
        return ax

    def __repr__(self) -> str:
        return f"<BacktestResult level={self.level}>\n{self.table.round(4).to_string()}"

    def _repr_html_(self) -> str:
        return _html_table(f"Rolling-origin back-test ({self.level:.0%} intervals)", self.table)


def backtest(
    series: Any,
    models: Iterable[str] = ("auto", "AAdN", "loglinear", "growth_rw"),
    horizon: int = 3,
    min_train: int = 8,
    level: float = 0.95,
    seed: int = _SEED,
    threads: int | None = None,
) -> BacktestResult:
    """Rolling-origin evaluation of forecasting models, always against the naive and drift baselines.

    For every origin ``o >= min_train`` each model is fitted to the first ``o`` observations and
    forecasts the next ``min(horizon, n - o)``.

    Parameters
    ----------
    series : Series, mapping of Series, or wide DataFrame
    models : iterable of str
        ETS forms ("ANN", "AAN", "AAdN", "MAN", ...), "auto", "loglinear", "growth_rw", "naive", "drift".
    horizon, min_train : int
    level : float
        Level of the prediction intervals whose coverage is measured.
    seed : int
        Seed of simulated intervals (derived per series and origin; thread-count independent).

    Returns
    -------
    BacktestResult
        ``.table`` (MAPE, MASE, bias, coverage), ``.by_horizon``, ``.forecasts``, ``.plot()``.

    Raises
    ------
    ValueError
        ``horizon`` or ``min_train`` not an integer in range, ``level`` outside (0, 1), an unknown
        model, a series with fewer than ``min_train + 1`` observations, bad time stamps or values
        (as :func:`ets`), a series constant over its first ``min_train`` observations (all zero,
        say: the MASE scale, the mean absolute one-step change of the training window, is 0 and
        MASE undefined) and an actual value of 0 among those forecast (MAPE and bias divide by it).
        The message names the series and the time stamp.
    """
    horizon = _count("backtest", "horizon", horizon, 1, 1000)
    if threads is not None:
        threads = _count("backtest", "threads", threads, 1, 1024)
    min_train = _count("backtest", "min_train", min_train, 2, 100_000)
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"backtest: level = {level} must lie strictly between 0 and 1")
    if isinstance(series, pd.DataFrame):
        named = _split_frame(series, None, None, None)
    elif isinstance(series, Mapping):
        named = {k: _as_series(v, str(k)) for k, v in series.items()}
    else:
        s = _as_series(series)
        named = {s.name if s.name is not None else "y": s}
    if not named:
        raise ValueError("backtest: no series given (series is empty)")
    for k, s in named.items():
        what = f"series {str(k)!r}"
        _checked(s, "backtest", what)
        v = s.to_numpy(dtype=float)
        if len(v) <= min_train:
            raise ValueError(
                f"backtest: {what} has {len(v)} observations; min_train = {min_train} leaves nothing to forecast"
            )
        if (v[1:min_train] == v[0]).all():
            raise ValueError(
                f"backtest: {what} is constant over its first min_train = {min_train} observations "
                f"(value {float(v[0])!r}): the MASE scale (mean absolute one-step change of the "
                f"training window) is 0, so MASE is undefined"
            )
        zero = np.flatnonzero(v[min_train:] == 0.0)
        if zero.size:
            t = min_train + int(zero[0])
            raise ValueError(
                f"backtest: {what} is 0 at {s.index[t]} (position {t}), a forecast period: MAPE "
                f"and bias divide by the actual value"
            )
    names = list(models)
    for b in _BASELINES:
        if b not in names:
            names.append(b)
    keys = list(named)
    d = _core.forecast.backtest(
        [named[k].to_numpy() for k in keys],
        names,
        int(horizon),
        int(min_train),
        float(level),
        int(seed),
        0 if threads is None else int(threads),
    )
    df = pd.DataFrame(d)
    df["series"] = [keys[i] for i in df["series"]]
    df["model"] = pd.Categorical([names[i] for i in df["model"]], categories=names)
    # Label origins and target periods with the series' own index (years, dates).
    period, origin = [], []
    for k, o, h in zip(df["series"], df["origin"], df["h"]):
        idx = named[k].index
        origin.append(idx[o])
        period.append(idx[o + h - 1])
    df["origin"] = origin
    df["period"] = period
    cols = ["series", "model", "origin", "h", "period", "actual", "forecast", "lower", "upper", "mase_scale"]
    return BacktestResult(df[cols], level, named)


# ---------------------------------------------------------------------------------------------
# into the projection
Model = EtsResult | TrendResult
_PATH_COLUMNS = {"wage": "wage_growth", "employment": "employment_growth", "coverage": "coverage_growth"}


@dataclass
class ForecastPaths:
    """Growth paths for a projection, built from forecasts.

    Attributes
    ----------
    paths : pandas.DataFrame
        Indexed by ``year``; ``wage_growth``, ``employment_growth``, ``coverage_growth`` as annual
        growth fractions: the ratio of consecutive point forecasts minus 1 (the first year relative
        to the last observed value).
    intervals : pandas.DataFrame
        Indexed by ``year``; columns ``(path column, "lower"|"upper")``: the central prediction
        interval of the level turned into the average annual growth from the last observation,
        ``(bound_t / y_last) ** (1 / h) - 1`` -- the band a Monte Carlo run should respect.
    levels : pandas.DataFrame
        The level forecasts ``(variable, "mean"|"lower"|"upper")`` behind both.
    models : dict
        The fitted model used for each variable.
    """

    paths: pd.DataFrame
    intervals: pd.DataFrame
    levels: pd.DataFrame
    models: dict[str, Any]
    level: float

    def __repr__(self) -> str:
        return f"<ForecastPaths {self.paths.index[0]}-{self.paths.index[-1]}>\n{self.paths.round(5).to_string()}"

    def scenario_source(
        self, sources: Sources | None = None, assumptions: Assumptions | None = None, *, tolerance: float = 0.10
    ) -> ScenarioSource:
        """These forecasts as the Monte Carlo's deterministic paths and VAR(1) rows
        (:func:`scenario_source`)."""
        return scenario_source(self, sources, assumptions, tolerance=tolerance)

    def _repr_html_(self) -> str:
        point = self.paths.copy()
        point.columns = pd.MultiIndex.from_product([point.columns, ["path"]])
        both = pd.concat([point, self.intervals], axis=1)[
            [(c, k) for c in self.paths.columns for k in ("lower", "path", "upper")]
        ]
        return _html_table("Growth paths from forecasts", both)


def _year_index_last(y: pd.Series, var: str) -> int:
    if len(y.index) == 0 or not pd.api.types.is_integer_dtype(y.index):
        raise ValueError(f"paths_from_forecasts: {var} must be indexed by integer years, got {y.index.dtype}")
    return int(y.index[-1])


def paths_from_forecasts(
    start: int,
    years: int,
    wage: Model | pd.Series | None = None,
    employment: Model | pd.Series | None = None,
    coverage: Model | pd.Series | None = None,
    level: float = 0.95,
    model: str = "auto",
) -> ForecastPaths:
    """Wage, employment and coverage growth paths for ``start .. start + years - 1``.

    Parameters
    ----------
    start, years : int
        First projection year and number of years.
    wage, employment, coverage : fitted model or pandas.Series, optional
        A model from :func:`ets`, :func:`auto`, :func:`loglinear`, :func:`growth_rw` fitted to a
        series of levels indexed by year, or such a series (then fitted with `model`). The history
        must end before `start`; years between its end and `start` are forecast and skipped.
        Missing variables are left out of the frames.
    level : float
        Level of the intervals kept for Monte Carlo.
    model : {"auto", "loglinear", "growth_rw", or an ETS form}
        How plain series are fitted.
    """
    if years < 1:
        raise ValueError(f"paths_from_forecasts: years = {years} must be >= 1")
    given = {"wage": wage, "employment": employment, "coverage": coverage}
    fitted: dict[str, Model] = {}
    for var, m in given.items():
        if m is None:
            continue
        if isinstance(m, pd.Series):
            m = _fit_by_name(m.dropna(), model)
        if not isinstance(m, (EtsResult, TrendResult)):
            raise ValueError(f"paths_from_forecasts: {var} must be a fitted model or a pandas Series")
        fitted[var] = m
    if not fitted:
        raise ValueError("paths_from_forecasts: give at least one of wage, employment, coverage")
    idx = pd.Index(np.arange(start, start + years), name="year")
    paths, bands, levels = {}, {}, {}
    for var, m in fitted.items():
        last_year = _year_index_last(m.y, var)
        if start <= last_year:
            raise ValueError(
                f"paths_from_forecasts: start = {start} must follow the last observed year of {var} ({last_year})"
            )
        steps = start + years - 1 - last_year
        f = m.interval(steps, level)
        f.index = np.arange(last_year + 1, last_year + steps + 1)
        y_last = float(m.y.iloc[-1])
        if not y_last > 0:
            raise ValueError(f"paths_from_forecasts: last observed {var} = {y_last} must be > 0 for growth rates")
        mean = np.concatenate([[y_last], f["mean"].to_numpy()])
        growth = pd.Series(mean[1:] / mean[:-1] - 1.0, index=f.index)
        h = np.arange(1, steps + 1)
        col = _PATH_COLUMNS[var]
        paths[col] = growth.loc[idx]
        for b in ("lower", "upper"):
            ratio = np.clip(f[b].to_numpy() / y_last, 1e-12, None)  # a negative bound means total loss
            bands[(col, b)] = pd.Series(ratio ** (1.0 / h) - 1.0, index=f.index).loc[idx]
        for c in ("mean", "lower", "upper"):
            levels[(var, c)] = f[c].loc[idx]
    return ForecastPaths(
        pd.DataFrame(paths, index=idx), pd.DataFrame(bands, index=idx), pd.DataFrame(levels, index=idx), fitted, level
    )


def _fit_by_name(y: pd.Series, model: str) -> Model:
    if model == "auto":
        return auto(y)
    if model == "loglinear":
        return loglinear(y)
    if model == "growth_rw":
        return growth_rw(y)
    forms = {
        "ANN": ("add", None, False),
        "AAN": ("add", "add", False),
        "AAdN": ("add", "add", True),
        "MNN": ("mul", None, False),
        "MAN": ("mul", "add", False),
        "MAdN": ("mul", "add", True),
        "MMN": ("mul", "mul", False),
        "MMdN": ("mul", "mul", True),
        "AMN": ("add", "mul", False),
        "AMdN": ("add", "mul", True),
    }
    if model not in forms:
        raise ValueError(
            f"paths_from_forecasts: model = {model!r} is not 'auto', 'loglinear', 'growth_rw' "
            f"or an ETS form {sorted(forms)}"
        )
    e, t, d = forms[model]
    return ets(y, error=e, trend=t, damped=d)


# ---------------------------------------------------------------------------------------------
# into the Monte Carlo (issue #12 item 1)
class ScenarioMisfitWarning(UserWarning):
    """A VAR(1) row cannot reproduce a forecast's prediction intervals within the tolerance."""


@dataclass(frozen=True)
class ScenarioSource:
    """Forecasts turned into inputs of :func:`wifund.simulate` (see :func:`scenario_source`).

    Attributes
    ----------
    assumptions : wifund.Assumptions
        The base assumptions with the growth paths replaced by the Monte Carlo's centre paths (and the
        forecasts' intervals kept in ``intervals``).
    sources : wifund.stochastic.Sources
        The base sources with the economy on and the rows of the forecast variables replaced.
    fit : pandas.DataFrame
        One row per path: ``model``, ``ar`` (phi), ``sd`` and ``level_sd`` (of the growth rate, as the VAR(1)
        moves it), ``misfit`` (the largest relative error of the VAR(1)'s interval half-width on the log
        scale against the forecast's, over the projection years) and ``exact`` (the random walk with drift).
    """

    assumptions: Assumptions
    sources: Sources
    fit: pd.DataFrame


def _var_fit(target: np.ndarray) -> tuple[float, float, float, float]:
    """(phi, innovation variance, level-shift variance, misfit) of the VAR(1) row whose cumulative log
    deviation after h years, ``S_h = sum_{j<h} (z_j + mu)`` with ``z_j = phi z_{j-1} + e_j`` (z_{-1} = 0, as
    ``stochastic/generator.hpp``), has variance ``v_e a_h(phi) + v_mu h^2``, ``a_h = sum_{i=1..h}
    ((1 - phi^i) / (1 - phi))^2``, closest to ``target`` (variances by h) in relative terms; phi on a grid of
    [-0.95, 0.95], the two variances by non-negative weighted least squares."""
    h = np.arange(1, len(target) + 1, dtype=np.float64)
    use = target > 0
    best = (0.0, 0.0, 0.0, np.inf)
    for phi in np.round(np.linspace(-0.95, 0.95, 191), 12):  # 0 exactly on the grid
        w = np.cumsum(phi ** np.arange(len(h))) if phi != 0 else np.ones(len(h))  # (1 - phi^i) / (1 - phi)
        basis = np.column_stack([np.cumsum(w * w), h * h])[use] / target[use, None]
        ones = np.ones(int(use.sum()))
        cands = [np.linalg.lstsq(basis, ones, rcond=None)[0]]
        for k in (0, 1):  # one variance at zero (the non-negativity constraint active)
            x = np.zeros(2)
            col = basis[:, k]
            x[k] = float(col @ ones / (col @ col)) if col @ col > 0 else 0.0
            cands.append(x)
        for x in cands:
            if (x < 0).any():
                continue
            model = np.column_stack([np.cumsum(w * w), h * h]) @ x
            miss = float(np.max(np.abs(np.sqrt(model[use] / target[use]) - 1.0))) if use.any() else 0.0
            if miss < best[3] - 1e-15:
                best = (float(phi), float(x[0]), float(x[1]), miss)
    return best


def scenario_source(
    paths: ForecastPaths,
    sources: Sources | None = None,
    assumptions: Assumptions | None = None,
    *,
    tolerance: float = 0.10,
) -> ScenarioSource:
    """The prediction intervals of forecasts as the Monte Carlo's deterministic paths and VAR(1) rows of
    :class:`wifund.stochastic.Sources` (issue #12 item 1).

    For each forecast path (wage, employment, coverage growth) the log level's prediction interval at
    ``paths.level`` gives a standard deviation by horizon, ``s_h = log(upper / lower) / (2 z)`` (z the normal
    quantile of the level); over the projection years, counted from the year before ``start`` (variance
    ``s_{k+h}^2 - s_k^2`` when ``k`` years between the history and ``start`` are skipped), it is matched by the
    generator's VAR(1) row of that growth rate: AR coefficient ``ar``, innovation sd ``sd`` and the per-scenario
    level shift ``level_sd`` (the generator's parameter uncertainty), with the cumulative variance of
    :func:`_var_fit`.

    * **Random walk with drift** (:func:`growth_rw`, history ending the year before ``start``): exact. The log
      growth rates are iid N(mu, sigma^2) with the drift estimated from m rates, log-variance
      ``sigma^2 h (1 + h / m)`` (R's ``rwf(drift = TRUE)``): ``ar = 0``, ``sd = sigma``, ``level_sd = sigma /
      sqrt(m)``, term by term. The engine applies simple rates (``1 + r``), so the rows are scaled by ``1 + r``
      and the centre path is ``r_j = exp(g_j + v_j / 2) - 1`` (``g_j`` the forecast's log growth, ``v_j`` the
      variance of the year's log deviation): the simulated level's log has the forecast's median and variance
      to terms of order sigma^3 (below 1e-4 of the interval for sigma = 0.03).
    * **Trend-stationary models** (:func:`loglinear`, ETS): the interval's growth with h is not that of a
      VAR(1) of growth rates in general; the closest row is taken and a :class:`ScenarioMisfitWarning` is
      issued when its interval half-width misses the forecast's by more than ``tolerance`` (10 %) in some year.

    ``sources`` (default :meth:`Sources.default`) keeps its other rows, its correlations and the other sources;
    the AR cross terms of the replaced rows are set to 0 (a forecast is univariate). ``assumptions`` (default
    :meth:`Assumptions.default`) gets the centre paths. Run ``wifund.simulate(province, policy, s.assumptions,
    sources=s.sources, years=len(paths.paths))``.
    """
    import dataclasses
    import warnings
    from statistics import NormalDist

    from .assumptions import Assumptions
    from .stochastic import ECONOMY_VARIABLES, Sources

    if not isinstance(paths, ForecastPaths):
        raise TypeError(
            f"scenario_source: paths must be a ForecastPaths (paths_from_forecasts), not {type(paths).__name__}"
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 < tolerance < 10:
        raise ValueError(f"scenario_source: tolerance = {tolerance!r} must be a number in (0, 10)")
    src = Sources.default() if sources is None else sources
    if not isinstance(src, Sources):
        raise TypeError(f"scenario_source: sources must be a wifund.stochastic.Sources, not {type(src).__name__}")
    base = Assumptions.default() if assumptions is None else assumptions
    if not isinstance(base, Assumptions):
        raise TypeError(f"scenario_source: assumptions must be a wifund.Assumptions, not {type(base).__name__}")
    z = NormalDist().inv_cdf(0.5 + 0.5 * paths.level)
    years = paths.paths.index
    start, end = int(years[0]), int(years[-1])
    sd, ar, level_sd = src.sd.copy(), src.ar.copy(), src.level_sd.copy()
    centre: dict[str, pd.Series] = {}
    rows = []
    for var, m in paths.models.items():
        col = _PATH_COLUMNS[var]
        last = _year_index_last(m.y, var)
        skip, steps = start - 1 - last, end - last
        f = m.interval(steps, paths.level)
        lo = np.clip(f["lower"].to_numpy(dtype=np.float64), 1e-300, None)
        s_all = np.log(f["upper"].to_numpy(dtype=np.float64) / lo) / (2 * z)
        prior = s_all[skip - 1] ** 2 if skip > 0 else 0.0
        target = np.clip(s_all[skip:] ** 2 - prior, 0.0, None)
        exact = isinstance(m, TrendResult) and m.kind == "growth_rw" and skip == 0
        if exact:
            fit = m._fit
            phi, v_e, v_mu = 0.0, fit.sigma**2, fit.sigma**2 / fit.nobs
            h = np.arange(1, len(target) + 1)
            model_v = v_e * h + v_mu * h * h
            use = target > 0
            miss = float(np.max(np.abs(np.sqrt(model_v[use] / target[use]) - 1.0))) if use.any() else 0.0
        else:
            phi, v_e, v_mu, miss = _var_fit(target)
        # Variance of each year's log deviation z_j + mu: v_e (1 + phi^2 + ... + phi^(2j)) + v_mu.
        v_year = v_e * np.cumsum(phi ** (2 * np.arange(len(target)))) + v_mu
        g = np.log1p(paths.paths[col].to_numpy(dtype=np.float64))
        r = np.expm1(g + 0.5 * v_year)
        scale = 1.0 + float(np.mean(r))
        i = ECONOMY_VARIABLES.index(col)
        ar[i, :] = 0.0
        ar[:, i] = 0.0
        ar[i, i] = phi
        sd[i], level_sd[i] = np.sqrt(v_e) * scale, np.sqrt(v_mu) * scale
        centre[col] = pd.Series(r, index=years)
        rows.append(
            {
                "path": col,
                "model": m.short_name,
                "ar": phi,
                "sd": sd[i],
                "level_sd": level_sd[i],
                "misfit": miss,
                "exact": exact,
            }
        )
        if miss > tolerance:
            warnings.warn(
                f"scenario_source: {col}: the closest VAR(1) row (ar = {phi:.3g}) misses the {m.short_name} "
                f"forecast's {paths.level:.0%} interval by {miss:.1%} (> tolerance {tolerance:.0%}) in "
                f"{start}..{end}: a VAR(1) of growth rates does not carry this model's uncertainty",
                ScenarioMisfitWarning,
                stacklevel=2,
            )
    out_src = dataclasses.replace(src, economy=True, sd=sd, ar=ar, level_sd=level_sd)
    out_a = dataclasses.replace(base.replace(**centre), intervals=paths.intervals)
    return ScenarioSource(out_a, out_src, pd.DataFrame(rows).set_index("path"))
