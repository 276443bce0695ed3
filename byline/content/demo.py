"""The demo site of `byline init --demo`: a small news-commentary blog written for Byline.

One post is shaped like the reference page (sections, two photos with caption and credit,
two dated corrections, one category and no tags, comments open). The photos are drawn
with Pillow, so the demo needs nothing from the network. Everything is fixed (dates,
text, pictures): the golden-output tests render it.
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime

from django.db import transaction
from PIL import Image, ImageDraw

from . import services
from .models import Category, Post, PostType, Status, Tag

AUTHOR = {
    "username": "mara",
    "email": "mara@example.org",
    "display_name": "Mara Lindqvist",
    "bio": (
        "<p>Mara Lindqvist was born in 1961 and reported on ports, shipping and city hall for "
        "thirty years, ten of them as a foreign correspondent. She holds a degree in economic "
        "history and is the author of <em>Tides of Trade</em> and <em>The Quiet Quay</em>.</p>"
    ),
    "website": "https://example.org/mara",
}

REFERENCE_SLUG = "the-cranes-come-down"


def _when(y, m, d, h=9, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def draw_harbour(width=1600, height=1000) -> bytes:
    """A harbour at dusk: sky gradient, water, three crane silhouettes."""
    img = Image.new("RGB", (width, height))
    px = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        sky = (int(250 - 120 * t), int(170 - 60 * t), int(110 + 60 * t))
        water = (int(30 + 20 * t), int(60 + 30 * t), int(90 + 40 * t))
        px.line([(0, y), (width, y)], fill=sky if y < height * 0.62 else water)
    px.ellipse([width * 0.68, height * 0.38, width * 0.78, height * 0.54], fill=(255, 214, 140))
    for i, x in enumerate((0.18, 0.42, 0.61)):
        base, top = height * 0.62, height * (0.18 + 0.05 * i)
        cx = width * x
        px.rectangle([cx - 14, top, cx + 14, base], fill=(28, 28, 36))
        px.polygon(
            [(cx - 40, top), (cx + 330, top + 8), (cx + 330, top + 26), (cx - 40, top + 30)],
            fill=(28, 28, 36),
        )
        px.line([(cx + 250, top + 26), (cx + 250, top + 160 + 40 * i)], fill=(28, 28, 36), width=4)
        px.rectangle([cx - 60, base - 30, cx + 60, base], fill=(36, 36, 44))
    for k in range(60):
        y = height * 0.64 + k * 6
        px.line(
            [(width * 0.1 + (k * 37) % 300, y), (width * 0.1 + (k * 37) % 300 + 160, y)],
            fill=(200, 150, 110),
            width=2,
        )
    return _jpeg(img)


def draw_quay(width=1600, height=1060) -> bytes:
    """Stacked containers on a quay under a grey morning sky."""
    img = Image.new("RGB", (width, height), (196, 203, 210))
    px = ImageDraw.Draw(img)
    for y in range(int(height * 0.55)):
        g = int(214 - 30 * y / height)
        px.line([(0, y), (width, y)], fill=(g, g + 4, g + 10))
    px.rectangle([0, height * 0.72, width, height], fill=(92, 96, 100))
    colours = [(176, 58, 46), (36, 96, 146), (222, 160, 40), (46, 120, 84), (120, 120, 128)]
    for row in range(4):
        for col in range(9):
            x0 = 60 + col * 165 + (row % 2) * 30
            y0 = height * 0.72 - (row + 1) * 92
            c = colours[(row * 3 + col * 7) % len(colours)]
            px.rectangle([x0, y0, x0 + 155, y0 + 86], fill=c, outline=(40, 40, 40), width=3)
            for r in range(8):
                px.line(
                    [(x0 + 12 + r * 18, y0 + 10), (x0 + 12 + r * 18, y0 + 76)],
                    fill=tuple(max(0, v - 35) for v in c),
                    width=3,
                )
    for k in range(14):
        a = k / 14 * math.pi
        px.line(
            [
                (width * 0.85, height * 0.2),
                (width * 0.85 + 200 * math.cos(a), height * 0.2 + 40 * math.sin(a)),
            ],
            fill=(230, 230, 235),
            width=1,
        )
    return _jpeg(img)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82, optimize=True)
    return buf.getvalue()


REFERENCE_BODY = """\
<p>Three stories from this week's papers, read together, say more about our port than any one of them does alone. I have clipped the parts that matter and added a few notes of my own.</p>

<h2>Cranes that outlived their ships</h2>
<blockquote cite="https://example.org/riverton-courier/cranes">
<p>RIVERTON — The last of the three ship-to-shore cranes on the North Quay will be taken down in October, the port authority said on Monday, ending sixty years in which they were the tallest things on the skyline.</p>
<p>The cranes were built for ships that carried eight hundred containers. The vessels that call today carry twenty times as many and cannot reach the quay at all.</p>
<footer>By Jonas Berg, September 12, 2025</footer>
</blockquote>
[media id={harbour}]
<blockquote cite="https://example.org/port-authority/statement"><p>We are not closing a quay. We are admitting that the quay closed itself, one larger ship at a time.</p></blockquote>
<p>That was the authority's chair, speaking to the council's harbour committee. It is the most honest sentence anyone in the building has said about the North Quay in a decade.</p>

