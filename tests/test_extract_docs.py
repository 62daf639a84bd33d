"""extract/README.md documents every error kind, every finding rule and every module."""

from pathlib import Path

import pytest

from gongkai import extract

from gongkai.extract.findings import RULES

README = (Path(extract.__file__).parent / "README.md").read_text(encoding="utf-8")
MODULES = sorted(path.name for path in Path(extract.__file__).parent.glob("*.py") if path.name != "__init__.py")


@pytest.mark.parametrize("kind", extract.ERROR_KINDS)
def test_error_kind_is_documented(kind):
    assert f"| `{kind}` |" in README


@pytest.mark.parametrize("rule", sorted(RULES))
def test_finding_rule_is_documented(rule):
    assert f"| `{rule}` |" in README


@pytest.mark.parametrize("module", MODULES)
def test_module_is_documented(module):
    assert f"| `{module}` |" in README


def test_findings_only_use_documented_rules():
    source = (Path(extract.__file__).parent / "findings.py").read_text(encoding="utf-8")
    import re

    used = set(re.findall(r'Finding\(\s*"([a-z_0-9]+)"', source))
    assert used and used <= set(RULES)
