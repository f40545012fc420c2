"""Side-by-side comparison of designs: one row per figure, best and worst marked, all from the engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from compounds.models import markets_in_force
from evidence import grading
from formulator import engine, labels, presenters
from formulator.reports import BAR_COLOURS, MAGNESIUM, ProductReport, StackReport, headline_mg

MIN_DESIGNS = 2
MAX_DESIGNS = 6

ERROR_TOO_FEW = "Choose at least 2 designs to compare."
ERROR_TOO_MANY = "Compare at most 6 designs at once."
ERROR_UNKNOWN = "Unknown {kind}: {slugs}."
ERROR_MIXED = "Compare products with products, or stacks with stacks: choose one kind."
# Limits and reference values differ by population: a comparison says for which one it was made, and which designs
# are made for another, or a child's product would read as safe by adults' limits without a word.
POPULATIONS_DIFFER = ("These designs are made for different populations, so they are compared for {population}: choose a "
                      "population above to compare them for another. Made for another population: {designs}.")
POPULATION_OTHER = "Compared for {population}. Made for another population: {designs}."
GROUP_COMPARED = "Compared"
GROUP_COST = "Cost"  # its rows are named as the magnesium's are ("Per serving", "Per day")
# Magnesium's %DV and %NRV rows stand apart from the other nutrients', whose rows name their nutrient.
GROUP_DAILY_REFERENCE = "Daily reference (magnesium)"
GROUP_DAILY_REFERENCE_OTHER = "Daily reference (other nutrients)"
GROUP_OTHER_NUTRIENTS = "Other nutrients"
ROW_NUTRIENT_DAY = "{nutrient} per day"
ROW_POPULATION = "Population compared"
ROW_MARKETS = "Markets compared"
ROW_DESIGNED_FOR = "Population designed for"
ROW_DESIGNED_MARKETS = "Markets designed for"  # shown when a design is compared for a market it is not made for

# The limit status of each design, the worst of its limits: headed as the product list's column is, so that it does not
# read as an overall verdict above the row of legal exclusions.
ROW_LIMITS = "Limits"
ROW_EXCLUDED = "Excluded by law for this population"
ROW_LARGEST_DOSE = "{market} largest single dose"  # against a per-dose rule, such as Germany's 125 mg (BfR 2017)
ROW_NO_LIMIT = "{market} limit"  # a chosen market the library records no limit in, for this population
ROW_NO_LIMIT_ANYWHERE = "Nutrients no market limits"  # presenters.nutrients_without_limits: L-theanine, glycine
# Under the daily chart, for a limit on a single dose: drawn among daily amounts, it would read as a daily limit.
CHART_NOTE_PER_DOSE = ("{market}'s {limit} of {amount} applies to a single dose, not to the day, so the chart does not "
                       "draw it: see “{row}” in the table.")
# The daily chart's key, before any such note: each line's style, the limits a day (ULs and maximums) alike.
CHART_KEY = ("Dashed red: upper limits (UL) and maximums for supplements (MAX) a day. Dotted grey: Daily Value / NRV. "
             "Bars: red over one of those limits, orange near one, blue within them. A bar reaches its amount with "
             "overage, on which limits are judged; its lighter end is the overage.")
ROW_DAY_WITH_OVERAGE = "Per day with overage"
GROUP_EVIDENCE = "Evidence"
ROW_CLAIM = "Claim: {claim}"
ROW_DOSE_ALIGNMENT = "Dose against studied doses: {compound}"
ROW_CLAIM_DOSE_NOTES = "Doses and the claims' studies"
NO_CLAIM_DOSE_NOTES = "none"
# A design with a compound whose formula the library refuses (reports.formula_refused_notes) was compared on figures
# that leave out its nutrients, as if they were whole: its page says so, and the comparison said nothing.
ROW_FORMULAS_REFUSED = "Formulas the library refuses"
NO_FORMULAS_REFUSED = "none"


class Better(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    NEITHER = "neither"


@dataclass(frozen=True)
class Cell:
    value: Decimal | None  # what best/worst and "differs" are judged on
    text: str
    mark: str = ""  # "best", "worst" or ""
    status: str = ""  # ok / near / over, for badges
    # The figure best and worst are judged on, as shown, where the text says more than it: "4 needed (3 planned)" is
    # judged on its 4, so that two designs needing 4 capsules tie whatever each planned.
    figure: str = ""
    note: str = ""  # said after the text: the nutrients a limits status is for
    # Never marked best: a design not made for the market, or excluded there for the population compared, is not the
    # best choice for it whatever its figure.
    rankable: bool = True

    @property
    def judged(self) -> str:
        return self.figure or self.text

    @property
    def badge(self) -> str:
        """The status said beside the text: none where the text says it already ("19 mg over", not "19 mg over OVER")."""
        return "" if self.status == "over" and self.text.endswith(" over") else self.status


@dataclass(frozen=True)
class Row:
    group: str
    label: str
    cells: tuple[Cell, ...]
    better: Better = Better.NEITHER
    badges: bool = False  # each cell is a status, shown as a badge

    @property
    def differs(self) -> bool:
        return len({cell.text for cell in self.cells}) > 1

    @property
    def key(self) -> str:
        """The row's name in the page (data-row): its label, told apart by its group where another group has it too."""
        return f"{self.group}: {self.label}" if self.group == GROUP_COST else self.label


