from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "byline.security"
    label = "byline_security"
    verbose_name = "Security"

    def ready(self):
        from django.contrib import admin

        from . import login

        login.connect()
        # The admin's sign-in form says when a refused address may try again.
        admin.site.login_form = login.ThrottledAdminLoginForm
