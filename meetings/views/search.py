from django.conf import settings
from django.shortcuts import render

from meetings.search import search
from portal.db import statement_timeout


def meeting_search(request):
    query = request.GET.get("q", "").strip()
    hits = []
    if query:
        with statement_timeout(settings.SEARCH_STATEMENT_TIMEOUT):
            hits = search(user=request.user, query=query)
    return render(request, "meetings/search.html", {"query": query, "hits": hits})
