"""The comment form's math CAPTCHA (``6 + ___ = twelve``) and its honeypot field.

A reader fills in the missing number of a small sum, shown partly in digits and partly in
English words. It keeps untargeted form-filling bots out without a third-party service
(DESIGN.md: no request to a third party while serving a page) and without cookies or
server-side state, so the page that shows the form stays cacheable.

How a sum travels:

- ``new_challenge()`` makes a sum; ``Challenge.question()`` is the text the form shows.
- ``issue_token(challenge, post_id=…)`` signs the sum, the post whose form shows it, the
  issue time and a random nonce with ``django.core.signing``; the form carries it in a
  hidden field. Nothing is stored. A token is refused on any other post's form.
- ``check_answer(token, answer)`` verifies the signature, the age, and the answer, and
  claims the nonce in Django's "shared" cache with ``add`` so that each token is accepted at
  most once. ``add`` is atomic in Redis, so with ``BYLINE_CACHE_URL`` set the claim
  holds across every app node; the claim outlives the token (``max_age + 60`` seconds), so
  by the time it is forgotten the token has expired anyway. A claim that cannot be written
  at all (the database locked by an import) raises ``CaptchaUnavailable``, never "reused".

Decisions:

- **A wrong answer burns the token.** As in WordPress math-captcha plugins, the caller
  shows a fresh sum after a wrong answer (``CaptchaError.needs_new_challenge``); the
  comment text itself is kept by the form. Otherwise a bot could retry one token until it
  hits the answer. A missing answer and a too-fast submission do *not* burn the token:
  neither tells the sender anything about the answer, and a person who simply forgot the
  field should see the same sum again (``challenge_from_token`` re-reads it).
- **Signed, not encrypted.** Anyone can base64-decode the token and read the sum. That
  gives away nothing the page does not already print: the sum is meant to be solvable by a
  person reading it, and a bot written for this site can solve it either way. The CAPTCHA,
  the honeypot and ``min_seconds`` stop generic spam scripts; moderation rules do the rest.
- **Numbers in words** follow British usage, "one hundred and three"; ``words_to_number``
  also accepts "one hundred three", hyphens ("forty-five") and any letter case.
- **Minus is shown as "−" (U+2212)**, the typographic minus sign; screen readers say
  "minus" for it.
"""

from __future__ import annotations

import math
import os
import random
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import DatabaseError
from django.utils.crypto import salted_hmac

from byline.sharedcache import SharedCacheUnavailable

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a pinned dependency
    RedisError = OSError

SALT = "byline.comments.captcha"
HONEYPOT_FIELD = "website_confirm"
BLANK = "___"

Style = Literal["digits", "words"]
STYLES = ("digits", "words", "mixed")

# Display symbols; "−" is U+2212 MINUS SIGN, which both people and the acceptance checker
# read as minus, unlike a hyphen that could be taken for part of a hyphenated number.
SYMBOLS = {"+": "+", "-": "\u2212", "×": "×", "÷": "÷"}
# Spellings callers may use for an operation; a Challenge always stores the canonical one.
_OPERATION_ALIASES = {"+": "+", "-": "-", "\u2212": "-", "×": "×", "*": "×", "÷": "÷", "/": "÷"}

MESSAGES = {
    "missing": "Please answer the sum.",
    "forged": "The sum could not be checked; here is a new one.",
    "expired": "The sum has expired; here is a new one.",
    "too_fast": "That was sent too quickly after the page loaded; please wait a moment and send it again.",
    "wrong": "That is not the right answer to the sum; please try again.",
    "reused": "That sum has already been answered; here is a new one.",
    "other_post": "That sum was made for another post's form; here is a new one for this post.",
}
# Codes after which the token is spent (or worthless) and the form must show a new sum.
_NEEDS_NEW_CHALLENGE = frozenset({"forged", "expired", "wrong", "reused", "other_post"})

