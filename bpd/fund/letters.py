"""The funding confirmation letter (PDF) a recipient takes to the visa interview.

What the letter says is `letter_lines` (tested as text); `funding_letter` lays those lines
out as a PDF. Both write in the active language: dates written out, amounts with their
currency's code ("USD 942.50"), so a consulate anywhere reads them the same way.
"""

from dataclasses import dataclass
from pathlib import Path

import font_source_sans_pro
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from fpdf import FPDF

from bpd.fund.models import Category
from bpd.ledger import money
from bpd.website import languages
from bpd.website.models import SiteSettings
from bpd.website.templatetags.bpd import day

FONTS = Path(font_source_sans_pro.__file__).parent / "files"
# Letters the bundled font lacks, replaced by their closest plain form.
MISSING_GLYPHS = str.maketrans({"ƙ": "k", "Ƙ": "K", "ƴ": "y", "Ƴ": "Y"})
# What the traveller receives themselves, in advance; everything else is paid to vendors.
TO_THE_TRAVELLER = {Category.PER_DIEM}
# Bookings that have been paid for.
PAID = {"booked", "used"}


@dataclass(frozen=True)
class Line:
    """One piece of the letter: `kind` says how it is set (title, heading, text, item,
    link, signature, gap)."""

    kind: str
    text: str = ""
    url: str = ""


def letter_name(application):
    """The traveller's name as the letter prints it: as in their passport; their display
    name (or email) only while they have not given it, for the Fund's staff."""
    if application.passport_name:
        return application.passport_name
    applicant = application.applicant
    profile = getattr(applicant, "profile", None) if applicant else None
    return (profile.display_name if profile else "") or (applicant.email if applicant else "")


def signatory(round):
    """(name, role) of the round's signatory as a letter issued now prints them; ("", "")
    while the round names none."""
    person = round.signatory
    if person is None:
        return "", ""
    profile = getattr(person, "profile", None)
    return (profile.display_name if profile else "") or person.email, round.signatory_title


def check_url(reference):
    """The absolute address where anyone can check the letter with this reference."""
    return settings.SITE_URL + reverse("fund:letter_check", kwargs={"reference": reference})


def _amount(minor, currency):
    return money.display_with_code(minor, currency)


def letter_lines(application, letter):
    """What the letter with `letter` (a FundingLetter) says, in order."""
    round, event, decision = application.round, application.event, application.decision
    site = SiteSettings.load()["settings"]
    currency = round.currency
    items = list(decision.items.all())
    to_vendors = [item for item in items if item.category not in TO_THE_TRAVELLER]
    to_traveller = [item for item in items if item.category in TO_THE_TRAVELLER]
    lines = [
        Line("title", site.site_name),
        Line("text", _("Black Leadership Opportunity Fund")),
        Line("gap"),
        Line("text", day(letter.issued_at)),
        Line("text", _("Reference: %(reference)s") % {"reference": letter.reference}),
        Line("gap"),
        Line("heading", _("Funding confirmation")),
        Line(
            "text",
            _(
                "To whom it may concern: this letter confirms that Black Python Devs has awarded %(name)s, "
                "holder of a passport of %(country)s, funding from %(round)s to attend %(event)s in %(city)s, "
                "%(event_country)s, from %(start)s to %(end)s."
            )
            % {
                "name": letter_name(application),
                "country": languages.country_name(application.passport_country),
                "round": round.name,
                "event": event.name,
                "city": event.city,
                "event_country": languages.country_name(event.country),
                "start": day(event.starts_on),
                "end": day(event.ends_on),
            },
        ),
    ]
    if to_vendors:
        lines += [
            Line("gap"),
            Line(
                "text",
                _(
                    "Black Python Devs pays the following costs directly to the vendors. The traveller does not pay them and is not reimbursed for them:"
                ),
            ),
            *(
                Line("item", f"{item.get_category_display()}: {_amount(item.amount, currency)}")
                for item in to_vendors
            ),
        ]
    for item in to_traveller:
        lines += [
            Line("gap"),
            Line(
                "text",
                _(
                    "Black Python Devs also gives the traveller a per-diem, paid to the traveller in advance for meals and local transport: %(amount)s."
                )
                % {"amount": _amount(item.amount, currency)},
            ),
        ]
    if items:
        total = _amount(sum(item.amount for item in items), currency)
        lines += [
            Line("gap"),
            Line(
                "text",
                _("In total, Black Python Devs covers %(amount)s for this trip.")
                % {"amount": total},
            ),
        ]
    bookings = [
        b
        for b in application.bookings.all()
        if b.status in PAID and b.category not in TO_THE_TRAVELLER
    ]
    if bookings:
        lines += [
            Line("gap"),
            Line("text", _("Bookings already made and paid by Black Python Devs:")),
        ]
        for booking in bookings:
            details = ", ".join(filter(None, [booking.reference, day(booking.starts_at)]))
            text = f"{booking.get_category_display()}: {booking.vendor}"
            lines.append(Line("item", f"{text} ({details})" if details else text))
    url = check_url(letter.reference)
    lines += [
        Line("gap"),
        Line("text", _("Check this letter at:")),
        Line("link", url, url=url),
        Line(
            "text",
            _(
                "That page confirms the traveller's name, the event and its dates, and says whether a newer letter has replaced this one."
            ),
        ),
        Line(
            "text",
            _("For any question about this letter, write to %(email)s.")
            % {"email": site.contact_email},
        ),
        Line("gap"),
        Line("gap"),
    ]
    if letter.signatory_name:
        lines += [
            Line("text", _("For Black Python Devs,")),
            Line("signature", letter.signatory_name),
        ]
        if letter.signatory_title:
            lines.append(Line("text", letter.signatory_title))
    else:
        lines.append(Line("text", _("For Black Python Devs, the Fund's executors")))
    return lines


def _text(value):
    return str(value).translate(MISSING_GLYPHS)


# How each kind of line is set: (font style, size, line height, space above).
STYLES = {
    "title": ("B", 16, 10),
    "heading": ("B", 13, 8),
    "signature": ("B", 11, 6),
    "text": ("", 11, 6),
    "item": ("", 11, 6),
    "link": ("", 11, 6),
}


def funding_letter(application, letter):
    """PDF bytes of the letter `letter` (a FundingLetter of `application`)."""
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 22, 22)
    pdf.add_font("Sans", "", FONTS / "SourceSansPro-Regular.ttf")
    pdf.add_font("Sans", "B", FONTS / "SourceSansPro-Bold.ttf")
    pdf.set_lang(languages.current())
    pdf.set_title(_text(_("Funding confirmation")))
    pdf.set_subject(_text(letter.reference))
    pdf.add_page()
    for line in letter_lines(application, letter):
        if line.kind == "gap":
            pdf.ln(4)
            continue
        style, size, height = STYLES[line.kind]
        pdf.set_font("Sans", style, size)
        text = _text(line.text)
        if line.kind == "item":
            pdf.set_x(pdf.l_margin + 4)
            text = f"•  {text}"
        if line.kind == "link":
            pdf.set_text_color(11, 79, 138)  # the site's link colour
        pdf.multi_cell(
            0, height, text, align="L", link=line.url or "", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())
