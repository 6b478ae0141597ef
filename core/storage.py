"""File storage (DESIGN §6): attachments, photos and generated PDFs go through one interface.

    from core.kit import storage
    key = storage().put(tenant, data, "image/jpeg", filename="photo.jpg")
    data = storage().get(key, tenant=tenant)

Keys are ``t<tenant id>/<yyyy>/<mm>/<random hex><.ext>``: namespaced by tenant, unguessable, and
never built from what a user typed (the file name only lends its extension). Passing ``tenant=`` to
``get``/``exists``/``delete`` refuses a key of another tenant as not found.

Backends, chosen by ``PAMONG_STORAGE``:
- ``local`` (default): a folder, ``PAMONG_STORAGE_DIR`` or ``<instance>/files``.
- ``s3``: any S3-compatible object store through boto3 (``pip install 'pamong[s3]'``):
  ``PAMONG_S3_BUCKET``, ``PAMONG_S3_ENDPOINT_URL`` (MinIO, Ceph, ...; empty for AWS),
  ``PAMONG_S3_PREFIX``, ``PAMONG_S3_REGION``; credentials from the usual AWS environment
  (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, profiles, instance roles).
"""
from __future__ import annotations

import mimetypes
import os
import re
import secrets
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app

from .errors import NotFound, PamongError, ValidationError

KEY = re.compile(r"^t(\d+)/\d{4}/\d{2}/[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")
EXT = re.compile(r"^\.[a-z0-9]{1,10}$")


def _tenant_id(tenant) -> int:
    return tenant if isinstance(tenant, int) else tenant.id


def _extension(content_type: str, filename: str) -> str:
    ext = os.path.splitext(filename or "")[1].lower()
    if not EXT.match(ext):
        ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
    return ext if EXT.match(ext) else ""


def new_key(tenant, content_type: str, filename: str = "", now: datetime | None = None) -> str:
    if now is None:
        from .clock import now as clock_now

        now = clock_now()
    return f"t{_tenant_id(tenant)}/{now:%Y/%m}/{secrets.token_hex(16)}{_extension(content_type, filename)}"


def tenant_of(key: str) -> int:
    """The tenant id a key belongs to; a malformed key is NotFound."""
    match = KEY.match(key or "")
    if not match:
        raise NotFound(f"no stored file '{key}'", where="key")
    return int(match.group(1))


class Storage:
    """The interface; backends implement the ``_write``/``_read``/``_remove``/``_has`` primitives."""

    name = "base"

    def put(self, tenant, data: bytes, content_type: str, filename: str = "") -> str:
        """Store ``data`` for ``tenant``; returns its key."""
        if not isinstance(data, (bytes, bytearray)):
            raise ValidationError("must be bytes", where="data")
        if not content_type or "/" not in content_type:
            raise ValidationError("is not a media type (e.g. image/jpeg)", where="content_type")
        key = new_key(tenant, content_type, filename)
        self._write(key, bytes(data), content_type)
        return key

    def get(self, key: str, tenant=None) -> bytes:
        self._check(key, tenant)
        return self._read(key)

    def exists(self, key: str, tenant=None) -> bool:
        try:
            self._check(key, tenant)
        except NotFound:
            return False
        return self._has(key)

    def delete(self, key: str, tenant=None) -> None:
        """Remove the file; deleting a missing file is not an error."""
        self._check(key, tenant)
        self._remove(key)

    def _check(self, key: str, tenant) -> None:
        owner = tenant_of(key)
        if tenant is not None and owner != _tenant_id(tenant):
            raise NotFound(f"no stored file '{key}'", where="key")


class LocalStorage(Storage):
    name = "local"

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key  # the key pattern admits no "..", so the path stays under root

    def _write(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)  # readers never see half a file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no stored file '{key}'", where="key") from None

    def _has(self, key: str) -> bool:
        return self._path(key).is_file()

    def _remove(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage(Storage):
    name = "s3"

    def __init__(self, bucket: str, endpoint_url: str = "", prefix: str = "", region: str = "", client=None):
        if not bucket:
            raise PamongError("is not set", where="PAMONG_S3_BUCKET", code="storage_config")
        if client is None:
            try:
                import boto3
            except ImportError:
                raise PamongError("needs boto3: pip install 'pamong[s3]'", where="PAMONG_STORAGE",
                                  code="storage_config") from None
            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _object(self, key: str) -> str:
        return self.prefix + key

    def _write(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data, ContentType=content_type)

    def _read(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._object(key))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise NotFound(f"no stored file '{key}'", where="key") from None
            raise

    def _has(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise

    def _remove(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))


def make_storage(config: dict) -> Storage:
    kind = config.get("PAMONG_STORAGE") or "local"
    if kind == "local":
        root = config.get("PAMONG_STORAGE_DIR") or Path(config["INSTANCE_DIR"]) / "files"
        return LocalStorage(root)
    if kind == "s3":
        return S3Storage(config.get("PAMONG_S3_BUCKET", ""), config.get("PAMONG_S3_ENDPOINT_URL", ""),
                         config.get("PAMONG_S3_PREFIX", ""), config.get("PAMONG_S3_REGION", ""))
    raise PamongError(f"unknown storage '{kind}' (local or s3)", where="PAMONG_STORAGE", code="storage_config")


def storage() -> Storage:
    """The app's configured storage backend (made once per app)."""
    app = current_app._get_current_object()
    backend = app.extensions.get("pamong_storage")
    if backend is None:
        backend = app.extensions["pamong_storage"] = make_storage(app.config)
    return backend
