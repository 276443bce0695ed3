"""/wp-login.php: sign in, sign out, lost password and the set-password link, at WordPress's address.

One address with `?action=` as WordPress has it. Signing in goes through Django's LoginView
(so `authenticate(request=...)` runs and django-axes' throttling covers this page); resets
through Django's PasswordResetView and token generator (a link works once: it dies when the
password changes, and after PASSWORD_RESET_TIMEOUT).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils.encoding import force_bytes, force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from byline.security import throttle
from byline.security.login import ThrottledLoginMixin
from byline.tasks.mail import queue_email

User = get_user_model()


class DeskLoginForm(ThrottledLoginMixin, AuthenticationForm):
    """Django's sign-in form; a throttled address or account is told when to try again (429)."""


class DeskLoginView(auth.LoginView):
    form_class = DeskLoginForm
    template_name = "desk/login.html"
    redirect_field_name = "redirect_to"
    next_page = "/wp-admin/"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["checkemail"] = self.request.GET.get("checkemail") == "confirm"
        context["password_set"] = self.request.GET.get("password") == "changed"
        context["logged_out"] = self.request.GET.get("loggedout") == "true"
        return context


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its message written now and sent by the worker (Django's own hook).

    The page answers at once whether or not the address has an account: no SMTP wait tells
    one from the other.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        queue_email(subject, body, [to_email], html=html, from_email=from_email or "")


class DeskPasswordResetView(auth.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "desk/lostpassword.html"
    email_template_name = "desk/email/reset.txt"
    subject_template_name = "desk/email/reset_subject.txt"
    success_url = "/wp-login.php?checkemail=confirm"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].label = "Email address"
        return form

    def form_valid(self, form):
        # Per address and per account (the email asked about): no mailbox flooded with links.
        refusal = throttle.hit(
            "lost_password",
            "address:" + throttle.client_address(self.request),
            "account:" + form.cleaned_data["email"].lower(),
        )
        if refusal is not None:
            form.add_error("email", refusal.text())
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after)
            return response
        return super().form_valid(form)


def set_password_path(user) -> str:
    """The one-time address where `user` chooses a new password (WordPress's ?action=rp)."""
    query = urlencode(
        {
            "action": "rp",
            "login": urlsafe_base64_encode(force_bytes(user.pk)),
            "key": default_token_generator.make_token(user),
        }
    )
    return "/wp-login.php?" + query


def _user_from_link(request):
    try:
        pk = force_str(urlsafe_base64_decode(request.GET.get("login", "")))
        user = User._default_manager.get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, request.GET.get("key", "")) else None


def reset_password(request):
    """?action=rp: a valid link shows "New password" twice; a used or wrong one says so (400)."""
    user = _user_from_link(request)
    if user is None:
        return render(request, "desk/resetpass.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return HttpResponseRedirect("/wp-login.php?password=changed")
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/resetpass.html", {"form": form}, status=status)


def sign_out(request):
    """?action=logout: a POST signs out; a GET asks first (a link must not sign anyone out)."""
    if request.method == "POST":
        logout(request)
        return HttpResponseRedirect("/wp-login.php?loggedout=true")
    return render(request, "desk/logout.html")


@never_cache
@csrf_protect
def wp_login(request):
    """WordPress's one sign-in address, dispatched on ?action= (login, logout, lostpassword, rp)."""
    action = request.GET.get("action", "login")
    if action == "logout":
        return sign_out(request)
    if action in ("lostpassword", "retrievepassword"):
        return DeskPasswordResetView.as_view()(request)
    if action in ("rp", "resetpass"):
        return reset_password(request)
    if request.user.is_authenticated and request.method == "GET" and "redirect_to" not in request.GET:
        return HttpResponseRedirect("/wp-admin/")
    return DeskLoginView.as_view()(request)


def safe_redirect(request, target: str, default: str) -> str:
    """`target` if it stays on this site, else `default` (no open redirect through ?redirect_to=)."""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and ok else default


def admin_login(request):
    """The admin's sign-in is the desk's: /admin/login/?next=X → /wp-login.php?redirect_to=X."""
    target = safe_redirect(request, request.GET.get("next", ""), "/admin/")
    return HttpResponseRedirect("/wp-login.php?" + urlencode({"redirect_to": target}))


def unknown_desk_page(request):
    """Any other /wp-admin/ address: sign in first (as WordPress), then a plain 404."""
    from django.http import Http404

    if not request.user.is_authenticated:
        return HttpResponseRedirect("/wp-login.php?" + urlencode({"redirect_to": request.get_full_path()}))
    raise Http404("No such desk page.")
