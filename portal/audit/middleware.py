"""Hands the client address of the request being served to portal.audit.services.record()."""

from portal.audit import services


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.set_request(request)
        try:
            return self.get_response(request)
        finally:
            services.reset_request(token)
