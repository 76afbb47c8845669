"""The funding confirmation letter (PDF) a recipient takes to the visa interview."""

from pathlib import Path

import font_source_sans_pro
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from bpd.fund import money
from bpd.website import languages
from bpd.website.models import SiteSettings

FONTS = Path(font_source_sans_pro.__file__).parent / "files"
# Letters the bundled font lacks, replaced by their closest plain form.
MISSING_GLYPHS = str.maketrans({"ƙ": "k", "Ƙ": "K", "ƴ": "y", "Ƴ": "Y"})


def _text(value):
    return str(value).translate(MISSING_GLYPHS)


def funding_letter(application):
    """PDF bytes confirming what BPD covers and pays directly for this award."""
    round, event, decision = application.round, application.event, application.decision
    profile = getattr(application.applicant, "profile", None)
    name = (profile.display_name if profile else "") or application.applicant.email
    site = SiteSettings.load()["settings"]
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 22, 22)
    pdf.add_font("Sans", "", FONTS / "SourceSansPro-Regular.ttf")
    pdf.add_font("Sans", "B", FONTS / "SourceSansPro-Bold.ttf")
    pdf.add_page()
    pdf.set_title(_text(_("Funding confirmation")))
    pdf.set_font("Sans", "B", 16)
    pdf.cell(0, 10, _text(site.site_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 11)
    pdf.cell(0, 6, _text(_("Black Leadership Opportunity Fund")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 6, _text(timezone.now().date().isoformat()), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        6,
        _text(
            _("Reference: BLOF-%(round)s-%(number)s")
            % {"round": round.slug, "number": application.pk}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    pdf.set_font("Sans", "B", 13)
    pdf.cell(0, 8, _text(_("Funding confirmation")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 11)
    pdf.multi_cell(
        0,
        6,
        align="L",
        text=_text(
            _(
                "To whom it may concern: this letter confirms that Black Python Devs has awarded %(name)s, "
                "holder of a passport of %(country)s, funding from %(round)s to attend %(event)s in %(city)s, "
                "%(event_country)s, from %(start)s to %(end)s."
            )
            % {
                "name": name,
                "country": languages.country_name(application.passport_country),
                "round": round.name,
                "event": event.name,
                "city": event.city,
                "event_country": languages.country_name(event.country),
                "start": event.starts_on.isoformat(),
                "end": event.ends_on.isoformat(),
            }
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.multi_cell(
        0,
        6,
        align="L",
        text=_text(
            _(
                "Black Python Devs pays the following costs directly to the vendors. The traveller does not pay them and is not reimbursed for them:"
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for item in decision.items.all():
        pdf.cell(
            0,
            6,
            _text(
                f"  •  {item.get_category_display()}: {money.display(item.amount, round.currency, 'en')}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    bookings = [b for b in application.bookings.all() if b.status in {"booked", "used"}]
    if bookings:
        pdf.ln(3)
        pdf.cell(
            0,
            6,
            _text(_("Bookings already made and paid by Black Python Devs:")),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for booking in bookings:
            when = f", {booking.starts_at:%Y-%m-%d}" if booking.starts_at else ""
            pdf.cell(
                0,
                6,
                _text(
                    f"  •  {booking.get_category_display()}: {booking.vendor} ({booking.reference}{when})"
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.ln(6)
    pdf.multi_cell(
        0,
        6,
        align="L",
        text=_text(
            _("For any question about this letter, write to %(email)s.")
            % {"email": site.contact_email}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    pdf.cell(
        0, 6, _text(_("For Black Python Devs, the Fund's executors")), new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())
