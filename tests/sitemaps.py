"""Reading the sitemap as a crawler does: the index, then every page it names."""

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_pages(client, index: str = "/sitemap.xml") -> list[str]:
    """The paths of the pages the sitemap index names, in order."""
    response = client.get(index)
    assert response.status_code == 200, index
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    return [
        loc.removeprefix("http://testserver") for loc in root.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    ]


def sitemap_locations(client, index: str = "/sitemap.xml") -> list[str]:
    """Every address listed on every page of the sitemap (duplicates kept, to be counted)."""
    found = []
    for page in sitemap_pages(client, index):
        response = client.get(page)
        assert response.status_code == 200, page
        found += etree.fromstring(response.content).xpath("//s:url/s:loc/text()", namespaces=NS)
    return found


def sitemap_text(client) -> str:
    """Every page of the sitemap, one after another (for `in` checks)."""
    return "\n".join(client.get(page).content.decode() for page in sitemap_pages(client))
