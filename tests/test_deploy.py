"""The service files: the compose file, the Dockerfile and the systemd units run real commands of
the product on one store (Docker itself is not needed: the files are parsed and checked)."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis.cli import parser as analysis_parser
from data.fetch import load_feeds

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = {"app.py", "analysis", "data", "views", ".streamlit"}  # what the dashboard and CLI need
DEFAULT = re.compile(r"\$\{(\w+):-([^}]*)\}")


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def with_defaults(text: str) -> str:
    """A compose value with ${VAR:-default} replaced by its default."""
    return DEFAULT.sub(lambda m: m.group(2), text)


def checked_analysis_command(argv: list[str]) -> None:
    """argv after `python -m analysis` parses as the watch command."""
    args = analysis_parser().parse_args(argv)
    assert args.run.__name__ == "cmd_watch"


def test_compose_runs_the_app_and_the_watcher_on_one_store():
    spec = compose()
    app, watcher = spec["services"]["app"], spec["services"]["watcher"]
    assert "store" in spec["volumes"]
    for service in (app, watcher):
        assert "store:/store" in service["volumes"]
        assert service["environment"]["SOROTAN_STORE"] == "/store"
        assert service["image"] == "sorotan"
    assert app["build"] == "." and (ROOT / "Dockerfile").exists()

    command = app["command"]
    assert command[:5] == ["python", "-m", "streamlit", "run", "app.py"]
    port = command[command.index("--server.port") + 1]
    assert app["ports"] == [f"127.0.0.1:{port}:{port}"]

    command = watcher["command"]
    assert command[:3] == ["python", "-m", "analysis"]
    checked_analysis_command(command[3:])
    mounts = dict(with_defaults(v).rsplit(":", 2)[:2] for v in watcher["volumes"][1:])
    feeds = command[command.index("--feeds") + 1]
    source = {target: host for host, target in mounts.items()}[feeds]
    assert load_feeds(ROOT / source)  # the default feeds file is the example, and it loads
    assert command[command.index("--alerts") + 1].startswith("/store/")


def test_the_dockerfile_copies_what_runs_and_serves_the_app_command():
    steps = dockerfile()
    keywords = [k for k, _ in steps]
    assert keywords[0] == "FROM" and keywords.count("CMD") == 1
    ignored = set((ROOT / ".dockerignore").read_text().split())
    copied = set()
    for keyword, args in steps:
        if keyword == "COPY":
            *sources, _target = args.split()
            for source in sources:
                assert (ROOT / source).exists(), source
                assert source not in ignored
            copied |= set(sources)
    assert copied >= RUNTIME
    installs = " ".join(args for k, args in steps if k == "RUN")
    assert "-r requirements.txt" in installs
    pin = re.search(r"bertopic==[\d.]+", (ROOT / "Makefile").read_text()).group()
    assert f"--no-deps {pin}" in installs  # the same light install as the Makefile's
    env = " ".join(args for k, args in steps if k == "ENV")
    assert "SOROTAN_STORE=/store" in env and ("VOLUME", "/store") in steps
    cmd = json.loads(next(args for k, args in steps if k == "CMD"))
    assert cmd == compose()["services"]["app"]["command"]


def test_the_runtime_imports_nothing_the_image_leaves_out():
    """app.py, views, analysis and data import no project module outside what the image copies."""
    project = {
        p.name.removesuffix(".py") for p in ROOT.iterdir() if p.suffix == ".py" or p.is_dir()
    }
    found = set()
    for path in [ROOT / "app.py", *(ROOT / d / "" for d in ("views", "analysis", "data"))]:
        files = [path] if path.is_file() else path.rglob("*.py")
        for file in files:
            found |= set(re.findall(r"^\s*(?:from|import) (\w+)", file.read_text(), re.M))
    assert found & project <= {"analysis", "data", "views"}


def unit_commands(text: str) -> list[str]:
    """The ExecStart command lines of a systemd unit."""
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string(text)
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    return [unit["Service"]["ExecStart"]]


@pytest.mark.parametrize("name", ["sorotan-watch.service", "sorotan-app.service"])
def test_the_systemd_units_run_real_commands(name, tmp_path):
    text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
    for line in unit_commands(text):
        argv = shlex.split(line)
        assert argv[0] == "/srv/sorotan/.venv/bin/python" and argv[1] == "-m"
        if argv[2] == "analysis":
            checked_analysis_command(argv[3:])
        else:
            assert argv[2:5] == ["streamlit", "run", "app.py"]
    verify = shutil.which("systemd-analyze")
    if verify is None:
        return
    here = text.replace("/srv/sorotan/.venv/bin/python", sys.executable)
    unit = tmp_path / name
    unit.write_text(here.replace("/srv/sorotan", str(ROOT)))
    result = subprocess.run([verify, "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr, result.stderr