@dataclass(frozen=True)
class Design:
    """A product or stack as a column of the comparison."""

    slug: str
    name: str
    url: str
    report: ProductReport | StackReport
    designed_for: str = ""  # the population the design is made for; the report's is the one compared
    markets: tuple[str, ...] = ()  # the markets the design is saved for; () for all

    def made_for(self, market: str) -> bool:
        """Whether the design is made for the market: chosen, or whose law applies in one chosen (the EU's in Germany)."""
        return not self.markets or market in markets_in_force(list(self.markets))


def _not_made_for(d: Design, market: str, designs: Sequence[Design]) -> bool:
    """Whether the design is not made for the market while another design is: designs none of which is made for it are
    compared there as equals."""
    return not d.made_for(market) and any(other.made_for(market) for other in designs)


def _unranked_in(d: Design, market: str, designs: Sequence[Design]) -> str:
    """Why a design's figures for a market are not ranked: excluded there for the population, or not made for it where
    another design is; "" if they are."""
    if presenters.legal_exclusions(d.report.interactions, markets_in_force([market])):  # the EU's law in Germany
        return NOTE_EXCLUDED_IN.format(market=market)
    return NOTE_NOT_DESIGNED_FOR.format(market=market) if _not_made_for(d, market, designs) else ""


def _in_market(d: Design, market: str, designs: Sequence[Design], cell: Cell) -> Cell:
    """A cell of a market's row, said and left unranked where the design is excluded there or not made for it."""
    why = _unranked_in(d, market, designs)
    if not why or cell.value is None:
        return cell
    return replace(cell, rankable=False, note=f"{cell.note} ({why})".strip())


def population_note(designs: Sequence[Design], population: str, chosen: bool) -> str:
    """What the page says when a design is made for another population than the one compared (chosen, or by default)."""
    others = [d for d in designs if d.designed_for and d.designed_for != population]
    if not others:
        return ""
    text = POPULATION_OTHER if chosen else POPULATIONS_DIFFER
    return text.format(population=presenters.population_in_words(population),
                       designs=labels.listed([f"{d.name} ({presenters.population_in_words(d.designed_for)})" for d in others]))


NOTE_NOT_DESIGNED_FOR = "not designed for {market}"
NOTE_STATUS_ELSEWHERE = "{status} in {markets} (not designed for {markets})"
NOTE_EXCLUDED_IN = "excluded in {market} for this population"


def _marked(cells: list[Cell], better: Better) -> tuple[Cell, ...]:
    """Mark the best and worst values when the row has a direction: every design tied for best gets the best mark,
    every design tied for worst the worst, and a row where all are equal gets none, whatever the order of the columns.

    Cells are judged as people read them: two cells that both show "41%" are equally good, even if the
    unrounded values differ, so ties follow the displayed figure. A value over its limit is never marked best; a cell
    not rankable takes no part.
    """
    known = [c for c in cells if c.value is not None and c.rankable]
    if better is Better.NEITHER or not known:
        return tuple(cells)
    ordered = sorted(known, key=lambda c: c.value if better is Better.LOWER else -c.value)  # type: ignore[operator]
    best, worst = ordered[0].judged, ordered[-1].judged
    if best == worst:
        return tuple(cells)

    def mark(c: Cell) -> str:
        if c.value is None or not c.rankable:
            return ""
        if c.judged == best and c.status != "over":
            return "best"
        return "worst" if c.judged == worst else ""

    return tuple(replace(c, mark=mark(c)) for c in cells)


def _row(group: str, label: str, designs: Sequence[Design], cell: Callable[[Design], Cell],
         better: Better = Better.NEITHER, badges: bool = False) -> Row:
    return Row(group, label, _marked([cell(d) for d in designs], better), better, badges)


def _day_mg(report: ProductReport | StackReport) -> Decimal:
    return report.result.per_day_label_mg.get(MAGNESIUM, engine.ZERO)


def _judged_day_mg(report: ProductReport | StackReport) -> Decimal:
    """The magnesium a day that limits are judged on: with overage."""
    return report.result.per_day_formula_mg.get(MAGNESIUM, engine.ZERO)


def _assessment(report: ProductReport | StackReport, market: str, kind: engine.Kind,
                per: engine.Per = engine.Per.DAY, nutrient: str = MAGNESIUM) -> engine.Assessment | None:
    return next(
        (a for a in report.result.assessments
         if a.reference.market == market and a.reference.kind == kind and a.reference.nutrient == nutrient
         and a.reference.per == per),
        None,
    )


def _other_nutrients(designs: Sequence[Design]) -> list[tuple[str, str]]:
    """Each nutrient but magnesium that any of the designs delivers, with its name, in the order labels list them."""
    nutrients = {t.nutrient.slug: t.nutrient for d in designs for t in d.report.totals if t.nutrient.slug != MAGNESIUM}
    return [(n.slug, n.name) for n in sorted(nutrients.values(), key=lambda n: (n.label_order, n.slug))]


