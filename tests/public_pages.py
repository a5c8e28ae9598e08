"""The public pages at fixed addresses, as an anonymous visitor reaches them: the one list the outside
checkers take their public paths from (the Nu Html Checker in tests/portal/test_outside_validators.py,
axe in tests/browser/test_accessibility.py), so that a new public page is added to both at once."""

PUBLIC_PATHS = [
    "/",
    "/informationen/",
    "/informationen/abonnieren/",
    "/projects/",
    "/meetings/",
    "/spaces/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/rechtliches/impressum/",
    "/rechtliches/datenschutz/",
    "/rechtliches/barrierefreiheit/",
]
