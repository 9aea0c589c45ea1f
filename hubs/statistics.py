"""Public statistics (``/statistik/``) and "One Agency, One Innovation" coverage (``/statistik/cakupan/``).

How the figures are computed, and what it costs:
- ``national_figures()`` runs a fixed set of aggregate queries (nine, whatever the data size) and
  caches the raw result (codes and ids, no translated labels) for ``CACHE_SECONDS``, so every language
  shares it. The innovation figures are one read of ``InnovationTally`` (kept exact by a trigger,
  see jipp migration 0004), so even a cold cache never scans a million rows;
  coverage for every province and every regency from one ``GROUPING SETS`` query over agencies with
  an ``EXISTS`` on the (agency, status) index; the most replicated from a partial index.
- Pages turn those figures into ``Table``s; the HTML table, the SVG chart and the CSV download are all
  rendered from the same ``Table`` rows, so the CSV always equals the table on the page.
- Only PUBLISHED innovations count (drafts, submitted, returned and archived records do not).
"""

import csv
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from hubs.models import HubEvent
from innovations.models import Innovation, InnovationTally, Kind, Sector, Stage
from jipp.models import Agency, Hub, Province, Regency
from jipp.ops.replica import read_connection
from jipp.xlsxexport import streaming_xlsx
from replication.models import MentoringSession, ReplicationRequest

CACHE_SECONDS = 300
CACHE_KEY = "jipp:statistics:national:v1"
MOST_REPLICATED_LIMIT = 10
DASH = "–"


# --- Tables: one structure for the HTML table, the chart and the CSV ------------------------------


@dataclass
class Table:
    name: str  # used in ?csv=<name> and the CSV file name
    title: str
    columns: list
    rows: list = field(default_factory=list)  # the cells as values (numbers stay numbers)
    links: list = field(default_factory=list)  # one URL (or "") per row, for the first cell
    link_column: int = 0  # the cell that carries the row's link
    total: int | None = None  # when the rows are the first of a longer list: its full length

    def add(self, cells, link=""):
        self.rows.append(list(cells))
        self.links.append(link or "")

    @property
    def linked_rows(self):
        """The rows as the page shows them: numbers in the active language's format ("100,0")."""
        rows = [[figure_text(cell) for cell in row] for row in self.rows]
        return list(zip(self.links, rows, strict=True))

    @property
    def body_html(self):
        """The table's body rows as HTML (the row's link on its ``link_column`` cell, a row header),
        or "" when there are none. Built here rather than by nested template loops: the statistics
        page shows about a thousand cells, and a template loop costs several microseconds a cell."""
        parts = []
        for link, row in self.linked_rows:
            cells = []
            for i, cell in enumerate(row):
                text = conditional_escape(cell)
                if i == self.link_column:
                    inner = f'<a href="{conditional_escape(link)}">{text}</a>' if link else text
                    cells.append(f'<th scope="row">{inner}</th>')
                else:
                    cells.append(f"<td>{text}</td>")
            parts.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every cell and link is escaped above

    @property
    def csv_rows(self):
        """The same rows for the CSV download: machine-readable numbers ("100.0")."""
        return [[cell_text(cell) for cell in row] for row in self.rows]


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A cell for the CSV download: numbers with a full stop and one decimal for fractions."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def figure_text(value) -> str:
    """A figure for HTML: the active language's number format, thousands grouped ("1.000.044" in
    Indonesian, "1,000,044" in English) and one decimal for fractions ("85,4"); text stays as it is.
    Grouping is forced here rather than by USE_THOUSAND_SEPARATOR, which would also group the ids and
    years that templates print. A year is passed as text, so it is never grouped ("2020")."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    if _is_number(value):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def days_text(days):
    """A number of days as people read it: whole days, with one decimal only under ten days and when
    it is not a whole number (2.5, shown "2,5" in Indonesian by ``figure_text``); None stays None
    (shown as a dash)."""
    if days is None:
        return None
    days = float(days)
    rounded = round(days, 1)
    if rounded >= 10 or rounded == int(rounded):
        return int(round(days))
    return rounded


def share(covered, total):
    return round(100.0 * covered / total, 1) if total else None


def csv_response(table: Table, *, filename_prefix="jipp"):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename_prefix}-{table.name}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(column) for column in table.columns])
    writer.writerows(table.csv_rows)
    return response


def xlsx_response(table: Table, *, filename_prefix="jipp"):
    """The CSV download's header and cells as a spreadsheet."""
    return streaming_xlsx(
        table.columns, table.csv_rows, f"{filename_prefix}-{table.name}.xlsx", title=table.name
    )


