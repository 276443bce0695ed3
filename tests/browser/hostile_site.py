"""A site built to break a theme: long unbroken words, right-to-left and CJK text, a post with
300 photos, a 500-comment thread ten levels deep, and 0, 3 or 15 pages in the menu.

`build_site()` returns the address of every page type the theme renders.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from byline.comments.models import Comment
from byline.comments.services import imported_comment
from byline.content import services
from byline.content.models import PostType
from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt" * 2
ARABIC = "الرافعات تنزل عن رصيف الميناء الشمالي بعد ستين عاما من العمل"
HEBREW = "המנופים יורדים מהרציף הצפוני אחרי שישים שנה"
CJK = "北码头的最后三台岸桥起重机将于十月拆除结束了六十年的天际线"
URL_WORD = "https://example.org/" + "a-very-long-path-segment-without-any-break" * 4

MENU_TITLES = [
    "About",
    "Contact the newsroom",
    "Corrections policy",
    ARABIC[:24],
    CJK[:12],
    "Subscribe",
    "Archive of the harbour years",
    "Tips",
    HEBREW[:20],
    "Ethics",
    "Advertising",
    "Jobs",
    "Letters to the editor",
    "Events",
    "Donate",
]


def _jpeg(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def _thread(post, *, threads: int, depth: int, start: datetime) -> None:
    """threads x depth approved comments, each thread a chain of replies `depth` levels deep."""
    voices = [
        ("Ada Reader", f"I agree. {LONG_WORD}"),
        ("مريم الحداد", ARABIC),
        ("דנה לוי", HEBREW),
        ("王小明", CJK * 2),
        ("N" * 120, f"See {URL_WORD} for the minutes."),
    ]
    parents: list[Comment | None] = [None] * threads
    when = start
    for level in range(depth):
        batch = []
        for i in range(threads):
            name, text = voices[(i + level) % len(voices)]
            when += timedelta(minutes=1)
            batch.append(
                imported_comment(
                    post,
                    author_name=name,
                    content=f"<p>{text}</p>",
                    status="approved",
                    created_at=when,
                    parent=parents[i],
                    author_email=f"reader{i}@example.org",
                )
            )
        parents = Comment.objects.bulk_create(batch)


def build_site(menu_pages: int) -> dict[str, str]:
    """Posts, pages and comments of every awkward kind; returns {page type: address}."""
    set_option("blogname", "The Harbour Ledger")
    set_option("blogdescription", "News and notes from the river mouth, read slowly and corrected openly")
    set_option("thread_comments", "1")
    set_option("thread_comments_depth", "10")
    set_option("captcha_min_seconds", "0")
    writer = UserFactory(username="mara")
    writer.profile.display_name = "Mara Lindqvist"
    writer.profile.save()
    harbour = CategoryFactory(name=f"Harbour {LONG_WORD}", slug="harbour")
    tide = TagFactory(name=CJK[:10], slug="tides")
    photos = [
        services.create_media(
            _jpeg(640, 400, c),
            f"photo-{i}.jpg",
            alt=f"Photo {i}",
            caption=f"Caption {i} {LONG_WORD}",
            credit="Ana Ruiz/Ledger",
        )
        for i, c in enumerate([(40, 80, 120), (120, 60, 40), (60, 110, 70)])
    ]
    body = (
        f"<p>{LONG_WORD} {URL_WORD}</p>"
        f"<p dir='auto'>{ARABIC}</p><p>{CJK * 4}</p>"
        f"[media id={photos[0].pk}]"
        "<h2>The numbers</h2>"
        "<table><thead><tr><th>Year</th><th>Containers</th><th>Note</th></tr></thead>"
        f"<tbody><tr><td>1985</td><td>310,000</td><td>{LONG_WORD}</td></tr>"
        "<tr><td>2024</td><td>41,000</td><td>timber and scrap</td></tr></tbody></table>"
        "<blockquote cite='https://example.org/courier'><p>RIVERTON — The cranes come down.</p>"
        "<footer>By Jonas Berg, September 12, 2025</footer></blockquote>"
        f"[media id={photos[1].pk}]<h3>After</h3><p>What the land becomes.</p>[media id={photos[2].pk}]"
    )
    post = make_post(
        f"{LONG_WORD} — {ARABIC}",
        subtitle=f"{CJK} {HEBREW}",
        author=writer,
        categories=[harbour],
        tags=[tide],
        body=body,
        published_at=datetime(2025, 9, 15, 10, tzinfo=UTC),
    )
    services.add_correction(
        post, "An earlier version misstated the year.", date=datetime(2025, 9, 18, 9, tzinfo=UTC)
    )
    _thread(post, threads=5, depth=3, start=datetime(2025, 9, 16, tzinfo=UTC))

    photos_body = "".join(f"<p>Photo {n}.</p>[media id={photos[n % 3].pk}]" for n in range(300))
    many_photos = make_post(
        "Three hundred photos",
        author=writer,
        body=photos_body,
        published_at=datetime(2025, 9, 10, tzinfo=UTC),
    )
    deep = make_post(
        f"The long thread {CJK}",
        author=writer,
        categories=[harbour],
        published_at=datetime(2025, 9, 5, tzinfo=UTC),
    )
    _thread(deep, threads=50, depth=10, start=datetime(2025, 9, 6, tzinfo=UTC))
    make_post(HEBREW, author=writer, tags=[tide], published_at=datetime(2025, 9, 3, tzinfo=UTC))
    make_post(CJK * 3, author=writer, published_at=datetime(2025, 8, 3, tzinfo=UTC))

    pages = [
        make_post(title, post_type=PostType.PAGE, author=writer, menu_order=n, body=f"<p>{LONG_WORD}</p>")
        for n, title in enumerate(MENU_TITLES[:menu_pages])
    ]
    urls = {
        "home": "/",
        "post": permalink_for(post),
        "photos": permalink_for(many_photos),
        "thread": permalink_for(deep),
        "category": "/category/harbour/",
        "tag": "/tag/tides/",
        "author": "/author/mara/",
        "date": "/2025/09/",
        "search": "/?s=cranes",
        "404": "/there-is-nothing-here/",
    }
    if pages:  # with no page in the menu there is no page to show
        urls["page"] = permalink_for(pages[-1])
    return urls
