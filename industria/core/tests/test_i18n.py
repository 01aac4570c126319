"""Languages: zh-hans by default, English on request, in the UI and the API."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_switching_to_english_changes_the_page(client: Any, make_user: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(make_user("municipal_analyst"))

    chinese = client.get("/").content.decode()
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()

    assert switch.status_code == 302
    assert '<html lang="zh-hans">' in chinese
    assert "企业" in chinese
    assert '<html lang="en">' in english
    assert "Enterprises" in english
    assert "企业" not in english.replace("中文", "")


def test_default_language_is_chinese(client: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"

    page = client.get("/accounts/login/").content.decode()

    assert '<html lang="zh-hans">' in page
    assert "登录" in page


def test_every_catalogue_entry_is_translated() -> None:
    from pathlib import Path

    import polib

    po = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"))

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
