"""Command line: ``wifund run`` (the main job), ``wifund init-demo`` and ``wifund budget …`` (:mod:`wifund.budget_cli`).

    wifund run [--province DIR] [--policy NAME|FILE] [--start YEAR] [--years N] --out DIR [--force]
    wifund init-demo DIR [--force]
    python -m wifund run ...

Every error — bad input, an output folder that is refused (see :mod:`wifund._io`), disk full, a
read-only folder, any other operating-system error — is one line ``wifund: error: ...`` on stderr and
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pickle
import shlex
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from . import __version__, _io, budget_cli
from ._checks import check_int
from ._io import OutputError, OutputFolder
from .assumptions import Assumptions
from .policy import Policy
from .projection import Precomputed, project, stock_liabilities
from .province import Province
from .report import RUN_FILES, TABLE_NAMES, chart_inputs, write_run


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised in the main thread so that writers remove their temporary files."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, _frame: object) -> None:
    raise _Stopped(signum)


#: Processes this process started (the chart process of `wifund run`): killed by :func:`_exit_now`.
_children: set[int] = set()


def _exit_now(signum: int, _frame: object) -> None:
    """SIGTERM / SIGHUP when wifund runs as a program: remove this process's temporary files and exit
    at once with 128 + the signal. Nothing is raised into whatever code was running (an exception raised
    from a signal handler can land inside a half-finished import of a C extension, and such a process
    may then abort while the interpreter shuts down), and no interpreter shutdown runs. The switch of
    files into place holds these signals back (``_io._signals_held``), so this never runs mid-switch."""
    for tmp in list(_io._our_temps):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    for pid in list(_children):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.write(
            2,
            f"wifund: stopped by {signal.Signals(signum).name}; temporary files removed, no output "
            f"file was left half-written\n".encode(),
        )
    os._exit(128 + signum)


@contextlib.contextmanager
def _stop_on_signals(program: bool = False) -> Iterator[None]:
    """For the duration of a command: as a program (``program=True``), SIGTERM and SIGHUP remove the
    temporary files and exit (:func:`_exit_now`); called in-process, they raise :class:`_Stopped` so
    that the writers' clean-up runs and the caller keeps control. The previous handlers are restored
    after."""
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    handler = _exit_now if program else _raise_stopped
    old = {n: signal.signal(getattr(signal, n), handler) for n in names}
    try:
        yield
    finally:
        for n, previous in old.items():
            signal.signal(getattr(signal, n), previous)


def _message(exc: BaseException) -> str:
    """One line naming the path for an operating-system error."""
    if isinstance(exc, OSError) and not isinstance(exc, OutputError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or exc}"
        if exc.filename2 is not None:
            text += f" ({exc.filename2})"
    else:
        text = str(exc)
    return " ".join(text.split()) if isinstance(exc, OSError) else text


def _int_flag(
    flag: str, text: str | None, lo: int | None = None, hi: int | None = None, command: str = "run"
) -> int | None:
    """An integer flag, checked by the same rule as the Python argument (``2025.5`` and ``abc`` are
    errors naming the flag and the value; exit status 2 like every input error)."""
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(
            f"wifund {command}: {flag} = {text!r}: must be an integer"
            + (f" from {lo} to {hi}" if lo is not None and hi is not None else "")
        ) from None
    return check_int(f"wifund {command}: {flag}", value, lo, hi)


def _send(fh: IO[bytes], obj: object) -> None:
    """One message: its length (8 bytes) and its pickle."""
    data = pickle.dumps(obj)
    fh.write(len(data).to_bytes(8, "little") + data)
    fh.flush()


def _receive(fh: IO[bytes]) -> object:
    """One message of :func:`_send`; EOFError if the other end closed first."""
    head = fh.read(8)
    if len(head) < 8:
        raise EOFError
    data = fh.read(int.from_bytes(head, "little"))
    return pickle.loads(data)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process when its parent ends (even by SIGKILL); elsewhere the
    closed pipe ends it."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


#: A province with at least this many beneficiary rows has its stock liabilities computed by the second
#: process of `wifund run` (seconds at hundreds of cities); below, the run computes them itself (the
#: demo's take 0.05 s, less than the second process needs to read the province). The base-year replay
#: stays in the run: with it, the run's reading and projecting take about as long as the second
#: process's reading and valuing (900 cities: 10 and 9 s CPU).
PRECOMPUTE_ROWS = 100_000


def _precompute(args: argparse.Namespace) -> Precomputed | None:
    """The stock liabilities of the run ``args`` describes, read and resolved as :func:`_run` and
    :func:`wifund.project` do (the same inputs give the same numbers); None for a small province or if
    anything fails here (the run then computes them, and reports any error itself)."""
    if not args.province:  # the demo: small
        return None
    try:
        province = Province.from_dir(args.province)
        if len(province.beneficiaries) < PRECOMPUTE_ROWS:
            return None
        policy = Policy.load(args.policy) if args.policy else province.default_policy
        if not isinstance(policy, Policy):
            policy = Policy.load(policy)
        assumptions = Assumptions.from_file(args.assumptions) if args.assumptions else Assumptions.default()
        return Precomputed(stock_liabilities(province, policy, assumptions))
    except Exception:
        return None


def _worker(parent: int, data_fd: int, result_fd: int, args: argparse.Namespace) -> None:  # pragma: no cover
    """The second process of `wifund run` (forked): sends the stock liabilities (:func:`_precompute`, or
    None), imports matplotlib, reads the chart inputs (:func:`wifund.report.chart_inputs`) and sends
    the charts drawn, or the exception raised drawing them. Never returns; no output file is touched."""
    code = 0
    try:
        for name in ("SIGTERM", "SIGHUP", "SIGINT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        _die_with_parent(parent)
        warnings.simplefilter("ignore")  # the run itself warns
        with os.fdopen(result_fd, "wb") as out, os.fdopen(data_fd, "rb") as inp:
            _send(out, _precompute(args))
            from . import _plot, report

            _plot.warm()
            try:
                data = _receive(inp)
            except EOFError:  # the run stopped before its projection was done
                return
            try:
                result: tuple[str, object] = ("charts", report.draw_charts(cast(dict[str, Any], data)))
            except Exception as exc:  # sent to the run, which raises it
                result = ("error", exc)
            try:
                _send(out, result)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an exception that does not pickle
                _send(out, ("error", RuntimeError(f"drawing the report's charts: {exc!r}")))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


class _Worker:
    """The second process of `wifund run` (``fork``): while this one reads the province and projects, it
    computes the stock liabilities of a large province (the same inputs, read again) and imports
    matplotlib; then it draws the report's charts while this one writes the CSVs and
    the workbook. The machine's second core takes that work, and the run's wall time is about the longer
    of the two (issue #14 item 5). The outputs are the same bytes as computed in-process (the same code
    on the same inputs). An error drawing is raised here; if the process cannot be started or ends
    without an answer, this process computes and draws instead. The process is killed and reaped when
    the run ends, however it ends, and by the kernel if this process is killed (Linux)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.pid: int | None = None
        self._inputs: dict[str, Any] | None = None
        data_r, data_w = os.pipe()
        result_r, result_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            os.close(data_w)
            os.close(result_r)
            _worker(parent, data_r, result_w, args)
        os.close(data_r)
        os.close(result_w)
        self.pid = pid
        _children.add(pid)
        self._data: IO[bytes] | None = os.fdopen(data_w, "wb")
        self._result: IO[bytes] | None = os.fdopen(result_r, "rb")

    def _next(self) -> object:
        if self._result is None:
            raise EOFError
        try:
            return _receive(self._result)
        except (EOFError, OSError, pickle.UnpicklingError):
            self.close()
            raise EOFError from None

    def precomputed(self) -> Precomputed | None:
        """The liabilities from the second process, or None (then computed by the caller)."""
        try:
            done = self._next()
        except EOFError:
            return None
        return done if isinstance(done, Precomputed) else None

    def send(self, inputs: dict[str, Any]) -> None:
        """The chart inputs of the projection, to the second process."""
        self._inputs = inputs
        fh, self._data = self._data, None
        if fh is not None:
            try:
                with fh:
                    _send(fh, inputs)
            except OSError:  # the process is gone: drawn here (charts)
                pass

    def charts(self) -> dict[str, str]:
        """The charts (waits for the second process); raises what drawing raised there."""
        from . import report

        try:
            kind, value = cast(tuple[str, Any], self._next())
        except EOFError:
            kind, value = "lost", None
        self.close()
        if kind == "error":
            raise cast(BaseException, value)
        if kind == "charts":
            return cast(dict[str, str], value)
        if self._inputs is None:
            raise RuntimeError("the report's charts were asked for before their inputs were sent")
        return report.draw_charts(self._inputs)

    def close(self) -> None:
        """Ends and reaps the second process (idempotent)."""
        for fh in (self._data, self._result):
            if fh is not None:
                with contextlib.suppress(OSError):
                    fh.close()
        self._data = self._result = None
        if self.pid is not None:
            pid, self.pid = self.pid, None
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)  # done already, or no longer needed
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            _children.discard(pid)


