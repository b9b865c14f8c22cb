"""Every page shows each role the same main navigation."""

from __future__ import annotations

from django.urls import reverse


def test_editors_see_the_editing_and_reading_links(editor_client):
    html = editor_client.get(reverse("home")).content.decode()
    for name in ("articles:list", "articles:queue", "articles:upload", "articles:feeds",
                 "positions:proposal_list", "positions:search"):
        assert f'href="{reverse(name)}"' in html


def test_researchers_see_only_the_reading_links(researcher_client):
    html = researcher_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("positions:search")}"' in html
    assert f'href="{reverse("articles:upload")}"' not in html
    assert f'href="{reverse("positions:proposal_list")}"' not in html


def test_the_login_page_has_no_navigation(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("positions:search")}"' not in html
