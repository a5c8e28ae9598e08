"""The translation catalogues stay complete and in step with the source.

The portal's strings are written in German in the source; locale/en holds their
English translation (updated with `make messages`, translated by hand) and
locale/de a few hand-kept overrides of allauth's informal German. These tests
fail when a string is added or changed without updating the English catalogue,
when an entry is left untranslated or fuzzy, when a committed .mo file was not
recompiled after its .po changed, and when an English page still shows German.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
ENGLISH_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
# What `make messages` leaves out of the scan (besides hidden folders, which
# makemessages always skips); everything else is copied for the extraction.
NOT_SCANNED = (".*", "var", "__pycache__", "*.pyc", "node_modules", "test-results")


# --- A small reader for .po files (the standard library has none) -------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, without the header and without obsolete (#~) entries."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    keyword = ""
    values: dict[str, str] = {}

    def finish():
        nonlocal current, values
        if current is not None:
            current.msgid = values.get("msgid", "")
            current.msgctxt = values.get("msgctxt")
            current.msgid_plural = values.get("msgid_plural")
            plurals = sorted(k for k in values if k.startswith("msgstr["))
            current.msgstr = [values[k] for k in plurals] if plurals else [values.get("msgstr", "")]
            if current.msgid or current.msgctxt:
                entries.append(current)
        current, values = None, {}

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            finish()
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            values[keyword] += _unquote(line)
        else:
            previous = keyword
            keyword, _, rest = line.partition(" ")
            starts_entry = keyword == "msgctxt" or (keyword == "msgid" and previous != "msgctxt")
            if starts_entry and current is not None and any(k.startswith("msgstr") for k in values):
                finish()  # entries not separated by a blank line
            if current is None:
                current = Entry(msgid="", flags=flags, line=number)
                flags = set()
            values[keyword] = _unquote(rest)
    finish()
    return entries


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        message = "msgfmt (GNU gettext) is not installed; `make browser-deps` installs it"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _listing(entries) -> str:
    return "\n".join(f"  {entry}" for entry in entries)


# --- (a) The English catalogue is complete -------------------------------------------------


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(ENGLISH_PO)
    untranslated = [entry for entry in entries if not all(entry.msgstr)]
    fuzzy = [entry for entry in entries if "fuzzy" in entry.flags]

    assert entries, f"{ENGLISH_PO} has no entries"
    assert not untranslated, f"Untranslated in {ENGLISH_PO}:\n{_listing(untranslated)}"
    assert not fuzzy, f"Fuzzy (check, then remove the flag) in {ENGLISH_PO}:\n{_listing(fuzzy)}"


def test_msgfmt_counts_the_english_catalogue_as_fully_translated():
    """gettext's own count, with --check: placeholders and plural forms must match the msgid."""
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", os.devnull, str(ENGLISH_PO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )

    assert result.returncode == 0, result.stderr
    counts = {
        kind: int(number)
        for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr)
    }
    assert counts.get("translated", 0) == len(read_po(ENGLISH_PO)), result.stderr
    assert counts.get("fuzzy", 0) == 0, result.stderr
    assert counts.get("untranslated", 0) == 0, result.stderr


def test_placeholders_survive_translation():
    """%(name)s placeholders are filled by the code: a lost or renamed one breaks the page."""
    placeholder = re.compile(r"%\(\w+\)[sdif]")
    broken = []
    for entry in read_po(ENGLISH_PO):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        expected = set().union(*(placeholder.findall(source) for source in sources))
        for translation in entry.msgstr:
            found = set(placeholder.findall(translation))
            # The singular of a plural may leave the count out ("one earlier version").
            if found - expected or (not entry.msgid_plural and found != expected):
                broken.append(f"{entry}: {translation!r}")

    assert not broken, "Placeholders differ from the msgid:\n" + "\n".join(broken)


# --- (b) The committed .mo files are compiled from the committed .po files ---------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_committed_mo_file_matches_its_po_file(language, tmp_path):
    po = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    compiled = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "--check", "-o", str(compiled), str(po)], check=True)

    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with compiled.open("rb") as fresh, mo.open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        actual = gettext.GNUTranslations(committed)._catalog
    stale = sorted(
        repr(key) for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)
    )
    assert not stale, (
        f"{mo} is out of date with {po.name} (recompile with `make messages` or msgfmt):\n  "
        + "\n  ".join(stale[:30])
    )


# --- (c) Every translatable string of the source is in the English catalogue -------------


