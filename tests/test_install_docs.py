"""The README's install lines are what CI installs, and they hold what the
templates and `make` need."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_packages() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {p for line in re.findall(r"^sudo apt-get install (.+)$", text, re.MULTILINE) for p in line.split()}


def ci_packages() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    return set(re.search(r'packages="([^"]*)"', text)[1].split())


def test_the_readme_and_ci_install_the_same_packages():
    assert readme_packages() == ci_packages()


def test_the_readme_installs_the_templates_font_and_venv():
    packages = readme_packages()
    assert {"fonts-liberation2", "python3-venv", "libharfbuzz-subset0"} <= packages
    layout = (ROOT / "templates" / "layout.html").read_text(encoding="utf-8")
    assert '"Liberation Sans"' in layout  # the font fonts-liberation2 provides
    assert "2.5 times faster" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is not installed")
def test_the_templates_font_is_found():
    found = subprocess.run(["fc-match", "Liberation Sans"], check=False, capture_output=True, text=True).stdout
    assert "Liberation" in found, f"install fonts-liberation2 (README): fc-match gives {found.strip()}"
