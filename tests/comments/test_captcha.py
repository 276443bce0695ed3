"""The comment form's math CAPTCHA: numbers in words, sums, signed single-use tokens, honeypot."""

import importlib.util
import io
import random
import string
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.cache import caches
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from byline.comments import captcha
from byline.comments.captcha import (
    HONEYPOT_FIELD,
    SALT,
    CaptchaError,
    Challenge,
    challenge_from_token,
    check_answer,
    honeypot_tripped,
    issue_token,
    new_challenge,
    number_to_words,
    words_to_number,
)

# A fixed clock: tokens are issued at T0 and answered a few seconds later unless a test
# moves time on purpose.
T0 = 1_700_000_000.0
ANSWERED = T0 + 5

OPERATIONS = ("+", "-", "×", "÷")
STYLE_NAMES = ("digits", "words", "mixed")

# The reference page's sum: "6 + ___ = twelve".
REFERENCE = Challenge(a=6, op="+", b=6, c=12, blank=1, styles=("digits", "digits", "words"))

# The acceptance checks' number reader, copied into tests/data (see its SOURCES.md).
WORDNUM_PATH = Path(__file__).resolve().parents[1] / "data" / "wordnum.py"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no claimed nonces (the test settings' shared cache is LocMem)."""
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture(scope="module")
def wordnum():
    if not WORDNUM_PATH.is_file():
        pytest.skip(f"acceptance checker not found at {WORDNUM_PATH}")
    spec = importlib.util.spec_from_file_location("wordnum", WORDNUM_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def refusal(token, answer, **kwargs) -> CaptchaError:
    """Answer a token expecting a refusal; return it."""
    kwargs.setdefault("now", ANSWERED)
    with pytest.raises(CaptchaError) as caught:
        check_answer(token, answer, **kwargs)
    return caught.value


def random_challenges(op: str, style: str, count: int, seed: int = 0):
    rng = random.Random(f"{op}{style}{seed}")
    return [new_challenge(operations=(op,), style=style, rng=rng) for _ in range(count)]


# --- numbers in words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (12, "twelve"),
        (19, "nineteen"),
        (20, "twenty"),
        (45, "forty five"),
        (100, "one hundred"),
        (103, "one hundred and three"),
        (110, "one hundred and ten"),
        (999, "nine hundred and ninety nine"),
    ],
)
def test_number_to_words_spells_british_english(n, words):
    assert number_to_words(n) == words


@pytest.mark.parametrize("bad", [-1, 1000, 4.0, True, "5"])
def test_number_to_words_refuses_what_it_cannot_spell(bad):
    with pytest.raises(ValueError):
        number_to_words(bad)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("12", 12),
        (" 012 ", 12),
        ("0", 0),
        ("twelve", 12),
        ("Twelve", 12),
        ("  FORTY FIVE\n", 45),
        ("forty-five", 45),
        ("forty   five", 45),
        ("one hundred and three", 103),
        ("one hundred three", 103),
        ("One-Hundred-and-Three", 103),
        ("zero", 0),
    ],
)
def test_words_to_number_reads_what_people_type(text, n):
    assert words_to_number(text) == n


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1000",
        "-5",
        "5.0",
        "1_000",
        "٣",  # Arabic-Indic three: only ASCII digits count
        "five five",
        "twenty twenty",
        "and three",
        "hundred",
        "forty--five",
        "-forty",
        "forty-",
        "fourty",
        "a dozen",
        None,
        12,
    ],
)
def test_words_to_number_returns_none_for_anything_else(text):
    assert words_to_number(text) is None


@given(st.integers(0, 999))
def test_every_number_round_trips_through_words(n):
    words = number_to_words(n)
    assert words_to_number(words) == n
    assert words_to_number(words.upper()) == n
    assert words_to_number(f"  {words.replace(' and ', ' ')}\t") == n
    assert words_to_number(words.replace(" ", "-")) == n
    assert words_to_number(str(n)) == n


@given(st.text(max_size=40))
def test_words_to_number_never_raises(text):
    result = words_to_number(text)
    assert result is None or 0 <= result <= 999


# --- the sum ---------------------------------------------------------------------------


def test_reference_page_sum_reads_as_on_the_page():
    assert REFERENCE.question() == "6 + ___ = twelve"
    assert REFERENCE.answer == 6


def test_minus_is_shown_as_the_minus_sign():
    sum_ = Challenge(a=45, op="-", b=5, c=40, blank=1, styles=("words", "digits", "digits"))
    assert sum_.question() == "forty five \u2212 ___ = 40"


