"""Site options: declared once, typed, validated, and seen by every process on its next request."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from byline.options.models import Option
from byline.options.registry import OPTIONS, InvalidOption, spec_for
from byline.options.store import get_option, set_option

pytestmark = pytest.mark.django_db


def test_every_option_has_a_default_that_parses_and_help():
    for name, spec in OPTIONS.items():
        assert spec.help.strip(), name
        assert spec.parse(spec.serialize(spec.default)) == spec.default, name


def test_defaults_are_wordpress_defaults():
    assert get_option("posts_per_page") == 10
    assert get_option("permalink_structure") == "/%year%/%monthnum%/%postname%/"
    assert get_option("timezone_string") == "UTC"
    assert get_option("date_format") == "F j, Y"


def test_set_and_get_typed_values():
    assert set_option("posts_per_page", "7") == 7
    assert get_option("posts_per_page") == 7
    set_option("rss_use_excerpt", "true")
    assert get_option("rss_use_excerpt") is True
    assert Option.objects.get(name="rss_use_excerpt").value == "1"


@pytest.mark.parametrize(
    "name,value",
    [
        ("posts_per_page", "101"),
        ("posts_per_page", "1.5"),
        ("timezone_string", "Nowhere"),
        ("permalink_structure", "no-slash/"),
    ],
)
def test_refused_values_change_nothing(name, value):
    before = get_option(name)
    with pytest.raises(InvalidOption):
        set_option(name, value)
    assert get_option(name) == before
    assert not Option.objects.filter(name=name).exists()


def test_unknown_option_names_the_known_ones():
    with pytest.raises(InvalidOption, match="posts_per_page"):
        spec_for("post_per_page")


def test_a_value_stored_elsewhere_is_seen_on_the_next_request(client: Client, demo):
    assert "The Harbour Ledger" in client.get("/").content.decode()
    # Another process (a second server worker, or `byline option set`) changes the option
    # behind this process's back: the next request must see it.
    Option.objects.filter(name="blogname").update(value="Changed Elsewhere")
    assert "Changed Elsewhere" in client.get("/").content.decode()


def test_docs_are_generated_from_the_declarations():
    # Like Datasette's test_docs: an option that is not documented fails the suite.
    out = subprocess.run(
        [sys.executable, "-m", "byline.options.docs"], capture_output=True, text=True, check=True
    )
    assert out.stdout == (Path(__file__).parents[2] / "docs" / "configuration.md").read_text()


def test_admin_options_page_saves_and_refuses(admin_client):
    page = admin_client.get("/admin/options/option/")
    assert page.status_code == 200 and b"posts_per_page" in page.content
    data = {
        name: OPTIONS[name].serialize(get_option(name)) for name in OPTIONS if OPTIONS[name].kind != "bool"
    }
    data.update({name: "on" for name in OPTIONS if OPTIONS[name].kind == "bool" and get_option(name)})
    data["posts_per_page"] = "12"
    assert admin_client.post("/admin/options/option/", data).status_code == 302
    assert get_option("posts_per_page") == 12
    data["posts_per_page"] = "1000"
    refused = admin_client.post("/admin/options/option/", data)
    assert refused.status_code == 200 and b"a whole number from 1 to 100" in refused.content
    assert get_option("posts_per_page") == 12
