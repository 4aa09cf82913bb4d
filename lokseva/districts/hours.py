"""Office days and hours as a citizen reads them: "सोमवार से शनिवार, सुबह 10
से शाम 5 बजे" / "Monday to Saturday, 10 am to 5 pm"."""
from __future__ import annotations

import datetime as dt

from lokseva.districts import OfficeHours

WEEKDAYS = {
    "hi": ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "hi": ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर",
           "नवंबर", "दिसंबर"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def clock(time: dt.time, language: str) -> str:
    """"10 am", "5:30 pm" / "सुबह 10", "शाम 5:30" (add "बजे" after the last one)."""
    hour12 = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    if language == "en":
        return f"{hour12}{minutes} {'am' if time.hour < 12 else 'pm'}"
    part = "सुबह" if 4 <= time.hour < 12 else "दोपहर" if time.hour < 16 else "शाम" if time.hour < 19 else "रात"
    return f"{part} {hour12}{minutes}"


def office_days(hours: OfficeHours, language: str) -> str:
    """"सोमवार से शनिवार" / "Monday to Saturday"; a list when the days are not in a row."""
    names = WEEKDAYS["en" if language == "en" else "hi"]
    days = sorted(hours.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]} {'to' if language == 'en' else 'से'} {names[days[-1]]}"
    return ", ".join(names[d] for d in days)


def office_hours(hours: OfficeHours, language: str) -> str:
    """"सोमवार से शनिवार, सुबह 10 से शाम 5 बजे" / "Monday to Saturday, 10 am to 5 pm"."""
    opens, closes = clock(hours.opens, language), clock(hours.closes, language)
    if language == "en":
        return f"{office_days(hours, language)}, {opens} to {closes}"
    return f"{office_days(hours, language)}, {opens} से {closes} बजे"
