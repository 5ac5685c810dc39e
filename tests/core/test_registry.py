"""Several versions of an instrument side by side; the newest active is the default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cse_screen.core import registry
from cse_screen.errors import NotFound, QuestionnaireInvalid


def versioned(text: str, version: str, status: str = "active") -> str:
    return text.replace(
        '  version: "1.0.0"\n  status: active', f'  version: "{version}"\n  status: {status}'
    ).replace('    - version: "1.0.0"', f'    - version: "{version}"')


@pytest.fixture
def folder(tmp_path: Path, default_text: str) -> Path:
    shutil.copy(registry.default_folder() / "lac-cse-screen.yaml", tmp_path / "lac-cse-screen.yaml")
    (tmp_path / "lac-cse-screen-1.2.0.yaml").write_text(versioned(default_text, "1.2.0"))
    (tmp_path / "lac-cse-screen-1.10.0.yaml").write_text(versioned(default_text, "1.10.0"))
    (tmp_path / "lac-cse-screen-2.0.0.yaml").write_text(versioned(default_text, "2.0.0", "draft"))
    return tmp_path


def test_newest_active_is_default(folder: Path) -> None:
    listed = [q.version for q in registry.list_questionnaires(folder)]
    assert listed == ["1.0.0", "1.2.0", "1.10.0", "2.0.0"]
    assert registry.get_questionnaire(folder=folder).version == "1.10.0"
    assert registry.get_questionnaire(version="1.0.0", folder=folder).version == "1.0.0"
    assert registry.get_questionnaire(version="2.0.0", folder=folder).status == "draft"


def test_lookup_by_hash(folder: Path) -> None:
    old = registry.get_questionnaire(version="1.2.0", folder=folder)
    assert registry.get_by_hash(old.id, "1.2.0", old.content_hash, folder) == old
    with pytest.raises(NotFound, match="is not installed"):
        registry.get_by_hash(old.id, "1.2.0", "0" * 64, folder)


def test_unknown_id_or_version(folder: Path) -> None:
    with pytest.raises(NotFound, match="no questionnaire 'other'"):
        registry.get_questionnaire("other", folder=folder)
    with pytest.raises(NotFound, match=r"has no version 9\.9\.9"):
        registry.get_questionnaire(version="9.9.9", folder=folder)


def test_no_active_version(tmp_path: Path, default_text: str) -> None:
    (tmp_path / "d.yaml").write_text(versioned(default_text, "3.0.0", "retired"))
    with pytest.raises(NotFound, match="no active version"):
        registry.get_questionnaire(folder=tmp_path)


def test_same_version_with_different_content_refused(folder: Path, default_text: str) -> None:
    (folder / "zz-copy.yaml").write_text(default_text.replace("Count every", "Count all"))
    with pytest.raises(QuestionnaireInvalid, match="give the changed copy a new version"):
        registry.list_questionnaires(folder)


def test_edited_file_is_reloaded(folder: Path) -> None:
    path = folder / "lac-cse-screen-1.2.0.yaml"
    before = registry.get_questionnaire(version="1.2.0", folder=folder)
    path.write_text(path.read_text().replace("Count every", "Count each") + "\n")
    after = registry.get_questionnaire(version="1.2.0", folder=folder)
    assert before.content_hash != after.content_hash


def test_shipped_folder_is_valid() -> None:
    shipped = registry.list_questionnaires()
    assert registry.get_questionnaire().id == registry.DEFAULT_ID
    assert all(q.status in ("active", "retired", "draft") for q in shipped)