def _day_cell(report: ProductReport | StackReport, nutrient: str) -> Cell:
    """A nutrient's amount a day, as the design's own totals write it; "—" for a design without it."""
    total = next((t for t in report.totals if t.nutrient.slug == nutrient), None)
    return Cell(None, "—") if total is None else Cell(total.day, total.day_text)


def _limited_nutrients(designs: Sequence[Design]) -> list[tuple[str, str]]:
    """Magnesium, then each other nutrient of the designs that a market limits (or is found without a limit for),
    with its name: a design over the limit for vitamin B6 must show why, not only a status."""
    names: dict[str, str] = {}
    for d in designs:
        present = {t.nutrient.slug: t.nutrient.name for t in d.report.totals}
        limited = {row.reference.nutrient for row in d.report.safety}
        limited.update(n for row in d.report.markets_without_limits for n in row.nutrients)
        for slug, name in present.items():
            if slug in limited:
                names.setdefault(slug, name)
    return sorted(names.items(), key=lambda item: item[0] != MAGNESIUM)


def _reason(report: ProductReport | StackReport, assessment: engine.Assessment) -> str:
    """How the assessment stands, in the words of the design's own safety table."""
    return next((row.reason for row in report.safety if row.reference == assessment.reference), "")


def _without_limit(report: ProductReport | StackReport, market: str, nutrient: str) -> bool:
    """Whether the library holds no limit of the nutrient in the market for the design's population, as its page finds it."""
    return any(row.market == market and nutrient in row.nutrients for row in report.markets_without_limits)


def _has(report: ProductReport | StackReport, nutrient: str) -> bool:
    return any(t.nutrient.slug == nutrient for t in report.totals)


def form_shares(report: ProductReport) -> list[tuple[str, Decimal]]:
    """Each compound's share of the magnesium per serving."""
    total = report.result.per_serving_label_mg.get(MAGNESIUM, engine.ZERO)
    shares: dict[str, Decimal] = {}
    for line, calc in report.line_rows():
        amount = calc.nutrients.get(MAGNESIUM)
        if amount and total:
            shares[line.compound.name] = shares.get(line.compound.name, engine.ZERO) + amount.label_mg / total
    return sorted(shares.items(), key=lambda item: -item[1])


def stack_form_shares(report: StackReport) -> list[tuple[str, Decimal]]:
    """Each product's share of the stack's daily magnesium."""
    return [(s.product_name, s.fraction) for s in report.result.shares.get(MAGNESIUM, ()) if s.fraction is not None]


def _shares_with_percent(d: Design, products: bool) -> list[tuple[str, Decimal, str]]:
    """A design's shares of magnesium (by form, or by product for a stack), each with its whole percentage."""
    shares = form_shares(d.report) if products else stack_form_shares(d.report)  # type: ignore[arg-type]
    percents = labels.shares_percent([share for _, share in shares])
    return [(name, share, percent) for (name, share), percent in zip(shares, percents, strict=True)]


