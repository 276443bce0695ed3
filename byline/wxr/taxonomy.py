"""Categories and tags of an export, matched by slug as WordPress's importer matches terms.

A category of the same slug as one the site has already is that category (WordPress's
`term_exists`): importing a second blog that also files posts under "news" puts them in the
one News section. Parents are named by slug and may come later in the file; they are linked
up when the file has been read.
"""

from __future__ import annotations

from django.utils.text import slugify

from byline.content.models import Category, Tag
from byline.content.services import get_or_create_term, save_term

from .records import Term
from .report import ImportReport
from .values import plain_text


def term_slug(slug: str, name: str) -> str:
    """The slug Byline gives a term (get_or_create_term's), so lookups agree with it."""
    return slugify(slug or name, allow_unicode=True)[:190] or "term"


class Taxonomy:
    """Category and tag ids by slug, with the terms the import has created."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.categories: dict[str, int] = dict(Category.objects.values_list("slug", "pk"))
        self.tags: dict[str, int] = dict(Tag.objects.values_list("slug", "pk"))
        # (category id, its slug, its parent's slug, line) of the categories this import made
        self.pending_parents: list[tuple[int, str, str, int]] = []

    def take(self, term: Term) -> None:
        """A wp:category, wp:tag or wp:term record."""
        what = f"{term.taxonomy or 'term'} {term.slug or term.name!r}"
        if term.problems:
            self.report.skip(term.line, what, "; ".join(term.problems))
            return
        if term.kind == "other":
            self.report.skip(term.line, what, f"{term.taxonomy} terms (Byline has no such taxonomy)")
            return
        pk, created = self._term(term.kind, term.slug, term.name, term.description, declared=True)
        if created and term.kind == "category" and term.parent_slug:
            slug = term_slug(term.slug, plain_text(term.name))
            self.pending_parents.append((pk, slug, term_slug(term.parent_slug, ""), term.line))

    def ids_for(self, links: list[tuple[str, str, str]], line: int) -> tuple[list[int], list[int]]:
        """Category and tag ids of an item's <category domain nicename> links."""
        categories, tags = [], []
        for domain, nicename, name in links:
            if domain == "category":
                categories.append(self._term("category", nicename, name, "", declared=False)[0])
            elif domain == "post_tag":
                tags.append(self._term("tag", nicename, name, "", declared=False)[0])
        return list(dict.fromkeys(categories)), list(dict.fromkeys(tags))

    def _term(self, kind: str, slug: str, name: str, description: str, declared: bool) -> tuple[int, bool]:
        """The id of the term of this slug, and whether the import created it."""
        known = self.categories if kind == "category" else self.tags
        key = term_slug(slug, plain_text(name))
        if key in known:
            if declared:
                self.report.existing["categories" if kind == "category" else "tags"] += 1
            return known[key], False
        model = Category if kind == "category" else Tag
        term = get_or_create_term(
            model,
            (plain_text(name) or key)[:200],
            slug=key,
            description=plain_text(description),
        )
        known[key] = term.pk
        self.report.created["categories" if kind == "category" else "tags"] += 1
        return term.pk, True

    def finish(self) -> None:
        """Link each category to its parent, now that every category of the file is known."""
        for pk, slug, parent_slug, line in self.pending_parents:
            parent = self.categories.get(parent_slug)
            if parent is None:
                self.report.note(
                    line,
                    f"category {slug!r}",
                    "its parent category is not in the file; imported as a top-level category",
                )
            elif parent != pk and not self._is_below(parent, pk):
                save_term(Category.objects.get(pk=pk), parent=Category.objects.get(pk=parent))

    def _is_below(self, node: int, ancestor: int) -> bool:
        """Whether `ancestor` is above `node` already (a parent loop must not be closed)."""
        seen = set()
        while node is not None and node not in seen:
            if node == ancestor:
                return True
            seen.add(node)
            node = Category.objects.filter(pk=node).values_list("parent_id", flat=True).first()
        return False