def render_tables(request, template, context, tables):
    """Render ``template``; or, with ``?csv=<table name>`` (``?xlsx=``), that table as CSV (XLSX);
    400 for an unknown name."""
    for parameter, response in (("csv", csv_response), ("xlsx", xlsx_response)):
        wanted = request.GET.get(parameter)
        if wanted is None:
            continue
        for table in tables:
            if table.name == wanted:
                return response(table, filename_prefix=context.get("csv_prefix", "jipp"))
        return HttpResponseBadRequest(_("No such table."))
    by_name = {table.name: table for table in tables}
    return render(request, template, {**context, "tables": by_name, "table_list": tables})


# --- Charts: server-rendered SVG with a text alternative ------------------------------------------

# A fixed, phone-sized drawing (CSS pixels, never scaled up): on a 360 px phone the 12 px labels stay
# 12 px, and every chart on every page has the same width. Each label sits above its bar, so long
# sector names need no room beside the bars.
CHART_WIDTH = 320
LABEL_CHARS = 46  # about 290 px of 12 px text
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
BAR_GAP = 8
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
VALUE_ROOM = 70  # right of the longest bar, for its figure ("1.000.000")


def bar_chart(table: Table, *, label_column=0, value_column=1, title=None, limit=40):
    """Horizontal bars for one numeric column of ``table``; ``desc`` reads the same data as text."""
    points = []
    for row in table.rows[:limit]:
        raw = row[value_column]
        value = float(raw) if _is_number(raw) else 0.0
        points.append((figure_text(row[label_column]), value, figure_text(raw)))
    top = max((value for _label, value, _text in points), default=0) or 1
    span = CHART_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value, text) in enumerate(points):
        y = 4 + index * ROW_HEIGHT
        width = round(span * value / top, 1)
        bar_y = y + LABEL_HEIGHT
        bars.append(
            {
                "label": label,
                "text": text,
                "label_y": y + 12,
                "y": bar_y,
                "text_y": bar_y + 11,
                "width": max(width, 1 if value else 0),
                "value_x": width + 6,
            }
        )
    title = title or table.title
    desc = "; ".join(f"{label}: {text}" for label, _value, text in points)
    # The bars' SVG is built here, not by a template loop (a loop costs microseconds a value, and the
    # statistics page draws hundreds of them); every text is escaped.
    svg = "".join(
        f'<g>\n      <text x="0" y="{bar["label_y"]}" class="chart-label">'
        f"{conditional_escape(Truncator(bar['label']).chars(LABEL_CHARS))}</text>\n"
        f'      <rect x="0" y="{bar["y"]}" width="{bar["width"]}" height="{BAR_HEIGHT}" fill="#0b5d4b"'
        ' class="chart-bar"></rect>\n'
        f'      <text x="{bar["value_x"]}" y="{bar["text_y"]}" class="chart-value">'
        f"{conditional_escape(bar['text'])}</text>\n    </g>"
        for bar in bars
    )
    return {
        "id": f"chart-{table.name}",
        "title": title,
        "desc": desc,
        "column": table.columns[value_column],
        "width": CHART_WIDTH,
        "height": 8 + len(bars) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "label_chars": LABEL_CHARS,
        "bars": bars,
        "bars_svg": mark_safe(svg),  # noqa: S308 - numbers and escaped texts only
    }


