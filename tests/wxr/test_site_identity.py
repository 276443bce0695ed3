"""An imported blog keeps its own name: the export's title and tagline, when the site had none yet."""

from pathlib import Path

import pytest

from byline.cli import main
from byline.options.store import get_option, set_option
from byline.wxr.loader import import_wxr

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).resolve().parents[1] / "data" / "wxr" / "wordpress-importer" / "small-export.xml"
NOTE = "Site title set to “trunk” and tagline to “Just another WordPress site” from the export"


def test_a_fresh_site_takes_the_exports_title_and_tagline_and_says_so(tmp_path, capsys):
    (tmp_path / "secret_key").write_text("test\n")
    assert (get_option("blogname"), get_option("blogdescription")) == ("Byline", "News and commentary")
    assert main(["import-wxr", str(SMALL), "--data", str(tmp_path)]) == 0
    assert NOTE + " (the site still had Byline's defaults)." in capsys.readouterr().out
    assert (get_option("blogname"), get_option("blogdescription")) == ("trunk", "Just another WordPress site")


def test_a_site_its_owner_named_keeps_its_name():
    set_option("blogname", "Quay Notes")
    report = import_wxr(SMALL)
    assert get_option("blogname") == "Quay Notes"
    assert get_option("blogdescription") == "Just another WordPress site"  # the tagline was still the default
    assert report.site_note.startswith("Site tagline set to “Just another WordPress site” from the export")


def test_a_dry_run_says_what_it_would_set_and_sets_nothing():
    report = import_wxr(SMALL, dry_run=True)
    assert "Site title would be set to “trunk” and tagline to “Just another WordPress site”" in "\n".join(
        report.lines()
    )
    assert get_option("blogname") == "Byline"


def test_importing_again_changes_nothing_more():
    import_wxr(SMALL)
    set_option("blogname", "Renamed after the import")
    again = import_wxr(SMALL)
    assert again.site_note == ""
    assert get_option("blogname") == "Renamed after the import"
