import pytest

from tests.factories import make_user


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/careers/?q=a%00b", "/admin/accounts/user/?q=%00", "/admin/axes/accessattempt/?q=x%00"])
def test_nul_in_a_query_string_is_a_bad_request(client, path):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(path)
    assert response.status_code == 400
    assert b"not allowed" in response.content


@pytest.mark.django_db
def test_ordinary_search_still_works(client):
    assert client.get("/careers/?q=assembler").status_code == 200
