"""The writing side of the admin: posts, pages, photos, corrections, categories, tags, authors.

Every save and delete goes through services.py, so the admin renders, slugs, schedules and
redirects exactly as imports and the API do; who may do what to which post or photo is
asked of capabilities.py, object by object, as the REST API asks it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from byline.signals import site_changed
from byline.text import safe_url

from . import capabilities, services
from .models import AuthorProfile, Category, Correction, Media, Page, Post, PostType, Status, Tag
from .permalinks import permalink_for
from .rendering import sanitize_post_html

User = get_user_model()


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ("date", "text")

    def clean_text(self):
        return sanitize_post_html(self.cleaned_data["text"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.withdrawn_at and self.has_changed():
            raise forms.ValidationError(
                "A withdrawn correction cannot be edited; add a new correction instead."
            )
        return cleaned


class CorrectionInline(admin.TabularInline):
    """Corrections change only visibly: "Delete" withdraws (the text stays, struck), an edit is kept."""

    model = Correction
    form = CorrectionForm
    extra = 0
    readonly_fields = ("edited_at", "withdrawn_at")


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = (
            "title",
            "subtitle",
            "body",
            "body_format",
            "excerpt",
            "status",
            "published_at",
            "author",
            "sticky",
            "slug",
            "password",
            "categories",
            "tags",
            "featured_image",
            "comment_status",
            "ping_status",
            "parent",
            "menu_order",
        )
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "byline-source"}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
        }


class ServiceDeletes:
    """Deletes (one, or the list's "Delete selected") through a service, allowed object by object.

    Django's own "Delete selected" asks only the model permission and then calls the model's
    delete(); here each object is asked of `may_delete` and deleted by `delete_through`.
    """

    def may_delete(self, user, obj) -> bool:
        raise NotImplementedError

    def delete_through(self, obj, user) -> None:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            return self.may_delete(request.user, obj)
        return super().has_delete_permission(request)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, _, protected = super().get_deleted_objects(objs, request)
        # What goes with an object (a post's comments and corrections) is the service's to
        # remove: the capability asked is the one for the object itself, as in WordPress.
        refused = {
            f"{obj._meta.verbose_name} “{obj}”" for obj in objs if not self.may_delete(request.user, obj)
        }
        return to_delete, model_count, refused, protected

    def delete_model(self, request, obj):
        self.delete_through(obj, request.user)

    def delete_queryset(self, request, queryset):
        # One by one, each read afresh: deleting one may have moved another (a reply, a child
        # category) up a level.
        for pk in list(queryset.values_list("pk", flat=True)):
            obj = self.model._default_manager.filter(pk=pk).first()
            if obj is not None:
                self.delete_through(obj, request.user)


class BasePostAdmin(ServiceDeletes, admin.ModelAdmin):
    form = PostAdminForm

    class Media:
        css = {"all": ["byline/admin.css"]}  # no style attributes: the CSP refuses them

    post_type = PostType.POST
    list_display = ("title", "author", "status", "published_at", "modified_at", "view_link")
    list_filter = ("status", "published_at", "author")
    search_fields = ("title", "subtitle", "body", "slug")
    date_hierarchy = "published_at"
    inlines = [CorrectionInline]
    autocomplete_fields = ("categories", "tags", "featured_image", "parent")
    readonly_fields = ("view_link",)
    actions = ["publish_selected", "make_draft"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(post_type=self.post_type).select_related("author")
        if not capabilities.can_edit_others(request.user):
            qs = qs.filter(author=request.user)  # authors and contributors see their own (WordPress)
        return qs

    def get_changeform_initial_data(self, request):
        from byline.options.store import get_option

        return {"author": request.user.pk, "comment_status": get_option("default_comment_status")}

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return capabilities.can_edit_post(request.user, obj)
        return super().has_change_permission(request)

    def has_publish_permission(self, request):
        """Whether the "Publish the selected items" action is offered at all."""
        return capabilities.can_publish(request.user)

    def may_delete(self, user, obj) -> bool:
        return capabilities.can_delete_post(user, obj)

    def delete_through(self, obj, user) -> None:
        services.delete_post(obj, by=user)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not capabilities.can_publish(request.user):
            # Contributors write drafts and submit them for review; they do not publish.
            kwargs["choices"] = [(Status.DRAFT, "Draft"), (Status.PENDING, "Pending review")]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        if not capabilities.can_edit_others(request.user):
            ro.append("author")
        if not capabilities.can_publish(request.user):
            ro.append("published_at")  # when a post goes out is its publisher's decision
        return ro

    def save_model(self, request, obj, form, change):
        obj.post_type = self.post_type
        if not change and not obj.author_id:
            obj.author = request.user
        asked = obj.status
        try:
            services.save_post(obj, by=request.user, date_floats="published_at" not in form.changed_data)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            raise
        if obj.status != asked:
            self.message_user(request, f"Saved as “{Status(obj.status).label}”.", messages.INFO)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Categories, tags and corrections are saved now: render once more so figures and
        # old addresses account for them.
        services.save_post(form.instance, touch=False, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        for correction in formset.deleted_objects:
            if correction.withdrawn_at is None:
                services.withdraw_correction(correction, by=request.user)
        for correction in changed:
            if correction.pk:
                services.update_correction(
                    correction, text=correction.text, date=correction.date, by=request.user
                )
            else:
                added = services.add_correction(
                    form.instance, correction.text, date=correction.date, by=request.user
                )
                correction.pk = added.pk

    @admin.display(description="on the site")
    def view_link(self, obj):
        if obj.pk and obj.is_public:
            return format_html('<a href="{}" target="_blank">View</a>', permalink_for(obj))
        if obj.pk:
            return format_html('<a href="/?p={}&amp;preview=true" target="_blank">Preview</a>', obj.pk)
        return "—"

    # What the list says after a status action, by the status each post ended up in.
    OUTCOMES = {
        Status.PUBLISH: "Published {n}",
        Status.FUTURE: "Scheduled {n} (dated in the future)",
        Status.PRIVATE: "Made {n} private",
        Status.PENDING: "Submitted {n} for review",
        Status.DRAFT: "Turned {n} into drafts",
    }

    def _set_status(self, request, queryset, status: str) -> None:
        """Ask for `status` on each post the person may edit; say what each one became."""
        outcome: dict[str, int] = {}
        refused = 0
        for post in queryset:
            if not capabilities.can_edit_post(request.user, post):
                refused += 1
                continue
            post.status = status
            services.save_post(post, by=request.user)
            outcome[post.status] = outcome.get(post.status, 0) + 1
        if outcome:
            said = [self.OUTCOMES[s].format(n=n) for s, n in outcome.items()]
            self.message_user(request, "; ".join(said) + ".")
        if refused:
            them = "them" if refused > 1 else "it"
            self.message_user(request, f"{refused} not changed: you may not edit {them}.", messages.WARNING)

    @admin.action(description="Publish the selected items", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISH)

    @admin.action(description="Turn the selected items into drafts", permissions=["change"])
    def make_draft(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)


@admin.register(Post)
class PostAdmin(BasePostAdmin):
    list_filter = ("status", "categories", "tags", "sticky", "author", "published_at")
    fieldsets = (
        (None, {"fields": ("title", "subtitle", "body", "body_format", "excerpt")}),
        (
            "Publish",
            {"fields": ("status", "published_at", "author", "sticky", "slug", "password", "view_link")},
        ),
        ("Sections", {"fields": ("categories", "tags", "featured_image")}),
        ("Discussion", {"fields": ("comment_status", "ping_status")}),
    )


@admin.register(Page)
class PageAdmin(BasePostAdmin):
    post_type = PostType.PAGE
    list_display = ("title", "parent", "menu_order", "status", "modified_at", "view_link")
    list_filter = ("status", "author")
    fieldsets = (
        (None, {"fields": ("title", "subtitle", "body", "body_format", "excerpt")}),
        ("Publish", {"fields": ("status", "published_at", "author", "slug", "password", "view_link")}),
        ("Attributes", {"fields": ("parent", "menu_order", "featured_image", "comment_status")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Post.objects.pages()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TermAdmin(ServiceDeletes, admin.ModelAdmin):
    """Categories and tags: saved and deleted through the services, allowed by manage_categories."""

    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}

    def _may(self, request, action: str) -> bool:
        return capabilities.can_manage_terms(request.user, self.model._meta.model_name, action)

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def may_delete(self, user, obj) -> bool:
        return capabilities.can_manage_terms(user, self.model._meta.model_name, "delete")

    def delete_through(self, obj, user) -> None:
        services.delete_term(obj, by=user)

    def save_model(self, request, obj, form, change):
        parent = {"parent": obj.parent} if isinstance(obj, Category) else {}
        services.save_term(obj, slug=obj.slug or None, description=obj.description, by=request.user, **parent)


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("name", "slug", "parent", "description")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        try:
            services.check_category_parent(self.instance, parent)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None  # a field's error, not the model's
        return parent


@admin.register(Category)
class CategoryAdmin(TermAdmin):
    form = CategoryAdminForm
    list_display = ("name", "slug", "parent")
    list_filter = ("parent",)


@admin.register(Tag)
class TagAdmin(TermAdmin):
    list_display = ("name", "slug")


class MediaAdminForm(forms.ModelForm):
    # A plain file field: Django's ImageField would open the file with Pillow before
    # clean_file, and answer a too-large image with a vague "not a valid image".
    file = forms.FileField(label="File", required=False)

    class Meta:
        model = Media
        fields = ("file", "title", "alt", "caption", "credit")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read"):
            data = upload.read()
            upload.seek(0)
            services._open_image(data)  # the same checks as every other upload path
        return upload


@admin.register(Media)
class MediaAdmin(ServiceDeletes, admin.ModelAdmin):
    form = MediaAdminForm
    list_display = ("preview", "title", "insert_code", "caption", "credit", "width", "height", "created_at")
    search_fields = ("title", "alt", "caption", "credit")
    list_filter = ("created_at",)
    readonly_fields = ("preview", "insert_code", "width", "height", "mime_type", "original_url")

    class Media:
        css = {"all": ["byline/admin.css"]}  # no style attributes: the CSP refuses them

    @admin.display(description="to put it in a post")
    def insert_code(self, obj):
        return format_html("<code>[media id={}]</code>", obj.pk)

    @admin.display(description="photo")
    def preview(self, obj):
        if obj.file:
            return format_html('<img src="{}" alt="" class="byline-thumb">', obj.file.url)
        return obj.original_url or "—"

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return capabilities.can_edit_media(request.user, obj, "change")
        return super().has_change_permission(request)

    def may_delete(self, user, obj) -> bool:
        return capabilities.can_edit_media(user, obj, "delete")

    def delete_through(self, obj, user) -> None:
        services.delete_media(obj, by=user)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in ("title", "alt", "caption", "credit")}
        upload = form.cleaned_data.get("file") if "file" in form.changed_data else None
        if not change:
            created = services.create_media(upload.read(), upload.name, uploaded_by=request.user, **fields)
            obj.pk, obj.file, obj.sizes = created.pk, created.file, created.sizes
            obj._state.adding = False
            return
        # The form has put the upload on `obj`; the service works from the photo as stored, so
        # that the files it replaces are the ones on disk.
        stored = Media.objects.get(pk=obj.pk)
        if upload:
            services.update_media(stored, by=request.user, data=upload.read(), filename=upload.name, **fields)
        else:
            services.update_media(stored, by=request.user, **fields)
        obj.file, obj.sizes = stored.file, stored.sizes


class AuthorProfileForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https", required=False, max_length=200)

    class Meta:
        model = AuthorProfile
        fields = ("user", "display_name", "role", "bio", "website", "avatar")

    def clean_bio(self):
        return sanitize_post_html(self.cleaned_data["bio"])

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not safe_url(website):
            raise ValidationError("A website must be an http or https address.")
        return website


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    form = AuthorProfileForm
    list_display = ("display_name", "user", "role", "website")
    list_filter = ("role",)
    search_fields = ("display_name", "user__username", "bio")

    def save_model(self, request, obj, form, change):
        services.save_profile(obj, by=request.user)


class ProfileInline(admin.StackedInline):
    """A user's public face (display name, bio, website) and WordPress role, edited with the account."""

    model = AuthorProfile
    form = AuthorProfileForm
    fk_name = "user"
    can_delete = False
    fields = ("display_name", "role", "bio", "website", "avatar")
    autocomplete_fields = ("avatar",)


class BylineUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "display_name", "role", "is_active")
    list_select_related = ("profile",)
    list_filter = ("profile__role", "is_active")

    @admin.display(description="display name")
    def display_name(self, obj):
        return getattr(getattr(obj, "profile", None), "display_name", "")

    @admin.display(description="role")
    def role(self, obj):
        return getattr(getattr(obj, "profile", None), "role", "")

    def save_model(self, request, obj, form, change):
        services.save_user(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not AuthorProfile:
            return super().save_formset(request, form, formset, change)
        for profile in formset.save(commit=False):
            profile.user = form.instance
            services.save_profile(profile, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        profile = AuthorProfile.objects.filter(user=user).first()
        if profile is None:
            profile = services.save_profile(
                AuthorProfile(user=user, display_name=user.get_username()), by=request.user
            )
        # The role decides the flags and groups, whatever the form's own checkboxes said.
        services.apply_role(user, profile.role)
        # A new login or display name changes the author's archive address and every byline.
        site_changed.send(sender=AuthorProfile, reason=f"user {user.pk} saved in the admin")


admin.site.unregister(User)
admin.site.register(User, BylineUserAdmin)
