"""The printable selection (« Imprimer / PDF »): a plan of the services, then each service —
address, hours, contact, what to bring, and a QR code to its page with the page's address —
as a compact list or one page per service. Printed through `config.pdf.Document` (DejaVu Sans,
every script).

The plan is drawn in the PDF itself, without any map tiles (nothing is fetched at print time):
the services' positions, numbered as in the list, their communes' names, a scale bar, north
up. Positions are projected equirectangularly around their centre, which is exact enough at
the scale of a département."""

import math
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

import segno

from config.pdf import FAMILY, Document

LISTE, PAGES = "liste", "une-page-par-service"
LAYOUTS = {LISTE: "Liste compacte", PAGES: "Une page par service"}
QR_SIZE = {LISTE: 24, PAGES: 40}  # mm
DESCRIPTION_MAX = 1500  # characters printed of a description, one page per service
PLAN_HEIGHT = 70  # mm
PLAN_PADDING = 8  # mm between the frame and the outermost points
MIN_SPAN_KM = 2  # the plan of one point (or of close ones) shows at least this much
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32
SCALE_LENGTHS_KM = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)
BLUE = (0, 0, 145)  # the DSFR's « bleu France »


def selection(infos, layout=LISTE):
    """The PDF (bytes) of `infos` (`partage.services.ServiceInfo`s, in the order numbered)."""
    pdf = Document("Services sélectionnés")
    today = date_format(timezone.localdate(), "j F Y")
    pdf.line(f"Édité le {today} depuis le portail de l'offre d'insertion.")
    draw_plan(pdf, infos)
    for number, info in enumerate(infos, start=1):
        if layout == PAGES:
            pdf.add_page()
        _service(pdf, number, info, QR_SIZE[layout], detailed=layout == PAGES)
    return pdf.bytes()


def _service(pdf, number, info, qr_size, detailed):
    """One service: its text on the left, its QR code on the right."""
    if pdf.will_page_break(qr_size + 12):
        pdf.add_page()
    pdf.ln(4)
    page, top, margin = pdf.page, pdf.get_y(), pdf.r_margin
    draw_qr(pdf, info.url, pdf.w - margin - qr_size, top, qr_size)
    pdf.set_right_margin(margin + qr_size + 5)
    pdf.set_font(FAMILY, "B", 13)
    pdf.line(f"{number}. {info.nom}", height=7)
    pdf.set_font(FAMILY, "", 11)
    pdf.line(info.structure)
    if detailed:
        pdf.ln(2)
        pdf.line(Truncator(info.description).chars(DESCRIPTION_MAX))
        pdf.ln(2)
    for label, value in _rows(info):
        pdf.line(f"{label} : {value}")
    pdf.set_right_margin(margin)
    if pdf.page == page:
        pdf.set_y(max(pdf.get_y(), top + qr_size))


def _rows(info):
    """(label, text) of what the person needs to get there."""
    contact = info.contact
    rows = [
        ("Accueil", ", ".join(info.modes_accueil)),
        ("Adresse", info.adresse or ("non renseignée" if info.sur_place else "service à distance")),
        ("Horaires", " ; ".join(info.horaires) or "non renseignés : appelez avant de venir"),
        (contact.titre, " ; ".join(contact.lines) or "non renseigné"),
        ("À apporter, conditions d'accès", info.conditions_acces or "rien de précisé"),
    ]
    if info.frais:
        rows.append(("Frais", info.frais))
    rows.append(("Page du service", info.url))
    return rows


def draw_qr(pdf, url, x, y, size):
    """The QR code of `url` (segno, never a Micro QR; error correction M), `size` mm square
    with its upper-left corner at (`x`, `y`) mm; the white around it is the page's."""
    rows = segno.make_qr(url, error="m").matrix
    module = size / len(rows)
    pdf.set_fill_color(0)
    for index, row in enumerate(rows):
        for start, length in dark_runs(row):
            pdf.rect(x + start * module, y + index * module, length * module, module, style="F")


def dark_runs(row):
    """[(start, length)] of the runs of dark modules (truthy values) of one row."""
    runs, start = [], 0
    for dark, modules in groupby(row, key=bool):
        length = len(list(modules))
        if dark:
            runs.append((start, length))
        start += length
    return runs


