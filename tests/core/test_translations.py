"""The English catalog: complete, consistent with the code, and used by the pages."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests import factories
from tests.conftest import login
from tracker.extensions import babel, db

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "tracker" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")

# %(name)s, %(n)d, %s, %% ... as Python's %-formatting reads them.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")
GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _placeholders(text: str) -> Counter:
    return Counter(m.groups() for m in PLACEHOLDER.finditer(text) if m.group(2) != "%")


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


@pytest.fixture(scope="module")
def en_catalog():
    return _read(EN_PO)


@pytest.fixture(scope="session")
def compiled_en(app):
    """Compile the English .mo when it is missing or older than the .po (as `make translations`)."""
    if not EN_MO.exists() or EN_MO.stat().st_mtime < EN_PO.stat().st_mtime:
        catalog = _read(EN_PO)
        fd, tmp = tempfile.mkstemp(dir=EN_MO.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.chmod(tmp, 0o644)
        os.replace(tmp, EN_MO)  # atomic: a parallel test run never reads half a file
        with app.app_context():  # forget catalogs loaded before the compile
            babel.domain_instance.cache.clear()
    return EN_MO


# --- (a) the catalog itself ---------------------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy(en_catalog):
    problems = []
    for message in en_catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(s.strip() for s in _strings(message)):
            problems.append(f"untranslated: {message.id!r}")
    assert len(en_catalog) > 1
    assert not problems, "English catalog is incomplete:\n" + "\n".join(problems)


def test_placeholders_match_the_msgid(en_catalog):
    problems = []
    for message in en_catalog:
        if not message.id:
            continue
        ids, strings = _ids(message), _strings(message)
        expected = _placeholders(ids[-1])  # the plural msgid names every placeholder
        for index, string in enumerate(strings):
            found = _placeholders(string)
            plural_singular = len(ids) > 1 and index == 0
            ok = found <= expected if plural_singular else found == expected
            if not ok:
                problems.append(f"{ids[0]!r} -> {string!r}")
    assert not problems, "placeholders differ from the msgid:\n" + "\n".join(problems)


def test_plural_entries_have_both_english_forms(en_catalog):
    for message in en_catalog:
        if message.pluralizable:
            assert len(_strings(message)) == 2, message.id


# --- (b) the catalog is up to date with the code ------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the code now, extracted as `make translations-extract` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract"]
    command += ["-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return _read(pot)


def test_every_extracted_message_has_an_english_translation(en_catalog, extracted):
    translated = {_ids(m)[0] for m in en_catalog if m.id and not m.fuzzy and all(_strings(m))}
    missing = [
        f"{m.id!r} ({', '.join(f'{path}:{line}' for path, line in m.locations)})"
        for m in extracted
        if m.id and _ids(m)[0] not in translated
    ]
    assert len(extracted) > 100
    assert not missing, (
        "messages without an English translation (run `make translations-update` and translate "
        "them in tracker/translations/en/LC_MESSAGES/messages.po):\n" + "\n".join(missing)
    )


def _gettext_in_fstrings(path: Path):
    """(msgid, "file:line") of each `_("...")` call written inside an f-string."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in GETTEXT_NAMES
                and call.args
                and isinstance(call.args[0], ast.Constant)
            ):
                yield call.args[0].value, f"{path.relative_to(ROOT)}:{call.lineno}"


def test_no_message_is_hidden_from_extraction(extracted):
    """pybabel does not look inside f-strings: such a msgid must also appear elsewhere."""
    known = {_ids(m)[0] for m in extracted if m.id}
    hidden = [
        f"{msgid!r} ({where})"
        for path in sorted((ROOT / "tracker").rglob("*.py"))
        for msgid, where in _gettext_in_fstrings(path)
        if msgid not in known
    ]
    assert not hidden, (
        "gettext calls inside f-strings are not extracted into the catalog; move the call out "
        "of the f-string (e.g. `inactive = _l(...)`), then run `make translations-update`:\n"
        + "\n".join(hidden)
    )


# --- (c) the pages -------------------------------------------------------------------------------


def _as(client, user, language: str) -> None:
    user.language = language
    db.session.commit()
    login(client, user)


def test_english_user_sees_english_follow_ups(client, world, compiled_en):
    factories.make_evaluation(owner_units=[world.unit_a], pics=[world.pic])
    _as(client, world.pic, "en")
    html = client.get("/followups/mine").get_data(as_text=True)
    assert '<html lang="en">' in html
    for text in ("My follow-ups", "Log out", "Owner units", "Due date", "Not followed up"):
        assert text in html
    for text in ("Tindak lanjut saya", "Keluar", "Belum Ditindaklanjuti"):
        assert text not in html


def test_english_user_sees_english_evaluations(client, world, compiled_en):
    factories.make_evaluation(owner_units=[world.unit_a], pics=[world.pic])
    _as(client, world.koordinator, "en")
    html = client.get("/evaluations/").get_data(as_text=True)
    for text in ("Evaluations (LHE)", "Log out", "Institution", "0 of 2 closed", "Coordinator"):
        assert text in html
    for text in ("Evaluasi (LHE)", "Keluar", "Instansi", "selesai"):
        assert text not in html


def test_default_user_sees_indonesian(client, world, compiled_en):
    factories.make_evaluation(owner_units=[world.unit_a], pics=[world.pic])
    login(client, world.koordinator)
    mine = client.get("/followups/mine").get_data(as_text=True)
    evaluations = client.get("/evaluations/").get_data(as_text=True)
    assert '<html lang="id">' in mine
    assert "Tindak lanjut saya" in mine and "Keluar" in mine
    assert "Evaluasi (LHE)" in evaluations and "0 dari 2 selesai" in evaluations
    assert "My follow-ups" not in mine + evaluations
    assert "Log out" not in mine + evaluations
