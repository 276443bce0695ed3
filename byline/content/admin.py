"""The writing side of the admin: posts, pages, photos, corrections, categories, tags, authors.

Every save goes through services.py, so the admin renders, slugs and redirects exactly as
imports and the API do.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from . import services
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


class CorrectionInline(admin.TabularInline):
    model = Correction
    form = CorrectionForm
    extra = 0


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
            "body": forms.Textarea(attrs={"rows": 24, "style": "font-family: monospace; width: 95%"}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
        }


class BasePostAdmin(admin.ModelAdmin):
    form = PostAdminForm
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
        if not request.user.has_perm("content.edit_others_posts"):
            qs = qs.filter(author=request.user)  # authors and contributors see their own (WordPress)
        return qs

    def get_changeform_initial_data(self, request):
        from byline.options.store import get_option

        return {"author": request.user.pk, "comment_status": get_option("default_comment_status")}

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not request.user.has_perm("content.publish_post"):
            # Contributors write drafts and submit them for review; they do not publish.
            kwargs["choices"] = [(Status.DRAFT, "Draft"), (Status.PENDING, "Pending review")]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("content.edit_others_posts"):
            ro.append("author")
        return ro

    def save_model(self, request, obj, form, change):
        obj.post_type = self.post_type
        if not change and not obj.author_id:
            obj.author = request.user
        try:
            services.save_post(obj)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            raise

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Categories, tags and corrections are saved now: render once more so figures and
        # old addresses account for them.
        services.save_post(form.instance, touch=False)

    @admin.display(description="on the site")
    def view_link(self, obj):
        if obj.pk and obj.is_public:
            return format_html('<a href="{}" target="_blank">View</a>', permalink_for(obj))
        if obj.pk:
            return format_html('<a href="/?p={}&amp;preview=true" target="_blank">Preview</a>', obj.pk)
        return "—"

    @admin.action(description="Publish the selected items", permissions=["change"])
    def publish_selected(self, request, queryset):
        for post in queryset:
            post.status = Status.PUBLISH
            services.save_post(post)
        self.message_user(request, f"Published {queryset.count()}.")

    @admin.action(description="Turn the selected items into drafts", permissions=["change"])
    def make_draft(self, request, queryset):
        for post in queryset:
            post.status = Status.DRAFT
            services.save_post(post)
        self.message_user(request, f"{queryset.count()} now drafts.")


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


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    list_filter = ("parent",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class MediaAdminForm(forms.ModelForm):
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
class MediaAdmin(admin.ModelAdmin):
    form = MediaAdminForm
    list_display = ("preview", "title", "insert_code", "caption", "credit", "width", "height", "created_at")
    search_fields = ("title", "alt", "caption", "credit")
    list_filter = ("created_at",)
    readonly_fields = ("preview", "insert_code", "width", "height", "mime_type", "original_url")

    @admin.display(description="to put it in a post")
    def insert_code(self, obj):
        return format_html("<code>[media id={}]</code>", obj.pk)

    @admin.display(description="photo")
    def preview(self, obj):
        if obj.file:
            return format_html('<img src="{}" alt="" style="max-height: 60px">', obj.file.url)
        return obj.original_url or "—"

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        if not change and upload:
            created = services.create_media(
                upload.read(),
                upload.name,
                title=obj.title,
                alt=obj.alt,
                caption=obj.caption,
                credit=obj.credit,
                uploaded_by=request.user,
            )
            obj.pk, obj.file, obj.sizes = created.pk, created.file, created.sizes
            obj._state.adding = False
            return
        super().save_model(request, obj, form, change)
        services.rerender_posts_showing(obj)


class AuthorProfileForm(forms.ModelForm):
    website = forms.URLField(assume_scheme="https", required=False, max_length=200)

    class Meta:
        model = AuthorProfile
        fields = ("user", "display_name", "role", "bio", "website", "avatar")

    def clean_bio(self):
        return sanitize_post_html(self.cleaned_data["bio"])


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    form = AuthorProfileForm
    list_display = ("display_name", "user", "role", "website")
    list_filter = ("role",)
    search_fields = ("display_name", "user__username", "bio")


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        profile = getattr(user, "profile", None)
        if profile is None:
            profile = AuthorProfile.objects.create(user=user, display_name=user.get_username())
        services.apply_role(user, profile.role)


admin.site.unregister(User)
admin.site.register(User, BylineUserAdmin)
