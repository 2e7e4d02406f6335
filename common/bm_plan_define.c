/*  bm_plan_define: what a plan is and who answers for it, from plan.csv
    and units.csv.

    Units are read in two passes: the first collects every name, so that a
    parent may come on a later line, and the second checks each row
    against all of them. Indicators are read the same way, in
    bm_plan_indicator.c.
*/

#include "bm_plan_private.h"
#include "bm_i18n.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

bool
bm_plan_in_cycle (zhashx_t *parents, const char *start)
{
    const char *current = (const char *) zhashx_lookup (parents, start);
    for (size_t step = 0; current && step <= zhashx_size (parents); step++) {
        if (streq (current, start))
            return true;
        current = (const char *) zhashx_lookup (parents, current);
    }
    return false;
}

static int
s_line_of (zhashx_t *hash, const char *key)
{
    return (int) (intptr_t) zhashx_lookup (hash, key);
}


//  --------------------------------------------------------------------------
//  plan.csv

enum {
    PLAN_CODE, PLAN_DISTRICT, PLAN_DISTRICT_NAME, PLAN_YEAR, PLAN_TITLE,
    PLAN_DOCUMENTS, PLAN_FORECAST_DAY, PLAN_FINAL_DAY, PLAN_DEADLINE_RULE,
    PLAN_REMINDER_DAYS, PLAN_BOTTOM_WARNED
};

static const bm_plan_column_t s_plan_columns [] = {
    { "plan", true, N_("write the plan's code, like qingpu-2023") },
    { "district", true, N_("write the district's code, like qingpu") },
    { "district_name", true, N_("write the district's name, like 青浦区") },
    { "year", true, NULL },
    { "title", true, N_("write the plan's title") },
    { "documents", false, NULL },
    { "forecast_day", false, NULL },
    { "final_day", false, NULL },
    { "deadline_rule", false, NULL },
    { "reminder_days", false, NULL },
    { "bottom_warned", false, NULL },
    { NULL, false, NULL }
};

static void
s_replace (char **field, char *value)
{
    free (*field);
    *field = value;
}

void
bm_plan_read_header (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_PLAN, name, s_plan_columns, -1, csv);
    if (!table.header)
        return;
    size_t rows = bm_csv_row_count (csv);
    if (rows == 1) {
        bm_plan_problem (parser, BM_PLAN_FILE_PLAN, name, 0, 0,
                         _("has no plan row: add one row under the header"));
        return;
    }
    bm_plan_header_t *header = &parser->plan->header;
    bm_plan_table_row (&table, bm_csv_row (csv, 1));
    bm_plan_table_code (&table, PLAN_CODE);
    bm_plan_table_code (&table, PLAN_DISTRICT);
    s_replace (&header->plan, bm_plan_table_string (&table, PLAN_CODE));
    s_replace (&header->district, bm_plan_table_string (&table, PLAN_DISTRICT));
    s_replace (&header->district_name, bm_plan_table_string (&table, PLAN_DISTRICT_NAME));
    bm_plan_table_whole (&table, PLAN_YEAR, 1900, 9999, &header->year);
    s_replace (&header->title, bm_plan_table_string (&table, PLAN_TITLE));
    s_replace (&header->documents, bm_plan_table_string (&table, PLAN_DOCUMENTS));
    bm_plan_table_whole (&table, PLAN_FORECAST_DAY, 1, 28, &header->forecast_day);
    bm_plan_table_whole (&table, PLAN_FINAL_DAY, 1, 28, &header->final_day);
    bm_plan_read_deadline_rule (&table, PLAN_DEADLINE_RULE);
    bm_plan_read_reminder_days (&table, PLAN_REMINDER_DAYS);
    if (bm_plan_table_usable (&table, PLAN_BOTTOM_WARNED)
    &&  *bm_plan_table_text (&table, PLAN_BOTTOM_WARNED))
        bm_plan_table_whole (&table, PLAN_BOTTOM_WARNED, 1, 99, &header->bottom_warned);

    for (size_t index = 2; index < rows; index++)
        bm_plan_problem (parser, BM_PLAN_FILE_PLAN, name, bm_csv_row (csv, index)->line, 0,
                         _("a second plan row: plan.csv holds one plan, "
                         "put another plan in its own folder"));
}


//  --------------------------------------------------------------------------
//  units.csv

