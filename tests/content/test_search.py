"""Full-text search as readers use it (`/?s=`, REST `search`): ranked, kept in step with every
save, and unbreakable by what a reader types. Runs on SQLite (FTS5) and, with
BYLINE_TEST_DATABASE_URL, on PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from byline.cli import main
from byline.content import search, services
from byline.content.models import Post, Status
from byline.text import clean_text, is_clean
from byline.wxr.loader import import_wxr
from tests.api.api_helpers import Api
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

SMALL_WXR = Path(__file__).resolve().parents[1] / "data" / "wxr" / "wordpress-importer" / "small-export.xml"


def titles(client, terms: str) -> list[str]:
    response = client.get("/", {"s": terms})
    assert response.status_code == 200
    return [" ".join(t.split()) for t in html.fromstring(response.content).xpath("//article//h2/a/text()")]


def rest_titles(client, terms: str, route: str = "search") -> list[str]:
    response = Api(client).get(route, {"search": terms})
    assert response.status_code == 200, response.content
    return [r["title"] if route == "search" else r["title"]["rendered"] for r in response.json()]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(client):
    make_post("Lighthouse reopens", body="<p>Visitors may climb again.</p>")
    make_post("Harbour report", body="<p>Ships came and went. " + "Nothing else. " * 30 + "</p>")
    make_post("Weekly notes", body="<p>The lighthouse keeper retired.</p>")  # newer, but a body word
    assert titles(client, "lighthouse") == ["Lighthouse reopens", "Weekly notes"]
    assert rest_titles(client, "lighthouse") == ["Lighthouse reopens", "Weekly notes"]
    response = Api(client).get("posts", {"search": "lighthouse", "orderby": "relevance"})
    assert [p["title"]["rendered"] for p in response.json()] == ["Lighthouse reopens", "Weekly notes"]


def test_every_word_must_be_found_in_some_part_of_the_post(client):
    make_post("Cranes", body="<p>The harbour cranes come down on Monday.</p>")
    make_post("Tides", body="<p>Monday brings a spring tide.</p>")
    assert titles(client, "monday cranes") == ["Cranes"]
    assert sorted(titles(client, "monday")) == ["Cranes", "Tides"]


def test_a_word_finds_longer_words_it_begins_and_case_and_accents_do_not_matter(client):
    make_post("Café reopens", body="<p>Fishermen welcome it.</p>")
    assert titles(client, "cafe") == ["Café reopens"]
    assert titles(client, "CAFÉ") == ["Café reopens"]
    assert titles(client, "fisher") == ["Café reopens"]
    assert titles(client, "afe") == []  # a word's start, not any part of it


def test_the_index_follows_every_edit_status_change_and_delete(client):
    editor = UserFactory(username="ed")
    services.apply_role(editor, "editor")
    post = make_post("Ferry timetable", body="<p>The winter sailings.</p>")
    assert titles(client, "winter") == ["Ferry timetable"]

    post.body = "<p>The summer sailings.</p>"
    post.title = "Ferry times"
    services.save_post(post)
    assert titles(client, "winter") == []
    assert titles(client, "summer") == ["Ferry times"]
    assert titles(client, "timetable") == []

    services.change_post_status(post, Status.DRAFT, by=editor)
    assert titles(client, "summer") == []  # drafts never match for a reader
    assert rest_titles(client, "summer") == []
    assert rest_titles(client, "summer", "posts") == []
    services.change_post_status(post, Status.PUBLISH, by=editor)
    assert titles(client, "summer") == ["Ferry times"]

    post.password = "secret"
    services.save_post(post)
    assert titles(client, "summer") == []  # the body is now behind a password
    assert titles(client, "ferry") == ["Ferry times"]  # the title stays public

    services.delete_post(post)
    assert titles(client, "ferry") == []
    assert search.matching(Post.objects.all(), "ferry").count() == 0


def test_a_draft_is_found_by_its_editor_in_the_rest_api_but_never_by_a_reader(client):
    author = UserFactory(username="ann")
    make_post("Unfinished piece about gulls", author=author, status=Status.DRAFT)
    assert titles(client, "gulls") == []
    assert rest_titles(client, "gulls", "posts") == []


def test_search_columns_and_exact_phrases_in_the_rest_api(client):
    make_post("Tide tables", body="<p>High water at noon.</p>", excerpt="When the sea comes in.")
    make_post("Noon gun", body="<p>The tide turned.</p>")
    api = Api(client)
    got = lambda **p: sorted(x["title"]["rendered"] for x in api.get("posts", p).json())  # noqa: E731
    assert got(search="tide") == ["Noon gun", "Tide tables"]
    assert got(search="tide", search_columns="post_title") == ["Tide tables"]
    assert got(search="sea", search_columns="post_excerpt") == ["Tide tables"]
    assert got(search="sea", search_columns="post_title") == []
    assert got(search="tide turned", search_semantics="exact") == ["Noon gun"]
    assert got(search="turned tide", search_semantics="exact") == []


def test_a_wordpress_import_is_searchable(client):
    import_wxr(SMALL_WXR)
    imported = Post.objects.public().posts().order_by("pk").first()
    word = search.words_of(imported.title)[0]
    assert imported.title in titles(client, word)


def test_reindex_indexes_posts_written_in_bulk(client, tmp_path, capsys):
    author = UserFactory()
    Post.objects.bulk_create(
        Post(title=f"Bulk {n}", body="", content_html=f"<p>Albatross number {n}.</p>", author=author)
        for n in range(3)
    )
    Post.objects.update(status=Status.PUBLISH)
    assert titles(client, "albatross") == []  # written around the services: not indexed yet

    (tmp_path / "secret_key").write_text("test\n")
    assert main(["reindex", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Indexed 3 posts and pages for search.\n"
    assert sorted(titles(client, "albatross")) == ["Bulk 0", "Bulk 1", "Bulk 2"]


ODD = [
    '"',
    '"unbalanced',
    "cranes*",
    "*",
    "-cranes",
    "cranes NOT harbour",
    "NEAR(cranes harbour)",
    "cranes OR",
    "AND",
    "(cranes",
    "cranes)",
    "title:cranes",
    "{title}: cranes",
    "^cranes",
    "cranes & | ! <-> :*",
    "'cranes'",
    "a\x00b",
    "\\",
    "%_",
    "ünïcödé 日本語 🦀",
    "x" * 500,
    " ".join(["cranes"] * 50),
]


@pytest.mark.parametrize("terms", ODD)
def test_query_syntax_in_a_search_is_only_text(client, terms):
    make_post("The cranes come down", body="<p>At the harbour.</p>")
    found = titles(client, terms)
    words = search.words_of(terms.replace("\x00", ""))
    # The words of the text are searched for; the symbols around them mean nothing.
    expected = (
        ["The cranes come down"]
        if words and all(w in "the cranes come down at harbour" for w in words)
        else []
    )
    if terms.startswith("{title}") or terms.startswith("title:"):
        expected = []  # "title" is not a word of the post
    assert found == expected
    assert Api(client).get("search", {"search": clean_text(terms)}).status_code == 200


# The client is stateless between examples; the one post is made once.
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    terms=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(string.punctuation), max_size=60)
)
def test_any_text_searched_answers_200(client, terms):
    if not Post.objects.exists():
        make_post("Cranes", body="<p>Harbour news.</p>")
    assert client.get("/", {"s": terms}).status_code == 200
    # The REST API refuses control characters with rest_invalid_param (tests/test_text.py);
    # what it accepts, it searches.
    clean = clean_text(terms)
    assert Api(client).get("search", {"search": clean}).status_code == 200
    assert Api(client).get("posts", {"search": clean}).status_code == 200
    if not is_clean(terms):
        refused = Api(client).get("search", {"search": terms})
        assert (refused.status_code, refused.json()["code"]) == (400, "rest_invalid_param")


def test_a_search_page_costs_the_same_queries_for_one_hit_or_ten(client):
    def queries_for(terms: str, hits: int) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert len(titles(client, terms)) == hits
        return len(seen)

    client.get("/")  # the first request of a site stores its address: not a search's cost
    make_post("Jetty", body="<p>Jetty news.</p>")
    for n in range(10):
        make_post(f"Pier {n}", body="<p>Pier news.</p>", categories=[CategoryFactory()], tags=[TagFactory()])
    assert queries_for("pier", 10) == queries_for("jetty", 1)


def test_the_index_is_the_databases_own(client):
    """SQLite answers from its FTS5 table, PostgreSQL from its tsvector table."""
    make_post("Signal station")
    table = search.PG_TABLE if connection.vendor == "postgresql" else search.FTS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a module constant
        assert cursor.fetchone()[0] == Post.objects.count()


def test_a_word_in_every_post_ranks_only_the_newest_matches(client, monkeypatch):
    """Ranking costs a little per match: a search ranks at most CANDIDATES posts, the newest."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for n in range(5):
        make_post(f"Gull {n}" if n != 1 else "Gull gull gull 1", body="<p>A gull.</p>")
    assert sorted(titles(client, "gull")) == ["Gull 2", "Gull 3", "Gull 4"]  # not "Gull gull gull 1"
    assert rest_titles(client, "gull", "posts") == ["Gull 4", "Gull 3", "Gull 2"]  # newest first
    monkeypatch.setattr(search, "CANDIDATES", 1000)
    assert titles(client, "gull")[0] == "Gull gull gull 1"  # the most relevant, when ranked


