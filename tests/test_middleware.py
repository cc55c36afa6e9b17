import pytest

from careers.models import Career
from tests.factories import make_career, make_user


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/accounts/user/?q=%00", "/admin/axes/accessattempt/?q=x%00", "/admin/auth/group/?q=a%00b"])
def test_nul_in_an_admin_search_is_ignored(client, path):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_career_search_reads_the_words_around_a_nul(client):
    make_career(title="Welder")
    response = client.get("/careers/?q=We%00lder")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == list(Career.objects.filter(title="Welder"))
