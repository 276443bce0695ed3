"""What an import did: counts per kind, what was skipped and why, what could not be shown.

The CLI prints it and the admin's "Import from WordPress" page shows it; both read the same
`ImportReport`, so the two never tell the user different stories.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The kinds an import counts, in the order the report lists them.
KINDS = ("authors", "categories", "tags", "posts", "pages", "media", "comments", "old addresses")
_SHOWN_PER_REASON = 10  # lines listed for one reason before "… and N more"


@dataclass(slots=True)
class Problem:
    """One record that was skipped, or imported with a change the user should know of."""

    line: int
    what: str  # "post “Hello world” (id 12)"
    reason: str


@dataclass
class ImportReport:
    """The outcome of one `import_wxr` run."""

    source: str = ""
    dry_run: bool = False
    site_title: str = ""
    wxr_version: str = ""
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)  # already there from an earlier import
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    # Shortcode name -> the number of posts that use it, and the line of the first.
    unknown_shortcodes: Counter = field(default_factory=Counter)
    shortcode_lines: dict[str, int] = field(default_factory=dict)
    # ("title", "The Harbour Ledger"): site options taken from the export (the site had Byline's defaults).
    site_options: list[tuple[str, str]] = field(default_factory=list)
    media_dir: str | None = None
    media_files: int = 0  # files copied from --media-dir
    error: str | None = None  # a whole-file problem: nothing was imported
    seconds: float = 0.0

    def skip(self, line: int, what: str, reason: str) -> None:
        self.skipped.append(Problem(line, what, reason))

    def note(self, line: int, what: str, reason: str) -> None:
        self.notes.append(Problem(line, what, reason))

    def shortcodes(self, names: list[str], line: int) -> None:
        for name in dict.fromkeys(names):
            self.unknown_shortcodes[name] += 1
            self.shortcode_lines.setdefault(name, line)

    @property
    def ok(self) -> bool:
        return self.error is None

    def rows(self) -> list[tuple[str, int, int]]:
        """(kind, created, already there) for every kind the file held."""
        return [
            (kind, self.created[kind], self.existing[kind])
            for kind in KINDS
            if self.created[kind] or self.existing[kind]
        ]

    def grouped(self, problems: list[Problem]) -> list[tuple[str, list[Problem], int]]:
        """Problems by reason, in order of first appearance: (reason, shown, how many more)."""
        by_reason: dict[str, list[Problem]] = {}
        for problem in problems:
            by_reason.setdefault(problem.reason, []).append(problem)
        return [
            (reason, found[:_SHOWN_PER_REASON], max(0, len(found) - _SHOWN_PER_REASON))
            for reason, found in by_reason.items()
        ]

    @property
    def grouped_skipped(self) -> list[tuple[str, list[Problem], int]]:
        return self.grouped(self.skipped)

    @property
    def grouped_notes(self) -> list[tuple[str, list[Problem], int]]:
        return self.grouped(self.notes)

    @property
    def media_note(self) -> str:
        if self.media_dir is None:
            if self.created["media"]:
                return (
                    "Media URLs kept, files not imported: photos are still loaded from the old site. "
                    "Run the import again with --media-dir pointing at a copy of wp-content/uploads "
                    "into a fresh site to bring the files over."
                )
            return ""
        return f"{self.media_files} media files imported from {self.media_dir}."

    @property
    def site_note(self) -> str:
        """The line "Site title set to “…” … from the export", or ""."""
        if not self.site_options:
            return ""
        verb = "would be set to" if self.dry_run else "set to"
        parts = [
            f"{label} {verb if i == 0 else 'to'} “{text}”"
            for i, (label, text) in enumerate(self.site_options)
        ]
        return f"Site {' and '.join(parts)} from the export (the site still had Byline's defaults)."

    def lines(self) -> list[str]:
        """The report as plain text, one line per entry (the CLI prints these)."""
        if self.error:
            return [f"{self.source}: {self.error}", "Nothing was imported."]
        title = f"“{self.site_title}” " if self.site_title else ""
        verb = "Would import" if self.dry_run else "Imported"
        out = [f"{verb} {title}from {self.source} (WXR {self.wxr_version}) in {self.seconds:.1f} s."]
        width = max((len(kind) for kind, _, _ in self.rows()), default=0)
        for kind, created, existing in self.rows():
            again = f"  ({existing} already there)" if existing else ""
            out.append(f"  {kind:<{width}}  {created:>7}{again}")
        if not self.rows():
            out.append("  nothing to import")
        for heading, problems in (("Skipped", self.skipped), ("Imported with changes", self.notes)):
            if not problems:
                continue
            out.append(f"{heading} ({len(problems)}):")
            for reason, shown, more in self.grouped(problems):
                out.append(f"  {reason}:")
                out.extend(f"    line {p.line}: {p.what}" for p in shown)
                if more:
                    out.append(f"    … and {more} more")
        if self.unknown_shortcodes:
            out.append("Shortcodes Byline cannot show (kept as text):")
            for name, count in self.unknown_shortcodes.most_common():
                posts = "post" if count == 1 else "posts"
                out.append(f"  [{name}] in {count} {posts}, first at line {self.shortcode_lines[name]}")
        if self.site_note:
            out.append(self.site_note)
        if self.media_note:
            out.append(self.media_note)
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        return out
