"""Harness for the bad-input suite (issue #7): every case runs in a forked child process, so a crash
(a segfault, ``std::terminate``, an abort) or a hang is caught and reported as such instead of taking
the test run down.

A case is ``Case(id, fn, exc, needles)``: ``fn()`` must raise ``exc`` (or a subclass) and the message
(``str(exc)``) must contain every string in ``needles`` — the field's name and the bad value, and where
relevant the region / year. Outcomes are classified as

* ``ok``      – the expected exception type, with every needle in the message;
* ``vague``   – the expected type (or another ``Exception``) but a needle is missing, or the wrong type;
* ``silent``  – ``fn()`` returned without raising (the bad value was accepted);
* ``crash``   – the child died (signal, non-zero exit without a report);
* ``hang``    – no answer within the time limit.

Test files define a list of cases and parametrize over it with :func:`check`; the README reports the
number of cases (``tests/python/test_bad_input*.py``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_CTX = mp.get_context("fork")  # fork after the imports: a case costs milliseconds, not an interpreter start


@dataclass(frozen=True)
class Case:
    id: str
    fn: Callable[[], Any]
    exc: type[BaseException] | tuple[type[BaseException], ...] = ValueError
    needles: tuple[str, ...] = field(default_factory=tuple)


def _child(fn: Callable[[], Any], conn: Any) -> None:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - we report whatever was raised
        conn.send(
            (
                "raised",
                type(exc).__module__ + "." + type(exc).__qualname__,
                str(exc),
                [c.__name__ for c in type(exc).__mro__],
                traceback.format_exc(),
            )
        )
    else:
        conn.send(("returned", "", "", [], ""))
    finally:
        conn.close()
        os._exit(0)


def run_case(case: Case, timeout: float = 60.0) -> tuple[str, str]:
    """Runs one case in a forked child; returns (outcome, detail)."""
    parent, child = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(case.fn, child))
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        return "hang", f"no answer in {timeout:.0f} s"
    try:
        status, qualname, message, mro, tb = parent.recv()
    except EOFError:
        proc.join()
        return "crash", f"child died with exit code {proc.exitcode}"
    proc.join()
    if status == "returned":
        return "silent", "no exception raised"
    wanted = case.exc if isinstance(case.exc, tuple) else (case.exc,)
    if not any(w.__name__ in mro for w in wanted):
        return "vague", f"raised {qualname} instead of {[w.__name__ for w in wanted]}: {message}\n{tb}"
    missing = [n for n in case.needles if n not in message]
    if missing:
        return "vague", f"message lacks {missing}: {message!r}"
    return "ok", message


def check(case: Case, timeout: float = 60.0) -> None:
    """Asserts that the case is handled: the right exception type and a message naming its needles."""
    outcome, detail = run_case(case, timeout)
    assert outcome == "ok", f"{case.id}: {outcome}: {detail}"
