"""An installed wheel (not only an editable install) finds its notebooks and sample."""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("juro_privacy-*.whl")
    return found


def test_wheel_carries_notebooks_sample_templates_and_rules(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "juro_privacy/_notebooks/register.ipynb",
        "juro_privacy/sample/workbook/workbook.yaml",
        "juro_privacy/sample/workbook/activities.csv",
        "juro_privacy/run/templates/report/index.html.j2",
        "juro_privacy/run/templates/index.html.j2",
        "juro_privacy/rules/data/adequacy.csv",
        "juro_privacy/py.typed",
    ]:
        assert required in names, required


def test_installed_wheel_runs_the_quarter(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies are the running interpreter's, wherever they are installed (a
    # venv, a conda env, the system): its site-packages are appended after the new
    # env's own, so the wheel installed there is imported, not the repository's copy.
    # (system_site_packages=True would give the *base* interpreter's, which in a venv
    # lack the dependencies.)
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    parents = dict.fromkeys(
        [
            *site.getsitepackages(),
            sysconfig.get_paths()["purelib"],
            sysconfig.get_paths()["platlib"],
        ]
    )
    (Path(own) / "_parent_env.pth").write_text("\n".join(parents) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    where = subprocess.run(
        [str(python), "-m", "juro_privacy", "where"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"notebooks: {env_dir}" in where.stdout  # the wheel's copy, not the repository's
    proc = subprocess.run(
        [str(python), "-m", "juro_privacy", "run", "--no-pdf", "--out", str(tmp_path / "reports")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "2026-Q3" / "register.html").is_file()