# Schematic tile map: one square per province, roughly where it lies (column, row, short label).
TILES = {
    "11": (0, 0, "ACEH"), "12": (1, 0, "SUMUT"), "21": (3, 0, "KEPRI"), "13": (1, 1, "SUMBAR"),
    "14": (2, 1, "RIAU"), "15": (2, 2, "JAMBI"), "19": (4, 2, "BABEL"), "17": (2, 3, "BKL"),
    "16": (3, 3, "SUMSEL"), "18": (3, 4, "LPG"), "31": (5, 4, "DKI"), "36": (4, 5, "BTN"),
    "32": (5, 5, "JABAR"), "33": (6, 5, "JATENG"), "34": (6, 6, "DIY"), "35": (7, 5, "JATIM"),
    "51": (8, 6, "BALI"), "52": (9, 6, "NTB"), "53": (10, 6, "NTT"), "61": (5, 1, "KALBAR"),
    "62": (6, 2, "KALTENG"), "63": (7, 3, "KALSEL"), "64": (7, 1, "KALTIM"), "65": (7, 0, "KALTARA"),
    "76": (8, 2, "SULBAR"), "72": (9, 1, "SULTENG"), "75": (10, 1, "GTLO"), "71": (11, 0, "SULUT"),
    "73": (9, 3, "SULSEL"), "74": (10, 3, "SULTRA"), "82": (12, 1, "MALUT"), "81": (12, 3, "MALUKU"),
    "96": (13, 1, "PBD"), "92": (14, 1, "PABAR"), "91": (15, 1, "PAPUA"), "94": (14, 2, "PATENG"),
    "95": (15, 2, "PAPEG"), "93": (15, 3, "PASEL"),
}  # fmt: skip
TILE = 46
TILE_GAP = 4
SHADES = ["#e3f1ec", "#b4dacb", "#75b99f", "#2f8a6c", "#0b5d4b"]  # light to dark; last two take white text
EMPTY_SHADE = "#f7f7f7"

MAP_FIGURES = {
    "innovations": gettext_lazy("Published innovations"),
    "coverage": gettext_lazy("Coverage (%)"),
    "replications": gettext_lazy("Replication requests"),
    "agencies": gettext_lazy("Registered agencies"),
}
MAP_COLUMN = {"innovations": 2, "coverage": 5, "replications": 6, "agencies": 3}


def tile_map(table: Table, provinces, figure):
    """The province table drawn as a tile map shaded by ``figure`` (rows follow ``provinces``)."""
    column = MAP_COLUMN[figure]
    values = []
    for row in table.rows:
        values.append(float(row[column]) if _is_number(row[column]) else None)
    top = max((v for v in values if v is not None), default=0)
    tiles = []
    for province, row, value in zip(provinces, table.rows, values, strict=True):
        position = TILES.get(province["code"])
        if position is None:
            continue
        col, line, short = position
        if not value or not top:
            shade, dark = EMPTY_SHADE, False
        else:
            step = min(len(SHADES) - 1, int(len(SHADES) * value / top - 1e-9))
            shade, dark = SHADES[step], step >= 3
        x, y = col * (TILE + TILE_GAP), line * (TILE + TILE_GAP)
        tiles.append(
            {
                "x": x,
                "y": y,
                "cx": x + TILE / 2,
                "label_y": y + 19,
                "value_y": y + 36,
                "short": short,
                "name": province["name"],
                "url": province["url"],
                "text": figure_text(row[column]),
                "fill": shade,
                "dark": dark,
            }
        )
    white = ' fill="#fff"'
    svg = "".join(
        f'<g class="tile">\n      <title>{conditional_escape(t["name"])}: '
        f"{conditional_escape(t['text'])}</title>\n"
        f'      <rect x="{t["x"]}" y="{t["y"]}" width="{TILE}" height="{TILE}" rx="4" fill="{t["fill"]}"'
        ' stroke="#8a9691" class="tile-box"></rect>\n'
        f'      <text x="{t["cx"]}" y="{t["label_y"]}" text-anchor="middle" font-size="9" font-weight="700"'
        f'{white if t["dark"] else ""} class="tile-label">{conditional_escape(t["short"])}</text>\n'
        f'      <text x="{t["cx"]}" y="{t["value_y"]}" text-anchor="middle" font-size="11"'
        f'{white if t["dark"] else ""} class="tile-value">{conditional_escape(t["text"])}</text>\n    </g>'
        for t in tiles
    )
    legend = []
    if top:
        for step, shade in enumerate(SHADES):
            low, high = top * step / len(SHADES), top * (step + 1) / len(SHADES)
            legend.append(
                {
                    "fill": shade,
                    "text": f"{figure_text(round(low))}–{figure_text(round(high))}",
                    "y": 4 + step * 20,
                }
            )
    return {
        "figure": figure,
        "label": MAP_FIGURES[figure],
        "width": 16 * (TILE + TILE_GAP),
        "height": 7 * (TILE + TILE_GAP),
        "size": TILE,
        "tiles": tiles,
        "tiles_svg": mark_safe(svg),  # noqa: S308 - numbers and escaped texts only (built like bars_svg)
        "legend": legend,
        "desc": "; ".join(f"{t['name']}: {t['text']}" for t in tiles),
    }


