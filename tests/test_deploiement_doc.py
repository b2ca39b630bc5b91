"""docs/deploiement.md lists every environment variable the settings and the Procfile read, with
the default they really have."""

import ast
import re
from pathlib import Path

import pytest

from config import env as config_env

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deploiement.md").read_text().split("## Variables d'environnement")[1]
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|", re.MULTILINE)
# The first of each set of alternatives (EMAIL_URL, or EMAIL_HOST) is the one said required.
REQUIRED = {names[0] for names in config_env.REQUIRED} | {"DJANGO_SETTINGS_MODULE"}
NO_DEFAULT = object()


def _is_env_call(node):
    function = node.func
    return (isinstance(function, ast.Name) and function.id == "env") or (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id == "env"
    )


def _default(call):
    for keyword in call.keywords:
        if keyword.arg == "default":
            if isinstance(keyword.value, ast.Name):
                return getattr(config_env, keyword.value.id, None)
            try:
                return ast.literal_eval(keyword.value)
            except ValueError:
                return None  # computed (a path): not compared
    return NO_DEFAULT


def read_variables():
    """{name: default} of every variable read by config/ (env getters) and the Procfile."""
    variables = {}
    for path in sorted((ROOT / "config").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            is_read = isinstance(node, ast.Call) and _is_env_call(node) and node.args
            if is_read and isinstance(name := node.args[0], ast.Constant):
                variables[name.value] = _default(node)
    procfile = (ROOT / "Procfile").read_text()
    for name, default in re.findall(r"\$\{([A-Z_]+):-([^}]*)\}", procfile):
        variables[name] = default
    return variables


def _shown(default):
    """How the documentation writes a default."""
    if default is NO_DEFAULT:
        return "**obligatoire**"
    if default in ("", [], None):
        return "(vide)"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, float) and default.is_integer():
        return f"`{int(default)}`"
    return f"`{default}`"


DOCUMENTED = dict(ROW.findall(DOC))
VARIABLES = read_variables()


def test_every_variable_read_is_documented_and_nothing_else():
    assert sorted(set(VARIABLES) | {"DJANGO_SETTINGS_MODULE"}) == sorted(DOCUMENTED)


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_the_documented_default_is_the_real_one(name):
    cell = DOCUMENTED[name].strip()
    if name in REQUIRED:
        assert cell.startswith("**obligatoire**"), name
    elif (default := VARIABLES[name]) is not None:
        assert cell.startswith(_shown(default)), (name, cell, _shown(default))