# A real token is under 200 characters; refusing long ones early keeps hashing cheap.
_MAX_TOKEN_LENGTH = 1000
_NONCE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


# --- numbers in words ------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_to_words(n: int) -> str:
    """Spell 0–999 in English words: 45 → "forty five", 103 → "one hundred and three"."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 999:
        raise ValueError(f"number_to_words takes an int from 0 to 999, not {n!r}")
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        parts.append(f"{_ONES[hundreds]} hundred")
    if rest or not hundreds:
        if hundreds:
            parts.append("and")
        if rest < 20:
            parts.append(_ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            parts.append(_TENS[tens] if not ones else f"{_TENS[tens]} {_ONES[ones]}")
    return " ".join(parts)


def _accepted_spellings() -> dict[str, int]:
    # Every accepted spelling, with hyphens already turned into spaces: a lookup table is
    # strict ("five five" or "and three" are not numbers) and obviously right, and 2,000
    # short strings cost nothing.
    table = {}
    for n in range(1000):
        words = number_to_words(n)
        table[words] = n
        table[words.replace(" and ", " ")] = n  # American: "one hundred three"
    return table


_SPELLINGS = _accepted_spellings()


def words_to_number(text: str) -> int | None:
    """Read an answer typed as digits or English words (0–999); None if it is neither.

    Case, surrounding whitespace and hyphens between words ("forty-five") do not matter.
    """
    if not isinstance(text, str):
        return None
    text = text.strip().lower()
    # ASCII digits only: int() would also take other scripts' digits and "1_000".
    if re.fullmatch(r"[0-9]+", text):
        digits = text.lstrip("0") or "0"
        return int(digits) if len(digits) <= 3 else None
    words = re.split(r"\s+|-", text)
    if "" in words:  # a leading, trailing or doubled hyphen
        return None
    return _SPELLINGS.get(" ".join(words))


# --- the sum ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    """A true sum ``a op b = c`` with one of its three numbers hidden.

    ``blank`` is the position of the hidden number (0 for a, 1 for b, 2 for c); ``styles``
    says for each of a, b and c whether it is shown as digits or words (the blank's own
    entry is not used).
    """

    a: int
    op: str
    b: int
    c: int
    blank: int
    styles: tuple[Style, Style, Style]

    def __post_init__(self) -> None:
        # A Challenge also comes back from a token, so an impossible one must not load.
        numbers = (self.a, self.b, self.c)
        if any(isinstance(x, bool) or not isinstance(x, int) or not 0 <= x <= 999 for x in numbers):
            raise ValueError(f"numbers must be ints from 0 to 999: {numbers!r}")
        if self.op not in SYMBOLS:
            raise ValueError(f"unknown operation {self.op!r}")
        if self.blank not in (0, 1, 2) or isinstance(self.blank, bool):
            raise ValueError(f"blank must be 0, 1 or 2, not {self.blank!r}")
        if len(self.styles) != 3 or any(s not in ("digits", "words") for s in self.styles):
            raise ValueError(f"styles must be three of 'digits'/'words': {self.styles!r}")
        if not _holds(self.a, self.op, self.b, self.c):
            raise ValueError(f"{self.a} {self.op} {self.b} = {self.c} is not true")

    @property
    def numbers(self) -> tuple[int, int, int]:
        """The three numbers a, b and c, hidden one included."""
        return (self.a, self.b, self.c)

    @property
    def answer(self) -> int:
        """The hidden number, which the reader has to type."""
        return self.numbers[self.blank]

    def question(self) -> str:
        """The sum as the form shows it, e.g. "6 + ___ = twelve"."""
        shown = [
            BLANK if i == self.blank else (number_to_words(n) if self.styles[i] == "words" else str(n))
            for i, n in enumerate(self.numbers)
        ]
        return f"{shown[0]} {SYMBOLS[self.op]} {shown[1]} = {shown[2]}"


def _holds(a: int, op: str, b: int, c: int) -> bool:
    if op == "+":
        return a + b == c
    if op == "-":
        return a - b == c
    if op == "×":
        return a * b == c
    return b >= 1 and a == b * c  # ÷: exact division only


class _Draws:
    """The draws `new_challenge` makes, as `secrets.SystemRandom` makes them (the same
    `getrandbits` and rejection sampling, so the same distribution), from one read of the
    system's random source rather than one per draw plus the generator's own seeding: a
    SystemRandom costs about 15 µs a sum, paid on every hit of a cached page with a form.

    The sum need not be secret (its answer is in the page it is shown on); what protects the
    form is the signed token and its single-use nonce (`issue_token`), drawn by `secrets`.
    """

    __slots__ = ("_bytes", "_at")

    def __init__(self) -> None:
        self._bytes, self._at = os.urandom(32), 0

    def getrandbits(self, k: int) -> int:
        n = (k + 7) // 8  # as SystemRandom: whole bytes, the extra low bits shifted away
        if self._at + n > len(self._bytes):
            self._bytes, self._at = os.urandom(32), 0
        chunk = self._bytes[self._at : self._at + n]
        self._at += n
        return int.from_bytes(chunk, "big") >> (n * 8 - k)

    def _below(self, n: int) -> int:
        k = n.bit_length()  # as Random._randbelow_with_getrandbits
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def randrange(self, stop: int) -> int:
        return self._below(stop)

    def randint(self, a: int, b: int) -> int:
        return a + self._below(b - a + 1)

    def choice(self, seq):
        return seq[self._below(len(seq))]


def new_challenge(
    *,
    operations: Iterable[str] = ("+", "-"),
    style: str = "mixed",
    rng: random.Random | _Draws | None = None,
) -> Challenge:
    """Make a small true sum, its blank in any of the three places.

    + and − use numbers from 1 to 20 and never go below zero; × uses factors from 1 to 10;
    ÷ is × backwards, so it always divides exactly (and, with the divisor hidden, has one
    answer even read as whole-number division). ``style`` is "digits", "words" or
    "mixed" (one shown number in digits, the other in words, either way round).
    """
    requested = tuple(operations)
    # dict.fromkeys drops repeats, so ("+", "+", "-") does not make + twice as likely.
    ops = list(dict.fromkeys(_OPERATION_ALIASES.get(op) for op in requested))
    if not ops or None in ops:
        raise ValueError(f"operations must be some of + - × ÷, not {requested!r}")
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    rng = rng or _Draws()

    op = rng.choice(ops)
    blank = rng.randrange(3)
    if op == "+":
        a, b = rng.randint(1, 20), rng.randint(1, 20)
        c = a + b
    elif op == "-":
        b, a = sorted((rng.randint(1, 20), rng.randint(1, 20)))
        c = a - b
    elif op == "×":
        a, b = rng.randint(1, 10), rng.randint(1, 10)
        c = a * b
    else:
        b, c = rng.randint(1, 10), rng.randint(1, 10)
        # With the divisor hidden, "24 ÷ ___ = four" has two answers for anyone who reads ÷
        # as whole-number division (24 // 5 == 24 // 6 == 4), the acceptance checker
        # included. A smaller divisor x gives the same quotient exactly when b > c + 1, so
        # such sums are drawn again.
        while blank == 1 and b > c + 1:
            b, c = rng.randint(1, 10), rng.randint(1, 10)
        a = b * c

    styles: list[Style] = ["digits", "digits", "digits"]
    shown = [i for i in range(3) if i != blank]
    if style == "words":
        for i in shown:
            styles[i] = "words"
    elif style == "mixed":
        # With two numbers shown, "at least one of each" means exactly one in words.
        styles[rng.choice(shown)] = "words"
    return Challenge(a=a, op=op, b=b, c=c, blank=blank, styles=tuple(styles))


# --- the signed token ------------------------------------------------------------------


class CaptchaError(Exception):
    """Why an answer was refused: ``code`` for programs, ``message`` for the reader."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message or MESSAGES[code]
        super().__init__(self.message)

    @property
    def needs_new_challenge(self) -> bool:
        """Whether the form must show a new sum (True) or may show the same one again."""
        return self.code in _NEEDS_NEW_CHALLENGE

    def __repr__(self) -> str:
        return f"CaptchaError({self.code!r}, {self.message!r})"


