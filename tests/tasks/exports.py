"""WordPress exports made for these tests: N posts with comments, and photos (attachments)."""

from __future__ import annotations

from pathlib import Path

HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
    ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"\n xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel>\n<title>Harbour Ledger</title>\n<link>https://old.example.org</link>\n"
    "<wp:wxr_version>1.2</wp:wxr_version>\n"
    "<wp:base_site_url>https://old.example.org</wp:base_site_url>\n"
    "<wp:base_blog_url>https://old.example.org</wp:base_blog_url>\n"
    "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>mara</wp:author_login>"
    "<wp:author_email>mara@example.org</wp:author_email>"
    "<wp:author_display_name>Mara</wp:author_display_name></wp:author>\n"
)


def _photo(n: int) -> str:
    return (
        f"<item><title>Photo {n}</title><link>https://old.example.org/?attachment_id={10_000 + n}</link>"
        f'<guid isPermaLink="false">https://old.example.org/?attachment_id={10_000 + n}</guid>'
        f"<dc:creator>mara</dc:creator><content:encoded></content:encoded><excerpt:encoded></excerpt:encoded>"
        f"<wp:post_id>{10_000 + n}</wp:post_id><wp:post_date>2019-05-01 10:00:00</wp:post_date>"
        f"<wp:post_date_gmt>2019-05-01 10:00:00</wp:post_date_gmt><wp:post_name>photo-{n}</wp:post_name>"
        f"<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>https://old.example.org/wp-content/uploads/2019/05/photo-{n}.jpg</wp:attachment_url>"
        "</item>\n"
    )


def _post(n: int, comments: int) -> str:
    date = f"{2005 + n // 336}-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d} 10:{n % 60:02d}:00"
    thread = "".join(
        f"<wp:comment><wp:comment_id>{n * 100 + k}</wp:comment_id>"
        f"<wp:comment_author>Reader {k}</wp:comment_author>"
        f"<wp:comment_author_email>reader{k}@example.net</wp:comment_author_email>"
        f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
        f"<wp:comment_content>Comment {k} on post {n}.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
        "</wp:comment>"
        for k in range(1, comments + 1)
    )
    return (
        f"<item><title>Imported post {n}</title><link>https://old.example.org/?p={n}</link>"
        f'<guid isPermaLink="false">https://old.example.org/?p={n}</guid><dc:creator>mara</dc:creator>'
        f"<content:encoded><![CDATA[The quay at dawn, number {n}.\n\nA second paragraph.]]></content:encoded>"
        f"<excerpt:encoded></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
        f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>"
        f"<wp:post_name>imported-post-{n}</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>"
        f"{thread}</item>\n"
    )


def write_export(
    path: Path, *, posts: int, comments_per_post: int = 0, photos: int = 0, poison_at: int | None = None
) -> int | None:
    """Write the export; with `poison_at`, post number `poison_at` is cut off mid-element
    (the XML is broken there). Returns the line of the poison, if any."""
    line = None
    lines = 0  # newlines written so far
    with path.open("w", encoding="utf-8") as out:

        def write(text: str) -> None:
            nonlocal lines
            out.write(text)
            lines += text.count("\n")

        write(HEAD)
        for n in range(1, photos + 1):
            write(_photo(n))
        for n in range(1, posts + 1):
            if n == poison_at:
                line = lines + 1
                write("<item><title>Half a post</title><wp:post_id>oops</item>\n")
            else:
                write(_post(n, comments_per_post))
        write("</channel>\n</rss>\n")
    return line
