"""Office days and hours as a citizen reads them: "सोमवार से शनिवार, सुबह 10
से शाम 5 बजे" / "Monday to Saturday, 10 am to 5 pm"."""

from __future__ import annotations


from lokseva.clock import spoken_time as clock
from lokseva.districts import OfficeHours

WEEKDAYS = {
    "hi": ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "hi": ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def office_days(hours: OfficeHours, language: str) -> str:
    """ "सोमवार से शनिवार" / "Monday to Saturday"; a list when the days are not in a row."""
    names = WEEKDAYS["en" if language == "en" else "hi"]
    days = sorted(hours.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]} {'to' if language == 'en' else 'से'} {names[days[-1]]}"
    return ", ".join(names[d] for d in days)


def office_hours(hours: OfficeHours, language: str) -> str:
    """ "सोमवार से शनिवार, सुबह 10 से शाम 5 बजे" / "Monday to Saturday, 10 am to 5 pm"."""
    opens, closes = clock(hours.opens, language), clock(hours.closes, language)
    if language == "en":
        return f"{office_days(hours, language)}, {opens} to {closes}"
    return f"{office_days(hours, language)}, {opens} से {closes} बजे"