class CaptchaUnavailable(Exception):
    """The token's single use could not be recorded (the shared cache's store is locked or
    down): nothing is decided, the token is not spent, the reader should send it again."""


def _signer() -> signing.Signer:
    # Built per call so that SECRET_KEY and SECRET_KEY_FALLBACKS (key rotation) are read
    # from the settings in force, as Django's own signing helpers do.
    return signing.Signer(salt=SALT)


def issue_token(challenge: Challenge, *, post_id: int | None = None, now: float | None = None) -> str:
    """Sign the sum, the post it is for, the time it was issued and a fresh nonce into a form field value.

    The post id binds the token to one post's form: solved once, it cannot be carried to
    another post. ``now`` (Unix seconds) is for tests.
    """
    payload = {
        # Short keys keep the hidden field small; "v" lets a later format tell itself apart.
        "v": 1,
        "a": challenge.a,
        "o": challenge.op,
        "b": challenge.b,
        "c": challenge.c,
        "k": challenge.blank,
        "s": "".join(style[0] for style in challenge.styles),  # "dwd": digits, words, digits
        "t": time.time() if now is None else now,
        "n": secrets.token_urlsafe(16),
        "p": post_id,
    }
    return _sign(payload)


_hmac_by_key: dict = {}  # SECRET_KEY → the Signer's keyed HMAC over nothing yet, one per process