enum { UNIT_NAME, UNIT_KIND, UNIT_PARENT, UNIT_NOTE };

static const bm_plan_column_t s_unit_columns [] = {
    { "unit", true, N_("name the unit as the documents write it") },
    { "kind", true, NULL },
    { "parent", false, NULL },
    { "note", false, NULL },
    { NULL, false, NULL }
};

static const char *const s_unit_kinds [] = {
    "town", "subdistrict", "park", "company", "department", "section", "other", NULL
};

//  Check a unit's parent: a unit of this file, not itself, no loop
static void
s_check_unit_parent (bm_plan_table_t *table, zhashx_t *parents,
                     const char *unit, const char *parent)
{
    if (!*parent || !bm_plan_table_usable (table, UNIT_PARENT))
        return;
    if (streq (parent, unit))
        bm_plan_table_fail (table, UNIT_PARENT,
                            _("unit \"%s\" cannot be its own parent: leave parent "
                            "empty or name the unit it belongs to"), unit);
    else
    if (streq (parent, BM_DISTRICT_UNIT))
        bm_plan_table_fail (table, UNIT_PARENT,
                            _("parent \"%s\" is the district, which every unit "
                            "belongs to: leave parent empty"), parent);
    else
    if (!zhashx_lookup (table->parser->units, parent))
        bm_plan_table_fail (table, UNIT_PARENT,
                            _("parent \"%s\" is not in units.csv: add it or "
                            "correct the name"), parent);
    else
    if (*unit && bm_plan_in_cycle (parents, unit))
        bm_plan_table_fail (table, UNIT_PARENT,
                            _("unit \"%s\" is its own ancestor through parent "
                            "\"%s\": break the loop"), unit, parent);
}

void
bm_plan_read_units (bm_plan_parser_t *parser, const char *name, const bm_csv_t *csv)
{
    bm_plan_table_t table;
    bm_plan_table_start (&table, parser, BM_PLAN_FILE_UNITS, name, s_unit_columns, -1, csv);
    if (!table.header)
        return;
    parser->units_known = table.position [UNIT_NAME] >= 0;
    size_t rows = bm_csv_row_count (csv);
    bm_plan_t *plan = parser->plan;
    plan->units = (bm_plan_unit_t *) zmalloc (rows * sizeof (bm_plan_unit_t));

    //  Every unit and its parent, before any is checked
    zhashx_t *parents = zhashx_new ();
    for (size_t index = 1; index < rows; index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
        const char *unit = bm_plan_table_peek (&table, row, UNIT_NAME);
        const char *parent = bm_plan_table_peek (&table, row, UNIT_PARENT);
        if (*unit && !zhashx_lookup (parser->units, unit))
            zhashx_insert (parser->units, unit, (void *) (intptr_t) row->line);
        if (*unit && *parent && !zhashx_lookup (parents, unit))
            zhashx_insert (parents, unit, (void *) parent);
    }
    for (size_t index = 1; index < rows; index++) {
        const bm_csv_row_t *row = bm_csv_row (csv, index);
        bm_plan_table_row (&table, row);
        bm_plan_unit_t *unit = &plan->units [plan->unit_count++];
        unit->name = bm_plan_table_string (&table, UNIT_NAME);
        bm_plan_table_choice (&table, UNIT_KIND, s_unit_kinds, -1);
        unit->kind = strdup (bm_plan_table_text (&table, UNIT_KIND));
        unit->parent = bm_plan_table_string (&table, UNIT_PARENT);
        unit->note = bm_plan_table_string (&table, UNIT_NOTE);

        if (*unit->name && bm_plan_table_usable (&table, UNIT_NAME)) {
            int first = s_line_of (parser->units, unit->name);
            if (streq (unit->name, BM_DISTRICT_UNIT))
                bm_plan_table_fail (&table, UNIT_NAME,
                                    _("unit \"%s\" is the district as a whole, which "
                                    "is implicit: remove this row"), unit->name);
            else
            if (first != row->line)
                bm_plan_table_fail (&table, UNIT_NAME,
                                    _("unit \"%s\" is already on line %d: remove one "
                                    "of the rows"), unit->name, first);
        }
        s_check_unit_parent (&table, parents, unit->name, unit->parent);
    }
    zhashx_destroy (&parents);
}
