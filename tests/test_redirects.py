"""Redirect targets from user input (issue 10.1): only paths of this deployment, in host and path mode.

Each ``Location`` is resolved the way a browser does (the WHATWG URL standard, ada-url) and must stay
on the request's own host, under the tenant's path prefix.
"""
import ada_url
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.auth.next_url import safe_next
from core.testing import PASSWORD

GIVEN = [  # the probe's input and its kin
    "////evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%252F%252Fevil.example", "/%5Cevil.example",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "http://other.example/", "https:evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example",
    "\x00//evil.example", "/\x00/evil.example", "/%09/evil.example", "/\u3000/evil.example",
    "/\u200b/evil.example", "///", "/t/../../evil", "http:/\\evil.example",
]

SLASHES = ["/", "\\", "%2F", "%2f", "%5C", "%5c", "%252F", "%25252F", "%2525252F", "\t", "\n", "\r", " ",
           "\x00", "\x0b", "\x1f", "\x7f", "\u3000", "\u200b", "\u2028", "%09", "%00", "%0a", "%20", ".", "..", "@"]
SCHEMES = ["", "", "http:", "https:", "HTTP:", "javascript:", "data:", "java\tscript:", "vbscript:", "ftp:",
           "http://other.example", "%68ttp:", "file:"]
HOSTS = ["evil.example", "evil.example:80", "user@evil.example", "localhost@evil.example", "127.0.0.1", "", "x"]
TAILS = ["", "/", "/x", "/admin/users", "?a=1", "#f", "/%2e%2e/", "/login"]

targets = st.builds(
    lambda scheme, lead, host, tail: scheme + "".join(lead) + host + tail,
    st.sampled_from(SCHEMES), st.lists(st.sampled_from(SLASHES), max_size=6), st.sampled_from(HOSTS),
    st.sampled_from(TAILS),
) | st.text(max_size=40)


def _assert_stays_home(location: str, base_url: str, prefix: str):
    resolved = ada_url.URL(location, base=base_url + "/login")
    home = ada_url.URL(base_url + "/")
    assert resolved.protocol == home.protocol and resolved.host == home.host, (location, resolved.href)
    assert resolved.pathname.startswith(prefix + "/"), (location, resolved.href)
    assert "\\" not in location and not any(ord(c) < 0x21 or ord(c) == 0x7f for c in location), location


# (base URL, path prefix): path mode /t/<slug>/ and host mode (a tenant's own domain); the helper
# reads only the request, so no tenant is needed for these
MODES = [("http://localhost/t/makassar", "/t/makassar"), ("http://makassar.example.test", "")]


@pytest.mark.parametrize("target", GIVEN)
def test_given_inputs_go_home(app, target):
    for base_url, prefix in MODES:
        with app.test_request_context("/login", base_url=base_url + "/"):
            location = safe_next(target)
        assert location == prefix + "/", (target, location)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=targets)
@example(target="////evil.example")
def test_any_target_stays_on_this_deployment(app, target):
    for base_url, prefix in MODES:
        with app.test_request_context("/login", base_url=base_url + "/"):
            location = safe_next(target)
        _assert_stays_home(location, base_url, prefix)


@pytest.mark.parametrize("target", ["/admin/users", "/admin/users?x=1#top", "/", "/login"])
def test_a_path_of_this_app_is_kept(app, target):
    for base_url, prefix in MODES:
        with app.test_request_context("/login", base_url=base_url + "/"):
            assert safe_next(target) == prefix + target


def test_a_path_that_is_no_route_goes_home(app):
    for base_url, prefix in MODES:
        with app.test_request_context("/login", base_url=base_url + "/"):
            assert safe_next("/no/such/page") == prefix + "/"


@pytest.mark.parametrize("target", ["////evil.example", "/\\evil.example", "\\\\evil.example", "%2F%2Fevil.example",
                                    "javascript:alert(1)", "http://other.example/"])
def test_sign_in_on_the_tenants_own_host_never_leaves_it(client, create_tenant, create_user, target):
    """The probe's case: next=////evil.example on makassar.localhost/login after a good sign-in."""
    tenant = create_tenant()
    email = create_user(tenant, "admin")
    host = tenant.domains[0].host
    response = client.post("/login", query_string={"next": target}, base_url=f"http://{host}/",
                           data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    _assert_stays_home(response.headers["Location"], f"http://{host}", "")
    path_mode = client.post(f"/t/{tenant.slug}/login", query_string={"next": target},
                            data={"email": email, "password": PASSWORD})
    assert path_mode.headers["Location"] == f"/t/{tenant.slug}/"


@pytest.mark.parametrize("target", ["/\\evil.example", "////evil.example", "%2F%2Fevil.example", "/\t/evil.example"])
def test_language_switch_never_leaves_the_deployment(client, create_tenant, target):
    tenant = create_tenant()
    host = tenant.domains[0].host
    response = client.post("/lang", data={"locale": "en", "next": target}, base_url=f"http://{host}/")
    assert response.status_code == 302
    _assert_stays_home(response.headers["Location"], f"http://{host}", "")
    kept = client.post(f"/t/{tenant.slug}/lang", data={"locale": "en", "next": "/login"})
    assert kept.headers["Location"] == f"/t/{tenant.slug}/login"