def _sign(payload: dict) -> str:
    """``_signer().sign_object(payload)``, the same characters, without deriving the key again.

    Django's Signer derives the HMAC key from its salt and SECRET_KEY (`salted_hmac`, a
    SHA-256) for each token; a stored page's form asks for one token per reader, so the HMAC
    keyed that way is kept per process, per SECRET_KEY, and copied. `_load` verifies with
    Django's Signer, unchanged (tests/comments/test_captcha.py compares the two).
    """
    key = settings.SECRET_KEY
    keyed = _hmac_by_key.get(key)
    if keyed is None:
        signer = _signer()  # Signer.signature: salted_hmac(salt + "signer", value, key, algorithm)
        keyed = _hmac_by_key[key] = salted_hmac(signer.salt + "signer", b"", key, algorithm=signer.algorithm)
    value = signing.b64_encode(signing.JSONSerializer().dumps(payload))  # as Signer.sign_object
    mac = keyed.copy()
    mac.update(value)
    return f"{value.decode()}:{signing.b64_encode(mac.digest()).decode()}"  # Signer.sign, sep ":"


def _load(token: Any) -> tuple[Challenge, float, str, int | None]:
    """Verify a token and return its sum, issue time, nonce and post; CaptchaError("forged") if not."""
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
        raise CaptchaError("forged")
    try:
        payload = _signer().unsign_object(token)
        if not isinstance(payload, dict) or payload.get("v") != 1:
            raise ValueError("unknown token format")
        styles = payload["s"]
        issued, nonce, post_id = payload["t"], payload["n"], payload.get("p")
        if post_id is not None and (isinstance(post_id, bool) or not isinstance(post_id, int)):
            raise ValueError("bad post id")
        if not isinstance(styles, str) or len(styles) != 3 or set(styles) - {"d", "w"}:
            raise ValueError("bad styles")
        if isinstance(issued, bool) or not isinstance(issued, int | float):
            raise ValueError("bad issue time")
        issued = float(issued)  # OverflowError for an int beyond float's range
        if not math.isfinite(issued):
            raise ValueError("bad issue time")
        if not isinstance(nonce, str) or not _NONCE_RE.fullmatch(nonce):
            raise ValueError("bad nonce")
        challenge = Challenge(
            a=payload["a"],
            op=payload["o"],
            b=payload["b"],
            c=payload["c"],
            blank=payload["k"],
            styles=tuple("words" if s == "w" else "digits" for s in styles),
        )
    # BadSignature covers a wrong key, salt or signature; the rest covers a token that was
    # signed by us but is not a sum (a future format, or a bug): refuse, never crash.
    except (signing.BadSignature, ValueError, TypeError, KeyError, OverflowError) as error:
        raise CaptchaError("forged") from error
    return challenge, issued, nonce, post_id


