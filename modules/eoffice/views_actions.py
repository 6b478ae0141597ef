"""A letter's page and what is done on it: draft (new, edit), submit to review, paraf, return,
sign, send, dispose, follow-up. Every action is one transaction (``unit_of_work``); a refusal
(out of turn, twice, bad input) comes back on the page with its message (HTTP 400)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale

from core.kit import (
    OrgUnit, PamongError, active_positions, approvals, current_actor, db, gettext as _, lazy_gettext as _l, requires,
    tenant_scope, unit_of_work,
)

from . import attachments, delivery, drafting, queries, review
from .access import involvement
from .crossing import delivery_states, sender_name, type_name
from .form_errors import show_all, unshown
from .forms import ActionForm, DisposeForm, FollowUpForm, LetterForm, ReturnForm, WithdrawForm
from .hierarchy import subordinates
from .labels import actor_label, security_label
from .models import DRAFT, NUMBERED, REVIEW, SENT, SIGNED
from .settings import SECURITY, classifications, letter_types, settings_of
from .views import OVERSEE, WORK, pages, readable, timeline_note

NONE = ("", "—")
POST_ACTOR = "tenant-post:"


def _fill(form: LetterForm) -> None:
    tenant, actor = g.tenant, current_actor()
    indonesian = str(get_locale() or "id").startswith("id")
    form.letter_type.choices = [(c, t["name_id"] if indonesian else t["name_en"]) for c, t in letter_types(tenant).items()]
    form.classification.choices = [(c, f"{c} {'· ' * e['depth']}{e['name']}") for c, e in classifications(tenant).items()]
    form.security.choices = [(s, security_label(s)) for s in SECURITY]
    with tenant_scope(tenant):
        units = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.active.is_(True), OrgUnit.kind == "agency")
                                        .order_by(OrgUnit.code)).scalars())
    form.unit.choices = [(u.code, u.name) for u in units if u.id in actor.agency_ids] or [NONE]
    form.to_units.choices = form.cc_units.choices = [(u.code, u.name) for u in units]
    positions = [(p["code"], f"{p['name']} ({p['unit_code']})") for p in active_positions(tenant)]
    form.to_positions.choices = positions
    from .crossing import choices as other_tenants

    form.to_tenants.choices = form.cc_tenants.choices = other_tenants(tenant)
    for f in (form.verifier_1, form.verifier_2, form.verifier_3):
        f.choices = [NONE] + positions
    form.signer.choices = [NONE] + positions
    if request.method == "GET" and not form.security.data:
        form.security.data = settings_of(tenant)["default_security"]
    if request.method == "GET" and not form.body.data:  # a new letter starts from its type's template
        kinds = letter_types(tenant)
        chosen = request.args.get("type") or form.letter_type.data or next(iter(kinds), "")
        if chosen in kinds:
            form.letter_type.data = chosen
            form.body.data = kinds[chosen].get("template") or ""


def _use_template(form: LetterForm) -> None:
    """Put the chosen type's template in the text, unless the text holds words of the drafter's own
    (anything but blank or another type's template), which are kept and said so."""
    kinds = letter_types(g.tenant)
    chosen = kinds.get(form.letter_type.data or "")
    if chosen is None:
        return
    typed = (form.body.data or "").strip()
    if typed and typed not in {(t.get("template") or "").strip() for t in kinds.values()}:
        form.body.errors = [_("Your own text is kept; empty the text first to start from this type's template.")]
        return
    form.body.data = chosen.get("template") or ""


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _draft(form: LetterForm) -> drafting.Draft:
    return drafting.Draft(
        letter_type=form.letter_type.data or "", classification=form.classification.data or "",
        security=form.security.data or "", subject=form.subject.data or "", body=form.body.data or "",
        unit=form.unit.data or "", to_units=form.to_units.data or [], to_positions=form.to_positions.data or [],
        to_external=_lines(form.to_external.data), to_tenants=form.to_tenants.data or [], cc_units=form.cc_units.data or [],
        cc_tenants=form.cc_tenants.data or [],
        cc_external=_lines(form.cc_external.data),
        verifiers=[v for v in (form.verifier_1.data, form.verifier_2.data, form.verifier_3.data) if v],
        signer=form.signer.data or "", on_behalf=form.on_behalf.data or "", via=form.via.data or "",
        attachments=[(f.filename, f.read()) for f in (form.attachments.data or []) if getattr(f, "filename", "")])


@pages.route("/new", methods=["GET", "POST"])
@pages.route("/letters/<int:letter_id>/edit", methods=["GET", "POST"])
@requires(WORK)
def draft(letter_id=None):
    form = LetterForm()
    if letter_id is not None and request.method == "GET":
        letter, _me = readable(letter_id)
        recips = queries.recipients(g.tenant, letter)
        form = LetterForm(data={
            "letter_type": letter.letter_type, "classification": letter.classification, "security": letter.security,
            "unit": letter.drafting_unit_code or letter.unit_code, "subject": letter.subject, "body": letter.body_html,
            "to_units": [r.unit_code for r in recips if r.kind == "to" and r.unit_code],
            "to_positions": [r.position_code for r in recips if r.position_code],
            "to_external": "\n".join(r.name for r in recips if r.kind == "to" and not (r.unit_code or r.position_code
                                                                                         or r.tenant_slug)),
            "to_tenants": [r.tenant_slug for r in recips if r.kind == "to" and r.tenant_slug],
            "cc_tenants": [r.tenant_slug for r in recips if r.kind == "cc" and r.tenant_slug],
            "cc_units": [r.unit_code for r in recips if r.kind == "cc" and r.unit_code],
            "cc_external": "\n".join(r.name for r in recips if r.kind == "cc" and not (r.unit_code or r.tenant_slug)),
            **{f"verifier_{n + 1}": code for n, code in enumerate(letter.steps[:-1])},
            "signer": letter.steps[-1] if letter.steps else "", "on_behalf": letter.on_behalf, "via": letter.via})
    _fill(form)
    if request.method == "POST" and request.form.get("use_template"):
        # the type's template asked for without JavaScript: the same form again, what was typed kept
        _use_template(form)
        return render_template("eoffice/draft.html", form=form, letter_id=letter_id), 200
    if form.validate_on_submit():
        with unit_of_work(form, show=show_all) as work:
            saved = drafting.save_draft(g.tenant, current_actor(), _draft(form), letter_id)
            saved_id = saved.id
        if work.ok:
            flash(_("Draft saved."))
            return redirect(url_for(".letter", letter_id=saved_id))
    elif request.method == "POST":  # the form's own checks failed: say what the service finds too
        try:
            drafting.check(g.tenant, current_actor(), _draft(form))
        except PamongError as exc:
            show_all(form, exc)
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    return render_template("eoffice/draft.html", form=form, letter_id=letter_id), status


def letter_page(letter_id, forms=None, status=200):
    tenant, actor = g.tenant, current_actor()
    found, me = readable(letter_id)
    if request.method == "GET" and found.status == SENT and delivery.mark_read(tenant, actor, found):
        db.session.commit()
        found, me = readable(letter_id)
    how = involvement(tenant, found, me)
    chain = approvals.get_chain(tenant, "eoffice", "letter", found.chain_id) if found.status == REVIEW else None
    waiting = approvals.awaiting(tenant, chain) if chain else None
    my_turn = bool(waiting and waiting["step"].get("position") in me.positions)
    forms = forms or {}
    ret = forms.get("return") or ReturnForm()
    if waiting:
        ret.step.data = str(waiting["index"])
        ret.to_step.choices = [("", _("the drafter"))] + [
            (str(n), approvals.step_label(tenant, s)) for n, s in enumerate(chain.steps[:waiting["index"]])]
    revoked = delivery.revocation(tenant, found)
    dispose = forms.get("dispose") or DisposeForm()
    can_dispose = found.status == SENT and bool(how & {"to", "cc", "disposition"}) and revoked is None \
        and bool(me.positions)  # someone without a position disposes to nobody (hierarchy.py)
    if can_dispose:
        dispose.to.choices = [(str(p.id), p.name or p.email) for p in delivery.targets(tenant, actor, found)]
    mine = [d for d in queries.letter_dispositions(tenant, found) if d.to_id == me.user_id and d.status == "open"]
    timeline = queries.timeline(tenant, found)
    for row in timeline:  # the post between governments acts as "tenant-post:<slug>": say whose post it is
        if str(row["actor"]).startswith(POST_ACTOR):
            row["actor"] = _("Delivery from %(sender)s", sender=sender_name(str(row["actor"])[len(POST_ACTOR):]))
        else:
            row["actor"] = actor_label(row["actor"])  # a job of the system by what it does
        row["note"] = timeline_note(row)  # facts kept as data, in the reader's language
    indonesian = str(get_locale() or "id").startswith("id")
    can_edit = found.status == DRAFT and "drafter" in how
    action = forms.get("action") or ActionForm()
    # a refusal on a form the page no longer shows, or on a hidden field, is said at the top
    shown = {"action": True, "withdraw": can_edit, "return": my_turn, "follow": bool(mine), "dispose": can_dispose}
    for key, form in forms.items():
        action.form_errors.extend(e for e in unshown(form, shown.get(key, False)) if e not in action.form_errors)
    return render_template(
        "eoffice/letter.html", letter=found, how=how, recipients=queries.recipients(tenant, found),
        timeline=timeline, dispositions=queries.disposition_chains(queries.letter_dispositions(tenant, found)),
        chain=chain, steps=[approvals.step_label(tenant, {"position": c}) for c in found.steps], waiting=waiting,
        my_turn=my_turn, is_last=bool(waiting and waiting["index"] == len(found.steps) - 1),
        own_draft=found.drafter_id is not None and found.drafter_id == me.user_id, own_draft_note=review.OWN_DRAFT,
        action=action, ret=ret, dispose=dispose, can_dispose=can_dispose,
        follow=forms.get("follow") or FollowUpForm(), mine=mine, withdraw=forms.get("withdraw") or WithdrawForm(),
        can_edit=can_edit, revoked=revoked, overseer=not how and me.oversees,
        can_finish=found.status == NUMBERED and review.may_finish(tenant, found, actor.user),
        can_send=found.status == SIGNED and bool(how & {"drafter", "unit"}) and revoked is None,
        classification=classifications(tenant).get(found.classification, {}),
        kind_name=type_name(tenant, found, indonesian),
        origin_day=format_date(found.origin_date, format="long") if found.origin_date else "", files=attachments.of(tenant, found),
        posts=delivery_states(tenant, queries.recipients(tenant, found)),
    ), status


def _act(letter_id, form, do, done: str, key: str = "action"):
    """Run ``do()`` in one transaction; on success flash ``done`` and show the letter, else the
    letter again with the refusal on the form (400)."""
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            do()
        if work.ok:
            flash(done)
            return redirect(url_for(".letter", letter_id=letter_id))
        if work.error is not None and work.error.code == "revoked":  # the page says it once, with the reason
            said = str(work.error.local or work.error.message)
            form.form_errors[:] = [e for e in form.form_errors if str(e) != said]
    elif not form.errors:
        form.form_errors.append(_("The form expired: try again."))
    return letter_page(letter_id, {key: form}, 400)


def _step(form) -> int:
    try:
        return int(form.step.data)
    except (TypeError, ValueError):
        raise PamongError(f"no step {form.step.data!r}", code="approval_out_of_turn",
                          local=_l("This step is not awaiting action.")) from None


@pages.route("/letters/<int:letter_id>/submit", methods=["POST"])
@requires(WORK)
def submit(letter_id):
    return _act(letter_id, ActionForm(), lambda: drafting.submit(g.tenant, current_actor(), letter_id),
                _("Sent to review."))


@pages.route("/letters/<int:letter_id>/verify", methods=["POST"])
@requires(WORK)
def verify(letter_id):
    form = ActionForm()
    return _act(letter_id, form, lambda: review.verify(g.tenant, current_actor(), letter_id, _step(form)),
                _("Paraf given."))


@pages.route("/letters/<int:letter_id>/sign", methods=["POST"])
@requires(WORK)
def sign(letter_id):
    """Two transactions (``review.sign``): the number, committed at once; then the signature. If the
    signature fails the letter keeps its number and the page offers *Finish signing*."""
    form = ActionForm()
    if not form.validate_on_submit():
        return _act(letter_id, form, lambda: None, "")
    with unit_of_work(form) as work:
        review.take_number(g.tenant, current_actor(), letter_id, _step(form))
    if not work.ok:
        return letter_page(letter_id, {"action": form}, 400)
    return _finish(letter_id, form)


def _finish(letter_id, form):
    with unit_of_work(form) as work:
        review.finish_signing(g.tenant, current_actor(), letter_id)
    if work.ok:
        flash(_("Signed and numbered."))
        return redirect(url_for(".letter", letter_id=letter_id))
    if work.error is None or work.error.code not in ("already_signed", "not_numbered"):
        form.form_errors.insert(0, _("The number is taken and kept for this letter; the signature is not finished: "
                                     "finish signing again."))
    return letter_page(letter_id, {"action": form}, 400)


@pages.route("/letters/<int:letter_id>/finish", methods=["POST"])
@requires(WORK)
def finish(letter_id):
    form = ActionForm()
    if not form.validate_on_submit():
        return _act(letter_id, form, lambda: None, "")
    return _finish(letter_id, form)


@pages.route("/letters/<int:letter_id>/return", methods=["POST"])
@requires(WORK)
def return_letter(letter_id):
    form = ReturnForm()
    to = form.to_step.data

    def do():
        review.return_letter(g.tenant, current_actor(), letter_id, _step(form), form.note.data,
                             to_step=int(to) if to and to.isdigit() else None)

    return _act(letter_id, form, do, _("Returned."), key="return")


@pages.route("/letters/<int:letter_id>/withdraw", methods=["POST"])
@requires(WORK)
def withdraw(letter_id):
    form = WithdrawForm()
    return _act(letter_id, form, lambda: drafting.withdraw(g.tenant, current_actor(), letter_id, form.reason.data),
                _("The draft is withdrawn."), key="withdraw")


@pages.route("/letters/<int:letter_id>/send", methods=["POST"])
@requires(WORK)
def send(letter_id):
    return _act(letter_id, ActionForm(), lambda: delivery.send(g.tenant, current_actor(), letter_id), _("Sent."))


@pages.route("/letters/<int:letter_id>/dispose", methods=["POST"])
@requires(WORK)
def dispose(letter_id):
    form = DisposeForm()
    form.to.choices = [(str(p.id), p.name or p.email) for p in subordinates(g.tenant, current_actor())]

    def do():
        delivery.dispose_to_each(g.tenant, current_actor(), letter_id, form.to.data, form.instruction.data,
                                 form.due_on.data, parent_id=form.parent.data or None)

    return _act(letter_id, form, do, _("Disposition sent."), key="dispose")


@pages.route("/dispositions/<int:disposition_id>/follow-up", methods=["POST"])
@requires(WORK)
def follow_up(disposition_id):
    form = FollowUpForm()
    letter_id = request.args.get("letter", type=int) or 0
    report = form.report.data
    report = (report.filename, report.read()) if getattr(report, "filename", "") else None
    return _act(letter_id, form, lambda: delivery.follow_up(g.tenant, current_actor(), disposition_id,
                                                            form.follow_up.data, report),
                _("Follow-up reported."), key="follow")


@pages.route("/letters/<int:letter_id>/dispositions/<int:disposition_id>/report")
@requires(WORK, OVERSEE)
def follow_up_report(letter_id, disposition_id):
    """The report that came with a follow-up, to whoever may read the letter."""
    from io import BytesIO

    from flask import abort, send_file

    from core.kit import storage

    found, _me = readable(letter_id, "report")
    row = next((d for d in queries.letter_dispositions(g.tenant, found) if d.id == disposition_id), None)
    if row is None or not row.report_key:
        abort(404)
    data = storage().get(row.report_key, tenant=g.tenant)
    return send_file(BytesIO(data), mimetype="application/pdf", download_name=row.report_name or "laporan.pdf",
                     as_attachment=True)


@pages.route("/letters/<int:letter_id>/attachments/<int:attachment_id>")
@requires(WORK, OVERSEE)
def attachment(letter_id, attachment_id):
    from io import BytesIO

    from flask import abort, send_file

    from core.kit import NotFound

    found, _me = readable(letter_id, "attachment")
    try:
        row, data = attachments.read(g.tenant, found, attachment_id)
    except NotFound:
        abort(404)
    return send_file(BytesIO(data), mimetype="application/pdf", download_name=row.filename, as_attachment=True)
