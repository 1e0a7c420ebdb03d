"""`make test` runs pytest's testpaths: an app whose tests are not listed there would never run in CI."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_tests_folder_is_in_testpaths():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    listed = set(ini["pytest"]["testpaths"].split())
    folders = {p.parent.name for p in ROOT.glob("*/tests") if p.is_dir() and p.parent.name not in {".venv", "var"}}
    assert folders - {"tests"} <= listed, sorted(folders - listed)
