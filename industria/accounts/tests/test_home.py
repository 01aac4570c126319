"""Each role's home page: its own shortcuts, counters in its scope, the auditor's latest changes."""

from typing import Any

import pytest

from industria.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_district_officer_home_counts_only_the_district_and_offers_import(client: Any, make_user: Any) -> None:
    EnterpriseFactory()
    EnterpriseFactory(
        district=__import__("industria.accounts.models", fromlist=["District"]).District.objects.get(code="310114")
    )
    client.force_login(make_user("district_officer", district_code="310115"))

    page = client.get("/").content.decode()

    assert 'data-role="district_officer"' in page
    assert '<div class="card-value">1</div>' in page
    assert "/enterprises/import/" in page
    assert "/plan/my-updates/" in page or "my_updates" in page or "My updates" in page


def test_enterprise_user_home_links_to_its_enterprise(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    client.force_login(make_user("enterprise_user", enterprise=enterprise))

    page = client.get("/").content.decode()

    assert enterprise.get_absolute_url() in page
    assert "/enterprises/import/" not in page


def test_auditor_home_lists_the_latest_changes_and_analyst_home_does_not(client: Any, make_user: Any) -> None:
    EnterpriseFactory(name_en="Freshly Changed Co.")
    client.force_login(make_user("auditor"))
    auditor_page = client.get("/").content.decode()
    client.force_login(make_user("municipal_analyst"))
    analyst_page = client.get("/").content.decode()

    assert "Freshly Changed Co." in auditor_page
    assert "Freshly Changed Co." not in analyst_page
    assert "/plan/" in analyst_page
