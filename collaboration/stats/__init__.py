"""The map of the house: figures drawn from the collaboration log.

Plain data for the pages in views.py: period.py reads the filters,
queries.py reads the log, figures.py computes the figures, network.py lays
out and draws the network map. A fixed number of queries whatever the size of the log: the period's
collaborations and their actors' parts, the actors, the other forms they
have had (for the ladder), the pairs that worked together before the period
(for the new ties) and the disconnected (one aggregate query). What counts:

- A collaboration belongs to the period when it *started* in it, and counts
  once, in the form it has now (``Collaboration.form``). The form filter
  keeps the collaborations that have that form now.
- A *tie* is a pair of actors that took part in the same collaboration. A
  disputed participation makes no tie: the actor says it was not part of it.
  The collaboration itself still counts in the figures per form, and the
  ladder shows, per pair, how many of their collaborations one of the two
  disputed, so a dispute stays visible.
- *New ties per quarter*: pairs whose first collaboration (ever, within the
  form filter) started in that quarter.
- The *ladder* of a pair counts each of their collaborations once in every
  form it has had (its history of changes, and the form it has now).
- The *sector matrix* counts collaborations: a cell of two sectors counts the
  collaborations with actors of both; a cell on the diagonal those with two
  or more actors of that sector.
- The *disconnected*: current actors based in the house with no collaboration
  running in the six months up to the end of the period. A collaboration
  runs from its start to its end; one without an end is still running. The
  form filter does not apply here: any form connects.
"""

from .figures import (
    MAX_PAIRS,
    SECTOR_SHORT,
    ActorSummary,
    Disconnected,
    HouseMap,
    NewTies,
    Pair,
    PublicFigures,
    Row,
    SectorMatrix,
    activity_of,
    actor_summary,
    house_map,
    ladder_text,
    public_figures,
)
from .network import (
    FORM_STYLE,
    HEIGHT,
    MARGIN,
    SECTOR_STYLE,
    WIDTH,
    Network,
    house_network,
    layout,
    network,
    network_for,
    shape_points,
)
from .period import (
    FilterForm,
    Filters,
    SummaryForm,
    default_filters,
    month_label,
    month_of,
    parse_filters,
    quarter_label,
    quarter_of,
)
from .queries import SIX_MONTHS

__all__ = [
    "FORM_STYLE",
    "HEIGHT",
    "MARGIN",
    "MAX_PAIRS",
    "SECTOR_SHORT",
    "SECTOR_STYLE",
    "SIX_MONTHS",
    "WIDTH",
    "ActorSummary",
    "Disconnected",
    "FilterForm",
    "Filters",
    "HouseMap",
    "Network",
    "NewTies",
    "Pair",
    "PublicFigures",
    "Row",
    "SectorMatrix",
    "SummaryForm",
    "activity_of",
    "actor_summary",
    "default_filters",
    "house_map",
    "house_network",
    "ladder_text",
    "layout",
    "month_label",
    "month_of",
    "network",
    "network_for",
    "parse_filters",
    "public_figures",
    "quarter_label",
    "quarter_of",
    "shape_points",
]
