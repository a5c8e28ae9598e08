"""The API under /api/v1/, its OpenAPI document and its reference page at /api/.

ninja's own views live in site-packages; each is wrapped by api.http.guarded, which adds the rate
limit and the conditional answers and makes the route one of the portal's for the permission matrix.
"""

from django.urls import path

from api import views
from api.endpoints import api
from api.http import guarded

app_name = "api"
urlpatterns = [
    path("", views.reference, name="reference"),
    # ninja's own root is a bare 404 when its docs are off; ours points to the document and the reference.
    path("v1/", guarded(views.index), name="api-root"),
    *(
        path(f"v1/{pattern.pattern}", guarded(pattern.callback), name=pattern.name)
        for pattern in api.urls[0]
        if pattern.name != "api-root"
    ),
]
