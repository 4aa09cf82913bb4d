"""Conversations (/portal/conversations), the trainer inbox (/portal/trainer)
and analytics (/portal/analytics): everything read from Rasa's tracker store."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from pathlib import Path

from sanic.request import Request

from lokseva.db import session_scope
from lokseva.portal import analytics, charts, conversations, directory, i18n, nlu_data, service, trainer
from lokseva.portal.auth import Permission
from lokseva.portal.http import (
    bp,
    client_ip,
    district_filter,
    engine_of,
    error_page,
    form_ints,
    form_value,
    int_arg,
    language_of,
    redirect_to,
    render,
    requires,
    run,
    settings_of,
    staff_of,
    tracker_engine_of,
)
from lokseva.catalogue import load_catalogue
from lokseva.portal.service import PortalError
from lokseva.references import application_id_only
from lokseva.schemes import load_schemes
from lokseva.settings import ROOT
from lokseva.text import digits as phone_digits

PAGE = 50


def canonical_application_id(text: str) -> str:
    """'jba 2026 000123' -> 'JBA-2026-000123'; '' when it is not an application id."""
    return application_id_only(text) or ""


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


# --- conversations ---------------------------------------------------------------


def _filters(request: Request):
    args = request.args
    errors = []
    phone = phone_digits(args.get("phone", ""))
    if args.get("phone") and len(phone) < 4:
        errors.append("error.phone_digits")
    application_id = ""
    if args.get("application_id", "").strip():
        application_id = canonical_application_id(args.get("application_id"))
        if not application_id:
            errors.append("error.application_id")
    day = None
    if args.get("day"):
        try:
            day = dt.date.fromisoformat(args.get("day"))
        except ValueError:
            errors.append("error.date")
    intent = (args.get("intent") or "").strip()
    if intent and not re.fullmatch(r"[a-z_]{1,64}", intent):
        errors.append("error.intent")
        intent = ""
    return conversations.ConversationFilter(
        phone=phone if len(phone) >= 4 else "",
        application_id=application_id,
        day=day,
        intent=intent,
        fallback_only=args.get("fallback") == "1",
        # a district's staff see their district's citizens; state staff all, or the district they pick
        district=district_filter(staff_of(request), args.get("district")),
    ), errors


def _search(request: Request, filters, page: int):
    with session_scope(engine_of(request)) as session:
        if filters.phone:
            filters.phone_senders = directory.senders_with_phone_ending(session, filters.phone)
        if filters.application_id:
            sender = directory.sender_of_application(session, filters.application_id)
            filters.application_senders = [sender] if sender else []
        if filters.district:
            filters.district_senders = directory.senders_in_district(session, filters.district)
        return conversations.search(
            tracker_engine_of(request),
            filters,
            limit=PAGE,
            offset=page * PAGE,
            mask=lambda ids: directory.masked_senders(session, ids),
        )


@bp.get("/conversations")
@requires(Permission.VIEW_CONVERSATIONS)
async def conversation_list(request: Request):
    filters, errors = _filters(request)
    page = int_arg(request, "page", 0)
    found, total = await run(_search, request, filters, page)
    intents, _ = nlu_data.domain_vocabulary()
    query = urllib.parse.urlencode([(k, x) for k, values in request.args.items() if k != "page" for x in values])
    return render(
        request,
        "conversations.html",
        found=found,
        total=total,
        filters=filters,
        errors=errors,
        args=request.args,
        intents=intents + [conversations.FALLBACK_INTENT],
        page=page,
        pages=(total + PAGE - 1) // PAGE,
        query=query,
    )


def _transcript(request: Request, key: int):
    engine = tracker_engine_of(request)
    sender = conversations.sender_of(engine, key)
    if sender is None:
        return None
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        district = directory.district_of_sender(session, sender)
        refused = bool(staff.district_code) and district != staff.district_code
        if refused:  # audited, then refused (outside the unit of work, which would roll the entry back)
            service.audit(
                session,
                staff,
                "access_denied",
                "conversation",
                key,
                ip=client_ip(request),
                details={"district": district},
            )
    if refused:
        raise PortalError("other_district", district or "")
    turns = conversations.transcript(engine, sender, settings_of(request).trainer_confidence_threshold)
    with session_scope(engine_of(request)) as session:
        # Reading a citizen's conversation is access to personal data: audited.
        service.audit(session, staff_of(request), "conversation_viewed", "conversation", key, ip=client_ip(request))
        shown = directory.masked_senders(session, [sender])[sender]
    return {"key": key, "sender": shown, "turns": turns}


@bp.get("/conversations/<key:int>")
@requires(Permission.VIEW_CONVERSATIONS)
async def conversation_view(request: Request, key: int):
    try:
        found = await run(_transcript, request, key)
    except PortalError:
        return error_page(request, 403, "error.other_district_record")
    if found is None:
        return error_page(request, 404, "error.not_found")
    return render(
        request,
        "transcript.html",
        conversation=found,
        threshold=settings_of(request).trainer_confidence_threshold,
        highlight=int_arg(request, "event", 0, 0, 2**31),
    )


# --- trainer inbox ----------------------------------------------------------------


def _inbox(request: Request):
    settings = settings_of(request)
    with session_scope(engine_of(request)) as session:
        items = trainer.inbox(session, tracker_engine_of(request), settings.trainer_confidence_threshold)
        recent = trainer.recent_labels(session)
        counts = trainer.counts(session)
    evaluation = trainer.evaluation_figures(_path(settings.nlu_eval_results))
    return items, recent, counts, evaluation


@bp.get("/trainer")
@requires(Permission.TRAIN_NLU)
async def trainer_inbox(request: Request):
    return await _show_inbox(request)


async def _show_inbox(request: Request, status: int = 200, error=None, export_result=None, retry=None):
    items, recent, counts, evaluation = await run(_inbox, request)
    intents, entities = nlu_data.domain_vocabulary()
    return render(
        request,
        "trainer.html",
        status=status,
        items=items,
        recent=recent,
        counts=counts,
        evaluation=evaluation,
        intents=intents,
        entities=entities,
        error=error,
        export_result=export_result,
        retry=retry or {},
        threshold=settings_of(request).trainer_confidence_threshold,
    )


def _label(request: Request, event_ids, intent: str, example: str) -> list:
    settings = settings_of(request)
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        labels = trainer.label(
            session, tracker_engine_of(request), staff, event_ids, intent, example, _path(settings.nlu_data_dir)
        )
        service.audit(
            session,
            staff,
            "nlu_labelled",
            "trainer_label",
            labels[0].id,
            ip=client_ip(request),
            details={"intent": intent, "messages": len(labels), "status": labels[0].status},
        )
        return [label.status for label in labels]


@bp.post("/trainer/label")
@requires(Permission.TRAIN_NLU)
async def trainer_label(request: Request):
    event_ids = form_ints(request, "event_id")
    intent = form_value(request, "intent")
    example = form_value(request, "example")
    try:
        statuses = await run(_label, request, event_ids, intent, example)
    except PortalError as error:
        retry = {"event_ids": event_ids, "intent": intent, "example": example}
        return await _show_inbox(
            request, status=400, error=(f"error.{error.code}", {"detail": error.detail}), retry=retry
        )
    return redirect_to("/trainer", "label_duplicate" if "duplicate" in statuses else "labelled")


def _dismiss(request: Request, event_ids) -> None:
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        labels = trainer.dismiss(session, tracker_engine_of(request), staff, event_ids)
        service.audit(
            session,
            staff,
            "nlu_dismissed",
            "trainer_label",
            labels[0].id,
            ip=client_ip(request),
            details={"messages": len(labels)},
        )


@bp.post("/trainer/dismiss")
@requires(Permission.TRAIN_NLU)
async def trainer_dismiss(request: Request):
    try:
        await run(_dismiss, request, form_ints(request, "event_id"))
    except PortalError as error:
        return await _show_inbox(request, status=400, error=(f"error.{error.code}", {"detail": error.detail}))
    return redirect_to("/trainer", "dismissed")


def _export(request: Request):
    staff = staff_of(request)
    with session_scope(engine_of(request)) as session:
        result = trainer.export(session, _path(settings_of(request).nlu_data_dir))
        service.audit(
            session,
            staff,
            "nlu_exported",
            "nlu_file",
            nlu_data.EXPORT_FILE_NAME,
            ip=client_ip(request),
            details={
                "written": len(result.written),
                "duplicates": len(result.duplicates),
                "conflicts": len(result.conflicts),
            },
        )
        return result


@bp.post("/trainer/export")
@requires(Permission.TRAIN_NLU)
async def trainer_export(request: Request):
    result = await run(_export, request)
    return await _show_inbox(request, export_result=result)


# --- analytics ---------------------------------------------------------------------


def _analytics(request: Request, days: int, district: str):
    conversation = analytics.conversation_stats(tracker_engine_of(request), days)
    with session_scope(engine_of(request)) as session:
        applications = analytics.application_stats(session, days, district=district)
        league = analytics.district_league(session, days) if staff_of(request).state_wide else []
    return conversation, applications, league


@bp.get("/analytics")
@requires(Permission.VIEW_ANALYTICS)
async def analytics_page(request: Request):
    days = int_arg(request, "days", 30, 7, 90)
    district = district_filter(staff_of(request), request.args.get("district"))
    stats, apps, league = await run(_analytics, request, days, district)
    lang = language_of(request)
    names = dict(i18n.districts(lang))
    t = i18n.translator(lang)
    catalogue = load_catalogue()

    def service_name(service_id: str) -> str:
        found = catalogue.get(service_id)
        return found.text("name", lang) if found else service_id

    schemes = load_schemes().schemes

    def scheme_name(scheme_id: str) -> str:
        if not scheme_id:
            return t("analytics.scheme_unnamed")
        return schemes[scheme_id].name.text(lang) if scheme_id in schemes else scheme_id

    per_day = [(d.strftime("%d/%m"), n) for d, n in stats.messages_per_day]
    return render(
        request,
        "analytics.html",
        stats=stats,
        apps=apps,
        days=days,
        service_name=service_name,
        league=league,
        current_district=district,
        league_chart=charts.bar_chart(
            [(names.get(r.code, r.code), round(100 * (r.share_in_time or 0))) for r in league],
            t("analytics.league"),
            value_suffix=" %",
        ),
        scheme_name=scheme_name,
        messages_chart=charts.column_chart(per_day, t("analytics.messages_per_day")),
        intents_chart=charts.bar_chart(stats.top_intents, t("analytics.top_intents")),
        services_chart=charts.bar_chart([(service_name(s), n) for s, n in apps.by_service], t("analytics.by_service")),
        statuses_chart=charts.bar_chart([(t("status." + s), n) for s, n in apps.by_status], t("analytics.by_status")),
        in_time_chart=charts.share_bar(apps.share_in_time or 0, t("analytics.in_time")),
        payments_chart=charts.bar_chart(
            [(service_name(s), v / 100) for s, v in apps.paid_by_service], t("analytics.payments"), value_suffix=""
        ),
    )
