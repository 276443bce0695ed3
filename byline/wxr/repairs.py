"""A byte stream that mends two common faults of exports, so a file is not lost to them.

1. Stray ampersands. WordPress escapes every `&` it writes, but exports that passed
   through other tools or an editor sometimes carry a bare one, typically in a URL
   (`…?w=1268&q=80` in Ghost's own test exports). Strict XML refuses the whole file for it;
   browsers, feed readers and WordPress's fallback importer read it as the character `&`.
   So does Byline, by writing `&amp;` for any `&` that does not start one of the references
   XML allows without a DTD (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#…;` `&#x…;`).
2. Control characters. Text pasted from word processors brings characters such as U+000B
   (vertical tab) that WordPress stores and exports as they are, but that XML 1.0 forbids
   anywhere in a document (§2.2); they are invisible in a page, so they are dropped.

Neither repair changes the meaning of a well-formed file: in text and attribute values of
a document without a DTD any other `&` is already an error, control characters are errors
everywhere, and CDATA sections, comments and processing instructions, where `&` is
ordinary, are passed through with their ampersands untouched. After a `<!DOCTYPE` no
ampersand is touched (the reader refuses DTDs anyway), and a file in an encoding where
these characters are not single ASCII bytes (UTF-16, UTF-32, Shift_JIS …) is passed
through unchanged.
"""

from __future__ import annotations

import re
from typing import BinaryIO

_CHUNK = 64 * 1024
_HEAD = 1024  # bytes enough to see a byte order mark and the XML declaration

# XML 1.0 §2.2: of the C0 controls only tab, line feed and carriage return are characters.
_FORBIDDEN_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]+")

# States of the small lexer: where in the XML syntax the next byte is.
_TEXT, _TAG, _ATTR_DOUBLE, _ATTR_SINGLE, _COMMENT, _CDATA, _PI, _RAW = range(8)

# Text without `&` or `<`, and whole start or end tags without `&`: nothing to decide in
# them, so they are copied in one step (most of a file is this).
_PLAIN = re.compile(rb"""(?:[^&<]+|</?[A-Za-z_:][^<>"'&]*(?:(?:"[^"&<]*"|'[^'&<]*')[^<>"'&]*)*>)+""")
_TAG_STOP = re.compile(rb"[\"'>]")
_AFTER_TAG_STOP = {b'"': _ATTR_DOUBLE, b"'": _ATTR_SINGLE, b">": _TEXT}
_QUOTES = {_ATTR_DOUBLE: b'"', _ATTR_SINGLE: b"'"}
_CLOSERS = {_COMMENT: b"-->", _CDATA: b"]]>", _PI: b"?>"}
_OPENERS = ((b"<!--", _COMMENT), (b"<![CDATA[", _CDATA), (b"<?", _PI), (b"<!", _RAW))

# XML 1.0 §4.6: without a DTD only these five entities exist; §4.1: character references.
_STRAY_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)")
# What may still grow into a reference once the next chunk arrives.
_REFERENCE_START = re.compile(rb"&[#A-Za-z0-9]*\Z")
_LONGEST_WAIT = 4096  # a "reference" longer than this is not one: stop waiting for its ';'

_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_ASCII_SUPERSETS = re.compile(rb"(?i)(utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?\d|(windows|cp)-?125\d)\Z")