<h2>What the council was told</h2>
<blockquote cite="https://example.org/westbridge-gazette/briefing">
<p>WESTBRIDGE — Councillors were told in a closed briefing that the land under the North Quay could be worth more as housing than as a port, according to two people who were there.</p>
<p>An economist advising the committee, Dr. Helen Achebe, said the city should <q cite="https://example.org/briefing">count the jobs the quay supports today, not the ones it supported in 1985</q> before deciding anything.</p>
<footer>By Ana Ruiz, September 13, 2025</footer>
</blockquote>
<h3>The numbers behind the briefing</h3>
<p>The port handled 41,000 containers last year at the North Quay, down from 310,000 at its peak. Most of the remaining traffic is timber and scrap, which does not need a container crane.</p>
[media id={quay}]

<h2>Who keeps the skyline</h2>
<blockquote cite="https://example.org/riverton-courier/skyline">
<p>RIVERTON — A residents' group has asked for one crane to be kept as a monument, as other port cities have done.</p>
<p>Keeping a crane standing is not cheap: the authority puts the cost of making one safe at about four million, and of maintaining it at a hundred thousand a year.</p>
<footer>By Jonas Berg, September 14, 2025</footer>
</blockquote>

<h2>My reading</h2>
<p>Put side by side, these stories describe one decision that nobody wants to be seen making. The cranes are coming down either way. What the city should argue about, in public, is what the land becomes and who pays for the memory of what it was.</p>
"""

POSTS = [
    {
        "title": "Night buses return to the river line",
        "subtitle": "After three years, the city brings back the 1 a.m. service — on a trial basis.",
        "category": "Transport",
        "tags": ["buses", "night economy"],
        "date": _when(2025, 9, 2, 7, 30),
        "body": (
            "The N12 will run every forty minutes between midnight and five from the first of October, "
            "the transport office confirmed.\n\n"
            "## Why it was cut\n\n"
            "Ridership fell below twenty passengers a trip in 2022, and the service was among the first "
            "to go when the budget shrank.\n\n"
            "## Why it is back\n\n"
            "Hospital and hotel workers asked for it, in a petition of 3,400 names. The trial runs for "
            "six months; the office says it will publish the figures every month.\n"
        ),
        "format": "markdown",
    },
    {
        "title": "The library that stayed open all night",
        "subtitle": "A pilot of 24-hour opening ends with more students and fewer complaints than feared.",
        "category": "Culture",
        "tags": ["libraries", "night economy"],
        "date": _when(2025, 8, 21, 12),
        "body": (
            "<p>For six weeks the central library kept its reading room open around the clock. "
            "Staff counted an average of 140 visitors between midnight and six.</p>"
            "<h2>Who came</h2><p>Mostly students before exams, a few shift workers, and — the staff noted "
            "— more people reading newspapers at 4 a.m. than anyone expected.</p>"
            "<h2>What it cost</h2><p>Two extra guards and one librarian a night: about 9,000 a week.</p>"
        ),
    },
    {
        "title": "A bridge inspection, explained",
        "subtitle": "What the engineers on the Old Bridge are actually looking for.",
        "category": "City",
        "tags": ["bridges", "infrastructure", "explainers"],
        "date": _when(2025, 7, 30, 9),
        "body": (
            "Every six years each bridge in the city gets a *principal inspection*: engineers touch every "
            "part of it.\n\n"
            "1. **Bearings**, which let the deck move as it warms and cools.\n"
            "2. **Joints**, where water gets in.\n"
            "3. **Steel**, for cracks that start at welds.\n\n"
            "> A bridge rarely fails without telling someone first. Inspections are how we listen.\n\n"
            "The Old Bridge's report is due in November and will be published in full.\n"
        ),
        "format": "markdown",
    },
    {
        "title": "Why the tide tables were wrong in June",
        "subtitle": "A sensor fault, a backup that was not, and a lesson for the harbour office.",
        "category": "Science",
        "tags": ["tides", "data"],
        "date": _when(2025, 7, 8, 16, 45),
        "body": (
            "<p>For eleven days in June the published tide heights for the inner harbour were off by up to "
            "forty centimetres. The cause was a pressure sensor that drifted slowly enough that no alarm "
            "fired.</p><p>The backup sensor shared the same power supply and failed with it on the third "
            "day.</p><h2>What changes</h2><p>The office will add a third sensor on a separate supply and "
            "compare all three every hour.</p>"
        ),
    },
    {
        "title": "City budget: five numbers to watch",
        "subtitle": "The draft is 400 pages long. These are the lines that will decide the argument.",
        "category": "City",
        "tags": ["budget", "explainers"],
        "date": _when(2025, 6, 17, 8),
        "sticky": True,
        "body": (
            "<ul><li><strong>Road repairs:</strong> up 12% after two flat years.</li>"
            "<li><strong>Libraries:</strong> flat, which after inflation is a cut.</li>"
            "<li><strong>Harbour:</strong> a new line for the North Quay study.</li>"
            "<li><strong>Buses:</strong> the night-service trial, costed at 310,000.</li>"
            "<li><strong>Reserves:</strong> down to six weeks of spending.</li></ul>"
            "<p>The council votes on the fourth of July.</p>"
        ),
    },
]


@transaction.atomic
def install_demo() -> bool:
    """Add the demo site; returns False (and changes nothing) if it is already there."""
    if Post.objects.filter(slug=REFERENCE_SLUG).exists():
        return False
    from byline.options.store import set_option

    set_option("blogname", "The Harbour Ledger")
    set_option("blogdescription", "Notes on a port city, read closely")
    author = services.create_user(
        AUTHOR["username"],
        email=AUTHOR["email"],
        role="author",
        display_name=AUTHOR["display_name"],
        bio=AUTHOR["bio"],
        website=AUTHOR["website"],
    )
    cats = {}
    for name, desc in [
        ("City", "City hall, budgets and the streets."),
        ("Transport", "Buses, trams, bridges and the river."),
        ("Culture", "Libraries, galleries and how the city spends its evenings."),
        ("Science", "Tides, weather and the data behind them."),
        ("Harbour", "The port, its quays and its people."),
    ]:
        cats[name] = Category.objects.create(name=name, slug=name.lower(), description=desc)
    tags: dict[str, Tag] = {}

    def tag(name):
        if name not in tags:
            tags[name] = services.get_or_create_term(Tag, name)
        return tags[name]

    for spec in POSTS:
        post = Post(
            title=spec["title"],
            subtitle=spec["subtitle"],
            body=spec["body"],
            body_format=spec.get("format", "html"),
            status=Status.PUBLISH,
            author=author,
            published_at=spec["date"],
            modified_at=spec["date"],
            sticky=spec.get("sticky", False),
            comment_status="closed",
        )
        services.save_post(
            post, categories=[cats[spec["category"]]], tags=[tag(t) for t in spec["tags"]], touch=False
        )

    harbour = services.create_media(
        draw_harbour(),
        "north-quay-cranes.jpg",
        title="North Quay cranes",
        alt="Three container cranes silhouetted against an orange evening sky over the harbour",
        caption="The North Quay cranes at dusk, a week before the first was dismantled.",
        credit="Ingrid Solberg/Harbour Photo Agency",
        uploaded_by=author,
        created_at=_when(2025, 9, 14, 8),
    )
    quay = services.create_media(
        draw_quay(),
        "north-quay-containers.jpg",
        title="Containers on the quay",
        alt="Rows of red, blue and yellow shipping containers stacked four high on a grey quay",
        caption="Timber and scrap now outnumber containers at the North Quay.",
        credit="Tomas Varga/The Riverton Courier",
        uploaded_by=author,
        created_at=_when(2025, 9, 14, 8),
    )
    reference = Post(
        title="The Cranes Come Down",
        subtitle="Three stories about the North Quay, and what they add up to.",
        slug=REFERENCE_SLUG,
        body=REFERENCE_BODY.replace("{harbour}", str(harbour.pk)).replace("{quay}", str(quay.pk)),
        status=Status.PUBLISH,
        author=author,
        published_at=_when(2025, 9, 15, 10),
        modified_at=_when(2025, 9, 15, 10),
        comment_status="open",
        featured_image=harbour,
    )
    services.save_post(reference, categories=[cats["Harbour"]], tags=[], touch=False)
    services.add_correction(
        reference,
        "An earlier version of this post misstated the year the North Quay cranes were built. "
        "They went up in 1965, not 1961.",
        date=_when(2025, 9, 16, 11, 20),
    )
    services.add_correction(
        reference,
        "An earlier version gave the wrong figure for the quay's peak traffic. It was 310,000 "
        "containers a year, not 301,000.",
        date=_when(2025, 9, 18, 15, 5),
    )

    about = Post(
        post_type=PostType.PAGE,
        title="About",
        slug="about",
        status=Status.PUBLISH,
        author=author,
        published_at=_when(2025, 6, 1),
        modified_at=_when(2025, 6, 1),
        comment_status="closed",
        body=(
            "<p><em>The Harbour Ledger</em> reads the local papers so that you do not have to read "
            "all of them. Each post clips the stories that matter, side by side, and says what "
            "they add up to.</p><h2>Corrections</h2><p>When we get something wrong we say so at "
            "the end of the post, with the date.</p>"
        ),
    )
    services.save_post(about, touch=False)
    return True