def test_a_false_sum_is_not_a_challenge():
    with pytest.raises(ValueError):
        Challenge(a=6, op="+", b=6, c=13, blank=1, styles=("digits", "digits", "words"))
    with pytest.raises(ValueError):
        Challenge(a=7, op="÷", b=2, c=3, blank=2, styles=("digits", "digits", "digits"))


@pytest.mark.parametrize("kwargs", [{"operations": ()}, {"operations": ("^",)}, {"style": "roman"}], ids=str)
def test_new_challenge_refuses_unknown_options(kwargs):
    with pytest.raises(ValueError):
        new_challenge(**kwargs)


@pytest.mark.parametrize("operations", [("+", "-", "×", "÷"), ("÷",), ("+",)], ids=str)
def test_the_default_draws_are_system_randoms_from_the_same_bytes(monkeypatch, operations):
    """By default a sum is drawn from one read of the system's random source, exactly as
    SystemRandom would draw it from the same bytes (so with the same distribution)."""
    stream = random.Random(7).randbytes(200_000)
    ours, systems = io.BytesIO(stream), io.BytesIO(stream)
    monkeypatch.setattr(captcha, "os", SimpleNamespace(urandom=ours.read))
    monkeypatch.setattr(random, "_urandom", systems.read)  # what SystemRandom reads
    for style in ("mixed", "digits", "words"):
        for _ in range(300):
            start = systems.tell()
            expected = new_challenge(operations=operations, style=style, rng=random.SystemRandom())
            ours.seek(start)  # ours reads 32 bytes at once and uses them in order, from the same place
            assert new_challenge(operations=operations, style=style) == expected


def test_a_seeded_rng_gives_the_same_sums():
    assert random_challenges("+", "mixed", 5) == random_challenges("+", "mixed", 5)


def test_the_blank_lands_in_every_place_for_every_operation():
    for op in OPERATIONS:
        assert {c.blank for c in random_challenges(op, "mixed", 60)} == {0, 1, 2}


