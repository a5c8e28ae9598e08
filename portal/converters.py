"""Path converters of the portal's URLs."""


class TokenConverter:
    """A secret in a link (invitations, feeds, unsubscribe and confirmation links).

    Only the alphabet of `secrets.token_urlsafe` and at most the 64 characters the token columns
    hold: anything else in that place is no link the portal ever made, and answers 404 without a
    query.
    """

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
