"""What a certificate says, assembled from plain data (no database, no PDF).

`build_document` fills a service's layout (layouts.yml) with the applicant's
details, the district's offices (lokseva/districts) and the catalogue's
designated officer; pdf.py only draws the result.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple

import yaml

from lokseva.money import PAISE_PER_RUPEE, rupees_figure

LAYOUTS_FILE = Path(__file__).with_name("layouts.yml")


class LayoutError(ValueError):
    """The layouts file is malformed, or an application lacks what its certificate must state."""


@dataclass(frozen=True)
class Bilingual:
    hi: str
    en: str

    @classmethod
    def of(cls, value: Mapping[str, str]) -> "Bilingual":
        return cls(hi=str(value["hi"]), en=str(value["en"]))

    def format(self, **values: str) -> "Bilingual":
        return Bilingual(self.hi.format(**values), self.en.format(**values))


@dataclass(frozen=True)
class DetailRow:
    label: Bilingual
    value: str


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate."""

    number: str
    application_id: str
    service: str
    title: Bilingual
    government: Bilingual
    district_office: Bilingual  # e.g. the Collectorate
    issuing_office_label: Bilingual
    issuing_office: Bilingual  # e.g. the district's Lok Seva Kendra
    statement: Bilingual
    details: Tuple[DetailRow, ...]
    labels: Mapping[str, Bilingual]  # number, dates: the fixed rows
    issue_date: dt.date
    valid_until: Optional[dt.date]
    designated_officer_label: Bilingual
    designated_officer: Bilingual
    district_name: Bilingual
    verification_url: str
    scan_to_verify: Bilingual
    electronic: Bilingual
    act: Bilingual


@dataclass(frozen=True)
class Layout:
    service: str
    title: Bilingual
    statement: Bilingual
    details: Tuple[str, ...]

    def placeholders(self) -> Tuple[str, ...]:
        names = []
        for text in (self.statement.hi, self.statement.en):
            names += [field for _, field, _, _ in string.Formatter().parse(text) if field]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Layouts:
    common: Mapping[str, Bilingual]
    labels: Mapping[str, Bilingual]
    services: Mapping[str, Layout]

    def for_service(self, service: str) -> Layout:
        try:
            return self.services[service]
        except KeyError:
            raise LayoutError(f"no certificate layout for service {service!r} in {LAYOUTS_FILE.name}") from None


@functools.lru_cache(maxsize=None)
def load_layouts(path: Path = LAYOUTS_FILE) -> Layouts:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        common = {key: Bilingual.of(value) for key, value in data["common"].items()}
        labels = {key: Bilingual.of(value) for key, value in data["labels"].items()}
        services = {}
        for service, spec in data["services"].items():
            details = tuple(spec["details"])
            unknown = [d for d in details if d not in labels]
            if unknown:
                raise LayoutError(f"{path.name}: {service}: details without a label: {unknown}")
            services[service] = Layout(service, Bilingual.of(spec["title"]), Bilingual.of(spec["statement"]), details)
    except (KeyError, TypeError) as error:
        raise LayoutError(f"{path.name} is malformed: {error!r}") from None
    return Layouts(common, labels, services)


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _display(key: str, value):
    """A detail as printed: dates dd/mm/yyyy, income in rupees, a Bilingual as is."""
    if isinstance(value, Bilingual):
        return value
    if isinstance(value, dt.date):
        return format_date(value)
    if key == "annual_income" and isinstance(value, int):
        return "₹ " + rupees_figure(value)  # "₹ 84,000": a certificate spaces the sign
    return " ".join(str(value).split())


def _in(language: str, value) -> str:
    return getattr(value, language) if isinstance(value, Bilingual) else value


def _row(value) -> str:
    return f"{value.hi} / {value.en}" if isinstance(value, Bilingual) else value


_GENDERS = {
    "male": Bilingual("पुरुष", "male"),
    "female": Bilingual("महिला", "female"),
    "other": Bilingual("अन्य", "other"),
}
_CATEGORIES = {
    "SC": Bilingual("अनुसूचित जाति (SC)", "Scheduled Caste (SC)"),
    "ST": Bilingual("अनुसूचित जनजाति (ST)", "Scheduled Tribe (ST)"),
    "OBC": Bilingual("अन्य पिछड़ा वर्ग (OBC)", "Other Backward Class (OBC)"),
}