def _worker_process(args: argparse.Namespace) -> _Worker | None:
    """A second process when wifund runs as a program on a system with ``fork`` and this process has no
    other thread (forking a threaded process can copy a lock held mid-operation); else None (everything
    in-process, e.g. when ``main`` is called from Python)."""
    if not getattr(args, "program", False) or not hasattr(os, "fork") or threading.active_count() != 1:
        return None
    try:
        return _Worker(args)
    except OSError:  # no process or pipe left: everything in-process
        return None


def _run(args: argparse.Namespace, command: str) -> int:
    t0 = time.perf_counter()
    years = _int_flag("--years", args.years, 1, 50)
    start = _int_flag("--start", args.start, 1990, 2150)
    workbook_rows = _int_flag("--workbook-rows", args.workbook_rows, 0)
    if args.policy and Path(args.policy).is_dir():
        raise OutputError(
            f"--policy {args.policy} is a folder; give a policy name ({', '.join(Policy.available())}) or a TOML file",
            args.policy,
        )
    input_dirs = [args.province] if args.province else []
    input_files = [args.policy] if args.policy and Path(args.policy).is_file() else []
    if args.assumptions:
        input_files.append(args.assumptions)
    out = OutputFolder(
        args.out,
        command=command,
        inputs=input_dirs + input_files,
        input_dirs=input_dirs,
        input_files=input_files,
        force=args.force,
    )
    out.check(RUN_FILES)  # refuse before a projection that may take minutes
    worker = _worker_process(args)
    try:
        province = Province.from_dir(args.province) if args.province else Province.demo()
        policy = Policy.load(args.policy) if args.policy else None
        assumptions = Assumptions.from_file(args.assumptions) if args.assumptions else None
        if start is not None and start <= province.base_year:
            raise ValueError(
                f"wifund run: --start = {start}: must be after the province's base year {province.base_year}"
            )
        proj = project(
            province,
            policy,
            assumptions,
            start=start,
            years=cast(int, years),  # int: --years has a default
            _precomputed=None if worker is None else worker.precomputed,
        )
        if worker is not None:
            worker.send(chart_inputs(proj))
        write_run(
            proj,
            Path(args.out),
            workbook_rows=workbook_rows or None,
            force=args.force,
            command=command,
            inputs=out.inputs,
            input_dirs=input_dirs,
            input_files=input_files,
            charts=None if worker is None else worker.charts,
        )
    finally:
        if worker is not None:
            worker.close()
    f = proj.fund.iloc[-1]
    print(f"{province.name}: policy {proj.policy.name}, {proj.years[0]}-{proj.years[-1]}")
    print(
        f"  closing balance {proj.years[-1]}: {f['closing'] / 1e8:,.2f} 亿 yuan, "
        f"{f['months_of_payment']:.1f} months of payment"
    )
    print(f"  assumed parameters used: {len(proj.assumed_parameters)} (listed in the report)")
    print(
        f"  wrote {args.out}/report.html, projection.xlsx and {len(TABLE_NAMES)} CSV files "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return 0


def _simulate(args: argparse.Namespace, command: str) -> int:
    """``wifund simulate``: the Monte Carlo of the fund into an output folder (issue #12 item 5)."""
    from . import sim_report
    from .simulate import simulate

    t0 = time.perf_counter()
    flag = {"command": "simulate"}
    scenarios = cast(int, _int_flag("--scenarios", args.scenarios, 1, 10**8, **flag))
    years = cast(int, _int_flag("--years", args.years, 1, 50, **flag))
    seed = cast(int, _int_flag("--seed", args.seed, 0, 2**63 - 1, **flag))
    threads = _int_flag("--threads", args.threads, 1, 1024, **flag)
    input_dirs = [args.province] if args.province else []
    input_files = [args.policy] if args.policy and Path(args.policy).is_file() else []
    out = OutputFolder(args.out, command=command, inputs=input_dirs + input_files, force=args.force)
    out.check(sim_report.SIM_FILES)  # refuse before a run that may take minutes
    province = Province.from_dir(args.province) if args.province else Province.demo()
    policy = Policy.load(args.policy) if args.policy else None
    sim = simulate(province, policy, None, scenarios, years, seed, threads, progress=sys.stderr.isatty())
    sim_report.write_simulation(
        sim,
        Path(args.out),
        title=province.name,
        force=args.force,
        command=command,
        inputs=out.inputs,
        input_dirs=input_dirs,
        input_files=input_files,
    )
    print(f"{province.name}: {scenarios} scenarios × {years} years, seed {seed}")
    print(
        f"  P(exhausted within {years} years) = {100 * sim.prob_exhausted():.2f}%, "
        f"P(months of payment < 6) = {100 * sim.prob_months_below(6):.2f}%"
    )
    print(
        f"  wrote {args.out}/report.html and {len(sim_report.SIM_FILES) - 1} CSV files "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return 0


def _add_simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate", help="Monte Carlo of the fund: quantiles, risk table and report.html")
    p.add_argument("--province", help="province folder (default: the embedded demonstration province)")
    p.add_argument("--policy", help="policy name or TOML file (default: the province's default policy)")
    p.add_argument("--scenarios", default="1000", help="number of scenarios (default 1000)")
    p.add_argument("--years", default="30", help="number of years, 1-50 (default 30)")
    p.add_argument("--seed", default="0", help="seed of the random streams (default 0)")
    p.add_argument("--threads", default=None, help="C++ threads (default: one per core)")
    p.add_argument("--out", required=True, help="output folder (the rules of `wifund run --out`)")
    p.add_argument("--force", action="store_true", help="write into an output folder holding other files")
    p.set_defaults(func=_simulate)


def _init_demo(args: argparse.Namespace, command: str) -> int:
    target = Province.demo().to_dir(args.dir, overwrite=args.force)
    print(f"wrote the demonstration province (illustrative) to {target}")
    return 0


def _end_run(code: int) -> int:
    """`wifund run` as the program (``main()`` without arguments: the ``wifund`` script, ``python -m
    wifund``) ends the process here with its exit status once its output is flushed: every file is
    written, renamed into place and the manifest saved before this, no thread is running, and the
    interpreter's shutdown (freeing pandas' and the projection's objects one by one) would add a
    quarter of the demo's run time (0.2-0.3 s) for nothing (issue #14 item 5)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """The command line; called without ``argv`` it is the program (``wifund``, ``python -m wifund``):
    ``wifund run`` then ends the process itself with its exit status (:func:`_end_run`)."""
    parser = argparse.ArgumentParser(prog="wifund", description="Work-injury insurance fund projections.")
    parser.add_argument("--version", action="version", version=f"wifund {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="project a province and write CSVs, a workbook and report.html")
    run.add_argument("--province", help="province folder (default: the embedded demonstration province)")
    run.add_argument(
        "--policy", help="policy name (national, jilin, ningxia) or TOML file (default: the province's default policy)"
    )
    # Parsed as text and checked in _run, so that a bad value is reported like every other input error
    # (field, value, rule; exit status 2) instead of argparse's usage dump.
    run.add_argument(
        "--assumptions",
        metavar="FILE",
        help="economic and claims assumptions: a CSV in the format the run writes (assumptions.csv: a year "
        "column and one column per path) or a TOML file of path and claims names (see Assumptions.from_file)",
    )
    run.add_argument("--start", default=None, help="first projection year (default: base year + 1)")
    run.add_argument("--years", default="30", help="number of years, 1-50 (default 30)")
    run.add_argument(
        "--workbook-rows",
        default="100000",
        help="tables longer than this many rows are left out of projection.xlsx (they are in their CSV); "
        "0: no limit (default 100000)",
    )
    run.add_argument(
        "--out",
        required=True,
        help="output folder: created if absent, refreshed if it holds an "
        "earlier wifund output, refused if it holds other files",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="write into an output folder holding other files (only wifund's file names are written, nothing removed)",
    )
    run.set_defaults(func=_run)
    demo = sub.add_parser("init-demo", help="write the demonstration province as a folder of CSV/TOML files")
    demo.add_argument("dir")
    demo.add_argument(
        "--force",
        action="store_true",
        help="write the province files into a folder that is not empty (only wifund's file names, nothing removed)",
    )
    demo.set_defaults(func=_init_demo)
    budget_cli.add_parser(sub)  # wifund budget draft|monitor|share|assess|audit|report (issue #10)
    _add_simulate(sub)
    program = argv is None  # run as `wifund` / `python -m wifund`, not called from Python
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    args.program = program
    command = "wifund " + shlex.join(argv)
    try:
        with _stop_on_signals(program):
            code = cast(int, args.func(args, command))
        if program and args.func is _run and threading.active_count() == 1:
            _end_run(code)
        return code
    except (OSError, ValueError, KeyError) as exc:
        print(f"wifund: error: {_message(exc)}", file=sys.stderr)
        return 2
    except _Stopped as exc:
        name = signal.Signals(exc.signum).name
        print(
            f"wifund: stopped by {name}; temporary files removed, no output file was left half-written", file=sys.stderr
        )
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("wifund: interrupted; temporary files removed, no output file was left half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
