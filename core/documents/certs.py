"""The local signer's keys: a test CA and one signing certificate per tenant, made with
cryptography's X.509 builder into ``<instance>/signing/`` (never committed; instance/ is ignored).

    ensure_ca(instance_dir) -> Path                 # ca.pem + ca.key, made once
    ensure_tenant_cert(instance_dir, tenant) -> SigningFiles

The CA is for tests and demos only: a deployment that must be trusted outside itself signs through
BSrE (``signing.BsreSigner``). Keys are ECDSA P-256 (fast to make and to sign with), files 0600.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_YEARS = 10
CERT_YEARS = 2


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    ca: Path


def signing_dir(instance_dir) -> Path:
    return Path(instance_dir) / "signing"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common: str, org: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
    ])


def ensure_ca(instance_dir) -> Path:
    """The deployment's test CA (``ca.pem``/``ca.key``), made when missing; returns ``ca.pem``."""
    folder = signing_dir(instance_dir)
    cert_path, key_path = folder / "ca.pem", folder / "ca.key"
    if cert_path.is_file() and key_path.is_file():
        return cert_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Pamong Test CA (not for production)", "Pamong test deployment")
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(key_path, _key_pem(key))
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path


def issue_cert(instance_dir, common_name: str, org: str, *, not_before: datetime | None = None,
               not_after: datetime | None = None, time_stamping: bool = False) -> tuple[bytes, bytes]:
    """A signing certificate from the test CA: ``(key_pem, cert_pem)``. Validity defaults to now
    until ``CERT_YEARS`` ahead; tests pass other bounds (an expired or not-yet-valid certificate).
    ``time_stamping``: a test time-stamping authority's certificate (RFC 3161 §2.3: the only,
    critical, extended key usage is timeStamping)."""
    folder = signing_dir(instance_dir)
    ensure_ca(instance_dir)
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    # RSA for a TSA (pyHanko's test time stamper signs with RSA only), ECDSA P-256 otherwise
    key = rsa.generate_private_key(65537, 2048) if time_stamping else ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(_name(common_name, org)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(minutes=5))
        .not_valid_after(not_after or now + timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING if time_stamping
                                              else ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=time_stamping)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return _key_pem(key), cert.public_bytes(serialization.Encoding.PEM)


def tenant_files(instance_dir, slug: str) -> SigningFiles:
    folder = signing_dir(instance_dir)
    return SigningFiles(folder / f"{slug}.key", folder / f"{slug}.pem", folder / "ca.pem")


def ensure_tenant_cert(instance_dir, tenant, *, replace: bool = False) -> SigningFiles:
    """The tenant's local signing key and certificate, made when missing (or ``replace``)."""
    files = tenant_files(instance_dir, tenant.slug)
    if not replace and files.key.is_file() and files.cert.is_file():
        return files
    key_pem, cert_pem = issue_cert(instance_dir, tenant.name, tenant.name)
    _write(files.key, key_pem)
    _write(files.cert, cert_pem)
    return files