def comparison_rows(designs: Sequence[Design], markets: Sequence[str], products: bool, population: str = "adult") -> list[Row]:
    """Build every row of the comparison table, headed by what it compares: the population, the markets and the
    population each design is made for (the CSV has no page around it to say so)."""
    compared = presenters.POPULATION_NAMES[population]
    rows: list[Row] = [
        _row(GROUP_COMPARED, ROW_POPULATION, designs, lambda d: Cell(None, compared)),
        _row(GROUP_COMPARED, ROW_MARKETS, designs, lambda d: Cell(None, ", ".join(markets) or "none")),
    ]
    if all(d.designed_for for d in designs):
        rows.append(_row(GROUP_COMPARED, ROW_DESIGNED_FOR, designs,
                         lambda d: Cell(None, presenters.POPULATION_NAMES[d.designed_for])))
    if any(_not_made_for(d, market, designs) for market in markets for d in designs):
        rows.append(_row(GROUP_COMPARED, ROW_DESIGNED_MARKETS, designs, lambda d: Cell(None, ", ".join(d.markets) or "all")))
    # Before the figures it changes, each design's notes as its page says them.
    if any(d.report.formulas_refused for d in designs):
        rows.append(_row(GROUP_COMPARED, ROW_FORMULAS_REFUSED, designs,
                         lambda d: Cell(None, " ".join(d.report.formulas_refused) or NO_FORMULAS_REFUSED)))
    if products:
        rows.append(_row("Magnesium", "Per serving", designs,
                         lambda d: Cell(d.report.magnesium_serving, d.report.magnesium_serving_text)))  # type: ignore[union-attr]
    # As each design's own headline writes them: never reading as a limit they are not equal to (a stack's 349.5 mg a
    # day read "350 mg" beside the US limit of 350 mg).
    rows.append(_row("Magnesium", "Per day", designs, lambda d: Cell(_day_mg(d.report), d.report.magnesium_day_text)))
    if any(_judged_day_mg(d.report) != _day_mg(d.report) for d in designs):  # what the limits and the chart go by
        rows.append(_row("Magnesium", ROW_DAY_WITH_OVERAGE, designs, lambda d: Cell(
            _judged_day_mg(d.report), headline_mg(_judged_day_mg(d.report), d.report.result.assessments))))

    def shares_cell(d: Design) -> Cell:
        text = "; ".join(f"{name} {percent}" for name, _, percent in _shares_with_percent(d, products)) or "none"
        return Cell(None, text)

    rows.append(_row("Magnesium", "Forms (share of magnesium)" if products else "Products (share of magnesium)",
                     designs, shares_cell))
    others = _other_nutrients(designs)
    for nutrient, name in others:
        rows.append(_row(GROUP_OTHER_NUTRIENTS, ROW_NUTRIENT_DAY.format(nutrient=name), designs,
                         lambda d, nutrient=nutrient: _day_cell(d.report, nutrient)))
    # Daily references first, then limits, so each group is one block: magnesium's, then the others' by nutrient.
    for group, nutrients in ((GROUP_DAILY_REFERENCE, [(MAGNESIUM, "")]), (GROUP_DAILY_REFERENCE_OTHER, others)):
        for nutrient, name in nutrients:
            for market in markets:
                where = f"{market} {labels.lower_first(name)}" if name else market
                for kind in (engine.Kind.DV, engine.Kind.NRV):
                    if any(_assessment(d.report, market, kind, nutrient=nutrient) for d in designs):
                        def label_cell(d: Design, market: str = market, kind: engine.Kind = kind, nutrient: str = nutrient) -> Cell:
                            a = _assessment(d.report, market, kind, nutrient=nutrient)
                            return _in_market(d, market, designs, Cell(
                                a.percent if a else None, presenters.intake_percent(a.reference, a.percent) if a else "—"))
                        rows.append(_row(group, f"{where} %{kind.value} a day", designs, label_cell))
    limited = _limited_nutrients(designs)
    nutrients = {t.nutrient.slug: t.nutrient for d in designs for t in d.report.totals}
    for market in markets:
        for nutrient, name in limited:
            # Magnesium's rows are named by the market alone ("EU % of limit"), another nutrient's by it too.
            where = market if nutrient == MAGNESIUM else f"{market} {labels.lower_first(name)}"
            for per in (engine.Per.DAY, engine.Per.DOSE):  # a rule on a single dose after the day's
                for kind in (engine.Kind.UL, engine.Kind.MAX):
                    if any(_assessment(d.report, market, kind, per, nutrient) for d in designs):
                        rows.extend(_limit_rows(designs, market, kind, per, nutrient, where))
            having = [d for d in designs if _has(d.report, nutrient)]
            # Said where any design's page says it, for each design with the nutrient (the designs are compared for one
            # population, so none of them has a limit there).
            if any(_without_limit(d.report, market, nutrient) for d in having):
                # Each in its page's words: Germany's, where the EU's limit applies and is checked, is no "no limit".
                rows.append(_row("Safety", ROW_NO_LIMIT.format(market=where), designs,
                                 lambda d, market=market, nutrient=nutrient: Cell(None, presenters.no_limit_said(
                                     market, [nutrient], nutrients, presenters.limited_by_market(d.report.result.assessments))
                                     if _has(d.report, nutrient) else "—")))
    # Once, as each design's page says them: Boost's L-theanine had a row in each market, and none beside MoodFlow.
    if any(d.report.nutrients_without_limits for d in designs):
        rows.append(_row("Safety", ROW_NO_LIMIT_ANYWHERE, designs, lambda d: Cell(
            None, d.report.nutrients_without_limits.reason if d.report.nutrients_without_limits else "—")))
    def limits_cell(d: Design) -> Cell:
        # Judged in the markets the design is made for, as its own page judges it: Recover and Luna read "over" beside
        # a product sold in Germany, for Germany's 125 mg a dose, where their pages say ok. The others' worst is said.
        foreign = [market for market in markets if _not_made_for(d, market, designs)]
        if not foreign:
            return Cell(None, d.report.status_text, status=d.report.status,
                        note=f"for {d.report.status_nutrients}" if d.report.status_nutrients else "")
        assessments = d.report.result.assessments
        own = [a for a in assessments if a.reference.market not in foreign]
        status = presenters.worst_status(own)
        slugs = presenters.status_nutrient_slugs(own, status, [t.nutrient.slug for t in d.report.totals])
        notes = [f"for {presenters.nutrients_in_words(slugs, nutrients)}"] if slugs else []
        elsewhere = [a for a in assessments if a.reference.market in foreign]
        worst = presenters.worst_status(elsewhere)
        if worst in (engine.Status.OVER, engine.Status.NEAR):
            where = labels.listed([m for m in foreign if any(a.reference.market == m and a.governs and a.status == worst
                                                             for a in elsewhere)])
            notes.append(NOTE_STATUS_ELSEWHERE.format(status=worst, markets=where))
        return Cell(None, presenters.status_words(status), status=status, note="; ".join(notes))

    rows.append(_row("Safety", ROW_LIMITS, designs, limits_cell, badges=True))

    def excluded_cell(d: Design) -> Cell:
        # As approval reads them (services.product_approval_blockers), for the compared markets and population; a
        # stack's report has its products' interactions when built with the evidence, as the comparison builds it.
        excluded = [f"{row.compound_name or row.agent} in {', '.join(where)}"
                    for row, where in presenters.legal_exclusions(d.report.interactions, markets)]
        # Its own status: an exclusion is no limit gone over ("… in EU OVER"). Fewer is better, so "none" is marked.
        return Cell(Decimal(len(excluded)), "; ".join(excluded), status="excluded") if excluded else Cell(Decimal(0), "none")

    rows.append(_row("Safety", ROW_EXCLUDED, designs, excluded_cell, Better.LOWER))
    if products:
        def capsules_cell(d: Design) -> Cell:
            fill = d.report.fill  # type: ignore[union-attr]
            if fill is None:
                return Cell(None, "not a capsule")
            if fill.capsules_needed is None:
                return Cell(None, "density unknown")
            needed = labels.plain_number(fill.capsules_needed)
            return Cell(Decimal(fill.capsules_needed), f"{needed} needed ({labels.plain_number(fill.capsules_per_serving)} planned)",
                        status=fill.status.value, figure=needed)

        # Not ranked: fewer capsules for less of a dose is no better, and "1 needed (2 planned)", underfilled, was best.
        rows.append(_row("Manufacturing", "Capsules a serving", designs, capsules_cell))
        rows.append(_row(GROUP_COST, "Per serving", designs,
                         lambda d: Cell(d.report.cost.per_serving, labels.money(d.report.cost.per_serving)), Better.LOWER))  # type: ignore[union-attr]
    # A design taken twice a day costs twice its serving: the day is what designs compare by, and all a stack has.
    rows.append(_row(GROUP_COST, "Per day", designs,
                     lambda d: Cell(d.report.cost.per_day, labels.money(d.report.cost.per_day)), Better.LOWER))
    rows.append(_row(GROUP_COST, "Per 100 mg magnesium declared", designs,
                     lambda d: Cell(d.report.cost.per_100_mg, labels.money(d.report.cost.per_100_mg)), Better.LOWER))
    if products:
        claims = list(dict.fromkeys(c.claim for d in designs for c in d.report.claims))  # type: ignore[union-attr]
        for claim in claims:
            def claim_cell(d: Design, claim: str = claim) -> Cell:
                view = next((c for c in d.report.claims if c.claim == claim), None)  # type: ignore[union-attr]
                if view is None:
                    return Cell(None, "not claimed")
                # Grades order A < E, so "lower" is better; the value is the grade's position. A curator's grade says so,
                # as the product page does: shown as computed, it read as what the studies give.
                overridden = next((g for g in view.grades if g.grade == view.best and g.override), None)
                return Cell(Decimal("ABCDE".index(view.best)), f"grade {view.best}",
                            note=f"({overridden.override_note})" if overridden else "")
            rows.append(_row(GROUP_EVIDENCE, ROW_CLAIM.format(claim=claim), designs, claim_cell, Better.LOWER))
        rows.extend(_dose_rows(designs))  # type: ignore[arg-type]
    return rows


