"""The shipped questionnaire definitions, several versions of one instrument side by side.

New screenings use the newest *active* version of an instrument; an older screening is shown and
exported under the exact definition it was scored with, found by id, version and content hash,
so a later change to the instrument never silently re-scores a child's history.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from cse_screen.core.candidate import merge_scales
from cse_screen.core.loader import load_questionnaire, load_text
from cse_screen.core.model import Outcome, Questionnaire
from cse_screen.errors import NotFound, QuestionnaireInvalid

DEFAULT_ID = "lac-cse-screen"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_cache: dict[Path, tuple[tuple[int, int], Questionnaire]] = {}
#: Definitions installed in an open database, by (id, version, content hash): their text, and
#: once needed their parsed form. Content-addressed, so whichever database offered one, a
#: screening scored with that hash finds exactly the definition it was scored with.
_offered: dict[tuple[str, str, str], str] = {}
_parsed: dict[tuple[str, str, str], Questionnaire] = {}
#: Bumped whenever the offered set changes, so a cached scale knows to be read again.
_generation = [0]


def default_folder() -> Path:
    """Shipped definitions: ``cse_screen/resources`` in a wheel or bundle, ``resources/`` in a
    checkout (the same lookup as :func:`cse_screen.paths.resource_root`; core stays free of
    project imports)."""
    for root in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if root.is_dir():
            return root / "questionnaires"
    raise NotFound("The application's questionnaire folder is missing from this installation.")


def version_key(version: str) -> tuple[int, ...]:
    """1.10.0 sorts after 1.9.0."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _load_cached(path: Path) -> Questionnaire:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    q = load_questionnaire(path)
    _cache[path] = (stamp, q)
    return q


def list_questionnaires(folder: Path | str | None = None) -> list[Questionnaire]:
    """Every definition in the folder, by id then version; a broken file is an error."""
    root = Path(folder) if folder is not None else default_folder()
    if not root.is_dir():
        raise NotFound(f"The questionnaire folder {root} does not exist.")
    found: dict[tuple[str, str], Questionnaire] = {}
    for path in sorted([*root.glob("*.yaml"), *root.glob("*.yml")]):
        q = _load_cached(path)
        other = found.get((q.id, q.version))
        if other is not None and other.content_hash != q.content_hash:
            raise QuestionnaireInvalid(
                f"{path}:1: {q.label} is also defined, differently, in {other.source}; "
                "give the changed copy a new version"
            )
        found[(q.id, q.version)] = q
    return sorted(found.values(), key=lambda q: (q.id, version_key(q.version)))


def get_questionnaire(
    id: str = DEFAULT_ID, version: str | None = None, folder: Path | str | None = None
) -> Questionnaire:
    """The named version, or without one the newest active version of the instrument."""
    versions = [q for q in list_questionnaires(folder) if q.id == id]
    if not versions:
        raise NotFound(f"There is no questionnaire '{id}'.")
    if version is not None:
        for q in versions:
            if q.version == version:
                return q
        known = ", ".join(q.version for q in versions)
        raise NotFound(f"Questionnaire '{id}' has no version {version} (there is {known}).")
    active = [q for q in versions if q.status == "active"]
    if not active:
        raise NotFound(f"Questionnaire '{id}' has no active version.")
    return active[-1]


def outcome_scale(id: str = DEFAULT_ID, folder: Path | str | None = None) -> tuple[str, ...]:
    """Every outcome id of every shipped or installed version of the instrument, lowest to
    highest.

    The newest active version's order comes first; an outcome only another version has (a
    candidate's "harm identified", say) goes straight after the outcome it follows there, so
    stored screenings of any version sort and count on one scale without a list in the code.
    """
    versions = [q for q in list_questionnaires(folder) if q.id == id]
    if not versions:
        raise NotFound(f"There is no questionnaire '{id}'.")
    versions += offered_versions(id, frozenset(q.content_hash for q in versions))
    versions.sort(key=lambda q: (q.status == "active", version_key(q.version)), reverse=True)
    return merge_scales(q.outcome_ids for q in versions)


def outcome_details(id: str = DEFAULT_ID, folder: Path | str | None = None) -> tuple[Outcome, ...]:
    """Every outcome of :func:`outcome_scale`, in its order, each as the newest active version
    (else the newest version) that has it defines it: label, colour, actions and interval."""
    versions = [q for q in list_questionnaires(folder) if q.id == id]
    versions += offered_versions(id, frozenset(q.content_hash for q in versions))
    versions.sort(key=lambda q: (q.status == "active", version_key(q.version)), reverse=True)
    found: dict[str, Outcome] = {}
    for q in versions:
        for outcome in q.outcomes:
            found.setdefault(outcome.id, outcome)
    return tuple(replace(found[o], rank=rank) for rank, o in enumerate(outcome_scale(id, folder)))


def offer(id: str, version: str, content_hash: str, text: str) -> None:
    """Make a definition installed in the database findable by :func:`get_by_hash`, parsed only
    when a screening asks for it (most databases hold only the shipped versions)."""
    if (id, version, content_hash) not in _offered:
        _offered[(id, version, content_hash)] = text
        _generation[0] += 1


def offered_generation() -> int:
    """Changes whenever a definition is offered or the offers are dropped."""
    return _generation[0]


def offered(id: str, version: str, content_hash: str) -> Questionnaire | None:
    """The installed definition offered under exactly this key, parsed once; None if none."""
    key = (id, version, content_hash)
    found = _parsed.get(key)
    if found is None and key in _offered:
        found = load_text(_offered[key], f"{id} {version} (installed)")
        if found.content_hash != content_hash:  # the text was changed after its hash was kept
            return None
        _parsed[key] = found
    return found


def offered_versions(id: str, known: frozenset[str] = frozenset()) -> list[Questionnaire]:
    """Every installed definition of instrument ``id`` offered so far, parsed, except those
    whose content hash is in ``known`` (the shipped files already hold them)."""
    keys = [key for key in _offered if key[0] == id and key[2] not in known]
    return [q for q in (offered(*key) for key in keys) if q is not None]


def forget_offered() -> None:
    """Drop every installed definition offered so far (tests that install made-up versions)."""
    _offered.clear()
    _parsed.clear()
    _generation[0] += 1


def get_by_hash(
    id: str, version: str, content_hash: str, folder: Path | str | None = None
) -> Questionnaire:
    """The exact definition a screening was scored with: a shipped file, else one installed in
    the database; NotFound if neither holds it."""
    for q in list_questionnaires(folder):
        if q.id == id and q.version == version and q.content_hash == content_hash:
            return q
    installed = offered(id, version, content_hash)
    if installed is not None:
        return installed
    raise NotFound(
        f"The definition of {id} {version} this screening was scored with "
        f"(hash {content_hash[:12]}) is not installed."
    )
