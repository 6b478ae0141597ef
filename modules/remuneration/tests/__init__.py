"""Tests of Remuneration (TPP). They use Pamong's pytest fixtures (core/testing.py, loaded through
the pytest11 entry point): app, app_ctx, client, create_tenant, create_user, login, create_token,
audit_entries. Each test runs on SQLite and, with PAMONG_TEST_DATABASE_URL set, on PostgreSQL."""
