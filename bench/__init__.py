"""The benchmark suite (issue #8); `python -m bench` runs it (bench/__main__.py)."""

import hashlib
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Django with the test settings, the project's source roots on the path."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    for path in (str(ROOT / "site"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


REDIS_URL = "redis://127.0.0.1:6379/1"


def redis_answers():
    """Is Redis at REDIS_URL's address (production's cache) there to measure with?"""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def side_venv(venv: Path, requirements: Path) -> Path:
    """A virtualenv of a benchmark's own (the peer project, the load
    generator), kept apart from Knowhow's: its Python, with `requirements`
    installed again whenever the file changes."""
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"Making {venv.name}…")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
    print(f"Installing {requirements.relative_to(ROOT)} into {venv.name}…")
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(requirements)], check=True
    )
    stamp.write_text(wanted)
    return python


def write_block(text, *, name, heading, report=None):
    """Put `text` between BENCHMARKS.md's `<!-- name:start -->` and
    `<!-- name:end -->` markers, replacing what was there; the first time,
    append it under `heading`."""
    report = report or ROOT / "BENCHMARKS.md"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = report.read_text()
    block = f"{start}\n{text}\n{end}"
    if start in content:
        pattern = re.escape(start) + ".*?" + re.escape(end)
        content = re.sub(pattern, lambda _: block, content, flags=re.S)
    else:
        content = content.rstrip("\n") + f"\n\n## {heading}\n\n{block}\n"
    report.write_text(content)
