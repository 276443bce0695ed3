"""Byline's addresses: WordPress's, so old links and habits keep working."""

from django.contrib import admin
from django.urls import include, path, re_path

from byline.desk.shell import auth_views
from byline.site import comments, favicon, feeds, sitemaps, views

PAGE = r"(?:page/(?P<page>\d+)/)?"
# Whatever page of the admin a template forgets to brand still never says "Django administration".
admin.site.site_header = admin.site.site_title = "Byline settings"
admin.site.site_url = "/wp-admin/"

urlpatterns = [
    path("admin/login/", auth_views.admin_login),
    path("admin/", admin.site.urls),
    path("wp-json/", include("byline.api.urls")),
    path("wp-admin/", include("byline.desk.urls")),
    re_path(r"^wp-admin/.*$", auth_views.unknown_desk_page),
    path("wp-login.php", auth_views.wp_login, name="wp-login"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", favicon.ico_view, name="favicon-ico"),
    path("favicon.svg", favicon.svg_view, name="favicon-svg"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("wp-sitemap.xml", sitemaps.index),
    # Any /sitemap-….xml: a name that is not a page is the view's 404 (not a redirect to …xml/).
    re_path(r"^sitemap-(?P<name>[^/]*)\.xml$", sitemaps.page, name="sitemap-page"),
    re_path(r"^media/(?P<path>.+)$", views.media_file, name="media"),
    path("postpass/<int:post_id>/", views.postpass, name="postpass"),
    path("wp-comments-post.php", comments.post_comment, name="comment-post"),
    re_path(r"^avatar/(?P<token>[0-9a-f]{20})\.svg$", comments.avatar, name="avatar"),
    re_path(r"^comments/feed/(?:rss2/)?$", feeds.comments_rss, name="comments-feed"),
    path("comments/feed/atom/", feeds.comments_atom, name="comments-feed-atom"),
    # feeds
    re_path(r"^feed/(?:rss2/)?$", feeds.rss, name="feed"),
    path("feed/atom/", feeds.atom, name="feed-atom"),
    re_path(r"^(?P<kind>category)/(?P<value>.+?)/feed/(?:rss2/)?$", feeds.rss),
    re_path(r"^(?P<kind>category)/(?P<value>.+?)/feed/atom/$", feeds.atom),
    re_path(r"^(?P<kind>tag|author)/(?P<value>[^/]+)/feed/(?:rss2/)?$", feeds.rss),
    re_path(r"^(?P<kind>tag|author)/(?P<value>[^/]+)/feed/atom/$", feeds.atom),
    # lists
    re_path(r"^" + PAGE + "$", views.front, name="home"),
    re_path(r"^category/(?P<path>.+?)/" + PAGE + "$", views.category_archive, name="category"),
    re_path(r"^tag/(?P<slug>[^/]+)/" + PAGE + "$", views.tag_archive, name="tag"),
    re_path(r"^author/(?P<login>[^/]+)/" + PAGE + "$", views.author_archive, name="author"),
    re_path(
        r"^(?P<year>\d{4})/(?:(?P<month>\d{2})/(?:(?P<day>\d{2})/)?)?" + PAGE + "$",
        views.date_archive,
        name="date",
    ),
    # everything else: a post, a page, an old address or a 404
    re_path(r"^(?P<path>.+/)$", views.resolve, name="resolve"),
]

handler404 = "byline.site.views.page_not_found"
handler500 = "byline.outage.server_error"