@given(
    seed=st.integers(0, 2**32),
    operations=st.lists(st.sampled_from(OPERATIONS), min_size=1, unique=True),
    style=st.sampled_from(STYLE_NAMES),
)
def test_every_generated_sum_is_small_true_and_styled_as_asked(seed, operations, style):
    sum_ = new_challenge(operations=operations, style=style, rng=random.Random(seed))
    a, b, c = sum_.numbers
    assert sum_.op in operations
    assert min(a, b, c) >= 0
    if sum_.op == "+":
        assert 1 <= a <= 20 and 1 <= b <= 20 and a + b == c
    elif sum_.op == "-":
        assert 1 <= a <= 20 and 1 <= b <= 20 and a - b == c
    elif sum_.op == "×":
        assert 1 <= a <= 10 and 1 <= b <= 10 and a * b == c
    else:
        assert b >= 1 and a % b == 0 and a // b == c and 1 <= c <= 10
        if sum_.blank == 1:
            # Read as whole-number division, no smaller divisor gives the same quotient.
            assert all(a // x != c for x in range(1, b))

    shown_styles = [sum_.styles[i] for i in range(3) if i != sum_.blank]
    if style == "mixed":
        assert sorted(shown_styles) == ["digits", "words"]
    else:
        assert shown_styles == [style, style]
    question = sum_.question()
    assert question.count("___") == 1
    assert (any(ch.isdigit() for ch in question)) == ("digits" in shown_styles)


@pytest.mark.parametrize("style", STYLE_NAMES)
@pytest.mark.parametrize("op", OPERATIONS)
def test_acceptance_checker_solves_every_sum(wordnum, op, style):
    for sum_ in random_challenges(op, style, 200):
        assert wordnum.solve(sum_.question()) == sum_.answer, sum_.question()


# --- answers and tokens ----------------------------------------------------------------


def test_right_answer_in_digits_or_words_passes():
    check_answer(issue_token(REFERENCE, now=T0), "6", now=ANSWERED)
    check_answer(issue_token(REFERENCE, now=T0), " Six ", now=ANSWERED)


@given(seed=st.integers(0, 2**32), op=st.sampled_from(OPERATIONS), style=st.sampled_from(STYLE_NAMES))
def test_answers_are_accepted_as_digits_and_as_words(seed, op, style):
    sum_ = new_challenge(operations=(op,), style=style, rng=random.Random(seed))
    check_answer(issue_token(sum_, now=T0), str(sum_.answer), now=ANSWERED)
    check_answer(issue_token(sum_, now=T0), number_to_words(sum_.answer).upper(), now=ANSWERED)
    check_answer(issue_token(sum_, now=T0), number_to_words(sum_.answer).replace(" ", "-"), now=ANSWERED)


def test_the_token_brings_the_same_sum_back():
    assert challenge_from_token(issue_token(REFERENCE, now=T0)) == REFERENCE


def test_two_tokens_for_one_sum_differ():
    assert issue_token(REFERENCE, now=T0) != issue_token(REFERENCE, now=T0)


@pytest.mark.parametrize("answer", ["", "   ", None])
def test_missing_answer_keeps_the_token(answer):
    token = issue_token(REFERENCE, now=T0)
    error = refusal(token, answer)
    assert error.code == "missing"
    assert not error.needs_new_challenge
    check_answer(token, "6", now=ANSWERED)


def test_wrong_answer_is_refused_and_burns_the_token():
    token = issue_token(REFERENCE, now=T0)
    error = refusal(token, "7")
    assert error.code == "wrong"
    assert error.message == "That is not the right answer to the sum; please try again."
    assert error.needs_new_challenge
    assert refusal(token, "6").code == "reused"


def test_an_answer_that_is_not_a_number_is_wrong():
    assert refusal(issue_token(REFERENCE, now=T0), "banana").code == "wrong"


def test_a_token_is_accepted_only_once():
    token = issue_token(REFERENCE, now=T0)
    check_answer(token, "6", now=ANSWERED)
    error = refusal(token, "6", now=ANSWERED + 1)
    assert error.code == "reused"
    assert error.needs_new_challenge


def test_expired_token_is_refused_with_plain_words():
    token = issue_token(REFERENCE, now=T0)
    error = refusal(token, "6", now=T0 + 600.5)
    assert (error.code, error.message) == ("expired", "The sum has expired; here is a new one.")
    assert error.needs_new_challenge
    assert refusal(token, "6", now=T0 + 61, max_age=60).code == "expired"


def test_a_token_is_good_until_max_age():
    check_answer(issue_token(REFERENCE, now=T0), "6", now=T0 + 600)


def test_an_expired_token_with_no_answer_is_expired_not_missing():
    # A new sum is needed anyway; asking the reader to answer the old one would be useless.
    assert refusal(issue_token(REFERENCE, now=T0), "", now=T0 + 601).code == "expired"


def test_too_fast_answer_keeps_the_token():
    token = issue_token(REFERENCE, now=T0)
    error = refusal(token, "6", now=T0 + 1.9)
    assert error.code == "too_fast"
    assert not error.needs_new_challenge
    assert refusal(token, "6", now=T0 + 2.9, min_seconds=3).code == "too_fast"
    check_answer(token, "6", now=T0 + 2)


def test_a_token_from_the_future_is_too_fast():
    # Another node's clock ahead of ours must not make a token valid for longer.
    assert refusal(issue_token(REFERENCE, now=T0 + 100), "6", now=T0).code == "too_fast"


@pytest.mark.parametrize("token", ["", "x", "a:b", "x" * 5000, None, 12, ":::", "é:ü"])
def test_garbage_tokens_are_forged(token):
    error = refusal(token, "6")
    assert error.code == "forged"
    assert error.needs_new_challenge


def test_a_token_is_bound_to_the_post_it_was_issued_for():
    token = issue_token(REFERENCE, post_id=7, now=T0)
    other = refusal(token, "6", post_id=8)
    assert other.code == "other_post" and other.needs_new_challenge
    assert other.message == "That sum was made for another post's form; here is a new one for this post."
    assert refusal(token, "6").code == "other_post"  # nor is it good where no post is named
    check_answer(token, "6", post_id=7, now=ANSWERED)  # not burnt by the refusals: good on its own post
    assert refusal(token, "6", post_id=7).code == "reused"
    unbound = issue_token(REFERENCE, now=T0)
    assert refusal(unbound, "6", post_id=7).code == "other_post"


def _payload(token: str) -> dict:
    return signing.Signer(salt=SALT).unsign_object(token)


def test_a_token_signed_with_another_salt_or_key_is_forged(settings):
    payload = _payload(issue_token(REFERENCE, now=T0))
    assert refusal(signing.Signer(salt="byline.comments.other").sign_object(payload), "6").code == "forged"
    assert refusal(signing.dumps(payload, salt=SALT), "6").code == "forged"
    assert refusal(signing.Signer().sign_object(payload), "6").code == "forged"
    token = signing.Signer(key="another site's key", salt=SALT).sign_object(payload)
    assert refusal(token, "6").code == "forged"


def test_a_token_survives_key_rotation(settings):
    token = issue_token(REFERENCE, now=T0)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a freshly rotated key that is long enough"
    check_answer(token, "6", now=ANSWERED)


@given(st.text(max_size=300))
def test_random_strings_are_always_forged(token):
    assert refusal(token, "6").code == "forged"


@given(position=st.integers(min_value=0), replacement=st.sampled_from(string.printable))
def test_a_tampered_token_is_always_forged(position, replacement):
    token = issue_token(REFERENCE, now=T0)
    position %= len(token)
    tampered = token[:position] + replacement + token[position + 1 :]
    if tampered == token:
        tampered = token[:position] + token[position + 1 :]
    assert refusal(tampered, "6").code == "forged"


@pytest.mark.parametrize(
    "change",
    [
        {"c": 13},
        {"t": 10**400},
        {"t": -(10**400)},
        {"t": "1"},
        {"t": True},
        {"n": "short"},
        {"v": 2},
        {"p": "7"},
        {"p": True},
    ],
    ids=str,
)
def test_a_signed_payload_that_is_not_a_sum_is_forged(change):
    # Only a bug or a future format could sign these; the check must refuse, not crash.
    payload = _payload(issue_token(REFERENCE, now=T0)) | change
    assert refusal(signing.Signer(salt=SALT).sign_object(payload), "6").code == "forged"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=6,
)


