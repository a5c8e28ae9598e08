"""The portal's URLs and the baselines of `make bench`, served by the same processes.

- `__bench__/bare`: the cheapest page the stack can serve: the same middleware
  (sessions, CSP, language, security headers), no template, no query.
- `__bench__/bare-signed-in`: what any signed-in page costs at least: the session
  row and the account read from the database, and a small template rendered with
  the request (the context processors included); it names the person, so the
  bench can check that its session cookie signs in.
- `__bench__/naive-list`: a page of a big list done the plain Django way: 25 of the
  accepted projects (100,000 at volume) with `select_related` and a `COUNT(*)` for
  the paginator, in a small template. A list page at volume should cost no more.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns
from projects.models import Project

_SIGNED_IN = engines["django"].from_string(
    '<!DOCTYPE html><html lang="{{ LANGUAGE_CODE }}"><title>bench</title>'
    "<p>{{ request.user.email }}</p></html>"
)
_LIST = engines["django"].from_string(
    '<!DOCTYPE html><html lang="de"><title>bench</title><p>{{ page.paginator.count }}</p><ul>'
    '{% for project in page %}<li><a href="{{ project.get_absolute_url }}">{{ project.title }}</a> '
    "{{ project.organisation.name }} {{ project.space.name }}</li>{% endfor %}</ul></html>"
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_signed_in(request):
    return HttpResponse(_SIGNED_IN.render({}, request))


@login_required
def naive_list(request):
    projects = (
        Project.objects.filter(status=Project.Status.ACCEPTED)
        .select_related("organisation", "space")
        .order_by("-accepted_at", "-pk")
    )
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    return HttpResponse(_LIST.render({"page": page}, request))


urlpatterns = [
    path("__bench__/bare", bare),
    path("__bench__/bare-signed-in", bare_signed_in),
    path("__bench__/naive-list", naive_list),
    *portal_urlpatterns,
]
