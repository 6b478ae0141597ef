"""Approval chains: an ordered list of steps, each a position (jabatan), a role or one named user, that an object
(an e-office letter's paraf, a permit's stages, a TPP objection) passes one step at a time.

The object is named by ``(module, kind, object_id)``; the chain never imports the module. At each
step the person whose turn it is approves (the chain moves on) or returns the object with a note to
an earlier step (that step and the ones after it must approve again), or rejects it with a note
(the chain ends ``rejected``). Refused, with nothing changed:
acting on a step that is not the current one (``OutOfTurn``), acting a second time in the same pass
(``AlreadyActed``: one person approves one step, so a paraf is never given twice by the same
hand), acting without holding the step's position or role on the tenant's date (``NotHolder``; an
acting holder, Plt., counts within the acting period), acting on an approved or rejected chain
(``ChainClosed``). Each refusal's ``message`` is English (the CLI, the logs); its ``local`` says the
same in the reader's language (the core's catalogue), for the pages of every module using chains. Every action is audited (``approval.*``) and kept as a timeline entry
(``history``). Each action reads the chain under ``core.locking.write_lock``, so two people acting
at once are serialised and the second sees the first's result.
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, lazy_gettext as _l, ngettext
from flask_babel.speaklater import LazyString

from ..audit import record
from ..audit.record import actor_fields
from ..auth.models import ROLES, Membership, User
from ..errors import NotFound, PamongError, ValidationError
from ..extensions import db
from ..locking import write_lock
from ..tenancy.models import OrgUnit, Position, utcnow
from ..tenancy.positions import holds, local_today, member
from ..tenancy.scope import tenant_scope
from .models import APPROVED, PENDING, REJECTED, ApprovalAction, ApprovalChain


class ApprovalError(PamongError):
    """An approval action that may not be taken now; nothing was changed."""

    code = "approval_error"


class OutOfTurn(ApprovalError):
    code = "approval_out_of_turn"


class AlreadyActed(ApprovalError):
    code = "approval_twice"


class NotHolder(ApprovalError):
    code = "approval_not_holder"


class ChainClosed(ApprovalError):
    code = "approval_closed"


# -- Steps ----------------------------------------------------------------------------------------

def check_steps(tenant, steps: list[dict], where: str = "steps") -> list[dict]:
    """Validate and normalise ``steps``: each ``{"position": code}`` (an active position of the
    tenant), ``{"role": role}`` with an optional ``"unit"`` (an agency code: the officers of that
    agency) or ``{"user": email}`` (one named member of the tenant, e.g. an employee's supervisor;
    stored lower-case), and an optional ``"label"``. Raises ``ValidationError`` naming ``steps[i].<key>``."""
    if not isinstance(steps, (list, tuple)) or not steps:
        raise ValidationError("name at least one step", where=where, code="approval_bad_steps")
    out = []
    with tenant_scope(tenant):
        for i, step in enumerate(steps):
            here = f"{where}[{i}]"
            if not isinstance(step, dict) or len({"position", "role", "user"} & set(step)) != 1:
                raise ValidationError("a step names either a position, a role or a user", where=here,
                                      code="approval_bad_steps")
            unknown = set(step) - {"position", "role", "user", "unit", "label"}
            if unknown:
                raise ValidationError("unknown key", where=f"{here}.{sorted(unknown)[0]}", code="approval_bad_steps")
            clean = {k: str(v) for k, v in step.items()}
            if "user" in clean:
                clean["user"] = clean["user"].strip().lower()
                if "unit" in clean:
                    raise ValidationError("a user step names no unit", where=f"{here}.unit", code="approval_bad_steps")
                if member(tenant, clean["user"]) is None:
                    raise ValidationError(f"no user '{clean['user']}' in tenant '{tenant.slug}'",
                                          where=f"{here}.user", code="unknown_user")
            elif "position" in clean:
                if "unit" in clean:
                    raise ValidationError("a position step names no unit (the position has one)", where=f"{here}.unit",
                                          code="approval_bad_steps")
                if not db.session.execute(db.select(Position.id).where(
                        Position.code == clean["position"], Position.active.is_(True))).first():
                    raise ValidationError(f"no position '{clean['position']}' in tenant '{tenant.slug}'",
                                          where=f"{here}.position", code="unknown_position")
            else:
                if clean["role"] not in ROLES:
                    raise ValidationError(f"unknown role '{clean['role']}' (roles: {', '.join(ROLES)})",
                                          where=f"{here}.role", code="approval_bad_steps")
                if "unit" in clean and _agency_id(clean["unit"]) is None:
                    raise ValidationError(f"no agency '{clean['unit']}' in tenant '{tenant.slug}'",
                                          where=f"{here}.unit", code="unknown_agency")
            out.append(clean)
    return out


def _agency_id(code: str) -> int | None:
    return db.session.execute(db.select(OrgUnit.id).where(
        OrgUnit.kind == "agency", OrgUnit.code == code, OrgUnit.active.is_(True))).scalar_one_or_none()


def step_label(tenant, step: dict) -> str:
    """How a step is shown: its label, else the position's name, else the role (and agency)."""
    if step.get("label"):
        return step["label"]
    with tenant_scope(tenant):
        if "position" in step:
            name = db.session.execute(db.select(Position.name).where(Position.code == step["position"])).scalar()
            return name or step["position"]
    if "user" in step:
        return step["user"]
    return f"{step['role']} {step['unit']}" if step.get("unit") else step["role"]