def _magnesium_alignments(report: ProductReport) -> dict[str, tuple[str, grading.LineAlignment | None]]:
    """Each compound of the design that gives magnesium, by slug, with its name and its day against the studied doses,
    as the product page's dose table has them (evidence_rows)."""
    magnesium = {line.compound.slug for line, calc in report.line_rows() if MAGNESIUM in calc.nutrients}
    return {line.compound.slug: (line.compound.name, alignment) for line, alignment in report.evidence_rows()
            if line.compound.slug in magnesium}


def _dose_rows(designs: Sequence[Design]) -> list[Row]:
    """Each magnesium compound's dose against the studied doses, and where the claims' own studies say otherwise, in
    the product page's words. Not ranked: within the studies' doses is no better than above them for every design."""
    alignments = {d.slug: _magnesium_alignments(d.report) for d in designs}  # type: ignore[arg-type]
    names = {slug: name for found in alignments.values() for slug, (name, _) in found.items()}
    rows = []
    for slug, name in names.items():
        def dose_cell(d: Design, slug: str = slug) -> Cell:
            if slug not in alignments[d.slug]:
                return Cell(None, "—")
            _, alignment = alignments[d.slug][slug]
            note = d.report.same_salt_notes.get(slug, "") if alignment is None else ""  # type: ignore[union-attr]
            return Cell(None, presenters.dose_alignment_text(alignment), note=note)
        rows.append(_row(GROUP_EVIDENCE, ROW_DOSE_ALIGNMENT.format(compound=name), designs, dose_cell))
    rows.append(_row(GROUP_EVIDENCE, ROW_CLAIM_DOSE_NOTES, designs, lambda d: Cell(
        None, " ".join(d.report.claim_dose_notes) or NO_CLAIM_DOSE_NOTES)))  # type: ignore[union-attr]
    return rows


