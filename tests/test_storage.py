"""File storage: the local folder (default) and S3-compatible object storage (moto, in-process)."""
from pathlib import Path

import pytest

from core.errors import NotFound, PamongError, ValidationError
from core.kit import storage
from core.storage import LocalStorage, S3Storage, make_storage, tenant_of

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def roundtrip(backend, tenant, other):
    """The behaviour every backend shares."""
    key = backend.put(tenant, JPEG, "image/jpeg", filename="Foto Jalan.JPG")
    assert key.startswith(f"t{tenant.id}/") and key.endswith(".jpg") and tenant_of(key) == tenant.id
    assert backend.get(key) == JPEG and backend.get(key, tenant=tenant) == JPEG
    assert backend.exists(key) and backend.exists(key, tenant=tenant)
    # another tenant cannot reach it, even knowing the key
    assert not backend.exists(key, tenant=other)
    with pytest.raises(NotFound):
        backend.get(key, tenant=other)
    with pytest.raises(NotFound):
        backend.delete(key, tenant=other)
    assert backend.get(key) == JPEG
    second = backend.put(tenant, b"%PDF-1.7", "application/pdf")
    assert second != key and second.endswith(".pdf") and backend.get(second) == b"%PDF-1.7"
    backend.delete(key)
    assert not backend.exists(key)
    with pytest.raises(NotFound):
        backend.get(key)
    backend.delete(key)  # deleting twice is fine
    assert backend.get(second) == b"%PDF-1.7"
    return second


class T:
    def __init__(self, id):
        self.id = id


def test_local_storage_is_the_default_under_the_instance_folder(app_ctx):
    backend = storage()
    assert isinstance(backend, LocalStorage) and storage() is backend
    assert backend.root == Path(app_ctx.config["INSTANCE_DIR"]) / "files"
    key = roundtrip(backend, T(7001), T(7002))
    assert (backend.root / key).read_bytes() == b"%PDF-1.7"
    assert not list(backend.root.rglob(".upload-*"))  # no temporary files left behind


def test_local_storage_with_a_real_tenant(app_ctx, create_tenant):
    tenant, other = create_tenant(), create_tenant()
    roundtrip(storage(), tenant, other)


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "t1/../../secret_key", "/etc/passwd", "t1/2026/01/abc", "", "t1/2026/01/" + "g" * 32,
])
def test_keys_that_are_not_ours_are_not_found(tmp_path, key):
    backend = LocalStorage(tmp_path)
    (tmp_path.parent / "secret_key").write_text("x")
    with pytest.raises(NotFound):
        backend.get(key)
    assert backend.exists(key) is False


def test_bad_puts_are_refused(tmp_path):
    backend = LocalStorage(tmp_path)
    with pytest.raises(ValidationError):
        backend.put(T(1), "text, not bytes", "text/plain")
    with pytest.raises(ValidationError):
        backend.put(T(1), b"data", "")
    assert not any(tmp_path.iterdir())


def test_extension_comes_from_the_type_when_the_name_has_none(tmp_path):
    backend = LocalStorage(tmp_path)
    assert backend.put(T(1), b"png", "image/png", filename="no-extension").endswith(".png")
    assert backend.put(T(1), b"?", "application/x-unknown-thing").count(".") == 0
    weird = backend.put(T(1), b"x", "text/plain", filename="../../evil.sh;rm -rf")
    assert tenant_of(weird) == 1 and ".." not in weird


def test_unknown_backend_is_a_clear_error(tmp_path):
    with pytest.raises(PamongError) as exc:
        make_storage({"PAMONG_STORAGE": "ftp", "INSTANCE_DIR": str(tmp_path)})
    assert exc.value.where == "PAMONG_STORAGE"
    with pytest.raises(PamongError) as exc:
        make_storage({"PAMONG_STORAGE": "s3", "PAMONG_S3_BUCKET": ""})
    assert exc.value.where == "PAMONG_S3_BUCKET"


@pytest.fixture
def s3(monkeypatch):
    from moto import mock_aws

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "ap-southeast-3"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        client = boto3.client("s3", region_name="ap-southeast-3")
        client.create_bucket(Bucket="pamong-files",
                             CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
        yield client


def test_s3_storage(s3):
    backend = make_storage({"PAMONG_STORAGE": "s3", "PAMONG_S3_BUCKET": "pamong-files",
                            "PAMONG_S3_PREFIX": "/kota/", "PAMONG_S3_REGION": "ap-southeast-3"})
    assert isinstance(backend, S3Storage)
    key = roundtrip(backend, T(41), T(42))
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="pamong-files")["Contents"]]
    assert listed == [f"kota/{key}"]  # the prefix, then the tenant's namespace
    head = s3.head_object(Bucket="pamong-files", Key=f"kota/{key}")
    assert head["ContentType"] == "application/pdf"


def test_s3_is_chosen_by_the_app_config(app, s3, monkeypatch):
    monkeypatch.setitem(app.config, "PAMONG_STORAGE", "s3")
    monkeypatch.setitem(app.config, "PAMONG_S3_BUCKET", "pamong-files")
    monkeypatch.setitem(app.config, "PAMONG_S3_PREFIX", "")
    monkeypatch.setitem(app.config, "PAMONG_S3_REGION", "ap-southeast-3")
    monkeypatch.delitem(app.extensions, "pamong_storage", raising=False)
    try:
        with app.app_context():
            backend = storage()
            assert isinstance(backend, S3Storage)
            key = backend.put(T(5), b"hello", "text/plain", filename="a.txt")
        assert s3.get_object(Bucket="pamong-files", Key=key)["Body"].read() == b"hello"
    finally:
        app.extensions.pop("pamong_storage", None)  # the next test gets the local default again
