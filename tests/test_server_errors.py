"""The suite's watch on the server log (tests/conftest.py): a 500 during a test fails it,
unless the test is marked `server_error_expected`, as this one is."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def broken(request):
    raise RuntimeError("a bug in a view")


def refused(request):
    return HttpResponse("no", status=400)


urlpatterns = [path("broken/", broken), path("refused/", refused)]


@pytest.mark.server_error_expected
@pytest.mark.urls("tests.test_server_errors")
def test_a_500_is_seen_by_the_watch(request):
    r = Client(raise_request_exception=False).get("/broken/")
    assert r.status_code == 500
    assert any("/broken/" in line for line in request.node.server_errors)


@pytest.mark.urls("tests.test_server_errors")
def test_a_refusal_is_not_a_server_error(request):
    assert Client().get("/refused/").status_code == 400
    assert request.node.server_errors == []
