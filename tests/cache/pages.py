"""Reading pages as a reader does: decoded whatever the encoding, and warmed into the cache."""

from byline.site import pagecache


def text_of(response) -> str:
    """What a reader reads: the body, decoded whatever the encoding."""
    import gzip

    import brotli

    body = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.get("Content-Encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        body = brotli.decompress(body)
    return body.decode()


def warm(client, address, **headers):
    """Two GETs: the first stores the page, the second must be a hit."""
    first = client.get(address, **headers)
    second = client.get(address, **headers)
    assert second[pagecache.HEADER] == "hit", (first[pagecache.HEADER], second[pagecache.HEADER])
    return second
