"""The messages this module sends, through the core's outbox (``notify``), in the tenant's language.

Each is added to the caller's transaction: it is delivered only if the change commits. Every
message carries the tracking number. None carries the filer's identity: the filer is told on the
contact they gave; followers (``follow.py``) by e-mail, and only of a public (not *rahasia*)
complaint; officers learn that "the filer" added something, never who they are.

Which steps are told is the tenant's choice (``settings.notify_steps``, issue 20.5: by default
received, verified, forwarded, resolved or closed, and information asked; not every officer step),
and each message says in words what changed, in its reader's language: the filer's (kept at
filing), a signed-in follower's account language, a contact follower's (kept when they confirmed).
A follower without an account (``follow.py``) gets a one-click unsubscribe link in every message.

No message names a complaint its reader may not see (issue 10.3): a tracking number of a *rahasia*
complaint is taken out of what goes to a filer (unless it is theirs) or to followers
(``disclosure.hide_references``), and a duplicate of a *rahasia* original is "merged with a
confidential report".
"""
from __future__ import annotations

from flask_babel import force_locale

import logging

from core.kit import OrgUnit, ValidationError, contact_of, db, notify, tenant_url

from .disclosure import filer_may_see, hide_references, is_public
from .labels import gettext, outcome_label, status_label
from .settings import notifies

log = logging.getLogger("pamong.complaints")


def tracking_path(tenant, number: str) -> str:
    return f"/complaints/track/{number}"


def tracking_url(tenant, number: str) -> str:
    """A link the citizen can open, at the address the tenant is served at (``core.links``)."""
    return tenant_url(tenant, tracking_path(tenant, number))


def _ref(complaint) -> str:
    return f"complaints:{complaint.number}"


def _to_filer(tenant, complaint, subject: str, body: str) -> None:
    shown = filer_may_see(complaint)
    subject, body = hide_references(tenant, subject, shown), hide_references(tenant, body, shown)
    if complaint.notify_by == "sms" and complaint.filer_phone:
        notify(tenant, "sms", complaint.filer_phone, body, ref=_ref(complaint))
    elif complaint.notify_by == "email" and complaint.filer_email:
        notify(tenant, "email", complaint.filer_email, body, subject=subject, ref=_ref(complaint))


def language(tenant, wanted: str | None) -> str:
    """``wanted`` if the tenant speaks it, else the tenant's first language."""
    wanted = (wanted or "")[:2]
    return wanted if wanted and wanted in (tenant.locales or []) else tenant.default_locale


def _filer_language(tenant, complaint) -> str:
    return language(tenant, getattr(complaint, "filer_locale", ""))


def filed(tenant, complaint, access_key: str) -> None:
    if not notifies(tenant, "received"):
        return
    with force_locale(_filer_language(tenant, complaint)):
        subject = gettext("Complaint %(number)s received", number=complaint.number)
        body = gettext(
            "Your complaint has been received with number %(number)s. Access code (keep it to reopen "
            "the complaint): %(key)s. Follow it at %(url)s",
            number=complaint.number, key=access_key, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)


def _status_text(complaint) -> str:
    status = status_label(complaint.status)
    if complaint.status == "closed" and complaint.outcome:
        status += " (" + outcome_label(complaint.outcome) + ")"
    return status


def _agency_name(complaint) -> str:
    unit = db.session.get(OrgUnit, complaint.agency_id) if complaint.agency_id else None
    return unit.name if unit is not None else ""


def step_of(complaint) -> str:
    """The step just taken, as ``settings.NOTIFY_STEPS`` names it: the complaint's status, or
    "reopened" when the filer has just reopened it."""
    last = complaint.events[-1].kind if complaint.events else ""
    return "reopened" if last == "reopened" and complaint.status == "in_progress" else complaint.status


def what_changed(complaint, step: str, agency: str) -> str:
    """One sentence saying, in the active language, what happened to the complaint (not a bare
    status): who handles it now, whether it is fixed, why it closed."""
    number = complaint.number
    if step == "verified":
        return gettext("Complaint %(number)s has been checked and accepted; %(agency)s is responsible for it.",
                       number=number, agency=agency)
    if step == "assigned":
        return gettext("An officer of %(agency)s has taken on complaint %(number)s.", number=number, agency=agency)
    if step == "in_progress":
        return gettext("%(agency)s has started work on complaint %(number)s.", number=number, agency=agency)
    if step == "reopened":
        return gettext("Complaint %(number)s has been reopened: %(agency)s works on it again.",
                       number=number, agency=agency)
    if step == "resolved":
        return gettext("%(agency)s reports that the problem of complaint %(number)s has been fixed.",
                       number=number, agency=agency)
    if step == "rejected":
        return gettext("Complaint %(number)s was not accepted as a complaint and is closed.", number=number)
    if step == "closed":
        if complaint.outcome in ("fixed", ""):
            return gettext("Complaint %(number)s is closed: the problem was fixed.", number=number)
        if complaint.outcome == "withdrawn":
            return gettext("Complaint %(number)s is closed: its filer withdrew it.", number=number)
        return gettext("Complaint %(number)s is closed without a fix: %(outcome)s.", number=number,
                       outcome=outcome_label(complaint.outcome))
    return gettext("Complaint %(number)s is now: %(status)s.", number=number, status=_status_text(complaint))


