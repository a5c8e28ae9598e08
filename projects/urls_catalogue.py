"""The public showcase: the catalogue, its feeds and the coordinators' exports."""

urlpatterns = []