def may_act(tenant, step: dict, user, day: date | None = None) -> bool:
    """Whether ``user`` may act on ``step`` on ``day`` (default: the tenant's today)."""
    if getattr(user, "id", None) is None:
        return False
    if "position" in step:
        return holds(tenant, user, step["position"], day)
    if "user" in step:
        return (getattr(user, "email", "") or "").strip().lower() == step["user"] and member(tenant, step["user"]) is not None
    with tenant_scope(tenant):
        query = db.select(Membership.id).where(Membership.user_id == user.id, Membership.role == step["role"])
        if step.get("unit"):
            query = query.where(Membership.agency_id == _agency_id(step["unit"]))
        return db.session.execute(query.limit(1)).first() is not None


# -- The chain ------------------------------------------------------------------------------------

def _object_type(module: str, kind: str) -> str:
    return f"{module}.{kind}"[:63]


def get_chain(tenant, module: str, kind: str, object_id) -> ApprovalChain | None:
    with tenant_scope(tenant):
        return db.session.execute(db.select(ApprovalChain).where(
            ApprovalChain.module == module, ApprovalChain.kind == kind, ApprovalChain.object_id == str(object_id),
        )).scalar_one_or_none()


def _locked_chain(tenant, module: str, kind: str, object_id) -> ApprovalChain:
    """The chain, read under the write lock (core/locking.py), current as of this moment."""
    write_lock(db.session, key=f"approval:{module}:{kind}:{object_id}", ident=tenant.id)
    query = db.select(ApprovalChain).where(
        ApprovalChain.module == module, ApprovalChain.kind == kind, ApprovalChain.object_id == str(object_id),
    ).execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    chain = db.session.execute(query).scalar_one_or_none()
    if chain is None:
        raise NotFound(f"no approval chain for {module} {kind} '{object_id}'", code="approval_not_found")
    return chain


def _log(tenant, chain: ApprovalChain, actor, action: str, step=None, to_step=None, note: str = "") -> None:
    actor_id, label = actor_fields(actor)
    db.session.add(ApprovalAction(tenant_id=tenant.id, chain_id=chain.id, action=action, step=step, to_step=to_step,
                                  note=note, actor_id=actor_id, actor=label[:254], occurred_at=utcnow()))
    extra = {"step": step} if step is not None else {}
    if to_step is not None:
        extra["to_step"] = to_step
    if note:
        extra["note"] = note
    record(tenant, actor, f"approval.{action}", _object_type(chain.module, chain.kind), chain.object_id,
           after={"current": chain.current, "status": chain.status}, **extra)