@dataclass(frozen=True)
class Plan:
    """Where to draw, in mm from the frame's upper-left corner: `points` [(number, x, y)],
    `communes` [(name, x, y)]; `scale_km` shown as `scale_mm`."""

    points: list
    communes: list
    scale_km: float
    scale_mm: float


def plan(infos, width, height, padding=PLAN_PADDING):
    """The `Plan` of the services of `infos` that have a position (numbered by their rank in
    `infos`), fitted in a `width` × `height` mm frame; None when none has one."""
    placed = [
        (number, info)
        for number, info in enumerate(infos, start=1)
        if info.latitude is not None and info.longitude is not None
    ]
    if not placed:
        return None
    lat0 = sum(info.latitude for _, info in placed) / len(placed)
    lon0 = sum(info.longitude for _, info in placed) / len(placed)
    km_per_degree_lon = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))
    km = {
        number: (
            (info.longitude - lon0) * km_per_degree_lon,
            (info.latitude - lat0) * KM_PER_DEGREE_LAT,
        )
        for number, info in placed
    }
    xs, ys = [x for x, _ in km.values()], [y for _, y in km.values()]
    span_x, span_y = max(max(xs) - min(xs), MIN_SPAN_KM), max(max(ys) - min(ys), MIN_SPAN_KM)
    mm_per_km = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    middle_x, middle_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def to_mm(x, y):  # north up: the page's y grows downwards
        return width / 2 + (x - middle_x) * mm_per_km, height / 2 - (y - middle_y) * mm_per_km

    points = [(number, *to_mm(*km[number])) for number, _ in placed]
    communes = {}
    for number, info in placed:
        communes.setdefault(info.commune, []).append(to_mm(*km[number]))
    centres = [
        (name, sum(x for x, _ in spots) / len(spots), sum(y for _, y in spots) / len(spots))
        for name, spots in communes.items()
        if name
    ]
    scale_km = max(
        (length for length in SCALE_LENGTHS_KM if length * mm_per_km <= width / 3),
        default=SCALE_LENGTHS_KM[0],
    )
    return Plan(points, centres, scale_km, scale_km * mm_per_km)


def draw_plan(pdf, infos):
    """The plan of `infos` across the page, with its caption; a sentence when none has a
    position."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    drawn = plan(infos, width, PLAN_HEIGHT)
    pdf.heading("Plan")
    if drawn is None:
        pdf.line("Aucun de ces services n'a d'adresse : pas de plan.")
        return
    left, top = pdf.l_margin, pdf.get_y() + 1
    pdf.set_draw_color(160)
    pdf.set_fill_color(246)
    pdf.rect(left, top, width, PLAN_HEIGHT, style="DF")
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(90)
    for name, x, y in drawn.communes:
        pdf.set_xy(left + x - 30, top + y + 3.5)
        pdf.cell(60, 4, name, align="C")
    pdf.set_fill_color(*BLUE)
    pdf.set_text_color(255)
    pdf.set_font(FAMILY, "B", 8)
    for number, x, y in drawn.points:
        pdf.circle(left + x, top + y, 3, style="F")
        pdf.set_xy(left + x - 3, top + y - 2)
        pdf.cell(6, 4, str(number), align="C")
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_font(FAMILY, "", 8)
    bar_y = top + PLAN_HEIGHT - 4
    pdf.set_fill_color(0)
    pdf.rect(left + 4, bar_y - 0.4, drawn.scale_mm, 0.8, style="F")  # the scale bar
    pdf.set_xy(left + 6 + drawn.scale_mm, bar_y - 2)
    pdf.cell(30, 4, f"{drawn.scale_km:g} km".replace(".", ","))
    pdf.set_y(top + PLAN_HEIGHT + 1)
    pdf.set_font(FAMILY, "", 9)
    unplaced = len(infos) - len(drawn.points)
    caption = "Plan sans fond de carte, nord en haut : les numéros sont ceux de la liste."
    if unplaced:
        caption += f" Sans position sur le plan (à distance ou sans adresse) : {unplaced}."
    pdf.line(caption, height=5)
    pdf.set_font(FAMILY, "", 11)
