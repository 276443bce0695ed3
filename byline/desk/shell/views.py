"""The dashboard and the profile page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponseRedirect
from django.shortcuts import render

from byline.content import services
from byline.content.models import AuthorProfile, Post, PostType, Status

from .access import desk_view
from .queries import dashboard_counts


@desk_view
def dashboard(request):
    """Counts that lead to the filtered lists, the writer's recent drafts, and "Write a post"."""
    drafts = (
        Post.objects.filter(post_type=PostType.POST, author=request.user, status=Status.DRAFT)
        .only("pk", "title", "modified_at")
        .order_by("-modified_at")[:5]
    )
    return render(
        request,
        "desk/dashboard.html",
        {"counts": dashboard_counts(request.user), "drafts": drafts},
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Display name", max_length=250)
    email = forms.EmailField(label="Email")
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    bio = forms.CharField(label="Biographical info", required=False, widget=forms.Textarea(attrs={"rows": 4}))


@desk_view
def profile(request):
    """Display name, email, bio and website; a password change beside it (each its own form)."""
    user = request.user
    prof = AuthorProfile.objects.filter(user=user).first()
    initial = {
        "display_name": services.display_name(user),
        "email": user.email,
        "website": prof.website if prof else "",
        "bio": prof.bio if prof else "",
    }
    details = ProfileForm(initial=initial, label_suffix="")
    password = PasswordChangeForm(user)
    status = 200
    if request.method == "POST" and request.POST.get("form") == "password":
        password = PasswordChangeForm(user, request.POST)
        if password.is_valid():
            password.save()
            update_session_auth_hash(request, password.user)
            return HttpResponseRedirect("/wp-admin/profile.php?updated=password")
        status = 400
    elif request.method == "POST":
        details = ProfileForm(request.POST, label_suffix="")
        if details.is_valid():
            services.update_profile(user, **details.cleaned_data)
            return HttpResponseRedirect("/wp-admin/profile.php?updated=profile")
        status = 400
    # The details come first on the page: the password box must not take the focus on load.
    password.fields["old_password"].widget.attrs.pop("autofocus", None)
    return render(
        request,
        "desk/profile.html",
        {"form": details, "password_form": password, "updated": request.GET.get("updated")},
        status=status,
    )
