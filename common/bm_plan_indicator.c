/*  bm_plan_indicator: what a plan measures, from indicators.csv.

    Indicators are read in two passes: the first collects every code,
    whether it names measures and its parent, so that a parent may come on
    a later line; the second reads and checks each row against all of
    them. A ratio's formula may refer to indicators on later lines, so it
    is checked once every row is read.

    Each row has a kind (bm_plan_kind.c), and the kind decides what else
    the row may say: only a ratio has a formula, only an amount a pace
    curve; rates, shares and thresholds never add up across units.
*/

#include "bm_plan_private.h"
#include "bm_formula.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

static int
s_line_of (zhashx_t *hash, const char *key)
{
    return (int) (intptr_t) zhashx_lookup (hash, key);
}


//  --------------------------------------------------------------------------
//  Columns, codes, measures and parents

enum {
    IND_CODE, IND_MEASURE, IND_NAME, IND_PARENT, IND_CATEGORY, IND_SEQ,
    IND_UNIT_OF_MEASURE, IND_AGGREGATION, IND_DIRECTION, IND_DECOMPOSITION,
    IND_RESPONSIBLE, IND_SOURCE, IND_KIND, IND_FORMULA, IND_ON_TRACK, IND_AT_RISK,
    IND_PACE, IND_THROUGH, IND_DECIMALS, IND_FACTOR, IND_DECREASE, IND_NEGATIVE, IND_NOTE
};