def _limit_rows(designs: Sequence[Design], market: str, kind: engine.Kind, per: engine.Per, nutrient: str = MAGNESIUM,
                where: str = "") -> list[Row]:
    """The rows of one limit of a nutrient in a market: the share of it and the margin to it, and for a limit on a
    single dose, each design's largest single dose against it first, in the words of its safety table. `where` names
    the rows ("EU", "EU vitamin B6"); the market by default."""
    where = where or market

    def pct_cell(d: Design) -> Cell:
        a = _assessment(d.report, market, kind, per, nutrient)
        if a is None:
            return Cell(None, "—")
        if a.reference.food_only:  # no percentage of nothing, but over all the same
            return Cell(None, presenters.NO_AMOUNT_FOOD_ONLY, status=a.status.value)
        if a.percent is None:
            return Cell(None, "no limit set")
        # As the safety table has it: 100.4% is "100.4%" beside "over", not "100%".
        return Cell(a.percent, labels.limit_percent(a.percent), status=a.status.value)

    def margin_cell(d: Design) -> Cell:
        a = _assessment(d.report, market, kind, per, nutrient)
        if a is None or a.margin_mg is None:
            return Cell(None, "—")
        return Cell(a.margin_mg, labels.limit_margin(a.amount_mg, a.reference.amount_mg, a.margin_mg, a.reference.unit,
                                                     a.reference.amount_step),
                    status=a.status.value)

    def dose_cell(d: Design) -> Cell:
        a = _assessment(d.report, market, kind, per, nutrient)
        if a is None:
            return Cell(None, "—")
        return _in_market(d, market, designs, Cell(
            a.amount_mg, _reason(d.report, a) or labels.amount(a.amount_mg, a.reference.unit, a.reference.amount_step),
            status=a.status.value))

    name = "limit" if kind is engine.Kind.UL else "supplement maximum"
    after = " a dose" if per is engine.Per.DOSE else ""
    rows = []
    if per is engine.Per.DOSE:
        rows.append(_row("Safety", ROW_LARGEST_DOSE.format(market=where), designs, dose_cell))
    rows.append(_row("Safety", f"{where} % of {name}{after}", designs,
                     lambda d: _in_market(d, market, designs, pct_cell(d)), Better.LOWER))
    rows.append(_row("Safety", f"{where} margin to {name}{after}", designs,
                     lambda d: _in_market(d, market, designs, margin_cell(d)), Better.HIGHER))
    return rows


INK = "#1d2433"
# The daily chart's bar colour by status, and the colour of a value label drawn on the bar: dark on orange, for contrast.
BAR_FILL = {"over": ("#b42318", "#fff"), "near": ("#d9822b", INK)}
BAR_FILL_OK = ("#2356a8", "#fff")
VALUE_FONT = 11  # the value labels' font size, in the chart's units
# A glyph's width as a share of the font size, wider than the digits, space, comma and "mg" of common sans fonts
# (DejaVu Sans averages 0.64 over "240 mg"), so a label's estimated box holds the text as drawn.
GLYPH_WIDTH = Decimal("0.7")
LABEL_GAP = 6  # between a bar's end and its value label
LINE_CLEARANCE = 4  # kept free on each side of a limit line
LIMIT_FONT = 10  # the limit labels' font size
TEXT_BASELINE = 15  # a bar's name and value: their baseline below the bar's top, centred on its 22 units
NAME_GAP = 8  # between a design's name and its bar
# Limit labels stand in rows above the bars, this far apart (baseline to baseline): more than a label's height (DejaVu
# Sans: 1.17 times the font size from the top of a capital to the bottom of a descender), so rows never overlap. These
# three are for labels of LIMIT_FONT and grow in proportion with a larger font (the stack's chart draws 13).
LIMIT_ROW = 13
LIMIT_FIRST_BASELINE = 12
LIMIT_CAP = 8  # a limit line reaches this far above its label's baseline: up to the top of its capitals
LIMIT_TAG_GAP = 3  # between a limit line and its label beside it
LIMIT_LABEL_GAP = 4  # kept free between two labels in the same row
LIMITS_TO_BARS = 12  # from the baseline of the last row of limit labels down to the first bar


def _value_label(text: str, end: Decimal, left: int, lines_x: Sequence[Decimal]) -> dict[str, object]:
    """Place a bar's value label where no limit line crosses it: past the bar's end, else inside it, else past the lines.

    A limit line close to the value (MoodFlow's 240 mg against the EU's 250 mg) would run through a label drawn past
    the bar's end; inside the bar's end it stays beside its own bar without reading as over the limit.
    """
    width = len(text) * GLYPH_WIDTH * VALUE_FONT

    def crossing(start: Decimal) -> list[Decimal]:
        return [x for x in lines_x if start - LINE_CLEARANCE < x < start + width + LINE_CLEARANCE]

    start = end + LABEL_GAP
    inside = end - LABEL_GAP - width
    if crossing(start) and inside >= left + LABEL_GAP and not crossing(inside):
        return {"label_x": round(end - LABEL_GAP, 1), "label_anchor": "end", "label_inside": True,
                "label_span": (round(inside, 1), round(end - LABEL_GAP, 1))}
    while in_the_way := crossing(start):  # a bar too short to hold its label: move it past the lines in its way
        start = max(in_the_way) + LINE_CLEARANCE
    return {"label_x": round(start, 1), "label_anchor": "start", "label_inside": False,
            "label_span": (round(start, 1), round(start + width, 1))}