# --- Figures ---------------------------------------------------------------------------------------


def _innovation_rollup():
    """Published innovations by province, sector, stage, type and year started: one small read of
    ``InnovationTally`` (under a hundred rows kept exact by a trigger), never a scan of the innovations."""
    result = {"by_province": {}, "by_sector": {}, "by_stage": {}, "by_kind": {}, "by_year": {}}
    published = InnovationTally.objects.exclude(dimension=InnovationTally.Dimension.STATUS)
    for dimension, key, count in published.filter(count__gt=0).values_list("dimension", "key", "count"):
        if dimension == "province":
            result["by_province"][int(key)] = {"innovations": count}
        elif dimension == "year":
            result["by_year"][int(key)] = count
        else:
            result[f"by_{dimension}"][key] = count
    return result


def _coverage_rollup():
    """Agencies and agencies with at least one published innovation, per province, per (province,
    regency), and per government with all its units together (a tree of the directory: the
    government and the units whose ``parent`` it is). Regency ``None`` holds the province-level and
    central agencies; units attached to no government count as ``unattached`` of their province.
    One query: the ``EXISTS`` per agency is computed once and grouped three ways."""

    agencies = Agency._meta.db_table
    innovations = Innovation._meta.db_table
    sql = f"""
        WITH listed AS (
            SELECT a.province_id, a.regency_id, coalesce(a.parent_id, a.id) AS root,
                   EXISTS (
                       SELECT 1 FROM {innovations} i WHERE i.agency_id = a.id AND i.status = 'published'
                   ) AS covered
              FROM {agencies} a
             WHERE a.status = %s
        ), grouped AS (
            SELECT province_id, regency_id, root, GROUPING(regency_id) AS no_regency,
                   GROUPING(root) AS no_root, COUNT(*) AS agencies, COUNT(*) FILTER (WHERE covered) AS covered
              FROM listed
             GROUP BY GROUPING SETS ((province_id), (province_id, regency_id), (province_id, root))
        )
        SELECT grouped.province_id, grouped.regency_id, grouped.no_regency, grouped.no_root,
               grouped.agencies, grouped.covered,
               g.id, g.name, g.slug, g.level, g.regency_id, g.is_government
          FROM grouped LEFT JOIN {agencies} g ON g.id = grouped.root
    """  # noqa: S608 - table names come from the models
    by_province, by_regency, by_government = {}, {}, {}
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [Agency.Status.ACTIVE])
        for row in cursor.fetchall():
            province_id, regency_id, no_regency, no_root, total, covered = row[:6]
            figures = {"agencies": total, "covered": covered, "share": share(covered, total)}
            if no_root and no_regency:
                by_province[province_id] = figures
            elif no_root:
                by_regency.setdefault(province_id, {})[regency_id] = figures
            else:
                pk, name, slug, level, root_regency_id, is_government = row[6:]
                trees = by_government.setdefault(province_id, {"governments": [], "unattached": [0, 0]})
                if is_government:
                    trees["governments"].append(
                        {"id": pk, "name": name, "slug": slug, "level": level, "regency_id": root_regency_id}
                        | figures
                    )
                else:
                    trees["unattached"][0] += total
                    trees["unattached"][1] += covered
    return by_province, by_regency, by_government