static const bm_plan_column_t s_indicator_columns [] = {
    { "code", true, N_("write an ASCII code, like industrial-output") },
    { "measure", false, NULL },
    { "name", true, N_("write the indicator's name as the documents write it") },
    { "parent", false, NULL },
    { "category", false, NULL },
    { "seq", false, NULL },
    { "unit_of_measure", true, N_("write the unit the targets use, like 亿元, 个 or %") },
    { "aggregation", true, NULL },
    { "direction", true, NULL },
    { "decomposition", false, NULL },
    { "responsible", false, NULL },
    { "source", false, NULL },
    { "kind", true, NULL },
    { "formula", false, NULL },
    { "on_track_pct", false, NULL },
    { "at_risk_pct", false, NULL },
    { "pace", false, NULL },
    { "through_month", false, NULL },
    { "decimals", false, NULL },
    { "plausible_factor", false, NULL },
    { "may_decrease", false, NULL },
    { "negative", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

static const char *const s_aggregations [] = { "sum", "none", NULL };
static const char *const s_yes_no [] = { "no", "yes", NULL };
static const char *const s_directions [] = { "higher", "lower", NULL };

//  Every code, whether its rows name measures, and its parent
static void
s_collect_codes (bm_plan_table_t *table, const bm_csv_t *csv, zhashx_t *parents)
{
    bm_plan_parser_t *parser = table->parser;
    for (size_t index = 1; index < bm_csv_row_count (csv); index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
        const char *code = bm_plan_table_peek (table, row, IND_CODE);
        if (!*code)
            continue;
        bm_plan_code_t *info = (bm_plan_code_t *) zhashx_lookup (parser->codes, code);
        if (!info) {
            info = (bm_plan_code_t *) zmalloc (sizeof (bm_plan_code_t));
            info->first = SIZE_MAX;
            info->line = row->line;
            zhashx_insert (parser->codes, code, info);
        }
        info->rows++;
        if (*bm_plan_table_peek (table, row, IND_MEASURE))
            info->composite = true;
        const char *parent = bm_plan_table_peek (table, row, IND_PARENT);
        if (*parent && !zhashx_lookup (parents, code))
            zhashx_insert (parents, code, (void *) parent);
    }
}

//  The checks that tie a row to the other rows of its code
static void
s_check_code (bm_plan_table_t *table, zhashx_t *parents, zhashx_t *seen,
              const bm_plan_indicator_t *indicator, size_t index)
{
    bm_plan_parser_t *parser = table->parser;
    const char *code = indicator->code;
    bm_plan_code_t *info = (bm_plan_code_t *) zhashx_lookup (parser->codes, code);
    assert (info);
    if (info->first == SIZE_MAX)
        info->first = index;
    else {
        const char *first_name = parser->plan->indicators [info->first].name;
        if (*indicator->name && *first_name && !streq (indicator->name, first_name)
        &&  bm_plan_table_usable (table, IND_NAME))
            bm_plan_table_fail (table, IND_NAME,
                                _("name \"%s\" differs from \"%s\" on line %d: every "
                                "row of indicator \"%s\" has the same name"),
                                indicator->name, first_name, info->line, code);
    }
    if (info->composite && !*indicator->measure && bm_plan_table_usable (table, IND_MEASURE))
        bm_plan_table_fail (table, IND_MEASURE,
                            _("measure is empty, but other rows of indicator \"%s\" "
                            "name measures: name this row's measure too"), code);

    char *key = bm_plan_measure_key (code, indicator->measure);
    int line = s_line_of (seen, key);
    if (line)
        bm_plan_table_fail (table, *indicator->measure? IND_MEASURE: IND_CODE,
                            _("indicator \"%s\"%s%s%s is already on line %d: remove "
                            "one of the rows"), code,
                            *indicator->measure? " measure \"": "", indicator->measure,
                            *indicator->measure? "\"": "", line);
    else {
        zhashx_insert (seen, key, (void *) (intptr_t) table->row->line);
        zhashx_insert (parser->measures, key, (void *) (index + 1));
    }
    free (key);

    const char *parent = indicator->parent;
    if (!*parent || !bm_plan_table_usable (table, IND_PARENT))
        return;
    if (streq (parent, code))
        bm_plan_table_fail (table, IND_PARENT,
                            _("indicator \"%s\" cannot be its own parent: leave "
                            "parent empty or name the indicator it belongs to"), code);
    else
    if (!zhashx_lookup (parser->codes, parent))
        bm_plan_table_fail (table, IND_PARENT,
                            _("parent \"%s\" is not a code in indicators.csv: add it "
                            "or correct the code"), parent);
    else
    if (bm_plan_in_cycle (parents, code))
        bm_plan_table_fail (table, IND_PARENT,
                            _("indicator \"%s\" is its own ancestor through parent "
                            "\"%s\": break the loop"), code, parent);
}

//  --------------------------------------------------------------------------
//  What the kind decides

//  A threshold: a percentage above 0, at most 1000, one decimal at most;
//  in tenths, 0 if the field is empty (the default applies)
static int
s_read_threshold (bm_plan_table_t *table, int column)
{
    const char *text = bm_plan_table_text (table, column);
    bm_decimal_t value;
    if (!*text || !bm_plan_table_decimal (table, column, &value))
        return 0;
    int64_t step = BM_DECIMAL_SCALE / 10;
    if (value.micros <= 0 || value.micros > 1000 * BM_DECIMAL_SCALE
    ||  value.micros % step != 0) {
        bm_plan_table_fail (table, column,
                            _("%s: \"%s\" must be a percentage above 0 and at most 1000, "
                            "with at most one decimal (92.5)"),
                            table->columns [column].name, text);
        return 0;
    }
    return (int) (value.micros / step);
}

//  on_track_pct and at_risk_pct: at risk is below on track
static void
s_read_thresholds (bm_plan_table_t *table, bm_plan_indicator_t *indicator)
{
    bool on_track_given = *bm_plan_table_text (table, IND_ON_TRACK) != '\0';
    bool at_risk_given = *bm_plan_table_text (table, IND_AT_RISK) != '\0';
    indicator->on_track_tenths = s_read_threshold (table, IND_ON_TRACK);
    indicator->at_risk_tenths = s_read_threshold (table, IND_AT_RISK);
    if ((on_track_given && !indicator->on_track_tenths)
    ||  (at_risk_given && !indicator->at_risk_tenths)
    ||  (!on_track_given && !at_risk_given))
        return;                 //  reported, or both defaults

    int on_track = indicator->on_track_tenths? indicator->on_track_tenths: BM_ON_TRACK_TENTHS;
    int at_risk = indicator->at_risk_tenths? indicator->at_risk_tenths: BM_AT_RISK_TENTHS;
    if (at_risk < on_track)
        return;
    char on_track_text [BM_DECIMAL_STR_MAX];
    char at_risk_text [BM_DECIMAL_STR_MAX];
    bm_decimal_format ((bm_decimal_t) { on_track * (BM_DECIMAL_SCALE / 10) }, on_track_text);
    bm_decimal_format ((bm_decimal_t) { at_risk * (BM_DECIMAL_SCALE / 10) }, at_risk_text);
    if (at_risk_given)
        bm_plan_table_fail (table, IND_AT_RISK,
                            _("at_risk_pct %s is not below on_track_pct %s%s: a unit is at "
                            "risk in a band below on track, so give at_risk_pct below it"),
                            at_risk_text, on_track_text,
                            on_track_given? "": _(" (the default)"));
    else
        bm_plan_table_fail (table, IND_ON_TRACK,
                            _("on_track_pct %s is not above at_risk_pct %s (the default): "
                            "give at_risk_pct too, below on_track_pct, so that there is "
                            "an at-risk band (完成90%%以上: on_track_pct 90, at_risk_pct 80)"),
                            on_track_text, at_risk_text);
}

//  pace: 12 cumulative percentages, for an amount
static void
s_read_pace (bm_plan_table_t *table, bm_plan_indicator_t *indicator, int kind)
{
    const char *text = bm_plan_table_text (table, IND_PACE);
    if (!*text || !bm_plan_table_usable (table, IND_PACE))
        return;
    if (kind >= 0 && kind != BM_KIND_AMOUNT) {
        bm_plan_table_fail (table, IND_PACE,
                            _("pace is only for an amount, and this indicator is %s, "
                            "which is not prorated by month: clear pace"),
                            bm_plan_kind_phrase (kind));
        return;
    }
    const char *reason = NULL;
    if (bm_pace_parse (text, indicator->pace, &reason) == 0) {
        indicator->has_pace = true;
        return;
    }
    if (!reason)
        reason = _("not a pace curve");
    bm_plan_table_fail (table, IND_PACE, "%s%s",
                        strncmp (reason, "pace ", 5) == 0? "": _("pace: "), reason);
}

//  through_month, decimals, plausible_factor, may_decrease and negative, with their
//  defaults (decimals follows the targets once they are read)
static void
s_read_limits (bm_plan_table_t *table, bm_plan_indicator_t *indicator, int kind)
{
    indicator->through_month = 12;
    if (*bm_plan_table_text (table, IND_THROUGH))
        bm_plan_table_whole (table, IND_THROUGH, 1, 12, &indicator->through_month);
    if (*bm_plan_table_text (table, IND_DECIMALS))
        indicator->decimals_given =
            bm_plan_table_whole (table, IND_DECIMALS, 0, 6, &indicator->decimals);
    indicator->plausible_factor = (bm_decimal_t) { 10 * BM_DECIMAL_SCALE };
    const char *factor = bm_plan_table_text (table, IND_FACTOR);
    bm_decimal_t value;
    if (*factor && bm_plan_table_decimal (table, IND_FACTOR, &value)) {
        if (value.micros != 0 && value.micros < 2 * BM_DECIMAL_SCALE)
            bm_plan_table_fail (table, IND_FACTOR,
                                _("plausible_factor: \"%s\" must be 2 or more (a figure that "
                                "many times off its milestone or last value is held), or "
                                "0 to hold none"), factor);
        else
            indicator->plausible_factor = value;
    }
    //  A cumulative flow never falls; levels, rates and ceilings may
    indicator->may_decrease = kind != BM_KIND_AMOUNT
                           || indicator->direction == BM_LOWER_IS_BETTER;
    int decrease = bm_plan_table_choice (table, IND_DECREASE, s_yes_no, -1);
    if (decrease >= 0)
        indicator->may_decrease = decrease == 1;
    //  Figures are counts and amounts: below zero only where the plan says
    indicator->may_be_negative = bm_plan_table_choice (table, IND_NEGATIVE, s_yes_no, 0) == 1;
}

//  What the kind asks of the rest of the row
static void
s_check_kind (bm_plan_table_t *table, const bm_plan_indicator_t *indicator, int kind)
{
    if (kind < 0)
        return;
    const char *kind_name = bm_kind_name ((bm_kind_t) kind);
    if (kind == BM_KIND_AMOUNT && streq (indicator->unit_of_measure, "%")
    &&  bm_plan_table_usable (table, IND_UNIT_OF_MEASURE))
        bm_plan_table_fail (table, IND_UNIT_OF_MEASURE,
                            _("unit_of_measure \"%%\" does not fit kind amount: an amount "
                            "is counted (亿元, 个); a percentage is a level, a ratio or "
                            "a growth rate"));
    //  A level that counts (在库企业 200家, a stock) adds up across units; a
    //  rate does not
    bool counted_level = kind == BM_KIND_LEVEL && !strchr (indicator->unit_of_measure, '%')
                      && !strstr (indicator->unit_of_measure, "‰")
                      && !strchr (indicator->unit_of_measure, '/');
    if ((kind == BM_KIND_GROWTH || kind == BM_KIND_RATIO
         || (kind == BM_KIND_LEVEL && !counted_level))
    &&  indicator->additive && bm_plan_table_usable (table, IND_AGGREGATION))
        bm_plan_table_fail (table, IND_AGGREGATION,
                            _("aggregation \"sum\" does not fit kind %s: %s of the "
                            "district is not the sum of its units', write none%s"),
                            kind_name, bm_plan_kind_phrase (kind),
                            kind == BM_KIND_LEVEL? _(" (only a level that counts, a stock "
                            "like 在库企业数 in 家, adds up)"): "");
    if (kind == BM_KIND_RATIO && !*indicator->formula)
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula is empty: a ratio is computed from other indicators, "
                            "write how (sei-output / industrial-output * 100)"));
    else
    if (kind != BM_KIND_RATIO && *indicator->formula
    &&  bm_plan_table_usable (table, IND_FORMULA))
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula is only for a ratio, and this indicator is %s: "
                            "clear formula, or make the kind ratio"),
                            bm_plan_kind_phrase (kind));
}


