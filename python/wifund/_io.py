"""The one output layer every wifund writer goes through: it never deletes or overwrites what wifund did not write.

Folders (:func:`write_outputs`, used by ``wifund run``, ``Projection.to_csv``, ``Province.to_dir`` and
``wifund init-demo``) follow these rules:

* An absent folder is created. An empty folder is used as it is.
* A folder holding an earlier wifund output is refreshed in place. It is recognised by its manifest,
  ``wifund-manifest.json``, which lists every file wifund wrote there with its sha256 and size (and the
  wifund version, the command, the time and the inputs). Only files named in the manifest whose content
  is still what wifund wrote are replaced; a manifest file that this run no longer writes is removed
  only under the same condition.
* A folder holding anything else — a file not in the manifest, a file in the manifest that was changed
  since wifund wrote it, a sub-folder, a symbolic link — is refused (:class:`OutputExistsError`, which is
  a ``FileExistsError``) and the message names what is there. With ``force=True`` the files are
  written anyway, but only under wifund's own file names, and nothing else is removed.
* A path that exists and is not a folder (a regular file, ``/dev/null`` or another device, a FIFO, a
  socket, a broken symbolic link) is refused and left untouched (:class:`OutputPathError`).
* An output folder equal to or inside an input folder, or containing one, is refused; so is a run whose
  output file would be one of its input files.

Every file is written to a temporary sibling in the target folder (``.wifund-tmp-<pid>-<random>-<name>``),
flushed to disk, and only when *all* files of the run are written are they renamed into place one by one;
the manifest is written last. Before the renames a manifest in state ``"switching"`` is written that
lists, for every file, both the new and the previous content hash. So, whatever moment a run is killed:

* before the switch (all the time spent computing and writing): the previous output is complete and
  untouched — the folder holds it plus, after SIGKILL, temporary files;
* after the switch: the new output is complete;
* during the switch (a loop of renames lasting a few milliseconds, during which SIGTERM, SIGHUP and
  SIGINT are held back): every file is complete and is either the previous or the new version, and the
  manifest (state ``"switching"``) says which versions may be present, so the folder is still recognised
  as wifund's and the next run refreshes it without ``force``.

The previous output never exists only under a hidden name. A writer holds an exclusive lock
(``flock``) on the folder it writes in, so any ``.wifund-tmp-*`` file found by a writer holding the lock
was left by a killed run (SIGKILL, SIGTERM, SIGHUP, power loss) and is removed.

A lone file (:func:`write_file`, used by ``Projection.to_excel`` and ``Projection.report``) is written to
a temporary sibling and renamed. An existing file at that path is replaced only if it is a regular file
that wifund wrote and nobody saved since — recognised by a mark inside the file (the workbook's document
properties, the HTML report's ``<meta name="generator">``) — or if ``overwrite=True``; a folder, a
device, a FIFO or a symbolic link at that path is always refused.

Operating-system errors (disk full, read-only folder, permission denied, ...) are raised as
:class:`OutputError` (an ``OSError``) with a one-line message naming the path; the previous output is
intact because nothing was renamed yet.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno as _errno
import hashlib
import json
import os
import secrets
import signal
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

MANIFEST = "wifund-manifest.json"
TMP_PREFIX = ".wifund-tmp-"
MANIFEST_FORMAT = 1

#: A writer receives a binary file opened for writing (seekable) and writes one output file into it.
Writer = Callable[[IO[bytes]], object]  # the result (e.g. a byte count) is ignored

_MAX_LISTED = 5  # names shown in a refusal message before "…"


class OutputError(OSError):
    """An output could not be written, or was refused to protect existing files. ``str()`` is one line
    naming the path; ``filename`` is that path."""

    def __init__(self, message: str, path: str | Path | None = None, errno: int | None = None):
        super().__init__(message)
        self.message = message
        # Set after construction so that ``str()`` stays the message (OSError formats errno/filename).
        self.errno = errno
        self.filename = None if path is None else str(path)

    def __str__(self) -> str:
        return self.message


class OutputExistsError(OutputError, FileExistsError):
    """The output path holds files wifund did not write (refused unless ``force``/``overwrite``)."""


class OutputPathError(OutputError):
    """The output path cannot be an output: not a folder (or not a regular file), or overlapping an input."""


# ---------------------------------------------------------------------------------------------- helpers
def _version() -> str:
    from . import __version__

    return __version__


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a folder"


def _os_error(exc: OSError, path: Path, after: str = "") -> OutputError:
    """An operating-system error as one line naming ``path`` (the errno is kept for callers)."""
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot write {path}: {reason}{after}", path, exc.errno)


def _inside(a: Path, b: Path) -> bool:
    """Whether ``a`` is ``b`` or inside it (both resolved)."""
    return a == b or b in a.parents


_our_temps: set[str] = set()  # temporaries of this process still in use (never swept)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder``: one wifund writer per folder at a time. The lock dies with
    the process, even under SIGKILL, so it cannot go stale."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, stale temporaries are still swept by age
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"another wifund process is writing to {folder}; wait for it to finish and try again",
                folder,
                _errno.EBUSY,
            ) from None
        except OSError:  # a file system without flock (some network mounts): carry on unlocked
            pass
        yield
    finally:
        os.close(fd)


def _sweep_temporaries(folder: Path) -> list[str]:
    """Removes ``.wifund-tmp-*`` files in ``folder`` left by killed runs (called with the lock held, so no
    other wifund process is using them). Only regular files with our prefix are touched."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not entry.name.startswith(TMP_PREFIX) or str(Path(folder, entry.name)) in _our_temps:
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed


def _write_temp(folder: Path, name: str, writer: Writer, shown: Path) -> tuple[Path, str, int]:
    """Writes one file to a fresh temporary in ``folder``, flushed to disk; returns (path, sha256, size)."""
    tmp = folder / f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{name}"
    _our_temps.add(str(tmp))
    try:
        # O_EXCL: never follow or reuse anything already there; 0o666 & umask: an ordinary file.
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        with open(fd, "w+b") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
            fh.seek(0)
            h = hashlib.sha256()
            size = 0
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
                size += len(block)
        return tmp, h.hexdigest(), size
    except OSError as exc:
        _discard(tmp)
        if isinstance(exc, OutputError):
            raise
        raise _os_error(exc, shown, f"; nothing in {folder} was changed") from exc
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    _our_temps.discard(str(tmp))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Holds back SIGTERM, SIGHUP and SIGINT while files are renamed into place (a few milliseconds), so
    that a polite kill never lands in the middle of the switch; they are delivered right after."""
    sigs = {getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask") or not sigs:  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _check_name(name: str) -> None:
    if not name or name != Path(name).name or name.startswith(".") or name == MANIFEST:
        raise ValueError(f"invalid output file name {name!r}")


# --------------------------------------------------------------------------------------------- manifest
def describe_inputs(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Inputs as recorded in a manifest: each path, with the sha256 of a file or of each file directly
    inside a folder."""
    out = []
    for p in paths:
        path = Path(p).resolve()
        item: dict[str, Any] = {"path": str(path)}
        with contextlib.suppress(OSError):
            if path.is_file():
                item["sha256"] = sha256_file(path)
            elif path.is_dir():
                item["files"] = {
                    f.name: sha256_file(f) for f in sorted(path.iterdir()) if f.is_file() and not f.name.startswith(".")
                }
        out.append(item)
    return out


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The wifund manifest of ``folder``: None if there is none; ``ValueError`` if the file is not one."""
    path = Path(folder) / MANIFEST
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"{path} is {_kind(st.st_mode)}, not a wifund manifest")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a wifund manifest ({exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != MANIFEST_FORMAT
        or not isinstance(data.get("files"), dict)
        or not isinstance(data.get("previous", {}), dict)
    ):
        raise ValueError(f"{path} is not a wifund manifest (format {MANIFEST_FORMAT} with a 'files' table)")
    for table in (data["files"], data.get("previous", {})):
        for name, entry in table.items():
            # A crafted manifest must not make wifund replace or remove anything outside the folder.
            if (
                not isinstance(name, str)
                or name != Path(name).name
                or name.startswith(".")
                or not isinstance(entry, dict)
                or not isinstance(entry.get("sha256"), str)
            ):
                raise ValueError(f"{path} is not a wifund manifest (bad entry {name!r})")
    return data


def _manifest_writer(data: dict[str, Any]) -> Writer:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return lambda fh: fh.write(text.encode("utf-8"))


def _versions(manifest: dict[str, Any] | None) -> dict[str, set[tuple[str, int | None]]]:
    """name → the (sha256, size) contents wifund wrote under that name (both sides of a switch)."""
    out: dict[str, set[tuple[str, int | None]]] = {}
    if manifest:
        for table in (manifest["files"], manifest.get("previous", {})):
            for name, e in table.items():
                out.setdefault(name, set()).add((e["sha256"], e.get("size")))
    return out


def _matches(path: Path, versions: set[tuple[str, int | None]], st: os.stat_result) -> str | None:
    """The sha256 of ``path`` if it is one of the versions wifund wrote, else None."""
    if not any(size is None or size == st.st_size for _, size in versions):
        return None  # cheap test first: the size differs from every version wifund wrote
    try:
        digest = sha256_file(path)
    except OSError:
        return None
    return digest if any(digest == h for h, _ in versions) else None


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


# -------------------------------------------------------------------------------------------- folders
class OutputFolder:
    """A folder that wifund writes results into, following the rules in the module docstring.

    Parameters
    ----------
    path
        The output folder (created if absent).
    command
        What wrote it, recorded in the manifest (e.g. ``"wifund run --years 5 --out out"``).
    inputs
        Input files and folders recorded in the manifest (with their hashes).
    input_dirs
        Input folders the output must not overlap (equal, inside, or containing).
    input_files
        Input files that no output file may be.
    force
        Write into a folder holding other files; only wifund's file names are written, nothing else is
        removed.
    refresh
        Whether an earlier wifund output may be refreshed without ``force``. ``Province.to_dir`` passes
        False: a province folder is there to be edited, so an existing one is rewritten only on request.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        command: str,
        inputs: Iterable[str | Path] = (),
        input_dirs: Iterable[str | Path] = (),
        input_files: Iterable[str | Path] = (),
        force: bool = False,
        refresh: bool = True,
    ):
        self.path = Path(path)
        self.command = command
        self.inputs = list(inputs)
        self.input_dirs = [Path(p) for p in input_dirs]
        self.input_files = [Path(p) for p in input_files]
        self.force = force
        self.refresh = refresh

    # ----------------------------------------------------------------- checks
    @property
    def _shown(self) -> str:
        """The path as given, with the absolute path when it is only dots (``--out .``)."""
        return f"{self.path} ({self.path.resolve()})" if self.path.name in ("", ".", "..") else str(self.path)

    def _target(self) -> Path:
        """The folder, resolved; refuses a path that exists and is not a folder (never touching it)."""
        try:
            st = os.stat(self.path)  # follows a symbolic link to a folder
        except FileNotFoundError:
            if os.path.lexists(self.path):
                raise OutputPathError(
                    f"output folder {self.path} is a symbolic link to nothing; remove it or choose another folder",
                    self.path,
                    _errno.ENOENT,
                ) from None
            st = None
        except OSError as exc:
            raise OutputError(f"cannot use output folder {self.path}: {exc.strerror}", self.path, exc.errno) from None
        if st is not None and not stat.S_ISDIR(st.st_mode):
            raise OutputPathError(
                f"output path {self._shown} is {_kind(st.st_mode)}, not a folder; wifund "
                f"writes its results into a folder, so choose a folder name that does not "
                f"exist yet (it is left untouched)",
                self.path,
                _errno.ENOTDIR,
            )
        target = self.path.resolve()
        for inp in self.input_dirs:
            src = inp.resolve()
            if _inside(target, src):
                raise OutputPathError(
                    f"output folder {self._shown} is {'the' if target == src else 'inside the'} "
                    f"input folder {inp}; choose an output folder outside it",
                    self.path,
                )
            if _inside(src, target):
                raise OutputPathError(
                    f"output folder {self._shown} contains the input folder {inp}; choose an "
                    f"output folder that does not hold the inputs",
                    self.path,
                )
        return target

    def _survey(self, target: Path, names: Iterable[str]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """Reads the manifest and classifies what is in ``target``; refuses unless allowed. Returns the
        manifest and, for the files in it that are still as wifund wrote them, their version on disk."""
        names = set(names)
        for f in self.input_files:
            with contextlib.suppress(OSError):
                if f.resolve().parent == target and f.name in names | {MANIFEST}:
                    raise OutputPathError(
                        f"output file {target / f.name} would overwrite the input {f}; choose another output folder",
                        target / f.name,
                    )
        try:
            entries = list(os.scandir(target))
        except FileNotFoundError:
            return None, {}
        except OSError as exc:
            raise OutputError(f"cannot read output folder {target}: {exc.strerror}", target, exc.errno) from None
        try:
            manifest = read_manifest(target)
        except ValueError as exc:
            manifest = None
            bad_manifest = str(exc)
        else:
            bad_manifest = ""
        versions = _versions(manifest)
        ours: dict[str, dict[str, Any]] = {}  # name → the version on disk, one wifund wrote
        foreign: list[str] = []
        changed: list[str] = []
        for e in sorted(entries, key=lambda e: e.name):
            if e.name.startswith(TMP_PREFIX):
                continue  # ours, from a killed run: swept under the lock
            if e.name == MANIFEST:
                if bad_manifest:
                    foreign.append(e.name)
                continue
            try:
                st = os.lstat(e.path)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                foreign.append(e.name + "/")
            elif e.name in versions and stat.S_ISREG(st.st_mode):
                digest = _matches(Path(e.path), versions[e.name], st)
                if digest:
                    ours[e.name] = {"sha256": digest, "size": st.st_size}
                else:
                    changed.append(e.name)
            else:
                foreign.append(e.name)
        if self.force:
            return manifest, ours
        if not self.refresh and (ours or foreign or changed or manifest is not None):
            raise OutputExistsError(
                f"{self._shown} already exists and is not empty; choose a new folder, or "
                f"pass --force (Python: overwrite=True) to rewrite wifund's files in it (nothing "
                f"else there is touched)",
                self.path,
                _errno.EEXIST,
            )
        if bad_manifest:
            raise OutputExistsError(
                f"output folder {self._shown} has a {MANIFEST} that is not a valid wifund "
                f"manifest, so wifund cannot tell its files from others; choose an empty or "
                f"new folder, or pass --force (Python: force=True) to write only wifund's "
                f"files there",
                self.path,
                _errno.EEXIST,
            )
        if foreign or changed:
            parts = []
            if foreign:
                parts.append(f"files wifund did not write ({_listing(foreign)})")
            if changed:
                parts.append(f"files changed since wifund wrote them ({_listing(changed)})")
            raise OutputExistsError(
                f"output folder {self._shown} holds {' and '.join(parts)}; choose an empty or "
                f"new folder, or pass --force (Python: force=True) to write only wifund's files "
                f"there",
                self.path,
                _errno.EEXIST,
            )
        return manifest, ours

    def check(self, names: Iterable[str]) -> Path:
        """Raises if writing ``names`` here would be refused (nothing is created or changed); returns the
        resolved folder. Lets a command fail before a long computation; :meth:`write` checks again."""
        target = self._target()
        self._survey(target, names)
        return target

    # ----------------------------------------------------------------- write
    def write(self, files: Mapping[str, Writer]) -> Path:
        """Writes ``files`` (name → writer) and the manifest; returns the folder (as given)."""
        for name in files:
            _check_name(name)
        target = self._target()
        self._survey(target, files)  # refuse before creating anything
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create output folder {target}: {exc.strerror}", target, exc.errno) from None
        temps: dict[str, tuple[Path, str, int]] = {}
        try:
            with _locked(target):
                _sweep_temporaries(target)
                manifest, ours = self._survey(target, files)  # again, now that no one else writes here
                for name, writer in files.items():
                    temps[name] = _write_temp(target, name, writer, target / name)
                self._switch(target, temps, manifest, ours)
        finally:
            for tmp, _, _ in temps.values():
                if tmp.exists():
                    _discard(tmp)
                _our_temps.discard(str(tmp))
        return self.path

    def _manifest(
        self, files: dict[str, dict[str, Any]], state: str, previous: dict[str, dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "written_by": "wifund",
            "wifund_version": _version(),
            "command": self.command,
            "written_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "state": state,
            "inputs": describe_inputs(self.inputs),
            "files": files,
        }
        if previous:
            data["previous"] = previous
        return data

    def _switch(
        self,
        target: Path,
        temps: dict[str, tuple[Path, str, int]],
        manifest: dict[str, Any] | None,
        ours: dict[str, dict[str, Any]],
    ) -> None:
        new = {name: {"sha256": h, "size": size} for name, (_, h, size) in temps.items()}
        # Files of the earlier output, still as wifund wrote them, that this run does not write: removed,
        # so the folder is exactly this run's output (a stale table from an earlier run would mislead).
        stale = sorted(n for n in ours if n not in new)
        previous = dict(ours)  # the versions on disk now: what a kill during the switch may leave
        with _signals_held():
            current = target / MANIFEST
            try:
                # Written before any rename (also for a first write, so that files renamed before a kill
                # are still recognised): whatever mix of versions a kill leaves is described here.
                self._write_manifest(target, self._manifest(new, "switching", previous))
                for name, (tmp, _, _) in temps.items():
                    os.replace(tmp, target / name)
                    _our_temps.discard(str(tmp))
                for name in stale:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(target / name)
                self._write_manifest(target, self._manifest(new, "complete"))
            except OutputError:
                raise
            except OSError as exc:
                raise _os_error(exc, current, "; run again to finish refreshing the folder") from exc
            _fsync_dir(target)

    def _write_manifest(self, target: Path, data: dict[str, Any]) -> None:
        _replace_manifest(target, data)


def _replace_manifest(folder: Path, data: dict[str, Any]) -> None:
    tmp, _, _ = _write_temp(folder, MANIFEST, _manifest_writer(data), folder / MANIFEST)
    try:
        os.replace(tmp, folder / MANIFEST)
    finally:
        _discard(tmp)


def write_outputs(
    path: str | Path,
    files: Mapping[str, Writer],
    *,
    command: str,
    inputs: Iterable[str | Path] = (),
    input_dirs: Iterable[str | Path] = (),
    input_files: Iterable[str | Path] = (),
    force: bool = False,
    refresh: bool = True,
) -> Path:
    """Writes ``files`` (name → writer of a binary file) into the folder ``path`` with a manifest, under the
    rules of this module. See :class:`OutputFolder` for the parameters."""
    return OutputFolder(
        path,
        command=command,
        inputs=inputs,
        input_dirs=input_dirs,
        input_files=input_files,
        force=force,
        refresh=refresh,
    ).write(files)


# ------------------------------------------------------------------------------------------ lone files
def write_file(
    path: str | Path, writer: Writer, *, is_ours: Callable[[Path], bool], what: str, overwrite: bool = False
) -> Path:
    """Writes one file at ``path`` through a temporary sibling and a rename.

    An existing regular file is replaced only if ``is_ours(path)`` (wifund's mark is inside it) or
    ``overwrite``; anything else at ``path`` (a folder, device, FIFO, socket, symbolic link) is refused and
    left untouched. If the folder holds a wifund manifest listing this file name, its entry is updated so
    the folder stays recognised as wifund's.
    """
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot use output file {target}: {exc.strerror}", target, exc.errno) from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise OutputPathError(
                f"output path {target} is {_kind(st.st_mode)}, not a regular file; it is left "
                f"untouched, choose another file name",
                target,
                _errno.EEXIST,
            )
        if not overwrite and not is_ours(target):
            raise OutputExistsError(
                f"{target} exists and is not a {what} written by wifund (or was saved since); "
                f"choose another file name, or pass overwrite=True to replace it",
                target,
                _errno.EEXIST,
            )
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {exc.strerror}", folder, exc.errno) from None
    tmp = None
    try:
        with _locked(folder):
            _sweep_temporaries(folder)
            tmp, digest, size = _write_temp(folder, target.name, writer, target)
            try:
                manifest = read_manifest(folder)
            except ValueError:
                manifest = None
            try:
                os.replace(tmp, target)
                _our_temps.discard(str(tmp))
                if manifest is not None and target.name in manifest["files"]:
                    manifest["files"][target.name] = {"sha256": digest, "size": size}
                    _replace_manifest(folder, manifest)
            except OutputError:
                raise
            except OSError as exc:
                raise _os_error(exc, target) from exc
    finally:
        if tmp is not None and tmp.exists():
            _discard(tmp)
    return target


def has_marker(path: Path, marker: bytes, limit: int = 4096) -> bool:
    """Whether the first ``limit`` bytes of ``path`` contain ``marker``."""
    try:
        with open(path, "rb") as fh:
            return marker in fh.read(limit)
    except OSError:
        return False