def _replication_rollup():

    table = ReplicationRequest._meta.db_table
    day = 86400.0
    sql = f"""
        SELECT hub_id, GROUPING(hub_id) AS everything, COUNT(*),
               COUNT(*) FILTER (WHERE status IN ('implemented', 'evaluated')),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM decided_at - created_at))
                   FILTER (WHERE decided_at IS NOT NULL) / {day},
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM implemented_at - decided_at))
                   FILTER (WHERE implemented_at IS NOT NULL AND decided_at IS NOT NULL) / {day}
          FROM {table}
         GROUP BY GROUPING SETS ((hub_id), ())
    """  # noqa: S608 - the table name comes from the model
    by_hub, overall = (
        {},
        {"requests": 0, "implemented": 0, "decision_days": None, "implementation_days": None},
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql)
        for hub_id, everything, total, implemented, decision, implementation in cursor.fetchall():
            figures = {
                "requests": total,
                "implemented": implemented,
                "decision_days": decision,
                "implementation_days": implementation,
            }
            if everything:
                overall = figures
            elif hub_id is not None:
                by_hub[hub_id] = figures
    by_status = dict(
        ReplicationRequest.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    by_province = dict(
        ReplicationRequest.objects.values_list("requesting_agency__province_id")
        .annotate(n=Count("id"))
        .values_list("requesting_agency__province_id", "n")
    )
    return overall, by_hub, by_status, by_province


def _compute_national():

    figures = _innovation_rollup()
    coverage_by_province, coverage_by_regency, coverage_by_government = _coverage_rollup()
    overall, by_hub, by_status, replications_by_province = _replication_rollup()
    provinces = [
        {
            "id": p.pk,
            "code": p.code,
            "name": p.name,
            "slug": p.slug,
            "url": p.get_absolute_url(),
            "hub": (
                {
                    "id": p.hub.pk,
                    "name": p.hub.name,
                    "slug": p.hub.slug,
                    "status": p.hub.status,
                    "year": p.hub.year_designated,
                }
                if hasattr(p, "hub")
                else None
            ),
        }
        for p in Province.objects.select_related("hub").order_by("code")
    ]
    most_replicated = [
        {"name": str(i), "slug": i.slug, "agency": i.agency.name, "count": i.replication_count}
        for i in Innovation.objects.published()
        .filter(replication_count__gt=0)
        .select_related("agency")
        .order_by("-replication_count", "name")[:MOST_REPLICATED_LIMIT]
    ]
    mentoring_by_hub = dict(
        MentoringSession.objects.values_list("request__hub_id")
        .annotate(n=Count("id"))
        .values_list("request__hub_id", "n")
    )
    events_by_hub = dict(
        HubEvent.objects.current().values_list("hub_id").annotate(n=Count("id")).values_list("hub_id", "n")
    )
    return {
        **figures,
        "computed_at": timezone.now(),
        "provinces": provinces,
        "coverage_by_province": coverage_by_province,
        "coverage_by_regency": coverage_by_regency,
        "coverage_by_government": coverage_by_government,
        "replications": overall,
        "replications_by_hub": by_hub,
        "replications_by_status": by_status,
        "replications_by_province": replications_by_province,
        "most_replicated": most_replicated,
        "mentoring_by_hub": mentoring_by_hub,
        "events_by_hub": events_by_hub,
    }


def national_figures():
    """Every public figure, from a constant number of aggregate queries, cached briefly."""
    return cache.get_or_set(CACHE_KEY, _compute_national, CACHE_SECONDS)


# --- Tables built from the figures ----------------------------------------------------------------


def province_table(figures):
    table = Table(
        "provinces",
        _("Provinces"),
        [
            _("Code"),
            _("Province"),
            _("Published innovations"),
            _("Registered agencies"),
            _("Agencies with a published innovation"),
            _("Coverage (%)"),
            _("Replication requests"),
            _("Hub"),
        ],
        link_column=1,
    )
    for p in figures["provinces"]:
        coverage = figures["coverage_by_province"].get(p["id"], {})
        table.add(
            [
                p["code"],
                p["name"],
                figures["by_province"].get(p["id"], {}).get("innovations", 0),
                coverage.get("agencies", 0),
                coverage.get("covered", 0),
                coverage.get("share"),
                figures["replications_by_province"].get(p["id"], 0),
                p["hub"]["name"] if p["hub"] else DASH,
            ],
            link=p["url"],
        )
    return table


def _choice_table(name, title, column, counts, choices):
    table = Table(name, title, [column, _("Published innovations")])
    for value, label in choices:
        table.add([label, counts.get(value, 0)])
    return table


def statistics_tables(figures):

    sectors = sorted(Sector.choices, key=lambda c: -figures["by_sector"].get(c[0], 0))
    tables = [
        province_table(figures),
        _choice_table("sectors", _("Innovations by sector"), _("Sector"), figures["by_sector"], sectors),
        _choice_table("stages", _("Innovations by stage"), _("Stage"), figures["by_stage"], Stage.choices),
        _choice_table("types", _("Innovations by type"), _("Type"), figures["by_kind"], Kind.choices),
    ]
    years = Table("years", _("Innovations by year started"), [_("Year"), _("Published innovations")])
    for year in sorted(figures["by_year"]):
        years.add([str(year), figures["by_year"][year]])  # a year is a name, never "2.020"
    tables.append(years)

    stages = Table("replication_stages", _("Replications by stage"), [_("Stage"), _("Requests")])
    for value, label in ReplicationRequest.Status.choices:
        stages.add([label, figures["replications_by_status"].get(value, 0)])
    tables.append(stages)

    overall = figures["replications"]
    durations = Table("durations", _("Time taken (median days)"), [_("Step"), _("Median days")])
    durations.add([_("From request to decision"), days_text(overall["decision_days"])])
    durations.add([_("From approval to implementation"), days_text(overall["implementation_days"])])
    tables.append(durations)

    most = Table(
        "most_replicated", _("Most replicated innovations"), [_("Innovation"), _("Agency"), _("Replications")]
    )
    for item in figures["most_replicated"]:
        most.add([item["name"], item["agency"], item["count"]], link=_innovation_url(item["slug"]))
    tables.append(most)
    tables.append(hubs_table(figures))
    return tables


def _innovation_url(slug):
    return reverse("innovations:detail", kwargs={"slug": slug})


def hubs_table(figures):

    table = Table(
        "hubs",
        _("Hubs compared"),
        [
            _("Hub"),
            _("Status"),
            _("Year designated"),
            _("Published innovations in the province"),
            _("Coverage (%)"),
            _("Replication requests"),
            _("Implemented"),
            _("Median days to decision"),
            _("Median days from approval to implementation"),
            _("Mentoring sessions"),
            _("Events"),
        ],
    )
    statuses = dict(Hub.Status.choices)
    for p in sorted(figures["provinces"], key=lambda p: p["hub"]["name"] if p["hub"] else ""):
        hub = p["hub"]
        if not hub:
            continue
        replication = figures["replications_by_hub"].get(hub["id"], {})
        table.add(
            [
                hub["name"],
                statuses.get(hub["status"], hub["status"]),
                str(hub["year"]),
                figures["by_province"].get(p["id"], {}).get("innovations", 0),
                figures["coverage_by_province"].get(p["id"], {}).get("share"),
                replication.get("requests", 0),
                replication.get("implemented", 0),
                days_text(replication.get("decision_days")),
                days_text(replication.get("implementation_days")),
                figures["mentoring_by_hub"].get(hub["id"], 0),
                figures["events_by_hub"].get(hub["id"], 0),
            ],
            link=reverse("hub_detail", kwargs={"slug": hub["slug"]}),
        )
    return table


# --- Views ----------------------------------------------------------------------------------------


@require_safe
def statistics_index(request):
    figures = national_figures()
    tables = statistics_tables(figures)
    by_name = {table.name: table for table in tables}
    figure = request.GET.get("peta", "innovations")
    if figure not in MAP_FIGURES:
        figure = "innovations"  # a garbage choice still gets a normal page
    charts = {
        name: bar_chart(by_name[name])
        for name in ("sectors", "stages", "types", "years", "replication_stages")
    }
    charts["hubs"] = bar_chart(by_name["hubs"], value_column=5, title=_("Replication requests per hub"))
    context = {
        "figures": figures,
        "map": tile_map(by_name["provinces"], figures["provinces"], figure),
        "map_figures": list(MAP_FIGURES.items()),
        "charts": charts,
        "overall": figures["replications"],
        "csv_prefix": "jipp-statistik",
    }
    return render_tables(request, "hubs/statistics.html", context, tables)


def open_tables(figures):
    """The national tables published as open data (the API's /api/statistik/, the DCAT catalogue):
    those of /statistik/ and the coverage by province. Each name is also the ``?csv=`` of its page."""
    return [
        *((table, "statistics") for table in statistics_tables(figures)),
        (coverage_national_table(figures), "coverage"),
    ]


def coverage_national_table(figures):
    table = Table(
        "coverage",
        _("Coverage by province"),
        [
            _("Rank"),
            _("Province"),
            _("Registered agencies"),
            _("Agencies with a published innovation"),
            _("Coverage (%)"),
            _("Agencies without one"),
        ],
        link_column=1,
    )
    rows = []
    for p in figures["provinces"]:
        c = figures["coverage_by_province"].get(p["id"], {"agencies": 0, "covered": 0, "share": None})
        rows.append((p, c))
    # Ranked by share (provinces without agencies last), then by number covered, then by name.
    rows.sort(
        key=lambda pc: (pc[1]["share"] is None, -(pc[1]["share"] or 0), -pc[1]["covered"], pc[0]["name"])
    )
    for rank, (p, c) in enumerate(rows, start=1):
        table.add(
            [rank, p["name"], c["agencies"], c["covered"], c["share"], c["agencies"] - c["covered"]],
            link=reverse("coverage_province", kwargs={"slug": p["slug"]}),
        )
    return table


@require_safe
def coverage_national(request):
    figures = national_figures()
    table = coverage_national_table(figures)
    total = sum(c["agencies"] for c in figures["coverage_by_province"].values())
    covered = sum(c["covered"] for c in figures["coverage_by_province"].values())
    context = {
        "total": {"agencies": total, "covered": covered, "share": figure_text(share(covered, total))},
        "chart": bar_chart(table, label_column=1, value_column=4),
        "csv_prefix": "jipp-cakupan",
    }
    return render_tables(request, "hubs/coverage_national.html", context, [table])


def _uncovered_agencies(queryset):

    published = Innovation.objects.filter(agency=OuterRef("pk"), status=Innovation.Status.PUBLISHED)
    return (
        queryset.annotate(covered=Exists(published))
        .filter(covered=False)
        .select_related("regency")
        .order_by("regency__name", "name")
    )


def _uncovered_table(agencies):
    table = Table(
        "without_innovation",
        _("Agencies still without a published innovation"),
        [_("Agency"), _("Government level"), _("Regency or city")],
    )
    for agency in agencies:
        table.add(
            [agency.name, agency.get_level_display(), agency.regency.name if agency.regency else DASH],
            link=agency.get_absolute_url(),
        )
    return table


@require_safe
def coverage_province(request, slug):
    province = get_object_or_404(Province, slug=slug)
    figures = national_figures()
    regencies = {r.pk: r for r in Regency.objects.filter(province=province)}
    by_regency = figures["coverage_by_regency"].get(province.pk, {})
    table = Table(
        "regencies",
        _("Coverage by regency and city"),
        [
            _("Rank"),
            _("Regency or city"),
            _("Registered agencies"),
            _("Agencies with a published innovation"),
            _("Coverage (%)"),
            _("Agencies without one"),
        ],
        link_column=1,
    )
    rows = []
    for regency in regencies.values():
        c = by_regency.get(regency.pk, {"agencies": 0, "covered": 0, "share": None})
        rows.append((regency.name, regency, c))
    rows.sort(key=lambda r: (r[2]["share"] is None, -(r[2]["share"] or 0), -r[2]["covered"], r[0]))
    if None in by_regency:  # province-level and central agencies, not in any regency
        c = by_regency[None]
        rows.append((_("Province and central agencies"), None, c))
    for rank, (name, regency, c) in enumerate(rows, start=1):
        link = (
            reverse("coverage_regency", kwargs={"province_slug": province.slug, "slug": regency.slug})
            if regency
            else ""
        )
        table.add(
            [rank, name, c["agencies"], c["covered"], c["share"], c["agencies"] - c["covered"]], link=link
        )
    uncovered = _uncovered_table(_uncovered_agencies(Agency.objects.listed().filter(province=province)))
    coverage = figures["coverage_by_province"].get(province.pk, {"agencies": 0, "covered": 0, "share": None})
    context = {
        "province": province,
        "coverage": {**coverage, "share": figure_text(coverage["share"])},
        "chart": bar_chart(table, label_column=1, value_column=4, limit=60),
        "csv_prefix": f"jipp-cakupan-{slugify(province.slug)}",
    }
    governments = government_table(figures, province, regencies)
    return render_tables(request, "hubs/coverage_province.html", context, [table, governments, uncovered])


def government_table(figures, province, regencies):
    """Coverage per government of the province, each with all its units together: has the
    government (any of its offices) at least one published innovation, and how many of its offices do."""
    table = Table(
        "governments",
        _("Coverage by government"),
        [
            _("Government"),
            _("Agencies (the government and its units)"),
            _("Agencies with a published innovation"),
            _("Coverage (%)"),
            _("At least one innovation"),
        ],
        link_column=0,
    )
    trees = figures["coverage_by_government"].get(province.pk, {"governments": [], "unattached": [0, 0]})
    order = {Agency.Level.PROVINCE: 0, Agency.Level.REGENCY: 1, Agency.Level.CENTRAL: 2}
    rows = sorted(
        trees["governments"],
        key=lambda g: (
            order.get(g["level"], 3),
            regencies[g["regency_id"]].code if g["regency_id"] in regencies else "",
            g["name"],
        ),
    )
    for g in rows:
        table.add(
            [g["name"], g["agencies"], g["covered"], g["share"], _("yes") if g["covered"] else _("no")],
            link=reverse("innovations:agency_detail", kwargs={"slug": g["slug"]}),
        )
    total, covered = trees["unattached"]
    if total:
        table.add([_("Agencies not attached to a government"), total, covered, share(covered, total), DASH])
    return table


@require_safe
def coverage_regency(request, province_slug, slug):
    regency = get_object_or_404(
        Regency.objects.select_related("province"), province__slug=province_slug, slug=slug
    )
    figures = national_figures()
    c = (
        figures["coverage_by_regency"]
        .get(regency.province_id, {})
        .get(regency.pk, {"agencies": 0, "covered": 0, "share": None})
    )
    uncovered = _uncovered_table(_uncovered_agencies(Agency.objects.listed().filter(regency=regency)))
    context = {
        "regency": regency,
        "province": regency.province,
        "coverage": {**c, "share": figure_text(c["share"])},
        "csv_prefix": f"jipp-cakupan-{regency.slug}",
    }
    return render_tables(request, "hubs/coverage_regency.html", context, [uncovered])
