"""Email goes out from the worker: an SMTP server that is slow or down costs no reader a wait."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import background, defer


def _describe(subject: str, body: str, to: list[str], **kwargs) -> str:
    # The recipients' addresses stay out of the desk: commenters' emails are shown to nobody.
    return f"“{subject}” to {len(to)} {'recipient' if len(to) == 1 else 'recipients'}"


@background(label="Email", max_attempts=6, describe=_describe)
def send_email(subject: str, body: str, to: list[str], html: str = "", from_email: str = "") -> None:
    """Send one message through Django's email backend; an SMTP error fails the attempt (retried)."""
    message = EmailMultiAlternatives(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def queue_email(subject: str, body: str, to: list[str], *, html: str = "", from_email: str = "") -> None:
    """Record an email for the worker to send (nothing if nobody is to receive it)."""
    to = sorted({address for address in to if address})
    if to:
        defer(send_email, subject, body, to, html=html, from_email=from_email)
