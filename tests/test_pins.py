"""Every installed dependency satisfies the pins in pyproject.toml (a wrong pin fails here, loudly)."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
REQUIREMENTS = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]] + [
    Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]
]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=str)
def test_installed_version_satisfies_the_pin(requirement):
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed: run scripts/install.sh test")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} does not satisfy {requirement.specifier} (see the comment in pyproject.toml)"
    )


def test_django_is_the_lts():
    assert version("django").startswith("5.2."), "ShopOps targets Django 5.2 LTS (Python 3.11 support)"