def test_when_whole_words_fill_the_ranking_longer_words_are_not_added(client, monkeypatch):
    """A prefix of a common word is costly to expand: the whole word, found often enough, is enough."""
    monkeypatch.setattr(search, "CANDIDATES", 2)
    make_post("Gulls over the quay")
    make_post("A gull")
    make_post("Gull news")
    assert sorted(titles(client, "gull")) == ["A gull", "Gull news"]
    assert titles(client, "gulls") == ["Gulls over the quay"]
    monkeypatch.setattr(search, "CANDIDATES", 3)
    assert sorted(titles(client, "gull")) == ["A gull", "Gull news", "Gulls over the quay"]


def test_the_ranking_sorts_post_ids_and_only_the_posts_shown_are_read_with_their_authors(client):
    # Ranked in one query, each of up to CANDIDATES matches carried its author, profile and
    # images into the sort to keep ten: the ranking query now joins nothing but the index.
    for n in range(12):
        make_post(f"Ferry {n}", body="<p>Ferry news.</p>", categories=[CategoryFactory()])
    for address, params in (
        ("/", {"s": "ferry"}),
        ("/wp-json/wp/v2/posts", {"search": "ferry", "orderby": "relevance"}),
    ):
        with CaptureQueriesContext(connection) as seen:
            assert client.get(address, params).status_code == 200
        ranking = [q["sql"] for q in seen.captured_queries if "bm25" in q["sql"] or "ts_rank" in q["sql"]]
        assert ranking, address
        assert not any("auth_user" in sql or "byline_media" in sql for sql in ranking), address
    assert titles(client, "ferry")[:2] == ["Ferry 11", "Ferry 10"]  # equal ranks: newest first
