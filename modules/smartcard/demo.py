"""Demo data for ``pamong demo``: holders (the demo citizen among them), cards, a terminal, and a
day of top-ups, payments, parking and bus trips with holds, a refund and a QRIS payment. Seeded once.

The core ledger dates every transfer when it is written (its journal is immutable), so the demo's
transfers are all of the day ``pamong demo`` ran; the public chart fills month by month from there."""
from __future__ import annotations

from core.kit import Actor, User, db, tenant_scope

from . import services
from .models import Card
from .settings_access import settings

HOLDERS = [("Daeng Ngai", "7371014101900001", ["library", "pool", "bus"]),
           ("Andi Baso", "7371010101850002", ["library"]), (None, None, [])]
CARDS = ["6032981000000001", "6032981000000002", "6032981000000003", "6032981000000004"]


def seed(tenant) -> None:
    with tenant_scope(tenant):
        if db.session.execute(db.select(Card.id).limit(1)).first():
            return
    merchants = {m["code"]: m for m in settings(tenant)["merchants"]}
    if not merchants:
        return
    actor = Actor.system("demo", tenant)
    services.open_accounts(tenant, actor)
    citizen = db.session.execute(db.select(User.id).where(User.email == f"warga@{tenant.slug}.test")).scalar()
    holders = []
    for i, (name, nik, rights) in enumerate(HOLDERS):
        holders.append(services.create_holder(tenant, actor, name, nik=nik, entitlements=rights,
                                              user_id=citizen if i == 0 else None) if name else None)
    for number, holder in zip(CARDS, holders + [None]):
        services.issue_card(tenant, actor, number, holder)
    for i, number in enumerate(CARDS):
        services.top_up(tenant, actor, f"demo-bri-{i}", number, [500_000, 150_000, 120_000, 20_000][i])
    codes = list(merchants)
    by_service = {m["service"]: code for code, m in merchants.items()}
    for i in range(12):
        number = CARDS[i % 3]
        services.pay(tenant, actor, f"demo-pay-{i}", number, codes[i % len(codes)], 2_000 + 1_500 * i)
    for kind, fare in (("parking", 5_000), ("transit", 4_000)):
        code = by_service.get(kind)
        if code:
            for i, number in enumerate(CARDS[:3]):
                services.hold(tenant, actor, f"demo-{kind}-in-{i}", number, code, fare * 2)
                if i < 2:
                    services.capture(tenant, actor, f"demo-{kind}-out-{i}", f"demo-{kind}-in-{i}", fare)
    services.refund(tenant, actor, "demo-refund-0", "demo-pay-0", 1_000)
    services.qris_paid(tenant, actor, "demo-qris-0", codes[0], 25_000)
    services.block(tenant, actor, CARDS[3], "Dilaporkan hilang")
