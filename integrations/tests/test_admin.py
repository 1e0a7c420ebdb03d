"""The platform's secret is write-only in the admin."""

import pytest

from integrations.models import Source

pytestmark = pytest.mark.django_db


def test_the_secret_is_never_shown_and_an_empty_one_keeps_it(client, cast, platform):
    client.force_login(cast.admin)
    path = f"/admin/integrations/source/{platform.pk}/change/"
    assert platform.secret not in client.get(path).content.decode()
    form = {"code": "12345", "name": "12345热线", "secret": "", "push_url": "https://12345.example.cn/push",
            "city": cast.city.pk, "case_source": "hotline_12345", "default_level": "city", "is_active": "on"}  # fmt: skip
    assert client.post(path, form).status_code == 302
    saved = Source.objects.get()
    assert (saved.secret, saved.default_level) == (platform.secret, "city")
    client.post(path, {**form, "secret": "short"})
    assert Source.objects.get().secret == platform.secret
    client.post(path, {**form, "secret": "a-new-secret-of-32-characters-00"})
    assert Source.objects.get().secret == "a-new-secret-of-32-characters-00"


def test_a_new_platform_needs_a_secret(client, cast):
    client.force_login(cast.admin)
    form = {"code": "4p", "name": "基层治理四平台", "secret": "", "push_url": "", "city": cast.city.pk,
            "case_source": "four_platforms", "default_level": "township", "is_active": "on"}  # fmt: skip
    assert client.post("/admin/integrations/source/add/", form).status_code == 200
    assert not Source.objects.exists()
