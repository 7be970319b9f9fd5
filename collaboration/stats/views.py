"""The map of the house: statistics and the network map for the house's people,
the same as CSV, a printable one-page summary, and aggregate figures for the
public. The figures come from this package (figures.py, network.py).

Who sees what (collaboration/permissions.py): coordinators, the actors'
people and council members see the map with actor names (never
collaboration titles); an actor's summary lists its collaborations by title,
so only its own people and coordinators get it (anyone else: 404). Everyone,
also without signing in, sees the figures page: counts only, no names, no
titles."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actors.models import Actor
from centre import csv_export
from centre.charts import bar_chart, heat_grid
from centre.forms import bad_query

from .. import permissions, stats
from ..models import FORM_EXPLANATIONS, Form
from .reach import reach

map_required = permissions.role_required(permissions.can_see_map)


def _whole(value: float) -> str:
    return str(round(value))


def _form_grid(rows: list[stats.Row], forms: list[Form], quarterly: bool):
    if not rows or not any(row.total for row in rows):
        return None
    return heat_grid(
        [str(form.label) for form in forms],
        [row.short_label for row in rows],
        [[row.counts[i] for row in rows] for i in range(len(forms))],
        value_format=_whole,
        cell_width=100 if quarterly else 76,
        row_label_width=180,
        max_column_chars=14 if quarterly else 10,
        # A month written out ("ديسمبر 2023") may be wider than its column.
        edge=24,
    )


def _matrix_grid(matrix: stats.SectorMatrix):
    if not matrix.total:
        return None
    labels = [str(stats.SECTOR_SHORT[sector]) for sector in matrix.sectors]
    return heat_grid(
        labels,
        labels,
        [list(row) for row in matrix.values],
        value_format=_whole,
        cell_width=112,
        row_label_width=130,
        max_column_chars=15,
    )


def _forms_with_explanations():
    return [(form, FORM_EXPLANATIONS[form]) for form in Form]


def network_legend():
    sectors = []
    for sector, (colour, shape) in stats.SECTOR_STYLE.items():
        sectors.append((sector, colour, shape, stats.shape_points(shape, 10, 10, 6)))
    return {"sectors": sectors, "forms": [(form, *stats.FORM_STYLE[form]) for form in Form]}


@map_required
def map_page(request):
    filters, filter_form = stats.parse_filters(request.GET)
    if filter_form.errors:
        return bad_query(request, filter_form)
    house = stats.house_map(filters)
    network = stats.house_network(house)
    ties_chart = None
    if any(row.count for row in house.new_ties):
        ties_chart = bar_chart(
            [(row.label, row.count) for row in house.new_ties], value_format=_whole
        )
    return render(
        request,
        "collaboration/map.html",
        {
            "filters": filters,
            "filter_form": filter_form,
            "form_choices": Form.choices,
            "house": house,
            "network": network,
            "legend": network_legend(),
            "month_grid": _form_grid(house.months, filters.forms, quarterly=False),
            "quarter_grid": _form_grid(house.quarters, filters.forms, quarterly=True),
            "matrix_grid": _matrix_grid(house.matrix),
            "ties_chart": ties_chart,
            "forms_explained": _forms_with_explanations(),
            "max_pairs": stats.MAX_PAIRS,
            "csv_url": reverse("collaboration:map-csv") + "?" + filters.query,
            "summary_url": reverse("collaboration:summary") + "?" + filters.query,
            "reach": reach(filters),
        },
    )


@map_required
def map_csv(request):
    filters, filter_form = stats.parse_filters(request.GET)
    if filter_form.errors:
        return bad_query(request, filter_form)
    house = stats.house_map(filters)
    network = stats.house_network(house)
    response, writer = csv_export.csv_response(f"collaboration-map-{filters.slug}.csv")
    writer.writerow(
        [
            _("The map of the house"),
            filters.first.isoformat(),
            filters.last.isoformat(),
            filters.form_label,
        ]
    )
    writer.writerow([_("Collaborations"), house.total])
    writer.writerow([_("Actors involved"), house.actors_involved])
    forms = [str(form.label) for form in filters.forms]
    for title, rows in (
        (_("Collaborations per form per month"), house.months),
        (_("Collaborations per form per quarter"), house.quarters),
    ):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow([_("Period"), _("Starts"), *forms, _("Total")])
        for row in rows:
            writer.writerow([row.label, row.day.isoformat(), *row.counts, row.total])
    writer.writerow([])
    writer.writerow([_("Collaborations across sectors")])
    writer.writerow([_("Sector"), *[str(sector.label) for sector in house.matrix.sectors]])
    for sector, values in house.matrix.rows:
        writer.writerow([str(sector.label), *values])
    writer.writerow([_("Collaborations across two or more sectors"), house.matrix.crossing])
    writer.writerow([])
    writer.writerow([_("New ties per quarter")])
    writer.writerow([_("Quarter"), _("Starts"), _("New ties")])
    for row in house.new_ties:
        writer.writerow([row.label, row.day.isoformat(), row.count])
    writer.writerow([])
    writer.writerow([_("The ladder: the forms each pair of actors has used")])
    writer.writerow(
        [
            _("Actor"),
            _("Sector"),
            _("Actor"),
            _("Sector"),
            _("Collaborations"),
            *[str(form.label) for form in Form],
            _("First"),
            _("Latest"),
            _("Disputed"),
            _("Most committed form now"),
            _("In words"),
        ]
    )
    for pair in house.pairs:
        strongest = pair.strongest
        writer.writerow(
            [
                pair.a.name,
                pair.a.sector_label,
                pair.b.name,
                pair.b.sector_label,
                pair.count,
                *pair.ladder,
                pair.first.isoformat() if pair.first else "",
                pair.latest.isoformat() if pair.latest else "",
                pair.disputed,
                str(strongest.label) if strongest else "",
                pair.text,
            ]
        )
    writer.writerow([])
    writer.writerow([_("Network map: actors")])
    writer.writerow([_("Actor"), _("Sector"), _("Collaborations"), "x", "y"])
    for node in network.node_table:
        writer.writerow(
            [
                node.actor.name,
                node.actor.sector_label,
                node.count,
                csv_export.number(node.x, 1),
                csv_export.number(node.y, 1),
            ]
        )
    writer.writerow([])
    writer.writerow([_("Disconnected actors")])
    writer.writerow(
        [_("Based in the house, no collaboration running since"), house.disconnected_since]
    )
    writer.writerow([_("Actor"), _("Sector"), _("Latest collaboration started")])
    for row in house.disconnected:
        latest = row.last_collaboration.isoformat() if row.last_collaboration else ""
        writer.writerow([row.actor.name, row.actor.sector_label, latest])
    return response


@map_required
def summary(request):
    filters, filter_form = stats.parse_filters(request.GET, form_class=stats.SummaryForm)
    if filter_form.errors:
        return bad_query(request, filter_form)
    context = {"filters": filters, "filter_form": filter_form, "form_choices": Form.choices}
    choices = permissions.summary_actors(request.user)
    context["actors"] = list(choices.values_list("slug", "name"))
    slug = filter_form.cleaned_data["actor"] if filter_form.is_bound else ""
    if slug:
        # An actor's summary names its collaborations: its own people and coordinators only.
        actor = get_object_or_404(Actor, slug=slug)
        if slug not in {choice for choice, _name in context["actors"]}:
            raise Http404
        summary = stats.actor_summary(filters, actor)
        context["summary"] = summary
        context["chosen_actor"] = slug
        context["form_counts"] = list(zip(filters.forms, summary.form_counts, strict=True))
        context["reach"] = reach(filters, actor_id=actor.pk)
    else:
        house = stats.house_map(filters)
        context["house"] = house
        context["form_counts"] = list(zip(filters.forms, house.form_totals, strict=True))
        context["top_pairs"] = [pair for pair in house.pairs if pair.count][:10]
        context["quarter_rows"] = list(zip(house.quarters, house.new_ties, strict=True))
        context["reach"] = reach(filters)
    context["map_url"] = reverse("collaboration:map") + "?" + filters.query
    return render(request, "collaboration/summary.html", context)


def figures(request):
    filters, filter_form = stats.parse_filters(request.GET)
    if filter_form.errors:
        return bad_query(request, filter_form)
    result = stats.public_figures(filters)
    return render(
        request,
        "collaboration/figures.html",
        {
            "filters": filters,
            "filter_form": filter_form,
            "form_choices": Form.choices,
            "figures": result,
            "quarter_grid": _form_grid(result.quarters, filters.forms, quarterly=True),
            "form_counts": list(zip(filters.forms, result.form_totals, strict=True)),
            "forms_explained": _forms_with_explanations(),
            "reach": reach(filters),
        },
    )
