"""A CLI command run beside `pamong demo` links to the demo's address (core.config.demo_public_url):
the demo notes it in the instance folder; the environment's PAMONG_PUBLIC_URL still wins."""
from core import config


def test_the_demo_address_noted_in_the_instance_is_the_public_url(tmp_path, monkeypatch):
    monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path))
    monkeypatch.delenv("PAMONG_PUBLIC_URL", raising=False)
    assert config.security_config()["PAMONG_PUBLIC_URL"] == ""  # no demo ran here
    (tmp_path / config.DEMO_PUBLIC_URL_FILE).write_text("http://127.0.0.1:5077\n")
    assert config.security_config()["PAMONG_PUBLIC_URL"] == "http://127.0.0.1:5077"
    monkeypatch.setenv("PAMONG_PUBLIC_URL", "https://layanan.example.go.id")
    assert config.security_config()["PAMONG_PUBLIC_URL"] == "https://layanan.example.go.id"