def limit_labels(limits: Sequence[tuple[Decimal, str]], width: int, font: int = LIMIT_FONT) -> list[dict[str, object]]:
    """Place each limit's label, given its line's x: beside the top of its line, in the highest row where it overlaps
    no other label and no other limit's line runs through it, and always inside 0..width.

    A line runs from the top of its own label down through the bars, so the labels of close limits (the US's 350 mg
    and the EU's NRV of 375 mg; a UL of 65 mg and a DV of 80 mg for children) stand one below the other, each against
    its own line, instead of printing over each other. Rightmost first, each label left of its line where it fits: the
    labels step down to the left. A total far above the limits crowds their lines against the left edge, where no label
    fits on the left: then leftmost first, each right of its line, stepping down to the right. Either order places
    every label beside its line when every label fits on that side; only when neither does may a label stand over its
    own line in a row of its own.

    Returns, in the order given, each label's text position (label_x, label_anchor, label_y), its estimated extent
    (label_span, left and right x) and the top of its line (top).
    """
    xs = [Decimal(x) for x, _ in limits]
    widths = [len(text) * GLYPH_WIDTH * font for _, text in limits]
    leftmost_first = sorted(range(len(limits)), key=lambda i: xs[i])
    rightmost_first = sorted(range(len(limits)), key=lambda i: -xs[i])
    rows = (_label_rows(xs, widths, width, rightmost_first, ("left", "right"))
            or _label_rows(xs, widths, width, leftmost_first, ("right", "left"))
            or _label_rows(xs, widths, width, rightmost_first, ("left", "right"), crowded=True))
    em = Decimal(font) / LIMIT_FONT
    result = []
    for x, w, (row, left, anchor, text_x) in zip(xs, widths, rows, strict=True):  # type: ignore[arg-type]
        baseline = (LIMIT_FIRST_BASELINE + row * LIMIT_ROW) * em
        over_its_line = left <= x <= left + w  # only when crowded: the line then starts under its label
        result.append({"label_x": round(text_x, 1), "label_anchor": anchor, "label_y": baseline,
                       "label_span": (round(left, 1), round(left + w, 1)),
                       "top": baseline + LIMIT_TAG_GAP if over_its_line else baseline - LIMIT_CAP * em})
    return result


def _label_rows(xs: Sequence[Decimal], widths: Sequence[Decimal], width: int, order: Sequence[int],
                sides: tuple[str, str], crowded: bool = False) -> list[tuple[int, Decimal, str, Decimal]] | None:
    """Each label's row, left x, anchor and text x, placed in the order given on the first of its sides that fits;
    None if a label fits beside its line in no row, unless crowded: then it takes a row below every label, inside
    0..width."""
    placed: list[tuple[int, Decimal, Decimal, Decimal]] = []  # row, left, right and line x of each label placed

    def fits(row: int, left: Decimal, right: Decimal, x: Decimal) -> bool:
        if left < 0 or right > width:
            return False
        for other_row, other_left, other_right, other_x in placed:
            if other_row == row and other_left < right + LIMIT_LABEL_GAP and left < other_right + LIMIT_LABEL_GAP:
                return False  # over a label of the same row
            if other_row >= row and other_left - LINE_CLEARANCE < x < other_right + LINE_CLEARANCE:
                return False  # its line would run up through a label below its own
            if other_row <= row and left - LINE_CLEARANCE < other_x < right + LINE_CLEARANCE:
                return False  # in the way of a line that runs up to a label above
        return True

    # Lines closer than this to a label's own line read as one with it: the label keeps its clearance from them all by
    # standing at most this much further out, where beside its own line it would touch theirs.
    same_line = LINE_CLEARANCE - LIMIT_TAG_GAP
    rows: dict[int, tuple[int, Decimal, str, Decimal]] = {}
    for index in order:
        x, w = xs[index], widths[index]
        others = [o for i, o in enumerate(xs) if i != index]
        end = min([x - LIMIT_TAG_GAP, *(o - LINE_CLEARANCE for o in others if x <= o < x + same_line)])
        start = max([x + LIMIT_TAG_GAP, *(o + LINE_CLEARANCE for o in others if x - same_line < o <= x)])
        beside = {"left": (end - w, "end", end), "right": (start, "start", start)}
        choice = next(((row, left, anchor, text_x) for row in range(len(xs) + 1)
                       for left, anchor, text_x in (beside[side] for side in sides)
                       if fits(row, left, left + w, x)), None)
        if choice is None:
            if not crowded:
                return None
            left = min(max(x - LIMIT_TAG_GAP - w, Decimal(0)), width - w)
            choice = (max((p[0] for p in placed), default=-1) + 1, left, "start", left)
        row, left, _, _ = choice
        placed.append((row, left, left + w, x))
        rows[index] = choice
    return [rows[index] for index in range(len(xs))]