def challenge_from_token(token: str) -> Challenge:
    """The sum a token carries, to show it again after a "missing" or "too_fast" refusal."""
    return _load(token)[0]


def post_of_token(token: str) -> int | None:
    """The post a token was issued for (None for a token bound to no post)."""
    return _load(token)[3]


def check_answer(
    token: str,
    answer: str,
    *,
    max_age: int = 600,
    min_seconds: float = 2.0,
    post_id: int | None = None,
    now: float | None = None,
) -> None:
    """Accept the reader's answer to the sum in ``token``, or raise CaptchaError.

    Checks, in order: the signature ("forged"), the post the token was issued for
    ("other_post" unless it is ``post_id``), the age ("expired" after ``max_age``
    seconds), that an answer was given ("missing"), that a person had time to read the sum
    ("too_fast" under ``min_seconds``), that the token was not used before ("reused"), and
    the answer itself ("wrong"). A right or wrong answer spends the token; see the module
    docstring for why. CaptchaUnavailable when the claim cannot be recorded at all.
    """
    challenge, issued, nonce, bound_to = _load(token)
    if bound_to != post_id:
        # Not claimed: the token is still good on its own post's form.
        raise CaptchaError("other_post")
    now = time.time() if now is None else now
    age = now - issued
    if age > max_age:
        raise CaptchaError("expired")
    if not isinstance(answer, str) or not answer.strip():
        raise CaptchaError("missing")
    # A token "from the future" (clock skew between nodes) also counts as too fast.
    if age < min_seconds:
        raise CaptchaError("too_fast")
    # Claim before judging the answer, so that a wrong answer burns the token too. The
    # claim must outlive the token, or a replay after the cache forgot it would pass.
    try:
        claimed = caches["shared"].add(f"{SALT}:nonce:{nonce}", 1, timeout=max_age + 60)
    except (SharedCacheUnavailable, DatabaseError, RedisError, OSError) as error:
        raise CaptchaUnavailable(str(error)) from error
    if not claimed:
        raise CaptchaError("reused")
    if words_to_number(answer) != challenge.answer:
        raise CaptchaError("wrong")


def release(token: str) -> bool:
    """Forget a token's claim, so that its sum can be answered again (the comment it came with
    could not be saved); False if the shared cache cannot be written either."""
    try:
        nonce = _load(token)[2]
        caches["shared"].delete(f"{SALT}:nonce:{nonce}")
    except (CaptchaError, SharedCacheUnavailable, DatabaseError, RedisError, OSError):
        return False
    return True


# --- honeypot --------------------------------------------------------------------------


def honeypot_tripped(data: Mapping[str, Any]) -> bool:
    """Whether a submission filled in the hidden field that only bots see.

    The form renders ``HONEYPOT_FIELD`` hidden from people (and with autocomplete off), so
    any value in it means a program filled the form. A missing field is not evidence: a
    client that never rendered the form has nothing to fill.
    """
    getlist = getattr(data, "getlist", None)
    # A QueryDict may hold the field twice; Mapping.get would only show the last value.
    values = getlist(HONEYPOT_FIELD) if getlist else [data.get(HONEYPOT_FIELD)]
    # Whitespace alone is ignored: losing a person's comment is worse than letting one bot
    # through to the moderation rules.
    return any(value is not None and str(value).strip() for value in values)
