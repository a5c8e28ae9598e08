"""A password hasher for the timing tests: as cheap as MD5 in CPU, as slow as a real hash in time.

The sleep stands in for Argon2's cost without loading the two shared CPU cores,
so a request that skips a hash is a quarter of a second faster, far above the noise.
"""

import time

from django.contrib.auth.hashers import MD5PasswordHasher

HASH_SECONDS = 0.25


class SlowHasher(MD5PasswordHasher):
    algorithm = "slow_md5"

    def encode(self, password, salt):
        time.sleep(HASH_SECONDS)
        return super().encode(password, salt)
