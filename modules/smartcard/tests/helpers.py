"""Settings and small helpers the smart card tests share."""
from core.kit import Actor

MERCHANTS = [
    {"code": "pasar-terong", "name": "Pasar Terong Kios 12", "kind": "merchant", "service": "market", "fee_bps": 100,
     "nmid": "ID1020000000012", "city": "Makassar", "mcc": "5411"},
    {"code": "parkir-losari", "name": "Parkir Pantai Losari", "kind": "service_point", "service": "parking",
     "nmid": "ID1020000000034", "city": "Makassar", "mcc": "7523"},
    {"code": "bus-1", "name": "Bus Kota Koridor 1", "kind": "service_point", "service": "transit"},
]
# the callbacks' secrets are only ever references: the tests' create_tenant sets them for each tenant
SETTINGS = {"merchants": MERCHANTS, "bank_secret": "env:BANK", "qris_secret": "env:QRIS"}
SECRETS = {"BANK": "bank-secret-1", "QRIS": "qris-secret-1"}
CARD = "6032981000000001"
CARD2 = "6032981000000002"
NIK = "7371014101900001"


def system(tenant):
    return Actor.system("test", tenant)