def start_chain(tenant, module: str, kind: str, object_id, steps: list[dict], actor) -> ApprovalChain:
    """Open the chain of ``(module, kind, object_id)`` at its first step. Steps as ``check_steps``;
    an object has one chain (a second start raises ``ValidationError`` ``approval_exists``)."""
    steps = check_steps(tenant, steps)
    with tenant_scope(tenant):
        write_lock(db.session, key=f"approval:{module}:{kind}:{object_id}", ident=tenant.id)
        if get_chain(tenant, module, kind, object_id) is not None:
            raise ValidationError(f"{module} {kind} '{object_id}' already has an approval chain",
                                  where="object_id", code="approval_exists")
        chain = ApprovalChain(tenant_id=tenant.id, module=module, kind=kind, object_id=str(object_id), steps=steps,
                              current=0, status=PENDING, approvers=[None] * len(steps))
        db.session.add(chain)
        db.session.flush()
        _log(tenant, chain, actor, "start")
    return chain


def _check_turn(tenant, chain: ApprovalChain, actor, step: int, day: date | None) -> None:
    """Refuse the action unless ``step`` is the current step of an open chain and ``actor`` may take
    it. Each refusal keeps its English message (the CLI, the logs) and carries ``local``, the same
    in the reader's language (lazy, the core's catalogue) for pages and APIs."""
    if chain.status != PENDING:
        if chain.status == REJECTED:
            raise ChainClosed("this approval chain ended rejected; nothing more can be approved or returned",
                              local=_l("This approval chain ended with a rejection: nothing more can be approved, "
                                       "returned or rejected on it."))
        raise ChainClosed("this approval chain is complete; nothing more can be approved or returned",
                          local=_l("This approval chain is complete: nothing more can be approved, returned or "
                                   "rejected on it."))
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < len(chain.steps):
        raise OutOfTurn(f"there is no step {step} (steps 0 to {len(chain.steps) - 1})",
                        local=LazyString(lambda n=len(chain.steps): ngettext(
                            "This approval chain has no such step: it has %(num)d step.",
                            "This approval chain has no such step: it has %(num)d steps.", n)))
    uid = getattr(actor, "id", None)
    if uid is not None and uid in chain.approvers:
        done = chain.approvers.index(uid)
        label = step_label(tenant, chain.steps[done])
        raise AlreadyActed(f"you already approved step {done} ({label}); one person acts once on a chain",
                           local=_l("You already approved the step “%(step)s” of this chain: one person acts once "
                                    "on an approval chain.", step=label))
    if step != chain.current:
        label, current = step_label(tenant, chain.steps[step]), step_label(tenant, chain.steps[chain.current])
        raise OutOfTurn(f"step {step} is not awaiting action; step {chain.current} ({current}) is",
                        local=_l("The step “%(step)s” is not awaiting action now: the step awaiting action is "
                                 "“%(current)s”.", step=label, current=current))
    on = day or local_today(tenant)
    if not may_act(tenant, chain.steps[step], actor, on):
        label = step_label(tenant, chain.steps[step])
        raise NotHolder(f"you do not hold '{label}' on {on.isoformat()}", local=_not_holder(chain.steps[step], label, on))


def _not_holder(step: dict, label: str, on: date):
    """Why the actor may not act on ``step``, in the reader's language (the date written out as
    the page's language writes it when the message is read)."""
    if "position" in step:
        return _l("You do not hold the position “%(position)s” on %(day)s.", position=label,
                  day=LazyString(format_date, on, "long"))
    if "user" in step:
        return _l("This step is for %(user)s alone.", user=step["user"])
    return _l("This step is for a holder of the role “%(role)s”; you do not have it.", role=label)


def approve(tenant, module: str, kind: str, object_id, actor, *, step: int, note: str = "",
            day: date | None = None) -> ApprovalChain:
    """``actor`` approves ``step`` (the index they were shown, which must be the current one) of
    the object's chain; after the last step the chain is ``approved``. ``day``: the date the
    holding is checked on (default: the tenant's today). Raises an ``ApprovalError`` (nothing
    changed) or ``NotFound`` (``approval_not_found``)."""
    with tenant_scope(tenant):
        chain = _locked_chain(tenant, module, kind, object_id)
        _check_turn(tenant, chain, actor, step, day)
        approvers = list(chain.approvers)
        approvers[step] = actor.id
        chain.approvers = approvers
        chain.current = step + 1
        if chain.current == len(chain.steps):
            chain.status = APPROVED
        chain.updated_at = utcnow()
        _log(tenant, chain, actor, "approve", step=step, note=(note or "").strip())
        db.session.flush()
    return chain


