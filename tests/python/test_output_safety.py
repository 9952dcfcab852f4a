"""Output safety (issue #7 item 1): writing results never deletes or overwrites what wifund did not write.

The data-loss cases of the issue (``--out .``, ``--out`` the province folder, ``proj.to_csv(".")``) are
tests here, with refreshing an earlier output, ``--force``, paths that are not folders, operating-system
errors as one line and exit status 2, and Excel's row limit. Kills are in test_output_kill.py.
"""

import errno
import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import wifund
from wifund import _io
from wifund import report as report_mod
from wifund.cli import main


def tree(folder):
    """Every file and folder under ``folder`` → sha256 (files) or "dir"; symbolic links by target."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder) + "/"] = "dir"
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, folder)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return out


def temporaries(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(_io.TMP_PREFIX)]


def manifest_matches(folder):
    """The manifest is complete and every file it lists is there with the hash and size it records."""
    m = json.loads((folder / _io.MANIFEST).read_text())
    assert m["state"] == "complete" and m["wifund_version"] == wifund.__version__
    for name, e in m["files"].items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"] and len(data) == e["size"], name
    return m


def cli(capsys, *args):
    rc = main([str(a) for a in args])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def one_line_error(err, *needles):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wifund: error: "), err
    assert "Traceback" not in err
    for n in needles:
        assert str(n) in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture()
def user_project(tmp_path, monkeypatch):
    """A project folder as a new user has it: notes and a data folder; the current directory."""
    (tmp_path / "notes.txt").write_text("my notes\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "claims.csv").write_text("a,b\n1,2\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture()
def earlier(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(capsys, "run", "--years", "3", "--out", out)[0] == 0
    return out


# ----------------------------------------------------------------------------- the data-loss cases
def test_out_dot_with_user_files_refuses_and_removes_nothing(user_project, capsys):
    before = tree(user_project)
    rc, out, err = cli(capsys, "run", "--years", "3", "--out", ".")
    assert rc == 2
    one_line_error(err, "notes.txt", "data/", "--force", str(user_project))
    assert tree(user_project) == before  # nothing removed, nothing added


def test_out_equal_to_or_inside_the_province_folder_refuses(tmp_path, capsys):
    prov = tmp_path / "P"
    assert cli(capsys, "init-demo", prov)[0] == 0
    before = tree(prov)
    for out in (prov, prov / "sub", prov / "sub" / "deeper"):
        rc, _, err = cli(capsys, "run", "--province", prov, "--out", out)
        assert rc == 2
        one_line_error(err, str(out), "input folder")
        assert tree(prov) == before
    # the province inside the output folder is refused too (even with --force)
    rc, _, err = cli(capsys, "run", "--province", prov, "--out", tmp_path, "--force")
    assert rc == 2
    one_line_error(err, "contains the input folder")
    assert tree(prov) == before


def test_earlier_output_is_refreshed_in_place(earlier, capsys):
    m1 = manifest_matches(earlier)
    inode = earlier.stat().st_ino
    fund1 = (earlier / "fund.csv").read_bytes()
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    assert rc == 0, err
    m2 = manifest_matches(earlier)
    assert earlier.stat().st_ino == inode  # the same folder, refreshed, not replaced
    assert (earlier / "fund.csv").read_bytes() != fund1 and m2["files"]["fund.csv"] != m1["files"]["fund.csv"]
    assert len(pd.read_csv(earlier / "fund.csv")) == 4
    assert set(m2["files"]) == set(report_mod.RUN_FILES)
    assert {p.name for p in earlier.iterdir()} == set(report_mod.RUN_FILES) | {_io.MANIFEST}
    assert m2["command"] == f"wifund run --years 4 --out {earlier}"


def test_force_writes_only_wifunds_files(user_project, capsys):
    before = tree(user_project)
    rc, _, err = cli(capsys, "run", "--years", "3", "--out", ".", "--force")
    assert rc == 0, err
    after = tree(user_project)
    assert {k: v for k, v in after.items() if k in before} == before  # user files untouched
    assert set(after) - set(before) == set(report_mod.RUN_FILES) | {_io.MANIFEST}
    m = manifest_matches(user_project)
    assert set(m["files"]) == set(report_mod.RUN_FILES)  # the user's files are not claimed
    # again with --force: refreshed; the user's files still untouched
    assert cli(capsys, "run", "--years", "4", "--out", ".", "--force")[0] == 0
    assert {k: v for k, v in tree(user_project).items() if k in before} == before
    # without --force the folder still holds the user's files: refused
    rc, _, err = cli(capsys, "run", "--years", "3", "--out", ".")
    assert rc == 2 and "notes.txt" in err


def test_user_file_added_to_an_output_folder_is_named_and_kept(earlier, capsys):
    (earlier / "my-chart.png").write_bytes(b"\x89PNG user")
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    assert rc == 2
    one_line_error(err, "my-chart.png", "did not write")
    assert len(pd.read_csv(earlier / "fund.csv")) == 3  # previous output intact
    assert cli(capsys, "run", "--years", "4", "--out", earlier, "--force")[0] == 0
    assert (earlier / "my-chart.png").read_bytes() == b"\x89PNG user"
    assert len(pd.read_csv(earlier / "fund.csv")) == 4


def test_output_file_changed_by_the_user_is_not_overwritten(earlier, capsys):
    (earlier / "fund.csv").write_text("year,mine\n2025,1\n")
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    assert rc == 2
    one_line_error(err, "fund.csv", "changed since wifund wrote")
    assert (earlier / "fund.csv").read_text() == "year,mine\n2025,1\n"
    assert cli(capsys, "run", "--years", "4", "--out", earlier, "--force")[0] == 0  # --force: wifund's names
    manifest_matches(earlier)


def test_files_of_the_earlier_output_no_longer_written_are_removed_only_if_unchanged(earlier, demo_projection):
    (earlier / "report.html").write_text("<p>edited</p>")  # changed by the user: never removed
    with pytest.raises(FileExistsError, match="report.html"):
        demo_projection.to_csv(earlier)
    demo_projection.to_csv(earlier, force=True)
    names = {p.name for p in earlier.iterdir()}
    assert "projection.xlsx" not in names  # wifund's, unchanged, not written by to_csv: removed
    assert (earlier / "report.html").read_text() == "<p>edited</p>"
    m = manifest_matches(earlier)
    assert set(m["files"]) == {f"{n}.csv" for n in report_mod.TABLE_NAMES}


# ---------------------------------------------------------------------------- paths that are not folders
@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_dev_null_is_refused_and_stays_a_device(capsys):
    rc, _, err = cli(capsys, "run", "--years", "3", "--out", "/dev/null")
    assert rc == 2
    one_line_error(err, "/dev/null", "character device")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_fifo_regular_file_and_links_are_refused_untouched(tmp_path, capsys, demo_projection):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    file = tmp_path / "results"
    file.write_text("precious\n")
    link = tmp_path / "link"
    link.symlink_to(file)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for path, kind in ((fifo, "FIFO"), (file, "regular file"), (link, "regular file"), (dangling, "symbolic")):
        rc, _, err = cli(capsys, "run", "--years", "3", "--out", path, "--force")
        assert rc == 2
        one_line_error(err, str(path), kind)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and file.read_text() == "precious\n"
    assert os.readlink(link) == str(file) and not (tmp_path / "nowhere").exists()
    for writer in (demo_projection.to_excel, demo_projection.report):
        for path in (fifo, link, tmp_path):  # a FIFO, a symbolic link, a folder: refused even with overwrite
            with pytest.raises(_io.OutputPathError):
                writer(path, overwrite=True)
    with pytest.raises(_io.OutputPathError, match="regular file"):
        demo_projection.to_csv(file, force=True)
    assert file.read_text() == "precious\n" and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "fifo", "link", "results"]


# ------------------------------------------------------------------------------------- the Python writers
def test_to_csv_dot_keeps_the_notebook(tmp_path, monkeypatch, demo_projection):
    monkeypatch.chdir(tmp_path)
    nb = tmp_path / "analysis.ipynb"
    nb.write_text('{"cells": []}')
    with pytest.raises(FileExistsError, match="analysis.ipynb"):
        demo_projection.to_csv(".")
    assert [p.name for p in tmp_path.iterdir()] == ["analysis.ipynb"]
    demo_projection.to_csv(".", force=True)
    assert nb.read_text() == '{"cells": []}'
    assert (tmp_path / "fund.csv").exists() and manifest_matches(tmp_path)


def test_to_csv_refreshes_its_own_folder(tmp_path, demo_projection):
    out = tmp_path / "csv"
    demo_projection.to_csv(out)
    demo_projection.to_csv(out)  # again: its own folder, no force needed
    assert {p.name for p in out.iterdir()} == {f"{n}.csv" for n in report_mod.TABLE_NAMES} | {_io.MANIFEST}


def test_lone_files_overwrite_only_wifunds_own(tmp_path, demo_projection):
    user_xlsx = tmp_path / "book.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(user_xlsx, index=False)  # a workbook wifund did not write
    before = user_xlsx.read_bytes()
    with pytest.raises(FileExistsError, match="book.xlsx"):
        demo_projection.to_excel(user_xlsx)
    assert user_xlsx.read_bytes() == before
    user_html = tmp_path / "page.html"
    user_html.write_text("<html>mine</html>")
    with pytest.raises(FileExistsError, match="page.html"):
        demo_projection.report(user_html)
    assert user_html.read_text() == "<html>mine</html>"
    # wifund's own files are replaced without asking; anything else only with overwrite=True
    ours = demo_projection.to_excel(tmp_path / "p.xlsx")
    demo_projection.to_excel(ours)
    core = zipfile.ZipFile(ours).read("docProps/core.xml")
    assert b"<dc:creator>wifund</dc:creator>" in core and b"<cp:lastModifiedBy>wifund</cp:lastModifiedBy>" in core
    rep = demo_projection.report(tmp_path / "r.html")
    demo_projection.report(rep)
    assert f'<meta name="generator" content="wifund {wifund.__version__}">' in rep.read_text()
    demo_projection.to_excel(user_xlsx, overwrite=True)
    assert pd.read_excel(user_xlsx, sheet_name="fund", header=1).shape[0] == len(demo_projection.fund)
    assert not temporaries(tmp_path)


def test_lone_file_written_into_an_output_folder_keeps_it_recognised(earlier, capsys, demo_projection):
    demo_projection.report(earlier / "report.html")  # listed in the manifest: its entry is updated
    manifest_matches(earlier)
    assert cli(capsys, "run", "--years", "3", "--out", earlier)[0] == 0


def test_province_to_dir_and_init_demo(tmp_path, capsys, demo):
    prov = tmp_path / "prov"
    assert cli(capsys, "init-demo", prov)[0] == 0
    m = manifest_matches(prov)
    assert {"province.toml", "cities.csv", "insured.csv", "beneficiaries.csv"} <= set(m["files"])
    wifund.Province.from_dir(prov)  # the manifest does not disturb reading
    (prov / "insured.csv").write_text((prov / "insured.csv").read_text())  # unchanged content
    (prov / "my-notes.md").write_text("edits to come")
    rc, _, err = cli(capsys, "init-demo", prov)  # not empty: refused (a province folder is for editing)
    assert rc == 2 and "already exists" in err
    assert cli(capsys, "init-demo", prov, "--force")[0] == 0
    assert (prov / "my-notes.md").read_text() == "edits to come"
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_text("k")
    demo.to_dir(here, overwrite=True)
    assert (here / "keep.txt").read_text() == "k" and (here / "province.toml").exists()
    with pytest.raises(_io.OutputPathError):
        demo.to_dir(here / "keep.txt", overwrite=True)


def test_a_crafted_manifest_cannot_point_outside_the_folder(earlier, capsys):
    victim = earlier.parent / "victim.txt"
    victim.write_text("v")
    m = json.loads((earlier / _io.MANIFEST).read_text())
    m["files"]["../victim.txt"] = {"sha256": hashlib.sha256(b"v").hexdigest(), "size": 1}
    (earlier / _io.MANIFEST).write_text(json.dumps(m))
    rc, _, err = cli(capsys, "run", "--years", "3", "--out", earlier)
    assert rc == 2
    one_line_error(err, _io.MANIFEST, "not a valid wifund manifest")  # so the folder is not wifund's
    assert victim.read_text() == "v"


def test_manifest_records_version_command_inputs_and_hashes(tmp_path, capsys):
    policy = tmp_path / "reform.toml"
    policy.write_text('[policy]\nname = "reform"\ninherits = "jilin"\n')
    prov = tmp_path / "P"
    assert cli(capsys, "init-demo", prov)[0] == 0
    out = tmp_path / "out"
    rc, _, err = cli(capsys, "run", "--province", prov, "--policy", policy, "--years", "2", "--out", out)
    assert rc == 0, err
    m = manifest_matches(out)
    assert m["command"].startswith("wifund run --province")
    inputs = {i["path"]: i for i in m["inputs"]}
    assert inputs[str(policy.resolve())]["sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    assert (
        inputs[str(prov.resolve())]["files"]["insured.csv"]
        == hashlib.sha256((prov / "insured.csv").read_bytes()).hexdigest()
    )


# ------------------------------------------------------------------------- operating-system errors, exit 2
def test_disk_full_mid_run_is_one_line_and_keeps_the_previous_output(earlier, capsys, monkeypatch):
    before = tree(earlier)

    def full(proj, fh, *_):  # the workbook is written after the CSVs: the disk fills up there
        fh.write(b"PK partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(report_mod, "_write_excel_into", full)
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    assert rc == 2
    one_line_error(err, str(earlier.resolve() / "projection.xlsx"), "No space left on device")
    assert tree(earlier) == before and not temporaries(earlier)


def test_read_only_folder_is_one_line_and_keeps_the_previous_output(earlier, capsys, monkeypatch):
    before = tree(earlier)
    real_open = os.open

    def read_only(path, flags, *a, **k):  # as on a read-only mount (chmod does not stop root)
        if _io.TMP_PREFIX in os.fspath(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", read_only)
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    monkeypatch.undo()
    assert rc == 2
    one_line_error(err, str(earlier.resolve()), "Read-only file system")
    assert tree(earlier) == before


def test_failure_during_the_switch_is_one_line(earlier, capsys, monkeypatch):
    real_replace = os.replace

    def denied(src, dst):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(src))

    before = tree(earlier)
    monkeypatch.setattr(os, "replace", denied)
    rc, _, err = cli(capsys, "run", "--years", "4", "--out", earlier)
    monkeypatch.setattr(os, "replace", real_replace)
    assert rc == 2
    one_line_error(err, str(earlier.resolve()), "Permission denied")
    assert tree(earlier) == before  # the first rename (the switching manifest) failed: nothing changed


def test_cannot_create_the_output_folder(tmp_path, capsys, monkeypatch):
    def denied(self, *a, **k):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(type(tmp_path), "mkdir", denied)
    rc, _, err = cli(capsys, "run", "--years", "2", "--out", tmp_path / "new")
    monkeypatch.undo()
    assert rc == 2
    one_line_error(err, str(tmp_path / "new"), "Permission denied")


def test_policy_pointing_at_a_folder_is_one_line(tmp_path, capsys):
    rc, _, err = cli(capsys, "run", "--policy", tmp_path, "--out", tmp_path / "o")
    assert rc == 2
    one_line_error(err, f"--policy {tmp_path} is a folder")
    assert not (tmp_path / "o").exists()


def test_other_os_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "unreadable.toml"
    bad.mkdir()  # not caught by the --policy folder check: a folder named like a file inside the chain
    (tmp_path / "p.toml").write_text(f'[policy]\nname = "p"\ninherits = "{bad}"\n')
    rc, _, err = cli(capsys, "run", "--policy", tmp_path / "p.toml", "--out", tmp_path / "o")
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# ----------------------------------------------------------------------------- temporaries of killed runs
def test_stale_temporaries_of_a_killed_run_are_removed(earlier, capsys, demo_projection):
    stale = [
        earlier / f"{_io.TMP_PREFIX}999999-0a1b2c3d-fund.csv",
        earlier / f"{_io.TMP_PREFIX}999999-0a1b2c3d-{_io.MANIFEST}",
    ]
    for p in stale:
        p.write_text("half")
    keep = earlier.parent / ".wifund-tmpnot-ours"  # only our exact prefix is ever removed
    keep.write_text("x")
    assert cli(capsys, "run", "--years", "3", "--out", earlier)[0] == 0
    assert not temporaries(earlier) and keep.exists()
    manifest_matches(earlier)
    lone = earlier.parent / f"{_io.TMP_PREFIX}999999-0a1b2c3d-r.html"
    lone.write_text("half")
    demo_projection.report(earlier.parent / "r.html")  # a lone-file writer sweeps its folder too
    assert not lone.exists() and keep.exists()


# ------------------------------------------------------------------------------------------ Excel limits
def test_table_longer_than_an_excel_sheet_is_split(tmp_path, monkeypatch, demo_projection):
    monkeypatch.setattr(report_mod, "EXCEL_MAX_ROWS", 2000)  # by_city: 5,400 rows for 30 years of the demo
    out = tmp_path / "out"
    report_mod.write_run(demo_projection, out)
    book = pd.read_excel(out / "projection.xlsx", sheet_name=None, header=1)  # row 1: names and units
    parts = [n for n in book if n == "by_city" or n.startswith("by_city (")]
    assert len(parts) > 1 and all(len(book[n]) <= 1998 for n in parts)
    whole = pd.concat([book[n] for n in parts], ignore_index=True)
    whole["value"] *= 1e4  # 万元 in the workbook, yuan in the CSV
    pd.testing.assert_frame_equal(whole, pd.read_csv(out / "by_city.csv"), check_dtype=False, rtol=1e-12)
    assert any("by_city" in n for n in book["notes"]["note"])
    assert book["fund"].shape[0] == len(demo_projection.fund)


def test_table_needing_too_many_sheets_is_left_out_with_a_note(tmp_path, monkeypatch, demo_projection):
    monkeypatch.setattr(report_mod, "EXCEL_MAX_ROWS", 50)
    monkeypatch.setattr(report_mod, "EXCEL_MAX_PARTS", 2)
    out = tmp_path / "out"
    report_mod.write_run(demo_projection, out)
    book = pd.read_excel(out / "projection.xlsx", sheet_name=None, header=1)
    assert "by_city" not in book and "fund" in book
    assert any("by_city" in n and "by_city.csv" in n for n in book["notes"]["note"])
    assert len(pd.read_csv(out / "by_city.csv")) == len(demo_projection.by_city)  # the CSV has it all


def test_run_file_names_match_the_tables(demo_projection):
    assert tuple(report_mod._tables(demo_projection)) == report_mod.TABLE_NAMES