@given(key=st.sampled_from(["v", "a", "o", "b", "c", "k", "s", "t", "n", "p", "extra"]), value=json_values)
def test_any_payload_signed_with_our_key_raises_only_captcha_error(key, value):
    payload = _payload(issue_token(REFERENCE, now=T0)) | {key: value}
    try:
        check_answer(signing.Signer(salt=SALT).sign_object(payload), "6", now=ANSWERED)
    except CaptchaError:
        pass


@given(st.lists(json_values, max_size=3) | json_values)
def test_a_signed_non_payload_is_forged(value):
    assert refusal(signing.Signer(salt=SALT).sign_object(value), "6").code == "forged"


# --- honeypot --------------------------------------------------------------------------


def test_honeypot_field_name_does_not_say_captcha():
    assert "captcha" not in HONEYPOT_FIELD.lower()


@pytest.mark.parametrize(
    ("data", "tripped"),
    [
        ({}, False),
        ({HONEYPOT_FIELD: ""}, False),
        ({HONEYPOT_FIELD: "  "}, False),
        ({HONEYPOT_FIELD: None}, False),
        ({HONEYPOT_FIELD: "https://spam.example"}, True),
        ({HONEYPOT_FIELD: 1}, True),
        (QueryDict(f"{HONEYPOT_FIELD}="), False),
        (QueryDict(f"{HONEYPOT_FIELD}=x&{HONEYPOT_FIELD}="), True),
        (QueryDict(f"author=Ann&{HONEYPOT_FIELD}=&{HONEYPOT_FIELD}="), False),
    ],
)
def test_honeypot_trips_only_when_filled(data, tripped):
    assert honeypot_tripped(data) is tripped


# --- the token as Django's Signer writes it ---------------------------------------------


def _payload(token: str) -> dict:
    value = token.rsplit(":", 1)[0]
    return signing.JSONSerializer().loads(signing.b64_decode(value.encode()))


@pytest.mark.parametrize("secret", ["the-site-key", "another key, rotated in"])
def test_a_token_is_what_djangos_signer_writes_for_its_payload_and_verifies(settings, secret):
    settings.SECRET_KEY = secret  # the keyed HMAC kept per process follows the key in force
    for n in range(20):
        sum_ = new_challenge(operations=OPERATIONS, style=STYLE_NAMES[n % 3], rng=random.Random(n))
        token = issue_token(sum_, post_id=n or None)
        assert token == signing.Signer(salt=SALT).sign_object(_payload(token))
        assert challenge_from_token(token) == sum_
        assert captcha.post_of_token(token) == (n or None)


def test_a_token_of_a_key_no_longer_in_force_is_refused(settings):
    settings.SECRET_KEY = "the old key"
    token = issue_token(REFERENCE, now=T0)
    settings.SECRET_KEY = "the new key"
    with pytest.raises(CaptchaError) as refused:
        challenge_from_token(token)
    assert refused.value.code == "forged"
    settings.SECRET_KEY_FALLBACKS = ["the old key"]  # rotation: the old key still verifies
    assert challenge_from_token(token) == REFERENCE
