"""Creating forms carry a one-time token (portal.once); tests that post them send a fresh one."""

from portal.once import FIELD, new_token


def token() -> dict[str, str]:
    return {FIELD: new_token()}