def _relation(relation: Optional[str], gender: Optional[str]) -> Optional[Bilingual]:
    """The words before the father's or husband's name: "पिता" / "son of"."""
    if relation == "husband":
        return Bilingual("पति", "wife of")
    if relation == "father":
        english = {"male": "son of", "female": "daughter of"}.get(gender or "", "child of")
        return Bilingual("पिता", english)
    return None


def _date(value) -> Optional[dt.date]:
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def details_from_application(application) -> Dict[str, object]:
    """The values a layout prints, from an application (lokseva.applications.models.Application
    or anything with its attributes). Service answers are in `details`: money in
    paise, dates as ISO strings."""
    answers = dict(getattr(application, "details", None) or {})
    gender = getattr(application, "gender", None)
    values: Dict[str, object] = {
        "applicant_name": application.applicant_name,
        "guardian_name": application.relative_name,
        "relation": _relation(getattr(application, "relative_relation", None), gender),
        "gender": _GENDERS.get(gender or ""),
        "date_of_birth": getattr(application, "date_of_birth", None),
        "village": application.address_village,
        "tehsil": application.address_tehsil,
        "pin": application.address_pin,
    }
    if isinstance(answers.get("annual_income"), int):
        # In paise, cut to whole rupees: a certificate states no paise.
        values["annual_income"] = answers["annual_income"] // PAISE_PER_RUPEE * PAISE_PER_RUPEE
    if answers.get("caste_category"):
        values["category"] = _CATEGORIES.get(answers["caste_category"], answers["caste_category"])
    if answers.get("land_village"):
        values["land_village"] = answers["land_village"]
    if answers.get("khasra_number"):
        values["khasra_number"] = answers["khasra_number"]
    # Birth and death: the child or the deceased, and the event.
    service = getattr(application, "service_id", "")
    event = {
        "birth_certificate": ("child_name", "birth_date", "birth_place"),
        "death_certificate": ("deceased_name", "death_date", "death_place"),
    }.get(service)
    if event:
        values[event[0]] = answers.get("subject_name")
        values[event[1]] = _date(answers.get("event_date"))
        values[event[2]] = answers.get("event_place")
    if service == "birth_certificate":
        values["child_sex"] = _GENDERS.get(answers.get("subject_gender") or "")
        values["mother_name"] = answers.get("mother_name")
        values["father_name"] = answers.get("father_name")
    return {k: v for k, v in values.items() if v not in (None, "")}


def build_document(
    *,
    number: str,
    application_id: str,
    service: str,
    details: Mapping[str, object],  # details_from_application(...)
    district,  # lokseva.districts.District
    designated_officer: Bilingual,
    issue_date: dt.date,
    valid_until: Optional[dt.date],
    verification_url: str,
    layouts: Optional[Layouts] = None,
) -> CertificateDocument:
    """Fills the service's layout. Raises LayoutError naming any statement value
    the application lacks, so a certificate is never issued with a gap."""
    layouts = layouts or load_layouts()
    layout = layouts.for_service(service)
    values = {key: _display(key, value) for key, value in details.items() if value not in (None, "")}
    statement_hi = {k: _in("hi", v) for k, v in values.items()} | {"district": district.name["hi"]}
    statement_en = {k: _in("en", v) for k, v in values.items()} | {"district": district.name["en"]}
    missing = [name for name in layout.placeholders() if name not in statement_hi]
    if missing:
        raise LayoutError(f"{service}: the application lacks {', '.join(missing)}")
    common = layouts.common
    return CertificateDocument(
        number=number,
        application_id=application_id,
        service=service,
        title=layout.title,
        government=Bilingual(
            common["government"].hi.format(state=district.state["hi"]),
            common["government"].en.format(state=district.state["en"]),
        ),
        district_office=Bilingual.of(district.collectorate),
        issuing_office_label=common["issuing_office_label"],
        issuing_office=Bilingual.of(district.lok_seva_kendra),
        statement=Bilingual(
            " ".join(layout.statement.hi.format(**statement_hi).split()),
            " ".join(layout.statement.en.format(**statement_en).split()),
        ),
        details=tuple(DetailRow(layouts.labels[key], _row(values[key])) for key in layout.details if key in values),
        labels=layouts.labels,
        issue_date=issue_date,
        valid_until=valid_until,
        designated_officer_label=common["designated_officer_label"],
        designated_officer=designated_officer,
        district_name=Bilingual.of(district.name),
        verification_url=verification_url,
        scan_to_verify=common["scan_to_verify"],
        electronic=common["electronic"],
        act=common["act"],
    )
