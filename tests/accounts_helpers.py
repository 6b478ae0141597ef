"""What the account-link tests share (invitations, resets, registration; issue 19.1): the pages' helpers
and the links found in outbox messages."""
import re

from core.auth.models import User
from core.extensions import db

NEW = "a-long-new-password-19"


def english(client):
    """``client`` reading pages in English (the tests assert on English text; Indonesian is the default)."""
    client.set_cookie("pamong_locale", "en")
    return client


def user_row(app, email):
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def token_of(message) -> str:
    """The token at the end of the one link in a message."""
    links = re.findall(r"https?://\S+", message["body"])
    assert len(links) == 1, message["body"]
    return links[0].rstrip("/").rsplit("/", 1)[-1]


def link_path(message) -> str:
    """The link's path in the tenant's URL space (the tests' tenants have a domain: host mode)."""
    link = re.findall(r"https?://\S+", message["body"])[0]
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def admin_client(app, tenant, create_user, login):
    admin = create_user(tenant, "admin")
    client = app.test_client()
    login(client, admin, tenant)
    return client, admin


def grant(client, tenant, email, role="citizen", **extra):
    return client.post(f"/t/{tenant.slug}/admin/users", data={"email": email, "role": role, **extra})


def sign_in(client, tenant, email, password):
    return client.post(f"/t/{tenant.slug}/login", data={"email": email, "password": password})


def sms_code_of(message) -> str:
    return re.search(r"\b([0-9]{6})\b", message["body"]).group(1)