//  --------------------------------------------------------------------------
//  A ratio's formula, once every row is read

//  Check one reference of a formula; false if it was reported
static bool
s_check_reference (bm_plan_table_t *table, const bm_plan_indicator_t *ratio,
                   const char *reference, const char *code, const char *measure)
{
    bm_plan_parser_t *parser = table->parser;
    bm_plan_code_t *info = (bm_plan_code_t *) zhashx_lookup (parser->codes, code);
    if (!info) {
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula: \"%s\" is not a code in indicators.csv: add it "
                            "or correct the code"), code);
        return false;
    }
    if (info->composite && !*measure) {
        char *measures = bm_plan_measure_list (parser->plan, code);
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula: indicator \"%s\" has several measures: name one "
                            "of %s"), code, measures);
        free (measures);
        return false;
    }
    char *key = bm_plan_measure_key (code, measure);
    size_t position = (size_t) zhashx_lookup (parser->measures, key);
    free (key);
    if (!position) {
        if (info->composite) {
            char *measures = bm_plan_measure_list (parser->plan, code);
            bm_plan_table_fail (table, IND_FORMULA,
                                _("formula: \"%s\" is not a measure of indicator \"%s\": "
                                "use one of %s"), measure, code, measures);
            free (measures);
        }
        else
            bm_plan_table_fail (table, IND_FORMULA,
                                _("formula: indicator \"%s\" has a single measure: "
                                "write %s without \":%s\""), code, code, measure);
        return false;
    }
    const bm_plan_indicator_t *indicator = &parser->plan->indicators [position - 1];
    if (indicator == ratio) {
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula refers to %s itself: a ratio is computed from "
                            "other indicators"), reference);
        return false;
    }
    int kind = bm_plan_indicator_kind (indicator);
    if (kind == BM_KIND_GROUP || kind == BM_KIND_RATIO) {
        bm_plan_table_fail (table, IND_FORMULA,
                            _("formula refers to %s, which is %s: %s"), reference,
                            bm_plan_kind_phrase (kind),
                            kind == BM_KIND_GROUP
                            ? _("a group has no figures, refer to the indicators under it")
                            : _("refer to the indicators it is computed from instead"));
        return false;
    }
    return true;
}