def test_the_english_catalogue_holds_exactly_the_strings_of_the_source(tmp_path):
    """Runs makemessages on a copy of the project, as `make messages` does, and compares msgids.

    Missing entries mean someone added or changed a string without running `make messages`;
    extra entries are strings the source no longer has.
    """
    _msgfmt()
    project = tmp_path / "project"
    shutil.copytree(
        BASE_DIR,
        project,
        ignore=shutil.ignore_patterns(*NOT_SCANNED),
        symlinks=True,
    )
    env = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "VAR_DIR": str(tmp_path / "var"),
        "LC_ALL": "C.UTF-8",
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--no-obsolete"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    extracted = {
        entry.key: entry for entry in read_po(project / "locale" / "en" / "LC_MESSAGES" / "django.po")
    }
    committed = {entry.key: entry for entry in read_po(ENGLISH_PO)}
    missing = sorted(extracted.keys() - committed.keys(), key=str)
    extra = sorted(committed.keys() - extracted.keys(), key=str)
    plural_changed = sorted(
        (
            key
            for key in extracted.keys() & committed.keys()
            if extracted[key].msgid_plural != committed[key].msgid_plural
        ),
        key=str,
    )

    problems = []
    if missing:
        problems.append("In the source but not in locale/en (run `make messages` and translate):")
        problems += [f"  {key[1]!r}" + (f" [context {key[0]!r}]" if key[0] else "") for key in missing]
    if extra:
        problems.append("In locale/en but no longer in the source (run `make messages`):")
        problems += [f"  {key[1]!r}" + (f" [context {key[0]!r}]" if key[0] else "") for key in extra]
    if plural_changed:
        problems.append("Plural form changed in the source (run `make messages`):")
        problems += [f"  {key[1]!r}" for key in plural_changed]
    assert not problems, "\n".join(problems)


# --- (d) The English interface really is English ------------------------------------------


class _VisibleText(HTMLParser):
    """The English text of a page: text nodes and the attributes people read (labels, tooltips).

    Scripts and styles are left out, and so is text marked as another language (the
    language switch names each language in its own tongue: <option lang="de">Deutsch).
    """

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        foreign = attributes.get("lang") not in (None, "en") and tag != "html"
        if tag in ("script", "style") or foreign or self.hidden:
            self.hidden.append(tag)
            return
        self.nodes.extend(attributes[name].strip() for name in self.ATTRIBUTES if attributes.get(name))
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.nodes.append(attributes["value"].strip())

    def handle_startendtag(self, tag, attrs):
        if not self.hidden:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return parser.nodes


def _german_msgids() -> dict[str, str]:
    """German source strings whose English differs, e.g. "Räume" -> "Spaces" (not "Person")."""
    return {
        " ".join(entry.msgid.split()): entry.msgstr[0]
        for entry in read_po(ENGLISH_PO)
        if entry.msgstr[0] and entry.msgstr[0] != entry.msgid and not entry.msgid_plural
    }


# Page -> English phrases that must appear, and the German originals that must not.
PAGES = {
    "/": (
        ["Home", "Spaces", "Sign in", "Sign up", "Three circles, one network", "Upcoming meetings"],
        ["Räume", "Anmelden", "Registrieren", "Drei Kreise, ein Netzwerk", "Nächste Termine"],
    ),
    "/spaces/": (
        ["Spaces", "Legal notice", "Privacy", "Accessibility", "Skip to content"],
        ["Räume", "Impressum", "Datenschutz", "Barrierefreiheit", "Zum Inhalt springen"],
    ),
    "/accounts/login/": (
        ["Sign In", "Spaces", "Main navigation"],
        ["Räume", "Hauptnavigation", "Passwort vergessen?"],
    ),
    "/accounts/signup/": (
        ["Sign Up", "Full name", "Organisation", "Fields marked with * are required."],
        ["Vor- und Nachname", "Mit * gekennzeichnete Felder müssen ausgefüllt werden."],
    ),
}


@pytest.fixture
def english_client(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
@pytest.mark.parametrize("path", list(PAGES))
def test_the_english_interface_shows_english(english_client, path):
    response = english_client.get(path)
    nodes = visible_text(response)
    text = "\n".join(nodes)
    english, german = PAGES[path]

    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert [phrase for phrase in english if phrase not in text] == []
    assert [phrase for phrase in german if phrase in text] == []
    # No text node is a German source string of the catalogue left untranslated.
    untranslated = _german_msgids()
    leftovers = [f"{node!r} (should be {untranslated[node]!r})" for node in nodes if node in untranslated]
    assert leftovers == [], f"German on the English page {path}:\n" + "\n".join(leftovers)


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache")
def test_the_german_interface_stays_german(client):
    """The other side of the switch: without a choice, the same navigation is German."""
    nodes = visible_text(client.get("/"))

    assert "Räume" in nodes
    assert "Spaces" not in nodes