def status_changed(tenant, complaint, note: str = "", actor=None, tell_filer: bool = True,
                   step: str | None = None) -> None:
    """Tell the filer (``tell_filer``) and the followers of the step just taken (``step_of``),
    if the tenant has chosen to tell it."""
    step = step or step_of(complaint)
    if not notifies(tenant, step):
        return
    agency, url = _agency_name(complaint), tracking_url(tenant, complaint.number)

    def compose(for_follower: bool) -> tuple[str, str]:
        subject = gettext("Complaint %(number)s: %(status)s", number=complaint.number, status=_status_text(complaint))
        body = what_changed(complaint, step, agency)
        if for_follower:
            body = gettext("A complaint you follow: %(change)s", change=body)
        if note and not for_follower:  # the note is the filer's; the public sees it as redacted on the page
            note_text = note if note.rstrip()[-1:] in ".!?" else note.rstrip() + "."
            body += " " + (gettext("Reason: %(note)s", note=note_text) if step in ("rejected", "closed", "reopened")
                           else gettext("Officer's note: %(note)s", note=note_text))
        if complaint.status == "resolved" and not for_follower:
            from .settings import settings_of

            body += " " + gettext(
                "Is it fixed? Confirm it, or reopen the complaint within %(days)s days:",
                days=settings_of(tenant)["reopen_days"],
            )
        return subject, body + " " + url

    if tell_filer:
        with force_locale(_filer_language(tenant, complaint)):
            _to_filer(tenant, complaint, *compose(False))
    _to_followers(tenant, complaint, actor, lambda: compose(True))


def rerouted(tenant, complaint, agency_name: str, actor=None) -> None:
    if not notifies(tenant, "rerouted"):
        return

    def compose() -> tuple[str, str]:
        subject = gettext("Complaint %(number)s forwarded", number=complaint.number)
        body = gettext(
            "Complaint %(number)s has been forwarded to %(agency)s. %(url)s",
            number=complaint.number, agency=agency_name, url=tracking_url(tenant, complaint.number),
        )
        return subject, body

    with force_locale(_filer_language(tenant, complaint)):
        _to_filer(tenant, complaint, *compose())
    _to_followers(tenant, complaint, actor, compose)


def _to_followers(tenant, complaint, actor, compose) -> int:
    """Tell the complaint's followers (not the one who made the change, nor the filer, who is told
    apart), each in their language: ``compose()`` gives (subject, body) in the active one. Signed-in
    followers by e-mail; followers without an account on the phone or e-mail they confirmed, with
    a link to stop. Nothing at all for a *rahasia* complaint."""
    if complaint.confidential:
        return 0
    from .follow import contact_followers_of, followers_of, unfollow_url

    sent = 0
    for user in followers_of(tenant, complaint):
        if user.id == getattr(actor, "id", None) or user.id == complaint.filer_user_id:
            continue
        with force_locale(language(tenant, user.locale)):
            subject, body = (hide_references(tenant, text) for text in compose())
        channel, address = contact_of(user)  # a phone-only citizen hears by SMS
        try:
            notify(tenant, channel, address, body, subject=subject if channel == "email" else "", ref=_ref(complaint))
        except ValidationError:  # an account whose address is not deliverable: skip it
            continue
        sent += 1
    for row in contact_followers_of(tenant, complaint):
        with force_locale(language(tenant, row.locale)):
            subject, body = (hide_references(tenant, text) for text in compose())
            body += " " + gettext("Stop following: %(url)s", url=unfollow_url(tenant, row))
        try:
            notify(tenant, row.channel, row.contact, body, subject=subject if row.channel == "email" else "",
                   ref=_ref(complaint))
        except ValidationError:
            continue
        sent += 1
    return sent


def info_added(tenant, complaint, officer) -> None:
    """Tell the assigned officer that the filer added information (who the filer is: never)."""
    with force_locale(tenant.default_locale):
        subject = gettext("Complaint %(number)s: new information from the filer", number=complaint.number)
        body = gettext(
            "The filer of complaint %(number)s added information. It is marked unread in your queue. %(url)s",
            number=complaint.number, url=tracking_url(tenant, complaint.number),
        )
        try:
            notify(tenant, "email", officer.email, body, subject=subject, ref=_ref(complaint))
        except ValidationError:
            log.warning("complaints: an officer's address is not valid; the filer's addition is only in the queue")