//  Parse a ratio's formula and check every indicator it refers to
static void
s_check_formula (bm_plan_table_t *table, const bm_plan_indicator_t *ratio)
{
    if (!bm_plan_table_usable (table, IND_FORMULA))
        return;
    char reason [200];
    bm_formula_t *formula = bm_formula_parse (ratio->formula, reason, sizeof (reason));
    if (!formula) {
        bm_plan_table_fail (table, IND_FORMULA, _("formula: %s"), reason);
        return;
    }
    size_t count = bm_formula_reference_count (formula);
    for (size_t index = 0; index < count; index++) {
        //  "code" or "code:measure"
        const char *reference = bm_formula_reference (formula, index);
        char *code = strdup (reference);
        char *colon = strchr (code, ':');
        const char *measure = "";
        if (colon) {
            *colon = '\0';
            measure = colon + 1;
        }
        bool valid = s_check_reference (table, ratio, reference, code, measure);
        free (code);
        if (!valid)
            break;
    }
    bm_formula_destroy (&formula);
}


//  --------------------------------------------------------------------------
//  Reading the file

void
bm_plan_read_indicators (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_INDICATORS, name,
                         s_indicator_columns, -1, csv);
    if (!table.header)
        return;
    parser->indicators_known = table.position [IND_CODE] >= 0;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->indicators = (bm_plan_indicator_t *) zmalloc (rows * sizeof (bm_plan_indicator_t));

    unsigned *reported = (unsigned *) zmalloc (rows * sizeof (unsigned));

    zhashx_t *parents = zhashx_new ();
    zhashx_t *seen = zhashx_new ();
    s_collect_codes (&table, csv, parents);
    for (size_t index = 1; index < rows; index++) {
        bm_plan_table_row (&table, bm_csv_row (csv, index));
        size_t position = plan->indicator_count++;
        bm_plan_indicator_t *indicator = &plan->indicators [position];
        bm_plan_table_code (&table, IND_CODE);
        indicator->code = bm_plan_table_string (&table, IND_CODE);
        indicator->measure = bm_plan_table_string (&table, IND_MEASURE);
        indicator->name = bm_plan_table_string (&table, IND_NAME);
        indicator->parent = bm_plan_table_string (&table, IND_PARENT);
        indicator->category = bm_plan_table_string (&table, IND_CATEGORY);
        indicator->seq = bm_plan_table_string (&table, IND_SEQ);
        indicator->unit_of_measure = bm_plan_table_string (&table, IND_UNIT_OF_MEASURE);
        indicator->additive =
            bm_plan_table_choice (&table, IND_AGGREGATION, s_aggregations, -1) == 0;
        indicator->direction =
            bm_plan_table_choice (&table, IND_DIRECTION, s_directions, -1) == 1
            ? BM_LOWER_IS_BETTER: BM_HIGHER_IS_BETTER;
        indicator->decomposition = bm_plan_table_string (&table, IND_DECOMPOSITION);
        indicator->responsible = bm_plan_table_string (&table, IND_RESPONSIBLE);
        indicator->source = bm_plan_table_string (&table, IND_SOURCE);
        int kind = bm_plan_read_kind (&table, IND_KIND);
        indicator->kind = strdup (bm_plan_table_text (&table, IND_KIND));
        indicator->formula = bm_plan_table_string (&table, IND_FORMULA);
        s_read_thresholds (&table, indicator);
        s_read_pace (&table, indicator, kind);
        s_read_limits (&table, indicator, kind);
        indicator->note = bm_plan_table_string (&table, IND_NOTE);
        s_check_kind (&table, indicator, kind);
        if (*indicator->code)
            s_check_code (&table, parents, seen, indicator, position);
        reported [index] = table.reported;
    }
    //  Formulas refer to any row: check them once all are read
    for (size_t index = 1; parser->indicators_known && index < rows; index++) {
        const bm_plan_indicator_t *indicator = &plan->indicators [index - 1];
        if (bm_plan_indicator_kind (indicator) != BM_KIND_RATIO || !*indicator->formula)
            continue;
        bm_plan_table_revisit (&table, bm_csv_row (csv, index), reported [index]);
        s_check_formula (&table, indicator);
    }
    free (reported);
    zhashx_destroy (&parents);
    zhashx_destroy (&seen);
}