def chart_daily(designs: Sequence[Design], width: int = 640) -> dict[str, object]:
    """Geometry for horizontal bars of daily magnesium per design, with each market's limits a day (UL and maximum for
    supplements, the table rates designs against both) and daily references (DV, NRV) as lines.

    Markets with the same amount and style share one line and one label ("US, CA, AU-NZ UL 350 mg", "EU UL, DE MAX
    250 mg"), as on the stack's chart; the labels of close lines stand in rows (limit_labels). Each bar's value label has its estimated extent,
    label_span (left and right x), which no limit line crosses. A limit on a single dose is not a line on a chart of
    daily amounts: a note under the chart says where the table shows it.
    """
    limits: dict[tuple[str, str], Decimal] = {}
    per_dose: dict[tuple[str, engine.Kind], Decimal] = {}
    for d in designs:
        for a in d.report.result.assessments:
            ref = a.reference
            # A limit of food and formula only (the IOM's for infants) is drawn at nothing, as on a stack's chart.
            if ref.nutrient != MAGNESIUM or not (ref.amount_mg or (ref.food_only and a.is_limit)):
                continue
            if ref.per == engine.Per.DAY and (a.is_limit or ref.kind in (engine.Kind.DV, engine.Kind.NRV)):
                limits[(ref.market, ref.kind.value)] = ref.amount_mg or engine.ZERO
            elif ref.per == engine.Per.DOSE and a.is_limit:
                per_dose[(ref.market, ref.kind)] = ref.amount_mg or engine.ZERO
    scale = max([*(_judged_day_mg(d.report) for d in designs), *limits.values(), Decimal(1)]) * Decimal("1.1")
    left, usable, bar_h, gap = 150, Decimal(width - 190), 22, 10
    # One line for the same amount and style (limits dashed, daily references dotted), named by each market.
    grouped: dict[tuple[bool, Decimal], list[tuple[str, str]]] = {}
    for (market, kind), amount in limits.items():
        grouped.setdefault((kind in engine.LIMIT_KINDS, amount), []).append((market, kind))
    lines = []
    for (is_limit, amount), group in sorted(grouped.items(), key=lambda item: (item[0][1], not item[0][0])):
        names = presenters.chart_line_name(group)
        lines.append({"x": round(left + amount / scale * usable, 1), "label": presenters.chart_line_text(names, amount),
                      "limit": is_limit})
    for line, place in zip(lines, limit_labels([(line["x"], line["label"]) for line in lines], width), strict=True):
        line.update(place)
    # The bars start below the last row of limit labels.
    top = max([line["label_y"] for line in lines], default=LIMIT_FIRST_BASELINE) + LIMITS_TO_BARS
    bars = []
    for index, d in enumerate(designs):
        # The bar reaches the amount the limits are judged on, with overage (a lighter end), so that a bar over a limit
        # never stops short of its line: 240 mg declared with 10% overage is 264 mg against the EU's 250 mg.
        mg, judged = _day_mg(d.report), _judged_day_mg(d.report)
        end = left + judged / scale * usable
        text = labels.amount(judged)
        place = _value_label(text, end, left, [line["x"] for line in lines])
        # Coloured by the limits the chart draws, magnesium's a day: not by the design's status, which another
        # nutrient or a limit a dose may set (a 144 mg bar red beside a 240 mg orange one).
        status = presenters.worst_status(a for a in d.report.result.assessments if a.is_limit
                                         and a.reference.nutrient == MAGNESIUM and a.reference.per == engine.Per.DAY)
        fill, on_fill = BAR_FILL.get(status, BAR_FILL_OK)
        y = top + index * (bar_h + gap)
        width_declared = round(mg / scale * usable, 1)
        bars.append({"name": d.name, "y": y, "text_y": y + TEXT_BASELINE, "width": width_declared,
                     "overage_x": left + width_declared, "overage_width": round(end - left - width_declared, 1),
                     "amount_text": labels.amount(mg), "overage_text": labels.amount(judged - mg), "label": text,
                     "status": status, "fill": fill,
                     "label_fill": on_fill if place["label_inside"] else INK, **place})
    height = top + len(designs) * (bar_h + gap) + 10
    notes = [CHART_NOTE_PER_DOSE.format(market=market, limit=labels.KIND_WORDS[kind], amount=labels.amount(amount),
                                        row=ROW_LARGEST_DOSE.format(market=market))
             for (market, kind), amount in per_dose.items()]
    return {"width": width, "height": height, "left": left, "name_x": left - NAME_GAP, "bar_height": bar_h, "value_font": VALUE_FONT,
            "limit_font": LIMIT_FONT, "bars": bars, "lines": lines, "key": CHART_KEY, "notes": notes}


def chart_composition(designs: Sequence[Design], products: bool, width: int = 640) -> dict[str, object]:
    """Geometry for 100% stacked bars of each design's magnesium by form (or by product for stacks)."""
    colours: dict[str, str] = {}
    left, usable, bar_h, gap, top = 150, Decimal(width - 190), 22, 10, 8
    bars = []
    for index, d in enumerate(designs):
        x = Decimal(left)
        segments = []
        for name, share, percent in _shares_with_percent(d, products):
            colour = colours.setdefault(name, BAR_COLOURS[len(colours) % len(BAR_COLOURS)])
            w = share * usable
            segments.append({"x": round(x, 1), "width": round(w, 1), "colour": colour, "name": name,
                             "share": percent})
            x += w
        y = top + index * (bar_h + gap)
        bars.append({"name": d.name, "y": y, "text_y": y + TEXT_BASELINE, "segments": segments})
    return {"width": width, "height": top + len(designs) * (bar_h + gap) + 4, "left": left, "name_x": left - NAME_GAP,
            "bar_height": bar_h,
            "bars": bars, "legend": list(colours.items())}