def return_to(tenant, module: str, kind: str, object_id, actor, *, step: int, to_step: int, note: str,
              day: date | None = None) -> ApprovalChain:
    """``actor``, at the current ``step``, sends the object back to the earlier ``to_step`` with a
    ``note`` (required: the reason is what the earlier step acts on). The approvals of ``to_step``
    and later are undone; those steps act again. Errors as ``approve``; a bad ``to_step`` or an
    empty note raises ``ValidationError`` (``approval_bad_return``)."""
    note = (note or "").strip()
    with tenant_scope(tenant):
        chain = _locked_chain(tenant, module, kind, object_id)
        _check_turn(tenant, chain, actor, step, day)
        if not isinstance(to_step, int) or not 0 <= to_step < step:
            raise ValidationError(f"an object is returned to an earlier step (0 to {step - 1})" if step else
                                  "the first step has no earlier step to return to",
                                  where="to_step", code="approval_bad_return")
        if not note:
            raise ValidationError("say why it is returned", where="note", code="approval_bad_return")
        approvers = list(chain.approvers)
        approvers[to_step:] = [None] * (len(approvers) - to_step)
        chain.approvers = approvers
        chain.current = to_step
        chain.updated_at = utcnow()
        _log(tenant, chain, actor, "return", step=step, to_step=to_step, note=note)
        db.session.flush()
    return chain


def reject(tenant, module: str, kind: str, object_id, actor, *, step: int, note: str,
           day: date | None = None) -> ApprovalChain:
    """``actor``, at the current ``step``, rejects the object with a ``note`` (required: the reason):
    the chain ends ``rejected``, nothing more is approved or returned on it. Errors as ``approve``;
    an empty note raises ``ValidationError`` (``approval_bad_reject``)."""
    note = (note or "").strip()
    with tenant_scope(tenant):
        chain = _locked_chain(tenant, module, kind, object_id)
        _check_turn(tenant, chain, actor, step, day)
        if not note:
            raise ValidationError("say why it is rejected", where="note", code="approval_bad_reject")
        chain.status = REJECTED
        chain.updated_at = utcnow()
        _log(tenant, chain, actor, "reject", step=step, note=note)
        db.session.flush()
    return chain


def history(tenant, module: str, kind: str, object_id) -> list[dict]:
    """The chain's timeline, oldest first: ``{"at": datetime (UTC), "actor": str (the e-mail or
    label the audit trail keeps), "actor_id": int|None, "actor_name": str (as a page names the
    person: their name, else ``actor``), "action": "start"|"approve"|"return"|"reject", "step":
    int|None, "step_label": str, "to_step": int|None, "to_label": str, "note": str}``; empty if the
    object has no chain."""
    chain = get_chain(tenant, module, kind, object_id)
    if chain is None:
        return []
    with tenant_scope(tenant):
        rows = db.session.execute(db.select(ApprovalAction).where(ApprovalAction.chain_id == chain.id)
                                  .order_by(ApprovalAction.id)).scalars().all()
    ids = {r.actor_id for r in rows if r.actor_id is not None}
    names = dict(db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    labels = [step_label(tenant, s) for s in chain.steps]
    return [{
        "at": r.occurred_at, "actor": r.actor, "actor_id": r.actor_id, "actor_name": names.get(r.actor_id) or r.actor,
        "action": r.action, "step": r.step,
        "step_label": labels[r.step] if r.step is not None else "", "to_step": r.to_step,
        "to_label": labels[r.to_step] if r.to_step is not None else "", "note": r.note,
    } for r in rows]


def awaiting(tenant, chain: ApprovalChain) -> dict | None:
    """The step awaiting action (``{"index", "step", "label"}``), or None once approved."""
    if chain.status != PENDING:
        return None
    return {"index": chain.current, "step": chain.steps[chain.current],
            "label": step_label(tenant, chain.steps[chain.current])}