def numbers_for_contact(tenant, channel: str, to: str, numbers: list[str]) -> None:
    """Send a filer who lost them the tracking numbers filed with this phone or e-mail."""
    with force_locale(tenant.default_locale):
        subject = gettext("Your complaint numbers")
        body = gettext("Complaints filed with this contact: %(numbers)s. Follow one at %(url)s",
                       numbers=", ".join(numbers), url=tracking_url(tenant, numbers[0]))
        notify(tenant, channel, to, body, subject=subject if channel == "email" else "", ref="complaints:lookup")


def escalated(tenant, complaint, level: int, contacts: list[tuple[str, str]], agency_name: str, target: str) -> int:
    """Tell the head of the agency (level 1) or the coordinator (level 2); returns messages queued."""
    with force_locale(tenant.default_locale):
        what = {"response": gettext("response"), "followup": gettext("follow-up plan")}.get(target) or gettext("resolution")
        subject = gettext("Overdue complaint %(number)s", number=complaint.number)
        if level == 1:
            body = gettext(
                "Complaint %(number)s for %(agency)s is past its %(what)s target. Please see that it is handled.",
                number=complaint.number, agency=agency_name, what=what,
            )
        else:
            body = gettext(
                "Complaint %(number)s for %(agency)s is still past its %(what)s target after escalation "
                "to the head of the agency.",
                number=complaint.number, agency=agency_name, what=what,
            )
        sent = 0
        for channel, to in contacts:
            try:
                notify(tenant, channel, to, body, subject=subject if channel == "email" else "", ref=_ref(complaint))
            except ValidationError:  # a wrong address in the settings must not stop the escalation
                log.warning("complaints: tenant %s has an escalation %s contact that is not valid; skipped",
                            tenant.slug, channel)
                continue
            sent += 1
        return sent


def duplicate(tenant, complaint, original, followers=(), contact_rows=()) -> None:
    """Tell the filer of a complaint marked as a duplicate, and its followers (who now follow the
    original), where the problem is being handled. A reader who may not see the original (a
    *rahasia* one) is told it was merged with a confidential report, without its number or link.
    Each follower is told in their language that they now follow the original: signed-in ones
    (``followers``, users) by e-mail; those without an account (``contact_rows``, their rows now on
    the original, or still on the duplicate when the original is *rahasia*) on their own channel,
    with their link to stop."""
    if not notifies(tenant, "closed"):
        return
    with force_locale(_filer_language(tenant, complaint)):
        subject = gettext("Complaint %(number)s is a duplicate", number=complaint.number)
        named = gettext(
            "Complaint %(number)s reports the same problem as complaint %(original)s, which is being "
            "handled; complaint %(number)s is closed. Follow %(original)s at %(url)s",
            number=complaint.number, original=original.number, url=tracking_url(tenant, original.number),
        )
        merged = gettext(
            "Complaint %(number)s reports the same problem as a confidential report, which is being "
            "handled; complaint %(number)s is closed (merged with a confidential report). %(url)s",
            number=complaint.number, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, named if filer_may_see(complaint)(original) else merged)
    _duplicate_to_followers(tenant, complaint, original, followers, contact_rows)


def _duplicate_to_followers(tenant, complaint, original, users, rows) -> None:
    from .follow import unfollow_url

    public = is_public(original)
    ref = _ref(original if public else complaint)

    def compose() -> tuple[str, str]:  # in the active language
        subject = gettext("Complaint %(number)s is a duplicate", number=complaint.number)
        if public:
            return subject, gettext(
                "Complaint %(number)s, which you follow, reports the same problem as complaint %(original)s "
                "and is closed; you now follow complaint %(original)s instead: %(url)s",
                number=complaint.number, original=original.number, url=tracking_url(tenant, original.number))
        return subject, gettext(
            "Complaint %(number)s, which you follow, reports the same problem as a confidential report, "
            "which is being handled; complaint %(number)s is closed (merged with a confidential "
            "report). %(url)s", number=complaint.number, url=tracking_url(tenant, complaint.number))

    for user in users:
        with force_locale(language(tenant, user.locale)):
            subject, body = compose()
        try:
            notify(tenant, "email", user.email, body, subject=subject, ref=ref)
        except ValidationError:  # an account whose address is not deliverable: the others are still told
            continue
    for row in rows:
        with force_locale(language(tenant, row.locale)):
            subject, body = compose()
            body += " " + gettext("Stop following: %(url)s", url=unfollow_url(tenant, row))
        try:
            notify(tenant, row.channel, row.contact, body, subject=subject if row.channel == "email" else "",
                   ref=ref)
        except ValidationError:
            continue


def asked(tenant, complaint, question: str) -> None:
    """Ask the filer for more information; the complaint waits on their answer."""
    if not notifies(tenant, "asked"):
        return
    with force_locale(_filer_language(tenant, complaint)):
        subject = gettext("Complaint %(number)s: the officers need more information", number=complaint.number)
        body = gettext(
            "The officers handling complaint %(number)s ask: %(question)s Answer on the complaint's page; "
            "its deadlines wait until you do. %(url)s",
            number=complaint.number, question=question, url=tracking_url(tenant, complaint.number),
        )
        _to_filer(tenant, complaint, subject, body)
