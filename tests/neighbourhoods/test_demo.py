from django.contrib.auth import get_user_model
from django.core.management import call_command

from neighbourhoods.models import Membership, Neighbourhood, Role


def test_seed_demo_is_idempotent_and_creates_the_named_users(db):
    call_command("seed_demo", password="pw-demo-1234")
    first = (Neighbourhood.objects.count(), Membership.objects.count())
    call_command("seed_demo", password="pw-demo-1234")
    assert (Neighbourhood.objects.count(), Membership.objects.count()) == first
    assert Neighbourhood.objects.count() >= 2
    User = get_user_model()
    for username in ("coordinator", "builder", "builder2", "resident"):
        assert User.objects.get(username=username).check_password("pw-demo-1234")
    first_nb = Neighbourhood.objects.get(slug="populierenbuurt")
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.memberships.filter(role=Role.COORDINATOR).count() >= 2
    assert first_nb.boundary["geometry"]["type"] == "Polygon"


def test_demo_no_serve_seeds_an_empty_database_once(db, capsys):
    call_command("demo", "--no-serve", "--password", "pw-demo-1234")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert "coordinator" in out and "pw-demo-1234" in out
    count = Membership.objects.count()
    call_command("demo", "--no-serve")
    assert "already has data" in capsys.readouterr().out
    assert Membership.objects.count() == count


def test_the_demo_serves_friendly_error_pages_not_debug_pages(tmp_path):
    """The demo's server runs with DEBUG off: a wrong address gets our 404 page in Dutch,
    never Django's debug page listing the URL patterns."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    from neighbourhoods.management.commands.demo import served_environment

    environment = served_environment()
    assert environment["DEBUG"] == "0" and len(environment["SECRET_KEY"]) >= 50
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the app's own settings, as served
    probe = (
        "from django.test import Client;"
        "r = Client(HTTP_HOST='127.0.0.1', HTTP_ACCEPT_LANGUAGE='nl').get('/bestaat-niet/');"
        "print(r.status_code, 'URLconf' in r.content.decode(), 'Niet gevonden' in r.content.decode())"
    )
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    # as the demo does before it serves: static files collected (the manifest names them)
    served = {**environment, "DATABASE_URL": "sqlite:///:memory:", "STATIC_ROOT": str(tmp_path)}
    subprocess.run(
        [sys.executable, manage, "collectstatic", "--noinput", "-v0"], env=served, check=True
    )
    result = subprocess.run(
        [sys.executable, manage, "shell", "-c", probe],
        env=served,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-3:] == ["404", "False", "True"], result.stderr
