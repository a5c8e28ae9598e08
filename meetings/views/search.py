from django.shortcuts import render

from meetings.search import search


def meeting_search(request):
    query = request.GET.get("q", "").strip()
    hits = search(user=request.user, query=query) if query else []
    return render(request, "meetings/search.html", {"query": query, "hits": hits})