def ascii_compatible(head: bytes) -> bool:
    """Whether `<` and `&` in these first bytes of an XML file are the ASCII bytes themselves."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return False  # UTF-16 or UTF-32
    declared = _DECLARED_ENCODING.match(head)
    # XML 1.0 §4.3.3: with no encoding declared the file is UTF-8.
    return declared is None or _ASCII_SUPERSETS.match(declared.group(1)) is not None


class RepairingReader:
    """Wraps a binary file; `read()` gives its bytes with stray `&` escaped, controls dropped."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._pending = b""  # read but not yet decided (a possible reference or marker)
        self._out = bytearray()
        self._state = _TEXT
        self._started = False
        self._eof = False
        self.newlines = 0  # in the bytes read so far, to tell where the file ends
        self.ends_with_newline = False

    @property
    def last_line(self) -> int | None:
        """The number of the file's last line that has something on it, once all is read."""
        if not self._eof:
            return None
        return self.newlines + (0 if self.ends_with_newline else 1)

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` bytes (all that is left when `size` is negative)."""
        want = size if size is not None and size > 0 else None
        while not self._eof and (want is None or len(self._out) < want):
            chunk = self._raw.read(_CHUNK)
            if isinstance(chunk, str):
                raise TypeError("a WXR file must be opened in binary mode ('rb')")
            if chunk:
                self.newlines += chunk.count(b"\n")
                self.ends_with_newline = chunk.endswith(b"\n")
                self._pending += chunk
            else:
                self._eof = True
            if not self._started:
                if len(self._pending) < _HEAD and not self._eof:
                    continue
                self._started = True
                if not ascii_compatible(self._pending[:_HEAD]):
                    self._state = _RAW
            self._scan(final=self._eof)
        if want is None:
            data = bytes(self._out)
            self._out.clear()
            return data
        data = bytes(self._out[:want])
        del self._out[:want]
        return data

    def _scan(self, final: bool) -> None:
        """Move what can be decided from `_pending` to `_out`, keeping an undecided tail."""
        buf = self._pending if self._state == _RAW else _FORBIDDEN_CONTROLS.sub(b"", self._pending)
        out, pos, end = self._out, 0, len(buf)
        while pos < end:
            state = self._state
            if state == _RAW:
                out += buf[pos:]
                pos = end
            elif state in _CLOSERS:
                closer = _CLOSERS[state]
                found = buf.find(closer, pos)
                if found < 0:
                    # Keep the last bytes back: they may be the start of the closer.
                    upto = end if final else max(pos, end - len(closer) + 1)
                    out += buf[pos:upto]
                    pos = upto
                    break
                out += buf[pos : found + len(closer)]
                pos = found + len(closer)
                self._state = _TEXT
            elif state == _TAG:
                # Inside a tag, outside its attribute values: a quote opens a value, `>` ends it.
                stop = _TAG_STOP.search(buf, pos)
                if stop is None:
                    out += buf[pos:]
                    pos = end
                    break
                out += buf[pos : stop.end()]
                pos = stop.end()
                self._state = _AFTER_TAG_STOP[stop.group()]
            elif state in _QUOTES:
                closing = buf.find(_QUOTES[state], pos)
                pos = self._escape_up_to(buf, pos, closing, final)
                if pos != closing:
                    break  # the value goes on in the next chunk
                out += buf[pos : pos + 1]
                pos += 1
                self._state = _TAG
            else:
                plain = _PLAIN.match(buf, pos)
                if plain is not None:
                    out += plain.group()
                    pos = plain.end()
                elif buf.startswith(b"&", pos):
                    before = pos
                    pos = self._escape_up_to(buf, pos, buf.find(b"<", pos), final)
                    if pos == before:
                        break  # a possible reference cut by the chunk boundary
                elif not final and end - pos < len(b"<![CDATA["):
                    break  # not enough bytes yet to tell a tag from CDATA or a comment
                else:
                    pos = self._open_markup(buf, pos)
        self._pending = buf[pos:]

    def _escape_up_to(self, buf: bytes, pos: int, stop: int, final: bool) -> int:
        """Copy text or an attribute value up to `stop` (-1: all there is), stray `&` escaped.

        One regular-expression pass however many ampersands there are; returns where the
        copy stopped, which is short of the end when a reference may be cut in two.
        """
        if stop < 0:
            stop = len(buf)
            last = buf.rfind(b"&", pos, stop)
            if (
                not final
                and last >= 0
                and stop - last < _LONGEST_WAIT
                and _REFERENCE_START.match(buf, last, stop)
            ):
                stop = last  # wait: the next chunk may complete "&am" into "&amp;"
        self._out += _STRAY_AMPERSAND.sub(b"&amp;", buf[pos:stop])
        return stop

    def _open_markup(self, buf: bytes, at: int) -> int:
        """Enter the state of the markup that starts with `<` at `at`; return where to go on."""
        for opener, state in _OPENERS:
            if buf.startswith(opener, at):
                self._state = state
                self._out += opener
                return at + len(opener)
        self._state = _TAG
        self._out += b"<"
        return at + 1
