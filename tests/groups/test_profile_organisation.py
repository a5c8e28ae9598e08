"""Adding one's own organisation on the profile page, starting from what was typed at sign-up."""

from groups.models import Organisation, Profile
from tests.factories import UserFactory
from tests.factories.groups import OrganisationFactory
from tests.htmltree import parse


def _fields(**changes) -> dict:
    return {
        "salutation": "",
        "title": "",
        "function": "",
        "phone": "",
        "show_email": "members",
        "show_phone": "nobody",
        **changes,
    }


def test_an_organisation_missing_from_the_list_is_offered_and_added(client, db):
    user = UserFactory(organisation_name="Tischlerinnung Nordland")
    client.force_login(user)

    page = parse(client.get("/profile/"))
    assert page.one("input", name="new_organisation")["value"] == "Tischlerinnung Nordland"

    response = client.post(
        "/profile/", _fields(new_organisation="Tischlerinnung  Nordland", new_organisation_kind="guild")
    )

    assert response.status_code == 302
    organisation = Profile.objects.get(user=user).organisation
    assert (organisation.name, organisation.kind) == ("Tischlerinnung Nordland", "guild")


def test_a_known_organisation_is_chosen_not_added_twice(client, db):
    known = OrganisationFactory(name="Handwerkskammer Musterstadt")
    user = UserFactory(organisation_name="handwerkskammer musterstadt")
    client.force_login(user)

    page = parse(client.get("/profile/"))
    option = page.one("select", name="organisation").one("option", value=str(known.pk))
    assert option.has("selected")

    client.post("/profile/", _fields(new_organisation="HANDWERKSKAMMER Musterstadt"))

    assert Profile.objects.get(user=user).organisation == known
    assert Organisation.objects.count() == 1


def test_a_new_organisation_without_its_kind_or_beside_a_chosen_one_keeps_what_was_typed(client, db):
    known = OrganisationFactory(name="Handwerkskammer Musterstadt")
    client.force_login(UserFactory())

    without_kind = client.post(
        "/profile/", _fields(new_organisation="Bäckerinnung Süd", function="Beraterin")
    )
    both = client.post("/profile/", _fields(organisation=known.pk, new_organisation="Bäckerinnung Süd"))

    assert without_kind.status_code == 200
    assert "Bitte wählen Sie, welcher Art Ihre Organisation ist." in without_kind.content.decode()
    assert parse(without_kind).one("input", name="function")["value"] == "Beraterin"
    assert "nicht beides" in both.content.decode()
    assert not Organisation.objects.filter(name="Bäckerinnung Süd").exists()
